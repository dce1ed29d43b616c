/*
 * reply-token.c: per-case HMAC tokens in plus-addresses.
 */
#include <string.h>

#include <glib.h>

#include "reply-token.h"

/* Keeps these MACs apart from anything else ever keyed with the secret. */
#define TOKEN_CONTEXT	"redress reply token v1:"

static gboolean
valid_ref(const char *ref)
{
	return (g_regex_match_simple("^[A-Z0-9]+(-[A-Z0-9]+)+$", ref, 0, 0));
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

/* ref must be upper case already. */
static char *
token_for(const char *ref, const char *secret, gsize secret_len)
{
	GHmac	*hmac;
	char	*token;

	hmac = g_hmac_new(G_CHECKSUM_SHA256, (const guchar *)secret,
	    secret_len);
	g_hmac_update(hmac, (const guchar *)TOKEN_CONTEXT,
	    strlen(TOKEN_CONTEXT));
	g_hmac_update(hmac, (const guchar *)ref, strlen(ref));
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
    const char *secret, gsize secret_len)
{
	char	*local, *domain, *canonical, *token, *address = NULL;

	if (secret == NULL || secret_len == 0 ||
	    !split_address(area_address, &local, &domain))
		return (NULL);
	canonical = g_ascii_strup(ref, -1);
	if (strchr(local, '+') == NULL && valid_ref(canonical)) {
		token = token_for(canonical, secret, secret_len);
		address = g_strdup_printf("%s+%s.%s@%s", local, canonical,
		    token, domain);
		g_free(token);
	}
	g_free(canonical);
	g_free(local);
	g_free(domain);
	return (address);
}

int
reply_token_check(const char *address, const char *area_address,
    const char *secret, gsize secret_len, char **ref)
{
	char		*local = NULL, *domain = NULL, *area_local = NULL;
	char		*area_domain = NULL, *candidate = NULL, *token = NULL;
	char		*expected = NULL;
	const char	*detail, *dot;
	gsize		 len;
	int		 result = 0;

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
	if (dot == NULL || strlen(dot + 1) != REPLY_TOKEN_LEN ||
	    secret == NULL || secret_len == 0)
		goto out;
	candidate = g_ascii_strup(detail, dot - detail);
	token = g_ascii_strdown(dot + 1, -1);
	if (!valid_ref(candidate))
		goto out;
	expected = token_for(candidate, secret, secret_len);
	if (!tokens_equal(token, expected))
		goto out;

	result = 1;
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
