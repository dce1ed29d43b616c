/*
 * outbox.c: the sender. Reads due outbox rows, delivers them with
 * deliver-smtp.c, and records every recipient's result.
 *
 * Every step that matters is committed before the next one goes to the
 * relay (outbox.h), so that a sender killed anywhere leaves a row that
 * says how far it got. The sender runs in a process of its own with its
 * own database connection (outbox_sender_main), so that a relay that
 * stalls holds up only itself, never intake.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "deliver-smtp.h"
#include "log.h"
#include "mail-out.h"
#include "outbox.h"

/* Retry delays after temporary failures, then give up (about 5 days, as
 * Postfix's maximal_queue_lifetime). */
static const int retry_delays[] = { 60, 300, 900, 3600, 7200, 14400,
	28800, 43200, 86400, 86400, 86400, 86400 };

/* Set in the sender process: its parent, killed with it at a crash point
 * so that a test sees the whole daemon die; and the stop request. */
static pid_t			sender_parent;
static volatile sig_atomic_t	sender_stop;

/*
 * REDRESS_CRASH_AT=send-...: die here with SIGKILL, the daemon with the
 * sender (tests/outbox-kill.sh). intake.c's crashpoint() kills only the
 * process it runs in.
 */
static void
send_crashpoint(const char *where)
{
	const char	*at = getenv("REDRESS_CRASH_AT");

	if (at == NULL || strcmp(at, where) != 0)
		return;
	log_warnx("REDRESS_CRASH_AT=%s: killing redressd", where);
	if (sender_parent > 1)
		kill(sender_parent, SIGKILL);
	kill(getpid(), SIGKILL);
}

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

/* Record one attempt's results in one transaction. The attempt itself
 * was counted when it started (store_outbox_start). */
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

static char *
relay_name(const struct smtp_config *smtp)
{
	if (strchr(smtp->host, ':') != NULL)
		return (g_strdup_printf("[%s]:%d", smtp->host, smtp->port));
	return (g_strdup_printf("%s:%d", smtp->host, smtp->port));
}

/*
 * A notice about the relay to every Area's coordinators, and once (with
 * the first Area's) to the operator address: the relay is shared, so each
 * Area hears of it, and the operator not once per Area. The notices are
 * queued like all mail; while the relay is down they wait for it.
 */
static int
relay_notice(struct workflow *wf, const char *template, gint64 since,
    gint64 until, const struct relay_outage *o, const char *reason,
    char **cause)
{
	const struct config *cfg = wf->config;
	GHashTable	*vars;
	guint		 i;
	int		 rc;

	for (i = 0; i < cfg->areas->len; i++) {
		const struct area_config *area = g_ptr_array_index(cfg->areas,
		    i);

		if ((vars = mail_vars(wf, area, 0, NULL, NULL, "en",
		    cause)) == NULL)
			return (-1);
		g_hash_table_insert(vars, "relay", relay_name(&cfg->smtp));
		g_hash_table_insert(vars, "since", clock_text(since));
		g_hash_table_insert(vars, "until", clock_text(until));
		g_hash_table_insert(vars, "attempts", g_strdup_printf("%d",
		    o->failures));
		g_hash_table_insert(vars, "reason", g_strdup(reason != NULL ?
		    reason : ""));
		if (i == 0)
			rc = mail_notify_operator(wf, area, template, vars,
			    cause);
		else
			rc = mail_notify_coordinators(wf, area, 0, template,
			    vars, cause);
		g_hash_table_unref(vars);
		if (rc != 0)
			return (-1);
	}
	return (0);
}

/*
 * The relay could not be used (connect, greeting, TLS or login failed, or
 * timed out). The outage is recorded; once it has lasted
 * smtp.outage_notice seconds it is told, once: at error level in the log,
 * in relay_outage.noticed_at, and by notices queued to the coordinators
 * and the operator, which go out when the relay is back.
 */
