/*
 * cmd-case.c: `redress case list` and `redress case show REF`, as text or
 * JSON (json-glib). Read-only: the queries are store-report.c's; a
 * database error is an error (exit 1), never an empty report.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "clock.h"
#include "cmd.h"
#include "config.h"
#include "store-report.h"

static void
print_json(JsonNode *node)
{
	JsonGenerator	*gen = json_generator_new();
	char		*s;

	json_generator_set_root(gen, node);
	json_generator_set_pretty(gen, FALSE);
	s = json_generator_to_data(gen, NULL);
	printf("%s\n", s);
	g_free(s);
	g_object_unref(gen);
}

static const char *
member(JsonObject *o, const char *name)
{
	JsonNode	*n = json_object_get_member(o, name);
	static char	 buf[32];

	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return ("-");
	if (json_node_get_value_type(n) == G_TYPE_INT64) {
		g_snprintf(buf, sizeof buf, "%" G_GINT64_FORMAT,
		    json_node_get_int(n));
		return (buf);
	}
	return (json_node_get_string(n));
}

/* Print rows as text: one line each, "label value" pairs in order. */
static void
print_rows(const char *title, JsonArray *rows, const char *const *cols)
{
	guint	i;
	int	c;

	printf("%s:%s\n", title, json_array_get_length(rows) ? "" : " none");
	for (i = 0; i < json_array_get_length(rows); i++) {
		JsonObject *o = json_array_get_object_element(rows, i);

		printf(" ");
		for (c = 0; cols[c] != NULL; c++)
			printf(" %s", member(o, cols[c]));
		printf("\n");
	}
}

static int
case_list(struct store *st, gboolean json)
{
	static const char *const cols[] = { "ref", "kind", "category",
	    "state", "opened_at", NULL };
	JsonArray	*rows;
	JsonNode	*node;
	char		*cause = NULL;

	if (store_report_cases(st, &rows, &cause) != 0) {
		fprintf(stderr, "redress: %s\n", cause);
		g_free(cause);
		return (1);
	}
	if (json) {
		node = json_node_init_array(json_node_alloc(), rows);
		print_json(node);
		json_node_unref(node);
	} else {
		print_rows("cases", rows, cols);
	}
	json_array_unref(rows);
	return (0);
}

