#!/usr/bin/env python3
"""mailread.py: what a person would see in mail the test SMTP server kept.

usage: mailread.py DIR                 a line per message: FILE<TAB>RCPTS<TAB>Subject
       mailread.py DIR --to ADDR       only messages delivered to ADDR
       mailread.py FILE --header NAME  the decoded header
       mailread.py FILE --text         the decoded text/plain part
       mailread.py FILE --html         the decoded text/html part
smtp-sink prefixes each stored message with its own envelope lines
(X-Client-Addr and friends); those are skipped up to the real header.
"""
import email, email.policy, os, sys


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    # smtp-sink writes envelope lines before the message; real headers
    # start at the first line that is not one of them.
    lines = data.split(b"\n")
    i = 0
    rcpts = []
    while i < len(lines) and lines[i].startswith((b"X-Client-", b"X-Helo-",
            b"X-Mail-Args", b"X-Rcpt-Args")):
        if lines[i].startswith(b"X-Rcpt-Args:"):
            rcpts.append(lines[i].split(b"<", 1)[-1].split(b">")[0]
                         .decode().lower())
        i += 1
    m = email.message_from_bytes(b"\n".join(lines[i:]),
                                 policy=email.policy.default)
    m.envelope_rcpts = rcpts
    return m


def part(msg, ctype):
    for p in msg.walk():
        if p.get_content_type() == ctype and not p.is_attachment():
            return p.get_content()
    return ""


def main():
    target = sys.argv[1]
    args = sys.argv[2:]
    if os.path.isdir(target):
        want = args[1].lower() if args[:1] == ["--to"] else None
        # In the order they arrived: smtp-sink's names sort by the second
        # only.
        names = sorted(os.listdir(target),
                       key=lambda n: os.stat(os.path.join(target, n)).st_mtime_ns)
        for name in names:
            m = load(os.path.join(target, name))
            if want and want not in m.envelope_rcpts:
                continue
            rcpts = ",".join(m.envelope_rcpts)
            print(f"{name}\t{rcpts}\t{m.get('Subject', '')}")
        return
    m = load(target)
    if args[0] == "--header":
        v = m.get(args[1])
        print("" if v is None else str(v))
    elif args[0] == "--text":
        print(part(m, "text/plain"))
    elif args[0] == "--html":
        print(part(m, "text/html"))


if __name__ == "__main__":
    main()
