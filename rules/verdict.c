/* verdict.c: the decision about one message, and how it is shown. */
#include <string.h>

#include "verdict.h"

static void
hit_free(gpointer p)
{
	struct rule_hit	*h = p;

	g_free(h->rule);
	g_free(h->matched);
	g_free(h);
}

struct verdict *
verdict_new(void)
{
	struct verdict	*v = g_new0(struct verdict, 1);

	v->kind = g_strdup("complaint");
	v->category = g_strdup("-");
	v->sentiment = g_strdup("-");
	v->representative = g_strdup("-");
	v->authority = g_strdup("-");
	v->matter_date = g_strdup("-");
	v->out_of_time = g_strdup("-");
	v->exceptional = g_strdup("-");
	v->language = g_strdup("en");
	v->contact_restriction = g_strdup("none");
	v->request = g_strdup("-");
	v->hits = g_ptr_array_new_with_free_func(hit_free);
	return (v);
}

void
verdict_free(struct verdict *v)
{
	if (v == NULL)
		return;
	g_free(v->kind);
	g_free(v->category);
	g_free(v->sentiment);
	g_free(v->representative);
	g_free(v->authority);
	g_free(v->matter_date);
	g_free(v->out_of_time);
	g_free(v->exceptional);
	g_free(v->language);
	g_free(v->contact_restriction);
	g_free(v->request);
	g_ptr_array_unref(v->hits);
	g_free(v);
}

void
verdict_set(char **field, const char *value)
{
	char	*old = *field;

	*field = g_strdup(value != NULL ? value : "-");
	g_free(old);
}

void
verdict_add_hit(struct verdict *v, const char *rule, const char *matched)
{
	struct rule_hit	*h = g_new0(struct rule_hit, 1);

	h->rule = g_strdup(rule);
	h->matched = g_strdup(matched != NULL ? matched : "");
	g_ptr_array_add(v->hits, h);
}

gboolean
verdict_is_machine(const struct verdict *v)
{
	return (v->kind != NULL && (strcmp(v->kind, "auto_reply") == 0 ||
	    strcmp(v->kind, "bounce") == 0 || strcmp(v->kind, "spam") == 0));
}

JsonNode *
verdict_to_json(const struct verdict *v)
{
	JsonObject	*o = json_object_new();
	JsonArray	*rules = json_array_new();
	JsonNode	*node;
	guint		 i;

#define FIELD(name) json_object_set_string_member(o, #name,		\
	v->name != NULL ? v->name : "-")
	FIELD(kind);
	FIELD(category);
	FIELD(sentiment);
	FIELD(representative);
	FIELD(authority);
	FIELD(matter_date);
	FIELD(out_of_time);
	FIELD(exceptional);
	FIELD(language);
	FIELD(contact_restriction);
	FIELD(request);
#undef FIELD
	for (i = 0; v->hits != NULL && i < v->hits->len; i++) {
		const struct rule_hit	*h = g_ptr_array_index(v->hits, i);
		JsonObject		*ho = json_object_new();

		json_object_set_string_member(ho, "rule", h->rule);
		json_object_set_string_member(ho, "matched", h->matched);
		json_array_add_object_element(rules, ho);
	}
	json_object_set_array_member(o, "rules", rules);
	node = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(node, o);
	return (node);
}

char *
verdict_explain(const struct verdict *v)
{
	GString	*s = g_string_new(NULL);
	guint	 i;

	for (i = 0; v->hits != NULL && i < v->hits->len; i++) {
		const struct rule_hit	*h = g_ptr_array_index(v->hits, i);

		g_string_append_printf(s, "  %s: \"%s\"\n", h->rule,
		    h->matched);
	}
	if (s->len == 0)
		g_string_append(s, "  no rule fired\n");
	return (g_string_free(s, FALSE));
}
