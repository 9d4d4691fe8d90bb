/*
 * One Redis connection on the loop: hiredis 0.14.1's async context and
 * its libevent adapter, plus eider's own timeouts.
 *
 * Ending: a connection ends once, by whichever comes first: the connect
 * fails, the server closes it or an I/O error, a timeout, or the owner's
 * redis_conn_close(). Every command still waiting then gets its callback
 * with a NULL reply and the reason (hiredis runs them while it frees its
 * context), and closed() follows from the loop through the notify event,
 * after which the redis_conn is freed. The owner is never called from
 * inside hiredis's connect or disconnect callbacks, where freeing the
 * context would pull it from under hiredis; replies are delivered inside
 * hiredis's reply callback, where it allows new commands and a close.
 *
 * Host names: hiredis 0.14's redisAsyncConnect() would resolve one with
 * getaddrinfo() on the loop's thread, stalling the worker while the DNS
 * server answers (or never does). So a name goes to resolve.h first, and
 * hiredis gets the numeric address once it is known. Until then the
 * connection has no hiredis context: commands sent meanwhile wait here,
 * formatted, in the order sent, and go to the context when it is made. A
 * lookup that fails ends the connection like a refused connect.
 *
 * Timeouts: Redis answers in order, so a command unanswered past its
 * deadline means the server is stuck or gone: the connection is ended
 * (every waiting command fails with "no reply within N ms") and the owner
 * reconnects. A reply that would have come late is never mistaken for
 * the next command's. One timer per connection: it is armed for the
 * oldest command and, when it fires early, re-armed for the new oldest.
 */
#include "alloc.h"

#include <event2/event.h>
#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include "redis_conn.h"
#include "resolve.h"

/* A command or (un)subscribe sent while the host name is looked up:
 * hiredis's wire format, for redisAsyncFormattedCommand() later. */
struct redis_queued {
    TAILQ_ENTRY(redis_queued) link;
    char *text;                    /* redisFormatCommandArgv's */
    size_t len;
    struct redis_cmd *cmd;         /* NULL: a pub/sub command */
};

struct redis_cmd {
    TAILQ_ENTRY(redis_cmd) link;   /* in c->cmds, in reply order */
    struct redis_conn *conn;
    long long deadline;            /* ms (now_ms); 0: none */
    redis_reply_fn *cb;            /* NULL: the owner is gone */
    void *arg;
    int ref;
};

struct redis_conn {
    redisAsyncContext *ac;         /* NULL while resolving and once the connection ended */
    struct event_base *base;
    struct eider_lookup *lookup;   /* the host name's, while it runs */
    TAILQ_HEAD(redis_queue, redis_queued) queued;   /* sent while it runs */
    int port;
    const struct redis_conn_events *ev;   /* NULL: redis_conn_free'd */
    void *arg;
    struct event *timer;           /* connect timeout, then the oldest command's */
    struct event *notify;          /* tells the owner, from the loop */
    struct event *flush;           /* writes this turn's commands */
    TAILQ_HEAD(redis_cmds, redis_cmd) cmds;
    long command_timeout_ms;
    long long connect_deadline;    /* ms; 0: none */
    int connected;                 /* the socket came up */
    int announce;                  /* connected() is due */
    int ended;                     /* closed() is due */
    int by_owner;                  /* ended by redis_conn_close: WHY is NULL */
    int flushing;                  /* the flush event is active */
    char name[128];
    char why[320];
};

/* A monotonic clock in ms: deadlines must not move with the wall clock. */
static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Records the first reason the connection ends ("NAME: WHAT"). */
static void set_why(struct redis_conn *c, const char *what)
{
    if (c->why[0] == '\0')
        snprintf(c->why, sizeof(c->why), "Redis %s: %s", c->name, what && *what ? what : "connection closed");
}

/* The connection ended: closed() is due from the loop. */
static void mark_ended(struct redis_conn *c)
{
    c->ac = NULL;
    c->ended = 1;
    if (c->ev != NULL)
        event_active(c->notify, 0, 0);
}

/* Fails the commands sent while the host name was looked up (a NULL
 * reply and c->why to their callbacks, as hiredis does when it frees a
 * context) and forgets the pub/sub ones. */
static void fail_queued(struct redis_conn *c)
{
    struct redis_queued *q;

    while ((q = TAILQ_FIRST(&c->queued)) != NULL) {
        TAILQ_REMOVE(&c->queued, q, link);
        if (q->cmd != NULL) {
            TAILQ_REMOVE(&c->cmds, q->cmd, link);
            if (q->cmd->cb != NULL)
                q->cmd->cb(q->cmd->arg, q->cmd->ref, NULL, c->why);
            free(q->cmd);
        }
        redisFreeCommand(q->text);
        free(q);
    }
}

