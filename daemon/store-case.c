/*
 * store-case.c: cases, their parties, deadlines and reminders, and the
 * response drafts waiting for QA.
 */
#include <string.h>

#include "store-private.h"

int
store_case_open(struct store *st, const char *area, int year,
    enum kind kind, enum category category, enum case_state state,
    enum language language, gint64 now, gint64 *case_id, char **ref,
    char **cause)
{
	gint64	 seq;

	*ref = NULL;
	if (db_int(st, &seq, "numbering a new case", cause, "SELECT "
	    "COALESCE(MAX(seq), 0) + 1 FROM cases WHERE area = ? AND "
	    "year = ?", "ti", area, (gint64)year) == -1)
		return (-1);
	*ref = g_strdup_printf("%s-%d-%05" G_GINT64_FORMAT, area, year, seq);
	if (db_exec(st, "opening a case", cause, "INSERT INTO cases (ref, "
	    "area, year, seq, kind, category, state, language, opened_at, "
	    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ttiittttii",
	    *ref, area, (gint64)year, seq, kind_name(kind),
	    category_name(category), case_state_name(state),
	    language_name(language), now, now) != 0) {
		g_free(*ref);
		*ref = NULL;
		return (-1);
	}
	*case_id = sqlite3_last_insert_rowid(st->db);
	return (0);
}

int
store_case_by_ref(struct store *st, const char *ref, gint64 *case_id,
    char **cause)
{
	return (db_int(st, case_id, "finding a case by its reference", cause,
	    "SELECT id FROM cases WHERE ref = ?", "t", ref));
}

int
store_case_ref(struct store *st, gint64 case_id, char **ref, char **cause)
{
	return (db_text(st, ref, "reading a case's reference", cause,
	    "SELECT ref FROM cases WHERE id = ?", "i", case_id));
}

/* A name the program does not know is damage (or a newer redress's
 * database), never a default. */
static int
unknown_name(const char *ref, const char *what, const char *name,
    char **cause)
{
	*cause = g_strdup_printf("case %s has the %s '%s' in the database, "
	    "which this redress does not know: was the database written by a "
	    "newer version, or changed by hand?", ref, what,
	    name != NULL ? name : "(none)");
	return (-1);
}

/* A stored name read back as its value. */
static int
stored_value(const struct label_names *names, const char *what,
    const char *ref, const char *name, int *value, char **cause)
{
	if (name != NULL && (*value = label_value(names, name)) >= 0)
		return (0);
	return (unknown_name(ref, what, name, cause));
}

static int
stored_state(const char *ref, const char *name, enum case_state *state,
    char **cause)
{
	if (name != NULL && case_state_parse(name, state))
		return (0);
	return (unknown_name(ref, "state", name, cause));
}

int
store_case_state(struct store *st, gint64 case_id, enum case_state *state,
    char **cause)
{
	char	*name = NULL;
	int	 rc;

	rc = db_text(st, &name, "reading a case's state", cause,
	    "SELECT state FROM cases WHERE id = ?", "i", case_id);
	if (rc == 1) {
		char	*ref = g_strdup_printf("%" G_GINT64_FORMAT, case_id);

		if (stored_state(ref, name, state, cause) != 0)
			rc = -1;
		g_free(ref);
	}
	g_free(name);
	return (rc);
}

int
store_case_set_state(struct store *st, gint64 case_id,
    enum case_state state, gint64 now, char **cause)
{
	return (db_exec(st, "changing a case's state", cause, "UPDATE cases "
	    "SET state = ?, updated_at = ?, closed_at = CASE WHEN ? THEN ? "
	    "ELSE closed_at END WHERE id = ?", "tiiii",
	    case_state_name(state), now, (gint64)(state == CASE_CLOSED), now,
	    case_id));
}

int
store_case_add_flag(struct store *st, gint64 case_id, const char *flag,
    gint64 now, char **cause)
{
	return (db_exec(st, "flagging a case", cause, "UPDATE cases SET "
	    "flags = CASE WHEN instr(' ' || flags || ' ', ' ' || ?1 || ' ') > "
	    "0 THEN flags WHEN flags = '' THEN ?1 ELSE flags || ' ' || ?1 END, "
	    "updated_at = ?2 WHERE id = ?3", "tii", flag, now, case_id));
}

