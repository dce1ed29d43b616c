/*
 * test-rulefile.c: the rule-file format, the voting, and parsing rule
 * files all or nothing (the directory is the daemon's:
 * daemon/test-rules-load.c).
 */
#include <stdlib.h>
#include <string.h>

#include "message.h"
#include "rules.h"
#include "rules/test-rules-dir.h"
#include "rules/test-rules-mail.h"
#include "tests/tap.h"

static struct ruleset *
load(const char *text, GPtrArray **errors)
{
	struct ruleset	*rs = ruleset_new();

	*errors = g_ptr_array_new_with_free_func(g_free);
	ruleset_add_file(rs, "test.rules", text, strlen(text), *errors);
	return (rs);
}

static const char *
matched(const struct verdict *v, const char *rule)
{
	guint	i;

	for (i = 0; i < v->hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(v->hits, i);

		if (strcmp(h->rule, rule) == 0)
			return (h->matched);
	}
	return (NULL);
}

/* The verdict's restrictions in their text form are want. */
static void
is_restrictions(const struct verdict *v, const char *want, const char *what)
{
	char	*got = restrictions_text(v->restrictions);

	is_str(got, want, "%s", what);
	g_free(got);
}

static void
test_errors(void)
{
	static const char text[] =
	    "rule broken-regex\n"			/* 1 */
	    "    when body ~ /(unclosed/i\n"		/* 2 */
	    "    then kind complaint +2\n"		/* 3 */
	    "rule bad-decision\n"			/* 4 */
	    "    when body ~ /x/\n"			/* 5 */
	    "    then kinds complaint\n"		/* 6 */
	    "rule bad-value\n"				/* 7 */
	    "    when body ~ /x/\n"			/* 8 */
	    "    then kind complain +3\n"		/* 9 */
	    "rule bad-weight\n"			/* 10 */
	    "    when body ~ /x/\n"			/* 11 */
	    "    then kind complaint lots\n"		/* 12 */
	    "rule no-then\n"				/* 13 */
	    "    when body ~ /x/\n"			/* 14 */
	    "rule ok-rule\n"				/* 15 */
	    "    when body ~ /x/\n"			/* 16 */
	    "    then kind vrr\n"			/* 17 */
	    "rule ok-rule\n"				/* 18 */
	    "    when body ~ /y/\n"			/* 19 */
	    "    then kind vrr\n"			/* 20 */
	    "default kind nonsense\n"			/* 21 */
	    "when body ~ /z/\n"			/* 22 */
	    "rule unterminated\n"			/* 23 */
	    "    when body ~ /abc\n"			/* 24 */
	    "      or phrase \"x\n"			/* 25 */
	    "    then kind vrr\n"			/* 26 */
	    "rule bad-or\n"				/* 27 */
	    "    when signal forwarded\n"		/* 28 */
	    "      or ~ /x/\n"				/* 29 */
	    "    then kind vrr\n"			/* 30 */
	    "rule bad-signal\n"			/* 31 */
	    "    when signal telepathy\n"		/* 32 */
	    "    then kind vrr\n"			/* 33 */
	    "frobnicate\n"				/* 34 */
	    "set mixed-threshold many\n"		/* 35 */
	    "rule no-when\n"				/* 36 */
	    "    then kind vrr\n"			/* 37 */
	    "rule bad name\n"				/* 38 */
	    "rule flags\n"				/* 39 */
	    "    when body ~ /x/q\n"			/* 40 */
	    "    then restriction no_phone\n";		/* 41 */
	struct ruleset	*rs;
	GPtrArray	*errors;
	int		 n;

	rs = ruleset_new();
	errors = g_ptr_array_new_with_free_func(g_free);
	n = ruleset_add_file(rs, "test.rules", text, strlen(text), errors);
	ok(n == (int)errors->len, "the count returned is the number of "
	    "errors reported (%d)", n);
	ok(errors->len == 17, "every mistake is reported, not just the "
	    "first: 17 of them (got %u)", errors->len);
	ok(has_error(errors, "test.rules:2: ", "bad regular expression"),
	    "a bad regex is named with FILE:LINE");
	ok(has_error(errors, "test.rules:6: ", "expected a decision"),
	    "an unknown decision says what was expected");
	ok(has_error(errors, "test.rules:9: ", "'complain' is not a kind; "
	    "expected one of complaint"), "an unknown value lists the "
	    "values");
	ok(has_error(errors, "test.rules:12: ", "expected a weight"),
	    "a bad weight is reported");
	ok(has_error(errors, "test.rules:13: ", "has no 'then' line"),
	    "a rule without 'then' is reported at its 'rule' line");
	ok(has_error(errors, "test.rules:18: ", "already defined at "
	    "test.rules:15"), "a duplicate name says where the first is");
	ok(has_error(errors, "test.rules:21: ", "'nonsense' is not a kind"),
	    "a bad default is reported");
	ok(has_error(errors, "test.rules:22: ", "outside a rule"),
	    "'when' before any rule is reported");
	ok(has_error(errors, "test.rules:24: ", "is not closed"),
	    "an unclosed regex is reported");
	ok(has_error(errors, "test.rules:25: ", "is not closed"),
	    "an unclosed phrase on an 'or' line is reported");
	ok(has_error(errors, "test.rules:29: ", "'or' must follow a text "
	    "condition"), "'or' after a non-text condition is reported");
	ok(has_error(errors, "test.rules:32: ", "expected a signal"),
	    "an unknown signal lists the signals");
	ok(has_error(errors, "test.rules:34: ", "unknown line 'frobnicate'"),
	    "an unknown line is reported");
	ok(has_error(errors, "test.rules:35: ", "expected a number"),
	    "a bad setting value is reported");
	ok(has_error(errors, "test.rules:36: ", "has no 'when' line"),
	    "a rule without 'when' is reported");
	ok(has_error(errors, "test.rules:38: ", "expected a rule name"),
	    "a name with a space is reported");
	ok(has_error(errors, "test.rules:40: ", "unknown flag 'q'"),
	    "an unknown regex flag is reported");
	ruleset_free(rs);
	g_ptr_array_unref(errors);

	rs = ruleset_new();
	errors = g_ptr_array_new_with_free_func(g_free);
	{
		static const char crlf[] = "# ok\r\nrule a\r\n  when phrase "
		    "\"x y\"\r\n  then kind vrr +2\r\n";
		static const char bad[] = "rule b\n  when body ~ /\xff/\n"
		    "  then kind vrr\n";

		n = ruleset_add_file(rs, "crlf.rules", crlf, strlen(crlf),
		    errors);
		ok(n == 0, "CRLF line ends are accepted");
		n = ruleset_add_file(rs, "bad.rules", bad, strlen(bad), errors);
		ok(n == 1 && has_error(errors, "bad.rules:2: ", "UTF-8"),
		    "a line that is not UTF-8 is reported");
	}
	ruleset_free(rs);
	g_ptr_array_unref(errors);
}

