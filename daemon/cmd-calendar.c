/*
 * cmd-calendar.c: `redress calendar update` installs a new bank holiday
 * list once it has been checked; `redress calendar show` prints how a
 * limit in working days is worked out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calendar.h"
#include "clock.h"
#include "cmd.h"
#include "config.h"

#define DEFAULT_CONFIG REDRESS_SYSCONFDIR "/redress.conf"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: redress calendar update [-c CONFIG | --to PATH] FILE\n"
	    "       redress calendar show [-c CONFIG | --to PATH]\n"
	    "           [--stop FROM:TO[:WHY]]... [--extend DAYS[:WHY]]... "
	    "START DAYS\n"
	    "FILE is the JSON list from " CALENDAR_SOURCE_URL ";\n"
	    "START is YYYY-MM-DD (the day of receipt) or \"today\".\n");
}

/* Where the installed list lives: --to, else the configuration. */
static char *
calendar_path(const char *config_path, const char *to)
{
	struct config	*cfg;
	GPtrArray	*errors = NULL;
	char		*path;
	guint		 i;

	if (to != NULL)
		return (g_strdup(to));
	if (config_path == NULL)
		config_path = DEFAULT_CONFIG;
	if ((cfg = config_load(config_path, &errors)) == NULL) {
		for (i = 0; errors != NULL && i < errors->len; i++)
			fprintf(stderr, "%s\n", (char *)errors->pdata[i]);
		fprintf(stderr, "redress calendar: cannot read %s; fix it, or "
		    "name the list with --to PATH\n", config_path);
		if (errors != NULL)
			g_ptr_array_unref(errors);
		return (NULL);
	}
	if (*cfg->calendar == '\0') {
		fprintf(stderr, "%s: no calendar setting; add one naming the "
		    "bank holiday file, e.g. calendar = \"%s\"\n",
		    config_path, REDRESS_LOCALSTATEDIR "/lib/redress/"
		    "bank-holidays.json");
		config_free(cfg);
		return (NULL);
	}
	path = g_strdup(cfg->calendar);
	config_free(cfg);
	return (path);
}

/* Replace path with data in one step: a reader sees the old list or the
 * new one, and after a crash the directory holds one of them. */
static int
install(const char *path, const char *data, size_t len, char **cause)
{
	GError	*error = NULL;
	char	*dir;
	mode_t	 old_mask;
	int	 fd;

	/* The daemon may run as another user: the list must be readable. */
	old_mask = umask(022);
	if (!g_file_set_contents_full(path, data, (gssize)len,
	    G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
	    0644, &error)) {
		umask(old_mask);
		*cause = g_strdup_printf("cannot install the list: %s; the "
		    "installed list, if any, is unchanged", error->message);
		g_error_free(error);
		return (-1);
	}
	umask(old_mask);
	/* The rename is durable only once the directory is on disk. */
	dir = g_path_get_dirname(path);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	g_free(dir);
	return (0);
}

static int
update(const char *config_path, const char *to, const char *file)
{
	struct calendar	*cal;
	const GPtrArray	*hs;
	const struct holiday *h0, *h1;
	GDate		 today, first, last;
	GError		*error = NULL;
	char		*data, *path, *cause = NULL, *a, *b, *c;
	gsize		 len;
	int		 rc = 1;

	if (!g_file_get_contents(file, &data, &len, &error)) {
		fprintf(stderr, "redress calendar update: %s\n",
		    error->message);
		g_error_free(error);
		return (1);
	}
	if (calendar_parse(file, data, len, &cal, &cause) != 0) {
		fprintf(stderr, "%s\nredress calendar update: nothing "
		    "installed\n", cause);
		g_free(cause);
		g_free(data);
		return (1);
	}
	if (clock_init(&cause) != 0) {
		fprintf(stderr, "redress calendar update: %s\n", cause);
		g_free(cause);
		goto out;
	}
	calendar_local_date(clock_now(), &today);
	calendar_coverage(cal, &first, &last);
	if (!calendar_covers(cal, &today)) {
		a = calendar_date_iso(&first);
		b = calendar_date_iso(&last);
		c = calendar_date_iso(&today);
		fprintf(stderr, "%s: covers %s to %s, not today (%s); get the "
		    "current list from %s\nredress calendar update: nothing "
		    "installed\n", file, a, b, c, CALENDAR_SOURCE_URL);
		g_free(a);
		g_free(b);
		g_free(c);
		goto out;
	}
	if ((path = calendar_path(config_path, to)) == NULL)
		goto out;
	if (install(path, data, len, &cause) != 0) {
		fprintf(stderr, "%s: %s\n", path, cause);
		g_free(cause);
		g_free(path);
		goto out;
	}

	hs = calendar_holidays(cal);
	h0 = hs->pdata[0];
	h1 = hs->pdata[hs->len - 1];
	a = calendar_date_iso(&h0->date);
	b = calendar_date_iso(&h1->date);
	printf("installed %s as %s: %u England and Wales bank holidays, %s "
	    "to %s\n", file, path, hs->len, a, b);
	g_free(a);
	g_free(b);
	if (g_date_get_year(&last) == g_date_get_year(&today)) {
		a = calendar_date_iso(&last);
		printf("note: the list ends on %s; limits that run past it "
		    "cannot be worked out until a list covering %u is "
		    "installed\n", a, g_date_get_year(&today) + 1);
		g_free(a);
	}
	g_free(path);
	rc = 0;
out:
	calendar_free(cal);
	g_free(data);
	return (rc);
}

