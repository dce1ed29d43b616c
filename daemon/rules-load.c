/* rules-load.c: a rules directory in, a ruleset out, all or nothing. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "rules-load.h"

/* Both come from the build (Makefile.am, daemon/local.mk). */
#ifndef REDRESS_DATADIR
#define REDRESS_DATADIR "/usr/local/share/redress"
#endif
#ifndef REDRESS_SRCDIR
#define REDRESS_SRCDIR "."
#endif

/* A rule file larger than this is a mistake (a log, a mailbox). */
#define RULE_FILE_MAX	(4 * 1024 * 1024)
/* The model beside the rules (rules/README: about 1 MB as shipped). */
#define MODEL_FILE	"model.txt"
#define MODEL_FILE_MAX	(32 * 1024 * 1024)

/*
 * The learned layer: DIR/model.txt when there is one (without it the
 * rules' weights decide, as before there was a model). *model is NULL
 * then; a model that does not read is errors, never ignored.
 */
static void
model_load(const char *dir, struct model **model, GPtrArray *errs)
{
	GError	*error = NULL;
	GStatBuf st;
	char	*path, *text = NULL;
	gsize	 len = 0;

	*model = NULL;
	path = g_build_filename(dir, MODEL_FILE, NULL);
	if (g_stat(path, &st) != 0) {
		g_free(path);
		return;
	}
	if (st.st_size > MODEL_FILE_MAX)
		g_ptr_array_add(errs, g_strdup_printf("%s: %lld bytes is too "
		    "large for a model (at most %d); is it the right file?",
		    path, (long long)st.st_size, MODEL_FILE_MAX));
	else if (!g_file_get_contents(path, &text, &len, &error)) {
		g_ptr_array_add(errs, g_strdup_printf("%s: cannot read: %s; "
		    "check its permissions, or remove it to decide by the "
		    "rules alone", path, error->message));
		g_error_free(error);
	} else
		*model = model_parse(path, text, len, errs);
	g_free(text);
	g_free(path);
}

static int
by_name(gconstpointer a, gconstpointer b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

int
rules_load_dir(const char *dir, struct ruleset **out, GPtrArray **errors)
{
	GPtrArray	*errs, *names, *texts;	/* texts: what files borrow */
	struct rule_text *files;
	GDir		*d;
	GError		*error = NULL;
	const char	*name;
	struct ruleset	*rs;
	struct model	*model;
	guint		 i, n = 0;

	errs = g_ptr_array_new_with_free_func(g_free);
	if (dir == NULL || *dir == '\0') {
		g_ptr_array_add(errs, g_strdup("no rules directory given; set "
		    "'rules' in the configuration or REDRESS_RULES"));
		*errors = errs;
		return (-1);
	}
	if ((d = g_dir_open(dir, 0, &error)) == NULL) {
		g_ptr_array_add(errs, g_strdup_printf("%s: cannot open the "
		    "rules directory: %s; check the 'rules' setting", dir,
		    error->message));
		g_error_free(error);
		*errors = errs;
		return (-1);
	}
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)) != NULL)
		if (name[0] != '.' && g_str_has_suffix(name, ".rules"))
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(d);
	g_ptr_array_sort(names, by_name);
	if (names->len == 0)
		g_ptr_array_add(errs, g_strdup_printf("%s: no *.rules files; "
		    "point 'rules' at the directory of rule files", dir));

	/* Read them all, then parse them all: every error of every file is
	 * reported, and nothing is kept when there is one. */
	texts = g_ptr_array_new_with_free_func(g_free);
	files = g_new0(struct rule_text, names->len);
	for (i = 0; i < names->len; i++) {
		char	*path = g_build_filename(dir,
		    (char *)g_ptr_array_index(names, i), NULL);
		char	*text = NULL;
		gsize	 len = 0;
		GStatBuf st;

		g_ptr_array_add(texts, path);
		if (g_stat(path, &st) == 0 && st.st_size > RULE_FILE_MAX)
			g_ptr_array_add(errs, g_strdup_printf("%s: %lld bytes "
			    "is too large for a rule file (at most %d); is it "
			    "the right file?", path, (long long)st.st_size,
			    RULE_FILE_MAX));
		else if (!g_file_get_contents(path, &text, &len, &error)) {
			g_ptr_array_add(errs, g_strdup_printf("%s: cannot "
			    "read: %s; check its permissions", path,
			    error->message));
			g_clear_error(&error);
		} else {
			g_ptr_array_add(texts, text);
			files[n].name = path;
			files[n].text = text;
			files[n].len = len;
			n++;
		}
	}
	rs = ruleset_parse(files, n, errs);
	model_load(dir, &model, errs);
	if (rs != NULL)
		ruleset_set_model(rs, model);
	else
		model_free(model);
	g_free(files);
	g_ptr_array_unref(texts);
	g_ptr_array_unref(names);
	if (errs->len > 0) {
		ruleset_free(rs);
		*errors = errs;
		return (-1);
	}
	g_ptr_array_unref(errs);
	*out = rs;
	return (0);
}

int
rules_reload(const char *dir, struct ruleset **current, GPtrArray **errors)
{
	struct ruleset	*fresh = NULL;

	if (rules_load_dir(dir, &fresh, errors) != 0)
		return (-1);
	ruleset_free(*current);
	*current = fresh;
	return (0);
}

static gboolean
has_rule_files(const char *dir)
{
	GDir		*d = g_dir_open(dir, 0, NULL);
	const char	*name;
	gboolean	 found = FALSE;

	if (d == NULL)
		return (FALSE);
	while (!found && (name = g_dir_read_name(d)) != NULL)
		found = g_str_has_suffix(name, ".rules");
	g_dir_close(d);
	return (found);
}

char *
rules_find_dir(const char *option, const char *configured)
{
	const char	*env = getenv("REDRESS_RULES");
	char		*installed;

	if (option != NULL && *option != '\0')
		return (g_strdup(option));
	if (configured != NULL && *configured != '\0')
		return (g_strdup(configured));
	if (env != NULL && *env != '\0')
		return (g_strdup(env));
	installed = g_build_filename(REDRESS_DATADIR, "rules", NULL);
	if (has_rule_files(installed))
		return (installed);
	g_free(installed);
	return (g_build_filename(REDRESS_SRCDIR, "rules", NULL));
}
