/*
 * reply-token.h: the per-case token in redress's reply address,
 *
 *	london.complaints+LON-2026-00042.s3f9c0a7e12b4d685@cps.example.gov.uk
 *
 * which threads a reply to its case and, for a staff token, authenticates
 * the staff member it was sent to (DESIGN.md invariant 4). The token is a
 * letter saying its kind and the first 16 hex digits (64 bits) of
 * HMAC-SHA256 over the kind, the reference in upper case and, for a staff
 * token, the recipient's address in lower case:
 *
 *	s...	staff: issued only in mail to that one staff member; it
 *		counts only in mail from that same address
 *	p...	public: in mail to the public; anyone holding it can reply
 *		to the case, which shows they had redress's mail about it
 *
 * Tokens of the first form, 16 hex digits over the reference alone, are
 * still in people's mailboxes and went to staff and public alike: they
 * verify as REPLY_TOKEN_OLD, which threads and proves nothing about who
 * writes. redress no longer issues them.
 *
 * Only redress knows the secret; a token cannot be made for another case,
 * kind or recipient without it.
 *
 * Pure: no clock, no I/O; the secret is passed in.
 */
#ifndef REDRESS_REPLY_TOKEN_H
#define REDRESS_REPLY_TOKEN_H

#include <glib.h>

#define REPLY_TOKEN_LEN	16	/* hex digits of the MAC */

enum reply_token_kind {
	REPLY_TOKEN_PUBLIC,
	REPLY_TOKEN_STAFF,
	REPLY_TOKEN_OLD
};

/*
 * The reply address for case ref at the Area mailbox area_address
 * ("london.complaints@x" -> "london.complaints+LON-2026-00042.<token>@x"),
 * of kind REPLY_TOKEN_STAFF (bound to recipient) or REPLY_TOKEN_PUBLIC
 * (recipient is ignored and may be NULL). Returns a string the caller
 * frees, or NULL when an argument cannot make an address: area_address
 * without '@' or already holding a '+' detail, ref not of the form
 * LETTERS-DIGITS-DIGITS (letters and digits joined by '-'), an empty
 * secret, a staff token without a recipient address, or the old kind,
 * which is never issued. Those are configuration or programming mistakes.
 */
char		*reply_token_address(const char *area_address, const char *ref,
		     enum reply_token_kind kind, const char *recipient,
		     const char *secret, gsize secret_len);

/*
 * Is address a reply address of area_address, in a message from sender
 * (its From address, or NULL)? Local parts and domains compare without
 * regard to case (mail systems lower-case them).
 *   1	the token verifies: *ref is set to the reference in upper case
 *	(caller frees) and *kind to the token's kind. A staff token
 *	verifies only when sender is the address it was issued to.
 *   0	address carries no token: another mailbox, or area_address itself
 *  -1	area_address with a '+' detail that does not verify: forged,
 *	tampered with, made under another secret, not redress's, or a staff
 *	token in mail from someone else
 * *ref and *kind are untouched unless 1 is returned; either may be NULL.
 */
int		 reply_token_check(const char *address, const char *area_address,
		     const char *sender, const char *secret, gsize secret_len,
		     char **ref, enum reply_token_kind *kind);

#endif
