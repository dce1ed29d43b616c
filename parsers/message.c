/*
 * message.c: raw bytes to struct message, with GMime 3.
 *
 * The MIME tree is walked here rather than trusting
 * g_mime_message_get_body(), because the choice of body, what counts as an
 * attachment and where forwarded mail stops are decisions the rules depend
 * on. Every string that leaves this file is valid UTF-8: mail declares
 * charsets wrongly, or not at all, and the rules must still read it.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>

#include <gmime/gmime.h>
#include <libxml/parser.h>

#include "address.h"
#include "html-text.h"
#include "message.h"

/* How much of an over-limit message is read to find its header block:
 * far more than any real header, far less than a message. */
#define HEADER_READ_MAX		(1024 * 1024)

/* Part flags handed down the tree while walking it. */
#define PART_ALTERNATIVE	0x1	/* another rendering of the body */
#define PART_IN_REPORT		0x2	/* a direct child of multipart/report */

/* Shared by a message and every message forwarded inside it, so the
 * limits bound the whole input. */
struct walk {
	const struct parse_limits *limits;
	unsigned	 parts;		/* MIME objects seen so far */
	unsigned	 deepest;	/* deepest nesting seen */
	gboolean	 over;		/* a limit was passed: only count */
	size_t		 text_total;	/* attachment text kept so far */
	unsigned	 text_cut;	/* attachment texts cut or not read */
};

/* One message being filled while its tree is walked. */
struct gather {
	struct message	*m;
	gboolean	 have_body;
	GArray		*repaired;	/* of gboolean, per attachment text */
	char		*status_message_id; /* from message/delivery-status */
};

static GMimeParserOptions	*parser_options;
static GRegex			*original_id_regex;

static void	 fill_message(struct walk *, GMimeMessage *, unsigned,
		     struct message *, gboolean);
static void	 walk_part(struct walk *, struct gather *, GMimeObject *,
		     unsigned, unsigned);

static gpointer
parser_init(gpointer unused)
{
	/* Raw 8-bit header text is UTF-8 if it validates, else the
	 * windows-1252 that Western mail clients really send. */
	static const char	*fallback[] = { "utf-8", "windows-1252", NULL };

	g_mime_init();
	xmlInitParser();
	parser_options = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(parser_options, fallback);
	/* Bounces come from a bare "MAILER-DAEMON". */
	g_mime_parser_options_set_allow_addresses_without_domain(parser_options,
	    TRUE);
	original_id_regex = g_regex_new(
	    "^(?:X-)?Original-Message-ID:[ \t]*(.*)$",
	    G_REGEX_CASELESS | G_REGEX_MULTILINE, 0, NULL);
	return (NULL);
}

static void
parser_ensure_init(void)
{
	static GOnce	once = G_ONCE_INIT;

	g_once(&once, parser_init, NULL);
}

/* --- small helpers */

static void
sha256_hex(const void *data, size_t len, char hex[65])
{
	GChecksum	*sum = g_checksum_new(G_CHECKSUM_SHA256);

	g_checksum_update(sum, data, (gssize)len);
	g_strlcpy(hex, g_checksum_get_string(sum), 65);
	g_checksum_free(sum);
}

static gboolean
is_ascii(const char *bytes, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if ((guchar)bytes[i] >= 0x80)
			return (FALSE);
	}
	return (TRUE);
}

/* UTF-8 apart from NUL bytes, which are dropped later anyway and should
 * not turn good UTF-8 into windows-1252 mojibake. */
static gboolean
is_utf8(const char *bytes, size_t len)
{
	const char	*end, *stop;

	if (len == 0)
		return (TRUE);
	end = bytes + len;
	while (!g_utf8_validate(bytes, end - bytes, &stop)) {
		if (stop >= end || *stop != '\0')
			return (FALSE);
		bytes = stop + 1;
	}
	return (TRUE);
}

/* NUL bytes removed, CRLF and lone CR turned into LF. */
static char *
text_normalise(GString *s)
{
	size_t	i, o = 0;

	for (i = 0; i < s->len; i++) {
		if (s->str[i] == '\0')
			continue;
		if (s->str[i] == '\r') {
			if (i + 1 < s->len && s->str[i + 1] == '\n')
				continue;
			s->str[o++] = '\n';
			continue;
		}
		s->str[o++] = s->str[i];
	}
	g_string_truncate(s, o);
	return (g_string_free(s, FALSE));
}

/*
 * Convert from charset to UTF-8, a byte that does not convert becoming
 * U+FFFD and counted in *bad. NULL when iconv does not know the charset.
 * GMime's iconv wrapper knows mail's charset aliases.
 */
static GString *
convert_to_utf8(const char *charset, const char *in, size_t len, size_t *bad)
{
	iconv_t		 cd;
	GString		*out;
	char		 buf[8192], *inp = (char *)in, *outp;
	size_t		 inleft = len, outleft, rc;

	*bad = 0;
	if ((cd = g_mime_iconv_open("UTF-8", charset)) == (iconv_t)-1)
		return (NULL);
	iconv(cd, NULL, NULL, NULL, NULL);
	out = g_string_sized_new(len + len / 4 + 16);
	while (inleft > 0) {
		outp = buf;
		outleft = sizeof buf;
		rc = iconv(cd, &inp, &inleft, &outp, &outleft);
		g_string_append_len(out, buf, outp - buf);
		if (rc != (size_t)-1 || errno == E2BIG)
			continue;
		g_string_append(out, "\xef\xbf\xbd");
		inp++;
		inleft--;
		(*bad)++;
	}
	outp = buf;
	outleft = sizeof buf;
	iconv(cd, NULL, NULL, &outp, &outleft);
	g_string_append_len(out, buf, outp - buf);
	g_mime_iconv_close(cd);
	return (out);
}

