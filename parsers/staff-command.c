/*
 * staff-command.c: commands at the top of a staff member's reply.
 *
 * Every error is sent back to the staff member as it is, so each one names
 * the line, says what was wrong and shows the right way to write it.
 */
#include <string.h>

#include <glib.h>

#include "schema.h"
#include "regex-cache.h"
#include "staff-command.h"

enum arg_kind {
	ARG_NONE,		/* nothing may follow the name */
	ARG_ADDRESS,		/* one email address */
	ARG_CHOICE,		/* one word of spec->schema or ->choices */
	ARG_TEXT,		/* free text, or the reply text */
	ARG_DAYS_TEXT,		/* working days, then free text */
	ARG_REPLY_TEXT		/* nothing on the line; takes the reply text */
};

/* Not a label: the one thing #authority says. */
static const char *const authority_states[] = { "received", NULL };

#define HOLDING_MIN_DAYS	1
#define HOLDING_MAX_DAYS	60

struct verb_spec {
	enum staff_verb		 verb;
	const char		*name;
	enum arg_kind		 arg;
	/* A label's names (never its "-"), or else a NULL-terminated list. */
	const struct label_names *schema;
	const char *const	*choices;
	/* What the argument is, for "#X needs ..." errors, and how the
	 * command is written; NULL when the schema says it (spec_needs(),
	 * spec_syntax()), so its names are listed nowhere else. */
	const char		*needs;
	const char		*syntax;
	const char		*example;
	const char		*does;
	gboolean		 repeatable;
};

static const struct verb_spec verbs[] = {
	{ CMD_ASSIGN, "assign", ARG_ADDRESS, NULL, NULL,
	  "the email address of the colleague who takes the case",
	  "#assign ADDRESS", "#assign jane.smith@cps.example.gov.uk",
	  "gives the case to that colleague", FALSE },
	{ CMD_CATEGORY, "category", ARG_CHOICE, &schema_category, NULL,
	  NULL, NULL, "#category service",
	  "sets whether the complaint is about a legal decision, the service,"
	  " or both", FALSE },
	{ CMD_KIND, "kind", ARG_CHOICE, &schema_kind, NULL,
	  NULL, "#kind KIND", "#kind feedback",
	  "corrects what the message is", FALSE },
	{ CMD_RESPOND, "respond", ARG_REPLY_TEXT, NULL, NULL,
	  "the response written below the commands",
	  "#respond", "#respond (then the response below)",
	  "makes the text below the commands the response draft; it goes to"
	  " the coordinator for checking", FALSE },
	{ CMD_APPROVE, "approve", ARG_NONE, NULL, NULL, NULL,
	  "#approve", "#approve",
	  "coordinator: the draft is right; send it", FALSE },
	{ CMD_RETURN, "return", ARG_TEXT, NULL, NULL,
	  "the reason the draft goes back",
	  "#return REASON", "#return please explain what disclosure means",
	  "coordinator: sends the draft back to its author with the reason",
	  FALSE },
	{ CMD_HOLDING, "holding", ARG_DAYS_TEXT, NULL, NULL,
	  "a number of working days and a reason",
	  "#holding DAYS REASON", "#holding 10 waiting for the police file",
	  "sends a holding letter and moves the response date by DAYS working"
	  " days (1 to 60)", FALSE },
	{ CMD_NOTE, "note", ARG_TEXT, NULL, NULL,
	  "the text of the note",
	  "#note TEXT", "#note rang the complainant, happy to wait",
	  "adds an internal note to the case; the complainant never sees it",
	  TRUE },
	{ CMD_OUTCOME, "outcome", ARG_CHOICE, &schema_outcome, NULL,
	  NULL, NULL, "#outcome partly_upheld",
	  "records the outcome of the complaint", FALSE },
	{ CMD_CLOSE, "close", ARG_NONE, NULL, NULL, NULL,
	  "#close", "#close",
	  "closes the case", FALSE },
	{ CMD_IAC, "iac", ARG_NONE, NULL, NULL, NULL,
	  "#iac", "#iac",
	  "refers the case to the Independent Assessor of Complaints", FALSE },
	{ CMD_AUTHORITY, "authority", ARG_CHOICE, NULL, authority_states,
	  "the word 'received'",
	  "#authority received", "#authority received",
	  "records that the complainant's written permission has arrived;"
	  " the response clock starts", FALSE },
	{ CMD_ESCALATE, "escalate", ARG_NONE, NULL, NULL, NULL,
	  "#escalate", "#escalate",
	  "accepts a late request for stage 2 and opens stage 2", FALSE },
	{ CMD_REOPEN, "reopen", ARG_NONE, NULL, NULL, NULL,
	  "#reopen", "#reopen",
	  "reopens a closed case", FALSE },
};

