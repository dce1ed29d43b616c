/*
 * store-private.h: what store.c, store-case.c, store-mail.c,
 * store-outbox.c and store-report.c share. Nothing else includes it: the
 * rest of redress never sees the SQLite handle.
 *
 * Statements are prepared once per store and kept (SQL text is a fixed
 * set, so the cache stays small). A statement from db_stmt() is in use
 * until db_reset(): reset it on every path, or it keeps a read lock, and
 * do not ask for the same SQL again while holding it.
 *
 * Parameters are bound from a format: 'i' gint64, 'u' guint32, 't' text
 * (NULL binds NULL), 'b' GBytes, 'n' const char * and size_t (a blob).
 * Blobs are bound without a copy (a raw message can be tens of MiB): the
 * caller's bytes must stay until the statement is reset, which db_exec()
 * and db_row() callers get for free.
 *
 * `what` says what was being done, in words for the operator ("reading a
 * case"): it goes into *cause with the file name and SQLite's reason.
 */
#ifndef REDRESS_STORE_PRIVATE_H
#define REDRESS_STORE_PRIVATE_H

#include <sqlite3.h>

#include "store.h"

struct store {
	sqlite3		*db;
	char		*path;
	gboolean	 in_transaction;
	GHashTable	*stmts;		/* SQL text -> sqlite3_stmt */
	gint64		 deadline_writes;	/* see store_deadlines_version */
	gint64		 transactions;		/* store_begin()s so far */
};

/*
 * Raw messages above RAW_APART bytes are kept in message_raw, written in
 * pieces (db_put_raw(), for the message row just inserted with raw NULL),
 * so that a large one is not built in memory again as part of its row.
 * RAW_OF(m) is the raw message of the message row aliased m, wherever it
 * is kept.
 */
#define RAW_APART	(1024 * 1024)
#define RAW_OF(m)	"COALESCE(" m ".raw, (SELECT r.raw FROM message_raw r " \
			"WHERE r.message = " m ".id))"
int		 db_put_raw(struct store *, gint64 message, const char *data,
		     size_t len, char **cause);

/* Set *cause from the connection's last error; returns -1. */
int		 db_fail(struct store *, const char *what, char **cause);

/* A cached statement with its parameters bound, or NULL with *cause. */
sqlite3_stmt	*db_stmt(struct store *, const char *what, char **cause,
		     const char *sql, const char *fmt, ...);
/* 1 for a row, 0 when there are no more, -1 with *cause. */
int		 db_step(struct store *, sqlite3_stmt *, const char *what,
		     char **cause);
/* Give a statement back: reset, parameters cleared (big blobs freed). */
void		 db_reset(sqlite3_stmt *);

/* Run a query for one row: 1 with *stmt on it (read the columns, then
 * db_reset), 0 for no row or -1 with *cause (*stmt NULL, already reset). */
int		 db_row(struct store *, sqlite3_stmt **, const char *what,
		     char **cause, const char *sql, const char *fmt, ...);
/* Run a statement that returns no rows: 0, or -1 with *cause. */
int		 db_exec(struct store *, const char *what, char **cause,
		     const char *sql, const char *fmt, ...);
/* The first column of the first row: 1 with *v set, 0 for no row (*v is
 * 0), -1 with *cause. */
int		 db_int(struct store *, gint64 *v, const char *what,
		     char **cause, const char *sql, const char *fmt, ...);
/* Likewise for text; a NULL value counts as no row. Caller frees *v. */
int		 db_text(struct store *, char **v, const char *what,
		     char **cause, const char *sql, const char *fmt, ...);

/* Call fn on each row: 0, or -1 with *cause (fn may have run already). */
typedef void	 (*db_each_fn)(sqlite3_stmt *, void *arg);
int		 db_each(struct store *, db_each_fn, void *arg,
		     const char *what, char **cause, const char *sql,
		     const char *fmt, ...);
/* Each row made into an element by fn, freed by free_fn: 0 with *list
 * set (possibly empty), or -1 with *cause and *list NULL. */
typedef gpointer (*db_row_fn)(sqlite3_stmt *);
int		 db_list(struct store *, GPtrArray **list, db_row_fn,
		     GDestroyNotify free_fn, const char *what, char **cause,
		     const char *sql, const char *fmt, ...);

/* A text column as a new string, or NULL for SQL NULL. */
char		*db_column_text(sqlite3_stmt *, int col);

#endif
