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

/* One deadline today: 1 when something was queued, 0 when not, -1. */
static int
schedule_one(struct workflow *wf, const struct deadline_row *d,
    const GDate *today, char **cause)
{
	const struct area_config *area;
	struct case_row	*c;
	GDate		 due;
	char		*kind = NULL, *detail = NULL, *iso;
	int		 left, late, rc = 0, fresh;

	if (store_case_get(wf->store, d->case_id, &c, cause) == -1)
		return (-1);
	if (c == NULL || !calendar_parse_date(d->due, &due) ||
	    (area = config_find_area(wf->config, c->area)) == NULL) {
		case_row_free(c);
		return (0);
	}
	if (strcmp(d->kind, "escalation_window") == 0 ||
	    strcmp(d->kind, "iac_window") == 0) {
		if (g_date_compare(today, &due) > 0)
			rc = store_deadline_close(wf->store, d->case_id,
			    d->kind, "expired", cause);
		goto out;
	}
	if (strcmp(d->kind, "authority") == 0) {
		if (g_date_compare(today, &due) > 0)
			rc = case_move_authority_expired(wf, area,
			    d->case_id, cause) == 0 ? 1 : -1;
		goto out;
	}
	if (!is_reply_deadline(d->kind))
		goto out;

	if (g_date_compare(today, &due) < 0) {
		left = working_days_between(wf->res->calendar, today, &due);
		if (left != 5 && left != 1)
			goto out;
		kind = g_strdup_printf("before-%d", left);
		detail = left == 1 ? g_strdup("due tomorrow (1 working day "
		    "left)") : g_strdup("due in 5 working days");
	} else if (g_date_compare(today, &due) > 0 &&
	    calendar_is_working_day(wf->res->calendar, today)) {
		late = working_days_between(wf->res->calendar, &due, today);
		iso = calendar_date_iso(today);
		kind = g_strdup_printf("overdue-%s", iso);
		g_free(iso);
		detail = g_strdup_printf("%d working day%s overdue", late,
		    late == 1 ? "" : "s");
	} else
		goto out;
	fresh = store_reminder_once(wf->store, d->id, kind, clock_now(),
	    cause);
	if (fresh < 0)
		rc = -1;
	else if (fresh == 1)
		rc = remind(wf, area, d, detail, cause) == 0 ? 1 : -1;
out:
	g_free(kind);
	g_free(detail);
	case_row_free(c);
	return (rc);
}

int
scheduler_run(struct workflow *wf, char **cause)
{
	GPtrArray	*running;
	GDate		 today;
	guint		 i;
	int		 n = 0, rc;

	calendar_local_date(clock_now(), &today);
	if (store_deadlines_running(wf->store, &running, cause) != 0)
		return (-1);
	for (i = 0; i < running->len; i++) {
		if (store_begin(wf->store, cause) != 0 ||
		    (rc = schedule_one(wf, g_ptr_array_index(running, i),
		    &today, cause)) < 0 ||
		    store_commit(wf->store, cause) != 0) {
			store_rollback(wf->store);
			g_ptr_array_unref(running);
			return (-1);
		}
		n += rc;
	}
	g_ptr_array_unref(running);
	return (n);
}
