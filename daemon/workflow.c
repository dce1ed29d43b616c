/*
 * workflow.c: the case decisions for incoming mail.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "calendar.h"
#include "clock.h"
#include "compose.h"
#include "lifecycle.h"
#include "log.h"
#include "reply-token.h"
#include "steer.h"
#include "template.h"
#include "workflow.h"

/* Longest complainant text copied into a staff notice; the rest is in the
 * stored raw message. */
#define NOTICE_BODY_MAX	20000

struct workflow *
workflow_new(const struct config *config, struct store *store,
    const struct resources *res)
{
	struct workflow	*wf = g_new0(struct workflow, 1);

	wf->config = config;
	wf->store = store;
	wf->res = res;
	wf->subject_ref = g_regex_new("\\[([A-Z]{2,8}-[0-9]{4}-[0-9]{5})\\]",
	    0, 0, NULL);
	return (wf);
}

void
workflow_free(struct workflow *wf)
{
	if (wf == NULL)
		return;
	g_regex_unref(wf->subject_ref);
	g_free(wf);
}

static const char *
domain_of(const char *addr)
{
	const char	*at = strrchr(addr, '@');

	return (at != NULL ? at + 1 : "localhost");
}

static const char *const day_names[2][7] = {
	{ "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	  "Sunday" },
	{ "Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau",
	  "Dydd Gwener", "Dydd Sadwrn", "Dydd Sul" },
};
static const char *const month_names[2][12] = {
	{ "January", "February", "March", "April", "May", "June", "July",
	  "August", "September", "October", "November", "December" },
	{ "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
	  "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr" },
};

/* "Friday 18 December 2026", or its Welsh form, for letters. */
char *
workflow_format_date(const GDate *d, const char *lang)
{
	int	l = g_strcmp0(lang, "cy") == 0 ? 1 : 0;

	return (g_strdup_printf("%s %d %s %d",
	    day_names[l][g_date_get_weekday(d) - 1], g_date_get_day(d),
	    month_names[l][g_date_get_month(d) - 1], g_date_get_year(d)));
}

static char *
verdict_json(const struct verdict *v)
{
	JsonGenerator	*gen = json_generator_new();
	JsonNode	*root = verdict_to_json(v);
	char		*s;

	json_generator_set_root(gen, root);
	s = json_generator_to_data(gen, NULL);
	json_node_unref(root);
	g_object_unref(gen);
	return (s);
}

/* Every deadline of a case with how it was worked out, for staff. */
static char *
deadlines_text(struct workflow *wf, gint64 case_id)
{
	GPtrArray	*running;
	GString		*s = g_string_new(NULL);
	char		*cause = NULL;
	guint		 i;

	running = store_deadlines_of(wf->store, case_id, &cause);
	if (running == NULL) {
		g_free(cause);
		return (g_string_free(s, FALSE));
	}
	for (i = 0; i < running->len; i++) {
		struct deadline_text *d = g_ptr_array_index(running, i);

		g_string_append_printf(s, "%s%s (%s): %s\n%s\n",
		    s->len ? "\n" : "", d->kind, d->state,
		    *d->due ? d->due : "paused", d->derivation);
	}
	g_ptr_array_unref(running);
	return (g_string_free(s, FALSE));
}

static void
set_var(GHashTable *vars, const char *key, char *value)
{
	g_hash_table_insert(vars, (gpointer)key, value != NULL ? value :
	    g_strdup(""));
}

GHashTable *
workflow_vars(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const struct message *m, const struct verdict *v,
    const char *lang)
{
	GHashTable	*vars;
	GDate		 today;
	struct case_row	*c = case_id != 0 ? store_case_get(wf->store,
			    case_id) : NULL;
	struct party_row *p = case_id != 0 ?
			    store_case_correspondent(wf->store, case_id) : NULL;

	vars = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	calendar_local_date(clock_now(), &today);
	/* An empty name lets each template say its own fallback. */
	if (m != NULL && m->from != NULL)
		set_var(vars, "name", g_strdup(m->from->name));
	else
		set_var(vars, "name", g_strdup(p != NULL ? p->name : ""));
	set_var(vars, "ref", g_strdup(c != NULL ? c->ref : ""));
	set_var(vars, "area_name", g_strdup(area->name));
	set_var(vars, "received_date", workflow_format_date(&today, lang));
	set_var(vars, "original_subject", g_strdup(m != NULL ? m->subject :
	    ""));
	set_var(vars, "kind", g_strdup(c != NULL ? c->kind :
	    v != NULL ? v->kind : ""));
	set_var(vars, "category", g_strdup(c != NULL ? c->category :
	    v != NULL ? v->category : ""));
	set_var(vars, "handler", g_strdup(c != NULL && c->handler != NULL ?
	    c->handler : ""));
	set_var(vars, "stage", g_strdup_printf("%d", c != NULL ? c->stage :
	    1));
	set_var(vars, "contact_restriction", g_strdup(p != NULL ?
	    p->contact_restriction : v != NULL ? v->contact_restriction : ""));
	set_var(vars, "deadlines", case_id != 0 ?
	    deadlines_text(wf, case_id) : NULL);
	if (v != NULL) {
		set_var(vars, "rules", verdict_explain(v));
		set_var(vars, "verdict_summary", g_strdup_printf(
		    "kind %s, category %s, written by %s (authority %s), "
		    "matter date %s, out of time %s, exceptional %s, "
		    "language %s", v->kind, v->category, v->representative,
		    v->authority, v->matter_date, v->out_of_time,
		    v->exceptional, v->language));
	}
	if (m != NULL) {
		size_t	len = strlen(m->body);

		if (len > NOTICE_BODY_MAX) {
			const char *end = g_utf8_find_prev_char(m->body,
			    m->body + NOTICE_BODY_MAX);

			set_var(vars, "body", g_strdup_printf("%.*s\n[... "
			    "shortened; the whole message is kept with the "
			    "case]", (int)(end - m->body), m->body));
		} else
			set_var(vars, "body", g_strdup(m->body));
	}
	case_row_free(c);
	party_row_free(p);
	return (vars);
}

/* Variables a template may name but this message cannot fill are empty:
 * each template says its own fallback. */
static void
default_vars(GHashTable *vars)
{
	const char *const *v;

	for (v = template_variables; *v != NULL; v++) {
		if (!g_hash_table_contains(vars, *v))
			g_hash_table_insert(vars, (gpointer)*v, g_strdup(""));
	}
}

int
workflow_mail(struct workflow *wf, const struct mail_spec *ms, char **cause)
{
	const struct area_config *area = ms->area;
	struct rendered		*r = NULL;
	struct outgoing		 og;
	struct outbox_item	 item;
	GBytes			*raw = NULL;
	char			*msgid, *from_name, *ref = NULL;
	char			*reply_to = NULL;
	gint64			 now = clock_now(), id;
	int			 rc = -1;

	default_vars(ms->vars);
	if (template_render(wf->res->templates, ms->lang, ms->template,
	    ms->vars, &r, cause) != 0)
		return (-1);
	msgid = compose_message_id(domain_of(area->address), now);
	from_name = g_strdup_printf("Crown Prosecution Service %s",
	    area->name);
	if (ms->case_id != 0 &&
	    (ref = store_case_ref(wf->store, ms->case_id)) != NULL)
		reply_to = reply_token_address(area->address, ref,
		    wf->config->hmac_secret, strlen(wf->config->hmac_secret));

	memset(&og, 0, sizeof og);
	og.from = area->address;
	og.from_name = from_name;
	og.reply_to = reply_to != NULL ? reply_to : area->address;
	og.to = ms->to;
	og.to_name = ms->to_name;
	og.subject = r->subject;
	og.text = r->text;
	og.html = r->html;
	og.message_id = msgid;
	og.in_reply_to = ms->in_reply_to;
	og.references = ms->references;
	og.auto_submitted = TRUE;
	og.language = ms->lang;
	og.attachments = ms->attachments;
	if (compose_build(&og, now, &raw, cause) != 0)
		goto out;

	memset(&item, 0, sizeof item);
	item.case_id = ms->case_id;
	item.area = area->id;
	item.message_id = msgid;
	item.answers = ms->answers;
	item.template = ms->template;
	item.envelope_from = area->address;
	item.recipients = ms->to;
	item.raw = raw;
	rc = store_outbox_add(wf->store, &item, now, &id, cause);
	if (rc == 0)
		rc = store_event(wf->store, ms->case_id, ms->answers, now,
		    "queued", ms->template, cause);
out:
	if (raw != NULL)
		g_bytes_unref(raw);
	g_free(msgid);
	g_free(from_name);
	g_free(ref);
	g_free(reply_to);
	rendered_free(r);
	return (rc);
}

/* The answer to message m: In-Reply-To it, References its thread. */
static GPtrArray *
thread_references(const struct message *m)
{
	GPtrArray	*refs = g_ptr_array_new();
	guint		 i;

	for (i = 0; m->references != NULL && i < m->references->len; i++)
		g_ptr_array_add(refs, g_ptr_array_index(m->references, i));
	if (m->message_id != NULL)
		g_ptr_array_add(refs, m->message_id);
	return (refs);
}

GPtrArray *
workflow_addresses(GPtrArray *src, const char *single)
{
	GPtrArray	*to = g_ptr_array_new_with_free_func(g_free);
	guint		 i;

	for (i = 0; src != NULL && i < src->len; i++)
		g_ptr_array_add(to, g_strdup(g_ptr_array_index(src, i)));
	if (single != NULL && *single != '\0')
		g_ptr_array_add(to, g_strdup(single));
	return (to);
}

int
workflow_notify(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const char *template, GHashTable *vars, GPtrArray *to,
    const char *in_reply_to, char **cause)
{
	struct mail_spec ms;

	memset(&ms, 0, sizeof ms);
	ms.area = area;
	ms.case_id = case_id;
	ms.in_reply_to = in_reply_to;
	ms.template = template;
	ms.lang = "en";
	ms.vars = vars;
	ms.to = to;
	return (workflow_mail(wf, &ms, cause));
}

int
workflow_notify_coordinators(struct workflow *wf,
    const struct area_config *area, gint64 case_id, const char *template,
    GHashTable *vars, char **cause)
{
	GPtrArray	*to = workflow_addresses(area->coordinators, NULL);
	int		 rc;

	rc = workflow_notify(wf, area, case_id, template, vars, to, NULL,
	    cause);
	g_ptr_array_unref(to);
	return (rc);
}

int
workflow_notify_handler(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const char *template, GHashTable *vars, char **cause)
{
	struct case_row	*c = store_case_get(wf->store, case_id);
	GPtrArray	*to;
	int		 rc;

	if (c == NULL || c->handler == NULL || *c->handler == '\0')
		to = workflow_addresses(area->coordinators, NULL);
	else
		to = workflow_addresses(NULL, c->handler);
	rc = workflow_notify(wf, area, case_id, template, vars, to, NULL,
	    cause);
	g_ptr_array_unref(to);
	case_row_free(c);
	return (rc);
}

int
workflow_too_big(struct workflow *wf, const struct area_config *area,
    const struct origin *o, guint32 size, char **cause)
{
	GHashTable	*vars;
	char		*detail;
	int		 rc;

	detail = g_strdup_printf("UID %u in mailbox %s is %u bytes, over "
	    "limits.max_fetch_size (%zu): it was left on the server", o->uid,
	    area->imap.mailbox, size, wf->config->max_fetch_size);
	if (store_event(wf->store, 0, 0, clock_now(), "too_big_to_fetch",
	    detail, cause) != 0) {
		g_free(detail);
		return (-1);
	}
	vars = workflow_vars(wf, area, 0, NULL, NULL, "en");
	g_hash_table_insert(vars, "reason", g_strdup("too big to fetch"));
	g_hash_table_insert(vars, "detail", detail);
	rc = workflow_notify_coordinators(wf, area, 0, "quarantine-notice",
	    vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}

/*
 * The reply token in any address the message was sent to: 1 with the
 * case when valid, -1 when one is there but does not verify (forged, or
 * signed with another secret), 0 when there is none.
 */
static int
token_case(struct workflow *wf, const struct area_config *area,
    const struct message *m, gint64 *case_id)
{
	GPtrArray	*lists[] = { m->to, m->cc };
	const char	*secret = wf->config->hmac_secret;
	int		 found = 0, rc;
	char		*ref = NULL;
	guint		 i, j;

	*case_id = 0;
	for (i = 0; i < G_N_ELEMENTS(lists); i++) {
		for (j = 0; lists[i] != NULL && j < lists[i]->len; j++) {
			const struct address *a = g_ptr_array_index(lists[i],
			    j);

			rc = reply_token_check(a->addr, area->address, secret,
			    strlen(secret), &ref);
			if (rc == 1) {
				*case_id = store_case_by_ref(wf->store, ref);
				g_free(ref);
				return (*case_id != 0 ? 1 : -1);
			}
			if (rc == -1)
				found = -1;
		}
	}
	for (j = 0; m->delivered_to != NULL && j < m->delivered_to->len; j++) {
		rc = reply_token_check(g_ptr_array_index(m->delivered_to, j),
		    area->address, secret, strlen(secret), &ref);
		if (rc == 1) {
			*case_id = store_case_by_ref(wf->store, ref);
			g_free(ref);
			return (*case_id != 0 ? 1 : -1);
		}
		if (rc == -1)
			found = -1;
	}
	return (found);
}

/*
 * The case an incoming message continues, or 0 (after the reply token):
 * In-Reply-To/References against every Message-ID of a case, then the
 * subject reference, then its own Message-ID (the same mail sent to
 * several Areas), then the sender's one open case opened lately.
 */
static gint64
thread_case(struct workflow *wf, const struct message *m)
{
	GMatchInfo	*mi = NULL;
	gint64		 id = 0;
	guint		 i;

	if (m->in_reply_to != NULL)
		id = store_case_by_message_id(wf->store, m->in_reply_to);
	for (i = 0; id == 0 && m->references != NULL &&
	    i < m->references->len; i++)
		id = store_case_by_message_id(wf->store,
		    g_ptr_array_index(m->references, i));
	if (id == 0 && g_regex_match(wf->subject_ref, m->subject, 0, &mi)) {
		char	*ref = g_match_info_fetch(mi, 1);

		id = store_case_by_ref(wf->store, ref);
		g_free(ref);
	}
	g_match_info_free(mi);
	if (id == 0 && m->message_id != NULL)
		id = store_case_by_message_id(wf->store, m->message_id);
	if (id == 0 && m->from != NULL)
		id = store_sender_open_case(wf->store, m->from->addr,
		    clock_now() - (gint64)wf->config->thread_days * 86400);
	return (id);
}

/* Our own mail come back, which must never be answered. */
static gboolean
is_own_mail(struct workflow *wf, const struct message *m)
{
	gint64	case_id;

	if (m->machine.x_loop != NULL &&
	    strstr(m->machine.x_loop, "redress") != NULL)
		return (TRUE);
	return (m->message_id != NULL &&
	    store_outbox_by_message_id(wf->store, m->message_id,
	    &case_id) != 0);
}

int
workflow_record(struct workflow *wf, const struct origin *o, GBytes *raw,
    const struct message *m, const struct verdict *v, gint64 case_id,
    gint64 *row, char **cause)
{
	char	*json = v != NULL ? verdict_json(v) : NULL;
	gsize	 len;
	const char *data = g_bytes_get_data(raw, &len);
	int	 rc;

	rc = store_message_add_in(wf->store, o, data, len, m, json, case_id,
	    clock_now(), row, cause);
	g_free(json);
	return (rc);
}

/* Machine mail: recorded, never answered; a bounce of our own mail marks
 * its case "complainant unreachable" and the coordinators are told. */
static int
incoming_machine(struct workflow *wf, const struct area_config *area,
    const struct origin *o, GBytes *raw, const struct message *m,
    const struct verdict *v, gint64 *row, char **cause)
{
	gint64		 case_id = 0, now = clock_now();
	const char	*reported = m->machine.reported_message_id;
	GHashTable	*vars;
	int		 rc;

	if (strcmp(v->kind, "bounce") == 0 && reported != NULL)
		store_outbox_by_message_id(wf->store, reported, &case_id);
	if (workflow_record(wf, o, raw, m, v, case_id, row, cause) != 0)
		return (-1);
	if (store_event(wf->store, case_id, *row, now, "machine_mail",
	    v->kind, cause) != 0)
		return (-1);
	if (case_id == 0 || strcmp(v->kind, "bounce") != 0)
		return (0);
	if (store_case_add_flag(wf->store, case_id, "unreachable", now,
	    cause) != 0)
		return (-1);
	vars = workflow_vars(wf, area, case_id, m, v, "en");
	g_hash_table_insert(vars, "reason", g_strdup("our message to the "
	    "complainant could not be delivered"));
	g_hash_table_insert(vars, "detail", g_strdup(m->body));
	rc = workflow_notify_coordinators(wf, area, case_id, "bounce-notice",
	    vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}

static int
incoming_quarantined(struct workflow *wf, const struct area_config *area,
    const struct origin *o, GBytes *raw, const struct message *m,
    gint64 *row, char **cause)
{
	GHashTable	*vars;
	int		 rc;

	if (workflow_record(wf, o, raw, m, NULL, 0, row, cause) != 0)
		return (-1);
	if (store_event(wf->store, 0, *row, clock_now(), "quarantined",
	    m->quarantine, cause) != 0)
		return (-1);
	log_warnx("Area %s: UID %u in %s quarantined: %s", area->id, o->uid,
	    area->imap.mailbox, m->quarantine);
	vars = workflow_vars(wf, area, 0, NULL, NULL, "en");
	g_hash_table_insert(vars, "reason", g_strdup(m->quarantine));
	g_hash_table_insert(vars, "detail", g_strdup_printf("UID %u in "
	    "mailbox %s, %zu bytes, Message-ID %s. The raw message is kept "
	    "in the database (message row %" G_GINT64_FORMAT ").", o->uid,
	    area->imap.mailbox, m->raw_size,
	    m->message_id != NULL ? m->message_id : "(none)", *row));
	rc = workflow_notify_coordinators(wf, area, 0, "quarantine-notice",
	    vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}

/*
 * A message from the public on an existing case: added to it. What it
 * asks for moves the case when the state allows (authority arriving, a
 * request for stage 2 or for the Assessor); otherwise the handler is told.
 */
static int
incoming_follow_up(struct workflow *wf, const struct area_config *area,
    const struct origin *o, GBytes *raw, const struct message *m,
    const struct verdict *v, gint64 case_id, gint64 *row, char **cause)
{
	struct case_row	*c;
	GHashTable	*vars;
	char		*result = NULL;
	int		 rc = 0;

	if (workflow_record(wf, o, raw, m, v, case_id, row, cause) != 0)
		return (-1);
	if (store_event(wf->store, case_id, *row, clock_now(),
	    "message_received", "", cause) != 0)
		return (-1);
	if ((c = store_case_get(wf->store, case_id)) == NULL)
		return (0);
	if (strcmp(c->state, "awaiting_authority") == 0 &&
	    (g_strcmp0(v->request, "authority") == 0 ||
	    g_strcmp0(v->authority, "attached") == 0))
		rc = lifecycle_authority_received(wf, area, case_id,
		    "the representative sent it", &result, cause);
	else if (strcmp(c->state, "stage1_answered") == 0 &&
	    g_strcmp0(v->request, "escalate") == 0)
		rc = lifecycle_escalate(wf, area, case_id, m, &result, cause);
	else if ((strcmp(c->state, "stage2_answered") == 0 ||
	    strcmp(c->state, "stage1_answered") == 0) &&
	    g_strcmp0(v->request, "iac") == 0)
		rc = lifecycle_iac(wf, area, case_id, m, &result, cause);
	else
		rc = 1;	/* nothing moved: staff read it */
	case_row_free(c);
	if (rc == 0 || rc < 0) {
		g_free(result);
		return (rc);
	}
	g_free(result);
	vars = workflow_vars(wf, area, case_id, m, v, "en");
	rc = workflow_notify_handler(wf, area, case_id,
	    "message-added-notice", vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}

/* How each kind is handled when it starts something new. */
struct kind_handling {
	const char	*kind;
	gboolean	 opens_case;
	const char	*case_state;	/* after the reply is queued */
	const char	*reply;		/* template to the sender */
	const char	*forward;	/* template of a forward, or NULL */
	gboolean	 notify;	/* new-case notice to coordinators */
};

static const struct kind_handling handlings[] = {
	{ "complaint", TRUE, "stage1_open", "acknowledgement", NULL, TRUE },
	{ "feedback", TRUE, "closed", "feedback-acknowledgement", NULL,
	  FALSE },
	{ "vrr", TRUE, "forwarded", "vrr-reply", "forward-vrr", TRUE },
	{ "enquiry", TRUE, "forwarded", "enquiry-acknowledgement",
	  "forward-enquiry", FALSE },
	{ "redirect_police", FALSE, NULL, "redirect-police", NULL, FALSE },
	{ "redirect_other", FALSE, NULL, "redirect-other", NULL, FALSE },
	{ "excluded_defendant", FALSE, NULL, "excluded-defendant", NULL,
	  FALSE },
	{ "excluded_appeal", FALSE, NULL, "excluded-appeal", NULL, FALSE },
};

static const struct kind_handling *
handling_of(const char *kind)
{
	size_t	i;

	for (i = 0; i < G_N_ELEMENTS(handlings); i++) {
		if (strcmp(handlings[i].kind, kind) == 0)
			return (&handlings[i]);
	}
	return (&handlings[0]);	/* unknown kinds are treated as complaints */
}

static int
incoming_new(struct workflow *wf, const struct area_config *area,
    const struct origin *o, GBytes *raw, const struct message *m,
    const struct verdict *v, gint64 *row, char **cause)
{
	const struct kind_handling *h = handling_of(v->kind);
	const struct address *reply_to = message_reply_address(m);
	const char	*lang = g_strcmp0(v->language, "cy") == 0 ? "cy" : "en";
	const char	*reply = h->reply, *state = h->case_state;
	gboolean	 representative = FALSE, paused = FALSE;
	gint64		 case_id = 0, now = clock_now();
	struct mail_spec ms;
	struct out_attachment forwarded = { "message.eml", "message/rfc822",
			    raw };
	GHashTable	*vars = NULL;
	GPtrArray	*to, *refs, *atts;
	GDate		 today;
	char		*ref = NULL;
	int		 rc = -1;

	calendar_local_date(now, &today);
	if (h->opens_case) {
		if (store_case_open(wf->store, area->id, g_date_get_year(&today),
		    v->kind, v->category, "received", lang, now, &case_id, &ref,
		    cause) != 0)
			return (-1);
	}
	if (workflow_record(wf, o, raw, m, v, case_id, row, cause) != 0)
		goto out;
	if (store_event(wf->store, case_id, *row, now, "received", v->kind,
	    cause) != 0)
		goto out;

	if (case_id != 0 && m->from != NULL) {
		struct party	p = { "complainant", m->from->name,
				    m->from->addr, NULL, NULL,
				    v->contact_restriction };

		if (g_strcmp0(v->representative, "self") != 0 &&
		    g_strcmp0(v->representative, "-") != 0) {
			representative = TRUE;
			p.role = "representative";
			p.relationship = v->representative;
			p.authority = v->authority;
		}
		if (store_party_add(wf->store, case_id, &p, cause) != 0)
			goto out;
	}
	if (strcmp(v->kind, "complaint") == 0 && representative) {
		if (g_strcmp0(v->authority, "attached") == 0)
			reply = "acknowledgement-representative";
		else {
			reply = "authority-request";
			state = "awaiting_authority";
			paused = TRUE;
		}
	}

	vars = workflow_vars(wf, area, case_id, m, v, lang);
	if (strcmp(v->kind, "complaint") == 0) {
		/* Without written authority the clock waits (DOMAIN.md). */
		if (lifecycle_start_clock(wf, case_id, "stage1_response",
		    wf->config->stage1_days, paused, vars, lang, cause) != 0)
			goto out;
		if (paused && lifecycle_start_clock(wf, case_id, "authority",
		    wf->config->authority_days, FALSE, NULL, lang, cause) != 0)
			goto out;
		/* The deadlines just made belong in the staff notice. */
		g_hash_table_insert(vars, "deadlines",
		    deadlines_text(wf, case_id));
	}
	if (reply_to == NULL) {
		rc = store_event(wf->store, case_id, *row, now, "not_answered",
		    "the message has no From or Reply-To address", cause);
	} else if (store_answers_to(wf->store, reply_to->addr, now - 3600) >=
	    wf->config->ack_rate_limit) {
		rc = store_event(wf->store, case_id, *row, now, "not_answered",
		    "rate limit: too many automatic answers to this sender "
		    "in the last hour (ack_rate_limit)", cause);
	} else {
		to = workflow_addresses(NULL, reply_to->addr);
		refs = thread_references(m);
		memset(&ms, 0, sizeof ms);
		ms.area = area;
		ms.case_id = case_id;
		ms.answers = *row;
		ms.in_reply_to = m->message_id;
		ms.references = refs;
		ms.template = reply;
		ms.lang = lang;
		ms.vars = vars;
		ms.to = to;
		ms.to_name = reply_to->name;
		rc = workflow_mail(wf, &ms, cause);
		g_ptr_array_unref(refs);
		g_ptr_array_unref(to);
	}
	if (rc == 0 && h->forward != NULL) {
		const char *dest = strcmp(v->kind, "vrr") == 0 ?
		    wf->config->vrr_address : area->enquiries;

		to = *dest != '\0' ? workflow_addresses(NULL, dest) :
		    workflow_addresses(area->coordinators, NULL);
		atts = g_ptr_array_new();
		g_ptr_array_add(atts, &forwarded);
		memset(&ms, 0, sizeof ms);
		ms.area = area;
		ms.case_id = case_id;
		ms.template = h->forward;
		ms.lang = "en";
		ms.vars = vars;
		ms.to = to;
		ms.attachments = atts;
		rc = workflow_mail(wf, &ms, cause);
		g_ptr_array_unref(atts);
		g_ptr_array_unref(to);
	}
	if (rc == 0 && h->notify)
		rc = workflow_notify_coordinators(wf, area, case_id,
		    "new-case-notice", vars, cause);
	if (rc == 0 && case_id != 0)
		rc = store_case_set_state(wf->store, case_id, state, now,
		    cause);
out:
	if (vars != NULL)
		g_hash_table_unref(vars);
	g_free(ref);
	return (rc);
}

int
workflow_incoming(struct workflow *wf, const struct area_config *area,
    const struct origin *o, GBytes *raw, gint64 *row, char **cause)
{
	struct message	*m = NULL;
	struct verdict	*v = NULL;
	gint64		 prev, case_id = 0;
	gsize		 len;
	const char	*data = g_bytes_get_data(raw, &len);
	gboolean	 staff, commands;
	int		 rc, token;

	if (message_parse(data, len, &wf->config->limits, &m, cause) != 0)
		return (-1);

	/* The same mail seen again (a new UIDVALIDITY, or a second copy):
	 * finish it on IMAP without any new effect. */
	prev = store_message_by_content(wf->store, m->message_id, m->sha256);
	if (prev != 0) {
		rc = store_alias_uid(wf->store, o, prev, clock_now(), cause);
		*row = prev;
		goto out;
	}
	if (m->quarantine != NULL) {
		rc = incoming_quarantined(wf, area, o, raw, m, row, cause);
		goto out;
	}

	v = rules_classify(wf->res->rules, m, clock_now());
	if (!verdict_is_machine(v) && is_own_mail(wf, m)) {
		verdict_set(&v->kind, "auto_reply");
		verdict_add_hit(v, "own-mail-loop", "X-Loop or our Message-ID");
	}
	if (verdict_is_machine(v)) {
		rc = incoming_machine(wf, area, o, raw, m, v, row, cause);
		goto out;
	}

	token = token_case(wf, area, m, &case_id);
	if (token != 1)
		case_id = thread_case(wf, m);
	staff = m->from != NULL && config_is_staff(wf->config, m->from->addr);
	commands = steer_has_commands(m);
	if (staff && (commands || case_id != 0)) {
		rc = steer_incoming(wf, area, o, raw, m, v, case_id, token == 1,
		    row, cause);
		goto out;
	}
	if (case_id != 0)
		rc = incoming_follow_up(wf, area, o, raw, m, v, case_id, row,
		    cause);
	else
		rc = incoming_new(wf, area, o, raw, m, v, row, cause);
	/* Commands from outside the staff list change nothing, but staff
	 * should know someone tried. */
	if (rc == 0 && commands)
		rc = steer_refused(wf, area, m, case_id, *row, "the sender is "
		    "not on the staff list", cause);
out:
	verdict_free(v);
	message_free(m);
	return (rc);
}
