/*
 * resources.c: rules, templates, calendar and jargon list, loaded together
 * so that nothing is used unless all of them are good.
 */
#include "letter-check.h"
#include "resources.h"
#include "rules-load.h"

/*
 * The jargon list beside the rules. Sets *terms to NULL when there is no
 * such file: the list is optional, and the letter check then says it ran
 * without one. A list that cannot be read or has mistakes is a problem
 * (appended to errors), not a silently skipped check.
 */
static void
jargon_load(const char *rules_dir, GPtrArray **terms, GPtrArray *errors)
{
	GError	*error = NULL;
	char	*path, *text;

	*terms = NULL;
	path = g_build_filename(rules_dir, "jargon.list", NULL);
	if (!g_file_get_contents(path, &text, NULL, &error)) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_ptr_array_add(errors, g_strdup_printf("%s: cannot "
			    "read the jargon list: %s; let the user running "
			    "redress read it, or remove it to check letters "
			    "without one", path, error->message));
		g_error_free(error);
		g_free(path);
		return;
	}
	if (jargon_list_parse(text, terms, errors, path) != 0)
		g_clear_pointer(terms, g_ptr_array_unref);
	g_free(text);
	g_free(path);
}

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
	jargon_load(cfg->rules, &res->jargon, errors);
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
	if (res->jargon != NULL)
		g_ptr_array_unref(res->jargon);
	g_free(res);
}
