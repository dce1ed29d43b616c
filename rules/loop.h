/*
 * loop.h: mail loops, decided without I/O. A correspondent whose mail
 * only echoes ours — answers a message redress sent, with little or no
 * text of their own — is a machine the third time within a week: an
 * autoresponder that answers our answers would otherwise keep a loop
 * going for ever, within every rate limit. The daemon counts the echoes
 * (store.h) and passes the counts in.
 *
 * Ownership: everything passed in is borrowed.
 */
#ifndef REDRESS_LOOP_H
#define REDRESS_LOOP_H

#include <glib.h>

#include "message.h"

/* Fewer words of its own than this, and a message answering ours is an
 * echo. A person's shortest real answer ("I live in Cardiff, not
 * London") is a dozen words; an autoresponder's stock text is twenty or
 * so and repeats. */
#define LOOP_OWN_WORDS	30
/* The echo that makes a correspondent a machine, counting this one... */
#define LOOP_ECHOES	3
/* ...within this many seconds. */
#define LOOP_PERIOD	(7 * 86400)

/*
 * Words of the writer's own in m: its body without quoted or forwarded
 * mail, without paragraphs that are also in ours (the text of our
 * message it answers, or NULL: an autoresponder may copy it unquoted),
 * and without Message-IDs, addresses and links.
 */
int		 loop_own_words(const struct message *m, const char *ours);

/* An echo: m answers our own mail (answers_ours) with fewer than
 * LOOP_OWN_WORDS words of its own. */
gboolean	 loop_is_echo(const struct message *m, gboolean answers_ours,
		     const char *ours);

/* Given an echo and the writer's echoes earlier within LOOP_PERIOD:
 * whether this one is a machine's. */
gboolean	 loop_is_machine(int earlier_echoes);

#endif
