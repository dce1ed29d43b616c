/*
 * fuzz-features.c: the learned layer under a fuzzer (parsers/fuzz.h),
 * over the fixtures in tests/data/mail when run without libFuzzer.
 *
 * Each input is parsed, then classified by the shipped rules and model
 * ($top_srcdir/rules, read once). Beyond not crashing: the features are
 * sorted, unique and finite, and the kind probabilities sum to 1.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz.h"
#include "message.h"
#include "model.h"
#include "msg-features.h"
#include "rules.h"
#include "verdict.h"

const char	 fuzz_name[] = "fuzz-features";
const char	 fuzz_fixture_dir[] = "mail";
const char	 fuzz_fixture_suffix[] = ".eml";

static int
by_name(gconstpointer a, gconstpointer b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The shipped rules and model, or NULL. Kept for the whole run. */
static struct ruleset *
shipped(void)
{
	static struct ruleset	*rs;
	static gboolean		 tried;
	const char		*top = g_getenv("top_srcdir"), *name;
	GPtrArray		*names, *texts, *errors;
	struct rule_text	*files;
	GDir			*d;
	char			*dir, *path, *text;
	gsize			 len;
	guint			 i;

	if (tried)
		return (rs);
	tried = TRUE;
	dir = g_build_filename(top != NULL ? top : ".", "rules", NULL);
	if ((d = g_dir_open(dir, 0, NULL)) == NULL) {
		g_free(dir);
		return (NULL);
	}
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(name, ".rules"))
			g_ptr_array_add(names, g_build_filename(dir, name,
			    NULL));
	g_dir_close(d);
	g_ptr_array_sort(names, by_name);
	texts = g_ptr_array_new_with_free_func(g_free);
	files = g_new0(struct rule_text, names->len);
	for (i = 0; i < names->len; i++) {
		files[i].name = g_ptr_array_index(names, i);
		if (!g_file_get_contents(files[i].name, &text, &len, NULL)) {
			text = g_strdup("");
			len = 0;
		}
		g_ptr_array_add(texts, text);
		files[i].text = text;
		files[i].len = len;
	}
	errors = g_ptr_array_new_with_free_func(g_free);
	rs = ruleset_parse(files, names->len, errors);
	path = g_build_filename(dir, "model.txt", NULL);
	if (rs != NULL && g_file_get_contents(path, &text, &len, NULL)) {
		ruleset_set_model(rs, model_parse(path, text, len, errors));
		g_free(text);
	}
	g_free(path);
	g_ptr_array_unref(errors);
	g_free(files);
	g_ptr_array_unref(texts);
	g_ptr_array_unref(names);
	g_free(dir);
	return (rs);
}

const char *
fuzz_one(const uint8_t *data, size_t size)
{
	struct parse_limits	 limits = PARSE_LIMITS_DEFAULT;
	const struct ruleset	*rs = shipped();
	struct message		*m = NULL;
	struct verdict		*v;
	struct fvec		*fv;
	const char		*defect = NULL;
	char			*cause = NULL;
	double			 sum = 0;
	gboolean		 machine;
	guint			 i;
	int			 mk, k;

	if (rs == NULL)
		return ("the shipped rules and model in $top_srcdir/rules do "
		    "not load");
	if (message_parse((const char *)data, size, &limits, &m, &cause)
	    != 0) {
		g_free(cause);
		return (NULL);
	}
	fv = rules_features(rs, m, &mk, &machine);
	if (fv->names->len != fv->values->len)
		defect = "a feature without a value";
	for (i = 0; defect == NULL && i < fv->names->len; i++) {
		double	x = g_array_index(fv->values, double, i);

		if (i > 0 && strcmp(g_ptr_array_index(fv->names, i - 1),
		    g_ptr_array_index(fv->names, i)) >= 0)
			defect = "features not sorted or not unique";
		else if (!isfinite(x) || x <= 0)
			defect = "a feature value not finite and positive";
		else if (!g_utf8_validate(g_ptr_array_index(fv->names, i),
		    -1, NULL))
			defect = "a feature name not UTF-8";
	}
	fvec_free(fv);
	v = rules_classify(rs, m, 1790000000);
	for (k = 0; k < KIND__COUNT; k++)
		sum += v->kind_probability[k];
	if (defect == NULL && v->has_probabilities && fabs(sum - 1) > 1e-6)
		defect = "the kind probabilities do not sum to 1";
	if (defect == NULL && m->quarantine != NULL && !v->triage)
		defect = "a quarantined message is not triage";
	verdict_free(v);
	message_free(m);
	return (defect);
}
