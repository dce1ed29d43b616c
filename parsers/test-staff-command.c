/*
 * test-staff-command.c: commands from replies as mail clients write them,
 * and the errors a staff member gets back.
 */
#include <string.h>

#include <glib.h>

#include "html-text.h"
#include "schema.h"
#include "staff-command.h"
#include "tests/tap.h"

static const struct staff_command *
command(const struct staff_reply *r, guint i)
{
	return (i < r->commands->len ? r->commands->pdata[i] : NULL);
}

static const char *
error(const struct staff_reply *r, guint i)
{
	return (i < r->errors->len ? r->errors->pdata[i] : NULL);
}

/* Parse body and expect exactly one error, equal to want. */
static void
expect_error(const char *body, const char *want, const char *what)
{
	struct staff_reply	*r = staff_reply_parse(body);

	ok(r->errors->len == 1, "%s: one error (got %u)", what, r->errors->len);
	is_str(error(r, 0), want, what);
	staff_reply_free(r);
}

static void
test_outlook(void)
{
	struct staff_reply		*r;
	const struct staff_command	*c;

	r = staff_reply_parse(
	    "#holding 10 waiting for the police file\r\n"
	    "#note rang the complainant, she is happy to wait\r\n"
	    "\r\n"
	    "Thanks,\r\n"
	    "Jane\r\n"
	    "\r\n"
	    "________________________________\r\n"
	    "From: London Complaints <london.complaints+LON-2026-00042."
	    "0123456789abcdef@cps.example.gov.uk>\r\n"
	    "Sent: 05 January 2026 10:00\r\n"
	    "To: Jane Smith <jane.smith@cps.example.gov.uk>\r\n"
	    "Subject: [LON-2026-00042] New complaint\r\n"
	    "\r\n"
	    "#close\r\n");
	ok(r->errors->len == 0, "Outlook: no errors");
	ok(r->commands->len == 2, "Outlook: two commands, none from the "
	    "quoted original (got %u)", r->commands->len);
	c = command(r, 0);
	ok(c != NULL && c->verb == CMD_HOLDING && c->days == 10,
	    "Outlook: #holding 10");
	is_str(c ? c->arg : NULL, "waiting for the police file",
	    "Outlook: holding reason");
	ok(c != NULL && c->line == 1, "Outlook: #holding on line 1");
	c = command(r, 1);
	ok(c != NULL && c->verb == CMD_NOTE && c->line == 2, "Outlook: #note");
	is_str(c ? c->arg : NULL, "rang the complainant, she is happy to wait",
	    "Outlook: note text");
	is_str(r->text, "Thanks,\nJane", "Outlook: text stops at the "
	    "underscore separator");
	staff_reply_free(r);

	r = staff_reply_parse(
	    "#outcome not upheld\n"
	    "#close\n"
	    "\n"
	    "-----Original Message-----\n"
	    "From: London Complaints\n"
	    "Sent: Monday, January 5, 2026 10:00 AM\n"
	    "#approve\n");
	ok(r->errors->len == 0 && r->commands->len == 2,
	    "Outlook Original Message: two commands");
	is_str(command(r, 0) ? command(r, 0)->arg : NULL, "not_upheld",
	    "'not upheld' is written not_upheld");
	ok(command(r, 0) && command(r, 0)->value == OUTCOME_NOT_UPHELD,
	    "#outcome not upheld: the value is OUTCOME_NOT_UPHELD");
	ok(command(r, 1) && command(r, 1)->verb == CMD_CLOSE && !command(r,
	    1)->arg, "#close has no argument");
	ok(command(r, 1) && command(r, 1)->value == -1,
	    "#close has no value");
	is_str(r->text, "", "no text when only the quote follows");
	staff_reply_free(r);

	/* New Outlook: From:/Date: without a separator line */
	r = staff_reply_parse(
	    "#kind Feedback\n"
	    "Recorded as feedback.\n"
	    "From: London Complaints <london.complaints@cps.example.gov.uk>\n"
	    "Date: Monday, 5 January 2026 at 10:00\n"
	    "To: Jane Smith\n");
	is_str(command(r, 0) ? command(r, 0)->arg : NULL, "feedback",
	    "#kind is case-insensitive and lower-cased");
	ok(command(r, 0) && command(r, 0)->value == KIND_FEEDBACK,
	    "#kind Feedback: the value is KIND_FEEDBACK");
	is_str(r->text, "Recorded as feedback.",
	    "text stops at a From:/Date: header block");
	staff_reply_free(r);
}

