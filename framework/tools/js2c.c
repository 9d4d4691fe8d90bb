/*
 * Build tool: js2c NAME IN.js OUT.c embeds a file as
 *   const char NAME[] = {...}; const size_t NAME_len = N;
 * (NUL-terminated, the length excludes the NUL).
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    FILE *in, *out;
    size_t n = 0;
    int c;

    if (argc != 4) {
        fprintf(stderr, "usage: js2c NAME IN OUT\n");
        return 2;
    }
    if ((in = fopen(argv[2], "rb")) == NULL || (out = fopen(argv[3], "w")) == NULL) {
        perror("js2c");
        return 1;
    }
    fprintf(out, "/* Generated from %s by js2c; do not edit. */\n#include <stddef.h>\n"
            "const char %s[] = {", argv[2], argv[1]);
    while ((c = getc(in)) != EOF)
        fprintf(out, "%s%d,", n++ % 20 ? "" : "\n", c);
    fprintf(out, "0};\nconst size_t %s_len = %zu;\n", argv[1], n);
    fclose(in);
    return fclose(out) == 0 ? 0 : 1;
}
