/*
 * test-compose.c: outgoing messages, built and parsed back with GMime (TAP).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>

#include "compose.h"
#include "template.h"
#include "tests/scratch-templates.h"
#include "tests/tap.h"

#define NOW	G_GINT64_CONSTANT(1797588000)	/* 2026-12-18T10:00:00Z */
#define SUBJECT	"Rydym wedi cael eich cwyn — ŵ [LON-2026-00042]"

static GPtrArray *
strings(const char *first, ...)
{
	GPtrArray	*array = g_ptr_array_new();
	const char	*s;
	va_list		 ap;

	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *))
		g_ptr_array_add(array, (gpointer)s);
	va_end(ap);
	return (array);
}

static GMimeMessage *
parse(GBytes *raw)
{
	GMimeStream	*stream;
	GMimeParser	*parser;
	GMimeMessage	*message;
	gsize		 len;
	const char	*data = g_bytes_get_data(raw, &len);

	stream = g_mime_stream_mem_new_with_buffer(data, len);
	parser = g_mime_parser_new_with_stream(stream);
	message = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	return (message);
}

static const char *
header(GMimeMessage *m, const char *name)
{
	return (g_mime_object_get_header(GMIME_OBJECT(m), name));
}

/* Every line ends in CRLF; *longest: the longest line without its CRLF. */
static gboolean
lines_are_crlf(GBytes *raw, gsize *longest)
{
	gsize		 len, i, start = 0;
	const char	*data = g_bytes_get_data(raw, &len);
	gboolean	 crlf = TRUE;

	*longest = 0;
	for (i = 0; i < len; i++) {
		if (data[i] == '\n') {
			if (i == 0 || data[i - 1] != '\r')
				crlf = FALSE;
			else
				*longest = MAX(*longest, i - 1 - start);
			start = i + 1;
		}
	}
	return (crlf && len > 0 && data[len - 1] == '\n');
}

/* The header block of raw is 7-bit (non-ASCII text RFC 2047 encoded). */
static gboolean
header_is_ascii(GBytes *raw)
{
	gsize		 len, i;
	const char	*data = g_bytes_get_data(raw, &len);

	for (i = 0; i + 3 < len; i++) {
		if (memcmp(data + i, "\r\n\r\n", 4) == 0)
			return (TRUE);
		if ((unsigned char)data[i] > 127)
			return (FALSE);
	}
	return (FALSE);
}

/* Decoded content of a leaf part. Caller frees. */
static GBytes *
part_content(GMimeObject *object)
{
	GMimeStream	*stream;
	GByteArray	*bytes;
	GBytes		*content;

	stream = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(
	    g_mime_part_get_content(GMIME_PART(object)), stream);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	content = g_bytes_new(bytes->data, bytes->len);
	g_object_unref(stream);
	return (content);
}

/* A text part's text with CRLF as "\n". Caller frees. */
static char *
part_text(GMimeObject *object)
{
	char	*text, **lines, *joined;

	text = g_mime_text_part_get_text(GMIME_TEXT_PART(object));
	lines = g_strsplit(text, "\r\n", -1);
	joined = g_strjoinv("\n", lines);
	g_strfreev(lines);
	g_free(text);
	return (joined);
}

/*
 * The shipped templates and a Welsh one of the test's own, loaded as a
 * set; NULL (after a failed test point) when it does not load.
 */
static struct template_set *
scratch_set(void)
{
	struct template_set	*set;
	GPtrArray		*errors;
	const char		*top_srcdir = getenv("top_srcdir");
	char			*dir;

	dir = scratch_templates_new(top_srcdir != NULL ? top_srcdir : ".",
	    "test-compose-XXXXXX");
	scratch_template_write(dir, NULL, "reply",
	    "---\n"
	    "subject: Rydym wedi cael eich cwyn — ŵ [{{ref}}]\n"
	    "vars: name ref\n"
	    "default-name: Syr neu Fadam\n"
	    "---\n"
	    "Annwyl {{name}},\n"
	    "\n"
	    "Eich cyfeirnod yw **{{ref}}**.\n");
	errors = g_ptr_array_new_with_free_func(g_free);
	if (template_set_load(dir, &set, errors) != 0)
		ok(0, "the test templates load: %s",
		    (char *)g_ptr_array_index(errors, 0));
	g_ptr_array_unref(errors);
	/* The set holds everything it needs: the files can go now. */
	scratch_remove_tree(dir);
	g_free(dir);
	return (set);
}

