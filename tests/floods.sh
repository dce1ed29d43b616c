#!/bin/sh
# Floods and loops on real servers (Dovecot, smtp-sink), measured by the
# mail that reached the SMTP server: one address spelled fifty ways is one
# address; a flood through Reply-To reaches its victim at most
# limits.auto_replies_per_day times a day, whatever the kind; an
# autoresponder that answers our answers stops being answered; and
# List-Unsubscribe or a null Return-Path is machine mail, never answered.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup floods
AREA=london.complaints@cps.example.gov.uk
COORD=lon.coord@cps.example.gov.uk
COMPLAINT="I want to complain about how the CPS handled my case. Nobody told
me the hearing had been moved and I missed it."
# Text that asks for the redirect reply (a complaint about the police,
# which the learned model takes for one at 0.98): the responder below
# sends it back every time.
REDIRECT="This is about the police. The officer who took my statement was
rude and the police lost my evidence. I want to complain about the
police officers."

# Delivery straight into the Maildir, as a local delivery agent does it:
# doveadm takes half a second a message, and this test sends eighty.
imap_append() {
	[ "${4:-INBOX}" = INBOX ] || { echo "Bail out! INBOX only"; exit 1; }
	_md=$1/mail/$2/Maildir
	_own=$(stat -c %u:%g "$1/mail/$2")
	_name=$(date +%s).floods$n.localhost
	mkdir -p "$_md/tmp" "$_md/new" "$_md/cur"
	cp "$3" "$_md/tmp/$_name" && mv "$_md/tmp/$_name" "$_md/new/$_name"
	chown "$_own" "$_md" "$_md/tmp" "$_md/new" "$_md/cur" \
	    "$_md/new/$_name"
}

# The Message-ID of a stored mail (ours are plain ASCII, on one line).
msgid() { sed -n 's/^Message-ID: *//ip' "$1" | head -1 | tr -d '\r'; }

sql() { sqlite3 "$T/redress.db" "$1"; }
events() { sql "SELECT count(*) FROM event WHERE kind = '$1'"; }

# spell ADDR I: the Ith way of writing ADDR in upper and lower case.
spell() {
	awk -v a="$1" -v i="$2" 'BEGIN {
		for (k = 0; k < length(a); k++) {
			c = substr(a, k + 1, 1)
			if (int(i / 2 ^ (k % 12)) % 2)
				c = toupper(c)
			printf "%s", c
		}
		print ""
	}'
}

# --- 1: fifty spellings of one address, named in Reply-To of fifty
# complaints from fifty senders, with ack_rate_limit 1: one
# acknowledgement, not fifty.
redress_conf "ack_rate_limit = 1;"
VICTIM=victim@example.net
i=1
while [ $i -le 50 ]; do
	imap_mail "Sender $i <sender$i@flood.example>" "$AREA" \
	    "My complaint $i" "" "$COMPLAINT" "Reply-To: $(spell $VICTIM $i)"
	i=$((i + 1))
done
check_eq "fifty spellings are fifty different ways to write it" \
    "$(for i in $(seq 1 50); do spell $VICTIM $i; done | sort -u | wc -l)" 50
redressd_at 2026-11-23T10:00:00Z
check_eq "redressd ran" "$rc" 0
check_eq "fifty complaints opened fifty cases" "$(sql "SELECT count(*) FROM cases")" 50
check_eq "the address they all name is acknowledged once" "$(sent_to $VICTIM)" 1
check_eq "the other forty-nine are rate-limited" \
    "$(sql "SELECT count(*) FROM event WHERE kind = 'not_answered' AND detail LIKE 'rate limit%'")" 49

# --- 2: a flood through Reply-To over hours, half complaints and half
# redirects: limits.auto_replies_per_day (10) caps it whatever the kind.
redress_conf "ack_rate_limit = 100; limits = { auto_replies_per_day = 10; };"
TARGET=Target@Example.COM
i=1
while [ $i -le 12 ]; do
	if [ $((i % 2)) -eq 0 ]; then body=$COMPLAINT; else body=$REDIRECT; fi
	imap_mail "Other $i <other$i@flood.example>" "$AREA" "Message $i" "" \
	    "$body" "Reply-To: $(spell target@example.com $i)"
	i=$((i + 1))