int
store_case_remove_flag(struct store *st, gint64 case_id, const char *flag,
    gint64 now, char **cause)
{
	return (db_exec(st, "unflagging a case", cause, "UPDATE cases SET "
	    "flags = trim(replace(' ' || flags || ' ', ' ' || ?1 || ' ', ' ')), "
	    "updated_at = ?2 WHERE id = ?3", "tii", flag, now, case_id));
}

/* Whether the case carries flag: 1, 0, or -1 with *cause. */
int
store_case_has_flag(struct store *st, gint64 case_id, const char *flag,
    char **cause)
{
	gint64	one;

	return (db_int(st, &one, "reading a case's flags", cause, "SELECT 1 "
	    "FROM cases WHERE id = ? AND instr(' ' || flags || ' ', ' ' || ? "
	    "|| ' ') > 0", "it", case_id, flag));
}

/* Columns 3 to 6 and 9 of store_case_get()'s query, as their enums. */
static int
typed_columns(struct case_row *c, sqlite3_stmt *stmt, char **cause)
{
	const char	*state = (const char *)sqlite3_column_text(stmt, 5);
	const char	*outcome = (const char *)sqlite3_column_text(stmt, 9);
	int		 kind, category, language, value = OUTCOME_NONE;

	if (stored_value(&schema_kind, "kind", c->ref,
	    (const char *)sqlite3_column_text(stmt, 3), &kind, cause) != 0 ||
	    stored_value(&schema_category, "category", c->ref,
	    (const char *)sqlite3_column_text(stmt, 4), &category,
	    cause) != 0 ||
	    stored_value(&schema_language, "language", c->ref,
	    (const char *)sqlite3_column_text(stmt, 6), &language,
	    cause) != 0 ||
	    (outcome != NULL && stored_value(&schema_outcome, "outcome",
	    c->ref, outcome, &value, cause) != 0) ||
	    stored_state(c->ref, state, &c->state, cause) != 0)
		return (-1);
	c->kind = kind;
	c->category = category;
	c->language = language;
	c->outcome = value;
	return (0);
}

int
store_case_get(struct store *st, gint64 case_id, struct case_row **out,
    char **cause)
{
	struct case_row	*c;
	sqlite3_stmt	*stmt;
	int		 rc;

	*out = NULL;
	rc = db_row(st, &stmt, "reading a case", cause, "SELECT id, ref, "
	    "area, kind, category, state, language, flags, handler, outcome, "
	    "stage FROM cases WHERE id = ?", "i", case_id);
	if (rc != 1)
		return (rc);
	c = g_new0(struct case_row, 1);
	c->id = sqlite3_column_int64(stmt, 0);
	c->ref = db_column_text(stmt, 1);
	c->area = db_column_text(stmt, 2);
	c->flags = db_column_text(stmt, 7);
	c->handler = db_column_text(stmt, 8);
	c->stage = sqlite3_column_int(stmt, 10);
	if (typed_columns(c, stmt, cause) != 0) {
		db_reset(stmt);
		case_row_free(c);
		return (-1);
	}
	db_reset(stmt);
	*out = c;
	return (1);
}

void
case_row_free(struct case_row *c)
{
	if (c == NULL)
		return;
	g_free(c->ref);
	g_free(c->area);
	g_free(c->flags);
	g_free(c->handler);
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
	rc = db_exec(st, "changing a case", cause, sql, "tii", value, now,
	    case_id);
	g_free(sql);
	return (rc);
}

int
store_case_set_stage(struct store *st, gint64 case_id, int stage,
    gint64 now, char **cause)
{
	return (db_exec(st, "changing a case's stage", cause, "UPDATE cases "
	    "SET stage = ?, updated_at = ? WHERE id = ?", "iii", (gint64)stage,
	    now, case_id));
}

