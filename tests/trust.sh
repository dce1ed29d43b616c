#!/bin/sh
# Trust on real servers: only staff steer, and only through what redress
# issued to them; only parties move their case. Each attack is measured by
# what a user would see: the mail that reached the SMTP server for the
# complainant, and the case's state. And the legitimate paths still work:
# a coordinator and a handler through their own notices, DMARC=pass from
# the trusted server, the complainant through her own reply address.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup trust
# Two coordinators: each must get a notice, and a token, of their own.
sed 's/coordinators = \[ "lon.coord@cps.example.gov.uk" \]/coordinators = [ "lon.coord@cps.example.gov.uk", "lon.coord2@cps.example.gov.uk" ]/' \
    "$T/redress.conf" >"$T/redress.conf.new" && mv "$T/redress.conf.new" "$T/redress.conf"
D=$top_srcdir/tests/data/intake
ref=LON-2026-00001
ADA=ada@example.org
COORD="Lon Coordinator <lon.coord@cps.example.gov.uk>"
COORD2="Second Coordinator <lon.coord2@cps.example.gov.uk>"
HANDLER="Hal Handler <handler@cps.example.gov.uk>"
AREA=london.complaints@cps.example.gov.uk
TRUSTED="Authentication-Results: mx.cps.example.gov.uk; dmarc=pass header.from=cps.example.gov.uk"

# mail FROM TO SUBJECT BODY [HEADER...]: a message in the London INBOX
mail() {
	_from=$1 _to=$2 _subject=$3
	shift 3
	imap_mail "$_from" "$_to" "$_subject" "" "$@"
}
at() { redressd_at "$1"; }
state() {	# state [REF]: the state of case REF (default $ref)
	sqlite3 "$T/redress.db" "SELECT state FROM cases WHERE ref = '${1:-$ref}'"
}
token_of() {	# the reply address of a stored mail
	mail_header "$1" Reply-To | sed 's/.*<\(.*\)>.*/\1/'
}
count_subject() {	# count_subject ADDR TEXT: mails to ADDR whose subject has TEXT
	$MAILREAD "$T/smtp/mail" --to "$1" | cut -f3 | grep -c -F "$2"
}

# --- a complaint: one notice per coordinator, each with its own token
imap_append "$T/imap" lon "$D/plain-complaint.eml"
at 2026-11-23T10:00:00Z
check_eq "a complaint opens a case at stage 1" "$(state)" stage1_open
check_eq "the complainant is acknowledged" "$(sent_to $ADA)" 1
public=$(token_of "$(sent_file $ADA)")
check "her acknowledgement carries a public reply token" \
    sh -c "printf '%s' '$public' | grep -E '^london\.complaints\+$ref\.p[0-9a-f]{16}@cps\.example\.gov\.uk$'"
notice1=$(sent_file lon.coord@cps.example.gov.uk)
notice2=$(sent_file lon.coord2@cps.example.gov.uk)
tok1=$(token_of "$notice1")
tok2=$(token_of "$notice2")
check "each coordinator's notice carries a staff token" \
    sh -c "printf '%s\n%s\n' '$tok1' '$tok2' | grep -c -E '^london\.complaints\+$ref\.s[0-9a-f]{16}@' | grep -x 2"
check "and the two tokens differ" test "$tok1" != "$tok2"
check_eq "each coordinator's copy is addressed to them alone" \
    "$(mail_header "$notice2" To)" lon.coord2@cps.example.gov.uk

# --- finding 1: the complainant writes as the coordinator and decides her
# own complaint. Each attack is measured against what came before it.
refused0=$(count_subject lon.coord@cps.example.gov.uk "Commands refused")

# A forged trusted Authentication-Results below a foreign one.
letters=$(sent_to $ADA)
mail "$COORD" "$AREA" "Re: [$ref]" "#holding 5 forged delay" \
    "Authentication-Results: mx.evil.example; none" "$TRUSTED"
at 2026-11-23T10:30:00Z
check_eq "attack: a trusted-looking DMARC pass below a foreign header sends no holding letter" \
    "$(sent_to $ADA)" "$letters"
