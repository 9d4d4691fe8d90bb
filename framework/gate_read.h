/*
 * The gate's own reading of a plain socket (gate_read.c). Layering: part
 * of the connection layer (gate*.c, conns.c); it calls only libevent and
 * the gate's struct, never the HTTP glue or the worker.
 */
#ifndef EIDER_GATE_READ_H
#define EIDER_GATE_READ_H

struct eider_gate;

/* Takes the reading of G's plain socket over from the bufferevent under
 * the gate's filter (no-op under TLS, or once done). Called on the first
 * bytes, when the socket is known. */
void eider_gate_read_take(struct eider_gate *g);

/* evhttp may have turned its reading back on (it answered): a paused
 * reader waits on the socket again. Cheap when nothing is paused. */
void eider_gate_read_resume(struct eider_gate *g);

/* Stops reading for good (the connection closes); frees the event. */
void eider_gate_read_free(struct eider_gate *g);

#endif
