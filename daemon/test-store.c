/*
 * test-store.c: the SQLite store as the daemon and operators rely on it:
 * a private file, a versioned schema, idempotent ingest, case numbering,
 * the append-only event log, the outbox, deadlines and drafts, and
 * lookups that tell a database error from "not found" (TAP). What the
 * store wrote is read back through its own functions or through a
 * second connection to the file (peek), as another program would.
 */
#include <sys/stat.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <sqlite3.h>

#include "store.h"
#include "store-report.h"
#include "tests/tap.h"

#define NOW	((gint64)1767225600)	/* 2026-01-01 00:00:00 UTC */

static const char msg_text[] =
    "From: Alice Example <alice@example.org>\r\n"
    "To: london.complaints@cps.example\r\n"
    "Subject: A complaint\r\n"
    "Message-ID: <m1@example.org>\r\n"
    "Date: Thu, 01 Jan 2026 09:00:00 +0000\r\n"
    "\r\n"
    "I wish to complain about how my case was handled.\r\n";

static char	*dir;		/* the temporary directory */
static char	*cause;		/* errors of calls whose result is checked
				   by reading back; shown on failure */
static sqlite3	*peek;		/* our own connection to the file */

static void
peek_open(const char *path)
{
	if (sqlite3_open_v2(path, &peek, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		printf("Bail out! cannot open %s: %s\n", path,
		    sqlite3_errmsg(peek));
		exit(1);
	}
	sqlite3_busy_timeout(peek, 10000);
}

static void
peek_close(void)
{
	sqlite3_close(peek);
	peek = NULL;
}

/* Run SQL on the peek connection: TRUE when it worked. */
static gboolean
peek_exec(const char *sql)
{
	char	*errmsg = NULL;

	if (sqlite3_exec(peek, sql, NULL, NULL, &errmsg) == SQLITE_OK)
		return (TRUE);
	printf("# %s\n", errmsg);
	sqlite3_free(errmsg);
	return (FALSE);
}

/* The first column of the first row as an integer; -1 for no row. */
static gint64
sql_int(const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;
	char		*sql;
	gint64		 v = -1;

	va_start(ap, fmt);
	sql = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(peek, sql, -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			v = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
	}
	g_free(sql);
	return (v);
}

static gint64
file_size(const char *path)
{
	struct stat	sb;

	return (stat(path, &sb) == 0 ? (gint64)sb.st_size : -1);
}

static int
file_mode(const char *path)
{
	struct stat	sb;

	return (stat(path, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1);
}

static char *
in_dir(const char *name)
{
	return (g_build_filename(dir, name, NULL));
}

static void
show_cause(void)
{
	if (cause != NULL)
		printf("# %s\n", cause);
	g_free(cause);
	cause = NULL;
}

static struct store *
open_or_die(const char *path)
{
	struct store	*st = NULL;

	if (!ok(store_open(path, &st, &cause) == 0, "store_open %s", path)) {
		show_cause();
		exit(1);
	}
	return (st);
}

/* store_open must refuse path, naming it and saying what to do. */
static void
refused(const char *path, const char *advice, const char *what)
{
	struct store	*st = NULL;

	ok(store_open(path, &st, &cause) == -1 && st == NULL, "%s: refused",
	    what);
	ok(cause != NULL && strstr(cause, path) != NULL &&
	    strstr(cause, advice) != NULL, "%s: the message names the file "
	    "and says what to do", what);
	show_cause();
}

static gint64
case_open(struct store *st, const char *area, int year, const char *want)
{
	char	*ref = NULL;
	gint64	 id = 0;

	store_case_open(st, area, year, KIND_COMPLAINT, CATEGORY_NONE,
	    CASE_RECEIVED, LANGUAGE_EN, NOW, &id, &ref, &cause);
	if (!ok(ref != NULL && strcmp(ref, want) == 0, "case opened as %s",
	    want))
		printf("#   got: %s\n", ref ? ref : "(null)");
	g_free(ref);
	return (id);
}

static void
test_open(void)
{
	static const struct party nobody = { "complainant", "N", "n@example",
	    NULL, NULL, NULL };
	struct store	*st;
	struct case_row	*c;
	char		*path, *wal, *p;
	mode_t		 old_mask;
	gint64		 id, found;

	path = in_dir("redress.db");
	wal = in_dir("redress.db-wal");
	old_mask = umask(022);
	st = open_or_die(path);
	ok(file_mode(path) == 0600, "a new database is 0600 under umask 022");
	ok(file_mode(wal) == 0600, "so is its WAL file");
	umask(old_mask);
	peek_open(path);
	ok(sql_int("SELECT journal_mode = 'wal' FROM pragma_journal_mode")
	    == 1, "journal_mode is wal");
	ok(sql_int("PRAGMA user_version") == STORE_SCHEMA_VERSION,
	    "user_version is %d", STORE_SCHEMA_VERSION);
	ok(store_party_add(st, 999, &nobody, &cause) == -1 && cause != NULL &&
	    strstr(cause, "FOREIGN KEY") != NULL, "foreign keys are on: a "
	    "party of no case is refused");
	show_cause();
	id = case_open(st, "LON", 2026, "LON-2026-00001");
	store_close(st);
	st = open_or_die(path);
	ok(sql_int("PRAGMA user_version") == STORE_SCHEMA_VERSION &&
	    store_case_by_ref(st, "LON-2026-00001", &found, &cause) == 1 &&
	    found == id, "opening again keeps the schema and the data");
	store_close(st);

	ok(sql_int("PRAGMA application_id") == STORE_APPLICATION_ID,
	    "a new database carries redress's application id");

	/* Undo migrations 2 and later by hand, and the application id: a
	 * database as version 1 left it, before there was an id. */
	ok(peek_exec("DROP TABLE auto_mail; DROP TABLE echo; "
	    "DROP INDEX outbox_rcpt_by_key; PRAGMA application_id = 0; "
	    "DROP TABLE in_hand; DROP TABLE area_outage; "
	    "DROP INDEX party_by_case; DROP INDEX party_by_email_key; "
	    "ALTER TABLE party DROP COLUMN email_key; "
	    "DROP INDEX deadline_by_case; DROP INDEX attachment_by_message; "
	    "DROP INDEX outbox_by_case; "
	    "DROP TABLE relay_outage; DROP TABLE correction; "
	    "DROP TABLE message_raw; "
	    "DROP INDEX outbox_in_stage; "
	    "ALTER TABLE outbox DROP COLUMN attempt_started; "
	    "ALTER TABLE outbox DROP COLUMN stage; "
	    "DROP TABLE reminder; DROP TABLE draft; "
	    "DROP INDEX deadline_open; "
	    "ALTER TABLE deadline DROP COLUMN extra_why; "
	    "ALTER TABLE deadline DROP COLUMN extra_days; "
	    "ALTER TABLE deadline DROP COLUMN paused_to; "
	    "ALTER TABLE deadline DROP COLUMN paused_from; "
	    "ALTER TABLE cases DROP COLUMN stage; "
	    "PRAGMA user_version = 1;"),
	    "turned the database back into schema version 1");
	st = open_or_die(path);
	ok(sql_int("PRAGMA user_version") == STORE_SCHEMA_VERSION,
	    "migrated to version %d", STORE_SCHEMA_VERSION);
	ok(sql_int("PRAGMA application_id") == STORE_APPLICATION_ID,
	    "an older redress database without the id is adopted");
	ok(sql_int("SELECT count(*) FROM sqlite_schema WHERE type = "
	    "'table' AND name IN ('auto_mail', 'echo')") == 2,
	    "the auto_mail and echo tables exist");
	ok(sql_int("SELECT count(*) FROM pragma_table_info('deadline') "
	    "WHERE name IN ('paused_from', 'paused_to', 'extra_days', "
	    "'extra_why')") == 4, "deadline has the pause/extension columns");
	ok(sql_int("SELECT count(*) FROM sqlite_schema WHERE type = "
	    "'table' AND name IN ('draft', 'reminder')") == 2,
	    "the draft and reminder tables exist");
	ok(store_case_get(st, id, &c, &cause) == 1 && c->stage == 1,
	    "the old case is kept, at stage 1");
	case_row_free(c);
	store_close(st);
	ok(peek_exec("PRAGMA user_version = 99"),
	    "set schema version 99 by hand");
	peek_close();
	refused(path, "run the newer redress or restore a backup",
	    "a newer schema");
	g_free(wal);
	g_free(path);

	p = in_dir("missing/redress.db");
	refused(p, "check that its directory exists", "missing directory");
	g_free(p);
	p = in_dir("adir");
	g_mkdir(p, 0700);
	refused(p, "set database to the path of a file", "a directory");
	g_free(p);
	p = in_dir("junk.db");
	g_file_set_contents(p, "Not an SQLite database, but long enough for "
	    "SQLite to read a whole header from it and say so.\n", -1, NULL);
	refused(p, "restore it from a backup or move it aside", "not a "
	    "database");
	g_free(p);

	/* A truncated database must not become a new one: its case
	 * references would be issued again. */
	p = in_dir("empty.db");
	g_file_set_contents(p, "", 0, NULL);
	refused(p, "redress creates a new database only where no file "
	    "exists", "an empty file");
	ok(file_size(p) == 0, "the empty file is left as it was");
	g_free(p);

	p = in_dir("short.db");
	g_file_set_contents(p, "\x13\x37junk", -1, NULL);
	refused(p, "restore it from a backup or move it aside", "a few bytes "
	    "of junk");
	g_free(p);

	p = in_dir("other.db");
	peek_open(p);
	ok(peek_exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text);"
	    "INSERT INTO notes (text) VALUES ('x');"), "made another "
	    "program's SQLite database");
	peek_close();
	refused(p, "another program", "another program's database");
	peek_open(p);
	ok(sql_int("SELECT count(*) FROM sqlite_schema") == 1 &&
	    sql_int("PRAGMA user_version") == 0, "and it is left as it was");
	peek_close();
	g_free(p);

	p = in_dir("other-versioned.db");
	peek_open(p);
	ok(peek_exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text);"
	    "PRAGMA user_version = 1;"), "made another program's database "
	    "with a schema version");
	peek_close();
	refused(p, "another program", "another program's versioned database");
	g_free(p);
}

