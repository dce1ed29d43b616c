/*
 * cmd-train.c: redress train [--folds K] [-C COST] [--fields LIST]
 *     [--prune W] [--rules DIR] [--from-store [-c FILE]] DIR... -o FILE
 *
 * Makes the learned layer's model (rules/model.h) from labelled corpus
 * directories (NNN.eml and labels.tsv, the format of the shared corpus;
 * or a .tsv file of those columns, the messages beside it), and with
 * --from-store also from staff's #kind and #category corrections held in
 * the database of the configuration (-c FILE), so that a service's own
 * mail improves its model)
 * with liblinear's L2-regularised logistic regression, and prints K-fold
 * cross-validated accuracy per field beside what the rules alone score,
 * the kind confusion matrix and the triage rate. The folds go through
 * the same pruned model and the same inference code (model_predict()) as
 * the daemon, so the figures are of what would ship.
 *
 * Deterministic: the messages in the order given, features by name,
 * folds from a fixed seed, liblinear's primal solver (no randomness),
 * weights written with %.6g. Same input, same bytes.
 *
 * C, the cost, is chosen per field by cross-validation over the training
 * directories when -C is not given (from COSTS below).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* liblinear calls its model "struct model", as rules/model.h does ours */
#define model linear_model
#include <linear.h>
#undef model

#include "cmd.h"
#include "config.h"
#include "store.h"
#include "message.h"
#include "model.h"
#include "msg-features.h"
#include "rules-load.h"
#include "rules.h"
#include "verdict.h"

/* The costs tried per field, and the weights below which one is dropped
 * (a smaller model file; rules/README has accuracy against size). */
static const double COSTS[] = { 1, 4, 16, 64 };
#define PRUNE_DEFAULT	0.1
/* triage_confidence settings whose triage rate is shown (the margin
 * stays the default) */
static const double TRIAGE_TRY[] = { 0.5, 0.6, 0.7, 0.8, 0.9 };
#define FOLDS_DEFAULT	10
#define SEED		20261207
/* features in fewer training messages than this are not learned from */
#define MIN_DF		2

/* The fields a model may learn, and the labels.tsv column of each. */
static const struct label_names *const FIELDS[] = {
	&schema_kind, &schema_category, &schema_representative,
	&schema_authority,
};
#define NFIELDS	((int)G_N_ELEMENTS(FIELDS))

struct doc {
	char		*name;		/* DIR/NNN.eml */
	int		 label[NFIELDS];	/* enum value; *_NONE for "-" */
	int		 machine_kind;	/* decided by a "!" rule, or -1 */
	gboolean	 machine;	/* a rule voted for machine mail */
	int		 rules[NFIELDS];	/* what the rules alone decide */
	struct fvec	*fv;
};

static void
doc_free(gpointer p)
{
	struct doc	*d = p;

	g_free(d->name);
	fvec_free(d->fv);
	g_free(d);
}

static void
quiet(const char *s)
{
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: redress train [--folds K] [-C COST] [--fields "
	    "kind,category,...] [--prune W] [--rules DIR]\n"
	    "           [--from-store [-c FILE]] DIR... -o FILE\n");
}

/* Read DIR/labels.tsv and its messages into docs; errors as FILE:LINE. */
/*
 * Parse raw and add d (its labels set) to docs as name, with its
 * features and what the rules alone decide. 0, or -1 with the reason in
 * errors (d is then the caller's to free).
 */
