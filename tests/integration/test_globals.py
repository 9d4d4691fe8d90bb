"""The globals, library members and built-in modules a Node handler expects
(issue 12): ES2017-2023 members, `class E extends Error` as TypeScript
lowers it, HTTP dates, Buffer, process, console format specifiers and
methods, require('util' | 'assert' | 'timers/promises'), AbortController
with fetch(), and errors carrying an HTTP status.

Where the answer must be what Node gives, the same snippet runs under
`node` (v20) in the test and the two results are compared: every snippet
in SNIPPETS is plain ES5 that runs unchanged in both."""
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time

from eiderlib import mkdtemp, Eider, LifeEider, Shared, write_tree, assert_status, wait_until

NODE = shutil.which("node")

# name -> ES5 function body returning a JSON-able value or a Promise of one.
SNIPPETS = {
    "es_members": """
        var out = {};
        out.fromEntries = Object.fromEntries([['a', 1], ['b', [2]]]);
        out.flat = [1, [2, [3, [4]]]].flat(2);
        out.flatInf = [1, [2, [3, [4]]]].flat(Infinity);
        out.flatMap = [1, 2].flatMap(function (x) { return [x, [x * 2]]; });
        out.fill = [1, 2, 3, 4].fill(9, 1, 3);
        out.at = [[1, 2, 3].at(-1), 'abc'.at(-2), [].at(0) === undefined];
        out.findLast = [[1, 2, 3, 4].findLast(function (x) { return x < 3; }),
                        [1, 2, 3, 4].findLastIndex(function (x) { return x > 9; })];
        out.replaceAll = ['a.b.c'.replaceAll('.', '$&$&'), 'xax'.replaceAll('x', function (m, i) { return i; })];
        out.trim = ['  a  '.trimStart(), '  a  '.trimEnd()];
        out.matchAll = Array.from('k1=v1;k2=v2'.matchAll(/(\\w+)=(\\w+)/g)).map(function (m) {
            return [m[0], m[1], m[2], m.index];
        });
        out.iter = [typeof [][Symbol.iterator], typeof ''[Symbol.iterator], typeof Symbol.asyncIterator,
                    Array.from('a\\ud83d\\ude00'[Symbol.iterator]()).length,
                    Object.prototype.toString.call([][Symbol.iterator]())];
        var wm = new WeakMap(), k = {};
        wm.set(k, 'v');
        out.weak = [wm.get(k), wm.has({}), new WeakSet([k]).has(k), Object.getOwnPropertySymbols(k).length,
                    Reflect.ownKeys(k).length];
        out.globals = [typeof globalThis, globalThis === this || typeof globalThis.setTimeout, typeof queueMicrotask];
        out.base64 = [btoa('hello \\xff'), atob('aGVsbG8gw78='), atob(' aGk ')];
        var orig = {d: new Date(86400000), m: new Map([['k', [1]]]), s: new Set([1]), r: /x/gi,
                    u: new Uint8Array([1, 2]), n: [null, 1.5, 'x']};
        orig.self = orig;
        var c = structuredClone(orig);
        out.clone = [c !== orig, c.self === c, c.d.toISOString(), c.m.get('k'), c.s.has(1), String(c.r),
                     Array.prototype.slice.call(c.u), c.n];
        try { structuredClone(function () {}); } catch (e) { out.cloneErr = e.name; }
        return Promise.any([Promise.reject(1), Promise.resolve('any')]).then(function (v) {
            out.any = v;
            return Promise.any([Promise.reject('a'), Promise.reject('b')]);
        }).then(null, function (e) {
            out.anyErr = [e instanceof AggregateError, e.name, e.errors, e.message];
            return out;
        });
    """,
    "dates": """
        return [new Date(784111777000).toUTCString(), new Date(0).toUTCString(), new Date(NaN).toUTCString(),
                Date.parse('Sun, 06 Nov 1994 08:49:37 GMT'), Date.parse('Sunday, 06-Nov-94 08:49:37 GMT'),
                Date.parse('Sun Nov  6 08:49:37 1994 GMT'), Date.parse('Tue, 15 Nov 1994 12:45:26 +0100'),
                Date.parse('2020-01-02T03:04:05.123Z'), Date.parse('2020-01-02T03:04:05+02:00'),
                new Date('Wed, 21 Oct 2015 07:28:00 GMT').getTime(), isNaN(Date.parse('not a date')),
                new Date(2020, 0, 2).getMonth(), typeof Date(), new Date(5) instanceof Date];
    """,
    "date_strings": """
        var list = ['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994',
                    'Sun Nov  6 08:49:37 1994 GMT', 'Tue, 15 Nov 1994 12:45:26 -0530', 'Mon, 1 Jan 2024 10:00:00 EST',
                    '2020-01-02', '2020-01-02T03:04:05', '2020-01-02 03:04:05.250', '2020-01-02T03:04:05.123+02:00',
                    'Nov 6, 1994 10:00', '6 Nov 1994', '1994/11/06', '11/06/1994', 'December 17, 1995 03:24:00',
                    'Wed Oct 21 2015 07:28:00 GMT+0000', 'garbage', '', '2020-13-01', '06 Nov 1994 08:49 GMT'];
        return list.map(function (s) {
            var d = new Date(s);
            return [s, Date.parse(s), isNaN(d) ? null : d.getTime()];
        }).concat([[new Date(2020, 0, 2, 3, 4, 5).getTime(), new Date(0).getTimezoneOffset()]]);
    """,
    "errors": """
        var e = new Error('m', { cause: 'c' });
        var o = { name: 'Custom', message: 'msg' };
        Error.captureStackTrace(o);
        var caught;
        try { null.x; } catch (err) { caught = err; }
        return [e.cause, 'cause' in new Error('x'), o.stack.split('\\n')[0], typeof Error.stackTraceLimit,
                caught instanceof TypeError, caught.constructor === TypeError, new RangeError('r').name,
                String(new TypeError('t')), Object.prototype.toString.call(new SyntaxError('s'))];
    """,
    "buffer": """
        var b = Buffer.from('hello world');
        var s = b.subarray(0, 5);
        s[0] = 72;
        var w = Buffer.alloc(10);
        w.writeUInt16BE(0x1234, 0);
        w.writeInt32LE(-2, 2);
        w.writeDoubleLE ? w.writeUInt8(255, 6) : 0;
        return [b.indexOf('o'), b.indexOf('o', 5), b.lastIndexOf('o'), b.indexOf(Buffer.from('wor')),
                b.includes('xyz'), b.indexOf(0x6c), b.indexOf('6f', 'hex'), b.toString(), Buffer.isBuffer(s),
                w.toString('hex'), w.readUInt16BE(0), w.readInt32LE(2), w.readUInt8(6),
                Buffer.compare(Buffer.from('a'), Buffer.from('b')), Buffer.from('ab').equals(Buffer.from('ab')),
                Buffer.alloc(5, 'ab').toString(), Buffer.byteLength('abcd', 'hex'), Buffer.byteLength('aGk=', 'base64'),
                Buffer.from('hi', 'utf16le').toString('hex'), Buffer.from('aGk', 'base64url').toString(),
                Buffer.from([0xfb, 0xff]).toString('base64url'), Buffer.from('caf\\xe9', 'latin1').toString('hex'),
                Buffer.concat([Buffer.from('a'), Buffer.from('bc')]).toString(), JSON.stringify(Buffer.from('ab')),
                Buffer.from(new Uint8Array([1, 2]).buffer).length, Buffer.isEncoding('base64url')];
    """,
    "inspect": """
        var util = require('util');
        function Point(x, y) { this.x = x; this.y = y; }
        var circ = { name: 'c' };
        circ.self = circ;
        var nums = [];
        for (var i = 0; i < 30; i++) nums.push(i * 7);
        var values = [
            { a: 1, b: 'two', c: [1, 2, 3], 'd-e': true, f: null, g: undefined },
            [1, 'two', [3, [4, [5, [6]]]]], new Point(1, 2), circ, nums,
            new Map([['k', 1], [{ o: 1 }, [1]]]), new Set(['a', 2]), new Date(0), /ab+c/gi,
            Buffer.from('hello'), new Uint8Array([1, 2, 3]), 'it\\'s', "q\\"uote", 'line\\nbreak',
            [1, , 3], Object.create(null), -0, Symbol('s'), function named() {}, function () {},
            { users: [{ id: 1, tags: ['a'] }, { id: 2, tags: [] }], meta: { page: 1, deep: { er: { est: 1 } } } },
            Promise.resolve(42), new WeakMap(), [new Number(1), new String('s')], { 'key with space': 1, k2: [] }
        ];
        return values.map(function (v) { return util.inspect(v); }).concat(
            values.map(function (v) { return util.inspect(v, { depth: 0 }); }),
            [util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: null }),
             util.inspect({ a: { b: { c: { d: 1 } } } }, false, 1),
             util.inspect('str'), util.inspect([1, 2], { compact: false })]);
    """,
    "format": """
        var util = require('util');
        var o = { a: 1, nested: { b: [1, 2, { c: 3 }] } };
        function T() {}
        T.prototype.toString = function () { return 'T!'; };
        var cases = [
            ['%s=%d', 'n', 42], ['%i|%f', '42.9px', '1.5e3x'], ['%j', { a: [1, 'x'] }], ['%o', [1, { a: 2 }]],
            ['%O', o], ['%s', o], ['%s', [1, 2]], ['%s', new T()], ['%s', null], ['%s', -0], ['%c%s', 'css', 'x'],
            ['100%% %s', 'sure'], ['%x %s', 'y'], ['extra', 1, { a: 1 }, 'str', [2]], [1, 2, 'three'],
            ['%s %s', 'only'], ['%d', '0x10'], ['%s', undefined], [{ a: 1 }, '%s', 'x'], ['%j', (function () {
                var c = {};
                c.c = c;
                return c;
            })()], ['trailing %']
        ];
        return cases.map(function (c) { return util.format.apply(util, c); });
    """,
    "util_misc": """
        var util = require('util');
        function legacy(a, cb) { setTimeout(function () { if (a < 0) cb(new Error('neg')); else cb(null, a * 2); }, 1); }
        function custom() {}
        custom[util.promisify.custom] = function () { return Promise.resolve('custom'); };
        function Base() {}
        Base.prototype.hi = function () { return 'hi'; };
        function Child() { Base.call(this); }
        util.inherits(Child, Base);
        var out = { inherits: [new Child().hi(), Child.super_ === Base, new Child() instanceof Base],
                    types: [util.types.isDate(new Date()), util.types.isRegExp(/x/), util.types.isPromise(Promise.resolve()),
                            util.types.isMap(new Map()), util.types.isSet(new Set()), util.types.isTypedArray(new Uint8Array(1)),
                            util.types.isDate({}), util.types.isNativeError(new TypeError('x'))],
                    deep: [util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }),
                           util.isDeepStrictEqual({ a: 1 }, { a: '1' }), util.isDeepStrictEqual(new Map([[1, 2]]), new Map([[1, 2]])),
                           util.isDeepStrictEqual([NaN], [NaN]), util.isDeepStrictEqual(0, -0)],
                    textEncoder: util.TextEncoder === TextEncoder,
                    customSame: util.promisify(custom) === custom[util.promisify.custom] };
        var cbified = util.callbackify(function (x) { return Promise.resolve(x + 1); });
        return util.promisify(legacy)(21).then(function (v) {
            out.promisified = v;
            return util.promisify(legacy)(-1).then(null, function (e) { out.promisifiedErr = e.message; });
        }).then(function () {
            return new Promise(function (resolve) {
                cbified(1, function (err, v) { out.callbackified = [err, v]; resolve(out); });
            });
        });
    """,
    "assert": """
        var assert = require('assert'), strict = require('assert/strict');
        function failure(fn) {
            try { fn(); } catch (e) {
                return [e.name, e.code, e instanceof assert.AssertionError, e instanceof Error, e.operator,
                        e.generatedMessage, e.message.split('\\n')[0]];
            }
            return 'no throw';
        }
        assert(true);
        assert.ok(1);
        assert.equal(1, '1');
        assert.deepEqual({ a: 1 }, { a: '1' });
        assert.deepStrictEqual({ a: [1, new Map([[1, { b: 2 }]])] }, { a: [1, new Map([[1, { b: 2 }]])] });
        assert.throws(function () { throw new TypeError('bad'); }, TypeError);
        assert.throws(function () { throw new TypeError('bad'); }, /bad/);
        assert.throws(function () { throw new TypeError('bad'); }, { name: 'TypeError', message: 'bad' });
        assert.doesNotThrow(function () {});
        assert.match('abc', /b/);
        var out = [
            failure(function () { assert.strictEqual(1, 2); }),
            failure(function () { assert.strictEqual(1, 2, 'my message'); }),
            failure(function () { assert.deepStrictEqual({ a: 1 }, { a: 2 }); }),
            failure(function () { assert.notStrictEqual(1, 1); }),
            failure(function () { assert.throws(function () {}); }),
            failure(function () { assert.doesNotThrow(function () { throw new Error('x'); }); }),
            failure(function () { assert.match('abc', /z/); }),
            failure(function () { assert.fail('boom'); }),
            failure(function () { assert.equal(1, 2); }),
            failure(function () { strict.equal(1, '1'); }),
            failure(function () { assert.ok(0, 'zero'); }),
            strict === assert.strict, strict.equal === assert.strictEqual
        ];
        return assert.rejects(Promise.reject(new Error('r')), /r/).then(function () {
            return assert.rejects(Promise.resolve(1)).then(null, function (e) { out.push(e.code, e.message); });
        }).then(function () {
            return assert.doesNotReject(Promise.resolve(1));
        }).then(function () { return out; });
    """,
    "timers_promises": """
        var tp = require('timers/promises');
        var order = [], t0 = Date.now();
        var ac = new AbortController();
        var aborted = tp.setTimeout(10000, 'never', { signal: ac.signal }).then(null, function (e) {
            return [e.name, e.code];
        });
        ac.abort();
        var it = tp.setInterval(5, 'tick');
        var ticks = [];
        function take() {
            return it.next().then(function (r) {
                ticks.push(r.value);
                return ticks.length < 3 ? take() : it['return']();
            });
        }
        // 'late' at 200 ms: on a loaded machine Node's first loop turn can
        // start more than 20 ms after the script, and then runs the timer
        // before the immediate.
        return Promise.all([tp.setTimeout(200, 'late').then(function (v) { order.push(v); return v; }),
                            tp.setImmediate('soon').then(function (v) { order.push(v); return v; }),
                            aborted, take()]).then(function (all) {
            return [all[0], all[1], all[2], ticks, order, Date.now() - t0 >= 15];
        });
    """,
    "ticks": """
        var order = [];
        return new Promise(function (resolve) {
            setTimeout(function () { resolve(order); }, 5);
            Promise.resolve().then(function () {
                order.push('then1');
                process.nextTick(function () { order.push('tick-in-then'); });
            });
            process.nextTick(function (a, b) {
                order.push('tick ' + a + b);
                Promise.resolve().then(function () { order.push('then-in-tick'); });
                process.nextTick(function () { order.push('tick-in-tick'); });
            }, 1, 2);
            queueMicrotask(function () { order.push('microtask'); });
            order.push('sync');
        });
    """,
    "abort_signal": """
        var ac = new AbortController(), seen = [];
        ac.signal.addEventListener('abort', function (ev) { seen.push(ev.type, ev.target === ac.signal); });
        ac.signal.onabort = function () { seen.push('onabort'); };
        ac.abort();
        ac.abort('again');
        var thrown;
        try { ac.signal.throwIfAborted(); } catch (e) { thrown = e === ac.signal.reason; }
        var r = ac.signal.reason;
        var custom = AbortSignal.abort('why');
        var illegal;
        try { new AbortSignal(); } catch (e) { illegal = e instanceof TypeError; }
        var t = AbortSignal.timeout(5);
        return new Promise(function (resolve) {
            t.addEventListener('abort', function () {
                resolve([seen, ac.signal.aborted, r.name, r.message, r.code, r instanceof DOMException, r instanceof Error,
                         thrown, custom.reason, illegal, t.reason.name, Object.prototype.toString.call(ac.signal),
                         AbortSignal.any([custom]).reason]);
            });
        });
    """,
}

