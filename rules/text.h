/*
 * text.h: the texts of a message the rules look at, split and normalised.
 *
 * The body is split into the writer's own words, quoted replies and
 * forwarded messages; each text is normalised so rules need not care how
 * it was typed: curly quotes and apostrophes become ' and ", dashes -,
 * odd spaces a space, lines of a paragraph are joined with a space and
 * paragraphs separated by one newline. Each text is cut at TEXT_MAX bytes.
 *
 * Ownership: struct texts owns its strings; free with texts_clear().
 */
#ifndef REDRESS_TEXT_H
#define REDRESS_TEXT_H

#include <glib.h>

#include "message.h"
#include "ruleset.h"

#define TEXT_MAX	(256 * 1024)

struct texts {
	char		*src[SRC__COUNT];	/* never NULL */
	glong		 body_chars;	/* characters of the own words */
	gboolean	 forwarded;	/* forwarded mail, inline or attached */
};

void		 texts_prepare(const struct message *, struct texts *);
/* a and b joined by a newline, padded (text_padded()). Caller frees. */
char		*texts_join(const char *a, const char *b);
void		 texts_clear(struct texts *);
/* The writer's own words alone, normalised: unlike texts_prepare()'s
 * body, never the quoted or forwarded mail in their place. Caller
 * frees. */
char		*texts_own(const struct message *);

/* Normalised copy of s (see above); caller frees. */
char		*text_normalise(const char *s);

/*
 * A copy of s (len bytes, -1 for all) followed by TEXT_PAD zero bytes.
 * GRegex's JIT reads whole machine words past the end of a subject; on a
 * padded copy those reads stay inside initialised memory, so the engine
 * is clean under valgrind without giving up the JIT. Caller frees.
 */
#define TEXT_PAD	64
char		*text_padded(const char *s, gssize len);

/* g_regex_match() on a padded copy of s (NULL never matches). */
gboolean	 text_match(const GRegex *re, const char *s);

#endif
