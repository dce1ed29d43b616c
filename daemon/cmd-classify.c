/*
 * cmd-classify.c: redress classify [--json] [--explain] [--rules DIR]
 *     [-c FILE] FILE...
 *
 * Runs exactly the daemon's path, message_parse() then rules_classify(),
 * on files, offline (with -c, the configuration's triage_confidence and
 * triage_margin). The reference date for the six-month rule is each
 * message's Date header, else the clock (REDRESS_NOW in tests). A file
 * that cannot be read is reported on stderr and the rest are classified;
 * the exit status is then 1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "clock.h"
#include "cmd.h"
#include "config.h"
#include "message.h"
#include "rules-load.h"
#include "rules.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: redress classify [--json] [--explain] "
	    "[--rules DIR] [-c FILE] FILE...\n");
}

/* The whole file, or NULL with *cause set. */
static GByteArray *
read_file(const char *path, char **cause)
{
	FILE		*f;
	GByteArray	*buf;
	guint8		 chunk[65536];
	size_t		 n;

	if ((f = fopen(path, "rb")) == NULL) {
		*cause = g_strdup_printf("%s: cannot open: %s; check the path "
		    "and permissions", path, g_strerror(errno));
		return (NULL);
	}
	buf = g_byte_array_new();
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		g_byte_array_append(buf, chunk, n);
	if (ferror(f)) {
		*cause = g_strdup_printf("%s: cannot read: %s; is it a "
		    "message file?", path, g_strerror(errno));
		fclose(f);
		g_byte_array_unref(buf);
		return (NULL);
	}
	fclose(f);
	return (buf);
}

static void
print_json(const char *path, const struct message *m,
    const struct verdict *v, gboolean explain)
{
	JsonObject	*o = json_object_new(), *vo;
	JsonNode	*vn = verdict_to_json(v), *root;
	JsonGenerator	*gen;
	GList		*members, *l;
	char		*s;

	/* "file" first, then the verdict's fields in their order; JSON
	 * needs UTF-8, a file name need not be */
	s = g_utf8_make_valid(path, -1);
	json_object_set_string_member(o, "file", s);
	g_free(s);
	vo = json_node_get_object(vn);
	members = json_object_get_members(vo);
	for (l = members; l != NULL; l = l->next)
		json_object_set_member(o, l->data,
		    json_object_dup_member(vo, l->data));
	g_list_free(members);
	json_node_unref(vn);
	if (m->quarantine != NULL)
		json_object_set_string_member(o, "quarantine", m->quarantine);
	if (explain) {
		s = verdict_explain(v);
		json_object_set_string_member(o, "explain", s);
		g_free(s);
	}
	root = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(root, o);
	gen = json_generator_new();
	json_generator_set_root(gen, root);
	s = json_generator_to_data(gen, NULL);
	printf("%s\n", s);
	g_free(s);
	g_object_unref(gen);
	json_node_unref(root);
}

static void
print_text(const char *path, const struct message *m,
    const struct verdict *v, gboolean explain)
{
	char	*restrictions = restrictions_text(v->restrictions);

	printf("%s: kind %s, category %s, sentiment %s, representative %s, "
	    "authority %s, matter_date %s, out_of_time %s, exceptional %s, "
	    "language %s, contact_restriction %s\n", path, kind_name(v->kind),
	    category_name(v->category), sentiment_name(v->sentiment),
	    representative_name(v->representative),
	    authority_name(v->authority), v->matter_date,
	    out_of_time_name(v->out_of_time), exceptional_name(v->exceptional),
	    language_name(v->language), restrictions);
	g_free(restrictions);
	if (v->has_probabilities)
		printf("  kind probability %.2f%s\n",
		    v->kind_probability[v->kind], v->triage ? ", triage: a "
		    "person confirms the kind" : "");
	else if (v->triage)
		printf("  triage: a person confirms the kind\n");
	if (m->quarantine != NULL)
		printf("  quarantined: %s\n", m->quarantine);
	if (explain) {
		char	*s = verdict_explain(v);

		fputs(s, stdout);
		g_free(s);
	}
}

/* 0 when classified, -1 (reported) when the file could not be. */
static int
classify_one(const char *path, const struct ruleset *rs,
    const struct config *config, const struct parse_limits *limits,
    gboolean json, gboolean explain)
{
	GByteArray	*raw;
	struct message	*m = NULL;
	struct verdict	*v;
	char		*cause = NULL;

	if ((raw = read_file(path, &cause)) == NULL) {
		fprintf(stderr, "redress classify: %s\n", cause);
		g_free(cause);
		return (-1);
	}
	if (message_parse((const char *)raw->data, raw->len, limits, &m,
	    &cause) != 0) {
		fprintf(stderr, "redress classify: %s: cannot parse: %s\n",
		    path, cause);
		g_free(cause);
		g_byte_array_unref(raw);
		return (-1);
	}
	g_byte_array_unref(raw);
	v = rules_classify(rs, m, clock_now());
	if (config != NULL)
		verdict_set_triage(v, config->triage_confidence / 100.0,
		    config->triage_margin / 100.0);
	if (json)
		print_json(path, m, v, explain);
	else
		print_text(path, m, v, explain);
	fflush(stdout);
	verdict_free(v);
	message_free(m);
	return (0);
}

int
cmd_classify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "explain", no_argument, NULL, 'e' },
		{ "rules", required_argument, NULL, 'r' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parse_limits	 limits = PARSE_LIMITS_DEFAULT;
	const char		*config_path = NULL, *rules_opt = NULL;
	struct config		*config = NULL;
	struct ruleset		*rs = NULL;
	GPtrArray		*errors = NULL;
	gboolean		 json = FALSE, explain = FALSE;
	char			*dir, *cause = NULL;
	int			 ch, i, status = 0;
	guint			 k;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = TRUE;
			break;
		case 'e':
			explain = TRUE;
			break;
		case 'r':
			rules_opt = optarg;
			break;
		case 'c':
			config_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return (0);
		default:
			usage(stderr);
			return (2);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "redress classify: no message files given\n");
		usage(stderr);
		return (2);
	}
	if (clock_init(&cause) != 0) {
		fprintf(stderr, "redress classify: %s\n", cause);
		g_free(cause);
		return (2);
	}
	if (config_path != NULL) {
		if ((config = config_load(config_path, &errors)) == NULL) {
			fprintf(stderr, "redress classify: configuration not "
			    "loaded:\n");
			for (k = 0; errors != NULL && k < errors->len; k++)
				fprintf(stderr, "  %s\n",
				    (char *)g_ptr_array_index(errors, k));
			if (errors != NULL)
				g_ptr_array_unref(errors);
			return (2);
		}
		limits = config->limits;
	}
	dir = rules_find_dir(rules_opt, config != NULL ? config->rules : NULL);
	if (rules_load_dir(dir, &rs, &errors) != 0) {
		fprintf(stderr, "redress classify: rules in %s not loaded; "
		    "fix these and run again:\n", dir);
		for (k = 0; k < errors->len; k++)
			fprintf(stderr, "  %s\n",
			    (char *)g_ptr_array_index(errors, k));
		g_ptr_array_unref(errors);
		g_free(dir);
		config_free(config);
		return (2);
	}
	g_free(dir);

	for (i = optind; i < argc; i++)
		if (classify_one(argv[i], rs, config, &limits, json,
		    explain) != 0)
			status = 1;

	ruleset_free(rs);
	config_free(config);
	return (status);
}