static int
relay_down(struct workflow *wf, const char *error, char **cause)
{
	struct store		*st = wf->store;
	struct relay_outage	 o;
	gint64			 now = clock_now();
	gboolean		 tell = FALSE;
	char			*since;

	if (store_begin(st, cause) != 0)
		return (-1);
	if (store_outage_failure(st, now, error, &o, cause) != 0)
		goto fail;
	if (o.noticed_at == 0 && now - o.since >=
	    wf->config->smtp.outage_notice) {
		if (relay_notice(wf, "relay-outage-notice", o.since, now, &o,
		    error, cause) != 0 ||
		    store_outage_noticed(st, o.id, now, cause) != 0)
			goto fail;
		tell = TRUE;
	}
	if (store_commit(st, cause) != 0)
		goto fail;
	if (tell) {
		since = clock_text(o.since);
		log_warnx("outbox: the SMTP relay has been unusable since %s "
		    "(%d attempts): every Area's coordinators and the "
		    "operator are told, by notices that wait in the outbox "
		    "until it is back; check smtp in the configuration and "
		    "the relay", since, o.failures);
		g_free(since);
	}
	return (0);
fail:
	store_rollback(st);
	return (-1);
}

/* The relay answered: end any outage, tell its end if its start was told,
 * and make everything queued due now rather than at its backoff. */
static int
relay_up(struct workflow *wf, char **cause)
{
	struct store		*st = wf->store;
	struct relay_outage	 o;
	gint64			 now = clock_now();
	int			 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	if ((rc = store_outage_end(st, now, &o, cause)) == -1)
		goto fail;
	if (rc == 1 && o.noticed_at != 0 && relay_notice(wf,
	    "relay-recovered-notice", o.since, now, &o, NULL, cause) != 0)
		goto fail;
	if (rc == 1 && store_outbox_hurry(st, now, cause) != 0)
		goto fail;
	if (store_commit(st, cause) != 0)
		goto fail;
	if (rc == 1)
		log_info("outbox: the SMTP relay works again after %"
		    G_GINT64_FORMAT " s and %d failed attempt(s)%s; what "
		    "waited is sent now", now - o.since, o.failures,
		    o.noticed_at != 0 ? ", recovery told" : "");
	return (0);
fail:
	store_rollback(st);
	return (-1);
}

/*
 * Rows an earlier sender left in a stage: it died mid-attempt (only one
 * sender runs at a time, see outbox_sender_main). In 'sending' the relay
 * never had the final dot, so it has nothing: send again. In 'data-sent'
 * the dot may have gone and been accepted without the answer being
 * recorded: this is the one window in which a mail can go twice. It is
 * sent again, as Postfix does (a letter that arrives twice does less harm
 * than one that never arrives), and the row and the log say so.
 */
static int
outbox_recover(struct workflow *wf, char **cause)
{
	struct store	*st = wf->store;
	GPtrArray	*rows;
	gint64		 now = clock_now();
	guint		 i;
	gboolean	 whole;

	if (store_outbox_interrupted(st, &rows, cause) != 0)
		return (-1);
	if (rows->len == 0) {
		g_ptr_array_unref(rows);
		return (0);
	}
	if (store_begin(st, cause) != 0)
		goto fail;
	for (i = 0; i < rows->len; i++) {
		struct outbox_interrupted *o = g_ptr_array_index(rows, i);

		whole = strcmp(o->stage, "data-sent") == 0;
		if (store_outbox_resume(st, o->id, now, whole ? "interrupted "
		    "after the whole message was sent, before the relay's "
		    "answer was recorded: sent again, so it may arrive twice" :
		    "interrupted before the end of the message: sent again",
		    cause) != 0 ||
		    store_event(st, o->case_id, 0, now, whole ?
		    "delivery_repeated" : "delivery_interrupted", o->template,
		    cause) != 0) {
			store_rollback(st);
			goto fail;
		}
	}
	if (store_commit(st, cause) != 0) {
		store_rollback(st);
		goto fail;
	}
	for (i = 0; i < rows->len; i++) {
		struct outbox_interrupted *o = g_ptr_array_index(rows, i);

		if (strcmp(o->stage, "data-sent") == 0)
			log_warnx("outbox row %" G_GINT64_FORMAT " (%s): the "
			    "last sender stopped after the whole message went "
			    "to the relay, before its answer was recorded; "
			    "sending it again, so it may arrive twice", o->id,
			    o->template);
		else
			log_info("outbox row %" G_GINT64_FORMAT " (%s): the "
			    "last sender stopped before the end of the "
			    "message; sending it again", o->id, o->template);
	}
	g_ptr_array_unref(rows);
	return (0);
fail:
	g_ptr_array_unref(rows);
	return (-1);
}

