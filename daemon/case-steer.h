/*
 * case-steer.h: staff steering a case by replying from their own mail client.
 *
 * Lines starting with '#' at the top of a reply are commands. They count
 * only when the sender is configured staff AND the message is
 * authenticated (invariant 4): it came through the staff token redress
 * issued to that very address for this case (reply-token.h; a public
 * token, or one of the first form, never authenticates), or the topmost
 * Authentication-Results header is the configured trusted authserv-id's
 * and reports DMARC=pass for the From domain. Otherwise nothing changes,
 * the attempt is recorded and the coordinators are told. Every command
 * message gets a confirmation or an error saying how to write it; #assign
 * also writes to the new handler, so that they hold a token of their own.
 */
#ifndef REDRESS_CASE_STEER_H
#define REDRESS_CASE_STEER_H

#include "workflow.h"

/* Does the message carry staff commands at all? */
gboolean case_steer_has_commands(const struct message *);

/*
 * Handle a message from a staff address with commands, or on a case.
 * token_ok: the message came through this case's staff token, issued to
 * its From address (route.h TOKEN_VALID).
 * Records the message (*row) in the caller's transaction.
 */
int	case_steer(struct workflow *, const struct area_config *,
	    const struct origin *, GBytes *raw, const struct message *,
	    const struct verdict *, gint64 case_id, gboolean token_ok,
	    gint64 *row, char **cause);

/* A command attempt that does not count (not staff, or not
 * authenticated): record it and tell the coordinators. */
int	case_steer_refused(struct workflow *, const struct area_config *,
	    const struct message *, gint64 case_id, gint64 row,
	    const char *why, char **cause);

#endif
