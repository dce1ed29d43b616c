/*
 * tls.c: TCP connections and verified TLS for libetpan streams.
 *
 * Both plain and TLS streams use the driver below rather than libetpan's
 * socket driver: libetpan's returns 0 at end of file, and its literal
 * reader (mailimap_parser.c, 1.9.4) loops forever on a 0 read, so a server
 * that hangs up in the middle of a FETCH would spin the daemon. Here end of
 * file, a timeout and any error are all -1.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tls.h"

/*
 * The mailstream buffer holds a whole TLS record (at most 16 KiB of
 * plain text), so after each read GnuTLS has nothing left over that
 * poll() on the socket could not see; IDLE relies on that.
 */
#define STREAM_BUFFER_SIZE	16384

struct net_stream {
	int				 fd;
	gnutls_session_t		 session;	/* NULL: plain */
	gnutls_certificate_credentials_t cred;
	int				 cancelled;
};

static ssize_t	net_stream_read(mailstream_low *, void *, size_t);
static ssize_t	net_stream_write(mailstream_low *, const void *, size_t);
static int	net_stream_close(mailstream_low *);
static int	net_stream_get_fd(mailstream_low *);
static void	net_stream_free(mailstream_low *);
static void	net_stream_cancel(mailstream_low *);
static struct mailstream_cancel *net_stream_get_cancel(mailstream_low *);
static carray	*net_stream_certificate_chain(mailstream_low *);

static mailstream_low_driver net_stream_driver = {
	.mailstream_read = net_stream_read,
	.mailstream_write = net_stream_write,
	.mailstream_close = net_stream_close,
	.mailstream_get_fd = net_stream_get_fd,
	.mailstream_free = net_stream_free,
	.mailstream_cancel = net_stream_cancel,
	.mailstream_get_cancel = net_stream_get_cancel,
	.mailstream_get_certificate_chain = net_stream_certificate_chain,
	/* IDLE is waited for by poll() on the fd, not through libetpan. */
	.mailstream_setup_idle = NULL,
	.mailstream_unsetup_idle = NULL,
	.mailstream_interrupt_idle = NULL,
};

static gint64
deadline_after(int seconds)
{
	return (g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC);
}

/* Milliseconds left before deadline, at least 0. */
static int
ms_left(gint64 deadline)
{
	gint64	left = deadline - g_get_monotonic_time();

	return (left <= 0 ? 0 : (int)((left + 999) / 1000));
}

/* Wait until fd is ready for events; 1 when ready, 0 on timeout, -1 on
 * error. */
static int
wait_fd(int fd, short events, gint64 deadline)
{
	struct pollfd	pfd;
	int		r;

	for (;;) {
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, ms_left(deadline));
		if (r >= 0)
			return (r);
		if (errno != EINTR)
			return (-1);
	}
}

static int
set_blocking_with_timeouts(int fd, int timeout)
{
	struct timeval	tv = { timeout, 0 };
	int		flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
		return (-1);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == -1)
		return (-1);
	return (0);
}

/* Connect one address before deadline; the fd, or -1 with errno set. */
static int
connect_one(const struct addrinfo *ai, gint64 deadline)
{
	socklen_t	len;
	int		fd, err, r;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return (-1);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		if (errno != EINPROGRESS)
			goto fail;
		r = wait_fd(fd, POLLOUT, deadline);
		if (r <= 0) {
			if (r == 0)
				errno = ETIMEDOUT;
			goto fail;
		}
		len = sizeof err;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			goto fail;
		if (err != 0) {
			errno = err;
			goto fail;
		}
	}
	return (fd);

fail:
	err = errno;
	close(fd);
	errno = err;
	return (-1);
}

