#!/bin/sh
# Issue 8, item 6: the outbox cannot send twice. redressd is killed with
# SIGKILL at each step of the SMTP dialogue (REDRESS_CRASH_AT, the sender's
# named points in daemon/outbox.c), started again, and the mails that
# reached smtp-sink are counted: exactly one everywhere but where the
# relay had the final dot and redress had not recorded the answer, the one
# window left, where two are allowed and reported. Then a database that
# refuses the attempt's record (as a full disk would): nothing is sent.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup outbox-kill

db() { sqlite3 "$T/redress.db" "$@"; }

# copies MSGID: how many mails with this Message-ID smtp-sink holds
copies() {
	cat "$T"/smtp/mail/* 2>/dev/null | grep -cix "message-id: <$1>"
}

# all_ids: the Message-ID of every mail smtp-sink holds, one a line
all_ids() {
	cat "$T"/smtp/mail/* 2>/dev/null | grep -i "^message-id: " | tr A-Z a-z
}

# One complaint per step, from its own address; its acknowledgement is
# the first row the sender takes, so the one the kill hits.
i=0
table=
: >"$T/allowed"
for point in send-before-connect send-after-connect send-after-mail \
    send-after-rcpt send-after-data send-mid-data send-before-dot \
    send-after-dot send-after-reply send-after-record; do
	i=$((i + 1))
	who="kill$i@example.org"
	imap_mail "Person $i <$who>" london.complaints@cps.example.gov.uk \
	    "Complaint $i" "" "I want to complain about the service I got."
	last=0
	[ -f "$T/redress.db" ] && last=$(db "SELECT COALESCE(max(id), 0) FROM outbox")
	redressd_once REDRESS_CRASH_AT=$point
	check_eq "$point: redressd was killed by SIGKILL" "$rc" 137
	first=$(db "SELECT min(id) FROM outbox WHERE id > $last")
	ack=$(db "SELECT id FROM outbox WHERE template = 'acknowledgement' ORDER BY id DESC LIMIT 1")
	check_eq "$point: the acknowledgement is the row the kill hit" \
	    "$first" "$ack"
	msgid=$(db "SELECT message_id FROM outbox WHERE id = $ack")
	stage=$(db "SELECT COALESCE(stage, state) FROM outbox WHERE id = $ack")
	before=$(copies "$msgid")
	case $point in
	send-before-dot|send-after-dot|send-after-reply) want=data-sent ;;
	send-after-record) want=sent ;;
	*) want=sending ;;
	esac
	check_eq "$point: the row says how far the attempt got" "$stage" "$want"
	if [ $point = send-after-rcpt ]; then
		check_eq "$point: the relay's answer to RCPT is already recorded" \
		    "$(db "SELECT state || ' ' || code FROM outbox_rcpt WHERE outbox = $ack")" "queued 250"
	fi
	redressd_once
	check_eq "$point: the next run exits 0" "$rc" 0
	check_eq "$point: the acknowledgement is recorded as sent" \
	    "$(db "SELECT state || ' ' || COALESCE(stage, '-') FROM outbox WHERE id = $ack")" "sent -"
	got=$(copies "$msgid")
	diag "killed at $point (row left $stage, $before at the relay): $got delivered"
	table="$table$point=$got "
	case $point in
	send-after-dot|send-after-reply)
		# The relay has the whole message; redress has not recorded
		# its answer: the one window for a duplicate.
		check "$point: delivered once or twice (the window left)" \
		    test "$got" -ge 1 -a "$got" -le 2
		echo "message-id: <$msgid>" | tr A-Z a-z >>"$T/allowed"
		check_eq "$point: the row says it was sent again" \
		    "$(db "SELECT count(*) FROM event WHERE kind = 'delivery_repeated' AND case_id = (SELECT case_id FROM outbox WHERE id = $ack)")" 1
		;;
	*)
		check_eq "$point: delivered exactly once" "$got" 1
		;;
	esac
	check_eq "$point: no other mail went twice" \
	    "$(all_ids | sort | uniq -d | grep -vcFf "$T/allowed")" 0
done
diag "kill table: $table"
redressd_once
check_eq "a further run sends nothing more" \
    "$(db "SELECT count(*) FROM outbox WHERE state = 'queued'")" 0

# A database that refuses the attempt's record (disk full, locked): the
# trigger fails the UPDATE that starts an attempt, so nothing may go.
imap_mail "Person Full <full@example.org>" london.complaints@cps.example.gov.uk \
    "Complaint full" "" "I want to complain about the service I got."
db "CREATE TRIGGER full BEFORE UPDATE ON outbox BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;"
redressd_once
redressd_once
redressd_once
check_eq "unwritable outbox: three runs send nothing" "$(sent_to full@example.org)" 0
check "and say why" grep -q "database or disk is full" "$T/redressd.log"
check_eq "the runs exit 1" "$rc" 1
db "DROP TRIGGER full;"
redressd_once
check_eq "writable again: sent once" "$(sent_to full@example.org)" 1
check_eq "with one attempt recorded" \
    "$(db "SELECT attempts FROM outbox WHERE template = 'acknowledgement' ORDER BY id DESC LIMIT 1")" 1

done_testing
