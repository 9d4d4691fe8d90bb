/*
 * The socket's side of a gate's output (gate_send.c). Layering: part of
 * the connection layer (gate*.c, conns.c); it calls only libevent, the
 * gate's struct and conns.h, never the HTTP glue or the worker.
 */
#ifndef EIDER_GATE_SEND_H
#define EIDER_GATE_SEND_H

struct eider_gate;

/* Call before adding bytes to the output of the bufferevent under G's
 * filter: from then on until it is empty again, what waits there is
 * counted (send_buffered), timed (send_timeout) and, once all written,
 * reported (eider_gate_written). Cheap when already watched. */
void eider_gate_send_watch(struct eider_gate *g);

/* G closes: stops watching, takes what the client never read off the
 * worker's count, and frees the send_timeout timer. */
void eider_gate_send_free(struct eider_gate *g);

#endif
