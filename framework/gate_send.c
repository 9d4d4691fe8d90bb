/*
 * What waits for a client in the output of the bufferevent under a gate's
 * filter (the socket's, or TLS): counted in the worker's send_buffered,
 * timed by send_timeout from the last progress on, and reported to the
 * gate once all of it is written.
 *
 * Watched only while something waits there: the watch (an evbuffer
 * callback, 56 bytes of heap) is added when bytes first queue and removed
 * once they are all out, and the timer is made the first time a client
 * makes the output wait. An idle keep-alive connection holds neither, nor
 * does one whose answers the socket took at once (the common case:
 * gate.c writes to a plain socket directly when nothing is queued).
 *
 * Layering: connection layer (see gate.h); calls libevent, the gate's
 * struct, gate.c's eider_gate_written/eider_gate_drop and conns.h only.
 */
#include "gate_send.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "alloc.h"
#include "config.h"
#include "conns.h"
#include "gate.h"
#include "log.h"

/* send_timeout ran out: the client took none of its answer for that long. */
static void on_send_timeout(evutil_socket_t fd, short what, void *arg)
{
    struct eider_gate *g = arg;
    char peer[48];

    (void)fd, (void)what;
    g->send_timed = 0;
    eider_gate_peer(g, peer, sizeof(peer));
    eider_log(EIDER_LOG_INFO, "%s took no more of its answer within send_timeout (%ds), "
              "%zu bytes unsent; closing", peer, g->listener->conns->cfg->send_timeout,
              evbuffer_get_length(bufferevent_get_output(g->under)));
    eider_gate_drop(g);
}

/* Times the wait for the client to read what waits in its output, from
 * the last progress on (as nginx's send_timeout); stops once it is all
 * written. The timer exists only for connections that ever had to wait;
 * it is eider's own structure (alloc.h's policy: never NULL). */
static void time_sending(struct eider_gate *g, size_t left, int progress)
{
    if (left == 0) {
        if (g->send_timed)
            event_del(g->send_timer);
        g->send_timed = 0;
        return;
    }
    if (g->send_timed && !progress)
        return;
    if (g->send_timer == NULL
        && (g->send_timer = event_new(bufferevent_get_base(g->under), -1, 0, on_send_timeout, g))
               == NULL)
        eider_oom(event_get_struct_event_size());
    event_add(g->send_timer, g->listener->conns->send_tv);
    g->send_timed = 1;
}

/* The watch: counts what the worker holds for slow clients, times them,
 * and once it is all written lets go of the buffer and tells the gate.
 * (libevent reads the next callback before running this one, so it may
 * remove itself.) */
static void on_under_output(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
    struct eider_gate *g = arg;
    struct eider_conns *c = g->listener->conns;
    size_t left = evbuffer_get_length(buf);

    c->send_buffered += info->n_added;
    c->send_buffered -= info->n_deleted;
    if (info->n_deleted > 0)
        eider_conns_tell(c, c->hooks.send_freed);
    time_sending(g, left, info->n_deleted > 0);
    if (left == 0) {
        evbuffer_remove_cb(buf, on_under_output, g);
        g->send_watched = 0;
        if (info->n_deleted > 0)
            eider_gate_written(g);
    }
}

void eider_gate_send_watch(struct eider_gate *g)
{
    if (g->send_watched)
        return;
    if (evbuffer_add_cb(bufferevent_get_output(g->under), on_under_output, g) == NULL)
        eider_oom(64);
    g->send_watched = 1;
}

void eider_gate_send_free(struct eider_gate *g)
{
    struct eider_conns *c = g->listener->conns;

    if (g->send_watched) {
        struct evbuffer *out = bufferevent_get_output(g->under);
        evbuffer_remove_cb(out, on_under_output, g);
        g->send_watched = 0;
        /* What the client never read goes with the bufferevent. */
        c->send_buffered -= evbuffer_get_length(out);
        eider_conns_tell(c, c->hooks.send_freed);
    }
    if (g->send_timer != NULL)
        event_free(g->send_timer);
    g->send_timer = NULL;
    g->send_timed = 0;
}
