/*
 * test-core.c: the case core in a temporary directory (test-core.h).
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gmime/gmime.h>

#include "clock.h"
#include "incoming.h"
#include "resources.h"
#include "scheduler.h"
#include "test-core.h"

static const char conf_text[] =
    "database = \"%s/redress.db\";\n"
    "templates = \"" REDRESS_SRCDIR "/templates\";\n"
    "rules = \"" REDRESS_SRCDIR "/rules\";\n"
    "calendar = \"" REDRESS_SRCDIR "/contrib/bank-holidays.json\";\n"
    "secret_file = \"secret\";\n"
    "vrr_address = \"vrr@cps.example.gov.uk\";\n"
    "iac_address = \"iac@assessor.example\";\n"
    "smtp = { host = \"127.0.0.1\"; port = 1; tls = \"none\"; "
    "from = \"complaints@cps.example.gov.uk\"; };\n"
    "staff = { domains = [ \"" CORE_STAFF_DOMAIN "\" ]; "
    "trusted_authserv_id = \"" CORE_AUTHSERV "\"; };\n"
    "areas = (\n"
    "  { id = \"LON\"; name = \"London\"; address = \"" CORE_LON "\";\n"
    "    enquiries = \"london.enquiries@cps.example.gov.uk\";\n"
    "    imap = { host = \"127.0.0.1\"; tls = \"none\"; user = \"lon\"; "
    "password_file = \"pass\"; };\n"
    "    coordinators = [ \"" CORE_LON_COORD "\" ]; },\n"
    "  { id = \"WAL\"; name = \"Wales\"; address = \"" CORE_WAL "\";\n"
    "    imap = { host = \"127.0.0.1\"; tls = \"none\"; user = \"wal\"; "
    "password_file = \"pass\"; };\n"
    "    coordinators = [ \"" CORE_WAL_COORD "\" ]; }\n"
    ");\n"
    "%s\n";

static void
diag_errors(const char *what, GPtrArray *errors)
{
	guint	i;

	for (i = 0; errors != NULL && i < errors->len; i++)
		printf("# %s: %s\n", what, (char *)g_ptr_array_index(errors,
		    i));
}

static gboolean
write_private(const char *dir, const char *name, const char *text)
{
	char		*path = g_build_filename(dir, name, NULL);
	gboolean	 done;

	done = g_file_set_contents(path, text, -1, NULL) &&
	    g_chmod(path, 0600) == 0;
	g_free(path);
	return (done);
}

struct core *
core_new(const char *extra)
{
	struct core	*c = g_new0(struct core, 1);
	GPtrArray	*errors = NULL;
	char		*text, *path, *cause = NULL;

	g_mime_init();
	c->dir = g_dir_make_tmp("redress-core-XXXXXX", NULL);
	c->next_uid = 1;
	text = g_strdup_printf(conf_text, c->dir, extra != NULL ? extra : "");
	path = g_build_filename(c->dir, "redress.conf", NULL);
	if (c->dir == NULL || !write_private(c->dir, "redress.conf", text) ||
	    !write_private(c->dir, "secret",
	    "0123456789abcdef0123456789abcdef\n") ||
	    !write_private(c->dir, "pass", "password\n")) {
		printf("# cannot write the test configuration\n");
		goto fail;
	}
	core_at(c, "2026-11-23T10:00:00Z");
	if ((c->config = config_load(path, &errors)) == NULL) {
		diag_errors("config", errors);
		goto fail;
	}
	if (store_open(c->config->database, &c->store, &cause) != 0) {
		printf("# store: %s\n", cause);
		goto fail;
	}
	if (errors == NULL)
		errors = g_ptr_array_new_with_free_func(g_free);
	if (resources_load(c->config, &c->res, errors) != 0) {
		diag_errors("resources", errors);
		goto fail;
	}
	c->wf = workflow_new(c->config, c->store, c->res);
	g_ptr_array_unref(errors);
	g_free(text);
	g_free(path);
	return (c);
fail:
	if (errors != NULL)
		g_ptr_array_unref(errors);
	g_free(cause);
	g_free(text);
	g_free(path);
	core_free(c);
	return (NULL);
}

static void
remove_tree(const char *dir)
{
	GDir		*d;
	const char	*name;

	if (dir == NULL || (d = g_dir_open(dir, 0, NULL)) == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		char	*path = g_build_filename(dir, name, NULL);

		g_unlink(path);
		g_free(path);
	}
	g_dir_close(d);
	g_rmdir(dir);
}

void
core_free(struct core *c)
{
	if (c == NULL)
		return;
	workflow_free(c->wf);
	resources_free(c->res);
	store_close(c->store);
	config_free(c->config);
	if (getenv("REDRESS_KEEP") == NULL)
		remove_tree(c->dir);
	else
		printf("# test directory kept: %s\n", c->dir);
	g_free(c->dir);
	g_free(c);
}

void
core_at(struct core *c, const char *iso)
{
	char	*cause = NULL;

	(void)c;
	g_setenv("REDRESS_NOW", iso, TRUE);
	if (clock_init(&cause) != 0) {
		printf("# %s\n", cause);
		g_free(cause);
	}
}

/* Bare "\n" line ends become CRLF, as mail arrives. */
static GBytes *
as_crlf(const char *text)
{
	GString		*s = g_string_new(NULL);
	const char	*p;

	for (p = text; *p != '\0'; p++) {
		if (*p == '\n' && (p == text || p[-1] != '\r'))
			g_string_append_c(s, '\r');
		g_string_append_c(s, *p);
	}
	return (g_string_free_to_bytes(s));
}

