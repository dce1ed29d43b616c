/*
 * intake.c: the IMAP side of the one path a message takes.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "case-new.h"
#include "fetch-imap.h"
#include "incoming.h"
#include "intake.h"
#include "log.h"

#define IMAP_TIMEOUT	60
#define BACKOFF_MIN	30
#define BACKOFF_MAX	1800

void
crashpoint(const char *where)
{
	const char	*at = getenv("REDRESS_CRASH_AT");

	if (at != NULL && strcmp(at, where) == 0) {
		log_warnx("REDRESS_CRASH_AT=%s: killing myself", where);
		kill(getpid(), SIGKILL);
	}
}

struct area_intake *
intake_new(const struct area_config *area)
{
	struct area_intake	*ai = g_new0(struct area_intake, 1);

	ai->area = area;
	return (ai);
}

static void
intake_disconnect(struct area_intake *ai)
{
	if (ai->conn != NULL) {
		imap_close(ai->conn);
		ai->conn = NULL;
	}
	ai->idling = FALSE;
}

void
intake_free(struct area_intake *ai)
{
	if (ai == NULL)
		return;
	intake_disconnect(ai);
	g_free(ai->last_error);
	g_free(ai);
}

/* Record the error and schedule a retry with exponential backoff. */
static int
intake_failed(struct area_intake *ai, char *cause, char **out)
{
	int	delay = BACKOFF_MIN;
	int	i;

	intake_disconnect(ai);
	for (i = 0; i < ai->failures && delay < BACKOFF_MAX; i++)
		delay *= 2;
	if (delay > BACKOFF_MAX)
		delay = BACKOFF_MAX;
	ai->failures++;
	ai->retry_at = clock_now() + delay;
	g_free(ai->last_error);
	ai->last_error = g_strdup(cause);
	*out = g_strdup_printf("%s (retrying in %d seconds)", cause, delay);
	g_free(cause);
	return (-1);
}

/* Move or flag every UID already committed but not yet done on IMAP. */
static int
intake_finish_pending(struct area_intake *ai, struct store *st,
    const struct cursor *c, char **cause)
{
	GArray	*uids;
	guint	 i;
	int	 rc = 0;

	if (store_imap_pending(st, c->mailbox_id, c->uidvalidity, &uids,
	    cause) != 0)
		return (-1);
	for (i = 0; i < uids->len && rc == 0; i++) {
		guint32	uid = g_array_index(uids, guint32, i);

		if (imap_done(ai->conn, uid, ai->area->imap.processed,
		    cause) != 0)
			rc = -1;
		else if (store_imap_done(st, c->mailbox_id, c->uidvalidity,
		    uid, cause) != 0)
			rc = -1;
	}
	g_array_unref(uids);
	return (rc);
}

/*
 * One message: fetch, parse, decide, commit, then finish it on IMAP.
 * Returns 1 when recorded, 0 when it was already known, -1 on error.
 */
static int
intake_one(struct area_intake *ai, struct workflow *wf, struct cursor *c,
    const struct imap_msginfo *info, char **cause)
{
	const struct area_config *area = ai->area;
	struct store	*st = wf->store;
	struct origin	 o = { area->id, c->mailbox_id, c->uidvalidity,
			    info->uid };
	GBytes		*raw = NULL;
	gint64		 row;
	int		 recorded = 0;

	switch (store_message_by_uid(st, &o, &row, cause)) {
	case -1:
		return (-1);
	case 1:
		goto finish;
	}

	if (info->size > wf->config->max_fetch_size) {
		/* Too big to fetch at all: leave it on the server, tell the
		 * coordinators, and move the cursor past it. */
		if (store_begin(st, cause) != 0)
			return (-1);
		c->last_uid = info->uid;
		if (case_new_too_big(wf, area, &o, info->size, cause) != 0 ||
		    store_cursor_set(st, c, cause) != 0 ||
		    store_commit(st, cause) != 0) {
			store_rollback(st);
			return (-1);
		}
		log_warnx("Area %s: UID %u is %u bytes, over "
		    "limits.max_fetch_size: left in %s, coordinators told",
		    area->id, info->uid, info->size, area->imap.mailbox);
		return (1);
	}

	if (imap_fetch(ai->conn, info->uid, info->size, &raw, cause) != 0)
		return (-1);
	crashpoint("after-fetch");

	if (store_begin(st, cause) != 0) {
		g_bytes_unref(raw);
		return (-1);
	}
	if (incoming_message(wf, area, &o, raw, &row, cause) != 0)
		goto fail;
	if (info->uid > c->last_uid)
		c->last_uid = info->uid;
	if (store_cursor_set(st, c, cause) != 0)
		goto fail;
	if (store_commit(st, cause) != 0)
		goto fail;
	g_bytes_unref(raw);
	recorded = 1;
	crashpoint("after-commit");

finish:
	if (imap_done(ai->conn, info->uid, area->imap.processed, cause) != 0)
		return (-1);
	if (store_imap_done(st, c->mailbox_id, c->uidvalidity, info->uid,
	    cause) != 0)
		return (-1);
	return (recorded);

fail:
	store_rollback(st);
	g_bytes_unref(raw);
	return (-1);
}

