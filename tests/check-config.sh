# check-config.sh: `redress check-config` as an operator runs it, on the
# fixtures of tests/data/conf and on contrib/redress.conf.example itself.
. "$top_srcdir/tests/tap.sh"

redress=${REDRESS:-$top_builddir/redress}
[ -x "$redress" ] || { echo "Bail out! $redress is not built"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-config.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# git keeps no modes: password files must be private before they load.
cp -R "$top_srcdir/tests/data/conf" "$tmp/conf"
# The copy is elsewhere: its templates, rules and calendar are the tree's.
sed -i -e "s|^templates = .*|templates = \"$top_srcdir/templates\";|" \
    -e "s|^rules = .*|rules = \"$top_srcdir/rules\";|" \
    -e "s|^calendar = .*|calendar = \"$top_srcdir/contrib/bank-holidays.json\";|" \
    "$tmp/conf/good.conf"
chmod 600 "$tmp"/conf/*
chmod 644 "$tmp/conf/open.pass"

# run FILE...: runs check-config, leaving $rc, $out and $err.
run() {
	"$redress" check-config "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# Every secret held by the fixtures and the example's test copy.
shows_secret() {
	grep -q -e correct-horse -e L0ndon-imap-pw -e Cymru-imap-pw \
	    -e smtp-relay-pw -e tooSHORTkey -e open-pw -e example-key \
	    -e example-pw "$tmp/out" "$tmp/err"
}

good=$tmp/conf/good.conf
run -c "$good"
check_eq "good.conf: exit 0" "$rc" 0
check_eq "good.conf: OK with the number of Areas" "$out" \
    "$good: configuration OK (2 Areas)"
check_eq "good.conf: nothing on stderr" "$err" ""
check "good.conf: no secret printed" eval '! shows_secret'

bad=$tmp/conf/bad.conf
run -c "$bad"
check_eq "bad.conf: exit 1" "$rc" 1
check_eq "bad.conf: nothing on stdout" "$out" ""
check_eq "bad.conf: all 27 problems, one a line" \
    "$(grep -c . "$tmp/err")" 27
check_eq "bad.conf: every line is FILE:LINE: problem" \
    "$(grep -c -v "^$bad:[0-9][0-9]*: ." "$tmp/err")" 0
check_eq "bad.conf: in line order" \
    "$(cut -d: -f2 "$tmp/err" | tr '\n' ' ')" \
    "1 2 3 4 5 6 7 7 8 8 9 10 11 13 15 16 17 18 18 19 21 21 22 23 24 24 26 "
check "bad.conf: typo gets a suggestion" grep -qxF \
    "$bad:2: unknown setting 'databse'; did you mean 'database'?" "$tmp/err"
check "bad.conf: unreadable password file named, permissions hinted" \
    grep -qxF "$bad:16: imap.password_file in area lon: cannot read $tmp/conf/missing.pass: No such file or directory; check that the file exists and that its permissions let the user running redress read it" "$tmp/err"
check "bad.conf: world-readable password file refused" grep -qF \
    "$bad:23: imap.password_file in area NORTH: $tmp/conf/open.pass has mode 0644" \
    "$tmp/err"
check "bad.conf: no secret printed" eval '! shows_secret'

run -c "$tmp/conf/syntax.conf"
check_eq "syntax error: exit 1" "$rc" 1
check_eq "syntax error: libconfig's message at its line" "$err" \
    "$tmp/conf/syntax.conf:5: syntax error"

run -c "$tmp/conf/absent.conf"
check_eq "missing file: exit 1" "$rc" 1
check_eq "missing file: says so" "$err" \
    "$tmp/conf/absent.conf: cannot read the configuration file: No such file or directory; check the path given with -c"

run
check_eq "no -c: exit 2" "$rc" 2
check "no -c: usage" grep -qxF "usage: redress check-config -c FILE" \
    "$tmp/err"
run -c
check_eq "-c without a file: exit 2" "$rc" 2
run -c "$good" extra
check_eq "extra argument: exit 2" "$rc" 2

# The shipped example, with its /etc/redress files made here.
example=$top_srcdir/contrib/redress.conf.example
mkdir "$tmp/ex"
sed -e "s|/etc/redress/|$tmp/ex/|g" -e "s|/usr/share/redress/|$top_srcdir/|g" \
    -e "s|/var/lib/redress/bank-holidays.json|$top_srcdir/contrib/bank-holidays.json|" \
    "$example" >"$tmp/ex/redress.conf"
(umask 077; echo example-key-0123456789abcdef >"$tmp/ex/secret";
    echo example-pw >"$tmp/ex/london.pass")
run -c "$tmp/ex/redress.conf"
check_eq "example: exit 0" "$rc" 0
check_eq "example: OK" "$out" "$tmp/ex/redress.conf: configuration OK (1 Areas)"
check_eq "example: nothing on stderr" "$err" ""
check "example: no secret printed" eval '! shows_secret'

chmod 644 "$tmp/ex/secret"
run -c "$tmp/ex/redress.conf"
check_eq "example with a world-readable secret: exit 1" "$rc" 1
check "example with a world-readable secret: says how to fix it" grep -qF \
    "secret_file: $tmp/ex/secret has mode 0644, so other users can read or change it; run chmod 600" \
    "$tmp/err"

# settings FILE: the names set in a configuration file, one a line.
settings() {
	sed -n 's/^[[:space:]]*\([a-z_][a-z_0-9]*\)[[:space:]]*=.*/\1/p' "$1" |
	    sort -u
}

