/*
 * reply-token.c: per-case HMAC tokens in plus-addresses.
 */
#include <string.h>

#include <glib.h>

#include "reply-token.h"
#include "regex-cache.h"

/* Keep these MACs apart from anything else ever keyed with the secret.
 * The first form's context is followed by the reference alone; the
 * second's by NUL-separated fields, so no two inputs read alike. */
#define TOKEN_CONTEXT_OLD	"redress reply token v1:"
#define TOKEN_CONTEXT		"redress reply token v2"

/* The letter that starts a token of the second form. */
static char
kind_letter(enum reply_token_kind kind)
{
	return (kind == REPLY_TOKEN_STAFF ? 's' : 'p');
}

static gboolean
valid_ref(const char *ref)
{
	return (regex_cached_match("^[A-Z0-9]+(-[A-Z0-9]+)+$", 0, ref));
}

/* Split "local@domain" at the last '@'; FALSE when there is none. */
static gboolean
split_address(const char *address, char **local, char **domain)
{
	const char	*at = strrchr(address, '@');

	if (at == NULL || at == address || at[1] == '\0')
		return (FALSE);
	*local = g_strndup(address, at - address);
	*domain = g_strdup(at + 1);
	return (TRUE);
}

static void
hmac_field(GHmac *hmac, const char *s)
{
	g_hmac_update(hmac, (const guchar *)s, strlen(s) + 1);
}

/* ref must be upper case already; recipient is used by a staff token
 * only and must then be an address. */
static char *
token_for(enum reply_token_kind kind, const char *ref, const char *recipient,
    const char *secret, gsize secret_len)
{
	GHmac	*hmac;
	char	*token, *lower, letter[2] = { kind_letter(kind), '\0' };

	hmac = g_hmac_new(G_CHECKSUM_SHA256, (const guchar *)secret,
	    secret_len);
	if (kind == REPLY_TOKEN_OLD) {
		g_hmac_update(hmac, (const guchar *)TOKEN_CONTEXT_OLD,
		    strlen(TOKEN_CONTEXT_OLD));
		g_hmac_update(hmac, (const guchar *)ref, strlen(ref));
	} else {
		lower = g_ascii_strdown(kind == REPLY_TOKEN_STAFF ?
		    recipient : "", -1);
		hmac_field(hmac, TOKEN_CONTEXT);
		hmac_field(hmac, letter);
		hmac_field(hmac, ref);
		hmac_field(hmac, lower);
		g_free(lower);
	}
	token = g_strndup(g_hmac_get_string(hmac), REPLY_TOKEN_LEN);
	g_hmac_unref(hmac);
	return (token);
}

/* Both REPLY_TOKEN_LEN long; the time taken does not depend on where
 * they differ. */
static gboolean
tokens_equal(const char *a, const char *b)
{
	guint	i;
	guchar	diff = 0;

	for (i = 0; i < REPLY_TOKEN_LEN; i++)
		diff |= (guchar)a[i] ^ (guchar)b[i];
	return (diff == 0);
}

char *
reply_token_address(const char *area_address, const char *ref,
    enum reply_token_kind kind, const char *recipient, const char *secret,
    gsize secret_len)
{
	char	*local, *domain, *canonical, *token, *address = NULL;

	if (secret == NULL || secret_len == 0 || kind == REPLY_TOKEN_OLD ||
	    (kind == REPLY_TOKEN_STAFF && (recipient == NULL ||
	    strchr(recipient, '@') == NULL)) ||
	    !split_address(area_address, &local, &domain))
		return (NULL);
	canonical = g_ascii_strup(ref, -1);
	if (strchr(local, '+') == NULL && valid_ref(canonical)) {
		token = token_for(kind, canonical, recipient, secret,
		    secret_len);
		address = g_strdup_printf("%s+%s.%c%s@%s", local, canonical,
		    kind_letter(kind), token, domain);
		g_free(token);
	}
	g_free(canonical);
	g_free(local);
	g_free(domain);
	return (address);
}

/*
 * The kind a token's text claims, with its MAC digits at *mac: FALSE when
 * it has the shape of neither form.
 */
static gboolean
token_shape(const char *text, enum reply_token_kind *kind, const char **mac)
{
	size_t	len = strlen(text);

	if (len == REPLY_TOKEN_LEN) {
		*kind = REPLY_TOKEN_OLD;
		*mac = text;
		return (TRUE);
	}
	if (len != REPLY_TOKEN_LEN + 1)
		return (FALSE);
	switch (g_ascii_tolower(*text)) {
	case 's':
		*kind = REPLY_TOKEN_STAFF;
		break;
	case 'p':
		*kind = REPLY_TOKEN_PUBLIC;
		break;
	default:
		return (FALSE);
	}
	*mac = text + 1;
	return (TRUE);
}

int
reply_token_check(const char *address, const char *area_address,
    const char *sender, const char *secret, gsize secret_len, char **ref,
    enum reply_token_kind *kind)
{
	char			*local = NULL, *domain = NULL;
	char			*area_local = NULL, *area_domain = NULL;
	char			*candidate = NULL, *token = NULL;
	char			*expected = NULL;
	const char		*detail, *dot, *mac;
	enum reply_token_kind	 claimed;
	gsize			 len;
	int			 result = 0;

	if (!split_address(address, &local, &domain) ||
	    !split_address(area_address, &area_local, &area_domain))
		goto out;
	len = strlen(area_local);
	if (g_ascii_strcasecmp(domain, area_domain) != 0 ||
	    g_ascii_strncasecmp(local, area_local, len) != 0 ||
	    local[len] != '+')
		goto out;

	result = -1;
	detail = local + len + 1;
	dot = strrchr(detail, '.');
	if (dot == NULL || secret == NULL || secret_len == 0 ||
	    !token_shape(dot + 1, &claimed, &mac))
		goto out;
	/* Bound to an address: without the sender it cannot verify. */
	if (claimed == REPLY_TOKEN_STAFF && (sender == NULL ||
	    strchr(sender, '@') == NULL))
		goto out;
	candidate = g_ascii_strup(detail, dot - detail);
	token = g_ascii_strdown(mac, -1);
	if (!valid_ref(candidate))
		goto out;
	expected = token_for(claimed, candidate, sender, secret, secret_len);
	if (!tokens_equal(token, expected))
		goto out;

	result = 1;
	if (kind != NULL)
		*kind = claimed;
	if (ref != NULL) {
		*ref = candidate;
		candidate = NULL;
	}
out:
	g_free(local);
	g_free(domain);
	g_free(area_local);
	g_free(area_domain);
	g_free(candidate);
	g_free(token);
	g_free(expected);
	return (result);
}
