/*
 * intake.h: one Area's mailbox, from IMAP to a committed transaction.
 *
 * For each new UID: fetch, parse, decide (workflow), ONE transaction
 * (message, case rows, outbox rows, cursor), and only after the commit the
 * IMAP move or \Seen flag. A crash anywhere leads to a re-fetch, never a
 * gap (invariant 1); ingest is idempotent on (mailbox, UIDVALIDITY, UID)
 * and on Message-ID + SHA-256 (invariant 2). Before the pipeline sees a
 * message its UID is marked in hand (committed); the transaction that
 * records it clears the mark. A message the pipeline fails on is
 * quarantined raw in a transaction of its own, and so is one found still
 * marked from two attempts that never finished: one message never stops
 * its Area.
 *
 * Ownership: struct area_intake borrows the area config, store and
 * ruleset; it owns its IMAP connection and its last error.
 */
#ifndef REDRESS_INTAKE_H
#define REDRESS_INTAKE_H

#include <glib.h>
#include <signal.h>

#include "config.h"
#include "store.h"
#include "workflow.h"

struct imap_conn;

struct area_intake {
	const struct area_config *area;
	struct imap_conn *conn;		/* NULL when disconnected */
	gboolean	 idling;
	gint64		 retry_at;	/* when disconnected after an error */
	int		 failures;	/* in a row, for the backoff */
	char		*last_error;	/* or NULL */
	gboolean	 more;		/* the last run left messages for the
					   next turn (limits.intake_batch) */
};

struct area_intake *intake_new(const struct area_config *);
void		 intake_free(struct area_intake *);

/*
 * Process what is new in the Area's mailbox, at most limits.intake_batch
 * messages (ai->more is then TRUE: call again after the other Areas had
 * their turn). A message that cannot be recorded normally, or that was
 * in hand when redress died twice, is quarantined and the next one
 * follows. An Area that cannot be served for imap_outage_notice seconds
 * is reported to its coordinators and the operator, once, and again on
 * recovery. Returns the number of messages recorded, or -1 with *cause set when the Area could not be
 * served (the connection is then dropped and retried after a backoff).
 * stop is polled between messages so SIGTERM finishes the one in hand.
 */
int		 intake_run(struct area_intake *, struct workflow *,
		     volatile sig_atomic_t *stop, char **cause);

/* IDLE: start waiting on the Area's connection; the fd to poll, or -1
 * when the server has no IDLE (poll by interval instead). */
int		 intake_idle_start(struct area_intake *);
void		 intake_idle_stop(struct area_intake *);

/* Test hook: REDRESS_CRASH_AT=after-fetch|in-pipeline|after-commit kills
 * the process with SIGKILL at that point, to prove invariants 1 and 2. */
void		 crashpoint(const char *where);
/* Test hook: REDRESS_FAIL_AT=record (every message) or record:UID makes
 * recording fail as a message redress cannot handle would: -1 with
 * *cause, else 0. */
int		 failpoint(const char *where, guint32 uid, char **cause);

#endif
