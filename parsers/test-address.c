/*
 * test-address.c: every RFC-valid form of address is accepted and written
 * the way SMTP and headers need it; addresses that cannot be answered are
 * refused with a reason; one key compares them all.
 */
#include <string.h>

#include <glib.h>

#include "address.h"
#include "tests/tap.h"

/* What address_canonical() gives, or "(refused)". */
static char *
canon(const char *addr)
{
	char	*c = address_canonical(addr, NULL);

	return (c != NULL ? c : g_strdup("(refused)"));
}

static void
check_canon(const char *addr, const char *want)
{
	char	*got = canon(addr);

	is_str(got, want, "%s is written %s", addr, want);
	g_free(got);
}

static void
test_forms(void)
{
	/* The forms a complaint may come from (issue 8, item 4). */
	check_canon("\"a b\"@example.org", "\"a b\"@example.org");
	check_canon("\"a\\\"b\"@example.org", "\"a\\\"b\"@example.org");
	check_canon("user@[127.0.0.1]", "user@[127.0.0.1]");
	check_canon("user@[IPv6:::1]", "user@[IPv6:::1]");
	check_canon("user@[ipv6:0:0:0:0:0:0:0:1]", "user@[IPv6:::1]");
	check_canon("user+tag@example.org", "user+tag@example.org");
	check_canon("o'brien@example.org", "o'brien@example.org");
	check_canon("josé@exämple.org", "josé@xn--exmple-cua.org");
	check_canon("jose@xn--exmple-cua.org", "jose@xn--exmple-cua.org");
	check_canon("Ada.Lovelace@Example.ORG", "Ada.Lovelace@example.org");
	/* Quotes only where needed. */
	check_canon("\"ada\"@example.org", "ada@example.org");
	check_canon("\"a\\b\"@example.org", "ab@example.org");
	check_canon("\"a..b\"@example.org", "\"a..b\"@example.org");
	check_canon("\"a@b\"@example.org", "\"a@b\"@example.org");
	check_canon("\"\"@example.org", "\"\"@example.org");
	/* Dots out of place, as some mobile carriers send: quoted. */
	check_canon("a..b@example.org", "\"a..b\"@example.org");
	check_canon(".a@example.org", "\".a\"@example.org");
	check_canon("a.@example.org", "\"a.\"@example.org");
	check_canon("\"a\\\\b\"@example.org", "\"a\\\\b\"@example.org");
}

static void
test_refused(void)
{
	static const char *const bad[] = {
		"", "ada", "ada@", "@example.org", "a b@example.org",
		"a@b@example.org", "\"a b@example.org", "\"a\nb\"@example.org",
		"a@-bad-.example.org", "a@exa mple.org", "a@example.org.",
		"a@[300.0.0.1]", "a@[IPv6:::g]", "a@[foo:bar]", "a@[::1]",
		"a\r\nBcc: x@example.org", "<a@example.org>",
		"a@exa_mple.org", "\xff@example.org",
		NULL
	};
	const char	*why;
	char		*c, *long_local, *long_addr, *shown;
	int		 i;

	for (i = 0; bad[i] != NULL; i++) {
		why = NULL;
		c = address_canonical(bad[i], &why);
		shown = g_strescape(bad[i], NULL);
		ok(c == NULL && why != NULL, "'%s' is refused: %s", shown,
		    why != NULL ? why : "(no why)");
		g_free(shown);
		g_free(c);
	}
	ok(address_canonical(NULL, NULL) == NULL, "NULL is refused");
	long_local = g_strnfill(65, 'a');
	c = g_strdup_printf("%s@example.org", long_local);
	ok(!address_valid(c), "a local part over 64 octets is refused");
	g_free(c);
	long_local[64] = '\0';
	c = g_strdup_printf("%s@example.org", long_local);
	ok(address_valid(c), "one of 64 octets is not");
	g_free(c);
	long_addr = g_strdup_printf("%s@%s.%s.%s.example.org", long_local,
	    long_local + 1, long_local + 1, long_local + 1);
	ok(!address_valid(long_addr), "an address over 254 octets is refused");
	g_free(long_addr);
	g_free(long_local);
}

static void
test_envelope(void)
{
	const char	*why = NULL;
	char		*e;

	e = address_envelope("\"a b\"@example.org", FALSE, NULL);
	is_str(e, "\"a b\"@example.org", "a quoted local part stays quoted "
	    "on the SMTP line");
	g_free(e);
	e = address_envelope("user@[ipv6:::1]", FALSE, NULL);
	is_str(e, "user@[IPv6:::1]", "an IPv6 literal is [IPv6:...]");
	g_free(e);
	e = address_envelope("jose@exämple.org", FALSE, NULL);
	is_str(e, "jose@xn--exmple-cua.org", "an IDN domain goes as its "
	    "A-label without SMTPUTF8");
	g_free(e);
	ok(address_needs_smtputf8("josé@exämple.org"), "a UTF-8 local part "
	    "needs SMTPUTF8");
	ok(!address_needs_smtputf8("jose@exämple.org"), "an IDN domain alone "
	    "does not");
	e = address_envelope("josé@exämple.org", FALSE, &why);
	ok(e == NULL && why != NULL && strstr(why, "SMTPUTF8") != NULL,
	    "without SMTPUTF8 a UTF-8 local part cannot be sent (%s)",
	    why != NULL ? why : "no why");
	g_free(e);
	e = address_envelope("josé@exämple.org", TRUE, NULL);
	is_str(e, "josé@xn--exmple-cua.org", "with SMTPUTF8 it can");
	g_free(e);
}

static void
test_key(void)
{
	char	*k;

	k = address_key("Ada@Example.ORG");
	is_str(k, "ada@example.org", "the key is lower case");
	g_free(k);
	ok(address_equal("JOSÉ@exämple.org", "josé@XN--EXMPLE-CUA.org"),
	    "a U-label and an A-label domain have one key");
	ok(address_equal("\"ada\"@example.org", "ada@example.org"),
	    "needless quotes do not change the key");
	ok(!address_equal("\"a b\"@example.org", "ab@example.org"),
	    "a space in quotes does");
	ok(address_equal("MAILER-DAEMON", " mailer-daemon "),
	    "junk compares as itself, without case and spaces");
	ok(!address_equal(NULL, "a@example.org"), "NULL equals nothing");
	ok(address_key(NULL) == NULL, "and has no key");
}

static void
check_header(const char *value, const char *want)
{
	char	*got = address_from_header(value);

	is_str(got, want, "header value '%s' gives %s", value,
	    want != NULL ? want : "no address");
	g_free(got);
}

static void
test_header(void)
{
	char	*local, *domain;

	check_header("Ada <ada@Example.ORG>", "ada@example.org");
	check_header("<\"a b\"@example.org>", "\"a b\"@example.org");
	check_header("<>", "");
	check_header(" < > ", "");
	check_header("MAILER-DAEMON", "MAILER-DAEMON");
	check_header("undisclosed-recipients:;", NULL);
	check_header("team: Ada <ada@example.org>;", "ada@example.org");
	check_header("", NULL);

	ok(address_split("\"a@b\"@example.org", &local, &domain) &&
	    strcmp(local, "\"a@b\"") == 0 &&
	    strcmp(domain, "example.org") == 0, "an @ in quotes does not "
	    "split");
	g_free(local);
	g_free(domain);
	ok(!address_split("\"a@b\"", &local, &domain), "a quoted string "
	    "alone has no domain");
}

int
main(void)
{
	test_forms();
	test_refused();
	test_envelope();
	test_key();
	test_header();
	return (tap_done());
}
