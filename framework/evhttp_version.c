/*
 * evhttp 2.1 reads the version of every request line with
 * sscanf(version, "HTTP/%d.%d%c", &major, &minor, &ch) (http.c,
 * evhttp_parse_http_version; 2.2 added a fast path, 2.1 has none): glibc's
 * scanf machinery costs 1.5k of the 24k instructions a hello request
 * costs (callgrind). The gate hands evhttp only "HTTP/1.0" and "HTTP/1.1"
 * (http_strict.c refuses every other version), so this definition of the
 * C99 sscanf, which the dynamic linker gives libevent ahead of glibc's,
 * answers those two for that one format as glibc would (2 conversions:
 * the %c meets the end of the string) and hands every other call to
 * glibc's own vsscanf, unchanged. Linked into the eider binary only (the
 * unit and fuzz programs use glibc's as it is).
 *
 * Layering: none; below everything, like the C library it stands in for.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* glibc's names for the C99 scanf family (what <stdio.h> maps sscanf and
 * vsscanf to in C99 mode; libevent calls the first). */
int __isoc99_sscanf(const char *s, const char *format, ...);
int __isoc99_vsscanf(const char *s, const char *format, va_list ap);

/* sscanf: evhttp's version format on "HTTP/1.0" or "HTTP/1.1" answered
 * here (*major 1, *minor 0 or 1, returns 2); anything else glibc's. */
int __isoc99_sscanf(const char *s, const char *format, ...)
{
    va_list ap;
    int n;

    va_start(ap, format);
    if (strcmp(format, "HTTP/%d.%d%c") == 0 && strncmp(s, "HTTP/1.", 7) == 0
        && (s[7] == '0' || s[7] == '1') && s[8] == '\0') {
        int *major = va_arg(ap, int *), *minor = va_arg(ap, int *);
        *major = 1;
        *minor = s[7] - '0';
        n = 2;
    } else {
        n = __isoc99_vsscanf(s, format, ap);
    }
    va_end(ap);
    return n;
}
