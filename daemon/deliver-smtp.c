/*
 * deliver-smtp.c: the SMTP client (libetpan) behind the outbox.
 *
 * libetpan's convenience senders stop at the first refused recipient and
 * cannot greet with a configured name, so the dialogue is driven command
 * by command here, and each reply code is read from the session
 * (response_code, reset before every command so that a failed write is
 * never mistaken for the previous command's answer).
 */
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <libetpan/libetpan.h>

#include "address.h"
#include "deliver-smtp.h"
#include "log.h"
#include "tls.h"

/*
 * Exported by libetpan (1.x) but missing from its installed headers; they
 * are the only way to send EHLO with the configured name instead of
 * gethostname(), and to parse the answer into the capability flags.
 */
int	mailsmtp_send_command(mailsmtp *, char *);
int	mailsmtp_read_response(mailsmtp *);
int	mailesmtp_parse_ehlo(mailsmtp *);

/* Replies are kept for people to read; a page of server text helps no one. */
#define SMTP_MAX_REPLY		300

struct smtp_session {
	mailsmtp	*smtp;
	char		*where;		/* "relay host:port", for messages */
	char		*helo;
	gboolean	 tls_active;
	gboolean	 smtputf8;	/* the relay offered SMTPUTF8 (RFC 6531) */
	gboolean	 broken;	/* the stream can no longer be used */
	int		 refusal;	/* code of the last refusal, to log */
	smtp_step_fn	 step;		/* the caller's hook, during a send */
	void		*step_arg;
	gboolean	 stopped;	/* the hook said stop */
};

struct rcpt_tally {
	guint		 accepted;
	guint		 temporary;
	guint		 permanent;
	char		*first_reply;	/* "550 ..." of the first refusal */
};

const char *
smtp_result_name(enum smtp_result result)
{
	switch (result) {
	case SMTP_OK:
		return ("ok");
	case SMTP_TEMPFAIL:
		return ("tempfail");
	case SMTP_PERMFAIL:
		return ("permfail");
	}
	return ("unknown");
}

static enum smtp_result
smtp_classify(int code)
{
	if (code >= 200 && code < 400)
		return (SMTP_OK);
	if (code >= 500 && code < 600)
		return (SMTP_PERMFAIL);
	return (SMTP_TEMPFAIL);
}

/* The last reply's text as one printable line (caller frees). */
static char *
smtp_reply_text(const struct smtp_session *s)
{
	const char	*response = s->smtp->response;
	char		*valid, *line, *cut;
	char		*p;

	if (response == NULL)
		return (g_strdup(""));
	valid = g_utf8_make_valid(response, -1);
	for (p = valid; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	}
	line = g_strstrip(valid);
	if (g_utf8_strlen(line, -1) > SMTP_MAX_REPLY) {
		cut = g_utf8_substring(line, 0, SMTP_MAX_REPLY);
		line = g_strconcat(cut, "...", NULL);
		g_free(cut);
		g_free(valid);
		return (line);
	}
	line = g_strdup(line);
	g_free(valid);
	return (line);
}

/* "550 5.1.1 unknown user", or what happened when no reply came. */
static char *
smtp_reply_summary(const struct smtp_session *s, int code)
{
	char	*text, *summary;

	if (code == 0)
		return (g_strdup("no answer (timed out or connection closed)"));
	text = smtp_reply_text(s);
	summary = g_strdup_printf("%d %s", code, text);
	g_free(text);
	return (summary);
}

/*
 * An address as RFC 5321 writes it on MAIL FROM / RCPT TO (address.h:
 * a quoted local part stays quoted, domain literals as [192.0.2.1] or
 * [IPv6:...], an IDN domain as its A-label), or NULL with *why when it
 * cannot be written for this relay. What address.h accepts has no
 * character that could end libetpan's command line early and fits its
 * buffer.
 */
