#!/bin/sh
# Fair and loud (issue 8, item 7, the IMAP half). Areas are served in
# turn, limits.intake_batch messages at a time: while London has a
# backlog, the Welsh complaint is recorded and acknowledged before
# London's backlog is done. An Area whose mailbox cannot be read (login
# refused, nothing listening) for imap_outage_notice seconds is reported
# to its coordinators and the operator exactly once across runs, and once
# more when it can be read again.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup fairness
D=$top_srcdir/tests/data/intake
OPS=ops@cps.example.gov.uk
q() { sqlite3 "$T/redress.db" "$1"; }
order() {	# the recipients of every mail at the SMTP server, in order
	$MAILREAD "$T/smtp/mail" | cut -f2
}
BODY="I was a witness and nobody told me the trial had moved. I would like
to make a complaint about this."

# --- fairness: 7 messages waiting in London, 1 in Wales, batches of 3
redress_conf "limits = { intake_batch = 3; };"
for i in 1 2 3 4 5 6 7; do
	imap_mail "Person $i <p$i@example.org>" \
	    london.complaints@cps.example.gov.uk "Trial moved $i" "" "$BODY"
done
imap_append "$T/imap" wal "$D/wales-complaint.eml"
walfrom=$(sed -n 's/^From:.*<\(.*\)>.*/\1/p' "$D/wales-complaint.eml" | head -1)
redressd_once
check_eq "the run exits 0" "$rc" 0
check_eq "every message is recorded" \
    "$(q "SELECT COUNT(*) FROM message WHERE direction = 'in'")" 8
check_eq "London's first batch of 3, then the Welsh message, then the rest" \
    "$(q "SELECT group_concat(area, ' ') FROM (SELECT area FROM message WHERE direction = 'in' ORDER BY id)")" \
    "LON LON LON WAL LON LON LON LON"
pos() { order | grep -n -F "$1" | head -1 | cut -d: -f1; }
check "the Welsh acknowledgement reached the SMTP server before London's last" \
    test "$(pos "$walfrom")" -lt "$(pos p7@example.org)"
check_eq "each sender is acknowledged once" \
    "$(for a in p1 p2 p3 p4 p5 p6 p7; do sent_to $a@example.org; done | tr -d '\n')$(sent_to "$walfrom")" \
    "11111111"
check_eq "London's INBOX is drained" "$(imap_count "$T/imap" lon INBOX)" 0

# --- loud: Wales cannot log in, London has nothing listening
printf 'wrong-password' >"$T/wal-wrong.pass"
chmod 0600 "$T/wal-wrong.pass"
closed=$(smtp_sink_free_port)
good_conf=$(cat "$T/redress.conf")
outage_conf() {	# outage_conf [london-only]
	redress_conf "operator_address = \"$OPS\"; imap_outage_notice = 600;"
	_wal="s|$T/imap/wal.pass|$T/wal-wrong.pass|"
	[ -z "${1:-}" ] || _wal=
	sed -e "$_wal" -e "0,/port = $DOVECOT_IMAP_PORT/s//port = $closed/" \
	    "$T/redress.conf" >"$T/redress.conf.new"
	mv "$T/redress.conf.new" "$T/redress.conf"
}
outage_conf
check "London points at a closed port, Wales at a wrong password" \
    sh -c "grep -q 'port = $closed' '$T/redress.conf' && grep -q wal-wrong.pass '$T/redress.conf'"
# counts ADDR... TEXT: for each ADDR, the mails to it whose subject has
# TEXT (one listing of the SMTP server for all of them)
counts() {
	_text=$1
	shift
	_list=$($MAILREAD "$T/smtp/mail")
	for _a in "$@"; do
		printf '%s\n' "$_list" | awk -F '\t' -v a="$_a" -v t="$_text" \
		    'index("," $2 ",", "," a ",") && index($3, t) { n++ }
		    END { printf "%d ", n }'
	done
}
# Notices that London's and Wales's mailboxes cannot be read (down) or
# can be read again (up), to the operator, then each Area's coordinator.
down() {
	printf '%s%s\n' \
	    "$(counts "London complaints mailbox cannot be read" $OPS lon.coord@cps.example.gov.uk)" \
	    "$(counts "Wales complaints mailbox cannot be read" $OPS wal.coord@cps.example.gov.uk)"
}
up() {
	printf '%s%s\n' \
	    "$(counts "London complaints mailbox can be read again" $OPS lon.coord@cps.example.gov.uk)" \
	    "$(counts "Wales complaints mailbox can be read again" $OPS wal.coord@cps.example.gov.uk)"
}
redressd_once REDRESS_NOW=2026-11-23T11:00:00Z
check_eq "a run that cannot read the mailboxes exits 1" "$rc" 1
check_eq "a fresh outage is not reported yet" "$(down)" "0 0 0 0 "
redressd_once REDRESS_NOW=2026-11-23T11:09:59Z
check_eq "nor a second before imap_outage_notice (600 seconds)" "$(down)" \
    "0 0 0 0 "
redressd_once REDRESS_NOW=2026-11-23T11:10:00Z
check_eq "after 10 minutes each Area's coordinators and the operator are told" \
    "$(down)" "1 1 1 1 "
redressd_once REDRESS_NOW=2026-11-23T12:00:00Z
check_eq "once only, however many runs follow" "$(down)" "1 1 1 1 "
check_eq "and nothing about recovery yet" "$(up)" "0 0 0 0 "
f=$(sent_file $OPS 1)
t=$(mail_text "$f")
check "the notice says why and since when" \
    grep -q -e "Connection refused\|connection refused\|refused\|login\|LOGIN\|authentication\|AUTHENTICATIONFAILED" "$t"
check "and names the time it started" grep -q "2026-11-23 11:00 UTC" "$t"

# Mail that arrived meanwhile waits; both mailboxes come back.
imap_mail "Late Person <late@example.org>" \
    london.complaints@cps.example.gov.uk "Trial moved late" "" "$BODY"
printf '%s\n' "$good_conf" >"$T/redress.conf"
redress_conf "operator_address = \"$OPS\"; imap_outage_notice = 600;"
redressd_once REDRESS_NOW=2026-11-23T12:30:00Z
check_eq "the run after recovery exits 0" "$rc" 0
check_eq "recovery is reported once per Area, to coordinators and operator" \
    "$(up)" "1 1 1 1 "
check_eq "the mail that waited is acknowledged" "$(sent_to late@example.org)" 1
redressd_once REDRESS_NOW=2026-11-23T12:40:00Z
check_eq "and not again" "$(up) $(down)" "1 1 1 1  1 1 1 1 "
check_eq "no outage is left recorded" "$(q "SELECT COUNT(*) FROM area_outage")" 0

# A short blip, over before imap_outage_notice, tells nobody.
outage_conf london-only
redressd_once REDRESS_NOW=2026-11-23T13:00:00Z
redress_conf "operator_address = \"$OPS\"; imap_outage_notice = 600;"
redressd_once REDRESS_NOW=2026-11-23T13:05:00Z
check_eq "a short outage is neither reported nor its end" "$(up) $(down)" \
    "1 1 1 1  1 1 1 1 "

done_testing
