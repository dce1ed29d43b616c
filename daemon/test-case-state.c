/*
 * test-case-state.c: the case state table, move by move, against the
 * drawing of it in case-state.h.
 *
 * The drawing is what people read, the table is what the daemon does;
 * this test is what keeps them the same. It also walks the table as a
 * graph, so a state added without its ways in and out fails here before
 * a case gets stuck in it.
 */
#include "case-state.h"
#include "tests/tap.h"

#ifndef CASE_STATE_HEADER
#error "CASE_STATE_HEADER must name daemon/case-state.h"
#endif

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Not a state: shows that a refusal left *to alone. */
#define UNTOUCHED ((enum case_state)CASE_STATE__COUNT)

#define NGUARDS (GUARD_NOT_LEGAL + 1)

/* Every kind of case a guard can tell apart; NULL is "don't know". */
static const struct case_facts s1 = { 1, FALSE }, s1_legal = { 1, TRUE };
static const struct case_facts s2 = { 2, FALSE }, s2_legal = { 2, TRUE };
static const struct case_facts *const all_facts[] = {
	NULL, &s1, &s1_legal, &s2, &s2_legal
};

/* Which of all_facts each guard lets through, written out by hand as a
 * truth table (no facts count as stage 1, not legal). */
static const gboolean guard_truth[NGUARDS][G_N_ELEMENTS(all_facts)] = {
	/*			NULL	s1	s1_legal s2	s2_legal */
	[GUARD_NONE] =		{ TRUE,	TRUE,	TRUE,	TRUE,	TRUE },
	[GUARD_STAGE1] =	{ TRUE,	TRUE,	TRUE,	FALSE,	FALSE },
	[GUARD_STAGE2] =	{ FALSE, FALSE,	FALSE,	TRUE,	TRUE },
	[GUARD_NOT_LEGAL] =	{ TRUE,	TRUE,	FALSE,	TRUE,	FALSE },
};

static gboolean
holds(enum case_guard g, size_t facts)
{
	return (guard_truth[g][facts]);
}

static char *
facts_text(const struct case_facts *f)
{
	if (f == NULL)
		return (g_strdup("no facts"));
	return (g_strdup_printf("stage %d%s", f->stage,
	    f->legal ? ", legal" : ""));
}

static char *
row_text(enum case_state from, enum case_event ev, enum case_state to,
    enum case_guard g)
{
	return (g_strdup_printf("%s --%s--> %s%s%s%s", case_state_name(from),
	    case_event_name(ev), case_state_name(to), g != GUARD_NONE ?
	    " [" : "", case_guard_name(g), g != GUARD_NONE ? "]" : ""));
}

/* ---- the moves ---- */

static void
test_rows(void)
{
	size_t	i, k;

	for (i = 0; i < case_transitions_count; i++) {
		const struct case_transition *t = &case_transitions[i];
		char		*what = row_text(t->from, t->event, t->to,
		    t->guard);
		GString		*diag = g_string_new(NULL);

		for (k = 0; k < NITEMS(all_facts); k++) {
			enum case_state	 to = UNTOUCHED;
			char		*f;

			if (!holds(t->guard, k))
				continue;
			if (case_state_next(t->from, t->event, all_facts[k],
			    &to) && to == t->to)
				continue;
			f = facts_text(all_facts[k]);
			g_string_append_printf(diag, "#   with %s: got %s\n", f,
			    case_state_name(to));
			g_free(f);
		}
		ok(diag->len == 0, "row %zu: %s", i + 1, what);
		fputs(diag->str, stdout);
		g_string_free(diag, TRUE);
		g_free(what);
	}
}

static gboolean
has_row(enum case_state from, enum case_event ev)
{
	size_t	i;

	for (i = 0; i < case_transitions_count; i++)
		if (case_transitions[i].from == from &&
		    case_transitions[i].event == ev)
			return (TRUE);
	return (FALSE);
}

static void
test_refused(void)
{
	int	s, e;
	size_t	k;

	for (s = 0; s < CASE_STATE__COUNT; s++) {
		for (e = 0; e < CASE_EVENT__COUNT; e++) {
			gboolean	pass = TRUE;

			if (has_row(s, e))
				continue;
			for (k = 0; k < NITEMS(all_facts); k++) {
				enum case_state	to = UNTOUCHED;

				if (case_state_next(s, e, all_facts[k], &to) ||
				    to != UNTOUCHED)
					pass = FALSE;
			}
			ok(pass, "%s refused in %s, *to untouched",
			    case_event_name(e), case_state_name(s));
		}
	}
}

static void
is_next(enum case_state from, enum case_event ev,
    const struct case_facts *f, enum case_state want, const char *what)
{
	enum case_state	to = UNTOUCHED;
	gboolean	moved = case_state_next(from, ev, f, &to);

	ok(moved && to == want, "%s", what);
	if (!moved || to != want)
		printf("#   got:  %s\n#   want: %s\n",
		    moved ? case_state_name(to) : "(refused)",
		    case_state_name(want));
}

