/*
 * JSON.parse without Duktape's number parser. Duktape converts every
 * number with a fraction or exponent through its arbitrary-precision
 * routine (callgrind: ~34,000 instructions for "9.99"; 60% of a request
 * that parses a 1 KB order). This parser builds the same values, with
 * strtod for such numbers, and hands anything it does not accept to
 * Duktape's own parser, so that errors and their messages stay Duktape's.
 *
 * Numbers come out as V8 and ECMAScript have them, which is not always
 * Duktape's: a literal halfway between two doubles rounds to even
 * ("9007199254740993" is 9007199254740992, Duktape says ...994), and an
 * exponent too large for a double is Infinity, where Duktape throws a
 * RangeError.
 *
 * The text is a Duktape string, so its bytes are Duktape's internal
 * encoding (CESU-8: characters past U+FFFF are surrogate pairs). A string
 * without escapes is pushed as the very bytes it has in the text; an
 * escape \uXXXX is encoded as that one code unit, as Duktape does.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "js_internal.h"

/* Duktape's own nesting limit (DUK_USE_JSON_DEC_RECLIMIT): deeper input
 * goes to Duktape's parser, which refuses it with its own error. */
#define MAX_DEPTH 1000

struct parser {
    duk_context *ctx;
    struct eider_js *js;        /* owns the scratch buffer, which a throw
                                 * out of the middle of a parse must not leak */
    const unsigned char *p, *end;
    int depth;
    int utf8;                   /* the text is UTF-8 bytes, not a Duktape string */
};

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Makes room for N more bytes at offset LEN of the scratch buffer
 * (decoded strings with escapes). */
static int reserve(struct parser *ps, size_t len, size_t n)
{
    struct eider_js *js = ps->js;
    char *bigger;
    size_t cap;

    if (len + n <= js->scratch_cap)
        return 0;
    cap = js->scratch_cap ? js->scratch_cap * 2 : 256;
    while (cap < len + n)
        cap *= 2;
    /* Sized by the text parsed: a failure fails this parse (alloc.h). */
    if ((bigger = realloc(js->scratch, cap)) == NULL)
        return -1;
    js->scratch = bigger;
    js->scratch_cap = cap;
    return 0;
}

/* Bytes that end a run of plain string content: the closing quote, an
 * escape, and the control characters a JSON string may not hold. */