SNIPPET_MODULE = ("module.exports = {\n" +
                  ",\n".join("  %s: function () {%s}" % (name, body) for name, body in SNIPPETS.items()) +
                  "\n};\n")

RUN_HANDLER = """
var snippets = require('./_snippets');
module.exports = function (req, res) {
  var v;
  try {
    v = Promise.resolve(snippets[req.query.name]());
  } catch (e) {
    v = Promise.reject(e);
  }
  v.then(function (v) {
    res.json({ v: v });
  }, function (e) {
    res.json({ err: String(e && e.stack || e) });
  });
};
"""

NODE_RUNNER = """
var snippets = require('./handlers/_snippets');
var name = process.argv[2], v;
var keep = setInterval(function () {}, 1000);   // Node's AbortSignal.timeout() timer does not keep it alive
try {
  v = Promise.resolve(snippets[name]());
} catch (e) {
  v = Promise.reject(e);
}
v.then(function (v) {
  process.stdout.write(JSON.stringify({ v: v }));
}, function (e) {
  process.stdout.write(JSON.stringify({ err: String(e && e.stack || e) }));
}).then(function () { clearInterval(keep); });
"""

# What TypeScript 4.8 emits for `class E extends Error { constructor(m) {
# super(m); this.name = 'E'; } }` (target ES5), with tslib's __extends.
TS_EXTENDS = """var __extends = (this && this.__extends) || (function () {
    var extendStatics = function (d, b) {
        extendStatics = Object.setPrototypeOf ||
            ({ __proto__: [] } instanceof Array && function (d, b) { d.__proto__ = b; }) ||
            function (d, b) { for (var p in b) if (Object.prototype.hasOwnProperty.call(b, p)) d[p] = b[p]; };
        return extendStatics(d, b);
    };
    return function (d, b) {
        if (typeof b !== "function" && b !== null)
            throw new TypeError("Class extends value " + String(b) + " is not a constructor or null");
        extendStatics(d, b);
        function __() { this.constructor = d; }
        d.prototype = b === null ? Object.create(b) : (__.prototype = b.prototype, new __());
    };
})();
var E = (function (_super) { __extends(E, _super); function E(m) { var _this = _super.call(this, m) || this; _this.name = 'E'; return _this; } return E; }(Error));
var NotFound = (function (_super) { __extends(NotFound, _super); function NotFound(m) { var _this = _super.call(this, m) || this; _this.status = 404; return _this; } return NotFound; }(RangeError));
NotFound.prototype.name = 'NotFound';
"""
TS_CHECK = """
function describe(e, C, Base) {
  return [e instanceof C, e instanceof Base, e instanceof Error, e.message, e.name, String(e),
          e.stack.split('\\n')[0], typeof e.stack, Object.prototype.toString.call(e), e.constructor === C];
}
"""
TS_NODE = """class E extends Error { constructor(m) { super(m); this.name = 'E'; } }
class NotFound extends RangeError { constructor(m) { super(m); this.status = 404; } }
NotFound.prototype.name = 'NotFound';
""" + TS_CHECK + """
process.stdout.write(JSON.stringify([describe(new E('m'), E, Error), describe(new NotFound('nf'), NotFound, RangeError)]));
"""