/* The UIDs waiting for their IMAP move, as "1 2 3". */
static void
check_pending(struct store *st, gint64 mailbox, guint32 uidvalidity,
    const char *want, const char *what)
{
	GArray	*uids = NULL;
	GString	*got = g_string_new(NULL);
	guint	 i;

	if (store_imap_pending(st, mailbox, uidvalidity, &uids, &cause) != 0) {
		ok(0, "%s: %s", what, cause);
		show_cause();
		g_string_free(got, TRUE);
		return;
	}
	for (i = 0; i < uids->len; i++)
		g_string_append_printf(got, "%s%u", i ? " " : "",
		    g_array_index(uids, guint32, i));
	is_str(got->str, want, what);
	g_string_free(got, TRUE);
	g_array_unref(uids);
}

static void
test_messages(struct store *st)
{
	struct parse_limits limits = PARSE_LIMITS_DEFAULT;
	struct message	*m = NULL;
	struct cursor	 c, c2, w;
	struct origin	 o, o2;
	gint64		 id, dup, alias, found;

	ok(store_cursor_get(st, "LON", "INBOX", &c, &cause) == 0 &&
	    c.mailbox_id > 0 && c.uidvalidity == 0 && c.last_uid == 0,
	    "a new cursor starts at (0, 0)");
	c.uidvalidity = 7;
	c.last_uid = 42;
	ok(store_cursor_set(st, &c, &cause) == 0, "cursor set");
	store_cursor_get(st, "LON", "INBOX", &c2, &cause);
	ok(c2.mailbox_id == c.mailbox_id && c2.uidvalidity == 7 &&
	    c2.last_uid == 42, "the cursor is kept");
	store_cursor_get(st, "WAL", "INBOX", &w, &cause);
	ok(w.mailbox_id != c.mailbox_id && w.uidvalidity == 0 &&
	    w.last_uid == 0, "another Area's INBOX has its own cursor");
	store_cursor_get(st, "LON", "Other", &c2, &cause);
	ok(c2.mailbox_id != c.mailbox_id && c2.last_uid == 0,
	    "another mailbox of the Area has its own cursor");

	if (message_parse(msg_text, strlen(msg_text), &limits, &m, &cause))
		abort();
	o = (struct origin){ "LON", c.mailbox_id, 7, 43 };
	found = -1;
	ok(store_message_by_uid(st, &o, &found, &cause) == 0 && found == 0,
	    "UID not yet stored: 0, and the row is 0");
	ok(store_message_add_in(st, &o, msg_text, strlen(msg_text), m, NULL,
	    0, NOW, &id, &cause) == 0 && id > 0, "message stored");
	ok(store_message_by_uid(st, &o, &found, &cause) == 1 && found == id,
	    "found by its UID");
	ok(sql_int("SELECT count(*) FROM message WHERE id = %"
	    G_GINT64_FORMAT " AND subject = 'A complaint' AND from_addr = "
	    "'alice@example.org' AND length(raw) = %zu", id,
	    strlen(msg_text)) == 1, "its parsed fields and raw bytes are kept");
	ok(store_message_add_in(st, &o, msg_text, strlen(msg_text), m, NULL,
	    0, NOW, &dup, &cause) == -1 && cause != NULL &&
	    strstr(cause, "UNIQUE") != NULL, "the same UID twice is refused");
	show_cause();
	ok(store_message_by_content(st, "m1@example.org", m->sha256, &found,
	    &cause) == 1 && found == id, "found by Message-ID and hash");
	ok(store_message_by_content(st, "m1@example.org", "00000000000000000"
	    "00000000000000000000000000000000000000000000000", &found,
	    &cause) == 0 && found == 0, "not found with another hash");
	ok(store_message_by_content(st, NULL, m->sha256, &found, &cause) == 0,
	    "nor without a Message-ID");

	o2 = (struct origin){ "WAL", w.mailbox_id, 9, 5 };
	ok(store_alias_uid(st, &o2, id, NOW, &cause) == 0, "alias recorded");
	store_message_by_uid(st, &o2, &alias, &cause);
	ok(alias != 0 && alias != id && sql_int("SELECT copy_of FROM "
	    "message WHERE id = %" G_GINT64_FORMAT, alias) == id,
	    "the other Area's UID is recorded as a copy");
	ok(store_message_by_content(st, "m1@example.org", m->sha256, &found,
	    &cause) == 1 && found == id, "by content still gives the "
	    "original");

	check_pending(st, c.mailbox_id, 7, "43", "UID 43 waits for IMAP");
	ok(store_imap_done(st, c.mailbox_id, 7, 43, &cause) == 0, "imap done");
	check_pending(st, c.mailbox_id, 7, "", "nothing waits after it");
	check_pending(st, w.mailbox_id, 9, "5", "the copy's UID waits too");
	message_free(m);
}

