/*
 * Strict request framing in front of evhttp. evhttp 2.1 parses leniently
 * (bare LF, obs-fold, values read as C strings, "5 " as a chunk size...),
 * and two parsers that disagree about where a message ends are a request
 * smuggling hole. So this one frames every request by the RFC, rejects
 * whatever could be read two ways, and hands evhttp a canonical stream
 * that has only one reading.
 *
 * Head and trailer lines are validated whole: a line is taken straight
 * from the caller's span when it is all there, and copied into a buffer
 * only when it arrives in pieces. Chunk-size lines are checked byte by
 * byte (nothing of them is passed on but the size), bodies pass as spans.
 */
#include "http_strict.h"

#include <stdlib.h>
#include <string.h>

/* At most this many empty lines before a request line (RFC 9112 2.2 lets
 * a server skip "at least one"; a stream of them is not a client). */
#define MAX_EMPTY_LINES 8
/* Content-Length above 2^53 is refused: no real body is that large, and
 * it keeps every later sum far from overflow. */
#define MAX_CONTENT_LENGTH (UINT64_C(1) << 53)
#define MAX_CHUNK_DIGITS 15

_Static_assert(sizeof(struct eider_strict) <= 128, "eider_strict grew: 10,000 idle connections hold one each");

enum {
    S_IDLE,         /* between requests, at the start of a line */
    S_IDLE_LF,      /* an empty line's CR seen */
    S_REQLINE,      /* line states: bytes gathered up to LF */
    S_FIELD,
    S_TRAILER,
    S_BODY,         /* Content-Length body */
    S_CK_SIZE,      /* chunk-size line, byte by byte */
    S_CK_WS,        /* BWS that must lead to ";" */
    S_CK_NAME0,     /* after ";": BWS then an extension name */
    S_CK_NAME,
    S_CK_NAME_WS,   /* BWS after a name: ";" or "=" must follow */
    S_CK_VAL0,      /* after "=": BWS then token or quoted-string */
    S_CK_VTOK,
    S_CK_QUOTED,
    S_CK_QESC,
    S_CK_AFTER_Q,
    S_CK_LF,        /* the chunk line's CR seen */
    S_CK_DATA,
    S_CK_DATA_CR,
    S_CK_DATA_LF
};

enum {
    F_HOST = 0x01,      /* a Host field was seen (a second one fails) */
    F_CL = 0x02,        /* a Content-Length was seen; its value is in left */
    F_CHUNKED = 0x04,
    F_HEAD = 0x08       /* a HEAD request: evhttp 2.1 reads no body for it */
};

/* Byte classes, one bit each. */
enum { C_TCHAR = 0x01, C_VALUE = 0x02, C_TARGET = 0x04, C_HOST = 0x08, C_HEX = 0x10, C_QDTEXT = 0x20 };

/* tchar (RFC 9110 5.6.2); field-value bytes VCHAR / obs-text / SP / HTAB;
 * request-target bytes 0x21-0x7e; Host bytes (reg-name, IP-literal and
 * port characters); HEXDIG; qdtext. */
static const unsigned char cls[256] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,   /* 00 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,   /* 10 */
    0x22, 0x2f, 0x06, 0x27, 0x2f, 0x2f, 0x2f, 0x2f, 0x2e, 0x2e, 0x2f, 0x2f, 0x2e, 0x2f, 0x2f, 0x26,   /* 20 */
    0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x2e, 0x2e, 0x26, 0x2e, 0x26, 0x26,   /* 30 */
    0x26, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f,   /* 40 */
    0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2e, 0x06, 0x2e, 0x27, 0x2f,   /* 50 */
    0x27, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f,   /* 60 */
    0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x26, 0x27, 0x26, 0x2f, 0x00,   /* 70 */
    0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,   /* 80 */
    0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,   /* 90 */
    0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,   /* a0 */
    0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,   /* b0 */
    0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,   /* c0 */
    0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,   /* d0 */
    0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,   /* e0 */
    0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,   /* f0 */
};

#define IS(c, k) (cls[(unsigned char)(c)] & (k))
#define IS_WS(c) ((c) == ' ' || (c) == '\t')

/* Records the first error and drops the line buffer: a dead stream keeps
 * nothing. Returns STATUS. */