# The same classes as modern source, which eider lowers to ES5 at load.
CLASS_SOURCE = """class E extends Error { constructor(m) { super(m); this.name = 'E'; } }
class NotFound extends RangeError { constructor(m) { super(m); this.status = 404; } }
NotFound.prototype.name = 'NotFound';
class Deeper extends E { constructor() { super('deeper'); } }
function describe(e, C, Base) {
  return [e instanceof C, e instanceof Base, e instanceof Error, e.message, e.name, String(e),
          e.stack.split('\\n')[0], Object.prototype.toString.call(e), e.constructor === C];
}
const describeAll = () => [describe(new E('m'), E, Error), describe(new NotFound('nf'), NotFound, RangeError),
                           describe(new Deeper(), Deeper, E)];
"""

CONSOLE_CALLS = [
    "'%s is %d years and %i days, %f%%', 'Ada', 36.5, '12.7', '1.25'",
    "'%j and %o', { a: [1] }, [1, { b: 2 }]",
    "'obj', { a: 1, b: 'x', c: [1, 2], d: { e: { f: { g: 1 } } } }, [1, 'two'], null, undefined, 3",
    "'%c styled %s', 'color: red', 'text', 'extra'",
    "new Map([['k', { v: 1 }]]), new Set([1]), Buffer.from('hi'), new Date(0), /re/g",
    "'%O', { deep: { deeper: { deepest: { gone: 1 } } } }",
]

