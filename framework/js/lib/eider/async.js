// The coroutines lowered async functions run on (framework/js/lower.js):
//   async function f() { ... await x ... }
// is lowered to
//   function f() { return __eiderAsync(() => { ... __eiderAwait(x) ... }); }
// __eiderAsync runs the body in a Duktape.Thread until its first
// __eiderAwait, which yields the awaited value; once that settles, the
// thread is resumed with its value (or its reason, thrown at the await).
// The Promise it returns settles with what the body returns or throws.
// Per call: a thread, a promise and one small object (the coroutine);
// per await, one reaction and a job, as the Promise core's awaitValue
// (framework/js_promise.c) waits the way the language's await does (no
// Promise.resolve() wrapper, no derived promise, no closures); should
// step() itself throw (past js_time_limit no catch runs), the core
// rejects co.promise. An await cannot yield through a
// native call, which the language never asks for (await stands only
// directly in its function's body).
'use strict';

var Thread = Duktape.Thread, resume = Thread.resume, yieldTo = Thread.yield;
var promises = require('eider/promise');
var newPromise = promises.newPromise, settle = promises.settlePromise;
var awaitValue = promises.awaitValue;

// Whether the thread that just yielded did so at an await, as opposed to
// returning (the thread function is the body itself, so both come back
// from resume()). A flag rather than a box around the awaited value: it
// is set right before the yield and read right after the resume, with no
// code of another coroutine in between.
var awaiting = false;

function eiderAwait(value) {
  awaiting = true;
  return yieldTo(value);
}

// Runs co's body until its next await or its end; at an await, has
// awaitValue call step again with the outcome (isError: throw it there).
function step(co, value, isError) {
  var out;
  awaiting = false;
  try {
    out = resume(co.thread, value, isError);
  } catch (e) {
    awaiting = false;
    settle(co.promise, true, e);
    return;
  }
  if (awaiting) {
    awaiting = false;
    awaitValue(out, step, co);
  } else {
    settle(co.promise, false, out);
  }
}

function eiderAsync(body) {
  var co = {thread: new Thread(body), promise: newPromise()};
  step(co, undefined, false);
  return co.promise;
}

exports.__eiderAsync = global.__eiderAsync = eiderAsync;
exports.__eiderAwait = global.__eiderAwait = eiderAwait;
