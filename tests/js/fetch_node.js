/*
 * Runs framework/js/fetch.js under Node with a fake native (the C half of
 * js_fetch.c): what fetch() hands native.request, what Headers and Response
 * do, and how an AbortSignal cancels. The Headers and Response checks run
 * twice: on fetch.js's classes and on Node's own (undici), so the
 * expectations are those of the platform, not of our implementation.
 *
 *   node tests/js/fetch_node.js framework/js/fetch.js
 *
 * Prints "ok NAME" or "FAIL NAME: why" for each test, then "N passed, N failed"; exit status 0 only when
 * nothing failed.
 */
'use strict';

var fs = require('fs');
var vm = require('vm');
var assert = require('assert');

if (process.argv.length !== 3) {
  console.error('usage: node fetch_node.js fetch.js');
  process.exit(2);
}

var passed = 0, failed = 0, pending = [];

function test(name, fn) {
  pending.push({ name: name, fn: fn });
}

/* A fake native: request() records its arguments and answers with the
 * response the test queued (or a TypeError when none is). */
function makeNative() {
  var native = {
    calls: [],
    aborted: [],
    reply: null,
    request: function (url, method, flat, body, timeout, mode, handle) {
      native.calls.push({ url: url, method: method, flat: flat, body: body, timeout: timeout, mode: mode });
      if (handle) handle.ref = 7;
      if (native.reply === null) return Promise.reject(new TypeError('fetch failed: no reply'));
      if (native.reply === 'never') return new Promise(function () {});
      return Promise.resolve(native.response(native.reply));
    },
    decode: function (ab) { return Buffer.from(ab).toString('utf8'); },
    promise: function () { return Promise; },
    plainUrl: function (s) { return /^[a-zA-Z][a-zA-Z0-9+.-]*:[\x21-\x7e]*$/.test(s); },
    abort: function (ref) { native.aborted.push(ref); }
  };
  return native;
}

var native = makeNative();
var src = fs.readFileSync(process.argv[2], 'utf8');
var ours = vm.runInThisContext(src, { filename: process.argv[2] })(native);

function raw(status, headers, text) {
  return { status: status, statusText: 'OK', url: 'http://x/', redirected: false,
           headers: headers, body: new TextEncoder().encode(text).buffer };
}

// --- Headers and Response: ours, then Node's

[['fetch.js', ours], ['node', { Headers: Headers, Response: Response }]].forEach(function (pair) {
  var who = pair[0], H = pair[1].Headers, R = pair[1].Response;

  test(who + ': Headers folds names, joins values, keeps set-cookie apart', function () {
    var h = new H([['B', '1'], ['a', '2'], ['set-cookie', 'x'], ['Set-Cookie', 'y'], ['b', '3']]);
    assert.strictEqual(h.get('b'), '1, 3');
    assert.strictEqual(h.get('A'), '2');
    assert.strictEqual(h.get('nope'), null);
    assert.deepStrictEqual(Array.from(h), [['a', '2'], ['b', '1, 3'], ['set-cookie', 'x'], ['set-cookie', 'y']]);
    assert.deepStrictEqual(h.getSetCookie(), ['x', 'y']);
    h.set('B', ' 9 ');
    assert.strictEqual(h.get('b'), '9');
    h['delete']('b');
    assert.strictEqual(h.has('b'), false);
  });

  test(who + ': Headers refuses bad names and values', function () {
    assert.throws(function () { new H({ 'a b': '1' }); }, TypeError);
    assert.throws(function () { new H({ a: 'x\r\ny: 1' }); }, TypeError);
    assert.throws(function () { new H([['a']]); }, TypeError);
  });

  test(who + ': Response from a string', function () {
    var r = new R('héllo', { status: 201, headers: { 'X-A': '1' } });
    assert.strictEqual(r.status, 201);
    assert.strictEqual(r.ok, true);
    assert.strictEqual(r.headers.get('x-a'), '1');
    assert.strictEqual(r.headers.get('content-type'), 'text/plain;charset=UTF-8');
    assert.strictEqual(r.bodyUsed, false);
    return r.clone().text().then(function (t) {
      assert.strictEqual(t, 'héllo');
      return r.arrayBuffer();
    }).then(function (ab) {
      assert.strictEqual(ab.byteLength, 6);
      assert.strictEqual(r.bodyUsed, true);
      return r.text().then(function () { throw new Error('read twice'); }, function (e) {
        assert.ok(e instanceof TypeError, String(e));
      });
    });
  });

  test(who + ': Response status out of range', function () {
    assert.throws(function () { new R('', { status: 99 }); }, RangeError);
    assert.throws(function () { new R('', { status: 600 }); }, RangeError);
  });

  test(who + ': Response json', function () {
    return new R('{"a": [1]}').json().then(function (v) {
      assert.deepStrictEqual(v, { a: [1] });
      return new R('{').json();
    }).then(function () { throw new Error('bad JSON parsed'); }, function (e) {
      assert.ok(e instanceof SyntaxError, String(e));
    });
  });
});