static void
test_cases(struct store *st, gint64 *open_case)
{
	static const struct party alice = { "complainant", "Alice",
	    "alice@example.org", NULL, NULL, NULL };
	struct case_row	 sentinel, *c;
	struct party_row *p;
	enum case_state	 state;
	char		*s, *ref = NULL;
	gint64		 id1, id2, id3, id, found;

	id1 = case_open(st, "LON", 2026, "LON-2026-00001");
	id2 = case_open(st, "LON", 2026, "LON-2026-00002");
	id3 = case_open(st, "WAL", 2026, "WAL-2026-00001");
	case_open(st, "LON", 2027, "LON-2027-00001");
	ok(store_case_by_ref(st, "LON-2026-00002", &found, &cause) == 1 &&
	    found == id2, "found by ref");
	ok(store_case_by_ref(st, "LON-2026-00099", &found, &cause) == 0 &&
	    found == 0, "unknown ref: 0");
	c = &sentinel;
	ok(store_case_get(st, id3 + 100, &c, &cause) == 0 && c == NULL,
	    "unknown case: 0, and no row");
	ok(store_case_ref(st, id3, &s, &cause) == 1 && s != NULL &&
	    strcmp(s, "WAL-2026-00001") == 0, "a case's reference");
	g_free(s);
	ok(store_case_ref(st, id3 + 100, &s, &cause) == 0 && s == NULL,
	    "unknown case: no reference");

	store_rollback(st);	/* none open: harmless */
	store_begin(st, &cause);
	store_case_open(st, "LON", 2026, KIND_COMPLAINT, CATEGORY_NONE,
	    CASE_RECEIVED, LANGUAGE_EN, NOW, &id, &ref, &cause);
	store_rollback(st);
	ok(ref != NULL && store_case_by_ref(st, ref, &found, &cause) == 0,
	    "a rolled back case is gone");
	g_free(ref);

	store_case_set_state(st, id1, CASE_STAGE1_OPEN, NOW + 10, &cause);
	ok(sql_int("SELECT closed_at IS NULL FROM cases WHERE id = %"
	    G_GINT64_FORMAT, id1) == 1, "not closed: no closed_at");
	store_case_set_state(st, id1, CASE_CLOSED, NOW + 20, &cause);
	ok(sql_int("SELECT closed_at FROM cases WHERE id = %"
	    G_GINT64_FORMAT, id1) == NOW + 20, "closing sets closed_at");
	ok(store_case_state(st, id1, &state, &cause) == 1 &&
	    state == CASE_CLOSED, "the state reads closed");

	store_case_add_flag(st, id2, "urgent", NOW, &cause);
	store_case_add_flag(st, id2, "urgent", NOW, &cause);
	store_case_add_flag(st, id2, "vulnerable", NOW, &cause);
	store_case_add_flag(st, id2, "urg", NOW, &cause);
	store_case_set(st, id2, "category", "legal", NOW, &cause);
	store_case_set(st, id2, "handler", "h@cps.example", NOW, &cause);
	store_case_set(st, id2, "outcome", "upheld", NOW, &cause);
	store_case_set(st, id2, "language", "cy", NOW, &cause);
	store_case_set(st, id2, "kind", "feedback", NOW, &cause);
	store_case_set_stage(st, id2, 2, NOW, &cause);
	store_case_get(st, id2, &c, &cause);
	is_str(c->flags, "urgent vulnerable urg", "each flag once");
	ok(c->category == CATEGORY_LEGAL && strcmp(c->handler,
	    "h@cps.example") == 0 && c->outcome == OUTCOME_UPHELD &&
	    c->language == LANGUAGE_CY && c->kind == KIND_FEEDBACK &&
	    c->stage == 2, "kind, category, handler, outcome, language "
	    "and stage are set");
	case_row_free(c);

	ok(store_event(st, id2, 0, NOW, "opened", "by test", &cause) == 0,
	    "event recorded");
	ok(!peek_exec("UPDATE event SET detail = 'changed'") &&
	    sql_int("SELECT count(*) FROM event WHERE detail = 'by test'") ==
	    1, "the event log refuses UPDATE");
	ok(store_case_history(st, id2, &s, &cause) == 0 && s != NULL &&
	    strcmp(s, "2026-01-01 00:00:00 UTC  opened  by test\n") == 0,
	    "the case's history as text");
	g_free(s);

	ok(store_case_correspondent(st, id2, &p, &cause) == 0 && p == NULL,
	    "no party yet: no correspondent");
	ok(store_party_add(st, id2, &alice, &cause) == 0, "party added");
	ok(store_case_correspondent(st, id2, &p, &cause) == 1 &&
	    strcmp(p->email, "alice@example.org") == 0 &&
	    strcmp(p->contact_restriction, "none") == 0,
	    "the complainant is the correspondent");
	party_row_free(p);
	store_party_add(st, id1, &alice, &cause);
	ok(store_sender_open_case(st, "Alice@Example.org", NOW, &found,
	    &cause) == 1 && found == id2, "the sender's one open case is "
	    "found (closed ones do not count)");
	ok(store_sender_open_case(st, "alice@example.org", NOW + 1, &found,
	    &cause) == 0 && found == 0, "none opened since then: 0");
	store_party_add(st, id3, &alice, &cause);
	ok(store_sender_open_case(st, "alice@example.org", NOW, &found,
	    &cause) == 0 && found == 0, "two open cases of the sender: 0");

	/* A name the program does not know is damage, never a default. */
	peek_exec("UPDATE cases SET state = 'stage9_open' WHERE ref = "
	    "'LON-2027-00001'");
	ok(store_case_by_ref(st, "LON-2027-00001", &id, &cause) == 1 &&
	    store_case_get(st, id, &c, &cause) == -1 && c == NULL &&
	    cause != NULL && strstr(cause, "'stage9_open'") != NULL,
	    "a case with an unknown state is an error that names it");
	show_cause();
	peek_exec("UPDATE cases SET state = 'closed', kind = 'grumble' WHERE "
	    "ref = 'LON-2027-00001'");
	ok(store_case_get(st, id, &c, &cause) == -1 && cause != NULL &&
	    strstr(cause, "kind 'grumble'") != NULL,
	    "so is an unknown kind");
	show_cause();
	*open_case = id2;
}