static char *
smtp_path(const struct smtp_session *s, const char *addr, const char **why)
{
	return (address_envelope(addr, s->smtputf8, why));
}

/* Whether the EHLO answer (libetpan keeps one line per extension, with
 * or without the "250-") lists SMTPUTF8. */
static gboolean
smtp_offers_smtputf8(const char *response)
{
	const char	*line = response, *p;

	while (line != NULL && *line != '\0') {
		p = line;
		if (g_ascii_isdigit(p[0]) && g_ascii_isdigit(p[1]) &&
		    g_ascii_isdigit(p[2]) && (p[3] == '-' || p[3] == ' '))
			p += 4;
		if (g_ascii_strncasecmp(p, "SMTPUTF8", 8) == 0 &&
		    (p[8] == '\0' || p[8] == '\r' || p[8] == '\n' ||
		    p[8] == ' '))
			return (TRUE);
		if ((line = strpbrk(line, "\r\n")) != NULL)
			line += strspn(line, "\r\n");
	}
	return (FALSE);
}

static gboolean
smtp_helo_ok(const char *name)
{
	const char	*p;

	if (*name == '\0' || strlen(name) > 255)
		return (FALSE);
	for (p = name; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && strchr(".-_[]:", *p) == NULL)
			return (FALSE);
	}
	return (TRUE);
}

static gboolean
smtp_host_is_loopback(const char *host)
{
	GInetAddress	*address;
	gboolean	 loopback;

	if (g_ascii_strcasecmp(host, "localhost") == 0)
		return (TRUE);
	address = g_inet_address_new_from_string(host);
	if (address == NULL)
		return (FALSE);
	loopback = g_inet_address_get_is_loopback(address);
	g_object_unref(address);
	return (loopback);
}

/* Read the code of the answer to the command just sent; 0 = none came. */
static int
smtp_code(struct smtp_session *s, int r)
{
	if (r == MAILSMTP_ERROR_STREAM || s->smtp->response_code == 0) {
		s->broken = TRUE;
		s->refusal = 0;
		return (0);
	}
	/* 421: the server is closing the connection (RFC 5321 3.8). */
	if (s->smtp->response_code == 421)
		s->broken = TRUE;
	if (s->smtp->response_code >= 400)
		s->refusal = s->smtp->response_code;
	return (s->smtp->response_code);
}

static int
smtp_command(struct smtp_session *s, const char *line)
{
	char	*command = g_strdup_printf("%s\r\n", line);
	int	 r;

	s->smtp->response_code = 0;
	r = mailsmtp_send_command(s->smtp, command);
	g_free(command);
	if (r == -1)
		return (smtp_code(s, MAILSMTP_ERROR_STREAM));
	mailsmtp_read_response(s->smtp);
	return (smtp_code(s, MAILSMTP_NO_ERROR));
}

/* EHLO, or HELO for a server without ESMTP; sets the capability flags. */
static int
smtp_greet(struct smtp_session *s, char **cause)
{
	char	*line, *summary;
	int	 code;

	line = g_strdup_printf("EHLO %s", s->helo);
	code = smtp_command(s, line);
	g_free(line);
	if (code == 250) {
		/* Capabilities change after STARTTLS: read them each time. */
		s->smtputf8 = smtp_offers_smtputf8(s->smtp->response);
		mailesmtp_parse_ehlo(s->smtp);
		return (0);
	}
	if (code >= 500 && code < 600) {
		line = g_strdup_printf("HELO %s", s->helo);
		code = smtp_command(s, line);
		g_free(line);
		if (code == 250) {
			/* Plain SMTP: no extensions, no AUTH. */
			s->smtp->esmtp = 0;
			s->smtp->auth = MAILSMTP_AUTH_NOT_CHECKED;
			s->smtputf8 = FALSE;
			return (0);
		}
	}
	summary = smtp_reply_summary(s, code);
	*cause = g_strdup_printf("%s refused the greeting (EHLO/HELO %s): %s; "
	    "check smtp.helo in the configuration", s->where, s->helo,
	    summary);
	g_free(summary);
	return (-1);
}

