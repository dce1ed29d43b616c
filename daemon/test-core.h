/*
 * test-core.h: the case core without servers, for unit tests of routing,
 * steering and the lifecycle. A temporary directory holds a configuration
 * of two Areas (LON and WAL), a fresh store and the shipped rules,
 * templates and bank holidays; messages go through incoming_message() in
 * one transaction each, exactly as intake does after fetching them, and
 * what would be sent is read back from the outbox.
 *
 * The configuration: staff are the domain cps.example.gov.uk; LON's
 * coordinator is lon.coord@cps.example.gov.uk, WAL's wal.coord@...; the
 * trusted authserv-id is mx.cps.example.gov.uk; the Assessor is
 * iac@assessor.example.
 *
 * Ownership: struct core owns everything in it; core_free() removes the
 * directory. Returned strings are the caller's to free.
 */
#ifndef REDRESS_TEST_CORE_H
#define REDRESS_TEST_CORE_H

#include <glib.h>

#include "workflow.h"

#define CORE_STAFF_DOMAIN	"cps.example.gov.uk"
#define CORE_LON		"london.complaints@cps.example.gov.uk"
#define CORE_WAL		"wales.complaints@cps.example.gov.uk"
#define CORE_LON_COORD		"lon.coord@cps.example.gov.uk"
#define CORE_WAL_COORD		"wal.coord@cps.example.gov.uk"
#define CORE_HANDLER		"handler@cps.example.gov.uk"
#define CORE_AUTHSERV		"mx.cps.example.gov.uk"

struct core {
	char		*dir;
	struct config	*config;
	struct store	*store;
	struct resources *res;
	struct workflow	*wf;
	guint32		 next_uid;
	int		 sent;		/* messages made by core_send() */
	char		 last_id[64];
};

/* NULL (with a diagnostic printed) when anything cannot be set up.
 * extra is libconfig text added to the configuration, or NULL. */
struct core	*core_new(const char *extra);
void		 core_free(struct core *);

/* Set the one clock, "2026-11-23T10:00:00Z". */
void		 core_at(struct core *, const char *iso);

/* Deliver a message (RFC 5322 text, "\n" line ends are made CRLF) to an
 * Area as intake would. Returns 0, or -1 with the cause printed as a TAP
 * diagnostic. */
int		 core_deliver(struct core *, const char *area,
		     const char *text);
/* The same, with the text a printf format. */
int		 core_deliverf(struct core *, const char *area,
		     const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/*
 * A plain-text message as a mail client sends it: From, To, Subject, a
 * Date on the clock's day, Message-ID <test-N@test.example> (N counts
 * from 1 per core), In-Reply-To and References when in_reply_to is not
 * NULL, and extra (whole header lines, or NULL). 0 or -1, as
 * core_deliver().
 */
int		 core_send(struct core *, const char *area, const char *from,
		     const char *to, const char *subject,
		     const char *in_reply_to, const char *extra,
		     const char *body);
/* The Message-ID (without <>) core_send() gave its last message. Static
 * storage, overwritten by the next send. */
const char	*core_last_id(struct core *);

/* Run the scheduler once, in its own transactions. Returns what it
 * returns. */
int		 core_schedule(struct core *);

/* The first column of the first row of a query, or -1 / NULL. */
gint64		 core_int(struct core *, const char *sql, ...);
char		*core_text(struct core *, const char *sql, ...);

/* How many queued messages went to addr, of a template (NULL: any). */
int		 core_sent(struct core *, const char *addr,
		     const char *template);
/* The raw text of the newest message queued to addr of a template (NULL:
 * any), or NULL. */
char		*core_mail(struct core *, const char *addr,
		     const char *template);
/* The Message-ID (without <>) of the newest message to addr (of
 * template, or any), or NULL. */
char		*core_mail_id(struct core *, const char *addr,
		     const char *template);
/* The reply-token address in the Reply-To of that message, or NULL. */
char		*core_token(struct core *, const char *addr,
		     const char *template);
/* A header of the newest message to addr (of template, or any), or NULL. */
char		*core_mail_header(struct core *, const char *addr,
		     const char *template, const char *header);
/* A case's state, by reference; NULL when there is no such case. */
char		*core_state(struct core *, const char *ref);
/* Does the newest message to addr of a template (NULL: any) hold text? */
gboolean	 core_mail_says(struct core *, const char *addr,
		     const char *template, const char *text);

#endif
