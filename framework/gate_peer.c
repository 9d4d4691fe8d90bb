/*
 * The client address of a gate's connection (gate.h): the PROXY header's
 * source, else the socket peer, found once and kept in the gate.
 *
 * Layering: connection layer; libevent and the gate's struct only.
 */
#include "gate.h"

#include <ctype.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

void eider_gate_peer(struct eider_gate *g, char *out, size_t len)
{
    evutil_socket_t fd;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    char *addr = NULL;
    ev_uint16_t port;

    if (g->has_peer || g->peer_known) {
        size_t n = strnlen(g->peer, sizeof(g->peer) - 1);
        if (len == 0)
            return;
        n = n < len - 1 ? n : len - 1;
        memcpy(out, g->peer, n);   /* per request: snprintf cost 600 instructions */
        out[n] = '\0';
        return;
    }
    /* evhttp has the address as text already; it says "localhost" for a
     * unix socket, where eider says "unix:". */
    if (g->evcon != NULL) {
        evhttp_connection_get_peer(g->evcon, &addr, &port);
        if (addr != NULL && (isdigit((unsigned char)addr[0]) || addr[0] == ':')) {
            snprintf(g->peer, sizeof(g->peer), "%s", addr);
            g->peer_known = 1;
            snprintf(out, len, "%s", g->peer);
            return;
        }
    }
    fd = bufferevent_getfd(g->under);
    if (fd >= 0 && getpeername(fd, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_UNIX) {
            snprintf(out, len, "unix:");
            return;
        }
        if (getnameinfo((struct sockaddr *)&ss, sl, out, (socklen_t)len, NULL, 0, NI_NUMERICHOST) == 0)
            return;
    }
    snprintf(out, len, "-");
}
