/*
 * store-outbox.c: the outbox: queued messages, their recipients, and
 * what each delivery attempt left.
 */
#include <string.h>

#include "address.h"
#include "store-private.h"

int
store_outbox_add(struct store *st, const struct outbox_item *o, gint64 now,
    gint64 *id, char **cause)
{
	guint	i;

	if (db_exec(st, "queueing a message", cause, "INSERT INTO outbox "
	    "(case_id, area, message_id, answers, template, envelope_from, "
	    "raw, next_attempt, created_at) VALUES (NULLIF(?, 0), ?, ?, "
	    "NULLIF(?, 0), ?, ?, ?, ?, ?)", "ittittbii", o->case_id, o->area,
	    o->message_id, o->answers, o->template, o->envelope_from, o->raw,
	    now, now) != 0)
		return (-1);
	*id = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < o->recipients->len; i++) {
		if (db_exec(st, "queueing a recipient", cause, "INSERT OR "
		    "IGNORE INTO outbox_rcpt (outbox, address) VALUES (?, ?)",
		    "it", *id, g_ptr_array_index(o->recipients, i)) != 0)
			return (-1);
	}
	return (0);
}

int
store_outbox_by_message_id(struct store *st, const char *msgid,
    gint64 *outbox_id, gint64 *case_id, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*outbox_id = *case_id = 0;
	rc = db_row(st, &stmt, "finding an outgoing message", cause, "SELECT "
	    "id, COALESCE(case_id, 0) FROM outbox WHERE message_id = ?", "t",
	    msgid);
	if (rc != 1)
		return (rc);
	*outbox_id = sqlite3_column_int64(stmt, 0);
	*case_id = sqlite3_column_int64(stmt, 1);
	db_reset(stmt);
	return (1);
}

int
store_answers_to(struct store *st, const char *addr, gint64 since,
    int *count, char **cause)
{
	gint64	n;

	char	*key = address_key(addr);
	int	 rc;

	/* lower() as in the index outbox_rcpt_by_key (an index needs a
	 * built-in function): recipients are stored in their canonical
	 * form, so lower() of one is its address_key() wherever the local
	 * part is ASCII. */
	*count = 0;
	rc = db_int(st, &n, "counting the answers to an address", cause,
	    "SELECT COUNT(*) FROM outbox_rcpt r JOIN outbox o ON "
	    "o.id = r.outbox WHERE lower(r.address) = ? AND o.created_at >= ? "
	    "AND o.answers IS NOT NULL", "ti", key, since);
	g_free(key);
	if (rc == -1)
		return (-1);
	*count = (int)n;
	return (0);
}

int
store_auto_mail_count(struct store *st, const char *addr, const char *day,
    int *count, char **cause)
{
	gint64	n;
	char	*key = address_key(addr);
	int	 rc;

	*count = 0;
	rc = db_int(st, &n, "counting the automatic mail to an address",
	    cause, "SELECT COUNT(*) FROM auto_mail WHERE address = ? AND "
	    "day = ?", "tt", key, day);
	g_free(key);
	if (rc == -1)
		return (-1);
	*count = (int)n;
	return (0);
}

int
store_auto_mail_add(struct store *st, const char *addr, const char *day,
    gint64 outbox_id, gint64 now, char **cause)
{
	char	*key = address_key(addr);
	int	 rc;

	rc = db_exec(st, "counting automatic mail to an address", cause,
	    "INSERT INTO auto_mail (address, day, outbox, at) VALUES (?, ?, "
	    "NULLIF(?, 0), ?)", "ttii", key, day, outbox_id, now);
	g_free(key);
	return (rc);
}

int
store_echo_count(struct store *st, const char *addr, gint64 since,
    int *count, char **cause)
{
	gint64	n;
	char	*key = address_key(addr);
	int	 rc;

	*count = 0;
	rc = db_int(st, &n, "counting a sender's echoes of our mail", cause,
	    "SELECT COUNT(*) FROM echo WHERE address = ? AND at >= ?", "ti",
	    key, since);
	g_free(key);
	if (rc == -1)
		return (-1);
	*count = (int)n;
	return (0);
}

int
store_echo_add(struct store *st, const char *addr, gint64 message_row,
    gint64 now, char **cause)
{
	char	*key = address_key(addr);
	int	 rc;

	rc = db_exec(st, "recording an echo of our mail", cause,
	    "INSERT INTO echo (address, message, at) VALUES (?, NULLIF(?, 0), "
	    "?)", "tii", key, message_row, now);
	g_free(key);
	return (rc);
}

