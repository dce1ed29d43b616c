/*
 * incoming.c: which part of the case core an incoming message goes to.
 */
#include "case-move.h"
#include "case-new.h"
#include "case-steer.h"
#include "clock.h"
#include "incoming.h"
#include "loop.h"
#include "route.h"

/*
 * The text of our own message that m answers, by In-Reply-To or
 * References: 1 with *ours set (caller frees), 0 when it answers none of
 * ours, -1 with *cause.
 */
static int
answered_own(struct workflow *wf, const struct message *m, char **ours,
    char **cause)
{
	const char	*id;
	GBytes		*raw = NULL;
	struct message	*sent;
	gsize		 len;
	const char	*data;
	guint		 i, n;
	int		 rc = 0;

	*ours = NULL;
	n = m->references != NULL ? m->references->len : 0;
	for (i = 0; rc == 0 && i <= n; i++) {
		id = i == 0 ? m->in_reply_to : g_ptr_array_index(m->references,
		    i - 1);
		if (id != NULL)
			rc = store_outbox_raw(wf->store, id, &raw, cause);
	}
	if (rc != 1)
		return (rc);
	data = g_bytes_get_data(raw, &len);
	if (message_parse(data, len, &wf->config->limits, &sent, cause) != 0) {
		g_bytes_unref(raw);
		return (-1);
	}
	*ours = g_strdup(sent->body);
	message_free(sent);
	g_bytes_unref(raw);
	return (1);
}

/*
 * Whether m, which starts nothing under way, echoes our own mail
 * (loop.h), and whether it is the echo that makes its writer a machine:
 * 0 with *echo and *loop set, or -1 with *cause.
 */
static int
loop_check(struct workflow *wf, const struct message *m, gboolean *echo,
    gboolean *loop, char **cause)
{
	const struct address *writer = message_reply_address(m);
	char		*ours = NULL;
	int		 rc, earlier;

	*echo = *loop = FALSE;
	if (writer == NULL)
		return (0);
	if ((rc = answered_own(wf, m, &ours, cause)) == -1)
		return (-1);
	*echo = loop_is_echo(m, rc == 1, ours);
	g_free(ours);
	if (!*echo)
		return (0);
	if (store_echo_count(wf->store, writer->addr, clock_now() -
	    LOOP_PERIOD, &earlier, cause) != 0)
		return (-1);
	*loop = loop_is_machine(earlier);
	return (0);
}

int
incoming_message(struct workflow *wf, const struct area_config *area,
    const struct origin *o, GBytes *raw, gint64 *row, char **cause)
{
	struct message	*m = NULL;
	struct verdict	*v = NULL;
	struct route	 r;
	gint64		 prev;
	gsize		 len;
	const char	*data = g_bytes_get_data(raw, &len);
	gboolean	 staff, commands, echo = FALSE, loop = FALSE;
	int		 rc;

	if (message_parse(data, len, &wf->config->limits, &m, cause) != 0)
		return (-1);

	/* The same mail seen again (a new UIDVALIDITY, or a second copy):
	 * finish it on IMAP without any new effect. */
	if ((rc = store_message_by_content(wf->store, m->message_id,
	    m->sha256, &prev, cause)) == -1)
		goto out;
	if (rc == 1) {
		rc = store_alias_uid(wf->store, o, prev, clock_now(), cause);
		*row = prev;
		goto out;
	}
	if (m->quarantine != NULL) {
		rc = case_new_quarantined(wf, area, o, raw, m, row, cause);
		goto out;
	}

	v = rules_classify(wf->res->rules, m, clock_now());
	verdict_set_triage(v, wf->config->triage_confidence / 100.0,
	    wf->config->triage_margin / 100.0);
	if (!verdict_is_machine(v) && (rc = route_own_mail(wf, m,
	    cause)) != 0) {
		if (rc == -1)
			goto out;
		v->kind = KIND_AUTO_REPLY;
		verdict_add_hit(v, "own-mail-loop", "X-Loop or our Message-ID");
	}
	if (verdict_is_machine(v)) {
		rc = case_new_machine(wf, area, o, raw, m, v, row, cause);
		goto out;
	}

	if ((rc = route_message(wf, area, m, &r, cause)) != 0)
		goto out;
	staff = m->from != NULL && config_is_staff(wf->config, m->from->addr);
	commands = case_steer_has_commands(m);
	if (staff && (commands || r.case_id != 0)) {
		rc = case_steer(wf, area, o, raw, m, v, r.case_id,
		    r.token == TOKEN_VALID, row, cause);
		goto out;
	}
	/* Only what would start something new can loop: mail on a case
	 * under way answers nobody automatically. */
	if (r.case_id == 0 && !staff &&
	    (rc = loop_check(wf, m, &echo, &loop, cause)) != 0)
		goto out;
	if (loop) {
		v->kind = KIND_AUTO_REPLY;
		verdict_add_hit(v, "mail-loop", "the third message in a week "
		    "that only answers our own mail");
		rc = case_new_machine(wf, area, o, raw, m, v, row, cause);
		if (rc == 0)
			rc = store_event(wf->store, 0, *row, clock_now(),
			    "mail_loop", "a correspondent answering our "
			    "automatic mail with little text of their own is "
			    "taken for a machine and not answered", cause);
	} else if (r.case_id != 0)
		rc = case_move_follow_up(wf, area, o, raw, m, v, r.case_id,
		    row, cause);
	else
		rc = case_new(wf, area, o, raw, m, v, row, cause);
	if (rc == 0 && echo)
		rc = store_echo_add(wf->store,
		    message_reply_address(m)->addr, *row, clock_now(), cause);
	/* Commands from outside the staff list change nothing, but staff
	 * should know someone tried. */
	if (rc == 0 && commands)
		rc = case_steer_refused(wf, area, m, r.case_id, *row, "the sender is "
		    "not on the staff list", cause);
out:
	verdict_free(v);
	message_free(m);
	return (rc);
}
