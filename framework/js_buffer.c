/*
 * The native half of Buffer, TextDecoder's slow path and atob/btoa: the
 * encodings of encoding.c over Duktape's own strings and buffer data,
 * with no intermediate copy but the one Duktape makes when it interns a
 * string. prelude_buffer.js and prelude_web.js keep the argument rules
 * and call these through native.buffer (one object of functions, below);
 * js_crypto.c and eider_js_push_utf8() use the C entry points.
 */
#include <string.h>

#include "js_buffer.h"
#include "js_internal.h"

/* Strings up to this size are built on the C stack before Duktape
 * interns them; longer ones in a temporary buffer on the value stack. */
#define STACK_TEXT 4096

/* The encoding named by argument IDX: utf8 when undefined or null;
 * throws TypeError ERR_UNKNOWN_ENCODING (as Node) for an unknown name. */
enum eider_enc eider_js_encoding_arg(duk_context *ctx, duk_idx_t idx)
{
    const char *name;
    enum eider_enc enc;

    if (duk_is_null_or_undefined(ctx, idx))
        return EIDER_ENC_UTF8;
    /* A string, nearly always: no coercion, so no protected call. */
    name = duk_is_string(ctx, idx) && !duk_is_symbol(ctx, idx) ? duk_get_string(ctx, idx)
                                                                : duk_safe_to_string(ctx, idx);
    enc = eider_enc_find(name);
    if (enc == EIDER_ENC_NONE) {
        duk_push_error_object(ctx, DUK_ERR_TYPE_ERROR, "Unknown encoding: %s", name);
        duk_push_string(ctx, "ERR_UNKNOWN_ENCODING");
        duk_put_prop_string(ctx, -2, "code");
        (void)duk_throw(ctx);
    }
    return enc;
}

unsigned char *eider_js_push_node_buffer(duk_context *ctx, size_t size, size_t len)
{
    unsigned char *p = duk_push_fixed_buffer(ctx, size);

    duk_push_buffer_object(ctx, -1, 0, len, DUK_BUFOBJ_NODEJS_BUFFER);
    duk_remove(ctx, -2);
    return p;
}

void eider_js_push_text(duk_context *ctx, enum eider_enc enc, const void *data, size_t len)
{
    unsigned char stack[STACK_TEXT], *out = stack;
    size_t bound;

    if (enc == EIDER_ENC_UTF8 && eider_enc_utf8_is_text(data, len)) {
        duk_push_lstring(ctx, data, len);   /* ASCII and the BMP: as they are */
        return;
    }
    bound = eider_enc_encode_bound(enc, len);
    if (bound > sizeof(stack))
        out = duk_push_fixed_buffer(ctx, bound);
    duk_push_lstring(ctx, (const char *)out, eider_enc_encode(enc, data, len, out));
    if (out != stack)
        duk_remove(ctx, -2);
}

const unsigned char *eider_js_push_decoded(duk_context *ctx, duk_idx_t idx, enum eider_enc enc,
                                           size_t *len)
{
    duk_size_t n;
    const unsigned char *s = (const unsigned char *)duk_require_lstring(ctx, idx, &n);
    unsigned char *out = duk_push_fixed_buffer(ctx, eider_enc_decode_bound(enc, n));

    *len = eider_enc_decode(enc, s, n, out);
    return out;
}

/* The bytes of argument IDX (any buffer, typed array or DataView) in
 * *N; throws TypeError for anything else. */
static const unsigned char *bytes_arg(duk_context *ctx, duk_idx_t idx, duk_size_t *n)
{
    const unsigned char *p = duk_require_buffer_data(ctx, idx, n);

    return p != NULL ? p : (const unsigned char *)"";
}

/* native.buffer.from(string, encoding): a new Buffer of the string's
 * bytes in that encoding. */
