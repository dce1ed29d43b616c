/*
 * cmd-config.c: `redress check-config -c FILE` loads the configuration
 * exactly as redressd does, then the templates, rules, bank holidays and
 * jargon list it names (redressd refuses to start without them), and
 * prints every problem, or one line saying it is fine. It never prints a
 * setting's value, so passwords and the reply token key stay out of
 * terminals and CI logs.
 */
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "resources.h"

static int
check_config_usage(void)
{
	fprintf(stderr, "usage: redress check-config -c FILE\n");
	return (2);
}

int
cmd_check_config(int argc, char **argv)
{
	struct config		*cfg;
	struct resources	*res;
	GPtrArray		*errors;
	const char		*path = NULL;
	guint			 i;
	int			 ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt(argc, argv, "c:")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case '?':
			if (optopt == 'c')
				fprintf(stderr, "redress check-config: -c needs "
				    "the path of the configuration file\n");
			else
				fprintf(stderr, "redress check-config: unknown "
				    "option -%c\n", optopt);
			return (check_config_usage());
		}
	}
	if (optind != argc) {
		fprintf(stderr, "redress check-config: unexpected argument "
		    "'%s'\n", argv[optind]);
		return (check_config_usage());
	}
	if (path == NULL) {
		fprintf(stderr, "redress check-config: which file? Give it "
		    "with -c\n");
		return (check_config_usage());
	}

	if ((cfg = config_load(path, &errors)) == NULL) {
		for (i = 0; i < errors->len; i++)
			fprintf(stderr, "%s\n", (char *)errors->pdata[i]);
		g_ptr_array_unref(errors);
		return (1);
	}
	errors = g_ptr_array_new_with_free_func(g_free);
	if (resources_load(cfg, &res, errors) != 0) {
		for (i = 0; i < errors->len; i++)
			fprintf(stderr, "%s\n", (char *)errors->pdata[i]);
		g_ptr_array_unref(errors);
		config_free(cfg);
		return (1);
	}
	g_ptr_array_unref(errors);
	resources_free(res);
	printf("%s: configuration OK (%u Areas)\n", path, cfg->areas->len);
	config_free(cfg);
	return (0);
}
