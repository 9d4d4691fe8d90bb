/*
 * prelude_harness: run tests/js/prelude_test.js against framework/js/prelude.js
 * in a Duktape heap, the way an eider worker sets the prelude up.
 *
 *   prelude_harness framework/js/prelude.js [framework/js/prelude_es.js ...] tests/js/prelude_test.js
 *
 * The parts of the prelude run in the order given, as js_runtime.c runs them.
 *
 * Prints each failure, then "N passed, N failed"; exit status 0 only when
 * nothing failed (2 when a file cannot be loaded).  A microtask error or an
 * unhandled rejection the tests did not ask for counts as a failure.
 * Uses the public duktape.h API, js_buffer.c for native.buffer and the
 * Promise core (js_promise.c, js_microtask.c) that eider's heaps get.
 */
#include <duktape.h>
#include "js_buffer.h"
#include "js_promise.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unexpected; /* hook calls the tests did not ask for */

/* The whole file at path in a malloc'd buffer (caller frees), or NULL. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)size + 1)) != NULL) {
		*len = fread(buf, 1, (size_t)size, f);
		if (ferror(f)) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

/* Run the file at path as global code, leaving its completion value on the
 * stack.  On error prints it, leaves the stack as it was and returns -1. */
static int eval_file(duk_context *ctx, const char *path)
{
	size_t len = 0;
	char *src = read_file(path, &len);
	duk_int_t rc;

	if (src == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno ? errno : EIO));
		return -1;
	}
	duk_push_string(ctx, path); /* file name for error messages */
	rc = duk_pcompile_lstring_filename(ctx, DUK_COMPILE_EVAL, src, len);
	free(src);
	if (rc == DUK_EXEC_SUCCESS)
		rc = duk_pcall(ctx, 0);
	if (rc != DUK_EXEC_SUCCESS) {
		fprintf(stderr, "%s: %s\n", path, duk_safe_to_stacktrace(ctx, -1));
		duk_pop(ctx);
		return -1;
	}
	return 0;
}

/* Push the native object the prelude was given (kept in the global stash). */
static void push_native(duk_context *ctx)
{
	duk_push_global_stash(ctx);
	duk_get_prop_string(ctx, -1, "native");
	duk_remove(ctx, -2);
}

/* drain(): native.runMicrotasks(), handed to runPreludeTests. */
static duk_ret_t drain(duk_context *ctx)
{
	push_native(ctx);
	duk_get_prop_string(ctx, -1, "runMicrotasks");
	duk_dup(ctx, -2);
	duk_call_method(ctx, 0);
	return 0;
}

/* native.reportError(err) */
static duk_ret_t report_error(duk_context *ctx)
{
	fprintf(stderr, "unexpected microtask error: %s\n", duk_safe_to_stacktrace(ctx, 0));
	unexpected++;
	return 0;
}

/* native.unhandledRejection(reason, promise) */
static duk_ret_t unhandled_rejection(duk_context *ctx)
{
	fprintf(stderr, "unexpected unhandled rejection: %s\n", duk_safe_to_stacktrace(ctx, 0));
	unexpected++;
	return 0;
}

static int run(duk_context *ctx, int nparts, char **parts, const char *test_path)
{
	duk_size_t i, n;
	int passed, failed, k;

	/* One native object, kept in the global stash, for every part. */
	duk_push_global_stash(ctx);
	duk_push_object(ctx);
	duk_push_c_function(ctx, report_error, 1);
	duk_put_prop_string(ctx, -2, "reportError");
	duk_push_c_function(ctx, unhandled_rejection, 2);
	duk_put_prop_string(ctx, -2, "unhandledRejection");
	eider_js_buffer_natives(ctx, -1);   /* Buffer's encodings, as eider's */
	eider_js_promise_natives(ctx, -1);  /* Promise and the microtask queue */
	duk_put_prop_string(ctx, -2, "native");
	duk_pop(ctx);

	/* part(global, native), for each part of the prelude in order */
	for (k = 0; k < nparts; k++) {
		if (eval_file(ctx, parts[k]) != 0)
			return 2;
		if (!duk_is_function(ctx, -1)) {
			fprintf(stderr, "%s: does not evaluate to a function\n", parts[k]);
			return 2;
		}
		duk_push_global_object(ctx);
		push_native(ctx);
		if (duk_pcall(ctx, 2) != DUK_EXEC_SUCCESS) {
			fprintf(stderr, "%s: %s\n", parts[k], duk_safe_to_stacktrace(ctx, -1));
			return 2;
		}
		duk_pop(ctx);
	}

	/* runPreludeTests(drain, native) */
	if (eval_file(ctx, test_path) != 0)
		return 2;
	duk_pop(ctx);
	duk_get_global_string(ctx, "runPreludeTests");
	duk_push_c_function(ctx, drain, 0);
	push_native(ctx);
	if (duk_pcall(ctx, 2) != DUK_EXEC_SUCCESS) {
		fprintf(stderr, "runPreludeTests: %s\n", duk_safe_to_stacktrace(ctx, -1));
		return 2;
	}

	duk_get_prop_string(ctx, -1, "passes");
	n = duk_get_length(ctx, -1);
	for (i = 0; i < n; i++) {
		duk_get_prop_index(ctx, -1, (duk_uarridx_t)i);
		printf("ok %s\n", duk_safe_to_string(ctx, -1));
		duk_pop(ctx);
	}
	duk_pop(ctx);
	duk_get_prop_string(ctx, -1, "failures");
	n = duk_get_length(ctx, -1);
	for (i = 0; i < n; i++) {
		duk_get_prop_index(ctx, -1, (duk_uarridx_t)i);
		printf("FAIL %s\n", duk_safe_to_string(ctx, -1));
		duk_pop(ctx);
	}
	duk_pop(ctx);
	duk_get_prop_string(ctx, -1, "passed");
	passed = duk_get_int(ctx, -1);
	duk_get_prop_string(ctx, -2, "failed");
	failed = duk_get_int(ctx, -1) + unexpected;
	duk_pop_3(ctx);

	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	duk_context *ctx;
	int status;

	if (argc < 3) {
		fprintf(stderr, "usage: %s prelude.js [prelude_part.js ...] prelude_test.js\n", argv[0]);
		return 2;
	}
	ctx = duk_create_heap_default();
	if (ctx == NULL) {
		fprintf(stderr, "cannot create a Duktape heap\n");
		return 2;
	}
	status = run(ctx, argc - 2, argv + 1, argv[argc - 1]);
	eider_js_promise_free(ctx);
	duk_destroy_heap(ctx);
	return status;
}
