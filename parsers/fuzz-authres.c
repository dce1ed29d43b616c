/*
 * fuzz-authres.c: the Authentication-Results reader under a fuzzer
 * (fuzz.h), over the fixtures in tests/data/authres when run without
 * libFuzzer. The input is the header values, one a line, top first.
 *
 * Beyond not crashing, the answer must keep authres.h's promise: only the
 * topmost header counts, so headers below it change nothing and a foreign
 * one put on top hides any pass; a pass needs the trusted authserv-id and
 * the word pass in that header; names compare without case; the same
 * input gives the same answer.
 */
#include <string.h>

#include <glib.h>

#include "authres.h"
#include "fuzz.h"

const char	 fuzz_name[] = "fuzz-authres";
const char	 fuzz_fixture_dir[] = "authres";
const char	 fuzz_fixture_suffix[] = ".txt";

#define TRUSTED	"mx.cps.example.gov.uk"
#define DOMAIN	"cps.example.gov.uk"

/* The input's lines as header values, without line ends. */
static GPtrArray *
values_of(const uint8_t *data, size_t size)
{
	GPtrArray	*values = g_ptr_array_new_with_free_func(g_free);
	char		*text = g_strndup((const char *)data, size);
	char		**lines;
	guint		 i;

	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		if (lines[i + 1] == NULL && *lines[i] == '\0')
			break;	/* after the last line end */
		g_strchomp(lines[i]);
		g_ptr_array_add(values, g_strdup(lines[i]));
	}
	g_strfreev(lines);
	g_free(text);
	return (values);
}

/* Does the topmost value name the trusted server and a pass at all? */
static gboolean
could_pass(GPtrArray *values)
{
	char		*top;
	gboolean	 could;

	if (values->len == 0)
		return (FALSE);
	top = g_ascii_strdown(values->pdata[0], -1);
	could = strstr(top, TRUSTED) != NULL && strstr(top, "pass") != NULL &&
	    strstr(top, "dmarc") != NULL;
	g_free(top);
	return (could);
}

const char *
fuzz_one(const uint8_t *data, size_t size)
{
	GPtrArray	*values = values_of(data, size), *v;
	const char	*defect = NULL;
	gboolean	 pass;

	pass = authres_dmarc_pass(values, TRUSTED, DOMAIN);
	if (pass != authres_dmarc_pass(values, TRUSTED, DOMAIN))
		defect = "the same input gives another answer";
	else if (pass && !could_pass(values))
		defect = "a pass without the trusted id and dmarc pass on top";
	else if (pass != authres_dmarc_pass(values, "MX.CPS.Example.GOV.UK",
	    "CPS.EXAMPLE.gov.uk"))
		defect = "the authserv-id or domain compared with case";
	if (defect == NULL && values->len > 1) {
		v = g_ptr_array_new();
		g_ptr_array_add(v, values->pdata[0]);
		if (pass != authres_dmarc_pass(v, TRUSTED, DOMAIN))
			defect = "a header below the topmost changed the answer";
		g_ptr_array_unref(v);
	}
	if (defect == NULL) {
		v = g_ptr_array_new();
		g_ptr_array_add(v, (gpointer)"mx.other.example; dmarc=pass "
		    "header.from=" DOMAIN);
		g_ptr_array_extend(v, values, NULL, NULL);
		if (authres_dmarc_pass(v, TRUSTED, DOMAIN))
			defect = "a pass below a foreign header counted";
		g_ptr_array_unref(v);
	}
	g_ptr_array_unref(values);
	return (defect);
}