static duk_ret_t buffer_from(duk_context *ctx)
{
    enum eider_enc enc = eider_js_encoding_arg(ctx, 1);
    duk_size_t n;
    const unsigned char *s = (const unsigned char *)duk_require_lstring(ctx, 0, &n);
    size_t bound = eider_enc_decode_bound(enc, n);
    unsigned char *out = duk_push_fixed_buffer(ctx, bound);
    size_t len = eider_enc_decode(enc, s, n, out);

    duk_push_buffer_object(ctx, -1, 0, len, DUK_BUFOBJ_NODEJS_BUFFER);
    return 1;
}

#define STASH_FROM "bufferFrom"

/* Calls the function kept in the heap stash under KEY with this and the
 * arguments of the running native call, all as they are; returns its
 * result (the slow path of a method whose fast path is C). */
static duk_ret_t call_slow(duk_context *ctx, const char *key)
{
    duk_idx_t nargs = duk_get_top(ctx);

    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, key);
    duk_remove(ctx, -2);
    duk_push_this(ctx);
    for (duk_idx_t i = 0; i < nargs; i++)
        duk_dup(ctx, i);
    duk_call_method(ctx, nargs);
    return 1;
}

/* Buffer.from(value, encodingOrOffset, length) itself: a string goes to
 * buffer_from() with no JavaScript frame; anything else to the
 * prelude's function given to setFrom(). */
static duk_ret_t buffer_from_method(duk_context *ctx)
{
    if (duk_get_top(ctx) <= 2 && duk_is_string(ctx, 0)) {
        duk_set_top(ctx, 2);
        return buffer_from(ctx);
    }
    return call_slow(ctx, STASH_FROM);
}

/* native.buffer.setFrom(fn): keeps FN, Buffer.from for what is not a
 * string. */
static duk_ret_t buffer_set_from(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_dup(ctx, 0);
    duk_put_prop_string(ctx, -2, STASH_FROM);
    return 0;
}

/* Integer value of argument IDX (NaN 0), clamped to [0, max]; DEF if
 * undefined. */
static size_t clamp_arg(duk_context *ctx, duk_idx_t idx, size_t def, size_t max)
{
    double v;

    if (duk_is_undefined(ctx, idx))
        return def;
    v = duk_to_number(ctx, idx);
    if (!(v > 0))
        return 0;
    return v >= (double)max ? max : (size_t)v;
}

/* native.buffer.toString(bytes, encoding, start, end): the bytes from
 * start to end (clamped, as Node's buf.toString) as a string. */
static duk_ret_t buffer_to_string(duk_context *ctx)
{
    duk_size_t n;
    const unsigned char *b = bytes_arg(ctx, 0, &n);
    enum eider_enc enc = eider_js_encoding_arg(ctx, 1);
    size_t start = clamp_arg(ctx, 2, 0, n), end = clamp_arg(ctx, 3, n, n);

    b = bytes_arg(ctx, 0, &n);   /* the coercions above may have run code */
    if (end > n)
        end = n;
    if (start >= end) {
        duk_push_string(ctx, "");
        return 1;
    }
    eider_js_push_text(ctx, enc, b + start, end - start);
    return 1;
}

/* native.buffer.toStringMethod: the same as Buffer.prototype.toString
 * (encoding, start, end) on `this`, installed as the method itself: no
 * JavaScript frame between the handler and C. */
static duk_ret_t buffer_to_string_method(duk_context *ctx)
{
    duk_set_top(ctx, 3);
    duk_push_this(ctx);
    duk_insert(ctx, 0);
    return buffer_to_string(ctx);
}

/* native.buffer.byteLength(string, encoding): the length of
 * from(string, encoding), without making it. */
static duk_ret_t buffer_byte_length(duk_context *ctx)
{
    enum eider_enc enc = eider_js_encoding_arg(ctx, 1);
    duk_size_t n;
    const unsigned char *s = (const unsigned char *)duk_require_lstring(ctx, 0, &n);

    duk_push_number(ctx, (double)eider_enc_decoded_length(enc, s, n));
    return 1;
}

/* native.buffer.write(bytes, string, offset, length, encoding): writes
 * as much of the string's bytes as fits in length bytes from offset
 * (both already checked by the caller); returns how many. */