check_eq "attack: and the case is as it was" "$(state)" stage1_open

# A token of the first form (16 hex digits over the reference), as mail
# sent before this change carries: it threads but authenticates nobody.
letters=$(sent_to $ADA)
old=$(python3 -c 'import hmac, hashlib, sys
key = open(sys.argv[1], "rb").read().rstrip(b"\r\n")
print(hmac.new(key, b"redress reply token v1:" + sys.argv[2].encode(),
    hashlib.sha256).hexdigest()[:16])' "$T/secret" $ref)
mail "$COORD" "london.complaints+$ref.$old@cps.example.gov.uk" "Re: [$ref]" \
    "#holding 10 forged delay"
at 2026-11-23T10:40:00Z
check_eq "attack: a token of the first form with a coordinator's From sends no holding letter" \
    "$(sent_to $ADA)" "$letters"
check_eq "attack: and the case is as it was" "$(state)" stage1_open

# Her own reply address, from her acknowledgement.
letters=$(sent_to $ADA)
mail "$COORD" "$public" "Re: [$ref]" "#respond

Dear Ada Example,

I have looked into your complaint and I uphold it in full. We are very sorry. You will receive a payment of 5000 pounds.

Yours sincerely,
Lon Coordinator"
mail "$COORD" "$public" "Re: [$ref]" "#approve"
mail "$COORD" "$public" "Re: [$ref]" "#outcome upheld"
mail "$COORD" "$public" "Re: [$ref]" "#close"
at 2026-11-23T11:00:00Z
check_eq "attack: #respond, #approve, #outcome, #close through her public token write nothing to her" \
    "$(sent_to $ADA)" "$letters"
check_eq "attack: and the case stays open at stage 1" "$(state)" stage1_open
check_eq "the coordinators are told of each of the six attempts" \
    "$(count_subject lon.coord@cps.example.gov.uk "Commands refused")" $((refused0 + 6))
check "saying it was not authenticated" \
    grep -F 'not authenticated' "$(mail_text "$(sent_file lon.coord@cps.example.gov.uk)")"
check_eq "every attempt is recorded on the case: the old token still threads" \
    "$(sqlite3 "$T/redress.db" "SELECT count(*) FROM event WHERE kind = 'command_refused' AND case_id = (SELECT id FROM cases WHERE ref = '$ref')")" 6
check_eq "no outcome was set" \
    "$(sqlite3 "$T/redress.db" "SELECT count(*) FROM event WHERE kind = 'outcome' AND case_id = (SELECT id FROM cases WHERE ref = '$ref')")" 0

# --- the legitimate path: staff through their own notices
mail "$COORD" "$tok1" "Re: New case [$ref]" "#assign handler@cps.example.gov.uk

Hal, please take this one."
at 2026-11-23T12:00:00Z
check_eq "the coordinator's #assign through their own token assigns the case" \
    "$(sqlite3 "$T/redress.db" "SELECT handler FROM cases WHERE ref = '$ref'")" \
    handler@cps.example.gov.uk
assigned=$(sent_file handler@cps.example.gov.uk)
htok=$(token_of "$assigned")
check "the handler is told, with a staff token of their own" \
    sh -c "printf '%s' '$htok' | grep -E '\.s[0-9a-f]{16}@' && [ '$htok' != '$tok1' ]"
mail "$HANDLER" "$tok1" "Re: [$ref]" "#note borrowed token"
mail "$HANDLER" "$htok" "Re: [$ref]" "#respond

Dear Ada Example,

Thank you for your complaint about the trial that moved on 2 November 2026. I am sorry that nobody told you about the change. The witness care unit did not send you the new date, and that was our mistake.

I have upheld your complaint. We have changed how the unit checks that every witness is told when a trial moves.

Yours sincerely,
Hal Handler"
at 2026-11-24T09:00:00Z
check_eq "the coordinator's token does not authenticate the handler" \
    "$(sqlite3 "$T/redress.db" "SELECT count(*) FROM event WHERE kind = 'note'")" 0
check_eq "the handler's #respond through their own token makes a draft" \
    "$(state)" stage1_draft
mail "$COORD" "$AREA" "Note [$ref]" "#note called the witness care unit" "$TRUSTED"
mail "$COORD2" "$tok2" "Re: [$ref]" "#approve"
at 2026-11-24T10:00:00Z
check_eq "a DMARC pass in the trusted server's topmost header authenticates" \
    "$(sqlite3 "$T/redress.db" "SELECT count(*) FROM event WHERE kind = 'note'")" 1
check_eq "the second coordinator's #approve through their own token answers the case" \
    "$(state)" stage1_answered
check_eq "the complainant receives the approved letter" "$(sent_to $ADA)" 2
check "it is the handler's text, not the forged one" \
    sh -c "grep -F 'witness care unit' '$(mail_text "$(sent_file $ADA)")' && ! grep -F '5000' '$(mail_text "$(sent_file $ADA)")'"

# --- finding 2: a stranger moves someone else's case. A case of its own,
# answered at stage 1 with DMARC-authenticated staff mail.
bref=LON-2026-00002
BEA=bea@example.org
mail "Bea Example <$BEA>" "$AREA" "Complaint about my case" \
    "I want to complain. Nobody told me that the hearing on 2 November 2026 was moved, and I lost a day's pay waiting at court."
at 2026-11-24T11:00:00Z
mail "$HANDLER" "$AREA" "Re: [$bref]" "#respond

Dear Bea Example,

Thank you for your complaint about the hearing that moved on 2 November 2026. I am sorry that nobody told you. The witness care unit did not send you the new date, and that was our mistake. I have upheld your complaint.

Yours sincerely,
Hal Handler" "$TRUSTED"
at 2026-11-24T12:00:00Z
mail "$COORD" "$AREA" "Re: [$bref]" "#approve" "$TRUSTED"
at 2026-11-24T13:00:00Z
check_eq "a second case is answered at stage 1" "$(state $bref)" stage1_answered
letters=$(sent_to $BEA)
mail "Someone <someone@evil.example>" "$AREA" "Re: [$bref]" \
    "I am not satisfied with your reply. I want my complaint to go to stage 2."
at 2026-11-25T09:00:00Z
check_eq "attack: a stranger quoting the reference does not open stage 2" \
    "$(state $bref)" stage1_answered
check_eq "attack: and nothing is written to the complainant" \
    "$(sent_to $BEA)" "$letters"
check_eq "nor to the stranger" "$(sent_to someone@evil.example)" 0
check_eq "the message is kept with the case" \
    "$(sqlite3 "$T/redress.db" "SELECT count(*) FROM message m JOIN cases c ON c.id = m.case_id WHERE c.ref = '$bref' AND m.message_id = 'msg-$n@test.example'")" 1
nonparty=$(sent_file lon.coord@cps.example.gov.uk)
check "the coordinators are told a non-party asked for stage 2" \
    sh -c "$MAILREAD '$nonparty' --header Subject | grep -F 'someone not on case' &&
        grep -F 'asks for stage 2' '$(mail_text "$nonparty")' && grep -F 'someone@evil.example' '$(mail_text "$nonparty")'"
mail "Bea Example <BEA@Example.ORG>" "$AREA" "Re: [$bref]" \
    "I am not satisfied with your reply. I want my complaint to go to stage 2."
at 2026-11-25T10:00:00Z
check_eq "the complainant's own request, from her recorded address, opens stage 2" \
    "$(state $bref)" stage2_open
check_eq "and she is told when the stage 2 reply is due" \
    "$(sent_to $BEA)" $((letters + 1))

# --- the complainant herself, through her reply address, from another
# address of hers
mail "Ada Example <ada.at.work@example.net>" "$public" "Re: [$ref]" \
    "I am not satisfied with your reply. I want my complaint to go to stage 2."
at 2026-11-26T09:00:00Z
check_eq "the complainant's request through her public token, from another address, opens stage 2" \
    "$(state)" stage2_open
check_eq "and she is told, at her recorded address, when the reply is due" \
    "$(sent_to $ADA)" 3

done_testing
