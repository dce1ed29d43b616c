/*
 * store-mail.c: incoming messages (raw bytes, parsed fields,
 * attachments), their IMAP side (done, aliases of copies), and finding a
 * case's mail.
 */
#include <string.h>

#include "store-private.h"

int
store_message_by_uid(struct store *st, const struct origin *o, gint64 *row,
    char **cause)
{
	return (db_int(st, row, "looking up a message by its UID", cause,
	    "SELECT id FROM message WHERE mailbox_id = ? AND uidvalidity = ? "
	    "AND uid = ?", "iuu", o->mailbox_id, o->uidvalidity, o->uid));
}

int
store_message_by_content(struct store *st, const char *message_id,
    const char *sha256, gint64 *row, char **cause)
{
	static const char what[] = "looking up a message by its content";

	if (message_id == NULL)
		return (db_int(st, row, what, cause, "SELECT id FROM message "
		    "WHERE direction = 'in' AND message_id IS NULL AND "
		    "sha256 = ? AND copy_of IS NULL", "t", sha256));
	return (db_int(st, row, what, cause, "SELECT id FROM message WHERE "
	    "direction = 'in' AND message_id = ? AND sha256 = ? AND copy_of "
	    "IS NULL", "tt", message_id, sha256));
}

static char *
join_addresses(GPtrArray *list)
{
	GString	*s = g_string_new(NULL);
	guint	 i;

	for (i = 0; list != NULL && i < list->len; i++) {
		const struct address *a = g_ptr_array_index(list, i);

		if (s->len > 0)
			g_string_append(s, ", ");
		g_string_append(s, a->addr);
	}
	return (g_string_free(s, FALSE));
}

static char *
join_strings(GPtrArray *list)
{
	GString	*s = g_string_new(NULL);
	guint	 i;

	for (i = 0; list != NULL && i < list->len; i++) {
		if (s->len > 0)
			g_string_append_c(s, ' ');
		g_string_append(s, g_ptr_array_index(list, i));
	}
	return (g_string_free(s, FALSE));
}

static const char *
body_source_name(enum body_source b)
{
	switch (b) {
	case BODY_PLAIN:
		return ("text/plain");
	case BODY_HTML:
		return ("text/html");
	case BODY_ATTACHMENT:
		return ("attachment");
	default:
		return ("none");
	}
}

static char *
machine_summary(const struct message *m)
{
	const struct machine_signals *ms = &m->machine;
	GString	*s = g_string_new(NULL);

	if (ms->auto_submitted != NULL &&
	    g_ascii_strcasecmp(ms->auto_submitted, "no") != 0)
		g_string_append_printf(s, "auto-submitted=%s ",
		    ms->auto_submitted);
	if (ms->precedence != NULL)
		g_string_append_printf(s, "precedence=%s ", ms->precedence);
	if (ms->list_id != NULL)
		g_string_append(s, "list-id ");
	if (ms->x_autoreply)
		g_string_append(s, "x-autoreply ");
	if (ms->null_sender)
		g_string_append(s, "null-sender ");
	if (ms->mailer_daemon)
		g_string_append(s, "mailer-daemon ");
	if (ms->is_report)
		g_string_append_printf(s, "report=%s ",
		    ms->report_type ? ms->report_type : "?");
	if (ms->x_loop != NULL)
		g_string_append(s, "x-loop ");
	if (s->len == 0)
		return (g_string_free(s, TRUE));
	g_string_truncate(s, s->len - 1);
	return (g_string_free(s, FALSE));
}