static void
test_message_id(void)
{
	char	*a, *b;

	a = compose_message_id("cps.example.gov.uk", NOW);
	b = compose_message_id("london.complaints@cps.example.gov.uk", NOW);
	ok(strcmp(a, b) != 0, "two Message-IDs made in the same second differ");
	ok(g_str_has_suffix(a, "@cps.example.gov.uk") &&
	    g_str_has_suffix(b, "@cps.example.gov.uk") &&
	    strchr(a, '<') == NULL && strpbrk(a, " \t\r\n") == NULL,
	    "a Message-ID is in the given domain (or the address's), without "
	    "<> or spaces");
	ok(compose_is_our_message_id(a) && compose_is_our_message_id("<x>") ==
	    FALSE && compose_is_our_message_id("abc@cps.example.gov.uk") ==
	    FALSE, "our Message-IDs are recognised, others are not");
	g_free(a);
	g_free(b);
}

static void
test_full_message(void)
{
	struct template_set *set;
	struct outgoing	 o;
	struct rendered	*r = NULL;
	GHashTable	*vars;
	GPtrArray	*to, *cc, *refs;
	GBytes		*raw = NULL;
	GMimeMessage	*m;
	GMimeObject	*body, *text, *html;
	InternetAddressList *list;
	InternetAddress	*from;
	GDateTime	*date;
	char		*cause = NULL, *id, *got;
	gsize		 longest;

	if ((set = scratch_set()) == NULL)
		return;
	vars = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_insert(vars, "name", "<script>alert(1)</script> Jones");
	g_hash_table_insert(vars, "ref", "LON-2026-00042");
	if (template_render(set, "cy", "reply", vars, &r, &cause) != 0) {
		ok(0, "the test template renders: %s", cause);
		g_free(cause);
		g_hash_table_unref(vars);
		template_set_free(set);
		return;
	}
	g_hash_table_unref(vars);
	template_set_free(set);

	id = compose_message_id("cps.example.gov.uk", NOW);
	to = strings("ann@example.org", "bob@example.org", NULL);
	cc = strings("coordinator@cps.example.gov.uk", NULL);
	refs = strings("first@example.org", "bad id", "second@example.org",
	    NULL);
	memset(&o, 0, sizeof o);
	o.from = "london.complaints@cps.example.gov.uk";
	o.from_name = "Gwasanaeth Erlyn y Goron – Llundain";
	o.reply_to = "london.complaints+LON-2026-00042.abc@cps.example.gov.uk";
	o.to = to;
	o.cc = cc;
	o.subject = r->subject;
	o.text = r->text;
	o.html = r->html;
	o.message_id = id;
	o.in_reply_to = "second@example.org";
	o.references = refs;
	o.auto_submitted = TRUE;
	o.language = "cy";
	ok(compose_build(&o, NOW, &raw, &cause) == 0 && raw != NULL,
	    "a message with text and HTML is built (%s)",
	    cause ? cause : "no error");
	if (raw == NULL)
		goto out;

	ok(lines_are_crlf(raw, &longest) && longest <= 998,
	    "every line ends in CRLF and is at most 998 octets");
	ok(header_is_ascii(raw), "the header is 7-bit: the Welsh subject and "
	    "name are RFC 2047 encoded");
	m = parse(raw);
	ok(m != NULL, "GMime parses the message back");
	if (m == NULL)
		goto out;
	is_str(g_mime_message_get_subject(m), SUBJECT,
	    "a subject with non-ASCII characters round-trips");
	list = g_mime_message_get_from(m);
	from = internet_address_list_length(list) == 1 ?
	    internet_address_list_get_address(list, 0) : NULL;
	ok(from != NULL && strcmp(internet_address_mailbox_get_addr(
	    INTERNET_ADDRESS_MAILBOX(from)), o.from) == 0 &&
	    strcmp(internet_address_get_name(from), o.from_name) == 0,
	    "From carries the address and the Welsh display name");
	ok(internet_address_list_length(g_mime_message_get_to(m)) == 2 &&
	    internet_address_list_length(g_mime_message_get_cc(m)) == 1 &&
	    internet_address_list_length(g_mime_message_get_reply_to(m)) == 1,
	    "To, Cc and Reply-To carry every address");
	is_str(g_mime_message_get_message_id(m), id,
	    "Message-ID is the one given");
	is_str(header(m, "In-Reply-To"), "<second@example.org>",
	    "In-Reply-To is the id in <>");
	is_str(header(m, "References"), "<first@example.org> "
	    "<second@example.org>", "References are in <>, an invalid id left "
	    "out");
	is_str(header(m, "Auto-Submitted"), "auto-replied",
	    "an automatic answer says Auto-Submitted: auto-replied");
	is_str(header(m, "X-Auto-Response-Suppress"), "All",
	    "X-Auto-Response-Suppress: All stops Exchange auto-replies");
	is_str(header(m, "X-Loop"), "redress", "X-Loop: redress is set");
	is_str(g_mime_object_get_header(g_mime_message_get_mime_part(m),
	    "Content-Language"), "cy", "Content-Language is cy");
	is_str(header(m, "MIME-Version"), "1.0", "MIME-Version is 1.0");
	date = g_mime_message_get_date(m);
	ok(date != NULL && g_date_time_to_unix(date) == NOW,
	    "Date is the time passed in");

	body = g_mime_message_get_mime_part(m);
	ok(GMIME_IS_MULTIPART(body) && g_mime_content_type_is_type(
	    g_mime_object_get_content_type(body), "multipart", "alternative") &&
	    g_mime_multipart_get_count(GMIME_MULTIPART(body)) == 2,
	    "the body is multipart/alternative with two parts");
	if (!GMIME_IS_MULTIPART(body) ||
	    g_mime_multipart_get_count(GMIME_MULTIPART(body)) != 2) {
		g_object_unref(m);
		goto out;
	}
	text = g_mime_multipart_get_part(GMIME_MULTIPART(body), 0);
	html = g_mime_multipart_get_part(GMIME_MULTIPART(body), 1);
	ok(g_mime_content_type_is_type(g_mime_object_get_content_type(text),
	    "text", "plain") && g_mime_content_type_is_type(
	    g_mime_object_get_content_type(html), "text", "html"),
	    "text/plain comes first, text/html last");
	is_str(g_mime_object_get_content_type_parameter(text, "charset"),
	    "utf-8", "the text part is UTF-8");
	got = part_text(text);
	is_str(got, r->text, "the text part decodes to the text given");
	ok(strstr(got, "<script>alert(1)</script> Jones") != NULL,
	    "the text part has the raw value");
	g_free(got);
	got = part_text(html);
	ok(strstr(got, "<script") == NULL &&
	    strstr(got, "&lt;script&gt;alert(1)&lt;/script&gt; Jones") != NULL,
	    "the HTML part contains no <script>, only its literal text");
	g_free(got);
	g_object_unref(m);
out:
	if (raw != NULL)
		g_bytes_unref(raw);
	g_free(cause);
	g_free(id);
	g_ptr_array_unref(to);
	g_ptr_array_unref(cc);
	g_ptr_array_unref(refs);
	rendered_free(r);
}

