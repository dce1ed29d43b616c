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

# --- The daemon's safe side. With every verdict triaged, a message is a
# case with its clock running, the sender gets a neutral letter and the
# coordinators a triage notice; #kind settles it into that kind's handling.
AREA=london.complaints@cps.example.gov.uk
COORD="Lon Coordinator <lon.coord@cps.example.gov.uk>"
TRUSTED="Authentication-Results: mx.cps.example.gov.uk; dmarc=pass header.from=cps.example.gov.uk"
token_of() { mail_header "$1" Reply-To | sed 's/.*<\(.*\)>.*/\1/'; }
state_of() { sqlite3 "$T/redress.db" "SELECT state FROM cases WHERE ref = '$1'"; }
redress_conf 'triage_confidence = 100;'

# triaged TIME FROM BODY: mail it, run then; sets $tref to its case
triaged() {
	imap_mail "Someone <$2>" "$AREA" "About my case" "" "$3"
	redressd_at "$1"
	check_eq "the run at $1 exits 0" "$rc" 0
	tref=$(sqlite3 "$T/redress.db" "SELECT c.ref FROM cases c JOIN party p ON p.case_id = c.id WHERE p.email = '$2'")
}

POL=pol@example.org
triaged 2026-11-24T10:00:00Z $POL "This is about the police. The officer who took my statement was rude and the police lost my evidence. I want to complain about the police officers."
check "a triaged message opens a case" test -n "$tref"
check_eq "handled as a complaint, its stage 1 clock running" \
    "$(state_of "$tref")" stage1_open
check_eq "the sender gets one letter" "$(sent_to $POL)" 1
ack=$(sent_file $POL)
check "a neutral one: a reply is promised" \
    grep -q "reply to you by" "$(mail_text "$ack")"
check "and the letter does not say what the message is" \
    sh -c "! grep -qi -e 'your complaint' -e 'police' '$(mail_text "$ack")'"
notice=$(sent_file lon.coord@cps.example.gov.uk)
check_eq "the coordinators get a triage notice" \
    "$(mail_header "$notice" Subject)" \
    "Please confirm what this is (London) [$tref]"
check "naming the two likeliest kinds with their probabilities" \
    grep -q "most likely redirect_police ([0-9]*%) or [a-z_]* ([0-9]*%)" \
    "$(mail_text "$notice")"
imap_mail "$COORD" "$(token_of "$notice")" "Re: [$tref]" \
    "$(mail_header "$notice" Message-ID)" "#kind redirect_police" "$TRUSTED"
redressd_at 2026-11-24T11:00:00Z
check_eq "#kind redirect_police sends the police redirect reply" \
    "$(sent_to $POL)" 2
check "which says where police complaints go" \
    grep -qi "police" "$(mail_text "$(sent_file $POL)")"
check_eq "and closes the case" "$(state_of "$tref")" closed
check_eq "with no stage 1 clock left running" \
    "$(sqlite3 "$T/redress.db" "SELECT COUNT(*) FROM deadline d JOIN cases c ON c.id = d.case_id WHERE c.ref = '$tref' AND d.state = 'open'")" 0

VRR=vrr@example.org
triaged 2026-11-24T12:00:00Z $VRR "The CPS wrote to say they have decided not to charge the man who attacked me. I want that decision reviewed under the Victims' Right to Review scheme."
notice=$(sent_file lon.coord@cps.example.gov.uk)
vrr0=$(sent_to vrr@cps.example.gov.uk)
imap_mail "$COORD" "$(token_of "$notice")" "Re: [$tref]" \
    "$(mail_header "$notice" Message-ID)" "#kind vrr" "$TRUSTED"
redressd_at 2026-11-24T13:00:00Z
check_eq "#kind vrr sends the sender the VRR reply" "$(sent_to $VRR)" 2
check_eq "and forwards the message to the VRR team" \
    "$(($(sent_to vrr@cps.example.gov.uk) - vrr0))" 1
check_eq "and closes the case here" "$(state_of "$tref")" closed

ADA=ada2@example.org
triaged 2026-11-24T14:00:00Z $ADA "I want to make a formal complaint about the way my case was handled. Nobody told me the trial had moved and nobody answers my letters."
notice=$(sent_file lon.coord@cps.example.gov.uk)
imap_mail "$COORD" "$(token_of "$notice")" "Re: [$tref]" \
    "$(mail_header "$notice" Message-ID)" "#kind complaint" "$TRUSTED"
redressd_at 2026-11-24T15:00:00Z
check_eq "#kind complaint: the case goes on at stage 1" \
    "$(state_of "$tref")" stage1_open
check_eq "and the sender gets nothing more" "$(sent_to $ADA)" 1
check "the coordinator is told the kind is settled" \
    grep -q "kind settled as complaint" \
    "$(mail_text "$(sent_file lon.coord@cps.example.gov.uk)")"

# --- Learning from staff: each #kind is kept as a labelled example, and
# `redress train --from-store` learns from them beside the corpus.
check_eq "each #kind is kept as a labelled example, with who set it" \
    "$(sqlite3 "$T/redress.db" "SELECT COUNT(*) FROM correction WHERE field = 'kind' AND by = 'lon.coord@cps.example.gov.uk' AND message IS NOT NULL")" 3
fields=$top_srcdir/tests/data/rules/fields
REDRESS_RULES=$top_srcdir/rules rcli train --folds 2 -C 1 --from-store \
    "$fields" -o "$T/with.txt" >"$T/train.out" 2>&1
check_eq "train --from-store exits 0" "$?" 0
check "and learns from the three corrections beside the corpus" \
    grep -q "from 1 directories and 3 staff corrections in the store" \
    "$T/train.out"
REDRESS_RULES=$top_srcdir/rules "$REDRESS" train --folds 2 -C 1 "$fields" \
    -o "$T/without.txt" >/dev/null 2>&1
check "the corrections change the model" \
    sh -c "! cmp -s '$T/with.txt' '$T/without.txt'"

done_testing
