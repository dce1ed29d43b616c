/*
 * test-store.c: the SQLite store as the daemon and operators rely on it:
 * a private file, a versioned schema, idempotent ingest, case numbering,
 * the append-only event log, the outbox, deadlines and drafts (TAP).
 */
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "store.h"
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

/* The first column of the first row as an integer; -1 for no row. */
static gint64
sql_int(struct store *st, const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;
	char		*sql;
	gint64		 v = -1;

	va_start(ap, fmt);
	sql = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			v = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
	}
	g_free(sql);
	return (v);
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

	store_case_open(st, area, year, "complaint", "-", "received", "en",
	    NOW, &id, &ref, &cause);
	if (!ok(ref != NULL && strcmp(ref, want) == 0, "case opened as %s",
	    want))
		printf("#   got: %s\n", ref ? ref : "(null)");
	g_free(ref);
	return (id);
}

static void
test_open(void)
{
	struct store	*st;
	struct case_row	*c;
	char		*path, *wal, *p;
	mode_t		 old_mask;
	gint64		 id;

	path = in_dir("redress.db");
	wal = in_dir("redress.db-wal");
	old_mask = umask(022);
	st = open_or_die(path);
	ok(file_mode(path) == 0600, "a new database is 0600 under umask 022");
	ok(file_mode(wal) == 0600, "so is its WAL file");
	umask(old_mask);
	ok(sql_int(st, "SELECT journal_mode = 'wal' FROM pragma_journal_mode")
	    == 1, "journal_mode is wal");
	ok(sql_int(st, "PRAGMA foreign_keys") == 1, "foreign keys are on");
	ok(sql_int(st, "PRAGMA user_version") == STORE_SCHEMA_VERSION,
	    "user_version is %d", STORE_SCHEMA_VERSION);
	id = case_open(st, "LON", 2026, "LON-2026-00001");
	store_close(st);
	st = open_or_die(path);
	ok(sql_int(st, "PRAGMA user_version") == STORE_SCHEMA_VERSION &&
	    store_case_by_ref(st, "LON-2026-00001") == id,
	    "opening again keeps the schema and the data");

	/* Undo migration 2 by hand: a database as version 1 left it. */
	ok(sqlite3_exec(store_db(st), "DROP TABLE reminder; DROP TABLE draft; "
	    "DROP INDEX deadline_open; "
	    "ALTER TABLE deadline DROP COLUMN extra_why; "
	    "ALTER TABLE deadline DROP COLUMN extra_days; "
	    "ALTER TABLE deadline DROP COLUMN paused_to; "
	    "ALTER TABLE deadline DROP COLUMN paused_from; "
	    "ALTER TABLE cases DROP COLUMN stage; "
	    "PRAGMA user_version = 1;", NULL, NULL, NULL) == SQLITE_OK,
	    "turned the database back into schema version 1");
	store_close(st);
	st = open_or_die(path);
	ok(sql_int(st, "PRAGMA user_version") == 2, "migrated to version 2");
	ok(sql_int(st, "SELECT count(*) FROM pragma_table_info('deadline') "
	    "WHERE name IN ('paused_from', 'paused_to', 'extra_days', "
	    "'extra_why')") == 4, "deadline has the pause/extension columns");
	ok(sql_int(st, "SELECT count(*) FROM sqlite_schema WHERE type = "
	    "'table' AND name IN ('draft', 'reminder')") == 2,
	    "the draft and reminder tables exist");
	c = store_case_get(st, id);
	ok(c != NULL && c->stage == 1, "the old case is kept, at stage 1");
	case_row_free(c);
	ok(sqlite3_exec(store_db(st), "PRAGMA user_version = 3", NULL, NULL,
	    NULL) == SQLITE_OK, "set schema version 3 by hand");
	store_close(st);
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
	refused(p, "is it a redress database", "not a database");
	g_free(p);
}