static gboolean
charset_is(const char *charset, const char *const *names)
{
	const char	*canon = g_mime_charset_canon_name(charset);

	for (; *names != NULL; names++) {
		if (g_ascii_strcasecmp(charset, *names) == 0 ||
		    (canon != NULL && g_ascii_strcasecmp(canon, *names) == 0))
			return (TRUE);
	}
	return (FALSE);
}

static gboolean
charset_is_utf8(const char *charset)
{
	static const char *const names[] = { "utf-8", "utf8", NULL };

	return (charset_is(charset, names));
}

/* Labels that browsers (WHATWG) read as windows-1252: mail labelled
 * latin-1 or ASCII is in practice windows-1252 (curly quotes, euro). */
static gboolean
charset_is_latin1(const char *charset)
{
	static const char *const names[] = { "iso-8859-1", "iso8859-1",
	    "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819",
	    "iso-ir-100", "csisolatin1", "us-ascii", "ascii", "us",
	    "ansi_x3.4-1968", "iso646-us", NULL };

	return (charset_is(charset, names));
}

static gboolean
charset_is_single_byte(const char *charset)
{
	static const char *const prefixes[] = { "iso-8859", "iso8859",
	    "iso_8859", "windows-", "cp125", "koi8", "latin", NULL };
	const char *const	*p;

	if (charset_is_latin1(charset))
		return (TRUE);
	for (p = prefixes; *p != NULL; p++) {
		if (g_ascii_strncasecmp(charset, *p, strlen(*p)) == 0)
			return (TRUE);
	}
	return (FALSE);
}

/*
 * Text in any declared (or undeclared) charset to normalised UTF-8. The
 * declared charset is used when it converts; otherwise UTF-8 when the
 * bytes are UTF-8; otherwise the declared charset still, when only a few
 * bytes are damaged; otherwise windows-1252. *repaired says the declared
 * charset was wrong or unknown, or absent with 8-bit bytes that are not
 * UTF-8.
 */
static char *
decode_text(const char *bytes, size_t len, const char *charset,
    gboolean *repaired)
{
	GString		*s = NULL, *damaged = NULL;
	const char	*effective;
	size_t		 bad;

	*repaired = FALSE;
	if (charset != NULL && *charset != '\0' && !charset_is_utf8(charset)) {
		effective = charset_is_latin1(charset) ? "windows-1252" :
		    charset;
		/* Valid multi-byte UTF-8 almost never arises by chance from
		 * a single-byte charset: it is UTF-8 with a wrong label. */
		if (charset_is_single_byte(charset) && !is_ascii(bytes, len) &&
		    is_utf8(bytes, len))
			*repaired = TRUE;
		else if ((s = convert_to_utf8(effective, bytes, len,
		    &bad)) == NULL || bad > 0) {
			*repaired = TRUE;
			if (s != NULL && bad <= len / 100)
				damaged = s;
			else if (s != NULL)
				g_string_free(s, TRUE);
			s = NULL;
		}
	}
	if (s == NULL && is_utf8(bytes, len))
		s = g_string_new_len(bytes, len);
	if (s == NULL && damaged != NULL) {
		s = damaged;
		damaged = NULL;
	}
	if (s == NULL) {
		*repaired = TRUE;
		s = convert_to_utf8("windows-1252", bytes, len, &bad);
	}
	if (damaged != NULL)
		g_string_free(damaged, TRUE);
	if (s == NULL) {
		/* Only if iconv lacks windows-1252 altogether. */
		char	*valid = g_utf8_make_valid(bytes, len);

		s = g_string_new(valid);
		g_free(valid);
	}
	return (text_normalise(s));
}

/* A copy that is valid UTF-8: GMime's decoded header text normally is,
 * but raw bytes can slip through (message ids, parameter values). */
static char *
utf8_dup(const char *s)
{
	gboolean	 repaired;

	if (s == NULL)
		return (NULL);
	if (g_utf8_validate(s, -1, NULL))
		return (g_strdup(s));
	return (decode_text(s, strlen(s), NULL, &repaired));
}

static char *
utf8_dup_stripped(const char *s)
{
	char	*copy = utf8_dup(s);

	return (copy != NULL ? g_strstrip(copy) : NULL);
}

static gboolean
has_text(const char *s)
{
	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		if (!g_unichar_isspace(g_utf8_get_char(s)))
			return (TRUE);
	}
	return (FALSE);
}

/* An addr-spec with the domain lower-cased (the local part is the
 * recipient's business and keeps its case); split where address.h says,
 * so that an '@' inside a quoted local part stays in it. */
static char *
addr_normalise(const char *addr)
{
	char	*copy = utf8_dup_stripped(addr), *local, *domain, *out;
	char	*lower;

	if (!address_split(copy, &local, &domain))
		return (copy);
	lower = g_utf8_strdown(domain, -1);
	out = g_strdup_printf("%s@%s", local, lower);
	g_free(lower);
	g_free(local);
	g_free(domain);
	g_free(copy);
	return (out);
}

/* The address of a Return-Path or Delivered-To value, read by GMime ("" for
 * <>), or the whole value when GMime finds no mailbox in it. */
static char *
angle_addr(const char *value)
{
	char	*addr;

	if ((addr = address_from_header(value)) != NULL)
		return (addr);
	return (addr_normalise(value));
}

