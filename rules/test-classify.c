/*
 * test-classify.c: the shipped rules on the fixtures in tests/data/rules,
 * every field of every one, through the daemon's path (message_parse()
 * then rules_classify(), the rule files parsed by ruleset_parse()).
 * expected.tsv holds what a person reading each message would decide, in
 * the label schema's spellings; fields/labels.tsv the same for messages
 * written from the label definitions, in the corpus format.
 */
#include <stdlib.h>
#include <string.h>

#include "message.h"
#include "rules.h"
#include "rules/test-rules-dir.h"
#include "tests/tap.h"

static const char *const fields[] = {
	"kind", "category", "sentiment", "representative", "authority",
	"matter_date", "out_of_time", "exceptional", "language",
	"contact_restriction"
};

/* Field i of fields[] as the label schema writes it. Caller frees. */
static char *
field(const struct verdict *v, int i)
{
	const char *const values[] = {
		kind_name(v->kind), category_name(v->category),
		sentiment_name(v->sentiment),
		representative_name(v->representative),
		authority_name(v->authority), v->matter_date,
		out_of_time_name(v->out_of_time),
		exceptional_name(v->exceptional), language_name(v->language)
	};

	if (i == G_N_ELEMENTS(values))
		return (restrictions_text(v->restrictions));
	return (g_strdup(values[i]));
}

static struct verdict *
classify(const struct ruleset *rs, const char *path)
{
	static const struct parse_limits limits = PARSE_LIMITS_DEFAULT;
	struct message	*m = NULL;
	struct verdict	*v;
	char		*raw = NULL, *cause = NULL;
	gsize		 len;

	if (!g_file_get_contents(path, &raw, &len, NULL))
		return (NULL);
	if (message_parse(raw, len, &limits, &m, &cause) != 0) {
		printf("# %s: %s\n", path, cause);
		g_free(cause);
		g_free(raw);
		return (NULL);
	}
	/* a fixed clock: every fixture has a Date header anyway */
	v = rules_classify(rs, m, 1790000000);
	message_free(m);
	g_free(raw);
	return (v);
}

/*
 * Check every file listed in dir/name: a header line, then the file and
 * the fields in fields[] order, then `trailing` columns not checked (the
 * corpus format's area). Returns how many files were listed.
 */
static int
check_table(const struct ruleset *rs, const char *dir, const char *name,
    guint trailing)
{
	char		*tsv = g_build_filename(dir, name, NULL);
	char		*text = NULL, **lines;
	guint		 i, k, ncols = 1 + G_N_ELEMENTS(fields) + trailing;
	int		 files = 0;

	if (!g_file_get_contents(tsv, &text, NULL, NULL)) {
		printf("Bail out! cannot read %s\n", tsv);
		exit(1);
	}
	lines = g_strsplit(text, "\n", -1);
	for (i = 1; lines[i] != NULL; i++) {
		char		**cols = g_strsplit(lines[i], "\t", -1);
		char		*path;
		struct verdict	*v;

		if (g_strv_length(cols) != ncols) {
			if (*lines[i] != '\0')
				ok(0, "%s line %u has %u columns, not %u",
				    name, i + 1, g_strv_length(cols), ncols);
			g_strfreev(cols);
			continue;
		}
		path = g_build_filename(dir, cols[0], NULL);
		v = classify(rs, path);
		files++;
		if (!ok(v != NULL, "%s is read and parsed", cols[0])) {
			g_free(path);
			g_strfreev(cols);
			continue;
		}
		for (k = 0; k < G_N_ELEMENTS(fields); k++) {
			char	*what = g_strdup_printf("%s: %s is %s", cols[0],
			    fields[k], cols[k + 1]);
			char	*got = field(v, k);

			is_str(got, cols[k + 1], "%s", what);
			g_free(got);
			g_free(what);
		}
		if (!kind_is_machine(v->kind))
			ok(v->hits->len > 0 || v->kind == KIND_COMPLAINT,
			    "%s: the verdict says which rules decided it",
			    cols[0]);
		verdict_free(v);
		g_free(path);
		g_strfreev(cols);
	}
	g_strfreev(lines);
	g_free(text);
	g_free(tsv);
	return (files);
}

int
main(void)
{
	const char	*srcdir = getenv("top_srcdir");
	char		*rules_dir, *data_dir, *fields_dir;
	struct ruleset	*rs;
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);
	guint		 i;
	int		 files;

	if (srcdir == NULL)
		srcdir = ".";
	rules_dir = g_build_filename(srcdir, "rules", NULL);
	data_dir = g_build_filename(srcdir, "tests", "data", "rules", NULL);
	fields_dir = g_build_filename(data_dir, "fields", NULL);
	if ((rs = test_rules_dir(rules_dir, errors)) == NULL) {
		for (i = 0; i < errors->len; i++)
			printf("# %s\n", (char *)g_ptr_array_index(errors, i));
		printf("Bail out! the shipped rules in %s do not load\n",
		    rules_dir);
		return (1);
	}
	files = check_table(rs, data_dir, "expected.tsv", 0);
	ok(files >= 60, "every kind and field is covered by the fixtures "
	    "(%d files)", files);
	/* messages written from the label definitions, one feature each,
	 * in the corpus format (tests/data/rules/fields/README) */
	files = check_table(rs, fields_dir, "labels.tsv", 1);
	ok(files >= 50, "the fields' own messages are all read (%d files)",
	    files);
	g_free(fields_dir);
	g_free(data_dir);
	g_free(rules_dir);
	ruleset_free(rs);
	g_ptr_array_unref(errors);
	return (tap_done());
}