static const unsigned char ends_run[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
    [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1,
    [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
    [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
    ['"'] = 1, ['\\'] = 1,
};

/* Pushes the string whose opening quote is at ps->p. From UTF-8 bytes, a
 * string with other than ASCII goes through eider_js_push_utf8 (U+FFFD,
 * surrogate pairs), which would take the CESU-8 of an escaped surrogate
 * for invalid bytes: one with both is left to the text's own parse. */
static int parse_string(struct parser *ps)
{
    const unsigned char *start = ++ps->p, *s = start;
    unsigned high = 0;
    size_t len = 0;

    while (s < ps->end && !ends_run[*s])
        high |= *s++;
    if (s < ps->end && *s == '"') {          /* no escapes: the bytes as they are */
        if (ps->utf8 && (high & 0x80))
            eider_js_push_utf8(ps->ctx, (const char *)start, (size_t)(s - start));
        else
            duk_push_lstring(ps->ctx, (const char *)start, (duk_size_t)(s - start));
        ps->p = s + 1;
        return 0;
    }
    if (ps->utf8 && (high & 0x80))
        return -1;
    ps->p = start;
    while (ps->p < ps->end) {
        unsigned c = *ps->p++;
        if (c == '"') {
            duk_push_lstring(ps->ctx, ps->js->scratch, (duk_size_t)len);
            return 0;
        }
        if (c < 0x20 || (ps->utf8 && c >= 0x80) || reserve(ps, len, 3) < 0)
            return -1;
        if (c != '\\') {
            ps->js->scratch[len++] = (char)c;
            continue;
        }
        if (ps->p >= ps->end)
            return -1;
        switch (c = *ps->p++) {
        case '"': case '\\': case '/': ps->js->scratch[len++] = (char)c; break;
        case 'b': ps->js->scratch[len++] = '\b'; break;
        case 'f': ps->js->scratch[len++] = '\f'; break;
        case 'n': ps->js->scratch[len++] = '\n'; break;
        case 'r': ps->js->scratch[len++] = '\r'; break;
        case 't': ps->js->scratch[len++] = '\t'; break;
        case 'u': {
            unsigned u = 0;
            if (ps->end - ps->p < 4)
                return -1;
            for (int i = 0; i < 4; i++) {
                int h = hex(*ps->p++);
                if (h < 0)
                    return -1;
                u = u << 4 | (unsigned)h;
            }
            /* One code unit, surrogates included, as Duktape stores it. */
            if (u < 0x80) {
                ps->js->scratch[len++] = (char)u;
            } else if (u < 0x800) {
                ps->js->scratch[len++] = (char)(0xc0 | u >> 6);
                ps->js->scratch[len++] = (char)(0x80 | (u & 0x3f));
            } else {
                ps->js->scratch[len++] = (char)(0xe0 | u >> 12);
                ps->js->scratch[len++] = (char)(0x80 | (u >> 6 & 0x3f));
                ps->js->scratch[len++] = (char)(0x80 | (u & 0x3f));
            }
            break;
        }
        default:
            return -1;
        }
    }
    return -1;
}

/* Pushes the number at ps->p (RFC 8259 grammar). */
static int parse_number(struct parser *ps)
{
    const unsigned char *s = ps->p, *digits;
    int negative = 0, integral = 1;
    char buf[64];
    size_t n;

    if (s < ps->end && *s == '-')
        negative = 1, s++;
    digits = s;
    if (s < ps->end && *s == '0')
        s++;
    else if (s < ps->end && *s >= '1' && *s <= '9')
        while (s < ps->end && *s >= '0' && *s <= '9')
            s++;
    else
        return -1;
    if (s < ps->end && *s == '.') {
        integral = 0;
        if (++s >= ps->end || *s < '0' || *s > '9')
            return -1;
        while (s < ps->end && *s >= '0' && *s <= '9')
            s++;
    }
    if (s < ps->end && (*s == 'e' || *s == 'E')) {
        integral = 0;
        if (++s < ps->end && (*s == '+' || *s == '-'))
            s++;
        if (s >= ps->end || *s < '0' || *s > '9')
            return -1;
        while (s < ps->end && *s >= '0' && *s <= '9')
            s++;
    }
    n = (size_t)(s - ps->p);
    if (integral && s - digits <= 15) {      /* exact in a double */
        long long v = 0;
        for (const unsigned char *d = digits; d < s; d++)
            v = v * 10 + (*d - '0');
        duk_push_number(ps->ctx, negative ? -(double)v : (double)v);
    } else {
        /* strtod wants it terminated; a long one in the scratch buffer. */
        char *copy = buf;
        if (n >= sizeof(buf)) {
            if (reserve(ps, 0, n + 1) < 0)
                return -1;
            copy = ps->js->scratch;
        }
        memcpy(copy, ps->p, n);
        copy[n] = '\0';
        duk_push_number(ps->ctx, strtod(copy, NULL));
    }
    ps->p = s;
    return 0;
}

static int parse_value(struct parser *ps);

/* The container on top is complete: it gets its prototype. */
static int end_container(struct parser *ps, int object)
{
    ps->depth--;
    duk_push_heapptr(ps->ctx, object ? ps->js->object_proto : ps->js->array_proto);
    duk_set_prototype(ps->ctx, -2);
    return 0;
}

/* Pushes the array or object whose bracket is at ps->p. */
static int parse_container(struct parser *ps)
{
    duk_context *ctx = ps->ctx;
    int object = *ps->p++ == '{';
    duk_uarridx_t i = 0;

    if (++ps->depth > MAX_DEPTH)
        return -1;
    duk_require_stack(ctx, 3);
    /* A container gets its prototype once it is complete: until then it
     * has none, so that putting a key or an index neither runs an
     * inherited setter nor takes "__proto__" for the prototype (JSON.parse
     * defines own properties), and costs no walk up a prototype chain. */
    if (object) {
        duk_push_bare_object(ctx);
    } else {
        duk_push_array(ctx);
        duk_push_undefined(ctx);           /* Duktape's "no prototype" */
        duk_set_prototype(ctx, -2);
    }
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == (object ? '}' : ']')) {
        ps->p++;
        return end_container(ps, object);
    }
    for (;;) {
        if (object) {
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != '"' || parse_string(ps) < 0)
                return -1;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p++ != ':')
                return -1;
        }
        if (parse_value(ps) < 0)
            return -1;
        if (object)
            duk_put_prop(ctx, -3);     /* a repeated key keeps its place */
        else
            duk_put_prop_index(ctx, -2, i++);
        skip_ws(ps);
        if (ps->p >= ps->end)
            return -1;
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p++ != (object ? '}' : ']'))
            return -1;
        return end_container(ps, object);
    }
}

static int literal(struct parser *ps, const char *word, size_t n)
{
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return -1;
    ps->p += n;
    return 0;
}