int
store_message_add_in(struct store *st, const struct origin *o,
    const char *raw, size_t len, const struct message *m,
    const char *verdict_json, gint64 case_id, gint64 now, gint64 *id,
    char **cause)
{
	char	*to, *cc, *reply_to, *refs, *machine;
	int	 rc;
	guint	 i;

	to = join_addresses(m->to);
	cc = join_addresses(m->cc);
	reply_to = join_addresses(m->reply_to);
	refs = join_strings(m->references);
	machine = machine_summary(m);
	rc = db_exec(st, "recording a message", cause, "INSERT INTO message "
	    "(case_id, direction, area, mailbox_id, uidvalidity, uid, "
	    "message_id, sha256, size, raw, subject, from_addr, from_name, "
	    "reply_to, to_addrs, cc_addrs, date, in_reply_to, refs, body, "
	    "body_source, machine, quarantine, verdict, received_at) VALUES "
	    "(NULLIF(?, 0), 'in', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?)",
	    "itiiuttinttttttittttttti", case_id, o->area, o->mailbox_id,
	    (gint64)o->uidvalidity, o->uid, m->message_id, m->sha256,
	    (gint64)len, len > RAW_APART ? NULL : raw, len > RAW_APART ? 0 :
	    len, m->subject,
	    m->from != NULL ? m->from->addr : NULL,
	    m->from != NULL ? m->from->name : NULL, reply_to, to, cc,
	    m->has_date ? m->date : (gint64)0, m->in_reply_to, refs, m->body,
	    body_source_name(m->body_source), machine, m->quarantine, verdict_json,
	    now);
	g_free(to);
	g_free(cc);
	g_free(reply_to);
	g_free(refs);
	g_free(machine);
	if (rc != 0)
		return (-1);
	*id = sqlite3_last_insert_rowid(st->db);
	if (len > RAW_APART && db_put_raw(st, *id, raw, len, cause) != 0)
		return (-1);
	for (i = 0; m->attachments != NULL && i < m->attachments->len; i++) {
		const struct attachment *a = g_ptr_array_index(m->attachments,
		    i);

		if (db_exec(st, "recording an attachment", cause, "INSERT "
		    "INTO attachment (message, filename, content_type, size, "
		    "sha256) VALUES (?, ?, ?, ?, ?)", "ittit", *id, a->filename,
		    a->content_type, (gint64)a->size, a->sha256) != 0)
			return (-1);
	}
	return (0);
}


int
store_alias_uid(struct store *st, const struct origin *o, gint64 row,
    gint64 now, char **cause)
{
	return (db_exec(st, "recording a copy of a message", cause, "INSERT "
	    "INTO message (case_id, direction, area, mailbox_id, uidvalidity, "
	    "uid, copy_of, message_id, sha256, size, received_at) SELECT "
	    "case_id, 'in', ?, ?, ?, ?, id, message_id, sha256, size, ? FROM "
	    "message WHERE id = ?", "tiiiii", o->area, o->mailbox_id,
	    (gint64)o->uidvalidity, (gint64)o->uid, now, row));
}

static void
add_uid(sqlite3_stmt *stmt, void *uids)
{
	guint32	uid = (guint32)sqlite3_column_int64(stmt, 0);

	g_array_append_val((GArray *)uids, uid);
}

int
store_imap_pending(struct store *st, gint64 mailbox_id, guint32 uidvalidity,
    GArray **out, char **cause)
{
	GArray	*uids = g_array_new(FALSE, FALSE, sizeof(guint32));

	*out = NULL;
	if (db_each(st, add_uid, uids, "reading the UIDs still to move on "
	    "IMAP", cause, "SELECT uid FROM message WHERE mailbox_id = ? AND "
	    "uidvalidity = ? AND imap_done = 0 ORDER BY uid", "iu", mailbox_id,
	    uidvalidity) != 0) {
		g_array_unref(uids);
		return (-1);
	}
	*out = uids;
	return (0);
}

int
store_imap_done(struct store *st, gint64 mailbox_id, guint32 uidvalidity,
    guint32 uid, char **cause)
{
	return (db_exec(st, "marking a message done on IMAP", cause, "UPDATE "
	    "message SET imap_done = 1 WHERE mailbox_id = ? AND "
	    "uidvalidity = ? AND uid = ?", "iuu", mailbox_id, uidvalidity,
	    uid));
}

