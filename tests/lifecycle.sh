#!/bin/sh
# Whole cases on real servers, the clock set by REDRESS_NOW: received ->
# acknowledged -> #assign -> #respond -> QA -> #approve -> answered ->
# escalated -> stage 2 -> IAC referral; authority missing, then received;
# staff without authentication refused, each steering through the token
# of their own notice; a reply with its subject stripped still threads;
# deadlines across Christmas and substitute bank holidays; reminders
# before and after a due date.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup lifecycle
D=$top_srcdir/tests/data/intake
redress_conf 'iac_address = "iac@assessor.example.gov.uk";'

mail() { imap_mail "$@"; }
at() { redressd_at "$1"; }
state() {
	sqlite3 "$T/redress.db" "SELECT state FROM cases WHERE ref = '$1'"
}
last_to() {	# the newest message for ADDR
	sent_file "$1"
}
hdr() { mail_header "$@"; }
last_about() {	# the newest mail to the coordinators about case REF
	echo "$T/smtp/mail/$($MAILREAD "$T/smtp/mail" --to lon.coord@cps.example.gov.uk |
	    grep -F "[$1]" | tail -n 1 | cut -f1)"
}
txt() { mail_text "$1"; }

COORD="Lon Coordinator <lon.coord@cps.example.gov.uk>"
HANDLER="Hal Handler <handler@cps.example.gov.uk>"

# --- received and acknowledged
imap_append "$T/imap" lon "$D/plain-complaint.eml"
at 2026-11-23T10:00:00Z
ref=LON-2026-00001
check_eq "a complaint opens a case at stage 1" "$(state $ref)" stage1_open
notice=$(last_to lon.coord@cps.example.gov.uk)
token=$(hdr "$notice" Reply-To | sed 's/.*<\(.*\)>.*/\1/')
check "the coordinators' notice carries a staff reply-token address" \
    sh -c "printf '%s' '$token' | grep -E '^london\.complaints\+LON-2026-00001\.s[0-9a-f]{16}@cps\.example\.gov\.uk$'"
f=$(txt "$notice")
check "the notice shows the deadline and how it was worked out" \
    sh -c "grep -F 'Mon 21 Dec 2026' '$f' && grep -F '8 weekend' '$f'"

# --- staff act by replying
mail "$COORD" "$token" "Re: New case [$ref]" "$(hdr "$notice" Message-ID)" \
    "#assign handler@cps.example.gov.uk

Hal, please take this one.

On Mon, 23 Nov 2026 redress wrote:
> A new message has arrived"
at 2026-11-23T11:00:00Z
check_eq "#assign through the reply token assigns the case" \
    "$(sqlite3 "$T/redress.db" "SELECT handler FROM cases WHERE ref = '$ref'")" \
    handler@cps.example.gov.uk
confirm=$(last_to lon.coord@cps.example.gov.uk)
check "the coordinator gets a confirmation" \
    grep -F 'done: assigned to handler@cps.example.gov.uk' "$(txt "$confirm")"
# The handler steers through the token of the notice sent to them.
htoken=$(hdr "$(last_to handler@cps.example.gov.uk)" Reply-To | sed 's/.*<\(.*\)>.*/\1/')
check "the handler is told, with a reply-token address of their own" \
    sh -c "printf '%s' '$htoken' | grep -E '\.s[0-9a-f]{16}@' && [ '$htoken' != '$token' ]"

# --- a staff From without authentication changes nothing
mail "$COORD" "london.complaints@cps.example.gov.uk" "Close [$ref]" "" "#close"
at 2026-11-23T11:30:00Z
check_eq "an unauthenticated #close changes nothing" "$(state $ref)" stage1_open
check "the attempt is recorded" \
    sh -c "sqlite3 '$T/redress.db' \"SELECT kind FROM event WHERE kind = 'command_refused'\" | grep -x command_refused"
check "and the coordinators are told" \
    grep -F 'not authenticated' "$(txt "$(last_to lon.coord@cps.example.gov.uk)")"
# DMARC=pass from the trusted server authenticates without a token.
mail "$COORD" "london.complaints@cps.example.gov.uk" "Note [$ref]" "" \
    "#note called the complainant's witness care officer" \
    "Authentication-Results: mx.cps.example.gov.uk; dmarc=pass header.from=cps.example.gov.uk"