/* Ends the connection now, for a timeout or the owner: hiredis runs the
 * waiting callbacks (with a NULL reply) and its own disconnect callback,
 * now or, inside one of its callbacks, as soon as that returns. While the
 * host name is looked up there is no context yet: the lookup stops and
 * the waiting commands fail here. */
static void drop(struct redis_conn *c)
{
    redisAsyncContext *ac = c->ac;

    if (c->lookup != NULL) {
        eider_lookup_cancel(c->lookup);
        c->lookup = NULL;
        if (c->by_owner)
            set_why(c, "the connection was closed by its client");
        fail_queued(c);
        mark_ended(c);
        return;
    }
    if (ac == NULL)
        return;
    c->ac = NULL;                  /* new commands fail from here on */
    redisAsyncFree(ac);
    mark_ended(c);                 /* hiredis calls on_disconnect only if it was connected */
}

/* Arms the timer for the earlier of the connect deadline (until
 * connected) and the oldest command's, unless it is armed already. */
static void arm(struct redis_conn *c)
{
    struct redis_cmd *head = TAILQ_FIRST(&c->cmds);
    long long at = 0, left;
    struct timeval tv;

    if (!c->connected && c->connect_deadline)
        at = c->connect_deadline;
    if (head != NULL && head->deadline && (at == 0 || head->deadline < at))
        at = head->deadline;
    if (at == 0 || evtimer_pending(c->timer, NULL))
        return;
    left = at - now_ms();
    if (left < 0)
        left = 0;
    tv.tv_sec = (time_t)(left / 1000);
    tv.tv_usec = (suseconds_t)(left % 1000 * 1000);
    evtimer_add(c->timer, &tv);
}

/* The timer: a deadline passed ends the connection; otherwise the oldest
 * command changed since it was armed, so arm it again. */
static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    struct redis_conn *c = arg;
    struct redis_cmd *head = TAILQ_FIRST(&c->cmds);
    long long now = now_ms();
    char msg[128];

    (void)fd, (void)what;
    if (!c->connected && c->connect_deadline && now >= c->connect_deadline) {
        set_why(c, "not connected within the connect timeout");
        drop(c);
        return;
    }
    if (head != NULL && head->deadline && now >= head->deadline) {
        snprintf(msg, sizeof(msg), "no reply within %ld ms (the connection is closed and reopened)",
                 c->command_timeout_ms);
        set_why(c, msg);
        drop(c);
        return;
    }
    arm(c);
}

/* hiredis's callback of every command: hands the reply (or NULL and the
 * reason) to the owner and frees the command. */
static void on_reply(redisAsyncContext *ac, void *r, void *privdata)
{
    struct redis_cmd *cmd = privdata;
    struct redis_conn *c = cmd->conn;

    TAILQ_REMOVE(&c->cmds, cmd, link);
    if (r == NULL)
        set_why(c, ac->errstr[0] ? ac->errstr : c->by_owner ? "the connection was closed by its client" : NULL);
    if (cmd->cb != NULL)
        cmd->cb(cmd->arg, cmd->ref, r, r != NULL ? NULL : c->why);
    free(cmd);
}

/* hiredis's callback of pub/sub replies: to the owner's message event. A
 * NULL reply (the context is being freed) says nothing new. */
static void on_push(redisAsyncContext *ac, void *r, void *privdata)
{
    struct redis_conn *c = privdata;

    (void)ac;
    if (r != NULL && c->ev != NULL && ((redisReply *)r)->type == REDIS_REPLY_ARRAY)
        c->ev->message(c->arg, r);
}

/* hiredis: the connect finished, STATUS says how. On failure hiredis
 * frees the context right after this returns. */
static void on_connect(const redisAsyncContext *ac, int status)
{
    struct redis_conn *c = ac->data;

    if (status != REDIS_OK) {
        set_why(c, ac->errstr);
        mark_ended(c);
        return;
    }
    c->connected = 1;
    c->announce = 1;
    event_active(c->notify, 0, 0);
}

/* hiredis: a connected context is being freed (lost, or closed by us). */
static void on_disconnect(const redisAsyncContext *ac, int status)
{
    struct redis_conn *c = ac->data;

    if (status != REDIS_OK)
        set_why(c, ac->errstr);
    else if (!c->by_owner)
        set_why(c, "connection closed");
    mark_ended(c);
}

