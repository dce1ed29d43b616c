/*
 * scheduler.h: what the passing of time does to cases. Run once a round,
 * with the one clock (so REDRESS_NOW drives it in tests):
 *  - reminders to the handler (else the coordinators) 5 and 1 working days
 *    before a reply is due, and on each working day it is overdue, with a
 *    prompt for a holding letter while no draft is waiting;
 *  - a case still without written authority when its time runs out is
 *    closed, and the representative and coordinators told;
 *  - escalation and referral windows that have passed are marked expired.
 * Each effect is remembered (reminder rows) so it happens once.
 */
#ifndef REDRESS_SCHEDULER_H
#define REDRESS_SCHEDULER_H

#include "workflow.h"

/* Returns the number of reminders and closures queued, or -1. */
int	scheduler_run(struct workflow *, char **cause);

#endif
