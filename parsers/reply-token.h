/*
 * reply-token.h: the per-case token in redress's reply address,
 *
 *	london.complaints+LON-2026-00042.3f9c0a7e12b4d685@cps.example.gov.uk
 *
 * which threads a reply to its case and, because only redress knows the
 * secret, authenticates it (DESIGN.md invariant 4). The token is the first
 * 16 hex digits (64 bits) of HMAC-SHA256(secret, reference in upper case).
 *
 * Pure: no clock, no I/O; the secret is passed in.
 */
#ifndef REDRESS_REPLY_TOKEN_H
#define REDRESS_REPLY_TOKEN_H

#include <glib.h>

#define REPLY_TOKEN_LEN	16

/*
 * The reply address for case ref at the Area mailbox area_address
 * ("london.complaints@x" -> "london.complaints+LON-2026-00042.<token>@x").
 * Returns a string the caller frees, or NULL when an argument cannot make
 * an address: area_address without '@' or already holding a '+' detail,
 * ref not of the form LETTERS-DIGITS-DIGITS (letters and digits joined by
 * '-'), or an empty secret. Those are configuration or programming
 * mistakes, checked when the configuration is loaded.
 */
char		*reply_token_address(const char *area_address, const char *ref,
		     const char *secret, gsize secret_len);

/*
 * Is address a reply address of area_address? Local parts and domains
 * compare without regard to case (mail systems lower-case them).
 *   1	the token verifies; *ref is set to the reference in upper case
 *	(caller frees)
 *   0	address carries no token: another mailbox, or area_address itself
 *  -1	area_address with a '+' detail that does not verify: forged,
 *	tampered with, made under another secret, or not redress's
 * *ref is untouched unless 1 is returned. ref may be NULL.
 */
int		 reply_token_check(const char *address, const char *area_address,
		     const char *secret, gsize secret_len, char **ref);

#endif