/* The UIDs waiting for their IMAP move, as "1 2 3". */
static void
check_pending(struct store *st, gint64 mailbox, guint32 uidvalidity,
    const char *want, const char *what)
{
	GArray	*uids = store_imap_pending(st, mailbox, uidvalidity);
	GString	*got = g_string_new(NULL);
	guint	 i;

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
	gint64		 id, dup, alias;

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
	ok(store_message_by_uid(st, &o) == 0, "UID not yet stored");
	ok(store_message_add_in(st, &o, msg_text, strlen(msg_text), m, NULL,
	    0, NOW, &id, &cause) == 0 && id > 0, "message stored");
	ok(store_message_by_uid(st, &o) == id, "found by its UID");
	ok(sql_int(st, "SELECT count(*) FROM message WHERE id = %"
	    G_GINT64_FORMAT " AND subject = 'A complaint' AND from_addr = "
	    "'alice@example.org' AND length(raw) = %zu", id,
	    strlen(msg_text)) == 1, "its parsed fields and raw bytes are kept");
	ok(store_message_add_in(st, &o, msg_text, strlen(msg_text), m, NULL,
	    0, NOW, &dup, &cause) == -1 && cause != NULL &&
	    strstr(cause, "UNIQUE") != NULL, "the same UID twice is refused");
	show_cause();
	ok(store_message_by_content(st, "m1@example.org", m->sha256) == id,
	    "found by Message-ID and hash");
	ok(store_message_by_content(st, "m1@example.org", "00000000000000000"
	    "00000000000000000000000000000000000000000000000") == 0,
	    "not found with another hash");

	o2 = (struct origin){ "WAL", w.mailbox_id, 9, 5 };
	ok(store_alias_uid(st, &o2, id, NOW, &cause) == 0, "alias recorded");
	alias = store_message_by_uid(st, &o2);
	ok(alias != 0 && alias != id && sql_int(st, "SELECT copy_of FROM "
	    "message WHERE id = %" G_GINT64_FORMAT, alias) == id,
	    "the other Area's UID is recorded as a copy");
	ok(store_message_by_content(st, "m1@example.org", m->sha256) == id,
	    "by content still gives the original");

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
	struct case_row	*c;
	char		*s, *ref = NULL;
	gint64		 id1, id2, id3, id;

	id1 = case_open(st, "LON", 2026, "LON-2026-00001");
	id2 = case_open(st, "LON", 2026, "LON-2026-00002");
	id3 = case_open(st, "WAL", 2026, "WAL-2026-00001");
	case_open(st, "LON", 2027, "LON-2027-00001");
	ok(store_case_by_ref(st, "LON-2026-00002") == id2, "found by ref");
	ok(store_case_by_ref(st, "LON-2026-00099") == 0, "unknown ref: 0");

	store_rollback(st);	/* none open: harmless */
	store_begin(st, &cause);
	store_case_open(st, "LON", 2026, "complaint", "-", "received", "en",
	    NOW, &id, &ref, &cause);
	store_rollback(st);
	ok(ref != NULL && store_case_by_ref(st, ref) == 0,
	    "a rolled back case is gone");
	g_free(ref);

	store_case_set_state(st, id1, "acknowledged", NOW + 10, &cause);
	ok(sql_int(st, "SELECT closed_at IS NULL FROM cases WHERE id = %"
	    G_GINT64_FORMAT, id1) == 1, "not closed: no closed_at");
	store_case_set_state(st, id1, "closed", NOW + 20, &cause);
	ok(sql_int(st, "SELECT closed_at FROM cases WHERE id = %"
	    G_GINT64_FORMAT, id1) == NOW + 20, "closing sets closed_at");
	s = store_case_state(st, id1);
	is_str(s, "closed", "the state reads closed");
	g_free(s);

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
	c = store_case_get(st, id2);
	is_str(c->flags, "urgent vulnerable urg", "each flag once");
	ok(strcmp(c->category, "legal") == 0 && strcmp(c->handler,
	    "h@cps.example") == 0 && strcmp(c->outcome, "upheld") == 0 &&
	    strcmp(c->language, "cy") == 0 && strcmp(c->kind, "feedback") == 0
	    && c->stage == 2, "kind, category, handler, outcome, language "
	    "and stage are set");
	case_row_free(c);

	ok(store_event(st, id2, 0, NOW, "opened", "by test", &cause) == 0,
	    "event recorded");
	ok(sqlite3_exec(store_db(st), "UPDATE event SET detail = 'changed'",
	    NULL, NULL, NULL) != SQLITE_OK && sql_int(st, "SELECT count(*) "
	    "FROM event WHERE detail = 'by test'") == 1,
	    "the event log refuses UPDATE");

	ok(store_party_add(st, id2, &alice, &cause) == 0, "party added");
	store_party_add(st, id1, &alice, &cause);
	ok(store_sender_open_case(st, "Alice@Example.org", NOW) == id2,
	    "the sender's one open case is found (closed ones do not count)");
	ok(store_sender_open_case(st, "alice@example.org", NOW + 1) == 0,
	    "none opened since then: 0");
	store_party_add(st, id3, &alice, &cause);
	ok(store_sender_open_case(st, "alice@example.org", NOW) == 0,
	    "two open cases of the sender: 0");
	*open_case = id2;
}

