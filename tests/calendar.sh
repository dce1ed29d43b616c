#!/bin/sh
# calendar.sh: `redress calendar update` installs a checked bank holiday
# list and refuses a bad one, leaving the installed list as it was;
# `redress calendar show` prints the derivation of a due date.
. "$top_srcdir/tests/tap.sh"

redress="$top_builddir/redress"
list="$top_srcdir/contrib/bank-holidays.json"
[ -x "$redress" ] || skip_all "$redress is not built"

dir=$(mktemp -d "${TMPDIR:-/tmp}/redress-calendar.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
REDRESS_NOW=2026-12-18T10:00:00Z
export REDRESS_NOW

# run CMD...: sets rc, out (stdout) and err (stderr).
run() {
	"$@" >"$dir/out" 2>"$dir/err"
	rc=$?
	out=$(cat "$dir/out")
	err=$(cat "$dir/err")
}

# --- update, good file
mkdir "$dir/lib"
run sh -c "umask 077 && exec \"\$0\" calendar update --to \"\$1\" \"\$2\"" \
    "$redress" "$dir/lib/bank-holidays.json" "$list"
check_eq "update of the shipped list succeeds" "$rc" 0
check_eq "update says what it installed" "$out" \
    "installed $list as $dir/lib/bank-holidays.json: 83 England and Wales bank holidays, 2018-01-01 to 2027-12-28"
check "the installed list is the file given, byte for byte" \
    cmp "$list" "$dir/lib/bank-holidays.json"
check_eq "the installed list is readable by the daemon (0644) whatever the umask" \
    "$(stat -c %a "$dir/lib/bank-holidays.json")" 644

# --- update, bad files
cp "$dir/lib/bank-holidays.json" "$dir/before.json"
sed 's/"2022-09-19"/"2022-13-19"/' "$list" >"$dir/month13.json"
run "$redress" calendar update --to "$dir/lib/bank-holidays.json" \
    "$dir/month13.json"
check_eq "a list with month 13 is refused" "$rc" 1
check_eq "...naming the file, the event and what was expected" "$err" \
    "$dir/month13.json: england-and-wales event 40 has date '2022-13-19', expected YYYY-MM-DD
redress calendar update: nothing installed"
check "...and the installed list is left as it was" \
    cmp "$dir/before.json" "$dir/lib/bank-holidays.json"
check_eq "...with no temporary file left beside it" \
    "$(ls "$dir/lib")" bank-holidays.json

printf '{"england-and-wales": {"events": [\n  {"title": "x",, }]}}\n' \
    >"$dir/broken.json"
run "$redress" calendar update --to "$dir/lib/bank-holidays.json" \
    "$dir/broken.json"
check_eq "broken JSON is refused" "$rc" 1
case $err in
"$dir/broken.json:2:"*"Parse error"*"expected the JSON list from https://www.gov.uk/bank-holidays.json"*)
	check_eq "...naming the file and line" ok ok ;;
*)	check_eq "...naming the file and line" "$err" "$dir/broken.json:2: Parse error..." ;;
esac

printf '{"scotland": {"division": "scotland", "events": []}}\n' \
    >"$dir/scotland.json"
run "$redress" calendar update --to "$dir/lib/bank-holidays.json" \
    "$dir/scotland.json"
check_eq "a list without England and Wales is refused" "$err" \
    "$dir/scotland.json: no 'england-and-wales' division; expected the list from https://www.gov.uk/bank-holidays.json
redress calendar update: nothing installed"

run env REDRESS_NOW=2030-01-02T09:00:00Z "$redress" calendar update \
    --to "$dir/lib/bank-holidays.json" "$list"
check_eq "a list that does not cover this year is refused" "$rc" 1
check_eq "...saying what it covers and where to get the current one" \
    "$err" "$list: covers 2018-01-01 to 2027-12-31, not today (2030-01-02); get the current list from https://www.gov.uk/bank-holidays.json
redress calendar update: nothing installed"
check "...and after all these refusals the list is unchanged" \
    cmp "$dir/before.json" "$dir/lib/bank-holidays.json"

run "$redress" calendar update --to "$dir/lib/bank-holidays.json" \
    "$dir/absent.json"
check_eq "a missing FILE is an error" "$rc" 1
case $err in
*"$dir/absent.json"*"No such file"*) check_eq "...naming it" ok ok ;;
*)	check_eq "...naming it" "$err" "... $dir/absent.json: No such file" ;;
esac

run "$redress" calendar update --to "$dir/no/such/dir/bank-holidays.json" \
    "$list"
check_eq "an impossible target is an error" "$rc" 1
case $err in
"$dir/no/such/dir/bank-holidays.json: cannot install the list: "*"the installed list, if any, is unchanged")
	check_eq "...saying nothing was changed" ok ok ;;
*)	check_eq "...saying nothing was changed" "$err" "(cannot install ...)" ;;
esac

run env REDRESS_NOW=2027-06-01T09:00:00Z "$redress" calendar update \
    --to "$dir/lib/bank-holidays.json" "$list"
