#!/bin/sh
# The whole path on real servers: messages APPENDed to two Area mailboxes
# become cases with exactly one acknowledgement each; a second run changes
# nothing; HTML-only, windows-1252 and base64 mail read right; machine mail
# is never answered; an oversized message is quarantined and reported.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup intake
D=$top_srcdir/tests/data/intake

imap_append "$T/imap" lon "$D/plain-complaint.eml"
imap_append "$T/imap" wal "$D/wales-complaint.eml"
redressd_once
check_eq "redressd --once exits 0" "$rc" 0

refs=$(rcli case list --json | python3 -c '
import json, sys
print(" ".join(c["ref"] + ":" + c["kind"] for c in json.load(sys.stdin)))')
check_eq "two cases, one per Area, numbered per Area and year" "$refs" \
    "LON-2026-00001:complaint WAL-2026-00001:complaint"

check_eq "one acknowledgement to the London complainant" \
    "$(sent_to ada@example.org)" 1
check_eq "one acknowledgement to the Wales complainant" \
    "$(sent_to bryn@example.net)" 1
ack=$(sent_file ada@example.org)
check_eq "the acknowledgement is addressed To the complainant" \
    "$($MAILREAD "$ack" --header To)" "Ada Example <ada@example.org>"
check "the acknowledgement's subject carries the case reference" \
    sh -c "$MAILREAD '$ack' --header Subject | grep -F '[LON-2026-00001]'"
check_eq "the acknowledgement answers the complaint (In-Reply-To)" \
    "$($MAILREAD "$ack" --header In-Reply-To)" "<plain-1@mail.example.org>"
check_eq "the acknowledgement is marked automatic (RFC 3834)" \
    "$($MAILREAD "$ack" --header Auto-Submitted)" "auto-replied"
check "the acknowledgement gives the stage 1 due date (20 working days)" \
    sh -c "$MAILREAD '$ack' --text | tr -s ' \n' '  ' | grep -F 'Monday 21 December 2026'"
check_eq "the London coordinators got a new-case notice" \
    "$(sent_to lon.coord@cps.example.gov.uk)" 1
check_eq "the processed message left the London INBOX" \
    "$(imap_count "$T/imap" lon INBOX)" 0
check_eq "and is in the Processed folder" \
    "$(imap_count "$T/imap" lon Processed)" 1
check_eq "in Wales (no processed folder) it stays, flagged \\Seen" \
    "$(imap_count_seen "$T/imap" wal INBOX)" 1

before=$(smtp_sink_count "$T/smtp")
redressd_once
check_eq "a second run exits 0" "$rc" 0
check_eq "a second run sends nothing" "$(smtp_sink_count "$T/smtp")" "$before"
check_eq "a second run opens no case" \
    "$(rcli case list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 2

# Text from awkward encodings, as the coordinators read it in the notice.
imap_append "$T/imap" lon "$D/html-only.eml"
imap_append "$T/imap" lon "$D/windows-1252.eml"
imap_append "$T/imap" lon "$D/base64.eml"
redressd_once
check_eq "three more complaints, three more cases" \
    "$(rcli case list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 5
notices=$(mktemp)
for f in $($MAILREAD "$T/smtp/mail" --to lon.coord@cps.example.gov.uk | cut -f1); do
	$MAILREAD "$T/smtp/mail/$f" --text
done | tr -s ' \n' '  ' >"$notices"
check "HTML-only mail reads as text" grep -F "very rude" "$notices"
check "its list items are kept" grep -F -- "- Nobody called back" "$notices"
check "no markup or script reaches the notice" \
    sh -c "! grep -E '<b>|var x|color: red' '$notices'"
check "windows-1252 text comes out right" grep -F "café opposite" "$notices"
check "the pound sign survives" grep -F "£5" "$notices"
check "base64 text is decoded" grep -F "victim personal statement" "$notices"
check_eq "the RFC 2047 subject is decoded" \
    "$(rcli case show LON-2026-00004 --json | python3 -c '
import json, sys
c = json.load(sys.stdin)
print([m["subject"] for m in c["messages"] if m["direction"] == "in"][0])')" \
    "Victim statement – not read"
rm -f "$notices"

# Machine mail: recorded, never answered.
imap_append "$T/imap" lon "$D/auto-reply.eml"
before=$(smtp_sink_count "$T/smtp")
redressd_once
check_eq "an auto-reply gets no answer" "$(sent_to fay@example.org)" 0
check_eq "nothing at all is sent for it" "$(smtp_sink_count "$T/smtp")" \
    "$before"
check_eq "it is recorded, and leaves the INBOX" \
    "$(imap_count "$T/imap" lon INBOX)" 0
check "the database records it as machine mail" \
    sh -c "sqlite3 '$T/redress.db' \"SELECT detail FROM event WHERE kind = 'machine_mail'\" | grep -x auto_reply"

# Over the size limit: kept raw, quarantined, coordinators told.
redress_conf "limits = { max_message_size = 4096; };"
big=$T/big.eml
{
	printf 'From: Gil Example <gil@example.org>\r\nTo: london.complaints@cps.example.gov.uk\r\n'
	printf 'Subject: A long complaint\r\nMessage-ID: <big-1@example.org>\r\n'
	printf 'Date: Fri, 20 Nov 2026 10:00:00 +0000\r\n\r\n'
	i=0; while [ $i -lt 200 ]; do
		printf 'I want to complain about the way my case was handled.\r\n'
		i=$((i + 1))
	done
} >"$big"
notices_before=$(sent_to lon.coord@cps.example.gov.uk)
redressd_once
imap_append "$T/imap" lon "$big"
redressd_once
check_eq "redressd exits 0 after quarantining" "$rc" 0
check_eq "the sender of an oversized message gets no answer" \
    "$(sent_to gil@example.org)" 0
check_eq "the coordinators are told" \
    "$(sent_to lon.coord@cps.example.gov.uk)" $((notices_before + 1))
notice=$(sent_file lon.coord@cps.example.gov.uk)
check "the notice says which limit" \
    sh -c "$MAILREAD '$notice' --text | grep -F 'limits.max_message_size'"
check_eq "the raw message is kept, whole" \
    "$(sqlite3 "$T/redress.db" "SELECT length(COALESCE(m.raw, r.raw)) FROM message m LEFT JOIN message_raw r ON r.message = m.id WHERE m.message_id = 'big-1@example.org'")" \
    "$(wc -c <"$big" | tr -d ' ')"
check_eq "and marked quarantined" \
    "$(sqlite3 "$T/redress.db" "SELECT quarantine IS NOT NULL FROM message WHERE message_id = 'big-1@example.org'")" 1
check "redressd's log names Area and UID, not the sender" \
    sh -c "grep 'Area LON: UID' '$T/redressd.log' && ! grep -F gil@example.org '$T/redressd.log'"

done_testing
