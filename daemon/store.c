/*
 * store.c: the SQLite database: open, schema and migrations,
 * transactions, the statement helpers the other store*.c files share
 * (store-private.h), mailbox cursors and the event log.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "address.h"
#include "log.h"
#include "store-private.h"

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

	/* 3: poison messages and loud outages. A UID is marked in hand
	 * (committed) before the pipeline sees it, so that a message that
	 * kills redress is recognised on the next start and quarantined
	 * instead of killing it again; an Area that cannot be served is
	 * remembered from its first failure, so its staff are told once
	 * however often redress restarts, and once more on recovery. */
	"CREATE TABLE in_hand ("
	"  mailbox_id INTEGER NOT NULL REFERENCES mailbox(id),"
	"  uidvalidity INTEGER NOT NULL,"
	"  uid INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL,"
	"  since INTEGER NOT NULL,"
	"  PRIMARY KEY (mailbox_id, uidvalidity, uid));"
	"CREATE TABLE area_outage ("
	"  area TEXT PRIMARY KEY,"
	"  since INTEGER NOT NULL,"
	"  error TEXT NOT NULL,"
	"  notified_at INTEGER);",

	/* 4: floods and loops. Automatic mail to the public, by the key of
	 * the address written to (address_key()) and the local day, for
	 * limits.auto_replies_per_day; messages that only echo our own mail,
	 * by the key of their writer, for loop detection; and the hourly
	 * rate limit's recipients by key. */
	"CREATE TABLE auto_mail ("
	"  id INTEGER PRIMARY KEY,"
	"  address TEXT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  outbox INTEGER REFERENCES outbox(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX auto_mail_by_address ON auto_mail(address, day);"
	"CREATE TABLE echo ("
	"  id INTEGER PRIMARY KEY,"
	"  address TEXT NOT NULL,"
	"  message INTEGER REFERENCES message(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX echo_by_address ON echo(address, at);"
	"CREATE INDEX outbox_rcpt_by_key ON outbox_rcpt(lower(address));",

	/* 5: lookups on the per-message path by case and by sender, which
	 * read whole tables without these (tests: test-hot-path). A
	 * party's address key is kept beside the address: an index on
	 * address_key(email) would make the table unwritable to any
	 * program without redress's SQL function. */
	"ALTER TABLE party ADD COLUMN email_key TEXT;"
	"UPDATE party SET email_key = address_key(email);"
	"CREATE INDEX party_by_case ON party(case_id);"
	"CREATE INDEX party_by_email_key ON party(email_key);"
	"CREATE INDEX deadline_by_case ON deadline(case_id);"
	"CREATE INDEX draft_by_case ON draft(case_id);"
	"CREATE INDEX attachment_by_message ON attachment(message);"
	"CREATE INDEX outbox_by_case ON outbox(case_id);",

	/* 6: the outbox cannot send twice or spin. An attempt is committed
	 * as started (stage 'sending') before the first byte goes to the
	 * relay, and as 'data-sent' just before the final dot: a row found
	 * in a stage by the next sender was interrupted, and the stage says
	 * whether the relay can have the whole message. The state stays
	 * 'queued' meanwhile (its CHECK cannot be changed in place). A relay
	 * outage is remembered so that it is told once, and its end. */
	"ALTER TABLE outbox ADD COLUMN stage TEXT"
	"  CHECK (stage IN ('sending', 'data-sent'));"
	"ALTER TABLE outbox ADD COLUMN attempt_started INTEGER;"
	"CREATE TABLE relay_outage ("
	"  id INTEGER PRIMARY KEY,"
	"  since INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  failures INTEGER NOT NULL DEFAULT 1,"
	"  noticed_at INTEGER,"
	"  ended_at INTEGER);",

	/* 7: learning from staff. Every #kind and #category is a labelled
	 * example: the case's first message, the label, who and when;
	 * `redress train --from-store` learns from them, and they go with
	 * the message when it is purged. */
	"CREATE TABLE correction ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  message INTEGER REFERENCES message(id) ON DELETE CASCADE,"
	"  field TEXT NOT NULL CHECK (field IN ('kind', 'category')),"
	"  label TEXT NOT NULL,"
	"  by TEXT NOT NULL,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX correction_by_case ON correction(case_id);",

	/* 8: a large raw message apart, alone in its row, written in
	 * pieces (incremental blob I/O): SQLite would otherwise build the
	 * whole row, the message in it, in memory a second time. */
	"CREATE TABLE message_raw ("
	"  message INTEGER PRIMARY KEY REFERENCES message(id)"
	"    ON DELETE CASCADE,"
	"  raw BLOB NOT NULL);"
	/* The sender looks for rows left mid-attempt each time it starts. */
	"CREATE INDEX outbox_in_stage ON outbox(id) WHERE stage IS NOT NULL;",
};

