/*
 * authres.c: the part of RFC 8601 needed to trust a dmarc=pass.
 *
 *	value = authserv-id [ version ] ( ";" "none" / 1*( ";" resinfo ) )
 *	resinfo = method [ "/" version ] "=" result [ reason ] *propspec
 *	propspec = ptype "." property "=" pvalue
 *
 * with comments "( ... )" (nested, with quoted pairs) anywhere white space
 * may be, and quoted strings for values.
 */
#include <string.h>

#include <glib.h>

#include "authres.h"

struct token {
	char		*text;
	gboolean	 quoted;	/* a quoted-string: never a special */
};

/* A token list per ';'-separated part of one header value. */
static void
token_clear(gpointer p)
{
	g_free(((struct token *)p)->text);
}

static GArray *
new_part(GPtrArray *parts)
{
	GArray	*part = g_array_new(FALSE, FALSE, sizeof(struct token));

	g_array_set_clear_func(part, token_clear);
	g_ptr_array_add(parts, part);
	return (part);
}

static void
add_token(GArray *part, GString *text, gboolean quoted)
{
	struct token	t;

	t.text = g_strdup(text->str);
	t.quoted = quoted;
	g_array_append_val(part, t);
	g_string_truncate(text, 0);
}

/* Skip a comment starting at *p == '('; returns past its ')' or at the
 * end of an unterminated one. */
static const char *
skip_comment(const char *p)
{
	int	depth = 0;

	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return (p + 1);
	}
	return (p);
}

/*
 * Split a header value into parts at ';' and each part into tokens:
 * words, quoted strings and the specials '=' and '/'. Comments go.
 */
static GPtrArray *
tokenize(const char *value)
{
	GPtrArray	*parts = g_ptr_array_new_with_free_func(
			    (GDestroyNotify)g_array_unref);
	GArray		*part = new_part(parts);
	GString		*word = g_string_new(NULL);
	const char	*p = value;

	while (*p != '\0') {
		if (*p == '(') {
			p = skip_comment(p);
			continue;
		}
		if (g_ascii_isspace(*p) || *p == ')') {
			p++;	/* a stray ')' ends nothing */
			continue;
		}
		if (*p == ';') {
			part = new_part(parts);
			p++;
			continue;
		}
		if (*p == '=' || *p == '/') {
			g_string_append_c(word, *p++);
			add_token(part, word, FALSE);
			continue;
		}
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				g_string_append_c(word, *p);
			}
			if (*p == '"')
				p++;
			add_token(part, word, TRUE);
			continue;
		}
		while (*p != '\0' && !g_ascii_isspace(*p) &&
		    strchr("();=/\"", *p) == NULL)
			g_string_append_c(word, *p++);
		add_token(part, word, FALSE);
	}
	g_string_free(word, TRUE);
	return (parts);
}

static const struct token *
token_at(GArray *part, guint i)
{
	return (i < part->len ? &g_array_index(part, struct token, i) : NULL);
}

static gboolean
is_special(const struct token *t, const char *special)
{
	return (t != NULL && !t->quoted && strcmp(t->text, special) == 0);
}

/* "user@Example.COM." and "example.com" are the same domain. */
static gboolean
same_domain(const char *pvalue, const char *domain)
{
	const char	*at = strrchr(pvalue, '@');
	gsize		 a, b;

	if (at != NULL)
		pvalue = at + 1;
	a = strlen(pvalue);
	b = strlen(domain);
	if (a > 0 && pvalue[a - 1] == '.')
		a--;
	if (b > 0 && domain[b - 1] == '.')
		b--;
	return (a > 0 && a == b && g_ascii_strncasecmp(pvalue, domain, a) == 0);
}

/*
 * One resinfo part. Returns 1 for dmarc=pass about from_domain, -1 for
 * any other DMARC result about it, 0 for everything else.
 */
static int
dmarc_result(GArray *part, const char *from_domain)
{
	const struct token	*method, *result, *t;
	gboolean		 is_pass, about_domain = FALSE;
	guint			 i;

	method = token_at(part, 0);
	if (method == NULL || method->quoted ||
	    g_ascii_strcasecmp(method->text, "dmarc") != 0)
		return (0);
	i = 1;
	if (is_special(token_at(part, i), "/"))
		i += 2;		/* method version */
	if (!is_special(token_at(part, i), "="))
		return (0);
	result = token_at(part, i + 1);
	if (result == NULL)
		return (0);
	is_pass = !result->quoted &&
	    g_ascii_strcasecmp(result->text, "pass") == 0;

	/* reason = value, then ptype.property = pvalue pairs */
	for (i += 2; i < part->len; i += 3) {
		/* Not RFC 8601: trust nothing in it. */
		if (i + 2 >= part->len ||
		    !is_special(token_at(part, i + 1), "="))
			return (0);
		t = token_at(part, i);
		if (!t->quoted &&
		    g_ascii_strcasecmp(t->text, "header.from") == 0 &&
		    same_domain(token_at(part, i + 2)->text, from_domain))
			about_domain = TRUE;
	}
	if (!about_domain)
		return (0);
	return (is_pass ? 1 : -1);
}

/* Is the first part "authserv-id [version]" with that id? */
static gboolean
is_authserv_id(GArray *part, const char *authserv_id)
{
	const struct token	*id = token_at(part, 0);
	const struct token	*version = token_at(part, 1);
	const char		*p;

	if (id == NULL || part->len > 2 ||
	    g_ascii_strcasecmp(id->text, authserv_id) != 0)
		return (FALSE);
	if (version == NULL)
		return (TRUE);
	if (version->quoted || *version->text == '\0')
		return (FALSE);
	for (p = version->text; *p != '\0'; p++)
		if (!g_ascii_isdigit(*p))
			return (FALSE);
	return (TRUE);
}

gboolean
authres_dmarc_pass(GPtrArray *values, const char *trusted_authserv_id,
    const char *from_domain)
{
	GPtrArray		*parts;
	guint			 j;
	int			 r, passes = 0, others = 0;

	if (values == NULL || values->len == 0 ||
	    trusted_authserv_id == NULL || *trusted_authserv_id == '\0' ||
	    from_domain == NULL || *from_domain == '\0')
		return (FALSE);
	parts = tokenize(values->pdata[0]);
	if (is_authserv_id(parts->pdata[0], trusted_authserv_id)) {
		for (j = 1; j < parts->len; j++) {
			r = dmarc_result(parts->pdata[j], from_domain);
			if (r > 0)
				passes++;
			else if (r < 0)
				others++;
		}
	}
	g_ptr_array_unref(parts);
	return (passes > 0 && others == 0);
}
