/*
 * schema.c: the names of the label vocabulary, the only list of them.
 *
 * The spellings are those of the label schema (shared corpus README), as
 * the database, the rule files, staff commands and the verdict JSON hold
 * them; changing one changes all of those, so do not.
 */
#include <string.h>

#include "schema.h"

#define TABLE(var, fieldname, count, ...)				\
	static const char *const var##_names[count] = { __VA_ARGS__ };	\
	const struct label_names var = { fieldname, var##_names, count }

TABLE(schema_kind, "kind", KIND__COUNT,
	[KIND_COMPLAINT] = "complaint",
	[KIND_FEEDBACK] = "feedback",
	[KIND_VRR] = "vrr",
	[KIND_ENQUIRY] = "enquiry",
	[KIND_REDIRECT_POLICE] = "redirect_police",
	[KIND_REDIRECT_OTHER] = "redirect_other",
	[KIND_EXCLUDED_DEFENDANT] = "excluded_defendant",
	[KIND_EXCLUDED_APPEAL] = "excluded_appeal",
	[KIND_AUTO_REPLY] = "auto_reply",
	[KIND_BOUNCE] = "bounce",
	[KIND_SPAM] = "spam");

TABLE(schema_category, "category", CATEGORY__COUNT,
	[CATEGORY_NONE] = "-",
	[CATEGORY_LEGAL] = "legal",
	[CATEGORY_SERVICE] = "service",
	[CATEGORY_MIXED] = "mixed");

TABLE(schema_sentiment, "sentiment", SENTIMENT__COUNT,
	[SENTIMENT_NONE] = "-",
	[SENTIMENT_POSITIVE] = "positive",
	[SENTIMENT_NEGATIVE] = "negative");

TABLE(schema_representative, "representative", REP__COUNT,
	[REP_NONE] = "-",
	[REP_SELF] = "self",
	[REP_FAMILY] = "family",
	[REP_FRIEND] = "friend",
	[REP_SUPPORT_GROUP] = "support_group",
	[REP_SOLICITOR] = "solicitor",
	[REP_OTHER_PROFESSIONAL] = "other_professional");

TABLE(schema_authority, "authority", AUTHORITY__COUNT,
	[AUTHORITY_NONE] = "-",
	[AUTHORITY_ATTACHED] = "attached",
	[AUTHORITY_STATED] = "stated",
	[AUTHORITY_MISSING] = "missing");

TABLE(schema_out_of_time, "out_of_time", OUT_OF_TIME__COUNT,
	[OUT_OF_TIME_NONE] = "-",
	[OUT_OF_TIME_YES] = "yes",
	[OUT_OF_TIME_NO] = "no",
	[OUT_OF_TIME_UNKNOWN] = "unknown");

TABLE(schema_exceptional, "exceptional", EXCEPTIONAL__COUNT,
	[EXCEPTIONAL_NONE] = "-",
	[EXCEPTIONAL_YES] = "yes",
	[EXCEPTIONAL_NO] = "no");

TABLE(schema_language, "language", LANGUAGE__COUNT,
	[LANGUAGE_EN] = "en",
	[LANGUAGE_CY] = "cy");

TABLE(schema_request, "request", REQUEST__COUNT,
	[REQUEST_NONE] = "-",
	[REQUEST_ESCALATE] = "escalate",
	[REQUEST_IAC] = "iac",
	[REQUEST_AUTHORITY] = "authority");

TABLE(schema_outcome, "outcome", OUTCOME__COUNT,
	[OUTCOME_NONE] = "-",
	[OUTCOME_UPHELD] = "upheld",
	[OUTCOME_PARTLY_UPHELD] = "partly_upheld",
	[OUTCOME_NOT_UPHELD] = "not_upheld",
	[OUTCOME_WITHDRAWN] = "withdrawn");

/* Named after the label schema's column; the values are bits of a set. */
TABLE(schema_restriction, "contact_restriction", RESTRICT__COUNT,
	[RESTRICT_EMAIL_ONLY] = "email_only",
	[RESTRICT_NO_PHONE] = "no_phone",
	[RESTRICT_NO_POST] = "no_post",
	[RESTRICT_NO_HOME_VISITS] = "no_home_visits");

#undef TABLE

/* The set of no restriction; not a name of the table, as it is no bit. */
#define RESTRICTIONS_NONE	"none"

/* Does value 0 of the field mean "not applicable"? */
static gboolean
has_none(const struct label_names *ln)
{
	return (ln->count > 0 && strcmp(ln->names[0], "-") == 0);
}

const char *
label_name(const struct label_names *ln, int value)
{
	if (value < 0 || value >= ln->count)
		return ("?");
	return (ln->names[value]);
}

int
label_value(const struct label_names *ln, const char *name)
{
	int	i;

	if (name == NULL)
		return (-1);
	for (i = 0; i < ln->count; i++)
		if (strcmp(ln->names[i], name) == 0)
			return (i);
	return (-1);
}

int
label_choice(const struct label_names *ln, const char *name)
{
	int	v = label_value(ln, name);

	return (v == 0 && has_none(ln) ? -1 : v);
}

char *
label_choices(const struct label_names *ln, gboolean skip_none)
{
	GString	*s = g_string_new(NULL);
	int	 i, first = skip_none && has_none(ln) ? 1 : 0;

	for (i = first; i < ln->count; i++) {
		if (i > first)
			g_string_append(s, i == ln->count - 1 ? " or " : ", ");
		g_string_append(s, ln->names[i]);
	}
	return (g_string_free(s, FALSE));
}

gboolean
kind_is_machine(enum kind k)
{
	return (k == KIND_AUTO_REPLY || k == KIND_BOUNCE || k == KIND_SPAM);
}

char *
restrictions_text(guint set)
{
	GString	*s = g_string_new(NULL);
	int	 i;

	for (i = 0; i < RESTRICT__COUNT; i++) {
		if ((set & (1u << i)) == 0)
			continue;
		if (s->len > 0)
			g_string_append_c(s, '+');
		g_string_append(s, schema_restriction.names[i]);
	}
	if (s->len == 0)
		g_string_append(s, RESTRICTIONS_NONE);
	return (g_string_free(s, FALSE));
}

/*
 * Any order is read, and a name given twice counts once: the set is the
 * same. An empty text or an empty name ("a++b") is a mistake, not "none".
 */
int
restrictions_parse(const char *text, guint *set)
{
	char	**names;
	guint	  out = 0;
	int	  i, v;

	if (text == NULL || *text == '\0')
		return (-1);
	if (strcmp(text, RESTRICTIONS_NONE) == 0) {
		*set = 0;
		return (0);
	}
	names = g_strsplit(text, "+", -1);
	for (i = 0; names[i] != NULL; i++) {
		if ((v = label_value(&schema_restriction, names[i])) < 0) {
			g_strfreev(names);
			return (-1);
		}
		out |= 1u << v;
	}
	g_strfreev(names);
	*set = out;
	return (0);
}