/* What the operator can do about an SQLite error, by its primary code. */
static const char *
db_advice(int code)
{
	switch (code & 0xff) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return (": the file is damaged: stop redressd and restore it "
		    "from a backup");
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return (": another program holds it locked: is a second "
		    "redressd running?");
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return (": check the disk, and that the file and its "
		    "directory are writable by redress");
	case SQLITE_ERROR:
		return (": is it a redress database with its schema intact? "
		    "if not, restore it from a backup");
	default:
		return ("");
	}
}

int
db_fail(struct store *st, const char *what, char **cause)
{
	*cause = g_strdup_printf("database %s: %s: %s%s", st->path, what,
	    sqlite3_errmsg(st->db), db_advice(sqlite3_errcode(st->db)));
	return (-1);
}

static int
bindv(sqlite3_stmt *stmt, const char *fmt, va_list ap)
{
	int		 i, rc = SQLITE_OK;
	const char	*s;
	GBytes		*b;
	gsize		 len;
	gconstpointer	 data;

	for (i = 1; *fmt != '\0' && rc == SQLITE_OK; fmt++, i++) {
		switch (*fmt) {
		case 'i':
			rc = sqlite3_bind_int64(stmt, i, va_arg(ap, gint64));
			break;
		case 'u':
			rc = sqlite3_bind_int64(stmt, i, va_arg(ap, guint32));
			break;
		case 't':
			s = va_arg(ap, const char *);
			if (s == NULL)
				rc = sqlite3_bind_null(stmt, i);
			else
				rc = sqlite3_bind_text(stmt, i, s, -1,
				    SQLITE_TRANSIENT);
			break;
		case 'b':
			b = va_arg(ap, GBytes *);
			data = g_bytes_get_data(b, &len);
			rc = sqlite3_bind_blob64(stmt, i, data, len,
			    SQLITE_STATIC);
			break;
		case 'n':
			s = va_arg(ap, const char *);
			len = va_arg(ap, size_t);
			rc = sqlite3_bind_blob64(stmt, i, s, len,
			    SQLITE_STATIC);
			break;
		default:
			g_assert_not_reached();
		}
	}
	return (rc);
}

static sqlite3_stmt *
db_stmtv(struct store *st, const char *what, char **cause, const char *sql,
    const char *fmt, va_list ap)
{
	sqlite3_stmt	*stmt;

	if ((stmt = g_hash_table_lookup(st->stmts, sql)) == NULL) {
		if (sqlite3_prepare_v3(st->db, sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
			db_fail(st, what, cause);
			return (NULL);
		}
		g_hash_table_insert(st->stmts, g_strdup(sql), stmt);
	}
	if (bindv(stmt, fmt, ap) != SQLITE_OK) {
		db_fail(st, what, cause);
		db_reset(stmt);
		return (NULL);
	}
	return (stmt);
}

sqlite3_stmt *
db_stmt(struct store *st, const char *what, char **cause, const char *sql,
    const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;

	va_start(ap, fmt);
	stmt = db_stmtv(st, what, cause, sql, fmt, ap);
	va_end(ap);
	return (stmt);
}

int
db_step(struct store *st, sqlite3_stmt *stmt, const char *what,
    char **cause)
{
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		return (1);
	case SQLITE_DONE:
		return (0);
	default:
		return (db_fail(st, what, cause));
	}
}

