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

#endif