/* Regular expressions: where the quoted original starts, and arguments.
 * The regex cache owns them. */
struct parse_rx {
	GRegex	*attribution_start;	/* "On ... wrote:" first line */
	GRegex	*attribution_end;
	GRegex	*separator;		/* -----Original Message----- etc. */
	GRegex	*outlook_from;		/* From: ... then Sent:/Date: */
	GRegex	*outlook_sent;
	GRegex	*address;
	GRegex	*separators;		/* "partly - upheld" */
};

struct parse_state {
	struct staff_reply	*reply;
	char		       **lines;
	guint			 nlines;
	struct parse_rx		 rx;
	/* The command that took the reply text: only one may. */
	const struct staff_command *text_user;
};

static const struct verb_spec *
verb_spec(enum staff_verb verb)
{
	gsize	i;

	for (i = 0; i < G_N_ELEMENTS(verbs); i++)
		if (verbs[i].verb == verb)
			return (&verbs[i]);
	g_assert_not_reached();
}

/* What the argument of spec is, for errors. Caller frees. */
static char *
spec_needs(const struct verb_spec *spec)
{
	char	*list, *s;

	if (spec->needs != NULL)
		return (g_strdup(spec->needs));
	list = label_choices(spec->schema, TRUE);
	s = g_strdup_printf("one of: %s", list);
	g_free(list);
	return (s);
}

/* How spec is written: "#category legal|service|mixed". Caller frees. */
static char *
spec_syntax(const struct verb_spec *spec)
{
	GString		*s;
	const char	*sep = " ";
	int		 v;

	if (spec->syntax != NULL)
		return (g_strdup(spec->syntax));
	s = g_string_new(NULL);
	g_string_printf(s, "#%s", spec->name);
	for (v = 0; v < spec->schema->count; v++) {
		const char	*name = label_name(spec->schema, v);

		if (label_choice(spec->schema, name) < 0)
			continue;	/* the "-" of a *_NONE */
		g_string_append_printf(s, "%s%s", sep, name);
		sep = "|";
	}
	return (g_string_free(s, FALSE));
}

const char *
staff_verb_name(enum staff_verb verb)
{
	return (verb_spec(verb)->name);
}

char *
staff_commands_help(void)
{
	GString	*s = g_string_new(NULL);
	gsize	 i;

	for (i = 0; i < G_N_ELEMENTS(verbs); i++) {
		char	*syntax = spec_syntax(&verbs[i]);

		g_string_append_printf(s, "%s: %s. Example: %s\n", syntax,
		    verbs[i].does, verbs[i].example);
		g_free(syntax);
	}
	return (g_string_free(s, FALSE));
}

static char *
command_list(void)
{
	GString	*s = g_string_new(NULL);
	gsize	 i;

	for (i = 0; i < G_N_ELEMENTS(verbs); i++)
		g_string_append_printf(s, "%s#%s", i ? ", " : "",
		    verbs[i].name);
	return (g_string_free(s, FALSE));
}

/* Whitespace as mail clients write it: NBSP, zero-width space, BOM too. */
static gboolean
is_blank_char(gunichar c)
{
	return (g_unichar_isspace(c) || c == 0x200b || c == 0xfeff ||
	    c == 0x00a0);
}

static const char *
skip_blank(const char *s)
{
	while (*s != '\0' && is_blank_char(g_utf8_get_char(s)))
		s = g_utf8_next_char(s);
	return (s);
}