void
db_reset(sqlite3_stmt *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

static int
db_rowv(struct store *st, sqlite3_stmt **out, const char *what,
    char **cause, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*out = NULL;
	if ((stmt = db_stmtv(st, what, cause, sql, fmt, ap)) == NULL)
		return (-1);
	if ((rc = db_step(st, stmt, what, cause)) != 1) {
		db_reset(stmt);
		return (rc);
	}
	*out = stmt;
	return (1);
}

int
db_row(struct store *st, sqlite3_stmt **out, const char *what, char **cause,
    const char *sql, const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = db_rowv(st, out, what, cause, sql, fmt, ap);
	va_end(ap);
	return (rc);
}

int
db_exec(struct store *st, const char *what, char **cause, const char *sql,
    const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;
	int		 rc;

	va_start(ap, fmt);
	rc = db_rowv(st, &stmt, what, cause, sql, fmt, ap);
	va_end(ap);
	if (rc == 1)
		db_reset(stmt);
	return (rc == -1 ? -1 : 0);
}

int
db_int(struct store *st, gint64 *v, const char *what, char **cause,
    const char *sql, const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;
	int		 rc;

	va_start(ap, fmt);
	rc = db_rowv(st, &stmt, what, cause, sql, fmt, ap);
	va_end(ap);
	*v = 0;
	if (rc == 1) {
		*v = sqlite3_column_int64(stmt, 0);
		db_reset(stmt);
	}
	return (rc);
}

int
db_text(struct store *st, char **v, const char *what, char **cause,
    const char *sql, const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;
	int		 rc;

	va_start(ap, fmt);
	rc = db_rowv(st, &stmt, what, cause, sql, fmt, ap);
	va_end(ap);
	*v = NULL;
	if (rc == 1) {
		if ((*v = db_column_text(stmt, 0)) == NULL)
			rc = 0;
		db_reset(stmt);
	}
	return (rc);
}

static int
db_eachv(struct store *st, db_each_fn fn, void *arg, const char *what,
    char **cause, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if ((stmt = db_stmtv(st, what, cause, sql, fmt, ap)) == NULL)
		return (-1);
	while ((rc = db_step(st, stmt, what, cause)) == 1)
		fn(stmt, arg);
	db_reset(stmt);
	return (rc);
}

int
db_each(struct store *st, db_each_fn fn, void *arg, const char *what,
    char **cause, const char *sql, const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = db_eachv(st, fn, arg, what, cause, sql, fmt, ap);
	va_end(ap);
	return (rc);
}

struct db_list {
	db_row_fn	 fn;
	GPtrArray	*list;
};

static void
db_list_add(sqlite3_stmt *stmt, void *arg)
{
	struct db_list	*l = arg;

	g_ptr_array_add(l->list, l->fn(stmt));
}

int
db_list(struct store *st, GPtrArray **out, db_row_fn fn, GDestroyNotify free_fn,
    const char *what, char **cause, const char *sql, const char *fmt, ...)
{
	struct db_list	 l;
	va_list		 ap;
	int		 rc;

	l.fn = fn;
	l.list = g_ptr_array_new_with_free_func(free_fn);
	va_start(ap, fmt);
	rc = db_eachv(st, db_list_add, &l, what, cause, sql, fmt, ap);
	va_end(ap);
	if (rc == -1) {
		g_ptr_array_unref(l.list);
		*out = NULL;
		return (-1);
	}
	*out = l.list;
	return (0);
}

char *
db_column_text(sqlite3_stmt *stmt, int col)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return (NULL);
	return (g_strdup((const char *)sqlite3_column_text(stmt, col)));
}

