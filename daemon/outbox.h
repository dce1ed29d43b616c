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

/* Deliver everything due now. Returns the number of messages sent, or -1
 * with *cause when the relay could not be used at all (rows stay queued). */
int	outbox_flush(struct workflow *, char **cause);
/* Seconds until the next queued row is due (for the daemon's sleep): 1
 * with *seconds set, 0 when nothing is queued, -1 with *cause. */
int	outbox_next_due(struct workflow *, gint64 *seconds, char **cause);

#endif
