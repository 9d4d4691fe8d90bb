/*
 * eider prelude: the ES2015+ library parts Duktape 2.7 lacks, plus the
 * microtask queue that Promise jobs and queueMicrotask() run on.
 *
 * Contract with the host (framework/*.c, tests/js/*):
 *   The whole file is one function expression, so evaluating the source
 *   (duk_peval, or duk_pcompile with DUK_COMPILE_EVAL then duk_pcall;
 *   DUK_COMPILE_FUNCTION rejects the parentheses) returns the function.
 *   Each heap calls it once, before any handler code:
 *
 *       prelude(global, native)
 *
 *   global  the global object; missing builtins are added to it (and to the
 *           builtin constructors and prototypes) as non-enumerable properties.
 *   native  an object shared with the host.  The prelude sets
 *             native.runMicrotasks()  run queued jobs until the queue is empty,
 *                                     then report unhandled rejections;
 *             native.newPromise()     a pending Promise without an executor
 *                                     (cheaper than new Promise(fn) for a
 *                                     host that settles it later);
 *             native.settlePromise(promise, rejected, value)
 *                                     settle such a promise once: what the
 *                                     executor's reject(value) (rejected
 *                                     true) or resolve(value) would do;
 *             native.awaitValue(value, resume, state)
 *                                     what `await value` waits for: calls
 *                                     resume(state, outcome, rejected) in
 *                                     a job once value settles;
 *           and calls, when the host provides them,
 *             native.requestDrain()   work was queued; call runMicrotasks soon
 *                                     (called once until the next drain);
 *             native.reportError(err) a microtask threw err (if reportError
 *                                     throws, the drain stops; the jobs left
 *                                     stay queued for the next drain);
 *             native.unhandledRejection(reason, promise)
 *                                     promise was rejected and still had no
 *                                     handler when a drain finished.
 *
 *           and native.lib, the helpers the later parts share (install,
 *           toObject, toInteger, toLength);
 *           and, when the host provides it,
 *             native.hiddenSymbol(name)  a property key no script can list
 *                                     (for internal state; else Symbol).
 *   A process object the host made gets process.nextTick (ticks run first
 *   in every drain, as in Node).
 *
 * This is the first of the prelude's parts; prelude_es.js (ES2017-2023
 * members, Error/Date wrappers, WeakMap...), prelude_web.js
 * (AbortController, structuredClone...) and prelude_buffer.js follow, with
 * the same contract (framework/js/PRELUDE.md).
 *
 * Plain ES5 plus Symbol (built into Duktape 2.7).  Defines only what is
 * missing: Duktape 2.7 already has Object.assign, String.prototype.includes/
 * startsWith/endsWith/repeat and Number.isInteger/isFinite/isNaN.
 */