static int
migrate(struct store *st, char **cause)
{
	gint64		 version, app_id;
	size_t		 i;
	char		*errmsg = NULL, *sql;

	if (db_int(st, &version, "reading the schema version", cause,
	    "PRAGMA user_version", "") == -1)
		return (-1);
	if (version > (gint64)G_N_ELEMENTS(migrations)) {
		*cause = g_strdup_printf("database %s has schema version %"
		    G_GINT64_FORMAT ", newer than this redress knows (%d): "
		    "run the newer redress or restore a backup", st->path,
		    version, STORE_SCHEMA_VERSION);
		return (-1);
	}
	for (i = version; i < G_N_ELEMENTS(migrations); i++) {
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
	/* An older redress database, adopted (check_ours()): ours from
	 * now on. */
	if (db_int(st, &app_id, "reading the application id", cause,
	    "PRAGMA application_id", "") == -1)
		return (-1);
	if (app_id == STORE_APPLICATION_ID)
		return (0);
	sql = g_strdup_printf("PRAGMA application_id = %d;",
	    STORE_APPLICATION_ID);
	if (sqlite3_exec(st->db, sql, NULL, NULL, &errmsg) != SQLITE_OK) {
		*cause = g_strdup_printf("database %s: setting the application "
		    "id: %s", st->path, errmsg);
		sqlite3_free(errmsg);
		g_free(sql);
		return (-1);
	}
	g_free(sql);
	return (0);
}

static void
stmt_free(gpointer stmt)
{
	sqlite3_finalize(stmt);
}

/*
 * SQL address_key(x): address.h's key, so that queries compare addresses
 * as the rest of redress does (case, quotes, IDN forms); NULL for NULL.
 */
static void
sql_address_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*text;
	char			*key;

	if (argc != 1 || (text = sqlite3_value_text(argv[0])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	key = address_key((const char *)text);
	sqlite3_result_text(ctx, key, -1, g_free);
}

/* What to do about a file that is not a usable redress database. */
#define NOT_OURS_ADVICE "restore it from a backup or move it aside; " \
	"redress creates a new database only where no file exists"

/* A handle on path, not yet set up; NULL with *cause. */
static struct store *
store_handle(const char *path, char **cause)
{
	struct store	*st;

	st = g_new0(struct store, 1);
	st->path = g_strdup(path);
	st->stmts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    stmt_free);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		db_fail(st, "opening", cause);
		store_close(st);
		return (NULL);
	}
	sqlite3_busy_timeout(st->db, 10000);
	if (sqlite3_create_function(st->db, "address_key", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, sql_address_key, NULL,
	    NULL) != SQLITE_OK) {
		db_fail(st, "registering address_key() with", cause);
		store_close(st);
		return (NULL);
	}
	return (st);
}

/*
 * Whether an existing file is redress's, read without writing to it: 0
 * when it is (or is an older redress database from before
 * application_id, which migrate() adopts), -1 with *cause naming the file
 * and what to do when it is empty, not SQLite, or another program's.
 */
static int
check_ours(struct store *st, char **cause)
{
	gint64	 app_id, version, tables;
	char	*ignored = NULL;

	if (db_int(st, &app_id, "reading the application id", &ignored,
	    "PRAGMA application_id", "") == -1 ||
	    db_int(st, &version, "reading the schema version", &ignored,
	    "PRAGMA user_version", "") == -1) {
		*cause = g_strdup_printf("database %s is not an SQLite "
		    "database (%s): %s", st->path, sqlite3_errmsg(st->db),
		    NOT_OURS_ADVICE);
		g_free(ignored);
		return (-1);
	}
	if (app_id == STORE_APPLICATION_ID)
		return (0);
	if (app_id == 0 && version > 0) {
		/* Older redress databases had no application id: the
		 * tables every version has say it is one of ours. */
		if (db_int(st, &tables, "reading the schema", cause,
		    "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' "
		    "AND name IN ('mailbox', 'cases', 'message', 'outbox', "
		    "'event')", "") == -1)
			return (-1);
		if (tables == 5)
			return (0);
	}
	*cause = g_strdup_printf("database %s is an SQLite database of "
	    "another program (application id %" G_GINT64_FORMAT ", schema "
	    "version %" G_GINT64_FORMAT "), not redress's: %s", st->path,
	    app_id, version, NOT_OURS_ADVICE);
	return (-1);
}

/*
 * A new database at path, where no file exists: made complete under a
 * temporary name and linked into place, so that a half-made one is never
 * seen and two redress starting at once do not both make one (the
 * second's link fails and it opens the first's). 0, or -1 with *cause.
 */
static int
store_create(const char *path, char **cause)
{
	struct store	*st;
	char		*tmp, *sql;
	int		 fd, rc = -1;

	tmp = g_strdup_printf("%s.new.XXXXXX", path);
	/* Made 0600 here: SQLite would use the umask. */
	if ((fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0600)) == -1) {
		*cause = g_strdup_printf("cannot create database %s: %s: check "
		    "that its directory exists and is writable by redress",
		    path, g_strerror(errno));
		g_free(tmp);
		return (-1);
	}
	close(fd);
	if ((st = store_handle(tmp, cause)) == NULL)
		goto out;
	sql = g_strdup_printf("PRAGMA application_id = %d;",
	    STORE_APPLICATION_ID);
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		db_fail(st, "setting the application id", cause);
	else if (migrate(st, cause) == 0)
		rc = 0;
	g_free(sql);
	store_close(st);
	if (rc == 0) {
		if (link(tmp, path) == 0)
			log_info("created new database %s", path);
		else if (errno != EEXIST) {
			*cause = g_strdup_printf("cannot create database %s: "
			    "%s: check that its directory is writable by "
			    "redress", path, g_strerror(errno));
			rc = -1;
		}
		/* EEXIST: another start made it first; open theirs. */
	}
