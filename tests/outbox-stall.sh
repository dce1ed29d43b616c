#!/bin/sh
# Issue 8, item 6: sending never delays intake. The relay accepts TCP and
# never answers; smtp.timeout is far longer than the test may take, so a
# second complaint can only be recorded meanwhile if sending holds up
# nothing but itself.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup outbox-stall

db() { sqlite3 -cmd ".timeout 5000" "$T/redress.db" "$@"; }
# Not before redressd made the database: sqlite3 would make it first.
ncases() {
	if [ -f "$T/redress.db" ]; then
		db "SELECT count(*) FROM cases" 2>/dev/null || echo 0
	else
		echo 0
	fi
}
has_cases() { [ "$(ncases)" -eq "$1" ]; }
# wait_for SECONDS COMMAND...: until COMMAND succeeds; a bound, not a
# measurement: the test never depends on how long anything took.
wait_for() {
	_w=$(($1 * 10))
	shift
	while [ $_w -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.1
		_w=$((_w - 1))
	done
	"$@"
}

# A relay that accepts connections and says nothing, ever.
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    c, _ = s.accept()
    held.append(c)
    open(sys.argv[2], "a").write("accepted\n")
' "$T/stall.port" "$T/stall.conns" &
stall=$!
daemon=
stop_all() {
	[ -n "$daemon" ] && kill "$daemon" 2>/dev/null
	kill "$stall" 2>/dev/null
	redress_cleanup
}
trap stop_all EXIT
wait_for 10 test -s "$T/stall.port"
SMTP_SINK_PORT=$(cat "$T/stall.port") redress_conf
sed -i 's/^\([[:space:]]*smtp = { \)/\1timeout = 600; /' "$T/redress.conf"

imap_mail "Ada Lovelace <ada@example.org>" \
    london.complaints@cps.example.gov.uk "First complaint" "" \
    "I want to complain about the service I got."
"$REDRESSD" -c "$T/redress.conf" -f 2>>"$T/redressd.log" &
daemon=$!
check "the first complaint is recorded" wait_for 30 has_cases 1
check "its acknowledgement goes to the relay, which never answers" \
    wait_for 30 test -s "$T/stall.conns"
check_eq "the attempt is recorded as started" \
    "$(db "SELECT stage || ' ' || attempts FROM outbox WHERE template = 'acknowledgement'")" "sending 1"

imap_mail "Eve Example <eve@example.net>" \
    london.complaints@cps.example.gov.uk "Second complaint" "" \
    "I also want to complain about the service I got."
check "a second complaint is recorded while the relay stalls" \
    wait_for 30 has_cases 2
check_eq "it is in redress case list" \
    "$(rcli case list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 2
check_eq "while the first attempt is still waiting for the relay" \
    "$(db "SELECT stage FROM outbox WHERE template = 'acknowledgement' ORDER BY id LIMIT 1")" sending
check_eq "on a single connection" "$(wc -l <"$T/stall.conns" | tr -d ' ')" 1

kill "$daemon"
check "SIGTERM stops the daemon without waiting for the relay" \
    wait_for 20 sh -c "! kill -0 $daemon"
wait "$daemon"
check_eq "with exit status 0" "$?" 0
daemon=

# The relay hangs up: the sender, left to finish, records the attempt.
kill "$stall"
check "the sender ends when the relay hangs up, and unlocks" \
    wait_for 20 flock -n "$T/redress.db.sender" true
check_eq "its attempt is recorded with its backoff, nothing in a stage" \
    "$(db "SELECT state || ' ' || COALESCE(stage, '-') || ' ' || attempts FROM outbox WHERE template = 'acknowledgement' ORDER BY id LIMIT 1")" "queued - 1"
check "and why" sh -c "sqlite3 '$T/redress.db' \"SELECT last_error FROM outbox WHERE template = 'acknowledgement' ORDER BY id LIMIT 1\" | grep -q 'did not accept the connection'"

# A relay that refuses connections, the daemon running: each flush with
# something due is one attempt per row and one log line, then the rows
# wait for their backoff (the clock is fixed, so they never come due
# again), instead of a warning every round.
closed=$(smtp_sink_free_port)
SMTP_SINK_PORT=$closed redress_conf
: >"$T/redressd.log"
refused() { grep -c "cannot connect to 127.0.0.1:$closed" "$T/redressd.log"; }
"$REDRESSD" -c "$T/redress.conf" -f 2>>"$T/redressd.log" &
daemon=$!
check "relay refused: the waiting mail is tried" \
    wait_for 30 sh -c "[ \$(sqlite3 -cmd '.timeout 5000' '$T/redress.db' \"SELECT count(*) FROM outbox WHERE attempts = 0\") -eq 0 ]"
imap_mail "Ivy Example <ivy@example.net>" \
    london.complaints@cps.example.gov.uk "Third complaint" "" \
    "I want to complain about the service I got, again."
check "a third complaint is recorded meanwhile" wait_for 30 has_cases 3
check "and its mail tried" \
    wait_for 30 sh -c "[ \$(sqlite3 -cmd '.timeout 5000' '$T/redress.db' \"SELECT count(*) FROM outbox WHERE attempts = 0\") -eq 0 ]"
kill "$daemon"
wait "$daemon"
daemon=
# Two flushes, or one if the first was still going when the third
# complaint's mail was queued.
check "one log line about the relay a flush, not one a round ($(refused))" \
    test "$(refused)" -ge 1 -a "$(refused)" -le 2
check_eq "and one attempt for every row (the first acknowledgement's from before)" \
    "$(db "SELECT group_concat(DISTINCT attempts) FROM outbox")" 1

done_testing