# good.conf sets every setting the code reads (it loads without an
# "unknown setting"), so it must all be in the example ...
missing=
for key in $(settings "$top_srcdir/tests/data/conf/good.conf"); do
	settings "$example" | grep -qx "$key" || missing="$missing $key"
done
check_eq "every setting is in the example" "$missing" ""

# ... and every setting of the example in the manual page.
man=$top_srcdir/contrib/redress.conf.5
undocumented=
for key in $(settings "$example"); do
	grep -q "^\.It Ic $key\( \|$\)" "$man" || undocumented="$undocumented $key"
done
check_eq "every setting of the example is in redress.conf(5)" \
    "$undocumented" ""

# check-config loads what redressd loads at start: a broken rule file,
# template or jargon list, or a missing calendar, is found before the
# daemon is started.
cp -R "$top_srcdir/rules" "$tmp/rules"
printf '\nrule half-written\n    then kind nonsense +3\n' >>"$tmp/rules/20-kind.rules"
printf '!\n' >>"$tmp/rules/jargon.list"
cp -R "$top_srcdir/templates" "$tmp/templates"
printf 'Dear {{name}},\n' >"$tmp/templates/cy/vrr-reply.md"
sed -e "s|^rules = .*|rules = \"$tmp/rules\";|" \
    -e "s|^templates = .*|templates = \"$tmp/templates\";|" \
    -e "s|^calendar = .*|calendar = \"$tmp/none.json\";|" \
    "$tmp/conf/good.conf" >"$tmp/conf/broken-files.conf"
run -c "$tmp/conf/broken-files.conf"
check_eq "a broken rule file fails check-config" "$rc" 1
check "naming the rule file and line" \
    grep -qE "^$tmp/rules/20-kind.rules:[0-9]+: " "$tmp/err"
check "and the missing calendar" grep -qF "$tmp/none.json" "$tmp/err"
check "and the broken template, at its line" \
    grep -qF "$tmp/templates/cy/vrr-reply.md:1: a template starts with" \
    "$tmp/err"
check "and the broken jargon list, at its line" \
    grep -qE "^$tmp/rules/jargon.list:[0-9]+: the term is missing" "$tmp/err"
rm -rf "$tmp/rules" "$tmp/templates"

# No jargon list is no error: the letter check runs without one.
cp -R "$top_srcdir/rules" "$tmp/rules"
rm "$tmp/rules/jargon.list"
sed -e "s|^rules = .*|rules = \"$tmp/rules\";|" "$tmp/conf/good.conf" \
    >"$tmp/conf/no-jargon.conf"
run -c "$tmp/conf/no-jargon.conf"
check_eq "without a jargon list check-config still passes" "$rc" 0

done_testing
