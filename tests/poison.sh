#!/bin/sh
# Poison messages (issue 8, item 3): a message redress cannot record
# normally - a failure while recording it, or a crash while it was in
# hand - is kept raw and quarantined in a transaction of its own, the
# coordinators are told once, and the next message of the mailbox is
# acknowledged as usual. And attachments cannot make memory grow without
# bound: a message with 100 small zip-bomb .docx files is recorded.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup poison
COORD=lon.coord@cps.example.gov.uk
BODY="I was a witness at Southwark Crown Court and nobody told me the trial
had moved. I would like to make a complaint about this."

# check_match DESCRIPTION GOT REGEX (grep -E, any line)
check_match() {
	tap_n=$((tap_n + 1))
	if printf '%s\n' "$2" | grep -E -q -e "$3"; then
		echo "ok $tap_n - $1"
	else
		echo "not ok $tap_n - $1"
		printf '#   got:  %s\n#   want: /%s/\n' "$2" "$3"
		tap_failed=$((tap_failed + 1))
	fi
}
q() { sqlite3 "$T/redress.db" "$1"; }
notices() {	# quarantine notices to the London coordinator
	$MAILREAD "$T/smtp/mail" --to "$COORD" | cut -f3 |
	    grep -c "could not be processed"
}
ncases() { q "SELECT COUNT(*) FROM cases"; }

# --- a failure while recording (test hook REDRESS_FAIL_AT=record:UID)
imap_mail "Ann One <ann1@example.org>" london.complaints@cps.example.gov.uk \
    "Trial moved" "" "$BODY"
imap_mail "Bob Two <bob2@example.org>" london.complaints@cps.example.gov.uk \
    "Trial moved too" "" "$BODY"
redressd_once REDRESS_FAIL_AT=record:1
check_eq "a message that fails to record does not fail the run" "$rc" 0
check_eq "it is kept raw and quarantined, with the reason" \
    "$(q "SELECT COUNT(*) FROM message WHERE uid = 1 AND case_id IS NULL AND (raw IS NOT NULL OR id IN (SELECT message FROM message_raw)) AND quarantine LIKE '%REDRESS_FAIL_AT=record:1%'")" 1
check_eq "it is not answered" "$(sent_to ann1@example.org)" 0
check_eq "the next message in the mailbox is acknowledged" \
    "$(sent_to bob2@example.org)" 1
check_eq "only the next one opened a case" "$(ncases)" 1
check_eq "the coordinators are told once" "$(notices)" 1
f=$($MAILREAD "$T/smtp/mail" --to "$COORD" | grep "could not be processed" |
    cut -f1 | head -1)
t=$(mail_text "$T/smtp/mail/$f")
check_match "the notice names the mailbox and UID" "$(cat "$t")" \
    "UID 1 in mailbox INBOX"
check_match "and the message row, and what to do" "$(cat "$t")" \
    "redress quarantine show [0-9]"
check "the notice names neither the sender nor the text" \
    sh -c "! grep -q -i -e ann1@example.org -e 'Ann One' -e Southwark '$t'"
check_eq "both leave the INBOX" "$(imap_count "$T/imap" lon INBOX)" 0
check_eq "both are in Processed" "$(imap_count "$T/imap" lon Processed)" 2
check_eq "nothing stays marked in hand" "$(q "SELECT COUNT(*) FROM in_hand")" 0
rows=$(q "SELECT id FROM message WHERE uid = 1")
check_match "redress quarantine list shows it, without the sender" \
    "$(rcli quarantine list)" "^  $rows .* LON INBOX UID 1, .*REDRESS_FAIL_AT"
check "and the list names no sender" \
    sh -c "! '$REDRESS' quarantine list -c '$T/redress.conf' | grep -q ann1"
rcli quarantine show "$rows" >"$T/shown.eml"
check "redress quarantine show gives the raw message back" \
    cmp -s "$T/shown.eml" "$T/in-1.eml"
redressd_once
check_eq "a second run answers nothing more" \
    "$(sent_to ann1@example.org),$(sent_to bob2@example.org),$(notices)" "0,1,1"

# --- a crash while it was in hand: tried again once (redress may have
# been killed for another reason), then quarantined unread.
imap_mail "Cat Three <cat3@example.org>" london.complaints@cps.example.gov.uk \
    "Trial moved again" "" "$BODY"
imap_mail "Dan Four <dan4@example.org>" london.complaints@cps.example.gov.uk \
    "And again" "" "$BODY"
redressd_once REDRESS_CRASH_AT=after-fetch
check_eq "redressd dies with UID 3 in hand" "$rc" 137
check_eq "the in-hand marker is committed" \
    "$(q "SELECT attempts FROM in_hand WHERE uid = 3")" 1
redressd_once REDRESS_CRASH_AT=after-fetch
check_eq "and dies with it again" "$rc" 137
check_eq "the marker counts the attempts" \
    "$(q "SELECT attempts FROM in_hand WHERE uid = 3")" 2