static int fail(struct eider_strict *s, int status, const char *why)
{
    s->status = (uint16_t)status;
    s->why = why;
    free(s->line);
    s->line = NULL;
    s->line_len = s->line_cap = 0;
    return status;
}

/* Takes a byte that is not allowed where it stands; returns the reason,
 * naming the byte classes that smuggling tools like to try. */
static const char *bad_byte(unsigned char c, int where_trailer)
{
    if (c == '\0')
        return where_trailer ? "NUL in trailer" : "NUL in header";
    if (c == '\r')
        return where_trailer ? "bare CR in trailer" : "bare CR in header";
    if (c < 0x20 || c == 0x7f)
        return where_trailer ? "control character in trailer" : "control character in header";
    return where_trailer ? "invalid character in trailer" : "invalid character in header";
}

/* Emits N bytes at P. */
static inline void out(struct eider_strict *s, const void *p, size_t n)
{
    s->hooks.emit(s->hooks.arg, p, n);
}

/* 1 if the N bytes at A equal LOWER ignoring ASCII case. LOWER holds only
 * lowercase letters and bytes with bit 0x20 set ("-:/"), so OR-ing 0x20
 * folds letters and otherwise lets through only control bytes (CR onto
 * '-', ...), which every caller has refused before comparing. */
static int ci_eq(const unsigned char *a, const char *lower, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((a[i] | 0x20) != (unsigned char)lower[i])
            return 0;
    return 1;
}

/* The first byte of a request line has arrived: forget the last request's
 * flags and tell the hook. */
static void start_request(struct eider_strict *s)
{
    s->state = S_REQLINE;
    s->flags = 0;
    s->version = 11;
    s->count = 0;
    s->left = 0;
    if (s->hooks.begin)
        s->hooks.begin(s->hooks.arg);
}

/* The request (body included) is complete: back to waiting. */
static void finish_request(struct eider_strict *s)
{
    s->state = S_IDLE;
    s->empties = 0;
    if (s->hooks.done)
        s->hooks.done(s->hooks.arg);
}

/* Appends N bytes of a line that arrived in pieces. The limit check that
 * runs first guarantees line_len + N <= max_header, so the buffer never
 * grows past it. 0, or -1 when malloc fails. */
static int append(struct eider_strict *s, const unsigned char *p, size_t n)
{
    size_t need = s->line_len + n;

    if (need > s->line_cap) {
        size_t cap = s->line_cap ? s->line_cap : 256;
        unsigned char *nb;
        while (cap < need)
            cap *= 2;
        if (cap > s->max_header)
            cap = s->max_header;
        /* Sized by the request, bounded by max_header: a failure refuses it. */
        if ((nb = realloc(s->line, cap)) == NULL)
            return -1;
        s->line = nb;
        s->line_cap = cap;
    }
    memcpy(s->line + s->line_len, p, n);
    s->line_len = need;
    return 0;
}

/* 1 if A (N bytes) is an authority as RFC 3986 has it: an IP-literal in
 * brackets or a host without ':', then an optional ":port" of at most 5
 * digits up to 65535. evhttp's URI parser refuses others with its own
 * HTML page, or reads an unclosed "[::1" as a host. Bytes are checked by
 * the caller. */
static int authority_ok(const unsigned char *a, size_t n)
{
    size_t i = 0, port = 0;
    unsigned long v = 0;

    if (n > 0 && a[0] == '[') {
        while (i < n && a[i] != ']')
            i++;
        if (i == n || i < 2)
            return 0;
        i++;
    } else {
        while (i < n && a[i] != ':' && a[i] != '[' && a[i] != ']')
            i++;
    }
    if (i == n)
        return 1;
    if (a[i] != ':')
        return 0;
    for (i++; i < n; i++, port++) {
        if (a[i] < '0' || a[i] > '9' || port == 5)
            return 0;
        v = v * 10 + (unsigned long)(a[i] - '0');
    }
    return v <= 65535;
}

/* 1 if the token M (N bytes) is a method eider serves. Methods are case
 * sensitive: "get" is a valid token for another method, so 501. */
