/*
 * test-case-move.c: a complaint's whole life without servers (TAP):
 * acknowledged, drafted, returned, approved, escalated, answered at stage
 * 2, referred to the Assessor, closed and reopened; a representative's
 * complaint waiting for authority, restarted by it, and one closed when
 * it never came; holding letters; moves refused in the wrong state.
 * What the person and staff would receive is read from the outbox.
 */
#include <string.h>

#include "test-core.h"
#include "tests/tap.h"

#define ADA	"ada@example.org"
#define HAROLD	"harold@example.net"
#define COORD	"Lon Coordinator <" CORE_LON_COORD ">"
#define HANDLER	"Hal Handler <" CORE_HANDLER ">"

static const char complaint[] =
    "I want to complain about the way my case was handled. Nobody told "
    "me that the trial on 2 November 2026 was moved, and I lost a day's "
    "pay waiting at court.";

static const char draft[] =
    "#respond\n\nDear Ada Example,\n\nThank you for your complaint about "
    "the trial that moved on 2 November 2026. I am sorry that nobody told "
    "you about the change. The witness care unit did not send you the new "
    "date, and that was our mistake. I have upheld your complaint.\n\n"
    "Yours sincerely,\nHal Handler";

static char *
due_of(struct core *c, const char *ref, const char *kind)
{
	return (core_text(c, "SELECT due FROM deadline WHERE kind = %Q AND "
	    "state = 'open' AND case_id = (SELECT id FROM cases WHERE ref = "
	    "%Q)", kind, ref));
}

/* The newest confirmation to a staff member says "done" or "NOT DONE". */
static gboolean
confirmed(struct core *c, const char *addr, const char *what)
{
	return (core_mail_says(c, addr, "command-reply-notice", what));
}

static void
check_state(struct core *c, const char *ref, const char *want,
    const char *what)
{
	char	*s = core_state(c, ref);

	is_str(s, want, what);
	g_free(s);
}

