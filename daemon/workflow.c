/*
 * workflow.c: the case core's shared context, and recording a message.
 */
#include <json-glib/json-glib.h>

#include "clock.h"
#include "workflow.h"

struct workflow *
workflow_new(const struct config *config, struct store *store,
    const struct resources *res)
{
	struct workflow	*wf = g_new0(struct workflow, 1);

	wf->config = config;
	wf->store = store;
	wf->res = res;
	return (wf);
}

void
workflow_free(struct workflow *wf)
{
	if (wf == NULL)
		return;
	g_free(wf);
}

static char *
verdict_json(const struct verdict *v)
{
	JsonGenerator	*gen = json_generator_new();
	JsonNode	*root = verdict_to_json(v);
	char		*s;

	json_generator_set_root(gen, root);
	s = json_generator_to_data(gen, NULL);
	json_node_unref(root);
	g_object_unref(gen);
	return (s);
}

int
workflow_record(struct workflow *wf, const struct origin *o, GBytes *raw,
    const struct message *m, const struct verdict *v, gint64 case_id,
    gint64 *row, char **cause)
{
	char	*json = v != NULL ? verdict_json(v) : NULL;
	gsize	 len;
	const char *data = g_bytes_get_data(raw, &len);
	int	 rc;

	rc = store_message_add_in(wf->store, o, data, len, m, json, case_id,
	    clock_now(), row, cause);
	g_free(json);
	return (rc);
}