static int known_method(const unsigned char *m, size_t n)
{
    switch (n) {
    case 3: return memcmp(m, "GET", 3) == 0 || memcmp(m, "PUT", 3) == 0;
    case 4: return memcmp(m, "HEAD", 4) == 0 || memcmp(m, "POST", 4) == 0;
    case 5: return memcmp(m, "PATCH", 5) == 0;
    case 6: return memcmp(m, "DELETE", 6) == 0;
    case 7: return memcmp(m, "OPTIONS", 7) == 0;
    default: return 0;
    }
}

/* Validates a request line L of N bytes (no CRLF). 0 or the status. The
 * version is read first so that the gate can answer any error in the
 * request's own version. */
static int request_line(struct eider_strict *s, const unsigned char *l, size_t n)
{
    const unsigned char *sp1, *sp2 = memrchr(l, ' ', n), *t, *v = sp2 ? sp2 + 1 : l + n;
    size_t ml, tl;
    int version_ok = l + n - v == 8 && memcmp(v, "HTTP/1.", 7) == 0 && (v[7] == '1' || v[7] == '0');

    if (version_ok)
        s->version = v[7] == '1' ? 11 : 10;
    for (size_t i = 0; i < n; i++)
        if (!IS(l[i], C_TARGET) && l[i] != ' ')
            return fail(s, 400, l[i] == '\0' ? "NUL in request line"
                                : l[i] == '\r' ? "bare CR in request line"
                                : l[i] >= 0x80 ? "non-ASCII byte in request line"
                                : "control character in request line");
    sp1 = memchr(l, ' ', n);
    if (sp1 == NULL || sp2 == sp1)
        return fail(s, 400, "malformed request line");
    if (!version_ok) {
        if (l + n - v == 8 && memcmp(v, "HTTP/", 5) == 0 && v[5] >= '0' && v[5] <= '9'
            && v[6] == '.' && v[7] >= '0' && v[7] <= '9')
            return fail(s, 505, "HTTP version not supported");
        return fail(s, 400, "malformed HTTP version");
    }

    ml = (size_t)(sp1 - l);
    if (ml == 0)
        return fail(s, 400, "malformed request line");
    for (size_t i = 0; i < ml; i++)
        if (!IS(l[i], C_TCHAR))
            return fail(s, 400, "invalid method");
    if (!known_method(l, ml))
        return fail(s, 501, "method not implemented");
    if (ml == 4 && memcmp(l, "HEAD", 4) == 0)
        s->flags |= F_HEAD;

    /* Only one space each side: any other lands inside the target. */
    t = sp1 + 1;
    tl = (size_t)(sp2 - t);
    if (tl == 0)
        return fail(s, 400, "empty request target");
    if (memchr(t, ' ', tl) != NULL)
        return fail(s, 400, "space in request target");
    if (t[0] == '/')
        return 0;
    if (tl == 1 && t[0] == '*')
        return ml == 7 ? 0 : fail(s, 400, "asterisk target outside OPTIONS");
    if ((tl > 7 && ci_eq(t, "http://", 7)) || (tl > 8 && ci_eq(t, "https://", 8))) {
        const unsigned char *a = t + (t[4] == ':' ? 7 : 8), *end = t + tl, *e = a;
        while (e < end && *e != '/' && *e != '?' && *e != '#')
            e++;
        for (const unsigned char *p = a; p < e; p++)
            if (!IS(*p, C_HOST))
                return fail(s, 400, "invalid authority in request target");
        if (e == a || a[0] == ':' || !authority_ok(a, (size_t)(e - a)))
            return fail(s, 400, "invalid authority in request target");
        return 0;
    }
    return fail(s, 400, "invalid request target");
}

/* Splits a field line L of N > 0 bytes (no CRLF) into its name (*NL bytes
 * at L) and its value (*V, *VL) without the OWS around it. Validates every
 * byte. 0 or 400. */