/* The due outbox rows as "attempts:rcpt rcpt;" each. */
static void
check_due(struct store *st, gint64 now, const char *want, const char *what)
{
	GPtrArray	*due = NULL;
	GString		*got = g_string_new(NULL);
	guint		 i, j;

	if (store_outbox_due(st, now, &due, &cause) != 0)
		show_cause();

	for (i = 0; due != NULL && i < due->len; i++) {
		struct outbox_due *d = g_ptr_array_index(due, i);

		g_string_append_printf(got, "%d:", d->attempts);
		for (j = 0; j < d->recipients->len; j++)
			g_string_append_printf(got, "%s%s", j ? " " : "",
			    (char *)g_ptr_array_index(d->recipients, j));
		g_string_append_c(got, ';');
	}
	is_str(got->str, want, what);
	if (due != NULL)
		g_ptr_array_unref(due);
	g_string_free(got, TRUE);
}

static void
test_outbox(struct store *st, gint64 case_id)
{
	struct outbox_item	 o;
	struct outbox_due	*d;
	GPtrArray		*due, *raw;
	gint64			 oid = 0, cid = 0, found, when;
	int			 n1, n2, n3;

	o = (struct outbox_item){ case_id, "LON", "out1@redress.example",
	    sql_int("SELECT min(id) FROM message"), "acknowledgement",
	    "bounces@cps.example", g_ptr_array_new(),
	    g_bytes_new_static("Subject: ack\r\n\r\nThanks\r\n", 24) };
	g_ptr_array_add(o.recipients, "a@example.org");
	g_ptr_array_add(o.recipients, "b@example.org");
	ok(store_outbox_add(st, &o, NOW, &oid, &cause) == 0 && oid > 0,
	    "outbox row added");
	g_ptr_array_unref(o.recipients);
	check_due(st, NOW - 1, "", "not due before next_attempt");
	check_due(st, NOW, "0:a@example.org b@example.org;",
	    "due at next_attempt with both recipients");
	store_outbox_due(st, NOW, &due, &cause);
	d = g_ptr_array_index(due, 0);
	ok(d->id == oid && d->case_id == case_id && g_bytes_equal(d->raw,
	    o.raw) && strcmp(d->message_id, "out1@redress.example") == 0 &&
	    strcmp(d->envelope_from, "bounces@cps.example") == 0,
	    "the due row carries the raw message and its envelope");
	g_ptr_array_unref(due);

	store_outbox_rcpt(st, oid, "a@example.org", "sent", 250, "2.0.0 ok",
	    &cause);
	check_due(st, NOW, "0:b@example.org;", "one sent: only the other");
	ok(store_outbox_start(st, oid, NOW, &cause) == 0,
	    "an attempt is recorded as started");
	check_due(st, NOW, "", "a row in an attempt is not due again");
	ok(store_outbox_stage(st, oid, "data-sent", &cause) == 0,
	    "the stage moves to data-sent");
	ok(store_outbox_interrupted(st, &due, &cause) == 0 && due->len == 1 &&
	    ((struct outbox_interrupted *)g_ptr_array_index(due, 0))->id ==
	    oid && strcmp(((struct outbox_interrupted *)g_ptr_array_index(due,
	    0))->stage, "data-sent") == 0 && ((struct outbox_interrupted *)
	    g_ptr_array_index(due, 0))->attempt_started == NOW,
	    "a row left in a stage is found, with its stage and start");
	g_ptr_array_unref(due);
	ok(store_outbox_resume(st, oid, NOW, "interrupted", &cause) == 0,
	    "an interrupted row is queued again");
	check_due(st, NOW, "1:b@example.org;", "due again, the attempt counted");
	ok(store_outbox_start(st, oid, NOW, &cause) == 0 &&
	    store_outbox_finish(st, oid, "queued", NOW + 600, "421 later",
	    NOW, &cause) == 0, "the next attempt ends queued again");
	ok(store_outbox_interrupted(st, &due, &cause) == 0 && due->len == 0,
	    "finishing clears the stage");
	g_ptr_array_unref(due);
	check_due(st, NOW + 599, "", "queued again: hidden until then");
	ok(store_outbox_next_attempt(st, &when, &cause) == 1 &&
	    when == NOW + 600, "next attempt known");
	check_due(st, NOW + 600, "2:b@example.org;", "due again, two attempts");

	ok(store_outbox_by_message_id(st, "out1@redress.example", &found,
	    &cid, &cause) == 1 && found == oid && cid == case_id,
	    "outbox row and case by Message-ID");
	ok(store_outbox_by_message_id(st, "other@redress.example", &found,
	    &cid, &cause) == 0 && found == 0 && cid == 0,
	    "unknown Message-ID: 0");
	ok(store_case_by_message_id(st, "out1@redress.example", &found,
	    &cause) == 1 && found == case_id, "case by our Message-ID");
	ok(store_case_by_message_id(st, "other@redress.example", &found,
	    &cause) == 0 && found == 0, "no case of an unknown Message-ID");
	ok(store_case_raw_messages(st, case_id, &raw, &cause) == 0 &&
	    raw->len == 1 && g_bytes_equal(g_ptr_array_index(raw, 0), o.raw),
	    "the case's raw messages include the one sent");
	g_ptr_array_unref(raw);

	store_outbox_finish(st, oid, "sent", 0, NULL, NOW + 600, &cause);
	check_due(st, NOW + 100000, "", "sent: no longer due");
	ok(store_outbox_next_attempt(st, &when, &cause) == 0 && when == 0,
	    "nothing queued");

	/* A notice that answers nothing does not count against the limit. */
	o.message_id = "notice1@redress.example";
	o.answers = 0;
	o.recipients = g_ptr_array_new();
	g_ptr_array_add(o.recipients, "a@example.org");
	ok(store_outbox_add(st, &o, NOW, &oid, &cause) == 0, "notice added");
	g_ptr_array_unref(o.recipients);
	g_bytes_unref(o.raw);
	ok(store_answers_to(st, "a@example.org", NOW, &n1, &cause) == 0 &&
	    store_answers_to(st, "a@example.org", NOW + 1, &n2, &cause) == 0 &&
	    store_answers_to(st, "c@example.org", NOW, &n3, &cause) == 0 &&
	    n1 == 1 && n2 == 0 && n3 == 0,
	    "answers to an address since a time are counted");
}

