/*
 * rulefile.c: read the text of a rule file into a ruleset.
 *
 * The format (rules/README) is line-oriented: "rule NAME" starts a rule,
 * "when"/"unless" lines say when it fires, "then" lines what it votes for;
 * "default", "words" and "set" lines stand on their own. Every mistake is
 * reported as "FILE:LINE: what was expected" and parsing goes on, so a
 * coordinator sees all of them at once.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "rules.h"
#include "ruleset.h"

/* The values come from the schema: no rule file may name another. */
const struct decision_def decision_defs[D__COUNT] = {
	[D_KIND] = { "kind", &schema_kind },
	[D_CATEGORY] = { "category", &schema_category },
	[D_SENTIMENT] = { "sentiment", &schema_sentiment },
	[D_REPRESENTATIVE] = { "representative", &schema_representative },
	[D_AUTHORITY] = { "authority", &schema_authority },
	[D_EXCEPTIONAL] = { "exceptional", &schema_exceptional },
	[D_LANGUAGE] = { "language", &schema_language },
	[D_RESTRICTION] = { "restriction", &schema_restriction },
	[D_REQUEST] = { "request", &schema_request },
};

/* rules.c keeps a score per value in arrays of MAX_VALUES. */
G_STATIC_ASSERT(KIND__COUNT <= MAX_VALUES &&
    CATEGORY__COUNT <= MAX_VALUES && SENTIMENT__COUNT <= MAX_VALUES &&
    REP__COUNT <= MAX_VALUES && AUTHORITY__COUNT <= MAX_VALUES &&
    EXCEPTIONAL__COUNT <= MAX_VALUES && LANGUAGE__COUNT <= MAX_VALUES &&
    RESTRICT__COUNT <= MAX_VALUES && REQUEST__COUNT <= MAX_VALUES);

const char *const text_source_names[SRC__COUNT] = {
	[SRC_SUBJECT] = "subject",
	[SRC_BODY] = "body",
	[SRC_QUOTED] = "quoted",
	[SRC_FORWARDED] = "forwarded",
	[SRC_ATTACHMENTS] = "attachments",
	[SRC_TEXT] = "text",
	[SRC_ALL] = "all",
};

const char *const signal_names[SIG__COUNT] = {
	[SIG_AUTO_SUBMITTED] = "auto-submitted",
	[SIG_PRECEDENCE] = "precedence",
	[SIG_LIST_ID] = "list-id",
	[SIG_X_LOOP] = "x-loop",
	[SIG_X_AUTOREPLY] = "x-autoreply",
	[SIG_NULL_SENDER] = "null-sender",
	[SIG_MAILER_DAEMON] = "mailer-daemon",
	[SIG_REPORT] = "report",
	[SIG_DELIVERY_REPORT] = "delivery-report",
	[SIG_FORWARDED] = "forwarded",
	[SIG_REPLY] = "reply",
	[SIG_ATTACHMENT] = "attachment",
	[SIG_QUARANTINED] = "quarantined",
};

static const char *const setting_names[] = {
	"mixed-threshold", "language-min-words", "exceptional-needs-late", NULL
};

enum { OR_NO, OR_YES, OR_CHECK_ONLY };

/* Parsing state of one file. */
struct parser {
	struct ruleset	*rs;
	const char	*file;
	int		 line;
	GPtrArray	*errors;
	int		 nerrors;
	struct rule	*rule;		/* the open rule block, or NULL */
	/* May an "or" line follow? Only after a text condition (or its
	 * "or"); after one that failed to parse, its "or" lines are still
	 * checked but their errors are not blamed on their position. */
	int		 or_state;	/* OR_NO, OR_YES, OR_CHECK_ONLY */
	gboolean	 rule_broken;	/* it had an error: do not add */
};

static void G_GNUC_PRINTF(2, 3)
error_at(struct parser *ps, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(ps->errors, g_strdup_printf("%s:%d: %s", ps->file,
	    ps->line, msg));
	g_free(msg);
	ps->nerrors++;
	if (ps->rule != NULL)
		ps->rule_broken = TRUE;
}

static void
condition_free(gpointer p)
{
	struct condition	*c = p;

	if (c->alternatives != NULL)
		g_ptr_array_unref(c->alternatives);
	if (c->re != NULL)
		g_regex_unref(c->re);
	if (c->name_re != NULL)
		g_regex_unref(c->name_re);
	if (c->text_re != NULL)
		g_regex_unref(c->text_re);
	g_free(c->header);
	g_free(c);
}

