#!/bin/sh
# A changed UIDVALIDITY leads to a re-scan without duplicates: messages
# already recorded are recognised by Message-ID and SHA-256.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup uidvalidity
D=$top_srcdir/tests/data/intake

# Wales keeps messages in INBOX (\Seen), so a re-scan meets them again.
imap_append "$T/imap" wal "$D/wales-complaint.eml"
imap_append "$T/imap" wal "$D/plain-complaint.eml"
redressd_once
check_eq "two cases in Wales" \
    "$(sqlite3 "$T/redress.db" "SELECT COUNT(*) FROM cases WHERE area = 'WAL'")" 2
sent=$(smtp_sink_count "$T/smtp")

old=$(sqlite3 "$T/redress.db" "SELECT uidvalidity FROM mailbox WHERE area = 'WAL'")
_doveadm "$T/imap" mailbox update -u wal --uid-validity $((old + 7)) INBOX
check_eq "the server's UIDVALIDITY changed" \
    "$(_doveadm "$T/imap" -f flow mailbox status -u wal uidvalidity INBOX | sed 's/.*=//')" \
    $((old + 7))
imap_append "$T/imap" wal "$D/html-only.eml"
redressd_once
check_eq "redressd exits 0 after the change" "$rc" 0
check "it says it is scanning the mailbox again" \
    grep -F "changed UIDVALIDITY" "$T/redressd.log"
check_eq "only the new message opens a case" \
    "$(sqlite3 "$T/redress.db" "SELECT COUNT(*) FROM cases WHERE area = 'WAL'")" 3
check_eq "only the new message is answered (ack + notice)" \
    "$(smtp_sink_count "$T/smtp")" $((sent + 2))
check_eq "the cursor follows the new UIDVALIDITY" \
    "$(sqlite3 "$T/redress.db" "SELECT uidvalidity FROM mailbox WHERE area = 'WAL'")" \
    $((old + 7))
check_eq "each message is stored once with its text" \
    "$(sqlite3 "$T/redress.db" "SELECT COUNT(*) FROM message WHERE raw IS NOT NULL AND mailbox_id = (SELECT id FROM mailbox WHERE area = 'WAL')")" 3
check_eq "all three are \\Seen on the server" \
    "$(imap_count_seen "$T/imap" wal INBOX)" 3

done_testing