static int
smtp_starttls(struct smtp_session *s, const struct smtp_config *cfg,
    int timeout, char **cause)
{
	char	*summary, *tls_cause = NULL;
	int	 r, code;

	if (!(s->smtp->esmtp & MAILSMTP_ESMTP_STARTTLS)) {
		*cause = g_strdup_printf("%s does not offer STARTTLS, and "
		    "sending in clear was not configured: enable STARTTLS on "
		    "the relay or correct smtp.tls in the configuration",
		    s->where);
		return (-1);
	}
	s->smtp->response_code = 0;
	r = mailesmtp_starttls(s->smtp);
	code = smtp_code(s, r);
	if (code != 220) {
		summary = smtp_reply_summary(s, code);
		*cause = g_strdup_printf("%s refused STARTTLS: %s; try again "
		    "later or ask the relay's administrator", s->where,
		    summary);
		g_free(summary);
		return (-1);
	}
	/* This also refuses anything the server sent in clear after 220. */
	if (tls_stream_upgrade(s->smtp->stream, cfg->host, cfg->ca_file,
	    timeout, &tls_cause) != 0) {
		s->broken = TRUE;
		*cause = g_strdup_printf("%s: STARTTLS: %s", s->where,
		    tls_cause);
		g_free(tls_cause);
		return (-1);
	}
	s->tls_active = TRUE;
	return (0);
}

static int
smtp_login(struct smtp_session *s, const struct smtp_config *cfg,
    char **cause)
{
	const char	*mechanism;
	char		*summary;
	int		 r, code;

	if (s->smtp->auth & MAILSMTP_AUTH_PLAIN)
		mechanism = "PLAIN";
	else if (s->smtp->auth & MAILSMTP_AUTH_LOGIN)
		mechanism = "LOGIN";
	else {
		*cause = g_strdup_printf("%s offers no AUTH PLAIN or LOGIN%s, "
		    "but smtp.user is set: enable authentication on the relay "
		    "(over TLS) or remove smtp.user from the configuration",
		    s->where, s->tls_active ? " over TLS" : "");
		return (-1);
	}
	s->smtp->response_code = 0;
	r = mailesmtp_auth_sasl(s->smtp, mechanism, cfg->host, NULL, NULL,
	    cfg->user, cfg->user, cfg->password, NULL);
	if (r == MAILSMTP_NO_ERROR)
		return (0);
	if (r != MAILSMTP_ERROR_STREAM && s->smtp->response_code == 0) {
		/* Nothing was sent: the SASL library could not start. */
		*cause = g_strdup_printf("%s: could not start AUTH %s (Cyrus "
		    "SASL, error %d): install the Debian package "
		    "libsasl2-modules", s->where, mechanism, r);
		return (-1);
	}
	code = smtp_code(s, r);
	summary = smtp_reply_summary(s, code);
	*cause = g_strdup_printf("%s refused the login (AUTH %s) of smtp.user: "
	    "%s; check smtp.user and smtp.password_file in the configuration",
	    s->where, mechanism, summary);
	g_free(summary);
	return (-1);
}

/* A connected stream, plain or implicit TLS; NULL with *cause set. */
static mailstream *
smtp_stream_open(const struct smtp_config *cfg, const char *where,
    int timeout, char **cause)
{
	mailstream	*stream = NULL;
	char		*net_cause = NULL;
	int		 fd;

	fd = net_connect(cfg->host, cfg->port, timeout, &net_cause);
	if (fd == -1) {
		*cause = g_strdup_printf("SMTP relay (smtp.host, smtp.port in "
		    "the configuration): %s", net_cause);
		g_free(net_cause);
		return (NULL);
	}
	if (cfg->tls == TLS_IMPLICIT) {
		if (tls_stream_open(fd, cfg->host, cfg->ca_file, timeout,
		    &stream, &net_cause) != 0) {
			close(fd);
			*cause = g_strdup_printf("%s: %s", where, net_cause);
			g_free(net_cause);
			return (NULL);
		}
		return (stream);
	}
	stream = plain_stream_open(fd, timeout);
	if (stream == NULL) {
		close(fd);
		*cause = g_strdup_printf("%s: cannot set up the connection "
		    "(out of memory?)", where);
	}
	return (stream);
}

