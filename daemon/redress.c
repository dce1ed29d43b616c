/* redress.c: the command-line companion of redressd. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: redress check-config -c FILE\n"
	    "       redress classify [--json] [--explain] FILE...\n"
	    "       redress train [--folds K] DIR... -o FILE\n"
	    "       redress case list [-c FILE] [--json]\n"
	    "       redress case show [-c FILE] REF [--json]\n"
	    "       redress calendar update [-c FILE] JSONFILE\n"
	    "       redress quarantine list [-c FILE]\n"
	    "       redress quarantine show [-c FILE] ROW\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return (2);
	}
	if (strcmp(argv[1], "check-config") == 0)
		return (cmd_check_config(argc - 1, argv + 1));
	if (strcmp(argv[1], "classify") == 0)
		return (cmd_classify(argc - 1, argv + 1));
	if (strcmp(argv[1], "train") == 0)
		return (cmd_train(argc - 1, argv + 1));
	if (strcmp(argv[1], "case") == 0)
		return (cmd_case(argc - 1, argv + 1));
	if (strcmp(argv[1], "calendar") == 0)
		return (cmd_calendar(argc - 1, argv + 1));
	if (strcmp(argv[1], "quarantine") == 0)
		return (cmd_quarantine(argc - 1, argv + 1));
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return (0);
	}
	fprintf(stderr, "redress: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return (2);
}
