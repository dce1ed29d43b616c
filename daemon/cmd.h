/*
 * cmd.h: the subcommands of `redress`. Each takes the arguments after its
 * name (argv[0] is the subcommand) and returns the process exit status.
 */
#ifndef REDRESS_CMD_H
#define REDRESS_CMD_H

int	cmd_check_config(int argc, char **argv);
int	cmd_classify(int argc, char **argv);
int	cmd_train(int argc, char **argv);
int	cmd_case(int argc, char **argv);
int	cmd_calendar(int argc, char **argv);
int	cmd_quarantine(int argc, char **argv);

/* Whether the arguments are "list" or "show X" (the commands that list
 * records and show one). */
int	cmd_list_or_show(int argc, char **argv);

struct config;
struct store;
/*
 * The configuration at path and its existing database, for a command
 * that reads the store: 0 with both (the caller frees them), or 1 with
 * what went wrong printed to stderr (the exit status to return).
 */
int	cmd_open_store(const char *path, struct config **, struct store **);

#endif
