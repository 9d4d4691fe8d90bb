/*
 * Build tool: jsbc OUT [-p PRELUDE] FILE... compiles the files, in order,
 * as one global program with eider's own Duktape build and writes its
 * bytecode. A PRELUDE is a function expression (framework/js/prelude.js)
 * that the program calls first as prelude(this, {}). The output is:
 *
 *   "EIDERBC1 " SHA-256(program source) in hex "\n"  then the bytecode
 *
 * Duktape bytecode only loads into the build that made it, which is why
 * this runs at build time against libduktape_eider.a. The hash names the
 * compiler in the lowering cache's keys (lower.c): it is taken over the
 * source, not the bytecode, because what the compiler makes of a file
 * depends only on that source, so a sanitizer build of the same source
 * shares the cache (its bytecode differs byte for byte).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "js_engine.h"

/* The hooks eider_duk_config.h names; a build tool runs no handler. */
int eider_js_exec_timeout(void *udata)
{
    (void)udata;
    return 0;
}

void eider_js_fatal(void *udata, const char *msg)
{
    (void)udata;
    fprintf(stderr, "jsbc: Duktape fatal error: %s\n", msg ? msg : "?");
    abort();
}

/* Appends the file PATH to the string on top of the stack, as a call
 * PATH(this, {}) if CALL. */
static int append_file(duk_context *ctx, const char *path, int call)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0
        || (buf = malloc((size_t)n + 1)) == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        return -1;
    }
    fclose(f);
    duk_push_string(ctx, call ? "(" : "");
    duk_push_lstring(ctx, buf, (size_t)n);
    duk_push_string(ctx, call ? "\n)(this, {});\n" : "\n;\n");
    duk_concat(ctx, 4);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    duk_context *ctx;
    duk_size_t len;
    const void *bc;
    FILE *out;

    if (argc < 3) {
        fprintf(stderr, "usage: jsbc OUT [-p PRELUDE] FILE...\n");
        return 2;
    }
    if ((ctx = duk_create_heap_default()) == NULL)
        return 1;
    duk_push_string(ctx, "");
    for (int i = 2; i < argc; i++) {
        int call = strcmp(argv[i], "-p") == 0 && i + 1 < argc;
        if (append_file(ctx, argv[i += call], call) < 0)
            return 1;
    }
    {
        duk_size_t srclen;
        const char *src = duk_get_lstring(ctx, -1, &srclen);
        if (EVP_Digest(src, srclen, md, &mdlen, EVP_sha256(), NULL) != 1)
            return 1;
    }
    duk_push_string(ctx, argv[argc - 1]);
    if (duk_pcompile(ctx, 0) != 0) {
        fprintf(stderr, "jsbc: %s\n", duk_safe_to_string(ctx, -1));
        return 1;
    }
    duk_dump_function(ctx);
    bc = duk_get_buffer_data(ctx, -1, &len);
    if ((out = fopen(argv[1], "wb")) == NULL) {
        perror(argv[1]);
        return 1;
    }
    fprintf(out, "EIDERBC1 ");
    for (unsigned i = 0; i < mdlen; i++)
        fprintf(out, "%02x", md[i]);
    fprintf(out, "\n");
    fwrite(bc, 1, len, out);
    duk_destroy_heap(ctx);
    return fclose(out) == 0 ? 0 : 1;
}
