/*
 * mail-out.c: rendering, composing and queueing every mail the case core
 * sends.
 */
#include <string.h>

#include "address.h"
#include "calendar.h"
#include "case-clock.h"
#include "clock.h"
#include "compose.h"
#include "mail-out.h"
#include "reply-token.h"
#include "template.h"

/* Longest complainant text copied into a staff notice; the rest is in the
 * stored raw message. */
#define NOTICE_BODY_MAX	20000

/* The domain of an Area address, for Message-IDs (caller frees). */
static char *
domain_of(const char *addr)
{
	char	*local, *domain;

	if (!address_split(addr, &local, &domain))
		return (g_strdup("localhost"));
	g_free(local);
	return (domain);
}

static void
set_var(GHashTable *vars, const char *key, char *value)
{
	g_hash_table_insert(vars, (gpointer)key, value != NULL ? value :
	    g_strdup(""));
}

GHashTable *
mail_vars(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const struct message *m, const struct verdict *v,
    const char *lang, char **cause)
{
	GHashTable	*vars;
	GDate		 today;
	struct case_row	*c = NULL;
	struct party_row *p = NULL;
	char		*deadlines = NULL;

	if (case_id != 0 && (store_case_get(wf->store, case_id, &c,
	    cause) == -1 || store_case_correspondent(wf->store, case_id, &p,
	    cause) == -1 || case_clock_text(wf, case_id, &deadlines,
	    cause) != 0)) {
		case_row_free(c);
		party_row_free(p);
		return (NULL);
	}
	vars = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	calendar_local_date(clock_now(), &today);
	/* An empty name lets each template say its own fallback. */
	if (m != NULL && m->from != NULL)
		set_var(vars, "name", g_strdup(m->from->name));
	else
		set_var(vars, "name", g_strdup(p != NULL ? p->name : ""));
	set_var(vars, "ref", g_strdup(c != NULL ? c->ref : ""));
	set_var(vars, "area_name", g_strdup(area->name));
	set_var(vars, "received_date", calendar_date_letter(&today, lang));
	set_var(vars, "original_subject", g_strdup(m != NULL ? m->subject :
	    ""));
	set_var(vars, "kind", g_strdup(c != NULL ? kind_name(c->kind) :
	    v != NULL ? kind_name(v->kind) : ""));
	set_var(vars, "category", g_strdup(c != NULL ?
	    category_name(c->category) : v != NULL ?
	    category_name(v->category) : ""));
	set_var(vars, "handler", g_strdup(c != NULL && c->handler != NULL ?
	    c->handler : ""));
	set_var(vars, "stage", g_strdup_printf("%d", c != NULL ? c->stage :
	    1));
	set_var(vars, "contact_restriction", p != NULL ?
	    g_strdup(p->contact_restriction) : v != NULL ?
	    restrictions_text(v->restrictions) : g_strdup(""));
	set_var(vars, "deadlines", deadlines);
	if (v != NULL) {
		set_var(vars, "rules", verdict_explain(v));
		set_var(vars, "verdict_summary", g_strdup_printf(
		    "kind %s, category %s, written by %s (authority %s), "
		    "matter date %s, out of time %s, exceptional %s, "
		    "language %s", kind_name(v->kind),
		    category_name(v->category),
		    representative_name(v->representative),
		    authority_name(v->authority), v->matter_date,
		    out_of_time_name(v->out_of_time),
		    exceptional_name(v->exceptional),
		    language_name(v->language)));
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

/*
 * The reply address of a copy to these recipients: a staff notice to one
 * member of staff carries a token bound to them, which authenticates
 * their commands; anything else a public token, which only threads and
 * shows a party of the case (reply-token.h). Without a case, the Area's
 * address. Caller frees.
 */
static char *
reply_address(struct workflow *wf, const struct mail_spec *ms,
    const char *ref, GPtrArray *to)
{
	const char	*secret = wf->config->hmac_secret;
	const char	*rcpt = to->len == 1 ? g_ptr_array_index(to, 0) : NULL;
	char		*addr = NULL;

	if (ref == NULL)
		return (g_strdup(ms->area->address));
	if (ms->staff && rcpt != NULL && config_is_staff(wf->config, rcpt))
		addr = reply_token_address(ms->area->address, ref,
		    REPLY_TOKEN_STAFF, rcpt, secret, strlen(secret));
	else
		addr = reply_token_address(ms->area->address, ref,
		    REPLY_TOKEN_PUBLIC, NULL, secret, strlen(secret));
	return (addr != NULL ? addr : g_strdup(ms->area->address));
}

static gboolean
same_address(const char *a, const char *b)
{
	return (a != NULL && b != NULL && g_ascii_strcasecmp(a, b) == 0);
}

/* One of our own: staff, a team we forward to, the Area itself. */
static gboolean
internal_address(struct workflow *wf, const struct area_config *area,
    const char *addr)
{
	const struct config	*cfg = wf->config;
	guint			 i;

	if (config_is_staff(cfg, addr) || same_address(addr, area->address) ||
	    same_address(addr, area->enquiries) ||
	    same_address(addr, cfg->vrr_address) ||
	    same_address(addr, cfg->iac_address) ||
	    same_address(addr, cfg->operator_address))
		return (TRUE);
	for (i = 0; area->coordinators != NULL &&
	    i < area->coordinators->len; i++) {
		if (same_address(addr, g_ptr_array_index(area->coordinators,
		    i)))
			return (TRUE);
	}
	return (FALSE);
}

/*
 * limits.auto_replies_per_day, whatever the kind, at the one place mail
 * is queued: automatic mail (not a staff notice, not sent at a staff
 * command) to a public address already written to that often today (in
 * England and Wales) is not sent. 1 capped, 0 not, -1 with *cause.
 */
static int
auto_capped(struct workflow *wf, const struct mail_spec *ms, GPtrArray *to,
    const char *day, char **cause)
{
	guint	i;
	int	n;

	if (ms->staff || wf->by_staff)
		return (0);
	for (i = 0; i < to->len; i++) {
		const char *addr = g_ptr_array_index(to, i);

		if (internal_address(wf, ms->area, addr))
			continue;
		if (store_auto_mail_count(wf->store, addr, day, &n,
		    cause) != 0)
			return (-1);
		if (n >= wf->config->auto_replies_per_day)
			return (1);
	}
	return (0);
}

/* Count a queued automatic copy against each public recipient. */
static int
auto_count(struct workflow *wf, const struct mail_spec *ms, GPtrArray *to,
    const char *day, gint64 outbox_id, gint64 now, char **cause)
{
	guint	i;

	if (ms->staff || wf->by_staff)
		return (0);
	for (i = 0; i < to->len; i++) {
		const char *addr = g_ptr_array_index(to, i);

		if (!internal_address(wf, ms->area, addr) &&
		    store_auto_mail_add(wf->store, addr, day, outbox_id, now,
		    cause) != 0)
			return (-1);
	}
	return (0);
}

/* Compose one copy of a rendered message to these recipients and queue
 * it. */
static int
queue_copy(struct workflow *wf, const struct mail_spec *ms,
    const struct rendered *r, const char *ref, GPtrArray *to, char **cause)
{
	const struct area_config *area = ms->area;
	struct outgoing		 og;
	struct outbox_item	 item;
	GBytes			*raw = NULL;
	char			*msgid, *from_name, *reply_to, *domain;
	gint64			 now = clock_now(), id;
	GDate			 today;
	char			 day[16];
	int			 rc = -1;

	calendar_local_date(now, &today);
	g_date_strftime(day, sizeof day, "%Y-%m-%d", &today);
	if ((rc = auto_capped(wf, ms, to, day, cause)) != 0) {
		if (rc == -1)
			return (-1);
		return (store_event(wf->store, ms->case_id, ms->answers, now,
		    "auto_reply_capped", ms->template, cause));
	}
	rc = -1;
	domain = domain_of(area->address);
	msgid = compose_message_id(domain, now);
	g_free(domain);
	from_name = g_strdup_printf("Crown Prosecution Service %s",
	    area->name);
	reply_to = reply_address(wf, ms, ref, to);

	memset(&og, 0, sizeof og);
	og.from = area->address;
	og.from_name = from_name;
	og.reply_to = reply_to;
	og.to = to;
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
	item.recipients = to;
	item.raw = raw;
	rc = store_outbox_add(wf->store, &item, now, &id, cause);
	if (rc == 0)
		rc = auto_count(wf, ms, to, day, id, now, cause);
	if (rc == 0)
		rc = store_event(wf->store, ms->case_id, ms->answers, now,
		    "queued", ms->template, cause);
out:
	if (raw != NULL)
		g_bytes_unref(raw);
	g_free(msgid);
	g_free(from_name);
	g_free(reply_to);
	return (rc);
}

int
mail_queue(struct workflow *wf, const struct mail_spec *ms, char **cause)
{
	struct rendered	*r = NULL;
	GPtrArray	*one;
	char		*ref = NULL;
	guint		 i;
	int		 rc = -1;

	default_vars(ms->vars);
	if (template_render(wf->res->templates, ms->lang, ms->template,
	    ms->vars, &r, cause) != 0)
		return (-1);
	if (ms->case_id != 0 && store_case_ref(wf->store, ms->case_id, &ref,
	    cause) == -1)
		goto out;
	/* A reply address about a case may be bound to its recipient: each
	 * gets a copy of their own. */
	if (ref == NULL || ms->to->len <= 1) {
		rc = queue_copy(wf, ms, r, ref, ms->to, cause);
		goto out;
	}
	one = g_ptr_array_sized_new(1);
	g_ptr_array_add(one, NULL);
	for (i = 0, rc = 0; rc == 0 && i < ms->to->len; i++) {
		one->pdata[0] = g_ptr_array_index(ms->to, i);
		rc = queue_copy(wf, ms, r, ref, one, cause);
	}
	g_ptr_array_unref(one);
out:
	g_free(ref);
	rendered_free(r);
	return (rc);
}

GPtrArray *
mail_addresses(GPtrArray *src, const char *single)
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
mail_notify(struct workflow *wf, const struct area_config *area,
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
	ms.staff = TRUE;
	return (mail_queue(wf, &ms, cause));
}

int
mail_notify_coordinators(struct workflow *wf,
    const struct area_config *area, gint64 case_id, const char *template,
    GHashTable *vars, char **cause)
{
	GPtrArray	*to = mail_addresses(area->coordinators, NULL);
	int		 rc;

	rc = mail_notify(wf, area, case_id, template, vars, to, NULL,
	    cause);
	g_ptr_array_unref(to);
	return (rc);
}

int
mail_notify_operator(struct workflow *wf, const struct area_config *area,
    const char *template, GHashTable *vars, char **cause)
{
	GPtrArray	*to = mail_addresses(area->coordinators,
			    wf->config->operator_address);
	int		 rc;

	rc = mail_notify(wf, area, 0, template, vars, to, NULL, cause);
	g_ptr_array_unref(to);
	return (rc);
}

int
mail_notify_handler(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const char *template, GHashTable *vars, char **cause)
{
	struct case_row	*c;
	GPtrArray	*to;
	int		 rc;

	if (store_case_get(wf->store, case_id, &c, cause) == -1)
		return (-1);
	if (c == NULL || c->handler == NULL || *c->handler == '\0')
		to = mail_addresses(area->coordinators, NULL);
	else
		to = mail_addresses(NULL, c->handler);
	rc = mail_notify(wf, area, case_id, template, vars, to, NULL,
	    cause);
	g_ptr_array_unref(to);
	case_row_free(c);
	return (rc);
}

int
mail_letter(struct workflow *wf, const struct area_config *area,
    const struct case_row *c, const char *template, GHashTable *vars,
    GPtrArray *attachments, char **cause)
{
	struct party_row	*p;
	struct mail_spec	 ms;
	GPtrArray		*to;
	char			*last, *note;
	int			 rc;

	if (store_case_correspondent(wf->store, c->id, &p, cause) == -1)
		return (-1);
	if (p == NULL || p->email == NULL) {
		party_row_free(p);
		return (store_event(wf->store, c->id, 0, clock_now(),
		    "not_sent", template, cause));
	}
	if (!address_valid(p->email)) {
		/* Recorded, never an error that undoes the decision. */
		party_row_free(p);
		note = g_strdup_printf("%s not sent: the case's address cannot "
		    "be written in a reply", template);
		rc = store_event(wf->store, c->id, 0, clock_now(),
		    "no_reply_address", note, cause);
		g_free(note);
		return (rc);
	}
	if (store_case_last_in(wf->store, c->id, p->email, &last,
	    cause) == -1) {
		party_row_free(p);
		return (-1);
	}
	to = mail_addresses(NULL, p->email);
	memset(&ms, 0, sizeof ms);
	ms.area = area;
	ms.case_id = c->id;
	ms.in_reply_to = last;
	ms.template = template;
	ms.lang = language_name(c->language);
	ms.vars = vars;
	ms.to = to;
	ms.to_name = p->name;
	ms.attachments = attachments;
	rc = mail_queue(wf, &ms, cause);
	g_ptr_array_unref(to);
	g_free(last);
	party_row_free(p);
	return (rc);
}
