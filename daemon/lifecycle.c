/*
 * lifecycle.c: the moves of a case between states, with their deadlines,
 * letters and notices.
 */
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "compose.h"
#include "letter-check.h"
#include "lifecycle.h"
#include "log.h"

static void
today(GDate *d)
{
	calendar_local_date(clock_now(), d);
}

static char *
today_iso(void)
{
	GDate	d;

	today(&d);
	return (calendar_date_iso(&d));
}

/* A letter date in the case's language, from YYYY-MM-DD. */
static char *
letter_date(const char *iso, const char *lang)
{
	GDate	d;

	if (iso == NULL || !calendar_parse_date(iso, &d))
		return (g_strdup(""));
	return (workflow_format_date(&d, lang));
}

/*
 * Work out a working-day deadline from its row: its start, limit, pause
 * and extensions. While the clock is stopped there is no due date.
 */
static int
deadline_compute(struct workflow *wf, struct deadline_row *d,
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
	rc = calendar_deadline(wf->res->calendar, &start, d->working_days,
	    stops, exts, &calc, cause);
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
lifecycle_start_clock(struct workflow *wf, gint64 case_id, const char *kind,
    int days, gboolean paused, GHashTable *vars, const char *lang,
    char **cause)
{
	struct deadline_row	 d;
	char			*why = NULL;
	int			 rc;

	memset(&d, 0, sizeof d);
	d.case_id = case_id;
	d.kind = (char *)kind;
	d.start = today_iso();
	d.working_days = days;
	d.paused_from = paused ? d.start : NULL;
	d.state = (char *)"open";
	rc = deadline_compute(wf, &d, &why, cause);
	if (rc == 0)
		rc = store_deadline_add(wf->store, case_id, kind, d.start, days,
		    d.due, why, d.paused_from, clock_now(), cause);
	if (rc == 0 && vars != NULL)
		g_hash_table_insert(vars, "due_date", letter_date(d.due, lang));
	g_free(d.start);
	g_free(d.due);
	g_free(why);
	return (rc);
}

/* A window of one calendar month from today (escalation, IAC referral);
 * sets escalation_date in vars. */
static int
start_window(struct workflow *wf, gint64 case_id, const char *kind,
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
		    workflow_format_date(&due, lang));
	g_free(start);
	g_free(end);
	g_free(why);
	g_free(from_text);
	g_free(due_text);
	return (rc);
}

gboolean
lifecycle_window_open(struct workflow *wf, gint64 case_id, const char *kind)
{
	struct deadline_row	*d = store_deadline_open(wf->store, case_id,
				    kind);
	char			*now;
	gboolean		 open;

	if (d == NULL)
		return (FALSE);
	now = today_iso();
	open = strcmp(now, d->due) <= 0;
	g_free(now);
	deadline_row_free(d);
	return (open);
}