/* "FROM:TO[:WHY]", both dates YYYY-MM-DD. */
static gboolean
parse_stop(const char *arg, struct clock_stop *s)
{
	char	**f = g_strsplit(arg, ":", 3);
	gboolean ok;

	ok = f[0] != NULL && f[1] != NULL &&
	    calendar_parse_date(f[0], &s->from) &&
	    calendar_parse_date(f[1], &s->to);
	s->why = NULL;
	if (ok && f[2] != NULL)
		s->why = g_intern_string(f[2]);
	g_strfreev(f);
	return (ok);
}

/* "DAYS[:WHY]". */
static gboolean
parse_extension(const char *arg, struct clock_extension *e)
{
	char	**f = g_strsplit(arg, ":", 2);
	gint64	 n;
	gboolean ok;

	ok = g_ascii_string_to_signed(f[0], 10, 1, 366, &n, NULL);
	e->days = (int)n;
	e->why = NULL;
	if (ok && f[1] != NULL)
		e->why = g_intern_string(f[1]);
	g_strfreev(f);
	return (ok);
}

static int
show(const char *config_path, const char *to, char **stops_arg,
    char **ext_arg, const char *start, const char *days_arg)
{
	struct calendar	*cal = NULL;
	struct deadline_calc *calc;
	struct clock_stop s;
	struct clock_extension e;
	GArray		*stops, *exts;
	GDate		 received;
	gint64		 days;
	char		*path, *cause = NULL, *text;
	int		 rc = 1;

	stops = g_array_new(FALSE, FALSE, sizeof(struct clock_stop));
	exts = g_array_new(FALSE, FALSE, sizeof(struct clock_extension));
	for (; stops_arg != NULL && *stops_arg != NULL; stops_arg++) {
		if (!parse_stop(*stops_arg, &s)) {
			fprintf(stderr, "redress calendar show: --stop %s: "
			    "expected FROM:TO[:WHY] with dates as "
			    "YYYY-MM-DD\n", *stops_arg);
			goto out;
		}
		g_array_append_val(stops, s);
	}
	for (; ext_arg != NULL && *ext_arg != NULL; ext_arg++) {
		if (!parse_extension(*ext_arg, &e)) {
			fprintf(stderr, "redress calendar show: --extend %s: "
			    "expected DAYS[:WHY], DAYS from 1 to 366\n",
			    *ext_arg);
			goto out;
		}
		g_array_append_val(exts, e);
	}
	if (strcmp(start, "today") == 0) {
		if (clock_init(&cause) != 0) {
			fprintf(stderr, "redress calendar show: %s\n", cause);
			g_free(cause);
			goto out;
		}
		calendar_local_date(clock_now(), &received);
	} else if (!calendar_parse_date(start, &received)) {
		fprintf(stderr, "redress calendar show: start '%s': expected "
		    "YYYY-MM-DD or today\n", start);
		goto out;
	}
	if (!g_ascii_string_to_signed(days_arg, 10, 1, 1000, &days, NULL)) {
		fprintf(stderr, "redress calendar show: '%s' working days: "
		    "expected a number from 1 to 1000\n", days_arg);
		goto out;
	}

	if ((path = calendar_path(config_path, to)) == NULL)
		goto out;
	if (calendar_load(path, &cal, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		g_free(cause);
		g_free(path);
		goto out;
	}
	g_free(path);
	if (calendar_deadline(cal, &received, (int)days, stops, exts, &calc,
	    &cause) != 0) {
		fprintf(stderr, "redress calendar show: %s\n", cause);
		g_free(cause);
		goto out;
	}
	text = deadline_calc_explain(calc);
	fputs(text, stdout);
	g_free(text);
	deadline_calc_free(calc);
	rc = 0;
out:
	calendar_free(cal);
	g_array_unref(stops);
	g_array_unref(exts);
	return (rc);
}

int
cmd_calendar(int argc, char **argv)
{
	char		*config_path = NULL, *to = NULL;
	char		**stops = NULL, **exts = NULL;
	GOptionContext	*ctx;
	GError		*error = NULL;
	int		 rc = 1;
	GOptionEntry	 entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		  "configuration file naming the calendar", "CONFIG" },
		{ "to", 0, 0, G_OPTION_ARG_FILENAME, &to,
		  "the installed list itself, instead of the configuration",
		  "PATH" },
		{ "stop", 0, 0, G_OPTION_ARG_STRING_ARRAY, &stops,
		  "show: the clock stopped over these days", "FROM:TO[:WHY]" },
		{ "extend", 0, 0, G_OPTION_ARG_STRING_ARRAY, &exts,
		  "show: the limit was extended", "DAYS[:WHY]" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};

	if (argc < 2) {
		usage(stderr);
		return (1);
	}
	ctx = g_option_context_new(NULL);
	g_option_context_set_help_enabled(ctx, FALSE);
	g_option_context_add_main_entries(ctx, entries, NULL);
	argc--;
	argv++;
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "redress calendar: %s\n", error->message);
		usage(stderr);
		g_error_free(error);
		goto out;
	}
	if (config_path != NULL && to != NULL) {
		fprintf(stderr, "redress calendar: give -c CONFIG or --to "
		    "PATH, not both\n");
		goto out;
	}
	if (strcmp(argv[0], "update") == 0 && argc == 2 &&
	    stops == NULL && exts == NULL)
		rc = update(config_path, to, argv[1]);
	else if (strcmp(argv[0], "show") == 0 && argc == 3)
		rc = show(config_path, to, stops, exts, argv[1], argv[2]);
	else if (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0) {
		usage(stdout);
		rc = 0;
	} else
		usage(stderr);
out:
	g_option_context_free(ctx);
	g_free(config_path);
	g_free(to);
	g_strfreev(stops);
	g_strfreev(exts);
	return (rc);
}
