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
};

/* kind complaint, language en, no restriction, everything else "-". */
struct verdict	*verdict_new(void);
void		 verdict_free(struct verdict *);
void		 verdict_add_hit(struct verdict *, const char *rule,
		     const char *matched);

/* kind_is_machine() of its kind: never to be answered. */
gboolean	 verdict_is_machine(const struct verdict *);

/*
 * The verdict as a JSON object: the fields above by name, as strings of
 * the label schema (the restrictions as "contact_restriction"), and
 * "rules", an array of {"rule", "matched"}. A new node; the caller unrefs
 * it (callers may add members such as "file" first).
 */
JsonNode	*verdict_to_json(const struct verdict *);

/*
 * Why, for staff: one line per rule that fired, "  NAME: \"matched\"\n",
 * or "  no rule fired\n". Caller frees.
 */
char		*verdict_explain(const struct verdict *);

#endif