/* Frees C and its events (the context is gone already). */
static void destroy(struct redis_conn *c)
{
    event_free(c->timer);
    event_free(c->notify);
    event_free(c->flush);
    free(c);
}

/* The flush event, active once per turn of the loop that sent commands:
 * writes them now, after the code that sent them returned to the loop,
 * rather than on the write event hiredis asked for. That saves the
 * wake-up and the two epoll_ctl calls of a write readiness per batch (the
 * write event added and deleted within one turn cancel out in libevent's
 * change list); what the socket does not take still waits for it. */
static void on_flush(evutil_socket_t fd, short what, void *arg)
{
    struct redis_conn *c = arg;

    (void)fd, (void)what;
    c->flushing = 0;
    if (c->ac != NULL && c->connected)
        redisAsyncHandleWrite(c->ac);
}

/* The notify event: connected() or closed(), then C is freed after the
 * latter. connected() may close C: then closed() comes on a later turn. */
static void on_notify(evutil_socket_t fd, short what, void *arg)
{
    struct redis_conn *c = arg;

    (void)fd, (void)what;
    if (c->announce && !c->ended) {
        c->announce = 0;
        c->ev->connected(c->arg);
        return;
    }
    if (c->ended) {
        c->ev->closed(c->arg, c->by_owner ? NULL : c->why);
        destroy(c);
    }
}

/* Commands were sent: have them written at the end of this turn. */
static void schedule_flush(struct redis_conn *c)
{
    if (c->connected && !c->flushing) {
        c->flushing = 1;
        event_active(c->flush, 0, 0);
    }
}

/* Frees C's events and C (no context was made). */
static void destroy_unopened(struct redis_conn *c)
{
    if (c->timer)
        event_free(c->timer);
    if (c->notify)
        event_free(c->notify);
    if (c->flush)
        event_free(c->flush);
    free(c);
}

/* Hands the commands sent while the host name was looked up to the new
 * context, in order. One hiredis refuses (an unsubscribe while not
 * subscribed) is dropped, a command failing with a NULL reply. */
static void replay_queued(struct redis_conn *c)
{
    struct redis_queued *q;

    while ((q = TAILQ_FIRST(&c->queued)) != NULL) {
        TAILQ_REMOVE(&c->queued, q, link);
        if (q->cmd == NULL) {
            redisAsyncFormattedCommand(c->ac, on_push, c, q->text, q->len);
        } else if (redisAsyncFormattedCommand(c->ac, on_reply, q->cmd, q->text, q->len) != REDIS_OK) {
            TAILQ_REMOVE(&c->cmds, q->cmd, link);
            if (q->cmd->cb != NULL)
                q->cmd->cb(q->cmd->arg, q->cmd->ref, NULL, "the command could not be sent");
            free(q->cmd);
        }
        redisFreeCommand(q->text);
        free(q);
    }
}

/* Makes C's hiredis context: to the unix socket PATH, or to numeric
 * address IP (no lookup in hiredis) and C's port. Returns 0, or -1 with
 * the reason in err. */
