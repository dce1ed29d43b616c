/*
 * store.c: the SQLite database: schema, migrations, and every query.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

struct store {
	sqlite3		*db;
	char		*path;
	gboolean	 in_transaction;
};

/*
 * Schema migrations, applied in order from the database's user_version.
 * Never edit a released step: add a new one.
 */
static const char *const migrations[] = {
	/* 1: the foundation. */
	"CREATE TABLE mailbox ("
	"  id INTEGER PRIMARY KEY,"
	"  area TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  uidvalidity INTEGER NOT NULL DEFAULT 0,"
	"  last_uid INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (area, name));"
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  ref TEXT NOT NULL UNIQUE,"
	"  area TEXT NOT NULL,"
	"  year INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  category TEXT NOT NULL DEFAULT '-',"
	"  state TEXT NOT NULL,"
	"  language TEXT NOT NULL DEFAULT 'en',"
	"  flags TEXT NOT NULL DEFAULT '',"
	"  handler TEXT,"
	"  outcome TEXT,"
	"  opened_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  closed_at INTEGER,"
	"  UNIQUE (area, year, seq));"
	"CREATE TABLE message ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER REFERENCES cases(id),"
	"  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
	"  area TEXT,"
	"  mailbox_id INTEGER REFERENCES mailbox(id),"
	"  uidvalidity INTEGER,"
	"  uid INTEGER,"
	"  copy_of INTEGER REFERENCES message(id),"
	"  message_id TEXT,"
	"  sha256 TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  raw BLOB,"
	"  subject TEXT,"
	"  from_addr TEXT,"
	"  from_name TEXT,"
	"  reply_to TEXT,"
	"  to_addrs TEXT,"
	"  cc_addrs TEXT,"
	"  date INTEGER,"
	"  in_reply_to TEXT,"
	"  refs TEXT,"
	"  body TEXT,"
	"  body_source TEXT,"
	"  machine TEXT,"
	"  quarantine TEXT,"
	"  verdict TEXT,"
	"  received_at INTEGER NOT NULL,"
	"  imap_done INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (mailbox_id, uidvalidity, uid));"
	"CREATE INDEX message_by_message_id ON message(message_id);"
	"CREATE INDEX message_by_sha256 ON message(sha256);"
	"CREATE INDEX message_by_case ON message(case_id);"
	"CREATE TABLE attachment ("
	"  id INTEGER PRIMARY KEY,"
	"  message INTEGER NOT NULL REFERENCES message(id) ON DELETE CASCADE,"
	"  filename TEXT NOT NULL,"
	"  content_type TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL);"
	"CREATE TABLE party ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL,"
	"  name TEXT,"
	"  email TEXT,"
	"  relationship TEXT,"
	"  authority TEXT,"
	"  contact_restriction TEXT NOT NULL DEFAULT 'none');"
	"CREATE TABLE event ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER REFERENCES cases(id),"
	"  message INTEGER REFERENCES message(id),"
	"  at INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  detail TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX event_by_case ON event(case_id);"
	"CREATE TRIGGER event_append_only BEFORE UPDATE ON event BEGIN"
	"  SELECT RAISE(ABORT, 'the event log is append-only'); END;"
	"CREATE TABLE deadline ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  start TEXT NOT NULL,"
	"  working_days INTEGER NOT NULL,"
	"  due TEXT NOT NULL,"
	"  derivation TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open',"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER REFERENCES cases(id),"
	"  area TEXT,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  answers INTEGER REFERENCES message(id),"
	"  template TEXT NOT NULL,"
	"  envelope_from TEXT NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued'"
	"    CHECK (state IN ('queued', 'sent', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox(state, next_attempt);"
	"CREATE TABLE outbox_rcpt ("
	"  id INTEGER PRIMARY KEY,"
	"  outbox INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,"
	"  address TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued'"
	"    CHECK (state IN ('queued', 'sent', 'tempfail', 'failed')),"
	"  code INTEGER,"
	"  reply TEXT,"
	"  UNIQUE (outbox, address));"
	"CREATE INDEX outbox_rcpt_by_address ON outbox_rcpt(address);",

	/* 2: the case lifecycle. A deadline may be paused (awaiting
	 * authority) and extended (holding letters); drafts wait for
	 * coordinator QA; reminders are remembered so each goes once. */
	"ALTER TABLE cases ADD COLUMN stage INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE deadline ADD COLUMN paused_from TEXT;"
	"ALTER TABLE deadline ADD COLUMN paused_to TEXT;"
	"ALTER TABLE deadline ADD COLUMN extra_days INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE deadline ADD COLUMN extra_why TEXT;"
	"CREATE INDEX deadline_open ON deadline(state, due);"
	"CREATE TABLE draft ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  stage INTEGER NOT NULL,"
	"  author TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  findings TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending', 'approved', 'returned')),"
	"  created_at INTEGER NOT NULL,"
	"  decided_at INTEGER,"
	"  decided_by TEXT);"
	"CREATE TABLE reminder ("
	"  id INTEGER PRIMARY KEY,"
	"  deadline INTEGER NOT NULL REFERENCES deadline(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  sent_at INTEGER NOT NULL,"
	"  UNIQUE (deadline, kind));",
};

