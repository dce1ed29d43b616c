# dovecot.sh: a throwaway Dovecot 2.3 IMAP server for the tests (sourced).
#
#   dovecot_usable          0 when a usable Dovecot is installed; else prints
#                           the reason (for skip_all) and returns 1
#   dovecot_start DIR       writes DIR/dovecot.conf and starts Dovecot
#                           (certificates from certs.sh, made when absent);
#                           exports DOVECOT_IMAP_PORT (plain, STARTTLS
#                           offered) and DOVECOT_IMAPS_PORT (implicit TLS)
#   dovecot_stop DIR        stops it (call from a trap on EXIT)
#   imap_append DIR USER FILE [MAILBOX]   delivers FILE (default INBOX)
#   imap_count DIR USER MAILBOX           prints the number of messages
#   imap_count_seen DIR USER MAILBOX      prints how many are \Seen
#
# Users (passwd-file): lon, wal and cym, password "USER-secret", also in
# DIR/USER.pass for password_file; and "basic", whose server offers only
# IMAP4rev1 (no IDLE, MOVE or UIDPLUS), to test the fall-backs.
# Mail is in DIR/mail/USER (maildir, "/" separator).
#
# Addresses: everything listens on 127.0.0.1, 127.0.0.2 and 127.0.0.3 (on
# Linux all of 127/8 is loopback). TLS on 127.0.0.1 and 127.0.0.3 presents
# DIR/server.crt (signed by DIR/ca.crt, for localhost and 127.0.0.1, so
# 127.0.0.3 is a wrong host name); on 127.0.0.2 it presents the self-signed
# DIR/untrusted.crt. Plain sessions on 127.0.0.3 offer no IDLE and no MOVE.
#
# Dovecot runs as root when the tests do (login and internal processes as
# dovenull/dovecot), otherwise entirely as the current user.

# shellcheck source=certs.sh
. "${top_srcdir:-.}/tests/lib/certs.sh"

_dovecot_bin() {
	if [ -n "${DOVECOT:-}" ] && [ -x "$DOVECOT" ]; then
		echo "$DOVECOT"
	elif command -v dovecot >/dev/null 2>&1; then
		command -v dovecot
	elif [ -x /usr/sbin/dovecot ]; then
		echo /usr/sbin/dovecot
	else
		return 1
	fi
}

_doveadm_bin() {
	for _c in "$(dirname "$(_dovecot_bin)")/doveadm" \
	    "$(command -v doveadm 2>/dev/null)" /usr/bin/doveadm; do
		if [ -n "$_c" ] && [ -x "$_c" ]; then
			echo "$_c"
			return 0
		fi
	done
	return 1
}

_doveadm() {
	_d=$1; shift
	"$(_doveadm_bin)" -c "$_d/dovecot.conf" "$@"
}

dovecot_usable() {
	if ! _bin=$(_dovecot_bin); then
		echo "dovecot not installed (apt-get install dovecot-imapd)"
		return 1
	fi
	if ! _doveadm_bin >/dev/null; then
		echo "doveadm not found (apt-get install dovecot-core)"
		return 1
	fi
	_v=$("$_bin" --version 2>/dev/null | cut -d' ' -f1)
	case $_v in
	2.3.*) ;;
	*)
		echo "Dovecot $_v: tests/lib/dovecot.sh writes Dovecot 2.3 configuration (2.4 changed the syntax)"
		return 1 ;;
	esac
	if ! command -v openssl >/dev/null 2>&1; then
		echo "openssl not installed (apt-get install openssl), needed for test certificates"
		return 1
	fi
	return 0
}

# Two distinct TCP ports free on every loopback address.
_free_ports() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c '
import socket
s = [socket.socket() for i in range(2)]
for x in s:
    x.bind(("", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))'
		return
	fi
	_a=""
	_b=""
	while [ -z "$_b" ]; do
		_p=$(awk 'BEGIN { srand(); print int(20000 + rand() * 30000) }')
		_port_open "$_p" && continue
		if [ -z "$_a" ]; then
			_a=$_p
		elif [ "$_p" != "$_a" ]; then
			_b=$_p
		fi
		sleep 1		# srand() seeds from the time in seconds
	done
	echo "$_a $_b"
}

# Whether something accepts connections on 127.0.0.1:PORT.
_port_open() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c '
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
		    "$1" 2>/dev/null
	else
		bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
	fi
}

