/*
 * model.c: read, write and apply the learned layer's model (model.h has
 * the file format). Reading is all or nothing and reports every mistake
 * as FILE:LINE, like the rule files: a model is data a person may edit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* The fields a model may decide. */
static const struct label_names *const model_schemas[] = {
	&schema_kind, &schema_category, &schema_representative,
	&schema_authority,
};

static void
field_free(gpointer p)
{
	struct model_field	*f = p;

	g_hash_table_unref(f->weights);
	g_free(f);
}

struct model *
model_new(const char *comment)
{
	struct model	*m = g_new0(struct model, 1);

	m->extractor = FEATURES_VERSION;
	m->comment = g_strdup(comment != NULL ? comment : "");
	m->fields = g_ptr_array_new_with_free_func(field_free);
	return (m);
}

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	g_ptr_array_unref(m->fields);
	g_free(m->comment);
	g_free(m);
}

struct model_field *
model_add_field(struct model *m, const struct label_names *schema)
{
	struct model_field	*f = g_new0(struct model_field, 1);

	f->schema = schema;
	f->weights = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	g_ptr_array_add(m->fields, f);
	return (f);
}

const struct model_field *
model_field(const struct model *m, const struct label_names *schema)
{
	guint	i;

	for (i = 0; m != NULL && i < m->fields->len; i++) {
		const struct model_field *f = g_ptr_array_index(m->fields, i);

		if (f->schema == schema)
			return (f);
	}
	return (NULL);
}

void
model_field_set(struct model_field *f, const char *feature, const double *w)
{
	g_hash_table_replace(f->weights, g_strdup(feature),
	    g_memdup2(w, f->nclass * sizeof *w));
}

/* --- reading */

struct reader {
	const char	*file;
	GPtrArray	*errors;
	int		 line;
};

static void G_GNUC_PRINTF(2, 3)
fail(struct reader *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(r->errors, g_strdup_printf("%s:%d: %s", r->file,
	    r->line, s));
	g_free(s);
}

/* n numbers from s (space-separated), all finite; FALSE when not. */
static gboolean
numbers(const char *s, double *out, int n)
{
	char	*end;
	int	 i;

	for (i = 0; i < n; i++) {
		while (*s == ' ')
			s++;
		out[i] = g_ascii_strtod(s, &end);
		if (end == s || !isfinite(out[i]) ||
		    (*end != ' ' && *end != '\0'))
			return (FALSE);
		s = end;
	}
	while (*s == ' ')
		s++;
	return (*s == '\0');
}

static const struct label_names *
schema_named(const char *name)
{
	guint	i;

	for (i = 0; i < G_N_ELEMENTS(model_schemas); i++)
		if (strcmp(model_schemas[i]->field, name) == 0)
			return (model_schemas[i]);
	return (NULL);
}

/* A field's header lines: classes, bias, features. */
enum expect { E_FIELD, E_CLASSES, E_BIAS, E_COUNT, E_FEATURES };

