/*
 * test-letter-check.c: a good letter passes every check; each bad one
 * fails the right check with the words at fault in the detail.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "letter-check.h"
#include "tests/tap.h"

static GPtrArray *jargon;

static const char good_letter[] =
    "Dear Mrs Example,\n"
    "\n"
    "Thank you for your email of 5 January 2026 about the case against\n"
    "your neighbour. Our reference is LON-2026-00042.\n"
    "\n"
    "I am sorry that it has taken longer than we promised to reply. The\n"
    "delay was caused by waiting for the police file.\n"
    "\n"
    "You said that nobody told you the case had been stopped. The Crown\n"
    "Prosecution Service (CPS) should have written to you within one\n"
    "working day of that decision. We did not do so, and I am sorry.\n"
    "\n"
    "You also said that the prosecutor was wrong to stop the case. I have\n"
    "read the file. The evidence was not strong enough to continue, so the\n"
    "CPS was right to stop it. The police gave the defence the evidence, a\n"
    "step known as disclosure, on time.\n"
    "\n"
    "I therefore uphold your complaint in part. I uphold the part about\n"
    "keeping you informed. I do not uphold the part about the decision to\n"
    "stop the case.\n"
    "\n"
    "PLEASE NOTE that we have reminded the team to write to victims in the\n"
    "UK promptly.\n"
    "\n"
    "Yours sincerely\n"
    "\n"
    "Jane Smith\n"
    "Complaints Coordinator, CPS London\n";

static struct letter_context
context(void)
{
	struct letter_context	ctx;

	memset(&ctx, 0, sizeof ctx);
	ctx.complainant_name = "Mrs Jane Example";
	ctx.ref = "LON-2026-00042";
	ctx.outcome = OUTCOME_PARTLY_UPHELD;
	ctx.late = TRUE;
	ctx.jargon = jargon;
	ctx.language = "en";
	return (ctx);
}

static const struct letter_finding *
finding(GPtrArray *findings, const char *check)
{
	guint	i;

	for (i = 0; i < findings->len; i++)
		if (strcmp(((struct letter_finding *)findings->pdata[i])->check,
		    check) == 0)
			return (findings->pdata[i]);
	return (NULL);
}

static gboolean
contains(const char *haystack, const char *needle)
{
	return (haystack != NULL && strstr(haystack, needle) != NULL);
}

/*
 * Run the check on text and expect check to pass (or not), with each of
 * the NULL-terminated strings in its detail.
 */
static void
expect(const char *text, const struct letter_context *ctx, const char *check,
    gboolean pass, const char *what, ...)
{
	GPtrArray			*findings = letter_check(text, ctx);
	const struct letter_finding	*f = finding(findings, check);
	va_list				 ap;
	const char			*needle;

	ok(f != NULL && f->pass == pass, "%s: %s %s", what, check,
	    pass ? "passes" : "fails");
	va_start(ap, what);
	while ((needle = va_arg(ap, const char *)) != NULL)
		ok(f != NULL && contains(f->detail, needle),
		    "%s: detail names '%s'", what, needle);
	va_end(ap);
	if (f != NULL && (f->pass != pass))
		printf("#   detail: %s\n", f->detail);
	g_ptr_array_unref(findings);
}

static void
load_jargon(void)
{
	const char	*srcdir = getenv("top_srcdir");
	char		*path, *text;
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);
	GError		*error = NULL;
	int		 n;

	path = g_build_filename(srcdir != NULL ? srcdir : ".", "rules",
	    "jargon.list", NULL);
	if (!g_file_get_contents(path, &text, NULL, &error)) {
		ok(0, "read %s: %s", path, error->message);
		g_error_free(error);
		text = g_strdup("");
	}
	n = jargon_list_parse(text, &jargon, errors, "rules/jargon.list");
	ok(n == 0 && errors->len == 0, "the shipped jargon.list has no errors"
	    " (%s)", errors->len ? (char *)errors->pdata[0] : "");
	ok(jargon->len > 40, "and lists terms (%u)", jargon->len);
	g_free(text);
	g_free(path);
	g_ptr_array_unref(errors);
}