static duk_ret_t buffer_write(duk_context *ctx)
{
    enum eider_enc enc = eider_js_encoding_arg(ctx, 4);
    size_t len, off = (size_t)duk_require_uint(ctx, 2), room = (size_t)duk_require_uint(ctx, 3);
    const unsigned char *src = eider_js_push_decoded(ctx, 1, enc, &len);
    duk_size_t n;
    unsigned char *b = (unsigned char *)bytes_arg(ctx, 0, &n);

    if (off > n)
        off = n;
    if (room > n - off)
        room = n - off;
    if (len > room) {
        len = room;
        if (enc == EIDER_ENC_UTF8)   /* whole characters only, as Node */
            while (len > 0 && (src[len] & 0xc0) == 0x80)
                len--;
        else if (enc == EIDER_ENC_UTF16LE)
            len &= ~(size_t)1;
    }
    memmove(b + off, src, len);
    duk_push_number(ctx, (double)len);
    return 1;
}

/* native.buffer.indexOf(bytes, needle, offset, last): index of the
 * needle's bytes in bytes, searching forward from offset or, if last,
 * backward from it (offset already made non-negative); -1 if absent. */
static duk_ret_t buffer_index_of(duk_context *ctx)
{
    duk_size_t n, k;
    const unsigned char *h = bytes_arg(ctx, 0, &n), *needle = bytes_arg(ctx, 1, &k);
    double off = duk_require_number(ctx, 2);
    int last = duk_to_boolean(ctx, 3);
    long found = -1;

    if (k == 0)
        found = off < 0 ? 0 : off > (double)n ? (long)n : (long)off;
    else if (k <= n && !last && off <= (double)(n - k)) {
        size_t from = off > 0 ? (size_t)off : 0;
        const unsigned char *p = memmem(h + from, n - from, needle, k);
        found = p != NULL ? (long)(p - h) : -1;
    } else if (k <= n && last && off >= 0) {
        size_t i = off > (double)(n - k) ? n - k : (size_t)off;
        for (;; i--) {
            if (h[i] == needle[0] && memcmp(h + i, needle, k) == 0) {
                found = (long)i;
                break;
            }
            if (i == 0)
                break;
        }
    }
    duk_push_number(ctx, (double)found);
    return 1;
}

#define STASH_INVALID "webBase64Invalid"

/* native.buffer.setInvalid(fn): keeps FN, which throws the DOMException
 * for bad atob/btoa input (prelude_web.js has DOMException). */
static duk_ret_t buffer_set_invalid(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_dup(ctx, 0);
    duk_put_prop_string(ctx, -2, STASH_INVALID);
    return 0;
}

/* Throws what the web platform throws for atob/btoa: a TypeError
 * ERR_MISSING_ARGS without the argument (MESSAGE NULL), else what the
 * function given to setInvalid() makes of MESSAGE. */
static duk_ret_t web_base64_error(duk_context *ctx, const char *message)
{
    if (message == NULL) {
        duk_push_error_object(ctx, DUK_ERR_TYPE_ERROR, "The \"input\" argument must be specified");
        duk_push_string(ctx, "ERR_MISSING_ARGS");
        duk_put_prop_string(ctx, -2, "code");
        return duk_throw(ctx);
    }
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_INVALID);
    duk_push_string(ctx, message);
    duk_call(ctx, 1);
    return duk_throw(ctx);   /* if it returned instead of throwing */
}

/* Room for N bytes: the C stack's STACK (STACK_TEXT bytes) when they fit,
 * else a plain buffer pushed on the value stack (*PUSHED set), which
 * holds them until the caller's return. */
static unsigned char *scratch(duk_context *ctx, unsigned char *stack, size_t n, int *pushed)
{
    *pushed = n > STACK_TEXT;
    return *pushed ? duk_push_fixed_buffer(ctx, n) : stack;
}

/* btoa(data): the global itself (prelude_web.js installs this function).
 * Base64 of String(data), a string of code units 0-255. */
