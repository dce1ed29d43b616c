/*
 * rules.h: the rules engine. Pure: rule text in, ruleset out; message in,
 * verdict out. No files are opened here (daemon/rules-load.c reads the
 * rule directory and hands the files' texts to ruleset_parse()).
 *
 * Ownership: a struct ruleset owns everything parsed into it; the rule
 * texts are only borrowed, and copied where kept. The verdict returned by
 * rules_classify() belongs to the caller (verdict_free()). The message is
 * only borrowed.
 */
#ifndef REDRESS_RULES_H
#define REDRESS_RULES_H

#include <glib.h>

#include "message.h"
#include "schema.h"
#include "verdict.h"

struct ruleset;
struct model;
struct fvec;

struct ruleset	*ruleset_new(void);
void		 ruleset_free(struct ruleset *);

/*
 * Parse the text of one rule file. Every mistake is appended to errors
 * (a GPtrArray of char *, g_free) as "FILE:LINE: what was expected"; all
 * of them are reported, not just the first. Returns the number of errors.
 */
int		 ruleset_add_file(struct ruleset *, const char *filename,
		     const char *text, size_t len, GPtrArray *errors);

/* One rule file's text, for ruleset_parse(). */
struct rule_text {
	const char	*name;		/* in errors: "DIR/20-kind.rules" */
	const char	*text;
	size_t		 len;
};

/*
 * A ruleset from the texts of n rule files, in the order given, all or
 * nothing: a coordinator's mistake must not leave half the rules. Returns
 * a new ruleset, or NULL with every error of every file appended to
 * errors (as ruleset_add_file() words them).
 */
struct ruleset	*ruleset_parse(const struct rule_text *, size_t n,
		     GPtrArray *errors);

/*
 * Give the ruleset its learned layer (model.h), replacing any it had;
 * the ruleset owns it from now on. NULL: the rules' weights decide.
 * With a model, the model decides kind and category (and whatever other
 * fields it has) from the rules that fired and the message's features;
 * a machine-mail "!" rule still decides outright.
 */
void		 ruleset_set_model(struct ruleset *, struct model *);

/*
 * The features the learned layer sees of a message (msg-features.h): the
 * rules that fire on it, its words and its structure. For training.
 * Caller frees (fvec_free()). *machine_kind is the kind a "!" rule
 * decided, or -1; *machine whether any rule that fired voted for
 * machine mail (auto_reply, bounce, spam).
 */
struct fvec	*rules_features(const struct ruleset *,
		     const struct message *, int *machine_kind,
		     gboolean *machine);

/*
 * The kind the learned layer settles on from the probability of each
 * kind (p[enum kind]): the most probable, but a machine kind only when
 * machine_allowed (a rule voted for machine mail), as mail taken for
 * machine mail is never answered. The first kind on a tie.
 */
enum kind	 rules_pick_kind(const double *p, gboolean machine_allowed);

/*
 * Decide what a message is. now is the reference time used when the
 * message has no Date header (REDRESS_NOW in tests). Never returns NULL.
 */
struct verdict	*rules_classify(const struct ruleset *,
		     const struct message *, gint64 now);

#endif
