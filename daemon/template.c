/*
 * template.c: load and check the Markdown templates of outgoing mail, and
 * render them into a subject, a text/plain body and an HTML body.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>
#include <glib.h>

#include "template.h"

#define TEXT_WIDTH	72

/* The variables callers supply; anything else in a template is a typo. */
const char *const template_variables[] = {
	"name", "ref", "area_name", "received_date", "due_date",
	"original_subject", "kind", "category", "verdict_summary", "rules",
	"body", "contact_restriction", "reason", "detail", "findings",
	"escalation_date", "deadlines", "stage", "handler", "iac_due_date",
	"relay", "since", "until", "attempts", "likely",
	NULL
};

/*
 * The templates redress sends. about_case: the subject must carry the case
 * reference, so that a reply threads to the case.
 */
static const struct {
	const char	*name;
	gboolean	 about_case;
} required_templates[] = {
	{ "acknowledgement", TRUE },
	{ "acknowledgement-representative", TRUE },
	{ "authority-request", TRUE },
	{ "feedback-acknowledgement", TRUE },
	{ "enquiry-acknowledgement", TRUE },
	{ "vrr-reply", TRUE },
	{ "redirect-police", TRUE },
	{ "redirect-other", TRUE },
	{ "excluded-defendant", TRUE },
	{ "excluded-appeal", TRUE },
	{ "new-case-notice", TRUE },
	{ "message-added-notice", TRUE },
	{ "quarantine-notice", FALSE },
	{ "mailbox-outage-notice", FALSE },
	{ "mailbox-recovery-notice", FALSE },
	{ "delivery-failure-notice", TRUE },
	{ "forward-vrr", TRUE },
	{ "forward-enquiry", TRUE },
	{ "bounce-notice", TRUE },
	{ "response-stage1", TRUE },
	{ "response-stage2-iac", TRUE },
	{ "response-stage2-final", TRUE },
	{ "holding-letter", TRUE },
	{ "stage2-acknowledgement", TRUE },
	{ "iac-referral", TRUE },
	{ "iac-refused", TRUE },
	{ "authority-closed", TRUE },
	{ "draft-notice", TRUE },
	{ "draft-returned-notice", TRUE },
	{ "command-reply-notice", TRUE },
	{ "unauthenticated-notice", TRUE },
	{ "reminder-notice", TRUE },
	{ "escalation-decision-notice", TRUE },
	{ "iac-bundle", TRUE },
	{ "authority-timeout-notice", TRUE },
	{ "relay-outage-notice", FALSE },
	{ "relay-recovered-notice", FALSE },
};

static const char *const languages[] = { "en", "cy", NULL };

#define SUBJECT_REF_SUFFIX	"[{{ref}}]"

struct template {
	char		*path;
	char		*subject;
	int		 subject_line;
	char		**declared;	/* from "vars:", or NULL */
	int		 vars_line;	/* 0: no "vars:" line */
	GHashTable	*defaults;	/* variable -> text */
	GHashTable	*default_lines;	/* variable -> GINT_TO_POINTER(line) */
	char		*body;		/* ends with "\n" unless empty */
	int		 body_line;	/* line number of the body's first line */
};

/* How a value is turned into text for one part of the message. */
enum flavour {
	FLAVOUR_SUBJECT,	/* raw, on one line */
	FLAVOUR_MARKDOWN,	/* escaped: always literal text */
	FLAVOUR_TEXT		/* raw */
};

/*
 * Every template of a directory, parsed and checked. Rendering reads
 * nothing else, so what was loaded is what is sent until the next load.
 * The expressions rendering needs are compiled here once: compiling them
 * per render was about half its time.
 */
struct template_set {
	char		*dir;
	GHashTable	*templates;	/* "LANG/NAME" -> struct template * */
	GRegex		*line_prefix;	/* see line_prefixes() */
	GRegex		*empty_brackets;
	GRegex		*spaces;
};

typedef void	(*literal_fn)(const char *, size_t, void *);
typedef int	(*variable_fn)(const char *, int, void *, char **);

static void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	g_free(t->path);
	g_free(t->subject);
	g_strfreev(t->declared);
	g_hash_table_unref(t->defaults);
	g_hash_table_unref(t->default_lines);
	g_free(t->body);
	g_free(t);
}

void
template_set_free(struct template_set *set)
{
	if (set == NULL)
		return;
	g_free(set->dir);
	g_hash_table_unref(set->templates);
	g_regex_unref(set->line_prefix);
	g_regex_unref(set->empty_brackets);
	g_regex_unref(set->spaces);
	g_free(set);
}

