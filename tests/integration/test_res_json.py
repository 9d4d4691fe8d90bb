"""res.json() writes plain data (objects and arrays of strings, numbers,
booleans and null) itself, without JSON.stringify: its text must be
JSON.stringify's, byte for byte, for every value, and anything the plain
path does not take (toJSON, accessors, Proxies, non-ASCII text, boxed
values, buffers, cycles, texts past its buffer) must come out as
JSON.stringify makes it."""

from eiderlib import Eider, Shared, mkdtemp, write_tree

# Each case is a JS expression; the handler answers res.json(value) at
# /json?i=N and res.end(JSON.stringify(value)) at /json?i=N&ref=1.
CASES = [
    "({hello: 'world', path: req.path})",
    "({})",
    "[]",
    "({a: 1, b: -2, c: 0, d: -0, e: 1.5, f: 1e21, g: NaN, h: Infinity, i: -Infinity,"
    " j: Math.pow(2, 53), k: -Math.pow(2, 53) + 1, l: 0.1, m: 1e-7, n: 123456789012,"
    " o: -1e300, p: 5e-324, q: 4294967296, r: -2147483649})",
    "({s: 'quote \" back \\\\ slash / \\b\\f\\n\\r\\t \\u0001 \\u001f \\u007f <>&\\''})",
    "({u: undefined, f: function () {}, y: Symbol('x'), n: null, t: true, fa: false})",
    "[undefined, function () {}, Symbol('y'), null, 1, 'a', true]",
    "({a: {b: {c: [1, [2, [3, {d: 4}]]]}}, e: [[], {}], f: [{}, [{}]]})",
    "(function () { var o = 1; for (var i = 0; i < 12; i++) o = {i: i, o: o}; return o; })()",
    "(function () { var a = [0]; for (var i = 0; i < 12; i++) a = [a]; return a; })()",
    "({e: '\\u00e9t\\u00e9', emoji: '\\ud83d\\ude00', ls: 'a\\u2028b\\u2029', lone: '\\ud800'})",
    "({'\\u00e9': 1})",
    "({toJSON: function () { return 'own toJSON'; }})",
    "({d: new Date(0), n: [new Date(86400000)]})",
    "({get x() { return 1; }, y: 2})",
    "({'1': 'a', b: 2, '0': 'c'})",
    "Object.defineProperty({a: 1}, 'h', {value: 1, enumerable: false})",
    "(function () { var o = Object.create(null); o.z = 1; o.a = 'x'; return o; })()",
    "new (function F() { this.a = 1; this.b = [2]; })()",
    "(function () { function F() { this.own = 1; } F.prototype.toJSON = function () {"
    " return {proto: true}; }; return new F(); })()",
    "[1, , 3]",
    "(function () { var a = []; a.length = 3; return a; })()",
    "(function () { var a = [1, 2]; a.x = 1; return {a: a}; })()",
    "({s: new String('s'), n: new Number(1), b: new Boolean(false)})",
    "({b: Buffer.from('ab'), u: new Uint8Array([1, 2])})",
    "new Proxy({a: 1}, {})",
    "({p: new Proxy([1, 2], {})})",
    "(function () { var o = {}; o[Symbol('k')] = 1; o.v = 2; return o; })()",
    "(function () { var a = []; for (var i = 0; i < 3000; i++) a.push('item ' + i); return a; })()",
    "(function () { var s = ''; for (var i = 0; i < 2700; i++) s += '\\u0001'; return {s: s}; })()",
    "(function () { var s = ''; for (var i = 0; i < 16370; i++) s += 'x'; return [s]; })()",
    "({re: /x/g, err: new Error('e'), args: (function () { return arguments; })(1, 2)})",
    "({f: Math.max, bound: function () {}.bind(null)})",
    "'just a string'",
    "42",
    "null",
    "[{'': ''}, {' ': 'x y'}]",
]

HANDLER = """
var CASES = [
%s
];
module.exports = function (req, res) {
  var v = CASES[+req.query.i](req);
  if (req.query.ref)
    res.end(JSON.stringify(v));
  else
    res.json(v);
};
""" % ",\n".join("  function (req) { return %s; }" % c for c in CASES)

CYCLE = """
module.exports = function (req, res) {
  var o = {a: 1};
  o.self = {o: o};
  res.json(o);
};
"""

PROTO_TO_JSON = """
module.exports = function (req, res) {
  Object.prototype.toJSON = function () { return 'inherited'; };
  try {
    res.json({a: 1, b: [1]});
  } finally {
    delete Object.prototype.toJSON;
  }
};
"""


srv = Shared(lambda: Eider(write_tree(mkdtemp("eider-resjson-"),
                                     {"json.js": HANDLER, "cycle.js": CYCLE, "proto.js": PROTO_TO_JSON})))


def teardown_module():
    srv.close()


def test_res_json_is_json_stringify_byte_for_byte():
    e = srv.get()
    for i, case in enumerate(CASES):
        got = e.get("/json?i=%d" % i)
        ref = e.get("/json?i=%d&ref=1" % i)
        assert got.status == 200 and ref.status == 200, (case, got, ref)
        assert got.body == ref.body, (case, got.body[:300], ref.body[:300])
        assert got.headers.get("content-length") == str(len(ref.body)), (case, got.headers)
        assert got.headers.get("content-type") == "application/json; charset=utf-8", got.headers


def test_res_json_of_a_cycle_is_still_a_type_error():
    r = srv.get().get("/cycle")
    assert r.status == 500, r
    assert "cyclic" in srv.get().error_log().lower() or "cycl" in srv.get().error_log().lower(), \
        srv.get().error_log()[-2000:]


def test_res_json_calls_an_inherited_to_json():
    r = srv.get().get("/proto")
    assert r.status == 200, r
    assert r.body == b'"inherited"', r.body