static int
store_fail(struct store *st, const char *what, char **cause)
{
	*cause = g_strdup_printf("database %s: %s: %s", st->path, what,
	    sqlite3_errmsg(st->db));
	return (-1);
}

static sqlite3_stmt *
prepare(struct store *st, const char *sql, char **cause)
{
	sqlite3_stmt	*stmt;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_fail(st, "preparing a query", cause);
		return (NULL);
	}
	return (stmt);
}

/*
 * Bind parameters from a format: 'i' gint64, 'u' guint32, 't' text (NULL
 * binds NULL), 'b' GBytes, 'n' const char * + size_t (blob).
 */
static void
bindv(sqlite3_stmt *stmt, const char *fmt, va_list ap)
{
	int		 i;
	const char	*s;
	GBytes		*b;
	gsize		 len;
	gconstpointer	 data;

	for (i = 1; *fmt != '\0'; fmt++, i++) {
		switch (*fmt) {
		case 'i':
			sqlite3_bind_int64(stmt, i, va_arg(ap, gint64));
			break;
		case 'u':
			sqlite3_bind_int64(stmt, i, va_arg(ap, guint32));
			break;
		case 't':
			s = va_arg(ap, const char *);
			if (s == NULL)
				sqlite3_bind_null(stmt, i);
			else
				sqlite3_bind_text(stmt, i, s, -1,
				    SQLITE_TRANSIENT);
			break;
		case 'b':
			b = va_arg(ap, GBytes *);
			data = g_bytes_get_data(b, &len);
			sqlite3_bind_blob64(stmt, i, data, len,
			    SQLITE_TRANSIENT);
			break;
		case 'n':
			s = va_arg(ap, const char *);
			len = va_arg(ap, size_t);
			sqlite3_bind_blob64(stmt, i, s, len, SQLITE_TRANSIENT);
			break;
		default:
			g_assert_not_reached();
		}
	}
}

/* Run a statement that returns no rows. */
static int
exec(struct store *st, char **cause, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;
	int		 rc;

	if ((stmt = prepare(st, sql, cause)) == NULL)
		return (-1);
	va_start(ap, fmt);
	bindv(stmt, fmt, ap);
	va_end(ap);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return (store_fail(st, "writing", cause));
	return (0);
}

/* Run a query for one integer (the first column of the first row); 0 for
 * no row or on error (the finders' "none"). */
static gint64
query_int(struct store *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;
	gint64		 v = 0;
	char		*cause = NULL;

	if ((stmt = prepare(st, sql, &cause)) == NULL) {
		g_free(cause);
		return (0);
	}
	va_start(ap, fmt);
	bindv(stmt, fmt, ap);
	va_end(ap);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return (v);
}

/* Likewise for one text value; NULL for none. Caller frees. */
static char *
query_text(struct store *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;
	char		*v = NULL;
	char		*cause = NULL;

	if ((stmt = prepare(st, sql, &cause)) == NULL) {
		g_free(cause);
		return (NULL);
	}
	va_start(ap, fmt);
	bindv(stmt, fmt, ap);
	va_end(ap);
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		v = g_strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return (v);
}

static int
migrate(struct store *st, char **cause)
{
	gint64		 version;
	size_t		 i;
	char		*errmsg = NULL;

	version = query_int(st, "PRAGMA user_version", "");
	if (version > (gint64)G_N_ELEMENTS(migrations)) {
		*cause = g_strdup_printf("database %s has schema version %"
		    G_GINT64_FORMAT ", newer than this redress knows (%d): "
		    "run the newer redress or restore a backup", st->path,
		    version, STORE_SCHEMA_VERSION);
		return (-1);
	}
	for (i = version; i < G_N_ELEMENTS(migrations); i++) {
		char	*sql;

		sql = g_strdup_printf("BEGIN IMMEDIATE; %s PRAGMA "
		    "user_version = %zu; COMMIT;", migrations[i], i + 1);
		if (sqlite3_exec(st->db, sql, NULL, NULL, &errmsg) !=
		    SQLITE_OK) {
			*cause = g_strdup_printf("database %s: migrating to "
			    "schema version %zu failed: %s", st->path, i + 1,
			    errmsg);
			sqlite3_free(errmsg);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			g_free(sql);
			return (-1);
		}
		g_free(sql);
	}
	return (0);
}