static void
test_jargon_list(void)
{
	GPtrArray			*terms, *errors;
	const struct jargon_term	*t;
	int				 n;

	errors = g_ptr_array_new_with_free_func(g_free);
	n = jargon_list_parse(
	    "# comment\n"
	    "\n"
	    "NFA\tno further action\n"
	    "  bad character application  \t  previous convictions \n"
	    "!UK\n"
	    "\tmissing term\n"
	    "nfa\n"
	    "!\n"
	    "bad\xff\n"
	    "indictment\r\n", &terms, errors, "rules/jargon.list");
	ok(n == 4 && errors->len == 4, "four mistakes found (%d)", n);
	is_str(errors->len > 0 ? errors->pdata[0] : NULL,
	    "rules/jargon.list:6: the term is missing; write the term, then"
	    " optionally a tab and its plain meaning, e.g. 'NFA<TAB>no further"
	    " action'", "missing term, with file and line");
	is_str(errors->len > 1 ? errors->pdata[1] : NULL,
	    "rules/jargon.list:7: 'nfa' is already listed on line 3; keep one"
	    " of them", "duplicate in another case");
	ok(errors->len > 2 && contains(errors->pdata[2], "jargon.list:8: the"
	    " term is missing"), "'!' alone");
	is_str(errors->len > 3 ? errors->pdata[3] : NULL,
	    "rules/jargon.list:9: the line is not valid UTF-8; save the file"
	    " as UTF-8", "invalid UTF-8");
	ok(terms->len == 4, "the good lines are kept (%u)", terms->len);
	t = terms->len > 1 ? terms->pdata[1] : NULL;
	ok(t && strcmp(t->term, "bad character application") == 0 &&
	    strcmp(t->meaning, "previous convictions") == 0 && !t->known,
	    "term and meaning trimmed");
	t = terms->len > 2 ? terms->pdata[2] : NULL;
	ok(t && strcmp(t->term, "UK") == 0 && t->known && t->meaning == NULL,
	    "'!UK' is a known term");
	t = terms->len > 3 ? terms->pdata[3] : NULL;
	ok(t && strcmp(t->term, "indictment") == 0, "CRLF line ends");
	g_ptr_array_unref(terms);
	g_ptr_array_unref(errors);
}

static void
test_good_letter(void)
{
	struct letter_context		 ctx = context();
	GPtrArray			*findings;
	const struct letter_finding	*f;
	char				*report;
	guint				 i;

	findings = letter_check(good_letter, &ctx);
	ok(findings->len == 7, "seven findings");
	for (i = 0; i < findings->len; i++) {
		f = findings->pdata[i];
		ok(f->pass, "good letter: %s passes", f->check);
		if (!f->pass)
			printf("#   detail: %s\n", f->detail);
	}
	f = finding(findings, "addressed-by-name");
	ok(f && contains(f->detail, "'Dear Mrs Example,'"),
	    "the salutation is quoted");
	f = finding(findings, "readability");
	ok(f && contains(f->detail, "Flesch reading ease"),
	    "a reading-ease figure is given");
	f = finding(findings, "resolution-stated");
	ok(f && contains(f->detail, "I therefore uphold your complaint in"
	    " part."), "the outcome sentence is quoted");
	report = letter_findings_text(findings);
	ok(g_str_has_prefix(report, "Letter check: all 7 checks passed.\n"),
	    "report says all passed");
	g_free(report);
	g_ptr_array_unref(findings);
}

static void
test_name(void)
{
	struct letter_context	ctx = context();

	expect("Dear Sir or Madam,\n\nI uphold your complaint.\n", &ctx,
	    "addressed-by-name", FALSE, "generic salutation",
	    "'Dear Sir or Madam,'", "'Dear Mrs Jane Example'", NULL);
	expect("Dear Mr Jones,\n\nI uphold your complaint.\n", &ctx,
	    "addressed-by-name", FALSE, "another person's name",
	    "'Dear Mr Jones,'", "(Mrs Jane Example)", NULL);
	expect("I uphold your complaint.\n", &ctx, "addressed-by-name", FALSE,
	    "no salutation", "its first line is 'I uphold your complaint.'",
	    NULL);
	expect("Dear Jane,\n\nI uphold your complaint.\n", &ctx,
	    "addressed-by-name", TRUE, "first name", NULL);
	expect("\n\n  dear mrs EXAMPLE\n\nText.\n", &ctx, "addressed-by-name",
	    TRUE, "any case, blank lines first", NULL);
	ctx.complainant_name = NULL;
	expect("Dear Sir or Madam,\n\nText.\n", &ctx, "addressed-by-name",
	    TRUE, "name not known", "name is not known", NULL);
	ctx.complainant_name = "Mr";
	expect("Dear Sir,\n\nText.\n", &ctx, "addressed-by-name", TRUE,
	    "a name that is only a title counts as unknown", NULL);
}