check_eq "a list ending this year is installed" "$rc" 0
check_eq "...with a note that it needs refreshing" \
    "$(printf '%s\n' "$out" | sed -n 2p)" \
    "note: the list ends on 2027-12-31; limits that run past it cannot be worked out until a list covering 2028 is installed"

# --- update through the configuration
mkdir "$dir/conf" "$dir/conf/state"
head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/conf/secret"
echo imap-password >"$dir/conf/lon.pass"
chmod 600 "$dir/conf/secret" "$dir/conf/lon.pass"
cat >"$dir/conf/redress.conf" <<'EOF'
calendar = "state/bank-holidays.json";
secret_file = "secret";
vrr_address = "vrr@cps.example.gov.uk";
smtp = { from = "complaints@cps.example.gov.uk"; };
staff = { domains = [ "cps.example.gov.uk" ]; };
areas = (
  { id = "LON"; name = "London"; address = "london.complaints@cps.example.gov.uk";
    imap = { host = "imap.example"; user = "london"; password_file = "lon.pass"; };
    coordinators = [ "lon.coord@cps.example.gov.uk" ]; }
);
EOF
run "$redress" calendar update -c "$dir/conf/redress.conf" "$list"
check_eq "update -c installs at the configured calendar path" "$out" \
    "installed $list as $dir/conf/state/bank-holidays.json: 83 England and Wales bank holidays, 2018-01-01 to 2027-12-28"
run "$redress" calendar show -c "$dir/conf/redress.conf" 2022-09-16 3
check_eq "show -c reads the configured list (State Funeral skipped)" \
    "$(printf '%s\n' "$out" | grep '^due')" "due: Thu 22 Sep 2022 (day 3)"
run "$redress" calendar show -c "$dir/conf/redress.conf" \
    --to "$dir/lib/bank-holidays.json" 2022-09-16 3
check_eq "-c and --to together are refused" "$err" \
    "redress calendar: give -c CONFIG or --to PATH, not both"

# --- show
run "$redress" calendar show --to "$dir/lib/bank-holidays.json" \
    2026-12-18 20
check_eq "show prints DOMAIN.md's example in full" "$out" \
"received Fri 18 Dec 2026; counting starts the working day after receipt
limit: 20 working days
day 1: Mon 21 Dec 2026
not counted: Fri 25 Dec 2026 (Christmas Day)
not counted: Mon 28 Dec 2026 (Boxing Day, substitute day)
not counted: Fri 1 Jan 2027 (New Year’s Day)
not counted: 10 weekend days
due: Wed 20 Jan 2027 (day 20)
check: 33 days after receipt = 20 counted + 10 weekend + 3 bank holiday + 0 stopped"

run "$redress" calendar show --to "$dir/lib/bank-holidays.json" \
    --stop "2027-01-04:2027-01-08:awaiting authority" \
    --extend "10:holding letter" 2026-12-18 20
check_eq "show with a clock stop and a holding letter" \
    "$(printf '%s\n' "$out" | grep -e '^clock' -e '^extended' -e '^due')" \
"extended by 10 working days: holding letter
clock stopped Mon 4 Jan 2027 to Fri 8 Jan 2027 (awaiting authority): 5 working days not counted
due: Wed 10 Feb 2027 (day 30)"

run "$redress" calendar show --to "$dir/lib/bank-holidays.json" \
    2027-12-20 20
check_eq "show past the end of the list fails" "$rc" 1
check_eq "...saying how to refresh the list" "$err" \
    "redress calendar show: cannot count 20 working days from Mon 20 Dec 2027: bank holidays in $dir/lib/bank-holidays.json are known only up to 2027-12-31: run redress calendar update FILE with the current list from https://www.gov.uk/bank-holidays.json"

run "$redress" calendar show --to "$dir/lib/bank-holidays.json" \
    2026-02-29 20
check_eq "show refuses a date that does not exist" "$err" \
    "redress calendar show: start '2026-02-29': expected YYYY-MM-DD or today"

run "$redress" calendar show --to "$dir/lib/bank-holidays.json" \
    --stop 2027-01-04 2026-12-18 20
check_eq "show refuses a stop without an end" "$err" \
    "redress calendar show: --stop 2027-01-04: expected FROM:TO[:WHY] with dates as YYYY-MM-DD"

run "$redress" calendar show --to "$dir/missing.json" 2026-12-18 20
check_eq "show without an installed list fails" "$rc" 1
case $err in
"cannot read the bank holiday list: "*"$dir/missing.json"*)
	check_eq "...naming the file" ok ok ;;
*)	check_eq "...naming the file" "$err" "cannot read ... $dir/missing.json" ;;
esac

run env REDRESS_NOW=2026-06-30T23:30:00Z "$redress" calendar show \
    --to "$dir/lib/bank-holidays.json" today 1
check_eq "show today uses the England and Wales date (BST)" \
    "$(printf '%s\n' "$out" | head -n 1)" \
    "received Wed 1 Jul 2026; counting starts the working day after receipt"

run "$redress" calendar frobnicate
check_eq "an unknown subcommand prints the usage and fails" \
    "$rc:$(printf '%s\n' "$err" | head -n 1)" \
    "1:usage: redress calendar update [-c CONFIG | --to PATH] FILE"

done_testing
