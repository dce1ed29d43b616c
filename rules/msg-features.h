/*
 * msg-features.h: what the learned layer sees of a message. Pure.
 *
 * A message becomes a sparse vector of named features, sorted by name:
 *
 *   rule:NAME     a rule that fired (the rules are the explainable part)
 *   s:STEM        a word of the subject, Snowball-stemmed (English)
 *   w:STEM        a word of the writer's own words, stemmed
 *   w2:STEM_STEM  two words in a row of the writer's own words
 *   c3:abc c4:abcd  character 3- and 4-grams of the own words' words
 *                 (so Welsh and misspelt words still count)
 *   h:NAME        structure: attachments, quoted and forwarded parts,
 *                 length, machine-mail headers
 *
 * "The writer's own words" are the subject and body without quoted
 * replies and forwarded mail (text.c); when those are almost empty, the
 * text of attachments is read instead (a letter sent as a .docx).
 * Feature names are strings: the model file maps each name to weights,
 * so there are no hash collisions. Changing what is extracted changes
 * FEATURES_VERSION, and a model made by another version is refused.
 *
 * Ownership: a struct fvec owns its names; free with fvec_free().
 */
#ifndef REDRESS_MSG_FEATURES_H
#define REDRESS_MSG_FEATURES_H

#include <glib.h>

#include "message.h"
#include "text.h"

#define FEATURES_VERSION	1

struct fvec {
	GPtrArray	*names;		/* of char *, sorted, unique */
	GArray		*values;	/* of double, one per name */
};

/*
 * The features of a message whose texts are t and whose fired rules are
 * hits (of struct rule_hit, verdict.h; may be NULL). Never NULL.
 */
struct fvec	*features_extract(const struct message *,
		     const struct texts *t, const GPtrArray *hits);
void		 fvec_free(struct fvec *);

#endif
