/*
 * compose.c: turn rendered text and addresses into an RFC 5322 message.
 */
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "address.h"
#include "compose.h"
#include "regex-cache.h"

/* Recognised by intake in replies that loop back to us (invariant 3). */
#define LOOP_HEADER_VALUE	"redress"
#define MESSAGE_ID_PREFIX	"redress."

/* A msg-id without <>: printable ASCII, one "@". */
#define MESSAGE_ID_RE	"^[!-;=?A-~]+@[!-;=?A-~]+$"
#define LANGUAGE_RE	"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"
#define MIME_TOKEN	"[A-Za-z0-9!#$&^_.+-]+"
#define CONTENT_TYPE_RE	"^" MIME_TOKEN "/" MIME_TOKEN "$"

static volatile gint message_id_counter;

char *
compose_message_id(const char *domain, gint64 now)
{
	const char	*at;

	if (domain != NULL && (at = strrchr(domain, '@')) != NULL)
		domain = at + 1;
	if (domain == NULL || *domain == '\0')
		domain = "redress.invalid";
	/* Time and a process counter make it unique here; the random bits
	 * make it unique across hosts and restarts. */
	return (g_strdup_printf(MESSAGE_ID_PREFIX "%" G_GINT64_FORMAT
	    ".%08x%08x.%d@%s", now, g_random_int(), g_random_int(),
	    g_atomic_int_add(&message_id_counter, 1) + 1, domain));
}

gboolean
compose_is_our_message_id(const char *message_id)
{
	if (message_id == NULL)
		return (FALSE);
	if (*message_id == '<')
		message_id++;
	return (regex_cached_match("^" MESSAGE_ID_PREFIX
	    "[0-9]+\\.[0-9a-f]{16}\\.[0-9]+@", 0, message_id));
}

/*
 * GMime is initialised once, on first use, and never shut down here:
 * g_mime_init() is reference counted, but after a full g_mime_shutdown()
 * a second g_mime_init() leaves GMime's tables broken.
 */
static void
gmime_ready(void)
{
	static gsize	done;

	if (g_once_init_enter(&done)) {
		g_mime_init();
		g_once_init_leave(&done, 1);
	}
}

static gboolean
is_message_id(const char *s)
{
	return (regex_cached_match(MESSAGE_ID_RE, 0, s));
}

/*
 * Text fit for one header line: valid UTF-8, every control character
 * (CR and LF above all: header injection) turned into a space.
 */
static char *
header_text(const char *s)
{
	char		*valid;
	const char	*p;
	GString		*out;
	gunichar	 c;

	valid = g_utf8_make_valid(s, -1);
	out = g_string_sized_new(strlen(valid));
	for (p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char(p);
		if (g_unichar_iscntrl(c))
			g_string_append_c(out, ' ');
		else
			g_string_append_unichar(out, c);
	}
	g_free(valid);
	return (g_strstrip(g_string_free(out, FALSE)));
}

/* The file name without any directory part, never empty. */
static char *
attachment_filename(const char *filename)
{
	const char	*base = filename != NULL ? filename : "";
	const char	*slash;
	char		*name;

	if ((slash = strrchr(base, '/')) != NULL)
		base = slash + 1;
	if ((slash = strrchr(base, '\\')) != NULL)
		base = slash + 1;
	name = header_text(base);
	if (*name == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		g_free(name);
		name = g_strdup("attachment");
	}
	return (name);
}

static void
set_content(GMimePart *part, const void *data, gsize len,
    GMimeContentEncoding encoding)
{
	GMimeStream		*stream;
	GMimeDataWrapper	*wrapper;

	stream = g_mime_stream_mem_new_with_buffer(data, len);
	wrapper = g_mime_data_wrapper_new_with_stream(stream,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, wrapper);
	g_object_unref(wrapper);
	g_object_unref(stream);
	if (encoding == GMIME_CONTENT_ENCODING_DEFAULT)
		encoding = g_mime_part_get_best_content_encoding(part,
		    GMIME_ENCODING_CONSTRAINT_7BIT);
	g_mime_part_set_content_encoding(part, encoding);
}

