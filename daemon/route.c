/*
 * route.c: finding the case of an incoming message.
 */
#include <string.h>

#include "clock.h"
#include "reply-token.h"
#include "route.h"

static enum route_token
token_strength(enum reply_token_kind kind)
{
	switch (kind) {
	case REPLY_TOKEN_STAFF:
		return (TOKEN_VALID);
	case REPLY_TOKEN_PUBLIC:
		return (TOKEN_PUBLIC);
	case REPLY_TOKEN_OLD:
		break;
	}
	return (TOKEN_OLD);
}

/*
 * One address of a message from sender (or NULL): when it holds a token
 * stronger than r's so far and its case exists, r takes it. One there
 * that does not verify, or names no case, makes the token invalid unless
 * another address has a good one. 0, or -1 with *cause.
 */
static int
token_in(struct workflow *wf, const struct area_config *area,
    const char *addr, const char *sender, struct route *r, char **cause)
{
	const char		*secret = wf->config->hmac_secret;
	enum reply_token_kind	 kind;
	enum route_token	 found;
	gint64			 id;
	char			*ref = NULL;
	int			 rc;

	rc = reply_token_check(addr, area->address, sender, secret,
	    strlen(secret), &ref, &kind);
	if (rc == 0)
		return (0);
	found = rc == 1 ? token_strength(kind) : TOKEN_INVALID;
	if (found > TOKEN_INVALID && found > r->token) {
		rc = store_case_by_ref(wf->store, ref, &id, cause);
		if (rc == -1) {
			g_free(ref);
			return (-1);
		}
		if (rc == 1)
			r->case_id = id;
		else
			found = TOKEN_INVALID;
	}
	g_free(ref);
	if (found > r->token)
		r->token = found;
	return (0);
}

/* The strongest reply token in any address the message was sent to: 0
 * (r->token and, for a good one, r->case_id set), or -1 with *cause. */
static int
token_case(struct workflow *wf, const struct area_config *area,
    const struct message *m, struct route *r, char **cause)
{
	GPtrArray	*lists[] = { m->to, m->cc };
	const char	*sender = m->from != NULL ? m->from->addr : NULL;
	guint		 i, j;

	for (i = 0; i < G_N_ELEMENTS(lists); i++) {
		for (j = 0; lists[i] != NULL && j < lists[i]->len; j++) {
			const struct address *a = g_ptr_array_index(lists[i],
			    j);

			if (token_in(wf, area, a->addr, sender, r, cause) != 0)
				return (-1);
		}
	}
	for (j = 0; m->delivered_to != NULL && j < m->delivered_to->len; j++) {
		if (token_in(wf, area, g_ptr_array_index(m->delivered_to, j),
		    sender, r, cause) != 0)
			return (-1);
	}
	return (0);
}

/* The case reference written in a subject, compiled once. */
static GRegex *
subject_ref(void)
{
	static gsize	 once;
	static GRegex	*re;

	if (g_once_init_enter(&once)) {
		re = g_regex_new("\\[([A-Z]{2,8}-[0-9]{4}-[0-9]{5})\\]",
		    0, 0, NULL);
		g_once_init_leave(&once, 1);
	}
	return (re);
}

/* Take the case a lookup found (rc 1), or pass on its error (rc -1). */
static int
routed(struct route *r, int rc, gint64 id, enum route_via via)
{
	if (rc == 1) {
		r->case_id = id;
		r->via = via;
	}
	return (rc == -1 ? -1 : 0);
}

/* The case a message continues by its headers, after the reply token. */
static int
thread_case(struct workflow *wf, const struct message *m, struct route *r,
    char **cause)
{
	GMatchInfo	*mi = NULL;
	gint64		 id = 0;
	guint		 i;
	int		 rc = 0;

	if (m->in_reply_to != NULL)
		rc = store_case_by_message_id(wf->store, m->in_reply_to, &id,
		    cause);
	for (i = 0; rc == 0 && m->references != NULL &&
	    i < m->references->len; i++)
		rc = store_case_by_message_id(wf->store,
		    g_ptr_array_index(m->references, i), &id, cause);
	if (rc != 0)
		return (routed(r, rc, id, ROUTE_THREAD));
	if (g_regex_match(subject_ref(), m->subject, 0, &mi)) {
		char	*ref = g_match_info_fetch(mi, 1);

		rc = store_case_by_ref(wf->store, ref, &id, cause);
		g_free(ref);
	}
	g_match_info_free(mi);
	if (rc != 0)
		return (routed(r, rc, id, ROUTE_SUBJECT));
	if (m->message_id != NULL && (rc = store_case_by_message_id(wf->store,
	    m->message_id, &id, cause)) != 0)
		return (routed(r, rc, id, ROUTE_SAME_MAIL));
	if (m->from != NULL && (rc = store_sender_open_case(wf->store,
	    m->from->addr, clock_now() -
	    (gint64)wf->config->thread_days * 86400, &id, cause)) != 0)
		return (routed(r, rc, id, ROUTE_SENDER));
	return (0);
}

int
route_message(struct workflow *wf, const struct area_config *area,
    const struct message *m, struct route *r, char **cause)
{
	memset(r, 0, sizeof *r);
	if (token_case(wf, area, m, r, cause) != 0)
		return (-1);
	if (r->token > TOKEN_INVALID) {
		r->via = ROUTE_TOKEN;
		return (0);
	}
	return (thread_case(wf, m, r, cause));
}

int
route_from_party(struct workflow *wf, const struct area_config *area,
    const struct message *m, gint64 case_id, char **cause)
{
	struct route	r;

	memset(&r, 0, sizeof r);
	if (token_case(wf, area, m, &r, cause) != 0)
		return (-1);
	if (r.token == TOKEN_PUBLIC && r.case_id == case_id)
		return (1);
	if (m->from == NULL)
		return (0);
	return (store_case_has_party(wf->store, case_id, m->from->addr,
	    cause));
}

/* Our own mail come back, which must never be answered. */
int
route_own_mail(struct workflow *wf, const struct message *m, char **cause)
{
	gint64	outbox_id, case_id;

	if (m->machine.x_loop != NULL &&
	    strstr(m->machine.x_loop, "redress") != NULL)
		return (1);
	if (m->message_id == NULL)
		return (0);
	return (store_outbox_by_message_id(wf->store, m->message_id,
	    &outbox_id, &case_id, cause));
}