/* A refusal: nothing changed; say why and what to do. */
static int
refuse(char **result, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static int
refuse(char **result, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	*result = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return (1);
}

int
lifecycle_letter(struct workflow *wf, const struct area_config *area,
    const struct case_row *c, const char *template, GHashTable *vars,
    GPtrArray *attachments, char **cause)
{
	struct party_row	*p = store_case_correspondent(wf->store, c->id);
	struct mail_spec	 ms;
	GPtrArray		*to;
	char			*last;
	int			 rc;

	if (p == NULL || p->email == NULL) {
		party_row_free(p);
		return (store_event(wf->store, c->id, 0, clock_now(),
		    "not_sent", template, cause));
	}
	last = store_case_last_in(wf->store, c->id, p->email);
	to = workflow_addresses(NULL, p->email);
	memset(&ms, 0, sizeof ms);
	ms.area = area;
	ms.case_id = c->id;
	ms.in_reply_to = last;
	ms.template = template;
	ms.lang = c->language;
	ms.vars = vars;
	ms.to = to;
	ms.to_name = p->name;
	ms.attachments = attachments;
	rc = workflow_mail(wf, &ms, cause);
	g_ptr_array_unref(to);
	g_free(last);
	party_row_free(p);
	return (rc);
}

static gboolean
is_coordinator(const struct area_config *area, const char *addr)
{
	guint	i;

	for (i = 0; i < area->coordinators->len; i++) {
		if (g_ascii_strcasecmp(g_ptr_array_index(area->coordinators,
		    i), addr) == 0)
			return (TRUE);
	}
	return (FALSE);
}

static const char *
stage_kind(int stage)
{
	return (stage == 2 ? "stage2_response" : "stage1_response");
}

/* Move the case to a state and record it. */
static int
move(struct workflow *wf, const struct case_row *c, const char *state,
    const char *detail, char **cause)
{
	if (store_case_set_state(wf->store, c->id, state, clock_now(),
	    cause) != 0)
		return (-1);
	return (store_event(wf->store, c->id, 0, clock_now(), state,
	    detail != NULL ? detail : "", cause));
}

int
lifecycle_authority_received(struct workflow *wf,
    const struct area_config *area, gint64 case_id, const char *by,
    char **result, char **cause)
{
	struct case_row		*c = store_case_get(wf->store, case_id);
	struct deadline_row	*d = NULL;
	GHashTable		*vars = NULL;
	char			*why = NULL;
	int			 rc = -1;

	if (c == NULL || strcmp(c->state, "awaiting_authority") != 0) {
		rc = refuse(result, "the case is not waiting for authority "
		    "(it is %s); nothing was changed", c != NULL ? c->state :
		    "unknown");
		goto out;
	}
	if (store_party_set_authority(wf->store, case_id, "attached",
	    cause) != 0 ||
	    store_deadline_close(wf->store, case_id, "authority", "met",
	    cause) != 0)
		goto out;
	vars = workflow_vars(wf, area, case_id, NULL, NULL, c->language);
	if ((d = store_deadline_open(wf->store, case_id,
	    "stage1_response")) == NULL) {
		if (lifecycle_start_clock(wf, case_id, "stage1_response",
		    wf->config->stage1_days, FALSE, vars, c->language,
		    cause) != 0)
			goto out;
	} else {
		g_free(d->paused_to);
		d->paused_to = today_iso();
		if (deadline_compute(wf, d, &why, cause) != 0 ||
		    store_deadline_update(wf->store, d, why, cause) != 0)
			goto out;
		g_hash_table_insert(vars, "due_date", letter_date(d->due,
		    c->language));
	}
	if (move(wf, c, "stage1_open", by, cause) != 0 ||
	    lifecycle_letter(wf, area, c, "acknowledgement-representative", vars, NULL,
	    cause) != 0)
		goto out;
	*result = g_strdup_printf("written authority recorded; the stage 1 "
	    "clock runs again: reply due %s", (char *)g_hash_table_lookup(vars,
	    "due_date"));
	rc = 0;
out:
	if (vars != NULL)
		g_hash_table_unref(vars);
	g_free(why);
	deadline_row_free(d);
	case_row_free(c);
	return (rc);
}

int
lifecycle_draft(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const char *author, const char *text, char **result,
    char **cause)
{
	struct case_row		*c = store_case_get(wf->store, case_id);
	struct party_row	*p = NULL;
	struct deadline_row	*d = NULL;
	struct letter_context	 lc;
	GPtrArray		*findings = NULL;
	GHashTable		*vars = NULL;
	char			*report = NULL, *now = today_iso(), *state;
	guint			 i, passed = 0;
	int			 rc = -1;

	if (c == NULL || (strcmp(c->state, "stage1_open") != 0 &&
	    strcmp(c->state, "stage1_draft") != 0 &&
	    strcmp(c->state, "stage2_open") != 0 &&
	    strcmp(c->state, "stage2_draft") != 0)) {
		rc = refuse(result, "#respond: the case is %s, not waiting "
		    "for a stage 1 or stage 2 reply; nothing was changed",
		    c != NULL ? c->state : "unknown");
		goto out;
	}
	if (text == NULL || *text == '\0') {
		rc = refuse(result, "#respond: the reply text is missing: "
		    "write the letter below the command lines, above the "
		    "quoted message");
		goto out;
	}
	p = store_case_correspondent(wf->store, case_id);
	d = store_deadline_open(wf->store, case_id, stage_kind(c->stage));
	memset(&lc, 0, sizeof lc);
	lc.complainant_name = p != NULL ? p->name : NULL;
	lc.ref = c->ref;
	lc.outcome = c->outcome;
	lc.late = d != NULL && *d->due != '\0' && strcmp(now, d->due) > 0;
	lc.jargon = wf->res->jargon;
	lc.language = c->language;
	findings = letter_check(text, &lc);
	for (i = 0; i < findings->len; i++) {
		const struct letter_finding *f = g_ptr_array_index(findings,
		    i);

		if (f->pass)
			passed++;
	}
	report = letter_findings_text(findings);
	if (store_draft_add(wf->store, case_id, c->stage, author, text, report,
	    clock_now(), cause) != 0)
		goto out;
	state = g_strdup_printf("stage%d_draft", c->stage);
	rc = move(wf, c, state, author, cause);
	g_free(state);
	if (rc != 0)
		goto out;
	vars = workflow_vars(wf, area, case_id, NULL, NULL, "en");
	g_hash_table_insert(vars, "body", g_strdup(text));
	g_hash_table_insert(vars, "findings", g_strdup(report));
	g_hash_table_insert(vars, "handler", g_strdup(author));
	g_hash_table_insert(vars, "due_date", letter_date(d != NULL ? d->due :
	    NULL, "en"));
	if ((rc = workflow_notify_coordinators(wf, area, case_id,
	    "draft-notice", vars, cause)) != 0)
		goto out;
	*result = g_strdup_printf("the stage %d draft went to the "
	    "coordinators for approval; the letter check passed %u of %u "
	    "points", c->stage, passed, findings->len);
out:
	if (findings != NULL)
		g_ptr_array_unref(findings);
	if (vars != NULL)
		g_hash_table_unref(vars);
	g_free(report);
	g_free(now);
	deadline_row_free(d);
	party_row_free(p);
	case_row_free(c);
	return (rc);
}

int
lifecycle_approve(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const char *by, char **result, char **cause)
{
	struct case_row		*c = store_case_get(wf->store, case_id);
	struct draft_row	*draft = NULL;
	struct deadline_row	*d = NULL;
	GHashTable		*vars = NULL;
	const char		*template, *window;
	char			*now = today_iso(), *state;
	int			 rc = -1;

	if (!is_coordinator(area, by)) {
		rc = refuse(result, "#approve: only the %s coordinators can "
		    "approve a reply; nothing was sent", area->name);
		goto out;
	}
	if (c == NULL || (draft = store_draft_pending(wf->store,
	    case_id)) == NULL) {
		rc = refuse(result, "#approve: case %s has no draft waiting "
		    "for approval; a handler sends one with #respond",
		    c != NULL ? c->ref : "?");
		goto out;
	}
	vars = workflow_vars(wf, area, case_id, NULL, NULL, c->language);
	g_hash_table_insert(vars, "body", g_strdup(draft->text));
	if (draft->stage == 1) {
		template = "response-stage1";
		window = "escalation_window";
	} else if (strcmp(c->category, "legal") == 0) {
		template = "response-stage2-final";
		window = NULL;
	} else {
		template = "response-stage2-iac";
		window = "iac_window";
	}
	if (window != NULL && start_window(wf, case_id, window, vars,
	    c->language, cause) != 0)
		goto out;
	d = store_deadline_open(wf->store, case_id, stage_kind(draft->stage));
	if (store_deadline_close(wf->store, case_id, stage_kind(draft->stage),
	    d != NULL && *d->due != '\0' && strcmp(now, d->due) > 0 ?
	    "met_late" : "met", cause) != 0 ||
	    store_draft_decide(wf->store, draft->id, "approved", by,
	    clock_now(), cause) != 0 ||
	    lifecycle_letter(wf, area, c, template, vars, NULL, cause) != 0)
		goto out;
	state = g_strdup_printf("stage%d_answered", draft->stage);
	rc = move(wf, c, state, by, cause);
	g_free(state);
	if (rc != 0)
		goto out;
	if (window != NULL)
		*result = g_strdup_printf("the stage %d reply was sent; the "
		    "complainant may ask to take it further until %s",
		    draft->stage, (char *)g_hash_table_lookup(vars,
		    "escalation_date"));
	else
		*result = g_strdup_printf("the final stage 2 reply was sent");
out:
	if (vars != NULL)
		g_hash_table_unref(vars);
	g_free(now);
	deadline_row_free(d);
	draft_row_free(draft);
	case_row_free(c);
	return (rc);
}

int
lifecycle_return(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const char *by, const char *reason, char **result,
    char **cause)
{
	struct case_row		*c = store_case_get(wf->store, case_id);
	struct draft_row	*draft = NULL;
	GHashTable		*vars = NULL;
	GPtrArray		*to;
	char			*state;
	int			 rc = -1;

	if (!is_coordinator(area, by)) {
		rc = refuse(result, "#return: only the %s coordinators can "
		    "return a draft; nothing was changed", area->name);
		goto out;
	}
	if (c == NULL || (draft = store_draft_pending(wf->store,
	    case_id)) == NULL) {
		rc = refuse(result, "#return: case %s has no draft waiting "
		    "for approval", c != NULL ? c->ref : "?");
		goto out;
	}
	if (store_draft_decide(wf->store, draft->id, "returned", by,
	    clock_now(), cause) != 0)
		goto out;
	state = g_strdup_printf("stage%d_open", draft->stage);
	rc = move(wf, c, state, reason, cause);
	g_free(state);
	if (rc != 0)
		goto out;
	/* Back to whoever wrote it, assigned handler or not. */
	vars = workflow_vars(wf, area, case_id, NULL, NULL, "en");
	g_hash_table_insert(vars, "body", g_strdup(reason));
	g_hash_table_insert(vars, "handler", g_strdup(draft->author));
	to = workflow_addresses(NULL, draft->author);
	rc = workflow_notify(wf, area, case_id, "draft-returned-notice", vars,
	    to, NULL, cause);
	g_ptr_array_unref(to);
	if (rc != 0)
		goto out;
	*result = g_strdup_printf("the draft went back to %s with your "
	    "reason", draft->author);
out:
	if (vars != NULL)
		g_hash_table_unref(vars);
	draft_row_free(draft);
	case_row_free(c);
	return (rc);
}

int
lifecycle_holding(struct workflow *wf, const struct area_config *area,
    gint64 case_id, int days, const char *reason, char **result,
    char **cause)
{
	struct case_row		*c = store_case_get(wf->store, case_id);
	struct deadline_row	*d = NULL;
	GHashTable		*vars = NULL;
	char			*why = NULL, *old = NULL;
	int			 rc = -1;

	if (c == NULL || (d = store_deadline_open(wf->store, case_id,
	    stage_kind(c->stage))) == NULL || *d->due == '\0') {
		rc = refuse(result, "#holding: case %s has no running reply "
		    "deadline to extend (it is %s)", c != NULL ? c->ref : "?",
		    c != NULL ? c->state : "unknown");
		goto out;
	}
	old = g_strdup(d->due);
	d->extra_days += days;
	why = d->extra_why;
	d->extra_why = why != NULL ? g_strdup_printf("%s; %s", why, reason) :
	    g_strdup_printf("holding letter: %s", reason);
	g_free(why);
	why = NULL;
	if (deadline_compute(wf, d, &why, cause) != 0 ||
	    store_deadline_update(wf->store, d, why, cause) != 0)
		goto out;
	vars = workflow_vars(wf, area, case_id, NULL, NULL, c->language);
	g_hash_table_insert(vars, "body", g_strdup(reason));
	g_hash_table_insert(vars, "due_date", letter_date(d->due,
	    c->language));
	if (lifecycle_letter(wf, area, c, "holding-letter", vars, NULL, cause) != 0 ||
	    store_event(wf->store, case_id, 0, clock_now(), "holding_letter",
	    reason, cause) != 0)
		goto out;
	*result = g_strdup_printf("a holding letter was sent; the reply is "
	    "now due on %s (was %s)", d->due, old);
	rc = 0;
out:
	if (vars != NULL)
		g_hash_table_unref(vars);
	g_free(why);
	g_free(old);
	deadline_row_free(d);
	case_row_free(c);
	return (rc);
}

int
lifecycle_escalate(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const struct message *m, char **result, char **cause)
{
	struct case_row	*c = store_case_get(wf->store, case_id);
	GHashTable	*vars = NULL;
	int		 rc = -1;

	if (c == NULL || strcmp(c->state, "stage1_answered") != 0) {
		rc = refuse(result, "stage 2 opens only after the stage 1 "
		    "reply (the case is %s)", c != NULL ? c->state :
		    "unknown");
		goto out;
	}
	if (m != NULL && !lifecycle_window_open(wf, case_id,
	    "escalation_window")) {
		/* Late: staff decide, the complainant is not turned away. */
		vars = workflow_vars(wf, area, case_id, m, NULL, "en");
		g_hash_table_insert(vars, "detail", g_strdup("the request to "
		    "take the complaint to stage 2 came after the last day "
		    "given in the stage 1 reply"));
		if (workflow_notify_handler(wf, area, case_id,
		    "escalation-decision-notice", vars, cause) != 0 ||
		    store_event(wf->store, case_id, 0, clock_now(),
		    "late_escalation_request", "", cause) != 0)
			goto out;
		/* Handled: staff have the request; no further notice. */
		*result = g_strdup("the escalation window has closed; staff "
		    "were asked to decide");
		rc = 0;
		goto out;
	}
	if (store_deadline_close(wf->store, case_id, "escalation_window",
	    "met", cause) != 0 ||
	    store_case_set_stage(wf->store, case_id, 2, clock_now(),
	    cause) != 0)
		goto out;
	vars = workflow_vars(wf, area, case_id, m, NULL, c->language);
	if (lifecycle_start_clock(wf, case_id, "stage2_response",
	    wf->config->stage2_days, FALSE, vars, c->language, cause) != 0 ||
	    move(wf, c, "stage2_open", m != NULL ? "asked by the complainant" :
	    "decided by staff", cause) != 0 ||
	    lifecycle_letter(wf, area, c, "stage2-acknowledgement", vars, NULL,
	    cause) != 0)
		goto out;
	*result = g_strdup_printf("stage 2 is open; the reply is due %s",
	    (char *)g_hash_table_lookup(vars, "due_date"));
	rc = 0;
out:
	if (vars != NULL)
		g_hash_table_unref(vars);
	case_row_free(c);
	return (rc);
}

/*
 * Every message of the case as attachments for the Assessor. The returned
 * list's entries borrow their bytes from *raws: free the list first.
 */
static GPtrArray *
case_attachments(struct workflow *wf, gint64 case_id, GPtrArray **raws)
{
	GPtrArray	*atts = g_ptr_array_new_with_free_func(g_free);
	guint		 i;

	*raws = store_case_raw_messages(wf->store, case_id);
	for (i = 0; i < (*raws)->len; i++) {
		struct out_attachment *a = g_new0(struct out_attachment, 1);

		a->filename = "message.eml";
		a->content_type = "message/rfc822";
		a->data = g_ptr_array_index(*raws, i);
		g_ptr_array_add(atts, a);
	}
	return (atts);
}

/* Why a case cannot go to the Assessor, or NULL when it can. */
static char *
iac_refusal(struct workflow *wf, const struct case_row *c)
{
	if (strcmp(c->category, "legal") == 0)
		return (g_strdup("the Independent Assessor of Complaints can "
		    "only look at complaints about our service, and this "
		    "complaint is about a legal decision"));
	if (strcmp(c->state, "iac_referred") == 0)
		return (g_strdup("the complaint has already been referred to "
		    "the Independent Assessor of Complaints"));
	if (strcmp(c->state, "stage2_answered") != 0)
		return (g_strdup("both stages of our complaints procedure must "
		    "be finished first; if you are not satisfied with our "
		    "stage 1 reply, you can ask for a stage 2 review"));
	if (!lifecycle_window_open(wf, c->id, "iac_window"))
		return (g_strdup("the request arrived after the last day given "
		    "in our stage 2 reply"));
	return (NULL);
}

int
lifecycle_iac(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const struct message *m, char **result, char **cause)
{
	struct case_row	*c = store_case_get(wf->store, case_id);
	struct mail_spec ms;
	GHashTable	*vars = NULL;
	GPtrArray	*to = NULL, *atts = NULL, *raws = NULL;
	char		*why = NULL, *summary = NULL;
	int		 rc = -1;

	if (c == NULL)
		return (refuse(result, "#iac: no such case"));
	vars = workflow_vars(wf, area, case_id, m, NULL, c->language);
	if ((why = iac_refusal(wf, c)) != NULL) {
		/* The complainant asked: tell them why, in writing. */
		if (m != NULL) {
			g_hash_table_insert(vars, "body", g_strdup(why));
			if (lifecycle_letter(wf, area, c, "iac-refused", vars, NULL,
			    cause) != 0 ||
			    store_event(wf->store, case_id, 0, clock_now(),
			    "iac_refused", why, cause) != 0)
				goto out;
		}
		rc = refuse(result, "#iac: not referred: %s", why);
		goto out;
	}
	if (store_deadline_close(wf->store, case_id, "iac_window", "met",
	    cause) != 0 ||
	    lifecycle_start_clock(wf, case_id, "iac_response",
	    wf->config->iac_days, FALSE, NULL, c->language, cause) != 0 ||
	    move(wf, c, "iac_referred", m != NULL ? "asked by the complainant" :
	    "referred by staff", cause) != 0)
		goto out;
	{
		struct deadline_row *d = store_deadline_open(wf->store,
		    case_id, "iac_response");

		g_hash_table_insert(vars, "iac_due_date", letter_date(d != NULL ?
		    d->due : NULL, c->language));
		deadline_row_free(d);
	}
	if (lifecycle_letter(wf, area, c, "iac-referral", vars, NULL, cause) != 0)
		goto out;

	/* The bundle: the case's history and every message, attached. */
	summary = store_case_history(wf->store, case_id);
	g_hash_table_insert(vars, "body", summary);
	atts = case_attachments(wf, case_id, &raws);
	to = *wf->config->iac_address != '\0' ?
	    workflow_addresses(NULL, wf->config->iac_address) :
	    workflow_addresses(area->coordinators, NULL);
	memset(&ms, 0, sizeof ms);
	ms.area = area;
	ms.case_id = case_id;
	ms.template = "iac-bundle";
	ms.lang = "en";
	ms.vars = vars;
	ms.to = to;
	ms.attachments = atts;
	if (workflow_mail(wf, &ms, cause) != 0)
		goto out;
	*result = g_strdup_printf("referred to the Independent Assessor of "
	    "Complaints with %u messages; their reply is due by %s",
	    raws->len, (char *)g_hash_table_lookup(vars, "iac_due_date"));
	rc = 0;
out:
	if (atts != NULL)
		g_ptr_array_unref(atts);
	if (raws != NULL)
		g_ptr_array_unref(raws);
	if (to != NULL)
		g_ptr_array_unref(to);
	if (vars != NULL)
		g_hash_table_unref(vars);
	g_free(why);
	case_row_free(c);
	return (rc);
}

int
lifecycle_close(struct workflow *wf, gint64 case_id, const char *why,
    char **result, char **cause)
{
	struct case_row	*c = store_case_get(wf->store, case_id);
	int		 rc = -1;

	if (c == NULL || strcmp(c->state, "closed") == 0) {
		rc = refuse(result, "#close: the case is already closed");
		goto out;
	}
	if (store_deadline_close(wf->store, case_id, NULL, "cancelled",
	    cause) != 0 || move(wf, c, "closed", why, cause) != 0)
		goto out;
	*result = g_strdup_printf("the case is closed%s%s",
	    c->outcome != NULL ? ", outcome " : " (no outcome recorded: add "
	    "one with #outcome)", c->outcome != NULL ? c->outcome : "");
	rc = 0;
out:
	case_row_free(c);
	return (rc);
}

int
lifecycle_reopen(struct workflow *wf, gint64 case_id, char **result,
    char **cause)
{
	struct case_row	*c = store_case_get(wf->store, case_id);
	char		*state = NULL;
	int		 rc = -1;

	if (c == NULL || strcmp(c->state, "closed") != 0) {
		rc = refuse(result, "#reopen: the case is not closed (it is "
		    "%s)", c != NULL ? c->state : "unknown");
		goto out;
	}
	state = g_strdup_printf("stage%d_open", c->stage);
	if (lifecycle_start_clock(wf, case_id, stage_kind(c->stage),
	    c->stage == 2 ? wf->config->stage2_days : wf->config->stage1_days,
	    FALSE, NULL, "en", cause) != 0 ||
	    move(wf, c, state, "reopened", cause) != 0)
		goto out;
	*result = g_strdup_printf("the case is open again at stage %d",
	    c->stage);
	rc = 0;
out:
	g_free(state);
	case_row_free(c);
	return (rc);
}