int
store_outbox_raw(struct store *st, const char *msgid, GBytes **raw,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*raw = NULL;
	rc = db_row(st, &stmt, "reading an outgoing message", cause,
	    "SELECT raw FROM outbox WHERE message_id = ?", "t", msgid);
	if (rc != 1)
		return (rc);
	*raw = g_bytes_new(sqlite3_column_blob(stmt, 0),
	    sqlite3_column_bytes(stmt, 0));
	db_reset(stmt);
	return (1);
}

void
outbox_due_free(struct outbox_due *d)
{
	if (d == NULL)
		return;
	g_free(d->area);
	g_free(d->message_id);
	g_free(d->template);
	g_free(d->envelope_from);
	if (d->raw != NULL)
		g_bytes_unref(d->raw);
	if (d->recipients != NULL)
		g_ptr_array_unref(d->recipients);
	g_free(d);
}

static gpointer
due_from_row(sqlite3_stmt *stmt)
{
	struct outbox_due *d = g_new0(struct outbox_due, 1);

	d->id = sqlite3_column_int64(stmt, 0);
	d->case_id = sqlite3_column_int64(stmt, 1);
	d->area = db_column_text(stmt, 2);
	d->message_id = db_column_text(stmt, 3);
	d->template = db_column_text(stmt, 4);
	d->envelope_from = db_column_text(stmt, 5);
	d->attempts = sqlite3_column_int(stmt, 6);
	d->raw = g_bytes_new(sqlite3_column_blob(stmt, 7),
	    sqlite3_column_bytes(stmt, 7));
	d->recipients = g_ptr_array_new_with_free_func(g_free);
	return (d);
}

static void
add_recipient(sqlite3_stmt *stmt, void *recipients)
{
	g_ptr_array_add(recipients, db_column_text(stmt, 0));
}

int
store_outbox_due(struct store *st, gint64 now, GPtrArray **out,
    char **cause)
{
	GPtrArray	*due;
	guint		 i;

	if (db_list(st, &due, due_from_row, (GDestroyNotify)outbox_due_free,
	    "reading the messages due for delivery", cause, "SELECT id, "
	    "COALESCE(case_id, 0), area, message_id, template, envelope_from, "
	    "attempts, raw FROM outbox WHERE state = 'queued' AND "
	    "stage IS NULL AND next_attempt <= ? ORDER BY id", "i", now) != 0) {
		*out = NULL;
		return (-1);
	}
	for (i = 0; i < due->len; i++) {
		struct outbox_due *d = g_ptr_array_index(due, i);

		if (db_each(st, add_recipient, d->recipients, "reading the "
		    "recipients still to deliver to", cause, "SELECT address "
		    "FROM outbox_rcpt WHERE outbox = ? AND state IN ('queued', "
		    "'tempfail') ORDER BY id", "i", d->id) != 0) {
			g_ptr_array_unref(due);
			*out = NULL;
			return (-1);
		}
	}
	*out = due;
	return (0);
}

int
store_outbox_rcpt(struct store *st, gint64 outbox_id, const char *addr,
    const char *state, int code, const char *reply, char **cause)
{
	return (db_exec(st, "recording a delivery to a recipient", cause,
	    "UPDATE outbox_rcpt SET state = ?, code = ?, reply = ? WHERE "
	    "outbox = ? AND address = ?", "titit", state, (gint64)code, reply,
	    outbox_id, addr));
}

int
store_outbox_start(struct store *st, gint64 outbox_id, gint64 now,
    char **cause)
{
	return (db_exec(st, "recording the start of a delivery attempt",
	    cause, "UPDATE outbox SET attempts = attempts + 1, stage = "
	    "'sending', attempt_started = ? WHERE id = ? AND state = 'queued'",
	    "ii", now, outbox_id));
}

int
store_outbox_stage(struct store *st, gint64 outbox_id, const char *stage,
    char **cause)
{
	return (db_exec(st, "recording how far a delivery attempt got", cause,
	    "UPDATE outbox SET stage = ? WHERE id = ?", "ti", stage,
	    outbox_id));
}

int
store_outbox_finish(struct store *st, gint64 outbox_id, const char *state,
    gint64 next_attempt, const char *error, gint64 now, char **cause)
{
	return (db_exec(st, "recording a delivery attempt", cause, "UPDATE "
	    "outbox SET state = ?, stage = NULL, next_attempt = ?, "
	    "last_error = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE "
	    "sent_at END WHERE id = ?", "tittii", state, next_attempt, error,
	    state, now, outbox_id));
}

