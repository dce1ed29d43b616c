/*
 * verdict.h: what a message is, decided by the rules.
 *
 * Field values are the spellings of the label schema
 * (shared corpus README): kind "complaint", category "legal", ... and "-"
 * for "not applicable". They are stored, shown and printed as they are.
 *
 * Ownership: a struct verdict owns all its strings and its hits; free it
 * with verdict_free().
 */
#ifndef REDRESS_VERDICT_H
#define REDRESS_VERDICT_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "message.h"

/* One rule that fired, and the text it matched (a short excerpt). */
struct rule_hit {
	char		*rule;
	char		*matched;
};

struct verdict {
	char		*kind;		/* complaint feedback vrr enquiry
					   redirect_police redirect_other
					   excluded_defendant excluded_appeal
					   auto_reply bounce spam */
	char		*category;	/* legal service mixed - */
	char		*sentiment;	/* positive negative - */
	char		*representative; /* self family friend support_group
					    solicitor other_professional - */
	char		*authority;	/* attached stated missing - */
	char		*matter_date;	/* YYYY-MM-DD or - */
	char		*out_of_time;	/* yes no unknown - */
	char		*exceptional;	/* yes no - */
	char		*language;	/* en cy */
	char		*contact_restriction; /* none, or a+b in schema order */
	char		*request;	/* what a follow-up asks for: escalate
					   (stage 2), iac, or - */
	GPtrArray	*hits;		/* of struct rule_hit */
};

struct verdict	*verdict_new(void);
void		 verdict_free(struct verdict *);
void		 verdict_set(char **field, const char *value);
void		 verdict_add_hit(struct verdict *, const char *rule,
		     const char *matched);

/* TRUE for the kinds that must never be answered (auto_reply bounce spam). */
gboolean	 verdict_is_machine(const struct verdict *);

/*
 * The verdict as a JSON object: the fields above by name, and "rules", an
 * array of {"rule", "matched"}. A new node; the caller unrefs it (callers
 * may add members such as "file" first).
 */
JsonNode	*verdict_to_json(const struct verdict *);

/*
 * Why, for staff: one line per rule that fired, "  NAME: \"matched\"\n",
 * or "  no rule fired\n". Caller frees.
 */
char		*verdict_explain(const struct verdict *);

#endif
