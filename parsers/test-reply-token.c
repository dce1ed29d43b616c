/*
 * test-reply-token.c: reply addresses round-trip; forged, tampered and
 * foreign tokens do not verify.
 */
#include <string.h>

#include <glib.h>

#include "reply-token.h"
#include "tests/tap.h"

static const char secret[] = "correct horse battery staple 2026";
static const char area[] = "london.complaints@cps.example.gov.uk";

static int
check(const char *address, char **ref)
{
	return (reply_token_check(address, area, secret, strlen(secret), ref));
}

/* address with character i of its token changed */
static char *
tampered(const char *address, gsize i)
{
	char	*copy = g_strdup(address);
	char	*token = strrchr(copy, '@') - REPLY_TOKEN_LEN;

	token[i] = token[i] == '0' ? '1' : '0';
	return (copy);
}

int
main(void)
{
	char	*addr, *ref = NULL, *other, *bad, *upper;
	gsize	 i;
	int	 all_rejected = 1;

	addr = reply_token_address(area, "LON-2026-00042", secret,
	    strlen(secret));
	ok(addr != NULL, "an address is made");
	ok(addr && g_str_has_prefix(addr, "london.complaints+LON-2026-00042.")
	    && g_str_has_suffix(addr, "@cps.example.gov.uk"),
	    "address is local+REF.TOKEN@domain (%s)", addr ? addr : "NULL");
	ok(addr && strlen(addr) == strlen(area) + strlen("+LON-2026-00042.") +
	    REPLY_TOKEN_LEN, "token is %d characters", REPLY_TOKEN_LEN);

	ok(check(addr, &ref) == 1, "the address verifies");
	is_str(ref, "LON-2026-00042", "and gives the reference");
	g_free(ref);
	ref = NULL;

	other = reply_token_address(area, "lon-2026-00042", secret,
	    strlen(secret));
	is_str(other, addr, "the reference is upper-cased before use");
	g_free(other);

	upper = g_ascii_strdown(addr, -1);
	ok(check(upper, &ref) == 1, "a lower-cased address verifies");
	is_str(ref, "LON-2026-00042", "and gives the reference in upper case");
	g_free(ref);
	ref = NULL;
	g_free(upper);
	upper = g_ascii_strup(addr, -1);
	ok(check(upper, NULL) == 1, "an upper-cased address verifies");
	g_free(upper);

	for (i = 0; i < REPLY_TOKEN_LEN; i++) {
		bad = tampered(addr, i);
		if (check(bad, &ref) != -1)
			all_rejected = 0;
		g_free(bad);
	}
	ok(all_rejected && ref == NULL, "changing any one character of the "
	    "token makes it fail (-1) and leaves *ref alone");

	other = reply_token_address(area, "LON-2026-00043", secret,
	    strlen(secret));
	bad = g_strdup(addr);
	memcpy(strstr(bad, "00042"), "00043", 5);
	ok(check(bad, &ref) == -1 && ref == NULL,
	    "the token of case 42 does not open case 43");
	ok(check(other, NULL) == 1, "case 43's own token does");
	ok(strcmp(other + strlen(other) - REPLY_TOKEN_LEN - 19,
	    addr + strlen(addr) - REPLY_TOKEN_LEN - 19) != 0,
	    "different cases have different tokens");
	g_free(bad);
	g_free(other);

	ok(reply_token_check(addr, area, "another secret", 14, &ref) == -1 &&
	    ref == NULL, "a token made under another secret fails");
	ok(reply_token_check(addr, area, secret, 0, &ref) == -1,
	    "with no secret no token verifies");
	ok(reply_token_check(addr, area, secret, strlen(secret) - 1, NULL) ==
	    -1, "secret_len is honoured");

	ok(check(area, &ref) == 0 && ref == NULL,
	    "the Area address itself has no token (0)");
	ok(check("LONDON.Complaints@CPS.example.gov.uk", NULL) == 0,
	    "nor in capitals");
	ok(check("someone.else+LON-2026-00042.0123456789abcdef@cps.example."
	    "gov.uk", NULL) == 0, "another mailbox: no token");
	other = g_strdup(addr);
	strcpy(strrchr(other, '@'), "@elsewhere.example");
	ok(check(other, NULL) == 0, "another domain: no token");
	g_free(other);
	ok(check("london.complaintsx+LON-2026-00042.0123456789abcdef@cps."
	    "example.gov.uk", NULL) == 0, "a longer local part: no token");
	ok(check("not an address", NULL) == 0, "no '@': no token");

	ok(check("london.complaints+LON-2026-00042.0123456789abcdef@cps."
	    "example.gov.uk", &ref) == -1, "a made-up token fails");
	ok(check("london.complaints+LON-2026-00042@cps.example.gov.uk",
	    NULL) == -1, "a reference without token fails");
	ok(check("london.complaints+newsletter@cps.example.gov.uk", NULL) ==
	    -1, "a detail redress did not issue fails");
	other = g_strdup_printf("%.*s0@cps.example.gov.uk",
	    (int)(strrchr(addr, '@') - addr), addr);
	ok(check(other, NULL) == -1, "a token one character too long fails");
	g_free(other);
	other = g_strdup_printf("london.complaints+LON_2026.%s",
	    strrchr(addr, '@') - REPLY_TOKEN_LEN);
	ok(check(other, NULL) == -1, "a malformed reference fails");
	g_free(other);

	ok(reply_token_address("no-at-sign", "LON-2026-00042", secret,
	    strlen(secret)) == NULL, "an Area address without '@' is refused");
	ok(reply_token_address("a+b@x.example", "LON-2026-00042", secret,
	    strlen(secret)) == NULL, "an Area address with a detail is "
	    "refused");
	ok(reply_token_address(area, "LON 2026", secret, strlen(secret)) ==
	    NULL, "a reference with a space is refused");
	ok(reply_token_address(area, "LON-2026-00042@x", secret,
	    strlen(secret)) == NULL, "a reference with '@' is refused");
	ok(reply_token_address(area, "LON-2026-00042", "", 0) == NULL,
	    "an empty secret is refused");

	g_free(addr);
	return (tap_done());
}