/* The due outbox rows as "attempts:rcpt rcpt;" each. */
static void
check_due(struct store *st, gint64 now, const char *want, const char *what)
{
	GPtrArray	*due = store_outbox_due(st, now, &cause);
	GString		*got = g_string_new(NULL);
	guint		 i, j;

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
	GPtrArray		*due;
	gint64			 oid = 0, cid = 0;

	o = (struct outbox_item){ case_id, "LON", "out1@redress.example",
	    sql_int(st, "SELECT min(id) FROM message"), "acknowledgement",
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
	due = store_outbox_due(st, NOW, &cause);
	d = g_ptr_array_index(due, 0);
	ok(d->id == oid && d->case_id == case_id && g_bytes_equal(d->raw,
	    o.raw) && strcmp(d->message_id, "out1@redress.example") == 0 &&
	    strcmp(d->envelope_from, "bounces@cps.example") == 0,
	    "the due row carries the raw message and its envelope");
	g_ptr_array_unref(due);

	store_outbox_rcpt(st, oid, "a@example.org", "sent", 250, "2.0.0 ok",
	    &cause);
	check_due(st, NOW, "0:b@example.org;", "one sent: only the other");
	store_outbox_finish(st, oid, "queued", NOW + 600, "421 later", NOW,
	    &cause);
	check_due(st, NOW + 599, "", "queued again: hidden until then");
	ok(store_outbox_next_attempt(st) == NOW + 600, "next attempt known");
	check_due(st, NOW + 600, "1:b@example.org;", "due again, one attempt");

	ok(store_outbox_by_message_id(st, "out1@redress.example", &cid) ==
	    oid && cid == case_id, "outbox row and case by Message-ID");
	ok(store_outbox_by_message_id(st, "other@redress.example", &cid) == 0,
	    "unknown Message-ID: 0");
	ok(store_case_by_message_id(st, "out1@redress.example") == case_id,
	    "case by our Message-ID");

	store_outbox_finish(st, oid, "sent", 0, NULL, NOW + 600, &cause);
	check_due(st, NOW + 100000, "", "sent: no longer due");
	ok(store_outbox_next_attempt(st) == 0, "nothing queued");

	/* A notice that answers nothing does not count against the limit. */
	o.message_id = "notice1@redress.example";
	o.answers = 0;
	o.recipients = g_ptr_array_new();
	g_ptr_array_add(o.recipients, "a@example.org");
	ok(store_outbox_add(st, &o, NOW, &oid, &cause) == 0, "notice added");
	g_ptr_array_unref(o.recipients);
	g_bytes_unref(o.raw);
	ok(store_answers_to(st, "a@example.org", NOW) == 1 &&
	    store_answers_to(st, "a@example.org", NOW + 1) == 0 &&
	    store_answers_to(st, "c@example.org", NOW) == 0,
	    "answers to an address since a time are counted");
}

static void
test_deadlines(struct store *st, gint64 case_id)
{
	struct deadline_row	*d, *a;
	struct draft_row	*p;
	GPtrArray		*list;

	ok(store_deadline_add(st, case_id, "stage1", "2026-01-02", 20,
	    "2026-01-30", "20 working days", NULL, NOW, &cause) == 0 &&
	    store_deadline_add(st, case_id, "authority", "2026-01-02", 10, "",
	    "paused", "2026-01-02", NOW, &cause) == 0, "deadlines added");
	d = store_deadline_open(st, case_id, "stage1");
	ok(d != NULL && strcmp(d->due, "2026-01-30") == 0 &&
	    d->working_days == 20 && d->paused_from == NULL &&
	    strcmp(d->state, "open") == 0, "open deadline read back");
	list = store_deadlines_running(st, &cause);
	ok(list->len == 1 && strcmp(((struct deadline_row *)
	    g_ptr_array_index(list, 0))->kind, "stage1") == 0,
	    "only the deadline with a due date is running");
	g_ptr_array_unref(list);

	g_free(d->due);
	d->due = g_strdup("2026-02-06");
	d->extra_days = 5;
	d->extra_why = g_strdup("holding letter");
	ok(store_deadline_update(st, d, "extended", &cause) == 0, "updated");
	deadline_row_free(d);
	d = store_deadline_open(st, case_id, "stage1");
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
	d = store_deadline_open(st, case_id, "stage1");
	a = store_deadline_open(st, case_id, "authority");
	ok(d == NULL && a != NULL && strcmp(a->paused_from, "2026-01-02") == 0,
	    "closing one kind leaves the other open");
	deadline_row_free(a);
	store_deadline_close(st, case_id, NULL, "cancelled", &cause);
	ok(store_deadline_open(st, case_id, "authority") == NULL,
	    "closing all closes the other");

	store_draft_add(st, case_id, 1, "h@cps.example", "first", "ok", NOW,
	    &cause);
	store_draft_add(st, case_id, 1, "h@cps.example", "second", "ok", NOW,
	    &cause);
	p = store_draft_pending(st, case_id);
	ok(p != NULL && strcmp(p->text, "second") == 0 && p->stage == 1,
	    "the newer draft is pending");
	ok(sql_int(st, "SELECT count(*) FROM draft WHERE state = 'returned' "
	    "AND decided_by = 'superseded'") == 1, "the older is superseded");
	ok(store_draft_decide(st, p->id, "approved", "coord@cps.example", NOW,
	    &cause) == 0, "draft approved");
	draft_row_free(p);
	ok(store_draft_pending(st, case_id) == NULL, "nothing pending");
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
	test_messages(st);
	test_cases(st, &case_id);
	test_outbox(st, case_id);
	test_deadlines(st, case_id);
	store_close(st);
	g_free(path);
	show_cause();

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
