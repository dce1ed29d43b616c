/*
 * address.h: email addresses, the one place they are taken apart, compared
 * and written for SMTP.
 *
 * Pure: no I/O, no clock. Header values are parsed with GMime's
 * InternetAddressList; an addr-spec that GMime gives (or the configuration
 * holds) is then checked against RFC 5321/5322 (with RFC 6531/6532 for
 * UTF-8) and written in one canonical form:
 *   - the local part in its shortest form: a dot-atom bare, anything else
 *     as a quoted-string with only '"' and '\' escaped ("a b", "a\"b");
 *   - the domain in lower case, an IDN as its A-label (xn--...), an
 *     address literal as [192.0.2.1] or [IPv6:2001:db8::1].
 * Case is kept in the local part (it is the recipient's business) except
 * in address_key(), which is for comparing only.
 *
 * Ownership: every char * returned is the caller's to g_free(); "why"
 * strings are static. Nothing here quotes an address in a "why" (they may
 * be logged).
 */
#ifndef REDRESS_ADDRESS_H
#define REDRESS_ADDRESS_H

#include <glib.h>

/* RFC 5321 4.5.3.1: local part 64 octets, a path 256 with its <>. */
#define ADDRESS_MAX_LOCAL	64
#define ADDRESS_MAX		254

/*
 * The canonical form above of an addr-spec (no display name, no <>), or
 * NULL with *why (may be NULL) saying what is wrong: no '@', an empty or
 * malformed local part, control characters, a domain that is not a host
 * name or an IPv4/IPv6 literal, or too long. An address this accepts can
 * be answered: it can be written in a header and, given SMTPUTF8 when
 * address_needs_smtputf8(), on an SMTP command line.
 */
char		*address_canonical(const char *addr, const char **why);

/* TRUE when address_canonical() accepts addr. */
gboolean	 address_valid(const char *addr);

/* TRUE when the local part has non-ASCII characters: SMTP needs the
 * SMTPUTF8 extension (RFC 6531) to carry it. FALSE for invalid ones. */
gboolean	 address_needs_smtputf8(const char *addr);

/*
 * The RFC 5321 form for MAIL FROM / RCPT TO (without <>): the canonical
 * form, when the relay can carry it (smtputf8: it offered SMTPUTF8).
 * NULL with *why otherwise.
 */
char		*address_envelope(const char *addr, gboolean smtputf8,
		     const char **why);

/*
 * The key to compare, limit and look addresses up by: the canonical form
 * in lower case (local part included; the domain is the A-label, so
 * josé@exämple.org and JOSÉ@xn--exmple-cua.org have one key). For what
 * is not a valid address, the input stripped and in lower case, so that
 * equal junk still compares equal. NULL only for NULL.
 */
char		*address_key(const char *addr);

/* TRUE when a and b have the same key (FALSE when either is NULL). */
gboolean	 address_equal(const char *a, const char *b);

/*
 * The local part and the domain of an addr-spec, split at the '@' that
 * is outside a quoted local part (the domain as written). FALSE, with
 * nothing set, when there is no such '@'.
 */
gboolean	 address_split(const char *addr, char **local, char **domain);

/*
 * The first mailbox of a header value (From, Return-Path, Delivered-To,
 * "Name <a@b>", "<a@b>" or "a@b"), groups flattened, as GMime gives its
 * addr-spec (stripped, the domain in lower case, decoded to UTF-8), or
 * "" for the null path "<>", or NULL when there is no mailbox at all
 * (an empty group such as "undisclosed-recipients:;").
 */
char		*address_from_header(const char *value);

#endif