static void
test_jargon(void)
{
	struct letter_context	ctx = context();

	expect("Dear Mrs Example,\n\nThe police decided on NFA, and the case"
	    " was discontinued after the CPS looked at the\ndisclosure. The"
	    " file went to the RCJ.\n", &ctx, "jargon", FALSE,
	    "undefined terms",
	    "5 terms are used without an explanation",
	    "'NFA' in \"The police decided on NFA",
	    "(plain words: no further action)",
	    "'discontinued'", "'CPS'", "(plain words: Crown Prosecution",
	    "'disclosure'", "'RCJ' in \"The file went to the RCJ.\". Explain",
	    NULL);
	expect("Dear Mrs Example,\n\nThe police took no further action (NFA)."
	    " The NFA decision stands. The Crown Prosecution Service (CPS)"
	    " agreed. An indictment (the list of charges) was drafted. This"
	    " concerns disclosure, which means sharing evidence with the"
	    " defence. The RCJ - the Royal Courts of Justice - has the file."
	    " We offered no evidence: we told the court we would not go on."
	    " A process called a Newton hearing followed.\n", &ctx, "jargon",
	    TRUE, "every term explained at first use",
	    "no legal jargon or acronym", NULL);
	expect("Dear Mrs Example,\n\nThe CPS reviewed it. The Crown"
	    " Prosecution Service (CPS) is independent.\n", &ctx, "jargon",
	    FALSE, "explained only after first use", "'CPS' in \"The CPS"
	    " reviewed it.\"", NULL);
	expect("Dear Mrs EXAMPLE,\n\nPLEASE NOTE: your MP wrote. Ref"
	    " LON-2026-00042. IMPORTANT. Visit www.CPS.gov.uk or write to"
	    " info@CPS.gov.uk.\n", &ctx, "jargon", TRUE,
	    "name, emphasis, known terms, reference, addresses", NULL);
	expect("Dear Mrs Example,\n\nThe indictments were served.\n", &ctx,
	    "jargon", FALSE, "a plural of a listed term", "'indictment'",
	    NULL);
	expect("Dear Mrs Example,\n\nHaving considered your letter and the"
	    " papers from the police and from the court, and having spoken to"
	    " the lawyer who dealt with the case in the summer, and after"
	    " reading the notes of every meeting held about it since the first"
	    " hearing in the spring, I can now tell"
	    " you that the PPU reviewed it.\n", &ctx, "jargon", FALSE,
	    "a term deep in a long sentence is shown in context",
	    "'PPU' in \"...", "the PPU reviewed it.\"", NULL);
	ctx.jargon = NULL;
	expect("Dear Mrs Example,\n\nThe VRR scheme applies.\n", &ctx,
	    "jargon", FALSE, "acronyms are found without a list", "'VRR'",
	    NULL);
}

/* n words: "word word ... word." */
static void
append_sentence(GString *s, guint n)
{
	guint	i;

	for (i = 0; i < n; i++)
		g_string_append(s, i == 0 ? "Word" : " word");
	g_string_append(s, ". ");
}

static void
test_readability(void)
{
	struct letter_context	 ctx = context();
	GString			*s = g_string_new("Dear Mrs Example,\n\n");
	guint			 i;

	append_sentence(s, 10);
	append_sentence(s, 45);
	expect(s->str, &ctx, "readability", FALSE, "one 45-word sentence",
	    "longest sentence 45 words (limit 40)", "\"Word word word",
	    "Split long sentences", NULL);

	g_string_assign(s, "Dear Mrs Example,\n\n");
	for (i = 0; i < 5; i++)
		append_sentence(s, 30);
	expect(s->str, &ctx, "readability", FALSE, "sentences of 30 words",
	    "aim for 25 or fewer), too long", NULL);

	g_string_assign(s, "Dear Mrs Example,\n\n");
	append_sentence(s, 41);
	append_sentence(s, 42);
	for (i = 0; i < 10; i++)
		append_sentence(s, 5);
	expect(s->str, &ctx, "readability", FALSE, "two long sentences",
	    "longest sentence 42 words", "2 sentences over the limit", NULL);

	expect("Dear Mrs Example,\n\nMr. Smith, i.e. the prosecutor, met"
	    " Dr. J. Jones on 5 Jan. 2026 at 10.30am. It went well!\n", &ctx,
	    "readability", TRUE, "abbreviations do not end sentences",
	    "longest sentence 15 words", NULL);
	expect("", &ctx, "readability", FALSE, "empty draft", "no text", NULL);
	g_string_free(s, TRUE);
}