_dovecot_wait_port() {
	_i=0
	while [ $_i -lt 100 ]; do
		_port_open "$1" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

dovecot_start() {
	_d=$1
	_why=$(dovecot_usable) || {
		echo "dovecot_start: $_why" >&2
		return 1
	}
	if [ ! -f "$_d/server.crt" ]; then
		make_test_certs "$_d" || return 1
	fi
	# shellcheck disable=SC2046
	set -- $(_free_ports)
	DOVECOT_IMAP_PORT=$1
	DOVECOT_IMAPS_PORT=$2
	export DOVECOT_IMAP_PORT DOVECOT_IMAPS_PORT

	if [ "$(id -u)" = 0 ]; then
		_internal=dovecot _login=dovenull
		_uid=$(id -u dovecot) _gid=$(id -g dovecot)
	else
		_internal=$(id -un) _login=$(id -un)
		_uid=$(id -u) _gid=$(id -g)
	fi
	mkdir -p "$_d/run" "$_d/state" "$_d/mail"
	: >"$_d/users"
	for _u in lon wal cym basic; do
		printf '%s-secret' "$_u" >"$_d/$_u.pass"
		_extra=""
		[ "$_u" = basic ] && _extra="userdb_imap_capability=IMAP4rev1"
		printf '%s:{PLAIN}%s-secret:%s:%s::%s/mail/%s::%s\n' "$_u" "$_u" \
		    "$_uid" "$_gid" "$_d" "$_u" "$_extra" >>"$_d/users"
		mkdir -p "$_d/mail/$_u"
	done
	chown -R "$_uid:$_gid" "$_d/mail"
	chmod 755 "$_d"
	_dh=""
	[ -r /usr/share/dovecot/dh.pem ] && _dh="ssl_dh = </usr/share/dovecot/dh.pem"

	cat >"$_d/dovecot.conf" <<-EOF
	# Throwaway test server written by tests/lib/dovecot.sh (Dovecot 2.3).
	protocols = imap
	listen = 127.0.0.1, 127.0.0.2, 127.0.0.3
	instance_name = redress-test-$$
	base_dir = $_d/run
	state_dir = $_d/state
	log_path = $_d/dovecot.log
	info_log_path = $_d/dovecot.log
	default_internal_user = $_internal
	default_internal_group = $(id -gn "$_internal")
	default_login_user = $_login
	first_valid_uid = 0
	first_valid_gid = 0
	disable_plaintext_auth = no
	auth_mechanisms = plain login
	auth_failure_delay = 0
	mail_location = maildir:~/Maildir
	mail_fsync = never
	mailbox_idle_check_interval = 1 secs
	namespace inbox {
	  inbox = yes
	  separator = /
	}
	passdb {
	  driver = passwd-file
	  args = scheme=PLAIN $_d/users
	}
	userdb {
	  driver = passwd-file
	  args = $_d/users
	}
	ssl = yes
	ssl_cert = <$_d/server.crt
	ssl_key = <$_d/server.key
	$_dh
	service imap-login {
	  inet_listener imap {
	    port = $DOVECOT_IMAP_PORT
	  }
	  inet_listener imaps {
	    port = $DOVECOT_IMAPS_PORT
	    ssl = yes
	  }
	}
	service stats {
	  unix_listener stats-writer {
	    mode = 0666
	  }
	}
	local 127.0.0.2 {
	  ssl_cert = <$_d/untrusted.crt
	  ssl_key = <$_d/untrusted.key
	}
	local 127.0.0.3 {
	  protocol imap {
	    imap_capability = IMAP4rev1 LITERAL+ UIDPLUS
	  }
	}
	EOF

	if ! "$(_dovecot_bin)" -c "$_d/dovecot.conf" 2>"$_d/start.err"; then
		echo "dovecot_start: Dovecot did not start:" >&2
		cat "$_d/start.err" "$_d/dovecot.log" >&2 2>/dev/null
		return 1
	fi
	if ! _dovecot_wait_port "$DOVECOT_IMAP_PORT" ||
	    ! _dovecot_wait_port "$DOVECOT_IMAPS_PORT"; then
		echo "dovecot_start: Dovecot is not listening on ports $DOVECOT_IMAP_PORT/$DOVECOT_IMAPS_PORT; its log:" >&2
		cat "$_d/dovecot.log" >&2 2>/dev/null
		dovecot_stop "$_d"
		return 1
	fi
}

dovecot_stop() {
	_d=$1
	[ -f "$_d/dovecot.conf" ] || return 0
	_pid=$(cat "$_d/run/master.pid" 2>/dev/null)
	"$(_dovecot_bin)" -c "$_d/dovecot.conf" stop 2>/dev/null
	[ -n "$_pid" ] || return 0
	_i=0
	while kill -0 "$_pid" 2>/dev/null && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if kill -0 "$_pid" 2>/dev/null; then
		kill -KILL "$_pid" 2>/dev/null
	fi
	return 0
}

imap_append() {
	_d=$1 _u=$2 _f=$3 _m=${4:-INBOX}
	if [ "$_m" != INBOX ]; then
		_doveadm "$_d" mailbox create -u "$_u" "$_m" 2>/dev/null
	fi
	_doveadm "$_d" save -u "$_u" -m "$_m" <"$_f"
}

imap_count() {
	_doveadm "$1" -f flow mailbox status -u "$2" messages "$3" |
	    sed -n 's/.*messages=\([0-9]*\).*/\1/p'
}

imap_count_seen() {
	_doveadm "$1" search -u "$2" mailbox "$3" SEEN | wc -l | tr -d ' '
}