int
store_open(const char *path, struct store **out, char **cause)
{
	struct store	*st;
	int		 fd;
	char		*errmsg = NULL;

	/* Create it 0600 ourselves: SQLite would use the umask. */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1 && errno == EISDIR) {
		*cause = g_strdup_printf("cannot open database %s: it is a "
		    "directory: set database to the path of a file", path);
		return (-1);
	}
	if (fd == -1) {
		*cause = g_strdup_printf("cannot open database %s: %s: check "
		    "that its directory exists and is writable by redress",
		    path, g_strerror(errno));
		return (-1);
	}
	close(fd);

	st = g_new0(struct store, 1);
	st->path = g_strdup(path);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		store_fail(st, "opening", cause);
		store_close(st);
		return (-1);
	}
	sqlite3_busy_timeout(st->db, 10000);
	if (sqlite3_exec(st->db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;",
	    NULL, NULL, &errmsg) != SQLITE_OK) {
		*cause = g_strdup_printf("database %s: %s: is it a redress "
		    "database, and is its directory writable?", path, errmsg);
		sqlite3_free(errmsg);
		store_close(st);
		return (-1);
	}
	if (migrate(st, cause) != 0) {
		store_close(st);
		return (-1);
	}
	*out = st;
	return (0);
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	sqlite3_close(st->db);
	g_free(st->path);
	g_free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return (st->db);
}

int
store_begin(struct store *st, char **cause)
{
	if (exec(st, cause, "BEGIN IMMEDIATE", "") != 0)
		return (-1);
	st->in_transaction = TRUE;
	return (0);
}

int
store_commit(struct store *st, char **cause)
{
	if (exec(st, cause, "COMMIT", "") != 0)
		return (-1);
	st->in_transaction = FALSE;
	return (0);
}

void
store_rollback(struct store *st)
{
	if (!st->in_transaction)
		return;
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_transaction = FALSE;
}

int
store_cursor_get(struct store *st, const char *area, const char *mailbox,
    struct cursor *c, char **cause)
{
	sqlite3_stmt	*stmt;

	if (exec(st, cause, "INSERT OR IGNORE INTO mailbox (area, name) "
	    "VALUES (?, ?)", "tt", area, mailbox) != 0)
		return (-1);
	stmt = prepare(st, "SELECT id, uidvalidity, last_uid FROM mailbox "
	    "WHERE area = ? AND name = ?", cause);
	if (stmt == NULL)
		return (-1);
	sqlite3_bind_text(stmt, 1, area, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, mailbox, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return (store_fail(st, "reading the mailbox cursor", cause));
	}
	c->mailbox_id = sqlite3_column_int64(stmt, 0);
	c->uidvalidity = (guint32)sqlite3_column_int64(stmt, 1);
	c->last_uid = (guint32)sqlite3_column_int64(stmt, 2);
	sqlite3_finalize(stmt);
	return (0);
}

int
store_cursor_set(struct store *st, const struct cursor *c, char **cause)
{
	return (exec(st, cause, "UPDATE mailbox SET uidvalidity = ?, "
	    "last_uid = ? WHERE id = ?", "uui", c->uidvalidity, c->last_uid,
	    c->mailbox_id));
}

gint64
store_message_by_uid(struct store *st, const struct origin *o)
{
	return (query_int(st, "SELECT id FROM message WHERE mailbox_id = ? "
	    "AND uidvalidity = ? AND uid = ?", "iuu", o->mailbox_id,
	    o->uidvalidity, o->uid));
}

gint64
store_message_by_content(struct store *st, const char *message_id,
    const char *sha256)
{
	if (message_id == NULL)
		return (query_int(st, "SELECT id FROM message WHERE "
		    "direction = 'in' AND message_id IS NULL AND sha256 = ? "
		    "AND copy_of IS NULL", "t", sha256));
	return (query_int(st, "SELECT id FROM message WHERE direction = 'in' "
	    "AND message_id = ? AND sha256 = ? AND copy_of IS NULL", "tt",
	    message_id, sha256));
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
	rc = exec(st, cause, "INSERT INTO message (case_id, direction, area, "
	    "mailbox_id, uidvalidity, uid, message_id, sha256, size, raw, "
	    "subject, from_addr, from_name, reply_to, to_addrs, cc_addrs, "
	    "date, in_reply_to, refs, body, body_source, machine, quarantine, "
	    "verdict, received_at) VALUES (NULLIF(?, 0), 'in', ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "itiiuttinttttttittttttti", case_id, o->area, o->mailbox_id,
	    (gint64)o->uidvalidity, o->uid, m->message_id, m->sha256,
	    (gint64)len, raw, len, m->subject,
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
	for (i = 0; m->attachments != NULL && i < m->attachments->len; i++) {
		const struct attachment *a = g_ptr_array_index(m->attachments,
		    i);

		if (exec(st, cause, "INSERT INTO attachment (message, "
		    "filename, content_type, size, sha256) VALUES "
		    "(?, ?, ?, ?, ?)", "ittit", *id, a->filename,
		    a->content_type, (gint64)a->size, a->sha256) != 0)
			return (-1);
	}
	return (0);
}

int
store_alias_uid(struct store *st, const struct origin *o, gint64 row,
    gint64 now, char **cause)
{
	return (exec(st, cause, "INSERT INTO message (case_id, direction, "
	    "area, mailbox_id, uidvalidity, uid, copy_of, message_id, sha256, "
	    "size, received_at) SELECT case_id, 'in', ?, ?, ?, ?, id, "
	    "message_id, sha256, size, ? FROM message WHERE id = ?", "tiiiii",
	    o->area, o->mailbox_id, (gint64)o->uidvalidity, (gint64)o->uid,
	    now, row));
}

GArray *
store_imap_pending(struct store *st, gint64 mailbox_id, guint32 uidvalidity)
{
	GArray		*uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	sqlite3_stmt	*stmt;
	char		*cause = NULL;

	stmt = prepare(st, "SELECT uid FROM message WHERE mailbox_id = ? AND "
	    "uidvalidity = ? AND imap_done = 0 ORDER BY uid", &cause);
	if (stmt == NULL) {
		g_free(cause);
		return (uids);
	}
	sqlite3_bind_int64(stmt, 1, mailbox_id);
	sqlite3_bind_int64(stmt, 2, uidvalidity);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		guint32	uid = (guint32)sqlite3_column_int64(stmt, 0);

		g_array_append_val(uids, uid);
	}
	sqlite3_finalize(stmt);
	return (uids);
}