static int
add_doc(const struct ruleset *rs, struct doc *d, const char *name,
    const char *raw, gsize len, GPtrArray *docs, GPtrArray *errors)
{
	struct parse_limits	 limits = PARSE_LIMITS_DEFAULT;
	struct message		*m = NULL;
	struct verdict		*v;
	char			*why = NULL;

	if (message_parse(raw, len, &limits, &m, &why) != 0) {
		g_ptr_array_add(errors, g_strdup_printf("%s: cannot parse: %s",
		    name, why));
		g_free(why);
		return (-1);
	}
	d->name = g_strdup(name);
	d->fv = rules_features(rs, m, &d->machine_kind, &d->machine);
	/* the rules alone, for comparison; the date does not matter to
	 * these fields */
	v = rules_classify(rs, m, 0);
	d->rules[0] = v->kind;
	d->rules[1] = v->category;
	d->rules[2] = v->representative;
	d->rules[3] = v->authority;
	verdict_free(v);
	message_free(m);
	g_ptr_array_add(docs, d);
	return (0);
}

static void
read_corpus(const char *arg, const struct ruleset *rs, GPtrArray *docs,
    GPtrArray *errors)
{
	GError			*error = NULL;
	char			*path, *text, **lines, **head, *dir;
	int			 col[NFIELDS], filecol = -1, i, k, f;

	/* DIR (its labels.tsv), or a .tsv file of the same columns whose
	 * messages lie beside it (tests/data/rules/expected.tsv) */
	if (g_str_has_suffix(arg, ".tsv") && g_file_test(arg,
	    G_FILE_TEST_IS_REGULAR)) {
		dir = g_path_get_dirname(arg);
		path = g_strdup(arg);
	} else {
		dir = g_strdup(arg);
		path = g_build_filename(dir, "labels.tsv", NULL);
	}
	if (!g_file_get_contents(path, &text, NULL, &error)) {
		g_ptr_array_add(errors, g_strdup_printf("%s: cannot read: %s; "
		    "a corpus directory holds NNN.eml files and labels.tsv",
		    path, error->message));
		g_error_free(error);
		g_free(path);
		g_free(dir);
		return;
	}
	lines = g_strsplit(text, "\n", -1);
	g_free(text);
	head = g_strsplit(g_strchomp(lines[0]), "\t", -1);
	for (f = 0; f < NFIELDS; f++)
		col[f] = -1;
	for (k = 0; head[k] != NULL; k++) {
		if (strcmp(head[k], "file") == 0)
			filecol = k;
		for (f = 0; f < NFIELDS; f++)
			if (strcmp(head[k], FIELDS[f]->field) == 0)
				col[f] = k;
	}
	if (filecol < 0 || col[0] < 0) {
		g_ptr_array_add(errors, g_strdup_printf("%s:1: expected a "
		    "header line with 'file' and 'kind' columns (tab-"
		    "separated)", path));
		goto out;
	}
	for (i = 1; lines[i] != NULL; i++) {
		char		**cell, *eml, *raw;
		struct doc	*d;
		gsize		 len;
		int		 n, bad = 0;

		g_strchomp(lines[i]);
		if (*lines[i] == '\0')
			continue;
		cell = g_strsplit(lines[i], "\t", -1);
		n = g_strv_length(cell);
		d = g_new0(struct doc, 1);
		for (f = 0; f < NFIELDS; f++) {
			const char	*v;

			d->label[f] = 0;	/* every *_NONE is 0 */
			if (col[f] < 0)
				continue;
			v = col[f] < n ? cell[col[f]] : "";
			/* "-" only where the field has it */
			if ((d->label[f] = label_value(FIELDS[f], v)) < 0) {
				char	*ok = label_choices(FIELDS[f], FALSE);

				g_ptr_array_add(errors, g_strdup_printf(
				    "%s:%d: %s '%s' is not one of %s", path,
				    i + 1, FIELDS[f]->field, v, ok));
				g_free(ok);
				bad = 1;
			}
		}
		if (filecol >= n || *cell[filecol] == '\0' ||
		    strchr(cell[filecol], '/') != NULL) {
			g_ptr_array_add(errors, g_strdup_printf("%s:%d: expected "
			    "a file name in column %d", path, i + 1,
			    filecol + 1));
			bad = 1;
		}
		if (bad) {
			g_strfreev(cell);
			g_free(d);
			continue;
		}
		eml = g_build_filename(dir, cell[filecol], NULL);
		g_strfreev(cell);
		if (!g_file_get_contents(eml, &raw, &len, &error)) {
			g_ptr_array_add(errors, g_strdup_printf("%s:%d: cannot "
			    "read %s: %s", path, i + 1, eml, error->message));
			g_clear_error(&error);
			g_free(eml);
			g_free(d);
			continue;
		}
		if (add_doc(rs, d, eml, raw, len, docs, errors) != 0)
			g_free(d);
		g_free(raw);
		g_free(eml);
	}
out:
	g_strfreev(head);
	g_strfreev(lines);
	g_free(path);
	g_free(dir);
}

