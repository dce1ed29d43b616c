/*
 * case-state.h: the states of a case and every move between them, as one
 * table. Pure: no store, no clock, no mail. Every move the daemon makes
 * asks case_state_next() first and stores the state it returns; states are
 * stored and shown by the names of case_state_name().
 *
 * The table, drawn (test-case-state checks this drawing against the
 * table, line for line: edit both together):
 *
 * STATE-DIAGRAM-BEGIN
 *   received           --acknowledge-->        stage1_open
 *   received           --request_authority-->  awaiting_authority
 *   received           --forward-->            forwarded
 *   received           --close-->              closed
 *   awaiting_authority --authority_received--> stage1_open
 *   awaiting_authority --authority_expired-->  closed
 *   awaiting_authority --close-->              closed
 *   stage1_open        --draft-->              stage1_draft
 *   stage1_open        --holding-->            stage1_open
 *   stage1_open        --close-->              closed
 *   stage1_draft       --draft-->              stage1_draft
 *   stage1_draft       --approve-->            stage1_answered
 *   stage1_draft       --return-->             stage1_open
 *   stage1_draft       --holding-->            stage1_draft
 *   stage1_draft       --close-->              closed
 *   stage1_answered    --escalate-->           stage2_open
 *   stage1_answered    --close-->              closed
 *   stage2_open        --draft-->              stage2_draft
 *   stage2_open        --holding-->            stage2_open
 *   stage2_open        --close-->              closed
 *   stage2_draft       --draft-->              stage2_draft
 *   stage2_draft       --approve-->            stage2_answered
 *   stage2_draft       --return-->             stage2_open
 *   stage2_draft       --holding-->            stage2_draft
 *   stage2_draft       --close-->              closed
 *   stage2_answered    --refer_iac-->          iac_referred   [not legal]
 *   stage2_answered    --close-->              closed
 *   iac_referred       --close-->              closed
 *   forwarded          --close-->              closed
 *   closed             --reopen-->             stage1_open    [stage 1]
 *   closed             --reopen-->             stage2_open    [stage 2]
 *   closed             --purge-->              purged
 * STATE-DIAGRAM-END
 *
 * A complaint is acknowledged within seconds of arriving, so "received"
 * lasts no longer than the transaction that records it; the
 * acknowledgement itself is an event, not a state.
 */
#ifndef REDRESS_CASE_STATE_H
#define REDRESS_CASE_STATE_H

#include <glib.h>

enum case_state {
	CASE_RECEIVED,
	CASE_AWAITING_AUTHORITY,
	CASE_STAGE1_OPEN,
	CASE_STAGE1_DRAFT,	/* waiting for coordinator QA */
	CASE_STAGE1_ANSWERED,
	CASE_STAGE2_OPEN,
	CASE_STAGE2_DRAFT,
	CASE_STAGE2_ANSWERED,
	CASE_IAC_REFERRED,
	CASE_FORWARDED,		/* a VRR request or enquiry passed on */
	CASE_CLOSED,
	CASE_PURGED,
	CASE_STATE__COUNT
};

enum case_event {
	EV_ACKNOWLEDGE,
	EV_REQUEST_AUTHORITY,
	EV_FORWARD,
	EV_AUTHORITY_RECEIVED,
	EV_AUTHORITY_EXPIRED,
	EV_DRAFT,
	EV_APPROVE,
	EV_RETURN,
	EV_HOLDING,
	EV_ESCALATE,
	EV_REFER_IAC,
	EV_CLOSE,
	EV_REOPEN,
	EV_PURGE,
	CASE_EVENT__COUNT
};

/* What a transition needs besides its state, decided from the facts. */
enum case_guard {
	GUARD_NONE,
	GUARD_STAGE1,		/* the case is at stage 1 */
	GUARD_STAGE2,		/* the case is at stage 2 */
	GUARD_NOT_LEGAL		/* not only about a legal decision */
};

/* The facts of a case that guards look at. */
struct case_facts {
	int		 stage;		/* 1 or 2 */
	gboolean	 legal;		/* category is legal */
};

struct case_transition {
	enum case_state	 from;
	enum case_event	 event;
	enum case_state	 to;
	enum case_guard	 guard;
};

/* The table, in the order of the drawing above. */
extern const struct case_transition	case_transitions[];
extern const size_t			case_transitions_count;

/* "stage1_open", ...: static storage; "?" out of range. */
const char	*case_state_name(enum case_state);
/* TRUE and *out for a known name. */
gboolean	 case_state_parse(const char *name, enum case_state *out);
/* "draft", "refer_iac", ...: as in the drawing. */
const char	*case_event_name(enum case_event);
/* "not legal", "stage 1", ... or "" for GUARD_NONE. */
const char	*case_guard_name(enum case_guard);

/*
 * The move an event makes from a state: TRUE with *to set when a row of
 * the table has this from and event and its guard holds for facts; FALSE
 * (*to untouched) when the event does not apply in this state.
 */
gboolean	 case_state_next(enum case_state from, enum case_event event,
		     const struct case_facts *facts, enum case_state *to);

/* "stage1_open, stage1_draft, stage2_open or stage2_draft": the states an
 * event applies in, for refusals. Caller frees. */
char		*case_event_states(enum case_event);

/* Open: neither closed nor purged. */
gboolean	 case_state_is_open(enum case_state);

#endif
