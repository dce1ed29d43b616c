/*
 * test-route.c: which case a message joins, without servers (TAP): the
 * public, staff and first-form reply tokens and what each proves, a
 * forged token, In-Reply-To, the subject reference, the same mail sent to
 * a second Area, the sender's recent case and not an old one, our own
 * mail come back; and who counts as a party of the case.
 */
#include <string.h>

#include "route.h"
#include "test-core.h"
#include "tests/tap.h"

#define ADA	"Ada Example <ada@example.org>"

static const char complaint[] =
    "I want to complain about the way my case was handled. Nobody told "
    "me that the trial on 2 November 2026 was moved.";

/* Route a message (text, "\n" line ends) as incoming would. */
static void
route_text(struct core *c, const char *area_id, const char *text,
    struct route *r)
{
	const struct area_config *area = config_find_area(c->config, area_id);
	struct message	*m = NULL;
	char		*cause = NULL;

	memset(r, 0, sizeof *r);
	if (message_parse(text, strlen(text), &c->config->limits, &m,
	    &cause) != 0) {
		printf("# parse: %s\n", cause);
		g_free(cause);
		return;
	}
	if (route_message(c->wf, area, m, r, &cause) != 0) {
		printf("# route: %s\n", cause);
		g_free(cause);
	}
	message_free(m);
}

static void
route_mail(struct core *c, const char *from, const char *to,
    const char *subject, const char *in_reply_to, const char *message_id,
    struct route *r)
{
	char	*text;

	text = g_strdup_printf("From: %s\r\nTo: %s\r\nSubject: %s\r\n"
	    "Message-ID: <%s>\r\n%s%s%s\r\nsome words\r\n", from, to,
	    subject, message_id != NULL ? message_id : "new@test.example",
	    in_reply_to != NULL ? "In-Reply-To: <" : "",
	    in_reply_to != NULL ? in_reply_to : "",
	    in_reply_to != NULL ? ">\r\n" : "");
	route_text(c, "LON", text, r);
	g_free(text);
}

static gint64
cases(struct core *c)
{
	return (core_int(c, "SELECT count(*) FROM cases"));
}

/* The route of a message from one address to another, with the subject
 * of a reply about the first case. */
static void
route_from(struct core *c, const char *from, const char *to, struct route *r)
{
	route_mail(c, from, to, "Re: [LON-2026-00001]", NULL, NULL, r);
}

/* The coordinator's notice carries a token that authenticates only them. */
static void
test_staff_token(struct core *c)
{
	struct route	 r;
	char		*staff, *public, *both;

	staff = core_token(c, CORE_LON_COORD, "new-case-notice");
	route_from(c, "Lon Coordinator <" CORE_LON_COORD ">", staff, &r);
	ok(r.via == ROUTE_TOKEN && r.token == TOKEN_VALID && r.case_id == 1,
	    "the coordinator's own staff token authenticates them");
	route_from(c, "LON.COORD@cps.example.gov.uk", staff, &r);
	ok(r.token == TOKEN_VALID, "their address in any case");
	route_from(c, "Lon Coordinator <" CORE_HANDLER ">", staff, &r);
	ok(r.token == TOKEN_INVALID && r.via == ROUTE_SUBJECT &&
	    r.case_id == 1, "another member of staff using it is not "
	    "authenticated, though the reply still threads");
	route_from(c, "Lon Coordinator <ada@example.org>", staff, &r);
	ok(r.token == TOKEN_INVALID, "nor is the complainant");
	public = core_token(c, "ada@example.org", "acknowledgement");
	both = g_strdup_printf("%s, %s", public, staff);
	g_free(public);
	route_from(c, CORE_LON_COORD, both, &r);
	ok(r.token == TOKEN_VALID && r.case_id == 1, "of several tokens the "
	    "strongest counts");
	g_free(both);
	g_free(staff);
}

/* A token of the first form, as in mail sent before staff tokens. */
static void
test_old_token(struct core *c)
{
	const char	*secret = c->config->hmac_secret;
	struct route	 r;
	GHmac		*h;
	char		*old;

	h = g_hmac_new(G_CHECKSUM_SHA256, (const guchar *)secret,
	    strlen(secret));
	g_hmac_update(h, (const guchar *)"redress reply token v1:"
	    "LON-2026-00001", -1);
	old = g_strdup_printf("london.complaints+LON-2026-00001.%.16s@"
	    CORE_STAFF_DOMAIN, g_hmac_get_string(h));
	g_hmac_unref(h);
	route_mail(c, "Lon Coordinator <" CORE_LON_COORD ">", old, "hello",
	    NULL, NULL, &r);
	ok(r.via == ROUTE_TOKEN && r.token == TOKEN_OLD && r.case_id == 1,
	    "a token of the first form still threads, and authenticates "
	    "nobody");
	g_free(old);
}

static int
from_party(struct core *c, const char *from, const char *to)
{
	const struct area_config *area = config_find_area(c->config, "LON");
	struct message	*m = NULL;
	char		*text, *cause = NULL;
	int		 rc;

	text = g_strdup_printf("From: %s\r\nTo: %s\r\nSubject: Re: "
	    "[LON-2026-00001]\r\n\r\nstage 2 please\r\n", from, to);
	message_parse(text, strlen(text), &c->config->limits, &m, &cause);
	rc = route_from_party(c->wf, area, m, 1, &cause);
	if (rc == -1)
		printf("# route_from_party: %s\n", cause);
	g_free(cause);
	g_free(text);
	message_free(m);
	return (rc);
}

