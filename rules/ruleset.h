/*
 * ruleset.h: what a rule file becomes (internal to rules/: rulefile.c
 * builds it, rules.c evaluates it). The format itself is in rules/README.
 *
 * Ownership: a struct ruleset owns its rules; a rule owns its name, file
 * name, conditions and actions; a condition owns its regexes and strings.
 */
#ifndef REDRESS_RULESET_H
#define REDRESS_RULESET_H

#include <glib.h>

#include "schema.h"

/* The decisions a rule can vote on. */
enum decision {
	D_KIND,
	D_CATEGORY,
	D_SENTIMENT,
	D_REPRESENTATIVE,
	D_AUTHORITY,
	D_EXCEPTIONAL,
	D_LANGUAGE,
	D_RESTRICTION,
	D_REQUEST,		/* what a message on an answered case asks */
	D__COUNT
};

/* Values per decision, at most: kinds, the longest field (rulefile.c
 * checks every field fits). */
#define MAX_VALUES	((int)KIND__COUNT)

/*
 * A decision votes on one field of the label schema. Its values are that
 * field's enum values, so a vote, a default and the verdict all hold the
 * same number; the "-" of a *_NONE member is never a value voted for, as
 * "not applicable" follows from the kind (rules.c).
 */
struct decision_def {
	const char			*name;	/* as written after "then" */
	const struct label_names	*values;
};

extern const struct decision_def decision_defs[D__COUNT];

/* Where a text condition looks. */
enum text_source {
	SRC_SUBJECT,
	SRC_BODY,		/* the writer's own words: no quoted reply */
	SRC_QUOTED,		/* quoted replies */
	SRC_FORWARDED,		/* forwarded messages, inline or attached */
	SRC_ATTACHMENTS,	/* text of attachments */
	SRC_TEXT,		/* subject and body */
	SRC_ALL,		/* everything above */
	SRC__COUNT
};

extern const char *const text_source_names[SRC__COUNT];

/* Machine-mail and structure signals ("when signal NAME"). */
enum signal {
	SIG_AUTO_SUBMITTED,
	SIG_PRECEDENCE,
	SIG_LIST_ID,
	SIG_X_LOOP,
	SIG_X_AUTOREPLY,
	SIG_NULL_SENDER,
	SIG_MAILER_DAEMON,
	SIG_REPORT,
	SIG_DELIVERY_REPORT,
	SIG_FORWARDED,
	SIG_REPLY,
	SIG_ATTACHMENT,
	SIG_QUARANTINED,
	SIG__COUNT
};

extern const char *const signal_names[SIG__COUNT];

enum cond_type {
	COND_TEXT,		/* SOURCE ~ /re/ or SOURCE phrase "..." */
	COND_HEADER,		/* header NAME [~ /re/] */
	COND_ATTACHMENT,	/* attachment [type ~ /re/] [name ~ /re/] */
	COND_SENDER,		/* sender ~ /re/ */
	COND_SIGNAL,		/* signal NAME */
	COND_LENGTH,		/* length < N, length > N */
	COND_LANGUAGE		/* language cy */
};

struct condition {
	enum cond_type	 type;
	gboolean	 negate;	/* "unless" */
	enum text_source source;
	GPtrArray	*alternatives;	/* text: of GRegex, any may match
					   ("or" lines add to it) */
	GRegex		*re;		/* header value, sender, type */
	GRegex		*name_re;	/* attachment file name */
	GRegex		*text_re;	/* attachment text */
	char		*header;	/* header name */
	enum signal	 signal;
	char		 op;		/* '<' or '>' */
	long		 length;
	enum language	 language;
};

struct action {
	enum decision	 decision;
	int		 value;		/* an enum value of the decision's
					   field, never its *_NONE */
	int		 weight;
	gboolean	 override;	/* "!" */
};

struct rule {
	char		*name;
	char		*file;
	int		 line;
	GPtrArray	*conditions;	/* of struct condition */
	GArray		*actions;	/* of struct action */
};

struct ruleset {
	GPtrArray	*rules;		/* of struct rule, in load order */
	GHashTable	*names;		/* name -> struct rule (borrowed) */
	int		 defaults[D__COUNT];	/* enum value, or -1: none */
	/* function words of each language, word -> enum language + 1 */
	GHashTable	*words;
	int		 mixed_threshold;	/* legal and service both >= */
	int		 language_min_words;
	int		 exceptional_needs_late; /* 1: only when not in time */
	struct model	*model;		/* the learned layer, or NULL:
					   the rules' weights decide */
};

#endif