out:
	unlink(tmp);
	g_free(tmp);
	return (rc);
}

int
store_open(const char *path, struct store **out, char **cause)
{
	struct store	*st;
	struct stat	 sb;
	char		*errmsg = NULL;

	*out = NULL;
	if (stat(path, &sb) == -1 && errno == ENOENT) {
		if (store_create(path, cause) != 0)
			return (-1);
	}
	if (stat(path, &sb) == -1) {
		*cause = g_strdup_printf("cannot open database %s: %s: check "
		    "that its directory exists and is writable by redress",
		    path, g_strerror(errno));
		return (-1);
	}
	if (S_ISDIR(sb.st_mode)) {
		*cause = g_strdup_printf("cannot open database %s: it is a "
		    "directory: set database to the path of a file", path);
		return (-1);
	}
	/* SQLite takes an empty file for an empty database: a truncated
	 * one would be replaced, and case references issued again. */
	if (sb.st_size == 0) {
		*cause = g_strdup_printf("database %s is an empty file, not a "
		    "redress database: %s", path, NOT_OURS_ADVICE);
		return (-1);
	}

	if ((st = store_handle(path, cause)) == NULL)
		return (-1);
	if (check_ours(st, cause) != 0) {
		store_close(st);
		return (-1);
	}
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
	/* Statements first: SQLite will not close with any left. */
	g_hash_table_destroy(st->stmts);
	sqlite3_close(st->db);
	g_free(st->path);
	g_free(st);
}

static gboolean
scans_unbounded(const char *detail, const char *const *bounded)
{
	const char	*table, *index;
	size_t		 n;

	/* "SCAN t", "SCAN t USING INDEX i": both read every row of t.
	 * "SEARCH t USING ..." and "SCAN CONSTANT ROW" do not. */
	if (!g_str_has_prefix(detail, "SCAN ") ||
	    strcmp(detail, "SCAN CONSTANT ROW") == 0)
		return (FALSE);
	table = detail + strlen("SCAN ");
	n = strcspn(table, " ");
	index = strstr(table, " INDEX ");
	for (; bounded != NULL && *bounded != NULL; bounded++) {
		if (strlen(*bounded) == n && strncmp(table, *bounded, n) == 0)
			return (FALSE);
		/* a partial index over few rows, named as bounded */
		if (index != NULL && strncmp(index + strlen(" INDEX "),
		    *bounded, strlen(*bounded)) == 0)
			return (FALSE);
	}
	return (TRUE);
}

int
store_scans(struct store *st, const char *const *bounded, GPtrArray **out,
    char **cause)
{
	GHashTableIter	 it;
	gpointer	 sql;
	sqlite3_stmt	*plan;
	char		*explain;
	int		 rc;

	*out = g_ptr_array_new_with_free_func(g_free);
	g_hash_table_iter_init(&it, st->stmts);
	while (g_hash_table_iter_next(&it, &sql, NULL)) {
		explain = g_strconcat("EXPLAIN QUERY PLAN ", sql, NULL);
		rc = sqlite3_prepare_v2(st->db, explain, -1, &plan, NULL);
		g_free(explain);
		if (rc != SQLITE_OK) {
			db_fail(st, "explaining a query", cause);
			g_clear_pointer(out, g_ptr_array_unref);
			return (-1);
		}
		while (sqlite3_step(plan) == SQLITE_ROW) {
			const char *detail = (const char *)
			    sqlite3_column_text(plan, 3);

			if (detail != NULL &&
			    scans_unbounded(detail, bounded))
				g_ptr_array_add(*out, g_strdup_printf("%s: %s",
				    detail, (const char *)sql));
		}
		sqlite3_finalize(plan);
	}
	return (0);
}

int
store_begin(struct store *st, char **cause)
{
	if (db_exec(st, "starting a transaction", cause, "BEGIN IMMEDIATE",
	    "") != 0)
		return (-1);
	st->in_transaction = TRUE;
	st->transactions++;
	return (0);
}