static void
test_apology_delay(void)
{
	struct letter_context	ctx = context();

	ctx.outcome = OUTCOME_UPHELD;
	expect("Dear Mrs Example,\n\nI uphold your complaint.\n", &ctx,
	    "apology", FALSE, "upheld without apology",
	    "the complaint is upheld but the draft does not apologise", NULL);
	expect("Dear Mrs Example,\n\nI uphold your complaint. Please accept my"
	    " apologies.\n", &ctx, "apology", TRUE, "apologies",
	    "\"Please accept my apologies.\"", NULL);
	ctx.outcome = OUTCOME_PARTLY_UPHELD;
	expect("Dear Mrs Example,\n\nWe apologize.\n", &ctx, "apology", TRUE,
	    "apologize (US spelling)", NULL);
	expect("Dear Mrs Example,\n\nThanks.\n", &ctx, "apology", FALSE,
	    "partly upheld without apology", "partly upheld", NULL);
	ctx.outcome = OUTCOME_NOT_UPHELD;
	expect("Dear Mrs Example,\n\nI do not uphold your complaint.\n", &ctx,
	    "apology", TRUE, "not upheld", "not required: the outcome is"
	    " not_upheld", NULL);
	ctx.outcome = OUTCOME_NONE;
	expect("Dear Mrs Example,\n\nText.\n", &ctx, "apology", TRUE,
	    "no outcome yet", "#outcome", NULL);

	expect("Dear Mrs Example,\n\nI uphold your complaint.\n", &ctx,
	    "delay-explained", FALSE, "late without explanation",
	    "the response is late but the draft does not explain the delay",
	    NULL);
	expect("Dear Mrs Example,\n\nThis reply is late because the file was"
	    " at court.\n", &ctx, "delay-explained", TRUE, "late explained",
	    "\"This reply is late because", NULL);
	expect("Dear Mrs Example,\n\nWe will relate the latest news.\n", &ctx,
	    "delay-explained", FALSE, "'relate' and 'latest' are not 'late'",
	    NULL);
	ctx.late = FALSE;
	expect("Dear Mrs Example,\n\nText.\n", &ctx, "delay-explained", TRUE,
	    "in time", "in time", NULL);
}

