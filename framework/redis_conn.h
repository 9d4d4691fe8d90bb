/*
 * One connection to a Redis server on the worker's event loop (hiredis's
 * asynchronous context and its libevent adapter), with what Debian 12's
 * hiredis 0.14.1 lacks: a connect timeout and command timeouts on eider's
 * own timer. No JavaScript here: js_redis.c is its binding.
 */
#ifndef EIDER_REDIS_CONN_H
#define EIDER_REDIS_CONN_H

#include <stddef.h>

struct event_base;
struct eider_resolver;
struct redisReply;
struct redis_conn;

struct redis_conn_opts {
    const char *host;          /* an IP address or a name; unused with path */
    struct eider_resolver *resolver;   /* looks host up (resolve.h); required without path */
    int port;
    const char *path;          /* a unix socket, or NULL */
    long connect_timeout_ms;   /* 0: none */
    long command_timeout_ms;   /* each command's, from when it is sent; 0: none */
};

/* What the owner hears, always from the loop, never inside one of its own
 * calls into redis_conn. */
struct redis_conn_events {
    /* The socket is up. */
    void (*connected)(void *arg);
    /* A pub/sub message or (un)subscribe confirmation: an array reply. */
    void (*message)(void *arg, const struct redisReply *reply);
    /* The connection ended (failed, lost, timed out; WHY says so) or was
     * closed by redis_conn_close (WHY is NULL); the redis_conn is freed
     * when this returns. */
    void (*closed)(void *arg, const char *why);
};

/* A command's outcome: its REPLY, or NULL and WHY (the connection failed
 * or was closed before the reply). REF is the number given to send. */
typedef void redis_reply_fn(void *arg, int ref, const struct redisReply *reply, const char *why);

/* Starts connecting on BASE. Commands may be sent at once: they go out when
 * the socket is up. A host name is looked up first with o->resolver,
 * without blocking; a failed lookup ends the connection (closed(), WHY
 * "Redis HOST:PORT: DNS lookup failed (...)") as a refused connect does,
 * and o->connect_timeout_ms counts from here, lookup included.
 * Returns NULL with the reason in err when it cannot even start. */
struct redis_conn *redis_conn_open(struct event_base *base, const struct redis_conn_opts *o,
                                   const struct redis_conn_events *ev, void *arg,
                                   char *err, size_t errlen);

/* Sends the command ARGV (ARGC binary-safe strings of LENS bytes); CB gets
 * its reply with ARG and REF. Commands sent in one turn of the loop go out
 * in one write (pipelining). Returns 0, or -1 (closed or closing). */
int redis_conn_send(struct redis_conn *c, int argc, const char **argv, const size_t *lens,
                    redis_reply_fn *cb, void *arg, int ref);

/* (P)SUBSCRIBE or (P)UNSUBSCRIBE ARGV: what comes back goes to the
 * message event. Returns 0, or -1 (closed, or unsubscribing while not
 * subscribed). */
int redis_conn_subscribe(struct redis_conn *c, int argc, const char **argv, const size_t *lens);

/* Closes C: GRACEFUL waits for the replies of the commands already sent;
 * otherwise they fail now. closed() follows from the loop, WHY NULL. */
void redis_conn_close(struct redis_conn *c, int graceful);

/* Frees C at once: no callback runs any more (the heap is going). */
void redis_conn_free(struct redis_conn *c);

/* "host:port" or the socket path, for messages. */
const char *redis_conn_name(const struct redis_conn *c);

#endif
