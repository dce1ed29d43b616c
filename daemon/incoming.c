/*
 * incoming.c: which part of the case core an incoming message goes to.
 */
#include "case-move.h"
#include "case-new.h"
#include "case-steer.h"
#include "clock.h"
#include "incoming.h"
#include "route.h"

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
	gboolean	 staff, commands;
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
	if (r.case_id != 0)
		rc = case_move_follow_up(wf, area, o, raw, m, v, r.case_id,
		    row, cause);
	else
		rc = case_new(wf, area, o, raw, m, v, row, cause);
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
