/*
 * URLs for the HTTP client: parsing what fetch() is given, and resolving
 * a redirect's Location against the URL it came from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>

#include "alloc.h"
#include "http_client_internal.h"

/* s with bytes URLs cannot carry (controls, space, non-ASCII, quotes,
 * angle brackets, backquote) percent-encoded; malloc'd. */
static char *encode_unsafe(const char *s)
{
    size_t n = 0;
    char *out, *o;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p <= ' ' || *p >= 127 || strchr("\"<>`", *p)) ? 3 : 1;
    out = o = eider_malloc(n + 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= ' ' || *p >= 127 || strchr("\"<>`", *p))
            o += sprintf(o, "%%%02X", *p);
        else
            *o++ = (char)*p;
    }
    *o = '\0';
    return out;
}

/* Through evhttp_uri (lenient about characters), after encode_unsafe():
 * http/https only, a host, no credentials, the port defaulted. */
int hc_url_parse(struct hc_url *u, const char *url, char *err, size_t errlen)
{
    struct evhttp_uri *uri;
    const char *scheme, *host, *path, *query;
    char *enc;
    int port;
    size_t hl;

    memset(u, 0, sizeof(*u));
    enc = encode_unsafe(url);
    uri = enc ? evhttp_uri_parse_with_flags(enc, EVHTTP_URI_NONCONFORMANT) : NULL;
    free(enc);
    if (uri == NULL || (scheme = evhttp_uri_get_scheme(uri)) == NULL) {
        snprintf(err, errlen, "Invalid URL: %s", url);
        goto fail;
    }
    if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
        snprintf(err, errlen, "unsupported URL scheme \"%s:\"", scheme);
        goto fail;
    }
    host = evhttp_uri_get_host(uri);
    if (host == NULL || *host == '\0' || strcmp(host, "[]") == 0) {
        snprintf(err, errlen, "Invalid URL: %s", url);
        goto fail;
    }
    if (evhttp_uri_get_userinfo(uri) != NULL) {
        snprintf(err, errlen, "URL includes credentials: %s", url);
        goto fail;
    }
    u->https = strcasecmp(scheme, "https") == 0;
    hl = strlen(host);
    u->host = host[0] == '[' ? eider_strndup(host + 1, hl - 2) : hc_xstrdup(host);
    for (char *p = u->host; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    port = evhttp_uri_get_port(uri);
    u->port = port > 0 ? port : u->https ? 443 : 80;
    path = evhttp_uri_get_path(uri);
    query = evhttp_uri_get_query(uri);
    u->target = hc_xstrdup(path && *path ? path : "/");
    if (query && (hc_append(&u->target, "?", 1) || hc_append(&u->target, query, strlen(query))))
        goto oom;
    if (asprintf(&u->authority, host[0] == '[' ? "[%s]" : "%s", u->host) < 0)
        u->authority = NULL;
    if (u->authority == NULL)
        goto oom;
    if (u->port != (u->https ? 443 : 80)) {
        char p[16];
        snprintf(p, sizeof(p), ":%d", u->port);
        if (hc_append(&u->authority, p, strlen(p)))
            goto oom;
    }
    if (asprintf(&u->href, "%s://%s%s", u->https ? "https" : "http", u->authority, u->target) < 0) {
        u->href = NULL;
        goto oom;
    }
    evhttp_uri_free(uri);
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    if (uri)
        evhttp_uri_free(uri);
    hc_url_clear(u);
    return -1;
}

/* Frees the strings of u and zeroes it (safe on a zeroed u). */
void hc_url_clear(struct hc_url *u)
{
    free(u->host);
    free(u->target);
    free(u->authority);
    free(u->href);
    memset(u, 0, sizeof(*u));
}

/* Path p (starting with '/') without "." and ".." segments (RFC 3986
 * 5.2.4); malloc'd. */
static char *remove_dots(const char *p)
{
    char *out = eider_malloc(strlen(p) + 2);
    size_t o = 0;

    while (*p) {
        const char *seg = p + 1, *e = strchr(seg, '/');
        size_t len;
        int last;
        if (e == NULL)
            e = seg + strlen(seg);
        len = (size_t)(e - seg);
        last = *e == '\0';
        if (len == 1 && seg[0] == '.') {
            if (last)
                out[o++] = '/';
        } else if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[--o] != '/')
                ;
            if (last)
                out[o++] = '/';
        } else {
            out[o++] = '/';
            memcpy(out + o, seg, len);
            o += len;
        }
        p = e;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    return out;
}

/* RFC 3986 5.2 for the cases a Location header has: absolute, scheme-
 * relative, absolute path, query only, relative path; fragments dropped. */
char *hc_url_resolve(const struct hc_url *base, const char *ref)
{
    const char *scheme = base->https ? "https" : "http";
    char *r, *q, *path = NULL, *joined = NULL, *out = NULL;
    size_t n;

    while (*ref == ' ' || *ref == '\t')
        ref++;
    n = strcspn(ref, ":/?#");
    if (n > 0 && ref[n] == ':' && strspn(ref, "abcdefghijklmnopqrstuvwxyz"
                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.") == n)
        return eider_strdup(ref);                       /* absolute */
    if (ref[0] == '/' && ref[1] == '/')
        return asprintf(&out, "%s:%s", scheme, ref) < 0 ? NULL : out;
    r = eider_strndup(ref, strcspn(ref, "#"));
    q = strchr(r, '?');
    if (q)
        *q++ = '\0';
    if (r[0] == '\0') {                           /* "", "?q": same path */
        path = eider_strndup(base->target, strcspn(base->target, "?"));
        if (q == NULL) {
            q = strchr(base->target, '?');
            q = q ? q + 1 : NULL;
        }
    } else if (r[0] == '/') {
        path = remove_dots(r);
    } else {                                      /* relative to the directory */
        size_t dir = strcspn(base->target, "?");
        while (dir > 0 && base->target[dir - 1] != '/')
            dir--;
        if (asprintf(&joined, "%.*s%s", (int)dir, base->target, r) >= 0)
            path = remove_dots(joined);
        free(joined);
    }
    if (path && asprintf(&out, "%s://%s%s%s%s", scheme, base->authority, path,
                         q ? "?" : "", q ? q : "") < 0)
        out = NULL;
    free(path);
    free(r);
    return out;
}
