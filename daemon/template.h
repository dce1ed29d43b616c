/*
 * template.h: outgoing mail text from Markdown templates.
 *
 * The templates are loaded and checked once, as a set (redressd: at start
 * and on SIGHUP, through resources_load()), and rendered from memory: an
 * edited template takes effect only when a set is loaded again, and a
 * broken one is refused by the load instead of failing, mid-transaction,
 * every message that needs it.
 *
 * A template is templates_dir/LANG/NAME.md (LANG "en" or "cy"; every
 * template exists in both), Markdown with a front matter block:
 *
 *	---
 *	subject: We have received your complaint [{{ref}}]
 *	vars: name ref received_date due_date
 *	default-name: Sir or Madam
 *	---
 *	Dear {{name}},
 *	...
 *
 * Front matter keys: "subject" (required, one line), "vars" (the variables
 * the template uses, checked by template_set_load()), and "default-VAR"
 * (the text used when the caller supplies VAR empty or not at all, so a
 * letter never reads "Dear ,"). Lines starting with "#" are comments.
 *
 * Each paragraph, list item or quoted line of the body is best written as
 * one source line: the text/plain part is the Markdown source wrapped line
 * by line at 72 columns, so a paragraph broken by hand would come out
 * ragged once a long value is substituted. A line ending in "\" (a Markdown
 * hard line break, e.g. between the lines of a sign-off) loses the "\" in
 * the text part.
 *
 * Untrusted values (DESIGN invariant 6): the HTML part is rendered from the
 * template with every value Markdown-escaped (each ASCII punctuation
 * character backslashed, each line break a hard break), and cmark runs in
 * its default safe mode, so a value always shows as literal text. The text
 * part carries the values as they are; the subject carries them on one line
 * (and an empty "[]" left by an empty {{ref}} is dropped).
 */
#ifndef REDRESS_TEMPLATE_H
#define REDRESS_TEMPLATE_H

#include <glib.h>

/* Every template of a templates directory, both languages, parsed. */
struct template_set;

/* Every string is owned by the struct; free with rendered_free(). */
struct rendered {
	char	*subject;	/* one line, UTF-8, no Markdown */
	char	*text;		/* text/plain body, "\n" line ends */
	char	*html;		/* a complete HTML document, lang set */
};

/*
 * Load every template under templates_dir (en/ and cy/) and check them
 * all: each required template exists in both languages, every .md file
 * has its twin in the other language, the front matter is well formed,
 * only known variables are used, "vars:" lists exactly the variables used,
 * subjects end in "[{{ref}}]" where the template is about a case, {{name}}
 * has a default, and there is no raw HTML (safe mode would drop it).
 *
 * All or nothing: returns 0 and sets *out, or returns -1, sets *out to
 * NULL and appends one g_strdup'd "FILE:LINE: problem; what to do" string
 * per problem to errors (which must free its elements, e.g.
 * g_ptr_array_new_with_free_func(g_free)).
 *
 * Ownership: the caller owns the set and frees it with
 * template_set_free(); it holds copies of everything it needs, so nothing
 * under templates_dir is read again.
 */
int		 template_set_load(const char *templates_dir,
		     struct template_set **out, GPtrArray *errors);
void		 template_set_free(struct template_set *);

/*
 * Render lang/name from set, without reading any file, with vars (char *
 * -> char *, borrowed; values need not be valid UTF-8 or free of control
 * characters, they are cleaned). lang is "en" or "cy"; name is a template
 * name such as "acknowledgement". On success sets *out (caller frees with
 * rendered_free()) and returns 0. Returns -1, *out NULL, and sets *cause
 * (caller frees) when the set has no such template, naming the path it
 * would have come from, or when the template uses a variable vars does
 * not supply and the template gives no default, naming FILE:LINE.
 * Variables in vars that the template does not use are ignored.
 */
int		 template_render(const struct template_set *set,
		     const char *lang, const char *name, GHashTable *vars,
		     struct rendered **out, char **cause);
void		 rendered_free(struct rendered *);

/* Every variable a template may name, NULL-terminated. */
extern const char *const template_variables[];

#endif