static int split_field(struct eider_strict *s, const unsigned char *l, size_t n,
                       size_t *nl, const unsigned char **v, size_t *vl, int trailer)
{
    size_t i = 0, b, e;

    if (IS_WS(l[0]))
        return fail(s, 400, trailer ? "obs-fold in trailer" : "obs-fold in header");
    while (i < n && IS(l[i], C_TCHAR))
        i++;
    if (i == n)
        return fail(s, 400, trailer ? "trailer line without colon" : "header line without colon");
    if (l[i] != ':') {
        if (IS_WS(l[i]))
            return fail(s, 400, "whitespace before colon");
        return fail(s, 400, IS(l[i], C_VALUE) ? (trailer ? "invalid trailer name" : "invalid header name")
                                              : bad_byte(l[i], trailer));
    }
    if (i == 0)
        return fail(s, 400, trailer ? "empty trailer name" : "empty header name");
    for (size_t j = i + 1; j < n; j++)
        if (!IS(l[j], C_VALUE))
            return fail(s, 400, bad_byte(l[j], trailer));
    b = i + 1;
    e = n;
    while (b < e && IS_WS(l[b]))
        b++;
    while (e > b && IS_WS(l[e - 1]))
        e--;
    *nl = i;
    *v = l + b;
    *vl = e - b;
    return 0;
}

/* Content-Length: 1*DIGIT, nothing else (no sign, no list, no spaces). */
static int content_length(struct eider_strict *s, const unsigned char *v, size_t vl)
{
    uint64_t n = 0;

    if (s->flags & F_CL)
        return fail(s, 400, "duplicate Content-Length");
    if (s->flags & F_CHUNKED)
        return fail(s, 400, "Content-Length with Transfer-Encoding");
    if (vl == 0)
        return fail(s, 400, "empty Content-Length");
    for (size_t i = 0; i < vl; i++) {
        if (v[i] < '0' || v[i] > '9')
            return fail(s, 400, "invalid Content-Length");
        n = n * 10 + (uint64_t)(v[i] - '0');
        if (n > MAX_CONTENT_LENGTH)
            return fail(s, 400, "Content-Length too large");
    }
    s->flags |= F_CL;
    s->left = n;
    return 0;
}

/* Transfer-Encoding: the one accepted value is "chunked". A well-formed
 * list naming any other coding is valid HTTP that eider does not
 * implement: 501, as RFC 9112 6.1 and nginx say; a malformed list, or
 * chunked twice, leaves the body's end unknowable: 400. Both close. */
