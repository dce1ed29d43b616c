/*
 * case-new.h: a message that belongs to no case yet, handled as its kind
 * says — one row of a table per kind: whether it opens a case, the reply
 * to the sender, a forward, a notice to the coordinators, the clock it
 * starts and the state it leaves the case in. Machine mail and messages
 * that cannot be read normally are recorded and never answered.
 *
 * Each function records the message (*row) in the caller's transaction.
 */
#ifndef REDRESS_CASE_NEW_H
#define REDRESS_CASE_NEW_H

#include "workflow.h"

/* A message from the public that starts something new. */
int	case_new(struct workflow *, const struct area_config *,
	    const struct origin *, GBytes *raw, const struct message *,
	    const struct verdict *, gint64 *row, char **cause);

/* Machine mail: recorded, never answered; a bounce of our own mail marks
 * its case "complainant unreachable" and the coordinators are told. */
int	case_new_machine(struct workflow *, const struct area_config *,
	    const struct origin *, GBytes *raw, const struct message *,
	    const struct verdict *, gint64 *row, char **cause);

/* A message the parser quarantined: kept raw, the coordinators told. */
int	case_new_quarantined(struct workflow *, const struct area_config *,
	    const struct origin *, GBytes *raw, const struct message *,
	    gint64 *row, char **cause);

/*
 * A message that could not be recorded normally (the pipeline failed on
 * it, or redress died with it in hand): kept raw and unread, quarantined
 * for reason, and the coordinators told unless notify is FALSE (when the
 * notice itself is what fails). The notice says where it is, never who
 * sent it or what it says.
 */
int	case_new_poison(struct workflow *, const struct area_config *,
	    const struct origin *, GBytes *raw, const char *reason,
	    gboolean notify, gint64 *row, char **cause);

/* A message too big to fetch: an event, and the coordinators told. */
int	case_new_too_big(struct workflow *, const struct area_config *,
	    const struct origin *, guint32 size, char **cause);

/*
 * #kind on a case opened in triage: the kind is settled, and the handling
 * of that kind follows (its reply to the sender, its forward, and the case
 * closed) unless it is a complaint, which goes on as it is. *result says
 * what was done, for the confirmation to staff. 0, or -1 with *cause.
 */
int	case_new_settle(struct workflow *, const struct area_config *,
	    gint64 case_id, enum kind kind, char **result, char **cause);

#endif
