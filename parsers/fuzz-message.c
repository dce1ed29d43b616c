/*
 * fuzz-message.c: the parser under a fuzzer (fuzz.h), over the
 * fixtures in tests/data/mail when run without libFuzzer.
 *
 * Each input is parsed twice, with the default limits and with tight ones,
 * so the quarantine paths are explored too. Beyond not crashing, the
 * result must keep message.h's promises: no NULL where none is allowed,
 * valid UTF-8 everywhere, hashes and sizes set.
 */
#include <string.h>

#include <glib.h>

#include "fuzz.h"
#include "message.h"

const char	 fuzz_name[] = "fuzz-message";
const char	 fuzz_fixture_dir[] = "mail";
const char	 fuzz_fixture_suffix[] = ".eml";

static gboolean
is_hex64(const char *s)
{
	int	i;

	for (i = 0; i < 64; i++) {
		if (!g_ascii_isxdigit(s[i]) || g_ascii_isupper(s[i]))
			return (FALSE);
	}
	return (s[64] == '\0');
}

static gboolean
good(const char *s)
{
	return (s != NULL && g_utf8_validate(s, -1, NULL));
}

static gboolean
good_or_null(const char *s)
{
	return (s == NULL || good(s));
}

static const char *
address_defect(const struct address *a)
{
	if (!good(a->name) || !good(a->addr) || *a->addr == '\0')
		return ("an address has a missing or invalid name or addr");
	return (NULL);
}

static const char *
addresses_defect(const GPtrArray *list)
{
	const char	*defect;
	guint		 i;

	if (list == NULL)
		return ("an address list is NULL");
	for (i = 0; i < list->len; i++) {
		if ((defect = address_defect(list->pdata[i])) != NULL)
			return (defect);
	}
	return (NULL);
}

static const char *
strings_defect(const GPtrArray *list)
{
	guint	i;

	if (list == NULL)
		return ("a string list is NULL");
	for (i = 0; i < list->len; i++) {
		if (!good(list->pdata[i]))
			return ("a list holds a NULL or invalid UTF-8 string");
	}
	return (NULL);
}

/* What is wrong with a parsed message, or NULL. */
static const char *
message_defect(const struct message *m, size_t raw_size, gboolean top)
{
	const struct machine_signals	*ms = &m->machine;
	const struct attachment		*a;
	const struct header		*h;
	const char			*defect;
	guint				 i;

	if (!is_hex64(m->sha256))
		return ("sha256 is not 64 lower-case hex digits");
	if (top && m->raw_size != raw_size)
		return ("raw_size is not the input size");
	if (!good_or_null(m->quarantine) || !good(m->subject) ||
	    !good(m->body) || !good_or_null(m->return_path) ||
	    !good_or_null(m->message_id) || !good_or_null(m->in_reply_to))
		return ("a string field is NULL or invalid UTF-8");
	if ((m->body_source == BODY_NONE) != (*m->body == '\0'))
		return ("body_source disagrees with the body");
	if ((m->from != NULL && (defect = address_defect(m->from)) != NULL) ||
	    (m->sender != NULL &&
	    (defect = address_defect(m->sender)) != NULL) ||
	    (defect = addresses_defect(m->reply_to)) != NULL ||
	    (defect = addresses_defect(m->to)) != NULL ||
	    (defect = addresses_defect(m->cc)) != NULL ||
	    (defect = strings_defect(m->delivered_to)) != NULL ||
	    (defect = strings_defect(m->references)) != NULL)
		return (defect);
	if (m->headers == NULL || m->attachments == NULL ||
	    m->forwarded == NULL)
		return ("headers, attachments or forwarded is NULL");
	for (i = 0; i < m->headers->len; i++) {
		h = m->headers->pdata[i];
		if (!good(h->name) || !good(h->value))
			return ("a header has a NULL or invalid name or value");
	}
	for (i = 0; i < m->attachments->len; i++) {
		a = m->attachments->pdata[i];
		if (!good(a->filename) || !good(a->content_type) ||
		    !good_or_null(a->text) || !is_hex64(a->sha256))
			return ("an attachment has an invalid field");
	}
	if (!good_or_null(ms->auto_submitted) ||
	    !good_or_null(ms->precedence) || !good_or_null(ms->list_id) ||
	    !good_or_null(ms->x_loop) || !good_or_null(ms->report_type) ||
	    !good_or_null(ms->reported_message_id))
		return ("a machine signal is invalid UTF-8");
	if (!top && m->quarantine != NULL)
		return ("a forwarded message carries its own quarantine");
	for (i = 0; i < m->forwarded->len; i++) {
		if ((defect = message_defect(m->forwarded->pdata[i], 0,
		    FALSE)) != NULL)
			return (defect);
	}
	return (NULL);
}

static const char *
parse_and_check(const uint8_t *data, size_t size,
    const struct parse_limits *limits)
{
	static char	 why[512];
	struct message	*m;
	const char	*defect;
	char		*cause = NULL;

	if (message_parse((const char *)data, size, limits, &m, &cause) != 0) {
		g_strlcpy(why, cause != NULL ? cause : "message_parse failed",
		    sizeof why);
		g_free(cause);
		return (why);
	}
	/* The accessors must cope with whatever came out. */
	(void)message_header(m, "Subject");
	(void)message_reply_address(m);
	defect = message_defect(m, size, TRUE);
	message_free(m);
	return (defect);
}

const char *
fuzz_one(const uint8_t *data, size_t size)
{
	static const struct parse_limits defaults = PARSE_LIMITS_DEFAULT;
	static const struct parse_limits tight = { 4096, 3, 12, 200, 1024,
	    2048, 10 };
	const char	*defect;

	if ((defect = parse_and_check(data, size, &defaults)) != NULL)
		return (defect);
	return (parse_and_check(data, size, &tight));
}
