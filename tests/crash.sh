#!/bin/sh
# Invariants 1 and 2: redressd killed with SIGKILL between fetch and
# commit, and between commit and send, loses nothing and answers nothing
# twice.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup crash
D=$top_srcdir/tests/data/intake

ncases() {
	rcli case list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}

# Killed after the fetch, before the transaction.
imap_append "$T/imap" lon "$D/plain-complaint.eml"
redressd_once REDRESS_CRASH_AT=after-fetch
check_eq "redressd was killed by SIGKILL after the fetch" "$rc" 137
check_eq "nothing was recorded" \
    "$(sqlite3 "$T/redress.db" 'SELECT COUNT(*) FROM message')" 0
check_eq "nothing was sent" "$(smtp_sink_count "$T/smtp")" 0
check_eq "the message is still in the INBOX" \
    "$(imap_count "$T/imap" lon INBOX)" 1
redressd_once
check_eq "the next run exits 0" "$rc" 0
check_eq "it opens the case" "$(ncases)" 1
check_eq "and acknowledges it exactly once" "$(sent_to ada@example.org)" 1
check_eq "and the message leaves the INBOX" \
    "$(imap_count "$T/imap" lon INBOX)" 0

# Killed after the commit, before the IMAP move and before sending.
imap_append "$T/imap" lon "$D/base64.eml"
redressd_once REDRESS_CRASH_AT=after-commit
check_eq "redressd was killed by SIGKILL after the commit" "$rc" 137
check_eq "the case was committed" "$(ncases)" 2
check_eq "the acknowledgement waits in the outbox, unsent" \
    "$(sent_to eve@example.net)" 0
check_eq "the outbox row is queued" \
    "$(sqlite3 "$T/redress.db" "SELECT state FROM outbox WHERE template = 'acknowledgement' AND case_id = (SELECT id FROM cases WHERE ref = 'LON-2026-00002')")" queued
check_eq "the message is still in the INBOX (not yet moved)" \
    "$(imap_count "$T/imap" lon INBOX)" 1
msgid=$(sqlite3 "$T/redress.db" "SELECT message_id FROM outbox WHERE template = 'acknowledgement' AND case_id = (SELECT id FROM cases WHERE ref = 'LON-2026-00002')")
redressd_once
check_eq "the next run exits 0" "$rc" 0
check_eq "no second case is opened" "$(ncases)" 2
check_eq "the acknowledgement goes out exactly once" \
    "$(sent_to eve@example.net)" 1
check_eq "with the Message-ID written before the crash" \
    "$($MAILREAD "$(sent_file eve@example.net)" --header Message-ID)" "<$msgid>"
check_eq "the message is moved after all" \
    "$(imap_count "$T/imap" lon INBOX)" 0
check_eq "and is in Processed once" \
    "$(imap_count "$T/imap" lon Processed)" 2
redressd_once
check_eq "a further run sends nothing more" "$(sent_to eve@example.net)" 1

done_testing