void
rendered_free(struct rendered *r)
{
	if (r == NULL)
		return;
	g_free(r->subject);
	g_free(r->text);
	g_free(r->html);
	g_free(r);
}

/* ^[a-z_][a-z0-9_]*$, tested for every {{variable}} of every render. */
static gboolean
is_variable_name(const char *s)
{
	if (!g_ascii_islower(*s) && *s != '_')
		return (FALSE);
	for (s++; *s != '\0'; s++)
		if (!g_ascii_islower(*s) && !g_ascii_isdigit(*s) && *s != '_')
			return (FALSE);
	return (TRUE);
}

/* ^[a-z0-9][a-z0-9-]*$: so that a name cannot be a path. */
static gboolean
is_template_name(const char *s)
{
	if (!g_ascii_islower(*s) && !g_ascii_isdigit(*s))
		return (FALSE);
	for (s++; *s != '\0'; s++)
		if (!g_ascii_islower(*s) && !g_ascii_isdigit(*s) && *s != '-')
			return (FALSE);
	return (TRUE);
}

static gboolean
is_known_variable(const char *s)
{
	return (g_strv_contains((const char *const *)template_variables, s));
}

static char *
known_variable_list(void)
{
	return (g_strjoinv(" ", (char **)template_variables));
}

static int
line_of_offset(const char *text, const char *at, int first_line)
{
	int	line = first_line;

	for (; text < at; text++)
		if (*text == '\n')
			line++;
	return (line);
}