int
smtp_open(const struct smtp_config *cfg, int timeout,
    struct smtp_session **out, char **cause)
{
	struct smtp_session	*s;
	mailstream		*stream;
	char			*summary;
	int			 r, code;

	*out = NULL;
	s = g_new0(struct smtp_session, 1);
	if (strchr(cfg->host, ':') != NULL)
		s->where = g_strdup_printf("relay [%s]:%d", cfg->host,
		    cfg->port);
	else
		s->where = g_strdup_printf("relay %s:%d", cfg->host, cfg->port);
	s->helo = g_strdup(*cfg->helo != '\0' ? cfg->helo :
	    g_get_host_name());
	if (!smtp_helo_ok(s->helo)) {
		*cause = g_strdup_printf("%s: the greeting name \"%s\" is not a "
		    "host name: set smtp.helo in the configuration", s->where,
		    s->helo);
		goto fail;
	}
	/* Never hand a password to the network in clear. */
	if (*cfg->user != '\0' && cfg->tls == TLS_NONE &&
	    !smtp_host_is_loopback(cfg->host)) {
		*cause = g_strdup_printf("%s: refusing to send the smtp.user "
		    "password without TLS: set smtp.tls to starttls or "
		    "implicit in the configuration", s->where);
		goto fail;
	}

	stream = smtp_stream_open(cfg, s->where, timeout, cause);
	if (stream == NULL)
		goto fail;
	s->tls_active = (cfg->tls == TLS_IMPLICIT);
	s->smtp = mailsmtp_new(0, NULL);
	if (s->smtp == NULL) {
		mailstream_close(stream);
		*cause = g_strdup_printf("%s: out of memory", s->where);
		goto fail;
	}

	/* On failure libetpan closes the stream itself. */
	r = mailsmtp_connect(s->smtp, stream);
	if (r != MAILSMTP_NO_ERROR) {
		code = s->smtp->response_code;
		summary = smtp_reply_summary(s, code);
		*cause = g_strdup_printf("%s did not accept the connection: %s; "
		    "try again later", s->where, summary);
		g_free(summary);
		goto fail;
	}
	if (smtp_greet(s, cause) != 0)
		goto fail;
	if (cfg->tls == TLS_STARTTLS) {
		if (smtp_starttls(s, cfg, timeout, cause) != 0)
			goto fail;
		/* What was offered in clear may differ: ask again. */
		if (smtp_greet(s, cause) != 0)
			goto fail;
	}
	if (*cfg->user != '\0' && smtp_login(s, cfg, cause) != 0)
		goto fail;

	log_debug("SMTP %s: connected (%s%s)", s->where,
	    s->tls_active ? "TLS" : "no TLS",
	    *cfg->user != '\0' ? ", authenticated" : "");
	*out = s;
	return (0);

fail:
	log_debug("SMTP %s: connection failed", s->where);
	s->broken = TRUE;
	smtp_close(s);
	return (-1);
}

void
smtp_close(struct smtp_session *s)
{
	if (s == NULL)
		return;
	if (s->smtp != NULL) {
		/* mailsmtp_free() says QUIT on any stream it still holds. */
		if (s->broken && s->smtp->stream != NULL) {
			mailstream_close(s->smtp->stream);
			s->smtp->stream = NULL;
		}
		mailsmtp_free(s->smtp);
	}
	g_free(s->where);
	g_free(s->helo);
	g_free(s);
}

