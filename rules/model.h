/*
 * model.h: the learned layer's model, a readable text file. Pure: text in,
 * model out; features in, probabilities out (no liblinear needed to use
 * a model, only to make one: daemon/cmd-train.c).
 *
 * The file (rules/model.txt; rules/README says how it was made):
 *
 *   # redress model
 *   extractor 1                 FEATURES_VERSION of msg-features.h
 *   # any comment
 *   field kind                  a field of the label schema
 *   classes complaint vrr ...   its values the model knows, in order
 *   bias 0.12 -1.3 ...          one per class
 *   features 3                  how many feature lines follow
 *   rule:vrr-ask<TAB>-0.2 1.7 ...  one weight per class, names sorted
 *   ...
 *   field category ...          more fields, each the same way
 *   end                         so a truncated file is told apart
 *
 * A class's score is bias + the sum of weight * value over the message's
 * features; each score goes through the logistic function (one class
 * against the rest, as liblinear's logistic regression trains it), and
 * the results are scaled to sum to 1.
 *
 * Ownership: a struct model owns its fields, a field its weights.
 */
#ifndef REDRESS_MODEL_H
#define REDRESS_MODEL_H

#include <glib.h>

#include "msg-features.h"
#include "schema.h"

#define MODEL_CLASSES_MAX	16

struct model_field {
	const struct label_names *schema;	/* schema_kind, ... */
	int			 nclass;
	int			 classes[MODEL_CLASSES_MAX]; /* enum values */
	double			 bias[MODEL_CLASSES_MAX];
	GHashTable		*weights;	/* name -> double[nclass] */
};

struct model {
	int			 extractor;
	char			*comment;	/* "# " lines after the header
						   (how it was made), or "" */
	GPtrArray		*fields;	/* of struct model_field */
};

struct model		*model_new(const char *comment);
void			 model_free(struct model *);
/* A new empty field of model for schema (its classes set by the caller). */
struct model_field	*model_add_field(struct model *,
			     const struct label_names *schema);
/* The field for schema, or NULL. */
const struct model_field *model_field(const struct model *,
			     const struct label_names *schema);
/* Set a feature's weights (nclass of them, copied). */
void			 model_field_set(struct model_field *,
			     const char *feature, const double *w);

/*
 * Parse a model file's text. Every mistake is appended to errors as
 * "FILE:LINE: what is wrong and what to do"; returns NULL when there is
 * any (all or nothing), including a model made by another feature
 * extractor version.
 */
struct model		*model_parse(const char *filename, const char *text,
			     size_t len, GPtrArray *errors);

/* The file's text, deterministic: fields in order, names sorted, %.6g.
 * Caller frees. */
char			*model_write(const struct model *);

/*
 * Probabilities of each class of f (p[i] for f->classes[i]) for the
 * features fv. Returns the index of the most probable class (the first
 * on a tie).
 */
int			 model_predict(const struct model_field *f,
			     const struct fvec *fv, double *p);

/*
 * Why: the n features that pushed class index c up the most, as
 * "w:review +0.82, rule:vrr-ask +0.61". Caller frees.
 */
char			*model_explain(const struct model_field *f,
			     const struct fvec *fv, int c, int n);

#endif
