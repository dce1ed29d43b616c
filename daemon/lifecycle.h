/*
 * lifecycle.h: the states of a complaint and the moves between them.
 *
 *   received -> acknowledged/stage1_open -> (awaiting_authority) ->
 *   stage1_draft -> stage1_answered -> stage2_open -> stage2_draft ->
 *   stage2_answered -> iac_referred -> closed
 *
 * Every move runs in the caller's transaction, writes its event, keeps
 * the deadlines (with how each date was worked out) and queues the mail it
 * needs. A move that is not allowed in the case's state changes nothing and
 * returns 1 with *result saying why and what to do instead; 0 means done,
 * with *result a short confirmation; -1 is an error (*cause). *result is
 * the caller's to free.
 */
#ifndef REDRESS_LIFECYCLE_H
#define REDRESS_LIFECYCLE_H

#include "workflow.h"

/* Start the response clock of a stage (paused while awaiting authority).
 * Sets due_date in vars when given (in the letter's language). */
int	lifecycle_start_clock(struct workflow *, gint64 case_id,
	    const char *kind, int days, gboolean paused, GHashTable *vars,
	    const char *lang, char **cause);

int	lifecycle_authority_received(struct workflow *,
	    const struct area_config *, gint64 case_id, const char *by,
	    char **result, char **cause);
int	lifecycle_draft(struct workflow *, const struct area_config *,
	    gint64 case_id, const char *author, const char *text,
	    char **result, char **cause);
int	lifecycle_approve(struct workflow *, const struct area_config *,
	    gint64 case_id, const char *by, char **result, char **cause);
int	lifecycle_return(struct workflow *, const struct area_config *,
	    gint64 case_id, const char *by, const char *reason, char **result,
	    char **cause);
int	lifecycle_holding(struct workflow *, const struct area_config *,
	    gint64 case_id, int days, const char *reason, char **result,
	    char **cause);
/* Open stage 2: asked by the complainant within the window (m is their
 * message), or decided by staff (m NULL, late allowed). A complainant's
 * request after the window asks staff to decide (#escalate) and counts as
 * handled: the complainant is never turned away by the clock alone. */
int	lifecycle_escalate(struct workflow *, const struct area_config *,
	    gint64 case_id, const struct message *m, char **result,
	    char **cause);
/* Refer to the Independent Assessor of Complaints when eligible; else
 * explain why not (to the complainant when m, their request, is given). */
int	lifecycle_iac(struct workflow *, const struct area_config *,
	    gint64 case_id, const struct message *m, char **result,
	    char **cause);
int	lifecycle_close(struct workflow *, gint64 case_id, const char *why,
	    char **result, char **cause);
int	lifecycle_reopen(struct workflow *, gint64 case_id, char **result,
	    char **cause);

/* A letter to the person redress writes to on the case (complainant or
 * representative), in the case's language, answering their latest
 * message; attachments (or NULL) as in struct mail_spec. When the case
 * has no address, the event "not_sent" records it instead. */
int	lifecycle_letter(struct workflow *, const struct area_config *,
	    const struct case_row *, const char *template, GHashTable *vars,
	    GPtrArray *attachments, char **cause);

/* Is a deadline's window (a calendar-month one) still open today? */
gboolean lifecycle_window_open(struct workflow *, gint64 case_id,
	    const char *kind);

#endif
