#!/bin/sh
# The database is what it claims: redressd creates one only where no file
# exists, and says so; a file that is empty, random bytes, another
# program's SQLite database or a damaged redress database is refused with
# a message naming it and what to do, left as it was, and every command
# that reads it exits non-zero. Measured by exit statuses, messages, the
# file itself and the mail that reached the SMTP server.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup database
AREA=london.complaints@cps.example.gov.uk
DB=$T/redress.db
ADVICE="restore it from a backup or move it aside; redress creates a new database only where no file exists"
COMPLAINT="I want to complain about how the CPS handled my case. Nobody told
me the hearing had been moved and I missed it."

size() { wc -c <"$1" | tr -d ' '; }

# every_command WHAT: each command that reads the database fails on it,
# saying so and naming the file.
every_command() {
	: >"$T/redressd.log"
	redressd_once
	check "$1: redressd --once exits non-zero" test "$rc" -ne 0
	check "$1: redressd names the file" grep -q -F "database $DB" \
	    "$T/redressd.log"
	for args in "case list" "case list --json" "case show LON-2026-00001" \
	    "case show LON-2026-00001 --json"; do
		# shellcheck disable=SC2086 # args are words
		rcli $args >"$T/out" 2>"$T/err"
		crc=$?
		check "$1: redress $args exits non-zero" test "$crc" -ne 0
		check "$1: redress $args prints nothing on stdout" \
		    test ! -s "$T/out"
		check "$1: redress $args names the file" grep -q -F "$DB" \
		    "$T/err"
	done
}

# --- a new database, where none exists: created and logged
check "no database at first" test ! -e "$DB"
imap_mail "Ada <ada@example.org>" "$AREA" "My complaint" "" "$COMPLAINT"
redressd_at 2026-11-23T10:00:00Z
check_eq "redressd ran" "$rc" 0
check "the log says a new database was created, and where" \
    grep -q -F "created new database $DB" "$T/redressd.log"
check_eq "the complaint is LON-2026-00001" \
    "$(rcli case list | awk 'NR == 2 { print $1 }')" LON-2026-00001
check_eq "and acknowledged" "$(sent_to ada@example.org)" 1
check "no temporary file is left beside it" \
    sh -c "! ls '$T' | grep -q 'redress.db.new'"
: >"$T/redressd.log"
redressd_at 2026-11-23T10:05:00Z
check "the second start opens it without creating one" \
    sh -c "! grep -q 'created new database' '$T/redressd.log'"
cp "$DB" "$T/good.db"

# --- truncated to 0 bytes: refused, untouched, and no reference reissued
: >"$DB"
rm -f "$DB-wal" "$DB-shm"
imap_mail "Bea <bea@example.org>" "$AREA" "My complaint" "" "$COMPLAINT"
every_command "an empty file"
check "the message says it is empty and what to do" \
    grep -q -F "database $DB is an empty file, not a redress database: $ADVICE" \
    "$T/redressd.log"
check_eq "the empty file is left as it was" "$(size "$DB")" 0
check_eq "nobody is acknowledged under a reissued reference" \
    "$(sent_to bea@example.org)" 0

# --- random bytes
head -c 8192 /dev/urandom >"$DB"
cp "$DB" "$T/random.copy"
every_command "random bytes"
check "the message says it is not SQLite" \
    grep -q -F "database $DB is not an SQLite database" "$T/redressd.log"
check "random bytes are left as they were" cmp -s "$DB" "$T/random.copy"

# --- another program's SQLite database
rm -f "$DB"
sqlite3 "$DB" "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);
    INSERT INTO notes (text) VALUES ('not ours');"
every_command "another program's database"
check "the message says whose it is not" \
    grep -q -F "is an SQLite database of another program" "$T/redressd.log"
check_eq "and it is left as it was" \
    "$(sqlite3 "$DB" "SELECT text FROM notes; PRAGMA user_version;" | tr '\n' ' ')" \
    "not ours 0 "

# --- a redress database cut short: every command fails, none says "none"
rm -f "$DB"
cp "$T/good.db" "$DB"
pages=$(sqlite3 "$DB" "PRAGMA page_count")
check "the good database has several pages" test "$pages" -gt 2
head -c 8192 "$T/good.db" >"$DB"
every_command "a truncated database"

# --- the good one back: it works again, and the case is still there
rm -f "$DB"
cp "$T/good.db" "$DB"
redressd_at 2026-11-23T11:00:00Z
check_eq "restored from the backup, redressd runs" "$rc" 0
check_eq "Bea's complaint is the next reference, not a reissued one" \
    "$(rcli case list | awk 'NR > 1 { print $1 }' | tr '\n' ' ')" \
    "LON-2026-00001 LON-2026-00002 "

done_testing
