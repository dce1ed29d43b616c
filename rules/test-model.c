/*
 * test-model.c: the learned layer's model file (read, written, refused)
 * and its features (message_parse() then rules_features() on anything),
 * and the shipped rules/model.txt.
 */
#include <stdlib.h>
#include <string.h>

#include "message.h"
#include "model.h"
#include "msg-features.h"
#include "rules.h"
#include "verdict.h"
#include "tests/tap.h"

static const char good[] =
    "# redress model\n"
    "extractor " G_STRINGIFY(FEATURES_VERSION) "\n"
    "# made by hand for the test\n"
    "field kind\n"
    "classes complaint vrr\n"
    "bias 0.5 -0.5\n"
    "features 2\n"
    "rule:vrr-ask\t-2 2\n"
    "w:review\t-1.5 1.5\n"
    "field category\n"
    "classes legal service mixed\n"
    "bias 0 0.25 -1\n"
    "features 1\n"
    "w:rude\t-1 2 0\n"
    "end\n";

static gboolean
has_error(GPtrArray *errors, const char *prefix, const char *text)
{
	guint	i;

	for (i = 0; i < errors->len; i++) {
		const char	*e = g_ptr_array_index(errors, i);

		if (g_str_has_prefix(e, prefix) && strstr(e, text) != NULL)
			return (TRUE);
	}
	for (i = 0; i < errors->len; i++)
		printf("#   %s\n", (char *)g_ptr_array_index(errors, i));
	return (FALSE);
}

/* Parse text; NULL expected, and an error starting prefix with text. */
static void
refused(const char *text, const char *prefix, const char *what,
    const char *why)
{
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);
	struct model	*m = model_parse("m.txt", text, strlen(text), errors);

	ok(m == NULL && has_error(errors, prefix, what), "%s", why);
	model_free(m);
	g_ptr_array_unref(errors);
}

static struct fvec *
vec(const char *const *names, int n)
{
	struct fvec	*fv = g_new0(struct fvec, 1);
	double		 one = 1;
	int		 i;

	fv->names = g_ptr_array_new_with_free_func(g_free);
	fv->values = g_array_new(FALSE, FALSE, sizeof(double));
	for (i = 0; i < n; i++) {
		g_ptr_array_add(fv->names, g_strdup(names[i]));
		g_array_append_val(fv->values, one);
	}
	return (fv);
}

static void
test_round_trip(void)
{
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);
	struct model	*m = model_parse("m.txt", good, strlen(good), errors);
	const struct model_field *k;
	static const char *const vrr[] = { "rule:vrr-ask", "w:other" };
	struct fvec	*fv;
	double		 p[MODEL_CLASSES_MAX];
	char		*text, *why;

	ok(m != NULL && errors->len == 0, "a model file reads");
	if (m == NULL)
		return;
	text = model_write(m);
	is_str(text, good, "and is written back byte for byte");
	g_free(text);
	k = model_field(m, &schema_kind);
	ok(k != NULL && k->nclass == 2 && k->classes[1] == KIND_VRR,
	    "its kind field has the classes named");
	fv = vec(vrr, 2);
	ok(k != NULL && model_predict(k, fv, p) == 1 && p[1] > 0.8 &&
	    p[0] + p[1] > 0.999 && p[0] + p[1] < 1.001,
	    "a feature with weight decides, probabilities sum to 1");
	why = k != NULL ? model_explain(k, fv, 1, 3) : NULL;
	is_str(why, "rule:vrr-ask +2.00", "the explanation names what "
	    "pushed the class up, and nothing unknown");
	g_free(why);
	fvec_free(fv);
	fv = vec(NULL, 0);
	ok(k != NULL && model_predict(k, fv, p) == 0, "no features: the "
	    "bias decides");
	fvec_free(fv);
	model_free(m);
	g_ptr_array_unref(errors);
}

