/*
 * case-move.c: the moves of a complaint, with their deadlines, letters and
 * notices.
 */
#include <string.h>

#include "case-clock.h"
#include "case-move.h"
#include "case-state.h"
#include "clock.h"
#include "compose.h"
#include "letter-check.h"
#include "log.h"
#include "mail-out.h"
#include "route.h"

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

/* Where an event takes the case, from case-state.c's table; FALSE when
 * it does not apply in the case's state. */
static gboolean
next_state(const struct case_row *c, enum case_event ev, enum case_state *to)
{
	struct case_facts	f;

	f.stage = c->stage;
	f.legal = c->category == CATEGORY_LEGAL;
	return (case_state_next(c->state, ev, &f, to));
}

/* Enter the state an event led to and record it (the event log names
 * the state entered). */
static int
enter(struct workflow *wf, const struct case_row *c, enum case_state to,
    const char *detail, char **cause)
{
	if (store_case_set_state(wf->store, c->id, to, clock_now(),
	    cause) != 0)
		return (-1);
	return (store_event(wf->store, c->id, 0, clock_now(),
	    case_state_name(to), detail != NULL ? detail : "", cause));
}

/* The case record and where the event takes it, or a refusal (1) that
 * says where the event applies, or -1 with *cause. */
static int
load_for(struct workflow *wf, gint64 case_id, enum case_event ev,
    const char *verb, struct case_row **c, enum case_state *to,
    char **result, char **cause)
{
	char	*where;

	switch (store_case_get(wf->store, case_id, c, cause)) {
	case -1:
		return (-1);
	case 0:
		return (refuse(result, "%s: there is no such case; nothing was "
		    "changed", verb));
	}
	if (next_state(*c, ev, to))
		return (0);
	where = case_event_states(ev);
	refuse(result, "%s: case %s is %s, and this applies only when it "
	    "is %s; nothing was changed", verb, (*c)->ref,
	    case_state_name((*c)->state), where);
	g_free(where);
	return (1);
}