at 2026-11-23T11:40:00Z
check "a DMARC-authenticated #note is accepted" \
    sh -c "sqlite3 '$T/redress.db' \"SELECT detail FROM event WHERE kind = 'note'\" | grep -F 'witness care officer'"
mail "Mallory <mallory@example.org>" "$token" "Re: [$ref]" "" "#close"
at 2026-11-23T11:50:00Z
check_eq "commands from outside the staff list change nothing" "$(state $ref)" stage1_open

# --- the response draft, QA and approval
mail "$HANDLER" "$htoken" "Re: [$ref]" "" "#respond

Dear Ada Example,

Thank you for your complaint about the trial that moved on 2 November 2026. I am sorry that nobody told you about the change. I have looked into what happened. The witness care unit did not send you the new date, and that was our mistake.

I have upheld your complaint. We have changed how the unit checks that every witness is told when a trial moves. I am sorry for the day's pay you lost, and you can claim your expenses from us.

Yours sincerely,
Hal Handler"
at 2026-11-24T09:00:00Z
check_eq "#respond puts the draft to the coordinators" "$(state $ref)" stage1_draft
qa=$(last_to lon.coord@cps.example.gov.uk)
f=$(txt "$qa")
check "the coordinators receive the draft with the letter check findings" \
    sh -c "grep -F 'I have upheld your complaint' '$f' && grep -F 'Addressed by name' '$f'"
check_eq "the complainant has no letter yet (only the acknowledgement)" \
    "$(sent_to ada@example.org)" 1
mail "$COORD" "$token" "Re: [$ref]" "" "#approve"
at 2026-12-01T09:00:00Z
check_eq "#approve sends the letter and the case is answered" \
    "$(state $ref)" stage1_answered
letter=$(last_to ada@example.org)
check_eq "the complainant receives the stage 1 reply" "$(sent_to ada@example.org)" 2
check "the letter is the approved text" \
    grep -F 'I have upheld your complaint' "$(txt "$letter")"
check "redress adds the escalation paragraph with the exact last date" \
    grep -F 'Friday 1 January 2027' "$(txt "$letter")"

# --- the complainant escalates, replying with the subject stripped
mail "Ada Example <ada@example.org>" "london.complaints@cps.example.gov.uk" "" \
    "$(hdr "$letter" Message-ID)" \
    "I am not satisfied with your reply. I want my complaint to go to stage 2."
at 2026-12-03T09:00:00Z
check_eq "a reply with no subject threads by In-Reply-To and opens stage 2" \
    "$(state $ref)" stage2_open
check "the complainant is told when the stage 2 reply is due" \
    grep -F 'Tuesday 5 January 2027' "$(txt "$(last_to ada@example.org)")"

mail "$HANDLER" "$htoken" "Re: [$ref]" "" "#respond

Dear Ada Example,

A senior manager has reviewed your complaint again. I agree with the stage 1 reply and I am sorry again for what happened. Your complaint is upheld.

Yours sincerely,
Hal Handler"
at 2026-12-07T09:00:00Z
mail "$COORD" "$token" "Re: [$ref]" "" "#approve"
at 2026-12-08T09:00:00Z
check_eq "the stage 2 reply is approved and sent" "$(state $ref)" stage2_answered
f=$(txt "$(last_to ada@example.org)")
check "a service complaint's stage 2 letter gives the route to the Assessor and its date" \
    sh -c "grep -F 'Independent Assessor' '$f' && grep -F 'Friday 8 January 2027' '$f'"

mail "Ada Example <ada@example.org>" \
    "$(hdr "$(last_to ada@example.org)" Reply-To | sed 's/.*<\(.*\)>.*/\1/')" \
    "Re: [$ref]" "" \
    "I am still unhappy. Please refer my complaint to the Independent Assessor of Complaints. Stage 1 and 2 did not explain why nobody told me."
at 2026-12-10T09:00:00Z
check_eq "the request within the window refers the case to the IAC" \
    "$(state $ref)" iac_referred
bundle=$(last_to iac@assessor.example.gov.uk)
check "the Assessor receives the case bundle" test -n "$bundle"
check "with every message of the case attached" \
    sh -c "[ \$(grep -c '^Content-Type: message/rfc822' '$bundle') -ge 6 ]"

# --- authority missing, then received
mail "Harold Sample <harold@example.net>" "london.complaints@cps.example.gov.uk" \
    "Complaint for my mother" "" \
    "I am writing on behalf of my mother. She was not told that the trial on 9 November 2026 was cancelled and nobody has answered her letters. I want to complain for her."