/* One attempt in progress, for the step hook. */
struct attempt {
	struct workflow		*wf;
	const struct outbox_due	*d;
	char			*error;	/* a commit failed: why */
};

/*
 * After each step of the dialogue: commit what the relay said, and give
 * the crash tests their points. A commit that fails stops the dialogue
 * before the final dot, so nothing is delivered that is not recorded.
 */
static int
attempt_step(void *arg, enum smtp_step step,
    const struct smtp_rcpt_result *r)
{
	struct attempt	*a = arg;
	struct store	*st = a->wf->store;
	const char	*rs;

	switch (step) {
	case SMTP_STEP_MAIL:
		send_crashpoint("send-after-mail");
		break;
	case SMTP_STEP_RCPT:
		/* Accepted stays queued: only DATA's answer makes it sent. */
		rs = r->result == SMTP_OK ? "queued" :
		    r->result == SMTP_PERMFAIL ? "failed" : "tempfail";
		if (store_outbox_rcpt(st, a->d->id, r->addr, rs, r->code,
		    r->reply, &a->error) != 0)
			return (-1);
		send_crashpoint("send-after-rcpt");
		break;
	case SMTP_STEP_DATA:
		send_crashpoint("send-after-data");
		break;
	case SMTP_STEP_HALF:
		send_crashpoint("send-mid-data");
		break;
	case SMTP_STEP_BODY:
		if (store_outbox_stage(st, a->d->id, "data-sent",
		    &a->error) != 0)
			return (-1);
		send_crashpoint("send-before-dot");
		break;
	case SMTP_STEP_DOT:
		send_crashpoint("send-after-dot");
		break;
	}
	return (0);
}

/*
 * Deliver everything due. The relay is connected to at most once per
 * flush when it cannot be used: every other row due meanwhile has its
 * attempt recorded with the same reason, and its backoff.
 */
