#!/bin/sh
# Every valid address answered (issue 8, item 4), on real servers: a
# complaint from each RFC-valid form of address gets exactly one
# acknowledgement, with the address on the SMTP line as RFC 5321 writes
# it and in the To: header; an address that cannot be answered is
# recorded with a note ('no_reply_address') and no mail, and intake goes
# on with the next message instead of failing on it at every run.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup addresses
AREA=london.complaints@cps.example.gov.uk
BODY="Dear Sir or Madam,

I was a witness in a case at Southwark Crown Court. On 2 November 2026
the trial was moved and nobody from the Crown Prosecution Service told
me. I travelled there for nothing and lost a day's pay.

I would like this looked into as a complaint."

db() { sqlite3 "$T/redress.db" "$1"; }
# the case of message msg-N
case_of() {
	db "SELECT c.ref FROM message m JOIN cases c ON c.id = m.case_id
	    WHERE m.message_id = 'msg-$1@test.example'"
}
# events KIND N: how many KIND events the case of msg-N has
events() {
	db "SELECT count(*) FROM event WHERE kind = '$1' AND case_id =
	    (SELECT case_id FROM message WHERE message_id = 'msg-$2@test.example')"
}
# the envelope recipients (RCPT TO) of a stored mail, one a line
rcpts() { smtp_sink_envelope "$1" Rcpt-Args; }

# FROM-HEADER-ADDRESS  RCPT-TO (as RFC 5321 writes it)
cat >"$T/forms" <<'EOF'
"a b"@example.org	"a b"@example.org
"a\"b"@example.org	"a\"b"@example.org
user@[127.0.0.1]	user@[127.0.0.1]
user@[IPv6:::1]	user@[IPv6:::1]
user+tag@example.org	user+tag@example.org
o'brien@example.org	o'brien@example.org
jose@exämple.org	jose@xn--exmple-cua.org
Ada@Example.ORG	Ada@example.org
EOF
# One complaint from each form; between them one from nobody who can be
# answered, and one from a UTF-8 local part, which smtp-sink (no SMTPUTF8)
# cannot carry.
forms=$(wc -l <"$T/forms")
while IFS='	' read -r from rcpt; do
	imap_mail "Pat Example <$from>" "$AREA" "Complaint $n" "" "$BODY"
done <"$T/forms"
imap_mail "undisclosed-recipients:;" "$AREA" "Complaint from a group" "" "$BODY"
group=$n
imap_mail "José Example <josé@exämple.org>" "$AREA" "Complaint UTF-8" "" "$BODY"
utf8=$n
imap_mail "" "$AREA" "Complaint from no one" "" "$BODY"
nobody=$n
imap_mail "Pat Example <pat@exa_mple.org>" "$AREA" "Complaint from a bad domain" "" "$BODY"
baddomain=$n
imap_mail "Bea Example <bea@example.org>" "$AREA" "Complaint after them" "" "$BODY"
after=$n

redressd_at 2026-11-23T10:00:00Z
check_eq "redressd processes them all and exits 0" "$rc" 0
check_eq "every message is recorded" \
    "$(db "SELECT count(*) FROM message WHERE direction = 'in'")" "$n"
check_eq "and the INBOX is empty" "$(imap_count "$T/imap" lon INBOX)" 0

i=0
while IFS='	' read -r from rcpt; do
	i=$((i + 1))
	check_eq "$from: one acknowledgement" "$(sent_to "$rcpt")" 1
	f=$(sent_file "$rcpt")
	[ -n "$f" ] || f=/dev/null
	check_eq "$from: RCPT TO:<$rcpt>" "$(rcpts "$f")" "<$rcpt>"
	check_eq "$from: To: header" "$(mail_header "$f" To)" \
	    "Pat Example <$rcpt>"
	check_eq "$from: the case is acknowledged, nothing noted" \
	    "$(events no_reply_address $i)" 0
done <"$T/forms"

check "the message from a group is a case" test -n "$(case_of $group)"
check_eq "noted: no reply address" "$(events no_reply_address $group)" 1
check_eq "no acknowledgement was queued for it" \
    "$(events queued $group)" 1	# the coordinators' notice only

check "the message from josé@exämple.org is a case" test -n "$(case_of $utf8)"
check_eq "nothing reached the SMTP server for it (only jose@ did, of that domain)" \
    "$($MAILREAD "$T/smtp/mail" | cut -f2 | grep -c '@xn--exmple-cua\.org')" 1
