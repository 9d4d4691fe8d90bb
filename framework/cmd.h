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

/* What eider call and eider test share (cmd_call.c). */
#include <stddef.h>
struct evhttp_request;
struct eider_capture;
struct eider_config;
struct eider_router;
struct eider_sources;
struct eider_worker;

/* Builds the request METHOD TARGET with NHEADERS "Name: value" HEADERS
 * and BODY (BODYLEN bytes; NULL: none) as evhttp would have parsed it
 * from a client: HTTP/1.1, Host: localhost unless a header gives one,
 * Content-Length for a body. Returns it (the caller owns it), or NULL
 * with the problem in err. */
struct evhttp_request *eider_call_request(const char *method, const char *target,
                                         const char *const *headers, int nheaders,
                                         const char *body, size_t bodylen, char *err, size_t errlen);
/* Makes W (zeroed, its base set) a bare worker on CFG, ROUTER and SOURCES
 * with no listener, whose answers go to CAP (zeroed; CAP->out is made
 * here, the caller frees it), and creates its runtime (W->rt, destroyed
 * by the caller). Returns 0, or -1 with the problem in err. */
int eider_call_worker(struct eider_worker *w, struct eider_capture *cap,
                      const struct eider_config *cfg, const struct eider_router *router,
                      struct eider_sources *sources, char *err, size_t errlen);

#endif