int
outbox_flush(struct workflow *wf, char **cause)
{
	struct smtp_session	*smtp = NULL;
	GPtrArray		*due;
	guint			 i;
	int			 sent = 0, deferred = 0;
	char			*relay_error = NULL;

	if (outbox_recover(wf, cause) != 0)
		return (-1);
	/* Notices are queued while flushing: go round until nothing due
	 * is left. Each row has at most one attempt per round, and a
	 * failed one is due again only after its backoff. */
	for (;;) {
		if (store_outbox_due(wf->store, clock_now(), &due, cause) != 0)
			goto fail;
		if (due->len == 0 || sender_stop)
			break;
		for (i = 0; i < due->len && !sender_stop; i++) {
			struct outbox_due	*d = g_ptr_array_index(due, i);
			struct attempt		 a = { wf, d, NULL };
			GPtrArray		*results = NULL;
			enum smtp_result	 rc;
			gsize			 len;
			const void		*data;
			char			*error = NULL;

			/* Recorded first: what cannot be recorded is not
			 * sent, or a crash could send it again. */
			if (store_outbox_start(wf->store, d->id, clock_now(),
			    cause) != 0) {
				g_ptr_array_unref(due);
				goto fail;
			}
			send_crashpoint("send-before-connect");
			if (smtp == NULL && relay_error == NULL) {
				if (smtp_open(&wf->config->smtp,
				    wf->config->smtp.timeout, &smtp,
				    &relay_error) != 0) {
					smtp = NULL;
					log_warnx("outbox: %s; the messages "
					    "due are tried again later",
					    relay_error);
					if (relay_down(wf, relay_error,
					    cause) != 0) {
						g_ptr_array_unref(due);
						goto fail;
					}
				} else {
					send_crashpoint("send-after-connect");
					if (relay_up(wf, cause) != 0) {
						g_ptr_array_unref(due);
						goto fail;
					}
				}
			}
			if (smtp == NULL) {
				rc = SMTP_TEMPFAIL;
				error = g_strdup(relay_error);
			} else {
				data = g_bytes_get_data(d->raw, &len);
				rc = smtp_send_steps(smtp, d->envelope_from,
				    d->recipients, data, len, attempt_step, &a,
				    &results, &error);
				if (rc == SMTP_TEMPFAIL || !smtp_usable(smtp)) {
					smtp_close(smtp);
					smtp = NULL;
				}
			}
			if (a.error != NULL) {
				/* The row stays in its stage: the next
				 * sender resumes it. */
				*cause = g_strdup_printf("outbox row %"
				    G_GINT64_FORMAT ": %s; the message was not "
				    "completed", d->id, a.error);
				g_free(a.error);
				if (results != NULL)
					g_ptr_array_unref(results);
				g_free(error);
				g_ptr_array_unref(due);
				goto fail;
			}
			send_crashpoint("send-after-reply");
			if (record_attempt(wf, d, rc, results, error,
			    cause) != 0) {
				if (results != NULL)
					g_ptr_array_unref(results);
				g_free(error);
				g_ptr_array_unref(due);
				goto fail;
			}
			send_crashpoint("send-after-record");
			if (rc == SMTP_OK)
				sent++;
			else if (smtp != NULL || relay_error == NULL ||
			    results != NULL)
				/* The reply text can quote an address: it
				 * stays in the row, out of the log. */
				log_warnx("outbox row %" G_GINT64_FORMAT " (%s): "
				    "delivery %s; the server's reply is in redress "
				    "case show, or the outbox row", d->id,
				    d->template, smtp_result_name(rc));
			else
				deferred++;
			if (results != NULL)
				g_ptr_array_unref(results);
			g_free(error);
		}
		g_ptr_array_unref(due);
	}
	g_ptr_array_unref(due);
	smtp_close(smtp);
	if (deferred > 0)
		log_info("outbox: %d message(s) deferred, the relay being "
		    "unusable", deferred);
	if (relay_error != NULL) {
		g_free(relay_error);
		return (-2);
	}
	return (sent);
fail:
	smtp_close(smtp);
	g_free(relay_error);
	return (-1);
}

static void
sender_on_term(int sig)
{
	(void)sig;
	sender_stop = 1;
}

int
outbox_sender_main(const struct config *config,
    const struct resources *res)
{
	struct sigaction	 sa;
	struct store		*st = NULL;
	struct workflow		*wf;
	char			*lock, *cause = NULL;
	int			 fd, n;

	sender_parent = getppid();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = sender_on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);

	/*
	 * One sender at a time, across daemons too (one killed with its
	 * sender still finishing): while this lock is held, a row in a
	 * stage can only be an interrupted attempt.
	 */
	lock = g_strdup_printf("%s.sender", config->database);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		log_warnx("outbox: cannot open the sender's lock %s: %s; "
		    "check the database directory", lock, g_strerror(errno));
		g_free(lock);
		return (OUTBOX_SENDER_ERROR);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		n = errno;
		close(fd);
		if (n == EWOULDBLOCK) {
			log_info("outbox: an earlier sender is still "
			    "finishing (%s is locked); sending later", lock);
			g_free(lock);
			return (OUTBOX_SENDER_BUSY);
		}
		log_warnx("outbox: cannot lock %s: %s", lock, g_strerror(n));
		g_free(lock);
		return (OUTBOX_SENDER_ERROR);
	}
	g_free(lock);

	if (store_open(config->database, &st, &cause) != 0) {
		log_warnx("outbox: %s", cause);
		g_free(cause);
		close(fd);
		return (OUTBOX_SENDER_ERROR);
	}
	wf = workflow_new(config, st, res);
	n = outbox_flush(wf, &cause);
	if (n == -1) {
		log_warnx("outbox: %s; the messages stay queued", cause);
		g_free(cause);
	} else if (n > 0)
		log_info("outbox: %d message(s) sent", n);
	workflow_free(wf);
	store_close(st);
	close(fd);
	return (n == -1 ? OUTBOX_SENDER_ERROR : n == -2 ?
	    OUTBOX_SENDER_RELAY : OUTBOX_SENDER_OK);
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