static void
test_gmail_apple(void)
{
	struct staff_reply	*r;

	r = staff_reply_parse(
	    "#Respond\n"
	    "\n"
	    "Dear Mrs Example,\n"
	    "\n"
	    "Thank you for your letter.\n"
	    "\n"
	    "Yours sincerely\n"
	    "Jane Smith\n"
	    "\n"
	    "On Mon, 5 Jan 2026 at 10:00, London Complaints <\n"
	    "london.complaints+LON-2026-00042.0123456789abcdef@cps.example."
	    "gov.uk> wrote:\n"
	    "\n"
	    "> I want to complain.\n"
	    "> #close\n");
	ok(r->errors->len == 0 && r->commands->len == 1 &&
	    command(r, 0)->verb == CMD_RESPOND,
	    "Gmail: #Respond is #respond");
	ok(command(r, 0) && command(r, 0)->arg == NULL,
	    "#respond: the draft is the text, not an argument");
	is_str(r->text, "Dear Mrs Example,\n\nThank you for your letter.\n\n"
	    "Yours sincerely\nJane Smith",
	    "Gmail: text stops at a wrapped 'On ... wrote:'");
	staff_reply_free(r);

	r = staff_reply_parse(
	    "#approve\r\n"
	    "\r\n"
	    "On 5 Jan 2026, at 10:00, London Complaints "
	    "<london.complaints@cps.example.gov.uk> wrote:\r\n"
	    "\r\n"
	    "> Draft for approval\r\n");
	ok(r->errors->len == 0 && r->commands->len == 1 &&
	    command(r, 0)->verb == CMD_APPROVE, "Apple Mail: #approve");
	is_str(r->text, "", "Apple Mail: nothing but the quote after it");
	staff_reply_free(r);

	/* Someone writing "On reflection ..." is not quoting. */
	r = staff_reply_parse("#note\n\nOn reflection the delay was ours.\n"
	    "We should say sorry.\n");
	is_str(command(r, 0) ? command(r, 0)->arg : NULL,
	    "On reflection the delay was ours.\nWe should say sorry.",
	    "'On ...' without 'wrote:' is text; #note takes the text");
	staff_reply_free(r);

	/* Inline quotes inside a draft are the writer's own text. */
	r = staff_reply_parse(
	    "#respond\n"
	    "\n"
	    "Dear Mrs Example,\n"
	    "\n"
	    "> the letter was late\n"
	    "\n"
	    "It was, and I am sorry.\n"
	    "\n"
	    "On Mon, 5 Jan 2026 at 10:00, Jane Example <j@example.org> wrote:\n"
	    "> the letter was late\n");
	is_str(r->text, "Dear Mrs Example,\n\n> the letter was late\n\n"
	    "It was, and I am sorry.", "an inline '>' quote does not cut the"
	    " draft short");
	staff_reply_free(r);
	r = staff_reply_parse("#note\n\nSee below.\n\n> quoted\n> more\n"
	    "\n");
	is_str(r->text, "See below.", "a '>' block at the end is the quote");
	staff_reply_free(r);

	/* Welsh Gmail interface */
	r = staff_reply_parse("#iac\n\nAr ddydd Llun, 5 Ion 2026 am 10:00,"
	    " Cwynion <cwynion@cps.example.gov.uk> ysgrifennodd:\n> Cwyn\n");
	ok(r->errors->len == 0 && command(r, 0) &&
	    command(r, 0)->verb == CMD_IAC, "Welsh Gmail: #iac");
	is_str(r->text, "", "Welsh attribution ends the text");
	staff_reply_free(r);

	/* Bottom-posting: the commands follow the quote. */
	r = staff_reply_parse(
	    "On Mon, 5 Jan 2026 at 10:00, London Complaints wrote:\n"
	    "> Please check the draft below.\n"
	    ">\n"
	    "> #respond\n"
	    "\n"
	    "#return please explain what disclosure means\n"
	    "\n"
	    "Jane\n");
	ok(r->errors->len == 0 && r->commands->len == 1 &&
	    command(r, 0)->verb == CMD_RETURN,
	    "bottom-posted: #return under a '>' quote");
	staff_reply_free(r);
	r = staff_reply_parse(
	    "On 05/01/2026 10:00, London Complaints wrote:\n"
	    "\n"
	    "> Please check the draft below.\n"
	    "\n"
	    "#return please explain what disclosure means\n"
	    "\n"
	    "Jane\n");
	is_str(command(r, 0) ? command(r, 0)->arg : NULL,
	    "please explain what disclosure means", "bottom-posted: reason");
	is_str(r->text, "Jane", "bottom-posted: text after the commands");
	staff_reply_free(r);
}