static duk_ret_t buffer_btoa(duk_context *ctx)
{
    unsigned char stack[STACK_TEXT], *b;
    duk_size_t n;
    size_t len, used;
    const unsigned char *s;
    int pushed;

    if (duk_get_top(ctx) == 0)
        return web_base64_error(ctx, NULL);
    duk_set_top(ctx, 1);
    s = (const unsigned char *)duk_to_lstring(ctx, 0, &n);
    b = scratch(ctx, stack, n, &pushed);
    len = eider_enc_latin1_run(s, n, b, &used);
    if (used < n)
        return web_base64_error(ctx, "Invalid character");
    eider_js_push_text(ctx, EIDER_ENC_BASE64, b, len);
    return 1;
}

/* atob(data): the global itself. The forgiving-base64 decode of the web
 * platform of String(data), as a string of code units 0-255, with Node's
 * checks and messages: ASCII whitespace skipped; "Invalid character" for
 * anything outside the alphabet, a digit after '=', a third '=', or '='
 * where the digits are not a whole number of groups; "not correctly
 * encoded" for a lone digit at the end. Whole groups of four digits go
 * through the table decoder straight from the string; the rest is
 * checked and cleaned here (its count modulo 4 is the whole input's). */
static duk_ret_t buffer_atob(duk_context *ctx)
{
    static const char bad[] = "The string to be decoded is not correctly encoded.";
    static const char invalid[] = "Invalid character";
    unsigned char stack[STACK_TEXT], *out, *clean;
    duk_size_t n;
    size_t len, i, k = 0, count = 0, eq = 0, rem;
    const unsigned char *s;
    int pushed;

    if (duk_get_top(ctx) == 0)
        return web_base64_error(ctx, NULL);
    duk_set_top(ctx, 1);
    s = (const unsigned char *)duk_to_lstring(ctx, 0, &n);
    out = scratch(ctx, stack, n / 4 * 3 + 3 + n, &pushed);
    len = eider_enc_base64_groups(s, n, out, &i);
    clean = out + n / 4 * 3 + 3;   /* what is left, whitespace and '=' dropped */
    for (; i < n; i++) {
        unsigned char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r')
            continue;
        count++;
        if (c == '=') {
            if (++eq > 2)
                return web_base64_error(ctx, invalid);
        } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                   || c == '+' || c == '/') {
            if (eq > 0)
                return web_base64_error(ctx, invalid);
            clean[k++] = c;
        } else {
            return web_base64_error(ctx, invalid);
        }
    }
    rem = count % 4;
    if (rem == 0)
        rem = (count - eq) % 4;
    else if (eq > 0)
        return web_base64_error(ctx, invalid);
    if (rem == 1)
        return web_base64_error(ctx, bad);
    len += eider_enc_decode(EIDER_ENC_BASE64, clean, k, out + len);
    eider_js_push_text(ctx, EIDER_ENC_LATIN1, out, len);
    return 1;
}

/* native.buffer.decodeUtf8(bytes): the bytes as UTF-8, invalid
 * sequences U+FFFD (TextDecoder's and Buffer's default decoding). */
static duk_ret_t buffer_decode_utf8(duk_context *ctx)
{
    duk_size_t n;
    const unsigned char *b = bytes_arg(ctx, 0, &n);

    eider_js_push_text(ctx, EIDER_ENC_UTF8, b, n);
    return 1;
}

#define STASH_DECODE "textDecodeSlow"
/* On a TextDecoder, what decode() may do in C: 1 plain, 2 with ignoreBOM;
 * 0 (fatal, or it had options: maybe a stream in the middle of a
 * character) never. Read from the getters once per decoder: neither
 * changes after the constructor. */
#define TD_FAST DUK_HIDDEN_SYMBOL("eiderTdFast")

/* The TD_FAST state of the decoder at IDX, worked out and kept on its
 * first call. */