int
net_connect(const char *host, int port, int timeout, char **cause)
{
	struct addrinfo	 hints, *res, *ai;
	char		 service[16];
	gint64		 deadline = deadline_after(timeout);
	int		 fd = -1, error, last_errno = 0;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	g_snprintf(service, sizeof service, "%d", port);
	error = getaddrinfo(host, service, &hints, &res);
	if (error != 0) {
		*cause = g_strdup_printf("cannot resolve host name %s: %s: "
		    "check the host setting and DNS", host,
		    gai_strerror(error));
		return (-1);
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = connect_one(ai, deadline)) != -1)
			break;
		last_errno = errno;
		if (ms_left(deadline) == 0)
			break;
	}
	freeaddrinfo(res);

	if (fd == -1) {
		if (last_errno == ETIMEDOUT)
			*cause = g_strdup_printf("cannot connect to %s:%d: no "
			    "answer within %d seconds: check the host, the "
			    "port and any firewall between", host, port,
			    timeout);
		else
			*cause = g_strdup_printf("cannot connect to %s:%d: %s: "
			    "check the host, the port and that the server is "
			    "running", host, port, g_strerror(last_errno));
		return (-1);
	}
	if (set_blocking_with_timeouts(fd, timeout) == -1) {
		*cause = g_strdup_printf("cannot set up the connection to "
		    "%s:%d: %s", host, port, g_strerror(errno));
		close(fd);
		return (-1);
	}
	/*
	 * Every write is a whole command, flushed: Nagle's algorithm only
	 * holds back a short one (SMTP's final dot, written on its own to be
	 * recorded first) until the server's delayed ACK, 40 ms a message.
	 */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 },
	    sizeof(int));
	return (fd);
}

static mailstream *
stream_new(struct net_stream *ns, int timeout)
{
	mailstream_low	*low;
	mailstream	*s;

	if ((low = mailstream_low_new(ns, &net_stream_driver)) == NULL)
		return (NULL);
	mailstream_low_set_timeout(low, timeout);
	if ((s = mailstream_new(low, STREAM_BUFFER_SIZE)) == NULL) {
		/* Leave ns (and so the fd) to the caller. */
		free(low);
		return (NULL);
	}
	return (s);
}

mailstream *
plain_stream_open(int fd, int timeout)
{
	struct net_stream	*ns = g_new0(struct net_stream, 1);
	mailstream		*s;

	ns->fd = fd;
	if ((s = stream_new(ns, timeout)) == NULL)
		g_free(ns);
	return (s);
}

/* The names a certificate is valid for, to tell the user what to use. */
static char *
certificate_names(gnutls_session_t session)
{
	const gnutls_datum_t	*der;
	gnutls_x509_crt_t	 crt;
	GString			*names = g_string_new(NULL);
	char			 name[256];
	unsigned int		 n;
	size_t			 len;
	int			 i, type;

	der = gnutls_certificate_get_peers(session, &n);
	if (der == NULL || n == 0 || gnutls_x509_crt_init(&crt) < 0)
		return (g_string_free(names, FALSE));
	if (gnutls_x509_crt_import(crt, &der[0], GNUTLS_X509_FMT_DER) < 0)
		goto out;
	for (i = 0;; i++) {
		len = sizeof name - 1;
		type = gnutls_x509_crt_get_subject_alt_name(crt, i, name, &len,
		    NULL);
		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (type == GNUTLS_SAN_DNSNAME) {
			name[len] = '\0';
			g_string_append_printf(names, "%s%s",
			    names->len ? ", " : "", name);
		} else if (type == GNUTLS_SAN_IPADDRESS &&
		    (len == 4 || len == 16)) {
			char	ip[INET6_ADDRSTRLEN];

			if (inet_ntop(len == 4 ? AF_INET : AF_INET6, name, ip,
			    sizeof ip) != NULL)
				g_string_append_printf(names, "%s%s",
				    names->len ? ", " : "", ip);
		}
	}
	if (names->len == 0) {
		len = sizeof name;
		if (gnutls_x509_crt_get_dn_by_oid(crt,
		    GNUTLS_OID_X520_COMMON_NAME, 0, 0, name, &len) == 0)
			g_string_append(names, name);
	}
out:
	gnutls_x509_crt_deinit(crt);
	return (g_string_free(names, FALSE));
}

