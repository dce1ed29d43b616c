#!/bin/sh
# Issue 8, items 6 and 7 (relay): a relay that cannot be reached is an
# attempt with backoff, each one recorded, not a warning every round; in
# the end a give-up and one delivery-failure notice. The outage is told
# once, after smtp.outage_notice seconds (default 900), to every Area's
# coordinators and the operator, and again when the relay is back; the
# notices wait in the outbox meanwhile and everything queued goes then.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup outbox-relay

db() { sqlite3 "$T/redress.db" "$@"; }
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
ack() { db "SELECT $1 FROM outbox WHERE template = 'acknowledgement'"; }

sink=$SMTP_SINK_PORT
closed=$(smtp_sink_free_port)
ops='operator_address = "ops@cps.example.gov.uk";'
SMTP_SINK_PORT=$closed redress_conf "$ops"

imap_mail "Ada Lovelace <ada@example.org>" \
    london.complaints@cps.example.gov.uk "Complaint" "" \
    "I want to complain about the service I got."
t0=$(date -u -d "$REDRESS_NOW" +%s)
: >"$T/redressd.log"
redressd_at "$(iso "$t0")"
check_eq "relay down: the run says so in its exit status" "$rc" 1
check_eq "the case is opened all the same" \
    "$(db "SELECT count(*) FROM cases")" 1
check_eq "the acknowledgement's attempt is recorded" "$(ack attempts)" 1
check_eq "and it is queued again after the first backoff (60 s)" \
    "$(( $(ack next_attempt) - t0 ))" 60
check_eq "one log line about the relay for the run, not one a row" \
    "$(grep -c "cannot connect to 127.0.0.1:$closed" "$T/redressd.log")" 1
check_eq "no outage notice before smtp.outage_notice" \
    "$(db "SELECT count(*) FROM outbox WHERE template = 'relay-outage-notice'")" 0

# Each run at the acknowledgement's next attempt: backoff grows, each
# attempt is recorded, and after the schedule (12 retries) it gives up.
prev=60
n=1
grew=yes
while [ "$(ack state)" = queued ] && [ $n -lt 20 ]; do
	at=$(ack next_attempt)
	redressd_at "$(iso "$at")"
	n=$((n + 1))
	[ "$(ack attempts)" -eq $n ] || grew="no: attempt $n recorded as $(ack attempts)"
	if [ "$(ack state)" = queued ]; then
		gap=$(( $(ack next_attempt) - at ))
		[ $gap -ge $prev ] || grew="no: backoff $gap after $prev"
		prev=$gap
	fi
	if [ $n -eq 4 ]; then
		check_eq "after 1260 s down the outage is told: one notice per Area, the operator once" \
		    "$(db "SELECT group_concat(r.address, ' ') FROM (SELECT r.address FROM outbox o JOIN outbox_rcpt r ON r.outbox = o.id WHERE o.template = 'relay-outage-notice' ORDER BY r.address) r")" \
		    "lon.coord@cps.example.gov.uk ops@cps.example.gov.uk wal.coord@cps.example.gov.uk"
		check_eq "it is recorded with the outage" \
		    "$(db "SELECT count(*) FROM relay_outage WHERE noticed_at IS NOT NULL AND ended_at IS NULL")" 1
		check_eq "and logged once" \
		    "$(grep -c "SMTP relay has been unusable since" "$T/redressd.log")" 1
	fi
done
check_eq "every attempt recorded, the backoff never shrinking" "$grew" yes
check_eq "the acknowledgement is given up after 13 attempts" \
    "$(ack "state || ' ' || attempts")" "failed 13"
check "its row says why" sh -c "sqlite3 '$T/redress.db' \"SELECT last_error FROM outbox WHERE template = 'acknowledgement'\" | grep -q 'gave up after 13 attempts: .*cannot connect'"
check_eq "one delivery-failure notice, to the coordinators" \
    "$(db "SELECT group_concat(r.address) FROM outbox o JOIN outbox_rcpt r ON r.outbox = o.id WHERE o.template = 'delivery-failure-notice'")" \
    "lon.coord@cps.example.gov.uk"
check_eq "the outage was told once in all" \
    "$(grep -c "SMTP relay has been unusable since" "$T/redressd.log")" 1
check_eq "nothing reached the relay's port meanwhile" "$(smtp_sink_count "$T/smtp")" 0

# The relay is back: the outage ends, is told, and everything queued goes.
SMTP_SINK_PORT=$sink redress_conf "$ops"
last=$(ack next_attempt)
redressd_at "$(iso $((last + 120)))"
check_eq "relay back: the run exits 0" "$rc" 0
check_eq "the outage is recorded as ended" \
    "$(db "SELECT count(*) FROM relay_outage WHERE ended_at IS NOT NULL")" 1
check_eq "the operator heard of the outage and of its end, once each" \
    "$(sent_to ops@cps.example.gov.uk)" 2
check_eq "so did the Wales coordinators" \
    "$(sent_to wal.coord@cps.example.gov.uk)" 2
check_eq "the London coordinators also got the delivery-failure notice" \
    "$(sent_to lon.coord@cps.example.gov.uk)" 3
# Found by its subject: two mails in one second may be stored either way.
recovered=$($MAILREAD "$T/smtp/mail" --to ops@cps.example.gov.uk |
    grep -F "can send email again" | cut -f1 | head -n 1)
check "the recovery notice names the relay" grep -q "127.0.0.1:$sink" \
    "$(mail_text "$T/smtp/mail/$recovered")"
check_eq "the given-up acknowledgement is not sent" "$(sent_to ada@example.org)" 0
check_eq "nothing is left queued" \
    "$(db "SELECT count(*) FROM outbox WHERE state = 'queued'")" 0
redressd_at "$(iso $((last + 600)))"
check_eq "a further run sends nothing more (five mails in all)" \
    "$(smtp_sink_count "$T/smtp")" 5

done_testing
