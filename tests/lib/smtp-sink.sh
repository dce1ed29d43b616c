# smtp-sink.sh: Postfix's smtp-sink as a throwaway SMTP server (sourced by
# POSIX sh tests).
#
#   smtp_sink_start DIR [smtp-sink options...]
#       Starts smtp-sink on a free 127.0.0.1 port and exports SMTP_SINK_PORT.
#       Every message it accepts is stored as one file under DIR/mail/.
#       Extra options make it misbehave (see smtp-sink(1)): -f CMD,... answers
#       those commands with a 5xx, -r CMD,... with a 4xx (-B / -b set that
#       reply's text), -q CMD,... hangs up without answering; CMD is MAIL,
#       RCPT, DATA or "." (the end of the message), among others. It always
#       announces AUTH and accepts any login; it does not speak TLS.
#       Returns non-zero, saying why on stderr, when it cannot start.
#   smtp_sink_stop DIR         stops it; safe when it never started
#   smtp_sink_messages DIR     the stored files, one path a line
#   smtp_sink_count DIR        how many messages were stored
#   smtp_sink_message FILE     the message exactly as the client sent it,
#                              with LF line ends (no smtp-sink lines)
#   smtp_sink_envelope FILE NAME
#                              smtp-sink's envelope lines NAME (Helo-Args,
#                              Mail-Args or Rcpt-Args: one per RCPT, e.g.
#                              "<a@example.org>"), one value a line
#   smtp_sink_header FILE NAME the first NAME: header of the message, as is
#
# A stored file holds, in order: smtp-sink's own lines (X-Client-Addr,
# X-Client-Proto, X-Helo-Args, X-Mail-Args, one X-Rcpt-Args per accepted
# RCPT), its three-line "Received: from HELO ([IP])" header, the message
# (dot stuffing undone, CRLF turned to LF), and one empty line it appends.
# smtp_sink_message strips all of that, so it can be compared with cmp.
#
# SMTP_SINK (set by configure) names the program; otherwise it is looked
# for in PATH and /usr/sbin.
#
#   smtp_sink_wait DIR COUNT   waits (up to 20 s) until the sink holds COUNT
#                              messages: mail relayed by Postfix comes later
#
# smtp-sink refuses every RCPT alike and speaks no TLS, so a throwaway
# Postfix (run as root) stands in front of it for those tests:
#   smtp_relay_usable          0 when it can run; else prints why, returns 1
#   smtp_relay_start DIR SINK_PORT
#       Starts Postfix from DIR/conf (queue and log in DIR), relaying all it
#       accepts to the smtp-sink on SINK_PORT. Exports SMTP_RELAY_PORT
#       (plain, STARTTLS offered) and SMTP_RELAYS_PORT (implicit TLS), both
#       presenting DIR/server.crt (certs.sh: signed by DIR/ca.crt, for
#       localhost and 127.0.0.1), and noting "using TLS..." in the
#       Received header it adds. It offers no AUTH. It offers SMTPUTF8
#       and refuses a UTF-8 address sent without it. RCPT answers:
#         unknown@example.org  550 5.1.1 <address>: ... User unknown
#         busy@example.org     450 4.2.0 <address>: ... Mailbox busy
#         anyone else          250
#   smtp_relay_stop DIR        stops it; safe when it never started

# shellcheck source=certs.sh
. "${top_srcdir:-.}/tests/lib/certs.sh"

smtp_sink_program() {
	if [ -n "${SMTP_SINK:-}" ] && [ -x "$SMTP_SINK" ]; then
		echo "$SMTP_SINK"
	elif command -v smtp-sink >/dev/null 2>&1; then
		command -v smtp-sink
	elif [ -x /usr/sbin/smtp-sink ]; then
		echo /usr/sbin/smtp-sink
	else
		return 1
	fi
}

# A port nothing listens on now (the kernel's choice; a race remains, which
# smtp_sink_start covers by trying again).
smtp_sink_free_port() {
	perl -MIO::Socket::INET -e '
		my $s = IO::Socket::INET->new(Listen => 1,
		    LocalAddr => "127.0.0.1", LocalPort => 0, ReuseAddr => 1)
		    or die "no free port: $!\n";
		print $s->sockport, "\n";'
}

# Succeeds once something accepts connections on 127.0.0.1:PORT.
smtp_sink_listening() {
	perl -MIO::Socket::INET -e '
		exit(IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $ARGV[0], Timeout => 1) ? 0 : 1)' "$1"
}

