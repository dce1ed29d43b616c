/*
 * route.h: which case an incoming message belongs to. In order: the reply
 * token in an address it was sent to, then In-Reply-To/References against
 * every Message-ID redress sent or received for a case, then a case
 * reference in the subject, then its own Message-ID (the same mail sent
 * to several Areas), then the sender's one open case opened lately
 * (thread_days). Whether it is our own mail come back. And who is
 * writing, as far as redress can know it: a member of staff through the
 * token redress issued to them, or a party of the case.
 *
 * Every header can be forged and case references are sequential: only a
 * token tells more than "this is about that case" (reply-token.h).
 *
 * Read-only: nothing here writes to the store.
 */
#ifndef REDRESS_ROUTE_H
#define REDRESS_ROUTE_H

#include "workflow.h"

enum route_via {
	ROUTE_NONE,		/* a new matter */
	ROUTE_TOKEN,		/* a valid reply token */
	ROUTE_THREAD,		/* In-Reply-To or References */
	ROUTE_SUBJECT,		/* [AREA-YEAR-SEQ] in the subject */
	ROUTE_SAME_MAIL,	/* its Message-ID is already on a case */
	ROUTE_SENDER		/* the sender's one recent open case */
};

/* Weakest first: a message with several tokens counts by its strongest
 * (the first of them when two are as strong). */
enum route_token {
	TOKEN_NONE,		/* no reply token in any address */
	TOKEN_INVALID,		/* there, but forged, for no case, or a
				   staff token in mail from someone else */
	TOKEN_OLD,		/* of the first form: threads only */
	TOKEN_PUBLIC,		/* a public token: threads, and shows the
				   writer had redress's mail to a party */
	TOKEN_VALID		/* a staff token issued to the sender: it
				   authenticates their commands on the case */
};

struct route {
	gint64		 case_id;	/* 0 for none */
	enum route_via	 via;
	enum route_token token;
};

/* Fill in r: 0, or -1 with *cause when the store fails (never "no
 * case": that would open a new one). */
int		 route_message(struct workflow *, const struct area_config *,
		     const struct message *, struct route *, char **cause);

/*
 * Is the message from a party of case_id, and so may it move the case
 * (stage 2, the Assessor, authority)? Through a public token of that case,
 * or From an address recorded as a party of it (compared without case):
 * 1 when it is, 0 when not, -1 with *cause.
 */
int		 route_from_party(struct workflow *, const struct area_config *,
		     const struct message *, gint64 case_id, char **cause);

/* Our own mail come back (X-Loop, or a Message-ID we sent), which must
 * never be answered: 1 when it is, 0 when not, -1 with *cause. */
int		 route_own_mail(struct workflow *, const struct message *,
		     char **cause);

#endif