/* The last part of the multipart/mixed body of raw, parsed into *m. */
static GMimeObject *
attachment_of(GBytes *raw, GMimeMessage **m)
{
	GMimeObject	*body;
	int		 n;

	*m = raw != NULL ? parse(raw) : NULL;
	body = *m != NULL ? g_mime_message_get_mime_part(*m) : NULL;
	if (body == NULL || !GMIME_IS_MULTIPART(body) ||
	    (n = g_mime_multipart_get_count(GMIME_MULTIPART(body))) < 2)
		return (NULL);
	return (g_mime_multipart_get_part(GMIME_MULTIPART(body), n - 1));
}

static void
base_outgoing(struct outgoing *o, GPtrArray *to)
{
	memset(o, 0, sizeof *o);
	o->from = "london.complaints@cps.example.gov.uk";
	o->to = to;
	o->subject = "Notice [LON-2026-00042]";
	o->text = "Hello.\n";
	o->message_id = "redress.1.0123456789abcdef.1@cps.example.gov.uk";
	o->language = "en";
}

static void
test_variants(void)
{
	struct outgoing	 o;
	struct out_attachment pdf, eml;
	GPtrArray	*to, *attachments;
	GBytes		*raw = NULL, *content;
	GMimeMessage	*m;
	GMimeObject	*body, *part;
	GString		*long_text;
	GPtrArray	*refs;
	GMimeReferences	*parsed;
	gboolean	 crlf;
	char		*cause = NULL, *got;
	const char	 binary[] = "%PDF\0\r\n\xff\xfe binary";
	const char	*inner = "From: a@example.org\r\nSubject: inner\r\n"
	    "Message-ID: <inner@example.org>\r\n\r\nHello there.\r\n";
	const char	*inner_8bit = "From: a@example.org\r\nSubject: inner\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\nŵyn.\r\n";
	gsize		 longest;
	guint		 i;
	int		 rc;

	to = strings("ann@example.org", NULL);

	base_outgoing(&o, to);
	ok(compose_build(&o, NOW, &raw, &cause) == 0,
	    "a text-only message is built");
	m = raw != NULL ? parse(raw) : NULL;
	ok(m != NULL && g_mime_content_type_is_type(
	    g_mime_object_get_content_type(g_mime_message_get_mime_part(m)),
	    "text", "plain") && header(m, "Auto-Submitted") == NULL &&
	    header(m, "In-Reply-To") == NULL,
	    "without HTML the body is text/plain alone; not automatic, no "
	    "Auto-Submitted; no In-Reply-To");
	if (m != NULL)
		g_object_unref(m);
	g_bytes_unref(raw);
	raw = NULL;

	base_outgoing(&o, to);
	o.auto_submitted = TRUE;
	o.subject = "Hi\r\nBcc: evil@example.org";
	compose_build(&o, NOW, &raw, &cause);
	m = raw != NULL ? parse(raw) : NULL;
	ok(m != NULL && strcmp(header(m, "Auto-Submitted"),
	    "auto-generated") == 0,
	    "an automatic notice that answers nothing is auto-generated");
	ok(m != NULL && header(m, "Bcc") == NULL &&
	    strcmp(g_mime_message_get_subject(m), "Hi  Bcc: evil@example.org")
	    == 0, "CR/LF in the subject cannot inject a header");
	if (m != NULL)
		g_object_unref(m);
	g_bytes_unref(raw);
	raw = NULL;

	pdf.filename = "../../etc/passwd.pdf";
	pdf.content_type = "application/pdf";
	pdf.data = g_bytes_new_static(binary, sizeof binary);
	eml.filename = "message.eml";
	eml.content_type = "message/rfc822";
	eml.data = g_bytes_new_static(inner, strlen(inner));
	attachments = g_ptr_array_new();
	g_ptr_array_add(attachments, &pdf);
	g_ptr_array_add(attachments, &eml);
	base_outgoing(&o, to);
	o.html = "<p>Hello.</p>\n";
	o.attachments = attachments;
	ok(compose_build(&o, NOW, &raw, &cause) == 0,
	    "a message with attachments is built");
	m = raw != NULL ? parse(raw) : NULL;
	body = m != NULL ? g_mime_message_get_mime_part(m) : NULL;
	ok(body != NULL && g_mime_content_type_is_type(
	    g_mime_object_get_content_type(body), "multipart", "mixed") &&
	    g_mime_multipart_get_count(GMIME_MULTIPART(body)) == 3 &&
	    g_mime_content_type_is_type(g_mime_object_get_content_type(
	    g_mime_multipart_get_part(GMIME_MULTIPART(body), 0)),
	    "multipart", "alternative"),
	    "with attachments the body is multipart/mixed, the alternative "
	    "first");
	if (body != NULL && g_mime_multipart_get_count(GMIME_MULTIPART(body))
	    == 3) {
		part = g_mime_multipart_get_part(GMIME_MULTIPART(body), 1);
		is_str(g_mime_part_get_filename(GMIME_PART(part)),
		    "passwd.pdf", "an attachment name loses its directories");
		content = part_content(part);
		ok(g_bytes_equal(content, pdf.data),
		    "binary attachment bytes round-trip exactly");
		g_bytes_unref(content);
		part = g_mime_multipart_get_part(GMIME_MULTIPART(body), 2);
		ok(GMIME_IS_MESSAGE_PART(part) && strcmp(
		    g_mime_message_get_subject(g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(part))), "inner") == 0,
		    "a forwarded message is attached as message/rfc822");
	}
	if (m != NULL)
		g_object_unref(m);
	g_bytes_unref(raw);
	raw = NULL;
	g_bytes_unref(pdf.data);
	g_bytes_unref(eml.data);

	/* A forwarded message in UTF-8, and one that is not mail at all. */
	g_ptr_array_remove_index(attachments, 0);
	eml.data = g_bytes_new_static(inner_8bit, strlen(inner_8bit));
	compose_build(&o, NOW, &raw, &cause);
	part = attachment_of(raw, &m);
	ok(part != NULL && GMIME_IS_MESSAGE_PART(part) && g_strcmp0(
	    g_mime_object_get_header(part, "Content-Transfer-Encoding"),
	    "8bit") == 0, "a forwarded 8-bit message is message/rfc822 "
	    "marked 8bit");
	if (m != NULL)
		g_object_unref(m);
	g_bytes_unref(raw);
	g_bytes_unref(eml.data);
	eml.data = g_bytes_new_static(binary, sizeof binary);
	compose_build(&o, NOW, &raw, &cause);
	part = attachment_of(raw, &m);
	ok(part != NULL && g_mime_content_type_is_type(
	    g_mime_object_get_content_type(part), "application",
	    "octet-stream") && strcmp(g_mime_part_get_filename(
	    GMIME_PART(part)), "message.eml") == 0,
	    "\"message/rfc822\" data with NUL bytes goes as a plain file");
	if (m != NULL)
		g_object_unref(m);
	g_bytes_unref(raw);
	raw = NULL;
	g_bytes_unref(eml.data);
	g_ptr_array_unref(attachments);

	long_text = g_string_new("Start ");
	for (i = 0; i < 300; i++)
		g_string_append(long_text, "ŵyn-");
	g_string_append(long_text, "\nEnd.\n");
	base_outgoing(&o, to);
	o.text = long_text->str;
	compose_build(&o, NOW, &raw, &cause);
	m = raw != NULL ? parse(raw) : NULL;
	got = m != NULL ? part_text(g_mime_message_get_mime_part(m)) : NULL;
	ok(raw != NULL && lines_are_crlf(raw, &longest) && longest <= 998 &&
	    got != NULL && strcmp(got, long_text->str) == 0,
	    "a 1,200-character line is encoded within 998 octets and decodes "
	    "unchanged");
	g_free(got);
	if (m != NULL)
		g_object_unref(m);
	if (raw != NULL)
		g_bytes_unref(raw);
	raw = NULL;
	g_string_free(long_text, TRUE);

	/* Long headers are folded, not left over the line limit. */
	long_text = g_string_new("Re:");
	refs = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; i < 60; i++) {
		g_string_append(long_text, " ŵyn gwyn");
		g_ptr_array_add(refs, g_strdup_printf("ref%u.0123456789abcdef@"
		    "mail.example.org", i));
	}
	base_outgoing(&o, to);
	o.subject = long_text->str;
	o.references = refs;
	compose_build(&o, NOW, &raw, &cause);
	m = raw != NULL ? parse(raw) : NULL;
	parsed = m != NULL ? g_mime_references_parse(NULL,
	    header(m, "References")) : NULL;
	crlf = raw != NULL && lines_are_crlf(raw, &longest);
	ok(crlf && longest <= 78 && m != NULL &&
	    strcmp(g_mime_message_get_subject(m), long_text->str) == 0 &&
	    parsed != NULL && g_mime_references_length(parsed) == 60,
	    "a long subject and 60 references are folded within 78 columns "
	    "and read back whole (longest line %zu)", longest);
	if (parsed != NULL)
		g_mime_references_free(parsed);
	if (m != NULL)
		g_object_unref(m);
	if (raw != NULL)
		g_bytes_unref(raw);
	raw = NULL;
	g_ptr_array_unref(refs);
	g_string_free(long_text, TRUE);

	g_ptr_array_set_size(to, 0);
	base_outgoing(&o, to);
	ok(compose_build(&o, NOW, &raw, &cause) == -1 && raw == NULL &&
	    cause != NULL && strstr(cause, "no recipient") != NULL,
	    "no recipient is an error saying so");
	g_free(cause);
	cause = NULL;
	g_ptr_array_add(to, "ann@example.org");
	g_ptr_array_add(to, "Ann Jones <ann.jones@example.org>");
	rc = compose_build(&o, NOW, &raw, &cause);
	ok(rc == -1 && cause != NULL &&
	    strstr(cause, "recipient 2 of To") != NULL &&
	    strstr(cause, "ann.jones") == NULL,
	    "an invalid address is an error naming its position, not the "
	    "address (%s)", cause ? cause : "no error");
	g_free(cause);
	cause = NULL;
	g_ptr_array_set_size(to, 1);
	o.message_id = "not an id";
	ok(compose_build(&o, NOW, &raw, &cause) == -1 && cause != NULL &&
	    strstr(cause, "Message-ID") != NULL,
	    "an invalid Message-ID of ours is an error");
	g_free(cause);

	g_ptr_array_unref(to);
}

int
main(void)
{
	/* A GLib or GMime critical (e.g. GMime used uninitialised) fails. */
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
	/* No g_mime_init() here: compose_build() must initialise GMime. */
	test_message_id();
	test_full_message();
	test_variants();
	return (tap_done());
}
