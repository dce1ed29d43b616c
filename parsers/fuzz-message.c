/*
 * fuzz-message.c: the parser under a fuzzer (Dovecot style).
 *
 * Built with -DREDRESS_LIBFUZZER and -fsanitize=fuzzer, libFuzzer drives
 * LLVMFuzzerTestOneInput(). Built normally, main() runs the same function
 * over the files named on the command line, or over every fixture in
 * $top_srcdir/tests/data/mail when none is named, and prints TAP.
 *
 * Each input is parsed twice, with the default limits and with tight ones,
 * so the quarantine paths are explored too. Beyond not crashing, the
 * result must keep message.h's promises: no NULL where none is allowed,
 * valid UTF-8 everywhere, hashes and sizes set.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "message.h"

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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

static const char *
run_one(const uint8_t *data, size_t size)
{
	static const struct parse_limits defaults = PARSE_LIMITS_DEFAULT;
	static const struct parse_limits tight = { 4096, 3, 12, 200 };
	const char	*defect;

	if ((defect = parse_and_check(data, size, &defaults)) != NULL)
		return (defect);
	return (parse_and_check(data, size, &tight));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*defect;

	if ((defect = run_one(data, size)) != NULL) {
		fprintf(stderr, "fuzz-message: %s\n", defect);
		abort();
	}
	return (0);
}

#ifndef REDRESS_LIBFUZZER
#include "tests/tap.h"

static int
compare_paths(gconstpointer a, gconstpointer b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Every *.eml fixture, sorted, or NULL with a reason. */
static GPtrArray *
fixture_files(char **why)
{
	const char	*top = g_getenv("top_srcdir"), *name;
	char		*dir;
	GDir		*d;
	GError		*error = NULL;
	GPtrArray	*files;

	dir = g_build_filename(top != NULL ? top : ".", "tests", "data",
	    "mail", NULL);
	if ((d = g_dir_open(dir, 0, &error)) == NULL) {
		*why = g_strdup_printf("cannot list fixtures: %s (set "
		    "top_srcdir or name files on the command line)",
		    error->message);
		g_error_free(error);
		g_free(dir);
		return (NULL);
	}
	files = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)) != NULL) {
		if (g_str_has_suffix(name, ".eml"))
			g_ptr_array_add(files, g_build_filename(dir, name,
			    NULL));
	}
	g_dir_close(d);
	g_free(dir);
	g_ptr_array_sort(files, compare_paths);
	return (files);
}

int
main(int argc, char **argv)
{
	GPtrArray	*files;
	GError		*error = NULL;
	char		*data, *why = NULL, *base;
	const char	*defect;
	gsize		 len;
	guint		 i;
	int		 a;

	if (argc > 1) {
		files = g_ptr_array_new_with_free_func(g_free);
		for (a = 1; a < argc; a++)
			g_ptr_array_add(files, g_strdup(argv[a]));
	} else if ((files = fixture_files(&why)) == NULL) {
		printf("Bail out! %s\n", why);
		g_free(why);
		return (1);
	}
	ok(files->len > 0, "there are messages to parse (%u)", files->len);
	for (i = 0; i < files->len; i++) {
		base = g_path_get_basename(files->pdata[i]);
		if (!g_file_get_contents(files->pdata[i], &data, &len,
		    &error)) {
			ok(0, "%s can be read: %s", base, error->message);
			g_clear_error(&error);
			g_free(base);
			continue;
		}
		defect = run_one((const uint8_t *)data, len);
		ok(defect == NULL, "%s parses with every field as promised%s%s",
		    base, defect != NULL ? ": " : "",
		    defect != NULL ? defect : "");
		g_free(data);
		g_free(base);
	}
	g_ptr_array_unref(files);
	return (tap_done());
}
#endif