int
store_party_add(struct store *st, gint64 case_id, const struct party *p,
    char **cause)
{
	return (db_exec(st, "adding a party to a case", cause, "INSERT INTO "
	    "party (case_id, role, name, email, email_key, relationship, "
	    "authority, contact_restriction) VALUES (?, ?, ?, ?, "
	    "address_key(?4), ?, ?, COALESCE(?, 'none'))", "itttttt",
	    case_id, p->role, p->name, p->email, p->relationship,
	    p->authority, p->contact_restriction));
}

int
store_case_correspondent(struct store *st, gint64 case_id,
    struct party_row **out, char **cause)
{
	struct party_row *p;
	sqlite3_stmt	*stmt;
	int		 rc;

	*out = NULL;
	rc = db_row(st, &stmt, "reading a case's correspondent", cause,
	    "SELECT role, name, email, relationship, authority, "
	    "contact_restriction FROM party WHERE case_id = ? AND role IN "
	    "('complainant', 'representative') ORDER BY id LIMIT 1", "i",
	    case_id);
	if (rc != 1)
		return (rc);
	p = g_new0(struct party_row, 1);
	p->role = db_column_text(stmt, 0);
	p->name = db_column_text(stmt, 1);
	p->email = db_column_text(stmt, 2);
	p->relationship = db_column_text(stmt, 3);
	p->authority = db_column_text(stmt, 4);
	p->contact_restriction = db_column_text(stmt, 5);
	db_reset(stmt);
	*out = p;
	return (1);
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
	return (db_exec(st, "recording a representative's authority", cause,
	    "UPDATE party SET authority = ? WHERE case_id = ? AND role = "
	    "'representative'", "ti", authority, case_id));
}

int
store_case_has_party(struct store *st, gint64 case_id, const char *addr,
    char **cause)
{
	gint64	one;

	return (db_int(st, &one, "looking for a party of a case", cause,
	    "SELECT 1 FROM party WHERE case_id = ? AND email_key = "
	    "address_key(?) LIMIT 1", "it", case_id, addr));
}

int
store_sender_open_case(struct store *st, const char *email, gint64 since,
    gint64 *case_id, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*case_id = 0;
	rc = db_row(st, &stmt, "finding the sender's open case", cause,
	    "SELECT COUNT(DISTINCT c.id), MIN(c.id) FROM cases c JOIN party p "
	    "ON p.case_id = c.id WHERE p.email_key = address_key(?) "
	    "AND c.state NOT IN (?, ?) AND c.opened_at >= ?", "ttti", email,
	    case_state_name(CASE_CLOSED), case_state_name(CASE_PURGED), since);
	if (rc != 1)
		return (rc);
	/* Two or more: which one is meant is for staff to say. */
	if (sqlite3_column_int64(stmt, 0) == 1)
		*case_id = sqlite3_column_int64(stmt, 1);
	db_reset(stmt);
	return (*case_id != 0);
}

int
store_deadline_add(struct store *st, gint64 case_id, const char *kind,
    const char *start, int working_days, const char *due,
    const char *derivation, const char *paused_from, gint64 now,
    char **cause)
{
	st->deadline_writes++;
	return (db_exec(st, "adding a deadline", cause, "INSERT INTO "
	    "deadline (case_id, kind, start, working_days, due, derivation, "
	    "paused_from, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    "ittittti", case_id, kind, start, (gint64)working_days, due,
	    derivation, paused_from, now));
}

static gpointer
deadline_from_row(sqlite3_stmt *stmt)
{
	struct deadline_row *d = g_new0(struct deadline_row, 1);

	d->id = sqlite3_column_int64(stmt, 0);
	d->case_id = sqlite3_column_int64(stmt, 1);
	d->kind = db_column_text(stmt, 2);
	d->start = db_column_text(stmt, 3);
	d->working_days = sqlite3_column_int(stmt, 4);
	d->due = db_column_text(stmt, 5);
	d->paused_from = db_column_text(stmt, 6);
	d->paused_to = db_column_text(stmt, 7);
	d->extra_days = sqlite3_column_int(stmt, 8);
	d->extra_why = db_column_text(stmt, 9);
	d->state = db_column_text(stmt, 10);
	return (d);
}