static void
rule_free(gpointer p)
{
	struct rule	*r = p;

	if (r == NULL)
		return;
	g_free(r->name);
	g_free(r->file);
	g_ptr_array_unref(r->conditions);
	g_array_unref(r->actions);
	g_free(r);
}

struct ruleset *
ruleset_new(void)
{
	struct ruleset	*rs = g_new0(struct ruleset, 1);
	int		 d;

	rs->rules = g_ptr_array_new_with_free_func(rule_free);
	rs->names = g_hash_table_new(g_str_hash, g_str_equal);
	rs->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	for (d = 0; d < D__COUNT; d++)
		rs->defaults[d] = -1;
	rs->mixed_threshold = 1;
	rs->language_min_words = 1;
	rs->exceptional_needs_late = 1;
	return (rs);
}

void
ruleset_free(struct ruleset *rs)
{
	if (rs == NULL)
		return;
	g_ptr_array_unref(rs->rules);
	g_hash_table_unref(rs->names);
	g_hash_table_unref(rs->words);
	model_free(rs->model);
	g_free(rs);
}

void
ruleset_set_model(struct ruleset *rs, struct model *model)
{
	model_free(rs->model);
	rs->model = model;
}

/* A comma-separated list of the choices, for error messages. */
static char *
choices(const char *const *list, int n)
{
	GString	*s = g_string_new(NULL);
	int	 i;

	for (i = 0; (n < 0 || i < n) && list[i] != NULL; i++) {
		if (i > 0)
			g_string_append(s, ", ");
		g_string_append(s, list[i]);
	}
	return (g_string_free(s, FALSE));
}

static int
lookup(const char *const *list, int n, const char *word)
{
	int	i;

	for (i = 0; (n < 0 || i < n) && list[i] != NULL; i++)
		if (strcmp(list[i], word) == 0)
			return (i);
	return (-1);
}

