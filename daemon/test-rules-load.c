/*
 * test-rules-load.c: loading a directory of rule files all or nothing,
 * and reloading it (SIGHUP) without losing the rules in use. The format
 * and the voting are the rules' own tests (rules/test-rulefile.c).
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "message.h"
#include "msg-features.h"
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

/* The learned layer beside the rules: loaded with them, all or nothing. */
static void
test_model(void)
{
	char		*dir = g_dir_make_tmp("rules-XXXXXX", NULL), *file;
	char		*prefix;
	struct ruleset	*rs = NULL, *old;
	GPtrArray	*errors = NULL;
	struct verdict	*v;
	static const char model[] =
	    "# redress model\n"
	    "extractor " G_STRINGIFY(FEATURES_VERSION) "\n"
	    "field kind\n"
	    "classes complaint enquiry\n"
	    "bias 0 0\n"
	    "features 1\n"
	    "w:pear\t-9 9\n"
	    "end\n";

	ok(dir != NULL, "a scratch rules directory for a model");
	if (dir == NULL)
		return;
	write_file(dir, "10-a.rules", "rule a\n  when body ~ /apple/\n"
	    "  then kind vrr +5\n");
	write_file(dir, "model.txt", model);
	ok(rules_load_dir(dir, &rs, &errors) == 0 && rs != NULL,
	    "rules with a model.txt load");
	v = run(rs, "", "an apple and a pear\n");
	is_str(kind_name(v->kind), "enquiry", "the model decides the kind, "
	    "not the rule's weight");
	ok(v->has_probabilities && v->kind_probability[KIND_ENQUIRY] > 0.9,
	    "and the verdict carries its probability");
	verdict_free(v);
	old = rs;

	/* a truncated copy: the daemon keeps what it had (SIGHUP) */
	write_file(dir, "model.txt", "# redress model\nextractor "
	    G_STRINGIFY(FEATURES_VERSION) "\nfield kind\nclasses complaint "
	    "enquiry\nbias 0 0\nfeatures 1\nw:pear\t-3");
	ok(rules_reload(dir, &rs, &errors) == -1 && rs == old,
	    "a reload with a truncated model fails and keeps the old one");
	file = g_build_filename(dir, "model.txt", NULL);
	prefix = g_strdup_printf("%s:7: ", file);
	ok(errors != NULL && has_error(errors, prefix, "expected 2 weights"),
	    "the error names DIR/model.txt:LINE");
	g_free(prefix);
	if (errors != NULL)
		g_ptr_array_unref(errors);
	errors = NULL;
	v = run(rs, "", "a pear\n");
	is_str(kind_name(v->kind), "enquiry", "the kept model still decides");
	verdict_free(v);

	write_file(dir, "model.txt", "# redress model\nextractor 0\nend\n");
	ok(rules_reload(dir, &rs, &errors) == -1 && rs == old,
	    "a model of another extractor version is refused on reload");
	prefix = g_strdup_printf("%s:2: ", file);
	ok(errors != NULL && has_error(errors, prefix, "redress train"),
	    "saying to run redress train");
	g_free(prefix);
	if (errors != NULL)
		g_ptr_array_unref(errors);
	errors = NULL;

	remove_file(dir, "model.txt");
	ok(rules_reload(dir, &rs, &errors) == 0 && rs != old,
	    "without model.txt the rules load alone");
	v = run(rs, "", "an apple and a pear\n");
	is_str(kind_name(v->kind), "vrr", "and their weights decide");
	ok(!v->has_probabilities && !v->triage, "with no probabilities and "
	    "no triage");
	verdict_free(v);
	ruleset_free(rs);
	g_free(file);
	remove_file(dir, "10-a.rules");
	g_rmdir(dir);
	g_free(dir);
}

int
main(void)
{
	test_load_dir();
	test_model();
	return (tap_done());
}