static void
test_deadlines(struct store *st, gint64 case_id)
{
	struct deadline_row	*d, *a;
	struct deadline_text	*t;
	struct draft_row	*p;
	GPtrArray		*list;

	ok(store_deadline_add(st, case_id, "stage1", "2026-01-02", 20,
	    "2026-01-30", "20 working days", NULL, NOW, &cause) == 0 &&
	    store_deadline_add(st, case_id, "authority", "2026-01-02", 10, "",
	    "paused", "2026-01-02", NOW, &cause) == 0, "deadlines added");
	store_deadline_open(st, case_id, "stage1", &d, &cause);
	ok(d != NULL && strcmp(d->due, "2026-01-30") == 0 &&
	    d->working_days == 20 && d->paused_from == NULL &&
	    strcmp(d->state, "open") == 0, "open deadline read back");
	ok(store_deadlines_running(st, NULL, &list, &cause) == 0 && list->len == 1 &&
	    strcmp(((struct deadline_row *)g_ptr_array_index(list, 0))->kind,
	    "stage1") == 0, "only the deadline with a due date is running");
	g_ptr_array_unref(list);
	ok(store_deadlines_of(st, case_id, &list, &cause) == 0 &&
	    list->len == 2, "the case has both deadlines");
	t = g_ptr_array_index(list, 1);
	ok(strcmp(t->kind, "authority") == 0 && strcmp(t->due, "") == 0 &&
	    strcmp(t->derivation, "paused") == 0, "with their derivation");
	g_ptr_array_unref(list);

	g_free(d->due);
	d->due = g_strdup("2026-02-06");
	d->extra_days = 5;
	d->extra_why = g_strdup("holding letter");
	ok(store_deadline_update(st, d, "extended", &cause) == 0, "updated");
	deadline_row_free(d);
	store_deadline_open(st, case_id, "stage1", &d, &cause);
	ok(strcmp(d->due, "2026-02-06") == 0 && d->extra_days == 5 &&
	    strcmp(d->extra_why, "holding letter") == 0, "the update is kept");
	ok(store_reminder_once(st, d->id, "due-soon", NOW, &cause) == 1,
	    "first reminder: new");
	ok(store_reminder_once(st, d->id, "due-soon", NOW, &cause) == 0,
	    "the same reminder again: already sent");
	ok(store_reminder_once(st, d->id, "overdue", NOW, &cause) == 1,
	    "another kind of reminder: new");
	deadline_row_free(d);

	store_deadline_close(st, case_id, "stage1", "met", &cause);
	ok(store_deadline_open(st, case_id, "stage1", &d, &cause) == 0 &&
	    store_deadline_open(st, case_id, "authority", &a, &cause) == 1 &&
	    d == NULL && a != NULL && strcmp(a->paused_from, "2026-01-02") == 0,
	    "closing one kind leaves the other open");
	deadline_row_free(a);
	store_deadline_close(st, case_id, NULL, "cancelled", &cause);
	ok(store_deadline_open(st, case_id, "authority", &a, &cause) == 0 &&
	    a == NULL, "closing all closes the other");

	store_draft_add(st, case_id, 1, "h@cps.example", "first", "ok", NOW,
	    &cause);
	store_draft_add(st, case_id, 1, "h@cps.example", "second", "ok", NOW,
	    &cause);
	ok(store_draft_pending(st, case_id, &p, &cause) == 1 &&
	    strcmp(p->text, "second") == 0 && p->stage == 1,
	    "the newer draft is pending");
	ok(sql_int("SELECT count(*) FROM draft WHERE state = 'returned' "
	    "AND decided_by = 'superseded'") == 1, "the older is superseded");
	ok(store_draft_decide(st, p->id, "approved", "coord@cps.example", NOW,
	    &cause) == 0, "draft approved");
	draft_row_free(p);
	ok(store_draft_pending(st, case_id, &p, &cause) == 0 && p == NULL,
	    "nothing pending");
}