static int transfer_encoding(struct eider_strict *s, const unsigned char *v, size_t vl)
{
    const unsigned char *p = v, *end = v + vl;
    int other = 0, chunked = 0;

    if (s->version == 10)
        return fail(s, 400, "Transfer-Encoding in HTTP/1.0");
    if (s->flags & F_CHUNKED)
        return fail(s, 400, "duplicate Transfer-Encoding");
    if (s->flags & F_CL)
        return fail(s, 400, "Content-Length with Transfer-Encoding");
    for (;;) {
        const unsigned char *comma = memchr(p, ',', (size_t)(end - p));
        const unsigned char *b = p, *e = comma ? comma : end;
        while (b < e && IS_WS(*b))
            b++;
        while (e > b && IS_WS(e[-1]))
            e--;
        if (b == e)
            return fail(s, 400, "empty transfer coding");
        for (const unsigned char *q = b; q < e; q++)
            if (!IS(*q, C_TCHAR))
                return fail(s, 400, "invalid transfer coding");
        if (e - b == 7 && ci_eq(b, "chunked", 7))
            chunked++;
        else
            other = 1;
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    if (other)
        return fail(s, 501, "transfer coding not implemented");
    if (chunked > 1)
        return fail(s, 400, "chunked applied more than once");
    s->flags |= F_CHUNKED;
    return 0;
}

/* A header field line L of N > 0 bytes (no CRLF; the CRLF follows at L +
 * N): validated, checked for the framing fields, then emitted as
 * "Name: value\r\n" (one span when it already is). 0 or the status. */
static int header_field(struct eider_strict *s, const unsigned char *l, size_t n)
{
    const unsigned char *v;
    size_t nl, vl;
    int rc = 0;

    if ((rc = split_field(s, l, n, &nl, &v, &vl, 0)) != 0)
        return rc;
    if (nl == 4 && ci_eq(l, "host", 4)) {
        if (s->flags & F_HOST)
            return fail(s, 400, "duplicate Host");
        for (size_t i = 0; i < vl; i++)
            if (!IS(v[i], C_HOST))
                return fail(s, 400, "invalid Host");
        if (!authority_ok(v, vl))
            return fail(s, 400, "invalid Host");
        s->flags |= F_HOST;
    } else if (nl == 14 && ci_eq(l, "content-length", 14)) {
        rc = content_length(s, v, vl);
    } else if (nl == 17 && ci_eq(l, "transfer-encoding", 17)) {
        rc = transfer_encoding(s, v, vl);
    } else if (nl == 6 && ci_eq(l, "expect", 6) && s->version == 11
               && !(vl == 12 && ci_eq(v, "100-continue", 12))) {
        /* the only expectation defined (RFC 9110 10.1.1); evhttp would
         * answer any other itself, with an HTML page */
        rc = fail(s, 417, "unsupported Expect");
    }
    if (rc != 0)
        return rc;
    if (vl == 0 ? n == nl + 1 : (l[nl + 1] == ' ' && v == l + nl + 2 && v + vl == l + n)) {
        out(s, l, n + 2);
    } else {
        out(s, l, nl + 1);
        if (vl > 0) {
            out(s, " ", 1);
            out(s, v, vl);
        }
        out(s, "\r\n", 2);
    }
    return 0;
}

/* The head's empty line: the checks that need the whole head, then the
 * CRLF that lets evhttp act on it. 0 or the status. */
static int end_of_head(struct eider_strict *s)
{
    if (!(s->flags & F_HOST) && s->version == 11)
        return fail(s, 400, "missing Host");
    if ((s->flags & F_CL) && s->left > s->max_body)
        return fail(s, 413, "Content-Length over the body size limit");
    /* evhttp 2.1 never reads a HEAD request's body: it would parse the
     * body as the next request, one this validator never saw as one. */
    if ((s->flags & F_HEAD) && ((s->flags & F_CHUNKED) || ((s->flags & F_CL) && s->left > 0)))
        return fail(s, 400, "HEAD request with a body");
    out(s, "\r\n", 2);
    free(s->line);
    s->line = NULL;
    s->line_len = s->line_cap = 0;
    s->count = 0;
    if (s->flags & F_CHUNKED) {
        s->state = S_CK_SIZE;
        s->left = 0;
        s->total = 0;
        s->digits = 0;
    } else {
        s->state = S_BODY;   /* left: the Content-Length, or 0 */
    }
    if (s->hooks.head)
        s->hooks.head(s->hooks.arg);
    if (s->state == S_BODY && s->left == 0)
        finish_request(s);
    return 0;
}

/* A complete line L of N bytes (no CRLF) in one of the line states. */
static int line_done(struct eider_strict *s, const unsigned char *l, size_t n)
{
    const unsigned char *v;
    size_t nl, vl;
    int rc;

    switch (s->state) {
    case S_REQLINE:
        if ((rc = request_line(s, l, n)) != 0)
            return rc;
        out(s, l, n + 2);   /* validated means canonical already */
        s->state = S_FIELD;
        return 0;
    case S_FIELD:
        return n == 0 ? end_of_head(s) : header_field(s, l, n);
    default:   /* S_TRAILER: checked like a header, then dropped */
        if (n > 0)
            return split_field(s, l, n, &nl, &v, &vl, 1);
        out(s, "0\r\n\r\n", 5);
        free(s->line);
        s->line = NULL;
        s->line_len = s->line_cap = 0;
        finish_request(s);
        return 0;
    }
}

/* Takes the bytes of the current head or trailer line from P (before
 * END): up to and including its LF, or all of them if it has none yet.
 * Returns how many it took; sets *RC on error. */
static size_t take_line(struct eider_strict *s, const unsigned char *p, const unsigned char *end,
                        int *rc)
{
    size_t avail = (size_t)(end - p);
    const unsigned char *lf = memchr(p, '\n', avail);
    size_t take = lf ? (size_t)(lf - p) + 1 : avail;
    size_t have = s->line_len + take;
    const unsigned char *l = p;

    /* A line without its LF yet needs one more byte: if that cannot fit,
     * fail now rather than buffer a line that is already too long. */
    if (have + (lf ? 0 : 1) > s->max_header - s->count) {
        *rc = s->state == S_REQLINE ? fail(s, 414, "request line too long")
            : s->state == S_FIELD ? fail(s, 431, "request header too large")
            : fail(s, 431, "trailer section too large");
        return take;
    }
    if (lf == NULL || s->line_len > 0) {
        if (append(s, p, take) < 0) {
            *rc = fail(s, 500, "out of memory");
            return take;
        }
        if (lf == NULL)
            return take;
        l = s->line;
        s->line_len = 0;
    }
    s->count += have;
    if (have < 2 || l[have - 2] != '\r') {
        *rc = fail(s, 400, s->state == S_REQLINE ? "bare LF in request line"
                           : s->state == S_FIELD ? "bare LF in header" : "bare LF in trailer");
        return take;
    }
    *rc = line_done(s, l, have - 2);
    return take;
}

/* The chunk-size line is complete: pass on the size, drop the extensions. */
static int chunk_line_done(struct eider_strict *s)
{
    char buf[24];
    size_t k = sizeof(buf);
    uint64_t size = s->left;

    s->count = 0;
    if (size == 0) {
        s->state = S_TRAILER;
        return 0;
    }
    if (size > UINT64_MAX - s->total || s->total + size > s->max_body)
        return fail(s, 413, "chunked body over the body size limit");
    s->total += size;
    buf[--k] = '\n';
    buf[--k] = '\r';
    do {
        buf[--k] = "0123456789abcdef"[size & 15];
        size >>= 4;
    } while (size);
    out(s, buf + k, sizeof(buf) - k);
    s->state = S_CK_DATA;
    return 0;
}

/* Reads chunk-size line bytes from P (before END):
 *   chunk-size *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] ) CRLF
 * Returns how many it took, stopping after the line's LF; sets *RC on
 * error. */
static size_t chunk_line(struct eider_strict *s, const unsigned char *p, const unsigned char *end,
                         int *rc)
{
    const unsigned char *start = p;

    while (p < end) {
        unsigned char c = *p++;
        if (++s->count > s->max_header) {
            *rc = fail(s, 400, "chunk line too long");
            break;
        }
        if (c == '\n' && s->state != S_CK_LF) {
            *rc = fail(s, 400, "bare LF in chunk line");
            break;
        }
        switch (s->state) {
        case S_CK_SIZE:
            if (IS(c, C_HEX)) {
                if (s->digits == MAX_CHUNK_DIGITS) {
                    *rc = fail(s, 400, "chunk size too long");
                    break;
                }
                s->digits++;
                s->left = s->left << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
                continue;
            }
            if (s->digits == 0) {
                *rc = fail(s, 400, "invalid chunk size");
                break;
            }
            if (c == ';')
                s->state = S_CK_NAME0;
            else if (IS_WS(c))
                s->state = S_CK_WS;
            else if (c == '\r')
                s->state = S_CK_LF;
            else
                *rc = fail(s, 400, "invalid chunk size");
            break;
        case S_CK_WS:
            if (c == ';')
                s->state = S_CK_NAME0;
            else if (!IS_WS(c))
                *rc = fail(s, 400, "invalid chunk extension");
            break;
        case S_CK_NAME0:
            if (IS(c, C_TCHAR))
                s->state = S_CK_NAME;
            else if (!IS_WS(c))
                *rc = fail(s, 400, "invalid chunk extension");
            break;
        case S_CK_NAME:
        case S_CK_NAME_WS:
            if (c == ';')
                s->state = S_CK_NAME0;
            else if (c == '=')
                s->state = S_CK_VAL0;
            else if (IS_WS(c))
                s->state = S_CK_NAME_WS;
            else if (s->state == S_CK_NAME && c == '\r')
                s->state = S_CK_LF;
            else if (s->state != S_CK_NAME || !IS(c, C_TCHAR))
                *rc = fail(s, 400, "invalid chunk extension");
            break;
        case S_CK_VAL0:
            if (IS(c, C_TCHAR))
                s->state = S_CK_VTOK;
            else if (c == '"')
                s->state = S_CK_QUOTED;
            else if (!IS_WS(c))
                *rc = fail(s, 400, "invalid chunk extension");
            break;
        case S_CK_QUOTED:
            if (c == '"')
                s->state = S_CK_AFTER_Q;
            else if (c == '\\')
                s->state = S_CK_QESC;
            else if (!IS(c, C_QDTEXT))
                *rc = fail(s, 400, "invalid chunk extension");
            break;
        case S_CK_QESC:
            if (IS(c, C_VALUE))
                s->state = S_CK_QUOTED;
            else
                *rc = fail(s, 400, "invalid chunk extension");
            break;
        case S_CK_VTOK:
        case S_CK_AFTER_Q:
            if (c == ';')
                s->state = S_CK_NAME0;
            else if (IS_WS(c))
                s->state = S_CK_WS;
            else if (c == '\r')
                s->state = S_CK_LF;
            else if (s->state != S_CK_VTOK || !IS(c, C_TCHAR))
                *rc = fail(s, 400, "invalid chunk extension");
            break;
        default:   /* S_CK_LF */
            if (c != '\n')
                *rc = fail(s, 400, "bare CR in chunk line");
            else
                *rc = chunk_line_done(s);
            return (size_t)(p - start);
        }
        if (*rc)
            break;
    }
    return (size_t)(p - start);
}

void eider_strict_init(struct eider_strict *s, const struct eider_strict_limits *lim,
                       const struct eider_strict_hooks *h)
{
    memset(s, 0, sizeof(*s));
    s->hooks = *h;
    s->max_header = lim->max_header;
    s->max_body = lim->max_body;
    s->state = S_IDLE;
    s->version = 11;
}

void eider_strict_free(struct eider_strict *s)
{
    free(s->line);
    s->line = NULL;
    s->line_len = s->line_cap = 0;
}

int eider_strict_feed(struct eider_strict *s, const void *data, size_t len)
{
    const unsigned char *p = data, *end = p + len;
    int rc = 0;

    if (s->status)
        return s->status;
    while (p < end && rc == 0) {
        size_t n;
        switch (s->state) {
        case S_IDLE:
            if (*p == '\r') {
                s->state = S_IDLE_LF;
                p++;
                break;
            }
            start_request(s);
            if (*p == '\n')
                rc = fail(s, 400, "bare LF before request line");
            break;
        case S_IDLE_LF:
            if (*p != '\n') {
                start_request(s);
                rc = fail(s, 400, "bare CR before request line");
                break;
            }
            p++;
            s->state = S_IDLE;
            if (++s->empties > MAX_EMPTY_LINES) {
                start_request(s);
                rc = fail(s, 400, "too many empty lines before request line");
            }
            break;
        case S_REQLINE:
        case S_FIELD:
        case S_TRAILER:
            p += take_line(s, p, end, &rc);
            break;
        case S_BODY:
        case S_CK_DATA:
            n = (size_t)(end - p);
            if (n > s->left)
                n = (size_t)s->left;
            out(s, p, n);
            p += n;
            s->left -= n;
            if (s->left == 0) {
                if (s->state == S_BODY)
                    finish_request(s);
                else
                    s->state = S_CK_DATA_CR;
            }
            break;
        case S_CK_DATA_CR:
            if (*p++ != '\r')
                rc = fail(s, 400, "chunk data not followed by CRLF");
            else
                s->state = S_CK_DATA_LF;
            break;
        case S_CK_DATA_LF:
            if (*p++ != '\n') {
                rc = fail(s, 400, "chunk data not followed by CRLF");
                break;
            }
            out(s, "\r\n", 2);
            s->state = S_CK_SIZE;
            s->left = 0;
            s->digits = 0;
            s->count = 0;
            break;
        default:
            p += chunk_line(s, p, end, &rc);
            break;
        }
    }
    return rc;
}

const char *eider_strict_why(const struct eider_strict *s)
{
    return s->why;
}

enum eider_strict_phase eider_strict_phase(const struct eider_strict *s)
{
    switch (s->state) {
    case S_IDLE:
    case S_IDLE_LF:
        return EIDER_STRICT_IDLE;
    case S_REQLINE:
    case S_FIELD:
        return EIDER_STRICT_HEAD;
    default:
        return EIDER_STRICT_BODY;
    }
}

int eider_strict_version(const struct eider_strict *s)
{
    return s->version;
}
