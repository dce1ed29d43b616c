#!/bin/sh
# Batched intake (issue 10): new mail is fetched in one UID FETCH,
# recorded in one transaction and moved in one command, with the same
# invariant as one message at a time. A message of the batch that cannot
# be recorded is quarantined and the rest go on; redressd killed at each
# step of a batch loses nothing and answers nothing twice.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup batch

# A complaint from batchN.personK@example.org, appended to London's INBOX.
complaint() {
	f=$T/$1-$2.eml
	cat >"$f" <<-EOF
	From: Person $2 <$1.person$2@example.org>
	To: london.complaints@cps.example.gov.uk
	Subject: Complaint $1 $2
	Date: Fri, 20 Nov 2026 10:00:00 +0000
	Message-ID: <$1-$2@example.org>

	I want to complain. Nobody told me that the hearing on 2 November
	2026 was moved, and my calls to the witness care unit were not
	returned.
	EOF
	imap_append "$T/imap" lon "$f"
}

# Every person of the batch has exactly one acknowledgement.
each_once() {
	k=1
	while [ $k -le "$2" ]; do
		[ "$(sent_to "$1.person$k@example.org")" = 1 ] || {
			diag "$1.person$k@example.org got $(sent_to "$1.person$k@example.org")"
			return 1
		}
		k=$((k + 1))
	done
}

cases() { sqlite3 "$T/redress.db" 'SELECT COUNT(*) FROM cases'; }

# --- a batch with one message that fails to record
for k in 1 2 3 4 5; do complaint fail $k; done
redressd_once REDRESS_FAIL_AT=record:3
check_eq "a run over a batch with a failing message exits 0" "$rc" 0
check_eq "the four others open their cases" "$(cases)" 4
check_eq "the failing one is not acknowledged" \
    "$(sent_to fail.person3@example.org)" 0
for k in 1 2 4 5; do
	check_eq "fail.person$k is acknowledged once" \
	    "$(sent_to fail.person$k@example.org)" 1
done
check_eq "the failing message is quarantined" \
    "$(sqlite3 "$T/redress.db" "SELECT COUNT(*) FROM message WHERE quarantine IS NOT NULL AND uid = 3")" 1
check_eq "the coordinators are told of it once" \
    "$($MAILREAD "$T/smtp/mail" --to lon.coord@cps.example.gov.uk | grep -c "could not be processed")" 1
check_eq "all five leave the INBOX" "$(imap_count "$T/imap" lon INBOX)" 0
check_eq "and are in Processed" "$(imap_count "$T/imap" lon Processed)" 5
sent=$(smtp_sink_count "$T/smtp")
redressd_once
check_eq "a second run sends nothing more" "$(smtp_sink_count "$T/smtp")" \
    "$sent"

# --- killed at each step of a batch
before=$(cases)
for point in after-fetch in-pipeline after-commit after-quarantine \
    after-move; do
	for k in 1 2 3 4; do complaint "$point" $k; done
	redressd_once REDRESS_CRASH_AT=$point
	check_eq "killed at $point: SIGKILL" "$rc" 137
	redressd_once
	check_eq "killed at $point: the next run exits 0" "$rc" 0
	redressd_once
	before=$((before + 4))
	check_eq "killed at $point: four cases, none twice" "$(cases)" "$before"
	check "killed at $point: each acknowledged exactly once" \
	    each_once "$point" 4
	check_eq "killed at $point: the INBOX is empty" \
	    "$(imap_count "$T/imap" lon INBOX)" 0
done
check_eq "every mail reached the relay once: as many as the outbox sent" \
    "$(smtp_sink_count "$T/smtp")" \
    "$(sqlite3 "$T/redress.db" "SELECT COUNT(*) FROM outbox WHERE state = 'sent'")"

done_testing
