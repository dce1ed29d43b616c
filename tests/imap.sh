#!/bin/sh
# imap.sh: IMAP intake (fetch-imap.h) and verified TLS (tls.h) against a
# real, throwaway Dovecot, as a user of daemon/test-imap would see them.
# REDRESS_VALGRIND=1 runs every test-imap under valgrind.

: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/dovecot.sh"

why=$(dovecot_usable) || skip_all "$why"
TEST_IMAP=$top_builddir/daemon/test-imap
if [ ! -x "$TEST_IMAP" ]; then
	echo "Bail out! $TEST_IMAP not built: run make check"
	exit 1
fi
WRAP=""
if [ -n "${REDRESS_VALGRIND:-}" ]; then
	WRAP="${VALGRIND:-valgrind} -q --leak-check=full --error-exitcode=99 --errors-for-leak-kinds=definite"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/redress-imap.XXXXXX") || exit 1
bg_pid=""
silent_pid=""
cleanup() {
	[ -n "$bg_pid" ] && kill "$bg_pid" 2>/dev/null
	[ -n "$silent_pid" ] && kill "$silent_pid" 2>/dev/null
	dovecot_stop "$dir"
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

if ! dovecot_start "$dir" 2>"$dir/start.log"; then
	echo "Bail out! could not start Dovecot:"
	sed 's/^/# /' "$dir/start.log"
	exit 1
fi
IMAP=$DOVECOT_IMAP_PORT
IMAPS=$DOVECOT_IMAPS_PORT
CA=$dir/ca.crt

# ti ARGS...: test-imap with the defaults below, stdout and stderr together.
ti() {
	# shellcheck disable=SC2086
	$WRAP "$TEST_IMAP" -a LON -T 10 "$@" 2>&1
}
# has TEXT WANTED: TEXT contains WANTED.
has() {
	printf '%s\n' "$1" | grep -qF -- "$2"
}
lacks() {
	! has "$@"
}
# The "uid=... size=..." lines of a test-imap run, one line.
uids() {
	printf '%s\n' "$1" | sed -n 's/^uid=\([0-9]*\) size=.*/\1/p' | tr '\n' ' '
}
# wait_for FILE TEXT SECONDS
wait_for() {
	_n=0
	while ! grep -qF -- "$2" "$1" 2>/dev/null; do
		[ $_n -ge $(($3 * 10)) ] && return 1
		sleep 0.1
		_n=$((_n + 1))
	done
}
# wait_exit PID SECONDS: 0 when the process ended within the time.
wait_exit() {
	_n=0
	while kill -0 "$1" 2>/dev/null; do
		[ $_n -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		_n=$((_n + 1))
	done
}
# within ELAPSED LIMIT: ELAPSED is a number of seconds no more than LIMIT.
within() {
	[ "$1" != never ] && [ "$1" -le "$2" ]
}
size_of() {
	wc -c <"$1" | tr -d ' '
}

# Test mail: CRLF line ends, as IMAP hands messages out. m2 spans many TLS
# records and more than libetpan's read buffer.
printf 'From: Complainant <c@example.org>\r\nTo: london@example.org\r\nSubject: Complaint about my case\r\nMessage-ID: <m1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCais am adolygiad \342\200\223 diolch.\r\n.\r\nFrom the start.\r\n' >"$dir/m1"
{
	printf 'From: c2@example.org\r\nSubject: Evidence\r\nMessage-ID: <m2@example.org>\r\n\r\n'
	awk 'BEGIN { for (i = 0; i < 4000; i++) printf "line %05d ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/\r\n", i }'
} >"$dir/m2"
printf 'From: c3@example.org\r\nSubject: Later\r\n\r\nAnother one.\r\n' >"$dir/m3"
printf 'From: c4@example.org\r\nSubject: During IDLE\r\n\r\nNew.\r\n' >"$dir/m4"

for u in lon wal basic; do
	if ! imap_append "$dir" $u "$dir/m1" ||
	    ! imap_append "$dir" $u "$dir/m2"; then
		echo "Bail out! doveadm save failed"
		exit 1
	fi
done
s1=$(size_of "$dir/m1")
s2=$(size_of "$dir/m2")

# --- the three TLS modes list and fetch byte for byte
for mode in "none 127.0.0.1 $IMAP" "starttls localhost $IMAP" \
    "implicit localhost $IMAPS"; do
	# shellcheck disable=SC2086
	set -- $mode
	out=$(ti -t "$1" -h "$2" -p "$3" -c "$CA" -w lon-secret list 0 \
	    fetch 1 "$dir/got1.$1" fetch 2 "$dir/got2.$1")
	rc=$?
	check_eq "tls $1: connects, lists and fetches (exit status)" "$rc" 0
	check "tls $1: lists both messages with their sizes" \
	    has "$out" "uid=1 size=$s1
uid=2 size=$s2"
	check "tls $1: first message fetched byte for byte" \
	    cmp "$dir/m1" "$dir/got1.$1"
	check "tls $1: 300 KB message fetched byte for byte" \
	    cmp "$dir/m2" "$dir/got2.$1"
done

# --- refusals: each names the Area, the server and what to do
out=$(ti -t implicit -h 127.0.0.2 -p "$IMAPS" -c "$CA" -w lon-secret list 0)
rc=$?
check "untrusted certificate (implicit TLS) is refused" [ "$rc" = 1 ]
check "... naming the Area and server" has "$out" "Area LON: 127.0.0.2:$IMAPS:"
check "... saying the signer is unknown" has "$out" "issuer is unknown"
check "... and to set ca_file" has "$out" "set ca_file"
check "... and no message was listed" lacks "$out" "uid="

out=$(ti -t starttls -h 127.0.0.2 -p "$IMAP" -c "$CA" -w lon-secret list 0)
rc=$?
check "untrusted certificate after STARTTLS is refused, never downgraded" \
    [ "$rc" = 1 ]
check "... with the same advice" has "$out" "set ca_file"
check "... and nothing was listed over the unverified connection" \
    lacks "$out" "uid="

out=$(ti -t implicit -h 127.0.0.3 -p "$IMAPS" -c "$CA" -w lon-secret list 0)
rc=$?
check "certificate for another host name is refused" [ "$rc" = 1 ]
check "... naming the host asked for" has "$out" "TLS certificate of 127.0.0.3 refused"
check "... and the names the certificate has" has "$out" "it names localhost, 127.0.0.1"
check "... and to check the host name" has "$out" "check the host name"

out=$(ti -t implicit -h localhost -p "$IMAPS" -w lon-secret list 0)
rc=$?
check "ca_file unset: the system trust store does not know the test CA" \
    [ "$rc" = 1 ]
check "... and says to set ca_file" has "$out" "set ca_file"

out=$(ti -t implicit -h localhost -p "$IMAPS" -c "$dir/none.pem" -w lon-secret list 0)
check "unreadable ca_file is named with what to do" \
    has "$out" "cannot use ca_file $dir/none.pem: No such file or directory: set ca_file"

out=$(ti -t implicit -h localhost -p "$IMAP" -c "$CA" -w lon-secret list 0)
check "implicit TLS on the plain port: handshake failure says to check the tls mode" \
    has "$out" "TLS handshake with localhost failed"
check "... naming the port" has "$out" "Area LON: localhost:$IMAP:"

start=$(date +%s)
out=$($WRAP "$TEST_IMAP" -a LON -T 2 -t none -h localhost -p "$IMAPS" -w lon-secret list 0 2>&1)
rc=$?
elapsed=$(($(date +%s) - start))
check "plain IMAP on the TLS port fails" [ "$rc" = 1 ]
check "... within the timeout (took ${elapsed}s)" [ "$elapsed" -le 8 ]
check "... saying to check the port and tls mode" has "$out" "check the port and the tls mode"

# A peer that accepts connections and never says a word.
if command -v python3 >/dev/null 2>&1; then
	python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
time.sleep(120)' >"$dir/silent.port" &
	silent_pid=$!
	wait_for "$dir/silent.port" "" 10
	SILENT=$(cat "$dir/silent.port")
	# silent MODE: test-imap against it, setting out, rc and elapsed.
	silent() {
		start=$(date +%s)
		out=$($WRAP "$TEST_IMAP" -a LON -T 2 -t "$1" -h localhost \
		    -p "$SILENT" -c "$CA" -w lon-secret list 0 2>&1)
		rc=$?
		elapsed=$(($(date +%s) - start))
	}
	silent implicit
	check "implicit TLS to a server that never answers fails" [ "$rc" = 1 ]
	check "... after the timeout (took ${elapsed}s)" within "$elapsed" 8
	check "... saying the handshake timed out" \
	    has "$out" "TLS handshake with localhost failed: The operation timed out"
	silent none
	check "plain IMAP to a server that never answers fails" [ "$rc" = 1 ]
	check "... after the timeout (took ${elapsed}s)" within "$elapsed" 8
	check "... saying it did not answer in time" \
	    has "$out" "IMAP greeting failed: the connection was lost or the server did not answer in time"
	kill "$silent_pid" 2>/dev/null
	wait "$silent_pid" 2>/dev/null
	silent_pid=""
else
	diag "python3 not found: the silent-server timeout tests are not run"
fi

out=$(ti -t starttls -h localhost -p "$IMAP" -c "$CA" -w not-the-password \
    -W /etc/redress/lon.pass list 0)
rc=$?
check "wrong password is refused" [ "$rc" = 1 ]
check "... saying login failed for the user" has "$out" "Area LON: localhost:$IMAP: login for user lon failed"
check "... and to check the password in password_file, named" \
    has "$out" "check imap.user and the password in password_file /etc/redress/lon.pass"
check "... without repeating the password" lacks "$out" "not-the-password"

out=$(ti -h localhost -p "$IMAP" -w lon-secret -m Complaints list 0)
check "missing mailbox gets a clear message" has "$out" \
    "Area LON: localhost:$IMAP: mailbox 'Complaints' does not exist for user lon: create it or fix imap.mailbox"

out=$(ti -h 127.0.0.1 -p 1 -w lon-secret list 0)
check "unreachable server is named with what to do" has "$out" \
    "Area LON: cannot connect to 127.0.0.1:1: Connection refused: check the host, the port and that the server is running"

# --- capabilities
out=$(ti -h localhost -p "$IMAP" -w lon-secret caps)
check "Dovecot offers IDLE and MOVE" has "$out" "idle=yes move=yes"
out=$(ti -h localhost -p "$IMAP" -u basic -w basic-secret caps)
check "a bare IMAP4rev1 server is seen as such (capabilities asked again after login)" \
    has "$out" "idle=no move=no"

# --- after the commit: move or flag, idempotently
out=$(ti -h localhost -p "$IMAP" -w lon-secret "done" 1 Processed "done" 1 Processed)
rc=$?
check_eq "move to a new processed folder, twice: both succeed" "$rc" 0
check_eq "... the message left INBOX" "$(imap_count "$dir" lon INBOX)" 1
check_eq "... and is in the folder, once" "$(imap_count "$dir" lon Processed)" 1
out=$(ti -h localhost -p "$IMAP" -w lon-secret fetch 1 "$dir/gone")
check "fetching a moved UID says it is no longer there" \
    has "$out" "UID 1 is no longer in mailbox 'INBOX'"

out=$(ti -h localhost -p "$IMAP" -w lon-secret "done" 2 "" "done" 2 "")
rc=$?
check_eq "processed \"\", twice: both succeed" "$rc" 0
check_eq "... the message is \\Seen" "$(imap_count_seen "$dir" lon INBOX)" 1
check_eq "... and stays in INBOX" "$(imap_count "$dir" lon INBOX)" 1

folder="Wedi’u prosesu & cau"
out=$(ti -h localhost -p "$IMAP" -u wal -w wal-secret "done" 1 "$folder")
check_eq "a non-ASCII folder name is created and used (modified UTF-7)" \
    "$(imap_count "$dir" wal "$folder")" 1

out=$(ti -h localhost -p "$IMAP" -w lon-secret "done" 2 INBOX)
check "processed folder = the mailbox itself is refused" \
    has "$out" "imap.processed is the watched mailbox 'INBOX' itself"

out=$(ti -h 127.0.0.3 -p "$IMAP" -u wal -w wal-secret caps "done" 2 Done "done" 2 Done)
rc=$?
check "server without MOVE: reported as such" has "$out" "idle=no move=no"
check_eq "... UID COPY + \\Deleted + UID EXPUNGE, twice: succeed" "$rc" 0
check_eq "... the message left INBOX" "$(imap_count "$dir" wal INBOX)" 0
check_eq "... and is in the folder, once" "$(imap_count "$dir" wal Done)" 1

out=$(ti -h localhost -p "$IMAP" -u basic -w basic-secret "done" 1 Done "done" 1 Done)
rc=$?
check_eq "server without MOVE or UIDPLUS: COPY + EXPUNGE, twice: succeed" "$rc" 0
check_eq "... the message left INBOX" "$(imap_count "$dir" basic INBOX)" 1
check_eq "... and is in the folder, once" "$(imap_count "$dir" basic Done)" 1

# --- the cursor: only UIDs above it
out=$(ti -h localhost -p "$IMAP" -w lon-secret list 2)
check_eq "nothing listed after the highest UID (\"3:*\" returns UID 2; filtered)" \
    "$(uids "$out")" ""
imap_append "$dir" lon "$dir/m3"
out=$(ti -h localhost -p "$IMAP" -w lon-secret list 2)
check_eq "after a new delivery only the new UID is listed" "$(uids "$out")" "3 "
out=$(ti -h localhost -p "$IMAP" -w lon-secret list 0)
check_eq "listing from 0 gives every UID in INBOX, ascending" "$(uids "$out")" "2 3 "

# --- IDLE: woken by a delivery from another process, within a bound
# idle_wake NAME ARGS...: run test-imap with ARGS in the background, deliver
# m4 once it says "idling", and expect it to wake and list the new UID.
idle_wake() {
	name=$1; shift
	: >"$dir/idle.out"
	# shellcheck disable=SC2086
	$WRAP "$TEST_IMAP" -a LON -T 10 "$@" >"$dir/idle.out" 2>&1 &
	bg_pid=$!
	if wait_for "$dir/idle.out" idling 20; then
		start=$(date +%s)
		imap_append "$dir" lon "$dir/m4"
		wait_exit "$bg_pid" 15
		elapsed=$(($(date +%s) - start))
	else
		elapsed=never
	fi
	kill "$bg_pid" 2>/dev/null
	wait "$bg_pid"
	rc=$?
	bg_pid=""
	out=$(cat "$dir/idle.out")
	check "IDLE ($name) wakes up when mail is delivered" has "$out" woke
	check "... within a bounded wait (took ${elapsed}s)" \
	    within "$elapsed" 10
	check_eq "... and ends cleanly" "$rc" 0
}
idle_wake plain -h localhost -p "$IMAP" -w lon-secret idle 30 list 3
check_eq "... the new message is then listed" "$(uids "$out")" "4 "
idle_wake "implicit TLS" -t implicit -h localhost -p "$IMAPS" -c "$CA" \
    -w lon-secret idle 30 list 4
check_eq "... the new message is then listed" "$(uids "$out")" "5 "

# Mail that arrives just before IDLE: Dovecot reports it in the same
# packet as "+ idling", which poll() alone would never see.
for mode in "none localhost $IMAP" "implicit localhost $IMAPS"; do
	# shellcheck disable=SC2086
	set -- $mode
	last=$(uids "$(ti -h localhost -p "$IMAP" -w lon-secret list 0)" |
	    awk '{ print $NF }')
	: >"$dir/idle.out"
	# shellcheck disable=SC2086
	$WRAP "$TEST_IMAP" -a LON -T 10 -t "$1" -h "$2" -p "$3" -c "$CA" \
	    -w lon-secret pause 2 idle 30 list "$last" >"$dir/idle.out" 2>&1 &
	bg_pid=$!
	wait_for "$dir/idle.out" paused 20 && imap_append "$dir" lon "$dir/m4"
	wait_exit "$bg_pid" 15
	kill "$bg_pid" 2>/dev/null
	wait "$bg_pid"
	bg_pid=""
	out=$(cat "$dir/idle.out")
	check "tls $1: mail delivered just before IDLE wakes it at once" \
	    has "$out" woke
	check_eq "... and is listed" "$(uids "$out")" "$((last + 1)) "
done

start=$(date +%s)
out=$(ti -h localhost -p "$IMAP" -w lon-secret idle 1 noop)
rc=$?
elapsed=$(($(date +%s) - start))
check "IDLE with no news times out as the caller asked" has "$out" "no news"
check_eq "... and the connection is usable afterwards (NOOP)" "$rc" 0
check "... within the bound (took ${elapsed}s)" [ "$elapsed" -le 6 ]

out=$(ti -h localhost -p "$IMAP" -u basic -w basic-secret idle 1)
check "IDLE on a server without it says to poll instead" \
    has "$out" "does not offer IDLE: poll with NOOP instead"

if grep -E "Fatal|Panic" "$dir/dovecot.log" >/dev/null; then
	diag "Dovecot log:"
	sed 's/^/#   /' "$dir/dovecot.log"
fi
check "Dovecot logged no fatal error or panic" \
    sh -c "! grep -E 'Fatal|Panic' '$dir/dovecot.log'"

done_testing
