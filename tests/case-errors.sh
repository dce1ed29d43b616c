#!/bin/sh
# case-errors.sh: `redress case list` and `case show` on a database that
# is damaged. A query that fails is an error with a non-zero exit status;
# it must never look like an empty database ("cases: none", exit 0).
# No servers: the database is made by `redressd --once` (which then finds
# no IMAP server on a closed loopback port) and damaged with Python's
# sqlite3.
. "$top_srcdir/tests/tap.sh"

redress=${REDRESS:-$top_builddir/redress}
[ -x "$redress" ] || { echo "Bail out! $redress is not built"; exit 1; }
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/case-errors.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cp -R "$top_srcdir/tests/data/conf" "$tmp/conf"
chmod 600 "$tmp"/conf/*
conf=$tmp/conf/minimal.conf
. "$top_srcdir/tests/lib/smtp-sink.sh"
closed=$(smtp_sink_free_port) || exit 1
sed -i "s/host = \"imap.example\";/host = \"127.0.0.1\"; port = $closed; tls = \"none\";/" \
    "$conf"
cat >>"$conf" <<EOF
database = "$tmp/redress.db";
templates = "$top_srcdir/templates";
rules = "$top_srcdir/rules";
calendar = "$top_srcdir/contrib/bank-holidays.json";
EOF
(cd "$tmp/conf" && "$top_builddir/redressd" -c "$conf" -f --once) \
    >"$tmp/redressd.log" 2>&1
check "redressd made the database" grep -q "created new database" \
    "$tmp/redressd.log"

# run ARGS...: `redress case ARGS`, leaving $rc, $out and $err.
run() {
	"$redress" case -c "$conf" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# sql STATEMENTS: run them on the database behind redress's back.
sql() {
	python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript(sys.argv[2])
db.close()' "$tmp/redress.db" "$1"
}

run list
check_eq "an empty database lists no cases" "$rc:$out" "0:cases: none"
run show LON-2026-00001
check_eq "an unknown reference is refused" "$rc" 1
check "saying there is no such case" grep -q "no case LON-2026-00001" \
    "$tmp/err"

sql "INSERT INTO cases (ref, area, year, seq, kind, state, opened_at,
    updated_at) VALUES ('LON-2026-00001', 'LON', 2026, 1, 'complaint',
    'received', 0, 0); DROP TABLE outbox_rcpt;"
run show LON-2026-00001
check_eq "a case whose outbox cannot be read is an error" "$rc" 1
want="database $tmp/redress.db: reading the case's outbox"
check "which names the database and what failed" grep -q \
    "$want: no such table: outbox_rcpt" "$tmp/err"
check_eq "and shows nothing" "$out" ""

sql "DROP TABLE cases;"
run list
check_eq "a database without its cases table is an error" "$rc" 1
check "which names what failed" grep -q \
    "listing the cases: no such table: cases" "$tmp/err"
check "and says what to do" grep -q "restore it from a backup" "$tmp/err"
check_eq "and never lists no cases" "$out" ""
run list --json
check_eq "likewise with --json" "$rc:$out" "1:"
run show LON-2026-00001
check_eq "show is an error too" "$rc" 1
check "not \"no such case\"" grep -q "finding a case by its reference" \
    "$tmp/err"

done_testing
