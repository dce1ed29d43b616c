#!/bin/sh
# Each kind gets its handling (DOMAIN.md "What arrives"), on real servers:
# VRR and enquiries are answered and forwarded, redirects and excluded
# requests are answered without a case, feedback is acknowledged and
# closed, spam is never answered, a bounce of our own mail marks its case
# unreachable, Welsh mail gets a Welsh reply, and one complaint sent to two
# Areas is one case.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup kinds

n=0
# mail USER FROM SUBJECT BODY [EXTRA-HEADER]
mail() {
	n=$((n + 1))
	f=$T/in-$n.eml
	{
		printf 'From: %s\r\nTo: london.complaints@cps.example.gov.uk\r\n' "$2"
		printf 'Subject: %s\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\n' "$3"
		printf 'Message-ID: <kind-%s@test.example>\r\n' "$n"
		[ -n "${5:-}" ] && printf '%s\r\n' "$5"
		printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n' "$4"
	} >"$f"
	imap_append "$T/imap" "$1" "$f"
}
subject_to() {	# the subject of the newest message to ADDR
	f=$(sent_file "$1")
	[ -n "$f" ] && $MAILREAD "$f" --header Subject
}
ncases() { sqlite3 "$T/redress.db" 'SELECT COUNT(*) FROM cases'; }
kind_state() {
	sqlite3 "$T/redress.db" "SELECT c.kind || ' ' || c.state FROM cases c JOIN party p ON p.case_id = c.id WHERE p.email = '$1'"
}

mail lon "Vera Victim <vera@example.org>" "Review of the decision" \
    "The CPS decided not to charge the man who attacked me in August. I would like the decision to be reviewed under the Victims' Right to Review scheme."
mail lon "Quinn Asker <quinn@example.org>" "Hearing date" \
    "Could you please tell me the date of the next hearing in my case? I am a witness and need to arrange time off work."
mail lon "Pat Public <pat@example.org>" "The officer" \
    "The police officer in charge of my case never calls me back and the police still have not returned my phone, which they took as evidence."
mail lon "Dan Defendant <dan@example.org>" "Drop the case" \
    "I have been charged with assault but I am innocent. I want you to drop the case against me."
mail lon "Faye Friendly <faye@example.org>" "Thank you" \
    "I just wanted to say thank you to the prosecutor at my hearing last week, who was kind and explained everything. This is not a complaint."
mail lon "Prize Team <winner@prizes.example>" "You have won!" \
    "Congratulations! You have been selected to win an iPhone. Click here to claim your prize now, limited time offer, unsubscribe below."
mail lon "Ifan Cymro <ifan@example.org>" "Cwyn" \
    "Rydw i eisiau gwneud cwyn. Does neb wedi ateb fy llythyrau ers mis ac nid oes neb wedi dweud wrthyf fod y gwrandawiad wedi newid."
redressd_once
check_eq "redressd exits 0" "$rc" 0

check_eq "VRR: a case of kind vrr, forwarded" "$(kind_state vera@example.org)" "vrr forwarded"
check_eq "VRR: the writer gets the VRR reply" "$(subject_to vera@example.org)" \
    "Your request for a review of a decision [LON-2026-00001]"
fwd=$(sent_file vrr@cps.example.gov.uk)
check "VRR: the request is forwarded to the VRR address" test -n "$fwd"
check "VRR: with the original message attached" \
    grep -q '^Content-Type: message/rfc822' "$fwd"

check_eq "enquiry: recorded and forwarded" "$(kind_state quinn@example.org)" "enquiry forwarded"
check "enquiry: acknowledged" \
    sh -c "$MAILREAD '$(sent_file quinn@example.org)' --header Subject | grep -F 'We have received your enquiry'"
check "enquiry: forwarded to the Area's enquiries address" \
    test -n "$(sent_file london.enquiries@cps.example.gov.uk)"

check "redirect_police: told where to go" \
    sh -c "$MAILREAD '$(sent_file pat@example.org)' --header Subject | grep -F 'about the police'"
check_eq "redirect_police: no case is opened" "$(kind_state pat@example.org)" ""
check_eq "redirect_police: the message is recorded" \
    "$(sqlite3 "$T/redress.db" "SELECT COUNT(*) FROM message WHERE from_addr = 'pat@example.org' AND case_id IS NULL")" 1