int
core_deliver(struct core *c, const char *area_id, const char *text)
{
	const struct area_config *area = config_find_area(c->config, area_id);
	struct cursor	 cur;
	struct origin	 o;
	GBytes		*raw;
	gint64		 row;
	char		*cause = NULL;
	int		 rc = -1;

	if (area == NULL) {
		printf("# no Area %s in the test configuration\n", area_id);
		return (-1);
	}
	raw = as_crlf(text);
	if (store_begin(c->store, &cause) != 0 ||
	    store_cursor_get(c->store, area->id, area->imap.mailbox, &cur,
	    &cause) != 0)
		goto out;
	o.area = area->id;
	o.mailbox_id = cur.mailbox_id;
	o.uidvalidity = cur.uidvalidity = 1;
	o.uid = cur.last_uid = c->next_uid++;
	if (incoming_message(c->wf, area, &o, raw, &row, &cause) != 0 ||
	    store_cursor_set(c->store, &cur, &cause) != 0 ||
	    store_commit(c->store, &cause) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		printf("# delivery to %s failed: %s\n", area_id,
		    cause != NULL ? cause : "?");
		store_rollback(c->store);
	}
	g_free(cause);
	g_bytes_unref(raw);
	return (rc);
}

int
core_deliverf(struct core *c, const char *area, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;
	int	 rc;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	rc = core_deliver(c, area, text);
	g_free(text);
	return (rc);
}

int
core_send(struct core *c, const char *area, const char *from,
    const char *to, const char *subject, const char *in_reply_to,
    const char *extra, const char *body)
{
	GString		*s = g_string_new(NULL);
	GDateTime	*dt = g_date_time_new_from_unix_utc(clock_now());
	char		*date;
	int		 rc;

	g_snprintf(c->last_id, sizeof c->last_id, "test-%d@test.example",
	    ++c->sent);
	date = g_date_time_format(dt, "%a, %d %b %Y %H:%M:%S +0000");
	g_date_time_unref(dt);
	g_string_append_printf(s, "From: %s\nTo: %s\nSubject: %s\n"
	    "Message-ID: <%s>\nDate: %s\n", from, to, subject, c->last_id,
	    date);
	g_free(date);
	if (in_reply_to != NULL)
		g_string_append_printf(s, "In-Reply-To: <%s>\n"
		    "References: <%s>\n", in_reply_to, in_reply_to);
	if (extra != NULL)
		g_string_append_printf(s, "%s\n", extra);
	g_string_append_printf(s, "MIME-Version: 1.0\nContent-Type: "
	    "text/plain; charset=utf-8\n\n%s\n", body);
	rc = core_deliver(c, area, s->str);
	g_string_free(s, TRUE);
	return (rc);
}