TREE = {
    "handlers/_snippets.js": SNIPPET_MODULE,
    "handlers/run.js": RUN_HANDLER,
    "handlers/ts_extends.js": TS_EXTENDS + TS_CHECK + """
module.exports = function (req, res) {
  res.json([describe(new E('m'), E, Error), describe(new NotFound('nf'), NotFound, RangeError)]);
};
""",
    "handlers/class_error.js": CLASS_SOURCE + """
module.exports = function (req, res) { res.json(describeAll()); };
""",
    "handlers/ts_throw.js": TS_EXTENDS + """
module.exports = function (req, res) { throw new NotFound('no such thing'); };
""",
    "handlers/status.js": """
module.exports = function (req, res) {
  var e = new Error('with status');
  if (req.query.prop) e[req.query.prop] = req.query.num ? Number(req.query.v) : req.query.v;
  if (req.query.reject) return Promise.reject(e);
  throw e;
};
""",
    "handlers/console.js": """
module.exports = function (req, res) {
  var m = req.query.m;
  console.log('BEGIN-' + m);
""" + "".join("  console.log(%s);\n" % c for c in CONSOLE_CALLS) + """
  console.table([{ a: 1, b: 'x' }, { a: 2, c: true }]);
  console.table([[1, 2], [3, 4]]);
  console.table(new Map([['k', 1]]));
  console.count(); console.count(); console.count('other');
  console.assert(1 === 2, 'math is %s', 'broken');
  console.assert(true, 'not shown');
  console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 });
  console.time('t'); console.timeEnd('t');
  console.log('END-' + m);
  res.end('ok');
};
""",
    "handlers/process.js": """
module.exports = function (req, res) {
  var hr = process.hrtime(), d = process.hrtime(hr), mem = process.memoryUsage();
  res.json({ version: process.version, versions: process.versions, argv: process.argv, cwd: process.cwd(),
             hr: [hr.length, typeof hr[0], hr[1] >= 0 && hr[1] < 1e9], diff: d[0] === 0 && d[1] >= 0,
             mem: [mem.rss > 0, mem.heapUsed > 100000, mem.heapTotal >= mem.heapUsed, typeof mem.external,
                   process.memoryUsage.rss() > 0],
             uptime: process.uptime(), platform: process.platform, arch: process.arch,
             bigint: typeof process.hrtime.bigint, exitCode: (process.exitCode = 0, 'ok') });
};
""",
    "handlers/fetch_abort.js": """
module.exports = function (req, res) {
  var up = 'http://127.0.0.1:' + req.query.port + '/slow';
  var ac = new AbortController(), t0 = Date.now();
  var p = fetch(up, { signal: ac.signal });
  setTimeout(function () { ac.abort(); }, 100);
  p.then(function () { res.json({ resolved: true }); }, function (e) {
    var took = Date.now() - t0;
    fetch(up, { signal: AbortSignal.timeout(100) }).then(function () { res.json({ resolved: 2 }); }, function (e2) {
      fetch(up.replace('slow', 'fast'), { signal: new AbortController().signal }).then(function (r) { return r.text(); })
        .then(function (text) {
          res.json({ name: e.name, message: e.message, code: e.code, dom: e instanceof DOMException, took: took,
                     timeoutName: e2.name, fast: text });
        });
    });
  });
};
""",
    "handlers/fetch_preaborted.js": """
module.exports = function (req, res) {
  return fetch('http://127.0.0.1:' + req.query.port + '/fast', { signal: AbortSignal.abort('stop') })
    .then(function () { res.json({ resolved: true }); }, function (e) { res.json({ reason: e }); });
};
""",
}