static void
test_html_converted(void)
{
	struct staff_reply		*r;
	const struct staff_command	*c;

	/* Outlook HTML as text: NBSP, bold header names, mailto links. */
	r = staff_reply_parse(
	    "\u00a0\n"
	    "#assign jane.smith@CPS.Example.gov.uk"
	    "<mailto:jane.smith@CPS.Example.gov.uk>\u00a0\n"
	    "\u00a0\n"
	    "\u00a0#category Service\n"
	    "\u00a0\n"
	    "Jane, please take this one.\u00a0\n"
	    "\u00a0\n"
	    "*From:* London Complaints <london.complaints@cps.example.gov.uk>\n"
	    "*Sent:* 05 January 2026 10:00\n"
	    "*To:* Team\n");
	ok(r->errors->len == 0, "HTML-converted: no errors (%s)",
	    error(r, 0) ? error(r, 0) : "");
	c = command(r, 0);
	ok(c != NULL && c->verb == CMD_ASSIGN, "HTML-converted: #assign");
	is_str(c ? c->arg : NULL, "jane.smith@cps.example.gov.uk",
	    "#assign: the address once, domain lower-cased");
	c = command(r, 1);
	ok(c != NULL && c->verb == CMD_CATEGORY && c->line == 4,
	    "HTML-converted: #category after a blank NBSP line, line 4");
	is_str(c ? c->arg : NULL, "service", "#category Service is service");
	ok(c != NULL && c->value == CATEGORY_SERVICE,
	    "#category Service: the value is CATEGORY_SERVICE");
	is_str(c ? c->raw : NULL, "#category Service",
	    "raw: the line without NBSP");
	is_str(r->text, "Jane, please take this one.",
	    "HTML-converted: text trimmed of NBSP, stops at *From:*/*Sent:*");
	staff_reply_free(r);
}

/* HTML-only replies, through the same conversion the parser applies. */
static void
test_html_replies(void)
{
	static const char outlook[] =
	    "<html><head><style>p.MsoNormal{margin:0}</style></head>"
	    "<body lang=\"EN-GB\"><div class=\"WordSection1\">\n"
	    "<p class=\"MsoNormal\">#assign <a href=\"mailto:jane.smith@cps."
	    "example.gov.uk\">jane.smith@cps.example.gov.uk</a><o:p></o:p>"
	    "</p>\n"
	    "<p class=\"MsoNormal\">#note&nbsp;needs a lawyer's view<o:p>"
	    "</o:p></p>\n"
	    "<p class=\"MsoNormal\"><o:p>&nbsp;</o:p></p>\n"
	    "<p class=\"MsoNormal\">Jane, over to you.<o:p></o:p></p>\n"
	    "<div style=\"border:none;border-top:solid #E1E1E1 1.0pt\">\n"
	    "<p class=\"MsoNormal\"><b>From:</b> London Complaints &lt;london."
	    "complaints@cps.example.gov.uk&gt; <br>\n"
	    "<b>Sent:</b> 05 January 2026 10:00<br>\n"
	    "<b>Subject:</b> [LON-2026-00042] New complaint</p></div>\n"
	    "<p class=\"MsoNormal\">#close<o:p></o:p></p>\n"
	    "</div></body></html>\n";
	static const char gmail[] =
	    "<div dir=\"ltr\"><div>#respond</div><div><br></div><div>Dear Mrs"
	    " Example,</div><div><br></div><div>Thank you for your letter."
	    "</div><div><br></div><div>Yours sincerely</div><div>Jane</div>"
	    "</div><br><div class=\"gmail_quote\"><div dir=\"ltr\" class="
	    "\"gmail_attr\">On Mon, 5 Jan 2026 at 10:00, London Complaints"
	    " &lt;<a href=\"mailto:london.complaints@cps.example.gov.uk\">"
	    "london.complaints@cps.example.gov.uk</a>&gt; wrote:<br></div>"
	    "<blockquote class=\"gmail_quote\">#close<br>A complaint."
	    "</blockquote></div>\n";
	struct staff_reply	*r;
	char			*text;

	text = html_to_text(outlook, strlen(outlook));
	r = staff_reply_parse(text);
	ok(r->errors->len == 0 && r->commands->len == 2,
	    "Outlook HTML: #assign and #note, not the quoted #close");
	is_str(command(r, 0) ? command(r, 0)->arg : NULL,
	    "jane.smith@cps.example.gov.uk", "Outlook HTML: the address");
	is_str(command(r, 1) ? command(r, 1)->arg : NULL,
	    "needs a lawyer's view", "Outlook HTML: the note, NBSP and all");
	is_str(r->text, "Jane, over to you.", "Outlook HTML: the text");
	staff_reply_free(r);
	g_free(text);

	text = html_to_text(gmail, strlen(gmail));
	r = staff_reply_parse(text);
	ok(r->errors->len == 0 && r->commands->len == 1 &&
	    command(r, 0)->verb == CMD_RESPOND, "Gmail HTML: #respond only");
	is_str(r->text, "Dear Mrs Example,\n\nThank you for your letter.\n\n"
	    "Yours sincerely\nJane", "Gmail HTML: the draft, without the"
	    " blockquote");
	staff_reply_free(r);
	g_free(text);
}

