/*
 * Layering: formatting only, below the connection layer and the HTTP
 * glue alike (the gate's own 408/4xx and http.c's answers); it includes
 * neither.
 *
 * The head of a whole answer, formatted by eider instead of evhttp.
 * evhttp_send_reply looks its headers up one by one and prints each line
 * with evbuffer_add_printf: about 11,000 of the 55,000 instructions a
 * /hello request cost (callgrind). Here it is one pass over evhttp's
 * output header list into one buffer. The Connection header is settled in
 * that list first, as evhttp would settle it, because evhttp decides from
 * the same list whether to keep the connection once the answer is out.
 */
#include "http_answer.h"

#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include "log.h"

static int header_is(const char *value, const char *want)
{
    return value != NULL && evutil_ascii_strcasecmp(value, want) == 0;
}

/* evhttp's own rules (evhttp_make_header_response, evhttp_send_done): an
 * HTTP/1.0 client gets its keep-alive confirmed; a client that said
 * "Connection: close" gets it said back, and the connection closes. */
static void settle_connection(struct evhttp_request *req)
{
    struct evkeyvalq *in = evhttp_request_get_input_headers(req);
    struct evkeyvalq *out = evhttp_request_get_output_headers(req);
    const char *c = evhttp_find_header(in, "Connection");

    if (c == NULL)
        return;
    if (header_is(c, "close")) {
        evhttp_remove_header(out, "Connection");
        evhttp_add_header(out, "Connection", "close");
    } else if (req->major == 1 && req->minor == 0 && evutil_ascii_strncasecmp(c, "keep-alive", 10) == 0
               && evhttp_find_header(out, "Connection") == NULL) {
        evhttp_add_header(out, "Connection", "keep-alive");
    }
}

/* Appends S (N bytes) at P; returns the end. */
static char *put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