smtp_sink_start() {
	_ss_dir=$1
	shift
	_ss_prog=$(smtp_sink_program) || {
		echo "smtp_sink_start: smtp-sink not found (Debian package" \
		    "postfix)" >&2
		return 1
	}
	mkdir -p "$_ss_dir/mail" || return 1
	# As root smtp-sink must drop privileges, and then write as nobody.
	_ss_user=
	if [ "$(id -u)" -eq 0 ]; then
		_ss_user="-u nobody"
		chmod 0777 "$_ss_dir/mail"
	fi
	_ss_try=0
	while [ $_ss_try -lt 5 ]; do
		_ss_try=$((_ss_try + 1))
		_ss_port=$(smtp_sink_free_port) || return 1
		# shellcheck disable=SC2086 # _ss_user is one option or none
		"$_ss_prog" $_ss_user -d "$_ss_dir/mail/%H%M%S." "$@" \
		    "127.0.0.1:$_ss_port" 64 \
		    >"$_ss_dir/smtp-sink.log" 2>&1 &
		echo $! >"$_ss_dir/smtp-sink.pid"
		_ss_wait=0
		while [ $_ss_wait -lt 50 ]; do
			if ! kill -0 "$(cat "$_ss_dir/smtp-sink.pid")" \
			    2>/dev/null; then
				break	# it died: most likely the port was taken
			fi
			if smtp_sink_listening "$_ss_port"; then
				SMTP_SINK_PORT=$_ss_port
				export SMTP_SINK_PORT
				return 0
			fi
			sleep 0.1
			_ss_wait=$((_ss_wait + 1))
		done
		smtp_sink_stop "$_ss_dir"
	done
	echo "smtp_sink_start: smtp-sink did not start; its output:" >&2
	cat "$_ss_dir/smtp-sink.log" >&2
	return 1
}

smtp_sink_stop() {
	if [ -f "$1/smtp-sink.pid" ]; then
		_ss_pid=$(cat "$1/smtp-sink.pid")
		kill "$_ss_pid" 2>/dev/null
		# Wait so that the port is free and no file is half written.
		_ss_wait=0
		while kill -0 "$_ss_pid" 2>/dev/null && [ $_ss_wait -lt 50 ]; do
			sleep 0.1
			_ss_wait=$((_ss_wait + 1))
		done
		rm -f "$1/smtp-sink.pid"
	fi
	return 0
}