static void
test_no_commands(void)
{
	struct staff_reply	*r;

	r = staff_reply_parse("Thanks, I will look at this tomorrow.\n\n"
	    "#close\n\nOn Mon, 5 Jan 2026, X wrote:\n> #approve\n");
	ok(r->commands->len == 0 && r->errors->len == 0,
	    "a reply that starts with text has no commands");
	is_str(r->text, "Thanks, I will look at this tomorrow.\n\n#close",
	    "'#' lines below the text stay text");
	staff_reply_free(r);

	r = staff_reply_parse("");
	ok(r->commands->len == 0 && r->errors->len == 0 && *r->text == '\0',
	    "empty body");
	staff_reply_free(r);
	r = staff_reply_parse(NULL);
	ok(r->commands->len == 0 && *r->text == '\0', "NULL body");
	staff_reply_free(r);

	r = staff_reply_parse("#close\xff\n");
	ok(r->errors->len == 1, "invalid UTF-8 does not crash; '#close?' is"
	    " an error");
	staff_reply_free(r);
}

static void
test_every_verb(void)
{
	struct staff_reply	*r;
	guint			 i;
	static const enum staff_verb want[] = { CMD_CLOSE, CMD_REOPEN,
		CMD_ESCALATE, CMD_AUTHORITY, CMD_KIND, CMD_OUTCOME };

	r = staff_reply_parse("#CLOSE\n# reopen\n#escalate\n"
	    "#authority Received\n#kind redirect_police\n"
	    "#outcome: partly -  Upheld\n");
	ok(r->errors->len == 0, "every form accepted (%s)",
	    error(r, 0) ? error(r, 0) : "");
	ok(r->commands->len == G_N_ELEMENTS(want), "six commands");
	for (i = 0; i < G_N_ELEMENTS(want) && i < r->commands->len; i++)
		ok(command(r, i)->verb == want[i] && command(r, i)->line ==
		    (int)i + 1, "command %u is #%s on line %u", i + 1,
		    staff_verb_name(want[i]), i + 1);
	is_str(command(r, 3) ? command(r, 3)->arg : NULL, "received",
	    "#authority received");
	ok(command(r, 3) && command(r, 3)->value == -1,
	    "#authority received is no label: no value");
	ok(command(r, 4) && command(r, 4)->value == KIND_REDIRECT_POLICE,
	    "#kind redirect_police: the value is KIND_REDIRECT_POLICE");
	is_str(command(r, 5) ? command(r, 5)->arg : NULL, "partly_upheld",
	    "#outcome: partly -  Upheld is partly_upheld");
	ok(command(r, 5) && command(r, 5)->value == OUTCOME_PARTLY_UPHELD,
	    "#outcome: partly -  Upheld: the value is OUTCOME_PARTLY_UPHELD");
	staff_reply_free(r);

	r = staff_reply_parse("#outcome:withdrawn\n");
	is_str(command(r, 0) ? command(r, 0)->arg : NULL, "withdrawn",
	    "#outcome:withdrawn without a space");
	ok(command(r, 0) && command(r, 0)->value == OUTCOME_WITHDRAWN,
	    "#outcome:withdrawn: the value is OUTCOME_WITHDRAWN");
	staff_reply_free(r);

	/* Value 0 of each: complaint is a kind, "-" is no category. */
	r = staff_reply_parse("#kind complaint\n");
	ok(r->errors->len == 0 && command(r, 0) &&
	    command(r, 0)->value == KIND_COMPLAINT,
	    "#kind complaint: the value is KIND_COMPLAINT, 0");
	staff_reply_free(r);
	r = staff_reply_parse("#category -\n#outcome -\n");
	ok(r->errors->len == 2 && r->commands->len == 0,
	    "'-' (not applicable) is neither a category nor an outcome");
	staff_reply_free(r);

	r = staff_reply_parse("#note first\n#note second\n");
	ok(r->errors->len == 0 && r->commands->len == 2,
	    "several #note lines are fine");
	staff_reply_free(r);

	r = staff_reply_parse("#return\n\nThe second paragraph needs a date.\n");
	ok(r->errors->len == 0 && command(r, 0) != NULL,
	    "#return with the reason below");
	is_str(command(r, 0) ? command(r, 0)->arg : NULL,
	    "The second paragraph needs a date.", "#return takes the text");
	staff_reply_free(r);

	r = staff_reply_parse("#holding 60\nwaiting for the court file\n");
	ok(r->errors->len == 0 && command(r, 0) && command(r, 0)->days == 60,
	    "#holding 60 with the reason below");
	is_str(command(r, 0) ? command(r, 0)->arg : NULL,
	    "waiting for the court file", "#holding takes the text as reason");
	staff_reply_free(r);
}

