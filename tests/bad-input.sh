#!/bin/sh
# Bad surroundings: an unreachable server, a wrong password, a missing
# mailbox, an unwritable database, a malformed configuration. Each gives a
# clear message naming the Area and the server; the other Areas are served.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup bad-input
D=$top_srcdir/tests/data/intake

closed=$(smtp_sink_free_port)
printf 'not-the-password' >"$T/wrong.pass"
chmod 0600 "$T/wrong.pass"
# Three broken Areas beside the two good ones.
python3 - "$T/redress.conf" "$closed" "$T" <<'PY'
import sys
path, port, t = sys.argv[1:]
conf = open(path).read()
extra = """,
  { id = "DOWN"; name = "Down"; address = "down.complaints@cps.example.gov.uk";
    imap = { host = "127.0.0.1"; port = %s; tls = "none"; user = "lon";
             password_file = "%s/imap/lon.pass"; };
    coordinators = [ "down.coord@cps.example.gov.uk" ]; },
  { id = "PASS"; name = "Password"; address = "pass.complaints@cps.example.gov.uk";
    imap = { host = "127.0.0.1"; port = PORT; tls = "none"; user = "cym";
             password_file = "%s/wrong.pass"; };
    coordinators = [ "pass.coord@cps.example.gov.uk" ]; },
  { id = "NOBOX"; name = "No mailbox"; address = "nobox.complaints@cps.example.gov.uk";
    imap = { host = "127.0.0.1"; port = PORT; tls = "none"; user = "cym";
             password_file = "%s/imap/cym.pass"; mailbox = "Complaints"; };
    coordinators = [ "nobox.coord@cps.example.gov.uk" ]; }
);""" % (port, t, t, t)
i = conf.rindex(");")
conf = conf[:i].rstrip().rstrip(",") + extra + conf[i + 2:]
open(path, "w").write(conf)
PY
sed -i "s/port = PORT;/port = $DOVECOT_IMAP_PORT;/" "$T/redress.conf"
check "the configuration with five Areas is valid" rcli check-config

imap_append "$T/imap" lon "$D/plain-complaint.eml"
redressd_once
check_eq "redressd --once exits 1 when some Areas could not be served" "$rc" 1
check_eq "the good Area is still served" "$(sent_to ada@example.org)" 1
check "an unreachable server names the Area and the server" \
    grep -E "Area DOWN: .*127\.0\.0\.1:$closed" "$T/redressd.log"
check "a wrong password names the Area, server and what to do" \
    grep -E "Area PASS: .*127\.0\.0\.1:$DOVECOT_IMAP_PORT.*password" "$T/redressd.log"
check "a missing mailbox is named, with what to do" \
    grep -E "Area NOBOX: .*Complaints.*(create|imap\.mailbox)" "$T/redressd.log"
check "each failed Area is retried later, and says when" \
    sh -c "grep -c 'retrying in' '$T/redressd.log' | grep -x 3"
check "no password appears in the log" \
    sh -c "! grep -F -e lon-secret -e not-the-password '$T/redressd.log'"

# An unwritable database.
cp "$T/redress.conf" "$T/good.conf"
mkdir -p "$T/ro"
chmod 0555 "$T/ro"
sed -i "s|^database = .*|database = \"$T/ro/redress.db\";|" "$T/redress.conf"
if [ "$(id -u)" -eq 0 ]; then
	# root writes anywhere: make the database path a directory instead.
	mkdir -p "$T/ro/redress.db"
fi
: >"$T/redressd.log"
redressd_once
check_eq "redressd refuses to start without a usable database" "$rc" 1
check "and says which file and what to check" \
    grep -E "database $T/ro/redress.db.*(writable|directory)" "$T/redressd.log"

# A template that cannot render is found at start, not mid-transaction.
cp "$T/good.conf" "$T/redress.conf"
cp -r "$top_srcdir/templates" "$T/templates"
sed -i 's/{{due_date}}/{{due_dat}}/' "$T/templates/en/acknowledgement.md"
sed -i "s|^templates = .*|templates = \"$T/templates\";|" "$T/redress.conf"
: >"$T/redressd.log"
redressd_once
check_eq "redressd refuses to start with a broken template" "$rc" 1
check "naming the template file and line" \
    grep -E "$T/templates/en/acknowledgement.md:[0-9]+: .*due_dat" "$T/redressd.log"

# A malformed configuration: every error with FILE:LINE.
printf 'database = "x.db"\nsmtp = { port = "25"; };\n' >"$T/broken.conf"
out=$("$REDRESSD" -c "$T/broken.conf" -f --once 2>&1)
check_eq "redressd refuses a malformed configuration" "$?" 1
check "naming the file and line" \
    sh -c "printf '%s' \"\$1\" | grep -E '$T/broken.conf:[0-9]+:'" sh "$out"

done_testing
