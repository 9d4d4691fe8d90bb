/*
 * Tests for framework/js/prelude.js, in plain ES5, run inside Duktape after
 * the prelude (tests/js/prelude_harness.c runs them; so can any host).
 *
 *   runPreludeTests(drain[, native]) -> {passed: N, failed: N, failures: [message],
 *                                         passes: [name]}
 *
 * drain()  runs the microtask queue to empty (native.runMicrotasks).
 * native   the object the prelude was given; when passed, the hooks
 *          reportError and unhandledRejection are tested too (they are
 *          replaced while a test runs, then restored).
 */
function runPreludeTests(drain, native) {
  var passed = 0, failed = 0, failures = [], passes = [], current = '';

  // Object.is, extended to arrays and plain objects, element by element.
  function same(a, b) {
    if (a === b) return a !== 0 || 1 / a === 1 / b;
    if (a !== a && b !== b) return true;
    if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    var ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (var i = 0; i < ka.length; i++) {
      if (!same(a[ka[i]], b[ka[i]])) return false;
    }
    return true;
  }

  function show(v) {
    if (v === 0 && 1 / v < 0) return '-0';
    if (typeof v === 'string') return JSON.stringify(v);
    if (Array.isArray(v)) return '[' + v.map(show).join(', ') + ']';
    if (v && typeof v === 'object') {
      return '{' + Object.keys(v).map(function (k) { return k + ': ' + show(v[k]); }).join(', ') + '}';
    }
    return String(v);
  }

  function check(ok, what) {
    if (ok) {
      passed++;
      // The check's own words, without what eq adds: a stable name.
      passes.push(current + ': ' + what.replace(/: expected [\s\S]*$/, ''));
    } else {
      failed++;
      failures.push(current + ': ' + what);
    }
  }

  function eq(actual, expected, what) {
    check(same(actual, expected), what + ': expected ' + show(expected) + ', got ' + show(actual));
  }

  function throws(fn, ErrorType, what) {
    try {
      fn();
    } catch (e) {
      check(e instanceof ErrorType, what + ': threw ' + e + ', expected a ' + ErrorType.name);
      return;
    }
    check(false, what + ': did not throw');
  }

  function ownEnumerable(object) {
    var keys = [];
    for (var k in object) keys.push(k);
    return keys;
  }

  // The settled outcome of promise p after a drain, as {value} or {reason}.
  function outcome(p) {
    var result = {pending: true};
    p.then(function (value) { result = {value: value}; }, function (reason) { result = {reason: reason}; });
    drain();
    return result;
  }

  var tests = {
    'Map basics': function () {
      var m = new Map();
      eq(m.set('a', 1), m, 'set returns the map');
      m.set(1, 'number one').set('1', 'string one');
      eq(m.size, 3, 'size');
      eq(m.get('a'), 1, 'get string key');
      eq(m.get(1), 'number one', 'number and string keys are distinct');
      eq(m.get('1'), 'string one', 'string key');
      eq(m.has('b'), false, 'has missing');
      eq(m.get('b'), undefined, 'get missing');
      m.set('a', 2);
      eq(m.size, 3, 'overwrite keeps size');
      eq(m.get('a'), 2, 'overwrite');
      eq(m['delete']('a'), true, 'delete present');
      eq(m['delete']('a'), false, 'delete absent');
      eq(m.size, 2, 'size after delete');
      m.clear();
      eq(m.size, 0, 'size after clear');
      eq(m.has(1), false, 'has after clear');
      m.set('__proto__', 'p').set('hasOwnProperty', 'h');
      eq([m.get('__proto__'), m.get('hasOwnProperty'), m.get('toString')], ['p', 'h', undefined], 'Object.prototype names as keys');
    },

    'Map SameValueZero keys': function () {
      var m = new Map();
      m.set(NaN, 'nan');
      eq(m.get(NaN), 'nan', 'NaN finds NaN');
      eq(m.get(0 / 0), 'nan', 'any NaN finds NaN');
      m.set(-0, 'zero');
      eq(m.get(0), 'zero', '-0 and 0 are one key');
      eq(m.get(-0), 'zero', 'get -0');
      eq(m.keys().next().done, false, 'keys iterator');
      var keys = Array.from(m.keys());
      eq(keys, [NaN, 0], '-0 is stored as +0');
      m.set(true, 't').set(undefined, 'u').set(null, 'n').set('true', 'st').set('undefined', 'su').set('null', 'sn');
      eq([m.get(true), m.get(undefined), m.get(null), m.get('true'), m.get('undefined'), m.get('null')],
        ['t', 'u', 'n', 'st', 'su', 'sn'], 'primitives of different types are distinct');
    },

    'Map object keys': function () {
      var a = {}, b = {}, f = function () {}, frozen = Object.freeze({}), sym = Symbol('s');
      var child = Object.create(a);
      var m = new Map([[a, 'a'], [b, 'b'], [f, 'f'], [frozen, 'frozen'], [sym, 'sym'], [child, 'child']]);
      eq([m.get(a), m.get(b), m.get(f), m.get(frozen), m.get(sym), m.get(child)],
        ['a', 'b', 'f', 'frozen', 'sym', 'child'], 'objects, functions, frozen objects, symbols');
      eq(m.get({}), undefined, 'a fresh object is not a key');
      eq(m.get(Object.freeze({})), undefined, 'a fresh frozen object is not a key');
      eq(m.get(Symbol('s')), undefined, 'another symbol is not a key');
      eq(ownEnumerable(a), [], 'keys get no enumerable property');
      eq(JSON.stringify(a), '{}', 'keys serialize unchanged');
      eq(m['delete'](frozen), true, 'delete a frozen key');
      eq(m.has(frozen), false, 'frozen key gone');
      var other = new Map([[b, 'other']]);
      eq([m.get(b), other.get(b)], ['b', 'other'], 'one object in two maps');
    },

    'Map insertion order': function () {
      var m = new Map([['x', 1], ['y', 2], ['z', 3]]);
      m.set('y', 20);
      eq(Array.from(m.keys()), ['x', 'y', 'z'], 'overwrite keeps position');
      m['delete']('x');
      m.set('x', 10);
      eq(Array.from(m.entries()), [['y', 20], ['z', 3], ['x', 10]], 'delete then set moves to the end');
      eq(Array.from(m.values()), [20, 3, 10], 'values');
      eq(Array.from(m), [['y', 20], ['z', 3], ['x', 10]], 'Array.from(map) gives entries');
      var seen = [];
      m.forEach(function (value, key, map) { seen.push([key, value, map === m]); });
      eq(seen, [['y', 20, true], ['z', 3, true], ['x', 10, true]], 'forEach arguments and order');
      var copy = new Map(m);
      eq(Array.from(copy), Array.from(m), 'new Map(map) copies');
      var ctx = {};
      m.forEach(function () { check(this === ctx, 'forEach thisArg'); }, ctx);
    },

    'Map mutation during iteration': function () {
      var m = new Map([[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd']]);
      var seen = [];
      m.forEach(function (value, key) {
        seen.push(key);
        if (key === 1) m['delete'](3);    // not yet visited: skipped
        if (key === 2) m['delete'](2);    // the current one: iteration goes on
        if (key === 4) m.set(5, 'e');     // added: visited
      });
      eq(seen, [1, 2, 4, 5], 'forEach with deletes and an add');

      var it = m.keys();
      eq(it.next().value, 1, 'iterator first');
      m['delete'](1);
      m['delete'](4);
      eq(it.next().value, 5, 'iterator skips past removed entries');
      m.set(6, 'f');
      eq(it.next(), {value: 6, done: false}, 'iterator sees an entry added after it started');
      eq(it.next(), {value: undefined, done: true}, 'iterator done');
      m.set(7, 'g');
      eq(it.next().done, true, 'a done iterator stays done');

      var it2 = m.values();
      it2.next();
      m.clear();
      m.set(8, 'h');
      eq(it2.next().value, 'h', 'after clear an iterator yields new entries');

      var last = new Map([['only', 1]]);
      var it3 = last.keys();
      it3.next();
      last['delete']('only');
      last.set('later', 2);
      eq(it3.next().value, 'later', 'deleting the last visited entry then adding');
    },

    'Map API shape': function () {
      throws(function () { Map(); }, TypeError, 'Map without new');
      throws(function () { Map.prototype.get.call({}, 1); }, TypeError, 'get on a non-Map');
      throws(function () { Map.prototype.get.call(new Set(), 1); }, TypeError, 'Map method on a Set');
      throws(function () { return new Map([1]); }, TypeError, 'non-entry in constructor');
      throws(function () { new Map().forEach(null); }, TypeError, 'forEach without a function');
      var m = new Map([['k', 'v']]);
      eq(ownEnumerable(m), [], 'no enumerable properties on a map');
      eq(ownEnumerable(Map.prototype), [], 'no enumerable properties on Map.prototype');
      eq(Object.keys(m), [], 'Object.keys(map)');
      eq(Object.prototype.toString.call(m), '[object Map]', 'toString tag');
      eq(typeof m[Symbol.iterator], 'function', 'map is iterable');
      var it = m.entries();
      eq(it[Symbol.iterator](), it, 'iterator is iterable');
      eq(new Map(null).size, 0, 'new Map(null)');
    },

    'Set': function () {
      var s = new Set([3, 1, 3, 2, 1]);
      eq(s.size, 3, 'duplicates dropped');
      eq(Array.from(s), [3, 1, 2], 'insertion order');
      eq(s.add(4), s, 'add returns the set');
      eq(s.has(4), true, 'has');
      eq(s.has('4'), false, 'has is strict');
      s.add(NaN).add(NaN).add(-0).add(0);
      eq(s.size, 6, 'NaN once, -0 and 0 once');
      eq(s.has(NaN) && s.has(0) && s.has(-0), true, 'has NaN, 0, -0');
      eq(Array.from(s.values()).slice(4), [NaN, 0], '-0 stored as +0');
      eq(Array.from(s.entries())[0], [3, 3], 'entries are [value, value]');
      eq(Array.from(s.keys()), Array.from(s.values()), 'keys is values');
      eq(s['delete'](3), true, 'delete');
      eq(Array.from(new Set('hello')), ['h', 'e', 'l', 'o'], 'Set from a string');
      var seen = [];
      s.forEach(function (v, k, set) {
        seen.push(v === k || (v !== v && k !== k), set === s);
        if (v === 1) s['delete'](2);
      });
      eq(seen.length, 8, 'forEach skips a value deleted ahead');
      eq(seen.indexOf(false), -1, 'forEach passes (value, value, set)');
      var o = {};
      eq(new Set([o, o, {}]).size, 2, 'object identity');
      eq(ownEnumerable(s), [], 'no enumerable properties on a set');
      eq(Object.prototype.toString.call(s), '[object Set]', 'toString tag');
      throws(function () { Set(); }, TypeError, 'Set without new');
      throws(function () { Set.prototype.add.call(new Map(), 1); }, TypeError, 'Set method on a Map');
    },

    'Map and Set with many keys': function () {
      var m = new Map(), s = new Set(), i, ok = true;
      for (i = 0; i < 5000; i++) {
        m.set('k' + i, i);
        s.add(i);
      }
      for (i = 0; i < 5000; i += 2) {
        m['delete']('k' + i);
        s['delete'](i);
      }
      for (i = 0; i < 5000; i++) {
        if (m.has('k' + i) !== (i % 2 === 1) || s.has(i) !== (i % 2 === 1)) ok = false;
      }
      eq([m.size, s.size, ok], [2500, 2500, true], '5000 keys, half deleted');
      eq(Array.from(s).slice(0, 3), [1, 3, 5], 'order after deletes');
    },

    'Array.from and Array.of': function () {
      eq(Array.from({length: 3, 0: 'a', 1: 'b'}), ['a', 'b', undefined], 'array-like');
      eq(Array.from([1, , 3]), [1, undefined, 3], 'holes become undefined');
      eq(Array.from('a\uD83D\uDE00b'), ['a', '\uD83D\uDE00', 'b'], 'string by code point');
      eq(Array.from(new Set(['x', 'y'])), ['x', 'y'], 'Set');
      eq(Array.from(new Map([[1, 2]]).keys()), [1], 'iterator');
      var iterable = {};
      iterable[Symbol.iterator] = function () {
        var n = 0;
        return {next: function () { return n < 2 ? {value: n++, done: false} : {value: undefined, done: true}; }};
      };
      eq(Array.from(iterable), [0, 1], 'user-defined iterable');
      eq(Array.from({next: function () {}}), [], 'an object with next() but no [Symbol.iterator] is array-like');
      eq(Array.from([1, 2], function (v, i) { return v * 10 + i + this.k; }, {k: 100}), [110, 121], 'mapFn with index and thisArg');
      eq((function () { return Array.from(arguments); })(1, 2), [1, 2], 'arguments');
      eq(Array.from(5), [], 'number');
      throws(function () { Array.from(null); }, TypeError, 'null');
      throws(function () { Array.from([], 'x'); }, TypeError, 'bad mapFn');
      var a = [1, 2];
      check(Array.from(a) !== a, 'returns a copy');
      eq(Array.of(7), [7], 'Array.of(7)');
      eq(Array.of(1, 'b', 3), [1, 'b', 3], 'Array.of');
    },

    'Array.prototype find, findIndex, includes': function () {
      var a = [5, 12, NaN, 8, 130, 44];
      eq(a.find(function (x) { return x > 10; }), 12, 'find');
      eq(a.find(function (x) { return x > 1000; }), undefined, 'find none');
      eq(a.findIndex(function (x) { return x > 100; }), 4, 'findIndex');
      eq(a.findIndex(function (x) { return x < 0; }), -1, 'findIndex none');
      eq(a.includes(NaN), true, 'includes NaN');
      eq(a.indexOf(NaN), -1, 'indexOf NaN stays -1');
      eq([-0].includes(0), true, 'includes -0');
      eq(a.includes(5, 1), false, 'includes fromIndex');
      eq(a.includes(44, -1), true, 'includes negative fromIndex');
      eq(a.includes(5, -100), true, 'includes large negative fromIndex');
      eq([, 1].includes(undefined), true, 'includes sees holes as undefined');
      eq(Array.prototype.includes.call({length: 1, 0: 'x'}, 'x'), true, 'generic');
      throws(function () { a.find('x'); }, TypeError, 'find without a function');
      var ctx = {}, args = [];
      [7].find(function (v, i, arr) { args.push(v, i, arr.length, this === ctx); }, ctx);
      eq(args, [7, 0, 1, true], 'callback arguments and thisArg');
      eq(ownEnumerable([1]), ['0'], 'for-in over an array sees only elements');
      eq(ownEnumerable({a: 1}), ['a'], 'for-in over an object sees only its keys');
    },

    'Object.entries, values, assign': function () {
      var o = {a: 1, b: 'x'};
      Object.defineProperty(o, 'hidden', {value: 3, enumerable: false});
      eq(Object.entries(o), [['a', 1], ['b', 'x']], 'entries');
      eq(Object.values(o), [1, 'x'], 'values');
      eq(Object.entries('hi'), [['0', 'h'], ['1', 'i']], 'entries of a string');
      eq(Object.values(Object.create({inherited: 1})), [], 'own only');
      throws(function () { Object.entries(null); }, TypeError, 'entries(null)');
      var target = {a: 0};
      eq(Object.assign(target, {b: 1}, null, {a: 2}), {a: 2, b: 1}, 'assign');
    },

    'String methods': function () {
      eq('5'.padStart(3, '0'), '005', 'padStart');
      eq('abc'.padStart(10, '123'), '1231231abc', 'padStart repeats and cuts the fill');
      eq('abc'.padStart(6), '   abc', 'padStart default fill');
      eq('abc'.padStart(2, '0'), 'abc', 'padStart shorter');
      eq('abc'.padStart(6, ''), 'abc', 'padStart empty fill');
      eq('abc'.padEnd(6, '12'), 'abc121', 'padEnd');
      eq('abc'.padEnd(5), 'abc  ', 'padEnd default fill');
      eq(String.prototype.padStart.call(42, 4, 0), '0042', 'padStart generic');
      eq(['ab'.includes('b'), 'ab'.startsWith('a'), 'ab'.endsWith('b'), 'ab'.repeat(2)],
        [true, true, true, 'abab'], 'includes, startsWith, endsWith, repeat (Duktape builtins)');
      eq(ownEnumerable(new String('a')), ['0'], 'for-in over a String object');
    },

    'Number statics (Duktape builtins)': function () {
      eq([Number.isInteger(5), Number.isInteger(5.5), Number.isFinite('1'), Number.isNaN('x'), Number.isNaN(NaN)],
        [true, false, false, false, true], 'isInteger, isFinite, isNaN');
    },

    'Promise ordering': function () {
      var log = [];
      var p = Promise.resolve('v');
      p.then(function (v) { log.push('first ' + v); });
      p.then(function () { log.push('second'); });
      log.push('sync');
      eq(log, ['sync'], 'then callbacks wait for the current code');
      drain();
      eq(log, ['sync', 'first v', 'second'], 'then callbacks run in registration order');

      log = [];
      Promise.resolve().then(function () { log.push('a1'); }).then(function () { log.push('a2'); });
      Promise.resolve().then(function () { log.push('b1'); }).then(function () { log.push('b2'); });
      queueMicrotask(function () { log.push('q'); });
      drain();
      eq(log, ['a1', 'b1', 'q', 'a2', 'b2'], 'chains interleave one job at a time, FIFO');

      log = [];
      new Promise(function (resolve) { resolve(Promise.resolve()); }).then(function () { log.push('adopted'); });
      Promise.resolve().then(function () { log.push('c1'); }).then(function () { log.push('c2'); })
        .then(function () { log.push('c3'); });
      drain();
      eq(log, ['c1', 'c2', 'adopted', 'c3'], 'adopting a promise takes two extra jobs, as in ES2015');

      log = [];
      new Promise(function (resolve) {
        log.push('executor');
        resolve();
      }).then(function () { log.push('then'); });
      log.push('after');
      drain();
      eq(log, ['executor', 'after', 'then'], 'executor runs synchronously');

      log = [];
      queueMicrotask(function () {
        log.push('outer');
        queueMicrotask(function () { log.push('inner'); });
      });
      drain();
      eq(log, ['outer', 'inner'], 'jobs queued during a drain run in the same drain');

      log = [];
      queueMicrotask(function () {
        drain();
        log.push('after nested drain');
      });
      queueMicrotask(function () { log.push('second'); });
      drain();
      eq(log, ['after nested drain', 'second'], 'a drain inside a drain does nothing');
      throws(function () { queueMicrotask(1); }, TypeError, 'queueMicrotask without a function');
    },

    'Promise outcomes': function () {
      eq(outcome(Promise.resolve(1)), {value: 1}, 'resolve');
      eq(outcome(Promise.reject(2)), {reason: 2}, 'reject');
      eq(outcome(Promise.reject(3)['catch'](function (r) { return r + 1; })), {value: 4}, 'catch recovers');
      eq(outcome(Promise.resolve(1).then(function () { throw 'boom'; })), {reason: 'boom'}, 'throw in then rejects');
      eq(outcome(Promise.resolve(5).then(null, null)), {value: 5}, 'non-function callbacks pass the value on');
      eq(outcome(new Promise(function () { throw 'e'; })), {reason: 'e'}, 'executor throw rejects');
      eq(outcome(new Promise(function (resolve, reject) { resolve(1); reject(2); resolve(3); })), {value: 1}, 'first call wins');
      eq(outcome(Promise.resolve({then: function (ok) { ok('thenable'); }})), {value: 'thenable'}, 'thenables are followed');
      var self = new Promise(function (resolve) { queueMicrotask(function () { resolve(self); }); });
      check(outcome(self).reason instanceof TypeError, 'resolving with itself rejects with a TypeError');
      var p = Promise.resolve();
      eq(Promise.resolve(p), p, 'Promise.resolve(promise) returns it');
      var thisValue = 'unset';
      Promise.resolve().then(function () {
        'use strict';
        thisValue = this;
      });
      drain();
      eq(thisValue, undefined, 'callbacks are called without this');

      var log = [];
      eq(outcome(Promise.resolve(1)['finally'](function () { log.push('f1'); return 9; })), {value: 1}, 'finally keeps the value');
      eq(outcome(Promise.reject(2)['finally'](function () { log.push('f2'); })), {reason: 2}, 'finally keeps the reason');
      eq(outcome(Promise.resolve(1)['finally'](function () { throw 3; })), {reason: 3}, 'finally throwing overrides');
      eq(outcome(Promise.resolve(1)['finally'](function () { return Promise.reject(4); })), {reason: 4},
        'finally returning a rejection overrides');
      eq(log, ['f1', 'f2'], 'finally callbacks ran');
      eq(outcome(Promise.resolve(6)['finally']()), {value: 6}, 'finally without a function');
    },

    'Promise statics': function () {
      // A promise that settles one job after the drain starts.
      function later(value) {
        return new Promise(function (resolve) { queueMicrotask(function () { resolve(value); }); });
      }
      var late = later('late');
      eq(outcome(Promise.all([late, 1, Promise.resolve(2)])), {value: ['late', 1, 2]}, 'all keeps order');
      eq(outcome(Promise.all([])), {value: []}, 'all of nothing');
      eq(outcome(Promise.all(new Set([1, 2]))), {value: [1, 2]}, 'all of a Set');
      eq(outcome(Promise.all([1, Promise.reject('no'), Promise.reject('later')])), {reason: 'no'}, 'all rejects with the first');
      check(outcome(Promise.all(5)).reason instanceof TypeError, 'all of a non-iterable rejects with a TypeError');
      eq(outcome(Promise.allSettled([1, Promise.reject('r')])),
        {value: [{status: 'fulfilled', value: 1}, {status: 'rejected', reason: 'r'}]}, 'allSettled');
      eq(outcome(Promise.race([later('late'), Promise.resolve('fast')])), {value: 'fast'}, 'race');
      eq(outcome(Promise.race([later('late'), Promise.reject('x')])), {reason: 'x'}, 'race rejects');
      eq(outcome(Promise.race([])), {pending: true}, 'race of nothing stays pending');
    },

    'Promise API shape': function () {
      throws(function () { Promise(function () {}); }, TypeError, 'Promise without new');
      throws(function () { return new Promise(1); }, TypeError, 'Promise without an executor');
      throws(function () { Promise.prototype.then.call({}, function () {}); }, TypeError, 'then on a non-promise');
      var p = Promise.resolve(1);
      eq(ownEnumerable(p), [], 'no enumerable properties on a promise');
      eq(JSON.stringify(p), '{}', 'JSON of a promise');
      eq(ownEnumerable(Promise.prototype), [], 'no enumerable properties on Promise.prototype');
      eq(Object.prototype.toString.call(p), '[object Promise]', 'toString tag');
      check(p instanceof Promise && p.constructor === Promise, 'instanceof and constructor');
      var seen = [];
      Promise.prototype['catch'].call({then: function (a, b) { seen.push([a, typeof b]); }}, function () {});
      eq(seen, [[undefined, 'function']], 'catch calls the then() of any thenable');
      var pair = Promise.withResolvers();
      pair.reject('no');
      pair.resolve('late');
      eq(outcome(pair.promise), {reason: 'no'}, 'withResolvers: the first call settles');
      eq([Promise.name, Promise.length, Promise.prototype.then.length], ['Promise', 1, 2], 'names and lengths');
      drain();
    },

    'Long chains in one drain': function () {
      var p = Promise.resolve(0), i, count = 0;
      for (i = 0; i < 3000; i++) p = p.then(function (x) { return x + 1; });
      for (i = 0; i < 3000; i++) queueMicrotask(function () { count++; });
      eq(outcome(p), {value: 3000}, '3000 chained thens');
      eq(count, 3000, '3000 queued microtasks');
    },

    'Host hooks: reportError, unhandledRejection': function () {
      if (!native) return;
      var saved = {
        requestDrain: native.requestDrain,
        reportError: native.reportError,
        unhandledRejection: native.unhandledRejection
      };
      var requests = 0, errors = [], unhandled = [];
      native.requestDrain = function () { requests++; };
      native.reportError = function (err) { errors.push(err); };
      native.unhandledRejection = function (reason, promise) { unhandled.push([reason, promise instanceof Promise]); };
      try {
        var log = [];
        Promise.resolve().then(function () {
          queueMicrotask(function () {});
        });
        queueMicrotask(function () {});
        eq(requests, 1, 'requestDrain once for jobs queued before a drain');
        drain();
        eq(requests, 1, 'no requestDrain for jobs queued during a drain');
        Promise.reject('r')['catch'](function () {});
        eq(requests, 2, 'requestDrain again after the drain');
        drain();

        queueMicrotask(function () { throw 'job error'; });
        queueMicrotask(function () { log.push('next job'); });
        drain();
        eq(errors, ['job error'], 'a throwing job is reported');
        eq(log, ['next job'], 'the drain goes on after a throwing job');

        native.reportError = function (err) { throw err; };
        queueMicrotask(function () { throw 'stop'; });
        queueMicrotask(function () { log.push('kept'); });
        var stoppedBy = null;
        try {
          drain();
        } catch (e) {
          stoppedBy = e;
        }
        eq([stoppedBy, log], ['stop', ['next job']], 'a throwing reportError stops the drain');
        native.reportError = function (err) { errors.push(err); };
        drain();
        eq(log, ['next job', 'kept'], 'the jobs left run in the next drain');

        Promise.reject('lost');
        Promise.reject('caught')['catch'](function () {});
        var later = Promise.reject('handled in the drain');
        queueMicrotask(function () { later['catch'](function () {}); });
        Promise.resolve().then(function () { throw 'derived'; });
        drain();
        eq(unhandled, [['lost', true], ['derived', true]], 'unhandled rejections reported after the drain');
        unhandled = [];
        var p = Promise.reject('adopted');
        new Promise(function (resolve) { resolve(p); });
        drain();
        eq(unhandled, [['adopted', true]], 'the adopting promise is reported, not the adopted one');
      } finally {
        native.requestDrain = saved.requestDrain;
        native.reportError = saved.reportError;
        native.unhandledRejection = saved.unhandledRejection;
      }
    },

    // ---- prelude_es.js ----
    'Iteration protocol on Array, String, typed arrays': function () {
      var it = [1, 2][Symbol.iterator]();
      eq(it.next(), {value: 1, done: false}, 'array iterator first');
      eq(it.next(), {value: 2, done: false}, 'array iterator second');
      eq(it.next(), {value: undefined, done: true}, 'array iterator done');
      check(it[Symbol.iterator]() === it, 'an iterator is iterable');
      check(Object.getPrototypeOf([][Symbol.iterator]()) === Object.getPrototypeOf([].keys()), 'one array iterator prototype');
      eq(Object.prototype.toString.call([].values()), '[object Array Iterator]', 'array iterator tag');
      eq(Array.from(['a', 'b'].entries()), [[0, 'a'], [1, 'b']], 'entries');
      eq(Array.from(['a', 'b'].keys()), [0, 1], 'keys');
      var s = 'a\ud83d\ude00b', parts = [], sit = s[Symbol.iterator](), step;
      for (step = sit.next(); !step.done; step = sit.next()) parts.push(step.value);
      eq(parts, ['a', '\ud83d\ude00', 'b'], 'strings iterate by code point');
      eq(Array.from(new Uint8Array([7, 8])[Symbol.iterator]()), [7, 8], 'typed array iterator');
      eq(typeof Symbol.asyncIterator, 'symbol', 'Symbol.asyncIterator');
      var m = new Map([[1, 'x'], [2, 'y']]);
      eq(m.get(2), 'y', 'Map from an array of pairs still works');
    },

    'Object.fromEntries, getOwnPropertyDescriptors': function () {
      eq(Object.fromEntries([['a', 1], ['b', 2]]), {a: 1, b: 2}, 'from pairs');
      eq(Object.fromEntries(new Map([['x', 1]])), {x: 1}, 'from a Map');
      throws(function () { Object.fromEntries([1]); }, TypeError, 'non-entry');
      var d = Object.getOwnPropertyDescriptors({a: 1});
      eq([d.a.value, d.a.writable, d.a.enumerable], [1, true, true], 'descriptors');
    },

    'Array flat, flatMap, fill, at, findLast, findLastIndex': function () {
      eq([1, [2, [3, [4]]]].flat(), [1, 2, [3, [4]]], 'flat depth 1');
      eq([1, [2, [3, [4]]]].flat(Infinity), [1, 2, 3, 4], 'flat Infinity');
      eq([1, , 3].flat(), [1, 3], 'flat skips holes');
      eq([1, 2].flatMap(function (x) { return [x, x * 10]; }), [1, 10, 2, 20], 'flatMap');
      eq([1, 2].flatMap(function (x) { return [[x]]; }), [[1], [2]], 'flatMap flattens one level');
      eq([1, 2, 3, 4].fill(0, 1, -1), [1, 0, 0, 4], 'fill range');
      eq(new Array(3).fill('x'), ['x', 'x', 'x'], 'fill all');
      eq([[1, 2, 3].at(0), [1, 2, 3].at(-1), [1, 2, 3].at(5)], [1, 3, undefined], 'at');
      var odd = function (x) { return x % 2; };
      eq([[1, 2, 3, 4].findLast(odd), [1, 2, 3, 4].findLastIndex(odd), [2, 4].findLastIndex(odd)], [3, 2, -1], 'findLast');
    },

    'Array copyWithin, stable sort': function () {
      eq([1, 2, 3, 4, 5].copyWithin(0, 3), [4, 5, 3, 4, 5], 'copyWithin');
      eq([1, 2, 3, 4, 5].copyWithin(1, 0, 3), [1, 1, 2, 3, 5], 'copyWithin overlapping');
      eq([1, 2, 3, 4, 5].copyWithin(-2, -4, -3), [1, 2, 3, 2, 5], 'copyWithin negative');
      var items = [];
      for (var i = 0; i < 40; i++) items.push({k: i % 3, i: i});
      items.sort(function (a, b) { return a.k - b.k; });
      var stable = true;
      for (i = 1; i < items.length; i++) {
        if (items[i - 1].k === items[i].k && items[i - 1].i > items[i].i) stable = false;
      }
      check(stable, 'sort is stable');
      eq(['b', undefined, 'a', , 'c'].sort().length, 5, 'sort keeps the length');
      var sorted = ['b', undefined, 'a', , 'c'].sort();
      eq([sorted[0], sorted[1], sorted[2], sorted[3], 4 in sorted], ['a', 'b', 'c', undefined, false], 'undefined last, holes after');
      eq([10, 9, 1, 2].sort(), [1, 10, 2, 9], 'default order is by string');
      eq([3, 1, 2].sort(function (a, b) { return b - a; }), [3, 2, 1], 'comparator');
      throws(function () { [1].sort('x'); }, TypeError, 'a comparator that is not a function');
    },

    'String.raw, TextEncoder#encodeInto': function () {
      eq(String.raw({raw: ['a', 'b', 'c']}, 1, 2, 3), 'a1b2c', 'String.raw');
      eq(String.raw({raw: 'xyz'}, '-'), 'x-yz', 'String.raw of a string');
      if (typeof TextEncoder === 'function') {
        var dest = new Uint8Array(5);
        var r = new TextEncoder().encodeInto('a\u00e9\ud83d\ude00', dest);
        eq([r.read, r.written, dest[0], dest[1], dest[2]], [2, 3, 97, 0xc3, 0xa9], 'encodeInto stops before a character that does not fit');
        r = new TextEncoder().encodeInto('\ud83d\ude00', new Uint8Array(4));
        eq([r.read, r.written], [2, 4], 'encodeInto of a pair');
      }
    },

    'Buffer: UTF-8 outside the BMP, offsets checked as in Node': function () {
      if (typeof Buffer !== 'function') return;
      eq(Buffer.from('\ud83d\ude00').toString('hex'), 'f09f9880', 'one 4-byte sequence');
      eq(Buffer.byteLength('a\ud83d\ude00'), 5, 'byteLength');
      eq(Buffer.from('\ud83d').toString('hex'), 'efbfbd', 'a lone surrogate is U+FFFD');
      var b = Buffer.alloc(6);
      eq(b.write('\ud83d\ude00', 1), 4, 'write');
      eq(b.toString('hex'), '00f09f988000', 'written bytes');
      var e;
      try { Buffer.alloc(4).readUInt32BE(1); } catch (err) { e = err; }
      eq([e instanceof RangeError, e && e.code], [true, 'ERR_OUT_OF_RANGE'], 'read past the end');
      eq(Buffer.from([1, 2]).readUint16BE(0), 258, 'Uint alias');
    },

    'String replaceAll, at, trimStart, trimEnd, matchAll': function () {
      eq('a.b.c'.replaceAll('.', '-'), 'a-b-c', 'replaceAll string (no regexp meaning)');
      eq('aXbX'.replaceAll('X', '$&$&'), 'aXXbXX', 'replaceAll $& pattern');
      eq('ab'.replaceAll('', '-'), '-a-b-', 'replaceAll empty');
      eq('a1b2'.replaceAll(/\d/g, function (d) { return '<' + d + '>'; }), 'a<1>b<2>', 'replaceAll regexp and function');
      throws(function () { 'a'.replaceAll(/a/, 'b'); }, TypeError, 'replaceAll non-global regexp');
      eq(['abc'.at(-1), 'abc'.at(0), 'abc'.at(3)], ['c', 'a', undefined], 'at');
      eq(['  x  '.trimStart(), '  x  '.trimEnd()], ['x  ', '  x'], 'trimStart/trimEnd');
      var all = Array.from('a1b22c333'.matchAll(/\d+/g));
      eq(all.map(function (m) { return [m[0], m.index]; }), [['1', 1], ['22', 3], ['333', 6]], 'matchAll');
      eq(Array.from('xx'.matchAll(/(?:)/g)).length, 3, 'matchAll empty matches advance');
      throws(function () { 'a'.matchAll(/a/); }, TypeError, 'matchAll non-global regexp');
    },

    'Promise.any and AggregateError': function () {
      eq(outcome(Promise.any([Promise.reject(1), Promise.resolve(2), 3])), {value: 2}, 'first fulfilled');
      var r = outcome(Promise.any([Promise.reject('a'), Promise.reject('b')])).reason;
      check(r instanceof AggregateError && r instanceof Error, 'rejects with an AggregateError');
      eq([r.errors, r.name], [['a', 'b'], 'AggregateError'], 'errors in order');
      check(outcome(Promise.any([])).reason instanceof AggregateError, 'empty rejects');
      var e = new AggregateError([1], 'm');
      eq([e.message, e.errors, String(e)], ['m', [1], 'AggregateError: m'], 'new AggregateError');
    },

    'WeakMap and WeakSet': function () {
      var w = new WeakMap(), k = {}, f = Object.freeze({});
      check(w.set(k, 1) === w, 'set returns the map');
      w.set(f, 2);
      eq([w.get(k), w.get(f), w.has(k), w.has({}), w.get({}), w.has(1)], [1, 2, true, false, undefined, false], 'get/has');
      eq([Object.keys(k).length, JSON.stringify(k)], [0, '{}'], 'the key shows nothing');
      var child = Object.create(k);
      eq(w.has(child), false, 'not inherited by objects made from a key');
      eq([w['delete'](k), w.has(k), w['delete'](f), w.has(f)], [true, false, true, false], 'delete');
      throws(function () { w.set('s', 1); }, TypeError, 'primitive key');
      var w2 = new WeakMap([[k, 'two']]);
      eq([w2.get(k), w.get(k)], ['two', undefined], 'maps are separate');
      var ws = new WeakSet([k]);
      eq([ws.has(k), ws.has({}), ws['delete'](k), ws.has(k)], [true, false, true, false], 'WeakSet');
      eq(Object.prototype.toString.call(w), '[object WeakMap]', 'tag');
    },

    'Error subclasses from ES5 (TypeScript __extends)': function () {
      // V8 keeps Error.call(this) as ES5 has it (a new Error, this ignored),
      // so there the emitted code loses the subclass: these checks are what
      // Node gives for the class itself, which the prelude gives the ES5.
      var es5Subclassing = typeof Duktape === 'object';
      var __extends = function (d, b) {
        Object.setPrototypeOf(d, b);
        function __() { this.constructor = d; }
        d.prototype = b === null ? Object.create(b) : (__.prototype = b.prototype, new __());
      };
      var E = (function (_super) {
        __extends(E, _super);
        function E(m) { var _this = _super.call(this, m) || this; _this.name = 'E'; return _this; }
        return E;
      }(Error));
      var e = new E('m');
      if (es5Subclassing) eq([e instanceof E, e instanceof Error, e.message, e.name, String(e)], [true, true, 'm', 'E', 'E: m'], 'class E extends Error');
      eq(Object.prototype.toString.call(e), '[object Error]', 'a real Error');
      eq(e.stack.split('\n')[0], 'E: m', 'stack header');
      check(!/prelude(_es|_web|_buffer)?\.js:/.test(e.stack), 'no prelude frames in the stack');
      var R = (function (_super) {
        __extends(R, _super);
        function R(m) { return _super.call(this, m) || this; }
        return R;
      }(RangeError));
      R.prototype.name = 'R';
      var r = new R('x');
      if (es5Subclassing) eq([r instanceof R, r instanceof RangeError, r instanceof Error, r.name, String(r)], [true, true, true, 'R', 'R: x'], 'RangeError subclass, name on the prototype');
      var F = (function (_super) {
        __extends(F, _super);
        function F() { return _super.call(this, 'f') || this; }
        return F;
      }(E));
      var f = new F();
      if (es5Subclassing) eq([f instanceof F, f instanceof E, f.name, f.message], [true, true, 'E', 'f'], 'subclass of a subclass');
      var caught;
      try { null.x; } catch (err) { caught = err; }
      eq([caught instanceof TypeError, caught.constructor === TypeError, caught instanceof Error], [true, true, true], 'engine errors');
      eq([Error('x') instanceof Error, new TypeError('t').name, TypeError.name, Error.length], [true, 'TypeError', 'TypeError', 1], 'constructors');
      eq(new Error('x', {cause: 'c'}).cause, 'c', 'cause');
      eq('cause' in new Error('x'), false, 'no cause');
      var o = {name: 'X', message: 'y'};
      Error.captureStackTrace(o);
      eq(o.stack.split('\n')[0], 'X: y', 'captureStackTrace header');
      eq(Object.keys(o), ['name', 'message'], 'stack not enumerable');
      eq(typeof Error.stackTraceLimit, 'number', 'stackTraceLimit');
      var prep = Error.prepareStackTrace, sites, viaNew;
      Error.prepareStackTrace = function (err, callSites) { return callSites; };
      try {
        var holder = {};
        Error.captureStackTrace(holder);
        sites = holder.stack;
        viaNew = new Error('x').stack;
      } finally {
        Error.prepareStackTrace = prep;
      }
      check(Array.isArray(sites) && sites.length > 0, 'prepareStackTrace gets call sites');
      eq([typeof sites[0].getFileName(), typeof sites[0].getLineNumber(), sites[0].isNative()], ['string', 'number', false], 'a call site');
      check(Array.isArray(viaNew) && typeof viaNew[0].getFunctionName === 'function', 'new Error().stack prepared too');
      eq(typeof new Error('y').stack, 'string', 'a string again without prepareStackTrace');
    },

    'Date toUTCString and parse of HTTP dates': function () {
      var t = 784111777000;
      eq(new Date(t).toUTCString(), 'Sun, 06 Nov 1994 08:49:37 GMT', 'RFC 7231 form');
      eq(new Date(NaN).toUTCString(), 'Invalid Date', 'invalid');
      eq(Date.parse('Sun, 06 Nov 1994 08:49:37 GMT'), t, 'IMF-fixdate');
      eq(Date.parse('Sunday, 06-Nov-94 08:49:37 GMT'), t, 'RFC 850');
      eq(Date.parse('Sun Nov  6 08:49:37 1994 GMT'), t, 'asctime');
      eq(Date.parse('Tue, 15 Nov 1994 12:45:26 +0100'), 784899926000, 'numeric zone');
      eq(Date.parse('2020-01-02T03:04:05.123Z'), 1577934245123, 'ISO');
      eq(new Date('Sun, 06 Nov 1994 08:49:37 GMT').getTime(), t, 'new Date(string)');
      eq(Date.parse('2020-01-02T03:04:05'), new Date(2020, 0, 2, 3, 4, 5).getTime(), 'ISO date-time without offset is local');
      eq(new Date('2020-01-02 03:04:05.250').getTime(), new Date(2020, 0, 2, 3, 4, 5, 250).getTime(), 'with a space, local');
      eq(Date.parse('2020-01-02'), Date.UTC(2020, 0, 2), 'ISO date alone is UTC');
      eq(Date.parse('6 Nov 1994'), new Date(1994, 10, 6).getTime(), 'legacy form without zone is local');
      eq(isNaN(Date.parse('garbage')), true, 'garbage');
      check(new Date() instanceof Date && new Date(0, 1).getMonth() === 1, 'constructor');
      eq(typeof Date(), 'string', 'Date() is a string');
      eq(new Date(t).constructor === Date, true, 'constructor property');
    },

    'structuredClone, atob, btoa': function () {
      var o = {a: [1, {b: new Date(5)}], m: new Map([[1, new Set([2])]]), r: /x/g, u: new Uint8Array([1, 2])};
      o.self = o;
      var c = structuredClone(o);
      check(c !== o && c.self === c && c.a !== o.a, 'deep copy with cycles');
      eq([Object.prototype.toString.call(c.a[1].b), c.a[1].b.getTime(), c.m.get(1).has(2), c.r.source, c.r.flags, c.u[1]], ['[object Date]', 5, true, 'x', 'g', 2], 'Date, Map, Set, RegExp, typed array');
      var thrown;
      try { structuredClone({f: function () {}}); } catch (e) { thrown = e; }
      eq(thrown && thrown.name, 'DataCloneError', 'functions cannot be cloned');
      eq(btoa('hello'), 'aGVsbG8=', 'btoa');
      eq(atob('aGVsbG8='), 'hello', 'atob');
      eq(atob(' aGVs\nbG8 '), 'hello', 'atob ignores whitespace');
      eq(atob('aGk'), 'hi', 'atob without padding');
      eq(btoa('\xff\xfe'), '//4=', 'btoa latin1');
      var bad;
      try { btoa('\u0100'); } catch (e) { bad = e; }
      eq(bad && bad.name, 'InvalidCharacterError', 'btoa past latin1');
    }

  };

  for (var name in tests) {
    current = name;
    try {
      tests[name]();
    } catch (e) {
      failed++;
      failures.push(name + ': threw ' + (e && e.stack || e));
    }
  }
  return {passed: passed, failed: failed, failures: failures, passes: passes};
}