gboolean
smtp_usable(const struct smtp_session *s)
{
	return (!s->broken);
}

static void
smtp_rcpt_result_free(gpointer p)
{
	struct smtp_rcpt_result	*rr = p;

	g_free(rr->addr);
	g_free(rr->reply);
	g_free(rr);
}

static void
smtp_rcpt_result_add(GPtrArray *results, const char *addr,
    enum smtp_result result, int code, char *reply)
{
	struct smtp_rcpt_result	*rr = g_new0(struct smtp_rcpt_result, 1);

	rr->addr = g_strdup(addr);
	rr->result = result;
	rr->unreachable = FALSE;
	rr->code = code;
	rr->reply = reply;
	g_ptr_array_add(results, rr);
}

/* Recipients from index i on were not tried; why is given by reply. */
static void
smtp_rcpt_not_tried(GPtrArray *results, GPtrArray *recipients, guint i,
    enum smtp_result result, const char *reply)
{
	for (; i < recipients->len; i++)
		smtp_rcpt_result_add(results, g_ptr_array_index(recipients, i),
		    result, 0, g_strdup(reply));
}

static void
smtp_tally_refusal(struct rcpt_tally *t, enum smtp_result result, int code,
    const char *reply)
{
	if (result == SMTP_TEMPFAIL)
		t->temporary++;
	else
		t->permanent++;
	if (t->first_reply == NULL)
		t->first_reply = code != 0 ?
		    g_strdup_printf("%d %s", code, reply) : g_strdup(reply);
}

/*
 * Tell the caller how far the dialogue got. When it says stop, nothing
 * more is written: the connection is dropped, and a server that had
 * begun to take the message throws it away.
 */
static int
smtp_step(struct smtp_session *s, enum smtp_step step,
    const struct smtp_rcpt_result *rr)
{
	if (s->step == NULL || s->step(s->step_arg, step, rr) == 0)
		return (0);
	s->stopped = TRUE;
	s->broken = TRUE;
	return (-1);
}

/* Leave the server ready for the next message after a refusal. */
static void
smtp_reset(struct smtp_session *s)
{
	if (!s->broken && smtp_command(s, "RSET") != 250)
		s->broken = TRUE;
}

/*
 * The message as it goes on the wire after DATA, without the final dot:
 * every line ending in CRLF (a bare LF becomes CRLF, as libetpan does),
 * a leading dot doubled (RFC 5321 4.5.2), and a line break at the end.
 * It is written here rather than by mailsmtp_data_message() so that the
 * final dot is a step of its own, recorded just before it is sent.
 */
static GString *
smtp_data_wire(const char *raw, size_t len)
{
	GString	*out = g_string_sized_new(len + len / 32 + 8);
	size_t	 i;
	gboolean bol = TRUE;

	for (i = 0; i < len; i++) {
		if (bol && raw[i] == '.')
			g_string_append_c(out, '.');
		bol = FALSE;
		if (raw[i] == '\n') {
			if (i == 0 || raw[i - 1] != '\r')
				g_string_append_c(out, '\r');
			bol = TRUE;
		}
		g_string_append_c(out, raw[i]);
	}
	if (!bol)
		g_string_append(out, "\r\n");
	return (out);
}

/* Write and flush; FALSE when the connection failed. */
static gboolean
smtp_write(struct smtp_session *s, const char *buf, size_t len)
{
	if (len > 0 && mailstream_write(s->smtp->stream, buf, len) == -1)
		return (FALSE);
	return (mailstream_flush(s->smtp->stream) != -1);
}

/* Whether any recipient needs SMTPUTF8 and the relay can carry it. */
static gboolean
smtp_needs_smtputf8(const struct smtp_session *s, const char *from,
    GPtrArray *recipients)
{
	guint	i;

	if (!s->smtputf8)
		return (FALSE);
	if (*from != '\0' && address_needs_smtputf8(from))
		return (TRUE);
	for (i = 0; i < recipients->len; i++) {
		if (address_needs_smtputf8(g_ptr_array_index(recipients, i)))
			return (TRUE);
	}
	return (FALSE);
}

