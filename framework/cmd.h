/*
 * The developer commands (eider run, eider call...): main.c's table of
 * subcommands points at these. Each takes the arguments after its name
 * (ARGV[0] is the name) and returns the exit status.
 */
#ifndef EIDER_CMD_H
#define EIDER_CMD_H

int eider_cmd_run(int argc, char **argv);
int eider_cmd_call(int argc, char **argv);
int eider_cmd_test(int argc, char **argv);

#endif