static void
test_complaint(void)
{
	struct core	*c = core_new(NULL);
	char		*token, *htoken, *atoken, *due, *id, *raw;
	int		 letters;

	if (!ok(c != NULL, "the case core starts in a temporary directory"))
		return;
	core_at(c, "2026-11-23T10:00:00Z");
	ok(core_send(c, "LON", "Ada Example <" ADA ">", CORE_LON,
	    "Complaint about my case", NULL, NULL, complaint) == 0,
	    "a complaint is recorded");
	check_state(c, "LON-2026-00001", "stage1_open",
	    "a complaint is acknowledged and opens stage 1");
	ok(core_sent(c, ADA, "acknowledgement") == 1,
	    "the complainant gets one acknowledgement");
	due = due_of(c, "LON-2026-00001", "stage1_response");
	is_str(due, "2026-12-21", "the stage 1 reply is due 20 working days "
	    "after Mon 23 Nov 2026");
	g_free(due);
	ok(core_sent(c, CORE_LON_COORD, "new-case-notice") == 1,
	    "the coordinators are told of the new case");
	token = core_token(c, CORE_LON_COORD, "new-case-notice");
	ok(token != NULL && g_str_has_prefix(token,
	    "london.complaints+LON-2026-00001.s"),
	    "the staff notice carries a staff reply token");
	atoken = core_token(c, ADA, "acknowledgement");
	ok(atoken != NULL && g_str_has_prefix(atoken,
	    "london.complaints+LON-2026-00001.p"),
	    "the acknowledgement a public one");

	/* A handler drafts; the coordinator returns it, then approves. */
	core_at(c, "2026-11-24T09:00:00Z");
	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#assign " CORE_HANDLER);
	ok(confirmed(c, CORE_LON_COORD, "done: assigned to " CORE_HANDLER),
	    "#assign is confirmed to the coordinator");
	/* The handler steers through the token of their own notice. */
	htoken = core_token(c, CORE_HANDLER, "assigned-notice");
	ok(htoken != NULL && strcmp(htoken, token) != 0,
	    "the handler is told, with a reply token of their own");
	core_send(c, "LON", HANDLER, htoken, "Re: [LON-2026-00001]", NULL,
	    NULL, "#approve");
	ok(confirmed(c, CORE_HANDLER, "NOT DONE: #approve: only the London "
	    "coordinators"), "a handler cannot approve");
	core_send(c, "LON", HANDLER, htoken, "Re: [LON-2026-00001]", NULL,
	    NULL, draft);
	check_state(c, "LON-2026-00001", "stage1_draft",
	    "#respond puts the draft to the coordinators");
	ok(core_sent(c, CORE_LON_COORD, "draft-notice") == 1,
	    "the coordinators receive the draft");
	ok(core_sent(c, ADA, NULL) == 1, "the complainant has no letter yet");
	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#return please name the unit");
	check_state(c, "LON-2026-00001", "stage1_open",
	    "#return sends the draft back: stage 1 is open again");
	ok(core_sent(c, CORE_HANDLER, "draft-returned-notice") == 1,
	    "the author is told why");
	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#approve");
	ok(confirmed(c, CORE_LON_COORD, "NOT DONE: #approve: case "
	    "LON-2026-00001 has no draft waiting"),
	    "#approve without a draft is refused");
	core_send(c, "LON", HANDLER, htoken, "Re: [LON-2026-00001]", NULL,
	    NULL, draft);
	core_at(c, "2026-12-01T09:00:00Z");
	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#approve");
	check_state(c, "LON-2026-00001", "stage1_answered",
	    "#approve sends the letter: stage 1 is answered");
	ok(core_sent(c, ADA, "response-stage1") == 1,
	    "the complainant receives the stage 1 reply");
	raw = core_mail(c, ADA, "response-stage1");
	ok(raw != NULL && strstr(raw, "Friday 1 January 2027") != NULL,
	    "with the exact last day to ask for stage 2");
	g_free(raw);

	/* The complainant escalates, answering the letter. */
	id = core_mail_id(c, ADA, "response-stage1");
	core_at(c, "2026-12-03T09:00:00Z");
	core_send(c, "LON", "Ada Example <" ADA ">", CORE_LON, "", id, NULL,
	    "I am not satisfied with your reply. I want my complaint to go to "
	    "stage 2.");
	g_free(id);
	check_state(c, "LON-2026-00001", "stage2_open",
	    "the complainant's request opens stage 2");
	ok(core_sent(c, ADA, "stage2-acknowledgement") == 1,
	    "and is acknowledged with the new date");
	due = due_of(c, "LON-2026-00001", "stage2_response");
	is_str(due, "2027-01-05", "the stage 2 reply is due 20 working days "
	    "after Thu 3 Dec 2026, across Christmas");
	g_free(due);

	/* A holding letter moves the date. */
	core_send(c, "LON", HANDLER, htoken, "Re: [LON-2026-00001]", NULL,
	    NULL, "#holding 5 waiting for the police file");
	due = due_of(c, "LON-2026-00001", "stage2_response");
	is_str(due, "2027-01-12", "#holding 5 moves the date 5 working days");
	g_free(due);
	ok(core_sent(c, ADA, "holding-letter") == 1,
	    "the complainant gets the holding letter");

	core_at(c, "2026-12-07T09:00:00Z");
	core_send(c, "LON", HANDLER, htoken, "Re: [LON-2026-00001]", NULL,
	    NULL, draft);
	check_state(c, "LON-2026-00001", "stage2_draft",
	    "the stage 2 draft waits for QA");
	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#category service\n#approve");
	check_state(c, "LON-2026-00001", "stage2_answered",
	    "the stage 2 reply is sent");
	ok(core_sent(c, ADA, "response-stage2-iac") == 1,
	    "a service complaint's stage 2 letter gives the route to the "
	    "Assessor");

	/* The Assessor. */
	core_at(c, "2026-12-10T09:00:00Z");
	core_send(c, "LON", "Ada Example <" ADA ">", atoken,
	    "Re: [LON-2026-00001]", NULL, NULL, "Please refer my complaint "
	    "to the Independent Assessor of Complaints.");
	check_state(c, "LON-2026-00001", "iac_referred",
	    "the request within the window refers the case");
	ok(core_sent(c, "iac@assessor.example", "iac-bundle") == 1,
	    "the Assessor receives the bundle");
	raw = core_mail(c, "iac@assessor.example", "iac-bundle");
	ok(raw != NULL && strstr(raw, "message/rfc822") != NULL,
	    "with the case's messages attached");
	g_free(raw);

	/* Closing and reopening. */
	letters = core_sent(c, ADA, NULL);
	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#outcome upheld\n#close");
	check_state(c, "LON-2026-00001", "closed", "#close closes the case");
	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#close");
	ok(confirmed(c, CORE_LON_COORD, "NOT DONE: #close: case "
	    "LON-2026-00001 is closed"), "closing twice is refused, saying "
	    "why");
	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#reopen");
	check_state(c, "LON-2026-00001", "stage2_open",
	    "#reopen opens the stage the case was at");
	ok(core_sent(c, ADA, NULL) == letters,
	    "staff moves after the referral wrote nothing to the complainant");
	g_free(token);
	g_free(htoken);
	g_free(atoken);
	core_free(c);
}

