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
#include "mail-out.h"

#define IMAP_TIMEOUT	60
#define BACKOFF_MIN	30
#define BACKOFF_MAX	1800

/*
 * A message found in hand from this many earlier attempts that never
 * finished is quarantined unread. Not 1: redress may be killed for
 * reasons that have nothing to do with the message (a reboot, the OOM
 * killer, an operator's SIGKILL), and one retry costs little; a message
 * that kills it twice running is taken to be what kills it.
 */
#define IN_HAND_ATTEMPTS 2
/*
 * Messages are fetched together, recorded in one transaction and moved in
 * one command while their sizes add up to no more than this: libetpan
 * holds a whole answer before it is copied out, so a batch is held twice
 * for a moment. A bigger message goes on its own, into a buffer of its
 * size.
 */
#define BATCH_BYTES	(8 * 1024 * 1024)

void
crashpoint(const char *where)
{
	const char	*at = getenv("REDRESS_CRASH_AT");

	if (at != NULL && strcmp(at, where) == 0) {
		log_warnx("REDRESS_CRASH_AT=%s: killing myself", where);
		kill(getpid(), SIGKILL);
	}
}

int
failpoint(const char *where, guint32 uid, char **cause)
{
	const char	*at = getenv("REDRESS_FAIL_AT");
	size_t		 n = strlen(where);

	if (at == NULL || strncmp(at, where, n) != 0)
		return (0);
	if (at[n] == ':') {
		if (strtoul(at + n + 1, NULL, 10) != uid)
			return (0);
	} else if (at[n] != '\0')
		return (0);
	*cause = g_strdup_printf("REDRESS_FAIL_AT=%s: failing on purpose "
	    "(a test)", at);
	return (-1);
}

