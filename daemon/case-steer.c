/*
 * case-steer.c: applying staff commands from email replies.
 */
#include <string.h>

#include "address.h"
#include "authres.h"
#include "clock.h"
#include "case-move.h"
#include "case-new.h"
#include "mail-out.h"
#include "log.h"
#include "schema.h"
#include "staff-command.h"
#include "case-steer.h"

gboolean
case_steer_has_commands(const struct message *m)
{
	struct staff_reply	*r = staff_reply_parse(m->body);
	gboolean		 has = r->commands->len > 0 || r->errors->len > 0;

	staff_reply_free(r);
	return (has);
}

/* DMARC=pass for the From domain, said by our own trusted server. */
static gboolean
dmarc_pass(struct workflow *wf, const struct message *m)
{
	GPtrArray	*values;
	char		*local, *domain;
	gboolean	 pass;
	guint		 i;

	if (m->from == NULL || *wf->config->trusted_authserv_id == '\0' ||
	    !address_split(m->from->addr, &local, &domain))
		return (FALSE);
	g_free(local);
	values = g_ptr_array_new();
	for (i = 0; i < m->headers->len; i++) {
		const struct header *h = g_ptr_array_index(m->headers, i);

		if (g_ascii_strcasecmp(h->name, "Authentication-Results") == 0)
			g_ptr_array_add(values, h->value);
	}
	pass = authres_dmarc_pass(values, wf->config->trusted_authserv_id,
	    domain);
	g_ptr_array_unref(values);
	g_free(domain);
	return (pass);
}

/* The commands of a refused attempt, for the coordinators. */
static char *
attempted(const struct message *m)
{
	struct staff_reply	*r = staff_reply_parse(m->body);
	GString			*s = g_string_new(NULL);
	guint			 i;

	for (i = 0; i < r->commands->len; i++) {
		const struct staff_command *c = g_ptr_array_index(r->commands,
		    i);

		g_string_append_printf(s, "%s\n", c->raw);
	}
	if (s->len == 0)
		g_string_append(s, "(commands that could not be read)\n");
	staff_reply_free(r);
	return (g_string_free(s, FALSE));
}

