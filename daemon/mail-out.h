/*
 * mail-out.h: the one way the case core queues mail. A template is
 * rendered, composed into a complete message with its own Message-ID and
 * written to the outbox in the caller's transaction; outbox.c sends it.
 * Mail about a case carries a reply token address as Reply-To, so that
 * answers thread (reply-token.h): a staff notice carries, for each member
 * of staff, a token bound to them that authenticates their commands, and
 * every other mail a public token. Mail about a case to several addresses
 * is queued as one message per recipient, each with its own token.
 *
 * Ownership: everything passed in is borrowed; returned hash tables and
 * arrays are the caller's to unref.
 */
#ifndef REDRESS_MAIL_OUT_H
#define REDRESS_MAIL_OUT_H

#include "workflow.h"

/* One outgoing message. All borrowed. */
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
	gboolean	 staff;		/* a notice to staff: a staff token for
					   each recipient who is staff */
};

/* Render, compose and queue. */
int		 mail_queue(struct workflow *, const struct mail_spec *,
		     char **cause);

/* The variables every template may use, for a case (0: none) and
 * optionally the message and verdict at hand; NULL with *cause when the
 * case cannot be read. */
GHashTable	*mail_vars(struct workflow *, const struct area_config *,
		     gint64 case_id, const struct message *,
		     const struct verdict *, const char *lang, char **cause);

/* A notice to staff at these addresses (of char *), in English, each
 * staff recipient's copy with their own staff token; in_reply_to (or
 * NULL) is the staff message it answers. */
int		 mail_notify(struct workflow *, const struct area_config *,
		     gint64 case_id, const char *template, GHashTable *vars,
		     GPtrArray *to, const char *in_reply_to, char **cause);
/* A notice to the Area's coordinators. */
int		 mail_notify_coordinators(struct workflow *,
		     const struct area_config *, gint64 case_id,
		     const char *template, GHashTable *vars, char **cause);
/* A notice about redress itself (an outage, a recovery), not a case: to
 * the Area's coordinators and the configured operator address. */
int		 mail_notify_operator(struct workflow *,
		     const struct area_config *, const char *template,
		     GHashTable *vars, char **cause);
/* A notice to the case's handler, or the coordinators when none is
 * assigned. */
int		 mail_notify_handler(struct workflow *,
		     const struct area_config *, gint64 case_id,
		     const char *template, GHashTable *vars, char **cause);

/*
 * A letter to the person redress writes to on the case (complainant or
 * representative), in the case's language, answering their latest
 * message; attachments (or NULL) as in struct mail_spec. When the case
 * has no address, the event "not_sent" records it instead; when its
 * address cannot be written in a reply (address_valid()), the event
 * "no_reply_address": never an error that undoes the caller's decision.
 */
int		 mail_letter(struct workflow *, const struct area_config *,
		     const struct case_row *, const char *template,
		     GHashTable *vars, GPtrArray *attachments, char **cause);

/* A list of one address, or of a configured list. */
GPtrArray	*mail_addresses(GPtrArray *list, const char *single);

#endif