struct model *
model_parse(const char *filename, const char *text, size_t len,
    GPtrArray *errors)
{
	struct reader		 r = { filename, errors, 0 };
	struct model		*m;
	struct model_field	*f = NULL;
	GString			*comment = g_string_new(NULL);
	char			**lines, *copy, *prev = NULL;
	enum expect		 want = E_FIELD;
	guint			 before = errors->len;
	long			 count = 0, seen = 0;
	gboolean		 ended = FALSE, stop = FALSE;
	int			 i;

	m = model_new(NULL);
	copy = g_strndup(text, len);
	if (strlen(copy) != len) {
		r.line = 1;
		fail(&r, "a NUL byte: this is not a model file; run "
		    "'redress train' to make one");
		stop = TRUE;
	} else if (!g_utf8_validate(copy, -1, NULL)) {
		r.line = 1;
		fail(&r, "not UTF-8 text: this is not a model file; run "
		    "'redress train' to make one");
		stop = TRUE;
	}
	lines = g_strsplit(stop ? "" : copy, "\n", -1);
	g_free(copy);
	for (i = 0; !stop && lines[i] != NULL; i++) {
		char	*l = lines[i], *tab, *arg;
		double	 w[MODEL_CLASSES_MAX];

		r.line = i + 1;
		if (lines[i + 1] == NULL && *l == '\0')
			break;		/* the newline ending the file */
		g_strchomp(l);
		if (i == 0) {
			if (strcmp(l, "# redress model") != 0) {
				fail(&r, "expected '# redress model': this is "
				    "not a redress model; run 'redress train' "
				    "to make one");
				stop = TRUE;
			}
			continue;
		}
		if (i == 1) {
			char	*end;
			long	 v;

			if (!g_str_has_prefix(l, "extractor ") ||
			    (v = strtol(l + 10, &end, 10), *end != '\0')) {
				fail(&r, "expected 'extractor N' (the feature "
				    "extractor version); run 'redress train'");
				stop = TRUE;
			} else if (v != FEATURES_VERSION) {
				fail(&r, "made by feature extractor version "
				    "%ld, but this redress extracts version %d; "
				    "run 'redress train' to make the model "
				    "again", v, FEATURES_VERSION);
				stop = TRUE;
			}
			m->extractor = (int)v;
			continue;
		}
		if (ended) {
			fail(&r, "text after 'end'; is the file two files "
			    "joined?");
			break;
		}
		if (*l == '#' && want != E_FEATURES) {
			if (f == NULL)
				g_string_append_printf(comment, "%s\n", l);
			continue;
		}
		if (want == E_FEATURES && seen == count)
			want = E_FIELD;
		switch (want) {
		case E_FIELD:
			if (strcmp(l, "end") == 0) {
				ended = TRUE;
				continue;
			}
			if (!g_str_has_prefix(l, "field ")) {
				fail(&r, "expected 'field NAME' or 'end'");
				stop = TRUE;
				continue;
			}
			arg = l + 6;
			if (schema_named(arg) == NULL) {
				fail(&r, "'%s' is not a field a model decides "
				    "(kind, category, representative, "
				    "authority)", arg);
				stop = TRUE;
				continue;
			}
			if (model_field(m, schema_named(arg)) != NULL) {
				fail(&r, "field %s a second time", arg);
				stop = TRUE;
				continue;
			}
			f = model_add_field(m, schema_named(arg));
			g_clear_pointer(&prev, g_free);
			want = E_CLASSES;
			break;
		case E_CLASSES: {
			char	**names;
			int	 k;

			if (!g_str_has_prefix(l, "classes ")) {
				fail(&r, "expected 'classes NAME...' for field "
				    "%s", f->schema->field);
				stop = TRUE;
				continue;
			}
			names = g_strsplit(l + 8, " ", -1);
			for (k = 0; names[k] != NULL; k++) {
				int	v = label_choice(f->schema, names[k]);

				if (v < 0 || k >= MODEL_CLASSES_MAX) {
					char	*ok = label_choices(f->schema,
					    TRUE);

					fail(&r, "'%s' is not a %s (%s)",
					    names[k], f->schema->field, ok);
					g_free(ok);
					stop = TRUE;
					break;
				}
				f->classes[k] = v;
			}
			f->nclass = k;
			g_strfreev(names);
			if (!stop && f->nclass < 2) {
				fail(&r, "field %s needs two classes or more",
				    f->schema->field);
				stop = TRUE;
			}
			want = E_BIAS;
			break;
		}
		case E_BIAS:
			if (!g_str_has_prefix(l, "bias ") ||
			    !numbers(l + 5, f->bias, f->nclass)) {
				fail(&r, "expected 'bias' and %d numbers",
				    f->nclass);
				stop = TRUE;
			}
			want = E_COUNT;
			break;
		case E_COUNT: {
			char	*end;

			if (!g_str_has_prefix(l, "features ") ||
			    (count = strtol(l + 9, &end, 10), *end != '\0') ||
			    count < 0) {
				fail(&r, "expected 'features N'");
				stop = TRUE;
			}
			seen = 0;
			want = E_FEATURES;
			break;
		}
		case E_FEATURES:
			if ((tab = strchr(l, '\t')) == NULL || tab == l) {
				fail(&r, "expected FEATURE, a tab and %d "
				    "weights (feature %ld of %ld of field %s)",
				    f->nclass, seen + 1, count,
				    f->schema->field);
				stop = TRUE;
				continue;
			}
			*tab = '\0';
			if (prev != NULL && strcmp(prev, l) >= 0) {
				fail(&r, "feature %s is not after %s: feature "
				    "names are sorted, each once", l, prev);
				stop = TRUE;
				continue;
			}
			if (!numbers(tab + 1, w, f->nclass)) {
				fail(&r, "feature %s: expected %d weights", l,
				    f->nclass);
				stop = TRUE;
				continue;
			}
			model_field_set(f, l, w);
			g_free(prev);
			prev = g_strdup(l);
			seen++;
			break;
		}
	}
	if (!stop && errors->len == before) {
		if (i < 2) {
			r.line = i + 1;
			fail(&r, "the file ends before its header; run "
			    "'redress train' to make it again");
		} else if (!ended) {
			r.line = i + 1;
			fail(&r, "the file ends without 'end': it is "
			    "truncated; copy it again or run 'redress train'");
		}
	}
	g_strfreev(lines);
	g_free(prev);
	g_free(m->comment);
	m->comment = g_string_free(comment, FALSE);
	if (errors->len != before) {
		model_free(m);
		return (NULL);
	}
	return (m);
}