static void
test_errors(void)
{
	struct staff_reply	*r;
	char			*help;
	gsize			 i;
	static const char *const names[] = { "assign", "category", "kind",
		"respond", "approve", "return", "holding", "note", "outcome",
		"close", "iac", "authority", "escalate", "reopen" };

	expect_error("#note ok\n#holding\n",
	    "line 2: #holding needs a number of working days and a reason,"
	    " e.g. '#holding 10 waiting for the police file'",
	    "#holding without days");
	expect_error("#holding ten days police\n",
	    "line 1: 'ten' is not a number of working days: #holding needs a"
	    " number of working days and a reason, e.g. '#holding 10 waiting"
	    " for the police file'", "#holding with a word for days");
	expect_error("#holding 75 police file\n",
	    "line 1: #holding 75: the number of working days must be from 1"
	    " to 60, e.g. '#holding 10 waiting for the police file'",
	    "#holding out of range");
	expect_error("#holding 0 police file\n",
	    "line 1: #holding 0: the number of working days must be from 1"
	    " to 60, e.g. '#holding 10 waiting for the police file'",
	    "#holding 0");
	expect_error("#holding 10\n",
	    "line 1: #holding needs a number of working days and a reason, on"
	    " the same line or below the commands, e.g. '#holding 10 waiting"
	    " for the police file'", "#holding without a reason or text");
	expect_error("#asign jane@cps.example.gov.uk\n",
	    "line 1: '#asign' is not a command redress knows. Did you mean"
	    " #assign? The commands are: #assign, #category, #kind, #respond,"
	    " #approve, #return, #holding, #note, #outcome, #close, #iac,"
	    " #authority, #escalate, #reopen.", "misspelt command");
	expect_error("#frobnicate\n",
	    "line 1: '#frobnicate' is not a command redress knows. The"
	    " commands are: #assign, #category, #kind, #respond, #approve,"
	    " #return, #holding, #note, #outcome, #close, #iac, #authority,"
	    " #escalate, #reopen.", "unknown command without a near one");
	expect_error("#\n",
	    "line 1: '#' is not a command: write the command name straight"
	    " after '#'. The commands are: #assign, #category, #kind,"
	    " #respond, #approve, #return, #holding, #note, #outcome, #close,"
	    " #iac, #authority, #escalate, #reopen.", "'#' alone");
	expect_error("#category legel\n",
	    "line 1: 'legel' is not something #category accepts: it needs one"
	    " of: legal, service or mixed, e.g. '#category service'",
	    "#category with a typo");
	expect_error("#kind\n",
	    "line 1: #kind needs one of: complaint, feedback, vrr, enquiry,"
	    " redirect_police, redirect_other, excluded_defendant,"
	    " excluded_appeal, auto_reply, bounce or spam, e.g. '#kind"
	    " feedback'", "#kind without a kind");
	expect_error("#outcome won\n",
	    "line 1: 'won' is not something #outcome accepts: it needs one of:"
	    " upheld, partly_upheld, not_upheld or withdrawn, e.g. '#outcome"
	    " partly_upheld'", "#outcome unknown");
	expect_error("#authority\n",
	    "line 1: #authority needs the word 'received', e.g. '#authority"
	    " received'", "#authority alone");
	expect_error("#approve now please\n",
	    "line 1: #approve takes nothing after it, but the line goes on"
	    " 'now please'; put anything else below the commands, e.g."
	    " '#approve'", "#approve with words after it");
	expect_error("#close.\n",
	    "line 1: '#close.' is not a command redress knows. Did you mean"
	    " #close? The commands are: #assign, #category, #kind, #respond,"
	    " #approve, #return, #holding, #note, #outcome, #close, #iac,"
	    " #authority, #escalate, #reopen.", "#close with a full stop");
	expect_error("#assign jane\n",
	    "line 1: 'jane' is not an email address: #assign needs the email"
	    " address of the colleague who takes the case, e.g. '#assign"
	    " jane.smith@cps.example.gov.uk'", "#assign without an address");
	expect_error("#assign a@cps.example.gov.uk b@cps.example.gov.uk\n",
	    "line 1: #assign takes one address, and this line has several,"
	    " e.g. '#assign jane.smith@cps.example.gov.uk'",
	    "#assign with two addresses");
	expect_error("#outcome upheld\n\n#outcome not_upheld\n",
	    "line 3: #outcome is given twice (lines 1 and 3); keep only one"
	    " of them", "#outcome twice");
	expect_error("#approve\n#return the date is wrong\n",
	    "line 2: #return contradicts #approve on line 1; send either"
	    " #approve or #return REASON", "#approve and #return");
	expect_error("#respond\n\nOn Mon, 5 Jan 2026, X wrote:\n> hi\n",
	    "line 1: #respond needs the response written below the commands,"
	    " but there is no text between the commands and the quoted"
	    " message, e.g. '#respond (then the response below)'",
	    "#respond without text");
	expect_error("#respond\n#note\n\nDear Mr Example,\n",
	    "line 2: #note and #respond (line 1) would both use the text below"
	    " the commands; write the text of the note on the #note line"
	    " itself, e.g. '#note rang the complainant, happy to wait'",
	    "#respond and #note both wanting the text");
	expect_error("#note\n#respond\n\nDear Mr Example,\n",
	    "line 2: #respond and #note (line 1) would both use the text below"
	    " the commands; write the text of the note on the #note line"
	    " itself, e.g. '#note rang the complainant, happy to wait'",
	    "#note then #respond: the advice is about #note");

	expect_error("#hold 5 waiting\n",
	    "line 1: '#hold' is not a command redress knows. Did you mean"
	    " #holding? The commands are: #assign, #category, #kind, #respond,"
	    " #approve, #return, #holding, #note, #outcome, #close, #iac,"
	    " #authority, #escalate, #reopen.", "start of a command name");

	r = staff_reply_parse("#holding 10\n#assign bob\n#hold 5 x\n");
	ok(r->errors->len == 3 && g_str_has_prefix(error(r, 0), "line 1: ")
	    && g_str_has_prefix(error(r, 1), "line 2: ") &&
	    g_str_has_prefix(error(r, 2), "line 3: "),
	    "errors in line order, a missing reply text included");
	staff_reply_free(r);

	r = staff_reply_parse("#holding\n#approve\n#bogus\n");
	ok(r->errors->len == 2 && r->commands->len == 1,
	    "every mistake is reported, good commands kept");
	ok(g_str_has_prefix(error(r, 0), "line 1: ") &&
	    g_str_has_prefix(error(r, 1), "line 3: "), "errors in line order");
	staff_reply_free(r);

	help = staff_commands_help();
	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		char *needle = g_strdup_printf("\n#%s", names[i]);

		ok(strstr(help, needle) != NULL || (i == 0 &&
		    g_str_has_prefix(help, "#assign")),
		    "help describes #%s", names[i]);
		ok(strcmp(staff_verb_name((enum staff_verb)i), names[i]) == 0,
		    "staff_verb_name(%zu) is %s", i, names[i]);
		g_free(needle);
	}
	ok(strstr(help, "#holding DAYS REASON: sends a holding letter") != NULL,
	    "help line for #holding");
	ok(strstr(help, "\n#category legal|service|mixed: sets whether") !=
	    NULL, "help line for #category, its choices from the schema");
	ok(strstr(help, "\n#outcome upheld|partly_upheld|not_upheld|withdrawn:"
	    " records") != NULL, "help line for #outcome, without '-'");
	ok(strstr(help, "\n#kind KIND: corrects") != NULL,
	    "help line for #kind");
	g_free(help);
}

int
main(void)
{
	test_outlook();
	test_gmail_apple();
	test_html_converted();
	test_html_replies();
	test_no_commands();
	test_every_verb();
	test_errors();
	return (tap_done());
}