int
intake_run(struct area_intake *ai, struct workflow *wf, volatile sig_atomic_t *stop,
    char **out)
{
	const struct area_config *area = ai->area;
	struct cursor	 c;
	GArray		*list = NULL;
	guint32		 uidvalidity;
	guint		 i;
	int		 n = 0, rc;
	char		*cause = NULL;

	intake_idle_stop(ai);
	if (ai->conn == NULL) {
		if (ai->retry_at > clock_now())
			return (0);
		if (imap_open(area->id, &area->imap, IMAP_TIMEOUT, &ai->conn,
		    &cause) != 0)
			return (intake_failed(ai, cause, out));
		log_info("Area %s: connected to %s:%d, mailbox %s", area->id,
		    area->imap.host, area->imap.port, area->imap.mailbox);
	}

	if (store_cursor_get(wf->store, area->id, area->imap.mailbox, &c,
	    &cause) != 0)
		return (intake_failed(ai, cause, out));
	uidvalidity = imap_uidvalidity(ai->conn);
	if (c.uidvalidity != uidvalidity) {
		if (c.uidvalidity != 0)
			log_warnx("Area %s: mailbox %s changed UIDVALIDITY "
			    "from %u to %u: scanning it again; messages "
			    "already recorded are recognised by Message-ID "
			    "and content", area->id, area->imap.mailbox,
			    c.uidvalidity, uidvalidity);
		c.uidvalidity = uidvalidity;
		c.last_uid = 0;
		if (store_cursor_set(wf->store, &c, &cause) != 0)
			return (intake_failed(ai, cause, out));
	}

	if (intake_finish_pending(ai, wf->store, &c, &cause) != 0)
		return (intake_failed(ai, cause, out));

	if (imap_list_new(ai->conn, c.last_uid, &list, &cause) != 0)
		return (intake_failed(ai, cause, out));
	for (i = 0; i < list->len; i++) {
		if (*stop)
			break;
		rc = intake_one(ai, wf, &c,
		    &g_array_index(list, struct imap_msginfo, i), &cause);
		if (rc < 0) {
			g_array_unref(list);
			return (intake_failed(ai, cause, out));
		}
		n += rc;
	}
	g_array_unref(list);
	ai->failures = 0;
	g_clear_pointer(&ai->last_error, g_free);
	return (n);
}

int
intake_idle_start(struct area_intake *ai)
{
	char	*cause = NULL;

	if (ai->conn == NULL || !imap_has_idle(ai->conn))
		return (-1);
	if (!ai->idling) {
		if (imap_idle_start(ai->conn, &cause) != 0) {
			log_warnx("%s", cause);
			g_free(cause);
			intake_disconnect(ai);
			return (-1);
		}
		ai->idling = TRUE;
	}
	return (imap_idle_fd(ai->conn));
}

void
intake_idle_stop(struct area_intake *ai)
{
	char	*cause = NULL;

	if (ai->conn == NULL || !ai->idling)
		return;
	ai->idling = FALSE;
	if (imap_idle_done(ai->conn, &cause) != 0) {
		log_warnx("%s", cause);
		g_free(cause);
		intake_disconnect(ai);
	}
}