static int
case_show(struct store *st, const char *ref, gboolean json)
{
	static const char *const party_cols[] = { "role", "name", "email",
	    "relationship", "authority", "contact_restriction", NULL };
	static const char *const message_cols[] = { "direction", "at",
	    "message_id", "subject", NULL };
	static const char *const event_cols[] = { "at", "kind", "detail",
	    NULL };
	static const char *const outbox_cols[] = { "message_id", "template",
	    "state", "address", "recipient_state", "code", "reply", NULL };
	static const char *const deadline_cols[] = { "kind", "due", "state",
	    NULL };
	JsonObject	*c, *o;
	JsonArray	*messages;
	JsonNode	*node;
	guint		 i;
	char		*cause = NULL;

	switch (store_report_case(st, ref, &c, &cause)) {
	case -1:
		fprintf(stderr, "redress: %s\n", cause);
		g_free(cause);
		return (1);
	case 0:
		fprintf(stderr, "redress: no case %s: check the reference "
		    "(redress case list shows them all)\n", ref);
		return (1);
	}
	messages = json_object_get_array_member(c, "messages");

	if (json) {
		node = json_node_init_object(json_node_alloc(), c);
		print_json(node);
		json_node_unref(node);
		json_object_unref(c);
		return (0);
	}
	printf("case %s (Area %s)\n", member(c, "ref"), member(c, "area"));
	printf("  kind %s, category %s, state %s, language %s\n",
	    member(c, "kind"), member(c, "category"), member(c, "state"),
	    member(c, "language"));
	printf("  flags %s, handler %s, outcome %s\n",
	    *member(c, "flags") ? member(c, "flags") : "none",
	    member(c, "handler"), member(c, "outcome"));
	printf("  opened %s, updated %s, closed %s\n", member(c, "opened_at"),
	    member(c, "updated_at"), member(c, "closed_at"));
	print_rows("parties", json_object_get_array_member(c, "parties"),
	    party_cols);
	print_rows("messages", messages, message_cols);
	for (i = 0; i < json_array_get_length(messages); i++) {
		JsonNode	*v;

		o = json_array_get_object_element(messages, i);
		v = json_object_get_member(o, "verdict");
		if (v != NULL && JSON_NODE_HOLDS_OBJECT(v)) {
			JsonObject	*vo = json_node_get_object(v);
			JsonArray	*hits;
			guint		 h;

			printf("  verdict of %s: kind %s, category %s, "
			    "representative %s, authority %s, matter date %s, "
			    "out of time %s, exceptional %s, language %s, "
			    "contact restriction %s\n",
			    member(o, "message_id"), member(vo, "kind"),
			    member(vo, "category"), member(vo, "representative"),
			    member(vo, "authority"), member(vo, "matter_date"),
			    member(vo, "out_of_time"), member(vo, "exceptional"),
			    member(vo, "language"),
			    member(vo, "contact_restriction"));
			/* the learned layer: how sure, and whether a person
			 * is to confirm the kind (older verdicts have none) */
			if (json_object_has_member(vo, "kind_probabilities")) {
				JsonObject *po = json_object_get_object_member(
				    vo, "kind_probabilities");
				GList	*ks = json_object_get_members(po), *l;
				int	 shown = 0;

				printf("    kind probabilities");
				for (l = ks; l != NULL && shown < 3;
				    l = l->next, shown++)
					printf("%s %s %.2f", shown ? "," : "",
					    (char *)l->data,
					    json_object_get_double_member(po,
					    l->data));
				printf("\n");
				g_list_free(ks);
			}
			if (json_object_has_member(vo, "triage") &&
			    json_object_get_boolean_member(vo, "triage"))
				printf("    triage: a person confirms the kind\n");
			hits = json_object_get_array_member(vo, "rules");
			for (h = 0; hits != NULL &&
			    h < json_array_get_length(hits); h++) {
				JsonObject *ho = json_array_get_object_element(
				    hits, h);

				printf("    rule %s matched \"%s\"\n",
				    member(ho, "rule"), member(ho, "matched"));
			}
		}
	}
	print_rows("events", json_object_get_array_member(c, "events"),
	    event_cols);
	print_rows("outbox", json_object_get_array_member(c, "outbox"),
	    outbox_cols);
	print_rows("deadlines", json_object_get_array_member(c, "deadlines"),
	    deadline_cols);
	{
		JsonArray *dl = json_object_get_array_member(c, "deadlines");

		for (i = 0; i < json_array_get_length(dl); i++) {
			char	**lines = g_strsplit(member(
			    json_array_get_object_element(dl, i),
			    "derivation"), "\n", -1);
			char	**l;

			for (l = lines; *l != NULL; l++) {
				if (**l != '\0')
					printf("    %s\n", *l);
			}
			g_strfreev(lines);
		}
	}
	json_object_unref(c);
	return (0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: redress case list [-c FILE] [--json]\n"
	    "       redress case show [-c FILE] REF [--json]\n");
}

int
cmd_case(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*path = REDRESS_SYSCONFDIR "/redress.conf";
	gboolean	 json = FALSE;
	struct config	*config;
	struct store	*st;
	int		 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'j':
			json = TRUE;
			break;
		default:
			usage();
			return (2);
		}
	}
	argc -= optind;
	argv += optind;
	if (!cmd_list_or_show(argc, argv)) {
		usage();
		return (2);
	}
	if ((rc = cmd_open_store(path, &config, &st)) != 0)
		return (rc);
	if (strcmp(argv[0], "list") == 0)
		rc = case_list(st, json);
	else
		rc = case_show(st, argv[1], json);
	store_close(st);
	config_free(config);
	return (rc);
}