static int open_context(struct redis_conn *c, const char *path, const char *ip, char *err, size_t errlen)
{
    redisAsyncContext *ac = path ? redisAsyncConnectUnix(path) : redisAsyncConnect(ip, c->port);

    if (ac == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (ac->err) {
        snprintf(err, errlen, "%s", ac->errstr);
        redisAsyncFree(ac);
        return -1;
    }
    if (redisLibeventAttach(ac, c->base) != REDIS_OK) {
        snprintf(err, errlen, "out of memory");
        redisAsyncFree(ac);
        return -1;
    }
    ac->data = c;
    c->ac = ac;
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    replay_queued(c);
    return 0;
}

/* The host name's addresses (resolve.h): a context to the first that
 * takes one, or the connection ends as a refused connect would. */
static void on_resolved(void *arg, const struct sockaddr_storage *addrs, int naddrs, const char *error)
{
    struct redis_conn *c = arg;
    char ip[64], msg[256] = "";

    c->lookup = NULL;
    if (error != NULL)
        snprintf(msg, sizeof(msg), "DNS lookup failed (%s)", error);
    for (int i = 0; error == NULL && i < naddrs; i++)
        if (open_context(c, NULL, eider_addr_text(&addrs[i], ip, sizeof(ip)), msg, sizeof(msg)) == 0)
            return;
    set_why(c, msg);
    fail_queued(c);
    mark_ended(c);
}

struct redis_conn *redis_conn_open(struct event_base *base, const struct redis_conn_opts *o,
                                   const struct redis_conn_events *ev, void *arg,
                                   char *err, size_t errlen)
{
    struct redis_conn *c = eider_calloc(1, sizeof(*c));
    struct eider_lookup *q;

    if (o->path)
        snprintf(c->name, sizeof(c->name), "%s", o->path);
    else
        snprintf(c->name, sizeof(c->name), strchr(o->host, ':') ? "[%s]:%d" : "%s:%d", o->host, o->port);
    c->base = base;
    c->port = o->port;
    c->ev = ev;
    c->arg = arg;
    c->command_timeout_ms = o->command_timeout_ms;
    TAILQ_INIT(&c->cmds);
    TAILQ_INIT(&c->queued);
    c->timer = evtimer_new(base, on_timer, c);
    c->notify = event_new(base, -1, 0, on_notify, c);
    c->flush = event_new(base, -1, 0, on_flush, c);
    if (c->timer == NULL || c->notify == NULL || c->flush == NULL) {
        snprintf(err, errlen, "out of memory");
        destroy_unopened(c);
        return NULL;
    }
    if (o->path && open_context(c, o->path, NULL, err, errlen) < 0) {
        destroy_unopened(c);
        return NULL;
    }
    if (o->connect_timeout_ms > 0)
        c->connect_deadline = now_ms() + o->connect_timeout_ms;
    if (!o->path && (q = eider_resolve(o->resolver, o->host, o->port, on_resolved, c)) != NULL)
        c->lookup = q;   /* else answered already: a context, or ended (closed() comes from the loop) */
    if (!c->ended)
        arm(c);
    return c;
}

/* Keeps command ARGV of CMD (NULL: a pub/sub one) until the context is
 * made. Returns 0, or -1 (out of memory). */
static int queue(struct redis_conn *c, int argc, const char **argv, const size_t *lens,
                 struct redis_cmd *cmd)
{
    struct redis_queued *q;
    char *text;
    int len = redisFormatCommandArgv(&text, argc, argv, lens);

    if (len < 0)
        return -1;
    q = eider_malloc(sizeof(*q));
    *q = (struct redis_queued){ .text = text, .len = (size_t)len, .cmd = cmd };
    TAILQ_INSERT_TAIL(&c->queued, q, link);
    return 0;
}

int redis_conn_send(struct redis_conn *c, int argc, const char **argv, const size_t *lens,
                    redis_reply_fn *cb, void *arg, int ref)
{
    struct redis_cmd *cmd;

    if (c->ac == NULL && c->lookup == NULL)
        return -1;
    cmd = eider_malloc(sizeof(*cmd));
    *cmd = (struct redis_cmd){ .conn = c, .cb = cb, .arg = arg, .ref = ref };
    if (c->ac == NULL ? queue(c, argc, argv, lens, cmd) != 0
                      : redisAsyncCommandArgv(c->ac, on_reply, cmd, argc, argv, lens) != REDIS_OK) {
        free(cmd);
        return -1;
    }
    TAILQ_INSERT_TAIL(&c->cmds, cmd, link);
    schedule_flush(c);
    if (c->command_timeout_ms > 0) {
        cmd->deadline = now_ms() + c->command_timeout_ms;
        arm(c);
    }
    return 0;
}

int redis_conn_subscribe(struct redis_conn *c, int argc, const char **argv, const size_t *lens)
{
    if (c->ac == NULL && c->lookup != NULL)
        return queue(c, argc, argv, lens, NULL);
    if (c->ac == NULL || redisAsyncCommandArgv(c->ac, on_push, c, argc, argv, lens) != REDIS_OK)
        return -1;
    schedule_flush(c);
    return 0;
}

void redis_conn_close(struct redis_conn *c, int graceful)
{
    if (c->ac == NULL && c->lookup == NULL)
        return;
    c->by_owner = 1;
    if (graceful && c->connected) {
        redisAsyncDisconnect(c->ac);   /* on_disconnect once the replies are in */
        return;
    }
    drop(c);
}

void redis_conn_free(struct redis_conn *c)
{
    struct redis_cmd *cmd;

    c->ev = NULL;
    TAILQ_FOREACH(cmd, &c->cmds, link)
        cmd->cb = NULL;
    c->by_owner = 1;
    drop(c);                       /* runs on_reply for each: they only free */
    destroy(c);
}

const char *redis_conn_name(const struct redis_conn *c)
{
    return c->name;
}
