#!/bin/sh
# test-cli.sh: `redress classify` as a user runs it: JSON lines, --explain,
# unreadable files, rule-file mistakes, where the rules come from.
. "$top_srcdir/tests/tap.sh"

redress="$top_builddir/redress"
data="$top_srcdir/tests/data/rules"
[ -x "$redress" ] || skip_all "redress is not built"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# These rules, not an installed copy.
REDRESS_RULES="$top_srcdir/rules"
export REDRESS_RULES

# Two messages and a file that is not there, in one run.
"$redress" classify --json "$data/vrr-look-again.eml" "$tmp/missing.eml" \
    "$data/spam-phishing.eml" >"$tmp/out" 2>"$tmp/err"
rc=$?
check_eq "a file that cannot be read makes the exit status 1" "$rc" 1
check_eq "the other files are still classified, one JSON line each" \
    "$(grep -c '^{' "$tmp/out")" 2
check "stderr names the file that could not be read" \
    grep -q "missing.eml: cannot open: No such file" "$tmp/err"
check "\"file\" is the path as given" \
    grep -q "\"file\":\"$data/vrr-look-again.eml\"" "$tmp/out"
for key in kind category sentiment representative authority matter_date \
    out_of_time exceptional language contact_restriction rules; do
	check "the JSON has \"$key\"" grep -q "\"$key\":" "$tmp/out"
done
check "kind is in the schema's spelling" grep -q '"kind":"vrr"' "$tmp/out"
check "each rule that fired is listed with what it matched" \
    grep -q '"rule":"vrr-decision-and-review","matched":"' "$tmp/out"
check "machine mail is spam" grep -q '"kind":"spam"' "$tmp/out"

# All readable: exit 0. Text output with --explain.
"$redress" classify --explain "$data/other-magistrate.eml" >"$tmp/out" \
    2>"$tmp/err"
check_eq "exit 0 when every file was classified" "$?" 0
check "the text line gives the kind" \
    grep -q "other-magistrate.eml: kind redirect_other" "$tmp/out"
check "--explain lists the rules and the text they matched" \
    grep -q '^  other-complain-about: "complain about the magistrate"' \
    "$tmp/out"

# The reference date is the Date header: the same answer whatever the clock.
a=$(REDRESS_NOW=2030-01-01T00:00:00Z "$redress" classify --json \
    "$data/complaint-march-out-of-time.eml")
b=$(REDRESS_NOW=2026-10-20T00:00:00Z "$redress" classify --json \
    "$data/complaint-march-out-of-time.eml")
check_eq "the six-month rule counts from the Date header, not the clock" \
    "$a" "$b"
printf 'From: a@example.org\nSubject: hi\n\nI was told last Thursday that the case was dropped, nobody told me why.\n' \
    >"$tmp/nodate.eml"
REDRESS_NOW=2026-10-21T12:00:00Z "$redress" classify --json \
    "$tmp/nodate.eml" >"$tmp/out"
check "without a Date header the clock (REDRESS_NOW) is the reference" \
    grep -q '"matter_date":"2026-10-15"' "$tmp/out"

# Rules from --rules, with mistakes: every one as FILE:LINE, exit 2.
mkdir "$tmp/rules"
printf 'rule a\n  when body ~ /(/\n  then kind vrr\nrule b\n  when body ~ /x/\n  then kind nope\n' \
    >"$tmp/rules/10-bad.rules"
"$redress" classify --rules "$tmp/rules" "$data/vrr-look-again.eml" \
    >"$tmp/out" 2>"$tmp/err"
check_eq "rules with mistakes stop classify with exit 2" "$?" 2
check "the first mistake is named FILE:LINE" \
    grep -q "$tmp/rules/10-bad.rules:2: bad regular expression" "$tmp/err"
check "so is the second" \
    grep -q "$tmp/rules/10-bad.rules:6: 'nope' is not a kind" "$tmp/err"
check_eq "nothing is classified with broken rules" "$(wc -c <"$tmp/out")" 0

# Rules from $REDRESS_RULES.
printf 'rule everything\n  when body ~ /./\n  then kind feedback +50\n' \
    >"$tmp/rules/10-bad.rules"
REDRESS_RULES="$tmp/rules" "$redress" classify --json \
    "$data/vrr-look-again.eml" >"$tmp/out" 2>"$tmp/err"
check "REDRESS_RULES points classify at other rules" \
    grep -q '"kind":"feedback"' "$tmp/out"

# Garbage in: still one line out.
head -c 3000 /dev/urandom >"$tmp/noise.eml"
"$redress" classify --json "$tmp/noise.eml" >"$tmp/out" 2>"$tmp/err"
check_eq "random bytes still get one classification" \
    "$(grep -c '^{' "$tmp/out")" 1

# A message over the parse limits: classified, and says it is quarantined.
{ printf 'From: a@example.org\nSubject: long\n\n'; head -c 150000 /dev/zero |
    tr '\0' x; printf '\n'; } >"$tmp/long.eml"
"$redress" classify --json "$tmp/long.eml" >"$tmp/out" 2>"$tmp/err"
check "a quarantined message says why in \"quarantine\"" \
    grep -q '"quarantine":"line .* bytes long' "$tmp/out"
check "and is never taken for machine mail" grep -q '"kind":"complaint"' \
    "$tmp/out"

"$redress" classify >"$tmp/out" 2>"$tmp/err"
check_eq "no files is a usage error" "$?" 2

done_testing