static void
is_refused(enum case_state from, enum case_event ev,
    const struct case_facts *f, const char *what)
{
	enum case_state	to = UNTOUCHED;
	gboolean	moved = case_state_next(from, ev, f, &to);

	ok(!moved && to == UNTOUCHED, "%s", what);
	if (moved || to != UNTOUCHED)
		printf("#   got: %s\n", case_state_name(to));
}

static void
test_guards(void)
{
	static const struct case_facts	s3 = { 3, FALSE };

	is_refused(CASE_STAGE2_ANSWERED, EV_REFER_IAC, &s2_legal,
	    "a legal case is not referred to the IAC");
	is_next(CASE_STAGE2_ANSWERED, EV_REFER_IAC, &s2, CASE_IAC_REFERRED,
	    "a case not about law is referred to the IAC");
	is_next(CASE_STAGE2_ANSWERED, EV_REFER_IAC, NULL, CASE_IAC_REFERRED,
	    "no facts: not legal, so referred");
	is_next(CASE_STAGE2_ANSWERED, EV_CLOSE, &s2_legal, CASE_CLOSED,
	    "a legal case answered at stage 2 is closed instead");
	is_next(CASE_CLOSED, EV_REOPEN, &s2, CASE_STAGE2_OPEN,
	    "reopen at stage 2 gives stage2_open");
	is_next(CASE_CLOSED, EV_REOPEN, &s2_legal, CASE_STAGE2_OPEN,
	    "reopen at stage 2 ignores legal");
	is_next(CASE_CLOSED, EV_REOPEN, &s1, CASE_STAGE1_OPEN,
	    "reopen at stage 1 gives stage1_open");
	is_next(CASE_CLOSED, EV_REOPEN, NULL, CASE_STAGE1_OPEN,
	    "reopen with no facts gives stage1_open");
	is_refused(CASE_CLOSED, EV_REOPEN, &s3,
	    "reopen at a stage that does not exist is refused");
	is_refused(CASE_PURGED, EV_REOPEN, &s1, "a purged case stays purged");
}

/* ---- names ---- */

static void
test_names(void)
{
	static const char *const unknown[] = {
		"", "open", "Stage1_open", "stage1_open ", " closed", "stage1",
		"?", "closed\n"
	};
	GHashTable	*seen = g_hash_table_new(g_str_hash, g_str_equal);
	gboolean	 pass;
	enum case_state	 st;
	size_t		 i;
	int		 s, e;

	for (s = 0; s < CASE_STATE__COUNT; s++) {
		const char	*name = case_state_name(s);

		st = UNTOUCHED;
		ok(case_state_parse(name, &st) && st == (enum case_state)s,
		    "state name '%s' round-trips", name);
	}
	is_str(case_state_name(CASE_STATE__COUNT), "?",
	    "state out of range is '?'");
	is_str(case_state_name(CASE_STAGE1_OPEN), "stage1_open",
	    "stage1_open by name");
	is_str(case_state_name(CASE_AWAITING_AUTHORITY), "awaiting_authority",
	    "awaiting_authority by name");
	for (i = 0; i < NITEMS(unknown); i++) {
		char	*shown = g_strescape(unknown[i], NULL);

		st = UNTOUCHED;
		ok(!case_state_parse(unknown[i], &st),
		    "unknown state name '%s' refused", shown);
		g_free(shown);
	}
	ok(!case_state_parse(NULL, &st), "no state name refused");

	/* Events are named in refusals and logs: none may be shared. */
	pass = TRUE;
	for (e = 0; e < CASE_EVENT__COUNT; e++) {
		const char	*name = case_event_name(e);

		if (*name == '\0' || strcmp(name, "?") == 0 ||
		    !g_hash_table_add(seen, (gpointer)name))
			pass = FALSE;
	}
	ok(pass, "every event has a name of its own");
	g_hash_table_unref(seen);
	is_str(case_event_name(EV_REFER_IAC), "refer_iac", "refer_iac by name");
	is_str(case_event_name(EV_REQUEST_AUTHORITY), "request_authority",
	    "request_authority by name");
	is_str(case_event_name(EV_PURGE), "purge", "purge by name");
	is_str(case_event_name(CASE_EVENT__COUNT), "?",
	    "event out of range is '?'");
	is_str(case_guard_name(GUARD_NONE), "", "no guard is ''");
	is_str(case_guard_name(GUARD_STAGE1), "stage 1", "guard stage 1");
	is_str(case_guard_name(GUARD_STAGE2), "stage 2", "guard stage 2");
	is_str(case_guard_name(GUARD_NOT_LEGAL), "not legal",
	    "guard not legal");
}