int
store_case_by_message_id(struct store *st, const char *msgid,
    gint64 *case_id, char **cause)
{
	static const char what[] = "finding the case of a Message-ID";
	int		  rc;

	rc = db_int(st, case_id, what, cause, "SELECT case_id FROM message "
	    "WHERE message_id = ? AND case_id IS NOT NULL LIMIT 1", "t", msgid);
	if (rc != 0)
		return (rc);
	return (db_int(st, case_id, what, cause, "SELECT case_id FROM outbox "
	    "WHERE message_id = ? AND case_id IS NOT NULL", "t", msgid));
}

int
store_case_last_in(struct store *st, gint64 case_id, const char *addr,
    char **msgid, char **cause)
{
	static const char what[] = "finding the case's latest message";

	if (addr == NULL)
		return (db_text(st, msgid, what, cause, "SELECT message_id "
		    "FROM message WHERE case_id = ? AND direction = 'in' AND "
		    "copy_of IS NULL AND message_id IS NOT NULL ORDER BY id "
		    "DESC LIMIT 1", "i", case_id));
	return (db_text(st, msgid, what, cause, "SELECT message_id FROM "
	    "message WHERE case_id = ? AND direction = 'in' AND copy_of IS "
	    "NULL AND message_id IS NOT NULL AND address_key(from_addr) = "
	    "address_key(?) ORDER BY id DESC LIMIT 1", "it", case_id, addr));
}

static gpointer
raw_from_row(sqlite3_stmt *stmt)
{
	return (g_bytes_new(sqlite3_column_blob(stmt, 0),
	    sqlite3_column_bytes(stmt, 0)));
}

int
store_case_raw_messages(struct store *st, gint64 case_id, GPtrArray **out,
    char **cause)
{
	return (db_list(st, out, raw_from_row, (GDestroyNotify)g_bytes_unref,
	    "reading the case's messages", cause, "SELECT raw, at FROM "
	    "(SELECT " RAW_OF("m") " AS raw, received_at AS at, id FROM "
	    "message m WHERE case_id = ?1 AND " RAW_OF("m") " IS NOT NULL "
	    "UNION ALL SELECT raw, "
	    "created_at, id + 1000000000 FROM outbox WHERE case_id = ?1) "
	    "ORDER BY at, rowid", "i", case_id));
}

int
store_in_hand_attempts(struct store *st, const struct origin *o,
    int *earlier, char **cause)
{
	gint64	n;

	*earlier = 0;
	if (db_int(st, &n, "reading the in-hand marker", cause, "SELECT "
	    "attempts FROM in_hand WHERE mailbox_id = ? AND uidvalidity = ? "
	    "AND uid = ?", "iuu", o->mailbox_id, o->uidvalidity, o->uid) == -1)
		return (-1);
	*earlier = (int)n;
	return (0);
}

int
store_in_hand(struct store *st, const struct origin *o, gint64 now,
    int *earlier, char **cause)
{
	if (store_in_hand_attempts(st, o, earlier, cause) != 0)
		return (-1);
	return (db_exec(st, "marking a message in hand", cause, "INSERT INTO "
	    "in_hand (mailbox_id, uidvalidity, uid, attempts, since) VALUES "
	    "(?, ?, ?, 1, ?) ON CONFLICT (mailbox_id, uidvalidity, uid) DO "
	    "UPDATE SET attempts = attempts + 1", "iuui", o->mailbox_id,
	    o->uidvalidity, o->uid, now));
}

int
store_in_hand_clear(struct store *st, const struct origin *o, char **cause)
{
	return (db_exec(st, "clearing the in-hand marker", cause, "DELETE "
	    "FROM in_hand WHERE mailbox_id = ? AND uidvalidity = ? AND "
	    "uid = ?", "iuu", o->mailbox_id, o->uidvalidity, o->uid));
}

int
store_in_hand_forget(struct store *st, const struct cursor *c, char **cause)
{
	return (db_exec(st, "clearing old in-hand markers", cause, "DELETE "
	    "FROM in_hand WHERE mailbox_id = ? AND uidvalidity <> ?", "iu",
	    c->mailbox_id, c->uidvalidity));
}