int
store_imap_done(struct store *st, gint64 mailbox_id, guint32 uidvalidity,
    guint32 uid, char **cause)
{
	return (exec(st, cause, "UPDATE message SET imap_done = 1 WHERE "
	    "mailbox_id = ? AND uidvalidity = ? AND uid = ?", "iuu",
	    mailbox_id, uidvalidity, uid));
}

int
store_case_open(struct store *st, const char *area, int year,
    const char *kind, const char *category, const char *state,
    const char *language, gint64 now, gint64 *case_id, char **ref,
    char **cause)
{
	gint64	 seq;

	seq = query_int(st, "SELECT COALESCE(MAX(seq), 0) + 1 FROM cases "
	    "WHERE area = ? AND year = ?", "ti", area, (gint64)year);
	*ref = g_strdup_printf("%s-%d-%05" G_GINT64_FORMAT, area, year, seq);
	if (exec(st, cause, "INSERT INTO cases (ref, area, year, seq, kind, "
	    "category, state, language, opened_at, updated_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ttiittttii", *ref, area,
	    (gint64)year, seq, kind, category, state, language, now,
	    now) != 0) {
		g_free(*ref);
		*ref = NULL;
		return (-1);
	}
	*case_id = sqlite3_last_insert_rowid(st->db);
	return (0);
}

gint64
store_case_by_ref(struct store *st, const char *ref)
{
	return (query_int(st, "SELECT id FROM cases WHERE ref = ?", "t",
	    ref));
}

gint64
store_case_by_message_id(struct store *st, const char *msgid)
{
	gint64	id;

	id = query_int(st, "SELECT case_id FROM message WHERE message_id = ? "
	    "AND case_id IS NOT NULL LIMIT 1", "t", msgid);
	if (id == 0)
		id = query_int(st, "SELECT case_id FROM outbox WHERE "
		    "message_id = ? AND case_id IS NOT NULL", "t", msgid);
	return (id);
}

gint64
store_outbox_by_message_id(struct store *st, const char *msgid,
    gint64 *case_id)
{
	*case_id = query_int(st, "SELECT COALESCE(case_id, 0) FROM outbox "
	    "WHERE message_id = ?", "t", msgid);
	return (query_int(st, "SELECT id FROM outbox WHERE message_id = ?",
	    "t", msgid));
}

char *
store_case_ref(struct store *st, gint64 case_id)
{
	return (query_text(st, "SELECT ref FROM cases WHERE id = ?", "i",
	    case_id));
}

char *
store_case_state(struct store *st, gint64 case_id)
{
	return (query_text(st, "SELECT state FROM cases WHERE id = ?", "i",
	    case_id));
}

int
store_case_set_state(struct store *st, gint64 case_id, const char *state,
    gint64 now, char **cause)
{
	return (exec(st, cause, "UPDATE cases SET state = ?, updated_at = ?, "
	    "closed_at = CASE WHEN ? = 'closed' THEN ? ELSE closed_at END "
	    "WHERE id = ?", "titii", state, now, state, now, case_id));
}

int
store_case_add_flag(struct store *st, gint64 case_id, const char *flag,
    gint64 now, char **cause)
{
	return (exec(st, cause, "UPDATE cases SET flags = CASE WHEN "
	    "instr(' ' || flags || ' ', ' ' || ?1 || ' ') > 0 THEN flags "
	    "WHEN flags = '' THEN ?1 ELSE flags || ' ' || ?1 END, "
	    "updated_at = ?2 WHERE id = ?3", "tii", flag, now, case_id));
}