/* GnuTLS's sentences, without the final full stop, to go mid-message. */
static char *
sentence(const char *text)
{
	char	*s = g_strstrip(g_strdup(text));
	size_t	 len = strlen(s);

	while (len > 0 && s[len - 1] == '.')
		s[--len] = '\0';
	return (s);
}

/* Word a failed certificate check: what, and what to do about it. */
static char *
verification_failure(gnutls_session_t session, const char *host)
{
	unsigned int	 status = gnutls_session_get_verify_cert_status(session);
	gnutls_datum_t	 text = { NULL, 0 };
	GString		*msg = g_string_new(NULL);
	char		*names, *why;

	if (gnutls_certificate_verification_status_print(status,
	    gnutls_certificate_type_get(session), &text, 0) < 0)
		text.data = NULL;
	why = sentence(text.data != NULL ? (char *)text.data : "not valid");
	g_string_printf(msg, "TLS certificate of %s refused: %s", host, why);
	g_free(why);
	gnutls_free(text.data);

	if (status & GNUTLS_CERT_UNEXPECTED_OWNER) {
		names = certificate_names(session);
		g_string_append_printf(msg, " (it names %s): check the host "
		    "name, and use one the certificate lists",
		    *names != '\0' ? names : "no usable name");
		g_free(names);
	}
	if (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED))
		g_string_append(msg, ": fix the server certificate (renew "
		    "it) or check this machine's clock");
	if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
		g_string_append(msg, ": set ca_file to the CA certificate "
		    "that signed the server's, or give the server a "
		    "certificate from a CA in the system trust store");
	if (!(status & (GNUTLS_CERT_UNEXPECTED_OWNER | GNUTLS_CERT_EXPIRED |
	    GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_SIGNER_NOT_FOUND)))
		g_string_append(msg, ": fix the server certificate");
	return (g_string_free(msg, FALSE));
}

static int
load_trust(gnutls_certificate_credentials_t cred, const char *ca_file,
    char **cause)
{
	char	*why;
	int	 n;

	if (*ca_file == '\0') {
		n = gnutls_certificate_set_x509_system_trust(cred);
		if (n <= 0) {
			*cause = g_strdup_printf("no system trust store (%s): "
			    "install ca-certificates or set ca_file",
			    n < 0 ? gnutls_strerror(n) : "it is empty");
			return (-1);
		}
		return (0);
	}
	if (access(ca_file, R_OK) != 0)
		why = g_strdup(g_strerror(errno));
	else if ((n = gnutls_certificate_set_x509_trust_file(cred, ca_file,
	    GNUTLS_X509_FMT_PEM)) < 0)
		why = sentence(gnutls_strerror(n));
	else if (n == 0)
		why = g_strdup("no PEM certificate in it");
	else
		return (0);
	*cause = g_strdup_printf("cannot use ca_file %s: %s: set ca_file to "
	    "a readable PEM file of CA certificates", ca_file, why);
	g_free(why);
	return (-1);
}

static void
net_stream_destroy(struct net_stream *ns)
{
	if (ns->session != NULL)
		gnutls_deinit(ns->session);
	if (ns->cred != NULL)
		gnutls_certificate_free_credentials(ns->cred);
	g_free(ns);
}

/*
 * Handshake on fd and check the peer's chain and name. The returned
 * net_stream owns the session and credentials; the fd stays the caller's
 * until the net_stream is put in a mailstream.
 */
