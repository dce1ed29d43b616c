/*
 * loop.c: mail loops (loop.h). Pure: no I/O, clock or database.
 */
#include <string.h>

#include "loop.h"
#include "text.h"

/* A token that is not a word of the writer's: a Message-ID, an address,
 * a link. */
static gboolean
reference_token(const char *t)
{
	return (strchr(t, '@') != NULL || strstr(t, "://") != NULL ||
	    g_str_has_prefix(t, "www."));
}

static int
count_words(const char *para)
{
	char	**tokens = g_strsplit_set(para, " \t\r\n", -1), **t;
	int	  n = 0;

	for (t = tokens; *t != NULL; t++) {
		const char	*p;

		if (**t == '\0' || reference_token(*t))
			continue;
		for (p = *t; *p != '\0'; p = g_utf8_next_char(p)) {
			if (g_unichar_isalnum(g_utf8_get_char(p))) {
				n++;
				break;
			}
		}
	}
	g_strfreev(tokens);
	return (n);
}

int
loop_own_words(const struct message *m, const char *ours)
{
	char	*own = texts_own(m), *theirs = NULL, **paras, **p;
	int	 n = 0;

	if (ours != NULL)
		theirs = text_normalise(ours);
	paras = g_strsplit(own, "\n", -1);
	for (p = paras; *p != NULL; p++) {
		g_strstrip(*p);
		if (**p == '\0')
			continue;
		/* Our own words, copied back: not theirs. */
		if (theirs != NULL && strstr(theirs, *p) != NULL)
			continue;
		n += count_words(*p);
	}
	g_strfreev(paras);
	g_free(theirs);
	g_free(own);
	return (n);
}

gboolean
loop_is_echo(const struct message *m, gboolean answers_ours,
    const char *ours)
{
	return (answers_ours && loop_own_words(m, ours) < LOOP_OWN_WORDS);
}

gboolean
loop_is_machine(int earlier_echoes)
{
	return (earlier_echoes + 1 >= LOOP_ECHOES);
}