static void
test_authority(void)
{
	struct core	*c = core_new(NULL);
	char		*due, *token;

	if (!ok(c != NULL, "the case core starts"))
		return;
	core_at(c, "2026-11-25T10:00:00Z");
	core_send(c, "LON", "Harold Sample <" HAROLD ">", CORE_LON,
	    "Complaint for my mother", NULL, NULL, "I am writing on behalf of "
	    "my mother. She was not told that the trial on 9 November 2026 "
	    "was cancelled and nobody has answered her letters. I want to "
	    "complain for her.");
	check_state(c, "LON-2026-00001", "awaiting_authority",
	    "a representative without written authority waits");
	ok(core_sent(c, HAROLD, "authority-request") == 1,
	    "and is asked for it");
	due = due_of(c, "LON-2026-00001", "stage1_response");
	is_str(due, "", "the stage 1 clock is stopped: no due date");
	g_free(due);
	token = core_token(c, CORE_LON_COORD, "new-case-notice");
	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#respond\n\nDear Harold,\n\nA reply.");
	ok(confirmed(c, CORE_LON_COORD, "NOT DONE: #respond: case "
	    "LON-2026-00001 is awaiting_authority"),
	    "no reply can be drafted while the case waits for authority");
	core_at(c, "2026-12-02T10:00:00Z");
	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#authority received");
	check_state(c, "LON-2026-00001", "stage1_open",
	    "#authority received restarts the case at stage 1");
	due = due_of(c, "LON-2026-00001", "stage1_response");
	is_str(due, "2027-01-04", "the clock counts again from the day "
	    "after the authority, across Christmas");
	g_free(due);
	ok(core_sent(c, HAROLD, "acknowledgement-representative") == 1,
	    "the representative is acknowledged with that date");
	g_free(token);

	/* A second one never sends it: closed when its time runs out. */
	core_at(c, "2026-11-25T11:00:00Z");
	core_send(c, "LON", "Rita Rep <rita@example.net>", CORE_LON,
	    "Complaint for my father", NULL, NULL, "I am writing on behalf of "
	    "my father. Nobody told him the trial was cancelled. I want to "
	    "complain for him.");
	check_state(c, "LON-2026-00002", "awaiting_authority",
	    "the second representative waits too");
	core_at(c, "2026-12-22T09:00:00Z");
	ok(core_schedule(c) >= 0, "the scheduler runs");
	check_state(c, "LON-2026-00002", "awaiting_authority",
	    "on the last day (20 working days) the case still waits");
	core_at(c, "2026-12-24T09:00:00Z");
	core_schedule(c);
	check_state(c, "LON-2026-00002", "closed",
	    "after it, the case is closed");
	ok(core_sent(c, "rita@example.net", "authority-closed") == 1,
	    "the representative is told why");
	ok(core_sent(c, CORE_LON_COORD, "authority-timeout-notice") == 1,
	    "and the coordinators");
	core_schedule(c);
	ok(core_sent(c, "rita@example.net", NULL) == 2,
	    "the scheduler does it once");
	core_free(c);
}

/* limits.auto_replies_per_day caps automatic mail, never what staff
 * send at their own command. */
static void
test_daily_cap(void)
{
	struct core	*c = core_new("limits = { auto_replies_per_day = 1; };");
	char		*token;

	if (!ok(c != NULL, "the case core starts with a daily cap of 1"))
		return;
	core_at(c, "2026-11-23T10:00:00Z");
	core_send(c, "LON", "Ada Example <" ADA ">", CORE_LON,
	    "Complaint about my case", NULL, NULL, complaint);
	ok(core_sent(c, ADA, "acknowledgement") == 1,
	    "the first automatic mail of the day is sent");
	token = core_token(c, CORE_LON_COORD, "new-case-notice");
	core_send(c, "LON", "Harold <" HAROLD ">", CORE_LON,
	    "Complaint about my case", NULL, "Reply-To: " "ADA@Example.ORG",
	    complaint);
	ok(core_sent(c, ADA, NULL) == 1, "a second one to the same address, "
	    "spelled otherwise, is not");
	ok(core_int(c, "SELECT count(*) FROM event WHERE kind = "
	    "'auto_reply_capped' AND detail = 'acknowledgement'") == 1,
	    "it is recorded as capped");
	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#holding 5 waiting for the police file");
	ok(core_sent(c, ADA, "holding-letter") == 1,
	    "a letter sent at a coordinator's command is not capped");
	core_at(c, "2026-11-24T10:00:00Z");
	core_send(c, "LON", "Cy <cy@example.com>", CORE_LON,
	    "Complaint about my case", NULL, "Reply-To: " ADA, complaint);
	ok(core_sent(c, ADA, "acknowledgement") == 2,
	    "the next day the address is answered again");
	g_free(token);
	core_free(c);
}

int
main(void)
{
	test_complaint();
	test_authority();
	test_daily_cap();
	return (tap_done());
}