_tmp = None


def _make():
    global _tmp
    _tmp = mkdtemp("eider-globals-")
    write_tree(_tmp, TREE)
    with open(os.path.join(_tmp, "node_runner.js"), "w") as f:
        f.write(NODE_RUNNER)
    return Eider(os.path.join(_tmp, "handlers"), error_log_level="debug")


srv = Shared(_make)


def teardown_module():
    srv.close()
    if _tmp:
        shutil.rmtree(_tmp, ignore_errors=True)


def eider_run(name):
    r = srv.get().request("GET", "/run?name=" + name, timeout=20)
    assert_status(r, 200, name)
    j = r.json()
    assert "err" not in j, "%s threw under eider: %s" % (name, j["err"])
    return j["v"]


def node_json(args, cwd=None, script=None):
    assert NODE, "node is required for the comparisons with Node (apt-get install nodejs)"
    cmd = [NODE] + (["-e", script] if script is not None else args)
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=30)
    assert out.returncode == 0, out.stderr.decode(errors="replace")
    return json.loads(out.stdout)


def node_run(name):
    srv.get()
    j = node_json(["node_runner.js", name], cwd=_tmp)
    assert "err" not in j, "%s threw under node: %s" % (name, j["err"])
    return j["v"]


def same_as_node(name):
    got, want = eider_run(name), node_run(name)
    if got != want:
        if isinstance(want, list) and isinstance(got, list) and len(got) == len(want):
            diffs = ["[%d] eider %r\n     node  %r" % (i, g, w) for i, (g, w) in enumerate(zip(got, want)) if g != w]
            raise AssertionError("%s differs from Node:\n%s" % (name, "\n".join(diffs)))
        if isinstance(want, dict) and isinstance(got, dict):
            diffs = ["%s: eider %r\n     node  %r" % (k, got.get(k), want.get(k))
                     for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k)]
            raise AssertionError("%s differs from Node:\n%s" % (name, "\n".join(diffs)))
        raise AssertionError("%s differs from Node:\neider %r\nnode  %r" % (name, got, want))
    return got