at 2026-11-25T10:00:00Z
rep=LON-2026-00002
check_eq "a representative without written authority waits" "$(state $rep)" awaiting_authority
check "and is asked for the authority" \
    sh -c "$MAILREAD '$(last_to harold@example.net)' --header Subject | grep -i -E 'permission|authority'"
check_eq "the stage 1 clock is stopped: no due date" \
    "$(sqlite3 "$T/redress.db" "SELECT due FROM deadline WHERE kind = 'stage1_response' AND case_id = (SELECT id FROM cases WHERE ref = '$rep')")" ""
auth=$T/authority.eml
{
	printf 'From: Harold Sample <harold@example.net>\r\nTo: london.complaints@cps.example.gov.uk\r\n'
	printf 'Subject: Re: [%s] signed authority\r\nDate: Wed, 2 Dec 2026 10:00:00 +0000\r\n' "$rep"
	printf 'Message-ID: <auth-1@example.net>\r\nMIME-Version: 1.0\r\n'
	printf 'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
	printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nPlease find attached the letter of authority signed by my mother.\r\n'
	printf -- '--b1\r\nContent-Type: application/pdf; name="signed-authority.pdf"\r\n'
	printf 'Content-Disposition: attachment; filename="signed-authority.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
	printf '%%PDF-1.4 signed authority' | base64
	printf -- '\r\n--b1--\r\n'
} >"$auth"
imap_append "$T/imap" lon "$auth"
at 2026-12-02T10:00:00Z
check_eq "the signed authority restarts the case at stage 1" "$(state $rep)" stage1_open
# Stopped Wed 25 Nov to Wed 2 Dec; counting resumes Thu 3 Dec; Christmas
# Day, the Boxing Day substitute (Mon 28) and New Year's Day are skipped.
check_eq "the due date counts from the authority: 20 working days after Wed 2 Dec" \
    "$(sqlite3 "$T/redress.db" "SELECT due FROM deadline WHERE kind = 'stage1_response' AND case_id = (SELECT id FROM cases WHERE ref = '$rep')")" \
    2027-01-04
check "the representative is acknowledged with that date" \
    grep -F 'Monday 4 January 2027' "$(txt "$(last_to harold@example.net)")"
rcli case show $rep >"$T/show-rep"
check "case show explains the stop" grep -i 'stopped' "$T/show-rep"

# --- across Christmas and New Year; reminders
mail "Ivy Example <ivy@example.org>" "london.complaints@cps.example.gov.uk" \
    "Complaint about rude staff" "" \
    "I want to complain. On 15 December 2026 a member of your staff was rude to me on the phone."
at 2026-12-18T10:00:00Z
xmas=LON-2026-00003
check "20 working days from Friday 18 December 2026 is Wednesday 20 January 2027" \
    grep -F 'Wednesday 20 January 2027' "$(txt "$(last_to ivy@example.org)")"
rcli case show $xmas >"$T/show-xmas"
check "the derivation names the bank holidays skipped" \
    sh -c "grep -F 'Christmas Day' '$T/show-xmas' && grep -F 'New Year' '$T/show-xmas'"
reminders() {	# reminders about case $xmas so far
	$MAILREAD "$T/smtp/mail" --to lon.coord@cps.example.gov.uk |
	    grep -c "Reminder: .*\[$xmas\]"
}
last_reminder() {
	echo "$T/smtp/mail/$($MAILREAD "$T/smtp/mail" --to lon.coord@cps.example.gov.uk |
	    grep "Reminder: .*\[$xmas\]" | tail -n 1 | cut -f1)"
}
at 2027-01-13T09:00:00Z
check "5 working days before, the coordinators (no handler) are reminded" \
    grep -F 'due in 5 working days' "$(txt "$(last_reminder)")"
check "with the prompt for a holding letter" \
    grep -F '#holding' "$(txt "$(last_reminder)")"
count=$(reminders)
at 2027-01-13T15:00:00Z
check_eq "the same reminder is not sent twice" "$(reminders)" "$count"
at 2027-01-19T09:00:00Z
check "1 working day before" \
    grep -F 'due tomorrow' "$(txt "$(last_reminder)")"
at 2027-01-21T09:00:00Z
check "and on each working day overdue" \
    grep -F '1 working day overdue' "$(txt "$(last_reminder)")"
