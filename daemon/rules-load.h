/*
 * rules-load.h: read a directory of rule files (*.rules) into a ruleset,
 * all or nothing, so the daemon keeps the rules it had when a coordinator
 * saves a mistake.
 *
 * Ownership: on success *out is a new ruleset (ruleset_free()); on failure
 * *errors is a new GPtrArray of "FILE:LINE: what was expected" strings
 * (g_ptr_array_unref()) and *out is not touched.
 */
#ifndef REDRESS_RULES_LOAD_H
#define REDRESS_RULES_LOAD_H

#include <glib.h>

#include "rules.h"

/*
 * Read every *.rules file of dir, in name order (number them: 10-machine,
 * 20-kind...), and the learned layer's dir/model.txt when there is one.
 * Returns 0, or -1 with every error found in every file.
 */
int		 rules_load_dir(const char *dir, struct ruleset **out,
		     GPtrArray **errors);

/*
 * Load dir and, only when it loads, replace *current (freeing the old
 * one). On -1, *current is the ruleset it was. For SIGHUP.
 */
int		 rules_reload(const char *dir, struct ruleset **current,
		     GPtrArray **errors);

/*
 * The rules directory to use: option (--rules) when given, else
 * configured (the config's "rules", may be NULL or ""), else
 * $REDRESS_RULES, else the installed $(pkgdatadir)/rules when it exists,
 * else the source tree's rules/. Caller frees.
 */
char		*rules_find_dir(const char *option, const char *configured);

#endif