static char *
content_type_string(GMimeObject *obj)
{
	GMimeContentType	*ct = g_mime_object_get_content_type(obj);
	char			*type, *lower;

	if (ct == NULL)
		return (g_strdup("application/octet-stream"));
	type = g_mime_content_type_get_mime_type(ct);
	lower = g_ascii_strdown(type, -1);
	g_free(type);
	type = utf8_dup(lower);
	g_free(lower);
	return (type);
}

static const char *
part_filename(GMimeObject *obj)
{
	const char	*name;

	name = g_mime_object_get_content_disposition_parameter(obj,
	    "filename");
	if (name == NULL || *name == '\0')
		name = g_mime_object_get_content_type_parameter(obj, "name");
	return (name);
}

/* Content-Disposition: attachment, or a file name without any
 * disposition (a file its sender did not mean to show inline). */
static gboolean
is_attachment(GMimeObject *obj)
{
	const char	*disposition = g_mime_object_get_disposition(obj);
	const char	*name;

	if (disposition != NULL)
		return (g_ascii_strcasecmp(disposition, "attachment") == 0);
	name = part_filename(obj);
	return (name != NULL && *name != '\0');
}

/* The decoded (transfer encoding undone) content of a leaf part. */
static GByteArray *
part_bytes(GMimePart *part)
{
	GMimeDataWrapper	*content = g_mime_part_get_content(part);
	GMimeStream		*mem = g_mime_stream_mem_new();
	GByteArray		*bytes;

	if (content != NULL)
		g_mime_data_wrapper_write_to_stream(content, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_object_unref(mem);
	return (bytes);
}

/* A forwarded message as bytes, to hash it as an attachment. */
static GByteArray *
object_bytes(GMimeObject *obj)
{
	GMimeStream	*mem = g_mime_stream_mem_new();
	GByteArray	*bytes;

	g_mime_object_write_to_stream(obj, NULL, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_object_unref(mem);
	return (bytes);
}

/* Free an array that borrowed its bytes, leaving the bytes alone. */
static void
release_view(gpointer view)
{
	(void)g_byte_array_steal(view, NULL);
	g_byte_array_unref(view);
}

static GMimeMessage *
parse_gmime(const char *bytes, size_t len)
{
	GMimeStream	*stream;
	GMimeParser	*parser;
	GMimeMessage	*gm;

	GByteArray	*view;

	/* GMime reads the caller's bytes where they are, through an array
	 * that does not own them: a copy would hold a large message twice.
	 * The array lives as long as the stream (parts read through it);
	 * the bytes must outlive both, and GMime only reads them. */
	view = g_byte_array_new_take((guint8 *)bytes, len);
	stream = g_mime_stream_mem_new_with_byte_array(view);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	g_object_set_data_full(G_OBJECT(stream), "redress-view", view,
	    release_view);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	g_mime_parser_set_respect_content_length(parser, FALSE);
	gm = g_mime_parser_construct_message(parser, parser_options);
	g_object_unref(parser);
	g_object_unref(stream);
	return (gm);
}

/* --- struct message life */

static void
address_free(gpointer p)
{
	struct address	*a = p;

	g_free(a->name);
	g_free(a->addr);
	g_free(a);
}

static void
attachment_free(gpointer p)
{
	struct attachment	*a = p;

	g_free(a->filename);
	g_free(a->content_type);
	g_free(a->text);
	g_free(a);
}

static void
header_free(gpointer p)
{
	struct header	*h = p;

	g_free(h->name);
	g_free(h->value);
	g_free(h);
}

static void
message_free_cb(gpointer p)
{
	message_free(p);
}

static struct message *
message_new(void)
{
	struct message	*m = g_new0(struct message, 1);

	m->subject = g_strdup("");
	m->body = g_strdup("");
	m->reply_to = g_ptr_array_new_with_free_func(address_free);
	m->to = g_ptr_array_new_with_free_func(address_free);
	m->cc = g_ptr_array_new_with_free_func(address_free);
	m->delivered_to = g_ptr_array_new_with_free_func(g_free);
	m->references = g_ptr_array_new_with_free_func(g_free);
	m->attachments = g_ptr_array_new_with_free_func(attachment_free);
	m->forwarded = g_ptr_array_new_with_free_func(message_free_cb);
	m->headers = g_ptr_array_new_with_free_func(header_free);
	return (m);
}

void
message_free(struct message *m)
{
	struct machine_signals	*ms;

	if (m == NULL)
		return;
	g_free(m->quarantine);
	g_free(m->subject);
	if (m->from != NULL)
		address_free(m->from);
	if (m->sender != NULL)
		address_free(m->sender);
	g_ptr_array_unref(m->reply_to);
	g_ptr_array_unref(m->to);
	g_ptr_array_unref(m->cc);
	g_ptr_array_unref(m->delivered_to);
	g_free(m->return_path);
	g_free(m->message_id);
	g_free(m->in_reply_to);
	g_ptr_array_unref(m->references);
	g_free(m->body);
	g_ptr_array_unref(m->attachments);
	g_ptr_array_unref(m->forwarded);
	g_ptr_array_unref(m->headers);
	ms = &m->machine;
	g_free(ms->auto_submitted);
	g_free(ms->precedence);
	g_free(ms->list_id);
	g_free(ms->x_loop);
	g_free(ms->report_type);
	g_free(ms->reported_message_id);
	g_free(m);
}

const char *
message_header(const struct message *m, const char *name)
{
	const struct header	*h;
	guint			 i;

	for (i = 0; i < m->headers->len; i++) {
		h = m->headers->pdata[i];
		if (g_ascii_strcasecmp(h->name, name) == 0)
			return (h->value);
	}
	return (NULL);
}

const struct address *
message_reply_address(const struct message *m)
{
	if (m->reply_to->len > 0)
		return (m->reply_to->pdata[0]);
	return (m->from);
}

/* --- headers and envelope */

static void
add_header(struct message *m, GMimeHeader *h)
{
	struct header	*out = g_new0(struct header, 1);
	const char	*value = g_mime_header_get_value(h);

	out->name = utf8_dup(g_mime_header_get_name(h));
	out->value = utf8_dup(value != NULL ? value : "");
	if (out->name == NULL)
		out->name = g_strdup("");
	g_ptr_array_add(m->headers, out);
}

/* GMime keeps the Content-* headers of the top level on the MIME part and
 * the rest on the message; put them back in the order they were written. */
static void
fill_headers(struct message *m, GMimeMessage *gm)
{
	GMimeObject	*root = g_mime_message_get_mime_part(gm);
	GMimeHeaderList	*top, *part;
	GMimeHeader	*a, *b;
	int		 i = 0, j = 0, na, nb;

	top = g_mime_object_get_header_list(GMIME_OBJECT(gm));
	part = root != NULL ? g_mime_object_get_header_list(root) : NULL;
	na = top != NULL ? g_mime_header_list_get_count(top) : 0;
	nb = part != NULL ? g_mime_header_list_get_count(part) : 0;
	while (i < na || j < nb) {
		a = i < na ? g_mime_header_list_get_header_at(top, i) : NULL;
		b = j < nb ? g_mime_header_list_get_header_at(part, j) : NULL;
		if (b == NULL || (a != NULL && g_mime_header_get_offset(a) <=
		    g_mime_header_get_offset(b))) {
			add_header(m, a);
			i++;
		} else {
			add_header(m, b);
			j++;
		}
	}
}

/* Mailboxes of a list, groups flattened (RFC 5322 groups do not nest;
 * the bound keeps a lenient parser's output from recursing deeply). */
static void
add_addresses(GPtrArray *out, InternetAddressList *list, unsigned level)
{
	InternetAddress	*ia;
	struct address	*a;
	const char	*addr, *name;
	int		 i;

	if (list == NULL || level > 4)
		return;
	for (i = 0; i < internet_address_list_length(list); i++) {
		ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			add_addresses(out, internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), level + 1);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		addr = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if (addr == NULL || *addr == '\0')
			continue;
		name = internet_address_get_name(ia);
		a = g_new0(struct address, 1);
		a->name = utf8_dup_stripped(name != NULL ? name : "");
		a->addr = addr_normalise(addr);
		g_ptr_array_add(out, a);
	}
}

static struct address *
first_address(InternetAddressList *list)
{
	GPtrArray	*all = g_ptr_array_new_with_free_func(address_free);
	struct address	*first = NULL;

	add_addresses(all, list, 0);
	if (all->len > 0)
		first = g_ptr_array_steal_index(all, 0);
	g_ptr_array_unref(all);
	return (first);
}

/* Message ids of a References/In-Reply-To value, without <>. */
static void
add_message_ids(GPtrArray *out, const char *value, guint max)
{
	GMimeReferences	*refs;
	int		 i, n;

	if (value == NULL ||
	    (refs = g_mime_references_parse(parser_options, value)) == NULL)
		return;
	n = g_mime_references_length(refs);
	for (i = 0; i < n && out->len < max; i++)
		g_ptr_array_add(out, utf8_dup(
		    g_mime_references_get_message_id(refs, i)));
	g_mime_references_free(refs);
}

static void
fill_envelope(struct message *m, GMimeMessage *gm)
{
	GPtrArray	*first;
	GDateTime	*date;
	const char	*subject, *value;
	struct header	*h;
	guint		 i;

	subject = g_mime_message_get_subject(gm);
	if (subject != NULL) {
		g_free(m->subject);
		m->subject = utf8_dup_stripped(subject);
	}
	m->from = first_address(g_mime_message_get_from(gm));
	m->sender = first_address(g_mime_message_get_sender(gm));
	add_addresses(m->reply_to, g_mime_message_get_reply_to(gm), 0);
	add_addresses(m->to, g_mime_message_get_addresses(gm,
	    GMIME_ADDRESS_TYPE_TO), 0);
	add_addresses(m->cc, g_mime_message_get_addresses(gm,
	    GMIME_ADDRESS_TYPE_CC), 0);

	for (i = 0; i < m->headers->len; i++) {
		h = m->headers->pdata[i];
		if (g_ascii_strcasecmp(h->name, "Delivered-To") == 0)
			g_ptr_array_add(m->delivered_to, angle_addr(h->value));
	}
	if ((value = message_header(m, "Return-Path")) != NULL)
		m->return_path = angle_addr(value);

	m->message_id = utf8_dup_stripped(g_mime_message_get_message_id(gm));
	if (m->message_id != NULL && *m->message_id == '\0') {
		g_free(m->message_id);
		m->message_id = NULL;
	}
	first = g_ptr_array_new_with_free_func(g_free);
	add_message_ids(first, message_header(m, "In-Reply-To"), 1);
	if (first->len > 0)
		m->in_reply_to = g_ptr_array_steal_index(first, 0);
	g_ptr_array_unref(first);
	add_message_ids(m->references, message_header(m, "References"),
	    G_MAXUINT);

	if ((date = g_mime_message_get_date(gm)) != NULL) {
		m->has_date = TRUE;
		m->date = g_date_time_to_unix(date);
		m->date_tz = (int)(g_date_time_get_utc_offset(date) /
		    G_TIME_SPAN_MINUTE);
	}
}

static char *
header_dup(const struct message *m, const char *name)
{
	return (utf8_dup_stripped(message_header(m, name)));
}

static void
note_report(struct message *m, GMimeObject *obj)
{
	GMimeContentType	*ct = g_mime_object_get_content_type(obj);
	const char		*type;

	if (m->machine.is_report || ct == NULL ||
	    !g_mime_content_type_is_type(ct, "multipart", "report"))
		return;
	m->machine.is_report = TRUE;
	if ((type = g_mime_content_type_get_parameter(ct,
	    "report-type")) != NULL) {
		char	*lower = g_ascii_strdown(type, -1);

		m->machine.report_type = utf8_dup_stripped(lower);
		g_free(lower);
	}
}

static void
fill_machine(struct message *m)
{
	struct machine_signals	*ms = &m->machine;
	char			*local, *domain;

	ms->auto_submitted = header_dup(m, "Auto-Submitted");
	ms->precedence = header_dup(m, "Precedence");
	ms->list_id = header_dup(m, "List-Id");
	ms->x_loop = header_dup(m, "X-Loop");
	ms->x_autoreply = message_header(m, "X-Autoreply") != NULL ||
	    message_header(m, "X-Autorespond") != NULL ||
	    message_header(m, "X-Auto-Response-Suppress") != NULL;
	ms->null_sender = m->from == NULL ||
	    (m->return_path != NULL && *m->return_path == '\0');
	if (m->from != NULL) {
		if (!address_split(m->from->addr, &local, &domain))
			local = g_strdup(m->from->addr);
		else
			g_free(domain);
		ms->mailer_daemon = g_ascii_strcasecmp(local,
		    "mailer-daemon") == 0 ||
		    g_ascii_strcasecmp(local, "postmaster") == 0;
		g_free(local);
	}
}

/* --- the MIME tree */

/* Readable UTF-8 text of a text part: decoded, and made plain if HTML. */
static char *
part_text(GByteArray *bytes, const char *charset, gboolean html,
    gboolean *repaired)
{
	char	*text, *plain;

	text = decode_text((const char *)bytes->data, bytes->len, charset,
	    repaired);
	if (!html)
		return (text);
	plain = html_to_text(text, strlen(text));
	g_free(text);
	return (plain);
}

static gboolean
has_extension(const char *name, const char *extension)
{
	size_t	n, e = strlen(extension);

	return (name != NULL && (n = strlen(name)) > e &&
	    g_ascii_strcasecmp(name + n - e, extension) == 0);
}

/* Room left for attachment text: per attachment, and what is left of
 * the whole message's allowance. */
static size_t
text_room(const struct walk *w)
{
	size_t	left = 0;

	if (w->limits->message_text_max > w->text_total)
		left = w->limits->message_text_max - w->text_total;
	return (MIN(w->limits->attachment_text_max, left));
}

/* Cut text to the room left (at a character boundary) and count it
 * against the whole message's allowance. */
static char *
bounded_text(struct walk *w, char *text, gboolean cut)
{
	size_t	 room = text_room(w), len;
	char	*p;

	if (text == NULL) {
		if (cut)
			w->text_cut++;
		return (NULL);
	}
	if ((len = strlen(text)) > room) {
		p = text + room;
		while (p > text && ((guchar)*p & 0xc0) == 0x80)
			p--;
		*p = '\0';
		len = (size_t)(p - text);
		cut = TRUE;
	}
	if (cut)
		w->text_cut++;
	w->text_total += len;
	return (text);
}

/* How an attachment's text is read, if at all. */
enum reading {
	READ_NONE,		/* kept as a file: only its size and hash */
	READ_TEXT,		/* text, or a report's machine-readable part */
	READ_DOCUMENT		/* an office document (libarchive) */
};

static enum reading
attachment_reading(const char *type, const char *name)
{
	static const char *const textual[] = {
	    "message/delivery-status", "message/global-delivery-status",
	    "message/disposition-notification", "message/feedback-report",
	    NULL };
	static const char *const documents[] = {
	    "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document", "application/vnd.oasis.opendocument.text", NULL };

	if (g_str_has_prefix(type, "text/") || g_strv_contains(textual, type))
		return (READ_TEXT);
	if (g_strv_contains(documents, type) || has_extension(name, ".docx") ||
	    has_extension(name, ".odt"))
		return (READ_DOCUMENT);
	return (READ_NONE);
}

/*
 * Text of an attachment the rules can read, or NULL. Bounded per
 * attachment and per message (limits), and a document archive by its
 * decompression ratio, so memory stays bounded whatever the attachments.
 */
static char *
attachment_text(struct walk *w, const char *type, const char *name,
    GByteArray *bytes, const char *charset, gboolean *repaired)
{
	enum reading	 reading = attachment_reading(type, name);
	size_t		 max_xml;
	gboolean	 cut = FALSE;

	*repaired = FALSE;
	if (reading == READ_NONE)
		return (NULL);
	if (text_room(w) == 0) {
		/* The allowance is spent: not even decoded. */
		w->text_cut++;
		return (NULL);
	}
	if (reading == READ_TEXT)
		return (bounded_text(w, part_text(bytes, charset,
		    strcmp(type, "text/html") == 0, repaired), FALSE));
	max_xml = w->limits->max_size;
	if (w->limits->max_ratio > 0 &&
	    bytes->len < max_xml / w->limits->max_ratio)
		max_xml = (size_t)bytes->len * w->limits->max_ratio;
	return (bounded_text(w, office_document_text((const char *)bytes->data,
	    bytes->len, max_xml, &cut), cut));
}

/*
 * The decoded size and SHA-256 of a part read as a stream, never held
 * whole: a 20 MiB recording costs a few KiB here, not 20 MiB.
 */
static void
part_digest(GMimePart *part, size_t *len, char hex[65])
{
	GMimeDataWrapper	*content = g_mime_part_get_content(part);
	GMimeStream		*null = g_mime_stream_null_new();
	GMimeStream		*filtered = g_mime_stream_filter_new(null);
	GMimeFilter		*sum = g_mime_filter_checksum_new(
				    G_CHECKSUM_SHA256);
	char			*digest;

	g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), sum);
	if (content != NULL)
		g_mime_data_wrapper_write_to_stream(content, filtered);
	g_mime_stream_flush(filtered);
	digest = g_mime_filter_checksum_get_string(GMIME_FILTER_CHECKSUM(sum));
	g_strlcpy(hex, digest, 65);
	g_free(digest);
	*len = GMIME_STREAM_NULL(null)->written;
	g_object_unref(sum);
	g_object_unref(filtered);
	g_object_unref(null);
}