int
case_move_authority_received(struct workflow *wf,
    const struct area_config *area, gint64 case_id, const char *by,
    char **result, char **cause)
{
	struct case_row		*c = NULL;
	struct deadline_row	*d = NULL;
	GHashTable		*vars = NULL;
	enum case_state		 to;
	char			*why = NULL;
	int			 rc, found;

	if ((rc = load_for(wf, case_id, EV_AUTHORITY_RECEIVED,
	    "#authority received", &c, &to, result, cause)) != 0)
		goto out;
	rc = -1;
	if (store_party_set_authority(wf->store, case_id, "attached",
	    cause) != 0 ||
	    store_deadline_close(wf->store, case_id, "authority", "met",
	    cause) != 0)
		goto out;
	if ((vars = mail_vars(wf, area, case_id, NULL, NULL, language_name(c->language),
	    cause)) == NULL ||
	    (found = store_deadline_open(wf->store, case_id,
	    "stage1_response", &d, cause)) == -1)
		goto out;
	if (found == 0) {
		if (case_clock_start(wf, case_id, "stage1_response",
		    wf->config->stage1_days, FALSE, vars, language_name(c->language),
		    cause) != 0)
			goto out;
	} else {
		g_free(d->paused_to);
		d->paused_to = case_clock_today();
		if (case_clock_compute(wf, d, &why, cause) != 0 ||
		    store_deadline_update(wf->store, d, why, cause) != 0)
			goto out;
		g_hash_table_insert(vars, "due_date",
		    case_clock_letter_date(d->due, language_name(c->language)));
	}
	if (enter(wf, c, to, by, cause) != 0 ||
	    mail_letter(wf, area, c, "acknowledgement-representative", vars,
	    NULL, cause) != 0)
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
case_move_draft(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const char *author, const char *text, char **result,
    char **cause)
{
	struct case_row		*c = NULL;
	struct party_row	*p = NULL;
	struct deadline_row	*d = NULL;
	struct letter_context	 lc;
	GPtrArray		*findings = NULL;
	GHashTable		*vars = NULL;
	enum case_state		 to;
	char			*report = NULL, *now = case_clock_today();
	guint			 i, passed = 0;
	int			 rc;

	if ((rc = load_for(wf, case_id, EV_DRAFT, "#respond", &c, &to,
	    result, cause)) != 0)
		goto out;
	rc = -1;
	if (text == NULL || *text == '\0') {
		rc = refuse(result, "#respond: the reply text is missing: "
		    "write the letter below the command lines, above the "
		    "quoted message");
		goto out;
	}
	if (store_case_correspondent(wf->store, case_id, &p, cause) == -1 ||
	    store_deadline_open(wf->store, case_id,
	    case_clock_reply_kind(c->stage), &d, cause) == -1)
		goto out;
	memset(&lc, 0, sizeof lc);
	lc.complainant_name = p != NULL ? p->name : NULL;
	lc.ref = c->ref;
	lc.outcome = c->outcome;
	lc.late = d != NULL && *d->due != '\0' && strcmp(now, d->due) > 0;
	lc.jargon = wf->res->jargon;
	lc.language = language_name(c->language);
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
	if ((rc = enter(wf, c, to, author, cause)) != 0)
		goto out;
	if ((vars = mail_vars(wf, area, case_id, NULL, NULL, "en",
	    cause)) == NULL) {
		rc = -1;
		goto out;
	}
	g_hash_table_insert(vars, "body", g_strdup(text));
	g_hash_table_insert(vars, "findings", g_strdup(report));
	g_hash_table_insert(vars, "handler", g_strdup(author));
	g_hash_table_insert(vars, "due_date", case_clock_letter_date(d != NULL ?
	    d->due : NULL, "en"));
	if ((rc = mail_notify_coordinators(wf, area, case_id,
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

/* The case and the draft waiting for QA, for an event on it: 1, 0 when
 * there is no such case, it is not in a state for the event or has no
 * draft waiting (*draft NULL), -1 with *cause. */
static int
load_draft(struct workflow *wf, gint64 case_id, enum case_event ev,
    struct case_row **c, struct draft_row **draft, enum case_state *to,
    char **cause)
{
	int	rc;

	*draft = NULL;
	if ((rc = store_case_get(wf->store, case_id, c, cause)) != 1)
		return (rc);
	if (!next_state(*c, ev, to))
		return (0);
	return (store_draft_pending(wf->store, case_id, draft, cause));
}

int
case_move_approve(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const char *by, char **result, char **cause)
{
	struct case_row		*c = NULL;
	struct draft_row	*draft = NULL;
	struct deadline_row	*d = NULL;
	GHashTable		*vars = NULL;
	const char		*template, *window;
	enum case_state		 to;
	char			*now = case_clock_today();
	int			 rc = -1, found;

	if (!is_coordinator(area, by)) {
		rc = refuse(result, "#approve: only the %s coordinators can "
		    "approve a reply; nothing was sent", area->name);
		goto out;
	}
	if ((found = load_draft(wf, case_id, EV_APPROVE, &c, &draft, &to,
	    cause)) == -1)
		goto out;
	if (found == 0) {
		rc = refuse(result, "#approve: case %s has no draft waiting "
		    "for approval; a handler sends one with #respond",
		    c != NULL ? c->ref : "?");
		goto out;
	}
	if ((vars = mail_vars(wf, area, case_id, NULL, NULL, language_name(c->language),
	    cause)) == NULL)
		goto out;
	g_hash_table_insert(vars, "body", g_strdup(draft->text));
	if (draft->stage == 1) {
		template = "response-stage1";
		window = "escalation_window";
	} else if (c->category == CATEGORY_LEGAL) {
		template = "response-stage2-final";
		window = NULL;
	} else {
		template = "response-stage2-iac";
		window = "iac_window";
	}
	if (window != NULL && case_clock_window(wf, case_id, window, vars,
	    language_name(c->language), cause) != 0)
		goto out;
	if (store_deadline_open(wf->store, case_id,
	    case_clock_reply_kind(draft->stage), &d, cause) == -1)
		goto out;
	if (store_deadline_close(wf->store, case_id,
	    case_clock_reply_kind(draft->stage), d != NULL && *d->due != '\0' && strcmp(now, d->due) > 0 ?
	    "met_late" : "met", cause) != 0 ||
	    store_draft_decide(wf->store, draft->id, "approved", by,
	    clock_now(), cause) != 0 ||
	    mail_letter(wf, area, c, template, vars, NULL, cause) != 0)
		goto out;
	if ((rc = enter(wf, c, to, by, cause)) != 0)
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
case_move_return(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const char *by, const char *reason, char **result,
    char **cause)
{
	struct case_row		*c = NULL;
	struct draft_row	*draft = NULL;
	GHashTable		*vars = NULL;
	GPtrArray		*to;
	enum case_state		 next;
	int			 rc = -1, found;

	if (!is_coordinator(area, by)) {
		rc = refuse(result, "#return: only the %s coordinators can "
		    "return a draft; nothing was changed", area->name);
		goto out;
	}
	if ((found = load_draft(wf, case_id, EV_RETURN, &c, &draft, &next,
	    cause)) == -1)
		goto out;
	if (found == 0) {
		rc = refuse(result, "#return: case %s has no draft waiting "
		    "for approval", c != NULL ? c->ref : "?");
		goto out;
	}
	if (store_draft_decide(wf->store, draft->id, "returned", by,
	    clock_now(), cause) != 0)
		goto out;
	if ((rc = enter(wf, c, next, reason, cause)) != 0)
		goto out;
	/* Back to whoever wrote it, assigned handler or not. */
	if ((vars = mail_vars(wf, area, case_id, NULL, NULL, "en",
	    cause)) == NULL) {
		rc = -1;
		goto out;
	}
	g_hash_table_insert(vars, "body", g_strdup(reason));
	g_hash_table_insert(vars, "handler", g_strdup(draft->author));
	to = mail_addresses(NULL, draft->author);
	rc = mail_notify(wf, area, case_id, "draft-returned-notice", vars,
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
case_move_holding(struct workflow *wf, const struct area_config *area,
    gint64 case_id, int days, const char *reason, char **result,
    char **cause)
{
	struct case_row		*c = NULL;
	struct deadline_row	*d = NULL;
	GHashTable		*vars = NULL;
	enum case_state		 to;
	char			*why = NULL, *old = NULL;
	int			 rc;

	if ((rc = load_for(wf, case_id, EV_HOLDING, "#holding", &c, &to,
	    result, cause)) != 0)
		goto out;
	rc = -1;
	if (store_deadline_open(wf->store, case_id,
	    case_clock_reply_kind(c->stage), &d, cause) == -1)
		goto out;
	if (d == NULL || *d->due == '\0') {
		rc = refuse(result, "#holding: case %s has no running reply "
		    "deadline to extend (it is %s)", c != NULL ? c->ref : "?",
		    c != NULL ? case_state_name(c->state) : "unknown");
		goto out;
	}
	old = g_strdup(d->due);
	d->extra_days += days;
	why = d->extra_why;
	d->extra_why = why != NULL ? g_strdup_printf("%s; %s", why, reason) :
	    g_strdup_printf("holding letter: %s", reason);
	g_free(why);
	why = NULL;
	if (case_clock_compute(wf, d, &why, cause) != 0 ||
	    store_deadline_update(wf->store, d, why, cause) != 0)
		goto out;
	if ((vars = mail_vars(wf, area, case_id, NULL, NULL, language_name(c->language),
	    cause)) == NULL)
		goto out;
	g_hash_table_insert(vars, "body", g_strdup(reason));
	g_hash_table_insert(vars, "due_date", case_clock_letter_date(d->due,
	    language_name(c->language)));
	if (mail_letter(wf, area, c, "holding-letter", vars, NULL,
	    cause) != 0 ||
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
case_move_escalate(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const struct message *m, char **result, char **cause)
{
	struct case_row	*c = NULL;
	GHashTable	*vars = NULL;
	enum case_state	 to;
	int		 rc, open;

	if ((rc = load_for(wf, case_id, EV_ESCALATE, "#escalate", &c, &to,
	    result, cause)) != 0)
		goto out;
	rc = -1;
	/* Staff may take a case to stage 2 at any time. */
	open = m != NULL ? case_clock_window_open(wf, case_id,
	    "escalation_window", cause) : 1;
	if (open == -1)
		goto out;
	if (!open) {
		/* Late: staff decide, the complainant is not turned away. */
		if ((vars = mail_vars(wf, area, case_id, m, NULL, "en",
		    cause)) == NULL)
			goto out;
		g_hash_table_insert(vars, "detail", g_strdup("the request to "
		    "take the complaint to stage 2 came after the last day "
		    "given in the stage 1 reply"));
		if (mail_notify_handler(wf, area, case_id,
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
	if ((vars = mail_vars(wf, area, case_id, m, NULL, language_name(c->language),
	    cause)) == NULL ||
	    case_clock_start(wf, case_id, "stage2_response",
	    wf->config->stage2_days, FALSE, vars, language_name(c->language), cause) != 0 ||
	    enter(wf, c, to, m != NULL ? "asked by the complainant" :
	    "decided by staff", cause) != 0 ||
	    mail_letter(wf, area, c, "stage2-acknowledgement", vars, NULL,
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
 * Every message of the case as attachments for the Assessor: 0, or -1
 * with *cause. The entries of *atts borrow their bytes from *raws: free
 * *atts first.
 */
static int
case_attachments(struct workflow *wf, gint64 case_id, GPtrArray **out,
    GPtrArray **raws, char **cause)
{
	GPtrArray	*atts;
	guint		 i;

	*out = NULL;
	if (store_case_raw_messages(wf->store, case_id, raws, cause) != 0)
		return (-1);
	atts = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; i < (*raws)->len; i++) {
		struct out_attachment *a = g_new0(struct out_attachment, 1);

		a->filename = "message.eml";
		a->content_type = "message/rfc822";
		a->data = g_ptr_array_index(*raws, i);
		g_ptr_array_add(atts, a);
	}
	*out = atts;
	return (0);
}

/* Why a case cannot go to the Assessor, or NULL when it can (*to set):
 * the table's reasons, worded for the complainant. -1 with *cause. */
static int
iac_refusal(struct workflow *wf, const struct case_row *c,
    enum case_state *to, char **why, char **cause)
{
	*why = NULL;
	if (c->category == CATEGORY_LEGAL)
		*why = g_strdup("the Independent Assessor of Complaints can "
		    "only look at complaints about our service, and this "
		    "complaint is about a legal decision");
	else if (c->state == CASE_IAC_REFERRED)
		*why = g_strdup("the complaint has already been referred to "
		    "the Independent Assessor of Complaints");
	else if (!next_state(c, EV_REFER_IAC, to))
		*why = g_strdup("both stages of our complaints procedure must "
		    "be finished first; if you are not satisfied with our "
		    "stage 1 reply, you can ask for a stage 2 review");
	else {
		switch (case_clock_window_open(wf, c->id, "iac_window",
		    cause)) {
		case -1:
			return (-1);
		case 0:
			*why = g_strdup("the request arrived after the last "
			    "day given in our stage 2 reply");
			break;
		}
	}
	return (0);
}

int
case_move_refer_iac(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const struct message *m, char **result, char **cause)
{
	struct case_row	*c;
	struct deadline_row *d;
	struct mail_spec ms;
	GHashTable	*vars = NULL;
	GPtrArray	*to = NULL, *atts = NULL, *raws = NULL;
	enum case_state	 next;
	char		*why = NULL, *summary = NULL;
	int		 rc = -1;

	switch (store_case_get(wf->store, case_id, &c, cause)) {
	case -1:
		return (-1);
	case 0:
		return (refuse(result, "#iac: no such case"));
	}
	if ((vars = mail_vars(wf, area, case_id, m, NULL, language_name(c->language),
	    cause)) == NULL ||
	    iac_refusal(wf, c, &next, &why, cause) != 0)
		goto out;
	if (why != NULL) {
		/* The complainant asked: tell them why, in writing. */
		if (m != NULL) {
			g_hash_table_insert(vars, "body", g_strdup(why));
			if (mail_letter(wf, area, c, "iac-refused", vars, NULL,
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
	    case_clock_start(wf, case_id, "iac_response",
	    wf->config->iac_days, FALSE, NULL, language_name(c->language), cause) != 0 ||
	    enter(wf, c, next, m != NULL ? "asked by the complainant" :
	    "referred by staff", cause) != 0)
		goto out;
	if (store_deadline_open(wf->store, case_id, "iac_response", &d,
	    cause) == -1)
		goto out;
	g_hash_table_insert(vars, "iac_due_date", case_clock_letter_date(
	    d != NULL ? d->due : NULL, language_name(c->language)));
	deadline_row_free(d);
	if (mail_letter(wf, area, c, "iac-referral", vars, NULL, cause) != 0)
		goto out;

	/* The bundle: the case's history and every message, attached. */
	if (store_case_history(wf->store, case_id, &summary, cause) != 0)
		goto out;
	g_hash_table_insert(vars, "body", summary);
	if (case_attachments(wf, case_id, &atts, &raws, cause) != 0)
		goto out;
	to = *wf->config->iac_address != '\0' ?
	    mail_addresses(NULL, wf->config->iac_address) :
	    mail_addresses(area->coordinators, NULL);
	memset(&ms, 0, sizeof ms);
	ms.area = area;
	ms.case_id = case_id;
	ms.template = "iac-bundle";
	ms.lang = "en";
	ms.vars = vars;
	ms.to = to;
	ms.attachments = atts;
	if (mail_queue(wf, &ms, cause) != 0)
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

/* Close by an event (#close, or authority that never came). */
static int
close_by(struct workflow *wf, gint64 case_id, enum case_event ev,
    const char *why, char **result, char **cause)
{
	struct case_row	*c = NULL;
	enum case_state	 to;
	int		 rc;

	if ((rc = load_for(wf, case_id, ev, "#close", &c, &to, result,
	    cause)) != 0)
		goto out;
	rc = -1;
	if (store_deadline_close(wf->store, case_id, NULL, "cancelled",
	    cause) != 0 || enter(wf, c, to, why, cause) != 0)
		goto out;
	*result = g_strdup_printf("the case is closed%s%s",
	    c->outcome != OUTCOME_NONE ? ", outcome " : " (no outcome "
	    "recorded: add one with #outcome)", c->outcome != OUTCOME_NONE ?
	    outcome_name(c->outcome) : "");
	rc = 0;
out:
	case_row_free(c);
	return (rc);
}

int
case_move_close(struct workflow *wf, gint64 case_id, const char *why,
    char **result, char **cause)
{
	return (close_by(wf, case_id, EV_CLOSE, why, result, cause));
}

int
case_move_authority_expired(struct workflow *wf,
    const struct area_config *area, gint64 case_id, char **cause)
{
	struct case_row		*c;
	struct deadline_row	*d = NULL;
	GHashTable		*vars = NULL;
	enum case_state		 to;
	char			*result = NULL;
	int			 rc = -1;

	if (store_case_get(wf->store, case_id, &c, cause) == -1)
		goto out;
	if (c == NULL || !next_state(c, EV_AUTHORITY_EXPIRED, &to)) {
		/* It came after all, or the case was closed by hand. */
		rc = store_deadline_close(wf->store, case_id, "authority",
		    "met", cause);
		goto out;
	}
	if (store_deadline_open(wf->store, case_id, "authority", &d,
	    cause) == -1 || (vars = mail_vars(wf, area, case_id, NULL, NULL,
	    language_name(c->language), cause)) == NULL)
		goto out;
	g_hash_table_insert(vars, "detail", g_strdup_printf("the written "
	    "authority asked for on %s did not arrive by %s",
	    d != NULL ? d->start : "?", d != NULL ? d->due : "?"));
	if (store_deadline_close(wf->store, case_id, "authority", "missed",
	    cause) != 0 ||
	    close_by(wf, case_id, EV_AUTHORITY_EXPIRED, "no written "
	    "authority in time", &result, cause) != 0 ||
	    mail_notify_coordinators(wf, area, case_id,
	    "authority-timeout-notice", vars, cause) != 0 ||
	    mail_letter(wf, area, c, "authority-closed", vars, NULL,
	    cause) != 0)
		goto out;
	rc = 0;
out:
	if (vars != NULL)
		g_hash_table_unref(vars);
	g_free(result);
	deadline_row_free(d);
	case_row_free(c);
	return (rc);
}

int
case_move_reopen(struct workflow *wf, gint64 case_id, char **result,
    char **cause)
{
	struct case_row	*c = NULL;
	enum case_state	 to;
	int		 rc;

	if ((rc = load_for(wf, case_id, EV_REOPEN, "#reopen", &c, &to,
	    result, cause)) != 0)
		goto out;
	rc = -1;
	if (case_clock_start(wf, case_id, case_clock_reply_kind(c->stage),
	    c->stage == 2 ? wf->config->stage2_days : wf->config->stage1_days,
	    FALSE, NULL, "en", cause) != 0 ||
	    enter(wf, c, to, "reopened", cause) != 0)
		goto out;
	*result = g_strdup_printf("the case is open again at stage %d",
	    c->stage);
	rc = 0;
out:
	case_row_free(c);
	return (rc);
}

/*
 * A message from the public on an existing case: added to it. What it
 * asks for moves the case when the state allows (authority arriving, a
 * request for stage 2 or for the Assessor); otherwise the handler is told.
 */
/* What a message from the public may ask of its case. */
enum follow_up_ask {
	ASKS_NOTHING,
	ASKS_AUTHORITY,		/* here is the written authority */
	ASKS_ESCALATE,		/* stage 2 */
	ASKS_IAC		/* the Independent Assessor */
};

static const char *const follow_up_asked[] = {
	[ASKS_NOTHING] = "nothing",
	[ASKS_AUTHORITY] = "the written authority to be accepted",
	[ASKS_ESCALATE] = "stage 2",
	[ASKS_IAC] = "a referral to the Independent Assessor of Complaints"
};

/*
 * A request to move a case from someone who is not a party of it: it
 * stays correspondence, nothing moves and nobody outside is written to;
 * the coordinators are told, with who wrote (references are sequential,
 * and anyone can write one in a subject).
 */
static int
non_party_request(struct workflow *wf, const struct area_config *area,
    const struct case_row *c, const struct message *m,
    const struct verdict *v, gint64 row, enum follow_up_ask asks,
    char **cause)
{
	GHashTable	*vars;
	int		 rc;

	if (store_event(wf->store, c->id, row, clock_now(),
	    "non_party_request", follow_up_asked[asks], cause) != 0)
		return (-1);
	log_warnx("Area %s: case %s: message row %" G_GINT64_FORMAT " asks "
	    "for %s but is not from a party of the case; nothing moved, the "
	    "coordinators are told", area->id, c->ref, row,
	    follow_up_asked[asks]);
	if ((vars = mail_vars(wf, area, c->id, m, v, "en", cause)) == NULL)
		return (-1);
	if (m->from != NULL)
		g_hash_table_replace(vars, "name", *m->from->name != '\0' ?
		    g_strdup_printf("%s <%s>", m->from->name, m->from->addr) :
		    g_strdup(m->from->addr));
	g_hash_table_replace(vars, "detail", g_strdup(follow_up_asked[asks]));
	rc = mail_notify_coordinators(wf, area, c->id, "non-party-notice",
	    vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}

int
case_move_follow_up(struct workflow *wf, const struct area_config *area,
    const struct origin *o, GBytes *raw, const struct message *m,
    const struct verdict *v, gint64 case_id, gint64 *row, char **cause)
{
	struct case_row		*c;
	GHashTable		*vars;
	enum case_state		 to, now;
	enum follow_up_ask	 asks = ASKS_NOTHING;
	char			*result = NULL;
	int			 rc = 0;

	if (workflow_record(wf, o, raw, m, v, case_id, row, cause) != 0)
		return (-1);
	if (store_event(wf->store, case_id, *row, clock_now(),
	    "message_received", "", cause) != 0)
		return (-1);
	if ((rc = store_case_get(wf->store, case_id, &c, cause)) != 1)
		return (rc);
	now = c->state;
	if (next_state(c, EV_AUTHORITY_RECEIVED, &to) &&
	    (v->request == REQUEST_AUTHORITY ||
	    v->authority == AUTHORITY_ATTACHED))
		asks = ASKS_AUTHORITY;
	else if (next_state(c, EV_ESCALATE, &to) &&
	    v->request == REQUEST_ESCALATE)
		asks = ASKS_ESCALATE;
	else if ((now == CASE_STAGE1_ANSWERED || now == CASE_STAGE2_ANSWERED) &&
	    v->request == REQUEST_IAC)
		asks = ASKS_IAC;
	/* Only parties move their case (invariant 4). */
	if (asks != ASKS_NOTHING &&
	    (rc = route_from_party(wf, area, m, case_id, cause)) != 1) {
		if (rc == 0)
			rc = non_party_request(wf, area, c, m, v, *row, asks,
			    cause);
		case_row_free(c);
		return (rc);
	}
	switch (asks) {
	case ASKS_AUTHORITY:
		rc = case_move_authority_received(wf, area, case_id,
		    "the representative sent it", &result, cause);
		break;
	case ASKS_ESCALATE:
		rc = case_move_escalate(wf, area, case_id, m, &result, cause);
		break;
	case ASKS_IAC:
		/* Asked too early or too late, they get a letter saying why. */
		rc = case_move_refer_iac(wf, area, case_id, m, &result, cause);
		break;
	case ASKS_NOTHING:
		rc = 1;	/* nothing moved: staff read it */
		break;
	}
	case_row_free(c);
	g_free(result);
	if (rc == 0 || rc < 0)
		return (rc);
	if ((vars = mail_vars(wf, area, case_id, m, v, "en", cause)) == NULL)
		return (-1);
	rc = mail_notify_handler(wf, area, case_id,
	    "message-added-notice", vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}