static void
test_report(struct store *st, gint64 case_id)
{
	JsonArray	*cases;
	JsonObject	*c, *first;
	char		*s = NULL;

	ok(store_case_last_in(st, case_id, NULL, &s, &cause) == 0 && s == NULL,
	    "no mail received on the case: no latest Message-ID");
	ok(store_report_cases(st, &cases, &cause) == 0 &&
	    json_array_get_length(cases) == 4, "the report lists every case");
	first = json_array_get_object_element(cases, 0);
	is_str(json_object_get_string_member(first, "opened_at"),
	    "2026-01-01T00:00:00Z", "with times in ISO 8601");
	ok(json_object_get_null_member(first, "handler"), "and NULL as null");
	json_array_unref(cases);
	ok(store_report_case(st, "LON-2026-00002", &c, &cause) == 1 &&
	    json_array_get_length(json_object_get_array_member(c,
	    "parties")) == 1 && json_array_get_length(
	    json_object_get_array_member(c, "events")) == 1 &&
	    json_array_get_length(json_object_get_array_member(c,
	    "outbox")) == 3, "one case with its parties, events and outbox");
	if (c != NULL)
		json_object_unref(c);
	first = c = json_object_new();
	ok(store_report_case(st, "LON-2026-00099", &c, &cause) == 0 &&
	    c == NULL, "an unknown reference: 0, and no object");
	json_object_unref(first);
}