check "excluded_defendant: told this is not for the complaints procedure" \
    sh -c "$MAILREAD '$(sent_file dan@example.org)' --header Subject | grep -F 'stop a prosecution'"
check_eq "excluded_defendant: no case" "$(kind_state dan@example.org)" ""

check_eq "feedback: recorded and closed" "$(kind_state faye@example.org)" "feedback closed"
check "feedback: acknowledged" \
    sh -c "$MAILREAD '$(sent_file faye@example.org)' --header Subject | grep -F 'Thank you for your feedback'"

check_eq "spam: never answered" "$(sent_to winner@prizes.example)" 0
check_eq "spam: no case" "$(kind_state winner@prizes.example)" ""

check_eq "Welsh: a complaint" "$(kind_state ifan@example.org)" "complaint stage1_open"
check "Welsh: the acknowledgement is in Welsh" \
    sh -c "$MAILREAD '$(sent_file ifan@example.org)' --header Subject | grep -F 'Rydym wedi cael eich cwyn'"

# A bounce of our acknowledgement: the case is flagged, staff are told.
ack=$(sent_file ifan@example.org)
ackid=$($MAILREAD "$ack" --header Message-ID)
ref=$(sqlite3 "$T/redress.db" "SELECT c.ref FROM cases c JOIN party p ON p.case_id = c.id WHERE p.email = 'ifan@example.org'")
notices=$(sent_to lon.coord@cps.example.gov.uk)
f=$T/bounce.eml
{
	printf 'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n'
	printf 'To: london.complaints@cps.example.gov.uk\r\nSubject: Undelivered Mail Returned to Sender\r\n'
	printf 'Date: Fri, 20 Nov 2026 11:00:00 +0000\r\nMessage-ID: <bounce-1@mx.example.org>\r\n'
	printf 'Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n'
	printf 'Content-Type: multipart/report; report-type=delivery-status; boundary="r1"\r\n\r\n'
	printf -- '--r1\r\nContent-Type: text/plain\r\n\r\nThis is the mail system. Your message could not be delivered.\r\n'
	printf -- '--r1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n'
	printf 'Final-Recipient: rfc822; ifan@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n'
	printf -- '--r1\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: london.complaints@cps.example.gov.uk\r\n'
	printf 'To: ifan@example.org\r\nMessage-ID: %s\r\nSubject: Rydym wedi cael eich cwyn\r\n' "$ackid"
	printf -- '\r\n--r1--\r\n'
} >"$f"
imap_append "$T/imap" lon "$f"
redressd_once
check_eq "a bounce is never answered" "$(sent_to mailer-daemon@mx.example.org)" 0
check_eq "the bounced case is flagged complainant unreachable" \
    "$(sqlite3 "$T/redress.db" "SELECT flags FROM cases WHERE ref = '$ref'")" unreachable
check_eq "the coordinators are told" "$(sent_to lon.coord@cps.example.gov.uk)" $((notices + 1))
check "with the case reference" \
    sh -c "$MAILREAD '$(sent_file lon.coord@cps.example.gov.uk)' --header Subject | grep -F '$ref'"

# The same complaint sent to two Areas is one case.
before=$(ncases)
for user in lon wal; do
	f=$T/both-$user.eml
	{
		printf 'Delivered-To: %s.complaints@cps.example.gov.uk\r\n' "$user"
		printf 'From: Bo Both <bo@example.org>\r\nTo: london.complaints@cps.example.gov.uk, wales.complaints@cps.example.gov.uk\r\n'
		printf 'Subject: Complaint\r\nDate: Fri, 20 Nov 2026 12:00:00 +0000\r\nMessage-ID: <both-1@example.org>\r\n\r\n'
		printf 'I want to complain: nobody told me the trial on 16 November 2026 was cancelled.\r\n'
	} >"$f"
	imap_append "$T/imap" $user "$f"
done
redressd_once
check_eq "one complaint sent to two Areas opens one case" "$(ncases)" $((before + 1))
check_eq "and is acknowledged once" "$(sent_to bo@example.org)" 1
check_eq "both copies are kept with that case" \
    "$(sqlite3 "$T/redress.db" "SELECT COUNT(DISTINCT case_id) || ' ' || COUNT(*) FROM message WHERE message_id = 'both-1@example.org'")" "1 2"

done_testing