int
db_put_raw(struct store *st, gint64 message, const char *data, size_t len,
    char **cause)
{
	sqlite3_blob	*blob = NULL;
	size_t		 at, n;

	if (db_exec(st, "keeping a large message", cause, "INSERT INTO "
	    "message_raw (message, raw) VALUES (?, zeroblob(?))", "ii",
	    message, (gint64)len) != 0)
		return (-1);
	if (sqlite3_blob_open(st->db, "main", "message_raw", "raw",
	    sqlite3_last_insert_rowid(st->db), 1, &blob) != SQLITE_OK)
		goto fail;
	for (at = 0; at < len; at += n) {
		n = MIN(len - at, 256 * 1024);
		if (sqlite3_blob_write(blob, data + at, (int)n, (int)at) !=
		    SQLITE_OK)
			goto fail;
	}
	if (sqlite3_blob_close(blob) != SQLITE_OK) {
		blob = NULL;
		goto fail;
	}
	return (0);
fail:
	db_fail(st, "writing a large message", cause);
	if (blob != NULL)
		sqlite3_blob_close(blob);
	return (-1);
}

int
store_savepoint(struct store *st, char **cause)
{
	return (db_exec(st, "starting a message's savepoint", cause,
	    "SAVEPOINT message", ""));
}

int
store_savepoint_release(struct store *st, char **cause)
{
	return (db_exec(st, "keeping a message's changes", cause,
	    "RELEASE message", ""));
}

int
store_savepoint_undo(struct store *st, char **cause)
{
	if (db_exec(st, "undoing a message's changes", cause,
	    "ROLLBACK TO message", "") != 0)
		return (-1);
	return (store_savepoint_release(st, cause));
}

gint64
store_transactions(const struct store *st)
{
	return (st->transactions);
}

int
store_commit(struct store *st, char **cause)
{
	if (db_exec(st, "committing", cause, "COMMIT", "") != 0)
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
	int		 rc;

	if (db_exec(st, "adding a mailbox cursor", cause, "INSERT OR IGNORE "
	    "INTO mailbox (area, name) VALUES (?, ?)", "tt", area,
	    mailbox) != 0)
		return (-1);
	rc = db_row(st, &stmt, "reading the mailbox cursor", cause, "SELECT "
	    "id, uidvalidity, last_uid FROM mailbox WHERE area = ? AND "
	    "name = ?", "tt", area, mailbox);
	if (rc == 0)
		return (db_fail(st, "reading the mailbox cursor just added",
		    cause));
	if (rc == -1)
		return (-1);
	c->mailbox_id = sqlite3_column_int64(stmt, 0);
	c->uidvalidity = (guint32)sqlite3_column_int64(stmt, 1);
	c->last_uid = (guint32)sqlite3_column_int64(stmt, 2);
	db_reset(stmt);
	return (0);
}

int
store_cursor_set(struct store *st, const struct cursor *c, char **cause)
{
	return (db_exec(st, "saving the mailbox cursor", cause, "UPDATE "
	    "mailbox SET uidvalidity = ?, last_uid = ? WHERE id = ?", "uui",
	    c->uidvalidity, c->last_uid, c->mailbox_id));
}

int
store_event(struct store *st, gint64 case_id, gint64 message_row,
    gint64 now, const char *kind, const char *detail, char **cause)
{
	return (db_exec(st, "recording an event", cause, "INSERT INTO event "
	    "(case_id, message, at, kind, detail) VALUES (NULLIF(?, 0), "
	    "NULLIF(?, 0), ?, ?, ?)", "iiitt", case_id, message_row, now, kind,
	    detail != NULL ? detail : ""));
}

static void
history_line(sqlite3_stmt *stmt, void *arg)
{
	g_string_append_printf(arg, "%s UTC  %s  %s\n",
	    sqlite3_column_text(stmt, 0), sqlite3_column_text(stmt, 1),
	    sqlite3_column_text(stmt, 2));
}

int
store_case_history(struct store *st, gint64 case_id, char **text,
    char **cause)
{
	GString	*s = g_string_new(NULL);

	*text = NULL;
	if (db_each(st, history_line, s, "reading the case's events", cause,
	    "SELECT datetime(at, 'unixepoch'), kind, detail FROM event WHERE "
	    "case_id = ? ORDER BY id", "i", case_id) != 0) {
		g_string_free(s, TRUE);
		return (-1);
	}
	*text = g_string_free(s, FALSE);
	return (0);
}
