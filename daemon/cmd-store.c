/*
 * cmd-store.c: what the commands that read the database share.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "cmd.h"
#include "config.h"
#include "store.h"

int
cmd_open_store(const char *path, struct config **config, struct store **st)
{
	GPtrArray	*errors = NULL;
	char		*cause = NULL;
	guint		 i;

	*st = NULL;
	if ((*config = config_load(path, &errors)) == NULL) {
		for (i = 0; i < errors->len; i++)
			fprintf(stderr, "%s\n",
			    (char *)g_ptr_array_index(errors, i));
		g_ptr_array_unref(errors);
		return (1);
	}
	/* Only redressd makes a database: a command on a typo'd path
	 * must not leave an empty one behind. */
	if (!g_file_test((*config)->database, G_FILE_TEST_EXISTS)) {
		fprintf(stderr, "redress: database %s does not exist yet: "
		    "redressd creates it when it first runs\n",
		    (*config)->database);
		g_clear_pointer(config, config_free);
		return (1);
	}
	if (clock_init(&cause) != 0 ||
	    store_open((*config)->database, st, &cause) != 0) {
		fprintf(stderr, "redress: %s\n", cause);
		g_free(cause);
		g_clear_pointer(config, config_free);
		return (1);
	}
	return (0);
}

int
cmd_list_or_show(int argc, char **argv)
{
	if (argc == 1 && strcmp(argv[0], "list") == 0)
		return (1);
	return (argc == 2 && strcmp(argv[0], "show") == 0);
}