void
outbox_interrupted_free(struct outbox_interrupted *o)
{
	if (o == NULL)
		return;
	g_free(o->stage);
	g_free(o->template);
	g_free(o);
}

static gpointer
interrupted_from_row(sqlite3_stmt *stmt)
{
	struct outbox_interrupted *o = g_new0(struct outbox_interrupted, 1);

	o->id = sqlite3_column_int64(stmt, 0);
	o->case_id = sqlite3_column_int64(stmt, 1);
	o->stage = db_column_text(stmt, 2);
	o->template = db_column_text(stmt, 3);
	o->attempt_started = sqlite3_column_int64(stmt, 4);
	return (o);
}

int
store_outbox_interrupted(struct store *st, GPtrArray **out, char **cause)
{
	return (db_list(st, out, interrupted_from_row,
	    (GDestroyNotify)outbox_interrupted_free, "finding interrupted "
	    "delivery attempts", cause, "SELECT id, COALESCE(case_id, 0), "
	    "stage, template, COALESCE(attempt_started, 0) FROM outbox WHERE "
	    "stage IS NOT NULL ORDER BY id", ""));
}

int
store_outbox_resume(struct store *st, gint64 outbox_id, gint64 now,
    const char *error, char **cause)
{
	return (db_exec(st, "queueing an interrupted delivery again", cause,
	    "UPDATE outbox SET stage = NULL, next_attempt = ?, last_error = ? "
	    "WHERE id = ?", "iti", now, error, outbox_id));
}

int
store_outbox_hurry(struct store *st, gint64 now, char **cause)
{
	return (db_exec(st, "making the queued messages due", cause, "UPDATE "
	    "outbox SET next_attempt = ? WHERE state = 'queued' AND "
	    "next_attempt > ?", "ii", now, now));
}

int
store_outage_failure(struct store *st, gint64 now, const char *error,
    struct relay_outage *o, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(o, 0, sizeof *o);
	rc = db_row(st, &stmt, "reading the relay outage", cause, "SELECT id, "
	    "since, failures, COALESCE(noticed_at, 0) FROM relay_outage WHERE "
	    "ended_at IS NULL ORDER BY id DESC LIMIT 1", "");
	if (rc == -1)
		return (-1);
	if (rc == 0) {
		if (db_exec(st, "recording a relay outage", cause, "INSERT "
		    "INTO relay_outage (since, last_error) VALUES (?, ?)",
		    "it", now, error) != 0)
			return (-1);
		o->id = sqlite3_last_insert_rowid(st->db);
		o->since = now;
		o->failures = 1;
		return (0);
	}
	o->id = sqlite3_column_int64(stmt, 0);
	o->since = sqlite3_column_int64(stmt, 1);
	o->failures = sqlite3_column_int(stmt, 2) + 1;
	o->noticed_at = sqlite3_column_int64(stmt, 3);
	db_reset(stmt);
	return (db_exec(st, "recording a relay outage", cause, "UPDATE "
	    "relay_outage SET failures = failures + 1, last_error = ? WHERE "
	    "id = ?", "ti", error, o->id));
}

int
store_outage_noticed(struct store *st, gint64 outage_id, gint64 now,
    char **cause)
{
	return (db_exec(st, "recording the relay outage notice", cause,
	    "UPDATE relay_outage SET noticed_at = ? WHERE id = ?", "ii", now,
	    outage_id));
}

int
store_outage_end(struct store *st, gint64 now, struct relay_outage *o,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(o, 0, sizeof *o);
	rc = db_row(st, &stmt, "reading the relay outage", cause, "SELECT id, "
	    "since, failures, COALESCE(noticed_at, 0) FROM relay_outage WHERE "
	    "ended_at IS NULL ORDER BY id DESC LIMIT 1", "");
	if (rc != 1)
		return (rc);
	o->id = sqlite3_column_int64(stmt, 0);
	o->since = sqlite3_column_int64(stmt, 1);
	o->failures = sqlite3_column_int(stmt, 2);
	o->noticed_at = sqlite3_column_int64(stmt, 3);
	db_reset(stmt);
	if (db_exec(st, "recording the end of a relay outage", cause,
	    "UPDATE relay_outage SET ended_at = ? WHERE ended_at IS NULL",
	    "i", now) != 0)
		return (-1);
	return (1);
}

int
store_outbox_next_attempt(struct store *st, gint64 *when, char **cause)
{
	return (db_int(st, when, "finding the next delivery attempt", cause,
	    "SELECT next_attempt FROM outbox WHERE state = 'queued' ORDER BY "
	    "next_attempt LIMIT 1", ""));
}
