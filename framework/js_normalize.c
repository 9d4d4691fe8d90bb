/*
 * String.prototype.normalize(form): Unicode normalization (NFC, NFD,
 * NFKC, NFKD) by utf8proc, which Duktape lacks. Duktape keeps a string's
 * characters outside the BMP as surrogate pairs each encoded on its own
 * (CESU-8), and utf8proc takes and gives UTF-8, so the text is converted
 * on the way in and out. ASCII text, the common case, is returned as it
 * is without a copy.
 */
#include <string.h>
#include <utf8proc.h>

#include "alloc.h"
#include "js_internal.h"

/* Bytes 0xED 0xA0..0xBF: a high (0xA0..0xAF) or low (0xB0..0xBF)
 * surrogate as CESU-8 writes it. */
static int surrogate_at(const unsigned char *s, size_t left, int high)
{
    return left >= 3 && s[0] == 0xED && (s[1] & 0xF0) == (high ? 0xA0 : 0xB0);
}

static unsigned decode3(const unsigned char *s)
{
    return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
}

/* Copies Duktape's text S (LEN bytes) into OUT as UTF-8, each surrogate
 * pair as one 4-byte character. OUT has room for LEN bytes. Returns the
 * bytes written, or -1 if S holds a lone surrogate (not Unicode text). */
static long cesu_to_utf8(const unsigned char *s, size_t len, unsigned char *out)
{
    size_t i = 0, o = 0;

    while (i < len) {
        if (surrogate_at(s + i, len - i, 1) && surrogate_at(s + i + 3, len - i - 3, 0)) {
            unsigned cp = 0x10000 + ((decode3(s + i) - 0xD800) << 10) + (decode3(s + i + 3) - 0xDC00);
            out[o++] = (unsigned char)(0xF0 | (cp >> 18));
            out[o++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
            out[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
            i += 6;
        } else if (surrogate_at(s + i, len - i, 1) || surrogate_at(s + i, len - i, 0)) {
            return -1;
        } else {
            out[o++] = s[i++];
        }
    }
    return (long)o;
}

/* Pushes the UTF-8 text S (LEN bytes) as a Duktape string, each 4-byte
 * character as a CESU-8 surrogate pair, so that length and charCodeAt
 * count UTF-16 units as ECMAScript says. */
static void push_utf8_as_cesu(duk_context *ctx, const unsigned char *s, size_t len)
{
    size_t n4 = 0, o = 0;
    unsigned char *out;

    for (size_t i = 0; i < len; i++)
        n4 += (s[i] & 0xF8) == 0xF0;
    if (n4 == 0) {
        duk_push_lstring(ctx, (const char *)s, len);
        return;
    }
    out = duk_push_fixed_buffer(ctx, len + 2 * n4);
    for (size_t i = 0; i < len;) {
        if ((s[i] & 0xF8) == 0xF0 && i + 3 < len) {
            unsigned cp = ((s[i] & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12)
                          | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
            unsigned hi = 0xD800 + ((cp - 0x10000) >> 10), lo = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            unsigned units[2] = { hi, lo };
            for (int k = 0; k < 2; k++) {
                out[o++] = (unsigned char)(0xE0 | (units[k] >> 12));
                out[o++] = (unsigned char)(0x80 | ((units[k] >> 6) & 0x3F));
                out[o++] = (unsigned char)(0x80 | (units[k] & 0x3F));
            }
            i += 4;
        } else {
            out[o++] = s[i++];
        }
    }
    duk_buffer_to_string(ctx, -1);
}

static const struct {
    const char *name;
    utf8proc_option_t options;
} forms[] = {
    { "NFC",  UTF8PROC_STABLE | UTF8PROC_COMPOSE },
    { "NFD",  UTF8PROC_STABLE | UTF8PROC_DECOMPOSE },
    { "NFKC", UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT },
    { "NFKD", UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT },
};

/* String.prototype.normalize([form]): FORM is NFC (the default), NFD,
 * NFKC or NFKD, else a RangeError as in Node. Text with a lone surrogate
 * comes back unchanged (utf8proc takes Unicode text only). */
static duk_ret_t string_normalize(duk_context *ctx)
{
    const char *form = duk_is_undefined(ctx, 0) ? "NFC" : duk_to_string(ctx, 0);
    const unsigned char *s;
    utf8proc_uint8_t *done = NULL;
    unsigned char *utf8;
    duk_size_t len;
    size_t f, i;
    long n;
    utf8proc_ssize_t m;

    for (f = 0; f < sizeof(forms) / sizeof(forms[0]) && strcmp(form, forms[f].name) != 0; f++)
        ;
    if (f == sizeof(forms) / sizeof(forms[0]))
        return duk_range_error(ctx, "The normalization form should be one of NFC, NFD, NFKC, NFKD.");
    duk_push_this(ctx);
    if (duk_is_null_or_undefined(ctx, -1))
        return duk_type_error(ctx, "String.prototype.normalize called on null or undefined");
    s = (const unsigned char *)duk_to_lstring(ctx, -1, &len);
    for (i = 0; i < len && s[i] < 0x80; i++)
        ;
    if (i == len)
        return 1;
    /* Input-sized scratch, freed below: plain malloc by the policy in alloc.h. */
    if ((utf8 = malloc(len + 1)) == NULL)
        return duk_generic_error(ctx, "normalize: out of memory");
    if ((n = cesu_to_utf8(s, len, utf8)) < 0) {
        free(utf8);
        return 1;
    }
    m = utf8proc_map(utf8, (utf8proc_ssize_t)n, &done, forms[f].options);
    free(utf8);
    if (m < 0)
        return 1;
    push_utf8_as_cesu(ctx, done, (size_t)m);
    free(done);
    return 1;
}

/* Defines String.prototype.normalize (non-enumerable, as built-ins are). */
void eider_js_normalize_init(duk_context *ctx)
{
    duk_get_global_string(ctx, "String");
    duk_get_prop_string(ctx, -1, "prototype");
    duk_push_string(ctx, "normalize");
    duk_push_c_function(ctx, string_normalize, 1);
    duk_push_string(ctx, "name");
    duk_push_string(ctx, "normalize");
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_FORCE);
    duk_push_string(ctx, "length");   /* the form is optional: 0, as in Node */
    duk_push_int(ctx, 0);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_FORCE);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE
                 | DUK_DEFPROP_SET_CONFIGURABLE | DUK_DEFPROP_CLEAR_ENUMERABLE);
    duk_pop_2(ctx);
}