const char *
core_last_id(struct core *c)
{
	return (c->last_id);
}

int
core_schedule(struct core *c)
{
	char	*cause = NULL;
	int	 n;

	if ((n = scheduler_run(c->wf, &cause)) < 0) {
		printf("# scheduler: %s\n", cause);
		g_free(cause);
	}
	return (n);
}

/* A second, read-only connection: the test looks at what the store
 * wrote as anyone with the file would. */
static sqlite3_stmt *
query(struct core *c, sqlite3 **db, const char *fmt, va_list ap)
{
	sqlite3_stmt	*stmt = NULL;
	char		*sql = sqlite3_vmprintf(fmt, ap);

	if (sqlite3_open_v2(c->config->database, db, SQLITE_OPEN_READONLY,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(*db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		printf("# query %s: %s\n", sql, sqlite3_errmsg(*db));
		stmt = NULL;
	} else if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		stmt = NULL;
	}
	sqlite3_free(sql);
	return (stmt);
}

gint64
core_int(struct core *c, const char *sql, ...)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*stmt;
	va_list		 ap;
	gint64		 v = -1;

	va_start(ap, sql);
	stmt = query(c, &db, sql, ap);
	va_end(ap);
	if (stmt != NULL)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return (v);
}

char *
core_text(struct core *c, const char *sql, ...)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*stmt;
	va_list		 ap;
	char		*v = NULL;

	va_start(ap, sql);
	stmt = query(c, &db, sql, ap);
	va_end(ap);
	if (stmt != NULL && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		v = g_strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return (v);
}

int
core_sent(struct core *c, const char *addr, const char *template)
{
	return ((int)core_int(c, "SELECT count(*) FROM outbox o JOIN "
	    "outbox_rcpt r ON r.outbox = o.id WHERE r.address = %Q AND "
	    "(%Q IS NULL OR o.template = %Q)", addr, template, template));
}

char *
core_mail(struct core *c, const char *addr, const char *template)
{
	return (core_text(c, "SELECT o.raw FROM outbox o JOIN outbox_rcpt r "
	    "ON r.outbox = o.id WHERE r.address = %Q AND (%Q IS NULL OR "
	    "o.template = %Q) ORDER BY o.id DESC LIMIT 1", addr, template,
	    template));
}

char *
core_mail_id(struct core *c, const char *addr, const char *template)
{
	return (core_text(c, "SELECT o.message_id FROM outbox o JOIN "
	    "outbox_rcpt r ON r.outbox = o.id WHERE r.address = %Q AND "
	    "(%Q IS NULL OR o.template = %Q) ORDER BY o.id DESC LIMIT 1",
	    addr, template, template));
}

char *
core_token(struct core *c, const char *addr, const char *template)
{
	char	*v = core_mail_header(c, addr, template, "Reply-To");
	char	*token = NULL;

	if (v != NULL && strchr(v, '+') != NULL)
		token = g_strdup(g_strstrip(v));
	g_free(v);
	return (token);
}

char *
core_mail_header(struct core *c, const char *addr, const char *template,
    const char *header)
{
	char		*raw = core_mail(c, addr, template), *value = NULL;
	GMimeStream	*stream;
	GMimeParser	*parser;
	GMimeMessage	*msg;
	const char	*v;

	if (raw == NULL)
		return (NULL);
	stream = g_mime_stream_mem_new_with_buffer(raw, strlen(raw));
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	if (msg != NULL && (v = g_mime_object_get_header(GMIME_OBJECT(msg),
	    header)) != NULL)
		value = g_strdup(v);
	if (msg != NULL)
		g_object_unref(msg);
	g_object_unref(parser);
	g_object_unref(stream);
	g_free(raw);
	return (value);
}

gboolean
core_mail_says(struct core *c, const char *addr, const char *template,
    const char *text)
{
	char		*raw = core_mail(c, addr, template);
	gboolean	 found = raw != NULL && strstr(raw, text) != NULL;

	g_free(raw);
	return (found);
}

char *
core_state(struct core *c, const char *ref)
{
	return (core_text(c, "SELECT state FROM cases WHERE ref = %Q", ref));
}
