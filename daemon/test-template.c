/*
 * test-template.c: loading and rendering the Markdown templates of
 * outgoing mail, and checking the shipped set (TAP).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "template.h"
#include "tests/scratch-templates.h"
#include "tests/tap.h"

#define REF	"LON-2026-00042"

/* A temporary templates directory: the shipped set and the tests' own. */
static char	*scratch;

static GHashTable *
vars_new(const char *first_key, ...)
{
	GHashTable	*vars;
	const char	*key, *value;
	va_list		 ap;

	vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	va_start(ap, first_key);
	for (key = first_key; key != NULL; key = va_arg(ap, const char *)) {
		value = va_arg(ap, const char *);
		g_hash_table_insert(vars, g_strdup(key), g_strdup(value));
	}
	va_end(ap);
	return (vars);
}

/*
 * Load the scratch directory as a set and render from it; NULL, with the
 * render's cause or else every problem of the load (one a line) in *cause.
 */
static struct rendered *
render(const char *lang, const char *name, GHashTable *vars, char **cause)
{
	struct template_set	*set;
	struct rendered		*r = NULL;
	GPtrArray		*errors;

	*cause = NULL;
	errors = g_ptr_array_new_with_free_func(g_free);
	if (template_set_load(scratch, &set, errors) != 0) {
		g_ptr_array_add(errors, NULL);
		*cause = g_strjoinv("\n", (char **)errors->pdata);
		g_ptr_array_unref(errors);
		return (NULL);
	}
	g_ptr_array_unref(errors);
	if (template_render(set, lang, name, vars, &r, cause) != 0)
		r = NULL;
	template_set_free(set);
	return (r);
}

static int
display_width(const char *s)
{
	int	width = 0;

	for (; *s != '\0'; s = g_utf8_next_char(s))
		width += g_unichar_iswide(g_utf8_get_char(s)) ? 2 : 1;
	return (width);
}

/*
 * The first line of text wider than 72 columns that could have been
 * wrapped (it has a space after its indentation), or NULL. Caller frees.
 */
static char *
overlong_line(const char *text)
{
	char		**lines, *found = NULL;
	const char	 *words;
	guint		  i;

	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL && found == NULL; i++) {
		words = lines[i] + strspn(lines[i], " >");
		if (display_width(lines[i]) > 72 && strchr(words, ' ') != NULL)
			found = g_strdup(lines[i]);
	}
	g_strfreev(lines);
	return (found);
}

static gboolean
has_line(const char *text, const char *line)
{
	char	**lines;
	gboolean  found;

	lines = g_strsplit(text, "\n", -1);
	found = g_strv_contains((const char *const *)lines, line);
	g_strfreev(lines);
	return (found);
}

static gboolean
has_problem(GPtrArray *errors, const char *needle)
{
	guint	i;

	for (i = 0; i < errors->len; i++)
		if (strstr(g_ptr_array_index(errors, i), needle) != NULL)
			return (TRUE);
	return (FALSE);
}

static void
test_render(void)
{
	struct rendered	*r;
	GHashTable	*vars;
	char		*cause;

	scratch_template_write(scratch, NULL, "greeting",
	    "---\n"
	    "subject: Hello {{name}} [{{ref}}]\n"
	    "vars: name ref area_name\n"
	    "default-name: Sir or Madam\n"
	    "---\n"
	    "Dear {{name}},\n"
	    "\n"
	    "Your reference is **{{ref}}**.\n"
	    "\n"
	    "{{area_name}} Complaints Team\\\n"
	    "Crown Prosecution Service\n");
	vars = vars_new("name", "Ann Jones", "ref", REF, "area_name", "London",
	    "unused", "ignored", NULL);
	r = render("en", "greeting", vars, &cause);
	ok(r != NULL, "a template renders with its variables (%s)",
	    cause ? cause : "no error");
	if (r != NULL) {
		is_str(r->subject, "Hello Ann Jones [" REF "]",
		    "the subject has the variables substituted");
		is_str(r->text, "Dear Ann Jones,\n\nYour reference is **" REF
		    "**.\n\nLondon Complaints Team\nCrown Prosecution "
		    "Service\n", "the text part is the Markdown with the values, "
		    "hard-break backslash removed");
		ok(strstr(r->html, "<p>Your reference is <strong>" REF
		    "</strong>.</p>") != NULL,
		    "the HTML part is the rendered Markdown");
		ok(strstr(r->html, "London Complaints Team<br />") != NULL,
		    "a hard line break in the template is a <br /> in HTML");
		ok(strstr(r->html, "<html lang=\"en\">") != NULL &&
		    strstr(r->html, "<title>Hello Ann Jones [" REF
		    "]</title>") != NULL,
		    "the HTML document carries the language and the subject");
	}
	rendered_free(r);
	g_hash_table_unref(vars);
	g_free(cause);

	vars = vars_new("ref", REF, "area_name", "London", NULL);
	r = render("en", "greeting", vars, &cause);
	ok(r != NULL && g_str_has_prefix(r->text, "Dear Sir or Madam,\n") &&
	    strcmp(r->subject, "Hello Sir or Madam [" REF "]") == 0,
	    "without a name the template's default-name is used");
	rendered_free(r);
	g_hash_table_unref(vars);
	g_free(cause);

	vars = vars_new("name", " \r\n ", "ref", REF, "area_name", "London",
	    NULL);
	r = render("en", "greeting", vars, &cause);
	ok(r != NULL && g_str_has_prefix(r->text, "Dear Sir or Madam,\n"),
	    "a blank name also gets the default");
	rendered_free(r);
	g_hash_table_unref(vars);
	g_free(cause);

	vars = vars_new("name", "Ann", "ref", "", "area_name", "London", NULL);
	r = render("en", "greeting", vars, &cause);
	ok(r != NULL && strcmp(r->subject, "Hello Ann") == 0,
	    "an empty reference leaves no empty [] in the subject");
	rendered_free(r);
	g_hash_table_unref(vars);
	g_free(cause);
}