int
store_party_add(struct store *st, gint64 case_id, const struct party *p,
    char **cause)
{
	return (exec(st, cause, "INSERT INTO party (case_id, role, name, "
	    "email, relationship, authority, contact_restriction) VALUES "
	    "(?, ?, ?, ?, ?, ?, COALESCE(?, 'none'))", "itttttt", case_id,
	    p->role, p->name, p->email, p->relationship, p->authority,
	    p->contact_restriction));
}

int
store_event(struct store *st, gint64 case_id, gint64 message_row,
    gint64 now, const char *kind, const char *detail, char **cause)
{
	return (exec(st, cause, "INSERT INTO event (case_id, message, at, "
	    "kind, detail) VALUES (NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?)",
	    "iiitt", case_id, message_row, now, kind,
	    detail != NULL ? detail : ""));
}

int
store_deadline_add(struct store *st, gint64 case_id, const char *kind,
    const char *start, int working_days, const char *due,
    const char *derivation, const char *paused_from, gint64 now,
    char **cause)
{
	return (exec(st, cause, "INSERT INTO deadline (case_id, kind, start, "
	    "working_days, due, derivation, paused_from, created_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?)", "ittittti", case_id, kind, start,
	    (gint64)working_days, due, derivation, paused_from, now));
}

int
store_outbox_add(struct store *st, const struct outbox_item *o, gint64 now,
    gint64 *id, char **cause)
{
	guint	i;

	if (exec(st, cause, "INSERT INTO outbox (case_id, area, message_id, "
	    "answers, template, envelope_from, raw, next_attempt, created_at) "
	    "VALUES (NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?)",
	    "ittittbii", o->case_id, o->area, o->message_id, o->answers,
	    o->template, o->envelope_from, o->raw, now, now) != 0)
		return (-1);
	*id = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < o->recipients->len; i++) {
		if (exec(st, cause, "INSERT OR IGNORE INTO outbox_rcpt "
		    "(outbox, address) VALUES (?, ?)", "it", *id,
		    g_ptr_array_index(o->recipients, i)) != 0)
			return (-1);
	}
	return (0);
}

int
store_answers_to(struct store *st, const char *addr, gint64 since)
{
	return ((int)query_int(st, "SELECT COUNT(*) FROM outbox_rcpt r JOIN "
	    "outbox o ON o.id = r.outbox WHERE r.address = ? AND "
	    "o.created_at >= ? AND o.answers IS NOT NULL", "ti", addr,
	    since));
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

static char *
column_strdup(sqlite3_stmt *stmt, int col)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return (NULL);
	return (g_strdup((const char *)sqlite3_column_text(stmt, col)));
}

GPtrArray *
store_outbox_due(struct store *st, gint64 now, char **cause)
{
	GPtrArray	*due;
	sqlite3_stmt	*stmt, *rcpt;
	guint		 i;

	stmt = prepare(st, "SELECT id, COALESCE(case_id, 0), area, "
	    "message_id, template, envelope_from, attempts, raw FROM outbox "
	    "WHERE state = 'queued' AND next_attempt <= ? ORDER BY id", cause);
	if (stmt == NULL)
		return (NULL);
	rcpt = prepare(st, "SELECT address FROM outbox_rcpt WHERE outbox = ? "
	    "AND state IN ('queued', 'tempfail') ORDER BY id", cause);
	if (rcpt == NULL) {
		sqlite3_finalize(stmt);
		return (NULL);
	}
	due = g_ptr_array_new_with_free_func((GDestroyNotify)outbox_due_free);
	sqlite3_bind_int64(stmt, 1, now);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct outbox_due *d = g_new0(struct outbox_due, 1);

		d->id = sqlite3_column_int64(stmt, 0);
		d->case_id = sqlite3_column_int64(stmt, 1);
		d->area = column_strdup(stmt, 2);
		d->message_id = column_strdup(stmt, 3);
		d->template = column_strdup(stmt, 4);
		d->envelope_from = column_strdup(stmt, 5);
		d->attempts = sqlite3_column_int(stmt, 6);
		d->raw = g_bytes_new(sqlite3_column_blob(stmt, 7),
		    sqlite3_column_bytes(stmt, 7));
		d->recipients = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(due, d);
	}
	sqlite3_finalize(stmt);
	for (i = 0; i < due->len; i++) {
		struct outbox_due *d = g_ptr_array_index(due, i);

		sqlite3_reset(rcpt);
		sqlite3_bind_int64(rcpt, 1, d->id);
		while (sqlite3_step(rcpt) == SQLITE_ROW)
			g_ptr_array_add(d->recipients, column_strdup(rcpt, 0));
	}
	sqlite3_finalize(rcpt);
	return (due);
}

int
store_outbox_rcpt(struct store *st, gint64 outbox_id, const char *addr,
    const char *state, int code, const char *reply, char **cause)
{
	return (exec(st, cause, "UPDATE outbox_rcpt SET state = ?, code = ?, "
	    "reply = ? WHERE outbox = ? AND address = ?", "titit", state,
	    (gint64)code, reply, outbox_id, addr));
}