# ---------------------------------------------------------------- library members

def test_es2017_to_es2023_members_answer_as_in_node():
    got = same_as_node("es_members")
    assert got["any"] == "any" and got["anyErr"][0] is True, got


def test_http_dates_and_utc_strings_as_in_node():
    got = same_as_node("dates")
    assert got[0] == "Sun, 06 Nov 1994 08:49:37 GMT" and got[3] == 784111777000, got


def test_date_strings_as_in_node_in_utc_and_in_another_zone():
    same_as_node("date_strings")
    # The same in a zone west of UTC, where local and UTC readings differ.
    srv.get()
    e = LifeEider(os.path.join(_tmp, "handlers"), env={"TZ": "America/New_York"})
    try:
        e.start()
        r = e.get("/run?name=date_strings")
        assert_status(r, 200)
        got = r.json()["v"]
    finally:
        e.cleanup()
    want = node_json(None, script="process.env.TZ = 'America/New_York';" +
                     "var s = require(%r); process.stdout.write(JSON.stringify(s.date_strings()));"
                     % os.path.join(_tmp, "handlers", "_snippets.js"))
    assert got[-1][1] == 300 or got[-1][1] == 240, got[-1]   # the zone did apply
    diffs = [(g, w) for g, w in zip(got, want) if g != w]
    assert not diffs and len(got) == len(want), diffs


