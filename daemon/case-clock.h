/*
 * case-clock.h: the deadlines and windows of a case, each stored with how
 * its date was worked out (start, each day skipped and why, clock stops
 * and extensions), so staff and the Assessor can check it by hand.
 *
 * Deadlines count working days in England and Wales (calendar.c); windows
 * (escalation, referral) are one calendar month. Every function runs in
 * the caller's transaction. Dates are YYYY-MM-DD strings as stored.
 */
#ifndef REDRESS_CASE_CLOCK_H
#define REDRESS_CASE_CLOCK_H

#include "workflow.h"

/* The deadline kind of a stage's reply: "stage1_response" or
 * "stage2_response". Static storage. */
const char	*case_clock_reply_kind(int stage);

/* Start a working-day clock of this kind today, stopped from today when
 * paused (awaiting authority). Sets due_date in vars when vars is given,
 * written in lang. */
int		 case_clock_start(struct workflow *, gint64 case_id,
		     const char *kind, int days, gboolean paused,
		     GHashTable *vars, const char *lang, char **cause);

/* Work out d->due again from its start, limit, stop and extensions
 * (d->due becomes "" while the clock is stopped); *derivation is the
 * explanation to store (caller frees). */
int		 case_clock_compute(struct workflow *, struct deadline_row *d,
		     char **derivation, char **cause);

/* Open a window of one calendar month from today; sets escalation_date
 * in vars (when given) to its last day, written in lang. */
int		 case_clock_window(struct workflow *, gint64 case_id,
		     const char *kind, GHashTable *vars, const char *lang,
		     char **cause);
/* Is a window of this kind still open today? 1 yes, 0 no (closed, or
 * none), -1 with *cause. */
int		 case_clock_window_open(struct workflow *, gint64 case_id,
		     const char *kind, char **cause);

/* Every deadline of a case with its derivation, for staff notices: 0
 * with *text set (caller frees), or -1 with *cause. */
int		 case_clock_text(struct workflow *, gint64 case_id,
		     char **text, char **cause);

/* Today (Europe/London) as YYYY-MM-DD. Caller frees. */
char		*case_clock_today(void);
/* A stored YYYY-MM-DD as a letter writes it in lang; "" for none.
 * Caller frees. */
char		*case_clock_letter_date(const char *iso, const char *lang);

#endif