static GMimeObject *
text_part(const char *subtype, const char *text, const char *language)
{
	GMimeTextPart	*part;
	char		*valid;

	/* Always UTF-8: GMime's own choice could be a legacy charset. */
	part = g_mime_text_part_new_with_subtype(subtype);
	g_mime_text_part_set_charset(part, "utf-8");
	valid = g_utf8_make_valid(text, -1);
	set_content(GMIME_PART(part), valid, strlen(valid),
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_free(valid);
	g_mime_object_set_header(GMIME_OBJECT(part), "Content-Language",
	    language, NULL);
	return (GMIME_OBJECT(part));
}

/* The longest line of data, and whether any byte is NUL or 8-bit. */
static gsize
scan_octets(const guchar *data, gsize len, gboolean *nul, gboolean *eight_bit)
{
	gsize	i, start = 0, longest = 0;

	*nul = *eight_bit = FALSE;
	for (i = 0; i < len; i++) {
		if (data[i] == '\0')
			*nul = TRUE;
		else if (data[i] > 127)
			*eight_bit = TRUE;
		else if (data[i] == '\n') {
			longest = MAX(longest, i - start);
			start = i + 1;
		}
	}
	return (MAX(longest, len - start));
}

/*
 * A forwarded message as message/rfc822. RFC 2046 allows that type only
 * unencoded (7bit, or 8bit when the relay takes 8BITMIME), so a message
 * with NUL bytes or overlong lines returns NULL and goes as a plain file.
 */
static GMimeObject *
message_attachment(const void *data, gsize len, const char *filename)
{
	GMimeStream		*stream;
	GMimeParser		*parser;
	GMimeMessage		*inner;
	GMimeMessagePart	*part;
	GMimeContentDisposition	*disposition;
	gboolean		 nul, eight_bit;

	if (scan_octets(data, len, &nul, &eight_bit) > 998 || nul)
		return (NULL);
	stream = g_mime_stream_mem_new_with_buffer(data, len);
	parser = g_mime_parser_new_with_stream(stream);
	inner = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	if (inner == NULL)
		return (NULL);
	part = g_mime_message_part_new_with_message("rfc822", inner);
	g_object_unref(inner);
	if (eight_bit)
		g_mime_object_set_header(GMIME_OBJECT(part),
		    "Content-Transfer-Encoding", "8bit", NULL);
	disposition = g_mime_content_disposition_new();
	g_mime_content_disposition_set_disposition(disposition,
	    GMIME_DISPOSITION_ATTACHMENT);
	g_mime_content_disposition_set_parameter(disposition, "filename",
	    filename);
	g_mime_object_set_content_disposition(GMIME_OBJECT(part),
	    disposition);
	g_object_unref(disposition);
	return (GMIME_OBJECT(part));
}

static GMimeObject *
attachment_part(const struct out_attachment *a)
{
	GMimeContentType	*type;
	GMimeObject		*message;
	GMimePart		*part;
	const void		*data = "";
	char			*filename;
	gsize			 len = 0;

	if (a->data != NULL)
		data = g_bytes_get_data(a->data, &len);
	filename = attachment_filename(a->filename);
	if (a->content_type != NULL &&
	    g_ascii_strcasecmp(a->content_type, "message/rfc822") == 0 &&
	    (message = message_attachment(data, len, filename)) != NULL) {
		g_free(filename);
		return (message);
	}
	/* Other message types allow no base64 either: send them as files. */
	if (a->content_type != NULL &&
	    regex_cached_match(CONTENT_TYPE_RE, 0, a->content_type) &&
	    g_ascii_strncasecmp(a->content_type, "message/", 8) != 0)
		type = g_mime_content_type_parse(NULL, a->content_type);
	else
		type = g_mime_content_type_new("application", "octet-stream");
	part = g_mime_part_new();
	g_mime_object_set_content_type(GMIME_OBJECT(part), type);
	g_object_unref(type);
	g_mime_part_set_filename(part, filename);
	g_free(filename);
	/* base64 keeps every byte as it is, whatever the type claims. */
	set_content(part, data != NULL ? data : "", len,
	    GMIME_CONTENT_ENCODING_BASE64);
	return (GMIME_OBJECT(part));
}

static GMimeObject *
build_body(const struct outgoing *o)
{
	GMimeMultipart	*alternative, *mixed;
	GMimeObject	*body, *attachment;
	guint		 i;

	body = text_part("plain", o->text, o->language);
	if (o->html != NULL) {
		alternative = g_mime_multipart_new_with_subtype("alternative");
		g_mime_multipart_add(alternative, body);
		g_object_unref(body);
		body = text_part("html", o->html, o->language);
		g_mime_multipart_add(alternative, body);
		g_object_unref(body);
		body = GMIME_OBJECT(alternative);
	}
	if (o->attachments != NULL && o->attachments->len > 0) {
		mixed = g_mime_multipart_new_with_subtype("mixed");
		g_mime_multipart_add(mixed, body);
		g_object_unref(body);
		for (i = 0; i < o->attachments->len; i++) {
			attachment = attachment_part(
			    g_ptr_array_index(o->attachments, i));
			g_mime_multipart_add(mixed, attachment);
			g_object_unref(attachment);
		}
		body = GMIME_OBJECT(mixed);
	}
	return (body);
}

/*
 * Add name <addr> to the header of type, addr in its canonical form
 * (address.h: quotes kept where needed, domain literals as they are, an
 * IDN domain as its A-label). -1 when it is not an address. GMime would
 * encode a display name in whatever legacy charset fits: UTF-8 it is.
 */
static int
add_mailbox(GMimeMessage *message, GMimeAddressType type, const char *name,
    const char *addr)
{
	InternetAddress	*mailbox;
	char		*canonical;

	if ((canonical = address_canonical(addr, NULL)) == NULL)
		return (-1);
	mailbox = internet_address_mailbox_new(name, canonical);
	internet_address_set_charset(mailbox, "utf-8");
	internet_address_list_add(g_mime_message_get_addresses(message, type),
	    mailbox);
	g_object_unref(mailbox);
	g_free(canonical);
	return (0);
}

/* Add each address of list as a recipient of type; -1 on a bad one. */
static int
add_recipients(GMimeMessage *message, GMimeAddressType type,
    const char *header, GPtrArray *list, const char *name, char **cause)
{
	const char	*why = NULL;
	char		*c;
	guint		 i;

	for (i = 0; list != NULL && i < list->len; i++) {
		if ((c = address_canonical(g_ptr_array_index(list, i),
		    &why)) == NULL) {
			*cause = g_strdup_printf("cannot compose message: "
			    "recipient %u of %s is not a valid address (%s); "
			    "correct it in the case or the configuration",
			    i + 1, header, why);
			return (-1);
		}
		g_free(c);
		add_mailbox(message, type, list->len == 1 ? name : NULL,
		    g_ptr_array_index(list, i));
	}
	return (0);
}

/* In-Reply-To and References, leaving out ids that are not valid. */
static void
set_threading(GMimeMessage *message, const struct outgoing *o)
{
	GString		*references;
	const char	*id;
	char		*value;
	guint		 i;

	if (is_message_id(o->in_reply_to)) {
		value = g_strdup_printf("<%s>", o->in_reply_to);
		g_mime_object_set_header(GMIME_OBJECT(message), "In-Reply-To",
		    value, NULL);
		g_free(value);
	}
	references = g_string_new(NULL);
	for (i = 0; o->references != NULL && i < o->references->len; i++) {
		id = g_ptr_array_index(o->references, i);
		if (!is_message_id(id))
			continue;
		if (references->len > 0)
			g_string_append_c(references, ' ');
		g_string_append_printf(references, "<%s>", id);
	}
	if (references->len > 0)
		g_mime_object_set_header(GMIME_OBJECT(message), "References",
		    references->str, NULL);
	g_string_free(references, TRUE);
}

static int
check_outgoing(const struct outgoing *o, char **cause)
{
	const char	*problem = NULL;

	if (!address_valid(o->from))
		problem = "the From address is missing or not valid";
	else if (o->reply_to != NULL && !address_valid(o->reply_to))
		problem = "the Reply-To address is not valid";
	else if (o->to == NULL || o->to->len == 0)
		problem = "there is no recipient";
	else if (o->subject == NULL || o->text == NULL)
		problem = "the subject or the text is missing";
	else if (!is_message_id(o->message_id))
		problem = "its Message-ID is missing or not valid";
	else if (!regex_cached_match(LANGUAGE_RE, 0, o->language))
		problem = "its language is missing or not a language tag";
	if (problem == NULL)
		return (0);
	*cause = g_strdup_printf("cannot compose message: %s; this is a bug "
	    "in the caller or the configuration", problem);
	return (-1);
}

int
compose_build(const struct outgoing *o, gint64 now, GBytes **raw,
    char **cause)
{
	GMimeMessage		*message;
	GMimeObject		*body;
	GMimeFormatOptions	*format;
	GMimeStream		*stream;
	GByteArray		*bytes;
	GDateTime		*date;
	char			*text;
	int			 rc = -1, bad;

	*raw = NULL;
	if (check_outgoing(o, cause) != 0)
		return (-1);

	gmime_ready();
	message = g_mime_message_new(TRUE);

	text = o->from_name != NULL ? header_text(o->from_name) : NULL;
	add_mailbox(message, GMIME_ADDRESS_TYPE_FROM, text, o->from);
	g_free(text);
	if (o->reply_to != NULL)
		add_mailbox(message, GMIME_ADDRESS_TYPE_REPLY_TO, NULL,
		    o->reply_to);
	text = o->to_name != NULL ? header_text(o->to_name) : NULL;
	bad = add_recipients(message, GMIME_ADDRESS_TYPE_TO, "To", o->to, text,
	    cause);
	g_free(text);
	if (bad != 0 || add_recipients(message, GMIME_ADDRESS_TYPE_CC, "Cc",
	    o->cc, NULL, cause) != 0)
		goto out;

	text = header_text(o->subject);
	g_mime_message_set_subject(message, text, "utf-8");
	g_free(text);
	date = g_date_time_new_from_unix_utc(now);
	g_mime_message_set_date(message, date);
	g_date_time_unref(date);
	g_mime_message_set_message_id(message, o->message_id);
	set_threading(message, o);
	if (o->auto_submitted) {
		g_mime_object_set_header(GMIME_OBJECT(message),
		    "Auto-Submitted", o->in_reply_to != NULL ?
		    "auto-replied" : "auto-generated", NULL);
		g_mime_object_set_header(GMIME_OBJECT(message),
		    "X-Auto-Response-Suppress", "All", NULL);
	}
	g_mime_object_set_header(GMIME_OBJECT(message), "X-Loop",
	    LOOP_HEADER_VALUE, NULL);

	/* Content-* headers of the message belong to its top-level part. */
	body = build_body(o);
	g_mime_object_set_header(body, "Content-Language", o->language, NULL);
	g_mime_message_set_mime_part(message, body);
	g_object_unref(body);

	format = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(format,
	    GMIME_NEWLINE_FORMAT_DOS);
	stream = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(GMIME_OBJECT(message), format,
	    stream) < 0)
		*cause = g_strdup("cannot compose message: GMime could not "
		    "write it (out of memory?)");
	else {
		bytes = g_mime_stream_mem_get_byte_array(
		    GMIME_STREAM_MEM(stream));
		*raw = g_bytes_new(bytes->data, bytes->len);
		rc = 0;
	}
	g_object_unref(stream);
	g_mime_format_options_free(format);
out:
	g_object_unref(message);
	return (rc);
}
