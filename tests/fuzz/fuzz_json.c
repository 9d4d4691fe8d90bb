/*
 * fuzz_json: eider's JSON.parse (framework/js_json.c) against Duktape's
 * own. The input, decoded as UTF-8 the way a request body is (U+FFFD for
 * invalid bytes, surrogate pairs past U+FFFF), is parsed by both; the
 * values must be the same (numbers to one unit in the last place and
 * the sign of zero, keys in the same order, "__proto__" an own key) or
 * both must throw the same error. Duktape's parser is reached through JSON.parse with an
 * identity reviver, which eider leaves to it. And req.json()'s parse of
 * the raw bytes (eider_js_json_parse_utf8), when it takes them, must give
 * what JSON.parse gives for the text.
 *
 * Not to the last bit: Duktape does not always round to nearest, even,
 * where a literal is halfway between two doubles ("9007199254740993"
 * gives 9007199254740994; V8 and strtod give ...992, as ECMAScript asks),
 * and Duktape throws a RangeError for an exponent past its limits where
 * eider, like V8, gives Infinity or 0: a RangeError from Duktape's side
 * is not compared.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"
#include "js_internal.h"

static duk_context *ctx;
static struct eider_js js;   /* the parser's scratch buffer lives here */

/* (text, parsed, ok) -> null when the parsers agree, else what each gave.
 * PARSED is what eider_js_json_parse_utf8 made of the bytes, if OK. Each
 * value is shown with its numbers taken out ('n'), and the numbers are
 * compared apart: equal, or one unit in the last place apart (a tie
 * rounded the other way; no fixed count of digits hides that:
 * 9023456789012345 is ...344 rounded to even, as V8 and strtod give it,
 * and ...346 in Duktape, which differ in the 15th digit). */
static const char COMPARE_JS[] =
    "(function (text, parsed, ok) {\n"
    "  function parse(t, reviver) {\n"
    "    var nums = [], shape;\n"
    "    shape = JSON.stringify(reviver ? JSON.parse(t, reviver) : JSON.parse(t),\n"
    "      function (k, v) { if (typeof v !== 'number') return v; nums.push(v); return 'n'; });\n"
    "    return { shape: shape, nums: nums };\n"
    "  }\n"
    "  function tryParse(t, reviver) {\n"
    "    try { return parse(t, reviver); } catch (e) { return { shape: 'throws ' + e, nums: [], error: e }; }\n"
    "  }\n"
    "  function near(a, b) {\n"
    "    if (a === b) return 1 / a === 1 / b;   /* the sign of zero */\n"
    "    if (a !== a) return b !== b;\n"
    "    var d = Math.abs(a - b);\n"
    "    return d <= Math.abs(a) * 2.3e-16 || d <= 5e-324;\n"
    "  }\n"
    "  function same(x, y) {\n"
    "    if (x.shape !== y.shape || x.nums.length !== y.nums.length) return false;\n"
    "    for (var i = 0; i < x.nums.length; i++) if (!near(x.nums[i], y.nums[i])) return false;\n"
    "    return true;\n"
    "  }\n"
    "  function show(x) { return x.shape + ' ' + JSON.stringify(x.nums.map(String)); }\n"
    "  var fast = tryParse(text), slow = tryParse(text, function (k, v) { return v; });\n"
    "  if (slow.error instanceof RangeError) slow = fast;\n"
    "  if (ok) {\n"
    "    var nums = [], bytes = { nums: nums, shape: JSON.stringify(parsed,\n"
    "      function (k, v) { if (typeof v !== 'number') return v; nums.push(v); return 'n'; }) };\n"
    "    if (!same(bytes, fast)) return 'from bytes: ' + show(bytes) + '\\nfrom text: ' + show(fast);\n"
    "  }\n"
    "  return same(fast, slow) ? null : 'eider: ' + show(fast) + '\\nDuktape: ' + show(slow);\n"
    "})";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    ctx = duk_create_heap(NULL, NULL, NULL, &js, NULL);
    FUZZ_ASSERT(ctx != NULL, "no Duktape heap");
    duk_push_heap_stash(ctx);                 /* eider_js_push_utf8's decoder */
    duk_get_global_string(ctx, "TextDecoder");
    duk_put_prop_string(ctx, -2, "TextDecoder");
    duk_pop(ctx);
    duk_push_global_object(ctx);
    eider_js_json_init(ctx);
    duk_pop(ctx);
    duk_push_heap_stash(ctx);
    duk_eval_string(ctx, COMPARE_JS);
    duk_put_prop_string(ctx, -2, "compare");
    duk_pop(ctx);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, "compare");
    eider_js_push_utf8(ctx, (const char *)data, size);
    if (eider_js_json_parse_utf8(ctx, (const char *)data, size) == 0) {
        duk_push_true(ctx);
    } else {
        duk_push_undefined(ctx);
        duk_push_false(ctx);
    }
    FUZZ_ASSERT(duk_pcall(ctx, 3) == 0, "the comparison threw: %s", duk_safe_to_string(ctx, -1));
    FUZZ_ASSERT(duk_is_null(ctx, -1), "JSON.parse differs from Duktape's:\n%s", duk_safe_to_string(ctx, -1));
    duk_pop_2(ctx);
    return 0;
}
