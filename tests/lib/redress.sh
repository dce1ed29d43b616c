# redress.sh: a whole redress installation for one integration test
# (sourced, after tap.sh). Real servers, loopback only:
#
#   redress_setup [NAME]    makes $T (a fresh directory), starts Dovecot and
#                           smtp-sink, writes $T/redress.conf with two Areas
#                           (LON: user lon, processed folder "Processed";
#                           WAL: user wal, no processed folder, so \Seen),
#                           and stops everything on exit, pass or fail.
#                           Skips the whole test when a server is missing.
#   redress_conf [EXTRA]    writes the configuration again; EXTRA is libconfig
#                           text appended (e.g. limits = {...};)
#   redressd_once [ENV...]  runs `redressd -f --once` (under valgrind when
#                           REDRESS_VALGRIND=1); its stderr is in $T/redressd.log,
#                           its exit status in $rc
#   rcli ARGS...            runs the built `redress` with -c $T/redress.conf
#   sent_to ADDR            how many messages the SMTP server got for ADDR
#   sent_file ADDR [N]      the Nth (default last) stored file for ADDR
#   imap_mail FROM TO SUBJECT IN-REPLY-TO BODY [HEADER...]
#                           a message in the London INBOX, as a mail client
#                           (or a forger) would send it: Message-ID
#                           <msg-N@test.example>, N counting from 1 ($n)
#   redressd_at ISO-TIME    redressd_once at that time
#   mail_header FILE NAME   a header of a stored mail, decoded
#   mail_text FILE          its text, lines joined, in a file; prints the path
#
# REDRESS_NOW is fixed for reproducible case references and dates.

. "$top_srcdir/tests/lib/dovecot.sh"
. "$top_srcdir/tests/lib/smtp-sink.sh"

REDRESSD=$top_builddir/redressd
REDRESS=$top_builddir/redress
MAILREAD="python3 $top_srcdir/tests/lib/mailread.py"
REDRESS_NOW=${REDRESS_NOW:-2026-11-23T10:00:00Z}
export REDRESS_NOW

redress_cleanup() {
	[ -n "${T:-}" ] || return 0
	smtp_sink_stop "$T/smtp"
	dovecot_stop "$T/imap"
	if [ "${tap_failed:-0}" -eq 0 ] && [ -z "${REDRESS_KEEP:-}" ]; then
		rm -rf "$T"
	else
		diag "test directory kept: $T"
	fi
}

redress_setup() {
	why=$(dovecot_usable) || skip_all "$why"
	[ -x "$REDRESSD" ] || skip_all "redressd is not built"
	T=$(mktemp -d "${TMPDIR:-/tmp}/redress-${1:-test}.XXXXXX")
	chmod 0755 "$T"
	trap redress_cleanup EXIT
	trap 'exit 1' INT TERM
	mkdir -p "$T/imap" "$T/smtp"
	dovecot_start "$T/imap" >"$T/dovecot-start.log" 2>&1 || {
		cat "$T/dovecot-start.log" >&2
		echo "Bail out! Dovecot did not start"
		exit 1
	}
	smtp_sink_start "$T/smtp" || {
		echo "Bail out! smtp-sink did not start"
		exit 1
	}
	# redress refuses password files other users can read.
	chmod 0600 "$T"/imap/*.pass
	umask 077
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$T/secret"
	umask 022
	redress_conf
}

redress_conf() {
	cat >"$T/redress.conf" <<-EOF
	database = "$T/redress.db";
	templates = "$top_srcdir/templates";
	rules = "$top_srcdir/rules";
	calendar = "$top_srcdir/contrib/bank-holidays.json";
	secret_file = "$T/secret";
	vrr_address = "vrr@cps.example.gov.uk";
	poll_interval = 2;
	smtp = { host = "127.0.0.1"; port = $SMTP_SINK_PORT; tls = "none";
	         from = "complaints@cps.example.gov.uk"; };
	staff = { domains = [ "cps.example.gov.uk" ];
	          trusted_authserv_id = "mx.cps.example.gov.uk"; };
	areas = (
	  { id = "LON"; name = "London";
	    address = "london.complaints@cps.example.gov.uk";
	    enquiries = "london.enquiries@cps.example.gov.uk";
	    imap = { host = "127.0.0.1"; port = $DOVECOT_IMAP_PORT; tls = "none";
	             user = "lon"; password_file = "$T/imap/lon.pass";
	             mailbox = "INBOX"; processed = "Processed"; };
	    coordinators = [ "lon.coord@cps.example.gov.uk" ];
	    managers = [ "lon.manager@cps.example.gov.uk" ]; },
	  { id = "WAL"; name = "Wales";
	    address = "wales.complaints@cps.example.gov.uk";
	    imap = { host = "127.0.0.1"; port = $DOVECOT_IMAP_PORT; tls = "none";
	             user = "wal"; password_file = "$T/imap/wal.pass";
	             mailbox = "INBOX"; };
	    coordinators = [ "wal.coord@cps.example.gov.uk" ];
	    managers = [ "wal.manager@cps.example.gov.uk" ]; }
	);
	${1:-}
	EOF
}

# Run a program, under valgrind when asked; valgrind's own failure is 99.
vg() {
	if [ "${REDRESS_VALGRIND:-0}" = 1 ] && [ -n "${VALGRIND:-}" ]; then
		"$VALGRIND" -q --error-exitcode=99 --leak-check=full \
		    --errors-for-leak-kinds=definite \
		    --suppressions="$top_srcdir/tests/valgrind.supp" "$@"
	else
		"$@"
	fi
}

redressd_once() {
	rc=0
	(
		for kv in "$@"; do export "$kv"; done
		vg "$REDRESSD" -c "$T/redress.conf" -f --once
	) 2>>"$T/redressd.log" || rc=$?
}

rcli() {
	vg "$REDRESS" "$@" -c "$T/redress.conf"
}

sent_to() {
	$MAILREAD "$T/smtp/mail" --to "$1" | wc -l | tr -d ' '
}

sent_file() {
	f=$($MAILREAD "$T/smtp/mail" --to "$1" | cut -f1 |
	    sed -n "${2:-\$}p")
	[ -n "$f" ] && echo "$T/smtp/mail/$f"
}

n=0
imap_mail() {
	n=$((n + 1))
	_f=$T/in-$n.eml
	{
		printf 'From: %s\r\nTo: %s\r\nSubject: %s\r\n' "$1" "$2" "$3"
		printf 'Date: Mon, 23 Nov 2026 12:00:00 +0000\r\n'
		printf 'Message-ID: <msg-%s@test.example>\r\n' "$n"
		[ -n "$4" ] && printf 'In-Reply-To: %s\r\nReferences: %s\r\n' "$4" "$4"
		_body=$5
		shift 5
		for _h in "$@"; do [ -z "$_h" ] || printf '%s\r\n' "$_h"; done
		printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
		printf '%s\n' "$_body" | sed 's/$/\r/'
	} >"$_f"
	imap_append "$T/imap" lon "$_f"
}

redressd_at() {
	redressd_once REDRESS_NOW="$1"
	[ "$rc" -eq 0 ] || diag "redressd exited $rc at $1"
}

mail_header() { $MAILREAD "$1" --header "$2"; }

mail_text() {
	_t=$(mktemp "$T/text.XXXXXX")
	$MAILREAD "$1" --text | tr -s ' \n' '  ' >"$_t"
	echo "$_t"
}
