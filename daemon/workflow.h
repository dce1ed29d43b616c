/*
 * workflow.h: what happens to a message once it is parsed and classified:
 * which case it belongs to, what state the case moves to, and what mail
 * goes out. Every function here runs inside the caller's transaction and
 * writes only to the store: outgoing mail becomes outbox rows in that same
 * transaction (invariant 2), sent later by outbox.c.
 *
 * Ownership: struct workflow borrows the config, store, ruleset and
 * calendar; it owns its compiled regular expressions.
 */
#ifndef REDRESS_WORKFLOW_H
#define REDRESS_WORKFLOW_H

#include <glib.h>

#include "config.h"
#include "message.h"
#include "rules.h"
#include "store.h"
#include "verdict.h"

struct calendar;

struct workflow {
	const struct config	*config;
	struct store		*store;
	const struct ruleset	*rules;
	const struct calendar	*calendar;
	GRegex			*subject_ref;
};

struct workflow	*workflow_new(const struct config *, struct store *,
		     const struct ruleset *, const struct calendar *);
void		 workflow_free(struct workflow *);

/* Parse, classify, record one incoming message and queue what it needs.
 * *row is set to its message row. */
int		 workflow_incoming(struct workflow *, const struct area_config *,
		     const struct origin *, GBytes *raw, gint64 *row,
		     char **cause);

/* A message too big to fetch: record an event and tell the coordinators. */
int		 workflow_too_big(struct workflow *, const struct area_config *,
		     const struct origin *, guint32 size, char **cause);

/* Queue a notice to the Area's coordinators (no case reply threading). */
int		 workflow_notify_coordinators(struct workflow *,
		     const struct area_config *, gint64 case_id,
		     const char *template, GHashTable *vars, char **cause);

/* "Friday 18 December 2026" or "Dydd Gwener 18 Rhagfyr 2026": a date as
 * letters write it. Caller frees. */
char		*workflow_format_date(const GDate *, const char *lang);

#endif
