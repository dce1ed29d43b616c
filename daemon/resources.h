/*
 * resources.h: what redressd needs besides its configuration file: the
 * rule set, usable templates and the bank holidays. redressd loads them at
 * start and on SIGHUP; `redress check-config` loads them to check them.
 *
 * Ownership: on success *rules and *calendar belong to the caller
 * (ruleset_free(), calendar_free()); on failure nothing is returned.
 */
#ifndef REDRESS_RESOURCES_H
#define REDRESS_RESOURCES_H

#include <glib.h>

#include "calendar.h"
#include "config.h"
#include "rules.h"

/* Returns 0, or -1 with every problem appended to errors (of char *),
 * each naming its file and, where there is one, the line. */
int	resources_load(const struct config *, struct ruleset **rules,
	    struct calendar **calendar, GPtrArray *errors);

#endif
