#!/bin/sh
# Delivery through a real Postfix: per-recipient results are recorded; a
# permanent refusal is recorded and the coordinators told; a temporary one
# is retried with backoff; STARTTLS to the relay is verified.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
why=$(smtp_relay_usable) || skip_all "$why"
redress_setup delivery
smtp_relay_start "$T/relay" "$SMTP_SINK_PORT" >"$T/relay.log" 2>&1 || {
	cat "$T/relay.log" >&2
	echo "Bail out! Postfix did not start"
	exit 1
}
trap 'smtp_relay_stop "$T/relay"; redress_cleanup' EXIT
sed -i "s|^smtp = .*|smtp = { host = \"localhost\"; port = $SMTP_RELAY_PORT; tls = \"starttls\"; ca_file = \"$T/relay/ca.crt\";|" "$T/redress.conf"
check "the configuration with a STARTTLS relay is valid" rcli check-config

mail() {	# mail FROM MSGID: a small complaint from FROM
	f=$T/$2.eml
	printf 'From: %s\r\nTo: london.complaints@cps.example.gov.uk\r\nSubject: Complaint\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\nMessage-ID: <%s@example.org>\r\n\r\nI want to complain: nobody told me the hearing on 2 November 2026 was cancelled.\r\n' "$1" "$2" >"$f"
	imap_append "$T/imap" lon "$f"
}

mail "Una Known <una@example.org>" ok-1
redressd_once
check_eq "redressd exits 0" "$rc" 0
check "the acknowledgement reaches the sink through the relay" \
    smtp_sink_wait "$T/smtp" 2
check "over TLS (the relay says so in its Received header)" \
    sh -c "grep -l 'una@example.org' '$T'/smtp/mail/* | xargs grep -l 'using TLS'"

mail "Nobody <unknown@example.org>" perm-1
redressd_once
state() {
	sqlite3 "$T/redress.db" "SELECT r.state || ' ' || COALESCE(r.code, '') FROM outbox_rcpt r JOIN outbox o ON o.id = r.outbox WHERE r.address = '$1' AND o.template LIKE 'acknowledgement%'"
}
check_eq "a 550 is recorded as a permanent failure with its code" \
    "$(state unknown@example.org)" "failed 550"
check_eq "the case shows it" \
    "$(rcli case show LON-2026-00002 --json | python3 -c '
import json, sys
c = json.load(sys.stdin)
print([o["recipient_state"] for o in c["outbox"] if o["template"] == "acknowledgement"][0])')" \
    failed
smtp_sink_wait "$T/smtp" 5
check "the coordinators are told of the failure" \
    sh -c "for f in \$($MAILREAD '$T/smtp/mail' --to lon.coord@cps.example.gov.uk | cut -f1); do $MAILREAD '$T/smtp/mail/'\$f --text; done | grep -F 'could not deliver an email'"

mail "Busy Person <busy@example.org>" temp-1
redressd_once
check_eq "a 450 is recorded as temporary" "$(state busy@example.org)" "tempfail 450"
check_eq "and the message stays queued for a retry" \
    "$(sqlite3 "$T/redress.db" "SELECT state || ' ' || attempts || ' ' || (next_attempt - created_at) FROM outbox WHERE id = (SELECT outbox FROM outbox_rcpt WHERE address = 'busy@example.org')")" \
    "queued 1 60"
redressd_once REDRESS_NOW=2026-11-23T10:00:30Z
check_eq "it is not retried before its time" \
    "$(sqlite3 "$T/redress.db" "SELECT attempts FROM outbox WHERE id = (SELECT outbox FROM outbox_rcpt WHERE address = 'busy@example.org')")" 1
redressd_once REDRESS_NOW=2026-11-23T10:01:30Z
check_eq "it is retried after the backoff, with a longer one next" \
    "$(sqlite3 "$T/redress.db" "SELECT attempts || ' ' || (next_attempt - strftime('%s', '2026-11-23T10:01:30Z')) FROM outbox WHERE id = (SELECT outbox FROM outbox_rcpt WHERE address = 'busy@example.org')")" \
    "2 300"

check "the log names no recipient, though the relay's replies quote them" \
    sh -c "! grep -E 'unknown@example.org|busy@example.org' '$T/redressd.log'"

# A relay whose certificate we do not trust is refused, not used in clear.
sed -i "s|ca_file = \"$T/relay/ca.crt\"|ca_file = \"$T/relay/untrusted.crt\"|" "$T/redress.conf"
mail "Vera Known <vera@example.org>" ok-2
: >"$T/redressd.log"
redressd_once
check_eq "an untrusted relay certificate fails the run" "$rc" 1
check "saying the certificate is not trusted and what to do" \
    grep -E "outbox: .*(certificate|trusted).*" "$T/redressd.log"
check_eq "the acknowledgement stays queued" \
    "$(sqlite3 "$T/redress.db" "SELECT state FROM outbox WHERE id = (SELECT outbox FROM outbox_rcpt WHERE address = 'vera@example.org')")" queued

done_testing
