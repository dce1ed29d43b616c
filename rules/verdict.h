/*
 * verdict.h: what a message is, decided by the rules.
 *
 * The fields are typed by the label schema (schema.h); their names are
 * the schema's spellings, "-" for a *_NONE: "not applicable". The matter
 * date is the one field that is not a name.
 *
 * Ownership: a struct verdict owns its hits; free it with verdict_free().
 */
#ifndef REDRESS_VERDICT_H
#define REDRESS_VERDICT_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "message.h"
#include "schema.h"

/* One rule that fired, and the text it matched (a short excerpt). */
struct rule_hit {
	char		*rule;
	char		*matched;
};

struct verdict {
	enum kind		 kind;
	enum category		 category;	/* complaints only */
	enum sentiment		 sentiment;	/* feedback only */
	enum representative	 representative; /* NONE for machine mail */
	enum authority		 authority;	/* when not REP_SELF */
	char			 matter_date[sizeof "YYYY-MM-DD"]; /* or "-" */
	enum out_of_time	 out_of_time;	/* complaints only */
	enum exceptional	 exceptional;	/* complaints only */
	enum language		 language;
	guint			 restrictions;	/* 1 << enum restriction */
	enum request		 request;	/* what a follow-up asks for */
	GPtrArray		*hits;		/* of struct rule_hit */
	/* From the learned layer: the probability of each kind (1 for the
	 * kind a machine-mail "!" rule decided). Without a model, no
	 * probabilities and never triage. */
	gboolean		 has_probabilities;
	double			 kind_probability[KIND__COUNT];
	/* a person should confirm the kind before anything final is done */
	gboolean		 triage;
};

/*
 * Triage when the most probable kind is below this, or the two most
 * probable are closer than the margin (the configuration's
 * triage_confidence and triage_margin override these).
 */
#define TRIAGE_CONFIDENCE_DEFAULT	0.6
#define TRIAGE_MARGIN_DEFAULT		0.15

/* kind complaint, language en, no restriction, everything else "-". */
struct verdict	*verdict_new(void);
void		 verdict_free(struct verdict *);
void		 verdict_add_hit(struct verdict *, const char *rule,
		     const char *matched);

/*
 * Set v->triage from its kind probabilities: TRUE when the kind's is
 * below confidence or less than margin above any other kind's (also when
 * another kind is more probable: the model's machine-mail guess that no
 * rule backed, rules_pick_kind()). A kind decided by a
 * "!" rule (probability 1) is never triage. Without probabilities (no
 * model; a quarantined message, always triage) it is left as it is.
 */
void		 verdict_set_triage(struct verdict *, double confidence,
		     double margin);

/* kind_is_machine() of its kind: never to be answered. */
gboolean	 verdict_is_machine(const struct verdict *);

/*
 * The verdict as a JSON object: the fields above by name, as strings of
 * the label schema (the restrictions as "contact_restriction"), and
 * "rules", an array of {"rule", "matched"}; then "triage" (true or false)
 * and, with a model, "kind_probabilities", {kind: probability} for each
 * kind the model knows, best first, rounded to 3 places. A new node; the caller unrefs
 * it (callers may add members such as "file" first).
 */
JsonNode	*verdict_to_json(const struct verdict *);

/*
 * Why, for staff: one line per rule that fired, "  NAME: \"matched\"\n",
 * or "  no rule fired\n". Caller frees.
 */
char		*verdict_explain(const struct verdict *);

#endif
