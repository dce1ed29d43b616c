/*
 * fuzz-address.c: addresses under a fuzzer (fuzz.h), over the fixtures in
 * tests/data/address when run without libFuzzer. The input's first line
 * is an addr-spec, and also a header value.
 *
 * Beyond not crashing, address.h's promises must hold: the canonical form
 * is canonical (the same again), short enough, free of control
 * characters, and keeps the key; GMime reads it back, and reads the
 * header GMime writes for it, as the same address; the SMTP form is the
 * canonical one, missing without SMTPUTF8 exactly when it needs it.
 */
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "address.h"
#include "fuzz.h"

const char	 fuzz_name[] = "fuzz-address";
const char	 fuzz_fixture_dir[] = "address";
const char	 fuzz_fixture_suffix[] = ".txt";

/* The one mailbox GMime reads from text has the key of want. */
static gboolean
reads_back(const char *text, const char *want)
{
	InternetAddressList	*list;
	InternetAddress		*ia;
	gboolean		 same = FALSE;

	list = internet_address_list_parse(NULL, text);
	if (list == NULL)
		return (FALSE);
	if (internet_address_list_length(list) == 1 &&
	    INTERNET_ADDRESS_IS_MAILBOX(ia =
	    internet_address_list_get_address(list, 0)))
		same = address_equal(internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia)), want);
	g_object_unref(list);
	return (same);
}

/* What GMime writes in a To: header for addr, with a UTF-8 name. */
static char *
header_of(const char *addr)
{
	InternetAddress	*ia;
	char		*s;

	ia = internet_address_mailbox_new("Jos\xc3\xa9 \"Q\" Public", addr);
	internet_address_set_charset(ia, "utf-8");
	s = internet_address_to_string(ia, NULL, TRUE);
	g_object_unref(ia);
	return (s);
}

static const char *
canonical_defect(const char *input, const char *c)
{
	const char	*defect = NULL, *p;
	char		*again, *k1, *k2, *e1, *e2, *header;

	for (p = c; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f)
			return ("the canonical form has a control character");
	}
	if (strlen(c) > ADDRESS_MAX)
		return ("the canonical form is too long");
	again = address_canonical(c, NULL);
	k1 = address_key(input);
	k2 = address_key(c);
	e1 = address_envelope(input, TRUE, NULL);
	e2 = address_envelope(input, FALSE, NULL);
	header = header_of(c);
	if (again == NULL || strcmp(again, c) != 0)
		defect = "the canonical form is not canonical";
	else if (strcmp(k1, k2) != 0)
		defect = "the canonical form has another key";
	else if (e1 == NULL || strcmp(e1, c) != 0)
		defect = "the SMTPUTF8 envelope is not the canonical form";
	else if ((e2 == NULL) != address_needs_smtputf8(c))
		defect = "the ASCII envelope is missing other than for UTF-8";
	else if (!reads_back(c, c))
		defect = "GMime reads the canonical form as another address";
	else if (!reads_back(header, c))
		defect = "GMime reads its own header as another address";
	g_free(again);
	g_free(k1);
	g_free(k2);
	g_free(e1);
	g_free(e2);
	g_free(header);
	return (defect);
}

const char *
fuzz_one(const uint8_t *data, size_t size)
{
	char		*text = g_strndup((const char *)data, size), *nl;
	char		*c, *h, *k;
	const char	*defect = NULL, *why = NULL;

	g_mime_init();
	if ((nl = strchr(text, '\n')) != NULL)
		*nl = '\0';
	c = address_canonical(text, &why);
	if (c == NULL && why == NULL)
		defect = "an address was refused without a reason";
	else if (c != NULL)
		defect = canonical_defect(text, c);
	else if (address_valid(text) || address_needs_smtputf8(text))
		defect = "a refused address is valid after all";
	k = address_key(text);
	if (defect == NULL && (k == NULL || !g_utf8_validate(k, -1, NULL)))
		defect = "the key is missing or not UTF-8";
	h = address_from_header(text);
	if (defect == NULL && h != NULL && !g_utf8_validate(h, -1, NULL))
		defect = "an address from a header is not UTF-8";
	g_free(h);
	g_free(k);
	g_free(c);
	g_free(text);
	return (defect);
}
