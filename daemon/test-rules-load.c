/*
 * test-rules-load.c: loading a directory of rule files all or nothing,
 * and reloading it (SIGHUP) without losing the rules in use. The format
 * and the voting are the rules' own tests (rules/test-rulefile.c).
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "message.h"
#include "rules-load.h"
#include "rules.h"
#include "rules/test-rules-mail.h"
#include "tests/tap.h"

static void
write_file(const char *dir, const char *name, const char *text)
{
	char	*path = g_build_filename(dir, name, NULL);

	if (!g_file_set_contents(path, text, -1, NULL)) {
		printf("# cannot write %s\n", path);
		exit(1);
	}
	g_free(path);
}

static void
remove_file(const char *dir, const char *name)
{
	char	*path = g_build_filename(dir, name, NULL);

	g_unlink(path);
	g_free(path);
}

static void
test_load_dir(void)
{
	char		*dir = g_dir_make_tmp("rules-XXXXXX", NULL), *shipped;
	char		*file, *prefix;
	struct ruleset	*rs = NULL, *old;
	GPtrArray	*errors = NULL;
	struct verdict	*v;
	const char	*srcdir = getenv("top_srcdir");

	ok(dir != NULL, "a scratch rules directory");
	if (dir == NULL)
		return;
	ok(rules_load_dir(dir, &rs, &errors) == -1 && rs == NULL &&
	    errors->len == 1 && strstr(g_ptr_array_index(errors, 0),
	    "no *.rules files") != NULL, "an empty directory is an error "
	    "that says so");
	g_ptr_array_unref(errors);
	errors = NULL;

	write_file(dir, "10-a.rules", "rule a\n  when body ~ /apple/\n"
	    "  then kind vrr +5\n");
	write_file(dir, "README", "not a rule file\n");
	ok(rules_load_dir(dir, &rs, &errors) == 0 && rs != NULL &&
	    errors == NULL, "a good directory loads (other files ignored)");
	old = rs;

	write_file(dir, "20-b.rules", "rule b\n  when body ~ /(/\n"
	    "  then kind vrr\nrule c\n  when body ~ /x/\n  then kind nope\n");
	ok(rules_reload(dir, &rs, &errors) == -1, "a reload with a mistake "
	    "fails");
	ok(rs == old, "and keeps the rules it had");
	file = g_build_filename(dir, "20-b.rules", NULL);
	prefix = g_strdup_printf("%s:2: ", file);
	ok(errors != NULL && errors->len == 2 && has_error(errors, prefix,
	    "regular expression"), "errors name DIR/FILE:LINE");
	g_free(prefix);
	prefix = g_strdup_printf("%s:6: ", file);
	ok(has_error(errors, prefix, "'nope' is not a kind"),
	    "all errors of all files are reported");
	g_free(prefix);
	g_free(file);
	if (errors != NULL)
		g_ptr_array_unref(errors);
	errors = NULL;
	v = run(rs, "", "an apple a day\n");
	is_str(kind_name(v->kind), "vrr", "the kept rules still classify");
	verdict_free(v);

	write_file(dir, "20-b.rules", "rule b\n  when body ~ /pear/\n"
	    "  then kind enquiry +9\n");
	ok(rules_reload(dir, &rs, &errors) == 0 && rs != old,
	    "a clean reload replaces the rules");
	v = run(rs, "", "an apple and a pear\n");
	is_str(kind_name(v->kind), "enquiry", "the new rules classify");
	verdict_free(v);
	ruleset_free(rs);
	rs = NULL;

	ok(rules_load_dir("/nonexistent/rules", &rs, &errors) == -1 &&
	    errors->len == 1 && strstr(g_ptr_array_index(errors, 0),
	    "/nonexistent/rules: cannot open") != NULL,
	    "a missing directory is named");
	g_ptr_array_unref(errors);
	errors = NULL;

	shipped = g_build_filename(srcdir != NULL ? srcdir : ".", "rules",
	    NULL);
	ok(rules_load_dir(shipped, &rs, &errors) == 0, "the shipped rules "
	    "in %s load without errors", shipped);
	if (errors != NULL) {
		guint	i;

		for (i = 0; i < errors->len; i++)
			printf("#   %s\n", (char *)g_ptr_array_index(errors, i));
		g_ptr_array_unref(errors);
	}
	ruleset_free(rs);
	g_free(shipped);

	remove_file(dir, "10-a.rules");
	remove_file(dir, "20-b.rules");
	remove_file(dir, "README");
	g_rmdir(dir);
	g_free(dir);
}

int
main(void)
{
	test_load_dir();
	return (tap_done());
}