/* MAIL FROM; on refusal every recipient is marked not tried. */
static enum smtp_result
smtp_mail(struct smtp_session *s, const char *from, GPtrArray *recipients,
    size_t len, GPtrArray *results, char **cause)
{
	enum smtp_result	 result;
	const char		*why = NULL;
	GString			*line;
	char			*summary, *path;
	int			 r, code;

	/* "" is the null reverse path. */
	path = *from == '\0' ? g_strdup("") : smtp_path(s, from, &why);
	if (path == NULL) {
		*cause = g_strdup_printf("%s: the envelope sender is not a "
		    "usable SMTP address (%s): check smtp.from and the Area "
		    "addresses in the configuration", s->where, why);
		smtp_rcpt_not_tried(results, recipients, 0, SMTP_PERMFAIL,
		    "not tried: the envelope sender is not usable");
		return (SMTP_PERMFAIL);
	}
	s->smtp->response_code = 0;
	if (smtp_needs_smtputf8(s, from, recipients)) {
		/* libetpan knows no SMTPUTF8 parameter (RFC 6531 3.4):
		 * the command mailesmtp_mail_size() writes, and that. */
		line = g_string_new(NULL);
		g_string_printf(line, "MAIL FROM:<%s>", path);
		if (s->smtp->esmtp & MAILSMTP_ESMTP_DSN)
			g_string_append(line, " RET=HDRS");
		if (s->smtp->esmtp & MAILSMTP_ESMTP_SIZE)
			g_string_append_printf(line, " SIZE=%zu", len);
		g_string_append(line, " SMTPUTF8");
		code = smtp_command(s, line->str);
		g_string_free(line, TRUE);
	} else {
		r = mailesmtp_mail_size(s->smtp, path, 0, NULL, len);
		code = smtp_code(s, r);
	}
	g_free(path);
	result = smtp_classify(code);
	if (result == SMTP_OK) {
		if (smtp_step(s, SMTP_STEP_MAIL, NULL) == 0)
			return (SMTP_OK);
		*cause = g_strdup_printf("%s: stopped after MAIL FROM, before "
		    "any recipient: will try again later", s->where);
		smtp_rcpt_not_tried(results, recipients, 0, SMTP_TEMPFAIL,
		    "not tried: stopped after MAIL FROM");
		return (SMTP_TEMPFAIL);
	}
	summary = smtp_reply_summary(s, code);
	*cause = g_strdup_printf("%s refused MAIL FROM with %s: %s", s->where,
	    summary, result == SMTP_PERMFAIL ? "check smtp.from in the "
	    "configuration and the message size" : "will try again later");
	g_free(summary);
	smtp_rcpt_not_tried(results, recipients, 0, result,
	    "not tried: MAIL FROM was refused");
	if (result == SMTP_PERMFAIL)
		smtp_reset(s);
	return (result);
}

/* One RCPT per recipient. TEMPFAIL when the connection went away. */
static enum smtp_result
smtp_rcpts(struct smtp_session *s, GPtrArray *recipients, GPtrArray *results,
    struct rcpt_tally *t, char **cause)
{
	struct smtp_rcpt_result	*rr;
	const char		*addr, *why = NULL;
	enum smtp_result	 result;
	char			*reply, *path;
	guint			 i;
	int			 r, code;