smtp_sink_messages() {
	for _ss_f in "$1"/mail/*; do
		[ -f "$_ss_f" ] && echo "$_ss_f"
	done
	return 0
}

smtp_sink_count() {
	smtp_sink_messages "$1" | wc -l | tr -d ' '
}

smtp_sink_message() {
	# Skip the X- lines and the Received header (with its continuation
	# lines) that come first; hold each line back one step so that the
	# empty line smtp-sink appends is never printed.
	awk '
		state == 0 && /^X-(Client-Addr|Client-Proto|Helo-Args|Mail-Args|Rcpt-Args):/ { next }
		state == 0 && /^Received:/ { state = 1; next }
		state == 1 && /^[ \t]/ { next }
		{ state = 2; if (held) print line; line = $0; held = 1 }
	' "$1"
}

smtp_sink_envelope() {
	sed -n "/^Received:/q; s/^X-$2: //p" "$1"
}

smtp_sink_header() {
	smtp_sink_message "$1" | sed -n "/^\$/q; s/^$2: //p" | head -n 1
}

smtp_sink_wait() {
	_ss_wait=0
	while [ "$(smtp_sink_count "$1")" -lt "$2" ] && [ $_ss_wait -lt 200 ]
	do
		sleep 0.1
		_ss_wait=$((_ss_wait + 1))
	done
	[ "$(smtp_sink_count "$1")" -ge "$2" ]
}

smtp_relay_usable() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "a throwaway Postfix must be started as root"
		return 1
	fi
	if ! PATH=$PATH:/usr/sbin:/sbin command -v postfix >/dev/null 2>&1
	then
		echo "postfix is not installed (Debian package postfix)"
		return 1
	fi
	if ! id postfix >/dev/null 2>&1; then
		echo "there is no postfix user (Debian package postfix)"
		return 1
	fi
	if ! command -v openssl >/dev/null 2>&1; then
		echo "openssl is not installed, needed for test certificates"
		return 1
	fi
	return 0
}

_smtp_relay_postfix() {
	_sr_d=$1
	shift
	PATH=$PATH:/usr/sbin:/sbin postfix -c "$_sr_d/conf" "$@"
}

_smtp_relay_default() {
	PATH=$PATH:/usr/sbin:/sbin postconf -dh "$1"
}

_smtp_relay_wait() {
	_sr_wait=0
	while [ $_sr_wait -lt 100 ]; do
		smtp_sink_listening "$1" && return 0
		sleep 0.1
		_sr_wait=$((_sr_wait + 1))
	done
	return 1
}

smtp_relay_start() {
	_sr_dir=$1
	_sr_sink=$2
	_sr_why=$(smtp_relay_usable) || {
		echo "smtp_relay_start: $_sr_why" >&2
		return 1
	}
	mkdir -p "$_sr_dir/conf" "$_sr_dir/queue" "$_sr_dir/data" || return 1
	chown postfix "$_sr_dir/data" || return 1
	if [ ! -f "$_sr_dir/server.crt" ]; then
		make_test_certs "$_sr_dir" || return 1
	fi
	SMTP_RELAY_PORT=$(smtp_sink_free_port) || return 1
	SMTP_RELAYS_PORT=$(smtp_sink_free_port) || return 1
	cat >"$_sr_dir/conf/main.cf" <<-EOF
	compatibility_level = 3.6
	queue_directory = $_sr_dir/queue
	data_directory = $_sr_dir/data
	command_directory = $(_smtp_relay_default command_directory)
	daemon_directory = $(_smtp_relay_default daemon_directory)
	meta_directory = $(_smtp_relay_default meta_directory)
	shlib_directory = $(_smtp_relay_default shlib_directory)
	mail_owner = postfix
	maillog_file = $_sr_dir/maillog
	maillog_file_prefixes = $_sr_dir
	inet_interfaces = 127.0.0.1
	inet_protocols = ipv4
	myhostname = relay.redress.test
	mydomain = redress.test
	mydestination =
	mynetworks = 127.0.0.0/8
	relayhost = [127.0.0.1]:$_sr_sink
	alias_maps =
	alias_database =
	smtp_tls_security_level = none
	smtpd_tls_security_level = may
	smtpd_tls_cert_file = $_sr_dir/server.crt
	smtpd_tls_key_file = $_sr_dir/server.key
	smtpd_tls_received_header = yes
	smtpd_relay_restrictions = permit_mynetworks, reject
	strict_smtputf8 = yes
	smtpd_recipient_restrictions = check_recipient_access texthash:$_sr_dir/conf/recipients
	EOF
	cat >"$_sr_dir/conf/recipients" <<-EOF
	unknown@example.org 550 5.1.1 User unknown
	busy@example.org 450 4.2.0 Mailbox busy
	EOF
	# Only what relaying needs, and nothing chrooted.
	cat >"$_sr_dir/conf/master.cf" <<-EOF
	127.0.0.1:$SMTP_RELAY_PORT inet n - n - - smtpd
	127.0.0.1:$SMTP_RELAYS_PORT inet n - n - - smtpd -o smtpd_tls_wrappermode=yes
	cleanup unix n - n - 0 cleanup
	qmgr unix n - n 300 1 qmgr
	tlsmgr unix - - n 1000? 1 tlsmgr
	rewrite unix - - n - - trivial-rewrite
	bounce unix - - n - 0 bounce
	defer unix - - n - 0 bounce
	trace unix - - n - 0 bounce
	verify unix - - n - 1 verify
	flush unix n - n 1000? 0 flush
	proxymap unix - - n - - proxymap
	smtp unix - - n - - smtp
	relay unix - - n - - smtp
	error unix - - n - - error
	retry unix - - n - - error
	discard unix - - n - - discard
	anvil unix - - n - 1 anvil
	scache unix - - n - 1 scache
	postlog unix-dgram n - n - 1 postlogd
	EOF
	if ! _smtp_relay_postfix "$_sr_dir" start >/dev/null 2>&1 ||
	    ! _smtp_relay_wait "$SMTP_RELAY_PORT" ||
	    ! _smtp_relay_wait "$SMTP_RELAYS_PORT"; then
		echo "smtp_relay_start: Postfix did not start; its log:" >&2
		tail -n 20 "$_sr_dir/maillog" >&2 2>/dev/null
		smtp_relay_stop "$_sr_dir"
		return 1
	fi
	export SMTP_RELAY_PORT SMTP_RELAYS_PORT
	return 0
}

smtp_relay_stop() {
	_sr_pidfile=$1/queue/pid/master.pid
	[ -f "$_sr_pidfile" ] || return 0
	_sr_pid=$(tr -d ' ' <"$_sr_pidfile")
	_smtp_relay_postfix "$1" stop >/dev/null 2>&1
	_sr_wait=0
	while kill -0 "$_sr_pid" 2>/dev/null && [ $_sr_wait -lt 100 ]; do
		sleep 0.1
		_sr_wait=$((_sr_wait + 1))
	done
	if kill -0 "$_sr_pid" 2>/dev/null; then
		_smtp_relay_postfix "$1" abort >/dev/null 2>&1
	fi
	rm -f "$_sr_pidfile"
	return 0
}
