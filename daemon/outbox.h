/*
 * outbox.h: delivering queued mail over SMTP.
 *
 * Each outbox row holds a complete message with its own Message-ID,
 * written in the transaction that caused it. Delivery marks recipients
 * one by one; temporary failures are retried with backoff, permanent ones
 * are recorded and the Area's coordinators told (through the outbox too).
 * A resend after a crash sends the same bytes, so the same Message-ID.
 */
#ifndef REDRESS_OUTBOX_H
#define REDRESS_OUTBOX_H

#include "workflow.h"

/*
 * Deliver everything due now, after resuming the rows an interrupted
 * sender left. Per row: the attempt is committed as started (stage
 * 'sending') before anything goes to the relay, and nothing is sent when
 * that commit fails; each RCPT answer is committed as it comes; the stage
 * becomes 'data-sent' just before the final dot; the result is committed
 * as soon as the relay answers the dot. A relay that cannot be used is
 * an attempt for every row due, with backoff and in the end a give-up and
 * a delivery-failure notice; an outage is told once after
 * smtp.outage_notice seconds, and its end.
 *
 * Returns the number of messages sent; -2 when the relay could not be
 * used (the attempts are recorded); -1 with *cause when the database
 * failed (nothing unrecorded was sent).
 */
int	outbox_flush(struct workflow *, char **cause);

/*
 * The body of the sender process, forked by redressd for each flush
 * (with no database connection open: see redressd.c): its own database
 * connection, one sender at a time (a lock beside the database), SIGTERM
 * finishes the message at hand. config and res are the parent's, read
 * only. Returns the process's exit status.
 */
#define OUTBOX_SENDER_OK	0
#define OUTBOX_SENDER_ERROR	1	/* the database failed (logged) */
#define OUTBOX_SENDER_RELAY	2	/* the relay could not be used */
#define OUTBOX_SENDER_BUSY	3	/* another sender is still running */
int	outbox_sender_main(const struct config *, const struct resources *);
/* Seconds until the next queued row is due (for the daemon's sleep): 1
 * with *seconds set, 0 when nothing is queued, -1 with *cause. */
int	outbox_next_due(struct workflow *, gint64 *seconds, char **cause);

#endif