static struct net_stream *
tls_handshake(int fd, const char *host, const char *ca_file, int timeout,
    char **cause)
{
	struct net_stream	*ns = g_new0(struct net_stream, 1);
	gint64			 deadline = deadline_after(timeout);
	int			 r = 0;

	ns->fd = fd;
	if ((r = gnutls_certificate_allocate_credentials(&ns->cred)) < 0) {
		*cause = g_strdup_printf("TLS with %s: %s", host,
		    gnutls_strerror(r));
		goto fail;
	}
	if (load_trust(ns->cred, ca_file, cause) != 0)
		goto fail;
	if ((r = gnutls_init(&ns->session, GNUTLS_CLIENT |
	    GNUTLS_NO_SIGNAL)) < 0) {
		ns->session = NULL;
		*cause = g_strdup_printf("TLS with %s: %s", host,
		    gnutls_strerror(r));
		goto fail;
	}
	/* SNI carries names only, never addresses (RFC 6066). */
	if (!g_hostname_is_ip_address(host))
		r = gnutls_server_name_set(ns->session, GNUTLS_NAME_DNS, host,
		    strlen(host));
	if (r >= 0)
		r = gnutls_set_default_priority(ns->session);
	if (r >= 0)
		r = gnutls_credentials_set(ns->session, GNUTLS_CRD_CERTIFICATE,
		    ns->cred);
	if (r < 0) {
		*cause = g_strdup_printf("TLS with %s: %s", host,
		    gnutls_strerror(r));
		goto fail;
	}
	gnutls_session_set_verify_cert(ns->session, host, 0);
	gnutls_transport_set_int(ns->session, fd);
	gnutls_handshake_set_timeout(ns->session, timeout * 1000);

	do {
		r = gnutls_handshake(ns->session);
	} while ((r == GNUTLS_E_INTERRUPTED || r == GNUTLS_E_AGAIN) &&
	    ms_left(deadline) > 0);
	if (r == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
		*cause = verification_failure(ns->session, host);
		goto fail;
	}
	if (r < 0) {
		char	*why = sentence(r == GNUTLS_E_AGAIN ? "timed out" :
		    gnutls_strerror(r));

		*cause = g_strdup_printf("TLS handshake with %s failed: %s: "
		    "check that the port and the tls mode (implicit or "
		    "starttls) match the server", host, why);
		g_free(why);
		goto fail;
	}
	return (ns);

fail:
	net_stream_destroy(ns);
	return (NULL);
}

int
tls_stream_open(int fd, const char *host, const char *ca_file, int timeout,
    mailstream **out, char **cause)
{
	struct net_stream	*ns;

	if ((ns = tls_handshake(fd, host, ca_file, timeout, cause)) == NULL)
		return (-1);
	if ((*out = stream_new(ns, timeout)) == NULL) {
		net_stream_destroy(ns);
		*cause = g_strdup_printf("TLS with %s: out of memory", host);
		return (-1);
	}
	return (0);
}

int
tls_stream_upgrade(mailstream *s, const char *host, const char *ca_file,
    int timeout, char **cause)
{
	mailstream_low		*old = mailstream_get_low(s), *low;
	struct net_stream	*ns;

	/*
	 * Anything the server sent after its answer to STARTTLS came in
	 * clear and would be read as if it had come over TLS: the
	 * response-injection attack (CVE-2020-15953 in libetpan itself).
	 */
	if (s->read_buffer_len != 0) {
		*cause = g_strdup_printf("%s sent data in clear after agreeing "
		    "to STARTTLS (a sign of tampering on the way): refusing; "
		    "use tls implicit, or check the network path", host);
		return (-1);
	}
	ns = tls_handshake(mailstream_low_get_fd(old), host, ca_file, timeout,
	    cause);
	if (ns == NULL)
		return (-1);
	if ((low = mailstream_low_new(ns, &net_stream_driver)) == NULL) {
		net_stream_destroy(ns);
		*cause = g_strdup_printf("TLS with %s: out of memory", host);
		return (-1);
	}
	mailstream_low_set_timeout(low, timeout);
	/* Freeing the old driver leaves the shared fd open. */
	mailstream_low_free(old);
	mailstream_set_low(s, low);
	return (0);
}