#define DEADLINE_COLUMNS "id, case_id, kind, start, working_days, due, " \
	"paused_from, paused_to, extra_days, extra_why, state"

int
store_deadline_open(struct store *st, gint64 case_id, const char *kind,
    struct deadline_row **out, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*out = NULL;
	rc = db_row(st, &stmt, "reading an open deadline", cause, "SELECT "
	    DEADLINE_COLUMNS " FROM deadline WHERE case_id = ? AND kind = ? "
	    "AND state = 'open' ORDER BY id DESC LIMIT 1", "it", case_id,
	    kind);
	if (rc != 1)
		return (rc);
	*out = deadline_from_row(stmt);
	db_reset(stmt);
	return (1);
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
	st->deadline_writes++;
	return (db_exec(st, "changing a deadline", cause, "UPDATE deadline "
	    "SET due = ?, derivation = ?, paused_from = ?, paused_to = ?, "
	    "extra_days = ?, extra_why = ?, state = ? WHERE id = ?",
	    "ttttitti", d->due, derivation, d->paused_from, d->paused_to,
	    (gint64)d->extra_days, d->extra_why, d->state, d->id));
}

int
store_deadline_close(struct store *st, gint64 case_id, const char *kind,
    const char *state, char **cause)
{
	static const char what[] = "closing a case's deadlines";

	st->deadline_writes++;
	if (kind == NULL)
		return (db_exec(st, what, cause, "UPDATE deadline SET "
		    "state = ? WHERE case_id = ? AND state = 'open'", "ti",
		    state, case_id));
	return (db_exec(st, what, cause, "UPDATE deadline SET state = ? "
	    "WHERE case_id = ? AND kind = ? AND state = 'open'", "tit", state,
	    case_id, kind));
}

int
store_deadlines_running(struct store *st, const char *until, GPtrArray **out,
    char **cause)
{
	return (db_list(st, out, deadline_from_row,
	    (GDestroyNotify)deadline_row_free, "reading the running "
	    "deadlines", cause, "SELECT " DEADLINE_COLUMNS " FROM deadline "
	    "WHERE state = 'open' AND due != '' AND due <= COALESCE(?, "
	    "'9999-12-31') ORDER BY due, id", "t", until));
}

int
store_deadlines_version(struct store *st, gint64 *version, char **cause)
{
	gint64	external;

	if (db_int(st, &external, "reading the database's version", cause,
	    "PRAGMA data_version", "") < 0)
		return (-1);
	/* data_version is small: it counts other connections' commits. */
	*version = (external << 32) + st->deadline_writes;
	return (0);
}

int
store_reminder_sent(struct store *st, gint64 deadline_id, const char *kind,
    char **cause)
{
	gint64	one;

	return (db_int(st, &one, "looking for a reminder", cause, "SELECT 1 "
	    "FROM reminder WHERE deadline = ? AND kind = ?", "it",
	    deadline_id, kind));
}