	for (i = 0; i < recipients->len; i++) {
		addr = g_ptr_array_index(recipients, i);
		if ((path = smtp_path(s, addr, &why)) == NULL) {
			reply = g_strdup_printf("not sent: not a usable SMTP "
			    "address for this relay (%s)", why);
			smtp_tally_refusal(t, SMTP_PERMFAIL, 0, reply);
			smtp_rcpt_result_add(results, addr, SMTP_PERMFAIL, 0,
			    reply);
			rr = g_ptr_array_index(results, results->len - 1);
			rr->unreachable = TRUE;
			if (smtp_step(s, SMTP_STEP_RCPT, rr) != 0)
				goto stopped;
			continue;
		}
		s->smtp->response_code = 0;
		r = mailsmtp_rcpt(s->smtp, path);
		g_free(path);
		code = smtp_code(s, r);
		result = smtp_classify(code);
		reply = code != 0 ? smtp_reply_text(s) :
		    g_strdup("no answer (timed out or connection closed)");
		if (result == SMTP_OK)
			t->accepted++;
		else
			smtp_tally_refusal(t, result, code, reply);
		smtp_rcpt_result_add(results, addr, result, code, reply);
		if (!s->broken && smtp_step(s, SMTP_STEP_RCPT,
		    g_ptr_array_index(results, results->len - 1)) != 0)
			goto stopped;
		if (s->broken) {
			smtp_rcpt_not_tried(results, recipients, i + 1,
			    SMTP_TEMPFAIL, "not tried: the connection was lost");
			reply = smtp_reply_summary(s, code);
			*cause = g_strdup_printf("%s: the connection was lost "
			    "at RCPT (%s): will try again later", s->where,
			    reply);
			g_free(reply);
			return (SMTP_TEMPFAIL);
		}
	}
	return (SMTP_OK);

stopped:
	smtp_rcpt_not_tried(results, recipients, i + 1, SMTP_TEMPFAIL,
	    "not tried: stopped at RCPT");
	*cause = g_strdup_printf("%s: stopped at RCPT, before the message: "
	    "will try again later", s->where);
	return (SMTP_TEMPFAIL);
}

/* DATA, then the message itself. */
static enum smtp_result
smtp_data(struct smtp_session *s, const char *raw, size_t len, char **cause)
{
	enum smtp_result	 result;
	GString			*wire;
	char			*summary;
	size_t			 half;
	int			 r, code;

	s->smtp->response_code = 0;
	r = mailsmtp_data(s->smtp);
	code = smtp_code(s, r);
	if (code != 354) {
		result = code == 0 || smtp_classify(code) == SMTP_OK ?
		    SMTP_TEMPFAIL : smtp_classify(code);
		summary = smtp_reply_summary(s, code);
		*cause = g_strdup_printf("%s refused DATA with %s: %s",
		    s->where, summary, result == SMTP_PERMFAIL ?
		    "ask the relay's administrator" : "will try again later");
		g_free(summary);
		if (result == SMTP_PERMFAIL)
			smtp_reset(s);
		else
			s->broken = TRUE;
		return (result);
	}

	if (smtp_step(s, SMTP_STEP_DATA, NULL) != 0) {
		*cause = g_strdup_printf("%s: stopped after DATA, before the "
		    "message: will try again later", s->where);
		return (SMTP_TEMPFAIL);
	}
	wire = smtp_data_wire(raw, len);
	half = wire->len / 2;
	if (!smtp_write(s, wire->str, half) ||
	    smtp_step(s, SMTP_STEP_HALF, NULL) != 0 ||
	    !smtp_write(s, wire->str + half, wire->len - half) ||
	    smtp_step(s, SMTP_STEP_BODY, NULL) != 0) {
		g_string_free(wire, TRUE);
		s->broken = TRUE;
		*cause = g_strdup_printf("%s: %s before the end of the message, "
		    "so it was not delivered: will try again later", s->where,
		    s->stopped ? "stopped" : "the connection was lost");
		return (SMTP_TEMPFAIL);
	}
	g_string_free(wire, TRUE);
	s->smtp->response_code = 0;
	if (!smtp_write(s, ".\r\n", 3))
		r = MAILSMTP_ERROR_STREAM;
	else if (smtp_step(s, SMTP_STEP_DOT, NULL) != 0)
		r = MAILSMTP_ERROR_STREAM;
	else
		r = mailsmtp_read_response(s->smtp);
	code = smtp_code(s, r);
	result = smtp_classify(code);
	if (result == SMTP_OK)
		return (SMTP_OK);
	if (code == 0) {
		*cause = g_strdup_printf("%s: no answer after the message was "
		    "sent (timed out or connection closed): it may have been "
		    "delivered; will try again later (a duplicate is possible)",
		    s->where);
		return (SMTP_TEMPFAIL);
	}
	summary = smtp_reply_summary(s, code);
	*cause = g_strdup_printf("%s refused the message with %s: %s",
	    s->where, summary, result == SMTP_PERMFAIL ? "check the message "
	    "size and content against the relay's limits" :
	    "will try again later");
	g_free(summary);
	return (result);
}

