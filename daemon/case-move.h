/*
 * case-move.h: a complaint moving between its states, with the deadlines,
 * letters and notices each move brings. Which move is allowed in which
 * state is case-state.c's table; this file does what a move means.
 *
 * Every move runs in the caller's transaction and writes its event. A
 * move that is not allowed in the case's state changes nothing and
 * returns 1 with *result saying why and what to do instead; 0 means done,
 * with *result a short confirmation; -1 is an error (*cause). *result is
 * the caller's to free.
 */
#ifndef REDRESS_CASE_MOVE_H
#define REDRESS_CASE_MOVE_H

#include "workflow.h"

int	case_move_authority_received(struct workflow *,
	    const struct area_config *, gint64 case_id, const char *by,
	    char **result, char **cause);
int	case_move_draft(struct workflow *, const struct area_config *,
	    gint64 case_id, const char *author, const char *text,
	    char **result, char **cause);
int	case_move_approve(struct workflow *, const struct area_config *,
	    gint64 case_id, const char *by, char **result, char **cause);
int	case_move_return(struct workflow *, const struct area_config *,
	    gint64 case_id, const char *by, const char *reason, char **result,
	    char **cause);
int	case_move_holding(struct workflow *, const struct area_config *,
	    gint64 case_id, int days, const char *reason, char **result,
	    char **cause);
/* Open stage 2: asked by the complainant within the window (m is their
 * message), or decided by staff (m NULL, late allowed). A complainant's
 * request after the window asks staff to decide (#escalate) and counts as
 * handled: the complainant is never turned away by the clock alone. */
int	case_move_escalate(struct workflow *, const struct area_config *,
	    gint64 case_id, const struct message *m, char **result,
	    char **cause);
/* Refer to the Independent Assessor of Complaints when eligible; else
 * explain why not (to the complainant when m, their request, is given). */
int	case_move_refer_iac(struct workflow *, const struct area_config *,
	    gint64 case_id, const struct message *m, char **result,
	    char **cause);
int	case_move_close(struct workflow *, gint64 case_id, const char *why,
	    char **result, char **cause);
/* The written authority did not arrive in time: close the case, tell the
 * coordinators and write to the representative. When the case no longer
 * waits for it, only the deadline is closed. */
int	case_move_authority_expired(struct workflow *,
	    const struct area_config *, gint64 case_id, char **cause);
int	case_move_reopen(struct workflow *, gint64 case_id, char **result,
	    char **cause);

/*
 * A message from the public on an existing case: added to it. What it
 * asks for moves the case when the state allows (authority arriving, a
 * request for stage 2 or for the Assessor) and it comes from a party of
 * the case (route_from_party()); otherwise the handler is told, or, for a
 * request from anyone else, the coordinators, and nothing moves.
 * Records the message (*row).
 */
int	case_move_follow_up(struct workflow *, const struct area_config *,
	    const struct origin *, GBytes *raw, const struct message *,
	    const struct verdict *, gint64 case_id, gint64 *row,
	    char **cause);

#endif