static int text_decoder_state(duk_context *ctx, duk_idx_t idx)
{
    int state;

    idx = duk_normalize_index(ctx, idx);
    if (duk_get_prop_literal(ctx, idx, TD_FAST)) {
        state = duk_get_int(ctx, -1);
        duk_pop(ctx);
        return state;
    }
    duk_pop(ctx);
    duk_get_prop_literal(ctx, idx, "fatal");
    duk_get_prop_literal(ctx, idx, "ignoreBOM");
    /* Not a TextDecoder (no boolean getter): Duktape's decode refuses it. */
    state = !duk_is_boolean(ctx, -2) || duk_get_boolean(ctx, -2) ? 0 : duk_get_boolean(ctx, -1) ? 2 : 1;
    duk_pop_2(ctx);
    duk_push_int(ctx, state);
    duk_put_prop_literal(ctx, idx, TD_FAST);
    return state;
}

/* TextDecoder.prototype.decode(input, options) itself: a whole input of
 * a non-fatal decoder is decoded here (U+FFFD for what is not UTF-8, a
 * leading BOM dropped unless ignoreBOM); the rest (streaming, fatal, no
 * bytes) goes to the prelude's function given to setDecodeSlow(), and a
 * decoder that was given options once stays there. */
static duk_ret_t text_decoder_decode(duk_context *ctx)
{
    duk_idx_t nargs = duk_get_top(ctx);
    duk_size_t n;
    const unsigned char *b;
    int state;

    if (nargs > 2 || (nargs == 2 && !duk_is_undefined(ctx, 1)) || !duk_is_buffer_data(ctx, 0)) {
        if (nargs >= 2 && !duk_is_undefined(ctx, 1)) {
            duk_push_this(ctx);
            if (duk_is_object(ctx, -1)) {
                duk_push_int(ctx, 0);
                duk_put_prop_literal(ctx, -2, TD_FAST);
            }
            duk_pop(ctx);
        }
        return call_slow(ctx, STASH_DECODE);
    }
    duk_push_this(ctx);
    state = duk_is_object(ctx, -1) ? text_decoder_state(ctx, -1) : 0;
    duk_pop(ctx);
    if (state == 0)
        return call_slow(ctx, STASH_DECODE);
    b = bytes_arg(ctx, 0, &n);
    if (state == 1 && n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
        b += 3, n -= 3;
    eider_js_push_text(ctx, EIDER_ENC_UTF8, b, n);
    return 1;
}

/* native.buffer.setDecodeSlow(fn): keeps FN, TextDecoder's decode for
 * what text_decoder_decode() leaves. */
static duk_ret_t buffer_set_decode_slow(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_dup(ctx, 0);
    duk_put_prop_string(ctx, -2, STASH_DECODE);
    return 0;
}

static const duk_function_list_entry buffer_funcs[] = {
    { "from", buffer_from, 2 },
    { "toString", buffer_to_string, 4 },
    { "toStringMethod", buffer_to_string_method, DUK_VARARGS },
    { "byteLength", buffer_byte_length, 2 },
    { "write", buffer_write, 5 },
    { "indexOf", buffer_index_of, 4 },
    { "btoa", buffer_btoa, DUK_VARARGS },
    { "atob", buffer_atob, DUK_VARARGS },
    { "decodeUtf8", buffer_decode_utf8, 1 },
    { "setInvalid", buffer_set_invalid, 1 },
    { "fromMethod", buffer_from_method, DUK_VARARGS },
    { "setFrom", buffer_set_from, 1 },
    { "textDecode", text_decoder_decode, DUK_VARARGS },
    { "setDecodeSlow", buffer_set_decode_slow, 1 },
    { NULL, NULL, 0 }
};

void eider_js_buffer_natives(duk_context *ctx, duk_idx_t native)
{
    native = duk_normalize_index(ctx, native);
    duk_push_object(ctx);
    duk_put_function_list(ctx, -1, buffer_funcs);
    eider_js_buffer_ops(ctx, -1);
    duk_put_prop_string(ctx, native, "buffer");
}