check_eq "nothing of it was recorded or sent" \
    "$(q "SELECT COUNT(*) FROM message WHERE uid = 3"),$(sent_to cat3@example.org)" "0,0"
redressd_once
check_eq "the next start exits 0" "$rc" 0
check_eq "it quarantines the message that was in hand, unread" \
    "$(q "SELECT COUNT(*) FROM message WHERE uid = 3 AND case_id IS NULL AND subject IS NULL AND quarantine LIKE 'redress stopped 2 times while this message was in hand%'")" 1
check_eq "it is never answered" "$(sent_to cat3@example.org)" 0
check_eq "the message after it is acknowledged, once" \
    "$(sent_to dan4@example.org)" 1
check_eq "the coordinators are told of it once" "$(notices)" 2
check_eq "both leave the INBOX" "$(imap_count "$T/imap" lon INBOX)" 0
check_eq "no marker is left" "$(q "SELECT COUNT(*) FROM in_hand")" 0
redressd_once
check_eq "a further run changes nothing" \
    "$(sent_to cat3@example.org),$(sent_to dan4@example.org),$(notices),$(ncases)" "0,1,2,2"

# --- a sender address form redress could not answer (RFC 5321 quoted
# local part): answered once, or quarantined; never blocking the next.
imap_mail '"e f"@example.org' london.complaints@cps.example.gov.uk \
    "Quoted local part" "" "$BODY"
imap_mail "Gil Six <gil6@example.org>" london.complaints@cps.example.gov.uk \
    "After the quoted one" "" "$BODY"
redressd_once
check_eq "the run exits 0" "$rc" 0
check_eq "the message after it is acknowledged" "$(sent_to gil6@example.org)" 1
answered=$(q "SELECT COUNT(*) FROM outbox WHERE answers = (SELECT id FROM message WHERE uid = 5)")
quarantined=$(q "SELECT COUNT(*) FROM message WHERE uid = 5 AND quarantine IS NOT NULL")
check_eq "the quoted one is either answered once or quarantined" \
    "$answered$quarantined" "$( [ "$quarantined" = 1 ] && echo 01 || echo 10)"
check_eq "the INBOX is empty" "$(imap_count "$T/imap" lon INBOX)" 0

# --- a zip bomb: 100 copies of a small .docx whose XML expands to 40 MiB
python3 - "$T/bomb.eml" <<'PY'
import base64, io, sys, zipfile
para = ("<w:p><w:r><w:t>" + "I complain about the handling of my case. " * 20
        + "</w:t></w:r></w:p>")
xml = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
       'openxmlformats.org/wordprocessingml/2006/main"><w:body>')
body = para * (40 * 1024 * 1024 // len(para))
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("word/document.xml", xml + body + "</w:body></w:document>")
docx = base64.encodebytes(buf.getvalue()).decode().replace("\n", "\r\n")
sys.stderr.write("docx: %d bytes, XML %d bytes\n" % (len(buf.getvalue()),
    len(xml + body)))
with open(sys.argv[1], "w", newline="") as f:
    f.write("From: Hal Seven <hal7@example.org>\r\n"
            "To: london.complaints@cps.example.gov.uk\r\n"
            "Subject: My complaint, attached\r\n"
            "Date: Mon, 23 Nov 2026 12:00:00 +0000\r\n"
            "Message-ID: <bomb@example.org>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
            "--b\r\nContent-Type: text/plain\r\n\r\n"
            "I would like to make a complaint: please see the letter.\r\n")
    for i in range(100):
        f.write("--b\r\nContent-Type: application/vnd.openxmlformats-"
                "officedocument.wordprocessingml.document\r\n"
                "Content-Disposition: attachment; filename=letter%d.docx\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n%s" % (i, docx))
    f.write("--b--\r\n")
PY
imap_append "$T/imap" lon "$T/bomb.eml"
# Memory bounded: 1 GiB of address space is plenty (not under valgrind,
# which needs more for itself).
if [ "${REDRESS_VALGRIND:-0}" = 1 ]; then
	redressd_once
else
	rc=0
	( ulimit -v 1048576; "$REDRESSD" -c "$T/redress.conf" -f --once ) \
	    2>>"$T/redressd.log" || rc=$?
fi
check_eq "the run with 100 zip-bomb attachments finishes" "$rc" 0
check_eq "the complaint is acknowledged" "$(sent_to hal7@example.org)" 1
check_eq "it opened a case" \
    "$(q "SELECT COUNT(*) FROM message WHERE message_id = 'bomb@example.org' AND case_id IS NOT NULL")" 1
check_match "the verdict notes that attachment text was cut" \
    "$(q "SELECT verdict FROM message WHERE message_id = 'bomb@example.org'")" \
    "attachment-text-cut"

done_testing
