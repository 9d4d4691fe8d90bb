/*
 * require('timers/promises'): setTimeout, setImmediate and setInterval
 * returning Promises (setInterval an async iterator), with the signal
 * option of an AbortSignal as in Node: an aborted signal rejects with an
 * AbortError (code 'ABORT_ERR', cause the signal's reason) and clears the
 * timer.  The ref option is accepted and ignored (eider's timers never
 * keep a worker alive).  scheduler.wait(ms) and scheduler.yield() too.
 */
'use strict';

function abortError(signal) {
  var err = new Error('The operation was aborted');
  err.name = 'AbortError';
  err.code = 'ABORT_ERR';
  if (signal && signal.reason !== undefined) err.cause = signal.reason;
  return err;
}

function checkOptions(options) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    var e = new TypeError('The "options" argument must be of type object');
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  var signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    var s = new TypeError('The "options.signal" property must be an instance of AbortSignal');
    s.code = 'ERR_INVALID_ARG_TYPE';
    throw s;
  }
  return options;
}

// A promise for value after schedule(callback) fires; clear(id) cancels.
function timed(schedule, clear, value, options) {
  return new Promise(function (resolve, reject) {
    options = checkOptions(options);
    var signal = options.signal;
    if (signal && signal.aborted) return reject(abortError(signal));
    var onAbort;
    var id = schedule(function () {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
    if (signal) {
      onAbort = function () {
        clear(id);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, {once: true});
    }
  });
}

exports.setTimeout = function (delay, value, options) {
  return timed(function (cb) { return setTimeout(cb, delay); }, clearTimeout, value, options);
};

exports.setImmediate = function (value, options) {
  return timed(function (cb) { return setImmediate(cb); }, clearImmediate, value, options);
};

// setInterval(delay, value, options): an async iterator giving value at
// each tick (ticks that come while nobody awaits are counted, not lost).
exports.setInterval = function (delay, value, options) {
  options = checkOptions(options);
  var signal = options.signal, pending = 0, waiting = [], done = false, id = null, onAbort;
  function finish() {
    done = true;
    if (id !== null) clearInterval(id);
    if (signal && onAbort) signal.removeEventListener('abort', onAbort);
  }
  if (!(signal && signal.aborted)) {
    id = setInterval(function () {
      if (waiting.length) waiting.shift().resolve({value: value, done: false});
      else pending++;
    }, delay);
    if (signal) {
      onAbort = function () {
        finish();
        while (waiting.length) waiting.shift().reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, {once: true});
    }
  }
  var iterator = {
    next: function () {
      if (signal && signal.aborted) {
        finish();
        return Promise.reject(abortError(signal));
      }
      if (done) return Promise.resolve({value: undefined, done: true});
      if (pending > 0) {
        pending--;
        return Promise.resolve({value: value, done: false});
      }
      return new Promise(function (resolve, reject) { waiting.push({resolve: resolve, reject: reject}); });
    },
    'return': function () {
      finish();
      while (waiting.length) waiting.shift().resolve({value: undefined, done: true});
      return Promise.resolve({value: undefined, done: true});
    }
  };
  iterator[Symbol.asyncIterator] = function () { return this; };
  return iterator;
};

exports.scheduler = {
  wait: function (delay, options) {
    return exports.setTimeout(delay, undefined, options);
  },
  'yield': function () {
    return exports.setImmediate();
  }
};