/* A copy of s[0..len) without leading and trailing blanks. */
static char *
trimmed(const char *s, gssize len)
{
	const char	*end, *p, *last;

	if (len < 0)
		len = strlen(s);
	end = s + len;
	s = skip_blank(s);
	last = s;
	for (p = s; p < end && *p != '\0'; p = g_utf8_next_char(p))
		if (!is_blank_char(g_utf8_get_char(p)))
			last = g_utf8_next_char(p);
	return (g_strndup(s, last - s));
}

static gboolean
is_blank_line(const char *line)
{
	return (*skip_blank(line) == '\0');
}

static void
add_error(struct parse_state *ps, int line, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);
static void
add_error(struct parse_state *ps, int line, const char *fmt, ...)
{
	va_list	 ap;
	char	*what;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(ps->reply->errors,
	    g_strdup_printf("line %d: %s", line, what));
	g_free(what);
}

static void
parse_rx_init(struct parse_rx *rx)
{
	/* Compiled once per process: this runs on every incoming message. */
	const GRegexCompileFlags ci = G_REGEX_CASELESS;

	rx->attribution_start = regex_cached("^\\s*(On|Ar)\\s+\\S", 0);
	rx->attribution_end = regex_cached(
	    "(wrote|ysgrifennodd)\\s*:\\s*$", ci);
	rx->separator = regex_cached("^\\s*(-{2,}\\s*(original message|"
	    "forwarded message|neges wreiddiol)\\s*-{2,}|"
	    "begin forwarded message:|_{8,})\\s*$", ci);
	rx->outlook_from = regex_cached(
	    "^\\s*\\**(from|oddi wrth)\\**\\s*:\\**\\s*\\S", ci);
	rx->outlook_sent = regex_cached(
	    "^\\s*\\**(sent|date|anfonwyd|dyddiad)\\**\\s*:", ci);
	rx->address = regex_cached("[^\\s<>()\\[\\],;:\"@]+@[a-z0-9]"
	    "([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+",
	    ci);
	rx->separators = regex_cached("[\\s_-]+", 0);
}

/* Attribution lines wrap ("On ..., Name <\naddr> wrote:"); how far to look. */
#define ATTRIBUTION_LINES	3
/* Outlook puts Sent:/Date: this close under From:, blank lines included. */
#define OUTLOOK_HEADER_LINES	4

static gboolean
is_quoted(const char *line)
{
	return (*skip_blank(line) == '>');
}

/* The first line from i that is neither '>' quoted nor blank. */
static guint
skip_quoted(const struct parse_state *ps, guint i)
{
	while (i < ps->nlines && (is_quoted(ps->lines[i]) ||
	    is_blank_line(ps->lines[i])))
		i++;
	return (i);
}

/*
 * Is line i a line that introduces a quoted original: a separator, an
 * "On ... wrote:" attribution or an Outlook From:/Sent: block? Returns
 * how many lines the marker takes (attributions may wrap), or 0.
 */
static guint
marker_lines(const struct parse_state *ps, guint i)
{
	const char	*line = ps->lines[i];
	guint		 j;

	if (g_regex_match(ps->rx.separator, line, 0, NULL))
		return (1);
	if (g_regex_match(ps->rx.attribution_start, line, 0, NULL)) {
		for (j = i; j < ps->nlines && j < i + ATTRIBUTION_LINES; j++) {
			if (j > i && is_blank_line(ps->lines[j]))
				break;
			if (g_regex_match(ps->rx.attribution_end,
			    ps->lines[j], 0, NULL))
				return (j - i + 1);
		}
	}
	if (g_regex_match(ps->rx.outlook_from, line, 0, NULL)) {
		for (j = i + 1; j < ps->nlines &&
		    j <= i + OUTLOOK_HEADER_LINES; j++)
			if (g_regex_match(ps->rx.outlook_sent, ps->lines[j], 0,
			    NULL))
				return (1);
	}
	return (0);
}

/*
 * Does the quoted original start at line i? A '>' block does only when
 * nothing of the writer's own follows it; otherwise it is an inline quote
 * ("> you said the letter was late" then the answer) and stays in the
 * text, so a draft is never cut short.
 */