int
store_outbox_finish(struct store *st, gint64 outbox_id, const char *state,
    gint64 next_attempt, const char *error, gint64 now, char **cause)
{
	return (exec(st, cause, "UPDATE outbox SET state = ?, attempts = "
	    "attempts + 1, next_attempt = ?, last_error = ?, sent_at = CASE "
	    "WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?", "tittii",
	    state, next_attempt, error, state, now, outbox_id));
}

gint64
store_outbox_next_attempt(struct store *st)
{
	return (query_int(st, "SELECT COALESCE(MIN(next_attempt), 0) FROM "
	    "outbox WHERE state = 'queued'", ""));
}

struct case_row *
store_case_get(struct store *st, gint64 case_id)
{
	struct case_row	*c;
	sqlite3_stmt	*stmt;
	char		*cause = NULL;

	stmt = prepare(st, "SELECT id, ref, area, kind, category, state, "
	    "language, flags, handler, outcome, stage FROM cases WHERE id = ?",
	    &cause);
	if (stmt == NULL) {
		g_free(cause);
		return (NULL);
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return (NULL);
	}
	c = g_new0(struct case_row, 1);
	c->id = sqlite3_column_int64(stmt, 0);
	c->ref = column_strdup(stmt, 1);
	c->area = column_strdup(stmt, 2);
	c->kind = column_strdup(stmt, 3);
	c->category = column_strdup(stmt, 4);
	c->state = column_strdup(stmt, 5);
	c->language = column_strdup(stmt, 6);
	c->flags = column_strdup(stmt, 7);
	c->handler = column_strdup(stmt, 8);
	c->outcome = column_strdup(stmt, 9);
	c->stage = sqlite3_column_int(stmt, 10);
	sqlite3_finalize(stmt);
	return (c);
}

void
case_row_free(struct case_row *c)
{
	if (c == NULL)
		return;
	g_free(c->ref);
	g_free(c->area);
	g_free(c->kind);
	g_free(c->category);
	g_free(c->state);
	g_free(c->language);
	g_free(c->flags);
	g_free(c->handler);
	g_free(c->outcome);
	g_free(c);
}

int
store_case_set(struct store *st, gint64 case_id, const char *field,
    const char *value, gint64 now, char **cause)
{
	static const char *const fields[] = { "kind", "category", "handler",
	    "outcome", "language" };
	char	*sql;
	size_t	 i;
	int	 rc;

	/* The column name cannot be a bound parameter: only these. */
	for (i = 0; i < G_N_ELEMENTS(fields); i++) {
		if (strcmp(field, fields[i]) == 0)
			break;
	}
	g_assert(i < G_N_ELEMENTS(fields));
	sql = g_strdup_printf("UPDATE cases SET %s = ?, updated_at = ? WHERE "
	    "id = ?", fields[i]);
	rc = exec(st, cause, sql, "tii", value, now, case_id);
	g_free(sql);
	return (rc);
}

int
store_case_set_stage(struct store *st, gint64 case_id, int stage,
    gint64 now, char **cause)
{
	return (exec(st, cause, "UPDATE cases SET stage = ?, updated_at = ? "
	    "WHERE id = ?", "iii", (gint64)stage, now, case_id));
}

struct party_row *
store_case_correspondent(struct store *st, gint64 case_id)
{
	struct party_row *p;
	sqlite3_stmt	*stmt;
	char		*cause = NULL;

	stmt = prepare(st, "SELECT role, name, email, relationship, "
	    "authority, contact_restriction FROM party WHERE case_id = ? AND "
	    "role IN ('complainant', 'representative') ORDER BY id LIMIT 1",
	    &cause);
	if (stmt == NULL) {
		g_free(cause);
		return (NULL);
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return (NULL);
	}
	p = g_new0(struct party_row, 1);
	p->role = column_strdup(stmt, 0);
	p->name = column_strdup(stmt, 1);
	p->email = column_strdup(stmt, 2);
	p->relationship = column_strdup(stmt, 3);
	p->authority = column_strdup(stmt, 4);
	p->contact_restriction = column_strdup(stmt, 5);
	sqlite3_finalize(stmt);
	return (p);
}

void
party_row_free(struct party_row *p)
{
	if (p == NULL)
		return;
	g_free(p->role);
	g_free(p->name);
	g_free(p->email);
	g_free(p->relationship);
	g_free(p->authority);
	g_free(p->contact_restriction);
	g_free(p);
}

int
store_party_set_authority(struct store *st, gint64 case_id,
    const char *authority, char **cause)
{
	return (exec(st, cause, "UPDATE party SET authority = ? WHERE "
	    "case_id = ? AND role = 'representative'", "ti", authority,
	    case_id));
}