/* A new entry in the message's attachments; size and hash are the
 * caller's to set. */
static struct attachment *
attachment_new(struct gather *g, GMimeObject *obj, char *type, char *text,
    gboolean repaired)
{
	struct attachment	*a = g_new0(struct attachment, 1);

	a->filename = utf8_dup(part_filename(obj));
	if (a->filename == NULL)
		a->filename = g_strdup("");
	a->content_type = type;
	a->text = text;
	g_ptr_array_add(g->m->attachments, a);
	g_array_append_val(g->repaired, repaired);
	return (a);
}

static struct attachment *
add_attachment(struct gather *g, GMimeObject *obj, char *type,
    const void *data, size_t len, char *text, gboolean repaired)
{
	struct attachment	*a = attachment_new(g, obj, type, text,
				    repaired);

	a->size = len;
	sha256_hex(data, len, a->sha256);
	return (a);
}

/* An attachment kept as a file, hashed as it is decoded. */
static void
add_file(struct gather *g, GMimeObject *obj, char *type, GMimePart *part)
{
	struct attachment	*a = attachment_new(g, obj, type, NULL, FALSE);

	part_digest(part, &a->size, a->sha256);
}

/* A forwarded message: parsed into `forwarded`, and listed as an
 * attachment (with its body as text) as a mail client would show it. */
