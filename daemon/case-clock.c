/*
 * case-clock.c: starting, stopping, extending and explaining deadlines.
 */
#include <string.h>

#include "calendar.h"
#include "case-clock.h"
#include "clock.h"

static void
today(GDate *d)
{
	calendar_local_date(clock_now(), d);
}

char *
case_clock_today(void)
{
	GDate	d;

	today(&d);
	return (calendar_date_iso(&d));
}

/* A letter date in the case's language, from YYYY-MM-DD. */
char *
case_clock_letter_date(const char *iso, const char *lang)
{
	GDate	d;

	if (iso == NULL || !calendar_parse_date(iso, &d))
		return (g_strdup(""));
	return (calendar_date_letter(&d, lang));
}

/*
 * Work out a working-day deadline from its row: its start, limit, pause
 * and extensions. While the clock is stopped there is no due date.
 */
int
case_clock_compute(struct workflow *wf, struct deadline_row *d,
    char **derivation, char **cause)
{
	struct deadline_calc	*calc;
	struct clock_stop	 stop;
	struct clock_extension	 ext;
	GArray			*stops, *exts;
	GDate			 start;
	int			 rc;

	if (!calendar_parse_date(d->start, &start)) {
		*cause = g_strdup_printf("deadline %" G_GINT64_FORMAT " has a "
		    "bad start date '%s'", d->id, d->start);
		return (-1);
	}
	if (d->paused_from != NULL && d->paused_to == NULL) {
		g_free(d->due);
		d->due = g_strdup("");
		*derivation = g_strdup_printf("received %s; the clock stopped "
		    "on %s (awaiting the person's written authority): there is "
		    "no due date while it is stopped\n", d->start,
		    d->paused_from);
		return (0);
	}
	stops = g_array_new(FALSE, FALSE, sizeof(struct clock_stop));
	exts = g_array_new(FALSE, FALSE, sizeof(struct clock_extension));
	if (d->paused_from != NULL) {
		calendar_parse_date(d->paused_from, &stop.from);
		calendar_parse_date(d->paused_to, &stop.to);
		stop.why = "awaiting authority";
		g_array_append_val(stops, stop);
	}
	if (d->extra_days > 0) {
		ext.days = d->extra_days;
		ext.why = d->extra_why != NULL ? d->extra_why : "holding letter";
		g_array_append_val(exts, ext);
	}
	rc = calendar_deadline(wf->res->calendar, &start, d->working_days, stops,
	    exts, &calc, cause);
	g_array_unref(stops);
	g_array_unref(exts);
	if (rc != 0)
		return (-1);
	g_free(d->due);
	d->due = calendar_date_iso(&calc->due);
	*derivation = deadline_calc_explain(calc);
	deadline_calc_free(calc);
	return (0);
}

int
case_clock_start(struct workflow *wf, gint64 case_id, const char *kind,
    int days, gboolean paused, GHashTable *vars, const char *lang,
    char **cause)
{
	struct deadline_row	 d;
	char			*why = NULL;
	int			 rc;

	memset(&d, 0, sizeof d);
	d.case_id = case_id;
	d.kind = (char *)kind;
	d.start = case_clock_today();
	d.working_days = days;
	d.paused_from = paused ? d.start : NULL;
	d.state = (char *)"open";
	rc = case_clock_compute(wf, &d, &why, cause);
	if (rc == 0)
		rc = store_deadline_add(wf->store, case_id, kind, d.start, days,
		    d.due, why, d.paused_from, clock_now(), cause);
	if (rc == 0 && vars != NULL)
		g_hash_table_insert(vars, "due_date", case_clock_letter_date(d.due, lang));
	g_free(d.start);
	g_free(d.due);
	g_free(why);
	return (rc);
}

/* A window of one calendar month from today (escalation, IAC referral);
 * sets escalation_date in vars. */
int
case_clock_window(struct workflow *wf, gint64 case_id, const char *kind,
    GHashTable *vars, const char *lang, char **cause)
{
	GDate	 from, due;
	char	*start, *end, *why, *from_text, *due_text;
	int	 rc;

	today(&from);
	calendar_add_months(&from, 1, &due);
	start = calendar_date_iso(&from);
	end = calendar_date_iso(&due);
	from_text = calendar_date_text(&from);
	due_text = calendar_date_text(&due);
	why = g_strdup_printf("answered %s; the window is one calendar month: "
	    "the same day of the next month, or its last day when it has no "
	    "such day; last day %s\n", from_text, due_text);
	rc = store_deadline_add(wf->store, case_id, kind, start, 0, end, why,
	    NULL, clock_now(), cause);
	if (vars != NULL)
		g_hash_table_insert(vars, "escalation_date",
		    calendar_date_letter(&due, lang));
	g_free(start);
	g_free(end);
	g_free(why);
	g_free(from_text);
	g_free(due_text);
	return (rc);
}

int
case_clock_window_open(struct workflow *wf, gint64 case_id, const char *kind,
    char **cause)
{
	struct deadline_row	*d;
	char			*now;
	int			 open;

	if ((open = store_deadline_open(wf->store, case_id, kind, &d,
	    cause)) != 1)
		return (open);
	now = case_clock_today();
	open = strcmp(now, d->due) <= 0;
	g_free(now);
	deadline_row_free(d);
	return (open);
}

const char *
case_clock_reply_kind(int stage)
{
	return (stage == 2 ? "stage2_response" : "stage1_response");
}

/* Every deadline of a case with how it was worked out, for staff. */
int
case_clock_text(struct workflow *wf, gint64 case_id, char **text,
    char **cause)
{
	GPtrArray	*running;
	GString		*s;
	guint		 i;

	*text = NULL;
	if (store_deadlines_of(wf->store, case_id, &running, cause) != 0)
		return (-1);
	s = g_string_new(NULL);
	for (i = 0; i < running->len; i++) {
		struct deadline_text *d = g_ptr_array_index(running, i);

		g_string_append_printf(s, "%s%s (%s): %s\n%s\n",
		    s->len ? "\n" : "", d->kind, d->state,
		    *d->due ? d->due : "paused", d->derivation);
	}
	g_ptr_array_unref(running);
	*text = g_string_free(s, FALSE);
	return (0);
}