static void
add_problem(GPtrArray *errors, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void
add_problem(GPtrArray *errors, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	g_ptr_array_add(errors, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

/*
 * Parse the front matter and body of the template text read from path.
 * Every problem found is appended to errors; returns NULL when the template
 * cannot be used at all.
 */
static struct template *
template_parse(const char *path, const char *text, GPtrArray *errors)
{
	struct template	*t;
	char		**lines, *line, *colon, *key, *value;
	const char	*end;
	guint		 n, i, nlines;
	gboolean	 closed = FALSE;
	GString		*body;

	if (!g_utf8_validate(text, -1, &end)) {
		add_problem(errors, "%s:%d: the template is not valid UTF-8; "
		    "save it as UTF-8", path, line_of_offset(text, end, 1));
		return (NULL);
	}

	t = g_new0(struct template, 1);
	t->path = g_strdup(path);
	t->defaults = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	t->default_lines = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);

	lines = g_strsplit(text, "\n", -1);
	nlines = g_strv_length(lines);
	if (nlines > 0 && *lines[nlines - 1] == '\0')
		nlines--;	/* the file's final newline */
	for (i = 0; i < nlines; i++) {
		n = strlen(lines[i]);
		if (n > 0 && lines[i][n - 1] == '\r')
			lines[i][n - 1] = '\0';
	}

	if (nlines == 0 || strcmp(lines[0], "---") != 0) {
		add_problem(errors, "%s:1: a template starts with a front matter "
		    "block: a line '---', a line 'subject: ...', and a closing "
		    "line '---'", path);
		goto fail;
	}
	for (i = 1; i < nlines; i++) {
		line = lines[i];
		if (strcmp(line, "---") == 0) {
			closed = TRUE;
			break;
		}
		if (*line == '#' || *g_strstrip(line) == '\0')
			continue;
		if ((colon = strchr(line, ':')) == NULL) {
			add_problem(errors, "%s:%u: expected 'key: value' in the "
			    "front matter (subject, vars or default-VARIABLE)",
			    path, i + 1);
			continue;
		}
		key = g_strstrip(g_strndup(line, colon - line));
		value = g_strstrip(g_strdup(colon + 1));
		if (strcmp(key, "subject") == 0) {
			if (t->subject != NULL)
				add_problem(errors, "%s:%u: a second 'subject:' "
				    "line (the first is on line %d); keep one",
				    path, i + 1, t->subject_line);
			else if (*value == '\0')
				add_problem(errors, "%s:%u: the subject is empty; "
				    "write the subject after 'subject:'",
				    path, i + 1);
			else {
				t->subject = g_strdup(value);
				t->subject_line = i + 1;
			}
		} else if (strcmp(key, "vars") == 0) {
			g_strfreev(t->declared);
			t->declared = g_regex_split_simple("[\\s,]+", value, 0,
			    0);
			if (t->declared[0] != NULL && *t->declared[0] == '\0') {
				g_strfreev(t->declared);
				t->declared = g_new0(char *, 1);
			}
			t->vars_line = i + 1;
		} else if (g_str_has_prefix(key, "default-") &&
		    is_variable_name(key + strlen("default-"))) {
			g_hash_table_replace(t->defaults,
			    g_strdup(key + strlen("default-")),
			    g_strdup(value));
			g_hash_table_replace(t->default_lines,
			    g_strdup(key + strlen("default-")),
			    GINT_TO_POINTER(i + 1));
		} else
			add_problem(errors, "%s:%u: unknown front matter key "
			    "'%s'; expected subject, vars or default-VARIABLE",
			    path, i + 1, key);
		g_free(key);
		g_free(value);
	}
	if (!closed) {
		add_problem(errors, "%s:%u: the front matter is not closed; add "
		    "a line '---' after it", path, nlines);
		goto fail;
	}
	if (t->subject == NULL) {
		add_problem(errors, "%s:1: the front matter has no 'subject:' "
		    "line; add one", path);
		goto fail;
	}

	t->body_line = i + 2;
	body = g_string_new(NULL);
	for (i++; i < nlines; i++)
		g_string_append_printf(body, "%s\n", lines[i]);
	t->body = g_string_free(body, FALSE);
	g_strfreev(lines);
	return (t);

fail:
	g_strfreev(lines);
	template_free(t);
	return (NULL);
}

static struct template *
template_load(const char *path, GPtrArray *errors)
{
	struct template	*t;
	char		*text;
	GError		*error = NULL;

	if (!g_file_get_contents(path, &text, NULL, &error)) {
		add_problem(errors, "%s: cannot read the template: %s; every "
		    "template must exist in English (en/) and Welsh (cy/) "
		    "under the 'templates' directory", path, error->message);
		g_error_free(error);
		return (NULL);
	}
	t = template_parse(path, text, errors);
	g_free(text);
	return (t);
}

/*
 * Walk text (whose first line is line first_line of the template), handing
 * the text between variables to literal and each {{variable}} to variable.
 * Returns -1 and sets *cause on a malformed "{{" or when variable fails.
 */
static int
scan_variables(const struct template *t, const char *text, int first_line,
    literal_fn literal, variable_fn variable, void *arg, char **cause)
{
	const char	*p = text, *open, *close, *newline;
	char		*name;
	int		 line, rc;

	while ((open = strstr(p, "{{")) != NULL) {
		literal(p, open - p, arg);
		line = line_of_offset(text, open, first_line);
		close = strstr(open + 2, "}}");
		newline = strchr(open, '\n');
		if (close == NULL || (newline != NULL && newline < close)) {
			*cause = g_strdup_printf("%s:%d: '{{' is not closed by "
			    "'}}' on the same line; write variables as "
			    "{{name}}", t->path, line);
			return (-1);
		}
		name = g_strstrip(g_strndup(open + 2, close - open - 2));
		if (!is_variable_name(name)) {
			*cause = g_strdup_printf("%s:%d: '{{%s}}' is not a "
			    "variable; names are lower-case letters, digits "
			    "and '_'", t->path, line, name);
			g_free(name);
			return (-1);
		}
		rc = variable(name, line, arg, cause);
		g_free(name);
		if (rc != 0)
			return (-1);
		p = close + 2;
	}
	literal(p, strlen(p), arg);
	return (0);
}

/*
 * Make a value safe to place in any part: valid UTF-8, "\n" line ends, no
 * control characters but tab and newline, no surrounding white space.
 */
static char *
clean_value(const char *raw)
{
	char		*valid;
	const char	*p;
	gunichar	 c;
	GString		*out;

	valid = g_utf8_make_valid(raw, -1);
	out = g_string_sized_new(strlen(valid));
	for (p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char(p);
		if (c == '\r') {
			if (p[1] != '\n')
				g_string_append_c(out, '\n');
		} else if (c == '\n' || c == '\t' || !g_unichar_iscntrl(c))
			g_string_append_unichar(out, c);
	}
	g_free(valid);
	g_strstrip(out->str);
	out->len = strlen(out->str);
	return (g_string_free(out, FALSE));
}

/*
 * Escape a cleaned value so that cmark shows it as literal text wherever
 * the template puts it: every ASCII punctuation character is backslashed
 * (so "#", ">", "-", "1.", "<", "[", "*", "&" and the rest lose their
 * meaning), leading white space is dropped (no indented code block), and
 * each line break is a hard break (no blank line, so the value cannot
 * start a block of its own).
 */
static char *
markdown_escape(const char *value)
{
	char	**lines, *line;
	GString	*out;
	guint	 i;

	out = g_string_new(NULL);
	lines = g_strsplit(value, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		if (i > 0)
			g_string_append(out, "\\\n");
		for (line = g_strstrip(lines[i]); *line != '\0'; line++) {
			if (g_ascii_ispunct(*line))
				g_string_append_c(out, '\\');
			g_string_append_c(out, *line);
		}
	}
	g_strfreev(lines);
	return (g_string_free(out, FALSE));
}

static char *
format_value(const char *raw, enum flavour flavour)
{
	char	*value, *escaped;

	value = clean_value(raw);
	switch (flavour) {
	case FLAVOUR_SUBJECT:
		g_strdelimit(value, "\n\t", ' ');
		break;
	case FLAVOUR_MARKDOWN:
		escaped = markdown_escape(value);
		g_free(value);
		value = escaped;
		break;
	case FLAVOUR_TEXT:
		break;
	}
	return (value);
}

/* The value of a variable, the template's default, or NULL. */
static const char *
variable_value(const struct template *t, GHashTable *vars, const char *name)
{
	const char	*value = NULL, *fallback;
	char		*cleaned;
	gboolean	 blank = TRUE;

	if (vars != NULL)
		value = g_hash_table_lookup(vars, name);
	if (value != NULL) {
		cleaned = clean_value(value);
		blank = (*cleaned == '\0');
		g_free(cleaned);
	}
	if (blank &&
	    (fallback = g_hash_table_lookup(t->defaults, name)) != NULL)
		return (fallback);
	return (value);
}

struct expansion {
	const struct template	*t;
	GHashTable		*vars;
	enum flavour		 flavour;
	GString			*out;
};

static void
expansion_literal(const char *s, size_t len, void *arg)
{
	struct expansion	*e = arg;

	g_string_append_len(e->out, s, len);
}

static int
expansion_variable(const char *name, int line, void *arg, char **cause)
{
	struct expansion	*e = arg;
	const char		*value;
	char			*formatted;

	if ((value = variable_value(e->t, e->vars, name)) == NULL) {
		*cause = g_strdup_printf("%s:%d: no value for {{%s}}: the "
		    "template uses a variable this message does not supply; "
		    "correct the template (run 'redress check-config') or add "
		    "'default-%s:' to its front matter", e->t->path, line, name,
		    name);
		return (-1);
	}
	formatted = format_value(value, e->flavour);
	g_string_append(e->out, formatted);
	g_free(formatted);
	return (0);
}

/* Substitute the variables of text (starting at line first_line). */
static char *
expand(const struct template *t, const char *text, int first_line,
    GHashTable *vars, enum flavour flavour, char **cause)
{
	struct expansion	 e = { t, vars, flavour, NULL };

	e.out = g_string_new(NULL);
	if (scan_variables(t, text, first_line, expansion_literal,
	    expansion_variable, &e, cause) != 0) {
		g_string_free(e.out, TRUE);
		return (NULL);
	}
	return (g_string_free(e.out, FALSE));
}

/* Columns text takes on a terminal: wide characters count 2, marks 0. */
static int
display_width(const char *s)
{
	int		 width = 0;
	gunichar	 c;

	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		c = g_utf8_get_char(s);
		if (g_unichar_iszerowidth(c))
			continue;
		width += g_unichar_iswide(c) ? 2 : 1;
	}
	return (width);
}

static void
append_line(GString *out, const char *line)
{
	gsize	len = strlen(line);

	while (len > 0 && g_ascii_isspace(line[len - 1]))
		len--;
	g_string_append_len(out, line, len);
	g_string_append_c(out, '\n');
}

/*
 * Append text after first_prefix, wrapped at TEXT_WIDTH with next_prefix
 * before each continuation line. Lines break only at spaces, so a word or
 * URL longer than the width stays whole on a line of its own.
 */
static void
wrap_append(GString *out, const char *first_prefix, const char *next_prefix,
    const char *text)
{
	GString	 *line;
	char	**words;
	int	  column, width;
	gboolean  empty = TRUE;
	guint	  i;

	line = g_string_new(first_prefix);
	if (display_width(first_prefix) + display_width(text) <= TEXT_WIDTH) {
		g_string_append(line, text);
		append_line(out, line->str);
		g_string_free(line, TRUE);
		return;
	}
	column = display_width(first_prefix);
	words = g_strsplit(text, " ", -1);
	for (i = 0; words[i] != NULL; i++) {
		if (*words[i] == '\0')
			continue;
		width = display_width(words[i]);
		if (!empty && column + 1 + width > TEXT_WIDTH) {
			append_line(out, line->str);
			g_string_assign(line, next_prefix);
			column = display_width(next_prefix);
			empty = TRUE;
		}
		if (!empty) {
			g_string_append_c(line, ' ');
			column++;
		}
		g_string_append(line, words[i]);
		column += width;
		empty = FALSE;
	}
	append_line(out, line->str);
	g_strfreev(words);
	g_string_free(line, TRUE);
}

/*
 * A Markdown hard line break (an odd number of final backslashes) means
 * nothing in plain text, where the line ends anyway.
 */
static void
strip_hard_break(char *line)
{
	gsize	len = strlen(line), kept = len;

	while (kept > 0 && line[kept - 1] == '\\')
		kept--;
	if ((len - kept) % 2 == 1)
		line[len - 1] = '\0';
}

/*
 * The prefixes of a template line in the text part: first_prefix starts
 * the line and next_prefix each continuation, so that a list item continues
 * under its text and a quote keeps its "> ". An indented (preformatted)
 * line is verbatim: never wrapped.
 */
static void
line_prefixes(GRegex *prefix_re, const char *line, char **first_prefix,
    char **next_prefix, gboolean *verbatim)
{
	GMatchInfo	*match;
	char		*quote, *marker;

	*verbatim = (line[0] == '\t' || g_str_has_prefix(line, "    "));
	if (*verbatim) {
		*first_prefix = g_strndup(line, strspn(line, " \t"));
		*next_prefix = g_strdup(*first_prefix);
		return;
	}
	g_regex_match(prefix_re, line, 0, &match);
	quote = g_match_info_fetch(match, 1);
	marker = g_match_info_fetch(match, 2);
	g_match_info_free(match);
	*first_prefix = g_strconcat(quote, marker, NULL);
	memset(marker, ' ', strlen(marker));
	*next_prefix = g_strconcat(quote, marker, NULL);
	g_free(quote);
	g_free(marker);
}

/* The lines of text; unlike g_strsplit(), one empty line for "". */
static char **
split_lines(const char *text)
{
	char	**lines;

	if (*text != '\0')
		return (g_strsplit(text, "\n", -1));
	lines = g_new0(char *, 2);
	lines[0] = g_strdup("");
	return (lines);
}

/*
 * The text/plain body: each template line with the raw values substituted
 * and wrapped at TEXT_WIDTH; every line of a multi-line value is treated
 * like a continuation of the template line it is in.
 */
static char *
render_text(const struct template_set *set, const struct template *t,
    GHashTable *vars, char **cause)
{
	GString		*out;
	char		**lines, **pieces, *first_prefix, *next_prefix, *rest;
	char		*expanded, *verbatim_line;
	const char	*prefix;
	gboolean	 verbatim, failed = FALSE;
	guint		 i, j;

	out = g_string_new(NULL);
	lines = g_strsplit(t->body, "\n", -1);
	/* The body ends with "\n": its last piece is empty. */
	for (i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++) {
		line_prefixes(set->line_prefix, lines[i], &first_prefix,
		    &next_prefix, &verbatim);
		rest = g_strchomp(g_strdup(lines[i] + strlen(first_prefix)));
		strip_hard_break(rest);
		expanded = expand(t, rest, t->body_line + i, vars, FLAVOUR_TEXT,
		    cause);
		g_free(rest);
		if (expanded != NULL) {
			pieces = split_lines(expanded);
			for (j = 0; pieces[j] != NULL; j++) {
				prefix = (j == 0) ? first_prefix : next_prefix;
				if (verbatim) {
					verbatim_line = g_strconcat(prefix,
					    pieces[j], NULL);
					append_line(out, verbatim_line);
					g_free(verbatim_line);
				} else
					wrap_append(out, prefix, next_prefix,
					    pieces[j]);
			}
			g_strfreev(pieces);
		}
		g_free(first_prefix);
		g_free(next_prefix);
		if (expanded == NULL) {
			failed = TRUE;
			break;
		}
		g_free(expanded);
	}
	g_strfreev(lines);
	return (g_string_free(out, failed));
}

static char *
render_html(const struct template *t, const char *lang, const char *subject,
    GHashTable *vars, char **cause)
{
	char	*markdown, *fragment, *title, *html;

	markdown = expand(t, t->body, t->body_line, vars, FLAVOUR_MARKDOWN,
	    cause);
	if (markdown == NULL)
		return (NULL);
	/* Default options: safe mode, raw HTML dropped. */
	fragment = cmark_markdown_to_html(markdown, strlen(markdown),
	    CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	title = g_markup_escape_text(subject, -1);
	html = g_strdup_printf("<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>%s</title>\n</head>\n<body>\n"
	    "%s</body>\n</html>\n", lang, title, fragment);
	free(fragment);
	g_free(title);
	g_free(markdown);
	return (html);
}

/* The subject on one line, white space runs collapsed, no empty "[]". */
static char *
render_subject(const struct template_set *set, const struct template *t,
    GHashTable *vars, char **cause)
{
	char	*expanded, *subject;

	expanded = expand(t, t->subject, t->subject_line, vars,
	    FLAVOUR_SUBJECT, cause);
	if (expanded == NULL)
		return (NULL);
	/* "[{{ref}}]" with no case (a redirect) would leave "[]". */
	subject = g_regex_replace_literal(set->empty_brackets, expanded, -1, 0,
	    "", 0, NULL);
	g_free(expanded);
	expanded = g_regex_replace_literal(set->spaces, subject, -1, 0, " ", 0,
	    NULL);
	g_free(subject);
	return (g_strstrip(expanded));
}

int
template_render(const struct template_set *set, const char *lang,
    const char *name, GHashTable *vars, struct rendered **out, char **cause)
{
	const struct template	*t;
	struct rendered		*r;
	char			*key, *file, *path;

	*out = NULL;
	if (lang == NULL || !g_strv_contains(languages, lang)) {
		*cause = g_strdup_printf("template '%s': unknown language '%s'; "
		    "expected en or cy", name, lang ? lang : "(none)");
		return (-1);
	}
	if (name == NULL || !is_template_name(name)) {
		*cause = g_strdup_printf("'%s' is not a template name; names "
		    "are lower-case letters, digits and '-'",
		    name ? name : "(none)");
		return (-1);
	}

	key = g_strconcat(lang, "/", name, NULL);
	t = g_hash_table_lookup(set->templates, key);
	g_free(key);
	if (t == NULL) {
		/* Only a name the code asks for but the checks do not
		 * require gets here. */
		file = g_strconcat(name, ".md", NULL);
		path = g_build_filename(set->dir, lang, file, NULL);
		*cause = g_strdup_printf("%s: not among the templates loaded; "
		    "add it in English (en/) and Welsh (cy/) and reload "
		    "redressd (SIGHUP)", path);
		g_free(path);
		g_free(file);
		return (-1);
	}

	r = g_new0(struct rendered, 1);
	if ((r->subject = render_subject(set, t, vars, cause)) == NULL ||
	    (r->text = render_text(set, t, vars, cause)) == NULL ||
	    (r->html = render_html(t, lang, r->subject, vars, cause)) == NULL) {
		rendered_free(r);
		return (-1);
	}
	*out = r;
	return (0);
}

/* What template_set_load() learns from one template while checking it. */
struct usage {
	const struct template	*t;
	GHashTable		*used;	/* variable -> GINT_TO_POINTER(line) */
	GPtrArray		*errors;
};

static void
usage_literal(const char *s, size_t len, void *arg)
{
}

static int
usage_variable(const char *name, int line, void *arg, char **cause)
{
	struct usage	*u = arg;
	char		*known;

	if (!is_known_variable(name)) {
		known = known_variable_list();
		add_problem(u->errors, "%s:%d: unknown variable {{%s}}; the "
		    "variables are: %s", u->t->path, line, name, known);
		g_free(known);
	}
	if (!g_hash_table_contains(u->used, name))
		g_hash_table_insert(u->used, g_strdup(name),
		    GINT_TO_POINTER(line));
	return (0);
}

static void
scan_usage(struct usage *u, const char *text, int first_line)
{
	char	*cause = NULL;

	if (scan_variables(u->t, text, first_line, usage_literal,
	    usage_variable, u, &cause) != 0)
		g_ptr_array_add(u->errors, cause);
}

/* Raw HTML in a template would silently vanish from the HTML part. */
static void
check_raw_html(const struct template *t, GPtrArray *errors)
{
	cmark_node		*document, *node, *block;
	cmark_iter		*iter;
	cmark_event_type	 event;
	cmark_node_type		 type;
	int			 line;

	document = cmark_parse_document(t->body, strlen(t->body),
	    CMARK_OPT_DEFAULT);
	iter = cmark_iter_new(document);
	while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(iter);
		type = cmark_node_get_type(node);
		if (event != CMARK_EVENT_ENTER || (type != CMARK_NODE_HTML_BLOCK &&
		    type != CMARK_NODE_HTML_INLINE))
			continue;
		/* Inline nodes may carry no position: use their block's. */
		for (block = node; block != NULL &&
		    cmark_node_get_start_line(block) == 0;
		    block = cmark_node_parent(block))
			;
		line = t->body_line - 1 +
		    (block != NULL ? cmark_node_get_start_line(block) : 1);
		add_problem(errors, "%s:%d: raw HTML is dropped from the HTML "
		    "part (cmark safe mode); write it in Markdown", t->path,
		    line);
	}
	cmark_iter_free(iter);
	cmark_node_free(document);
}

/*
 * Load and check one template; returns the variables it uses (variable ->
 * line) for comparison with its twin and sets *out, or returns NULL when
 * it could not be read or parsed.
 */
static GHashTable *
check_template(const char *path, gboolean about_case, GPtrArray *errors,
    struct template **out)
{
	struct template	*t;
	struct usage	 u;
	GHashTableIter	 iter;
	gpointer	 name, line;
	guint		 i;

	*out = NULL;
	if ((t = template_load(path, errors)) == NULL)
		return (NULL);
	u.t = t;
	u.errors = errors;
	u.used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	scan_usage(&u, t->subject, t->subject_line);
	scan_usage(&u, t->body, t->body_line);

	if (t->vars_line == 0)
		add_problem(errors, "%s:1: the front matter has no 'vars:' line; "
		    "list the variables the template uses, e.g. 'vars: name "
		    "ref'", path);
	else {
		g_hash_table_iter_init(&iter, u.used);
		while (g_hash_table_iter_next(&iter, &name, &line))
			if (!g_strv_contains((const char *const *)t->declared,
			    name))
				add_problem(errors, "%s:%d: {{%s}} is used but "
				    "not listed in 'vars:' (line %d); add it",
				    path, GPOINTER_TO_INT(line), (char *)name,
				    t->vars_line);
		for (i = 0; t->declared[i] != NULL; i++)
			if (!g_hash_table_contains(u.used, t->declared[i]))
				add_problem(errors, "%s:%d: 'vars:' lists %s, "
				    "which the template does not use; remove it",
				    path, t->vars_line, t->declared[i]);
	}

	g_hash_table_iter_init(&iter, t->default_lines);
	while (g_hash_table_iter_next(&iter, &name, &line))
		if (!is_known_variable(name))
			add_problem(errors, "%s:%d: 'default-%s:' names an "
			    "unknown variable", path, GPOINTER_TO_INT(line),
			    (char *)name);
	if (g_hash_table_contains(u.used, "name") &&
	    !g_hash_table_contains(t->defaults, "name"))
		add_problem(errors, "%s:%d: {{name}} has no 'default-name:'; add "
		    "one so that a letter to someone whose name is unknown still "
		    "reads well", path, GPOINTER_TO_INT(g_hash_table_lookup(
		    u.used, "name")));

	if ((about_case || strstr(t->subject, "{{ref") != NULL) &&
	    !g_str_has_suffix(t->subject, " " SUBJECT_REF_SUFFIX))
		add_problem(errors, "%s:%d: the subject must end with \" %s\" so "
		    "that replies thread to the case", path, t->subject_line,
		    SUBJECT_REF_SUFFIX);

	check_raw_html(t, errors);
	*out = t;
	return (u.used);
}

static gboolean
is_required_template(const char *name, gboolean *about_case)
{
	gsize	i;

	for (i = 0; i < G_N_ELEMENTS(required_templates); i++)
		if (strcmp(required_templates[i].name, name) == 0) {
			*about_case = required_templates[i].about_case;
			return (TRUE);
		}
	*about_case = FALSE;
	return (FALSE);
}

/* Add the names of the *.md files in dir to names; FALSE if unreadable. */
static gboolean
list_templates(const char *dir, GHashTable *names, GPtrArray *errors)
{
	GDir		*d;
	GError		*error = NULL;
	const char	*entry;

	if ((d = g_dir_open(dir, 0, &error)) == NULL) {
		add_problem(errors, "%s: cannot read the template directory: "
		    "%s; set 'templates' to the directory holding en/ and cy/",
		    dir, error->message);
		g_error_free(error);
		return (FALSE);
	}
	while ((entry = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(entry, ".md"))
			g_hash_table_add(names, g_strndup(entry,
			    strlen(entry) - strlen(".md")));
	g_dir_close(d);
	return (TRUE);
}

/* The variables one twin uses and the other does not. */
static void
compare_twins(const char *path, GHashTable *used,
    const char *twin_path, GHashTable *twin_used, GPtrArray *errors)
{
	GHashTableIter	 iter;
	gpointer	 var, line;

	g_hash_table_iter_init(&iter, used);
	while (g_hash_table_iter_next(&iter, &var, &line))
		if (!g_hash_table_contains(twin_used, var))
			add_problem(errors, "%s:%d: {{%s}} is used here but not "
			    "in %s; the English and Welsh templates must use "
			    "the same variables", path, GPOINTER_TO_INT(line),
			    (char *)var, twin_path);
}

int
template_set_load(const char *templates_dir, struct template_set **out,
    GPtrArray *errors)
{
	struct template_set	*set;
	struct template		*t;
	GHashTable		*names, *present[2], *used[2];
	GList			*sorted, *l;
	char			*dir[2], *path[2], *file;
	const char		*name;
	gboolean		 readable[2], required, about_case;
	guint			 before = errors->len, i, lang;

	*out = NULL;
	set = g_new0(struct template_set, 1);
	set->dir = g_strdup(templates_dir);
	set->templates = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, (GDestroyNotify)template_free);
	set->line_prefix = g_regex_new("^((?: {0,3}> ?)*)"
	    "( {0,3}(?:[-*+]|[0-9]{1,9}[.)]) +| {0,3})", 0, 0, NULL);
	set->empty_brackets = g_regex_new("\\s*\\[\\s*\\]", 0, 0, NULL);
	set->spaces = g_regex_new("\\s+", 0, 0, NULL);

	names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (i = 0; i < G_N_ELEMENTS(required_templates); i++)
		g_hash_table_add(names, g_strdup(required_templates[i].name));
	for (lang = 0; lang < 2; lang++) {
		dir[lang] = g_build_filename(templates_dir, languages[lang],
		    NULL);
		present[lang] = g_hash_table_new_full(g_str_hash, g_str_equal,
		    g_free, NULL);
		readable[lang] = list_templates(dir[lang], present[lang],
		    errors);
	}
	for (lang = 0; lang < 2; lang++) {
		GHashTableIter	iter;
		gpointer	key;

		g_hash_table_iter_init(&iter, present[lang]);
		while (g_hash_table_iter_next(&iter, &key, NULL))
			g_hash_table_add(names, g_strdup(key));
	}

	sorted = g_list_sort(g_hash_table_get_keys(names),
	    (GCompareFunc)strcmp);
	for (l = sorted; l != NULL; l = l->next) {
		name = l->data;
		required = is_required_template(name, &about_case);
		file = g_strconcat(name, ".md", NULL);
		for (lang = 0; lang < 2; lang++) {
			path[lang] = g_build_filename(dir[lang], file, NULL);
			used[lang] = NULL;
			if (g_hash_table_contains(present[lang], name)) {
				used[lang] = check_template(path[lang],
				    about_case, errors, &t);
				if (t != NULL)
					g_hash_table_insert(set->templates,
					    g_strconcat(languages[lang], "/",
					    name, NULL), t);
			} else if (readable[lang])
				add_problem(errors, "%s: missing; every template "
				    "must exist in English (en/) and Welsh (cy/)"
				    "%s", path[lang], required ?
				    ", and redress sends this one" : "");
		}
		g_free(file);
		if (used[0] != NULL && used[1] != NULL) {
			compare_twins(path[0], used[0], path[1], used[1],
			    errors);
			compare_twins(path[1], used[1], path[0], used[0],
			    errors);
		}
		for (lang = 0; lang < 2; lang++) {
			if (used[lang] != NULL)
				g_hash_table_unref(used[lang]);
			g_free(path[lang]);
		}
	}
	g_list_free(sorted);
	for (lang = 0; lang < 2; lang++) {
		g_free(dir[lang]);
		g_hash_table_unref(present[lang]);
	}
	g_hash_table_unref(names);
	if (errors->len != before) {
		template_set_free(set);
		return (-1);
	}
	*out = set;
	return (0);
}