gint64
store_sender_open_case(struct store *st, const char *email, gint64 since)
{
	if (query_int(st, "SELECT COUNT(DISTINCT c.id) FROM cases c JOIN "
	    "party p ON p.case_id = c.id WHERE lower(p.email) = lower(?) AND "
	    "c.state != 'closed' AND c.opened_at >= ?", "ti", email,
	    since) != 1)
		return (0);
	return (query_int(st, "SELECT c.id FROM cases c JOIN party p ON "
	    "p.case_id = c.id WHERE lower(p.email) = lower(?) AND c.state != "
	    "'closed' AND c.opened_at >= ?", "ti", email, since));
}

char *
store_case_last_in(struct store *st, gint64 case_id, const char *addr)
{
	if (addr == NULL)
		return (query_text(st, "SELECT message_id FROM message WHERE "
		    "case_id = ? AND direction = 'in' AND copy_of IS NULL "
		    "AND message_id IS NOT NULL ORDER BY id DESC LIMIT 1", "i",
		    case_id));
	return (query_text(st, "SELECT message_id FROM message WHERE "
	    "case_id = ? AND direction = 'in' AND copy_of IS NULL AND "
	    "message_id IS NOT NULL AND lower(from_addr) = lower(?) ORDER BY "
	    "id DESC LIMIT 1", "it", case_id, addr));
}

static struct deadline_row *
deadline_from_row(sqlite3_stmt *stmt)
{
	struct deadline_row *d = g_new0(struct deadline_row, 1);

	d->id = sqlite3_column_int64(stmt, 0);
	d->case_id = sqlite3_column_int64(stmt, 1);
	d->kind = column_strdup(stmt, 2);
	d->start = column_strdup(stmt, 3);
	d->working_days = sqlite3_column_int(stmt, 4);
	d->due = column_strdup(stmt, 5);
	d->paused_from = column_strdup(stmt, 6);
	d->paused_to = column_strdup(stmt, 7);
	d->extra_days = sqlite3_column_int(stmt, 8);
	d->extra_why = column_strdup(stmt, 9);
	d->state = column_strdup(stmt, 10);
	return (d);
}

#define DEADLINE_COLUMNS "id, case_id, kind, start, working_days, due, " \
	"paused_from, paused_to, extra_days, extra_why, state"

struct deadline_row *
store_deadline_open(struct store *st, gint64 case_id, const char *kind)
{
	struct deadline_row *d = NULL;
	sqlite3_stmt	*stmt;
	char		*cause = NULL;

	stmt = prepare(st, "SELECT " DEADLINE_COLUMNS " FROM deadline WHERE "
	    "case_id = ? AND kind = ? AND state = 'open' ORDER BY id DESC "
	    "LIMIT 1", &cause);
	if (stmt == NULL) {
		g_free(cause);
		return (NULL);
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		d = deadline_from_row(stmt);
	sqlite3_finalize(stmt);
	return (d);
}

void
deadline_row_free(struct deadline_row *d)
{
	if (d == NULL)
		return;
	g_free(d->kind);
	g_free(d->start);
	g_free(d->due);
	g_free(d->paused_from);
	g_free(d->paused_to);
	g_free(d->extra_why);
	g_free(d->state);
	g_free(d);
}

int
store_deadline_update(struct store *st, const struct deadline_row *d,
    const char *derivation, char **cause)
{
	return (exec(st, cause, "UPDATE deadline SET due = ?, derivation = ?, "
	    "paused_from = ?, paused_to = ?, extra_days = ?, extra_why = ?, "
	    "state = ? WHERE id = ?", "ttttitti", d->due, derivation,
	    d->paused_from, d->paused_to, (gint64)d->extra_days, d->extra_why,
	    d->state, d->id));
}

int
store_deadline_close(struct store *st, gint64 case_id, const char *kind,
    const char *state, char **cause)
{
	if (kind == NULL)
		return (exec(st, cause, "UPDATE deadline SET state = ? WHERE "
		    "case_id = ? AND state = 'open'", "ti", state, case_id));
	return (exec(st, cause, "UPDATE deadline SET state = ? WHERE "
	    "case_id = ? AND kind = ? AND state = 'open'", "tit", state,
	    case_id, kind));
}

GPtrArray *
store_deadlines_running(struct store *st, char **cause)
{
	GPtrArray	*list;
	sqlite3_stmt	*stmt;

	stmt = prepare(st, "SELECT " DEADLINE_COLUMNS " FROM deadline WHERE "
	    "state = 'open' AND due != '' ORDER BY due, id", cause);
	if (stmt == NULL)
		return (NULL);
	list = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)deadline_row_free);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(list, deadline_from_row(stmt));
	sqlite3_finalize(stmt);
	return (list);
}

int
store_reminder_once(struct store *st, gint64 deadline_id, const char *kind,
    gint64 now, char **cause)
{
	if (exec(st, cause, "INSERT OR IGNORE INTO reminder (deadline, kind, "
	    "sent_at) VALUES (?, ?, ?)", "iti", deadline_id, kind, now) != 0)
		return (-1);
	return (sqlite3_changes(st->db) > 0 ? 1 : 0);
}