/* --- writing */

static void
append_number(GString *s, double x)
{
	char	buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (x == 0)		/* never "-0" */
		x = 0;
	g_string_append(s, g_ascii_formatd(buf, sizeof buf, "%.6g", x));
}

static int
by_name(gconstpointer a, gconstpointer b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

char *
model_write(const struct model *m)
{
	GString	*s = g_string_new("# redress model\n");
	guint	 i, k;
	int	 c;

	g_string_append_printf(s, "extractor %d\n", m->extractor);
	g_string_append(s, m->comment);
	for (i = 0; i < m->fields->len; i++) {
		const struct model_field *f = g_ptr_array_index(m->fields, i);
		GPtrArray	*names = g_ptr_array_new();
		GHashTableIter	 it;
		gpointer	 key;

		g_hash_table_iter_init(&it, f->weights);
		while (g_hash_table_iter_next(&it, &key, NULL))
			g_ptr_array_add(names, key);

		g_ptr_array_sort(names, by_name);
		g_string_append_printf(s, "field %s\nclasses", f->schema->field);
		for (c = 0; c < f->nclass; c++)
			g_string_append_printf(s, " %s", label_name(f->schema,
			    f->classes[c]));
		g_string_append(s, "\nbias");
		for (c = 0; c < f->nclass; c++) {
			g_string_append_c(s, ' ');
			append_number(s, f->bias[c]);
		}
		g_string_append_printf(s, "\nfeatures %u\n", names->len);
		for (k = 0; k < names->len; k++) {
			const char	*name = g_ptr_array_index(names, k);
			const double	*w = g_hash_table_lookup(f->weights,
			    name);

			g_string_append_printf(s, "%s\t", name);
			for (c = 0; c < f->nclass; c++) {
				if (c > 0)
					g_string_append_c(s, ' ');
				append_number(s, w[c]);
			}
			g_string_append_c(s, '\n');
		}
		g_ptr_array_unref(names);
	}
	g_string_append(s, "end\n");
	return (g_string_free(s, FALSE));
}

/* --- using */

int
model_predict(const struct model_field *f, const struct fvec *fv, double *p)
{
	double	 score[MODEL_CLASSES_MAX], sum = 0;
	guint	 i;
	int	 c, best = 0;

	memcpy(score, f->bias, sizeof score);
	for (i = 0; i < fv->names->len; i++) {
		const double	*w = g_hash_table_lookup(f->weights,
		    g_ptr_array_index(fv->names, i));
		double		 x = g_array_index(fv->values, double, i);

		for (c = 0; w != NULL && c < f->nclass; c++)
			score[c] += w[c] * x;
	}
	for (c = 0; c < f->nclass; c++) {
		p[c] = 1 / (1 + exp(-score[c]));
		sum += p[c];
	}
	for (c = 0; c < f->nclass; c++) {
		p[c] /= sum;
		if (p[c] > p[best])
			best = c;
	}
	return (best);
}

struct contribution {
	const char	*name;
	double		 v;
};

static int
by_contribution(gconstpointer a, gconstpointer b)
{
	const struct contribution *x = a, *y = b;

	if (x->v != y->v)
		return (x->v > y->v ? -1 : 1);
	return (strcmp(x->name, y->name));
}

char *
model_explain(const struct model_field *f, const struct fvec *fv, int c,
    int n)
{
	GArray	*all = g_array_new(FALSE, FALSE, sizeof(struct contribution));
	GString	*s = g_string_new(NULL);
	guint	 i;

	for (i = 0; i < fv->names->len; i++) {
		const double		*w = g_hash_table_lookup(f->weights,
		    g_ptr_array_index(fv->names, i));
		struct contribution	 ct;

		if (w == NULL)
			continue;
		ct.name = g_ptr_array_index(fv->names, i);
		ct.v = w[c] * g_array_index(fv->values, double, i);
		if (ct.v > 0)
			g_array_append_val(all, ct);
	}
	g_array_sort(all, by_contribution);
	for (i = 0; i < all->len && (int)i < n; i++) {
		const struct contribution *ct = &g_array_index(all,
		    struct contribution, i);

		g_string_append_printf(s, "%s%s +%.2f", i > 0 ? ", " : "",
		    ct->name, ct->v);
	}
	g_array_unref(all);
	return (g_string_free(s, FALSE));
}
