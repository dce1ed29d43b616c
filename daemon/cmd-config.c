/* placeholder until written */
#include <stdio.h>
#include "cmd.h"
int
cmd_check_config(int argc, char **argv)
{
	fprintf(stderr, "redress: %s is not built yet\n", argv[0]);
	return (1);
}