at 2027-01-23T09:00:00Z
check_eq "but not on a Saturday" "$(reminders)" $((count + 2))

# A holding letter moves the date.
# Reply to this case's own reminder: other cases' mail may be newer.
mail "$COORD" "$(hdr "$(last_reminder)" Reply-To | sed 's/.*<\(.*\)>.*/\1/')" \
    "Re: [$xmas]" "" "#holding 10 we are waiting for the call recording"
at 2027-01-25T09:00:00Z
f=$(txt "$(last_to ivy@example.org)")
check "#holding sends the complainant a holding letter with the new date" \
    sh -c "grep -F 'call recording' '$f' && grep -F 'Wednesday 3 February 2027' '$f'"

# --- a substitute bank holiday: Christmas 2027 falls on a Saturday
mail "Jo Example <jo@example.org>" "london.complaints@cps.example.gov.uk" \
    "Complaint" "" "I want to complain: nobody told me the hearing on 22 November 2027 was moved."
at 2027-11-29T10:00:00Z
check "20 working days from Mon 29 Nov 2027 skip the substitute days 27 and 28 December" \
    grep -F 'Wednesday 29 December 2027' "$(txt "$(last_to jo@example.org)")"

# --- a legal complaint: #return, a late escalation, the Assessor refused
mail "Lee Legal <lee@example.org>" "london.complaints@cps.example.gov.uk" \
    "Complaint about the charge" "" \
    "I want to complain about the charging decision. The defendant was only charged with common assault when he broke my arm on 1 November 2027."
at 2027-11-29T11:00:00Z
legal=LON-2027-00002
check_eq "a legal complaint" \
    "$(sqlite3 "$T/redress.db" "SELECT category FROM cases WHERE ref = '$legal'")" legal
ltoken=$(hdr "$(last_about $legal)" Reply-To | sed 's/.*<\(.*\)>.*/\1/')
mail "$COORD" "$ltoken" "Re: [$legal]" "" "#assign handler@cps.example.gov.uk"
at 2027-11-29T12:00:00Z
lhtoken=$(hdr "$(last_to handler@cps.example.gov.uk)" Reply-To | sed 's/.*<\(.*\)>.*/\1/')
mail "$HANDLER" "$lhtoken" "Re: [$legal]" "" "#respond

Dear Lee Legal,

We looked again at the charge. The evidence of the injury supported common assault. I am sorry for the distress this has caused you.

Yours sincerely,
Hal Handler"
at 2027-11-30T09:00:00Z
mail "$COORD" "$ltoken" "Re: [$legal]" "" "#return please explain why the fracture did not support a more serious charge"
at 2027-11-30T10:00:00Z
check_eq "#return sends the draft back: the case waits for a new draft" \
    "$(state $legal)" stage1_open
check "the handler is told why" \
    grep -F 'more serious charge' "$(txt "$(last_to handler@cps.example.gov.uk)")"
mail "$HANDLER" "$lhtoken" "Re: [$legal]" "" "#respond

Dear Lee Legal,

We looked again at the charge. The medical evidence did not show the arm was broken on purpose, so a more serious charge could not be proved. I am sorry for the distress this has caused you.

Yours sincerely,
Hal Handler"
at 2027-11-30T11:00:00Z
mail "$COORD" "$ltoken" "Re: [$legal]" "" "#approve"
at 2027-11-30T12:00:00Z
check_eq "the second draft is approved" "$(state $legal)" stage1_answered
lletter=$(last_to lee@example.org)
mail "Lee Legal <lee@example.org>" \
    "$(hdr "$lletter" Reply-To | sed 's/.*<\(.*\)>.*/\1/')" "Re: [$legal]" "" \
    "I am not satisfied with your reply and want to take my complaint further."
at 2027-12-31T09:00:00Z
check_eq "an escalation after the window does not open stage 2 by itself" \
    "$(state $legal)" stage1_answered
check "the handler is asked to decide, once" \
    sh -c "$MAILREAD '$T/smtp/mail' --to handler@cps.example.gov.uk | grep -F '[$legal]' | tail -n 1 | grep -F 'to decide'"
mail "$COORD" "$ltoken" "Re: [$legal]" "" "#iac"
at 2027-12-31T10:00:00Z
check "a legal complaint cannot go to the Assessor, and staff are told why" \
    grep -F 'legal decision' "$(txt "$(last_about $legal)")"
check_eq "nothing changed" "$(state $legal)" stage1_answered

done_testing
