/*
 * scheduler.c: reminders, the authority time limit and window expiry.
 */
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "case-clock.h"
#include "case-move.h"
#include "mail-out.h"
#include "log.h"
#include "scheduler.h"

/* Five working days span at most this many calendar days, whatever the
 * bank holidays (Christmas and New Year together: 11). */
#define REMIND_AHEAD	16

/* Working days after `from` up to and including `to` (0 when to <= from). */
static int
working_days_between(const struct calendar *cal, const GDate *from,
    const GDate *to)
{
	GDate	d = *from;
	int	n = 0;

	while (g_date_compare(&d, to) < 0) {
		g_date_add_days(&d, 1);
		if (calendar_is_working_day(cal, &d))
			n++;
	}
	return (n);
}

static gboolean
is_reply_deadline(const char *kind)
{
	return (strcmp(kind, "stage1_response") == 0 ||
	    strcmp(kind, "stage2_response") == 0 ||
	    strcmp(kind, "iac_response") == 0);
}

/* Reply deadlines as staff call them. */
static const char *
deadline_name(const char *kind)
{
	if (strcmp(kind, "stage1_response") == 0)
		return ("stage 1 reply");
	if (strcmp(kind, "stage2_response") == 0)
		return ("stage 2 reply");
	return ("Assessor's reply");
}