/*
 * Staff's #kind and #category corrections held in the store (--from-store),
 * as examples labelled with kind and category. 0, or 1 (the exit status)
 * with the reason printed.
 */
static int
read_store(const char *conf_path, const struct ruleset *rs, GPtrArray *docs,
    GPtrArray *errors)
{
	struct config	*config;
	struct store	*st;
	GPtrArray	*examples;
	char		*cause = NULL, *name;
	guint		 i;
	int		 rc;

	if ((rc = cmd_open_store(conf_path, &config, &st)) != 0)
		return (rc);
	rc = store_corrections(st, &examples, &cause);
	store_close(st);
	config_free(config);
	if (rc != 0) {
		fprintf(stderr, "redress train: %s\n", cause);
		g_free(cause);
		return (1);
	}
	for (i = 0; i < examples->len; i++) {
		const struct correction_example *e = g_ptr_array_index(
		    examples, i);
		struct doc	*d = g_new0(struct doc, 1);
		gsize		 len;
		const char	*raw = g_bytes_get_data(e->raw, &len);

		name = g_strdup_printf("store: case %s", e->ref);
		d->label[0] = label_value(&schema_kind, e->kind);
		d->label[1] = label_value(&schema_category, e->category);
		if (d->label[0] < 0 || d->label[1] < 0) {
			g_ptr_array_add(errors, g_strdup_printf("%s: kind '%s' "
			    "or category '%s' is not a label", name, e->kind,
			    e->category));
			g_free(d);
		} else if (add_doc(rs, d, name, raw, len, docs, errors) != 0)
			g_free(d);
		g_free(name);
	}
	g_ptr_array_unref(examples);
	return (0);
}

/* Whether d is a training example for field f: it has a value there. */
static gboolean
applies(const struct doc *d, int f)
{
	return (f == 0 || d->label[f] != 0);
}

