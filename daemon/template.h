/*
 * template.h: outgoing mail text from Markdown templates.
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
 * the template uses, checked by template_check_dir()), and "default-VAR"
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

/* Every string is owned by the struct; free with rendered_free(). */
struct rendered {
	char	*subject;	/* one line, UTF-8, no Markdown */
	char	*text;		/* text/plain body, "\n" line ends */
	char	*html;		/* a complete HTML document, lang set */
};

/*
 * Render templates_dir/lang/name.md with vars (char * -> char *, borrowed;
 * values need not be valid UTF-8 or free of control characters, they are
 * cleaned). lang is "en" or "cy"; name is a template name such as
 * "acknowledgement". On success sets *out (caller frees with
 * rendered_free()) and returns 0. Returns -1 and sets *cause (caller frees)
 * when the template is missing or malformed, naming its path, or when it
 * uses a variable vars does not supply and the template gives no default,
 * naming FILE:LINE. Variables in vars that the template does not use are
 * ignored.
 */
int		 template_render(const char *templates_dir, const char *lang,
		     const char *name, GHashTable *vars, struct rendered **out,
		     char **cause);
void		 rendered_free(struct rendered *);

/*
 * Check every template under templates_dir (en/ and cy/): each required
 * template exists in both languages, every .md file has its twin in the
 * other language, the front matter is well formed, only known variables are
 * used, "vars:" lists exactly the variables used, subjects end in
 * "[{{ref}}]" where the template is about a case, {{name}} has a default,
 * and there is no raw HTML (safe mode would drop it). Appends one
 * g_strdup'd "FILE:LINE: problem; what to do" string per problem to errors
 * (which must free its elements, e.g. g_ptr_array_new_with_free_func
 * (g_free)) and returns the number appended.
 */
int		 template_check_dir(const char *templates_dir, GPtrArray *errors);

/* Every variable a template may name, NULL-terminated. */
extern const char *const template_variables[];

#endif
