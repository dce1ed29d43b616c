/*
 * store-report.c: what `redress case list` and `redress case show` read,
 * as JSON (see store-report.h for why).
 */
#include <string.h>

#include "clock.h"
#include "store-private.h"
#include "store-report.h"

/* Columns whose integer values are Unix times, shown as ISO 8601. */
static gboolean
is_time_column(const char *name)
{
	static const char *const names[] = { "opened_at", "updated_at",
	    "closed_at", "at", "date", "received_at", "created_at", "sent_at",
	    "next_attempt" };
	size_t	i;

	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		if (strcmp(name, names[i]) == 0)
			return (TRUE);
	}
	return (FALSE);
}

static void
add_row(sqlite3_stmt *stmt, void *rows)
{
	JsonObject	*o = json_object_new();
	int		 i, n = sqlite3_column_count(stmt);

	for (i = 0; i < n; i++) {
		const char	*name = sqlite3_column_name(stmt, i);
		char		*t;

		switch (sqlite3_column_type(stmt, i)) {
		case SQLITE_NULL:
			json_object_set_null_member(o, name);
			break;
		case SQLITE_INTEGER:
			if (!is_time_column(name)) {
				json_object_set_int_member(o, name,
				    sqlite3_column_int64(stmt, i));
				break;
			}
			t = clock_format(sqlite3_column_int64(stmt, i));
			json_object_set_string_member(o, name, t);
			g_free(t);
			break;
		default:
			json_object_set_string_member(o, name,
			    (const char *)sqlite3_column_text(stmt, i));
			break;
		}
	}
	json_array_add_object_element(rows, o);
}

/* The rows of a query, its parameters "" (none) or "i" (the case). */
static int
rows(struct store *st, JsonArray **out, const char *what, char **cause,
    const char *sql, const char *fmt, gint64 case_id)
{
	JsonArray	*a = json_array_new();

	if (db_each(st, add_row, a, what, cause, sql, fmt, case_id) != 0) {
		json_array_unref(a);
		*out = NULL;
		return (-1);
	}
	*out = a;
	return (0);
}

int
store_report_cases(struct store *st, JsonArray **out, char **cause)
{
	return (rows(st, out, "listing the cases", cause, "SELECT ref, kind, "
	    "category, state, language, flags, handler, outcome, opened_at, "
	    "updated_at, closed_at FROM cases ORDER BY id", "", 0));
}

/* What a case shows besides its own columns, in this order. */
static const struct {
	const char	*member;
	const char	*what;
	const char	*sql;
} case_parts[] = {
	{ "parties", "reading the case's parties",
	  "SELECT role, name, email, relationship, authority, "
	  "contact_restriction FROM party WHERE case_id = ? ORDER BY id" },
	{ "messages", "reading the case's messages",
	  "SELECT 'in' AS direction, message_id, received_at AS at, subject, "
	  "from_addr, quarantine, verdict FROM message WHERE case_id = ? AND "
	  "copy_of IS NULL UNION ALL SELECT 'out', message_id, created_at, "
	  "template, NULL, NULL, NULL FROM outbox WHERE case_id = ?1 ORDER BY "
	  "at" },
	{ "events", "reading the case's events",
	  "SELECT at, kind, detail FROM event WHERE case_id = ? ORDER BY id" },
	{ "outbox", "reading the case's outbox",
	  "SELECT o.message_id, o.template, o.state, o.attempts, "
	  "o.last_error, o.sent_at, r.address, r.state AS recipient_state, "
	  "r.code, r.reply FROM outbox o JOIN outbox_rcpt r ON r.outbox = "
	  "o.id WHERE o.case_id = ? ORDER BY o.id, r.id" },
	{ "deadlines", "reading the case's deadlines",
	  "SELECT kind, start, working_days, due, state, derivation FROM "
	  "deadline WHERE case_id = ? ORDER BY id" },
};

/* The stored verdict is JSON text: make it an object. */
static void
parse_verdicts(JsonArray *messages)
{
	JsonObject	*o;
	JsonNode	*node;
	const char	*v;
	guint		 i;

	for (i = 0; i < json_array_get_length(messages); i++) {
		o = json_array_get_object_element(messages, i);
		v = json_object_get_string_member_with_default(o, "verdict",
		    NULL);
		if (v != NULL && (node = json_from_string(v, NULL)) != NULL)
			json_object_set_member(o, "verdict", node);
	}
}

int
store_report_case(struct store *st, const char *ref, JsonObject **out,
    char **cause)
{
	JsonObject	*c;
	JsonArray	*a;
	gint64		 id;
	size_t		 i;
	int		 rc;

	*out = NULL;
	if ((rc = store_case_by_ref(st, ref, &id, cause)) != 1)
		return (rc);
	if (rows(st, &a, "reading the case", cause, "SELECT ref, area, kind, "
	    "category, state, language, flags, handler, outcome, opened_at, "
	    "updated_at, closed_at FROM cases WHERE id = ?", "i", id) != 0)
		return (-1);
	if (json_array_get_length(a) == 0) {
		json_array_unref(a);
		return (0);
	}
	c = json_object_ref(json_array_get_object_element(a, 0));
	json_array_unref(a);
	for (i = 0; i < G_N_ELEMENTS(case_parts); i++) {
		if (rows(st, &a, case_parts[i].what, cause, case_parts[i].sql,
		    "i", id) != 0) {
			json_object_unref(c);
			return (-1);
		}
		json_object_set_array_member(c, case_parts[i].member, a);
	}
	parse_verdicts(json_object_get_array_member(c, "messages"));
	*out = c;
	return (1);
}