def test_error_members_as_in_node():
    same_as_node("errors")


def test_typescript_lowered_extends_error_behaves_like_node_class():
    r = srv.get().get("/ts_extends")
    assert_status(r, 200)
    got = r.json()
    want = node_json(None, script=TS_NODE)
    assert got == want, "eider %r\nnode  %r" % (got, want)
    assert got[0][:5] == [True, True, True, "m", "E"], got


def test_modern_class_extending_error_behaves_as_in_node():
    r = srv.get().get("/class_error", timeout=60)
    assert_status(r, 200)
    got = r.json()
    want = node_json(None, script=CLASS_SOURCE + "process.stdout.write(JSON.stringify(describeAll()));")
    assert got == want, "eider %r\nnode  %r" % (got, want)


def test_typescript_error_subclass_with_status_answers_it_and_logs_the_user_stack():
    e = srv.get()
    r = e.get("/ts_throw")
    assert_status(r, 404)
    assert r.json()["status"] == 404, r.body
    e.wait_log("NotFound: no such thing")
    line = [ln for ln in e.error_log().splitlines() if "NotFound: no such thing" in ln][-1]
    assert "[info]" in line, line   # a 4xx is the client's error, not the server's
    assert "prelude" not in e.error_log().split("NotFound: no such thing")[-1].split("\n[")[0]


def test_buffer_methods_as_in_node():
    same_as_node("buffer")


# ---------------------------------------------------------------- util, console

def test_util_inspect_matches_node():
    same_as_node("inspect")


def test_util_format_matches_node():
    same_as_node("format")


def test_util_promisify_callbackify_inherits_types_deep_equal():
    got = same_as_node("util_misc")
    assert got["promisified"] == 42 and got["callbackified"] == [None, 2], got


