/*
 * The one way eider code includes Duktape: with eider's configuration
 * (see framework/duktape/eider_duk_config.h).
 */
#ifndef EIDER_JS_ENGINE_H
#define EIDER_JS_ENGINE_H

#include "duktape/eider_duk_config.h"
#include <duktape.h>

#endif
