// The coroutines lowered async functions run on (framework/js/lower.js):
//   async function f() { ... await x ... }
// is lowered to
//   function f() { return __eiderAsync(() => { ... __eiderAwait(x) ... }); }
// __eiderAsync runs the body in a Duktape.Thread until its first
// __eiderAwait, which yields the awaited value; once that settles, the
// thread is resumed with its value (or its reason, thrown at the await).
// The Promise it returns settles with what the body returns or throws.
// Against TypeScript's __awaiter and __generator this saves the state
// machine and most closures: per call, three functions and a thread. An
// await cannot yield through a native call, which the language never asks
// for (await stands only directly in its function's body).
'use strict';

var Thread = Duktape.Thread, resume = Thread.resume, yieldTo = Thread.yield;
var promises = require('eider/promise');
var newPromise = promises.newPromise, settle = promises.settlePromise;

// What the body's thread yields when it returns, as opposed to an await:
// the thread function is the body itself, so this box tells them apart.
function Awaiting(value) {
  this.value = value;
}

function eiderAwait(value) {
  return yieldTo(new Awaiting(value));
}

function eiderAsync(body) {
  var promise = newPromise(), thread = new Thread(body);

  function step(value, isError) {
    var out;
    try {
      out = resume(thread, value, isError);
    } catch (e) {
      settle(promise, true, e);
      return;
    }
    if (out instanceof Awaiting) Promise.resolve(out.value).then(onValue, onError);
    else settle(promise, false, out);
  }
  function onValue(v) { step(v, false); }
  function onError(e) { step(e, true); }

  step(undefined, false);
  return promise;
}

exports.__eiderAsync = global.__eiderAsync = eiderAsync;
exports.__eiderAwait = global.__eiderAwait = eiderAwait;
