/*
 * fuzz-staff-command.c: the staff command parser under a fuzzer
 * (fuzz.h), over the fixtures in tests/data/staff-command when run
 * without libFuzzer. The input is the body of a staff reply.
 *
 * Beyond not crashing, the result must keep staff-command.h's promises:
 * valid UTF-8 everywhere, every command a '#' line of the body in order,
 * its argument normalised as its verb says, every mistake worded with
 * its line; and parsing the same body twice gives the same result.
 */
#include <string.h>

#include <glib.h>

#include "fuzz.h"
#include "schema.h"
#include "staff-command.h"

const char	 fuzz_name[] = "fuzz-staff-command";
const char	 fuzz_fixture_dir[] = "staff-command";
const char	 fuzz_fixture_suffix[] = ".txt";

static gboolean
good(const char *s)
{
	return (s != NULL && g_utf8_validate(s, -1, NULL));
}

/* The most lines the body can have, whatever ends them. */
static int
max_lines(const char *body)
{
	int	n = 1;

	for (; *body != '\0'; body++)
		if (*body == '\n' || *body == '\r')
			n++;
	return (n);
}

/* A #kind, #category or #outcome: its value is its argument's. */
static const char *
choice_defect(const struct staff_command *c, const struct label_names *l)
{
	if (c->arg == NULL || c->value < 0 || c->value >= l->count ||
	    label_choice(l, c->arg) != c->value)
		return ("a choice's value is not its argument's");
	return (NULL);
}

/* What is wrong with one command of a reply to body, or NULL. */
static const char *
command_defect(const struct staff_command *c, const struct staff_reply *r,
    const char *body)
{
	const char	*at;

	if (c->verb < CMD_ASSIGN || c->verb > CMD_REOPEN ||
	    staff_verb_name(c->verb) == NULL)
		return ("a command has a verb out of range");
	if (!good(c->raw) || *c->raw != '#')
		return ("a command's line is not a '#' line in valid UTF-8");
	if (c->line < 1 || c->line > max_lines(body))
		return ("a command's line number is outside the body");
	if (c->arg != NULL && !good(c->arg))
		return ("a command's argument is invalid UTF-8");
	if ((c->verb == CMD_HOLDING) != (c->days != 0) ||
	    (c->verb == CMD_HOLDING && (c->days < 1 || c->days > 60)))
		return ("#holding days out of 1..60, or days on another verb");
	switch (c->verb) {
	case CMD_KIND:
		return (choice_defect(c, &schema_kind));
	case CMD_CATEGORY:
		return (choice_defect(c, &schema_category));
	case CMD_OUTCOME:
		return (choice_defect(c, &schema_outcome));
	case CMD_ASSIGN:
		if (c->arg == NULL || (at = strrchr(c->arg, '@')) == NULL ||
		    at == c->arg || strpbrk(c->arg, " \t<>") != NULL)
			return ("#assign without one bare address");
		for (at++; *at != '\0'; at++)
			if (g_ascii_isupper(*at))
				return ("#assign's domain is not lower-cased");
		break;
	case CMD_RETURN:
	case CMD_HOLDING:
	case CMD_NOTE:
	case CMD_AUTHORITY:
		if (c->arg == NULL || *c->arg == '\0')
			return ("a command that needs text has none");
		break;
	case CMD_RESPOND:
		if (c->arg != NULL || *r->text == '\0')
			return ("#respond without the reply text");
		break;
	default:
		if (c->arg != NULL)
			return ("a command without argument has one");
		break;
	}
	if (c->verb != CMD_KIND && c->verb != CMD_CATEGORY &&
	    c->verb != CMD_OUTCOME && c->verb != CMD_AUTHORITY &&
	    c->value != -1)
		return ("a value on a verb that takes no choice");
	return (NULL);
}

static const char *
reply_defect(const struct staff_reply *r, const char *body)
{
	const struct staff_command	*c;
	const char			*defect, *e;
	guint				 i;
	int				 last = 0;

	if (r == NULL || r->commands == NULL || r->errors == NULL ||
	    !good(r->text))
		return ("a NULL list or invalid text");
	for (i = 0; i < r->commands->len; i++) {
		c = r->commands->pdata[i];
		if ((defect = command_defect(c, r, body)) != NULL)
			return (defect);
		if (c->line <= last)
			return ("commands are not in the order of their lines");
		last = c->line;
	}
	for (i = 0; i < r->errors->len; i++) {
		e = r->errors->pdata[i];
		if (!good(e) || !g_str_has_prefix(e, "line "))
			return ("a mistake is not worded with its line");
	}
	return (NULL);
}

/* The same body parsed again gives the same commands, text and errors. */
static gboolean
same_reply(const struct staff_reply *a, const struct staff_reply *b)
{
	guint	i;

	if (a->commands->len != b->commands->len ||
	    a->errors->len != b->errors->len || strcmp(a->text, b->text) != 0)
		return (FALSE);
	for (i = 0; i < a->commands->len; i++) {
		const struct staff_command *x = a->commands->pdata[i];
		const struct staff_command *y = b->commands->pdata[i];

		if (x->verb != y->verb || x->line != y->line ||
		    g_strcmp0(x->arg, y->arg) != 0)
			return (FALSE);
	}
	for (i = 0; i < a->errors->len; i++)
		if (strcmp(a->errors->pdata[i], b->errors->pdata[i]) != 0)
			return (FALSE);
	return (TRUE);
}

const char *
fuzz_one(const uint8_t *data, size_t size)
{
	struct staff_reply	*r, *again;
	const char		*defect;
	char			*body = g_strndup((const char *)data, size);

	r = staff_reply_parse(body);
	defect = reply_defect(r, body);
	if (defect == NULL) {
		again = staff_reply_parse(body);
		if (!same_reply(r, again))
			defect = "parsing the same body twice differs";
		staff_reply_free(again);
	}
	staff_reply_free(r);
	g_free(body);
	return (defect);
}
