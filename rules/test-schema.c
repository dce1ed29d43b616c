/*
 * test-schema.c: the label vocabulary. Every name reads back as its
 * value, nothing else is a name, and the texts made from the tables say
 * what the label schema says.
 */
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "tests/tap.h"

static const struct label_names *const fields[] = {
	&schema_kind, &schema_category, &schema_sentiment,
	&schema_representative, &schema_authority, &schema_out_of_time,
	&schema_exceptional, &schema_language, &schema_request,
	&schema_outcome, &schema_restriction
};

/* Value 0 of these is "not applicable". */
static const struct label_names *const with_none[] = {
	&schema_category, &schema_sentiment, &schema_representative,
	&schema_authority, &schema_out_of_time, &schema_exceptional,
	&schema_request, &schema_outcome
};

static void
test_round_trip(void)
{
	gsize	i;
	int	v;

	for (i = 0; i < G_N_ELEMENTS(fields); i++) {
		const struct label_names *ln = fields[i];
		gboolean	 all = TRUE;

		for (v = 0; v < ln->count; v++)
			if (ln->names[v] == NULL ||
			    label_value(ln, label_name(ln, v)) != v)
				all = FALSE;
		ok(all, "every %s name reads back as its value (%d of them)",
		    ln->field, ln->count);
		ok(label_value(ln, "nonsense") == -1 &&
		    label_value(ln, "") == -1 && label_value(ln, NULL) == -1,
		    "an unknown %s is -1", ln->field);
		ok(strcmp(label_name(ln, -1), "?") == 0 &&
		    strcmp(label_name(ln, ln->count), "?") == 0,
		    "a %s out of range is named ?", ln->field);
	}
	for (i = 0; i < G_N_ELEMENTS(with_none); i++) {
		const struct label_names *ln = with_none[i];

		ok(strcmp(label_name(ln, 0), "-") == 0 &&
		    label_value(ln, "-") == 0 && label_choice(ln, "-") == -1 &&
		    label_choice(ln, ln->names[1]) == 1,
		    "%s: 0 is \"-\", which is no choice", ln->field);
	}
	ok(label_value(&schema_kind, "Complaint") == -1,
	    "names are case-sensitive");
	ok(label_value(&schema_kind, "-") == -1 &&
	    label_value(&schema_language, "-") == -1,
	    "kind and language always apply: no \"-\"");
	ok(label_choice(&schema_kind, "complaint") == KIND_COMPLAINT,
	    "complaint, value 0, is a choice");
}

static void
test_spellings(void)
{
	is_str(kind_name(KIND_REDIRECT_POLICE), "redirect_police",
	    "kind_name");
	is_str(kind_name(KIND_SPAM), "spam", "the last kind");
	is_str(category_name(CATEGORY_MIXED), "mixed", "category_name");
	is_str(representative_name(REP_OTHER_PROFESSIONAL),
	    "other_professional", "representative_name");
	is_str(out_of_time_name(OUT_OF_TIME_UNKNOWN), "unknown",
	    "out_of_time_name");
	is_str(outcome_name(OUTCOME_PARTLY_UPHELD), "partly_upheld",
	    "outcome_name");
	is_str(language_name(LANGUAGE_CY), "cy", "language_name");
	is_str(request_name(REQUEST_AUTHORITY), "authority", "request_name");
	is_str(schema_restriction.field, "contact_restriction",
	    "restrictions are the label schema's contact_restriction");
}

static void
test_machine(void)
{
	int	k, n = 0;

	for (k = 0; k < KIND__COUNT; k++)
		if (kind_is_machine(k))
			n++;
	ok(n == 3 && kind_is_machine(KIND_AUTO_REPLY) &&
	    kind_is_machine(KIND_BOUNCE) && kind_is_machine(KIND_SPAM),
	    "auto_reply, bounce and spam are machine mail, nothing else");
}

static void
test_restrictions(void)
{
	static const char *const texts[] = {
		"none", "email_only", "no_home_visits", "no_phone+no_post",
		"email_only+no_phone+no_post+no_home_visits"
	};
	guint	 set, all = (1u << RESTRICT__COUNT) - 1;
	gboolean trip = TRUE;
	char	*s;
	gsize	 i;

	for (set = 0; set <= all; set++) {
		guint	back = 99;

		s = restrictions_text(set);
		if (restrictions_parse(s, &back) != 0 || back != set)
			trip = FALSE;
		g_free(s);
	}
	ok(trip, "all %u restriction sets round-trip", all + 1);
	for (i = 0; i < G_N_ELEMENTS(texts); i++) {
		guint	back = 0;

		ok(restrictions_parse(texts[i], &back) == 0, "'%s' parses",
		    texts[i]);
		s = restrictions_text(back);
		is_str(s, texts[i], "and reads back the same");
		g_free(s);
	}
	s = restrictions_text(0);
	is_str(s, "none", "the empty set is none");
	g_free(s);
	s = restrictions_text(1u << RESTRICT_NO_HOME_VISITS |
	    1u << RESTRICT_EMAIL_ONLY);
	is_str(s, "email_only+no_home_visits", "names are joined by + in "
	    "schema order");
	g_free(s);
	set = 0;
	ok(restrictions_parse("no_post+email_only", &set) == 0 &&
	    set == (1u << RESTRICT_NO_POST | 1u << RESTRICT_EMAIL_ONLY),
	    "any order is read as the same set");
	set = 42;
	ok(restrictions_parse("no_phone+no_fax", &set) == -1 && set == 42,
	    "an unknown name is -1 and leaves the set alone");
	ok(restrictions_parse("", &set) == -1 &&
	    restrictions_parse(NULL, &set) == -1 &&
	    restrictions_parse("no_phone++no_post", &set) == -1 &&
	    restrictions_parse("none+no_phone", &set) == -1 &&
	    restrictions_parse("-", &set) == -1,
	    "empty texts, empty names, none in a list and - are refused");
}

static void
test_choices(void)
{
	char	*s;

	s = label_choices(&schema_category, TRUE);
	is_str(s, "legal, service or mixed", "category choices without -");
	g_free(s);
	s = label_choices(&schema_category, FALSE);
	is_str(s, "-, legal, service or mixed", "category choices with -");
	g_free(s);
	s = label_choices(&schema_kind, TRUE);
	is_str(s, "complaint, feedback, vrr, enquiry, redirect_police, "
	    "redirect_other, excluded_defendant, excluded_appeal, auto_reply, "
	    "bounce or spam", "kind choices: skip_none keeps complaint");
	g_free(s);
	s = label_choices(&schema_language, FALSE);
	is_str(s, "en or cy", "two choices");
	g_free(s);
	s = label_choices(&schema_outcome, TRUE);
	is_str(s, "upheld, partly_upheld, not_upheld or withdrawn",
	    "outcome choices");
	g_free(s);
	s = label_choices(&schema_restriction, FALSE);
	is_str(s, "email_only, no_phone, no_post or no_home_visits",
	    "restriction choices");
	g_free(s);
}

int
main(void)
{
	test_round_trip();
	test_spellings();
	test_machine();
	test_restrictions();
	test_choices();
	return (tap_done());
}