static void
add_forwarded(struct walk *w, struct gather *g, GMimeObject *obj,
    GMimeMessage *inner, GByteArray *bytes, unsigned depth, unsigned flags)
{
	struct message	*fwd = message_new();

	sha256_hex(bytes->data, bytes->len, fwd->sha256);
	fwd->raw_size = bytes->len;
	fill_message(w, inner, depth, fwd, TRUE);
	g_ptr_array_add(g->m->forwarded, fwd);
	add_attachment(g, obj, g_strdup("message/rfc822"), bytes->data,
	    bytes->len, g_strdup(fwd->body), FALSE);
	if ((flags & PART_IN_REPORT) && g->m->machine.reported_message_id ==
	    NULL && fwd->message_id != NULL)
		g->m->machine.reported_message_id = g_strdup(fwd->message_id);
}

/* Message-ID of the returned headers in a report (text/rfc822-headers). */
static void
note_returned_headers(struct gather *g, GByteArray *bytes)
{
	GMimeMessage	*headers;

	if (g->m->machine.reported_message_id != NULL)
		return;
	if ((headers = parse_gmime((const char *)bytes->data,
	    bytes->len)) == NULL)
		return;
	g->m->machine.reported_message_id = utf8_dup_stripped(
	    g_mime_message_get_message_id(headers));
	g_object_unref(headers);
}

