/*
 * case-state.c: the case state table and the lookups over it (the table
 * is drawn in case-state.h; test-case-state holds the two together).
 */
#include <string.h>

#include "case-state.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Indexed by enum: the names are what the store keeps, so never rename. */
static const char *const state_names[] = {
	[CASE_RECEIVED] =		"received",
	[CASE_AWAITING_AUTHORITY] =	"awaiting_authority",
	[CASE_STAGE1_OPEN] =		"stage1_open",
	[CASE_STAGE1_DRAFT] =		"stage1_draft",
	[CASE_STAGE1_ANSWERED] =	"stage1_answered",
	[CASE_STAGE2_OPEN] =		"stage2_open",
	[CASE_STAGE2_DRAFT] =		"stage2_draft",
	[CASE_STAGE2_ANSWERED] =	"stage2_answered",
	[CASE_IAC_REFERRED] =		"iac_referred",
	[CASE_FORWARDED] =		"forwarded",
	[CASE_CLOSED] =			"closed",
	[CASE_PURGED] =			"purged"
};
G_STATIC_ASSERT(NITEMS(state_names) == CASE_STATE__COUNT);

static const char *const event_names[] = {
	[EV_ACKNOWLEDGE] =		"acknowledge",
	[EV_REQUEST_AUTHORITY] =	"request_authority",
	[EV_FORWARD] =			"forward",
	[EV_AUTHORITY_RECEIVED] =	"authority_received",
	[EV_AUTHORITY_EXPIRED] =	"authority_expired",
	[EV_DRAFT] =			"draft",
	[EV_APPROVE] =			"approve",
	[EV_RETURN] =			"return",
	[EV_HOLDING] =			"holding",
	[EV_ESCALATE] =			"escalate",
	[EV_REFER_IAC] =		"refer_iac",
	[EV_CLOSE] =			"close",
	[EV_REOPEN] =			"reopen",
	[EV_PURGE] =			"purge"
};
G_STATIC_ASSERT(NITEMS(event_names) == CASE_EVENT__COUNT);

static const char *const guard_names[] = {
	[GUARD_NONE] =		"",
	[GUARD_STAGE1] =	"stage 1",
	[GUARD_STAGE2] =	"stage 2",
	[GUARD_NOT_LEGAL] =	"not legal"
};
G_STATIC_ASSERT(NITEMS(guard_names) == GUARD_NOT_LEGAL + 1);

/* Row for row the drawing in case-state.h. */
const struct case_transition case_transitions[] = {
	{ CASE_RECEIVED, EV_ACKNOWLEDGE, CASE_STAGE1_OPEN, GUARD_NONE },
	{ CASE_RECEIVED, EV_REQUEST_AUTHORITY, CASE_AWAITING_AUTHORITY,
	    GUARD_NONE },
	{ CASE_RECEIVED, EV_FORWARD, CASE_FORWARDED, GUARD_NONE },
	{ CASE_RECEIVED, EV_CLOSE, CASE_CLOSED, GUARD_NONE },
	{ CASE_AWAITING_AUTHORITY, EV_AUTHORITY_RECEIVED, CASE_STAGE1_OPEN,
	    GUARD_NONE },
	{ CASE_AWAITING_AUTHORITY, EV_AUTHORITY_EXPIRED, CASE_CLOSED,
	    GUARD_NONE },
	{ CASE_AWAITING_AUTHORITY, EV_CLOSE, CASE_CLOSED, GUARD_NONE },
	{ CASE_STAGE1_OPEN, EV_DRAFT, CASE_STAGE1_DRAFT, GUARD_NONE },
	{ CASE_STAGE1_OPEN, EV_HOLDING, CASE_STAGE1_OPEN, GUARD_NONE },
	{ CASE_STAGE1_OPEN, EV_CLOSE, CASE_CLOSED, GUARD_NONE },
	{ CASE_STAGE1_DRAFT, EV_DRAFT, CASE_STAGE1_DRAFT, GUARD_NONE },
	{ CASE_STAGE1_DRAFT, EV_APPROVE, CASE_STAGE1_ANSWERED, GUARD_NONE },
	{ CASE_STAGE1_DRAFT, EV_RETURN, CASE_STAGE1_OPEN, GUARD_NONE },
	{ CASE_STAGE1_DRAFT, EV_HOLDING, CASE_STAGE1_DRAFT, GUARD_NONE },
	{ CASE_STAGE1_DRAFT, EV_CLOSE, CASE_CLOSED, GUARD_NONE },
	{ CASE_STAGE1_ANSWERED, EV_ESCALATE, CASE_STAGE2_OPEN, GUARD_NONE },
	{ CASE_STAGE1_ANSWERED, EV_CLOSE, CASE_CLOSED, GUARD_NONE },
	{ CASE_STAGE2_OPEN, EV_DRAFT, CASE_STAGE2_DRAFT, GUARD_NONE },
	{ CASE_STAGE2_OPEN, EV_HOLDING, CASE_STAGE2_OPEN, GUARD_NONE },
	{ CASE_STAGE2_OPEN, EV_CLOSE, CASE_CLOSED, GUARD_NONE },
	{ CASE_STAGE2_DRAFT, EV_DRAFT, CASE_STAGE2_DRAFT, GUARD_NONE },
	{ CASE_STAGE2_DRAFT, EV_APPROVE, CASE_STAGE2_ANSWERED, GUARD_NONE },
	{ CASE_STAGE2_DRAFT, EV_RETURN, CASE_STAGE2_OPEN, GUARD_NONE },
	{ CASE_STAGE2_DRAFT, EV_HOLDING, CASE_STAGE2_DRAFT, GUARD_NONE },
	{ CASE_STAGE2_DRAFT, EV_CLOSE, CASE_CLOSED, GUARD_NONE },
	{ CASE_STAGE2_ANSWERED, EV_REFER_IAC, CASE_IAC_REFERRED,
	    GUARD_NOT_LEGAL },
	{ CASE_STAGE2_ANSWERED, EV_CLOSE, CASE_CLOSED, GUARD_NONE },
	{ CASE_IAC_REFERRED, EV_CLOSE, CASE_CLOSED, GUARD_NONE },
	{ CASE_FORWARDED, EV_CLOSE, CASE_CLOSED, GUARD_NONE },
	{ CASE_CLOSED, EV_REOPEN, CASE_STAGE1_OPEN, GUARD_STAGE1 },
	{ CASE_CLOSED, EV_REOPEN, CASE_STAGE2_OPEN, GUARD_STAGE2 },
	{ CASE_CLOSED, EV_PURGE, CASE_PURGED, GUARD_NONE }
};
const size_t case_transitions_count = NITEMS(case_transitions);