(function (global, native) {
  'use strict';

  var hasOwn = Object.prototype.hasOwnProperty;
  var ITERATOR = Symbol.iterator;

  // Add each property of props that obj lacks, non-enumerable like builtins.
  function install(obj, props) {
    for (var name in props) {
      if (!(name in obj)) {
        Object.defineProperty(obj, name, {value: props[name], writable: true, configurable: true});
      }
    }
  }

  // Object(value), but TypeError for null and undefined.
  function toObject(value) {
    if (value == null) throw new TypeError('Cannot convert undefined or null to object');
    return Object(value);
  }

  // ES ToInteger and ToLength.
  function toInteger(value) {
    var n = Number(value);
    return n !== n ? 0 : Math.trunc(n);
  }
  function toLength(value) {
    return Math.min(Math.max(toInteger(value), 0), 9007199254740991);
  }

  // SameValueZero: like === except that NaN equals NaN.
  function sameValueZero(a, b) {
    return a === b || (a !== a && b !== b);
  }

  // The helpers above are the only copy: the later parts (prelude_es.js,
  // prelude_web.js, prelude_buffer.js) run with the same native object
  // and take them from here.
  native.lib = {install: install, toObject: toObject, toInteger: toInteger, toLength: toLength};

  // The elements of an iterable as a new array.  Iterables are strings
  // (split by code point), objects with a [Symbol.iterator]() method (Map,
  // Set, their iterators) and, as Duktape's arrays, typed arrays and
  // arguments have no [Symbol.iterator], objects with a numeric length.
  // With arrayLike (Array.from) any object will do.
  function toList(items, arrayLike) {
    if (items == null) throw new TypeError(items + ' is not iterable');
    if (typeof items === 'string') return items.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g) || [];
    var list = [], i, step;
    // An array with the arrays' own iterator (prelude_es.js adds it) is
    // read by index below: the same elements, without an object for each.
    var plainArray = Array.isArray(items) && items[ITERATOR] === Array.prototype[ITERATOR];
    if (!plainArray && typeof items[ITERATOR] === 'function') {
      var iterator = items[ITERATOR]();
      for (step = iterator.next(); !step.done; step = iterator.next()) list.push(step.value);
    } else if (arrayLike || typeof Object(items).length === 'number') {
      var object = Object(items), length = toLength(object.length);
      for (i = 0; i < length; i++) list.push(object[i]);
    } else {
      throw new TypeError(typeof items + ' is not iterable');
    }
    return list;
  }

  // Keys for internal state: for-in and JSON skip symbols, and the host's
  // hidden symbols (native.hiddenSymbol) are also out of reach of
  // Object.getOwnPropertySymbols, so util.inspect and deep equality do not
  // see them.
  var internalKey = typeof native.hiddenSymbol === 'function' ? native.hiddenSymbol : Symbol;

  // Promise internals, under symbol keys so that for-in and JSON skip them.
  // Only STATE is set when a promise is made; the others are added when
  // first needed (an absent one reads as undefined), as each property put
  // on a new object costs Duktape about as much as a function call.
  // A promise's state is 0 (pending), 1 (fulfilled) or 2 (rejected),
  // written as literals below: Duktape reads a variable of an enclosing
  // function (such as a constant PENDING) by a lookup by name that costs
  // hundreds of instructions, and these run several times per then().
  var STATE = internalKey('state');           // 0, 1 or 2
  var RESULT = internalKey('result');         // while pending: its reactions (one
                                         // reaction, or an array of two or
                                         // more); once settled: the value
                                         // or the reason
  var HANDLED = internalKey('handled');       // true once then() was called

  // ---- Microtask queue ----------------------------------------------------
  // Jobs are (fn, arg) pairs in `jobs`, run as fn(arg) in FIFO order from
  // index `head`.
  var jobs = [], head = 0;
  // process.nextTick callbacks, as [fn, args] pairs: a drain runs them all
  // before the Promise jobs, and again once those are done if more came,
  // which is the order Node gives (ticks first, then microtasks).
  var ticks = [];
  var draining = false;         // runMicrotasks is running
  var drainRequested = false;   // native.requestDrain() called, no drain since
  var rejections = [];          // rejected without a handler since last drain

  // Tell the host there is work for runMicrotasks, once per drain.
  function requestDrain() {
    if (!draining && !drainRequested && typeof native.requestDrain === 'function') {
      drainRequested = true;
      native.requestDrain();
    }
  }

  // Queue fn(arg) to run in the current or the next drain. Stores by
  // index: jobs.push() is a property lookup and a native call.
  function enqueue(fn, arg) {
    var queue = jobs, n = queue.length;
    queue[n] = fn;
    queue[n + 1] = arg;
    if (!draining) requestDrain();
  }

  function reportError(err) {
    if (typeof native.reportError === 'function') native.reportError(err);
  }

  // Report promises rejected during the drain that still have no handler.
  function reportUnhandled() {
    var list = rejections;
    rejections = [];
    for (var i = 0; i < list.length; i++) {
      var promise = list[i];
      if (!promise[HANDLED] && typeof native.unhandledRejection === 'function') {
        try {
          native.unhandledRejection(promise[RESULT], promise);
        } catch (err) {
          reportError(err);
        }
      }
    }
  }

  // Run jobs until none is left, including jobs queued meanwhile, then
  // report unhandled rejections (and run any jobs that queued).  A job that
  // throws is reported and the drain goes on.  Nested calls do nothing.
  // The loop works on local copies of jobs and head (Duktape reaches the
  // variables of an enclosing function only by a slow lookup by name);
  // only this function moves head, and the finally block stores it back
  // for a drain that stops on a throwing reportError.
  native.runMicrotasks = function runMicrotasks() {
    if (draining) return;
    draining = true;
    drainRequested = false;
    var queue = jobs, i = head;
    try {
      do {
        if (ticks.length) runTicks();
        while (i < queue.length) {
          var fn = queue[i], arg = queue[i + 1];
          queue[i] = queue[i + 1] = void 0;
          i += 2;
          try {
            fn(arg);
          } catch (err) {
            reportError(err);
          }
          if (i >= 1024 && i * 2 >= queue.length) {  // keep long drains small
            queue.splice(0, i);
            i = 0;
          }
        }
        queue.length = i = 0;
        if (!ticks.length) reportUnhandled();
      } while (queue.length || ticks.length);
    } finally {
      head = i;
      draining = false;
    }
  };

  function invoke(fn) {
    fn();
  }

  // Run the queued nextTick callbacks, and those they queue, in order; one
  // that throws is reported and the others still run.
  function runTicks() {
    while (ticks.length) {
      var batch = ticks;
      ticks = [];
      for (var k = 0; k < batch.length; k += 2) {
        try {
          batch[k].apply(undefined, batch[k + 1]);
        } catch (err) {
          reportError(err);
        }
      }
    }
  }

  // process.nextTick(fn, ...args), on a process the host made.
  if (global.process !== null && typeof global.process === 'object' && !global.process.nextTick) {
    Object.defineProperty(global.process, 'nextTick', {
      value: function nextTick(fn) {
        if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function. Received ' + typeof fn);
        ticks.push(fn, arguments.length > 1 ? Array.prototype.slice.call(arguments, 1) : []);
        requestDrain();
      },
      writable: true, configurable: true, enumerable: true
    });
  }

  install(global, {
    // Run fn() in the current or next microtask drain.
    queueMicrotask: function queueMicrotask(fn) {
      if (typeof fn !== 'function') throw new TypeError('queueMicrotask: callback is not a function');
      enqueue(invoke, fn);
    }
  });

  // ---- Promise (Promises/A+, ES2015 + allSettled/finally) -------------------
  function Promise(executor) {
    if (!(this instanceof Promise)) throw new TypeError("Constructor Promise requires 'new'");
    if (typeof executor !== 'function') throw new TypeError('Promise resolver is not a function');
    PendingPromise.call(this);
    var resolving = resolvingFunctions(this);
    try {
      executor(resolving.resolve, resolving.reject);
    } catch (err) {
      resolving.reject(err);
    }
  }

  // new PendingPromise(): a pending promise with no executor, for then(),
  // the statics and the host.  It shares Promise.prototype, so it is a
  // Promise in every way (instanceof, constructor); a constructor of our
  // own is cheaper than Object.create(Promise.prototype) plus a call.
  function PendingPromise() {
    this[STATE] = 0 /* pending */;
  }
  PendingPromise.prototype = Promise.prototype;

  function isPromise(value) {
    return value !== null && typeof value === 'object' && value[STATE] !== void 0;
  }

  // The resolve/reject pair for an executor or a thenable: the first call
  // decides, later calls are ignored.
  function resolvingFunctions(promise) {
    var done = false;
    return {
      resolve: function (value) {
        if (!done) {
          done = true;
          resolvePromise(promise, value);
        }
      },
      reject: function (reason) {
        if (!done) {
          done = true;
          settle(promise, 2 /* rejected */, reason);
        }
      }
    };
  }

  // The Promise Resolution Procedure (Promises/A+ 2.3): fulfil with x, or
  // follow x if it is a thenable (from a job, as ES2015 does).
  function resolvePromise(promise, x) {
    if (x === promise) {
      settle(promise, 2 /* rejected */, new TypeError('Chaining cycle detected for promise'));
      return;
    }
    if (x !== null && (typeof x === 'object' || typeof x === 'function')) {
      var then;
      try {
        then = x.then;
      } catch (err) {
        settle(promise, 2 /* rejected */, err);
        return;
      }
      if (typeof then === 'function') {
        if (then === promiseThen && isPromise(x)) {
          // Our own promise with the original then(): the job registers a
          // reaction without callbacks, which passes x's outcome on to
          // promise exactly as then(resolve, reject) would, without the
          // resolving functions and the unobservable derived promise.
          enqueue(adoptPromise, {source: x, promise: promise, onFulfilled: void 0, onRejected: void 0});
        } else {
          enqueue(adoptThenable, {promise: promise, thenable: x, then: then});
        }
        return;
      }
    }
    settle(promise, 1 /* fulfilled */, x);
  }

  // Job: what x.then(resolve, reject) does for our own promise x, given
  // the reaction made by resolvePromise.
  function adoptPromise(reaction) {
    subscribe(reaction.source, reaction);
  }

  // Job: call job.thenable.then with resolving functions for job.promise.
  function adoptThenable(job) {
    var resolving = resolvingFunctions(job.promise);
    try {
      job.then.call(job.thenable, resolving.resolve, resolving.reject);
    } catch (err) {
      resolving.reject(err);
    }
  }

  // Mark source handled and run reaction once source is settled: queue it
  // now, or keep it for settle().  Most promises get one reaction, kept as
  // is; an array holds them from the second on.
  function subscribe(source, reaction) {
    source[HANDLED] = true;
    if (source[STATE] !== 0 /* pending */) {
      enqueue(runReaction, reaction);
      return;
    }
    var reactions = source[RESULT];
    if (reactions === void 0) source[RESULT] = reaction;
    else if (reactions.source === source) source[RESULT] = [reactions, reaction];
    else reactions.push(reaction);
  }

  // Fix the state and value of a pending promise and queue its reactions.
  function settle(promise, state, value) {
    var reactions = promise[RESULT];
    promise[STATE] = state;
    promise[RESULT] = value;
    if (state === 2 /* rejected */ && !promise[HANDLED]) {
      rejections.push(promise);
      requestDrain();
    }
    if (reactions === void 0) return;
    if (reactions.source === promise) {
      enqueue(runReaction, reactions);
    } else {
      for (var i = 0; i < reactions.length; i++) enqueue(runReaction, reactions[i]);
    }
  }

  // Job: run the callback of reaction r for its settled source promise and
  // resolve r.promise with the outcome; a missing callback passes it on.
  // An await's reaction (awaitValue: r.promise null) hands the outcome to
  // r.resume instead, with no derived promise to settle.
  function runReaction(r) {
    var source = r.source, value = source[RESULT], fulfilled = source[STATE] === 1 /* fulfilled */;
    if (r.promise === null) {
      r.resume(r.state, value, !fulfilled);
      return;
    }
    var handler = fulfilled ? r.onFulfilled : r.onRejected;
    if (typeof handler === 'function') {
      try {
        value = handler(value);
        fulfilled = true;
      } catch (err) {
        value = err;
        fulfilled = false;
      }
    }
    if (fulfilled) resolvePromise(r.promise, value);
    else settle(r.promise, 2 /* rejected */, value);
  }

  // Promise.resolve(value) without a receiver.
  function promiseResolve(value) {
    if (isPromise(value) && value.constructor === Promise) return value;
    var promise = new PendingPromise();
    resolvePromise(promise, value);
    return promise;
  }

  // What `await value` does, for a coroutine (eider/async) or the host:
  // resume(state, outcome, rejected) runs in a job once value settles.
  // Like the language's await, and unlike Promise.resolve(value).then(),
  // it never calls an overridden then() of one of our promises, makes no
  // derived promise and no closure, and a value that is no thenable costs
  // no promise at all; what resume throws goes to the drain's reportError.
  function awaitValue(value, resume, state) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      enqueue(resumeWithValue, {value: value, resume: resume, state: state});
      return;
    }
    var source = promiseResolve(value);
    subscribe(source, {source: source, promise: null, resume: resume, state: state});
  }

  // Job: an await of a value that is no thenable goes on with it.
  function resumeWithValue(job) {
    job.resume(job.state, job.value, false);
  }

  // Promise.all / allSettled: a promise for an array holding, in order,
  // onValue(value) or onReason(reason) for each item's outcome; with no
  // onReason the first rejection rejects the whole.
  function gather(iterable, onValue, onReason) {
    return new Promise(function (resolve, reject) {
      var items = toList(iterable), results = [], remaining = items.length;
      function store(i, result) {
        results[i] = result;
        if (--remaining === 0) resolve(results);
      }
      if (remaining === 0) resolve(results);
      items.forEach(function (item, i) {
        promiseResolve(item).then(function (value) {
          store(i, onValue(value));
        }, onReason ? function (reason) {
          store(i, onReason(reason));
        } : reject);
      });
    });
  }

  // Register callbacks for the outcome; returns a promise for their result.
  var promiseThen = function then(onFulfilled, onRejected) {
    if (!isPromise(this)) throw new TypeError('Promise.prototype.then called on a non-promise');
    var promise = new PendingPromise();
    subscribe(this, {source: this, promise: promise, onFulfilled: onFulfilled, onRejected: onRejected});
    return promise;
  };

  install(Promise.prototype, {
    then: promiseThen,
    'catch': function (onRejected) {
      return this.then(undefined, onRejected);
    },
    // Run onFinally() on either outcome, then pass the outcome on (unless
    // onFinally throws or returns a promise that rejects).
    'finally': function (onFinally) {
      if (typeof onFinally !== 'function') return this.then(onFinally, onFinally);
      return this.then(function (value) {
        return promiseResolve(onFinally()).then(function () { return value; });
      }, function (reason) {
        return promiseResolve(onFinally()).then(function () { throw reason; });
      });
    }
  });

  install(Promise, {
    resolve: promiseResolve,
    reject: function reject(reason) {
      var promise = new PendingPromise();
      settle(promise, 2 /* rejected */, reason);
      return promise;
    },
    all: function all(iterable) {
      return gather(iterable, function (value) { return value; }, null);
    },
    allSettled: function allSettled(iterable) {
      return gather(iterable, function (value) {
        return {status: 'fulfilled', value: value};
      }, function (reason) {
        return {status: 'rejected', reason: reason};
      });
    },
    race: function race(iterable) {
      return new Promise(function (resolve, reject) {
        toList(iterable).forEach(function (item) {
          promiseResolve(item).then(resolve, reject);
        });
      });
    }
  });

  // ---- Map and Set ----------------------------------------------------------
  // A store keeps entries {key, value, prev, next, removed} in a doubly
  // linked list in insertion order, and an index from a string form of each
  // key to its entry, so lookups are O(1).  Objects get a unique id in a
  // symbol property for their string form; keys that cannot have one
  // (symbols, non-extensible objects without an id) are found by a scan.
  // A removed entry keeps its links so iterators standing on it go on.
  var MAP = internalKey('Map'), SET = internalKey('Set'), OBJECT_ID = internalKey('id');
  var ITER_STORE = internalKey('store'), ITER_ENTRY = internalKey('entry'), ITER_PICK = internalKey('pick');
  var lastId = 0;

  function Store() {
    this.first = this.last = null;
    this.size = 0;
    this.index = Object.create(null);
  }

  // The index key of a Map key or Set value, or null for one found by scan.
  // SameValueZero: 0 and -0 both give 'n0', every NaN gives 'nNaN'.
  function indexKey(key) {
    switch (typeof key) {
      case 'string': return 's' + key;
      case 'number': return 'n' + key;
      case 'boolean': case 'undefined': return typeof key + key;
      case 'object': case 'function':
        if (key === null) return 'null';
        if (!hasOwn.call(key, OBJECT_ID)) {
          if (!Object.isExtensible(key)) return null;
          Object.defineProperty(key, OBJECT_ID, {value: ++lastId});
        }
        return 'o' + key[OBJECT_ID];
      default: return null;
    }
  }

  // The entry for key, whose index key is k, or undefined.
  function findEntry(store, key, k) {
    if (k !== null) return store.index[k];
    for (var e = store.first; e; e = e.next) {
      if (e.key === key) return e;
    }
  }

  // Set the value for key (-0 already made 0), appending a new entry.
  function putEntry(store, key, value) {
    var k = indexKey(key), e = findEntry(store, key, k);
    if (e) {
      e.value = value;
      return;
    }
    e = {key: key, value: value, prev: store.last, next: null, removed: false};
    if (store.last) store.last.next = e;
    else store.first = e;
    store.last = e;
    store.size++;
    if (k !== null) store.index[k] = e;
  }

  // Unlink the entry for key; false if there is none.
  function removeEntry(store, key) {
    var k = indexKey(key), e = findEntry(store, key, k);
    if (!e) return false;
    if (k !== null) delete store.index[k];
    e.removed = true;
    if (e.prev) e.prev.next = e.next;
    else store.first = e.next;
    if (e.next) e.next.prev = e.prev;
    else store.last = e.prev;
    store.size--;
    return true;
  }

  // The first entry after e (null: from the start) still in the store;
  // steps back over entries removed after e was reached.
  function nextEntry(store, e) {
    while (e && e.removed) e = e.prev;
    return e ? e.next : store.first;
  }

  // The store of a Map (brand MAP) or Set (brand SET), or TypeError.
  function storeOf(collection, brand) {
    var store = collection != null ? collection[brand] : undefined;
    if (!(store instanceof Store)) throw new TypeError('Method called on an incompatible receiver');
    return store;
  }

  // Iterator over a store, yielding pick(entry) for each entry.
  function CollectionIterator(store, pick) {
    this[ITER_STORE] = store;
    this[ITER_ENTRY] = null;
    this[ITER_PICK] = pick;
  }
  install(CollectionIterator.prototype, {
    next: function next() {
      var store = this[ITER_STORE];
      var e = store && nextEntry(store, this[ITER_ENTRY]);
      if (!e) {
        this[ITER_STORE] = this[ITER_ENTRY] = null;  // done for good
        return {value: undefined, done: true};
      }
      this[ITER_ENTRY] = e;
      return {value: this[ITER_PICK](e), done: false};
    }
  });

  function pickKey(e) { return e.key; }
  function pickValue(e) { return e.value; }
  function pickEntry(e) { return [e.key, e.value]; }

  // The methods Map and Set share, for the given brand.
  function collectionMethods(brand) {
    return {
      has: function has(key) {
        return findEntry(storeOf(this, brand), key, indexKey(key)) !== undefined;
      },
      'delete': function (key) {
        return removeEntry(storeOf(this, brand), key);
      },
      clear: function clear() {
        var store = storeOf(this, brand);
        for (var e = store.first; e; e = e.next) e.removed = true;
        Store.call(store);  // empty it again
      },
      // Call fn(value, key, collection) for each entry, including entries
      // added meanwhile, skipping entries removed before they are reached.
      forEach: function forEach(fn, thisArg) {
        var store = storeOf(this, brand);
        if (typeof fn !== 'function') throw new TypeError(fn + ' is not a function');
        for (var e = nextEntry(store, null); e; e = nextEntry(store, e)) fn.call(thisArg, e.value, e.key, this);
      },
      values: function values() {
        return new CollectionIterator(storeOf(this, brand), pickValue);
      },
      entries: function entries() {
        return new CollectionIterator(storeOf(this, brand), pickEntry);
      }
    };
  }

  // Give a collection prototype size, iteration and a toString tag.
  function finishPrototype(proto, brand, name, iterate) {
    Object.defineProperty(proto, 'size', {
      get: function () { return storeOf(this, brand).size; },
      configurable: true
    });
    Object.defineProperty(proto, ITERATOR, {value: iterate, writable: true, configurable: true});
    Object.defineProperty(proto, Symbol.toStringTag, {value: name, configurable: true});
  }

  function Map(iterable) {
    if (!(this instanceof Map)) throw new TypeError("Constructor Map requires 'new'");
    var store = this[MAP] = new Store();
    if (iterable != null) {
      toList(iterable).forEach(function (entry) {
        if (Object(entry) !== entry) throw new TypeError('Iterator value ' + entry + ' is not an entry object');
        putEntry(store, entry[0] === 0 ? 0 : entry[0], entry[1]);
      });
    }
  }
  install(Map.prototype, collectionMethods(MAP));
  install(Map.prototype, {
    get: function get(key) {
      var e = findEntry(storeOf(this, MAP), key, indexKey(key));
      return e ? e.value : undefined;
    },
    set: function set(key, value) {
      putEntry(storeOf(this, MAP), key === 0 ? 0 : key, value);  // -0 becomes 0
      return this;
    },
    keys: function keys() {
      return new CollectionIterator(storeOf(this, MAP), pickKey);
    }
  });
  finishPrototype(Map.prototype, MAP, 'Map', Map.prototype.entries);

  // A Set is a store whose entries have value === key.
  function Set(iterable) {
    if (!(this instanceof Set)) throw new TypeError("Constructor Set requires 'new'");
    var store = this[SET] = new Store();
    if (iterable != null) {
      toList(iterable).forEach(function (value) {
        if (value === 0) value = 0;
        putEntry(store, value, value);
      });
    }
  }
  install(Set.prototype, collectionMethods(SET));
  install(Set.prototype, {
    add: function add(value) {
      if (value === 0) value = 0;  // -0 becomes 0
      putEntry(storeOf(this, SET), value, value);
      return this;
    },
    keys: Set.prototype.values
  });
  finishPrototype(Set.prototype, SET, 'Set', Set.prototype.values);

  Object.defineProperty(Promise.prototype, Symbol.toStringTag, {value: 'Promise', configurable: true});
  // For util.inspect: [state, value] of one of these promises (state 0
  // pending, 1 fulfilled, 2 rejected), or undefined for another object.
  Object.defineProperty(Promise, Symbol['for']('eider.promiseState'), {
    value: function (p) {
      return isPromise(p) ? [p[STATE], p[STATE] === 0 /* pending */ ? undefined : p[RESULT]] : undefined;
    }
  });
  Object.defineProperty(CollectionIterator.prototype, ITERATOR, {
    value: function () { return this; }, writable: true, configurable: true
  });

  install(global, {Promise: Promise, Map: Map, Set: Set});

  // For the host: a promise it settles later without the closures of an
  // executor (see the contract at the top; settlePromise once per promise).
  native.newPromise = function newPromise() {
    return new PendingPromise();
  };
  native.settlePromise = function settlePromise(promise, rejected, value) {
    if (rejected) settle(promise, 2 /* rejected */, value);
    else resolvePromise(promise, value);
  };
  native.awaitValue = awaitValue;

  // ---- Object, Array, String ------------------------------------------------
  install(Object, {
    entries: function entries(object) {
      var o = toObject(object);
      return Object.keys(o).map(function (key) { return [key, o[key]]; });
    },
    values: function values(object) {
      var o = toObject(object);
      return Object.keys(o).map(function (key) { return o[key]; });
    }
  });

  install(Array, {
    // Array.from(iterable or array-like[, mapFn(value, index)[, thisArg]])
    from: function from(items, mapFn, thisArg) {
      if (mapFn !== undefined && typeof mapFn !== 'function') throw new TypeError(mapFn + ' is not a function');
      var list = toList(items, true);
      if (mapFn) {
        for (var i = 0; i < list.length; i++) list[i] = mapFn.call(thisArg, list[i], i);
      }
      return list;
    },
    of: function of() {
      return Array.prototype.slice.call(arguments);
    }
  });

  // Index of the first element of arrayLike for which pred is true, or -1.
  function findIndex(arrayLike, pred, thisArg) {
    var o = toObject(arrayLike), length = toLength(o.length);
    if (typeof pred !== 'function') throw new TypeError(pred + ' is not a function');
    for (var i = 0; i < length; i++) {
      if (pred.call(thisArg, o[i], i, o)) return i;
    }
    return -1;
  }

  install(Array.prototype, {
    find: function find(pred, thisArg) {
      var i = findIndex(this, pred, thisArg);
      return i < 0 ? undefined : this[i];
    },
    findIndex: function (pred, thisArg) {
      return findIndex(this, pred, thisArg);
    },
    includes: function includes(search, fromIndex) {
      var o = toObject(this), length = toLength(o.length), i = toInteger(fromIndex);
      for (i = i < 0 ? Math.max(length + i, 0) : i; i < length; i++) {
        if (sameValueZero(o[i], search)) return true;
      }
      return false;
    }
  });

  // str padded with repetitions of fill (default ' ') to maxLength, at the
  // start or the end.
  function pad(str, maxLength, fill, atStart) {
    var s = String(toObject(str)), length = toLength(maxLength);
    fill = fill === undefined ? ' ' : String(fill);
    if (length <= s.length || fill === '') return s;
    var needed = length - s.length;
    var padding = fill.repeat(Math.ceil(needed / fill.length)).slice(0, needed);
    return atStart ? padding + s : s + padding;
  }

  install(String.prototype, {
    padStart: function padStart(maxLength, fill) {
      return pad(this, maxLength, fill, true);
    },
    padEnd: function padEnd(maxLength, fill) {
      return pad(this, maxLength, fill, false);
    }
  });
})
