/*
 * Compiles Debian's amalgamated duktape.c with eider's configuration.
 * duk_config.h must see DUK_COMPILING_DUKTAPE (as duktape.c would define
 * it) to pick the platform's date and time providers; after our header
 * the include guard makes duktape.c's own include of duk_config.h a no-op.
 */
#define DUK_COMPILING_DUKTAPE
#include "eider_duk_config.h"
#include <duktape.c>
