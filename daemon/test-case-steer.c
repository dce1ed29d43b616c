/*
 * test-case-steer.c: staff commands without servers (TAP): applied through
 * the staff token issued to the sender or a trusted DMARC pass; refused,
 * with the coordinators told, when unauthenticated, from outside the
 * staff list, vouched for by another server, or sent as staff through a
 * public, old or borrowed token; mistakes change nothing and say how to
 * write the command; commands that name no case get the help; notices to
 * several staff go one per recipient, each with its own token.
 */
#include <string.h>

#include "mail-out.h"
#include "test-core.h"
#include "tests/tap.h"

#define COORD	"Lon Coordinator <" CORE_LON_COORD ">"
#define DMARC	"Authentication-Results: " CORE_AUTHSERV "; dmarc=pass " \
		"header.from=" CORE_STAFF_DOMAIN

static char *
handler(struct core *c)
{
	return (core_text(c, "SELECT handler FROM cases WHERE ref = "
	    "'LON-2026-00001'"));
}

static void
h_state_is(struct core *c, const char *want, const char *what)
{
	char	*s = core_state(c, "LON-2026-00001");

	is_str(s, want, what);
	g_free(s);
}

static gboolean
reply_says(struct core *c, const char *addr, const char *what)
{
	return (core_mail_says(c, addr, "command-reply-notice", what));
}

static const char letter[] = "#respond\n\nDear Ada Example,\n\nYour "
    "complaint is upheld in full and we are very sorry.\n\nYours "
    "sincerely,\nLon Coordinator";

/* A token of the first form, as mail sent before staff tokens carries. */
static char *
old_token(struct core *c)
{
	const char	*secret = c->config->hmac_secret;
	GHmac		*h = g_hmac_new(G_CHECKSUM_SHA256,
			    (const guchar *)secret, strlen(secret));
	char		*addr;

	g_hmac_update(h, (const guchar *)"redress reply token v1:"
	    "LON-2026-00001", -1);
	addr = g_strdup_printf("london.complaints+LON-2026-00001.%.16s@"
	    CORE_STAFF_DOMAIN, g_hmac_get_string(h));
	g_hmac_unref(h);
	return (addr);
}

/* The complainant, holding only mail sent to her, writes as the
 * coordinator: nothing she sends counts. */
static void
test_forged_staff(void)
{
	struct core	*c = core_new(NULL);
	char		*public, *old;
	int		 refused;

	if (c == NULL)
		return;
	core_send(c, "LON", "Ada Example <ada@example.org>", CORE_LON,
	    "Complaint", NULL, NULL, "I want to complain about the way my "
	    "case was handled. Nobody told me the trial had moved.");
	public = core_token(c, "ada@example.org", "acknowledgement");
	old = old_token(c);
	refused = core_sent(c, CORE_LON_COORD, "unauthenticated-notice");

	core_send(c, "LON", COORD, public, "Re: [LON-2026-00001]", NULL, NULL,
	    letter);
	core_send(c, "LON", COORD, public, "Re: [LON-2026-00001]", NULL, NULL,
	    "#approve");
	core_send(c, "LON", COORD, public, "Re: [LON-2026-00001]", NULL, NULL,
	    "#outcome upheld\n#close");
	h_state_is(c, "stage1_open", "the complainant's public token with a "
	    "coordinator's From: #respond, #approve, #close change nothing");
	ok(core_int(c, "SELECT count(*) FROM draft") == 0 &&
	    core_int(c, "SELECT count(*) FROM cases WHERE outcome IS NOT NULL "
	    "AND outcome <> 'none'") == 0, "no draft, no outcome");
	ok(core_sent(c, "ada@example.org", NULL) == 1,
	    "and nothing but the acknowledgement was written to her");
	ok(core_sent(c, CORE_LON_COORD, "unauthenticated-notice") ==
	    refused + 3, "the coordinators are told of each attempt");
	ok(core_sent(c, CORE_LON_COORD, "command-reply-notice") == 0,
	    "and the forged sender gets no confirmation");

	core_send(c, "LON", COORD, old, "Re: [LON-2026-00001]", NULL, NULL,
	    "#close");
	h_state_is(c, "stage1_open", "a token of the first form, as in mail "
	    "already sent, does not authenticate");

	core_send(c, "LON", COORD, public, "Re: [LON-2026-00001]", NULL,
	    "Authentication-Results: mx.evil.example; none\n"
	    "Authentication-Results: " CORE_AUTHSERV "; dmarc=pass "
	    "header.from=" CORE_STAFF_DOMAIN, "#close");
	h_state_is(c, "stage1_open", "a trusted-looking DMARC pass below "
	    "another Authentication-Results header does not authenticate");
	ok(core_sent(c, CORE_LON_COORD, "unauthenticated-notice") ==
	    refused + 5, "each is refused and told");
	ok(core_sent(c, "ada@example.org", NULL) == 1,
	    "the complainant still has only her acknowledgement");
	g_free(public);
	g_free(old);
	core_free(c);
}