int
store_message_add_raw(struct store *st, const struct origin *o,
    GBytes *raw, const char *sha256, const char *quarantine, gint64 now,
    gint64 *id, char **cause)
{
	gsize		 len;
	const char	*data = g_bytes_get_data(raw, &len);
	int		 rc;

	rc = db_exec(st, "recording a quarantined message", cause, "INSERT "
	    "INTO message (direction, area, mailbox_id, uidvalidity, uid, "
	    "sha256, size, raw, quarantine, received_at) VALUES ('in', ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?)", "tiiutinti", o->area, o->mailbox_id,
	    (gint64)o->uidvalidity, o->uid, sha256, (gint64)len,
	    len > RAW_APART ? NULL : data != NULL ? data : "",
	    len > RAW_APART ? (size_t)0 : (size_t)len, quarantine, now);
	if (rc != 0)
		return (-1);
	*id = sqlite3_last_insert_rowid(st->db);
	if (len > RAW_APART && db_put_raw(st, *id, data, len, cause) != 0)
		return (-1);
	return (0);
}

static gpointer
quarantined_from_row(sqlite3_stmt *stmt)
{
	struct quarantined *q = g_new0(struct quarantined, 1);

	q->id = sqlite3_column_int64(stmt, 0);
	q->area = db_column_text(stmt, 1);
	q->mailbox = db_column_text(stmt, 2);
	q->uid = (guint32)sqlite3_column_int64(stmt, 3);
	q->size = sqlite3_column_int64(stmt, 4);
	q->sha256 = db_column_text(stmt, 5);
	q->reason = db_column_text(stmt, 6);
	q->received_at = sqlite3_column_int64(stmt, 7);
	return (q);
}

void
quarantined_free(struct quarantined *q)
{
	if (q == NULL)
		return;
	g_free(q->area);
	g_free(q->mailbox);
	g_free(q->sha256);
	g_free(q->reason);
	g_free(q);
}

int
store_quarantined(struct store *st, GPtrArray **out, char **cause)
{
	return (db_list(st, out, quarantined_from_row,
	    (GDestroyNotify)quarantined_free, "listing quarantined messages",
	    cause, "SELECT m.id, m.area, b.name, m.uid, m.size, m.sha256, "
	    "m.quarantine, m.received_at FROM message m LEFT JOIN mailbox b "
	    "ON b.id = m.mailbox_id WHERE m.direction = 'in' AND "
	    "m.quarantine IS NOT NULL AND m.copy_of IS NULL ORDER BY m.id",
	    ""));
}

int
store_message_raw(struct store *st, gint64 row, GBytes **raw, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*raw = NULL;
	rc = db_row(st, &stmt, "reading a message", cause, "SELECT "
	    RAW_OF("m") " FROM message m WHERE m.id = ? AND " RAW_OF("m")
	    " IS NOT NULL", "i", row);
	if (rc != 1)
		return (rc);
	*raw = raw_from_row(stmt);
	db_reset(stmt);
	return (1);
}

int
store_outage_get(struct store *st, const char *area, gint64 *since,
    gint64 *notified_at, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*since = *notified_at = 0;
	rc = db_row(st, &stmt, "reading an Area's outage", cause, "SELECT "
	    "since, coalesce(notified_at, 0) FROM area_outage WHERE area = ?",
	    "t", area);
	if (rc != 1)
		return (rc);
	*since = sqlite3_column_int64(stmt, 0);
	*notified_at = sqlite3_column_int64(stmt, 1);
	db_reset(stmt);
	return (1);
}

int
store_outage_set(struct store *st, const char *area, gint64 since,
    const char *error, gint64 notified_at, char **cause)
{
	return (db_exec(st, "recording an Area's outage", cause, "INSERT "
	    "INTO area_outage (area, since, error, notified_at) VALUES (?, ?, "
	    "?, NULLIF(?, 0)) ON CONFLICT (area) DO UPDATE SET error = "
	    "excluded.error, notified_at = excluded.notified_at", "titi",
	    area, since, error, notified_at));
}

int
store_outage_clear(struct store *st, const char *area, char **cause)
{
	return (db_exec(st, "clearing an Area's outage", cause, "DELETE FROM "
	    "area_outage WHERE area = ?", "t", area));
}
