/*
 * test-reply-token.c: reply addresses round-trip; a staff token counts only
 * from the address it was issued to; public tokens and tokens of the first
 * form verify but say so; forged, tampered and foreign tokens do not.
 */
#include <string.h>

#include <glib.h>

#include "reply-token.h"
#include "tests/tap.h"

static const char secret[] = "correct horse battery staple 2026";
static const char area[] = "london.complaints@cps.example.gov.uk";
static const char coord[] = "lon.coord@cps.example.gov.uk";
static const char other_coord[] = "other.coord@cps.example.gov.uk";
static const char ada[] = "ada@example.org";

static char *
staff_address(const char *ref, const char *recipient)
{
	return (reply_token_address(area, ref, REPLY_TOKEN_STAFF, recipient,
	    secret, strlen(secret)));
}

static char *
public_address(const char *ref)
{
	return (reply_token_address(area, ref, REPLY_TOKEN_PUBLIC, NULL,
	    secret, strlen(secret)));
}

static int
check_from(const char *address, const char *sender, char **ref,
    enum reply_token_kind *kind)
{
	return (reply_token_check(address, area, sender, secret,
	    strlen(secret), ref, kind));
}

static int
check(const char *address, char **ref)
{
	return (check_from(address, ada, ref, NULL));
}

/* A token of the first form, as redress issued them before: the first 16
 * hex digits of HMAC-SHA256(secret, "redress reply token v1:" REF). */
static char *
old_address(const char *ref)
{
	GHmac	*h = g_hmac_new(G_CHECKSUM_SHA256, (const guchar *)secret,
		    strlen(secret));
	char	*addr;

	g_hmac_update(h, (const guchar *)"redress reply token v1:", -1);
	g_hmac_update(h, (const guchar *)ref, -1);
	addr = g_strdup_printf("london.complaints+%s.%.16s@cps.example.gov.uk",
	    ref, g_hmac_get_string(h));
	g_hmac_unref(h);
	return (addr);
}

/* The MAC digits of a reply address. */
static const char *
mac_of(const char *address)
{
	return (strrchr(address, '@') - REPLY_TOKEN_LEN);
}

/* address with character i of its token changed */
static char *
tampered(const char *address, gsize i)
{
	char	*copy = g_strdup(address);
	char	*token = copy + (mac_of(address) - address);

	token[i] = token[i] == '0' ? '1' : '0';
	return (copy);
}

/* Does every one-character change of the token's MAC fail? */
static gboolean
all_tampered_fail(const char *addr, const char *sender)
{
	char	*bad, *ref = NULL;
	gsize	 i;
	int	 failed = 1;

	for (i = 0; i < REPLY_TOKEN_LEN; i++) {
		bad = tampered(addr, i);
		if (check_from(bad, sender, &ref, NULL) != -1)
			failed = 0;
		g_free(bad);
	}
	return (failed && ref == NULL);
}