/* Each member of staff steers through a token of their own. */
static void
test_own_tokens(void)
{
	const struct area_config *area;
	struct core	*c = core_new(NULL);
	GHashTable	*vars;
	GPtrArray	*to;
	char		*coord, *hand, *a, *b, *cause = NULL;
	int		 rc;

	if (c == NULL)
		return;
	area = config_find_area(c->config, "LON");
	core_send(c, "LON", "Ada Example <ada@example.org>", CORE_LON,
	    "Complaint", NULL, NULL, "I want to complain about the way my "
	    "case was handled. Nobody told me the trial had moved.");
	coord = core_token(c, CORE_LON_COORD, "new-case-notice");
	core_send(c, "LON", COORD, coord, "Re: [LON-2026-00001]", NULL, NULL,
	    "#assign " CORE_HANDLER "\n\nHal, please take this one.");
	hand = core_token(c, CORE_HANDLER, "assigned-notice");
	ok(hand != NULL && strcmp(hand, coord) != 0 &&
	    core_mail_says(c, CORE_HANDLER, "assigned-notice",
	    "please take this one"), "#assign tells the handler, with the "
	    "coordinator's words and a token of their own");

	core_send(c, "LON", "Hal Handler <" CORE_HANDLER ">", coord,
	    "Re: [LON-2026-00001]", NULL, NULL, "#note through a borrowed "
	    "token");
	ok(core_int(c, "SELECT count(*) FROM event WHERE kind = 'note'") == 0,
	    "the coordinator's token does not authenticate the handler");
	core_send(c, "LON", "Hal Handler <" CORE_HANDLER ">", hand,
	    "Re: [LON-2026-00001]", NULL, NULL, letter);
	h_state_is(c, "stage1_draft", "the handler's own token does");

	/* A notice to several staff: a copy each, each bound to its
	 * reader. */
	vars = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	to = mail_addresses(NULL, "one@" CORE_STAFF_DOMAIN);
	g_ptr_array_add(to, g_strdup("two@" CORE_STAFF_DOMAIN));
	g_ptr_array_add(to, g_strdup("outsider@example.org"));
	rc = store_begin(c->store, &cause);
	if (rc == 0)
		rc = mail_notify(c->wf, area, 1, "message-added-notice", vars,
		    to, NULL, &cause);
	if (rc == 0)
		rc = store_commit(c->store, &cause);
	ok(rc == 0, "a notice to three addresses is queued%s%s",
	    cause != NULL ? ": " : "", cause != NULL ? cause : "");
	g_free(cause);
	g_ptr_array_unref(to);
	g_hash_table_unref(vars);
	ok(core_int(c, "SELECT count(*) FROM outbox WHERE template = "
	    "'message-added-notice'") == 3 && core_int(c, "SELECT count(*) "
	    "FROM outbox o JOIN outbox_rcpt r ON r.outbox = o.id WHERE "
	    "o.template = 'message-added-notice'") == 3,
	    "as one message per recipient");
	a = core_token(c, "one@" CORE_STAFF_DOMAIN, "message-added-notice");
	b = core_token(c, "two@" CORE_STAFF_DOMAIN, "message-added-notice");
	ok(a != NULL && b != NULL && strcmp(a, b) != 0 && strstr(a, ".s") &&
	    strstr(b, ".s"), "each member of staff has a staff token of "
	    "their own");
	g_free(a);
	a = core_token(c, "outsider@example.org", "message-added-notice");
	ok(a != NULL && strstr(a, "+LON-2026-00001.p") != NULL,
	    "an address outside the staff gets a public token, even in a "
	    "staff notice");
	g_free(a);
	g_free(b);
	a = core_mail_header(c, "two@" CORE_STAFF_DOMAIN,
	    "message-added-notice", "To");
	ok(a != NULL && strstr(a, "one@") == NULL && strstr(a, "outsider") ==
	    NULL, "and no copy names the other recipients");
	g_free(a);
	g_free(coord);
	g_free(hand);
	core_free(c);
}

