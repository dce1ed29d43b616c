# tap.sh: a tiny TAP producer for the shell tests (sourced).
#   ok CONDITION-COMMAND... -- DESCRIPTION   is awkward; instead:
#   check "description" command args...      passes when the command does
#   skip_all "reason"                         when a prerequisite is absent
#   done_testing                              prints the plan
tap_n=0
tap_failed=0

check() {
	desc=$1; shift
	tap_n=$((tap_n + 1))
	if "$@" >"${TAP_OUT:-/dev/null}" 2>&1; then
		echo "ok $tap_n - $desc"
	else
		echo "not ok $tap_n - $desc"
		echo "#   command: $*"
		tap_failed=$((tap_failed + 1))
	fi
}

# check_eq DESCRIPTION GOT WANT
check_eq() {
	tap_n=$((tap_n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $tap_n - $1"
	else
		echo "not ok $tap_n - $1"
		printf '#   got:  %s\n#   want: %s\n' "$2" "$3"
		tap_failed=$((tap_failed + 1))
	fi
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

diag() {
	printf '# %s\n' "$*"
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
