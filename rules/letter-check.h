/*
 * letter-check.h: what a program can check of a stage 1 or stage 2
 * response draft against the letter standards (DOMAIN.md, "Letters: what
 * makes one adequate") before it goes to the coordinator. The findings
 * are advice for the coordinator, who quality-assures every letter; none
 * of them stops a letter.
 *
 * Pure: text in, findings out. jargon_list_parse() takes the text of
 * rules/jargon.list; the daemon reads the file.
 *
 * Ownership: letter_check() and jargon_list_parse() return arrays created
 * with their element free functions (g_ptr_array_unref frees all). The
 * context is only borrowed.
 */
#ifndef REDRESS_LETTER_CHECK_H
#define REDRESS_LETTER_CHECK_H

#include <glib.h>

#include "schema.h"

/* One line of rules/jargon.list: "TERM[<TAB>plain meaning]" or "!TERM". */
struct jargon_term {
	char		*term;		/* as listed */
	char		*meaning;	/* the plain words after the tab, or NULL */
	/* "!TERM": an acronym well enough known to need no explanation
	 * (UK, MP), or a capitalised word that is not an acronym. */
	gboolean	 known;
};

struct letter_context {
	const char	*complainant_name;	/* or NULL/"" when not known */
	const char	*ref;			/* case reference, or NULL */
	enum outcome	 outcome;	/* OUTCOME_NONE: none recorded yet */
	gboolean	 late;		/* the response is after its due date */
	GPtrArray	*jargon;	/* of struct jargon_term, or NULL */
	const char	*language;	/* "en" or "cy"; NULL means "en" */
};

struct letter_finding {
	/* addressed-by-name jargon readability apology delay-explained
	 * escalation resolution-stated */
	char		*check;
	gboolean	 pass;
	/* For the coordinator: what was found, quoting the words or the
	 * sentence at fault, and what to do. */
	char		*detail;
};

/*
 * Run every check on the draft text. Returns the findings, one per check,
 * always all seven, in the order of the comment above. Checks that rely
 * on English word lists pass with a detail saying they were not run when
 * the language is "cy".
 */
GPtrArray	*letter_check(const char *text, const struct letter_context *);

/* A readable report of the findings, for the coordinator. Caller frees. */
char		*letter_findings_text(GPtrArray *findings);

/*
 * Parse the text of a jargon list: one term per line, optionally a tab and
 * its plain meaning; "!TERM" for a term that needs no explanation; '#'
 * starts a comment line. *terms is always set (the good lines). Each
 * mistake is appended to errors (of char *) as "FILE:LINE: what is wrong
 * and what to write"; returns the number of mistakes.
 */
int		 jargon_list_parse(const char *text, GPtrArray **terms,
		     GPtrArray *errors, const char *filename);

#endif
