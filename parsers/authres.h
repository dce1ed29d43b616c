/*
 * authres.h: reading Authentication-Results headers (RFC 8601) to decide
 * whether a staff member's message really comes from their domain
 * (DESIGN.md invariant 4).
 *
 * Pure: header values in, a yes or no out.
 */
#ifndef REDRESS_AUTHRES_H
#define REDRESS_AUTHRES_H

#include <glib.h>

/*
 * TRUE only when the topmost Authentication-Results header whose
 * authserv-id is trusted_authserv_id (any case) reports dmarc=pass for
 * header.from equal to from_domain (any case), and reports no other DMARC
 * result for that domain.
 *
 * values: of char *, the unfolded values of every Authentication-Results
 * header of the message, in the order they appear (top first), borrowed.
 * Headers of other authserv-ids are ignored: anyone can write them. Only
 * the topmost trusted one counts because the trusted server prepends its
 * own; one further down was there before it, i.e. forged by the sender
 * (RFC 8601 section 5 says the server should have removed it).
 * FALSE when values is NULL or empty, or either string is NULL or "".
 */
gboolean	 authres_dmarc_pass(GPtrArray *values,
		     const char *trusted_authserv_id, const char *from_domain);

#endif