static void
test_escalation_resolution(void)
{
	struct letter_context	ctx = context();

	expect("Dear Mrs Example,\n\nI uphold your complaint. If you are still"
	    " dissatisfied, you must write to us within 28 days.\n", &ctx,
	    "escalation", FALSE, "own escalation limit", "('within 28 days')",
	    "\"If you are still dissatisfied", "redress adds", NULL);
	expect("Dear Mrs Example,\n\nYou can ask for a stage 2 review by 14"
	    " February 2026.\n", &ctx, "escalation", FALSE,
	    "own escalation date", "'by 14 February'", NULL);
	expect("Dear Mrs Example,\n\nWe will write within 5 days. If you are"
	    " unhappy, see below.\n", &ctx, "escalation", TRUE,
	    "time limit not about escalation", NULL);
	expect("Dear Mrs Example,\n\nYou were dissatisfied that the police"
	    " took 40 days to reply. We reviewed the file within 10 days.\n",
	    &ctx, "escalation", TRUE,
	    "a complaint about a wait is not an escalation limit", NULL);
	expect("Dear Mrs Example,\n\nIf you want to ask for a review, you"
	    " have one month to do so.\n", &ctx, "escalation", FALSE,
	    "'you have one month to'", "('have one month to')", NULL);

	ctx.outcome = OUTCOME_UPHELD;
	expect("Dear Mrs Example,\n\nThank you for your letter.\n", &ctx,
	    "resolution-stated", FALSE, "no outcome stated",
	    "does not say whether the complaint is upheld or resolved", NULL);
	expect("Dear Mrs Example,\n\nI have decided not to uphold your"
	    " complaint.\n", &ctx, "resolution-stated", FALSE,
	    "letter contradicts the outcome",
	    "says the complaint is not upheld (\"I have decided not to uphold",
	    "the outcome recorded is upheld", NULL);
	expect("Dear Mrs Example,\n\nI have decided to uphold your"
	    " complaint.\n", &ctx, "resolution-stated", TRUE, "upheld stated",
	    NULL);
	ctx.outcome = OUTCOME_NOT_UPHELD;
	expect("Dear Mrs Example,\n\nI don't uphold your complaint.\n", &ctx,
	    "resolution-stated", TRUE, "don't uphold", NULL);
	expect("Dear Mrs Example,\n\nYour complaint has not been upheld.\n",
	    &ctx, "resolution-stated", TRUE, "not been upheld", NULL);
	ctx.outcome = OUTCOME_PARTLY_UPHELD;
	expect("Dear Mrs Example,\n\nI uphold the first point. I cannot uphold"
	    " the second.\n", &ctx, "resolution-stated", TRUE,
	    "partly: one point upheld, one not", NULL);
	expect("Dear Mrs Example,\n\nI uphold your complaint.\n", &ctx,
	    "resolution-stated", FALSE, "partly upheld stated as upheld",
	    "the outcome recorded is partly_upheld", NULL);
	ctx.outcome = OUTCOME_WITHDRAWN;
	expect("Dear Mrs Example,\n\nYou have withdrawn your complaint.\n",
	    &ctx, "resolution-stated", TRUE, "withdrawn", NULL);
	ctx.outcome = OUTCOME_NONE;
	expect("Dear Mrs Example,\n\nI consider your complaint resolved.\n",
	    &ctx, "resolution-stated", TRUE, "resolved, no outcome recorded",
	    NULL);
}

static void
test_welsh_and_report(void)
{
	struct letter_context		 ctx = context();
	GPtrArray			*findings;
	const struct letter_finding	*f;
	char				*report;
	const char			*skipped[] = { "jargon", "apology",
					    "delay-explained", "escalation",
					    "resolution-stated" };
	guint				 i;

	ctx.language = "cy";
	findings = letter_check("Annwyl Mrs Example,\n\nDiolch am eich"
	    " llythyr am y CPS.\n", &ctx);
	for (i = 0; i < G_N_ELEMENTS(skipped); i++) {
		f = finding(findings, skipped[i]);
		ok(f && f->pass && contains(f->detail, "in Welsh"),
		    "Welsh: %s not run, and says so", skipped[i]);
	}
	f = finding(findings, "addressed-by-name");
	ok(f && f->pass, "Welsh: 'Annwyl' with the name passes");
	f = finding(findings, "readability");
	ok(f && f->pass && contains(f->detail, "no reading-ease score for"
	    " Welsh"), "Welsh: length checked, no Flesch");
	g_ptr_array_unref(findings);
	expect("Annwyl Syr/Madam,\n\nDiolch.\n", &ctx, "addressed-by-name",
	    FALSE, "Welsh generic salutation", "'Annwyl Mrs Jane Example'",
	    NULL);

	ctx = context();
	ctx.outcome = OUTCOME_UPHELD;
	findings = letter_check("Dear Sir or Madam,\n\nI uphold your complaint"
	    " about the delay.\n", &ctx);
	report = letter_findings_text(findings);
	ok(g_str_has_prefix(report, "Letter check: 2 of 7 checks need"
	    " attention.\n\nNEEDS ATTENTION: Addressed by name\n  the letter"
	    " opens 'Dear Sir or Madam,'"), "report: count, failures first");
	ok(contains(report, "\nNEEDS ATTENTION: Apology where the complaint is"
	    " upheld\n"), "report: apology needs attention");
	ok(contains(report, "\nOK: Delay explained\n  delay mentioned:"),
	    "report: passed checks after");
	ok(strstr(report, "NEEDS ATTENTION: Apology") < strstr(report, "OK:"),
	    "report: every failure before any pass");
	g_free(report);
	g_ptr_array_unref(findings);
}

int
main(void)
{
	load_jargon();
	test_jargon_list();
	test_good_letter();
	test_name();
	test_jargon();
	test_readability();
	test_apology_delay();
	test_escalation_resolution();
	test_welsh_and_report();
	g_ptr_array_unref(jargon);
	return (tap_done());
}
