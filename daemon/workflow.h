/*
 * workflow.h: what happens to a message once it is parsed and classified:
 * which case it belongs to, what state the case moves to, and what mail
 * goes out. Every function here runs inside the caller's transaction and
 * writes only to the store: outgoing mail becomes outbox rows in that same
 * transaction (invariant 2), sent later by outbox.c.
 *
 * Ownership: struct workflow borrows the config, store and resources; it
 * owns its compiled regular expressions.
 */
#ifndef REDRESS_WORKFLOW_H
#define REDRESS_WORKFLOW_H

#include <glib.h>

#include "config.h"
#include "message.h"
#include "resources.h"
#include "rules.h"
#include "store.h"
#include "verdict.h"

struct workflow {
	const struct config	*config;
	struct store		*store;
	const struct resources	*res;
	GRegex			*subject_ref;
};

struct workflow	*workflow_new(const struct config *, struct store *,
		     const struct resources *);
void		 workflow_free(struct workflow *);

/* Parse, classify, record one incoming message and queue what it needs.
 * *row is set to its message row. */
int		 workflow_incoming(struct workflow *, const struct area_config *,
		     const struct origin *, GBytes *raw, gint64 *row,
		     char **cause);

/* Record an incoming message (and its verdict, may be NULL) on a case
 * (0: none). */
int		 workflow_record(struct workflow *, const struct origin *,
		     GBytes *raw, const struct message *,
		     const struct verdict *, gint64 case_id, gint64 *row,
		     char **cause);

/* A message too big to fetch: record an event and tell the coordinators. */
int		 workflow_too_big(struct workflow *, const struct area_config *,
		     const struct origin *, guint32 size, char **cause);

/* One outgoing message, rendered from a template into the outbox. All
 * borrowed. */
struct mail_spec {
	const struct area_config *area;
	gint64		 case_id;	/* or 0 */
	gint64		 answers;	/* message row it answers, or 0 */
	const char	*in_reply_to;	/* Message-ID it answers, or NULL */
	GPtrArray	*references;	/* of char *, or NULL */
	const char	*template;
	const char	*lang;		/* "en" or "cy" */
	GHashTable	*vars;
	GPtrArray	*to;		/* of char * */
	const char	*to_name;	/* display name of a single To, or NULL */
	GPtrArray	*attachments;	/* of struct out_attachment *, or NULL */
};

/*
 * Render, compose and queue. Mail about a case carries the case's reply
 * token address as Reply-To, so that answers thread and staff commands
 * authenticate. In the caller's transaction.
 */
int		 workflow_mail(struct workflow *, const struct mail_spec *,
		     char **cause);

/* The variables every template may use, for a case (ref may be NULL) and
 * optionally the message and verdict at hand. Caller unrefs. */
GHashTable	*workflow_vars(struct workflow *, const struct area_config *,
		     gint64 case_id, const struct message *,
		     const struct verdict *, const char *lang);

/* Queue a notice to staff at these addresses (of char *), in English;
 * in_reply_to (or NULL) is the staff message it answers. */
int		 workflow_notify(struct workflow *, const struct area_config *,
		     gint64 case_id, const char *template, GHashTable *vars,
		     GPtrArray *to, const char *in_reply_to, char **cause);
/* Queue a notice to the Area's coordinators. */
int		 workflow_notify_coordinators(struct workflow *,
		     const struct area_config *, gint64 case_id,
		     const char *template, GHashTable *vars, char **cause);
/* Queue a notice to the case's handler, or the coordinators when none is
 * assigned. */
int		 workflow_notify_handler(struct workflow *,
		     const struct area_config *, gint64 case_id,
		     const char *template, GHashTable *vars, char **cause);
/* A list of one address, or of a configured list. Caller unrefs. */
GPtrArray	*workflow_addresses(GPtrArray *list, const char *single);

/* "Friday 18 December 2026" or "Dydd Gwener 18 Rhagfyr 2026": a date as
 * letters write it. Caller frees. */
char		*workflow_format_date(const GDate *, const char *lang);

#endif
