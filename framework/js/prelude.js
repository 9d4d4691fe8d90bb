/*
 * eider prelude: the ES2015+ library parts Duktape 2.7 lacks, and the
 * Promise statics and queueMicrotask() over the C Promise core.
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
 *   native  an object shared with the host.  The host's Promise core
 *           (framework/js_promise.h, eider_js_promise_natives) has put on
 *           it Promise, queueMicrotask, nextTick, promiseState and
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
 *           and the core calls, when the host provides them,
 *             native.requestDrain()   work was queued; call runMicrotasks soon
 *                                     (called once until the next drain);
 *             native.reportError(err) a microtask threw err (if reportError
 *                                     throws, the drain stops; the jobs left
 *                                     stay queued for the next drain);
 *             native.unhandledRejection(reason, promise)
 *                                     promise was rejected and still had no
 *                                     handler when a drain finished.
 *           Without native.Promise the global's own Promise stays (V8's,
 *           when tests/js/prelude_node.js runs the parts in Node).
 *
 *           and native.lib, the helpers the later parts share (install,
 *           toObject, toInteger, toLength);
 *           and, when the host provides it,
 *             native.hiddenSymbol(name)  a property key no script can list
 *                                     (for internal state; else Symbol).
 *   A process object the host made gets process.nextTick (native.nextTick:
 *   ticks run first in every drain, as in Node).
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

  // ---- Promise and the microtask queue ---------------------------------------
  // The core is in C (framework/js_promise.c, js_microtask.c): the
  // promise state, reactions and resolving functions, then/catch,
  // Promise.resolve/reject, and the queue that Promise jobs,
  // queueMicrotask() and process.nextTick() share, on native (see the
  // contract above).  A host without it (tests/js/prelude_node.js runs
  // these parts in V8) keeps its own Promise and queueMicrotask.
  var Promise = native.Promise || global.Promise;

  // process.nextTick(fn, ...args), on a process the host made.
  if (typeof native.nextTick === 'function' && global.process !== null &&
      typeof global.process === 'object' && !global.process.nextTick) {
    Object.defineProperty(global.process, 'nextTick', {
      value: native.nextTick, writable: true, configurable: true, enumerable: true
    });
  }
  if (typeof native.queueMicrotask === 'function') install(global, {queueMicrotask: native.queueMicrotask});

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
        Promise.resolve(item).then(function (value) {
          store(i, onValue(value));
        }, onReason ? function (reason) {
          store(i, onReason(reason));
        } : reject);
      });
    });
  }

  // A heap with no Promise at all (the lowering compiler's, which calls
  // the prelude with an empty native) goes without.
  if (Promise) {
    install(Promise.prototype, {
      // Run onFinally() on either outcome, then pass the outcome on (unless
      // onFinally throws or returns a promise that rejects).
      'finally': function (onFinally) {
        if (typeof onFinally !== 'function') return this.then(onFinally, onFinally);
        return this.then(function (value) {
          return Promise.resolve(onFinally()).then(function () { return value; });
        }, function (reason) {
          return Promise.resolve(onFinally()).then(function () { throw reason; });
        });
      }
    });

    install(Promise, {
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
            Promise.resolve(item).then(resolve, reject);
          });
        });
      },
      // {promise, resolve, reject}: a promise of this constructor and the
      // functions that settle it.
      withResolvers: function withResolvers() {
        var result = {};
        result.promise = new this(function (resolve, reject) {
          result.resolve = resolve;
          result.reject = reject;
        });
        return result;
      }
    });

    Object.defineProperty(Promise.prototype, Symbol.toStringTag, {value: 'Promise', configurable: true});
    // For util.inspect: [state, value] of one of the core's promises (state
    // 0 pending, 1 fulfilled, 2 rejected), or undefined for another object.
    if (typeof native.promiseState === 'function') {
      Object.defineProperty(Promise, Symbol['for']('eider.promiseState'), {value: native.promiseState});
    }
    install(global, {Promise: Promise});
  }

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

  Object.defineProperty(CollectionIterator.prototype, ITERATOR, {
    value: function () { return this; }, writable: true, configurable: true
  });

  install(global, {Map: Map, Set: Set});

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
