/*
 * fuzz_regexp: the ECMAScript-to-PCRE2 translation (framework/regexp.c)
 * and the compile and match behind every RegExp.
 *
 * Input: the flags up to the first newline (any bytes: invalid flags must
 * be refused cleanly), then the pattern up to the next newline, then the
 * subject; pattern and subject are read as Duktape's internal strings
 * (CESU-8 or broken UTF-8: the decoder must cope with any bytes). A
 * pattern that compiles is matched against the subject from every start
 * offset under a small match limit; each match must lie inside the
 * subject and be ordered. Crashes and sanitizer reports are findings; a
 * SyntaxError is an expected answer.
 */
#include "fuzz.h"

#include "regexp.h"

/* What a match must be: inside the subject, start <= end. */
static void check_match(pcre2_match_data_16 *md, int rc, size_t n, size_t from)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer_16(md);

    for (int g = 0; g < rc; g++) {
        if (ov[2 * g] == PCRE2_UNSET)
            continue;
        FUZZ_ASSERT(ov[2 * g + 1] <= n, "group %d ends at %zu past %zu", g, (size_t)ov[2 * g + 1], n);
        if (g == 0)
            FUZZ_ASSERT(ov[0] >= from && ov[0] <= ov[1], "match [%zu, %zu) from %zu",
                        (size_t)ov[0], (size_t)ov[1], from);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    const char *nl1 = memchr(p, '\n', size), *nl2;
    struct eider_u16 pat = { 0 }, subj = { 0 };
    char err[256];
    unsigned bits;
    pcre2_code_16 *code;
    static pcre2_match_context_16 *mctx;

    if (nl1 == NULL || (nl2 = memchr(nl1 + 1, '\n', (size_t)(end - nl1 - 1))) == NULL)
        return 0;
    if (eider_re_flags(p, (size_t)(nl1 - p), &bits, err, sizeof(err)) < 0)
        return 0;
    eider_u16_decode(nl1 + 1, (size_t)(nl2 - nl1 - 1), &pat, NULL, NULL);
    code = eider_re_compile(pat.p, pat.n, bits, err, sizeof(err));
    eider_u16_free(&pat);
    if (code == NULL) {
        FUZZ_ASSERT(err[0] != '\0', "a refused pattern without a reason");
        return 0;
    }
    if (mctx == NULL) {
        mctx = pcre2_match_context_create_16(NULL);
        pcre2_set_match_limit_16(mctx, 100000);
    }
    {
        uint32_t *boff = NULL;
        size_t boffcap = 0;
        eider_u16_decode(nl2 + 1, (size_t)(end - nl2 - 1), &subj, &boff, &boffcap);
        free(boff);
    }
    pcre2_match_data_16 *md = pcre2_match_data_create_from_pattern_16(code, NULL);
    for (size_t from = 0; from <= subj.n && from < 64; from++) {
        int rc = pcre2_match_16(code, subj.p, subj.n, from, 0, md, mctx);
        if (rc > 0)
            check_match(md, rc, subj.n, from);
    }
    pcre2_match_data_free_16(md);
    pcre2_code_free_16(code);
    eider_u16_free(&subj);
    return 0;
}
