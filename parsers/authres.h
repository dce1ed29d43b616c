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
 * TRUE only when the topmost Authentication-Results header has the
 * authserv-id trusted_authserv_id (any case) and reports dmarc=pass for
 * header.from equal to from_domain (any case), and no other DMARC result
 * for that domain.
 *
 * values: of char *, the unfolded values of every Authentication-Results
 * header of the message, in the order they appear (top first), borrowed.
 * Only the topmost counts: the trusted server prepends its own header as
 * the message arrives, so anything below it was written before, by the
 * sender or on the way, and anyone can write those (RFC 8601 section 5).
 * A topmost header of another authserv-id means the message did not come
 * the way the trusted server vouches for: nothing below it counts either.
 * FALSE when values is NULL or empty, or either string is NULL or "".
 */
gboolean	 authres_dmarc_pass(GPtrArray *values,
		     const char *trusted_authserv_id, const char *from_domain);

#endif
