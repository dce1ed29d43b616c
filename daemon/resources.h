/*
 * resources.h: what redressd needs besides its configuration file: the
 * rule set, usable templates, the bank holidays and the jargon list of the
 * letter check. redressd loads them at
 * start and on SIGHUP, and swaps them only as a whole; `redress
 * check-config` loads them to check them.
 *
 * Ownership: a struct resources owns every member; resources_free() frees
 * them all. Whatever borrows a member (struct workflow) must not outlive
 * the struct it came from.
 */
#ifndef REDRESS_RESOURCES_H
#define REDRESS_RESOURCES_H

#include <glib.h>

#include "calendar.h"
#include "config.h"
#include "rules.h"
#include "template.h"

/* A new member is loaded in resources_load() and freed in
 * resources_free(); nothing else needs to change. */
struct resources {
	struct ruleset		*rules;
	struct template_set	*templates;
	struct calendar		*calendar;
	/* Of struct jargon_term (letter-check.h), from jargon.list in the
	 * rules directory; NULL when there is no list, and the letter check
	 * says it ran without one. */
	GPtrArray		*jargon;
};

/*
 * Load everything cfg names. All or nothing: returns 0 and sets *out
 * (caller frees with resources_free()), or returns -1, sets *out to NULL
 * and appends every problem to errors (of char *, which must free its
 * elements), each naming its file and, where there is one, the line.
 */
int	resources_load(const struct config *cfg, struct resources **out,
	    GPtrArray *errors);
void	resources_free(struct resources *);

#endif
