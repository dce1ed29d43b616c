/*
 * case-new.c: what a new message from the public starts, by its kind.
 */
#include <string.h>

#include "address.h"
#include "calendar.h"
#include "case-clock.h"
#include "case-move.h"
#include "case-new.h"
#include "case-state.h"
#include "clock.h"
#include "compose.h"
#include "log.h"
#include "mail-out.h"

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

/* Where a kind's forward goes. */
enum forward_to {
	FORWARD_NONE,
	FORWARD_VRR,		/* the Victims' Right to Review team */
	FORWARD_ENQUIRIES	/* the Area's enquiries address */
};

/*
 * How each kind is handled when it starts something new: one row per
 * kind, and nothing beside the table decides by kind.
 */
struct kind_handling {
	gboolean	 opens_case;
	enum case_event	 event;		/* the case's move once answered */
	gboolean	 clock;		/* starts the stage 1 reply clock */
	const char	*reply;		/* template to the sender */
	/* A representative with written authority attached, or NULL for
	 * the same reply as anyone's. */
	const char	*reply_represented;
	/* A representative without it: the reply asks for it, the case
	 * waits (request_authority) and the clock is stopped (DOMAIN.md);
	 * NULL when the kind needs no authority. */
	const char	*reply_no_authority;
	enum forward_to	 forward;
	const char	*forward_template;
	gboolean	 notify;	/* new-case notice to coordinators */
};

static const struct kind_handling handlings[KIND__COUNT] = {
	[KIND_COMPLAINT] = { TRUE, EV_ACKNOWLEDGE, TRUE, "acknowledgement",
	    "acknowledgement-representative", "authority-request",
	    FORWARD_NONE, NULL, TRUE },
	[KIND_FEEDBACK] = { TRUE, EV_CLOSE, FALSE, "feedback-acknowledgement",
	    NULL, NULL, FORWARD_NONE, NULL, FALSE },
	[KIND_VRR] = { TRUE, EV_FORWARD, FALSE, "vrr-reply", NULL, NULL,
	    FORWARD_VRR, "forward-vrr", TRUE },
	[KIND_ENQUIRY] = { TRUE, EV_FORWARD, FALSE, "enquiry-acknowledgement",
	    NULL, NULL, FORWARD_ENQUIRIES, "forward-enquiry", FALSE },
	[KIND_REDIRECT_POLICE] = { FALSE, EV_CLOSE, FALSE, "redirect-police",
	    NULL, NULL, FORWARD_NONE, NULL, FALSE },
	[KIND_REDIRECT_OTHER] = { FALSE, EV_CLOSE, FALSE, "redirect-other",
	    NULL, NULL, FORWARD_NONE, NULL, FALSE },
	[KIND_EXCLUDED_DEFENDANT] = { FALSE, EV_CLOSE, FALSE,
	    "excluded-defendant", NULL, NULL, FORWARD_NONE, NULL, FALSE },
	[KIND_EXCLUDED_APPEAL] = { FALSE, EV_CLOSE, FALSE, "excluded-appeal",
	    NULL, NULL, FORWARD_NONE, NULL, FALSE },
	/* Machine mail never gets here: case_new_machine() records it. */
	[KIND_AUTO_REPLY] = { FALSE, EV_CLOSE, FALSE, NULL, NULL, NULL,
	    FORWARD_NONE, NULL, FALSE },
	[KIND_BOUNCE] = { FALSE, EV_CLOSE, FALSE, NULL, NULL, NULL,
	    FORWARD_NONE, NULL, FALSE },
	[KIND_SPAM] = { FALSE, EV_CLOSE, FALSE, NULL, NULL, NULL,
	    FORWARD_NONE, NULL, FALSE },
};

/*
 * A message whose kind the model is unsure of is handled on the safe
 * side until a person settles it (#kind): a case with the stage 1 clock
 * running, a neutral acknowledgement that promises a reply without
 * saying what the message is, and a triage notice to the coordinators.
 * So a complaint or a VRR request is never sent away on a guess.
 */
static const struct kind_handling triage_handling = { TRUE, EV_ACKNOWLEDGE,
	TRUE, "acknowledgement-neutral", NULL, NULL, FORWARD_NONE, NULL,
	TRUE };

/* The two likeliest kinds, each with its probability, for staff. */
static char *
likely_kinds(const struct verdict *v)
{
	int	i, best = -1, next = -1;

	for (i = 0; i < KIND__COUNT; i++) {
		if (best < 0 || v->kind_probability[i] >
		    v->kind_probability[best]) {
			next = best;
			best = i;
		} else if (next < 0 || v->kind_probability[i] >
		    v->kind_probability[next])
			next = i;
	}
	if (!v->has_probabilities || best < 0 || next < 0)
		return (g_strdup("not known (no model)"));
	return (g_strdup_printf("%s (%.0f%%) or %s (%.0f%%)",
	    kind_name(best), 100 * v->kind_probability[best], kind_name(next),
	    100 * v->kind_probability[next]));
}

