/*
 * address.c: email addresses taken apart, checked, compared and written.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "address.h"

/* RFC 5322 atext, for the ASCII part; UTF-8 is atext too (RFC 6532). */
#define ATEXT_SPECIALS	"!#$%&'*+-/=?^_`{|}~"

static GMimeParserOptions *address_options;

static gpointer
address_init(gpointer unused)
{
	g_mime_init();
	address_options = g_mime_parser_options_new();
	/* Bounces come from a bare "MAILER-DAEMON". */
	g_mime_parser_options_set_allow_addresses_without_domain(
	    address_options, TRUE);
	return (NULL);
}

static void
address_ensure_init(void)
{
	static GOnce	once = G_ONCE_INIT;

	g_once(&once, address_init, NULL);
}

static gboolean
is_atext(guchar c)
{
	return (g_ascii_isalnum(c) || c >= 0x80 ||
	    (c != '\0' && strchr(ATEXT_SPECIALS, c) != NULL));
}

/* A dot-atom: atoms of atext joined by single dots. */
static gboolean
is_dot_atom(const char *s, gsize len)
{
	gsize	i;

	if (len == 0 || s[0] == '.' || s[len - 1] == '.')
		return (FALSE);
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return (FALSE);
		} else if (!is_atext((guchar)s[i]))
			return (FALSE);
	}
	return (TRUE);
}

/*
 * Where the local part ends: at the closing quote of a quoted-string or
 * at the first '@'. NULL when a quoted-string is not closed.
 */
static const char *
local_end(const char *addr)
{
	const char	*p = addr;

	if (*p != '"')
		return (strchr(p, '@'));
	for (p++; *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
	}
	return (*p == '"' ? p + 1 : NULL);
}

gboolean
address_split(const char *addr, char **local, char **domain)
{
	const char	*end;

	if (addr == NULL || (end = local_end(addr)) == NULL || *end != '@')
		return (FALSE);
	*local = g_strndup(addr, end - addr);
	*domain = g_strdup(end + 1);
	return (TRUE);
}

/*
 * The text of a local part (unquoted, quoted-pairs undone), or NULL when
 * it is neither a dot-atom nor a quoted-string, or holds characters SMTP
 * cannot carry (controls, and nothing but printable ASCII, space and
 * UTF-8 inside quotes: RFC 5321 qtextSMTP / quoted-pairSMTP, RFC 6531).
 */
static char *
local_text(const char *local, const char **why)
{
	GString		*text;
	const char	*p;
	gsize		 len = strlen(local);

	if (len == 0) {
		*why = "the local part (before the @) is empty";
		return (NULL);
	}
	if (*local != '"') {
		/* Dots out of place (obs-local-part, still sent by some
		 * mobile carriers) are written back in quotes. */
		for (p = local; *p != '\0'; p++) {
			if (*p != '.' && !is_atext((guchar)*p)) {
				*why = "the local part has characters that "
				    "need quotes";
				return (NULL);
			}
		}
		return (g_strdup(local));
	}
	if (len < 2 || local[len - 1] != '"') {
		*why = "the quoted local part is not closed";
		return (NULL);
	}
	text = g_string_new(NULL);
	for (p = local + 1; p < local + len - 1; p++) {
		if (*p == '\\')
			p++;
		if ((guchar)*p < 0x20 || *p == 0x7f || p >= local + len - 1) {
			*why = "the quoted local part has control characters";
			g_string_free(text, TRUE);
			return (NULL);
		}
		g_string_append_c(text, *p);
	}
	return (g_string_free(text, FALSE));
}

/* The shortest way to write a local part's text. */
static char *
local_form(const char *text)
{
	GString		*s;
	const char	*p;

	if (is_dot_atom(text, strlen(text)))
		return (g_strdup(text));
	s = g_string_new("\"");
	for (p = text; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_c(s, '\\');
		g_string_append_c(s, *p);
	}
	g_string_append_c(s, '"');
	return (g_string_free(s, FALSE));
}

/* [192.0.2.1] or [IPv6:2001:db8::1], written as inet_ntop() does. */
static char *
literal_form(const char *domain, const char **why)
{
	char		 inner[INET6_ADDRSTRLEN + 8], out[INET6_ADDRSTRLEN];
	guchar		 bin[sizeof(struct in6_addr)];
	gsize		 len = strlen(domain);
	gboolean	 v6;
	const char	*ip;

	*why = "the address literal is not an IPv4 or IPv6 address";
	if (len < 3 || domain[len - 1] != ']' || len - 2 >= sizeof inner)
		return (NULL);
	memcpy(inner, domain + 1, len - 2);
	inner[len - 2] = '\0';
	v6 = g_ascii_strncasecmp(inner, "IPv6:", 5) == 0;
	ip = v6 ? inner + 5 : inner;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, ip, bin) != 1 ||
	    inet_ntop(v6 ? AF_INET6 : AF_INET, bin, out, sizeof out) == NULL)
		return (NULL);
	return (g_strdup_printf(v6 ? "[IPv6:%s]" : "[%s]", out));
}

/* A host name as its lower-case A-label form, each label LDH. */
static char *
host_form(const char *domain, const char **why)
{
	char		*ascii, *lower, **labels;
	gboolean	 ok = TRUE;
	guint		 i;
	gsize		 len, j;

	*why = "the domain is not a host name";
	if (*domain == '\0' || g_str_has_suffix(domain, ".") ||
	    !g_utf8_validate(domain, -1, NULL) ||
	    (ascii = g_hostname_to_ascii(domain)) == NULL)
		return (NULL);
	lower = g_ascii_strdown(ascii, -1);
	g_free(ascii);
	labels = g_strsplit(lower, ".", -1);
	for (i = 0; ok && labels[i] != NULL; i++) {
		len = strlen(labels[i]);
		ok = len > 0 && len <= 63 && labels[i][0] != '-' &&
		    labels[i][len - 1] != '-';
		for (j = 0; ok && j < len; j++)
			ok = g_ascii_isalnum(labels[i][j]) ||
			    labels[i][j] == '-';
	}
	g_strfreev(labels);
	if (!ok || strlen(lower) > 253) {
		g_free(lower);
		return (NULL);
	}
	return (lower);
}