static void
test_refused(void)
{
	char	*s, *cut;

	s = g_strdup(good);
	s[strlen("# redress model\nextractor ")] = '9';
	refused(s, "m.txt:2: ", "run 'redress train'", "a model from another "
	    "feature extractor version is refused, naming redress train");
	g_free(s);

	s = g_strndup(good, strlen(good) - strlen("end\n"));
	refused(s, "m.txt:15: ", "truncated", "a model without its end is "
	    "truncated, at the line after the last");
	g_free(s);
	cut = strstr(good, "w:review");
	s = g_strndup(good, cut - good + 12);
	refused(s, "m.txt:9: ", "expected 2 weights", "a line cut short is "
	    "named FILE:LINE");
	g_free(s);

	s = g_strdup(good);
	memcpy(strstr(s, "w:review"), "a:review", 8);
	refused(s, "m.txt:9: ", "sorted", "features out of order are refused");
	g_free(s);
	s = g_strdup(good);
	memcpy(strstr(s, "vrr\n"), "vrx\n", 4);
	refused(s, "m.txt:5: ", "'vrx' is not a kind", "a class outside the "
	    "vocabulary is refused");
	g_free(s);
	s = g_strdup(good);
	memcpy(strstr(s, "1.5 1.5"), "1.5 x.5", 7);
	refused(s, "m.txt:9: ", "expected 2 weights", "a weight that is not "
	    "a number is refused");
	g_free(s);
	refused("PK\003\004 a zip file", "m.txt:1: ", "not a redress model",
	    "another file is refused");
	refused("", "m.txt:1: ", "before its header", "an empty file is "
	    "refused");
	s = g_strconcat(good, "end\n", NULL);
	refused(s, "m.txt:16: ", "after 'end'", "text after the end is "
	    "refused");
	g_free(s);
}

/* Features of any input: no crash, sorted, unique, finite. */
static void
test_features(void)
{
	struct parse_limits	 limits = PARSE_LIMITS_DEFAULT;
	GPtrArray		*errors = g_ptr_array_new_with_free_func(g_free);
	static const char	 rules[] = "rule apple\n  when body ~ /apple/\n"
	    "  then kind vrr +5\n";
	struct rule_text	 rt = { "t.rules", rules, sizeof rules - 1 };
	struct ruleset		*rs = ruleset_parse(&rt, 1, errors);
	static const char *const inputs[] = {
		"",
		"From: a@example.org\r\nSubject: apple\r\n\r\nAn apple. "
		    "Ysgrifennaf i gwyno am y penderfyniad.\r\n",
		"Subject: =?utf-8?b?/w==?=\r\n\r\n\xff\xfe\x80 x",
		"\r\n\r\n'''' '' a' 'b --- \xe2\x80\x99",
	};
	GRand	*r = g_rand_new_with_seed(7);
	guint	 i, k;
	int	 mk;
	gboolean machine;

	ok(rs != NULL, "a ruleset for the features");
	for (i = 0; rs != NULL && i < G_N_ELEMENTS(inputs) + 20; i++) {
		struct message	*m = NULL;
		struct fvec	*fv;
		char		*cause = NULL, buf[2000];
		const char	*in = buf;
		size_t		 len;
		gboolean	 sorted = TRUE;

		if (i < G_N_ELEMENTS(inputs)) {
			in = inputs[i];
			len = strlen(in);
		} else {
			len = g_rand_int_range(r, 0, sizeof buf);
			for (k = 0; k < len; k++)
				buf[k] = g_rand_int_range(r, 0, 256);
		}
		if (message_parse(in, len, &limits, &m, &cause) != 0) {
			g_free(cause);
			continue;
		}
		fv = rules_features(rs, m, &mk, &machine);
		for (k = 1; k < fv->names->len; k++)
			sorted &= strcmp(g_ptr_array_index(fv->names, k - 1),
			    g_ptr_array_index(fv->names, k)) < 0;
		if (i < G_N_ELEMENTS(inputs))
			ok(sorted && fv->names->len == fv->values->len,
			    "features of input %u: sorted, each once", i);
		else if (!sorted)
			ok(0, "features of random input %u sorted", i);
		if (i == 1) {
			gboolean rule = FALSE, word = FALSE, gram = FALSE;

			for (k = 0; k < fv->names->len; k++) {
				const char *n = g_ptr_array_index(fv->names, k);

				rule |= strcmp(n, "rule:apple") == 0;
				word |= strcmp(n, "w:penderfyniad") == 0;
				gram |= strcmp(n, "c4:gwyn") == 0;
			}
			ok(rule && word && gram, "the rules that fired, words "
			    "and character n-grams of Welsh are features");
		}
		fvec_free(fv);
		message_free(m);
	}
	g_rand_free(r);
	ruleset_free(rs);
	g_ptr_array_unref(errors);
}

