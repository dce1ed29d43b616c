/*
 * test-loop.c: what counts as a writer's own words when a message answers
 * ours, and when an echo makes a machine (rules/loop.c).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "loop.h"
#include "tests/tap.h"

static const char ours[] =
    "Dear Sir or Madam,\n"
    "\n"
    "Thank you for your message. We cannot deal with complaints about the\n"
    "police: please contact the police force directly.\n"
    "\n"
    "Crown Prosecution Service London\n";

static struct message *
parse(const char *body)
{
	struct parse_limits limits = PARSE_LIMITS_DEFAULT;
	struct message	*m = NULL;
	char		*raw, *cause = NULL;

	raw = g_strdup_printf("From: Desk <desk@council.example>\r\n"
	    "To: london.complaints@cps.example\r\n"
	    "Subject: Re: your message\r\n"
	    "Message-ID: <r1@council.example>\r\n"
	    "In-Reply-To: <ours@cps.example>\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "\r\n%s", body);
	if (message_parse(raw, strlen(raw), &limits, &m, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	g_free(raw);
	return (m);
}

static void
words(const char *body, const char *with, int want, const char *what)
{
	struct message	*m = parse(body);
	int		 got = loop_own_words(m, with);

	ok(got == want, "%s: %d words of their own", what, want);
	if (got != want)
		printf("#   got %d\n", got);
	message_free(m);
}

int
main(void)
{
	struct message	*m;

	words("We are closed for the holidays.\n", NULL, 6, "a short answer");
	words("We are closed for the holidays.\n\n"
	    "> Thank you for your message. We cannot deal with complaints\n"
	    "> about the police.\n", NULL, 6, "quoted lines are not theirs");
	words("We are closed.\n\nDear Sir or Madam,\n\nThank you for your "
	    "message. We cannot deal with complaints about the\npolice: "
	    "please contact the police force directly.\n", ours, 3,
	    "our own paragraphs copied back unquoted are not theirs");
	words("We are closed. Ref <ours@cps.example> "
	    "https://council.example/help desk@council.example\n", NULL, 4,
	    "Message-IDs, links and addresses are not words");
	words("Dear Sir or Madam,\n", NULL, 4, "without our text, a greeting "
	    "is theirs");

	m = parse("Closed.\n");
	ok(loop_is_echo(m, TRUE, NULL), "a short answer to ours is an echo");
	ok(!loop_is_echo(m, FALSE, NULL), "one that answers none of ours is "
	    "not");
	message_free(m);
	m = parse("I understand that you cannot deal with complaints about "
	    "the police, but the officer told me that the CPS decided not to "
	    "charge the man who attacked my son, and nobody has explained why "
	    "to us or given us a letter about it.\n");
	ok(!loop_is_echo(m, TRUE, NULL), "a person's answer of %d words is "
	    "not an echo", loop_own_words(m, NULL));
	message_free(m);

	ok(!loop_is_machine(0) && !loop_is_machine(1), "the first two "
	    "echoes are answered");
	ok(loop_is_machine(2) && loop_is_machine(7), "the third and later "
	    "are a machine's");
	return (tap_done());
}