static void
is_states(enum case_event ev, const char *want)
{
	char	*got = case_event_states(ev);
	char	*what = g_strdup_printf("%s applies in: %s",
	    case_event_name(ev), want);

	is_str(got, want, what);
	g_free(what);
	g_free(got);
}

static void
test_event_states(void)
{
	int	e;

	is_states(EV_DRAFT, "stage1_open, stage1_draft, stage2_open or "
	    "stage2_draft");
	is_states(EV_RETURN, "stage1_draft or stage2_draft");
	is_states(EV_REOPEN, "closed");
	is_states(EV_REFER_IAC, "stage2_answered");
	is_states(EV_CLOSE, "received, awaiting_authority, stage1_open, "
	    "stage1_draft, stage1_answered, stage2_open, stage2_draft, "
	    "stage2_answered, iac_referred or forwarded");
	/* An event no state takes is a move someone forgot to draw. */
	for (e = 0; e < CASE_EVENT__COUNT; e++) {
		char	*s = case_event_states(e);

		ok(*s != '\0', "%s applies somewhere", case_event_name(e));
		g_free(s);
	}
}

static void
test_open(void)
{
	int	s;

	for (s = 0; s < CASE_STATE__COUNT; s++) {
		gboolean	want = s != CASE_CLOSED && s != CASE_PURGED;

		ok(case_state_is_open(s) == want, "%s is %s",
		    case_state_name(s), want ? "open" : "not open");
	}
}

/* ---- the table as a graph ---- */

/* Every state some path of moves leads to from start, guards aside:
 * facts change over a case's life, so any guard may hold some day. */
static void
reach(enum case_state start, gboolean *seen)
{
	gboolean	grew = TRUE;
	size_t		i;

	memset(seen, 0, CASE_STATE__COUNT * sizeof(*seen));
	seen[start] = TRUE;
	while (grew) {
		grew = FALSE;
		for (i = 0; i < case_transitions_count; i++) {
			const struct case_transition *t = &case_transitions[i];

			if (seen[t->from] && !seen[t->to]) {
				seen[t->to] = TRUE;
				grew = TRUE;
			}
		}
	}
}

static void
test_graph(void)
{
	gboolean	seen[CASE_STATE__COUNT];
	int		s;

	reach(CASE_RECEIVED, seen);
	for (s = 0; s < CASE_STATE__COUNT; s++) {
		if (s == CASE_PURGED)
			continue;
		ok(seen[s], "%s is reachable from received",
		    case_state_name(s));
	}
	for (s = 0; s < CASE_STATE__COUNT; s++) {
		if (s == CASE_CLOSED || s == CASE_PURGED)
			continue;
		reach(s, seen);
		ok(seen[CASE_CLOSED], "%s can reach closed",
		    case_state_name(s));
	}
}

/* ---- the drawing ---- */

struct drawn {
	int		 line;		/* in the header, from 1 */
	enum case_state	 from;
	enum case_event	 event;
	enum case_state	 to;
	enum case_guard	 guard;
};

static gboolean
event_parse(const char *name, enum case_event *out)
{
	int	e;

	for (e = 0; e < CASE_EVENT__COUNT; e++) {
		if (strcmp(name, case_event_name(e)) == 0) {
			*out = e;
			return (TRUE);
		}
	}
	return (FALSE);
}

/* "  stage   1 " is "stage 1": the drawing is aligned by hand. */
static gboolean
guard_parse(const char *text, enum case_guard *out)
{
	char	**words = g_strsplit_set(text != NULL ? text : "", " \t", -1);
	GString	 *s = g_string_new(NULL);
	gboolean  found = FALSE;
	int	  i, g;

	for (i = 0; words[i] != NULL; i++) {
		if (*words[i] == '\0')
			continue;
		if (s->len > 0)
			g_string_append_c(s, ' ');
		g_string_append(s, words[i]);
	}
	for (g = 0; !found && g < NGUARDS; g++) {
		if (strcmp(s->str, case_guard_name(g)) == 0) {
			*out = g;
			found = TRUE;
		}
	}
	g_strfreev(words);
	g_string_free(s, TRUE);
	return (found);
}

/*
 * The rows drawn between the markers, or NULL with why in diag (the first
 * line that is not a row). Blank comment lines are allowed, to leave room
 * for grouping.
 */
