/*
 * workflow.h: what every part of the case core works with — the
 * configuration, the store and the loaded resources — and recording an
 * incoming message. The parts themselves:
 *
 *	incoming.c	one incoming message: parse, classify, route, hand on
 *	route.c		which case a message belongs to, and our own mail
 *	case-new.c	a message that starts something: one row per kind
 *	case-move.c	a case moving between states (case-state.c's table)
 *	case-steer.c	staff commands from their own mail client
 *	case-clock.c	deadlines and windows, with their derivation
 *	scheduler.c	what the passing of time does: reminders, expiry
 *	mail-out.c	the one way to queue mail
 *
 * Every function of these runs inside the caller's transaction and writes
 * only to the store: outgoing mail becomes outbox rows in that same
 * transaction (invariant 2), sent later by outbox.c.
 *
 * Ownership: struct workflow borrows the config, store and resources.
 */
#ifndef REDRESS_WORKFLOW_H
#define REDRESS_WORKFLOW_H

#include <glib.h>

#include "config.h"
#include "message.h"
#include "resources.h"
#include "rules.h"
#include "store.h"
#include "verdict.h"

struct workflow {
	const struct config	*config;
	struct store		*store;
	const struct resources	*res;
	/* A staff command is being applied (case-steer.c): the mail it
	 * sends is not automatic, and limits.auto_replies_per_day does not
	 * apply to it. */
	gboolean		 by_staff;
	/* The scheduler's last run: its day (Julian) and the deadlines'
	 * version then (scheduler.c). */
	guint32			 scheduled_day;
	gint64			 scheduled_version;
};

struct workflow	*workflow_new(const struct config *, struct store *,
		     const struct resources *);
void		 workflow_free(struct workflow *);

/* Record an incoming message (and its verdict, may be NULL) on a case
 * (0: none). *row is set to its message row. */
int		 workflow_record(struct workflow *, const struct origin *,
		     GBytes *raw, const struct message *,
		     const struct verdict *, gint64 case_id, gint64 *row,
		     char **cause);

#endif