/* A failed lookup returns -1, its cause naming the file, what was being
 * done and SQLite's reason: never "not found". */
static void
failed(int rc, const char *path, const char *what, const char *why)
{
	if (!ok(rc == -1 && cause != NULL && strstr(cause, path) != NULL &&
	    strstr(cause, what) != NULL && strstr(cause, why) != NULL,
	    "%s: -1, and the cause says so", what))
		printf("#   rc %d, cause %s\n", rc, cause ? cause : "(null)");
	show_cause();
}

static void
test_dropped(void)
{
	struct case_row		*c;
	struct party_row	*p;
	struct deadline_row	*d;
	struct draft_row	*dr;
	struct origin		 o = { "LON", 1, 1, 1 };
	struct store		*st;
	JsonArray		*cases;
	JsonObject		*one;
	GPtrArray		*list;
	enum case_state		 state;
	char			*path, *s, *ref;
	gint64			 id, n, m;
	int			 count;

	path = in_dir("dropped.db");
	st = open_or_die(path);
	id = case_open(st, "LON", 2026, "LON-2026-00001");
	ok(store_case_get(st, id, &c, &cause) == 1, "the case reads back");
	case_row_free(c);
	peek_open(path);
	ok(peek_exec("DROP TABLE draft; DROP TABLE reminder; "
	    "DROP TABLE deadline; DROP TABLE party; DROP TABLE event; "
	    "DROP TABLE outbox_rcpt; DROP TABLE outbox; DROP TABLE cases;"),
	    "tables dropped behind the store's back");
	peek_close();

	failed(store_case_get(st, id, &c, &cause), path, "reading a case",
	    "no such table: cases");
	ok(c == NULL, "and no case row");
	failed(store_case_by_ref(st, "LON-2026-00001", &n, &cause), path,
	    "finding a case by its reference", "no such table: cases");
	failed(store_case_ref(st, id, &s, &cause), path,
	    "reading a case's reference", "schema intact");
	failed(store_case_state(st, id, &state, &cause), path,
	    "reading a case's state", "no such table: cases");
	failed(store_case_open(st, "LON", 2026, KIND_COMPLAINT,
	    CATEGORY_NONE, CASE_RECEIVED, LANGUAGE_EN, NOW, &n, &ref,
	    &cause), path, "numbering a new case",
	    "no such table: cases");
	failed(store_case_correspondent(st, id, &p, &cause), path,
	    "reading a case's correspondent", "no such table: party");
	failed(store_sender_open_case(st, "a@example.org", 0, &n, &cause),
	    path, "finding the sender's open case", "no such table");
	failed(store_deadline_open(st, id, "stage1", &d, &cause), path,
	    "reading an open deadline", "no such table: deadline");
	failed(store_deadlines_running(st, NULL, &list, &cause), path,
	    "reading the running deadlines", "no such table: deadline");
	failed(store_deadlines_of(st, id, &list, &cause), path,
	    "reading a case's deadlines", "no such table: deadline");
	failed(store_draft_pending(st, id, &dr, &cause), path,
	    "reading the pending draft", "no such table: draft");
	failed(store_case_history(st, id, &s, &cause), path,
	    "reading the case's events", "no such table: event");
	failed(store_event(st, id, 0, NOW, "note", NULL, &cause), path,
	    "recording an event", "no such table: event");
	failed(store_case_by_message_id(st, "m1@example.org", &n, &cause),
	    path, "finding the case of a Message-ID", "no such table: outbox");
	failed(store_case_raw_messages(st, id, &list, &cause), path,
	    "reading the case's messages", "no such table: outbox");
	failed(store_outbox_by_message_id(st, "m1@example.org", &n, &m,
	    &cause), path, "finding an outgoing message",
	    "no such table: outbox");
	failed(store_outbox_next_attempt(st, &n, &cause), path,
	    "finding the next delivery attempt", "no such table: outbox");
	failed(store_outbox_due(st, NOW, &list, &cause), path,
	    "reading the messages due for delivery", "no such table: outbox");
	failed(store_answers_to(st, "a@example.org", 0, &count, &cause), path,
	    "counting the answers to an address", "no such table");
	failed(store_report_cases(st, &cases, &cause), path,
	    "listing the cases", "no such table: cases");
	ok(cases == NULL, "and no list");
	failed(store_report_case(st, "LON-2026-00001", &one, &cause), path,
	    "finding a case by its reference", "no such table: cases");

	ok(store_message_by_uid(st, &o, &n, &cause) == 0 &&
	    store_case_last_in(st, id, NULL, &s, &cause) == 0,
	    "a table still there still answers: 0 for not found");
	store_close(st);
	g_free(path);
}