char *
address_canonical(const char *addr, const char **why)
{
	const char	*dummy, *end;
	char		*local = NULL, *domain = NULL, *text = NULL;
	char		*lform = NULL, *dform = NULL, *out = NULL;

	if (why == NULL)
		why = &dummy;
	if (addr == NULL || *addr == '\0') {
		*why = "there is no address";
		return (NULL);
	}
	if (!g_utf8_validate(addr, -1, &end)) {
		*why = "the address is not valid UTF-8";
		return (NULL);
	}
	if (!address_split(addr, &local, &domain)) {
		*why = "the address has no @ after its local part";
		return (NULL);
	}
	if ((text = local_text(local, why)) == NULL)
		goto out;
	lform = local_form(text);
	if (strlen(lform) > ADDRESS_MAX_LOCAL) {
		*why = "the local part is over 64 octets";
		goto out;
	}
	dform = *domain == '[' ? literal_form(domain, why) :
	    host_form(domain, why);
	if (dform == NULL)
		goto out;
	out = g_strdup_printf("%s@%s", lform, dform);
	if (strlen(out) > ADDRESS_MAX) {
		*why = "the address is over 254 octets";
		g_free(out);
		out = NULL;
	}
out:
	g_free(local);
	g_free(domain);
	g_free(text);
	g_free(lform);
	g_free(dform);
	return (out);
}

gboolean
address_valid(const char *addr)
{
	char	*c = address_canonical(addr, NULL);

	g_free(c);
	return (c != NULL);
}

gboolean
address_needs_smtputf8(const char *addr)
{
	char		*c = address_canonical(addr, NULL);
	const char	*p;
	gboolean	 utf8 = FALSE;

	/* The canonical domain is ASCII: any 8-bit octet is the local
	 * part's. */
	for (p = c; p != NULL && *p != '\0' && !utf8; p++)
		utf8 = (guchar)*p >= 0x80;
	g_free(c);
	return (utf8);
}

char *
address_envelope(const char *addr, gboolean smtputf8, const char **why)
{
	const char	*dummy;
	char		*c;

	if (why == NULL)
		why = &dummy;
	if ((c = address_canonical(addr, why)) == NULL)
		return (NULL);
	if (!smtputf8 && address_needs_smtputf8(c)) {
		*why = "the local part is not ASCII and the relay does not "
		    "offer SMTPUTF8 (RFC 6531)";
		g_free(c);
		return (NULL);
	}
	return (c);
}

char *
address_key(const char *addr)
{
	char	*c, *key, *stripped;

	if (addr == NULL)
		return (NULL);
	if ((c = address_canonical(addr, NULL)) != NULL) {
		key = g_utf8_strdown(c, -1);
		g_free(c);
		return (key);
	}
	stripped = g_strstrip(g_utf8_make_valid(addr, -1));
	key = g_utf8_strdown(stripped, -1);
	g_free(stripped);
	return (key);
}

gboolean
address_equal(const char *a, const char *b)
{
	char		*ka, *kb;
	gboolean	 same;

	if (a == NULL || b == NULL)
		return (FALSE);
	ka = address_key(a);
	kb = address_key(b);
	same = strcmp(ka, kb) == 0;
	g_free(ka);
	g_free(kb);
	return (same);
}

/* The first mailbox of a list, groups flattened (they do not nest in
 * RFC 5322; the bound keeps a lenient parser from recursing deeply). */
static InternetAddressMailbox *
first_mailbox(InternetAddressList *list, unsigned level)
{
	InternetAddress		*ia;
	InternetAddressMailbox	*mb;
	const char		*a;
	int			 i;

	if (list == NULL || level > 4)
		return (NULL);
	for (i = 0; i < internet_address_list_length(list); i++) {
		ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			mb = first_mailbox(internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), level + 1);
			if (mb != NULL)
				return (mb);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		mb = INTERNET_ADDRESS_MAILBOX(ia);
		a = internet_address_mailbox_get_addr(mb);
		if (a != NULL && *a != '\0')
			return (mb);
	}
	return (NULL);
}

char *
address_from_header(const char *value)
{
	InternetAddressList	*list;
	InternetAddressMailbox	*mb;
	char			*copy, *out = NULL, *local, *domain, *lower;

	if (value == NULL)
		return (NULL);
	copy = g_strstrip(g_utf8_make_valid(value, -1));
	/* The null path, "<>" (RFC 5321 4.5.5), perhaps with spaces. */
	if (*copy == '<' && copy[1 + strspn(copy + 1, " \t")] == '>' &&
	    copy[2 + strspn(copy + 1, " \t")] == '\0') {
		g_free(copy);
		return (g_strdup(""));
	}
	address_ensure_init();
	list = internet_address_list_parse(address_options, copy);
	g_free(copy);
	if (list == NULL)
		return (NULL);
	if ((mb = first_mailbox(list, 0)) != NULL) {
		out = g_strstrip(g_utf8_make_valid(
		    internet_address_mailbox_get_addr(mb), -1));
		if (address_split(out, &local, &domain)) {
			lower = g_utf8_strdown(domain, -1);
			g_free(out);
			out = g_strdup_printf("%s@%s", local, lower);
			g_free(lower);
			g_free(local);
			g_free(domain);
		}
	}
	g_object_unref(list);
	return (out);
}