check_eq "noted: no reply address (the relay lacks SMTPUTF8)" \
    "$(events no_reply_address $utf8)" 1

check "the message with an empty From is a case" test -n "$(case_of $nobody)"
check_eq "noted: no reply address" "$(events no_reply_address $nobody)" 1
check "the message from a domain that is no host name is a case" \
    test -n "$(case_of $baddomain)"
check_eq "noted: no reply address, saying why" \
    "$(db "SELECT detail FROM event WHERE kind = 'no_reply_address' AND
        case_id = (SELECT case_id FROM message WHERE message_id =
        'msg-$baddomain@test.example')")" \
    "not answered: the reply address cannot be written in a reply (the domain is not a host name)"
check_eq "and nothing was sent to it" "$(sent_to pat@exa_mple.org)" 0

check_eq "intake went on: the complaint after them is acknowledged" \
    "$(sent_to bea@example.org)" 1
check "and is a case" test -n "$(case_of $after)"

# A second run finds nothing to do and sends nothing again.
total=$(smtp_sink_count "$T/smtp")
redressd_at 2026-11-23T10:30:00Z
check_eq "a second run exits 0" "$rc" 0
check_eq "and sends nothing more" "$(smtp_sink_count "$T/smtp")" "$total"

# --- a letter later on: the case's address (its From) cannot be written,
# though the acknowledgement went to a good Reply-To. The letter is noted
# as not sent; the staff command still counts.
imap_mail "Pat Example <pat@[300.1.1.1]>" "$AREA" "Complaint with a Reply-To" "" \
    "$BODY" "Reply-To: Pat Example <pat@example.org>"
pat=$n
redressd_at 2026-11-23T10:40:00Z
check_eq "a bad From with a good Reply-To: acknowledged at the Reply-To" \
    "$(sent_to pat@example.org)" 1
ref=$(case_of $pat)
notice=$($MAILREAD "$T/smtp/mail" --to lon.coord@cps.example.gov.uk |
    grep -F "[$ref]" | head -n 1 | cut -f1)
token=$(mail_header "$T/smtp/mail/$notice" Reply-To | sed 's/.*<\(.*\)>.*/\1/')
imap_mail "Lon Coordinator <lon.coord@cps.example.gov.uk>" "$token" "Re: [$ref]" "" \
    "#holding 10 we are waiting for the file"
redressd_at 2026-11-23T10:50:00Z
check_eq "a holding letter to that case: redressd exits 0" "$rc" 0
check_eq "the command is recorded, the deadline moved" \
    "$(db "SELECT count(*) FROM event WHERE kind = 'holding_letter' AND case_id =
        (SELECT id FROM cases WHERE ref = '$ref')")" 1
check_eq "the letter is noted as not sent: no reply address" \
    "$(events no_reply_address $pat)" 1
check_eq "and nothing more went to the Reply-To" "$(sent_to pat@example.org)" 1

# --- a relay that offers SMTPUTF8 (a real Postfix in front of smtp-sink)
# carries a UTF-8 local part: the acknowledgement is accepted for it.
if ! why=$(smtp_relay_usable); then
	for i in 1 2 3; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP $why"
	done
	done_testing
	exit
fi
trap 'smtp_relay_stop "$T/relay"; redress_cleanup' EXIT
smtp_relay_start "$T/relay" "$SMTP_SINK_PORT" || {
	echo "Bail out! cannot start Postfix (see above)"
	exit 1
}
SMTP_SINK_PORT=$SMTP_RELAY_PORT redress_conf
imap_mail "Zoë Example <zoë@exämple.org>" "$AREA" "Complaint UTF-8 again" "" "$BODY"
zoe=$n
redressd_at 2026-11-23T11:00:00Z
check_eq "through a relay with SMTPUTF8: redressd exits 0" "$rc" 0
check_eq "the relay accepted the acknowledgement for zoë@exämple.org" \
    "$(db "SELECT r.address || ' ' || r.state || ' ' || r.code FROM outbox_rcpt r
        JOIN outbox o ON o.id = r.outbox WHERE o.template = 'acknowledgement'
        AND o.case_id = (SELECT case_id FROM message WHERE message_id =
        'msg-$zoe@test.example')")" "zoë@exämple.org sent 250"
check_eq "and nothing is noted" "$(events no_reply_address $zoe)" 0
done_testing