/* An Original-Message-ID line of a delivery-status part: used only when
 * the report returned no headers. */
static void
note_status_message_id(struct gather *g, const char *text)
{
	GMatchInfo	*match;
	char		*value, *id;

	if (g->status_message_id != NULL || text == NULL)
		return;
	if (g_regex_match(original_id_regex, text, 0, &match)) {
		value = g_match_info_fetch(match, 1);
		id = g_mime_utils_decode_message_id(value);
		if (id != NULL && *id != '\0')
			g->status_message_id = utf8_dup_stripped(id);
		g_free(id);
		g_free(value);
	}
	g_match_info_free(match);
}

/* The body: a text/plain or text/html part that is not an attachment,
 * taken only if it has something in it. */
static void
take_body(struct gather *g, GMimePart *part, gboolean html)
{
	GByteArray	*bytes = part_bytes(part);
	gboolean	 repaired;
	char		*text;

	text = part_text(bytes, g_mime_object_get_content_type_parameter(
	    GMIME_OBJECT(part), "charset"), html, &repaired);
	g_byte_array_free(bytes, TRUE);
	if (!has_text(text)) {
		g_free(text);
		return;
	}
	g_free(g->m->body);
	g->m->body = text;
	g->m->body_source = html ? BODY_HTML : BODY_PLAIN;
	g->m->charset_fallback = repaired;
	g->have_body = TRUE;
}