static int
stream_timeout(mailstream_low *s)
{
	return (s->timeout != 0 ? (int)s->timeout :
	    (int)mailstream_network_delay.tv_sec);
}

static ssize_t
net_stream_read(mailstream_low *s, void *buf, size_t count)
{
	struct net_stream	*ns = s->data;
	gint64			 deadline = deadline_after(stream_timeout(s));
	ssize_t			 n, more;

	for (;;) {
		if (ns->cancelled || ns->fd == -1)
			return (-1);
		if (ns->session == NULL ||
		    gnutls_record_check_pending(ns->session) == 0) {
			if (wait_fd(ns->fd, POLLIN, deadline) <= 0)
				return (-1);
		}
		if (ns->session == NULL) {
			n = recv(ns->fd, buf, count, 0);
			if (n == -1 && errno == EINTR)
				continue;
			/* End of file is an error: see the top of the file. */
			return (n > 0 ? n : -1);
		}
		n = gnutls_record_recv(ns->session, buf, count);
		if (n > 0)
			break;
		if (n == GNUTLS_E_INTERRUPTED || n == GNUTLS_E_AGAIN ||
		    n == GNUTLS_E_REHANDSHAKE)
			continue;
		return (-1);
	}
	while ((size_t)n < count && gnutls_record_check_pending(ns->session)) {
		more = gnutls_record_recv(ns->session, (char *)buf + n,
		    count - n);
		if (more <= 0)
			break;
		n += more;
	}
	return (n);
}

static ssize_t
net_stream_write(mailstream_low *s, const void *buf, size_t count)
{
	struct net_stream	*ns = s->data;
	ssize_t			 n;

	if (ns->cancelled || ns->fd == -1)
		return (-1);
	for (;;) {
		/* SO_SNDTIMEO bounds a blocked send; EAGAIN is that timeout. */
		if (ns->session == NULL)
			n = send(ns->fd, buf, count, MSG_NOSIGNAL);
		else
			n = gnutls_record_send(ns->session, buf, count);
		if (n >= 0)
			return (n);
		if (n == -1 && ns->session == NULL && errno == EINTR)
			continue;
		if (n == GNUTLS_E_INTERRUPTED)
			continue;
		return (-1);
	}
}

static int
net_stream_close(mailstream_low *s)
{
	struct net_stream	*ns = s->data;

	if (ns->fd == -1)
		return (0);
	/* Tell the server we are going; do not wait for its answer. */
	if (ns->session != NULL && !ns->cancelled)
		gnutls_bye(ns->session, GNUTLS_SHUT_WR);
	close(ns->fd);
	ns->fd = -1;
	return (0);
}

static int
net_stream_get_fd(mailstream_low *s)
{
	struct net_stream	*ns = s->data;

	return (ns->fd);
}

static void
net_stream_free(mailstream_low *s)
{
	net_stream_destroy(s->data);
	s->data = NULL;
	/* mailstream_low_new() allocated it with malloc(). */
	free(s);
}

static void
net_stream_cancel(mailstream_low *s)
{
	struct net_stream	*ns = s->data;

	ns->cancelled = 1;
}

static struct mailstream_cancel *
net_stream_get_cancel(mailstream_low *s)
{
	return (NULL);
}

static carray *
net_stream_certificate_chain(mailstream_low *s)
{
	struct net_stream	*ns = s->data;
	const gnutls_datum_t	*der;
	carray			*chain;
	MMAPString		*str;
	unsigned int		 i, n;

	if (ns->session == NULL)
		return (NULL);
	der = gnutls_certificate_get_peers(ns->session, &n);
	if (der == NULL || (chain = carray_new(n)) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		str = mmap_string_new_len((const char *)der[i].data,
		    der[i].size);
		if (str == NULL || carray_add(chain, str, NULL) < 0) {
			if (str != NULL)
				mmap_string_free(str);
			mailstream_certificate_chain_free(chain);
			return (NULL);
		}
	}
	return (chain);
}
