/*
 * staff-command.h: the commands a staff member writes at the top of a reply
 * to a case email, sent from their own mail client.
 *
 *	#holding 10 waiting for the police file
 *	#note rang the complainant, she is happy to wait
 *
 *	Text of the reply (for #respond: the response draft) ...
 *
 *	On Mon, 5 Jan 2026 at 10:00, London Complaints <...> wrote:
 *	> ...
 *
 * Pure: text in, struct out. The caller decides whether the sender may
 * steer the case (staff list and authentication, DESIGN.md invariant 4);
 * nothing here looks at addresses or headers.
 *
 * Ownership: staff_reply_parse() returns a struct staff_reply that owns
 * everything in it; free it with staff_reply_free(). Strings are valid UTF-8
 * (invalid bytes in the body are replaced) and never NULL unless the
 * comment says "or NULL".
 */
#ifndef REDRESS_STAFF_COMMAND_H
#define REDRESS_STAFF_COMMAND_H

#include <glib.h>

enum staff_verb {
	CMD_ASSIGN,		/* arg: the address, domain lower-cased */
	CMD_CATEGORY,		/* arg: a category of the schema, not "-" */
	CMD_KIND,		/* arg: a kind of the schema */
	CMD_RESPOND,		/* the reply text is the response draft */
	CMD_APPROVE,		/* coordinator QA: send the draft */
	CMD_RETURN,		/* arg: why the draft goes back */
	CMD_HOLDING,		/* days: 1..60 working days; arg: the reason */
	CMD_NOTE,		/* arg: the internal note */
	CMD_OUTCOME,		/* arg: an outcome of the schema, not "-" */
	CMD_CLOSE,
	CMD_IAC,		/* refer to the Independent Assessor */
	CMD_AUTHORITY,		/* arg: "received" */
	CMD_ESCALATE,		/* staff accept a late escalation: stage 2 */
	CMD_REOPEN
};

struct staff_command {
	enum staff_verb	 verb;
	/* The argument, normalised as the verb's comment says, or NULL for
	 * verbs without one. #return, #holding and #note written without
	 * their text on the line take the reply text instead (only one
	 * command of a reply may do that). */
	char		*arg;
	/* #kind, #category, #outcome: arg's value, an enum kind, category
	 * or outcome (schema.h), never a *_NONE; else -1. */
	int		 value;
	int		 days;		/* #holding only, else 0 */
	int		 line;		/* line of the body it was on, from 1 */
	char		*raw;		/* the line as written, trimmed */
};

struct staff_reply {
	GPtrArray	*commands;	/* of struct staff_command, in order;
					   only the well-formed ones */
	/* The text between the commands and the quoted original (a '>'
	 * block at the end, "On ... wrote:", "-----Original Message-----",
	 * Outlook's From:/Sent: block, a line of underscores), trimmed; ""
	 * when there is none. '>' lines followed by more of the writer's
	 * own text are inline quotes and stay in it. */
	char		*text;
	/*
	 * Of char *: one per mistake, worded for the staff member it is sent
	 * back to, e.g. "line 2: #holding needs a number of working days and
	 * a reason, e.g. '#holding 10 waiting for the police file'". When
	 * there is any, the caller applies none of the commands.
	 */
	GPtrArray	*errors;
};

/* Never returns NULL; body may be NULL (no commands, no text). */
struct staff_reply *staff_reply_parse(const char *body);
void		 staff_reply_free(struct staff_reply *);

/* "assign", "holding", ... (without '#'). Static storage. */
const char	*staff_verb_name(enum staff_verb);

/* Every command with its syntax, an example and what it does, one per
 * line, for the help and error replies. Caller frees. */
char		*staff_commands_help(void);

#endif
