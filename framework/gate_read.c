/*
 * The gate reads a plain socket itself, with one recv() per readable
 * event, into the input of the bufferevent under its filter, and runs
 * the filter from there.
 *
 * Why not the socket bufferevent's own reading: libevent's evbuffer_read
 * asks the kernel how much is readable (ioctl FIONREAD) before every
 * readv, and evhttp turns reading off after each request head and on
 * again once it has answered, which the filter passes down to the socket
 * as an event_del and an event_add: one epoll_ctl per request (strace -c
 * over keep-alive requests: readv, ioctl, epoll_ctl and writev each once
 * per request, against nginx's recvfrom and writev). Here the read event
 * stays armed across requests; it is only taken off the socket when bytes
 * come while evhttp does not want them (a pipelining client while a
 * handler answers later), and put back once evhttp reads again.
 *
 * Layering: connection layer (see gate.h); calls libevent and the gate's
 * struct only.
 */
#include "gate_read.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "alloc.h"
#include "config.h"
#include "conns.h"
#include "gate.h"

/* What one recv() asks for: a request head and a small body at once,
 * as evbuffer_read's own cap (4096) would not. */
#define READ_CHUNK 16384

/* 1 if evhttp (the filter's user) reads now. */
static int evhttp_reads(const struct eider_gate *g)
{
    return (bufferevent_get_enabled(g->bev) & EV_READ) != 0;
}

/* The socket is readable: one recv() into the input under the filter,
 * then the filter (the gate's validator, then evhttp) runs on it, as the
 * socket bufferevent's read callback would run it. EOF and errors go the
 * same way as that bufferevent's: to the filter's event callback. */
static void on_readable(evutil_socket_t fd, short what, void *arg)
{
    struct eider_gate *g = arg;
    struct evbuffer *in = bufferevent_get_input(g->under);
    struct evbuffer_iovec v;
    ssize_t n;

    (void)what;
    if (g->closed || !evhttp_reads(g)) {
        /* evhttp is busy with a request: leave the bytes in the socket
         * (the kernel's buffer is the back-pressure) until it reads. */
        event_del(g->reader);
        g->read_paused = !g->closed;
        return;
    }
    /* The socket bufferevent keeps its input's end frozen outside its
     * own reads; so does this one. */
    evbuffer_unfreeze(in, 0);
    n = -1;
    if (evbuffer_reserve_space(in, READ_CHUNK, &v, 1) == 1) {
        n = recv(fd, v.iov_base, v.iov_len, 0);
        if (n > 0) {
            v.iov_len = (size_t)n;
            evbuffer_commit_space(in, &v, 1);
        }
    } else {
        errno = ENOMEM;   /* fails this connection, as evbuffer_read would */
    }
    evbuffer_freeze(in, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        event_del(g->reader);
        bufferevent_trigger_event(g->under, n == 0 ? BEV_EVENT_EOF | BEV_EVENT_READING
                                                   : BEV_EVENT_ERROR | BEV_EVENT_READING, 0);
        return;
    }
    bufferevent_trigger(g->under, EV_READ, 0);
}

void eider_gate_read_take(struct eider_gate *g)
{
    evutil_socket_t fd;

    if (g->reader != NULL || g->listener->cfg->ssl || (fd = bufferevent_getfd(g->under)) < 0)
        return;
    g->reader = event_new(bufferevent_get_base(g->under), fd, EV_READ | EV_PERSIST, on_readable, g);
    if (g->reader == NULL)
        eider_oom(event_get_struct_event_size());
    /* In the same turn of the loop, so that epoll sees no change: the
     * bufferevent's read event leaves the socket as this one comes. */
    bufferevent_disable(g->under, EV_READ);
    event_add(g->reader, NULL);
}

void eider_gate_read_resume(struct eider_gate *g)
{
    if (g->read_paused && !g->closed && evhttp_reads(g)) {
        g->read_paused = 0;
        event_add(g->reader, NULL);
    }
}

void eider_gate_read_free(struct eider_gate *g)
{
    if (g->reader != NULL)
        event_free(g->reader);
    g->reader = NULL;
    g->read_paused = 0;
}
