/*
 * incoming.h: the one decision about each incoming message. It is parsed
 * and, unless it is the same mail seen again, classified and routed, then
 * handed to exactly one of: machine mail, quarantine (case-new.c), staff
 * steering (case-steer.c), a follow-up on its case (case-move.c) or a new
 * matter (case-new.c). All of it in the caller's transaction.
 */
#ifndef REDRESS_INCOMING_H
#define REDRESS_INCOMING_H

#include "workflow.h"

/* Parse, classify, record one incoming message and queue what it needs.
 * *row is set to its message row. */
int	incoming_message(struct workflow *, const struct area_config *,
	    const struct origin *, GBytes *raw, gint64 *row, char **cause);

#endif