static void
test_voting(void)
{
	static const char text[] =
	    "default kind complaint\n"
	    "default sentiment negative\n"
	    "default category service\n"
	    "set mixed-threshold 3\n"
	    "rule header-first\n"
	    "    when header X-Test ~ /^one$/\n"
	    "    then kind spam !\n"
	    "rule header-second\n"
	    "    when header X-Test\n"
	    "    then kind bounce !\n"
	    "rule apple\n"
	    "    when body ~ /\\bapples?\\b/i\n"
	    "    then kind feedback +3\n"
	    "    then sentiment positive +1\n"
	    "rule pear\n"
	    "    when body phrase \"ripe pear\"\n"
	    "    then kind enquiry +2\n"
	    "rule not-apple\n"
	    "    when body ~ /\\bno apples\\b/i\n"
	    "    then kind feedback -5\n"
	    "rule banana\n"
	    "    when body ~ /banana/\n"
	    "    unless body ~ /split/\n"
	    "    then kind vrr +9\n"
	    "rule fruit-bowl\n"
	    "    when body ~ /cherry/\n"
	    "      or ~ /plum/\n"
	    "      or phrase \"damson\"\n"
	    "    then kind redirect_other +9\n"
	    "rule tie-a\n"
	    "    when body ~ /\\btie\\b/\n"
	    "    then kind enquiry +2\n"
	    "rule tie-b\n"
	    "    when body ~ /\\btie\\b/\n"
	    "    then kind feedback +2\n"
	    "rule legal-word\n"
	    "    when body ~ /plea/\n"
	    "    then category legal +3\n"
	    "rule service-word\n"
	    "    when body ~ /rude/\n"
	    "    then category service +3\n"
	    "rule calls\n"
	    "    when body ~ /no calls/\n"
	    "    then restriction no_phone\n"
	    "rule visits\n"
	    "    when body ~ /no visits/\n"
	    "    then restriction no_home_visits\n"
	    "rule quoted-apple\n"
	    "    when quoted ~ /apple/\n"
	    "    then restriction no_post\n"
	    "rule short\n"
	    "    when length < 8\n"
	    "    then kind excluded_appeal +1\n";
	struct ruleset	*rs;
	GPtrArray	*errors;
	struct verdict	*v;

	rs = load(text, &errors);
	ok(errors->len == 0, "the voting rules load without errors");

	v = run(rs, "X-Test: one\n", "I like apples.\n");
	is_str(kind_name(v->kind), "spam", "the first '!' vote in file order "
	    "decides outright, over weights");
	is_str(representative_name(v->representative), "-", "machine mail "
	    "has no representative");
	is_restrictions(v, "none",
	    "machine mail has no restriction");
	verdict_free(v);
	v = run(rs, "X-Test: two\n", "I like apples.\n");
	is_str(kind_name(v->kind), "bounce", "a later '!' decides when the "
	    "first did not fire");
	verdict_free(v);

	v = run(rs, "", "Some apples and a ripe pear.\n");
	is_str(kind_name(v->kind), "feedback", "the highest weight wins (3 "
	    "over 2)");
	is_str(sentiment_name(v->sentiment), "positive", "feedback gets a "
	    "sentiment");
	is_str(category_name(v->category), "-", "only complaints get a "
	    "category");
	is_str(matched(v, "apple"), "apples", "the hit records the text the "
	    "rule matched");
	is_str(matched(v, "pear"), "ripe pear", "a phrase matches whole "
	    "words in any case");
	verdict_free(v);

	v = run(rs, "", "A ripe\n  PEAR and no apples here.\n");
	is_str(kind_name(v->kind), "enquiry", "a negative weight takes away; "
	    "a phrase matches across a line break");
	verdict_free(v);

	v = run(rs, "", "Nothing to see at all in this one.\n");
	is_str(kind_name(v->kind), "complaint", "with no positive total the "
	    "default wins");
	is_str(category_name(v->category), "service", "the default category "
	    "applies to a complaint");
	is_str(representative_name(v->representative), "self", "the writer "
	    "is self by default");
	is_str(authority_name(v->authority), "-", "no authority is needed "
	    "for self");
	ok(v->hits->len == 0, "no rule fired, no hit recorded");
	verdict_free(v);

	v = run(rs, "", "banana for everyone here\n");
	is_str(kind_name(v->kind), "vrr", "a rule fires when its 'when' holds");
	verdict_free(v);
	v = run(rs, "", "banana split for everyone\n");
	is_str(kind_name(v->kind), "complaint", "'unless' stops a rule");
	verdict_free(v);
	v = run(rs, "", "a bowl of plums on the table\n");
	is_str(kind_name(v->kind), "redirect_other", "an 'or' line is "
	    "another way to match");
	verdict_free(v);
	v = run(rs, "", "a bowl of DAMSON jam on the table\n");
	is_str(kind_name(v->kind), "redirect_other", "an 'or phrase' line "
	    "matches too");
	verdict_free(v);
	v = run(rs, "", "it is a tie between them\n");
	is_str(kind_name(v->kind), "feedback", "a tie goes to the value "
	    "listed first in the schema");
	verdict_free(v);
	v = run(rs, "", "abc\n");
	is_str(kind_name(v->kind), "excluded_appeal", "length < N counts the "
	    "characters of the writer's words");
	verdict_free(v);

	v = run(rs, "", "the plea was accepted and he was rude to me\n");
	is_str(category_name(v->category), "mixed", "legal and service both "
	    "at the threshold make mixed");
	verdict_free(v);
	v = run(rs, "", "the plea was accepted without a word\n");
	is_str(category_name(v->category), "legal", "legal alone is legal");
	verdict_free(v);

	v = run(rs, "", "please, no calls and no visits\n");
	is_restrictions(v, "no_phone+no_home_visits",
	    "restrictions are flags joined in schema order");
	verdict_free(v);

	v = run(rs, "", "I am writing about my complaint again.\n\n"
	    "On Mon, 19 Oct 2026 at 10:00, Pat <pat@example.org> wrote:\n"
	    "> apple\n");
	ok(matched(v, "apple") == NULL, "body is the writer's own words, not "
	    "the quoted reply");
	is_restrictions(v, "no_post", "the quoted reply is "
	    "'quoted'");
	verdict_free(v);

	ruleset_free(rs);
	g_ptr_array_unref(errors);
}