static int
by_name(gconstpointer a, gconstpointer b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * Train field f on docs[idx[0..n-1]] with cost C. A new field of out,
 * its weights below prune dropped.
 */
static void
train_field(GPtrArray *docs, const guint *idx, guint n, int f, double C,
    double prune, struct model *out)
{
	GHashTable		*df, *index;
	GPtrArray		*names;
	struct problem		 prob;
	struct parameter	 param;
	struct linear_model	*lm;
	struct feature_node	*nodes, **x;
	struct model_field	*mf;
	double			*y, w[MODEL_CLASSES_MAX];
	guint			 i, k, nnz = 0, at = 0;
	int			 labels[MODEL_CLASSES_MAX], c, j;

	/* the vocabulary: features of at least MIN_DF training messages */
	df = g_hash_table_new(g_str_hash, g_str_equal);
	for (i = 0; i < n; i++) {
		const struct doc *d = g_ptr_array_index(docs, idx[i]);

		for (k = 0; k < d->fv->names->len; k++) {
			gpointer key = g_ptr_array_index(d->fv->names, k);

			g_hash_table_insert(df, key, GINT_TO_POINTER(
			    GPOINTER_TO_INT(g_hash_table_lookup(df, key)) + 1));
		}
	}
	names = g_ptr_array_new();
	{
		GHashTableIter	 it;
		gpointer	 key, val;

		g_hash_table_iter_init(&it, df);
		while (g_hash_table_iter_next(&it, &key, &val))
			if (GPOINTER_TO_INT(val) >= MIN_DF)
				g_ptr_array_add(names, key);
	}
	g_ptr_array_sort(names, by_name);
	index = g_hash_table_new(g_str_hash, g_str_equal);
	for (k = 0; k < names->len; k++)
		g_hash_table_insert(index, g_ptr_array_index(names, k),
		    GUINT_TO_POINTER(k + 1));

	for (i = 0; i < n; i++) {
		const struct doc *d = g_ptr_array_index(docs, idx[i]);

		nnz += d->fv->names->len + 2;
	}
	nodes = g_new(struct feature_node, nnz);
	x = g_new(struct feature_node *, n);
	y = g_new(double, n);
	for (i = 0; i < n; i++) {
		const struct doc *d = g_ptr_array_index(docs, idx[i]);

		x[i] = nodes + at;
		y[i] = d->label[f];
		/* fv is sorted by name, and so is the index */
		for (k = 0; k < d->fv->names->len; k++) {
			guint	fi = GPOINTER_TO_UINT(g_hash_table_lookup(index,
			    g_ptr_array_index(d->fv->names, k)));

			if (fi == 0)
				continue;
			nodes[at].index = fi;
			nodes[at].value = g_array_index(d->fv->values, double,
			    k);
			at++;
		}
		nodes[at].index = names->len + 1;	/* the bias */
		nodes[at].value = 1;
		at++;
		nodes[at].index = -1;
		at++;
	}
	memset(&prob, 0, sizeof prob);
	prob.l = n;
	prob.n = names->len + 1;
	prob.x = x;
	prob.y = y;
	prob.bias = -1;		/* the bias is the last feature above */
	memset(&param, 0, sizeof param);
	param.solver_type = L2R_LR;
	param.C = C;
	param.eps = 0.01;

	mf = model_add_field(out, FIELDS[f]);
	lm = train(&prob, &param);
	mf->nclass = get_nr_class(lm);
	get_labels(lm, labels);
	if (mf->nclass == 1) {
		/* one class seen: it always wins (no weights needed) */
		mf->nclass = 2;
		mf->classes[0] = labels[0];
		mf->classes[1] = labels[0] == 0 ? 1 : 0;
		mf->bias[0] = 10;
		mf->bias[1] = -10;
	} else {
		/* classes in schema order, so the file reads the same way
		 * whatever order the messages came in */
		int	order[MODEL_CLASSES_MAX];

		for (c = 0; c < mf->nclass; c++)
			order[c] = c;
		for (c = 1; c < mf->nclass; c++)
			for (j = c; j > 0 && labels[order[j - 1]] >
			    labels[order[j]]; j--) {
				int t = order[j];

				order[j] = order[j - 1];
				order[j - 1] = t;
			}
		for (c = 0; c < mf->nclass; c++) {
			mf->classes[c] = labels[order[c]];
			mf->bias[c] = get_decfun_coef(lm, names->len + 1,
			    order[c]);
		}
		for (k = 0; k < names->len; k++) {
			gboolean	any = FALSE;

			for (c = 0; c < mf->nclass; c++) {
				w[c] = get_decfun_coef(lm, k + 1, order[c]);
				if (fabs(w[c]) < prune)
					w[c] = 0;
				else
					any = TRUE;
			}
			if (any)
				model_field_set(mf, g_ptr_array_index(names, k),
				    w);
		}
	}
	free_and_destroy_model(&lm);
	g_free(nodes);
	g_free(x);
	g_free(y);
	g_hash_table_unref(index);
	g_ptr_array_unref(names);
	g_hash_table_unref(df);
}

/* The docs of field f, all of them or those of the folds not held out. */
static guint *
select_docs(GPtrArray *docs, int f, const int *fold, int held, gboolean in,
    guint *n)
{
	guint	*idx = g_new(guint, docs->len + 1), i;

	*n = 0;
	for (i = 0; i < docs->len; i++) {
		if (!applies(g_ptr_array_index(docs, i), f))
			continue;
		if (held >= 0 && (fold[i] == held) != in)
			continue;
		idx[(*n)++] = i;
	}
	return (idx);
}

/* Cross-validated predictions of field f at cost C: pred[i] per doc (of
 * those it applies to), kind probabilities into prob when not NULL. */
static void
cross_validate(GPtrArray *docs, int f, const int *fold, int folds, double C,
    double prune, int *pred, double (*prob)[KIND__COUNT])
{
	int	h;

	for (h = 0; h < folds; h++) {
		struct model	*m = model_new(NULL);
		guint		 ntrain, ntest, *tr, *te, i;
		const struct model_field *mf;

		tr = select_docs(docs, f, fold, h, FALSE, &ntrain);
		te = select_docs(docs, f, fold, h, TRUE, &ntest);
		if (ntrain > 0 && ntest > 0) {
			train_field(docs, tr, ntrain, f, C, prune, m);
			mf = g_ptr_array_index(m->fields, 0);
			for (i = 0; i < ntest; i++) {
				const struct doc *d = g_ptr_array_index(docs,
				    te[i]);
				double	p[MODEL_CLASSES_MAX];
				int	best = model_predict(mf, d->fv, p), c;

				pred[te[i]] = mf->classes[best];
				if (prob == NULL)
					continue;
				memset(prob[te[i]], 0, sizeof prob[te[i]]);
				for (c = 0; c < mf->nclass; c++)
					prob[te[i]][mf->classes[c]] = p[c];
			}
		}
		g_free(tr);
		g_free(te);
		model_free(m);
	}
}

/* Accuracy of field f alone (where it applies, given the right kind). */
static double
field_accuracy(GPtrArray *docs, int f, const int *pred)
{
	guint	i, n = 0, right = 0;

	for (i = 0; i < docs->len; i++) {
		const struct doc *d = g_ptr_array_index(docs, i);

		if (!applies(d, f))
			continue;
		n++;
		right += pred[i] == d->label[f];
	}
	return (n > 0 ? 100.0 * right / n : 0);
}

static const char *const ABBREV[KIND__COUNT] = {
	"cmp", "fbk", "vrr", "enq", "rpol", "roth", "xdef", "xapp", "auto",
	"bnc", "spam",
};

static int
parse_fields(const char *list, gboolean *use)
{
	char	**names = g_strsplit(list, ",", -1);
	int	 i, f, bad = 0;

	for (f = 0; f < NFIELDS; f++)
		use[f] = FALSE;
	for (i = 0; names[i] != NULL; i++) {
		for (f = 0; f < NFIELDS; f++)
			if (strcmp(names[i], FIELDS[f]->field) == 0)
				break;
		if (f == NFIELDS) {
			fprintf(stderr, "redress train: --fields: '%s' is not "
			    "kind, category, representative or authority\n",
			    names[i]);
			bad = 1;
		} else
			use[f] = TRUE;
	}
	g_strfreev(names);
	if (!bad && !use[0]) {
		fprintf(stderr, "redress train: --fields must include kind\n");
		bad = 1;
	}
	return (bad ? -1 : 0);
}

int
cmd_train(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "folds", required_argument, NULL, 'k' },
		{ "fields", required_argument, NULL, 'f' },
		{ "prune", required_argument, NULL, 'p' },
		{ "rules", required_argument, NULL, 'r' },
		{ "from-store", no_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*out_path = NULL, *rules_opt = NULL, *conf_path = NULL;
	gboolean	 from_store = FALSE;
	guint		 from_store_n = 0;
	struct ruleset	*rs = NULL;
	struct model	*final;
	GPtrArray	*errors = NULL, *docs;
	GString		*comment;
	gboolean	 use[NFIELDS] = { TRUE, TRUE, FALSE, FALSE };
	double		 cost = 0, prune = PRUNE_DEFAULT, chosen[NFIELDS];
	double		(*prob)[KIND__COUNT];
	int		*fold, *pred[NFIELDS], folds = FOLDS_DEFAULT, ch, f, i;
	char		*dir, *end, *text;
	GRand		*rand;
	guint		 k, c;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "C:c:o:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 's':
			from_store = TRUE;
			break;
		case 'c':
			conf_path = optarg;
			break;
		case 'k':
			folds = strtol(optarg, &end, 10);
			if (*end != '\0' || folds < 2 || folds > 100) {
				fprintf(stderr, "redress train: --folds %s: "
				    "give a number from 2 to 100\n", optarg);
				return (2);
			}
			break;
		case 'C':
			cost = g_ascii_strtod(optarg, &end);
			if (*end != '\0' || !(cost > 0)) {
				fprintf(stderr, "redress train: -C %s: give a "
				    "positive number\n", optarg);
				return (2);
			}
			break;
		case 'p':
			prune = g_ascii_strtod(optarg, &end);
			if (*end != '\0' || !(prune >= 0)) {
				fprintf(stderr, "redress train: --prune %s: "
				    "give a number, 0 or more\n", optarg);
				return (2);
			}
			break;
		case 'f':
			if (parse_fields(optarg, use) != 0)
				return (2);
			break;
		case 'r':
			rules_opt = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return (0);
		default:
			usage(stderr);
			return (2);
		}
	}
	if (optind >= argc || out_path == NULL) {
		fprintf(stderr, "redress train: %s\n", out_path == NULL ?
		    "no output file given (-o FILE)" : "no corpus directory "
		    "given");
		usage(stderr);
		return (2);
	}
	set_print_string_function(quiet);

	dir = rules_find_dir(rules_opt, NULL);
	if (rules_load_dir(dir, &rs, &errors) != 0) {
		fprintf(stderr, "redress train: rules in %s not loaded; fix "
		    "these and run again:\n", dir);
		for (k = 0; k < errors->len; k++)
			fprintf(stderr, "  %s\n",
			    (char *)g_ptr_array_index(errors, k));
		g_ptr_array_unref(errors);
		g_free(dir);
		return (2);
	}
	g_free(dir);
	ruleset_set_model(rs, NULL);	/* the rules alone, for comparison */

	errors = g_ptr_array_new_with_free_func(g_free);
	docs = g_ptr_array_new_with_free_func(doc_free);
	for (i = optind; i < argc; i++)
		read_corpus(argv[i], rs, docs, errors);
	if (from_store) {
		k = docs->len;
		if (read_store(conf_path != NULL ? conf_path :
		    REDRESS_SYSCONFDIR "/redress.conf", rs, docs, errors) != 0) {
			ruleset_free(rs);
			g_ptr_array_unref(errors);
			g_ptr_array_unref(docs);
			return (1);
		}
		from_store_n = docs->len - k;
	}
	ruleset_free(rs);
	if (errors->len > 0 || docs->len < 2) {
		fprintf(stderr, "redress train: the corpus is not usable; "
		    "fix these and run again:\n");
		for (k = 0; k < errors->len; k++)
			fprintf(stderr, "  %s\n",
			    (char *)g_ptr_array_index(errors, k));
		if (errors->len == 0)
			fprintf(stderr, "  fewer than two labelled messages\n");
		g_ptr_array_unref(errors);
		g_ptr_array_unref(docs);
		return (2);
	}
	g_ptr_array_unref(errors);

	/* the folds: a fixed shuffle, then round robin */
	fold = g_new(int, docs->len);
	{
		guint	*perm = g_new(guint, docs->len), j, t;

		rand = g_rand_new_with_seed(SEED);
		for (k = 0; k < docs->len; k++)
			perm[k] = k;
		for (k = docs->len - 1; k > 0; k--) {
			j = g_rand_int_range(rand, 0, k + 1);
			t = perm[k];
			perm[k] = perm[j];
			perm[j] = t;
		}
		for (k = 0; k < docs->len; k++)
			fold[perm[k]] = k % folds;
		g_free(perm);
		g_rand_free(rand);
	}

	if (from_store)
		printf("%u messages from %d directories and %u staff "
		    "corrections in the store, %d folds\n", docs->len,
		    argc - optind, from_store_n, folds);
	else
		printf("%u messages from %d directories, %d folds\n",
		    docs->len, argc - optind, folds);
	prob = g_malloc0_n(docs->len, sizeof *prob);
	for (f = 0; f < NFIELDS; f++) {
		double	best = -1;

		pred[f] = g_new0(int, docs->len);
		if (!use[f])
			continue;
		for (c = 0; c < G_N_ELEMENTS(COSTS); c++) {
			double	C = cost > 0 ? cost : COSTS[c], acc;
			int	*p = g_new0(int, docs->len);

			cross_validate(docs, f, fold, folds, C, prune, p,
			    f == 0 ? prob : NULL);
			acc = field_accuracy(docs, f, p);
			if (cost == 0)
				printf("  %s C=%g: %.1f%%\n", FIELDS[f]->field,
				    C, acc);
			if (acc > best) {
				best = acc;
				chosen[f] = C;
				memcpy(pred[f], p, docs->len * sizeof *p);
			}
			g_free(p);
			if (cost > 0)
				break;
		}
		if (f == 0 && cost == 0)	/* probabilities of the best C */
			cross_validate(docs, f, fold, folds, chosen[f], prune,
			    pred[f], prob);
	}

	/* end to end, as redress classify would decide */
	{
		int	right[NFIELDS] = { 0 }, rright[NFIELDS] = { 0 };
		int	confusion[KIND__COUNT][KIND__COUNT];
		int	human = 0, triaged = 0, away = 0, wrong = 0, caught = 0;
		int	t_triaged[G_N_ELEMENTS(TRIAGE_TRY)] = { 0 };
		int	t_caught[G_N_ELEMENTS(TRIAGE_TRY)] = { 0 };

		memset(confusion, 0, sizeof confusion);
		for (k = 0; k < docs->len; k++) {
			struct doc	*d = g_ptr_array_index(docs, k);
			struct verdict	 v;
			int		 got[NFIELDS], kind;

			/* as rules_classify() decides */
			memset(&v, 0, sizeof v);
			v.has_probabilities = TRUE;
			if (d->machine_kind >= 0) {
				kind = d->machine_kind;
				v.kind_probability[kind] = 1;
			} else {
				memcpy(v.kind_probability, prob[k],
				    sizeof v.kind_probability);
				kind = rules_pick_kind(prob[k], d->machine);
			}
			v.kind = kind;
			for (c = 0; c < G_N_ELEMENTS(TRIAGE_TRY); c++) {
				verdict_set_triage(&v, TRIAGE_TRY[c],
				    TRIAGE_MARGIN_DEFAULT);
				if (!kind_is_machine(d->label[0]))
					t_triaged[c] += v.triage;
				t_caught[c] += v.triage && kind != d->label[0];
			}
			verdict_set_triage(&v, TRIAGE_CONFIDENCE_DEFAULT,
			    TRIAGE_MARGIN_DEFAULT);
			got[0] = kind;
			got[1] = kind != KIND_COMPLAINT ? 0 : use[1] ?
			    pred[1][k] : d->rules[1];
			got[2] = kind_is_machine(kind) ? 0 : use[2] ?
			    pred[2][k] : d->rules[2];
			got[3] = got[2] == 0 || got[2] == REP_SELF ? 0 :
			    use[3] ? pred[3][k] : d->rules[3];
			/* a field the model does not learn, or a message it
			 * does not apply to, is the rules' decision */
			if (use[2] && !applies(d, 2) && !kind_is_machine(kind))
				got[2] = d->rules[2];
			for (f = 0; f < NFIELDS; f++) {
				right[f] += got[f] == d->label[f];
				rright[f] += d->rules[f] == d->label[f];
			}
			confusion[d->label[0]][kind]++;
			wrong += kind != d->label[0];
			caught += kind != d->label[0] && v.triage;
			if (!kind_is_machine(d->label[0])) {
				human++;
				triaged += v.triage;
				away += (d->label[0] == KIND_COMPLAINT ||
				    d->label[0] == KIND_VRR) &&
				    kind != KIND_COMPLAINT && kind != KIND_VRR &&
				    !kind_is_machine(kind) && !v.triage;
			}
		}
		printf("cross-validated accuracy (rules alone in brackets):\n");
		for (f = 0; f < NFIELDS; f++)
			printf("  %-16s %5.1f%%  (%5.1f%%)%s\n", FIELDS[f]->field,
			    100.0 * right[f] / docs->len,
			    100.0 * rright[f] / docs->len, use[f] ? "" :
			    "  not learned: the rules decide");
		for (f = 0; f < NFIELDS; f++)
			if (use[f])
				printf("  %s: C %g\n", FIELDS[f]->field,
				    chosen[f]);
		printf("kind confusion (row = label, column = model):\n");
		printf("%-20s", "");
		for (c = 0; c < KIND__COUNT; c++)
			printf("%6s", ABBREV[c]);
		printf("\n");
		for (i = 0; i < KIND__COUNT; i++) {
			printf("  %-18s", kind_name(i));
			for (c = 0; c < KIND__COUNT; c++)
				if (confusion[i][c] > 0)
					printf("%6d", confusion[i][c]);
				else
					printf("%6s", ".");
			printf("\n");
		}
		printf("triage %.1f%% of human mail (confidence < %g or margin "
		    "< %g); %d of %d wrong kinds triaged; complaints and VRR "
		    "sent away untriaged %d\n", human > 0 ?
		    100.0 * triaged / human : 0, TRIAGE_CONFIDENCE_DEFAULT,
		    TRIAGE_MARGIN_DEFAULT, caught, wrong, away);
		printf("triage_confidence:");
		for (c = 0; c < G_N_ELEMENTS(TRIAGE_TRY); c++)
			printf(" %g: %.1f%% (%d of %d wrong)", TRIAGE_TRY[c],
			    human > 0 ? 100.0 * t_triaged[c] / human : 0,
			    t_caught[c], wrong);
		printf("\n");
	}

	/* the model itself, from every message */
	comment = g_string_new("# made by: redress train");
	for (f = 0; f < NFIELDS; f++)
		if (use[f])
			g_string_append_printf(comment, " %s C=%g",
			    FIELDS[f]->field, chosen[f]);
	g_string_append_printf(comment, ", prune %g, min df %d, %u messages:",
	    prune, MIN_DF, docs->len);
	for (i = optind; i < argc; i++) {
		char	*base = g_path_get_basename(argv[i]);

		g_string_append_printf(comment, " %s", base);
		g_free(base);
	}
	g_string_append_c(comment, '\n');
	final = model_new(comment->str);
	g_string_free(comment, TRUE);
	for (f = 0; f < NFIELDS; f++) {
		guint	n, *idx;

		if (!use[f])
			continue;
		idx = select_docs(docs, f, fold, -1, FALSE, &n);
		train_field(docs, idx, n, f, chosen[f], prune, final);
		g_free(idx);
	}
	text = model_write(final);
	model_free(final);
	{
		GError	*error = NULL;
		int	 status = 0;

		if (!g_file_set_contents(out_path, text, -1, &error)) {
			fprintf(stderr, "redress train: %s: cannot write: %s\n",
			    out_path, error->message);
			g_error_free(error);
			status = 2;
		} else
			printf("model written to %s (%zu bytes)\n", out_path,
			    strlen(text));
		g_free(text);
		for (f = 0; f < NFIELDS; f++)
			g_free(pred[f]);
		g_free(prob);
		g_free(fold);
		g_ptr_array_unref(docs);
		return (status);
	}
}