done
redressd_at 2026-11-23T12:00:00Z
check_eq "twelve automatic mails to one address in a day: ten are sent" \
    "$(sent_to $TARGET)" 10
check "of both kinds" test "$(sql "SELECT count(DISTINCT o.template) FROM
    outbox o JOIN outbox_rcpt r ON r.outbox = o.id WHERE
    lower(r.address) = 'target@example.com'")" -eq 2
check_eq "the other two are recorded as capped" "$(events auto_reply_capped)" 2
imap_mail "Other 13 <other13@flood.example>" "$AREA" "Message 13" "" \
    "$COMPLAINT" "Reply-To: $TARGET"
redressd_at 2026-11-23T23:30:00Z
check_eq "still capped late in the day" "$(sent_to $TARGET)" 10
imap_mail "Other 14 <other14@flood.example>" "$AREA" "Message 14" "" \
    "$COMPLAINT" "Reply-To: $TARGET"
# 00:30 on the 24th in London (GMT in November).
redressd_at 2026-11-24T00:30:00Z
check_eq "the next day the address is answered again" "$(sent_to $TARGET)" 11

# --- 3: an autoresponder that answers our every answer with stock
# redirect text, quoting ours. The third echo within a week is a
# machine's: the loop ends, and the coordinators hear nothing of it.
redress_conf
DESK=desk@council.example
coord0=$(sent_to $COORD)
imap_mail "Helpdesk <$DESK>" "$AREA" "Enquiry" "" "$REDIRECT"
redressd_at 2026-11-25T09:00:00Z
check_eq "the first message is answered" "$(sent_to $DESK)" 1
round=1
while [ $round -le 4 ]; do
	last=$(sent_file $DESK)
	quoted=$($MAILREAD "$last" --text | sed 's/^/> /')
	imap_mail "Helpdesk <$DESK>" "$AREA" "Re: Enquiry" "$(msgid "$last")" \
	    "$REDIRECT

On 25 Nov 2026, CPS London wrote:
$quoted"
	redressd_at "2026-11-25T1$round:00:00Z"
	round=$((round + 1))
done
check_eq "two echoes are answered, the third is not: three mails in all" \
    "$(sent_to $DESK)" 3
check_eq "the third echo and the one after it are taken for a loop" \
    "$(events mail_loop)" 2
check_eq "as machine mail" "$(sql "SELECT count(*) FROM event WHERE kind = 'machine_mail' AND message IN (SELECT message FROM event WHERE kind = 'mail_loop')")" 2
check_eq "the coordinators are not told of each echo" \
    "$(sent_to $COORD)" "$coord0"

# A person who answers our redirect with words of their own is answered.
PERSON=person@example.org
imap_mail "Pat Person <$PERSON>" "$AREA" "Police" "" "$REDIRECT"
redressd_at 2026-11-26T09:00:00Z
for h in 10 11 12; do
	last=$(sent_file $PERSON)
	imap_mail "Pat Person <$PERSON>" "$AREA" "Re: police" \
	    "$(msgid "$last")" "I understand that you cannot deal
with complaints about the police, but the officer told me that the CPS decided
not to charge the man who attacked my son, and nobody has explained why to us
or given us a letter. Who at the police should I contact about this?"
	redressd_at "2026-11-26T$h:00:00Z"
done
# Their answer is a complaint of its own (the model reads it so): it opens
# a case, is acknowledged, and what follows joins that case.
check "a person's real answers are answered, not taken for echoes" \
    test "$(sent_to $PERSON)" -ge 2
check_eq "and none of them is taken for a loop" "$(events mail_loop)" 2

# --- 4: machine signals in the header, with a person-like subject and body.
imap_mail "News <news@shop.example>" "$AREA" "My complaint about my case" "" \
    "$COMPLAINT" "List-Unsubscribe: <mailto:unsub@shop.example>"
imap_mail "Robot <robot@auto.example>" "$AREA" "About my complaint" "" \
    "$COMPLAINT" "Return-Path: <>"
cases0=$(sql "SELECT count(*) FROM cases")
redressd_at 2026-11-27T10:00:00Z
check_eq "List-Unsubscribe is not answered" "$(sent_to news@shop.example)" 0
check_eq "nor is a null Return-Path" "$(sent_to robot@auto.example)" 0
check_eq "neither opens a case" "$(sql "SELECT count(*) FROM cases")" "$cases0"

done_testing