/* Writes V in decimal at P; returns the end. */
static char *put_number(char *p, unsigned long long v)
{
    char tmp[24];
    size_t n = 0;

    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

int eider_answer_body_allowed(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

/* 1 if header name KEY, LEN bytes long, is NAME (LEN bytes too),
 * ignoring ASCII case: the length first, as most names differ in it. */
static int name_is(const char *key, size_t len, const char *name, size_t name_len)
{
    return len == name_len && evutil_ascii_strcasecmp(key, name) == 0;
}

/* Lines of a list measured once for both passes; a longer list is
 * measured again in the second. */
#define MEASURED 16

int eider_answer_format(struct eider_answer_head *h, int minor, int status, const char *reason,
                        const struct eider_answer_own *own, const struct evkeyvalq *headers,
                        size_t content_length)
{
    static const struct eider_answer_own none;
    const struct evkeyval *kv;
    size_t rlen = strlen(reason), need, klen[MEASURED], vlen[MEASURED];
    /* The list's own Content-Length is dropped unless it is the one to say. */
    int listed = content_length == EIDER_ANSWER_LISTED_LENGTH;
    int append = !listed && content_length != EIDER_ANSWER_NO_LENGTH;
    const char *type;
    size_t n = 0, tlen = 0;
    char *p;

    if (own == NULL)
        own = &none;
    type = own->type;
    /* "HTTP/1.1 200 " reason CRLF, "Content-Length: " 20 digits CRLF, CRLF */
    need = 13 + rlen + 2 + 16 + 20 + 2 + 2;
    TAILQ_FOREACH(kv, headers, next) {
        size_t k = strlen(kv->key), v = strlen(kv->value);
        if (n < MEASURED)
            klen[n] = k, vlen[n] = v;
        n++;
        if (type != NULL && name_is(kv->key, k, "Content-Type", 12))
            type = NULL;   /* the handler's own */
        need += k + 2 + v + 2;
    }
    if (own->id != NULL)
        need += 14 + strlen(own->id) + 2;
    if (own->date != NULL)
        need += 6 + strlen(own->date) + 2;
    if (type != NULL)
        need += 14 + (tlen = strlen(type)) + 2;
    /* Its size comes from the handler's headers: plain malloc, checked. */
    h->data = need <= sizeof(h->small) ? h->small : malloc(need);
    if (h->data == NULL)
        return -1;
    p = put(h->data, "HTTP/1.", 7);
    *p++ = minor == 0 ? '0' : '1';
    *p++ = ' ';
    p = put_number(p, (unsigned)status % 1000);
    *p++ = ' ';
    p = put(p, reason, rlen);
    p = put(p, "\r\n", 2);
    if (own->id != NULL) {
        p = put(p, "X-Request-Id: ", 14);
        p = put(p, own->id, strlen(own->id));
        p = put(p, "\r\n", 2);
    }
    if (own->date != NULL) {
        p = put(p, "Date: ", 6);
        p = put(p, own->date, strlen(own->date));
        p = put(p, "\r\n", 2);
    }
    n = 0;
    TAILQ_FOREACH(kv, headers, next) {
        size_t k = n < MEASURED ? klen[n] : strlen(kv->key);
        size_t v = n < MEASURED ? vlen[n] : strlen(kv->value);
        n++;
        if (!listed && name_is(kv->key, k, "Content-Length", 14))
            continue;
        p = put(p, kv->key, k);
        p = put(p, ": ", 2);
        p = put(p, kv->value, v);
        p = put(p, "\r\n", 2);
    }
    if (type != NULL) {
        p = put(p, "Content-Type: ", 14);
        p = put(p, type, tlen);
        p = put(p, "\r\n", 2);
    }
    if (append) {
        p = put(p, "Content-Length: ", 16);
        p = put_number(p, content_length);
        p = put(p, "\r\n", 2);
    }
    p = put(p, "\r\n", 2);
    h->len = (size_t)(p - h->data);
    return 0;
}

int eider_answer_head(struct eider_answer_head *h, struct evhttp_request *req, int status,
                      const char *reason, const struct eider_answer_own *own,
                      size_t content_length)
{
    settle_connection(req);
    /* None for 1xx and 204 (RFC 9110 8.6); none for 304, whose body eider
     * drops, rather than the length of that body. */
    return eider_answer_format(h, req->minor, status, reason, own,
                               evhttp_request_get_output_headers(req),
                               eider_answer_body_allowed(status) ? content_length
                                                                 : EIDER_ANSWER_NO_LENGTH);
}

void eider_answer_head_free(struct eider_answer_head *h)
{
    if (h->data != h->small)
        free(h->data);
    h->data = NULL;
}

/* The Date header value, formatted at most once a second. evhttp would
 * format it for every answer (callgrind: 6% of a small request). */
const char *eider_http_date(void)
{
    static char buf[40];
    static time_t cached = -1;
    time_t now = time(NULL);

    if (now != cached) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
        cached = now;
    }
    return buf;
}

/* Copies IN into OUT (OUTLEN bytes) for the access log the way nginx
 * does: '"', '\\' and non-printable bytes become \xHH, so a client cannot
 * forge fields or lines. Truncates; returns OUT. */
static const char *log_escape(const char *in, char *out, size_t outlen)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    if (in == NULL)
        in = "-";
    for (; *in && o + 5 < outlen; in++) {
        unsigned char c = (unsigned char)*in;
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return out;
}

void eider_answer_log_line(int sink, const char *peer, const char *request, int status,
                           size_t bytes, const char *referer_in, const char *agent_in,
                           double elapsed, const char *id)
{
    char line[4096], req[2048], referer[512], agent[512];
    int n;

    if (!eider_access_enabled(sink))
        return;
    n = snprintf(line, sizeof(line), "%s - - [%s] \"%s\" %d %zu \"%s\" \"%s\" %.3f %s\n",
                     peer, eider_log_time_local(), log_escape(request, req, sizeof(req)), status,
                     bytes, log_escape(referer_in, referer, sizeof(referer)),
                     log_escape(agent_in, agent, sizeof(agent)), elapsed, id);

    if (n > 0)
        eider_access_append(sink, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

const char *eider_http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 505: return "HTTP Version Not Supported";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default:  return status < 300 ? "OK" : status < 400 ? "Redirect" : status < 500 ? "Client Error" : "Server Error";
    }
}

int eider_http_error_body(int status, const char *id, char *out, size_t len)
{
    return snprintf(out, len, "{\"error\":\"%s\",\"status\":%d,\"requestId\":\"%s\"}\n",
                    eider_http_reason(status), status, id);
}