static void
test_escaping(void)
{
	struct rendered	*r;
	GHashTable	*vars;
	char		*cause;
	const char	*hostile =
	    "<script>alert(1)</script>\n"
	    "[x](javascript:alert(1))\n"
	    "**bold**\n"
	    "![i](http://x/)\n"
	    "# heading\n"
	    "> quote\n"
	    "- item\n"
	    "1. first\n"
	    "\n"
	    "    indented code\n"
	    "<b>raw</b> &amp; `code` <http://autolink.example/> {{ref}}";

	scratch_template_write(scratch, NULL, "hostile",
	    "---\n"
	    "subject: Re: {{original_subject}} [{{ref}}]\n"
	    "vars: original_subject ref name body\n"
	    "default-name: Sir or Madam\n"
	    "---\n"
	    "Dear {{name}},\n"
	    "\n"
	    "{{body}}\n"
	    "\n"
	    "> {{body}}\n");
	vars = vars_new("original_subject", "Help\r\nBcc: x@example.org "
	    "<script>", "ref", REF, "name", "<img src=x onerror=alert(1)>",
	    "body", hostile, NULL);
	r = render("en", "hostile", vars, &cause);
	ok(r != NULL, "a template renders hostile values (%s)",
	    cause ? cause : "no error");
	if (r == NULL) {
		g_hash_table_unref(vars);
		g_free(cause);
		return;
	}
	ok(strstr(r->html, "<script") == NULL &&
	    strstr(r->html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
	    "<script> in a value is literal text in the HTML part");
	ok(strstr(r->html, "<a ") == NULL &&
	    strstr(r->html, "[x](javascript:alert(1))") != NULL,
	    "a Markdown link in a value is literal text, not a link");
	ok(strstr(r->html, "<strong>") == NULL &&
	    strstr(r->html, "**bold**") != NULL,
	    "**bold** in a value is literal text");
	ok(strstr(r->html, "<img") == NULL &&
	    strstr(r->html, "![i](http://x/)") != NULL,
	    "a Markdown image in a value is literal text, not an image");
	ok(strstr(r->html, "&lt;img src=x onerror=alert(1)&gt;") != NULL,
	    "raw HTML in a name is literal text");
	ok(strstr(r->html, "<h1") == NULL && strstr(r->html, "<li") == NULL &&
	    strstr(r->html, "<pre") == NULL && strstr(r->html, "<code") ==
	    NULL && strstr(r->html, "<b>") == NULL,
	    "leading #, -, 1., indentation and `code` in a value start no "
	    "block or element");
	ok(strstr(r->html, "<blockquote>") != NULL &&
	    strstr(strstr(r->html, "<blockquote>") + 1, "<blockquote>") ==
	    NULL, "a leading > in a value starts no quote: only the "
	    "template's own quote is there");
	ok(strstr(r->html, "# heading<br />") != NULL &&
	    strstr(r->html, "&amp;amp;") != NULL &&
	    strstr(r->html, "&lt;http://autolink.example/&gt;") != NULL,
	    "line breaks, entities and autolinks in a value stay literal");
	ok(strstr(r->html, "<title>Re: Help Bcc: x@example.org &lt;script&gt; "
	    "[" REF "]</title>") != NULL,
	    "the HTML title escapes the subject");

	ok(strstr(r->text, "<script>alert(1)</script>\n[x](javascript:alert(1))"
	    "\n**bold**\n") != NULL,
	    "the text part carries the values as they are");
	ok(strstr(r->text, "<http://autolink.example/> {{ref}}") != NULL &&
	    strstr(r->html, "&lt;http://autolink.example/&gt; {{ref}}") != NULL,
	    "a {{variable}} inside a value is not expanded");
	ok(has_line(r->text, "> <script>alert(1)</script>") &&
	    has_line(r->text, "> **bold**") && has_line(r->text, ">"),
	    "every line of a value in a quote keeps the \"> \" prefix");
	is_str(r->subject, "Re: Help Bcc: x@example.org <script> [" REF "]",
	    "CR/LF in a value cannot add a line (or a header) to the subject");
	rendered_free(r);
	g_hash_table_unref(vars);
	g_free(cause);
}

static void
test_wrapping(void)
{
	struct rendered	*r;
	GHashTable	*vars;
	GString		*long_text;
	char		*cause, *bad, **lines;
	const char	*url = "https://www.example.gov.uk/a/very/long/path/that/"
	    "goes/on/and/on/beyond/seventy-two/columns/index.html";
	guint		 i;
	gboolean	 url_whole, list_ok, quote_ok;

	scratch_template_write(scratch, NULL, "wrap",
	    "---\n"
	    "subject: Wrap [{{ref}}]\n"
	    "vars: ref body detail\n"
	    "---\n"
	    "Some words: {{body}}\n"
	    "\n"
	    "- {{detail}}\n"
	    "\n"
	    "> {{detail}}\n"
	    "\n"
	    "    An indented line is preformatted and is never wrapped, "
	    "whatever its length may be.\n");
	long_text = g_string_new(NULL);
	for (i = 0; i < 30; i++)
		g_string_append(long_text, "ŵyn gwyn ");
	g_string_append_printf(long_text, "%s end", url);
	vars = vars_new("ref", REF, "body", long_text->str, "detail",
	    "one two three four five six seven eight nine ten eleven twelve "
	    "thirteen fourteen fifteen sixteen", NULL);
	r = render("en", "wrap", vars, &cause);
	ok(r != NULL, "a template with long values renders (%s)",
	    cause ? cause : "no error");
	if (r == NULL) {
		g_string_free(long_text, TRUE);
		g_hash_table_unref(vars);
		g_free(cause);
		return;
	}
	bad = overlong_line(r->text);
	ok(bad == NULL || g_str_has_prefix(bad, "    An indented"),
	    "no wrappable line of the text part is wider than 72 columns "
	    "(%s)", bad ? bad : "none");
	g_free(bad);
	ok(has_line(r->text, "    An indented line is preformatted and is "
	    "never wrapped, whatever its length may be."),
	    "an indented line is not wrapped");

	url_whole = has_line(r->text, url);
	list_ok = quote_ok = FALSE;
	lines = g_strsplit(r->text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		if (i > 0 && g_str_has_prefix(lines[i - 1], "- one") &&
		    g_str_has_prefix(lines[i], "  ") && lines[i][2] != ' ')
			list_ok = TRUE;
		if (i > 0 && g_str_has_prefix(lines[i - 1], "> one") &&
		    g_str_has_prefix(lines[i], "> ") && lines[i][2] != ' ')
			quote_ok = TRUE;
	}
	g_strfreev(lines);
	ok(url_whole, "a URL longer than the line is kept whole on its own "
	    "line");
	ok(list_ok, "a wrapped list item continues under its text");
	ok(quote_ok, "a wrapped quote keeps \"> \" on its continuation");
	rendered_free(r);
	g_string_free(long_text, TRUE);
	g_hash_table_unref(vars);
	g_free(cause);
}

static void
test_errors(void)
{
	struct rendered	*r;
	GHashTable	*vars;
	char		*cause, *want;

	scratch_template_write(scratch, NULL, "missing",
	    "---\n"
	    "subject: Missing [{{ref}}]\n"
	    "vars: ref due_date\n"
	    "---\n"
	    "First line.\n"
	    "\n"
	    "Your reply is due by {{due_date}}.\n");
	vars = vars_new("ref", REF, NULL);
	r = render("en", "missing", vars, &cause);
	want = g_strdup_printf("%s/en/missing.md:7: ", scratch);
	ok(r == NULL && cause != NULL && g_str_has_prefix(cause, want) &&
	    strstr(cause, "{{due_date}}") != NULL,
	    "a variable without a value is an error naming FILE:LINE and the "
	    "variable (%s)", cause ? cause : "no error");
	g_free(want);
	g_free(cause);
	rendered_free(r);

	/* Each broken template below is removed again: while it is there,
	 * no set loads. */
	scratch_template_write(scratch, "en", "only-en",
	    "---\nsubject: Only English [{{ref}}]\nvars: ref\n---\nHello.\n");
	r = render("en", "only-en", vars, &cause);
	want = g_strdup_printf("%s/cy/only-en.md: missing", scratch);
	ok(r == NULL && cause != NULL && strstr(cause, want) != NULL,
	    "a template without its Welsh twin stops the set loading, naming "
	    "the missing path (%s)", cause ? cause : "no error");
	g_free(want);
	g_free(cause);
	scratch_template_remove(scratch, "en", "only-en");

	r = render("cy", "only-en", vars, &cause);
	want = g_strdup_printf("%s/cy/only-en.md: not among the templates "
	    "loaded", scratch);
	ok(r == NULL && cause != NULL && g_str_has_prefix(cause, want),
	    "a template the set does not hold is an error naming its path "
	    "(%s)", cause ? cause : "no error");
	g_free(want);
	g_free(cause);

	r = render("fr", "acknowledgement", vars, &cause);
	ok(r == NULL && cause != NULL && strstr(cause, "'fr'") != NULL,
	    "an unknown language is an error naming it");
	g_free(cause);

	r = render("en", "../en/acknowledgement", vars, &cause);
	ok(r == NULL && cause != NULL,
	    "a template name cannot be a path");
	g_free(cause);

	scratch_template_write(scratch, NULL, "no-front-matter",
	    "Dear {{name}},\n");
	r = render("en", "no-front-matter", vars, &cause);
	want = g_strdup_printf("%s/en/no-front-matter.md:1: ", scratch);
	ok(r == NULL && cause != NULL && strstr(cause, want) != NULL,
	    "a template without front matter stops the set loading, at its "
	    "line 1");
	g_free(want);
	g_free(cause);
	scratch_template_remove(scratch, NULL, "no-front-matter");

	scratch_template_write(scratch, NULL, "unclosed",
	    "---\nsubject: x [{{ref}}]\nvars: ref\n---\nA {{ref\n}} B\n");
	r = render("en", "unclosed", vars, &cause);
	want = g_strdup_printf("%s/en/unclosed.md:5: ", scratch);
	ok(r == NULL && cause != NULL && strstr(cause, want) != NULL,
	    "an unclosed {{ stops the set loading, naming FILE:LINE");
	g_free(want);
	g_free(cause);
	scratch_template_remove(scratch, NULL, "unclosed");
	g_hash_table_unref(vars);
}

/* Render name from set in English; the subject and text, or the cause,
 * one a line. Caller frees. */
static char *
rendered_from(const struct template_set *set, const char *name)
{
	struct rendered	*r = NULL;
	GHashTable	*vars;
	char		*cause = NULL, *got;

	vars = vars_new("ref", REF, NULL);
	if (template_render(set, "en", name, vars, &r, &cause) == 0)
		got = g_strconcat(r->subject, "\n", r->text, NULL);
	else
		got = cause;
	rendered_free(r);
	g_hash_table_unref(vars);
	return (got);
}

/*
 * The README's promise: an edited template takes effect on SIGHUP, which
 * loads a new set, and not before; a broken edit is refused by that load,
 * leaving the set in use as it was.
 */
static void
test_loaded_once(void)
{
	struct template_set	*first = NULL, *again = NULL, *broken = NULL;
	GPtrArray		*errors;
	char			*got, *want;

	scratch_template_write(scratch, NULL, "edited",
	    "---\nsubject: First [{{ref}}]\nvars: ref\n---\nThe first text.\n");
	scratch_template_write(scratch, NULL, "kept",
	    "---\nsubject: Kept [{{ref}}]\nvars: ref\n---\nStill here.\n");
	errors = g_ptr_array_new_with_free_func(g_free);
	ok(template_set_load(scratch, &first, errors) == 0 && first != NULL,
	    "the scratch templates load as a set (%u problems)", errors->len);
	if (first == NULL) {
		g_ptr_array_unref(errors);
		return;
	}

	scratch_template_write(scratch, NULL, "edited",
	    "---\nsubject: Second [{{ref}}]\nvars: ref\n---\n"
	    "The second text.\n");
	got = rendered_from(first, "edited");
	is_str(got, "First [" REF "]\nThe first text.\n", "after loading a "
	    "set, editing a template on disk does not change what renders");
	g_free(got);

	ok(template_set_load(scratch, &again, errors) == 0 && again != NULL,
	    "the edited templates load again");
	got = again != NULL ? rendered_from(again, "edited") : NULL;
	is_str(got, "Second [" REF "]\nThe second text.\n", "a set loaded "
	    "again renders the edited template");
	g_free(got);

	scratch_template_write(scratch, "en", "edited", "no front matter\n");
	scratch_template_remove(scratch, NULL, "kept");
	broken = first;		/* the failed load must set it to NULL */
	want = g_strdup_printf("%s/en/edited.md:1: ", scratch);
	ok(template_set_load(scratch, &broken, errors) == -1 &&
	    broken == NULL && has_problem(errors, want),
	    "a template broken on disk stops a new set loading, naming "
	    "FILE:LINE, and the load returns no set");
	g_free(want);
	got = rendered_from(first, "edited");
	is_str(got, "First [" REF "]\nThe first text.\n", "and the set "
	    "already loaded still renders what it loaded");
	g_free(got);
	got = rendered_from(first, "kept");
	is_str(got, "Kept [" REF "]\nStill here.\n", "even a template since "
	    "removed from disk");
	g_free(got);

	g_ptr_array_unref(errors);
	template_set_free(first);
	template_set_free(again);
	scratch_template_remove(scratch, NULL, "edited");
}

static void
test_check_bad_dir(void)
{
	struct template_set	*set;
	GPtrArray		*errors;
	char			*dir, *want;
	int			 n;

	dir = g_build_filename(scratch, "bad", NULL);
	scratch_template_write(dir, "en", "acknowledgement",
	    "---\n"
	    "subject: Received [{{ref}}]\n"
	    "vars: name ref received_date\n"
	    "---\n"
	    "Dear {{name}},\n"
	    "On {{recieved_date}} we got it.\n"
	    "<div>raw</div>\n");
	scratch_template_write(dir, "en", "extra",
	    "---\nsubject: Extra {{ref}} here\nvars: ref\n---\nHi.\n");
	scratch_template_write(dir, "cy", "extra",
	    "---\nsubject: Ychwanegol [{{ref}}]\nvars: ref area_name\n---\n"
	    "Helo {{area_name}}.\n");
	errors = g_ptr_array_new_with_free_func(g_free);
	n = template_set_load(dir, &set, errors);
	ok(n == -1 && set == NULL && errors->len > 0,
	    "template_set_load refuses a directory with problems and returns "
	    "no set (%u problems)", errors->len);

	want = g_strdup_printf("%s/en/acknowledgement.md:6: unknown variable "
	    "{{recieved_date}}", dir);
	ok(has_problem(errors, want), "an unknown variable is reported at "
	    "FILE:LINE");
	g_free(want);
	want = g_strdup_printf("%s/en/acknowledgement.md:3: 'vars:' lists "
	    "received_date", dir);
	ok(has_problem(errors, want), "a variable listed but not used is "
	    "reported");
	g_free(want);
	want = g_strdup_printf("%s/en/acknowledgement.md:5: {{name}} has no "
	    "'default-name:'", dir);
	ok(has_problem(errors, want), "{{name}} without a default is "
	    "reported");
	g_free(want);
	want = g_strdup_printf("%s/en/acknowledgement.md:7: raw HTML", dir);
	ok(has_problem(errors, want), "raw HTML in a template is reported");
	g_free(want);
	want = g_strdup_printf("%s/cy/acknowledgement.md: missing", dir);
	ok(has_problem(errors, want), "a template without its Welsh twin is "
	    "reported");
	g_free(want);
	want = g_strdup_printf("%s/en/vrr-reply.md: missing", dir);
	ok(has_problem(errors, want), "a template redress sends that is "
	    "absent is reported");
	g_free(want);
	want = g_strdup_printf("%s/en/extra.md:2: the subject must end with",
	    dir);
	ok(has_problem(errors, want), "a reference not at the end of the "
	    "subject is reported");
	g_free(want);
	want = g_strdup_printf("%s/cy/extra.md:5: {{area_name}} is used here "
	    "but not in", dir);
	ok(has_problem(errors, want), "twins using different variables are "
	    "reported");
	g_free(want);
	g_ptr_array_unref(errors);

	errors = g_ptr_array_new_with_free_func(g_free);
	want = g_build_filename(scratch, "nowhere", NULL);
	n = template_set_load(want, &set, errors);
	ok(n == -1 && errors->len == 2 &&
	    has_problem(errors, "cannot read the template directory"),
	    "an unreadable templates directory is reported once per language");
	g_free(want);
	g_ptr_array_unref(errors);
	g_free(dir);
}

/* Notices about no case: their subject carries no reference. */
static const char *const no_case[] = { "quarantine-notice",
    "mailbox-outage-notice", "mailbox-recovery-notice",
    "relay-outage-notice", "relay-recovered-notice", NULL };

static GHashTable *
list_md(const char *dir)
{
	GHashTable	*names;
	GDir		*d;
	const char	*entry;

	names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if ((d = g_dir_open(dir, 0, NULL)) == NULL)
		return (names);
	while ((entry = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(entry, ".md"))
			g_hash_table_add(names, g_strdup(entry));
	g_dir_close(d);
	return (names);
}

static void
test_shipped_templates(const char *top_srcdir)
{
	struct template_set	*set;
	struct rendered		*r;
	GHashTableIter		 iter;
	GHashTable		*en, *cy, *vars;
	GPtrArray		*errors;
	gpointer		 key;
	char			*dir, *endir, *cydir, *name, *cause, *mk;
	char			*entry, *bad;
	const char		*lang;
	guint			 i, missing, failed, unwrapped, unlisted;

	dir = g_build_filename(top_srcdir, "templates", NULL);
	errors = g_ptr_array_new_with_free_func(g_free);
	ok(template_set_load(dir, &set, errors) == 0, "template_set_load "
	    "finds no problem in templates/ (%u found)", errors->len);
	for (i = 0; i < errors->len; i++)
		printf("#   %s\n", (char *)g_ptr_array_index(errors, i));
	g_ptr_array_unref(errors);
	if (set == NULL) {
		g_free(dir);
		return;
	}

	endir = g_build_filename(dir, "en", NULL);
	cydir = g_build_filename(dir, "cy", NULL);
	en = list_md(endir);
	cy = list_md(cydir);
	missing = 0;
	g_hash_table_iter_init(&iter, en);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		if (!g_hash_table_contains(cy, key)) {
			printf("#   no cy/%s\n", (char *)key);
			missing++;
		}
	ok(g_hash_table_size(en) >= 33 && missing == 0 &&
	    g_hash_table_size(en) == g_hash_table_size(cy),
	    "every English template has a Welsh twin (%u en, %u cy)",
	    g_hash_table_size(en), g_hash_table_size(cy));

	/* Every template renders with what callers supply. */
	vars = vars_new("name", "Ann Jones", "ref", REF, "area_name",
	    "London", "received_date", "Friday 18 December 2026",
	    "due_date", "Wednesday 20 January 2027", "original_subject",
	    "My complaint", "kind", "complaint", "category", "service",
	    "verdict_summary", "kind complaint", "rules",
	    "- complaint-words: \"complain\"", "body",
	    "I was not kept informed.\nNobody called me back.",
	    "contact_restriction", "email only", "reason", "a reason",
	    "detail", "UID 7 in mailbox INBOX", "findings",
	    "jargon: pass\nreadability: pass", "escalation_date",
	    "Saturday 20 February 2027", "deadlines",
	    "stage 1 reply: Wednesday 20 January 2027 (20 working days)",
	    "stage", "1", "handler", "jane.smith@cps.example.gov.uk",
	    "iac_due_date", "Friday 19 March 2027", "relay",
	    "smtp.cps.example.gov.uk:25", "since", "2026-12-18 09:00 UTC",
	    "until", "2026-12-18 09:15 UTC", "attempts", "4", "likely",
	    "complaint (48%) or redirect_police (22%)", NULL);
	failed = unwrapped = 0;
	for (i = 0; i < 2; i++) {
		lang = i == 0 ? "en" : "cy";
		g_hash_table_iter_init(&iter, en);
		while (g_hash_table_iter_next(&iter, &key, NULL)) {
			name = g_strndup(key, strlen(key) - 3);
			r = NULL;
			cause = NULL;
			if (template_render(set, lang, name, vars, &r,
			    &cause) != 0 || strstr(r->text, "{{") != NULL ||
			    strstr(r->html, "{{") != NULL ||
			    (!g_strv_contains(no_case, name) &&
			    !g_str_has_suffix(r->subject, "[" REF "]"))) {
				printf("#   %s/%s: %s\n", lang, name,
				    cause ? cause : "bad output");
				failed++;
			} else if ((bad = overlong_line(r->text)) != NULL) {
				printf("#   %s/%s: %s\n", lang, name, bad);
				unwrapped++;
				g_free(bad);
			}
			rendered_free(r);
			g_free(cause);
			g_free(name);
		}
	}
	ok(failed == 0, "every shipped template renders in English and "
	    "Welsh, the subject ending in [reference]");
	ok(unwrapped == 0, "every shipped template's text part is wrapped at "
	    "72 columns");
	g_hash_table_unref(vars);

	/* A template missing from templates/local.mk would not be installed. */
	name = g_build_filename(dir, "local.mk", NULL);
	unlisted = 0;
	if (!g_file_get_contents(name, &mk, NULL, NULL))
		mk = g_strdup("");
	for (i = 0; i < 2; i++) {
		g_hash_table_iter_init(&iter, i == 0 ? en : cy);
		while (g_hash_table_iter_next(&iter, &key, NULL)) {
			entry = g_strdup_printf("templates/%s/%s",
			    i == 0 ? "en" : "cy", (char *)key);
			if (strstr(mk, entry) == NULL) {
				printf("#   not in templates/local.mk: %s\n",
				    entry);
				unlisted++;
			}
			g_free(entry);
		}
	}
	ok(*mk != '\0' && unlisted == 0,
	    "templates/local.mk installs and ships every template");
	g_free(mk);
	g_free(name);

	g_hash_table_unref(en);
	g_hash_table_unref(cy);
	g_free(endir);
	g_free(cydir);
	g_free(dir);
	template_set_free(set);
}

/* The text part on one line, white space runs collapsed, so that a
 * phrase is found however it was wrapped. Caller frees. */
static char *
unwrapped(const struct rendered *r)
{
	GRegex	*space;
	char	*flat;

	space = g_regex_new("\\s+", 0, 0, NULL);
	flat = g_regex_replace_literal(space, r->text, -1, 0, " ", 0, NULL);
	g_regex_unref(space);
	return (flat);
}

/*
 * Render a shipped template; each phrase must be in its text part, in
 * order. Reports one result named by what.
 */
static void
shipped_says(const struct template_set *set, const char *lang,
    const char *name, GHashTable *vars, const char *what,
    const char *first_phrase, ...)
{
	struct rendered	*r = NULL;
	const char	*phrase, *at, *missing = NULL;
	char		*cause = NULL, *flat = NULL;
	va_list		 ap;

	if (template_render(set, lang, name, vars, &r, &cause) == 0) {
		flat = unwrapped(r);
		at = flat;
		va_start(ap, first_phrase);
		for (phrase = first_phrase; phrase != NULL && missing == NULL;
		    phrase = va_arg(ap, const char *)) {
			if ((at = strstr(at, phrase)) == NULL)
				missing = phrase;
			else
				at += strlen(phrase);
		}
		va_end(ap);
	} else
		missing = cause;
	ok(missing == NULL, "%s/%s: %s", lang, name, what);
	if (missing != NULL)
		printf("#   missing: %s\n#   in: %s\n", missing,
		    flat ? flat : "(not rendered)");
	g_free(flat);
	g_free(cause);
	rendered_free(r);
}

static void
set_var(GHashTable *vars, const char *key, const char *value)
{
	g_hash_table_replace(vars, g_strdup(key), g_strdup(value));
}

static void
test_lifecycle_templates(const char *top_srcdir)
{
	struct template_set	*set;
	GHashTable		*vars;
	GPtrArray		*errors;
	char			*dir;

	dir = g_build_filename(top_srcdir, "templates", NULL);
	errors = g_ptr_array_new_with_free_func(g_free);
	if (template_set_load(dir, &set, errors) != 0) {
		ok(0, "the shipped templates load (%s)",
		    (char *)g_ptr_array_index(errors, 0));
		g_ptr_array_unref(errors);
		g_free(dir);
		return;
	}
	g_ptr_array_unref(errors);
	vars = vars_new("name", "Ann Jones", "ref", REF, "area_name", "London",
	    "body", "Dear Ms Jones,\n\nWe are sorry.\n\nYours sincerely\n"
	    "Jane Smith", "escalation_date", "Saturday 20 February 2027",
	    "due_date", "Wednesday 3 February 2027", "iac_due_date",
	    "Friday 19 March 2027", "stage", "2", "handler",
	    "jane.smith@cps.example.gov.uk", "findings",
	    "jargon: pass\nescalation: pass", "detail", "due tomorrow",
	    "deadlines", "stage 2 reply: Wednesday 3 February 2027",
	    "category", "mixed", "kind", "complaint", "received_date",
	    "Friday 18 December 2026", "original_subject", "Not kept informed",
	    "verdict_summary", "kind complaint", "rules", "- complaint-words",
	    "contact_restriction", "email only", NULL);

	shipped_says(set, "en", "response-stage1", vars, "the approved reply "
	    "comes first, then the stage 2 route with its exact date",
	    "Dear Ms Jones,", "Jane Smith", "stage 2",
	    "reply to this email by Saturday 20 February 2027", NULL);
	shipped_says(set, "cy", "response-stage1", vars, "the Welsh letter "
	    "also gives the exact date", "Jane Smith", "gam 2",
	    "erbyn Saturday 20 February 2027", NULL);
	shipped_says(set, "en", "response-stage2-iac", vars, "a final reply "
	    "with the route to the Assessor, its date, and its limits",
	    "Jane Smith", "final reply",
	    "Independent Assessor of Complaints",
	    "cannot look at legal decisions",
	    "by Saturday 20 February 2027",
	    "why our replies at stage 1 and stage 2 did not resolve", NULL);
	shipped_says(set, "en", "response-stage2-final", vars, "a final reply "
	    "to a legal complaint: no Assessor, legal advice instead",
	    "Jane Smith", "final reply", "cannot consider legal decisions",
	    "independent legal advice", NULL);
	shipped_says(set, "en", "draft-notice", vars, "who drafted which "
	    "stage, the findings, the draft, and how to approve or return",
	    "A stage 2 reply has been drafted by "
	    "jane.smith@cps.example.gov.uk for case " REF,
	    "jargon: pass", "> Dear Ms Jones,", "#approve", "#return", NULL);
	set_var(vars, "body", "we are waiting for the police file");
	shipped_says(set, "en", "holding-letter", vars, "the delay, its "
	    "reason, an apology and the new date", "Dear Ann Jones,",
	    "more time for this reason: we are waiting for the police file",
	    "by Wednesday 3 February 2027", "apologise", NULL);
	shipped_says(set, "cy", "holding-letter", vars, "the Welsh holding "
	    "letter gives the reason and the new date", "Annwyl Ann Jones,",
	    "we are waiting for the police file",
	    "erbyn Wednesday 3 February 2027", NULL);
	shipped_says(set, "en", "stage2-acknowledgement", vars, "stage 2 "
	    "acknowledged with its reply date", "stage 2",
	    "more senior member of staff", "by Wednesday 3 February 2027",
	    NULL);
	shipped_says(set, "en", "iac-referral", vars, "the referral and the "
	    "Assessor's date", "Independent Assessor of Complaints",
	    "by Friday 19 March 2027", NULL);
	set_var(vars, "body", "stage 2 of our complaints procedure is not "
	    "finished yet");
	shipped_says(set, "en", "iac-refused", vars, "the refusal, its "
	    "reason and what to do instead", "cannot pass it on",
	    "This is because stage 2 of our complaints procedure is not "
	    "finished yet.", "What you can do", "independent legal advice",
	    NULL);
	shipped_says(set, "en", "authority-closed", vars, "closed for want "
	    "of permission; write again with it", "written permission",
	    "closed the complaint", "write to us again at any time", NULL);
	shipped_says(set, "en", "reminder-notice", vars, "how due it is, the "
	    "derivation, and the holding letter command", "is due tomorrow",
	    "stage 2 reply: Wednesday 3 February 2027",
	    "#holding DAYS REASON", NULL);
	set_var(vars, "body", "please explain what disclosure means");
	shipped_says(set, "en", "draft-returned-notice", vars, "the reason and "
	    "how to send the draft again", "by jane.smith@cps.example.gov.uk",
	    "> please explain what disclosure means", "#respond", NULL);
	set_var(vars, "body", "I am still not happy.");
	set_var(vars, "detail", "the request arrived after Saturday 20 "
	    "February 2027, the date in our stage 1 reply");
	shipped_says(set, "en", "escalation-decision-notice", vars, "why staff "
	    "must decide, the message, and the commands",
	    "needs to decide: the request arrived after Saturday 20 February "
	    "2027", "> I am still not happy.", "#escalate", "#note", "#close",
	    NULL);
	set_var(vars, "body", "2026-12-18 received\n2027-01-20 stage 1 reply "
	    "sent");
	shipped_says(set, "en", "iac-bundle", vars, "the category and the "
	    "case history for the Assessor", "Category: mixed",
	    "2026-12-18 received 2027-01-20 stage 1 reply sent", "attached",
	    NULL);
	set_var(vars, "body", "line 1: #assign jane@x: done");
	set_var(vars, "detail", "#close: closes the case. Example: #close");
	shipped_says(set, "en", "command-reply-notice", vars, "the result and "
	    "the command list", "line 1: #assign jane@x: done",
	    "#close: closes the case.", NULL);
	set_var(vars, "detail", "the sender is not on the staff list");
	shipped_says(set, "en", "unauthenticated-notice", vars, "why the "
	    "commands were refused, and that nothing changed",
	    "Nothing on the case has been changed",
	    "the sender is not on the staff list", NULL);
	shipped_says(set, "en", "authority-timeout-notice", vars, "why the "
	    "case closed and how to reopen it", "did not arrive in time",
	    "#reopen", "#authority received", NULL);
	shipped_says(set, "en", "new-case-notice", vars, "the deadlines and "
	    "how staff act", "stage 2 reply: Wednesday 3 February 2027",
	    "#assign", "#holding DAYS REASON", "#close", NULL);
	g_hash_table_remove(vars, "deadlines");
	shipped_says(set, "en", "message-added-notice", vars, "no deadline "
	    "running says so", "worked out: none running", "#respond", NULL);
	shipped_says(set, "cy", "message-added-notice", vars, "no deadline "
	    "running says so in Welsh", "cyfrifo: dim un yn rhedeg", NULL);

	g_hash_table_unref(vars);
	template_set_free(set);
	g_free(dir);
}

int
main(void)
{
	const char	*top_srcdir = getenv("top_srcdir");

	if (top_srcdir == NULL)
		top_srcdir = ".";
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
	scratch = scratch_templates_new(top_srcdir, "test-template-XXXXXX");

	test_render();
	test_escaping();
	test_wrapping();
	test_errors();
	test_loaded_once();
	test_check_bad_dir();
	test_shipped_templates(top_srcdir);
	test_lifecycle_templates(top_srcdir);

	scratch_remove_tree(scratch);
	g_free(scratch);
	return (tap_done());
}