int
main(void)
{
	struct core	*c = core_new(NULL);
	char		*token, *h;
	int		 refused;

	if (!ok(c != NULL, "the case core starts"))
		return (tap_done());
	core_at(c, "2026-11-23T10:00:00Z");
	core_send(c, "LON", "Ada Example <ada@example.org>", CORE_LON,
	    "Complaint", NULL, NULL, "I want to complain about the way my "
	    "case was handled. Nobody told me the trial had moved.");
	token = core_token(c, CORE_LON_COORD, "new-case-notice");

	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#assign handler@CPS.example.gov.uk\n\nPlease take this one.");
	h = handler(c);
	is_str(h, CORE_HANDLER, "#assign through the reply token assigns the "
	    "case (the domain in any case)");
	g_free(h);
	ok(reply_says(c, CORE_LON_COORD, "done: assigned to " CORE_HANDLER),
	    "the coordinator gets a confirmation");

	refused = core_sent(c, CORE_LON_COORD, "unauthenticated-notice");
	core_send(c, "LON", COORD, CORE_LON, "Re: [LON-2026-00001]", NULL,
	    NULL, "#assign other@cps.example.gov.uk");
	h = handler(c);
	is_str(h, CORE_HANDLER, "staff mail without token or DMARC changes "
	    "nothing");
	g_free(h);
	ok(core_sent(c, CORE_LON_COORD, "unauthenticated-notice") ==
	    refused + 1, "and the coordinators are told of the attempt");

	core_send(c, "LON", COORD, CORE_LON, "Re: [LON-2026-00001]", NULL,
	    DMARC, "#note rang the complainant");
	ok(core_int(c, "SELECT count(*) FROM event WHERE kind = 'note' AND "
	    "detail = 'rang the complainant'") == 1,
	    "a DMARC pass from the trusted server authenticates a command");

	core_send(c, "LON", COORD, CORE_LON, "Re: [LON-2026-00001]", NULL,
	    "Authentication-Results: mx.elsewhere.example; dmarc=pass "
	    "header.from=" CORE_STAFF_DOMAIN, "#note from elsewhere");
	ok(core_int(c, "SELECT count(*) FROM event WHERE kind = 'note'") == 1,
	    "a DMARC pass from another server does not");

	core_send(c, "LON", "Mallory <mallory@example.org>", token,
	    "Re: [LON-2026-00001]", NULL, NULL, "#close");
	h = core_state(c, "LON-2026-00001");
	is_str(h, "stage1_open", "commands from outside the staff list "
	    "change nothing");
	g_free(h);
	ok(core_int(c, "SELECT count(*) FROM event WHERE kind = "
	    "'command_refused'") == 3, "each refused attempt is recorded");

	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#note first\n#holding soon");
	ok(reply_says(c, CORE_LON_COORD, "Nothing was changed"),
	    "a mistake in any command applies none of them");
	ok(reply_says(c, CORE_LON_COORD, "#holding needs a number of "
	    "working days"), "and says how to write it");
	ok(core_int(c, "SELECT count(*) FROM event WHERE kind = 'note'") == 1,
	    "the note before the mistake was not added");

	core_send(c, "LON", COORD, CORE_LON, "A question", NULL, DMARC,
	    "#close");
	ok(reply_says(c, CORE_LON_COORD, "These commands name no case"),
	    "authenticated commands that name no case are explained");
	ok(core_int(c, "SELECT count(*) FROM cases") == 1,
	    "and open no case");

	core_send(c, "LON", COORD, token, "Re: [LON-2026-00001]", NULL, NULL,
	    "#kind feedback\n#category service\n#outcome upheld");
	h = core_text(c, "SELECT kind || ' ' || category || ' ' || outcome "
	    "FROM cases");
	is_str(h, "feedback service upheld", "#kind, #category and #outcome "
	    "set the case's labels");
	g_free(h);

	g_free(token);
	core_free(c);

	test_forged_staff();
	test_own_tokens();
	return (tap_done());
}