int
store_reminder_once(struct store *st, gint64 deadline_id, const char *kind,
    gint64 now, char **cause)
{
	if (db_exec(st, "recording a reminder", cause, "INSERT OR IGNORE "
	    "INTO reminder (deadline, kind, sent_at) VALUES (?, ?, ?)", "iti",
	    deadline_id, kind, now) != 0)
		return (-1);
	return (sqlite3_changes(st->db) > 0 ? 1 : 0);
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

static gpointer
deadline_text_from_row(sqlite3_stmt *stmt)
{
	struct deadline_text *d = g_new0(struct deadline_text, 1);

	d->kind = db_column_text(stmt, 0);
	d->state = db_column_text(stmt, 1);
	d->due = db_column_text(stmt, 2);
	d->derivation = db_column_text(stmt, 3);
	return (d);
}

int
store_deadlines_of(struct store *st, gint64 case_id, GPtrArray **out,
    char **cause)
{
	return (db_list(st, out, deadline_text_from_row,
	    (GDestroyNotify)deadline_text_free, "reading a case's deadlines",
	    cause, "SELECT kind, state, due, derivation FROM deadline WHERE "
	    "case_id = ? ORDER BY id", "i", case_id));
}

int
store_draft_add(struct store *st, gint64 case_id, int stage,
    const char *author, const char *text, const char *findings, gint64 now,
    char **cause)
{
	/* A new draft replaces one still waiting. */
	if (db_exec(st, "superseding a draft", cause, "UPDATE draft SET "
	    "state = 'returned', decided_at = ?, decided_by = 'superseded' "
	    "WHERE case_id = ? AND state = 'pending'", "ii", now,
	    case_id) != 0)
		return (-1);
	return (db_exec(st, "adding a draft", cause, "INSERT INTO draft "
	    "(case_id, stage, author, text, findings, created_at) VALUES "
	    "(?, ?, ?, ?, ?, ?)", "iittti", case_id, (gint64)stage, author,
	    text, findings, now));
}

int
store_draft_pending(struct store *st, gint64 case_id, struct draft_row **out,
    char **cause)
{
	struct draft_row *d;
	sqlite3_stmt	*stmt;
	int		 rc;

	*out = NULL;
	rc = db_row(st, &stmt, "reading the pending draft", cause, "SELECT "
	    "id, stage, author, text, findings FROM draft WHERE case_id = ? "
	    "AND state = 'pending' ORDER BY id DESC LIMIT 1", "i", case_id);
	if (rc != 1)
		return (rc);
	d = g_new0(struct draft_row, 1);
	d->id = sqlite3_column_int64(stmt, 0);
	d->stage = sqlite3_column_int(stmt, 1);
	d->author = db_column_text(stmt, 2);
	d->text = db_column_text(stmt, 3);
	d->findings = db_column_text(stmt, 4);
	db_reset(stmt);
	*out = d;
	return (1);
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
	return (db_exec(st, "deciding a draft", cause, "UPDATE draft SET "
	    "state = ?, decided_at = ?, decided_by = ? WHERE id = ?", "titi",
	    state, now, by, draft_id));
}

int
store_correction_add(struct store *st, gint64 case_id, const char *field,
    const char *label, const char *by, gint64 now, char **cause)
{
	return (db_exec(st, "keeping a staff correction", cause, "INSERT INTO "
	    "correction (case_id, message, field, label, by, at) VALUES (?1, "
	    "(SELECT MIN(id) FROM message m WHERE case_id = ?1 AND direction = "
	    "'in' AND " RAW_OF("m") " IS NOT NULL), ?2, ?3, ?4, ?5)", "ittti",
	    case_id,
	    field, label, by, now));
}

static void
correction_example_free(gpointer p)
{
	struct correction_example *e = p;

	g_free(e->ref);
	g_bytes_unref(e->raw);
	g_free(e->kind);
	g_free(e->category);
	g_free(e);
}

static gpointer
correction_from_row(sqlite3_stmt *stmt)
{
	struct correction_example *e = g_new0(struct correction_example, 1);

	e->ref = db_column_text(stmt, 0);
	e->raw = g_bytes_new(sqlite3_column_blob(stmt, 1),
	    (gsize)sqlite3_column_bytes(stmt, 1));
	e->kind = db_column_text(stmt, 2);
	e->category = db_column_text(stmt, 3);
	return (e);
}

int
store_corrections(struct store *st, GPtrArray **out, char **cause)
{
	return (db_list(st, out, correction_from_row, correction_example_free,
	    "reading staff corrections", cause, "SELECT c.ref, " RAW_OF("m")
	    ", "
	    "COALESCE((SELECT label FROM correction WHERE case_id = c.id AND "
	    "field = 'kind' ORDER BY id DESC LIMIT 1), c.kind), "
	    "COALESCE((SELECT label FROM correction WHERE case_id = c.id AND "
	    "field = 'category' ORDER BY id DESC LIMIT 1), c.category) "
	    "FROM cases c JOIN message m ON m.id = (SELECT message FROM "
	    "correction WHERE case_id = c.id AND message IS NOT NULL LIMIT 1) "
	    "WHERE c.id IN (SELECT case_id FROM correction) ORDER BY c.id",
	    ""));
}
