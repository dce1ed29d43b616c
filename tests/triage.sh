#!/bin/sh
# triage.sh: the learned layer's confidence on real servers: every verdict
# the daemon records carries the probability of each kind and whether a
# person is to confirm the kind, `redress case show` says so, and the
# configuration sets how sure the model must be.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/lib/redress.sh"
redress_setup triage

# Too sure a setting to be right: a configuration mistake is FILE:LINE.
redress_conf 'triage_confidence = 101;'
rcli check-config >"$T/out" 2>&1
check "triage_confidence above 100 is refused" test $? -ne 0
check "naming FILE:LINE and what is expected" \
    grep -q "redress.conf:[0-9]*: .*triage_confidence.*percentage from 0 to 100" \
    "$T/out"

# A clear complaint, and a setting so strict that any verdict of the
# model is confirmed by a person.
redress_conf 'triage_confidence = 100;'
imap_mail "Ada Example <ada@example.org>" london.complaints@cps.example.gov.uk \
    "Complaint" "" "I want to make a formal complaint about the way my case was handled. Nobody told me the trial had moved and nobody answers my letters."
redressd_once
check_eq "redressd exits 0" "$rc" 0
ref=$(sqlite3 "$T/redress.db" 'SELECT ref FROM cases LIMIT 1')
check "a case is opened" test -n "$ref"
rcli case show "$ref" --json >"$T/show.json"
check "the recorded verdict carries the kind probabilities" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
v = c["messages"][0]["verdict"]
p = v["kind_probabilities"]
assert v["kind"] == "complaint" and max(p, key=p.get) == "complaint", v
assert abs(sum(p.values()) - 1) < 0.02, p
' "$T/show.json"
check "and triage, as configured" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
assert c["messages"][0]["verdict"]["triage"] is True
' "$T/show.json"
rcli case show "$ref" >"$T/show.txt"
check "case show says a person confirms the kind" \
    grep -q "triage: a person confirms the kind" "$T/show.txt"
check "and how probable the kind is" \
    grep -q "kind probabilities complaint [01]\.[0-9][0-9]" "$T/show.txt"

# The default setting: the same clear complaint needs no triage.
REDRESS_RULES=$top_srcdir/rules "$REDRESS" classify --json "$T/in-1.eml" \
    >"$T/out" 2>&1
check "by default a clear complaint is not triage" \
    grep -q '"kind":"complaint".*"triage":false' "$T/out"

done_testing