static void
test_staff(void)
{
	enum reply_token_kind	 kind = REPLY_TOKEN_OLD;
	char			*addr, *ref = NULL, *other, *bad;

	addr = staff_address("LON-2026-00042", coord);
	ok(addr != NULL && g_regex_match_simple("^london\\.complaints\\+"
	    "LON-2026-00042\\.s[0-9a-f]{16}@cps\\.example\\.gov\\.uk$",
	    addr, 0, 0), "a staff address is local+REF.s<16 hex>@domain "
	    "(%s)", addr ? addr : "NULL");
	ok(check_from(addr, coord, &ref, &kind) == 1 &&
	    kind == REPLY_TOKEN_STAFF, "it verifies, as a staff token, in "
	    "mail from its recipient");
	is_str(ref, "LON-2026-00042", "and gives the reference");
	g_free(ref);
	ref = NULL;
	ok(check_from(addr, "LON.Coord@CPS.EXAMPLE.gov.uk", NULL, NULL) == 1,
	    "the recipient's address compares without case");
	other = g_ascii_strup(addr, -1);
	ok(check_from(other, coord, NULL, NULL) == 1,
	    "an upper-cased address verifies");
	g_free(other);
	other = staff_address("LON-2026-00042", "LON.COORD@cps.example.gov.uk");
	is_str(other, addr, "the recipient is lower-cased before use");
	g_free(other);

	kind = REPLY_TOKEN_OLD;
	ok(check_from(addr, ada, &ref, &kind) == -1 && ref == NULL &&
	    kind == REPLY_TOKEN_OLD, "in mail from anyone else it fails and "
	    "leaves *ref and *kind alone");
	ok(check_from(addr, other_coord, NULL, NULL) == -1,
	    "another member of staff cannot use it");
	ok(check_from(addr, NULL, NULL, NULL) == -1 &&
	    check_from(addr, "", NULL, NULL) == -1,
	    "without a sender it fails");
	ok(check_from(addr, "lon.coord@cps.example.gov.uk.evil.example",
	    NULL, NULL) == -1, "a sender that only starts like the recipient "
	    "fails");

	other = staff_address("LON-2026-00042", other_coord);
	ok(other != NULL && strcmp(other, addr) != 0, "each recipient gets a "
	    "token of their own");
	ok(check_from(other, other_coord, NULL, NULL) == 1,
	    "which works for them");
	g_free(other);

	ok(all_tampered_fail(addr, coord), "changing any one character of the "
	    "MAC makes it fail (-1)");
	bad = g_strdup(addr);
	memcpy(strstr(bad, "00042"), "00043", 5);
	ok(check_from(bad, coord, NULL, NULL) == -1,
	    "the token of case 42 does not open case 43");
	g_free(bad);
	bad = g_strdup(addr);
	*(strrchr(bad, '@') - REPLY_TOKEN_LEN - 1) = 'p';
	ok(check_from(bad, coord, NULL, NULL) == -1 &&
	    check_from(bad, ada, NULL, NULL) == -1,
	    "a staff MAC relabelled public fails");
	g_free(bad);

	ok(staff_address("LON-2026-00042", NULL) == NULL &&
	    staff_address("LON-2026-00042", "no-at-sign") == NULL,
	    "a staff token needs a recipient address");
	g_free(addr);
}

static void
test_public(void)
{
	enum reply_token_kind	 kind = REPLY_TOKEN_STAFF;
	char			*addr, *ref = NULL, *bad, *staff;

	addr = public_address("LON-2026-00042");
	ok(addr != NULL && g_regex_match_simple("^london\\.complaints\\+"
	    "LON-2026-00042\\.p[0-9a-f]{16}@cps\\.example\\.gov\\.uk$",
	    addr, 0, 0), "a public address is local+REF.p<16 hex>@domain "
	    "(%s)", addr ? addr : "NULL");
	ok(check_from(addr, "anyone@elsewhere.example", &ref, &kind) == 1 &&
	    kind == REPLY_TOKEN_PUBLIC, "it verifies as public whoever writes");
	is_str(ref, "LON-2026-00042", "and gives the reference");
	g_free(ref);
	ok(check_from(addr, NULL, NULL, NULL) == 1, "even with no sender");
	bad = reply_token_address(area, "lon-2026-00042", REPLY_TOKEN_PUBLIC,
	    ada, secret, strlen(secret));
	is_str(bad, addr, "the reference is upper-cased, and a public token "
	    "is the same whoever it goes to");
	g_free(bad);
	bad = g_ascii_strdown(addr, -1);
	ref = NULL;
	ok(check(bad, &ref) == 1, "a lower-cased address verifies");
	is_str(ref, "LON-2026-00042", "and gives the reference in upper case");
	g_free(ref);
	g_free(bad);

	ok(all_tampered_fail(addr, ada), "changing any one character of the "
	    "MAC makes it fail");
	bad = g_strdup(addr);
	*(strrchr(bad, '@') - REPLY_TOKEN_LEN - 1) = 's';
	ok(check_from(bad, ada, NULL, NULL) == -1 &&
	    check_from(bad, coord, NULL, NULL) == -1,
	    "a public token relabelled staff fails for everyone");
	g_free(bad);
	staff = staff_address("LON-2026-00042", coord);
	ok(strncmp(mac_of(staff), mac_of(addr), REPLY_TOKEN_LEN) != 0,
	    "public and staff tokens of a case differ");
	g_free(staff);
	bad = public_address("LON-2026-00043");
	ok(strncmp(mac_of(bad), mac_of(addr), REPLY_TOKEN_LEN) != 0,
	    "different cases have different tokens");
	g_free(bad);
	g_free(addr);
}