int
case_steer_refused(struct workflow *wf, const struct area_config *area,
    const struct message *m, gint64 case_id, gint64 row, const char *why,
    char **cause)
{
	GHashTable	*vars;
	int		 rc;

	if (store_event(wf->store, case_id, row, clock_now(),
	    "command_refused", why, cause) != 0)
		return (-1);
	log_warnx("Area %s: commands in message row %" G_GINT64_FORMAT
	    " refused: %s", area->id, row, why);
	if ((vars = mail_vars(wf, area, case_id, NULL, NULL, "en",
	    cause)) == NULL)
		return (-1);
	g_hash_table_insert(vars, "body", attempted(m));
	g_hash_table_insert(vars, "detail", g_strdup(why));
	rc = mail_notify_coordinators(wf, area, case_id,
	    "unauthenticated-notice", vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}

/* A notice to one member of staff, in mail of their own (its reply
 * address is their token); detail (or NULL) becomes the notice's;
 * in_reply_to as mail_notify(). */
static int
notify_one(struct workflow *wf, const struct area_config *area,
    gint64 case_id, const char *template, const char *addr,
    const char *body, char *detail, const char *in_reply_to, char **cause)
{
	GHashTable	*vars;
	GPtrArray	*to;
	int		 rc;

	if ((vars = mail_vars(wf, area, case_id, NULL, NULL, "en",
	    cause)) == NULL) {
		g_free(detail);
		return (-1);
	}
	g_hash_table_insert(vars, "body", g_strdup(body));
	if (detail != NULL)
		g_hash_table_insert(vars, "detail", detail);
	to = mail_addresses(NULL, addr);
	rc = mail_notify(wf, area, case_id, template, vars, to, in_reply_to,
	    cause);
	g_ptr_array_unref(to);
	g_hash_table_unref(vars);
	return (rc);
}

static int	apply_one(struct workflow *, const struct area_config *,
		    gint64, const char *, const struct staff_command *,
		    const char *, char **, char **);

/* Apply one command. 0 done, 1 refused, -1 error; *result says which.
 * What it sends is staff's, not automatic mail. */
static int
apply(struct workflow *wf, const struct area_config *area, gint64 case_id,
    const char *by, const struct staff_command *c, const char *text,
    char **result, char **cause)
{
	int	rc;

	wf->by_staff = TRUE;
	rc = apply_one(wf, area, case_id, by, c, text, result, cause);
	wf->by_staff = FALSE;
	return (rc);
}

static int
apply_one(struct workflow *wf, const struct area_config *area, gint64 case_id,
    const char *by, const struct staff_command *c, const char *text,
    char **result, char **cause)
{
	gint64	now = clock_now();

	switch (c->verb) {
	case CMD_ASSIGN:
		if (!config_is_staff(wf->config, c->arg)) {
			*result = g_strdup_printf("%s is not a configured "
			    "staff address; nothing was changed", c->arg);
			return (1);
		}
		if (store_case_set(wf->store, case_id, "handler", c->arg, now,
		    cause) != 0 || store_event(wf->store, case_id, 0, now,
		    "assigned", c->arg, cause) != 0)
			return (-1);
		/* The new handler needs a token of their own to steer the
		 * case: a colleague's notice would not do. */
		if (g_ascii_strcasecmp(c->arg, by) != 0 && notify_one(wf,
		    area, case_id, "assigned-notice", c->arg, text, NULL, NULL,
		    cause) != 0)
			return (-1);
		*result = g_strdup_printf("assigned to %s", c->arg);
		return (0);
	case CMD_CATEGORY:
	case CMD_KIND:
	case CMD_OUTCOME: {
		const struct label_names *field = c->verb == CMD_CATEGORY ?
		    &schema_category : c->verb == CMD_KIND ? &schema_kind :
		    &schema_outcome;
		const char *value = label_name(field, c->value);
		int		 triage;

		/* Each is a labelled example to learn from (redress train
		 * --from-store). */
		if (c->verb != CMD_OUTCOME && store_correction_add(wf->store,
		    case_id, field->field, value, by, now, cause) != 0)
			return (-1);
		if (store_case_set(wf->store, case_id, field->field, value, now,
		    cause) != 0 || store_event(wf->store, case_id, 0, now,
		    field->field, value, cause) != 0)
			return (-1);
		/* A case opened in triage waits for its kind: settling it
		 * brings that kind's handling. */
		if (c->verb == CMD_KIND && (triage = store_case_has_flag(
		    wf->store, case_id, "triage", cause)) != 0)
			return (triage == -1 ? -1 : case_new_settle(wf, area,
			    case_id, (enum kind)c->value, result, cause));
		*result = g_strdup_printf("%s set to %s", field->field, value);
		return (0);
	}
	case CMD_NOTE:
		if (store_event(wf->store, case_id, 0, now, "note", c->arg,
		    cause) != 0)
			return (-1);
		*result = g_strdup("note added to the case record");
		return (0);
	case CMD_RESPOND:
		return (case_move_draft(wf, area, case_id, by, text, result,
		    cause));
	case CMD_APPROVE:
		return (case_move_approve(wf, area, case_id, by, result,
		    cause));
	case CMD_RETURN:
		return (case_move_return(wf, area, case_id, by, c->arg, result,
		    cause));
	case CMD_HOLDING:
		return (case_move_holding(wf, area, case_id, c->days, c->arg,
		    result, cause));
	case CMD_CLOSE:
		return (case_move_close(wf, case_id, by, result, cause));
	case CMD_IAC:
		return (case_move_refer_iac(wf, area, case_id, NULL, result, cause));
	case CMD_AUTHORITY:
		return (case_move_authority_received(wf, area, case_id, by,
		    result, cause));
	case CMD_ESCALATE:
		return (case_move_escalate(wf, area, case_id, NULL, result,
		    cause));
	case CMD_REOPEN:
		return (case_move_reopen(wf, case_id, result, cause));
	}
	*result = g_strdup("unknown command");
	return (1);
}

/* The answer to a command message, to the staff member who sent it. */
static int
answer(struct workflow *wf, const struct area_config *area, gint64 case_id,
    const struct message *m, const char *body, gboolean with_help,
    char **cause)
{
	return (notify_one(wf, area, case_id, "command-reply-notice",
	    m->from->addr, body, with_help ? staff_commands_help() :
	    g_strdup(""), m->message_id, cause));
}

int
case_steer(struct workflow *wf, const struct area_config *area,
    const struct origin *o, GBytes *raw, const struct message *m,
    const struct verdict *v, gint64 case_id, gboolean token_ok,
    gint64 *row, char **cause)
{
	struct staff_reply	*r;
	GString			*out;
	const char		*by = m->from->addr;
	gboolean		 help = FALSE;
	guint			 i;
	int			 rc = -1, done;

	if (workflow_record(wf, o, raw, m, v, case_id, row, cause) != 0)
		return (-1);
	r = staff_reply_parse(m->body);
	if (r->commands->len == 0 && r->errors->len == 0) {
		rc = store_event(wf->store, case_id, *row, clock_now(),
		    "staff_message", "", cause);
		goto out;
	}
	if (!token_ok && !dmarc_pass(wf, m)) {
		rc = case_steer_refused(wf, area, m, case_id, *row, "the sender is "
		    "on the staff list but the message is not authenticated: "
		    "it did not come through a reply address redress gave "
		    "that member of staff for this case, and the trusted mail "
		    "server's topmost Authentication-Results header reports "
		    "no DMARC pass for it", cause);
		goto out;
	}
	out = g_string_new(NULL);
	if (case_id == 0) {
		g_string_append(out, "These commands name no case, so none was "
		    "applied. Reply to an email about the case (its reply "
		    "address carries the case), keeping the reference in the "
		    "subject.\n");
		help = TRUE;
	} else if (r->errors->len > 0) {
		g_string_append(out, "Nothing was changed, because of these "
		    "mistakes:\n");
		for (i = 0; i < r->errors->len; i++)
			g_string_append_printf(out, "- %s\n",
			    (char *)g_ptr_array_index(r->errors, i));
		help = TRUE;
	} else {
		for (i = 0; i < r->commands->len; i++) {
			const struct staff_command *c =
			    g_ptr_array_index(r->commands, i);
			char	*result = NULL;

			done = apply(wf, area, case_id, by, c, r->text, &result,
			    cause);
			if (done < 0) {
				g_free(result);
				g_string_free(out, TRUE);
				goto out;
			}
			g_string_append_printf(out, "- %s: %s%s\n", c->raw,
			    done == 0 ? "done: " : "NOT DONE: ", result);
			g_free(result);
			if (done == 1) {
				if (i + 1 < r->commands->len)
					g_string_append(out, "- the commands "
					    "after it were not applied\n");
				break;
			}
		}
	}
	rc = store_event(wf->store, case_id, *row, clock_now(),
	    "staff_commands", out->str, cause);
	if (rc == 0)
		rc = answer(wf, area, case_id, m, out->str, help, cause);
	g_string_free(out, TRUE);
out:
	staff_reply_free(r);
	return (rc);
}