static void
walk_leaf(struct walk *w, struct gather *g, GMimePart *part, unsigned depth,
    unsigned flags)
{
	GMimeObject	*obj = GMIME_OBJECT(part);
	GMimeMessage	*inner;
	GByteArray	*bytes;
	char		*type = content_type_string(obj), *text;
	const char	*charset;
	gboolean	 body_like, repaired;

	body_like = (strcmp(type, "text/plain") == 0 ||
	    strcmp(type, "text/html") == 0) && !is_attachment(obj);
	if (body_like && !g->have_body) {
		/* An empty candidate is neither body nor attachment. */
		take_body(g, part, strcmp(type, "text/html") == 0);
		g_free(type);
		return;
	}
	if (body_like && (flags & PART_ALTERNATIVE)) {
		g_free(type);
		return;
	}

	if (strcmp(type, "message/rfc822") != 0 &&
	    !(flags & PART_IN_REPORT) &&
	    attachment_reading(type, part_filename(obj)) == READ_NONE) {
		add_file(g, obj, type, part);
		return;
	}
	bytes = part_bytes(part);
	/* GMime leaves an encoded message/rfc822 unparsed. */
	if (strcmp(type, "message/rfc822") == 0 &&
	    (inner = parse_gmime((const char *)bytes->data,
	    bytes->len)) != NULL) {
		add_forwarded(w, g, obj, inner, bytes, depth + 1, flags);
		g_object_unref(inner);
		g_byte_array_free(bytes, TRUE);
		g_free(type);
		return;
	}
	charset = g_mime_object_get_content_type_parameter(obj, "charset");
	text = attachment_text(w, type, part_filename(obj), bytes, charset,
	    &repaired);
	if (flags & PART_IN_REPORT) {
		if (strcmp(type, "text/rfc822-headers") == 0)
			note_returned_headers(g, bytes);
		else
			note_status_message_id(g, text);
	}
	add_attachment(g, obj, type, bytes->data, bytes->len, text, repaired);
	g_byte_array_free(bytes, TRUE);
}

/* Within multipart/alternative: the index of the part to read as the
 * body (plain text before HTML before anything nested), or -1. */
static int
preferred_alternative(GMimeMultipart *mp)
{
	GMimeObject	*child;
	char		*type;
	int		 i, n, best = -1, best_score = 0, score;

	n = g_mime_multipart_get_count(mp);
	for (i = 0; i < n; i++) {
		child = g_mime_multipart_get_part(mp, i);
		score = 0;
		if (GMIME_IS_MULTIPART(child))
			score = 1;
		else if (GMIME_IS_PART(child) && !is_attachment(child)) {
			type = content_type_string(child);
			if (strcmp(type, "text/plain") == 0)
				score = 3;
			else if (strcmp(type, "text/html") == 0)
				score = 2;
			g_free(type);
		}
		if (score > best_score) {
			best = i;
			best_score = score;
		}
	}
	return (best);
}

static void
walk_multipart(struct walk *w, struct gather *g, GMimeMultipart *mp,
    unsigned depth, unsigned flags)
{
	GMimeObject	*obj = GMIME_OBJECT(mp);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	int		 i, n = g_mime_multipart_get_count(mp), first = -1;
	unsigned	 child_flags = flags & PART_ALTERNATIVE;

	if (w->over) {
		for (i = 0; i < n; i++)
			walk_part(w, g, g_mime_multipart_get_part(mp, i),
			    depth + 1, 0);
		return;
	}
	if (ct != NULL && g_mime_content_type_is_type(ct, "multipart",
	    "report")) {
		note_report(g->m, obj);
		child_flags |= PART_IN_REPORT;
	}
	if (ct != NULL && g_mime_content_type_is_type(ct, "multipart",
	    "alternative") && !(flags & PART_ALTERNATIVE)) {
		/* The preferred rendering first; the others can only stand
		 * in for it when it turns out empty. */
		if ((first = preferred_alternative(mp)) >= 0)
			walk_part(w, g, g_mime_multipart_get_part(mp, first),
			    depth + 1, child_flags);
		child_flags |= PART_ALTERNATIVE;
	}
	for (i = 0; i < n; i++) {
		if (i != first)
			walk_part(w, g, g_mime_multipart_get_part(mp, i),
			    depth + 1, child_flags);
	}
}

static void
walk_message_part(struct walk *w, struct gather *g, GMimeMessagePart *mp,
    unsigned depth, unsigned flags)
{
	GMimeMessage	*inner = g_mime_message_part_get_message(mp);
	GMimeObject	*root;
	GByteArray	*bytes;

	if (inner == NULL)
		return;
	if (w->over) {
		if ((root = g_mime_message_get_mime_part(inner)) != NULL)
			walk_part(w, g, root, depth + 1, 0);
		return;
	}
	bytes = object_bytes(GMIME_OBJECT(inner));
	add_forwarded(w, g, GMIME_OBJECT(mp), inner, bytes, depth + 1, flags);
	g_byte_array_free(bytes, TRUE);
}

/* Counts every part, even past a limit, so the quarantine can say by how
 * much; past a limit nothing more is decoded. */
static void
walk_part(struct walk *w, struct gather *g, GMimeObject *obj,
    unsigned depth, unsigned flags)
{
	w->parts++;
	w->deepest = MAX(w->deepest, depth);
	if (w->parts > w->limits->max_parts || depth > w->limits->max_depth)
		w->over = TRUE;

	if (GMIME_IS_MULTIPART(obj))
		walk_multipart(w, g, GMIME_MULTIPART(obj), depth, flags);
	else if (GMIME_IS_MESSAGE_PART(obj))
		walk_message_part(w, g, GMIME_MESSAGE_PART(obj), depth, flags);
	else if (GMIME_IS_PART(obj) && !w->over)
		walk_leaf(w, g, GMIME_PART(obj), depth, flags);
}

/* With no body text, an attachment's text (a letter sent as a document)
 * stands in; a forwarded message's never does. */
