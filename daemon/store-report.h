/*
 * store-report.h: the read-only queries behind `redress case list` and
 * `redress case show`, as JSON (json-glib), because the command prints
 * JSON with --json and reads the same members for its text: one form
 * serves both, with no struct per table to keep in step with the schema.
 *
 * A row is an object keyed by column name. SQL NULL is JSON null; Unix
 * times (opened_at, at, sent_at ...) are ISO 8601 text from
 * clock_format(); a message's stored verdict is an object. Return values
 * as in store.h; the caller unrefs what it is given.
 */
#ifndef REDRESS_STORE_REPORT_H
#define REDRESS_STORE_REPORT_H

#include <json-glib/json-glib.h>

#include "store.h"

/* Every case, oldest first: ref kind category state language flags
 * handler outcome opened_at updated_at closed_at. */
int		 store_report_cases(struct store *, JsonArray **,
		     char **cause);
/* The case with this reference: its columns (those above and area) and
 * the arrays parties, messages, events, outbox (a row per recipient) and
 * deadlines. */
int		 store_report_case(struct store *, const char *ref,
		     JsonObject **, char **cause);

#endif