/* Overwrite page `page` of the file with junk, as a bad disk would. */
static void
damage_page(const char *path, gint64 page, gint64 page_size)
{
	char	*junk = g_malloc(page_size);
	int	 fd;

	memset(junk, 0xa5, page_size);
	if ((fd = open(path, O_WRONLY)) == -1 ||
	    pwrite(fd, junk, page_size, (page - 1) * page_size) != page_size) {
		printf("Bail out! cannot damage %s\n", path);
		exit(1);
	}
	close(fd);
	g_free(junk);
}

static void
test_corrupt(void)
{
	struct case_row	*c;
	struct store	*st;
	JsonArray	*cases;
	char		*path;
	gint64		 id;

	path = in_dir("corrupt.db");
	st = open_or_die(path);
	id = case_open(st, "LON", 2026, "LON-2026-00001");
	store_close(st);
	/* The last connection to close folds the WAL into the file. */
	peek_open(path);
	damage_page(path, sql_int("SELECT rootpage FROM sqlite_schema WHERE "
	    "name = 'cases'"), sql_int("PRAGMA page_size"));
	peek_close();

	st = open_or_die(path);
	failed(store_case_get(st, id, &c, &cause), path, "reading a case",
	    "restore it from a backup");
	failed(store_report_cases(st, &cases, &cause), path,
	    "listing the cases", "malformed");
	store_close(st);
	g_free(path);
}

int
main(void)
{
	struct store	*st;
	const char	*name;
	char		*path;
	GDir		*d;
	gint64		 case_id = 0;

	dir = g_dir_make_tmp("test-store-XXXXXX", NULL);
	test_open();
	path = in_dir("cases.db");
	st = open_or_die(path);
	peek_open(path);
	test_messages(st);
	test_cases(st, &case_id);
	test_outbox(st, case_id);
	test_deadlines(st, case_id);
	test_report(st, case_id);
	peek_close();
	store_close(st);
	g_free(path);
	show_cause();
	test_dropped();
	test_corrupt();

	d = g_dir_open(dir, 0, NULL);
	while ((name = g_dir_read_name(d)) != NULL) {
		path = in_dir(name);
		g_remove(path);
		g_free(path);
	}
	g_dir_close(d);
	g_rmdir(dir);
	g_free(dir);
	return (tap_done());
}