static gboolean
quote_starts(const struct parse_state *ps, guint i)
{
	guint	j;

	if (is_quoted(ps->lines[i])) {
		j = skip_quoted(ps, i);
		return (j == ps->nlines || marker_lines(ps, j) > 0);
	}
	return (marker_lines(ps, i) > 0);
}

/*
 * Bottom-posters write under a '>' quote (perhaps after its attribution);
 * skip it so their commands are still "at the top" of what they wrote.
 * Other quote styles have no end marker, so only a '>' quote is skipped.
 */
static guint
skip_leading_quote(const struct parse_state *ps, guint i)
{
	guint	j;

	if (is_quoted(ps->lines[i]))
		return (skip_quoted(ps, i));
	j = i + marker_lines(ps, i);
	if (j == i)
		return (i);
	while (j < ps->nlines && is_blank_line(ps->lines[j]))
		j++;
	if (j == ps->nlines || !is_quoted(ps->lines[j]))
		return (i);
	return (skip_quoted(ps, j));
}

/* Levenshtein distance of two short ASCII names, for "did you mean". */
static guint
name_distance(const char *a, const char *b)
{
	guint	 la = strlen(a), lb = strlen(b), i, j, d;
	guint	*prev, *cur, *tmp;

	prev = g_new(guint, lb + 1);
	cur = g_new(guint, lb + 1);
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			d = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
			d = MIN(d, prev[j] + 1);
			cur[j] = MIN(d, cur[j - 1] + 1);
		}
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	d = prev[lb];
	g_free(prev);
	g_free(cur);
	return (d);
}

static const struct verb_spec *
find_verb(const char *name)
{
	gsize	i;

	for (i = 0; i < G_N_ELEMENTS(verbs); i++)
		if (strcmp(verbs[i].name, name) == 0)
			return (&verbs[i]);
	return (NULL);
}

static void
unknown_command(struct parse_state *ps, int line, const char *raw,
    const char *name)
{
	const char	*closest = NULL;
	guint		 best = 3, d;
	gsize		 i;
	char		*list, *hint;

	for (i = 0; i < G_N_ELEMENTS(verbs); i++) {
		d = name_distance(name, verbs[i].name);
		/* "#hold", "#esc": the start of a name is as good as a typo */
		if (strlen(name) >= 3 && g_str_has_prefix(verbs[i].name, name))
			d = 1;
		if (d < best) {
			best = d;
			closest = verbs[i].name;
		}
	}
	list = command_list();
	hint = closest != NULL ? g_strdup_printf(" Did you mean #%s?",
	    closest) : g_strdup("");
	if (*name == '\0')
		add_error(ps, line, "'%s' is not a command: write the command"
		    " name straight after '#'. The commands are: %s.", raw,
		    list);
	else
		add_error(ps, line, "'#%s' is not a command redress knows.%s"
		    " The commands are: %s.", name, hint, list);
	g_free(hint);
	g_free(list);
}

static void
example_error(struct parse_state *ps, int line, const struct verb_spec *spec,
    const char *problem)
{
	add_error(ps, line, "%s, e.g. '%s'", problem, spec->example);
}

/* "Jane Smith <jane@CPS.example>" or "jane@x<mailto:jane@x>": the address,
 * domain lower-cased, or NULL with an error added. */
static char *
parse_address(struct parse_state *ps, int line, const struct verb_spec *spec,
    const char *arg)
{
	GMatchInfo	*mi;
	char		*found = NULL, *m, *at, *problem, *needs;
	gboolean	 several = FALSE;

	g_regex_match(ps->rx.address, arg, 0, &mi);
	while (g_match_info_matches(mi)) {
		/* The class stops at ':', so "mailto:" is never part of m. */
		m = g_match_info_fetch(mi, 0);
		if (found == NULL)
			found = m;
		else {
			if (g_ascii_strcasecmp(found, m) != 0)
				several = TRUE;
			g_free(m);
		}
		g_match_info_next(mi, NULL);
	}
	g_match_info_free(mi);
	if (found == NULL) {
		needs = spec_needs(spec);
		problem = g_strdup_printf("'%s' is not an email address: #%s"
		    " needs %s", arg, spec->name, needs);
		example_error(ps, line, spec, problem);
		g_free(problem);
		g_free(needs);
		return (NULL);
	}
	if (several) {
		problem = g_strdup_printf("#%s takes one address, and this"
		    " line has several", spec->name);
		example_error(ps, line, spec, problem);
		g_free(problem);
		g_free(found);
		return (NULL);
	}
	at = strrchr(found, '@');
	for (; *at != '\0'; at++)
		*at = g_ascii_tolower(*at);
	return (found);
}

