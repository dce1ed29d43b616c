/*
 * fuzz-rulefile.c: the rule-file parser under a fuzzer (parsers/fuzz.h),
 * over the rule files in tests/data/rulefile when run without libFuzzer.
 *
 * Each input is one rule file. Beyond not crashing: it is refused with at
 * least one error or accepted with none, every error names the file and a
 * line of it ("fuzz.rules:N: ..."), and a ruleset it makes classifies a
 * message to a verdict whose kind is one of the kinds.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz.h"
#include "message.h"
#include "rules.h"
#include "verdict.h"

const char	 fuzz_name[] = "fuzz-rulefile";
const char	 fuzz_fixture_dir[] = "rulefile";
const char	 fuzz_fixture_suffix[] = ".rules";

static const char sample[] =
    "From: Ada <ada@example.org>\r\nTo: london@cps.example.gov.uk\r\n"
    "Subject: My complaint\r\nMessage-ID: <f@example.org>\r\n\r\n"
    "I want to complain about the police and the CPS decision.\r\n";

/* Whether an error names the file and a line within the text's lines. */
static gboolean
names_a_line(const char *error, guint lines)
{
	const char	*p = error + strlen("fuzz.rules:");
	char		*end;
	unsigned long	 n;

	if (!g_str_has_prefix(error, "fuzz.rules:"))
		return (FALSE);
	n = strtoul(p, &end, 10);
	return (end != p && *end == ':' && n >= 1 && n <= lines + 1);
}

const char *
fuzz_one(const uint8_t *data, size_t size)
{
	static char		 what[256];
	struct parse_limits	 limits = PARSE_LIMITS_DEFAULT;
	struct rule_text	 file = { "fuzz.rules", (const char *)data,
				    size };
	struct ruleset		*rs;
	struct message		*m = NULL;
	struct verdict		*v;
	GPtrArray		*errors = g_ptr_array_new_with_free_func(g_free);
	const char		*bad = NULL;
	guint			 i, lines = 1;
	char			*cause = NULL;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	rs = ruleset_parse(&file, 1, errors);
	if (rs == NULL && errors->len == 0)
		bad = "refused without saying why";
	else if (rs != NULL && errors->len > 0)
		bad = "accepted with errors";
	for (i = 0; bad == NULL && i < errors->len; i++)
		if (!names_a_line(g_ptr_array_index(errors, i), lines)) {
			g_snprintf(what, sizeof what, "an error names no line "
			    "of the file: %.200s",
			    (char *)g_ptr_array_index(errors, i));
			bad = what;
		}
	if (bad == NULL && rs != NULL &&
	    message_parse(sample, sizeof sample - 1, &limits, &m,
	    &cause) == 0) {
		v = rules_classify(rs, m, 0);
		if ((int)v->kind < 0 || v->kind >= KIND__COUNT)
			bad = "a verdict with a kind outside the kinds";
		verdict_free(v);
		message_free(m);
	}
	g_free(cause);
	ruleset_free(rs);
	g_ptr_array_unref(errors);
	return (bad);
}