int
store_draft_add(struct store *st, gint64 case_id, int stage,
    const char *author, const char *text, const char *findings, gint64 now,
    char **cause)
{
	/* A new draft replaces one still waiting. */
	if (exec(st, cause, "UPDATE draft SET state = 'returned', "
	    "decided_at = ?, decided_by = 'superseded' WHERE case_id = ? AND "
	    "state = 'pending'", "ii", now, case_id) != 0)
		return (-1);
	return (exec(st, cause, "INSERT INTO draft (case_id, stage, author, "
	    "text, findings, created_at) VALUES (?, ?, ?, ?, ?, ?)", "iittti",
	    case_id, (gint64)stage, author, text, findings, now));
}

struct draft_row *
store_draft_pending(struct store *st, gint64 case_id)
{
	struct draft_row *d = NULL;
	sqlite3_stmt	*stmt;
	char		*cause = NULL;

	stmt = prepare(st, "SELECT id, stage, author, text, findings FROM "
	    "draft WHERE case_id = ? AND state = 'pending' ORDER BY id DESC "
	    "LIMIT 1", &cause);
	if (stmt == NULL) {
		g_free(cause);
		return (NULL);
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		d = g_new0(struct draft_row, 1);
		d->id = sqlite3_column_int64(stmt, 0);
		d->stage = sqlite3_column_int(stmt, 1);
		d->author = column_strdup(stmt, 2);
		d->text = column_strdup(stmt, 3);
		d->findings = column_strdup(stmt, 4);
	}
	sqlite3_finalize(stmt);
	return (d);
}

void
draft_row_free(struct draft_row *d)
{
	if (d == NULL)
		return;
	g_free(d->author);
	g_free(d->text);
	g_free(d->findings);
	g_free(d);
}

int
store_draft_decide(struct store *st, gint64 draft_id, const char *state,
    const char *by, gint64 now, char **cause)
{
	return (exec(st, cause, "UPDATE draft SET state = ?, decided_at = ?, "
	    "decided_by = ? WHERE id = ?", "titi", state, now, by, draft_id));
}

static void
deadline_text_free(struct deadline_text *d)
{
	g_free(d->kind);
	g_free(d->state);
	g_free(d->due);
	g_free(d->derivation);
	g_free(d);
}

GPtrArray *
store_deadlines_of(struct store *st, gint64 case_id, char **cause)
{
	GPtrArray	*list;
	sqlite3_stmt	*stmt;

	stmt = prepare(st, "SELECT kind, state, due, derivation FROM deadline "
	    "WHERE case_id = ? ORDER BY id", cause);
	if (stmt == NULL)
		return (NULL);
	sqlite3_bind_int64(stmt, 1, case_id);
	list = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)deadline_text_free);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct deadline_text *d = g_new0(struct deadline_text, 1);

		d->kind = column_strdup(stmt, 0);
		d->state = column_strdup(stmt, 1);
		d->due = column_strdup(stmt, 2);
		d->derivation = column_strdup(stmt, 3);
		g_ptr_array_add(list, d);
	}
	sqlite3_finalize(stmt);
	return (list);
}

GPtrArray *
store_case_raw_messages(struct store *st, gint64 case_id)
{
	GPtrArray	*list = g_ptr_array_new_with_free_func(
			    (GDestroyNotify)g_bytes_unref);
	sqlite3_stmt	*stmt;
	char		*cause = NULL;

	stmt = prepare(st, "SELECT raw, at FROM (SELECT raw, received_at AS "
	    "at, id FROM message WHERE case_id = ?1 AND raw IS NOT NULL "
	    "UNION ALL SELECT raw, created_at, id + 1000000000 FROM outbox "
	    "WHERE case_id = ?1) ORDER BY at, rowid", &cause);
	if (stmt == NULL) {
		g_free(cause);
		return (list);
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_ptr_array_add(list, g_bytes_new(sqlite3_column_blob(stmt, 0),
		    sqlite3_column_bytes(stmt, 0)));
	sqlite3_finalize(stmt);
	return (list);
}

char *
store_case_history(struct store *st, gint64 case_id)
{
	GString		*s = g_string_new(NULL);
	sqlite3_stmt	*stmt;
	char		*cause = NULL;

	stmt = prepare(st, "SELECT datetime(at, 'unixepoch'), kind, detail "
	    "FROM event WHERE case_id = ? ORDER BY id", &cause);
	if (stmt == NULL) {
		g_free(cause);
		return (g_string_free(s, FALSE));
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_string_append_printf(s, "%s UTC  %s  %s\n",
		    sqlite3_column_text(stmt, 0), sqlite3_column_text(stmt, 1),
		    sqlite3_column_text(stmt, 2));
	sqlite3_finalize(stmt);
	return (g_string_free(s, FALSE));
}
