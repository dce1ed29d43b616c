/*
 * test-rules-dir.h: for the rules' own tests, the rule files of a
 * directory as the daemon reads them (daemon/rules-load.c) but without
 * it: every *.rules file, in name order, through ruleset_parse(). The
 * tests link the pure library only.
 */
#ifndef REDRESS_TEST_RULES_DIR_H
#define REDRESS_TEST_RULES_DIR_H

#include <string.h>

#include <glib.h>

#include "rules.h"

static int
test_rules_by_name(gconstpointer a, gconstpointer b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * The ruleset of dir, or NULL with the reasons appended to errors (a file
 * that cannot be read, or the parser's errors). Caller frees the ruleset.
 */
static struct ruleset *
test_rules_dir(const char *dir, GPtrArray *errors)
{
	GPtrArray	*paths = g_ptr_array_new_with_free_func(g_free);
	GPtrArray	*texts = g_ptr_array_new_with_free_func(g_free);
	struct rule_text *files;
	struct ruleset	*rs = NULL;
	GError		*error = NULL;
	GDir		*d;
	const char	*name;
	guint		 i, before = errors->len;

	if ((d = g_dir_open(dir, 0, &error)) == NULL) {
		g_ptr_array_add(errors, g_strdup(error->message));
		g_error_free(error);
		goto out;
	}
	while ((name = g_dir_read_name(d)) != NULL)
		if (name[0] != '.' && g_str_has_suffix(name, ".rules"))
			g_ptr_array_add(paths, g_build_filename(dir, name,
			    NULL));
	g_dir_close(d);
	g_ptr_array_sort(paths, test_rules_by_name);
	files = g_new0(struct rule_text, paths->len);
	for (i = 0; i < paths->len; i++) {
		char	*text = NULL;
		gsize	 len = 0;

		files[i].name = g_ptr_array_index(paths, i);
		if (!g_file_get_contents(files[i].name, &text, &len, &error)) {
			g_ptr_array_add(errors, g_strdup(error->message));
			g_clear_error(&error);
		}
		g_ptr_array_add(texts, text);
		files[i].text = text != NULL ? text : "";
		files[i].len = len;
	}
	if (errors->len == before)
		rs = ruleset_parse(files, paths->len, errors);
	g_free(files);
out:
	g_ptr_array_unref(texts);
	g_ptr_array_unref(paths);
	return (rs);
}

#endif