static void
test_old_form(void)
{
	enum reply_token_kind	 kind = REPLY_TOKEN_STAFF;
	char			*addr = old_address("LON-2026-00042"), *ref = NULL;

	ok(check_from(addr, coord, &ref, &kind) == 1 &&
	    kind == REPLY_TOKEN_OLD, "a token of the first form still "
	    "verifies, as the old kind");
	is_str(ref, "LON-2026-00042", "and threads to its case");
	g_free(ref);
	ok(check_from(addr, NULL, NULL, &kind) == 1 && kind == REPLY_TOKEN_OLD,
	    "whoever writes");
	ok(all_tampered_fail(addr, coord), "tampered, it fails");
	ok(reply_token_address(area, "LON-2026-00042", REPLY_TOKEN_OLD, NULL,
	    secret, strlen(secret)) == NULL, "it is never issued again");
	g_free(addr);
}

static void
test_foreign(void)
{
	char	*addr = public_address("LON-2026-00042"), *other, *ref = NULL;

	ok(reply_token_check(addr, area, ada, "another secret", 14, &ref,
	    NULL) == -1 && ref == NULL, "a token made under another secret "
	    "fails");
	ok(reply_token_check(addr, area, ada, secret, 0, &ref, NULL) == -1,
	    "with no secret no token verifies");
	ok(reply_token_check(addr, area, ada, secret, strlen(secret) - 1,
	    NULL, NULL) == -1, "secret_len is honoured");

	ok(check(area, &ref) == 0 && ref == NULL,
	    "the Area address itself has no token (0)");
	ok(check("LONDON.Complaints@CPS.example.gov.uk", NULL) == 0,
	    "nor in capitals");
	ok(check("someone.else+LON-2026-00042.p0123456789abcdef@cps.example."
	    "gov.uk", NULL) == 0, "another mailbox: no token");
	other = g_strdup(addr);
	strcpy(strrchr(other, '@'), "@elsewhere.example");
	ok(check(other, NULL) == 0, "another domain: no token");
	g_free(other);
	ok(check("london.complaintsx+LON-2026-00042.p0123456789abcdef@cps."
	    "example.gov.uk", NULL) == 0, "a longer local part: no token");
	ok(check("not an address", NULL) == 0, "no '@': no token");

	ok(check("london.complaints+LON-2026-00042.p0123456789abcdef@cps."
	    "example.gov.uk", &ref) == -1, "a made-up token fails");
	ok(check("london.complaints+LON-2026-00042.0123456789abcdef@cps."
	    "example.gov.uk", &ref) == -1, "a made-up token of the first form "
	    "fails");
	ok(check("london.complaints+LON-2026-00042@cps.example.gov.uk",
	    NULL) == -1, "a reference without token fails");
	ok(check("london.complaints+newsletter@cps.example.gov.uk", NULL) ==
	    -1, "a detail redress did not issue fails");
	ok(check("london.complaints+LON-2026-00042.x0123456789abcdef@cps."
	    "example.gov.uk", NULL) == -1, "an unknown kind letter fails");
	other = g_strdup_printf("%.*s0@cps.example.gov.uk",
	    (int)(strrchr(addr, '@') - addr), addr);
	ok(check(other, NULL) == -1, "a token one character too long fails");
	g_free(other);
	other = g_strdup_printf("london.complaints+LON_2026.%s",
	    strrchr(addr, '@') - REPLY_TOKEN_LEN - 1);
	ok(check(other, NULL) == -1, "a malformed reference fails");
	g_free(other);

	ok(public_address("LON 2026") == NULL, "a reference with a space is "
	    "refused");
	ok(public_address("LON-2026-00042@x") == NULL, "a reference with '@' "
	    "is refused");
	ok(reply_token_address("no-at-sign", "LON-2026-00042",
	    REPLY_TOKEN_PUBLIC, NULL, secret, strlen(secret)) == NULL,
	    "an Area address without '@' is refused");
	ok(reply_token_address("a+b@x.example", "LON-2026-00042",
	    REPLY_TOKEN_STAFF, coord, secret, strlen(secret)) == NULL,
	    "an Area address with a detail is refused");
	ok(reply_token_address(area, "LON-2026-00042", REPLY_TOKEN_PUBLIC,
	    NULL, "", 0) == NULL, "an empty secret is refused");
	g_free(addr);
}

int
main(void)
{
	test_staff();
	test_public();
	test_old_form();
	test_foreign();
	return (tap_done());
}