static void
finish_body(struct gather *g)
{
	struct message		*m = g->m;
	struct attachment	*a;
	guint			 i;

	if (m->machine.reported_message_id == NULL &&
	    g->status_message_id != NULL) {
		m->machine.reported_message_id = g->status_message_id;
		g->status_message_id = NULL;
	}
	if (g->have_body)
		return;
	for (i = 0; i < m->attachments->len; i++) {
		a = m->attachments->pdata[i];
		if (a->text == NULL || !has_text(a->text) ||
		    strcmp(a->content_type, "message/rfc822") == 0)
			continue;
		g_free(m->body);
		m->body = g_strdup(a->text);
		m->body_source = BODY_ATTACHMENT;
		m->charset_fallback = g_array_index(g->repaired, gboolean, i);
		return;
	}
}

/* Headers, envelope and machine signals; the MIME tree too unless only
 * the header block may be read. */
static void
fill_message(struct walk *w, GMimeMessage *gm, unsigned depth,
    struct message *m, gboolean walk_tree)
{
	struct gather	 g = { m, FALSE, NULL, NULL };
	GMimeObject	*root = g_mime_message_get_mime_part(gm);

	fill_headers(m, gm);
	fill_envelope(m, gm);
	if (walk_tree && root != NULL) {
		g.repaired = g_array_new(FALSE, FALSE, sizeof(gboolean));
		walk_part(w, &g, root, depth, 0);
		finish_body(&g);
		g_array_free(g.repaired, TRUE);
		g_free(g.status_message_id);
	} else if (root != NULL)
		note_report(m, root);
	fill_machine(m);
}

/* --- limits checked before parsing */

static gboolean
find_long_line(const char *raw, size_t len, size_t max, size_t *lineno,
    size_t *linelen)
{
	const char	*p = raw, *end = raw + len, *nl;
	size_t		 n = 1, l;

	while (p < end) {
		nl = memchr(p, '\n', end - p);
		l = (nl != NULL ? nl : end) - p;
		if (nl != NULL && l > 0 && p[l - 1] == '\r')
			l--;
		if (l > max) {
			*lineno = n;
			*linelen = l;
			return (TRUE);
		}
		if (nl == NULL)
			break;
		p = nl + 1;
		n++;
	}
	return (FALSE);
}

/* Length of the header block including the empty line ending it. */
static size_t
header_block_length(const char *raw, size_t len)
{
	const char	*p = raw, *end = raw + len, *nl;

	while ((nl = memchr(p, '\n', end - p)) != NULL) {
		p = nl + 1;
		if (p < end && *p == '\n')
			return (p + 1 - raw);
		if (p + 1 < end && p[0] == '\r' && p[1] == '\n')
			return (p + 2 - raw);
	}
	return (len);
}

static char *
limits_reason(const struct walk *w)
{
	GString	*why = g_string_new(NULL);

	if (w->parts > w->limits->max_parts)
		g_string_append_printf(why, "message has %u MIME parts, over "
		    "the limit of %u (limits.max_parts)", w->parts,
		    w->limits->max_parts);
	if (w->deepest > w->limits->max_depth)
		g_string_append_printf(why, "%sMIME parts are nested %u levels "
		    "deep, over the limit of %u (limits.max_mime_depth)",
		    why->len > 0 ? "; " : "", w->deepest,
		    w->limits->max_depth);
	if (why->len == 0) {
		g_string_free(why, TRUE);
		return (NULL);
	}
	return (g_string_free(why, FALSE));
}

int
message_parse(const char *raw, size_t len, const struct parse_limits *limits,
    struct message **out, char **cause)
{
	static const struct parse_limits defaults = PARSE_LIMITS_DEFAULT;
	struct walk	 w = { NULL, 0, 0, FALSE, 0, 0 };
	struct message	*m;
	GMimeMessage	*gm = NULL;
	char		*reason = NULL;
	size_t		 lineno, linelen;

	if (out == NULL || (raw == NULL && len > 0)) {
		if (cause != NULL)
			*cause = g_strdup("message_parse: called without "
			    "message bytes or result (a bug in the caller)");
		return (-1);
	}
	parser_ensure_init();
	w.limits = limits != NULL ? limits : &defaults;
	if (raw == NULL)
		raw = "";

	m = message_new();
	sha256_hex(raw, len, m->sha256);
	m->raw_size = len;

	if (len > w.limits->max_size)
		reason = g_strdup_printf("message is %zu bytes, over the limit "
		    "of %zu (limits.max_message_size)", len,
		    w.limits->max_size);
	else if (find_long_line(raw, len, w.limits->max_line, &lineno,
	    &linelen))
		reason = g_strdup_printf("line %zu of the message is %zu bytes "
		    "long, over the limit of %zu (limits.max_line_length)",
		    lineno, linelen, w.limits->max_line);

	if (reason != NULL) {
		/* Only the header block, so staff can still be told which
		 * message was held back. */
		gm = parse_gmime(raw, header_block_length(raw,
		    MIN(len, HEADER_READ_MAX)));
		if (gm != NULL)
			fill_message(&w, gm, 0, m, FALSE);
		m->quarantine = reason;
	} else if (len == 0) {
		m->quarantine = g_strdup("message is empty (0 bytes)");
	} else if ((gm = parse_gmime(raw, len)) == NULL) {
		m->quarantine = g_strdup("message has no readable header block "
		    "(it does not begin with \"Name: value\" header lines)");
	} else {
		fill_message(&w, gm, 0, m, TRUE);
		m->quarantine = limits_reason(&w);
		m->text_cut = w.text_cut;
	}
	if (gm != NULL)
		g_object_unref(gm);
	*out = m;
	return (0);
}
