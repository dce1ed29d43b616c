/*
 * resources.c: rules, templates and calendar, loaded together so that
 * nothing is used unless all of them are good.
 */
#include "resources.h"
#include "rules-load.h"
#include "template.h"

int
resources_load(const struct config *cfg, struct ruleset **rules,
    struct calendar **calendar, GPtrArray *errors)
{
	GPtrArray	*rule_errors = NULL;
	char		*cause = NULL;
	guint		 before = errors->len, i;

	*rules = NULL;
	*calendar = NULL;
	if (rules_load_dir(cfg->rules, rules, &rule_errors) != 0) {
		for (i = 0; i < rule_errors->len; i++)
			g_ptr_array_add(errors,
			    g_strdup(g_ptr_array_index(rule_errors, i)));
		g_ptr_array_unref(rule_errors);
	}
	/* A template that cannot render would fail, mid-transaction, every
	 * message that needs it: find it here. */
	template_check_dir(cfg->templates, errors);
	if (calendar_load(cfg->calendar, calendar, &cause) != 0) {
		g_ptr_array_add(errors, g_strdup_printf("%s: calendar: %s",
		    cfg->path, cause));
		g_free(cause);
	}
	if (errors->len == before)
		return (0);
	ruleset_free(*rules);
	calendar_free(*calendar);
	*rules = NULL;
	*calendar = NULL;
	return (-1);
}