static int parse_value(struct parser *ps)
{
    skip_ws(ps);
    if (ps->p >= ps->end)
        return -1;
    switch (*ps->p) {
    case '{': case '[': return parse_container(ps);
    case '"': return parse_string(ps);
    case 't': if (literal(ps, "true", 4) < 0) return -1; duk_push_true(ps->ctx); return 0;
    case 'f': if (literal(ps, "false", 5) < 0) return -1; duk_push_false(ps->ctx); return 0;
    case 'n': if (literal(ps, "null", 4) < 0) return -1; duk_push_null(ps->ctx); return 0;
    default: return parse_number(ps);
    }
}

/* Parses the whole of PS's text onto the stack: 0, or -1 with the stack
 * as it was. */
static int parse_all(struct parser *ps)
{
    duk_idx_t top = duk_get_top(ps->ctx);

    if (parse_value(ps) == 0) {
        skip_ws(ps);
        if (ps->p == ps->end)
            return 0;
    }
    duk_set_top(ps->ctx, top);
    return -1;
}

void eider_js_json_parse(duk_context *ctx, duk_idx_t idx)
{
    struct parser ps = { .ctx = ctx, .js = eider_js_of(ctx) };
    duk_size_t len;

    idx = duk_normalize_index(ctx, idx);
    ps.p = (const unsigned char *)duk_to_lstring(ctx, idx, &len);
    ps.end = ps.p + len;
    if (parse_all(&ps) == 0)
        duk_replace(ctx, idx);
    else
        duk_json_decode(ctx, idx);   /* throws Duktape's own SyntaxError */
}

int eider_js_json_parse_utf8(duk_context *ctx, const char *data, size_t len)
{
    struct parser ps = { .ctx = ctx, .js = eider_js_of(ctx), .utf8 = 1 };

    ps.p = (const unsigned char *)data;
    ps.end = ps.p + len;
    return parse_all(&ps);
}

/* JSON.parse(text[, reviver]): with a reviver, Duktape's own. */
/* res.json()'s text of the value at IDX, *LEN bytes in the runtime's
 * buffer (valid until the next call), for plain data (an object or array
 * of strings, numbers, booleans, null: eider_duk_json_plain); NULL for
 * anything else, which JSON.stringify must do. Against duk_json_encode
 * it spares Duktape's setup and protected call and the interning of a
 * string that only goes to the wire (callgrind: 2.6k instructions of a
 * hello request). */
const char *eider_js_json_plain(duk_context *ctx, duk_idx_t idx, size_t *len)
{
    struct eider_js *js = eider_js_of(ctx);
    long n;

    if (js->json_out == NULL)
        js->json_out = eider_malloc(EIDER_JS_JSON_OUT);
    n = eider_duk_json_plain(ctx, idx, js->json_out, EIDER_JS_JSON_OUT);
    if (n < 0)
        return NULL;
    *len = (size_t)n;
    return js->json_out;
}

static duk_ret_t json_parse(duk_context *ctx)
{
    if (duk_is_callable(ctx, 1)) {
        duk_push_current_function(ctx);
        duk_get_prop_literal(ctx, -1, DUK_HIDDEN_SYMBOL("parse"));
        duk_push_undefined(ctx);
        duk_dup(ctx, 0);
        duk_dup(ctx, 1);
        duk_call_method(ctx, 2);
        return 1;
    }
    duk_set_top(ctx, 1);
    eider_js_json_parse(ctx, 0);
    return 1;
}

void eider_js_json_init(duk_context *ctx)
{
    /* An intrinsic: alive as long as the heap, whatever a handler does
     * to the global Object. */
    duk_get_prop_literal(ctx, 0, "Object");
    duk_get_prop_literal(ctx, -1, "prototype");
    eider_js_of(ctx)->object_proto = duk_get_heapptr(ctx, -1);
    duk_pop_2(ctx);
    duk_get_prop_literal(ctx, 0, "Array");
    duk_get_prop_literal(ctx, -1, "prototype");
    eider_js_of(ctx)->array_proto = duk_get_heapptr(ctx, -1);
    duk_pop_2(ctx);
    duk_get_prop_literal(ctx, 0, "JSON");
    duk_push_c_function(ctx, json_parse, DUK_VARARGS);
    duk_push_literal(ctx, "name");
    duk_push_literal(ctx, "parse");
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_FORCE);
    duk_push_literal(ctx, "length");
    duk_push_int(ctx, 2);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_FORCE);
    duk_get_prop_literal(ctx, -2, "parse");          /* Duktape's, for revivers */
    duk_put_prop_literal(ctx, -2, DUK_HIDDEN_SYMBOL("parse"));
    duk_push_literal(ctx, "parse");
    duk_dup(ctx, -2);
    duk_def_prop(ctx, -4, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE
                 | DUK_DEFPROP_CLEAR_ENUMERABLE | DUK_DEFPROP_SET_CONFIGURABLE);
    duk_pop_2(ctx);
}
