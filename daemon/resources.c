/*
 * resources.c: rules, templates and calendar, loaded together so that
 * nothing is used unless all of them are good.
 */
#include "resources.h"
#include "rules-load.h"

int
resources_load(const struct config *cfg, struct resources **out,
    GPtrArray *errors)
{
	struct resources	*res;
	GPtrArray		*rule_errors = NULL;
	char			*cause = NULL;
	guint			 before = errors->len, i;

	*out = NULL;
	res = g_new0(struct resources, 1);
	if (rules_load_dir(cfg->rules, &res->rules, &rule_errors) != 0) {
		for (i = 0; i < rule_errors->len; i++)
			g_ptr_array_add(errors,
			    g_strdup(g_ptr_array_index(rule_errors, i)));
		g_ptr_array_unref(rule_errors);
	}
	/* A template that cannot render would fail, mid-transaction, every
	 * message that needs it: find it here. */
	template_set_load(cfg->templates, &res->templates, errors);
	if (calendar_load(cfg->calendar, &res->calendar, &cause) != 0) {
		g_ptr_array_add(errors, g_strdup_printf("%s: calendar: %s",
		    cfg->path, cause));
		g_free(cause);
	}
	if (errors->len != before) {
		resources_free(res);
		return (-1);
	}
	*out = res;
	return (0);
}

void
resources_free(struct resources *res)
{
	if (res == NULL)
		return;
	ruleset_free(res->rules);
	template_set_free(res->templates);
	calendar_free(res->calendar);
	g_free(res);
}