/*
 * The spelling of choices: "Partly upheld" and "partly-upheld" too. The
 * name as the schema spells it, and in *value its enum value (-1 for a
 * choice that is not a label).
 */
static char *
parse_choice(struct parse_state *ps, int line, const struct verb_spec *spec,
    const char *arg, int *value)
{
	char	*lower, *word, *problem, *needs;
	gsize	 i;

	lower = g_ascii_strdown(arg, -1);
	word = g_regex_replace_literal(ps->rx.separators, lower, -1, 0, "_",
	    0, NULL);
	g_free(lower);
	*value = -1;
	if (spec->schema != NULL) {
		if ((*value = label_choice(spec->schema, word)) >= 0)
			return (word);
	} else {
		for (i = 0; spec->choices[i] != NULL; i++)
			if (strcmp(word, spec->choices[i]) == 0)
				return (word);
	}
	g_free(word);
	needs = spec_needs(spec);
	problem = g_strdup_printf("'%s' is not something #%s accepts: it"
	    " needs %s", arg, spec->name, needs);
	example_error(ps, line, spec, problem);
	g_free(problem);
	g_free(needs);
	return (NULL);
}

static gboolean
all_digits(const char *s, gsize len)
{
	gsize	i;

	for (i = 0; i < len; i++)
		if (!g_ascii_isdigit(s[i]))
			return (FALSE);
	return (len > 0);
}

/* "10 waiting for the police file": days, and the rest into *text (or
 * NULL when the line has only the number). */
static gboolean
parse_days(struct parse_state *ps, int line, const struct verb_spec *spec,
    const char *arg, int *days, char **text)
{
	const char	*end;
	char		*number, *problem, *needs;
	guint64		 n;

	end = arg;
	while (*end != '\0' && !is_blank_char(g_utf8_get_char(end)))
		end = g_utf8_next_char(end);
	number = g_strndup(arg, end - arg);
	if (!all_digits(number, strlen(number))) {
		needs = spec_needs(spec);
		problem = g_strdup_printf("'%s' is not a number of working"
		    " days: #%s needs %s", number, spec->name, needs);
		example_error(ps, line, spec, problem);
		g_free(problem);
		g_free(needs);
		g_free(number);
		return (FALSE);
	}
	if (!g_ascii_string_to_unsigned(number, 10, HOLDING_MIN_DAYS,
	    HOLDING_MAX_DAYS, &n, NULL)) {
		problem = g_strdup_printf("#%s %s: the number of working days"
		    " must be from %d to %d", spec->name, number,
		    HOLDING_MIN_DAYS, HOLDING_MAX_DAYS);
		example_error(ps, line, spec, problem);
		g_free(problem);
		g_free(number);
		return (FALSE);
	}
	g_free(number);
	*days = (int)n;
	end = skip_blank(end);
	*text = *end != '\0' ? g_strdup(end) : NULL;
	return (TRUE);
}

static struct staff_command *
command_new(const struct verb_spec *spec, int line, const char *raw)
{
	struct staff_command	*cmd = g_new0(struct staff_command, 1);

	cmd->verb = spec->verb;
	cmd->value = -1;
	cmd->line = line;
	cmd->raw = g_strdup(raw);
	return (cmd);
}

static void
command_free(gpointer p)
{
	struct staff_command	*cmd = p;

	g_free(cmd->arg);
	g_free(cmd->raw);
	g_free(cmd);
}

/* A command written without its text takes the reply text; returns what
 * is wrong when there is none. */
static char *
take_reply_text(struct parse_state *ps, const struct verb_spec *spec,
    char **value, gboolean *uses_text)
{
	char	*needs, *problem;

	if (*ps->reply->text == '\0') {
		needs = spec_needs(spec);
		problem = g_strdup_printf("#%s needs %s, on the same line or"
		    " below the commands", spec->name, needs);
		g_free(needs);
		return (problem);
	}
	*value = g_strdup(ps->reply->text);
	*uses_text = TRUE;
	return (NULL);
}

