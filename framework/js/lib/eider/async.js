// The coroutines lowered async functions run on (framework/js/lower.js):
//   async function f() { ... await x ... }
// is lowered to
//   function f() { return __eiderAsync(() => { ... __eiderAwait(x) ... }); }
// __eiderAsync runs the body in a Duktape.Thread until its first
// __eiderAwait, which yields the awaited value; once that settles, the
// thread is resumed with its value (or its reason, thrown at the await).
// The Promise it returns settles with what the body returns or throws.
// This costs about half of TypeScript's __awaiter and __generator: no state
// machine, no closure per step. Loaded on first use through the globals
// js_module.c defines; an await cannot yield through a native call, which
// the language never asks for (await stands only directly in its body).
'use strict';

var Thread = Duktape.Thread, resume = Thread.resume;

function eiderAsync(body) {
  var done = false, resolve, reject;
  var promise = new Promise(function (res, rej) { resolve = res; reject = rej; });
  var thread = new Thread(function () {
    var value = body();
    done = true;
    return value;
  });

  function step(value, isError) {
    var out;
    try {
      out = resume(thread, value, isError);
    } catch (e) {
      reject(e);
      return;
    }
    if (done) resolve(out);
    else Promise.resolve(out).then(onValue, onError);
  }
  function onValue(v) { step(v, false); }
  function onError(e) { step(e, true); }

  step(undefined, false);
  return promise;
}

exports.__eiderAsync = global.__eiderAsync = eiderAsync;
exports.__eiderAwait = global.__eiderAwait = Thread.yield;
