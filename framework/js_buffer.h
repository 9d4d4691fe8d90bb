/*
 * js_buffer.c: Node's Buffer encodings (encoding.h) over Duktape values,
 * for the prelude (native.buffer), js_crypto.c and js_util.c.
 */
#ifndef EIDER_JS_BUFFER_H
#define EIDER_JS_BUFFER_H

#include <stddef.h>

#include "encoding.h"
#include "js_engine.h"

/* Puts native.buffer (from, toString, toStringMethod, byteLength, write,
 * indexOf, btoa, atob, decodeUtf8, setInvalid, fromMethod, setFrom,
 * textDecode, setDecodeSlow: see js_buffer.c; concat, compare,
 * compareMethod, equalsMethod, setArgError: js_buffer_ops.c) on the
 * object at NATIVE, the one the prelude's parts receive. */
void eider_js_buffer_natives(duk_context *ctx, duk_idx_t native);

/* Adds concat, compare, compareMethod, equalsMethod and setArgError
 * (js_buffer_ops.c) to the native.buffer object at OBJ. */
void eider_js_buffer_ops(duk_context *ctx, duk_idx_t obj);

/* The encoding named by argument IDX (utf8 if undefined or null);
 * throws TypeError ERR_UNKNOWN_ENCODING naming an unknown one. */
enum eider_enc eider_js_encoding_arg(duk_context *ctx, duk_idx_t idx);

/* Pushes a new Node Buffer of LEN bytes over a zeroed plain buffer of
 * SIZE >= LEN bytes; returns the bytes, owned by the Buffer. */
unsigned char *eider_js_push_node_buffer(duk_context *ctx, size_t size, size_t len);

/* Pushes the LEN bytes at DATA in encoding ENC as a string (utf8: invalid
 * sequences U+FFFD, as Node). */
void eider_js_push_text(duk_context *ctx, enum eider_enc enc, const void *data, size_t len);

/* The bytes of the string at IDX in encoding ENC (Node's lenient rules),
 * in a plain buffer pushed on the stack, their count in *LEN; valid while
 * that buffer stays there. Throws TypeError if IDX is no string. */
const unsigned char *eider_js_push_decoded(duk_context *ctx, duk_idx_t idx, enum eider_enc enc,
                                           size_t *len);

#endif