/*
 * One '#' line. Returns the command, or NULL with an error added.
 * *uses_text is set when the command takes the reply text.
 */
static struct staff_command *
parse_command(struct parse_state *ps, int line, const char *raw,
    gboolean *uses_text)
{
	const struct verb_spec	*spec;
	struct staff_command	*cmd;
	const char		*p, *start;
	char			*name, *arg, *problem = NULL, *value = NULL;
	char			*needs;
	int			 days = 0, choice = -1;

	*uses_text = FALSE;
	p = skip_blank(raw + 1);
	start = p;
	while (g_ascii_isalpha(*p) || *p == '_')
		p++;
	name = g_ascii_strdown(start, p - start);
	if (*p == ':')
		p++;	/* "#outcome: upheld", "#outcome:upheld" */
	else if (*p != '\0' && !is_blank_char(g_utf8_get_char(p))) {
		/* "#approve." or "#close!": not a name we can trust. */
		while (*p != '\0' && !is_blank_char(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		g_free(name);
		name = g_strndup(start, p - start);
	}
	spec = find_verb(name);
	if (spec == NULL) {
		unknown_command(ps, line, raw, name);
		g_free(name);
		return (NULL);
	}
	g_free(name);
	arg = trimmed(p, -1);

	switch (spec->arg) {
	case ARG_NONE:
	case ARG_REPLY_TEXT:
		if (*arg != '\0')
			problem = g_strdup_printf("#%s takes nothing after it,"
			    " but the line goes on '%s'; put anything else"
			    " below the commands", spec->name, arg);
		else if (spec->arg == ARG_REPLY_TEXT &&
		    *ps->reply->text == '\0') {
			needs = spec_needs(spec);
			problem = g_strdup_printf("#%s needs %s, but there is"
			    " no text between the commands and the quoted"
			    " message", spec->name, needs);
			g_free(needs);
		}
		*uses_text = spec->arg == ARG_REPLY_TEXT;
		break;
	case ARG_ADDRESS:
	case ARG_CHOICE:
	case ARG_DAYS_TEXT:
		if (*arg == '\0') {
			needs = spec_needs(spec);
			problem = g_strdup_printf("#%s needs %s", spec->name,
			    needs);
			g_free(needs);
			break;
		}
		if (spec->arg == ARG_ADDRESS)
			value = parse_address(ps, line, spec, arg);
		else if (spec->arg == ARG_CHOICE)
			value = parse_choice(ps, line, spec, arg, &choice);
		else if (parse_days(ps, line, spec, arg, &days, &value) &&
		    value == NULL)
			problem = take_reply_text(ps, spec, &value, uses_text);
		if (value == NULL && problem == NULL) {
			g_free(arg);
			return (NULL);	/* the error is added already */
		}
		break;
	case ARG_TEXT:
		if (*arg != '\0')
			value = g_strdup(arg);
		else
			problem = take_reply_text(ps, spec, &value, uses_text);
		break;
	}
	g_free(arg);
	if (problem != NULL) {
		example_error(ps, line, spec, problem);
		g_free(problem);
		g_free(value);
		return (NULL);
	}
	cmd = command_new(spec, line, raw);
	cmd->arg = value;
	cmd->value = choice;
	cmd->days = days;
	return (cmd);
}

/* Add cmd unless it repeats or contradicts an earlier one. */
static void
add_command(struct parse_state *ps, struct staff_command *cmd,
    gboolean uses_text)
{
	const struct verb_spec	*spec = verb_spec(cmd->verb);
	const struct verb_spec	*advice;
	struct staff_command	*prev;
	char			*needs;
	guint			 i;

	for (i = 0; i < ps->reply->commands->len; i++) {
		prev = ps->reply->commands->pdata[i];
		if (prev->verb == cmd->verb && !spec->repeatable) {
			add_error(ps, cmd->line, "#%s is given twice (lines %d"
			    " and %d); keep only one of them", spec->name,
			    prev->line, cmd->line);
			command_free(cmd);
			return;
		}
		if ((prev->verb == CMD_APPROVE && cmd->verb == CMD_RETURN) ||
		    (prev->verb == CMD_RETURN && cmd->verb == CMD_APPROVE)) {
			add_error(ps, cmd->line, "#%s contradicts #%s on line"
			    " %d; send either #approve or #return REASON",
			    spec->name, staff_verb_name(prev->verb),
			    prev->line);
			command_free(cmd);
			return;
		}
	}
	if (uses_text && ps->text_user != NULL) {
		/* The advice is for the one that could go on its line. */
		advice = cmd->verb == CMD_RESPOND ?
		    verb_spec(ps->text_user->verb) : spec;
		needs = spec_needs(advice);
		add_error(ps, cmd->line, "#%s and #%s (line %d) would both use"
		    " the text below the commands; write %s on the #%s line"
		    " itself, e.g. '%s'", spec->name,
		    staff_verb_name(ps->text_user->verb), ps->text_user->line,
		    needs, advice->name, advice->example);
		g_free(needs);
		command_free(cmd);
		return;
	}
	if (uses_text)
		ps->text_user = cmd;
	g_ptr_array_add(ps->reply->commands, cmd);
}

static char **
split_lines(const char *body)
{
	char	*valid, *unix_eol, **lines;
	GString	*s;
	const char *p;

	valid = g_utf8_make_valid(body, -1);
	s = g_string_sized_new(strlen(valid));
	for (p = valid; *p != '\0'; p++) {
		if (*p == '\r') {
			g_string_append_c(s, '\n');
			if (p[1] == '\n')
				p++;
		} else
			g_string_append_c(s, *p);
	}
	g_free(valid);
	unix_eol = g_string_free(s, FALSE);
	lines = g_strsplit(unix_eol, "\n", -1);
	g_free(unix_eol);
	return (lines);
}

struct staff_reply *
staff_reply_parse(const char *body)
{
	struct parse_state	 ps;
	struct staff_command	*cmd;
	GString			*text;
	guint			 i, first, start, end;
	char			*line;
	gboolean		 uses_text;

	memset(&ps, 0, sizeof ps);
	ps.reply = g_new0(struct staff_reply, 1);
	ps.reply->commands = g_ptr_array_new_with_free_func(command_free);
	ps.reply->errors = g_ptr_array_new_with_free_func(g_free);
	ps.lines = split_lines(body != NULL ? body : "");
	ps.nlines = g_strv_length(ps.lines);
	parse_rx_init(&ps.rx);

	/* The command block, then the text up to the quoted original. */
	for (first = 0; first < ps.nlines && is_blank_line(ps.lines[first]);
	    first++)
		;
	if (first < ps.nlines)
		first = skip_leading_quote(&ps, first);
	for (start = first; start < ps.nlines; start++)
		if (!is_blank_line(ps.lines[start]) &&
		    *skip_blank(ps.lines[start]) != '#')
			break;
	for (end = start; end < ps.nlines; end++) {
		if (quote_starts(&ps, end))
			break;
		if (is_quoted(ps.lines[end]))	/* an inline quote: past it */
			end = skip_quoted(&ps, end) - 1;
	}
	text = g_string_new(NULL);
	for (i = start; i < end; i++) {
		g_string_append(text, ps.lines[i]);
		g_string_append_c(text, '\n');
	}
	ps.reply->text = trimmed(text->str, text->len);
	g_string_free(text, TRUE);

	/* The text is known now, so commands can take it, in line order. */
	for (i = first; i < start; i++) {
		if (is_blank_line(ps.lines[i]))
			continue;
		line = trimmed(ps.lines[i], -1);
		cmd = parse_command(&ps, i + 1, line, &uses_text);
		if (cmd != NULL)
			add_command(&ps, cmd, uses_text);
		g_free(line);
	}

	g_strfreev(ps.lines);
	return (ps.reply);
}

void
staff_reply_free(struct staff_reply *reply)
{
	if (reply == NULL)
		return;
	g_ptr_array_unref(reply->commands);
	g_ptr_array_unref(reply->errors);
	g_free(reply->text);
	g_free(reply);
}