static void
test_language(void)
{
	static const char text[] =
	    "default language en\n"
	    "set language-min-words 3\n"
	    "words cy yn y mae ddim gyda fy i'r diolch\n"
	    "words en the and to of is was my\n";
	struct ruleset	*rs;
	GPtrArray	*errors;
	struct verdict	*v;

	rs = load(text, &errors);
	ok(errors->len == 0, "the language rules load without errors");
	v = run(rs, "", "Mae fy achos yn y llys ddim yn mynd yn dda. "
	    "Diolch.\n");
	is_str(language_name(v->language), "cy", "Welsh function words make "
	    "it Welsh");
	ok(matched(v, "language") != NULL, "the language count is shown");
	verdict_free(v);
	v = run(rs, "", "I was told the trial was moved and my statement "
	    "was lost.\n\nDiolch yn fawr\nGwasanaeth Erlyn y Goron\n");
	is_str(language_name(v->language), "en", "a Welsh sign-off does not "
	    "make English mail Welsh");
	verdict_free(v);
	v = run(rs, "", "Diolch.\n");
	is_str(language_name(v->language), "en", "one Welsh word is below "
	    "the minimum");
	verdict_free(v);
	ruleset_free(rs);
	g_ptr_array_unref(errors);
}

static void
test_parse(void)
{
	static const char good[] = "rule a\n  when body ~ /apple/\n"
	    "  then kind vrr +5\n";
	static const char bad[] = "rule b\n  when body ~ /(/\n"
	    "  then kind vrr\nrule c\n  when body ~ /x/\n  then kind nope\n";
	static const char later[] = "rule d\n  when body ~ /pear/\n"
	    "  then kind enquiry +9\n";
	const struct rule_text files[] = {
		{ "rules/10-a.rules", good, sizeof good - 1 },
		{ "rules/20-b.rules", bad, sizeof bad - 1 },
		{ "rules/30-d.rules", later, sizeof later - 1 },
	};
	struct ruleset	*rs;
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);
	struct verdict	*v;
	char		*shipped;
	const char	*srcdir = getenv("top_srcdir");

	rs = ruleset_parse(files, G_N_ELEMENTS(files), errors);
	ok(rs == NULL, "a mistake in one file: no ruleset at all");
	ok(errors->len == 2 && has_error(errors, "rules/20-b.rules:2: ",
	    "regular expression") && has_error(errors, "rules/20-b.rules:6: ",
	    "'nope' is not a kind"), "every error is named FILE:LINE");
	g_ptr_array_set_size(errors, 0);

	rs = ruleset_parse(files, 1, errors);
	ok(rs != NULL && errors->len == 0, "a good file makes a ruleset");
	v = run(rs, "", "an apple a day\n");
	is_str(kind_name(v->kind), "vrr", "and its rules classify");
	verdict_free(v);
	ruleset_free(rs);

	{
		const struct rule_text two[] = { files[0], files[2] };

		rs = ruleset_parse(two, G_N_ELEMENTS(two), errors);
		v = run(rs, "", "an apple and a pear\n");
		is_str(kind_name(v->kind), "enquiry", "the rules of every "
		    "file count, in the order given");
		verdict_free(v);
		ruleset_free(rs);
	}
	rs = ruleset_parse(NULL, 0, errors);
	ok(rs != NULL && errors->len == 0, "no files: an empty ruleset");
	ruleset_free(rs);

	shipped = g_build_filename(srcdir != NULL ? srcdir : ".", "rules",
	    NULL);
	rs = test_rules_dir(shipped, errors);
	ok(rs != NULL && errors->len == 0, "the shipped rules in %s parse "
	    "without errors", shipped);
	{
		guint	i;

		for (i = 0; i < errors->len; i++)
			printf("#   %s\n", (char *)g_ptr_array_index(errors, i));
	}
	ruleset_free(rs);
	g_free(shipped);
	g_ptr_array_unref(errors);
}

int
main(void)
{
	test_errors();
	test_voting();
	test_language();
	test_parse();
	return (tap_done());
}