static void
skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* The next word (up to a space, ~, / or "); NULL at the end of line. */
static char *
next_word(const char **p)
{
	const char	*s;

	skip_space(p);
	s = *p;
	while (**p != '\0' && **p != ' ' && **p != '\t' && **p != '~' &&
	    **p != '/' && **p != '"')
		(*p)++;
	if (*p == s)
		return (NULL);
	return (g_strndup(s, *p - s));
}

static gboolean
expect_char(const char **p, char c)
{
	skip_space(p);
	if (**p != c)
		return (FALSE);
	(*p)++;
	return (TRUE);
}

static GRegex *
compile_regex(struct parser *ps, const char *source, GRegexCompileFlags flags)
{
	GError	*error = NULL;
	GRegex	*re;
	char	*ucp = g_strconcat("(*UCP)", source, NULL);

	re = g_regex_new(ucp, flags | G_REGEX_OPTIMIZE, 0, &error);
	g_free(ucp);
	if (re == NULL) {
		error_at(ps, "bad regular expression /%s/: %s; fix the "
		    "expression", source, error->message);
		g_error_free(error);
	}
	return (re);
}

/* /REGEX/FLAGS at *p. */
static GRegex *
parse_regex(struct parser *ps, const char **p, const char *after)
{
	GString			*src;
	GRegexCompileFlags	 flags = 0;
	GRegex			*re;

	skip_space(p);
	if (**p != '/') {
		error_at(ps, "expected /REGULAR EXPRESSION/ after '%s'", after);
		return (NULL);
	}
	(*p)++;
	src = g_string_new(NULL);
	while (**p != '\0' && **p != '/') {
		if (**p == '\\' && (*p)[1] == '/') {
			g_string_append_c(src, '/');
			*p += 2;
			continue;
		}
		if (**p == '\\' && (*p)[1] != '\0')
			g_string_append_c(src, *(*p)++);
		g_string_append_c(src, *(*p)++);
	}
	if (**p != '/') {
		error_at(ps, "regular expression /%s is not closed; end it "
		    "with / (write \\/ for a slash inside)", src->str);
		g_string_free(src, TRUE);
		return (NULL);
	}
	(*p)++;
	for (; g_ascii_isalpha(**p); (*p)++) {
		switch (**p) {
		case 'i':
			flags |= G_REGEX_CASELESS;
			break;
		case 'm':
			flags |= G_REGEX_MULTILINE;
			break;
		case 's':
			flags |= G_REGEX_DOTALL;
			break;
		case 'x':
			flags |= G_REGEX_EXTENDED;
			break;
		default:
			error_at(ps, "unknown flag '%c' after /%s/; expected "
			    "i (any case), m, s or x", **p, src->str);
			g_string_free(src, TRUE);
			return (NULL);
		}
	}
	if (src->len == 0) {
		error_at(ps, "empty regular expression after '%s'; write "
		    "what to look for between the slashes", after);
		g_string_free(src, TRUE);
		return (NULL);
	}
	re = compile_regex(ps, src->str, flags);
	g_string_free(src, TRUE);
	return (re);
}

/*
 * "phrase one" "phrase two": whole words, any case, any spacing; an
 * apostrophe matches any apostrophe.
 */
static GRegex *
parse_phrases(struct parser *ps, const char **p)
{
	GString	*src = g_string_new("(?<!\\w)(?:");
	int	 n = 0;
	GRegex	*re = NULL;

	for (;;) {
		GString	*phrase;
		char	*escaped, **words;
		guint	 i;

		skip_space(p);
		if (**p != '"')
			break;
		(*p)++;
		phrase = g_string_new(NULL);
		while (**p != '\0' && **p != '"') {
			if (**p == '\\' && (*p)[1] == '"')
				(*p)++;
			g_string_append_c(phrase, *(*p)++);
		}
		if (**p != '"') {
			error_at(ps, "phrase \"%s is not closed; end it with \"",
			    phrase->str);
			g_string_free(phrase, TRUE);
			g_string_free(src, TRUE);
			return (NULL);
		}
		(*p)++;
		words = g_strsplit_set(g_strstrip(phrase->str), " \t", -1);
		if (n++ > 0)
			g_string_append_c(src, '|');
		for (i = 0; words[i] != NULL; i++) {
			if (*words[i] == '\0')
				continue;
			if (i > 0)
				g_string_append(src, "\\s+");
			escaped = g_regex_escape_string(words[i], -1);
			g_string_append(src, escaped);
			g_free(escaped);
		}
		g_strfreev(words);
		g_string_free(phrase, TRUE);
	}
	if (n == 0)
		error_at(ps, "expected one or more \"quoted phrases\" after "
		    "'phrase'");
	else {
		g_string_append(src, ")(?!\\w)");
		re = compile_regex(ps, src->str, G_REGEX_CASELESS);
	}
	g_string_free(src, TRUE);
	return (re);
}

static gboolean
parse_number(const char *s, long *out)
{
	char	*end;

	if (s == NULL || *s == '\0')
		return (FALSE);
	*out = strtol(s, &end, 10);
	return (*end == '\0');
}

static void
parse_condition(struct parser *ps, const char *p, gboolean negate)
{
	struct condition	*c = g_new0(struct condition, 1);
	char			*word, *what;
	int			 i;

	c->negate = negate;
	word = next_word(&p);
	if (word == NULL) {
		error_at(ps, "expected a condition after '%s', e.g. "
		    "body ~ /regex/i", negate ? "unless" : "when");
		goto fail;
	}
	if ((i = lookup(text_source_names, SRC__COUNT, word)) >= 0 ||
	    strcmp(word, "phrase") == 0) {
		c->type = COND_TEXT;
		c->source = i >= 0 ? (enum text_source)i : SRC_TEXT;
		if (i < 0) {
			c->re = parse_phrases(ps, &p);
		} else {
			char	*kw;
			const char *save = p;

			kw = next_word(&p);
			if (kw != NULL && strcmp(kw, "phrase") == 0)
				c->re = parse_phrases(ps, &p);
			else if (kw == NULL && expect_char(&p, '~'))
				c->re = parse_regex(ps, &p, "~");
			else {
				p = save;
				error_at(ps, "expected '~ /regex/' or 'phrase "
				    "\"...\"' after '%s'", word);
			}
			g_free(kw);
		}
		if (c->re == NULL)
			goto fail;
		c->alternatives = g_ptr_array_new_with_free_func(
		    (GDestroyNotify)g_regex_unref);
		g_ptr_array_add(c->alternatives, c->re);
		c->re = NULL;
	} else if (strcmp(word, "header") == 0) {
		c->type = COND_HEADER;
		c->header = next_word(&p);
		if (c->header == NULL) {
			error_at(ps, "expected a header name after 'header', "
			    "e.g. header Auto-Submitted ~ /^auto-/i");
			goto fail;
		}
		skip_space(&p);
		if (*p == '~') {
			p++;
			if ((c->re = parse_regex(ps, &p, "~")) == NULL)
				goto fail;
		}
	} else if (strcmp(word, "attachment") == 0) {
		c->type = COND_ATTACHMENT;
		while ((what = next_word(&p)) != NULL) {
			GRegex	**slot = strcmp(what, "type") == 0 ? &c->re :
			    strcmp(what, "name") == 0 ? &c->name_re :
			    strcmp(what, "text") == 0 ? &c->text_re : NULL;

			if (slot == NULL || *slot != NULL) {
				error_at(ps, "expected type, name or text (each "
				    "once) after 'attachment', not '%s'", what);
				g_free(what);
				goto fail;
			}
			if (!expect_char(&p, '~')) {
				error_at(ps, "expected '~ /regex/' after "
				    "'attachment %s'", what);
				g_free(what);
				goto fail;
			}
			*slot = parse_regex(ps, &p, what);
			g_free(what);
			if (*slot == NULL)
				goto fail;
		}
	} else if (strcmp(word, "sender") == 0) {
		c->type = COND_SENDER;
		if (!expect_char(&p, '~')) {
			error_at(ps, "expected '~ /regex/' after 'sender'");
			goto fail;
		}
		if ((c->re = parse_regex(ps, &p, "~")) == NULL)
			goto fail;
	} else if (strcmp(word, "signal") == 0) {
		c->type = COND_SIGNAL;
		what = next_word(&p);
		i = what != NULL ? lookup(signal_names, SIG__COUNT, what) : -1;
		if (i < 0) {
			char	*list = choices(signal_names, SIG__COUNT);

			error_at(ps, "expected a signal after 'signal': one of "
			    "%s", list);
			g_free(list);
			g_free(what);
			goto fail;
		}
		c->signal = (enum signal)i;
		g_free(what);
	} else if (strcmp(word, "length") == 0) {
		c->type = COND_LENGTH;
		skip_space(&p);
		what = NULL;
		if (*p == '<' || *p == '>') {
			c->op = *p++;
			what = next_word(&p);
		}
		if (what == NULL || !parse_number(what, &c->length) ||
		    c->length < 0) {
			error_at(ps, "expected '< N' or '> N' (characters of "
			    "the body) after 'length'");
			g_free(what);
			goto fail;
		}
		g_free(what);
	} else if (strcmp(word, "language") == 0) {
		c->type = COND_LANGUAGE;
		what = next_word(&p);
		if ((i = label_choice(&schema_language, what)) < 0) {
			char	*list = label_choices(&schema_language, TRUE);

			error_at(ps, "expected a language after 'language': "
			    "one of %s", list);
			g_free(list);
			g_free(what);
			goto fail;
		}
		c->language = (enum language)i;
		g_free(what);
	} else {
		char	*list = choices(text_source_names, SRC__COUNT);

		error_at(ps, "unknown condition '%s'; expected %s, phrase, "
		    "header, attachment, sender, signal, length or language",
		    word, list);
		g_free(list);
		goto fail;
	}
	skip_space(&p);
	if (*p != '\0') {
		error_at(ps, "unexpected '%s' at the end of the line", p);
		goto fail;
	}
	g_free(word);
	g_ptr_array_add(ps->rule->conditions, c);
	return;
fail:
	g_free(word);
	condition_free(c);
}

/* "or ~ /regex/" or "or phrase ..." after a text condition: one more way
 * for it to match. */
static void
parse_or(struct parser *ps, const char *p)
{
	struct condition	*c = NULL;
	GRegex			*re = NULL;
	char			*kw;

	if (ps->or_state == OR_NO) {
		error_at(ps, "'or' must follow a text condition line, e.g. "
		    "'when body ~ /.../i', or another 'or'");
		return;
	}
	if (ps->or_state == OR_YES)
		c = g_ptr_array_index(ps->rule->conditions,
		    ps->rule->conditions->len - 1);
	skip_space(&p);
	if (*p == '~') {
		p++;
		re = parse_regex(ps, &p, "or ~");
	} else if ((kw = next_word(&p)) != NULL && strcmp(kw, "phrase") == 0) {
		g_free(kw);
		re = parse_phrases(ps, &p);
	} else {
		g_free(kw);
		error_at(ps, "expected '~ /regex/' or 'phrase \"...\"' after "
		    "'or'");
		return;
	}
	if (re == NULL)
		return;
	skip_space(&p);
	if (*p != '\0') {
		error_at(ps, "unexpected '%s' at the end of the line", p);
		g_regex_unref(re);
		return;
	}
	if (c != NULL)
		g_ptr_array_add(c->alternatives, re);
	else
		g_regex_unref(re);
}

static int
parse_decision(struct parser *ps, const char *word)
{
	int	d;

	for (d = 0; d < D__COUNT; d++)
		if (word != NULL && strcmp(decision_defs[d].name, word) == 0)
			return (d);
	{
		GString	*s = g_string_new(NULL);

		for (d = 0; d < D__COUNT; d++)
			g_string_append_printf(s, "%s%s", d > 0 ? ", " : "",
			    decision_defs[d].name);
		error_at(ps, "expected a decision%s%s%s: one of %s",
		    word != NULL ? ", not '" : "", word != NULL ? word : "",
		    word != NULL ? "'" : "", s->str);
		g_string_free(s, TRUE);
	}
	return (-1);
}

/* The enum value of word; never a *_NONE, which is not chosen. */
static int
parse_value(struct parser *ps, int d, const char *word)
{
	int	 v;
	char	*list;

	if ((v = label_choice(decision_defs[d].values, word)) >= 0)
		return (v);
	list = label_choices(decision_defs[d].values, TRUE);
	if (word == NULL)
		error_at(ps, "expected a %s after '%s': one of %s",
		    decision_defs[d].name, decision_defs[d].name, list);
	else
		error_at(ps, "'%s' is not a %s; expected one of %s", word,
		    decision_defs[d].name, list);
	g_free(list);
	return (-1);
}

static void
parse_action(struct parser *ps, const char *p)
{
	struct action	 a = { 0 };
	char		*dw = next_word(&p), *vw = NULL, *ww = NULL;
	long		 w;
	int		 d, v;

	if ((d = parse_decision(ps, dw)) < 0)
		goto out;
	vw = next_word(&p);
	if ((v = parse_value(ps, d, vw)) < 0)
		goto out;
	a.decision = (enum decision)d;
	a.value = v;
	a.weight = 1;
	ww = next_word(&p);
	if (ww != NULL) {
		if (strcmp(ww, "!") == 0)
			a.override = TRUE;
		else if (!parse_number(ww[0] == '+' ? ww + 1 : ww, &w) ||
		    w < -1000 || w > 1000 || (ww[0] == '+' && ww[1] == '-')) {
			error_at(ps, "expected a weight like +3 or -2, or ! to "
			    "decide outright, after '%s', not '%s'", vw, ww);
			goto out;
		} else
			a.weight = (int)w;
	}
	skip_space(&p);
	if (*p != '\0') {
		error_at(ps, "unexpected '%s' at the end of the line", p);
		goto out;
	}
	g_array_append_val(ps->rule->actions, a);
out:
	g_free(dw);
	g_free(vw);
	g_free(ww);
}

/* Close the open rule: check it is whole and keep it. */
static void
end_rule(struct parser *ps)
{
	struct rule	*r = ps->rule;
	int		 line = ps->line;
	guint		 i;
	gboolean	 positive = FALSE;

	if (r == NULL)
		return;
	ps->rule = NULL;
	ps->line = r->line;
	for (i = 0; i < r->conditions->len; i++)
		if (!((struct condition *)
		    g_ptr_array_index(r->conditions, i))->negate)
			positive = TRUE;
	if (!ps->rule_broken && !positive) {
		error_at(ps, "rule '%s' has no 'when' line; say when it "
		    "fires", r->name);
		ps->rule_broken = TRUE;
	}
	if (!ps->rule_broken && r->actions->len == 0) {
		error_at(ps, "rule '%s' has no 'then' line; say what it "
		    "decides", r->name);
		ps->rule_broken = TRUE;
	}
	ps->line = line;
	if (ps->rule_broken) {
		if (g_hash_table_lookup(ps->rs->names, r->name) == r)
			g_hash_table_remove(ps->rs->names, r->name);
		rule_free(r);
		return;
	}
	g_ptr_array_add(ps->rs->rules, r);
}

static gboolean
valid_name(const char *s)
{
	if (s == NULL || *s == '\0')
		return (FALSE);
	for (; *s != '\0'; s++)
		if (!g_ascii_isalnum(*s) && *s != '-' && *s != '_' && *s != '.')
			return (FALSE);
	return (TRUE);
}

static void
begin_rule(struct parser *ps, const char *p)
{
	char		*name = next_word(&p);
	struct rule	*r, *old;

	end_rule(ps);
	skip_space(&p);
	if (!valid_name(name) || *p != '\0') {
		error_at(ps, "expected a rule name after 'rule' (letters, "
		    "digits, - _ and . only, no spaces)");
		g_free(name);
		/* keep collecting its lines so they are checked too */
		name = g_strdup_printf("(unnamed rule at line %d)", ps->line);
		ps->rule_broken = TRUE;
	} else
		ps->rule_broken = FALSE;
	r = g_new0(struct rule, 1);
	r->name = name;
	r->file = g_strdup(ps->file);
	r->line = ps->line;
	r->conditions = g_ptr_array_new_with_free_func(condition_free);
	r->actions = g_array_new(FALSE, TRUE, sizeof(struct action));
	ps->rule = r;
	if (ps->rule_broken)
		return;
	if ((old = g_hash_table_lookup(ps->rs->names, name)) != NULL) {
		error_at(ps, "rule '%s' is already defined at %s:%d; give "
		    "this one another name", name, old->file, old->line);
		return;
	}
	g_hash_table_insert(ps->rs->names, r->name, r);
}

static void
parse_default(struct parser *ps, const char *p)
{
	char	*dw = next_word(&p), *vw = NULL;
	int	 d, v;

	end_rule(ps);
	if ((d = parse_decision(ps, dw)) < 0)
		goto out;
	if (d == D_RESTRICTION) {
		error_at(ps, "restriction has no default: without a rule "
		    "there is none");
		goto out;
	}
	vw = next_word(&p);
	if ((v = parse_value(ps, d, vw)) < 0)
		goto out;
	skip_space(&p);
	if (*p != '\0') {
		error_at(ps, "unexpected '%s' at the end of the line", p);
		goto out;
	}
	ps->rs->defaults[d] = v;
out:
	g_free(dw);
	g_free(vw);
}

static void
parse_words(struct parser *ps, const char *p)
{
	char		*lw = next_word(&p), *w;
	int		 lang;

	end_rule(ps);
	if ((lang = label_choice(&schema_language, lw)) < 0) {
		char	*list = label_choices(&schema_language, TRUE);

		error_at(ps, "expected a language after 'words': one of %s",
		    list);
		g_free(list);
		g_free(lw);
		return;
	}
	g_free(lw);
	while ((w = next_word(&p)) != NULL) {
		char	*lower = g_utf8_strdown(w, -1);

		g_free(w);
		g_hash_table_replace(ps->rs->words, lower,
		    GINT_TO_POINTER(lang + 1));
	}
	skip_space(&p);
	if (*p != '\0')
		error_at(ps, "words are separated by spaces; '%c' cannot be "
		    "part of one", *p);
}

static void
parse_set(struct parser *ps, const char *p)
{
	char	*kw = next_word(&p), *vw = next_word(&p);
	long	 n;
	int	 k = kw != NULL ? lookup(setting_names, -1, kw) : -1;

	end_rule(ps);
	if (k < 0) {
		char	*list = choices(setting_names, -1);

		error_at(ps, "expected a setting after 'set': one of %s", list);
		g_free(list);
		goto out;
	}
	if (k == 2) {
		if (vw == NULL || (strcmp(vw, "yes") != 0 &&
		    strcmp(vw, "no") != 0)) {
			error_at(ps, "expected yes or no after '%s'", kw);
			goto out;
		}
		ps->rs->exceptional_needs_late = strcmp(vw, "yes") == 0;
		goto out;
	}
	if (!parse_number(vw, &n) || n < 0 || n > 1000) {
		error_at(ps, "expected a number from 0 to 1000 after '%s'", kw);
		goto out;
	}
	if (k == 0)
		ps->rs->mixed_threshold = (int)n;
	else
		ps->rs->language_min_words = (int)n;
out:
	g_free(kw);
	g_free(vw);
}

/* May "or" follow this when/unless line (p: after the keyword)? */
static int
or_state_after(struct parser *ps, const char *kw, const char *p,
    guint before)
{
	char	*source;
	int	 state = OR_NO;

	if (ps->rule == NULL || (strcmp(kw, "when") != 0 &&
	    strcmp(kw, "unless") != 0))
		return (OR_NO);
	if (ps->rule->conditions->len > before)
		return (((struct condition *)g_ptr_array_index(
		    ps->rule->conditions, before))->type == COND_TEXT ?
		    OR_YES : OR_NO);
	/* the line failed: still check its "or" lines, quietly */
	source = next_word(&p);
	if (source != NULL && (strcmp(source, "phrase") == 0 ||
	    lookup(text_source_names, SRC__COUNT, source) >= 0))
		state = OR_CHECK_ONLY;
	g_free(source);
	return (state);
}

static void
parse_line(struct parser *ps, const char *line)
{
	const char	*p = line;
	char		*kw;
	guint		 before;

	skip_space(&p);
	if (*p == '\0' || *p == '#')
		return;
	before = ps->rule != NULL ? ps->rule->conditions->len : 0;
	kw = next_word(&p);
	if (kw == NULL) {
		error_at(ps, "unexpected '%c' at the start of a line; expected "
		    "rule, when, unless, or, then, default, words, set or # for "
		    "a comment", *p);
		return;
	}
	if (strcmp(kw, "rule") == 0)
		begin_rule(ps, p);
	else if (strcmp(kw, "when") == 0 || strcmp(kw, "unless") == 0 ||
	    strcmp(kw, "then") == 0 || strcmp(kw, "or") == 0) {
		if (ps->rule == NULL)
			error_at(ps, "'%s' outside a rule; begin the rule with "
			    "'rule NAME' above it", kw);
		else if (kw[0] == 't')
			parse_action(ps, p);
		else if (kw[0] == 'o')
			parse_or(ps, p);
		else
			parse_condition(ps, p, kw[0] == 'u');
	} else if (strcmp(kw, "default") == 0)
		parse_default(ps, p);
	else if (strcmp(kw, "words") == 0)
		parse_words(ps, p);
	else if (strcmp(kw, "set") == 0)
		parse_set(ps, p);
	else
		error_at(ps, "unknown line '%s'; expected rule, when, unless, "
		    "or, then, default, words, set or # for a comment", kw);
	/* what may follow: "or" continues a text condition (an "or" line
	 * leaves the state as it was) */
	if (strcmp(kw, "or") != 0)
		ps->or_state = or_state_after(ps, kw, p, before);
	g_free(kw);
}

int
ruleset_add_file(struct ruleset *rs, const char *filename, const char *text,
    size_t len, GPtrArray *errors)
{
	struct parser	 ps = { 0 };
	const char	*p = text, *end = text + len;

	ps.rs = rs;
	ps.file = filename;
	ps.errors = errors;
	while (p < end) {
		const char	*nl = memchr(p, '\n', end - p);
		size_t		 n = (nl != NULL ? nl : end) - p;
		char		*line;

		ps.line++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		line = g_strndup(p, n);
		if (strlen(line) != n)
			error_at(&ps, "a NUL byte in the line; save the file as "
			    "plain UTF-8 text");
		else if (!g_utf8_validate(line, -1, NULL))
			error_at(&ps, "not valid UTF-8; save the file as UTF-8");
		else
			parse_line(&ps, line);
		g_free(line);
		p = nl != NULL ? nl + 1 : end;
	}
	ps.line++;
	end_rule(&ps);
	return (ps.nerrors);
}

struct ruleset *
ruleset_parse(const struct rule_text *files, size_t n, GPtrArray *errors)
{
	struct ruleset	*rs = ruleset_new();
	size_t		 i;
	int		 nerrors = 0;

	for (i = 0; i < n; i++)
		nerrors += ruleset_add_file(rs, files[i].name, files[i].text,
		    files[i].len, errors);
	if (nerrors > 0) {
		ruleset_free(rs);
		return (NULL);
	}
	return (rs);
}
