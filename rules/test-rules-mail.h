/*
 * test-rules-mail.h: for the tests of the rules, a message to classify
 * and the checks they share. Test code only.
 */
#ifndef REDRESS_TEST_RULES_MAIL_H
#define REDRESS_TEST_RULES_MAIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "message.h"
#include "rules.h"

static const struct parse_limits limits = PARSE_LIMITS_DEFAULT;

static struct message *
mail(const char *headers, const char *subject, const char *body)
{
	struct message	*m = NULL;
	char		*cause = NULL;
	char		*raw = g_strdup_printf("From: Pat <pat@example.org>\n"
	    "To: wessex.complaints@cps.example.gov.uk\nSubject: %s\n"
	    "Date: Wed, 21 Oct 2026 10:00:00 +0100\n"
	    "Message-ID: <t@example.org>\n%s\n%s", subject, headers, body);

	if (message_parse(raw, strlen(raw), &limits, &m, &cause) != 0) {
		printf("# message_parse: %s\n", cause);
		exit(1);
	}
	g_free(raw);
	return (m);
}

/* Classify body under rules; the verdict, to free. */
static struct verdict *
run(const struct ruleset *rs, const char *headers, const char *body)
{
	struct message	*m = mail(headers, "a message", body);
	struct verdict	*v = rules_classify(rs, m, 0);

	message_free(m);
	return (v);
}

static gboolean
has_error(GPtrArray *errors, const char *prefix, const char *words)
{
	guint	i;

	for (i = 0; errors != NULL && i < errors->len; i++) {
		const char	*e = g_ptr_array_index(errors, i);

		if (g_str_has_prefix(e, prefix) && strstr(e, words) != NULL)
			return (TRUE);
	}
	return (FALSE);
}

#endif