// --- fetch(): what the C half is asked, what comes back

test('fetch hands the C half its request', function () {
  native.calls = [];
  native.reply = raw(200, [['content-type', 'application/json']], '{"ok":true}');
  return ours.fetch('http://127.0.0.1:1/p?q=1', {
    method: 'post', headers: { 'X-One': '1' }, body: 'hé', timeout: 1500.7, redirect: 'manual'
  }).then(function (r) {
    var c = native.calls[0];
    assert.strictEqual(c.url, 'http://127.0.0.1:1/p?q=1');
    assert.strictEqual(c.method, 'POST');
    assert.deepStrictEqual(c.flat, ['x-one', '1', 'content-type', 'text/plain;charset=UTF-8']);
    assert.deepStrictEqual(Array.from(c.body), [0x68, 0xc3, 0xa9]);
    assert.strictEqual(c.timeout, 1500);
    assert.strictEqual(c.mode, 2);
    assert.ok(r instanceof ours.Response);
    assert.strictEqual(r.type, 'basic');
    assert.strictEqual(r.headers.get('Content-Type'), 'application/json');
    return r.json();
  }).then(function (v) {
    assert.deepStrictEqual(v, { ok: true });
  });
});

test('fetch defaults: GET, no headers, configured timeout, follow', function () {
  native.calls = [];
  native.reply = raw(204, [], '');
  return ours.fetch({ href: 'http://h/' }).then(function () {
    assert.deepStrictEqual(native.calls[0], { url: 'http://h/', method: 'GET', flat: [], body: null,
                                              timeout: -1, mode: 0 });
  });
});

test('fetch cleans a URL with spaces and non-ASCII', function () {
  native.calls = [];
  native.reply = raw(200, [], '');
  return ours.fetch('  http://h/a b/é  ').then(function () {
    assert.strictEqual(native.calls[0].url, 'http://h/a%20b/%C3%A9');
  });
});

function rejects(promise, Type, what) {
  return promise.then(function () { throw new Error(what + ': resolved'); }, function (e) {
    assert.ok(e instanceof Type, what + ': ' + e);
  });
}

test('fetch rejects bad arguments without calling the C half', function () {
  native.calls = [];
  return Promise.all([
    rejects(ours.fetch('no-scheme'), TypeError, 'relative URL'),
    rejects(ours.fetch('http://h/', { method: 'GET', body: 'x' }), TypeError, 'GET with a body'),
    rejects(ours.fetch('http://h/', { method: 'CONNECT' }), TypeError, 'CONNECT'),
    rejects(ours.fetch('http://h/', { method: 'a b' }), TypeError, 'bad method'),
    rejects(ours.fetch('http://h/', { timeout: -1 }), TypeError, 'negative timeout'),
    rejects(ours.fetch('http://h/', { redirect: 'sometimes' }), TypeError, 'bad redirect'),
    rejects(ours.fetch('http://h/', { signal: {} }), TypeError, 'not a signal'),
    rejects(ours.fetch('http://h/', 'opts'), TypeError, 'options not an object')
  ]).then(function () {
    assert.strictEqual(native.calls.length, 0);
  });
});

test('fetch passes the C half failure on', function () {
  native.reply = null;
  return rejects(ours.fetch('http://h/'), TypeError, 'failed request');
});

test('an AbortSignal cancels by handle.ref and rejects with its reason', function () {
  var ac = new AbortController(), reason = new Error('stop');
  native.aborted = [];
  native.reply = 'never';
  var p = ours.fetch('http://h/', { signal: ac.signal });
  ac.abort(reason);
  return p.then(function () { throw new Error('resolved'); }, function (e) {
    assert.strictEqual(e, reason);
    assert.deepStrictEqual(native.aborted, [7]);
  });
});

test('an already aborted signal rejects at once', function () {
  native.calls = [];
  return rejects(ours.fetch('http://h/', { signal: AbortSignal.abort() }), Error, 'aborted').then(function () {
    assert.strictEqual(native.calls.length, 0);
  });
});

/* One test at a time: they share the fake native. */
(function next(i) {
  if (i === pending.length) {
    console.log(passed + ' passed, ' + failed + ' failed');
    process.exit(failed === 0 ? 0 : 1);
  }
  var t = pending[i];
  Promise.resolve().then(t.fn).then(function () {
    passed++;
    console.log('ok ' + t.name);
  }, function (e) {
    failed++;
    console.log('FAIL ' + t.name + ': ' + (e && e.stack || e));
  }).then(function () { next(i + 1); });
})(0);