/* A case the caller knows nothing about is a fresh one. */
static const struct case_facts default_facts = { 1, FALSE };

const char *
case_state_name(enum case_state s)
{
	if ((unsigned)s >= NITEMS(state_names))
		return ("?");
	return (state_names[s]);
}

gboolean
case_state_parse(const char *name, enum case_state *out)
{
	size_t	i;

	if (name == NULL)
		return (FALSE);
	for (i = 0; i < NITEMS(state_names); i++) {
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum case_state)i;
			return (TRUE);
		}
	}
	return (FALSE);
}

const char *
case_event_name(enum case_event e)
{
	if ((unsigned)e >= NITEMS(event_names))
		return ("?");
	return (event_names[e]);
}

const char *
case_guard_name(enum case_guard g)
{
	if ((unsigned)g >= NITEMS(guard_names))
		return ("?");
	return (guard_names[g]);
}

/* Stages are compared exactly: a stage that is neither 1 nor 2 is a
 * broken case, and reopening it as either would hide that. */
static gboolean
guard_holds(enum case_guard g, const struct case_facts *f)
{
	switch (g) {
	case GUARD_NONE:
		return (TRUE);
	case GUARD_STAGE1:
		return (f->stage == 1);
	case GUARD_STAGE2:
		return (f->stage == 2);
	case GUARD_NOT_LEGAL:
		return (!f->legal);
	}
	return (FALSE);
}

gboolean
case_state_next(enum case_state from, enum case_event event,
    const struct case_facts *facts, enum case_state *to)
{
	const struct case_transition	*t;
	size_t				 i;

	if (facts == NULL)
		facts = &default_facts;
	for (i = 0; i < case_transitions_count; i++) {
		t = &case_transitions[i];
		if (t->from == from && t->event == event &&
		    guard_holds(t->guard, facts)) {
			*to = t->to;
			return (TRUE);
		}
	}
	return (FALSE);
}

char *
case_event_states(enum case_event event)
{
	GString		*s = g_string_new(NULL);
	gboolean	 seen[CASE_STATE__COUNT] = { FALSE };
	const char	*last = NULL;
	size_t		 i;

	/* Each name is written only once the next is known, so the last
	 * one can be joined with " or " instead of ", ". */
	for (i = 0; i < case_transitions_count; i++) {
		const struct case_transition *t = &case_transitions[i];

		if (t->event != event || seen[t->from])
			continue;
		seen[t->from] = TRUE;
		if (last != NULL) {
			if (s->len > 0)
				g_string_append(s, ", ");
			g_string_append(s, last);
		}
		last = case_state_name(t->from);
	}
	if (last != NULL) {
		if (s->len > 0)
			g_string_append(s, " or ");
		g_string_append(s, last);
	}
	return (g_string_free(s, FALSE));
}

gboolean
case_state_is_open(enum case_state s)
{
	return (s != CASE_CLOSED && s != CASE_PURGED);
}
