/*
 * route.c: finding the case of an incoming message.
 */
#include <string.h>

#include "clock.h"
#include "reply-token.h"
#include "route.h"

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

/* The case a message continues by its headers, after the reply token. */
static void
thread_case(struct workflow *wf, const struct message *m, struct route *r)
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
	if (id != 0) {
		r->case_id = id;
		r->via = ROUTE_THREAD;
		return;
	}
	if (g_regex_match(subject_ref(), m->subject, 0, &mi)) {
		char	*ref = g_match_info_fetch(mi, 1);

		id = store_case_by_ref(wf->store, ref);
		g_free(ref);
	}
	g_match_info_free(mi);
	if (id != 0) {
		r->case_id = id;
		r->via = ROUTE_SUBJECT;
		return;
	}
	if (m->message_id != NULL &&
	    (id = store_case_by_message_id(wf->store, m->message_id)) != 0) {
		r->case_id = id;
		r->via = ROUTE_SAME_MAIL;
		return;
	}
	if (m->from != NULL && (id = store_sender_open_case(wf->store,
	    m->from->addr, clock_now() -
	    (gint64)wf->config->thread_days * 86400)) != 0) {
		r->case_id = id;
		r->via = ROUTE_SENDER;
	}
}

void
route_message(struct workflow *wf, const struct area_config *area,
    const struct message *m, struct route *r)
{
	gint64	case_id = 0;
	int	token;

	memset(r, 0, sizeof *r);
	token = token_case(wf, area, m, &case_id);
	if (token == 1) {
		r->token = TOKEN_VALID;
		r->case_id = case_id;
		r->via = ROUTE_TOKEN;
		return;
	}
	r->token = token < 0 ? TOKEN_INVALID : TOKEN_NONE;
	thread_case(wf, m, r);
}

/* Our own mail come back, which must never be answered. */
gboolean
route_own_mail(struct workflow *wf, const struct message *m)
{
	gint64	case_id;

	if (m->machine.x_loop != NULL &&
	    strstr(m->machine.x_loop, "redress") != NULL)
		return (TRUE);
	return (m->message_id != NULL &&
	    store_outbox_by_message_id(wf->store, m->message_id,
	    &case_id) != 0);
}
