#!/bin/sh
# redressd as a daemon: new mail is noticed through IDLE without waiting
# for the poll interval; SIGHUP with a broken configuration keeps the one
# loaded; templates are read at start and on SIGHUP, not for each letter;
# SIGTERM stops it cleanly.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup daemon
D=$top_srcdir/tests/data/intake

# Rules and templates the test can edit and break while the daemon runs.
cp -r "$top_srcdir/rules" "$T/rules"
cp -r "$top_srcdir/templates" "$T/templates"
sed -i -e "s|^rules = .*|rules = \"$T/rules\";|" \
    -e "s|^templates = .*|templates = \"$T/templates\";|" "$T/redress.conf"
# A long poll interval: only IDLE can make it notice mail quickly.
sed -i 's/^poll_interval = .*/poll_interval = 3600;/' "$T/redress.conf"
# Time must move in a daemon: no fixed clock here.
unset REDRESS_NOW
"$REDRESSD" -c "$T/redress.conf" -f 2>"$T/redressd.log" &
pid=$!
wait_for() {	# wait_for SECONDS COMMAND...: until the command succeeds
	n=$(($1 * 10)); shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1; n=$((n - 1))
	done
	return 1
}
check "redressd starts and connects to both Areas" \
    wait_for 20 sh -c "grep -c 'connected to' '$T/redressd.log' | grep -x 2"
sleep 1
imap_append "$T/imap" lon "$D/plain-complaint.eml"
check "a message delivered while it waits is acknowledged through IDLE" \
    wait_for 30 sh -c "[ \$($MAILREAD '$T/smtp/mail' --to ada@example.org | wc -l) -eq 1 ]"

cp "$T/redress.conf" "$T/redress.conf.good"
printf 'this is { not libconfig\n' >>"$T/redress.conf"
kill -HUP $pid
check "SIGHUP with a broken configuration names the error" \
    wait_for 10 grep -E "$T/redress.conf:[0-9]+:" "$T/redressd.log"
check "and keeps what it had" \
    wait_for 10 grep -F "kept the configuration" "$T/redressd.log"
check "the daemon is still running" kill -0 $pid
cp "$T/redress.conf.good" "$T/redress.conf"
imap_append "$T/imap" wal "$D/wales-complaint.eml"
check "and still serves the Areas" \
    wait_for 30 sh -c "[ \$($MAILREAD '$T/smtp/mail' --to bryn@example.net | wc -l) -eq 1 ]"

# A mistake in a rule file: named with FILE:LINE, the old rules kept.
cp "$T/rules/20-kind.rules" "$T/20-kind.rules.good"
printf '\nrule broken\n    when text ~ /unclosed(/\n    then kind nonsense +3\n' >>"$T/rules/20-kind.rules"
kill -HUP $pid
check "SIGHUP with a broken rule file names FILE:LINE" \
    wait_for 10 grep -E "$T/rules/20-kind.rules:[0-9]+:" "$T/redressd.log"
check "and keeps the rules it had" \
    wait_for 10 sh -c "[ \$(grep -c 'kept the configuration' '$T/redressd.log') -ge 2 ]"
mail_file=$top_srcdir/tests/data/intake/html-only.eml
imap_append "$T/imap" lon "$mail_file"
check "and classifies new mail with them" \
    wait_for 30 sh -c "[ \$($MAILREAD '$T/smtp/mail' --to cai@example.com | wc -l) -eq 1 ]"
cp "$T/20-kind.rules.good" "$T/rules/20-kind.rules"

# hups N: wait until the daemon has begun its Nth reload.
hups() {
	wait_for 10 sh -c "[ \$(grep -c 'SIGHUP: reading' '$T/redressd.log') -ge $1 ]"
}
# acknowledged ADDR: wait for the one acknowledgement to ADDR and leave
# its text in $T/ack.txt.
acknowledged() {
	wait_for 30 sh -c "[ \$($MAILREAD '$T/smtp/mail' --to $1 | wc -l) -eq 1 ]" &&
	    $MAILREAD "$(sent_file $1)" --text >"$T/ack.txt"
}

# An edited template is used from the next SIGHUP, not before.
printf '\nEdited while running.\n' >>"$T/templates/en/acknowledgement.md"
imap_append "$T/imap" lon "$D/base64.eml"
check "mail after a template is edited is acknowledged" \
    acknowledged eve@example.net
check "with the template loaded at start, not the edited file" \
    sh -c "grep -qF 'Thank you for your email' '$T/ack.txt' &&
    ! grep -qF 'Edited while running' '$T/ack.txt'"
kill -HUP $pid
hups 3
imap_append "$T/imap" lon "$D/windows-1252.eml"
check "after SIGHUP, mail is acknowledged" acknowledged dee@example.org
check "with the edited template" grep -qF 'Edited while running' "$T/ack.txt"

# A broken template or jargon list: named with FILE:LINE, and what was
# loaded is kept.
cp "$T/templates/en/acknowledgement.md" "$T/acknowledgement.md.edited"
printf 'Dear {{name}},\n' >"$T/templates/en/acknowledgement.md"
kill -HUP $pid
hups 4
check "SIGHUP with a broken template names FILE:LINE" \
    wait_for 10 grep -F "$T/templates/en/acknowledgement.md:1:" "$T/redressd.log"
check "and keeps the templates it had" \
    wait_for 10 sh -c "[ \$(grep -c 'kept the configuration' '$T/redressd.log') -ge 3 ]"
cp "$T/acknowledgement.md.edited" "$T/templates/en/acknowledgement.md"
cp "$T/rules/jargon.list" "$T/jargon.list.good"
printf '\nNFA\n' >>"$T/rules/jargon.list"
kill -HUP $pid
hups 5
check "SIGHUP with a broken jargon list names FILE:LINE" \
    wait_for 10 grep -E "$T/rules/jargon.list:[0-9]+: 'NFA' is already listed" "$T/redressd.log"
check "and keeps the list it had" \
    wait_for 10 sh -c "[ \$(grep -c 'kept the configuration' '$T/redressd.log') -ge 4 ]"
cp "$T/jargon.list.good" "$T/rules/jargon.list"
sed -e 's/ada@example.org/gus@example.org/' \
    -e 's/^Message-ID: <\(.*\)>/Message-ID: <gus.\1>/' \
    "$D/plain-complaint.eml" >"$T/gus.eml"
imap_append "$T/imap" lon "$T/gus.eml"
check "and acknowledges new mail with what it kept" \
    acknowledged gus@example.org
check "the edited template, loaded before the broken ones" \
    grep -qF 'Edited while running' "$T/ack.txt"

kill -TERM $pid
st=0
wait $pid || st=$?
check_eq "SIGTERM stops it with status 0" "$st" 0
check "saying so" grep -F "stopping" "$T/redressd.log"

done_testing