/* The model alone never silences a person: machine mail needs a rule. */
static void
test_machine_needs_a_rule(void)
{
	struct parse_limits	 limits = PARSE_LIMITS_DEFAULT;
	GPtrArray		*errors = g_ptr_array_new_with_free_func(g_free);
	static const char	 rules[] = "rule prize\n  when body ~ /prize/\n"
	    "  then kind spam +1\n";
	static const char	 model[] = "# redress model\nextractor "
	    G_STRINGIFY(FEATURES_VERSION) "\nfield kind\nclasses complaint "
	    "spam\nbias 0 0\nfeatures 1\nw:pear\t-20 20\nend\n";
	static const char	 pear[] = "From: a@example.org\r\n\r\n"
	    "A pear.\r\n";
	static const char	 prize[] = "From: a@example.org\r\n\r\n"
	    "A pear prize.\r\n";
	struct rule_text	 rt = { "t.rules", rules, sizeof rules - 1 };
	struct ruleset		*rs = ruleset_parse(&rt, 1, errors);
	struct message		*m = NULL;
	struct verdict		*v;
	char			*cause = NULL;
	guint			 i;
	gboolean		 said = FALSE;

	if (!ok(rs != NULL, "a ruleset with a spam rule"))
		return;
	ruleset_set_model(rs, model_parse("m.txt", model, strlen(model),
	    errors));
	message_parse(pear, strlen(pear), &limits, &m, &cause);
	v = rules_classify(rs, m, 0);
	ok(v->kind == KIND_COMPLAINT && v->triage &&
	    v->kind_probability[KIND_SPAM] > 0.9, "a message the model alone "
	    "takes for spam is a complaint, for a person to confirm");
	for (i = 0; i < v->hits->len; i++)
		said |= strcmp(((struct rule_hit *)g_ptr_array_index(v->hits,
		    i))->rule, "model-not-machine") == 0;
	ok(said, "and the verdict says why");
	verdict_free(v);
	message_free(m);
	message_parse(prize, strlen(prize), &limits, &m, &cause);
	v = rules_classify(rs, m, 0);
	ok(v->kind == KIND_SPAM && !v->triage, "with a rule for spam too, "
	    "the model's spam stands");
	verdict_free(v);
	message_free(m);
	ruleset_free(rs);
	g_ptr_array_unref(errors);
}

static void
test_shipped(void)
{
	const char	*srcdir = getenv("top_srcdir");
	char		*path, *text = NULL;
	gsize		 len = 0;
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);
	struct model	*m = NULL;

	path = g_build_filename(srcdir != NULL ? srcdir : ".", "rules",
	    "model.txt", NULL);
	if (g_file_get_contents(path, &text, &len, NULL))
		m = model_parse(path, text, len, errors);
	ok(m != NULL && model_field(m, &schema_kind) != NULL &&
	    model_field(m, &schema_category) != NULL, "the shipped %s loads "
	    "and decides kind and category", path);
	ok(len < 2 * 1024 * 1024, "and is under 2 MB (%zu bytes)",
	    (size_t)len);
	if (m != NULL) {
		char	*again = model_write(m);

		ok(strcmp(again, text) == 0, "and is as redress train "
		    "writes it");
		g_free(again);
	}
	model_free(m);
	g_free(text);
	g_free(path);
	g_ptr_array_unref(errors);
}

int
main(void)
{
	test_round_trip();
	test_refused();
	test_features();
	test_machine_needs_a_rule();
	test_shipped();
	return (tap_done());
}
