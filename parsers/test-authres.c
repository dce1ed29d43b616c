/*
 * test-authres.c: only the trusted server's dmarc=pass for the From domain,
 * in the topmost Authentication-Results header, authenticates a staff
 * message.
 */
#include <string.h>

#include <glib.h>

#include "authres.h"
#include "tests/tap.h"

#define TRUSTED	"mx.cps.example.gov.uk"
#define DOMAIN	"cps.example.gov.uk"

/* The values given, top first; NULL-terminated. */
static gboolean
pass_with(const char *domain, ...)
{
	GPtrArray	*values = g_ptr_array_new();
	va_list		 ap;
	const char	*v;
	gboolean	 pass;

	va_start(ap, domain);
	while ((v = va_arg(ap, const char *)) != NULL)
		g_ptr_array_add(values, (gpointer)v);
	va_end(ap);
	pass = authres_dmarc_pass(values, TRUSTED, domain);
	g_ptr_array_unref(values);
	return (pass);
}

int
main(void)
{
	GPtrArray	*empty = g_ptr_array_new();

	ok(pass_with(DOMAIN, TRUSTED "; dmarc=pass header.from=" DOMAIN,
	    NULL), "trusted dmarc=pass for the From domain");
	ok(pass_with(DOMAIN, TRUSTED "; spf=pass smtp.mailfrom=" DOMAIN ";\r\n"
	    "\tdkim=pass (2048-bit key; unprotected) header.d=" DOMAIN
	    " header.i=@" DOMAIN " header.s=s1 header.b=abcd;\r\n"
	    "\tdmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE)"
	    " header.from=" DOMAIN, NULL),
	    "several results, folded, comments with ';' inside");
	ok(pass_with(DOMAIN, "MX.CPS.Example.GOV.UK 1; DMARC = Pass"
	    " header.from=CPS.EXAMPLE.GOV.UK", NULL),
	    "case-insensitive, version number, spaces around '='");
	ok(pass_with(DOMAIN, TRUSTED "; dmarc/1=pass reason=\"aligned; ok\""
	    " policy.dmarc=reject header.from=\"" DOMAIN "\"", NULL),
	    "method version, quoted reason with ';', quoted domain");
	ok(pass_with(DOMAIN, TRUSTED " (our (nested) comment);"
	    " dmarc=pass header.from=user@" DOMAIN ".", NULL),
	    "nested comment, header.from as user@domain with a root dot");

	ok(!pass_with(DOMAIN, TRUSTED "; dmarc=fail (p=reject)"
	    " header.from=" DOMAIN, NULL), "dmarc=fail is not a pass");
	ok(!pass_with(DOMAIN, TRUSTED "; dmarc=none header.from=" DOMAIN,
	    NULL), "dmarc=none is not a pass");
	ok(!pass_with(DOMAIN, TRUSTED "; dmarc=pass header.from=evil.example",
	    NULL), "header.from of another domain");
	ok(!pass_with(DOMAIN, TRUSTED "; dmarc=pass header.from=x."
	    DOMAIN, NULL), "a subdomain is another domain");
	ok(!pass_with(DOMAIN, TRUSTED "; dmarc=pass", NULL),
	    "dmarc=pass without header.from");
	ok(!pass_with(DOMAIN, TRUSTED "; dkim=pass header.d=" DOMAIN
	    "; spf=pass smtp.mailfrom=" DOMAIN, NULL),
	    "DKIM and SPF passes without DMARC");
	ok(!pass_with(DOMAIN, TRUSTED "; none", NULL), "no results");
	ok(!pass_with(DOMAIN, TRUSTED "; dmarc=pass (header.from="
	    DOMAIN ")", NULL), "header.from inside a comment does not count");
	ok(!pass_with(DOMAIN, TRUSTED "; dmarc=\"pass\" header.from=" DOMAIN,
	    NULL), "a quoted result is not the keyword pass");
	ok(!pass_with(DOMAIN, TRUSTED "; dmarc=pass header.from=" DOMAIN
	    "; dmarc=fail header.from=" DOMAIN, NULL),
	    "a pass and a fail for the same domain is not a pass");
	ok(!pass_with(DOMAIN, TRUSTED "; dmarc=pass header.from", NULL),
	    "truncated property");

	ok(!pass_with(DOMAIN, "mx.evil.example; dmarc=pass header.from="
	    DOMAIN, NULL), "an untrusted authserv-id is ignored");
	ok(!pass_with(DOMAIN, "mx.cps.example.gov.uk.evil.example;"
	    " dmarc=pass header.from=" DOMAIN, NULL),
	    "an authserv-id that only starts like the trusted one");
	ok(!pass_with(DOMAIN, "mx.evil.example; dmarc=fail header.from=" DOMAIN,
	    TRUSTED "; dmarc=pass header.from=" DOMAIN, NULL),
	    "a trusted-looking pass below a foreign header is ignored");
	ok(!pass_with(DOMAIN, "mx.evil.example; none",
	    TRUSTED "; dmarc=pass header.from=" DOMAIN, NULL),
	    "even when the foreign header reports nothing");
	ok(!pass_with(DOMAIN, "mx.evil.example; dmarc=pass header.from="
	    DOMAIN, "mx.other.example; none",
	    TRUSTED "; dmarc=pass header.from=" DOMAIN, NULL),
	    "or when the trusted-looking one is further down");
	ok(pass_with(DOMAIN, TRUSTED "; dmarc=pass header.from=" DOMAIN,
	    "mx.evil.example; dmarc=fail header.from=" DOMAIN, NULL),
	    "the topmost trusted header counts whatever those below say");
	ok(!pass_with(DOMAIN, "garbage without a semicolon",
	    TRUSTED "; dmarc=pass header.from=" DOMAIN, NULL),
	    "a malformed topmost header hides the trusted one below");
	ok(!pass_with(DOMAIN, TRUSTED "; dmarc=fail header.from=" DOMAIN,
	    TRUSTED "; dmarc=pass header.from=" DOMAIN, NULL),
	    "a trusted-looking pass below the real (top) one is forged");
	ok(!pass_with(DOMAIN, "\"" TRUSTED "\"x; dmarc=pass header.from="
	    DOMAIN, NULL), "garbled authserv-id");

	ok(!authres_dmarc_pass(empty, TRUSTED, DOMAIN), "no headers");
	ok(!authres_dmarc_pass(NULL, TRUSTED, DOMAIN), "NULL array");
	ok(!pass_with("", TRUSTED "; dmarc=pass header.from=", NULL),
	    "empty From domain");
	{
		GPtrArray *v = g_ptr_array_new();

		g_ptr_array_add(v, (gpointer)(TRUSTED "; dmarc=pass"
		    " header.from=" DOMAIN));
		ok(!authres_dmarc_pass(v, "", DOMAIN),
		    "no trusted authserv-id configured: nothing is trusted");
		ok(!authres_dmarc_pass(v, NULL, DOMAIN), "NULL authserv-id");
		g_ptr_array_unref(v);
	}
	ok(!pass_with(DOMAIN, ")", "a)b; c=d)", "", ";;;", "(unterminated",
	    "\"unterminated",
	    TRUSTED "; dmarc=", TRUSTED "; dmarc", NULL),
	    "malformed values are not a pass and do not crash");
	g_ptr_array_unref(empty);
	return (tap_done());
}