def _log_lines_between(log, begin, end):
    text = log.split(begin, 1)[1].split(end, 1)[0]
    # Each console line starts with a "[level] pid: " prefix; continuation
    # lines of a multi-line message do not.
    out, cur = [], None
    for ln in text.splitlines()[1:]:
        m = re.match(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[(\w+)\] \d+: (.*)$", ln)
        if m:
            cur = [m.group(1), m.group(2)]
            out.append(cur)
        elif cur is not None:
            cur[1] += "\n" + ln
    if out and out[-1][1] == "":
        out.pop()   # the prefix of the END line
    return out


def test_console_formats_like_node_and_has_its_methods():
    e = srv.get()
    m = str(time.time_ns())
    assert_status(e.get("/console?m=" + m), 200)
    e.wait_log("END-" + m)
    lines = _log_lines_between(e.error_log(), "BEGIN-" + m, "END-" + m)
    script = "".join("console.log(%s);\n" % c for c in CONSOLE_CALLS) + """
console.table([{ a: 1, b: 'x' }, { a: 2, c: true }]);
console.table([[1, 2], [3, 4]]);
console.table(new Map([['k', 1]]));
console.count(); console.count(); console.count('other');
console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 });
"""
    assert NODE, "node is required"
    want = subprocess.run([NODE, "-e", script], capture_output=True, timeout=30).stdout.decode()
    want_blocks = want.rstrip("\n").split("\n")
    info = [text for level, text in lines if level == "info"]
    got = "\n".join(info[:len(CONSOLE_CALLS) + 3 + 3 + 1])
    gl, wl = got.split("\n"), want_blocks
    diffs = ["line %d:\n  eider %r\n  node  %r" % (i + 1, g, w)
             for i, (g, w) in enumerate(zip(gl, wl)) if g != w]
    assert not diffs and len(gl) == len(wl), "console output differs from Node (%d vs %d lines):\n%s" % (
        len(gl), len(wl), "\n".join(diffs[:8]))
    warns = [text for level, text in lines if level == "warn"]
    assert "Assertion failed: math is broken" in warns, lines
    assert not any("not shown" in t for _, t in lines), lines
    assert re.match(r"^t: \d+(\.\d+)?ms$", info[-1]), lines[-4:]


def test_console_log_of_plain_strings_unchanged():
    e = srv.get()
    m = str(time.time_ns())
    assert_status(e.get("/console?m=" + m), 200)
    e.wait_log("END-" + m)
    assert re.search(r"\[info\] \d+: BEGIN-%s$" % m, e.error_log(), re.M), e.error_log()[-2000:]


# ---------------------------------------------------------------- assert, timers/promises

def test_assert_module_as_in_node():
    got = same_as_node("assert")
    assert got[0][:5] == ["AssertionError", "ERR_ASSERTION", True, True, "strictEqual"], got


def test_timers_promises_as_in_node():
    got = same_as_node("timers_promises")
    assert got[2] == ["AbortError", "ABORT_ERR"] and got[3] == ["tick", "tick", "tick"], got


# ---------------------------------------------------------------- process

def test_next_tick_runs_before_promise_jobs_as_in_node():
    got = same_as_node("ticks")
    assert got[0] == "sync" and got[1] == "tick 12", got


def test_process_members():
    e = srv.get()
    r = e.get("/process")
    assert_status(r, 200)
    j = r.json()
    assert re.match(r"^v\d+\.\d+\.\d+$", j["version"]), j
    assert j["versions"]["node"] == j["version"][1:], j
    assert j["versions"]["duktape"] == "2.7.0" and j["versions"]["eider"], j
    assert j["argv"][0].endswith("eider") and j["argv"][1] == os.path.realpath(os.path.join(_tmp, "handlers")), j
    assert os.path.isabs(j["cwd"]), j
    assert j["hr"] == [2, "number", True] and j["diff"] is True, j
    assert j["mem"] == [True, True, True, "number", True], j
    assert 0 <= j["uptime"] < 600, j
    assert j["platform"] == "linux" and j["arch"] in ("x64", "arm64", "ia32", "arm"), j
    assert j["bigint"] == "undefined", j   # no BigInt in Duktape: absent, not wrong
    assert j["exitCode"] == "ok", j


# ---------------------------------------------------------------- status from errors

def test_thrown_status_answers_it():
    e = srv.get()
    for query, want in (("prop=status&num=1&v=404", 404), ("prop=statusCode&num=1&v=422", 422),
                        ("prop=status&num=1&v=503&reject=1", 503), ("prop=statusCode&num=1&v=418&reject=1", 418)):
        r = e.get("/status?" + query)
        assert_status(r, want, query)
        j = r.json()
        assert j["status"] == want and j["requestId"], j


def test_other_status_values_still_answer_500():
    e = srv.get()
    for query in ("", "prop=status&num=1&v=302", "prop=status&num=1&v=600", "prop=status&v=404",
                  "prop=status&num=1&v=404.5", "prop=statusCode&num=1&v=200"):
        r = e.get("/status?" + query)
        assert_status(r, 500, query)


# ---------------------------------------------------------------- AbortController and fetch

class _SlowServer:
    """Upstream whose /slow answers after 3 s and notes when the client
    went away; /fast answers at once."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.closed_early = 0
        self.stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(c,), daemon=True).start()

    def _one(self, c):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = c.recv(4096)
            if not chunk:
                c.close()
                return
            data += chunk
        if data.startswith(b"GET /slow"):
            c.settimeout(3)
            try:
                if c.recv(1) == b"":
                    self.closed_early += 1
                    c.close()
                    return
            except socket.timeout:
                pass
        try:
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nfast")
        except OSError:
            pass
        c.close()

    def close(self):
        self.stop = True
        self.sock.close()


def test_abort_controller_and_signal_as_in_node():
    got = same_as_node("abort_signal")
    assert got[2] == "AbortError" and got[5] is True, got


def test_fetch_with_signal_rejects_at_once_and_cancels_the_request():
    up = _SlowServer()
    try:
        e = srv.get()
        t0 = time.time()
        r = e.get("/fetch_abort?port=%d" % up.port, timeout=20)
        assert_status(r, 200)
        j = r.json()
        assert j["name"] == "AbortError" and j["message"] == "This operation was aborted", j
        assert j["code"] == 20 and j["dom"] is True, j
        assert j["took"] < 1500, j          # not the upstream's 3 s
        assert j["timeoutName"] == "TimeoutError", j
        assert j["fast"] == "fast", j       # a signal that never aborts changes nothing
        assert time.time() - t0 < 2.5, "the aborted fetches were waited for"
        wait_until(lambda: up.closed_early >= 2, timeout=5, msg="upstream sees both aborted requests closed")
        r = e.get("/fetch_preaborted?port=%d" % up.port)
        assert_status(r, 200)
        assert r.json() == {"reason": "stop"}, r.body
    finally:
        up.close()