enum smtp_result
smtp_send(struct smtp_session *s, const char *envelope_from,
    GPtrArray *recipients, const void *raw, size_t len, GPtrArray **results,
    char **cause)
{
	return (smtp_send_steps(s, envelope_from, recipients, raw, len, NULL,
	    NULL, results, cause));
}

enum smtp_result
smtp_send_steps(struct smtp_session *s, const char *envelope_from,
    GPtrArray *recipients, const void *raw, size_t len, smtp_step_fn step,
    void *step_arg, GPtrArray **results, char **cause)
{
	struct rcpt_tally	 t = { 0, 0, 0, NULL };
	enum smtp_result	 result;
	const char		*stage = "MAIL";

	*results = g_ptr_array_new_with_free_func(smtp_rcpt_result_free);
	*cause = NULL;
	s->refusal = 0;
	s->step = step;
	s->step_arg = step_arg;
	s->stopped = FALSE;
	if (s->broken) {
		*cause = g_strdup_printf("%s: the connection is no longer "
		    "usable: close it and connect again", s->where);
		smtp_rcpt_not_tried(*results, recipients, 0, SMTP_TEMPFAIL,
		    "not tried: the connection was no longer usable");
		return (SMTP_TEMPFAIL);
	}

	if (recipients->len == 0) {
		*cause = g_strdup_printf("%s: a message without recipients was "
		    "not sent (a fault in redress: please report it)",
		    s->where);
		return (SMTP_PERMFAIL);
	}

	result = smtp_mail(s, envelope_from, recipients, len, *results, cause);
	if (result != SMTP_OK)
		goto done;

	stage = "RCPT";
	result = smtp_rcpts(s, recipients, *results, &t, cause);
	if (result != SMTP_OK)
		goto done;
	if (t.accepted == 0) {
		result = t.temporary != 0 ? SMTP_TEMPFAIL : SMTP_PERMFAIL;
		if (result == SMTP_PERMFAIL)
			*cause = g_strdup_printf("%s refused every recipient "
			    "(first: %s): check the addresses", s->where,
			    t.first_reply);
		else
			*cause = g_strdup_printf("%s refused every recipient, "
			    "%u of them for now (first: %s): will try again "
			    "later", s->where, t.temporary, t.first_reply);
		smtp_reset(s);
		goto done;
	}

	stage = "DATA";
	result = smtp_data(s, raw, len, cause);
	if (result == SMTP_OK && t.first_reply != NULL)
		*cause = g_strdup_printf("%s refused %u of %u recipients "
		    "(first: %s): check the addresses", s->where,
		    t.temporary + t.permanent, recipients->len, t.first_reply);

done:
	s->step = NULL;
	s->step_arg = NULL;
	if (result == SMTP_OK)
		log_info("SMTP %s: message accepted for %u of %u recipients",
		    s->where, t.accepted, recipients->len);
	else
		log_info("SMTP %s: message not sent (%s at %s, last refusal "
		    "%d); recipients %u accepted, %u refused", s->where,
		    smtp_result_name(result), stage, s->refusal, t.accepted,
		    t.temporary + t.permanent);
	g_free(t.first_reply);
	return (result);
}
