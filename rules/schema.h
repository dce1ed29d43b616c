/*
 * schema.h: the label vocabulary of redress, typed. One enum per field of
 * the label schema (shared corpus README), each with one name table: the
 * spellings stored in the database, written in rule files and staff
 * commands, printed in the verdict JSON and shown to staff. Nothing else
 * lists these names.
 *
 * Fields that may be "not applicable" have a *_NONE member, always 0, whose
 * name is "-", so a zeroed struct says "not applicable" everywhere.
 *
 * Pure: no I/O. Names are static storage.
 */
#ifndef REDRESS_SCHEMA_H
#define REDRESS_SCHEMA_H

#include <glib.h>

enum kind {
	KIND_COMPLAINT,
	KIND_FEEDBACK,
	KIND_VRR,
	KIND_ENQUIRY,
	KIND_REDIRECT_POLICE,
	KIND_REDIRECT_OTHER,
	KIND_EXCLUDED_DEFENDANT,
	KIND_EXCLUDED_APPEAL,
	KIND_AUTO_REPLY,
	KIND_BOUNCE,
	KIND_SPAM,
	KIND__COUNT
};

enum category {
	CATEGORY_NONE,
	CATEGORY_LEGAL,
	CATEGORY_SERVICE,
	CATEGORY_MIXED,
	CATEGORY__COUNT
};

enum sentiment {
	SENTIMENT_NONE,
	SENTIMENT_POSITIVE,
	SENTIMENT_NEGATIVE,
	SENTIMENT__COUNT
};

enum representative {
	REP_NONE,
	REP_SELF,
	REP_FAMILY,
	REP_FRIEND,
	REP_SUPPORT_GROUP,
	REP_SOLICITOR,
	REP_OTHER_PROFESSIONAL,
	REP__COUNT
};

enum authority {
	AUTHORITY_NONE,
	AUTHORITY_ATTACHED,
	AUTHORITY_STATED,
	AUTHORITY_MISSING,
	AUTHORITY__COUNT
};

enum out_of_time {
	OUT_OF_TIME_NONE,
	OUT_OF_TIME_YES,
	OUT_OF_TIME_NO,
	OUT_OF_TIME_UNKNOWN,
	OUT_OF_TIME__COUNT
};

enum exceptional {
	EXCEPTIONAL_NONE,
	EXCEPTIONAL_YES,
	EXCEPTIONAL_NO,
	EXCEPTIONAL__COUNT
};

enum language {
	LANGUAGE_EN,
	LANGUAGE_CY,
	LANGUAGE__COUNT
};

/* What a message on a case already answered asks for. */
enum request {
	REQUEST_NONE,
	REQUEST_ESCALATE,	/* stage 2 */
	REQUEST_IAC,		/* the Independent Assessor */
	REQUEST_AUTHORITY,	/* here is the written authority */
	REQUEST__COUNT
};

enum outcome {
	OUTCOME_NONE,
	OUTCOME_UPHELD,
	OUTCOME_PARTLY_UPHELD,
	OUTCOME_NOT_UPHELD,
	OUTCOME_WITHDRAWN,
	OUTCOME__COUNT
};

/* Contact restrictions are a set: bit (1 << RESTRICT_X). Written "none",
 * or the names joined by "+" in this order. */
enum restriction {
	RESTRICT_EMAIL_ONLY,
	RESTRICT_NO_PHONE,
	RESTRICT_NO_POST,
	RESTRICT_NO_HOME_VISITS,
	RESTRICT__COUNT
};

/* One field's vocabulary: names[value] for every value below count. */
struct label_names {
	const char		*field;	/* "kind", "category", ... */
	const char *const	*names;
	int			 count;
};

extern const struct label_names schema_kind, schema_category,
    schema_sentiment, schema_representative, schema_authority,
    schema_out_of_time, schema_exceptional, schema_language,
    schema_request, schema_outcome, schema_restriction;

/* The name of a value; "?" for a value out of range (a bug, never data). */
const char	*label_name(const struct label_names *, int value);
/* The value of a name (exact, case-sensitive), or -1. */
int		 label_value(const struct label_names *, const char *name);
/* The same for a name that may be chosen (by a rule or a staff member):
 * -1 for the "-" of a *_NONE member too, as "not applicable" follows from
 * the other fields and is never chosen. */
int		 label_choice(const struct label_names *, const char *name);
/* "a, b, c or d": the names a field takes, for error messages; when
 * skip_none, without the "-" of a *_NONE member. Caller frees. */
char		*label_choices(const struct label_names *, gboolean skip_none);

#define kind_name(v)		label_name(&schema_kind, (v))
#define category_name(v)	label_name(&schema_category, (v))
#define outcome_name(v)		label_name(&schema_outcome, (v))
#define language_name(v)	label_name(&schema_language, (v))
#define sentiment_name(v)	label_name(&schema_sentiment, (v))
#define representative_name(v)	label_name(&schema_representative, (v))
#define authority_name(v)	label_name(&schema_authority, (v))
#define out_of_time_name(v)	label_name(&schema_out_of_time, (v))
#define exceptional_name(v)	label_name(&schema_exceptional, (v))
#define request_name(v)		label_name(&schema_request, (v))

/* Mail that must never be answered: auto_reply, bounce, spam. */
gboolean	 kind_is_machine(enum kind);

/* A restriction set as "none" or "email_only+no_phone". Caller frees. */
char		*restrictions_text(guint set);
/* Parse restrictions_text()'s form; -1 on an unknown name. */
int		 restrictions_parse(const char *text, guint *set);

#endif
