/*
 * outbox.c: the sender. Reads due outbox rows, delivers them with
 * deliver-smtp.c, and records every recipient's result.
 */
#include <string.h>

#include "clock.h"
#include "deliver-smtp.h"
#include "log.h"
#include "mail-out.h"
#include "outbox.h"

#define SMTP_TIMEOUT	60
/* Retry delays after temporary failures, then give up (about 5 days, as
 * Postfix's maximal_queue_lifetime). */
static const int retry_delays[] = { 60, 300, 900, 3600, 7200, 14400,
	28800, 43200, 86400, 86400, 86400, 86400 };

static int
notify_failure(struct workflow *wf, const struct outbox_due *d,
    const char *reason, char **cause)
{
	const struct area_config *area;
	GHashTable	*vars;
	int		 rc;

	/* A failed notice to staff is logged, not noticed again: that way
	 * lies a loop. */
	if (d->template != NULL && g_str_has_suffix(d->template, "-notice"))
		return (0);
	if (d->area == NULL ||
	    (area = config_find_area(wf->config, d->area)) == NULL)
		return (0);
	if ((vars = mail_vars(wf, area, d->case_id, NULL, NULL, "en",
	    cause)) == NULL)
		return (-1);
	g_hash_table_insert(vars, "reason", g_strdup(reason));
	g_hash_table_insert(vars, "detail", g_strdup_printf("outgoing "
	    "message %s (template %s)", d->message_id, d->template));
	rc = mail_notify_coordinators(wf, area, d->case_id,
	    "delivery-failure-notice", vars, cause);
	g_hash_table_unref(vars);
	return (rc);
}

/* Record one attempt's results in one transaction. */
static int
record_attempt(struct workflow *wf, const struct outbox_due *d,
    enum smtp_result overall, GPtrArray *results, const char *error,
    char **cause)
{
	struct store	*st = wf->store;
	gint64		 now = clock_now();
	guint		 i, left = 0, failed = 0;
	const char	*state;
	gint64		 next = now;
	GString		*refused = g_string_new(NULL);

	if (store_begin(st, cause) != 0) {
		g_string_free(refused, TRUE);
		return (-1);
	}
	for (i = 0; results != NULL && i < results->len; i++) {
		const struct smtp_rcpt_result *r = g_ptr_array_index(results,
		    i);
		const char *rs;

		if (r->result == SMTP_OK && overall == SMTP_OK)
			rs = "sent";
		else if (r->result == SMTP_PERMFAIL) {
			rs = "failed";
			failed++;
			g_string_append_printf(refused, "%s%d %s",
			    refused->len ? "; " : "", r->code, r->reply);
		} else {
			rs = "tempfail";
			left++;
		}
		if (store_outbox_rcpt(st, d->id, r->addr, rs, r->code,
		    r->reply, cause) != 0)
			goto fail;
		/* An address this relay can never carry (a UTF-8 local part
		 * without SMTPUTF8): the case notes it has no reply address. */
		if (r->unreachable && d->case_id != 0 && store_event(st,
		    d->case_id, 0, now, "no_reply_address", r->reply,
		    cause) != 0)
			goto fail;
	}
	if (results == NULL || results->len == 0)
		left = d->recipients->len;
	if (overall == SMTP_PERMFAIL && left > 0) {
		/* Refused as a whole (MAIL or DATA): nothing will change. */
		failed += left;
		left = 0;
		g_string_append_printf(refused, "%s%s", refused->len ? "; " :
		    "", error != NULL ? error : "refused");
	}

	if (left == 0)
		state = failed == 0 || failed < d->recipients->len ?
		    "sent" : "failed";
	else if ((size_t)d->attempts >= G_N_ELEMENTS(retry_delays)) {
		state = "failed";
		failed += left;
		g_string_append_printf(refused, "%sgave up after %d attempts: "
		    "%s", refused->len ? "; " : "", d->attempts + 1,
		    error != NULL ? error : "temporary failures");
	} else {
		state = "queued";
		next = now + retry_delays[d->attempts];
	}
	if (store_outbox_finish(st, d->id, state, next, refused->len ?
	    refused->str : error, now, cause) != 0)
		goto fail;
	if (store_event(st, d->case_id, 0, now, strcmp(state, "queued") == 0 ?
	    "delivery_deferred" : (failed ? "delivery_failed" : "sent"),
	    d->template, cause) != 0)
		goto fail;
	if (failed > 0 && notify_failure(wf, d, refused->str, cause) != 0)
		goto fail;
	if (store_commit(st, cause) != 0)
		goto fail;
	if (failed > 0)
		log_warnx("outbox row %" G_GINT64_FORMAT ": %u recipient(s) "
		    "refused permanently; coordinators told", d->id, failed);
	g_string_free(refused, TRUE);
	return (0);
fail:
	store_rollback(st);
	g_string_free(refused, TRUE);
	return (-1);
}

int
outbox_flush(struct workflow *wf, char **cause)
{
	struct smtp_session	*smtp = NULL;
	GPtrArray		*due;
	guint			 i;
	int			 sent = 0;

	/* Notices about failures are queued while flushing: go round until
	 * nothing due is left. */
	for (;;) {
		if (store_outbox_due(wf->store, clock_now(), &due, cause) != 0)
			goto fail;
		if (due->len == 0)
			break;
		for (i = 0; i < due->len; i++) {
			struct outbox_due	*d = g_ptr_array_index(due, i);
			GPtrArray		*results = NULL;
			enum smtp_result	 rc;
			gsize			 len;
			const void		*data;
			char			*error = NULL;

			if (smtp == NULL && smtp_open(&wf->config->smtp,
			    SMTP_TIMEOUT, &smtp, cause) != 0) {
				g_ptr_array_unref(due);
				goto fail;
			}
			data = g_bytes_get_data(d->raw, &len);
			rc = smtp_send(smtp, d->envelope_from, d->recipients,
			    data, len, &results, &error);
			if (rc == SMTP_TEMPFAIL || !smtp_usable(smtp)) {
				smtp_close(smtp);
				smtp = NULL;
			}
			if (record_attempt(wf, d, rc, results, error,
			    cause) != 0) {
				if (results != NULL)
					g_ptr_array_unref(results);
				g_free(error);
				g_ptr_array_unref(due);
				goto fail;
			}
			if (rc == SMTP_OK)
				sent++;
			else	/* The reply text can quote an address: it
				 * stays in the row, out of the log. */
				log_warnx("outbox row %" G_GINT64_FORMAT " (%s): "
				    "delivery %s; the server's reply is in redress "
				    "case show, or the outbox row", d->id,
				    d->template, smtp_result_name(rc));
			if (results != NULL)
				g_ptr_array_unref(results);
			g_free(error);
		}
		g_ptr_array_unref(due);
	}
	g_ptr_array_unref(due);
	smtp_close(smtp);
	return (sent);
fail:
	smtp_close(smtp);
	return (-1);
}

int
outbox_next_due(struct workflow *wf, gint64 *seconds, char **cause)
{
	gint64	next;
	int	rc;

	*seconds = 0;
	if ((rc = store_outbox_next_attempt(wf->store, &next, cause)) != 1)
		return (rc);
	*seconds = next > clock_now() ? next - clock_now() : 0;
	return (1);
}