static gint
uid_cmp(gconstpointer a, gconstpointer b)
{
	guint32	x = *(const guint32 *)a, y = *(const guint32 *)b;

	return (x < y ? -1 : x > y);
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

/* One notice about the Area's mailbox to its coordinators and the
 * operator, with the outage row written, in one transaction. */
static int
outage_notice(struct workflow *wf, const struct area_config *area,
    const char *template, const char *event, const char *reason,
    char *detail, gint64 since, const char *error, gint64 notified_at,
    char **cause)
{
	struct store	*st = wf->store;
	GHashTable	*vars;
	int		 rc = -1;

	if (store_begin(st, cause) != 0) {
		g_free(detail);
		return (-1);
	}
	if ((vars = mail_vars(wf, area, 0, NULL, NULL, "en", cause)) == NULL) {
		g_free(detail);
		goto out;
	}
	g_hash_table_insert(vars, "reason", g_strdup(reason));
	g_hash_table_insert(vars, "detail", detail);
	if (mail_notify_operator(wf, area, template, vars, cause) != 0 ||
	    store_event(st, 0, 0, clock_now(), event, area->id, cause) != 0)
		goto out;
	if (error != NULL)
		rc = store_outage_set(st, area->id, since, error, notified_at,
		    cause);
	else
		rc = store_outage_clear(st, area->id, cause);
	if (rc == 0)
		rc = store_commit(st, cause);
out:
	if (vars != NULL)
		g_hash_table_unref(vars);
	if (rc != 0)
		store_rollback(st);
	return (rc);
}

/*
 * The Area could not be served: remember since when (in the database, so
 * restarts do not start the count again) and, once it has lasted
 * imap_outage_notice seconds, tell its coordinators and the operator,
 * once.
 */
static void
intake_outage(struct area_intake *ai, struct workflow *wf,
    const char *error)
{
	const struct area_config *area = ai->area;
	gint64		 since, notified, now = clock_now();
	char		*cause = NULL, *from;
	int		 rc;

	if ((rc = store_outage_get(wf->store, area->id, &since, &notified,
	    &cause)) == -1)
		goto fail;
	if (rc == 0)
		since = now;
	if (notified != 0 || now - since < wf->config->imap_outage_notice) {
		if (store_outage_set(wf->store, area->id, since, error,
		    notified, &cause) != 0)
			goto fail;
		return;
	}
	from = clock_text(since);
	rc = outage_notice(wf, area, "mailbox-outage-notice", "area_outage",
	    error, g_strdup_printf("mailbox %s at %s:%d (user %s) has not "
	    "been read since %s (%" G_GINT64_FORMAT " minutes); redress keeps "
	    "trying and will say when it can read it again", area->imap.mailbox,
	    area->imap.host, area->imap.port, area->imap.user, from,
	    (now - since) / 60), since, error, now, &cause);
	g_free(from);
	if (rc != 0)
		goto fail;
	log_warnx("Area %s: mailbox out of reach since %" G_GINT64_FORMAT
	    " seconds: coordinators and operator told", area->id, now - since);
	return;
fail:
	log_warnx("Area %s: the outage could not be recorded or reported: "
	    "%s", area->id, cause);
	g_free(cause);
}

/* The Area is served again: after an outage that was reported, say so. */
static void
intake_recovered(struct area_intake *ai, struct workflow *wf)
{
	const struct area_config *area = ai->area;
	gint64		 since, notified, now = clock_now();
	char		*cause = NULL, *from, *to;
	int		 rc;

	if ((rc = store_outage_get(wf->store, area->id, &since, &notified,
	    &cause)) == 0)
		return;
	if (rc == 1 && notified == 0)
		rc = store_outage_clear(wf->store, area->id, &cause);
	else if (rc == 1) {
		from = clock_text(since);
		to = clock_text(now);
		rc = outage_notice(wf, area, "mailbox-recovery-notice",
		    "area_recovered", "the mailbox can be read again",
		    g_strdup_printf("mailbox %s could not be read from %s to "
		    "%s (%" G_GINT64_FORMAT " minutes); the mail that arrived "
		    "meanwhile is being processed now", area->imap.mailbox,
		    from, to, (now - since) / 60), 0, NULL, 0, &cause);
		g_free(from);
		g_free(to);
		if (rc == 0)
			log_info("Area %s: mailbox readable again: "
			    "coordinators and operator told", area->id);
	}
	if (rc != 0) {
		log_warnx("Area %s: the end of the outage could not be "
		    "recorded or reported: %s", area->id, cause);
		g_free(cause);
	}
}

/* Record the error and schedule a retry with exponential backoff. */
static int
intake_failed(struct area_intake *ai, struct workflow *wf, char *cause,
    char **out)
{
	int	delay = BACKOFF_MIN;
	int	i;

	intake_disconnect(ai);
	ai->more = FALSE;
	for (i = 0; i < ai->failures && delay < BACKOFF_MAX; i++)
		delay *= 2;
	if (delay > BACKOFF_MAX)
		delay = BACKOFF_MAX;
	ai->failures++;
	ai->retry_at = clock_now() + delay;
	g_free(ai->last_error);
	ai->last_error = g_strdup(cause);
	intake_outage(ai, wf, cause);
	*out = g_strdup_printf("%s (retrying in %d seconds)", cause, delay);
	g_free(cause);
	return (-1);
}

/*
 * Finish committed UIDs of c's mailbox on IMAP in one command, then mark
 * them done (and save c, when asked) in one transaction. A crash between
 * the two leaves them pending: imap_done_set() is idempotent.
 */
static int
finish_set(struct area_intake *ai, struct store *st, const GArray *uids,
    const struct cursor *c, gboolean save_cursor, char **cause)
{
	guint	i;

	if (uids->len == 0)
		return (save_cursor ? store_cursor_set(st, c, cause) : 0);
	if (imap_done_set(ai->conn, uids, ai->area->imap.processed,
	    cause) != 0)
		return (-1);
	crashpoint("after-move");
	if (store_begin(st, cause) != 0)
		return (-1);
	for (i = 0; i < uids->len; i++)
		if (store_imap_done(st, c->mailbox_id, c->uidvalidity,
		    g_array_index(uids, guint32, i), cause) != 0)
			break;
	if (i < uids->len || (save_cursor && store_cursor_set(st, c,
	    cause) != 0) || store_commit(st, cause) != 0) {
		store_rollback(st);
		return (-1);
	}
	return (0);
}

/* Move or flag every UID already committed but not yet done on IMAP. */
static int
intake_finish_pending(struct area_intake *ai, struct store *st,
    const struct cursor *c, char **cause)
{
	GArray	*uids;
	int	 rc;

	if (store_imap_pending(st, c->mailbox_id, c->uidvalidity, &uids,
	    cause) != 0)
		return (-1);
	g_array_sort(uids, uid_cmp);
	rc = finish_set(ai, st, uids, c, FALSE, cause);
	g_array_unref(uids);
	return (rc);
}

/*
 * A message that could not be recorded normally: kept raw, quarantined
 * and the coordinators told, the cursor moved past it, in a fresh
 * transaction. Should the notice be what fails, it is recorded without
 * one (and the log says so) rather than left to block the Area.
 */
static int
intake_quarantine(struct area_intake *ai, struct workflow *wf,
    struct cursor *c, const struct origin *o, GBytes *raw,
    const char *reason, char **cause)
{
	const struct area_config *area = ai->area;
	struct store	*st = wf->store;
	guint32		 last = c->last_uid;
	gboolean	 notify;
	gint64		 row = 0;
	char		*err = NULL;

	for (notify = TRUE;; notify = FALSE) {
		if (store_begin(st, cause) != 0)
			return (-1);
		if (o->uid > c->last_uid)
			c->last_uid = o->uid;
		if (case_new_poison(wf, area, o, raw, reason, notify, &row,
		    &err) == 0 && store_cursor_set(st, c, &err) == 0 &&
		    store_in_hand_clear(st, o, &err) == 0 &&
		    store_commit(st, &err) == 0)
			break;
		store_rollback(st);
		c->last_uid = last;
		if (!notify) {
			*cause = g_strdup_printf("Area %s: UID %u in %s could "
			    "not be quarantined either: %s; it stays in the "
			    "mailbox and is tried again on the next round",
			    area->id, o->uid, area->imap.mailbox, err);
			g_free(err);
			return (-1);
		}
		log_warnx("Area %s: UID %u in %s: the quarantine notice could "
		    "not be queued (%s): recording it without one", area->id,
		    o->uid, area->imap.mailbox, err);
		g_clear_pointer(&err, g_free);
	}
	log_warnx("Area %s: UID %u in %s quarantined as message row %"
	    G_GINT64_FORMAT ": %s%s", area->id, o->uid, area->imap.mailbox, row,
	    reason, notify ? "; coordinators told" : "");
	return (0);
}

/*
 * One message: fetch, mark it in hand, parse, decide, commit, then
 * finish it on IMAP. Whatever goes wrong with the message itself, it is
 * quarantined and the next one follows; only a failure of the mailbox or
 * the database stops the Area (to be retried).
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
	int		 recorded = 0, earlier, rc;
	char		*reason;

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
	/* Committed before the pipeline sees it: if redress dies with it,
	 * the next start knows. */
	if (store_in_hand(st, &o, clock_now(), &earlier, cause) != 0) {
		g_bytes_unref(raw);
		return (-1);
	}
	if (earlier >= IN_HAND_ATTEMPTS) {
		reason = g_strdup_printf("redress stopped %d times while this "
		    "message was in hand, before it was recorded (it crashed "
		    "or was killed): it was not read again", earlier);
		goto quarantine;
	}
	crashpoint("after-fetch");

	if (store_begin(st, cause) != 0) {
		g_bytes_unref(raw);
		return (-1);
	}
	if (incoming_message(wf, area, &o, raw, &row, cause) != 0 ||
	    failpoint("record", info->uid, cause) != 0) {
		/* The message's own transaction is undone; it is kept in
		 * one of its own. */
		store_rollback(st);
		reason = g_strdup_printf("it could not be recorded: %s", *cause);
		g_clear_pointer(cause, g_free);
		goto quarantine;
	}
	crashpoint("in-pipeline");
	if (info->uid > c->last_uid)
		c->last_uid = info->uid;
	if (store_cursor_set(st, c, cause) != 0)
		goto fail;
	if (store_in_hand_clear(st, &o, cause) != 0)
		goto fail;
	if (store_commit(st, cause) != 0)
		goto fail;
	g_bytes_unref(raw);
	recorded = 1;
	crashpoint("after-commit");
	goto finish;

quarantine:
	rc = intake_quarantine(ai, wf, c, &o, raw, reason, cause);
	g_free(reason);
	g_bytes_unref(raw);
	if (rc != 0)
		return (-1);
	recorded = 1;

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

/*
 * How many of the next messages (at most n) go together as a batch: new
 * to the store, never in hand before (after a crash each goes alone, so
 * that the one that caused it is found), and adding up to BATCH_BYTES.
 * 0 when the first goes alone, (guint)-1 with *cause on error.
 */
static guint
batchable(struct workflow *wf, const struct cursor *c,
    const struct area_config *area, const struct imap_msginfo *infos,
    guint n, char **cause)
{
	guint64	 bytes = 0;
	gint64	 row;
	guint	 i;
	int	 earlier;

	for (i = 0; i < n; i++) {
		struct origin	o = { area->id, c->mailbox_id, c->uidvalidity,
				    infos[i].uid };

		if (bytes + infos[i].size > BATCH_BYTES)
			break;
		switch (store_message_by_uid(wf->store, &o, &row, cause)) {
		case -1:
			return ((guint)-1);
		case 1:
			return (i);
		}
		if (store_in_hand_attempts(wf->store, &o, &earlier,
		    cause) != 0)
			return ((guint)-1);
		if (earlier > 0)
			break;
		bytes += infos[i].size;
	}
	return (i);
}

/* A message of a batch that could not be recorded, to be quarantined. */
struct failed {
	guint32	 uid;
	GBytes	*raw;
	char	*reason;
};

static void
failed_free(gpointer p)
{
	struct failed	*f = p;

	g_bytes_unref(f->raw);
	g_free(f->reason);
	g_free(f);
}

/* Every fetched message of the batch marked in hand, in one commit. */
static int
batch_in_hand(struct workflow *wf, const struct cursor *c,
    const struct area_config *area, GHashTable *raws, char **cause)
{
	struct store	*st = wf->store;
	GHashTableIter	 it;
	gpointer	 uid;
	int		 earlier;

	if (store_begin(st, cause) != 0)
		return (-1);
	g_hash_table_iter_init(&it, raws);
	while (g_hash_table_iter_next(&it, &uid, NULL)) {
		struct origin	o = { area->id, c->mailbox_id, c->uidvalidity,
				    GPOINTER_TO_UINT(uid) };

		if (store_in_hand(st, &o, clock_now(), &earlier, cause) != 0) {
			store_rollback(st);
			return (-1);
		}
	}
	return (store_commit(st, cause));
}

/*
 * Record every message of the batch in one transaction, each in a
 * savepoint of its own: one that fails is undone alone and put in
 * *failures, the rest stay. The cursor stops short of the first failure,
 * so that a crash before it is quarantined cannot skip it. Returns the
 * number recorded, or -1 (nothing kept).
 */
static int
batch_record(struct area_intake *ai, struct workflow *wf, struct cursor *c,
    const struct imap_msginfo *infos, guint n, GHashTable *raws,
    GArray *done, GPtrArray *failures, char **cause)
{
	const struct area_config *area = ai->area;
	struct store	*st = wf->store;
	guint32		 last = c->last_uid, first_failed = 0;
	gint64		 row;
	guint		 i, done_before = done->len;
	int		 recorded = 0;
	char		*why = NULL;

	if (store_begin(st, cause) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		struct origin	 o = { area->id, c->mailbox_id,
				    c->uidvalidity, infos[i].uid };
		GBytes		*raw = g_hash_table_lookup(raws,
				    GUINT_TO_POINTER(infos[i].uid));

		if (raw == NULL)
			continue;	/* gone from the mailbox meanwhile */
		if (store_savepoint(st, cause) != 0)
			goto fail;
		if (incoming_message(wf, area, &o, raw, &row, &why) != 0 ||
		    failpoint("record", o.uid, &why) != 0) {
			struct failed	*f = g_new0(struct failed, 1);

			if (store_savepoint_undo(st, cause) != 0)
				goto fail;
			f->uid = o.uid;
			f->raw = g_bytes_ref(raw);
			f->reason = g_strdup_printf("it could not be recorded: "
			    "%s", why);
			g_clear_pointer(&why, g_free);
			g_ptr_array_add(failures, f);
			if (first_failed == 0)
				first_failed = o.uid;
			continue;
		}
		crashpoint("in-pipeline");
		if (store_in_hand_clear(st, &o, cause) != 0 ||
		    store_savepoint_release(st, cause) != 0)
			goto fail;
		g_array_append_val(done, o.uid);
		recorded++;
	}
	if (n > 0 && infos[n - 1].uid > c->last_uid)
		c->last_uid = infos[n - 1].uid;
	if (first_failed != 0)
		c->last_uid = MAX(last, first_failed - 1);
	if (store_cursor_set(st, c, cause) != 0 ||
	    store_commit(st, cause) != 0)
		goto fail;
	crashpoint("after-commit");
	return (recorded);
fail:
	store_rollback(st);
	c->last_uid = last;
	g_array_set_size(done, done_before);
	g_ptr_array_set_size(failures, 0);
	return (-1);
}

/*
 * Messages fetched in one UID FETCH, recorded in one transaction and
 * finished on IMAP in one command: the same invariant as intake_one() (a
 * message leaves the mailbox only after its transaction committed), at
 * a few round trips and commits per batch instead of per message. Only
 * messages never in hand before and small enough come here.
 * Returns the number recorded (quarantined ones included), or -1.
 */
static int
intake_batch(struct area_intake *ai, struct workflow *wf, struct cursor *c,
    const struct imap_msginfo *infos, guint n, char **cause)
{
	const struct area_config *area = ai->area;
	struct store	*st = wf->store;
	GArray		*uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	GArray		*done = g_array_new(FALSE, FALSE, sizeof(guint32));
	GPtrArray	*failures = g_ptr_array_new_with_free_func(failed_free);
	GHashTable	*raws = NULL;
	guint		 i;
	int		 recorded, rc = -1;

	for (i = 0; i < n; i++)
		g_array_append_val(uids, infos[i].uid);
	if (imap_fetch_set(ai->conn, uids, &raws, cause) != 0)
		goto out;
	if (batch_in_hand(wf, c, area, raws, cause) != 0)
		goto out;
	crashpoint("after-fetch");
	if ((recorded = batch_record(ai, wf, c, infos, n, raws, done,
	    failures, cause)) < 0)
		goto out;
	g_clear_pointer(&raws, g_hash_table_unref);

	for (i = 0; i < failures->len; i++) {
		struct failed	*f = g_ptr_array_index(failures, i);
		struct origin	 o = { area->id, c->mailbox_id,
				    c->uidvalidity, f->uid };

		if (intake_quarantine(ai, wf, c, &o, f->raw, f->reason,
		    cause) != 0)
			goto out;
		g_array_append_val(done, f->uid);
		recorded++;
	}
	g_array_sort(done, uid_cmp);
	crashpoint("after-quarantine");

	if (n > 0 && infos[n - 1].uid > c->last_uid)
		c->last_uid = infos[n - 1].uid;
	if (finish_set(ai, st, done, c, TRUE, cause) != 0)
		goto out;
	rc = recorded;
out:
	if (raws != NULL)
		g_hash_table_unref(raws);
	g_ptr_array_unref(failures);
	g_array_unref(done);
	g_array_unref(uids);
	return (rc);
}

int
intake_run(struct area_intake *ai, struct workflow *wf, volatile sig_atomic_t *stop,
    char **out)
{
	const struct area_config *area = ai->area;
	struct cursor	 c;
	GArray		*list = NULL;
	guint32		 uidvalidity;
	guint		 i, batch, taken;
	int		 n = 0, rc;
	char		*cause = NULL;

	intake_idle_stop(ai);
	ai->more = FALSE;
	if (ai->conn == NULL) {
		if (ai->retry_at > clock_now())
			return (0);
		if (imap_open(area->id, &area->imap, IMAP_TIMEOUT, &ai->conn,
		    &cause) != 0)
			return (intake_failed(ai, wf, cause, out));
		log_info("Area %s: connected to %s:%d, mailbox %s", area->id,
		    area->imap.host, area->imap.port, area->imap.mailbox);
	}

	if (store_cursor_get(wf->store, area->id, area->imap.mailbox, &c,
	    &cause) != 0)
		return (intake_failed(ai, wf, cause, out));
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
		/* Markers of the old UIDs name messages no longer there. */
		if (store_cursor_set(wf->store, &c, &cause) != 0 ||
		    store_in_hand_forget(wf->store, &c, &cause) != 0)
			return (intake_failed(ai, wf, cause, out));
	}

	if (intake_finish_pending(ai, wf->store, &c, &cause) != 0)
		return (intake_failed(ai, wf, cause, out));

	if (imap_list_new(ai->conn, c.last_uid, &list, &cause) != 0)
		return (intake_failed(ai, wf, cause, out));
	intake_recovered(ai, wf);
	/* At most a batch, so that the other Areas get their turn; the
	 * caller comes back while `more` says there is more. */
	batch = (guint)wf->config->intake_batch;
	ai->more = list->len > batch;
	for (i = 0; i < list->len && i < batch; i += taken) {
		const struct imap_msginfo *infos = &g_array_index(list,
		    struct imap_msginfo, i);

		if (*stop) {
			ai->more = FALSE;
			break;
		}
		if ((taken = batchable(wf, &c, area, infos, MIN(list->len,
		    batch) - i, &cause)) == (guint)-1)
			rc = -1;
		else if (taken > 0)
			rc = intake_batch(ai, wf, &c, infos, taken, &cause);
		else {
			taken = 1;
			rc = intake_one(ai, wf, &c, infos, &cause);
		}
		if (rc < 0) {
			g_array_unref(list);
			return (intake_failed(ai, wf, cause, out));
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