static GArray *
read_drawing(const char *path, GString *diag)
{
	GRegex		*re;
	GArray		*rows;
	GError		*error = NULL;
	char		*text, **lines;
	gboolean	 inside = FALSE, done = FALSE, bad = FALSE;
	int		 i;

	if (!g_file_get_contents(path, &text, NULL, &error)) {
		g_string_append_printf(diag, "#   %s\n", error->message);
		g_error_free(error);
		return (NULL);
	}
	re = g_regex_new("^\\s*\\*\\s*(\\w+)\\s*--\\s*(\\w+)\\s*-->\\s*"
	    "(\\w+)\\s*(?:\\[([^]]*)\\])?\\s*$", 0, 0, NULL);
	rows = g_array_new(FALSE, FALSE, sizeof(struct drawn));
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		GMatchInfo	*mi;
		struct drawn	 d;
		char		*from, *ev, *to, *guard;

		if (strstr(lines[i], "STATE-DIAGRAM-BEGIN") != NULL) {
			inside = TRUE;
			continue;
		}
		if (strstr(lines[i], "STATE-DIAGRAM-END") != NULL) {
			done = inside;
			break;
		}
		if (!inside || lines[i][strspn(lines[i], " \t*")] == '\0')
			continue;
		if (!g_regex_match(re, lines[i], 0, &mi)) {
			g_string_append_printf(diag, "#   line %d is not a "
			    "row: '%s'\n", i + 1, lines[i]);
			g_match_info_free(mi);
			bad = TRUE;
			break;
		}
		from = g_match_info_fetch(mi, 1);
		ev = g_match_info_fetch(mi, 2);
		to = g_match_info_fetch(mi, 3);
		guard = g_match_info_fetch(mi, 4);
		d.line = i + 1;
		d.guard = GUARD_NONE;
		if (!case_state_parse(from, &d.from) ||
		    !event_parse(ev, &d.event) ||
		    !case_state_parse(to, &d.to) ||
		    !guard_parse(guard, &d.guard)) {
			g_string_append_printf(diag, "#   line %d names an "
			    "unknown state, event or guard: '%s'\n", i + 1,
			    lines[i]);
			bad = TRUE;
		} else
			g_array_append_val(rows, d);
		g_free(from);
		g_free(ev);
		g_free(to);
		g_free(guard);
		g_match_info_free(mi);
		if (bad)
			break;
	}
	if (!bad && !done)
		g_string_append_printf(diag, "#   no STATE-DIAGRAM-BEGIN ... "
		    "STATE-DIAGRAM-END in %s\n", path);
	g_strfreev(lines);
	g_regex_unref(re);
	g_free(text);
	if (bad || !done) {
		g_array_unref(rows);
		return (NULL);
	}
	return (rows);
}

/* TAP wants a failure's diagnostics after its "not ok"; a macro, so the
 * failure names the caller's line. */
#define ok_diag(pass, diag, what) do {					\
	ok((pass), "%s", (what));					\
	fputs((diag)->str, stdout);					\
	g_string_truncate((diag), 0);					\
} while (0)

static void
test_drawing(void)
{
	GString		*diag = g_string_new(NULL);
	GArray		*rows = read_drawing(CASE_STATE_HEADER, diag);
	size_t		 i, n;

	ok_diag(rows != NULL, diag,
	    "the drawing in case-state.h reads as rows");
	if (rows == NULL) {
		g_string_free(diag, TRUE);
		return;
	}
	if (rows->len != case_transitions_count)
		g_string_append_printf(diag, "#   drawn: %u rows\n", rows->len);
	ok_diag(rows->len == case_transitions_count, diag,
	    "the drawing has as many rows as the table");

	/* The first difference, in order: a changed row, then a missing one. */
	n = MIN(rows->len, case_transitions_count);
	for (i = 0; diag->len == 0 && i < n; i++) {
		const struct drawn		*d = &g_array_index(rows,
		    struct drawn, i);
		const struct case_transition	*t = &case_transitions[i];

		if (d->from != t->from || d->event != t->event ||
		    d->to != t->to || d->guard != t->guard) {
			char	*dt = row_text(d->from, d->event, d->to,
			    d->guard);
			char	*tt = row_text(t->from, t->event, t->to,
			    t->guard);

			g_string_append_printf(diag, "#   line %d draws:  %s\n"
			    "#   table row %zu: %s\n", d->line, dt, i + 1, tt);
			g_free(dt);
			g_free(tt);
		}
	}
	if (diag->len == 0 && rows->len > n)
		g_string_append_printf(diag,
		    "#   line %d is drawn but not in the table\n",
		    g_array_index(rows, struct drawn, n).line);
	else if (diag->len == 0 && case_transitions_count > n) {
		char	*tt = row_text(case_transitions[n].from,
		    case_transitions[n].event, case_transitions[n].to,
		    case_transitions[n].guard);

		g_string_append_printf(diag,
		    "#   table row %zu is not drawn: %s\n", n + 1, tt);
		g_free(tt);
	}
	ok_diag(diag->len == 0, diag, "the drawing is the table, row for row");
	g_array_unref(rows);
	g_string_free(diag, TRUE);
}

int
main(void)
{
	test_rows();
	test_refused();
	test_guards();
	test_names();
	test_event_states();
	test_open();
	test_graph();
	test_drawing();
	return (tap_done());
}
