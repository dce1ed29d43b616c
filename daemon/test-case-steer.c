/*
 * test-case-steer.c: staff commands without servers (TAP): applied through
 * the case's reply token or a trusted DMARC pass; refused, with the
 * coordinators told, when unauthenticated, from outside the staff list or
 * vouched for by another server; mistakes change nothing and say how to
 * write the command; commands that name no case get the help.
 */
#include <string.h>

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

static gboolean
reply_says(struct core *c, const char *addr, const char *what)
{
	return (core_mail_says(c, addr, "command-reply-notice", what));
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
	return (tap_done());
}