/* Machine mail: recorded, never answered; a bounce of our own mail marks
 * its case "complainant unreachable" and the coordinators are told. */
int
case_new_machine(struct workflow *wf, const struct area_config *area,
    const struct origin *o, GBytes *raw, const struct message *m,
    const struct verdict *v, gint64 *row, char **cause)
{
	gint64		 case_id = 0, outbox_id, now = clock_now();
	const char	*reported = m->machine.reported_message_id;
	GHashTable	*vars;
	int		 rc;

	if (v->kind == KIND_BOUNCE && reported != NULL &&
	    store_outbox_by_message_id(wf->store, reported, &outbox_id,
	    &case_id, cause) == -1)
		return (-1);
	if (workflow_record(wf, o, raw, m, v, case_id, row, cause) != 0)
		return (-1);
	if (store_event(wf->store, case_id, *row, now, "machine_mail",
	    kind_name(v->kind), cause) != 0)
		return (-1);
	if (case_id == 0 || v->kind != KIND_BOUNCE)
		return (0);
	if (store_case_add_flag(wf->store, case_id, "unreachable", now,
	    cause) != 0)
		return (-1);
	if ((vars = mail_vars(wf, area, case_id, m, v, "en", cause)) == NULL)
		return (-1);
	g_hash_table_insert(vars, "reason", g_strdup("our message to the "
	    "complainant could not be delivered"));
	g_hash_table_insert(vars, "detail", g_strdup(m->body));
	rc = mail_notify_coordinators(wf, area, case_id, "bounce-notice",
	    vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}

int
case_new_quarantined(struct workflow *wf, const struct area_config *area,
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
	if ((vars = mail_vars(wf, area, 0, NULL, NULL, "en", cause)) == NULL)
		return (-1);
	g_hash_table_insert(vars, "reason", g_strdup(m->quarantine));
	g_hash_table_insert(vars, "detail", g_strdup_printf("UID %u in "
	    "mailbox %s, %zu bytes, Message-ID %s. The raw message is kept "
	    "in the database (message row %" G_GINT64_FORMAT ").", o->uid,
	    area->imap.mailbox, m->raw_size,
	    m->message_id != NULL ? m->message_id : "(none)", *row));
	rc = mail_notify_coordinators(wf, area, 0, "quarantine-notice",
	    vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}

int
case_new_poison(struct workflow *wf, const struct area_config *area,
    const struct origin *o, GBytes *raw, const char *reason,
    gboolean notify, gint64 *row, char **cause)
{
	GHashTable	*vars;
	gsize		 len;
	const char	*data = g_bytes_get_data(raw, &len);
	char		*sha256, *event;
	int		 rc = -1;

	sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
	    (const guchar *)(data != NULL ? data : ""), len);
	if (store_message_add_raw(wf->store, o, raw, sha256, reason,
	    clock_now(), row, cause) != 0)
		goto out;
	event = g_strdup_printf("%s%s", reason, notify ? "" : " (the "
	    "coordinators could not be told: see the log)");
	rc = store_event(wf->store, 0, *row, clock_now(), "quarantined",
	    event, cause);
	g_free(event);
	if (rc != 0 || !notify)
		goto out;
	rc = -1;
	if ((vars = mail_vars(wf, area, 0, NULL, NULL, "en", cause)) == NULL)
		goto out;
	g_hash_table_insert(vars, "reason", g_strdup(reason));
	g_hash_table_insert(vars, "detail", g_strdup_printf("UID %u in "
	    "mailbox %s, %zu bytes, SHA-256 %s. It was not read: the raw "
	    "message is kept in the database as message row %" G_GINT64_FORMAT
	    " (see it with: redress quarantine show %" G_GINT64_FORMAT ")",
	    o->uid, area->imap.mailbox, (size_t)len, sha256, *row, *row));
	rc = mail_notify_coordinators(wf, area, 0, "quarantine-notice",
	    vars, cause);
	g_hash_table_unref(vars);
out:
	g_free(sha256);
	return (rc);
}

int
case_new_too_big(struct workflow *wf, const struct area_config *area,
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
	if ((vars = mail_vars(wf, area, 0, NULL, NULL, "en", cause)) == NULL) {
		g_free(detail);
		return (-1);
	}
	g_hash_table_insert(vars, "reason", g_strdup("too big to fetch"));
	g_hash_table_insert(vars, "detail", detail);
	rc = mail_notify_coordinators(wf, area, 0, "quarantine-notice",
	    vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}

/* The message (raw, NULL: none) forwarded as the kind says: VRR requests
 * to the VRR team, enquiries to the Area's enquiries address (either
 * unset: its coordinators). */
static int
forward(struct workflow *wf, const struct area_config *area, gint64 case_id,
    const struct kind_handling *h, GBytes *raw, GHashTable *vars,
    char **cause)
{
	const char	*dest = h->forward == FORWARD_VRR ?
			    wf->config->vrr_address : area->enquiries;
	struct out_attachment forwarded = { "message.eml", "message/rfc822",
			    raw };
	struct mail_spec ms;
	GPtrArray	*to, *atts;
	int		 rc;

	to = *dest != '\0' ? mail_addresses(NULL, dest) :
	    mail_addresses(area->coordinators, NULL);
	atts = g_ptr_array_new();
	if (raw != NULL)
		g_ptr_array_add(atts, &forwarded);
	memset(&ms, 0, sizeof ms);
	ms.area = area;
	ms.case_id = case_id;
	ms.template = h->forward_template;
	ms.lang = "en";
	ms.vars = vars;
	ms.to = to;
	ms.attachments = atts;
	rc = mail_queue(wf, &ms, cause);
	g_ptr_array_unref(atts);
	g_ptr_array_unref(to);
	return (rc);
}

int
case_new(struct workflow *wf, const struct area_config *area,
    const struct origin *o, GBytes *raw, const struct message *m,
    const struct verdict *v, gint64 *row, char **cause)
{
	gboolean	 triage = v->triage;
	const struct kind_handling *h = triage ? &triage_handling :
			    &handlings[v->kind];
	const struct address *reply_to = message_reply_address(m);
	const char	*lang = language_name(v->language);
	const char	*reply = h->reply, *why = NULL;
	enum case_event	 event = h->event;
	enum case_state	 state;
	gboolean	 representative = FALSE, paused = FALSE;
	gint64		 case_id = 0, now = clock_now();
	struct mail_spec ms;
	GHashTable	*vars = NULL;
	GPtrArray	*to, *refs;
	GDate		 today;
	char		*ref = NULL, *text;
	int		 rc = -1, answered = 0;

	calendar_local_date(now, &today);
	if (h->opens_case) {
		if (store_case_open(wf->store, area->id,
		    g_date_get_year(&today), triage ? KIND_COMPLAINT :
		    v->kind, v->category, CASE_RECEIVED, v->language, now,
		    &case_id, &ref, cause) != 0)
			return (-1);
		if (triage && store_case_add_flag(wf->store, case_id,
		    "triage", now, cause) != 0)
			goto out;
	}
	if (workflow_record(wf, o, raw, m, v, case_id, row, cause) != 0)
		goto out;
	if (store_event(wf->store, case_id, *row, now, "received",
	    kind_name(v->kind), cause) != 0)
		goto out;

	if (case_id != 0 && m->from != NULL) {
		char		*restrictions = restrictions_text(
				    v->restrictions);
		struct party	 p = { "complainant", m->from->name,
				    m->from->addr, NULL, NULL, restrictions };

		if (v->representative != REP_SELF &&
		    v->representative != REP_NONE) {
			representative = TRUE;
			p.role = "representative";
			p.relationship = representative_name(v->representative);
			p.authority = authority_name(v->authority);
		}
		rc = store_party_add(wf->store, case_id, &p, cause);
		g_free(restrictions);
		if (rc != 0)
			goto out;
		rc = -1;
	}
	if (representative && v->authority != AUTHORITY_ATTACHED &&
	    h->reply_no_authority != NULL) {
		reply = h->reply_no_authority;
		event = EV_REQUEST_AUTHORITY;
		paused = TRUE;
	} else if (representative && h->reply_represented != NULL)
		reply = h->reply_represented;

	if ((vars = mail_vars(wf, area, case_id, m, v, lang, cause)) == NULL)
		goto out;
	if (h->clock) {
		/* Without written authority the clock waits (DOMAIN.md). */
		if (case_clock_start(wf, case_id, "stage1_response",
		    wf->config->stage1_days, paused, vars, lang, cause) != 0)
			goto out;
		if (paused && case_clock_start(wf, case_id, "authority",
		    wf->config->authority_days, FALSE, NULL, lang, cause) != 0)
			goto out;
		/* The deadlines just made belong in the staff notice. */
		if (case_clock_text(wf, case_id, &text, cause) != 0)
			goto out;
		g_hash_table_insert(vars, "deadlines", text);
	}
	if (reply != NULL && reply_to != NULL &&
	    store_answers_to(wf->store, reply_to->addr, now - 3600, &answered,
	    cause) != 0)
		goto out;
	if (reply == NULL) {
		rc = store_event(wf->store, case_id, *row, now, "not_answered",
		    "machine mail is never answered", cause);
	} else if (reply_to == NULL) {
		rc = store_event(wf->store, case_id, *row, now,
		    "no_reply_address", "not answered: the message has no "
		    "From or Reply-To address (or only an empty group)", cause);
	} else if (!address_valid(reply_to->addr)) {
		/* Recorded, not an error: the case goes on without a reply,
		 * and the coordinators see it in their notice. */
		g_free(address_canonical(reply_to->addr, &why));
		text = g_strdup_printf("not answered: the reply address "
		    "cannot be written in a reply (%s)", why);
		rc = store_event(wf->store, case_id, *row, now,
		    "no_reply_address", text, cause);
		g_free(text);
	} else if (answered >= wf->config->ack_rate_limit) {
		rc = store_event(wf->store, case_id, *row, now, "not_answered",
		    "rate limit: too many automatic answers to this sender "
		    "in the last hour (ack_rate_limit)", cause);
	} else {
		to = mail_addresses(NULL, reply_to->addr);
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
		rc = mail_queue(wf, &ms, cause);
		g_ptr_array_unref(refs);
		g_ptr_array_unref(to);
	}
	if (rc == 0 && h->forward != FORWARD_NONE)
		rc = forward(wf, area, case_id, h, raw, vars, cause);
	if (rc == 0 && h->notify) {
		if (triage)
			g_hash_table_insert(vars, "likely", likely_kinds(v));
		rc = mail_notify_coordinators(wf, area, case_id, triage ?
		    "triage-notice" : "new-case-notice", vars, cause);
	}
	if (rc == 0 && case_id != 0) {
		/* Each kind's first move must be a row of the state table
		 * (received: acknowledge, forward, close, request_authority). */
		if (!case_state_next(CASE_RECEIVED, event, NULL, &state)) {
			*cause = g_strdup_printf("case %s: the state table has "
			    "no move '%s' from received (a bug: report it)",
			    ref, case_event_name(event));
			rc = -1;
		} else
			rc = store_case_set_state(wf->store, case_id, state,
			    now, cause);
	}
out:
	if (vars != NULL)
		g_hash_table_unref(vars);
	g_free(ref);
	return (rc);
}

int
case_new_settle(struct workflow *wf, const struct area_config *area,
    gint64 case_id, enum kind kind, char **result, char **cause)
{
	const struct kind_handling *h = &handlings[kind];
	struct case_row	*c = NULL;
	GHashTable	*vars = NULL;
	GPtrArray	*raws = NULL;
	gint64		 now = clock_now();
	int		 rc = -1;

	if (store_case_remove_flag(wf->store, case_id, "triage", now,
	    cause) != 0 ||
	    store_event(wf->store, case_id, 0, now, "triage_settled",
	    kind_name(kind), cause) != 0)
		return (-1);
	if (kind == KIND_COMPLAINT) {
		*result = g_strdup("kind settled as complaint: the case goes "
		    "on at stage 1, acknowledged and with its clock running");
		return (0);
	}
	if (store_case_get(wf->store, case_id, &c, cause) != 1 ||
	    (vars = mail_vars(wf, area, case_id, NULL, NULL,
	    language_name(c->language), cause)) == NULL)
		goto out;
	/* What the kind would have had at once, now: its reply, its
	 * forward, and no stage 1 clock. */
	if (h->reply != NULL && mail_letter(wf, area, c, h->reply, vars, NULL,
	    cause) != 0)
		goto out;
	if (h->forward != FORWARD_NONE) {
		if (store_case_raw_messages(wf->store, case_id, &raws,
		    cause) != 0)
			goto out;
		if (forward(wf, area, case_id, h, raws->len > 0 ?
		    g_ptr_array_index(raws, 0) : NULL, vars, cause) != 0)
			goto out;
	}
	if (store_deadline_close(wf->store, case_id, "stage1_response",
	    "settled", cause) != 0 ||
	    case_move_close(wf, case_id, "settled by staff as not a "
	    "complaint", result, cause) != 0)
		goto out;
	g_free(*result);
	*result = g_strdup_printf("kind settled as %s: %s%s, and the case "
	    "is closed", kind_name(kind), h->reply != NULL ?
	    "the sender was sent its reply" : "no reply (machine mail)",
	    h->forward == FORWARD_VRR ? ", the message forwarded to the VRR "
	    "team" : h->forward == FORWARD_ENQUIRIES ? ", the message "
	    "forwarded to enquiries" : "");
	rc = 0;
out:
	if (raws != NULL)
		g_ptr_array_unref(raws);
	if (vars != NULL)
		g_hash_table_unref(vars);
	case_row_free(c);
	return (rc);
}
