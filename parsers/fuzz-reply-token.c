/*
 * fuzz-reply-token.c: reply tokens under a fuzzer (fuzz.h), over the
 * fixtures in tests/data/reply-token when run without libFuzzer. The
 * input's first line is an address to check, and a reference to make
 * tokens for; its second line, if any, the sender, and a recipient.
 *
 * Beyond not crashing, the answers must keep reply-token.h's promises: a
 * verified token gives a well-formed reference and is exactly the address
 * redress would issue for it; a staff token verifies for its recipient
 * and for nobody else, without case; a public one for anyone; *ref and
 * *kind are untouched unless a token verifies.
 */
#include <string.h>

#include <glib.h>

#include "fuzz.h"
#include "reply-token.h"

const char	 fuzz_name[] = "fuzz-reply-token";
const char	 fuzz_fixture_dir[] = "reply-token";
const char	 fuzz_fixture_suffix[] = ".txt";

/* The fixtures' valid tokens are made with these. */
#define AREA	"london.complaints@cps.example.gov.uk"
#define SECRET	"fuzz-reply-token secret, never used for real mail"
#define KIND_UNSET	((enum reply_token_kind)-1)

static int
check(const char *address, const char *sender, char **ref,
    enum reply_token_kind *kind)
{
	return (reply_token_check(address, AREA, sender, SECRET,
	    strlen(SECRET), ref, kind));
}

static char *
issue(const char *ref, enum reply_token_kind kind, const char *recipient)
{
	return (reply_token_address(AREA, ref, kind, recipient, SECRET,
	    strlen(SECRET)));
}

static gboolean
well_formed_ref(const char *ref)
{
	return (g_regex_match_simple("^[A-Z0-9]+(-[A-Z0-9]+)+$", ref, 0, 0));
}

/* Another address than sender, whatever the case. */
static char *
someone_else(const char *sender)
{
	return (g_strconcat("x", sender != NULL ? sender : "", NULL));
}

/* A verified address is the one redress issues for its reference. */
static const char *
verified_defect(const char *address, const char *sender, const char *ref,
    enum reply_token_kind kind)
{
	const char	*defect = NULL;
	char		*again = NULL, *other;

	if (!well_formed_ref(ref))
		return ("a verified token gives a malformed reference");
	switch (kind) {
	case REPLY_TOKEN_STAFF:
		again = issue(ref, kind, sender);
		other = someone_else(sender);
		if (check(address, other, NULL, NULL) != -1)
			defect = "a staff token verified for someone else";
		g_free(other);
		break;
	case REPLY_TOKEN_PUBLIC:
		again = issue(ref, kind, NULL);
		break;
	case REPLY_TOKEN_OLD:
		if (issue(ref, kind, NULL) != NULL)
			defect = "a token of the first form was issued";
		break;
	default:
		return ("a verified token of no known kind");
	}
	if (defect == NULL && kind != REPLY_TOKEN_OLD && (again == NULL ||
	    g_ascii_strcasecmp(again, address) != 0))
		defect = "a verified address is not the one redress issues";
	g_free(again);
	return (defect);
}

/* What is wrong with checking address from sender, or NULL. */
static const char *
check_defect(const char *address, const char *sender)
{
	enum reply_token_kind	 kind = KIND_UNSET;
	const char		*defect = NULL;
	char			*ref = NULL;
	int			 rc;

	rc = check(address, sender, &ref, &kind);
	if (rc == 1)
		defect = ref == NULL ? "no reference for a verified token" :
		    verified_defect(address, sender, ref, kind);
	else if (rc != 0 && rc != -1)
		defect = "an answer other than 1, 0 or -1";
	else if (ref != NULL || kind != KIND_UNSET)
		defect = "*ref or *kind set for a token that did not verify";
	g_free(ref);
	return (defect);
}

/* Tokens made for ref and recipient verify as promised. */
static const char *
issue_defect(const char *ref, const char *recipient)
{
	enum reply_token_kind	 kind = KIND_UNSET;
	const char		*defect = NULL;
	char			*addr, *got = NULL, *upper, *other;

	if ((addr = issue(ref, REPLY_TOKEN_STAFF, recipient)) != NULL) {
		upper = g_ascii_strup(recipient, -1);
		other = someone_else(recipient);
		if (check(addr, recipient, &got, &kind) != 1 ||
		    kind != REPLY_TOKEN_STAFF)
			defect = "a staff token fails for its recipient";
		else if (check(addr, upper, NULL, NULL) != 1)
			defect = "a staff token compares its recipient with case";
		else if (check(addr, other, NULL, NULL) != -1 ||
		    check(addr, NULL, NULL, NULL) != -1)
			defect = "a staff token verifies for someone else";
		g_free(upper);
		g_free(other);
		g_free(addr);
	}
	if (defect == NULL &&
	    (addr = issue(ref, REPLY_TOKEN_PUBLIC, NULL)) != NULL) {
		if (check(addr, recipient, NULL, &kind) != 1 ||
		    kind != REPLY_TOKEN_PUBLIC || check(addr, NULL, NULL,
		    NULL) != 1)
			defect = "a public token fails";
		g_free(addr);
	}
	if (defect == NULL && got != NULL && g_ascii_strcasecmp(got, ref) != 0)
		defect = "a token gives another reference than it was made for";
	g_free(got);
	return (defect);
}

const char *
fuzz_one(const uint8_t *data, size_t size)
{
	char		*text = g_strndup((const char *)data, size), **lines;
	const char	*first, *second, *defect;

	lines = g_strsplit(text, "\n", 3);
	first = lines[0] != NULL ? g_strchomp(lines[0]) : "";
	second = lines[0] != NULL && lines[1] != NULL ?
	    g_strchomp(lines[1]) : NULL;
	if ((defect = check_defect(first, second)) == NULL &&
	    (defect = check_defect(first, NULL)) == NULL)
		defect = issue_defect(first, second != NULL ? second :
		    "lon.coord@cps.example.gov.uk");
	g_strfreev(lines);
	g_free(text);
	return (defect);
}