static int
remind(struct workflow *wf, const struct area_config *area,
    const struct deadline_row *d, const char *detail, char **cause)
{
	GHashTable	*vars;
	GDate		 due;
	int		 rc;

	if ((vars = mail_vars(wf, area, d->case_id, NULL, NULL, "en",
	    cause)) == NULL)
		return (-1);
	calendar_parse_date(d->due, &due);
	g_hash_table_insert(vars, "due_date", calendar_date_letter(&due,
	    "en"));
	g_hash_table_insert(vars, "detail", g_strdup_printf("the %s is %s",
	    deadline_name(d->kind), detail));
	rc = mail_notify_handler(wf, area, d->case_id, "reminder-notice",
	    vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}

/* What a running deadline asks for today. */
enum due_action {
	DUE_NOTHING,
	DUE_EXPIRE,		/* a window to escalate has passed */
	DUE_AUTHORITY,		/* the time to send authority is over */
	DUE_REMIND		/* a reminder (kind, detail) */
};

/*
 * Decided from the deadline and the calendar alone, without a write:
 * most running deadlines ask for nothing on most days. *kind and *detail
 * (the caller's) are set for DUE_REMIND only.
 */
static enum due_action
due_action(const struct calendar *cal, const struct deadline_row *d,
    const GDate *today, char **kind, char **detail)
{
	GDate	 due;
	char	*iso;
	int	 left, late;

	*kind = *detail = NULL;
	if (!calendar_parse_date(d->due, &due))
		return (DUE_NOTHING);
	if (strcmp(d->kind, "escalation_window") == 0 ||
	    strcmp(d->kind, "iac_window") == 0)
		return (g_date_compare(today, &due) > 0 ? DUE_EXPIRE :
		    DUE_NOTHING);
	if (strcmp(d->kind, "authority") == 0)
		return (g_date_compare(today, &due) > 0 ? DUE_AUTHORITY :
		    DUE_NOTHING);
	if (!is_reply_deadline(d->kind))
		return (DUE_NOTHING);

	if (g_date_compare(today, &due) < 0) {
		left = working_days_between(cal, today, &due);
		if (left != 5 && left != 1)
			return (DUE_NOTHING);
		*kind = g_strdup_printf("before-%d", left);
		*detail = left == 1 ? g_strdup("due tomorrow (1 working day "
		    "left)") : g_strdup("due in 5 working days");
		return (DUE_REMIND);
	}
	if (g_date_compare(today, &due) > 0 &&
	    calendar_is_working_day(cal, today)) {
		late = working_days_between(cal, &due, today);
		iso = calendar_date_iso(today);
		*kind = g_strdup_printf("overdue-%s", iso);
		g_free(iso);
		*detail = g_strdup_printf("%d working day%s overdue", late,
		    late == 1 ? "" : "s");
		return (DUE_REMIND);
	}
	return (DUE_NOTHING);
}

/* Do what a deadline asks, in the caller's transaction: 1 when something
 * was queued, 0 when not, -1. */
static int
schedule_one(struct workflow *wf, const struct deadline_row *d,
    enum due_action action, const char *kind, const char *detail,
    char **cause)
{
	const struct area_config *area;
	struct case_row	*c;
	int		 rc = 0, fresh;

	if (store_case_get(wf->store, d->case_id, &c, cause) == -1)
		return (-1);
	if (c == NULL ||
	    (area = config_find_area(wf->config, c->area)) == NULL) {
		case_row_free(c);
		return (0);
	}
	switch (action) {
	case DUE_NOTHING:
		break;
	case DUE_EXPIRE:
		rc = store_deadline_close(wf->store, d->case_id, d->kind,
		    "expired", cause);
		break;
	case DUE_AUTHORITY:
		rc = case_move_authority_expired(wf, area, d->case_id,
		    cause) == 0 ? 1 : -1;
		break;
	case DUE_REMIND:
		fresh = store_reminder_once(wf->store, d->id, kind,
		    clock_now(), cause);
		if (fresh < 0)
			rc = -1;
		else if (fresh == 1)
			rc = remind(wf, area, d, detail, cause) == 0 ? 1 : -1;
		break;
	}
	case_row_free(c);
	return (rc);
}

/*
 * Nothing can fall due between two runs on the same day over the same
 * deadlines: then the run is skipped. The deadlines' version counts this
 * connection's changes and other processes' commits (redress commands).
 */
static gboolean
already_run(struct workflow *wf, const GDate *today, gint64 version)
{
	return (wf->scheduled_day == g_date_get_julian(today) &&
	    wf->scheduled_version == version);
}

int
scheduler_run(struct workflow *wf, char **cause)
{
	GPtrArray	*running;
	GDate		 today, horizon;
	guint		 i;
	int		 n = 0, rc = 0, sent;
	char		*until;
	gint64		 version;
	char		*kind, *detail;
	enum due_action	 action;

	calendar_local_date(clock_now(), &today);
	if (store_deadlines_version(wf->store, &version, cause) != 0)
		return (-1);
	if (already_run(wf, &today, version))
		return (0);
	/* Only what can ask for something today: reminders start five
	 * working days before the due date, never more than REMIND_AHEAD
	 * calendar days however the holidays fall; the rest is past due. */
	horizon = today;
	g_date_add_days(&horizon, REMIND_AHEAD);
	until = calendar_date_iso(&horizon);
	rc = store_deadlines_running(wf->store, until, &running, cause);
	g_free(until);
	if (rc != 0)
		return (-1);
	for (i = 0; i < running->len && rc == 0; i++) {
		const struct deadline_row *d = g_ptr_array_index(running, i);

		action = due_action(wf->res->calendar, d, &today, &kind,
		    &detail);
		if (action == DUE_REMIND && (sent = store_reminder_sent(
		    wf->store, d->id, kind, cause)) != 0) {
			rc = sent < 0 ? -1 : 0;
			action = DUE_NOTHING;
		}
		if (action != DUE_NOTHING) {
			if (store_begin(wf->store, cause) != 0 ||
			    (sent = schedule_one(wf, d, action, kind, detail,
			    cause)) < 0 ||
			    store_commit(wf->store, cause) != 0) {
				store_rollback(wf->store);
				rc = -1;
			} else
				n += sent;
		}
		g_free(kind);
		g_free(detail);
	}
	g_ptr_array_unref(running);
	if (rc != 0)
		return (-1);
	/* What this run changed is done: the next one starts from here. */
	if (store_deadlines_version(wf->store, &version, cause) != 0)
		return (-1);
	wf->scheduled_day = g_date_get_julian(&today);
	wf->scheduled_version = version;
	return (n);
}
