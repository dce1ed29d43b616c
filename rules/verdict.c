/* verdict.c: the decision about one message, and how it is shown. */
#include <math.h>

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

	/* the rest is zero: the *_NONE "-" of every field that has one */
	v->kind = KIND_COMPLAINT;
	v->language = LANGUAGE_EN;
	v->restrictions = 0;
	g_strlcpy(v->matter_date, "-", sizeof v->matter_date);
	v->hits = g_ptr_array_new_with_free_func(hit_free);
	return (v);
}

void
verdict_free(struct verdict *v)
{
	if (v == NULL)
		return;
	g_ptr_array_unref(v->hits);
	g_free(v);
}

void
verdict_add_hit(struct verdict *v, const char *rule, const char *matched)
{
	struct rule_hit	*h = g_new0(struct rule_hit, 1);

	h->rule = g_strdup(rule);
	h->matched = g_strdup(matched != NULL ? matched : "");
	g_ptr_array_add(v->hits, h);
}

void
verdict_set_triage(struct verdict *v, double confidence, double margin)
{
	double	mine = v->kind_probability[v->kind], other = 0;
	int	k;

	if (!v->has_probabilities)
		return;		/* rules alone, or quarantined: as it was */
	for (k = 0; k < KIND__COUNT; k++)
		if (k != (int)v->kind && v->kind_probability[k] > other)
			other = v->kind_probability[k];
	v->triage = mine < confidence || mine - other < margin;
}

gboolean
verdict_is_machine(const struct verdict *v)
{
	return (kind_is_machine(v->kind));
}

JsonNode *
verdict_to_json(const struct verdict *v)
{
	JsonObject	*o = json_object_new();
	JsonArray	*rules = json_array_new();
	JsonNode	*node;
	char		*restrictions = restrictions_text(v->restrictions);
	guint		 i;

	/* The members and their order are read by the scoring tools. */
#define FIELD(name, value) json_object_set_string_member(o, name, value)
	FIELD("kind", kind_name(v->kind));
	FIELD("category", category_name(v->category));
	FIELD("sentiment", sentiment_name(v->sentiment));
	FIELD("representative", representative_name(v->representative));
	FIELD("authority", authority_name(v->authority));
	FIELD("matter_date", v->matter_date);
	FIELD("out_of_time", out_of_time_name(v->out_of_time));
	FIELD("exceptional", exceptional_name(v->exceptional));
	FIELD("language", language_name(v->language));
	FIELD("contact_restriction", restrictions);
	FIELD("request", request_name(v->request));
#undef FIELD
	g_free(restrictions);
	for (i = 0; v->hits != NULL && i < v->hits->len; i++) {
		const struct rule_hit	*h = g_ptr_array_index(v->hits, i);
		JsonObject		*ho = json_object_new();

		json_object_set_string_member(ho, "rule", h->rule);
		json_object_set_string_member(ho, "matched", h->matched);
		json_array_add_object_element(rules, ho);
	}
	json_object_set_array_member(o, "rules", rules);
	json_object_set_boolean_member(o, "triage", v->triage);
	if (v->has_probabilities) {
		JsonObject	*po = json_object_new();
		int		 order[KIND__COUNT], n = 0, k, j;

		/* best first: a reader sees the runner-up at once */
		for (k = 0; k < KIND__COUNT; k++) {
			if (v->kind_probability[k] <= 0)
				continue;
			for (j = n; j > 0 && v->kind_probability[order[j - 1]] <
			    v->kind_probability[k]; j--)
				order[j] = order[j - 1];
			order[j] = k;
			n++;
		}
		for (j = 0; j < n; j++)
			json_object_set_double_member(po, kind_name(order[j]),
			    floor(v->kind_probability[order[j]] * 1000 + 0.5) /
			    1000);
		json_object_set_object_member(o, "kind_probabilities", po);
	}
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