/* Who may move the case: its parties, however they write. */
static void
test_parties(struct core *c, const char *token)
{
	char	*staff = core_token(c, CORE_LON_COORD, "new-case-notice");

	ok(from_party(c, ADA, CORE_LON) == 1,
	    "the complainant's recorded address is a party");
	ok(from_party(c, "Ada <ADA@Example.ORG>", CORE_LON) == 1,
	    "compared without case");
	ok(from_party(c, "Bob <bob@example.net>", token) == 1,
	    "so is whoever writes through the public token");
	ok(from_party(c, "Bob <bob@example.net>", CORE_LON) == 0,
	    "a stranger quoting the reference is not");
	ok(from_party(c, "Bob <bob@example.net>", staff) == 0,
	    "nor one through a staff token not issued to them");
	ok(from_party(c, "ada@example.org.evil.example", CORE_LON) == 0,
	    "nor an address that only starts like a party's");
	g_free(staff);
}

int
main(void)
{
	struct core	*c = core_new(NULL);
	struct route	 r;
	char		*token, *forged, *ack, *text;

	if (!ok(c != NULL, "the case core starts"))
		return (tap_done());
	core_at(c, "2026-11-23T10:00:00Z");
	core_send(c, "LON", ADA, CORE_LON, "Complaint", NULL, NULL,
	    complaint);
	token = core_token(c, "ada@example.org", "acknowledgement");
	ack = core_mail_id(c, "ada@example.org", "acknowledgement");
	ok(token != NULL && ack != NULL, "the acknowledgement has a reply "
	    "token and a Message-ID");

	route_mail(c, "Bob <bob@example.net>", token, "hello", NULL, NULL,
	    &r);
	ok(r.via == ROUTE_TOKEN && r.token == TOKEN_PUBLIC && r.case_id == 1,
	    "the public token of the acknowledgement routes to its case, "
	    "whoever writes, and authenticates nothing");

	forged = g_strdup(token);
	forged[strlen("london.complaints+LON-2026-00001.p")] ^= 1;
	route_mail(c, "Bob <bob@example.net>", forged, "hello", NULL, NULL,
	    &r);
	ok(r.token == TOKEN_INVALID && r.case_id == 0,
	    "a token with a wrong signature is said to be invalid and routes "
	    "nowhere");
	g_free(forged);

	test_staff_token(c);
	test_old_token(c);
	test_parties(c, token);

	route_mail(c, "Carol <carol@example.com>", CORE_LON, "", ack, NULL,
	    &r);
	ok(r.via == ROUTE_THREAD && r.case_id == 1,
	    "In-Reply-To our acknowledgement routes to the case");
	route_mail(c, "Carol <carol@example.com>", CORE_LON,
	    "Re: [LON-2026-00001] more", NULL, NULL, &r);
	ok(r.via == ROUTE_SUBJECT && r.case_id == 1,
	    "a reference in the subject routes to the case");
	route_mail(c, "Carol <carol@example.com>", CORE_LON,
	    "about [LON-2026-00099]", NULL, NULL, &r);
	ok(r.via == ROUTE_NONE && r.case_id == 0,
	    "a reference to no case routes nowhere");
	route_mail(c, "Dan <dan@example.com>", CORE_WAL, "copy", NULL,
	    "test-1@test.example", &r);
	ok(r.via == ROUTE_SAME_MAIL && r.case_id == 1,
	    "the same Message-ID sent to another Area joins its case");
	route_mail(c, "ADA@EXAMPLE.ORG", CORE_LON, "another thing", NULL,
	    NULL, &r);
	ok(r.via == ROUTE_SENDER && r.case_id == 1,
	    "the sender's one recent open case takes unthreaded mail "
	    "(address in any case)");

	/* A copy to the second Area is one case, not two. */
	text = g_strdup_printf("Delivered-To: %s\nFrom: %s\nTo: %s, %s\n"
	    "Subject: Complaint\nMessage-ID: <test-1@test.example>\n\n%s\n",
	    CORE_WAL, ADA, CORE_LON, CORE_WAL, complaint);
	core_deliver(c, "WAL", text);
	g_free(text);
	ok(cases(c) == 1, "the same complaint to Wales joins the London case");
	ok(core_sent(c, "ada@example.org", NULL) == 1,
	    "and is not acknowledged again");

	/* Our own acknowledgement come back is never answered. */
	text = g_strdup_printf("From: %s\nTo: ada@example.org\n"
	    "Subject: We have received your complaint\nMessage-ID: <%s>\n\n"
	    "Thank you\n", CORE_LON, ack);
	core_deliver(c, "LON", text);
	g_free(text);
	ok(cases(c) == 1 && core_sent(c, CORE_LON, NULL) == 0,
	    "our own mail come back opens nothing and is not answered");

	/* After thread_days the sender's old case no longer takes mail. */
	core_at(c, "2027-02-01T10:00:00Z");
	route_mail(c, ADA, CORE_LON, "another thing", NULL, NULL, &r);
	ok(r.case_id == 0, "a case older than thread_days does not take "
	    "the sender's unthreaded mail");
	core_send(c, "LON", ADA, CORE_LON, "A new complaint", NULL, NULL,
	    complaint);
	ok(cases(c) == 2 && core_int(c, "SELECT count(*) FROM cases WHERE "
	    "ref = 'LON-2027-00001'") == 1, "it opens a new case, numbered "
	    "in the new year");

	g_free(token);
	g_free(ack);
	core_free(c);
	return (tap_done());
}
