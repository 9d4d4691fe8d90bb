"""Lowering modern JavaScript and TypeScript to ES5 at load (framework/lower.c):
handler files in ES2020 and ES module syntax and .ts files answer as Node would
run them; the cache (js_cache) keeps what was lowered; plain ES5 skips the
compiler; eider -t compiles modules required inside handler functions; the
compiler never stays in the master."""
import os
import re
import shutil

from eiderlib import (mkdtemp, Eider, Shared, write_tree, assert_status, run_eider, free_port,
                      skip_rss_check_if_sanitized)

MODERN = r"""
const add = (a, b) => a + b;
let fns = [];
for (let i = 0; i < 3; i++) fns.push(() => i);
const seen = [];
for (const c of ['x', 'y']) seen.push(() => c);
class Animal {
  static kind = 'animal';
  constructor(name) { this.name = name; }
  speak() { return `${this.name} speaks`; }
  get secret() { return 7; }
}
class Dog extends Animal { speak() { return super.speak() + ' woof'; } }
function* gen(n) { for (let i = 0; i < n; i++) yield i * i; }
const tag = (s, ...v) => s.raw.join('|') + v.join(',');
module.exports = async (req, res) => {
  const { a = 1, ...rest } = { b: 2, c: 3 };
  const [first, , third = 'def'] = [10, 20];
  const m = new Map([[1, 'x'], [2, 'y']]);
  let s = '';
  for (const [k, v] of m) s += k + v;
  for (const ch of 'héllo') s += ch.toUpperCase();
  const wait = await new Promise(r => setTimeout(() => r('waited'), 5));
  let caught;
  try { await Promise.reject(new Error('nope')); } catch ({ message }) { caught = message; }
  try { JSON.parse('{'); } catch { caught += '+bare'; }
  const obj = { a, ...rest, ['k' + 1]: true, m() { return 'method'; } };
  const dog = new Dog('rex');
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({
    sum: add(2, 3), fns: fns.map(f => f()), seen: seen.map(f => f()),
    dog: dog.speak(), kind: Dog.kind, secret: dog.secret, isAnimal: dog instanceof Animal,
    obj, method: obj.m(), first, third, s, wait, caught,
    gen: [...gen(4)], spreadMax: Math.max(...[1, 9, 3]),
    opt: req.headers?.['x-none']?.length ?? 'none', exp: 2 ** 10, big: 1_000_000,
    tagged: tag`a${1}b${2}c`,
  }));
};
"""

EXPECTED = {
    "sum": 5, "fns": [0, 1, 2], "seen": ["x", "y"], "dog": "rex speaks woof", "kind": "animal",
    "secret": 7, "isAnimal": True, "obj": {"a": 1, "b": 2, "c": 3, "k1": True}, "method": "method",
    "first": 10, "third": "def", "s": "1x2yHÉLLO", "wait": "waited", "caught": "nope+bare",
    "gen": [0, 1, 4, 9], "spreadMax": 9, "opt": "none", "exp": 1024, "big": 1000000,
    "tagged": "a|b|c1,2",
}

TS_LIB = """
export enum Color { Red = 'red', Green = 'green' }
export interface User { id: number; name?: string; tags: string[] }
export function label<T extends { id: number }>(x: T, prefix: string = '#'): string {
  return prefix + x.id;
}
export class Repo<T> {
  private items: T[] = [];
  constructor(public readonly name: string) {}
  add(item: T): this { this.items.push(item); return this; }
  get size(): number { return this.items.length; }
}
"""

TS_HANDLER = """
import { Color, User, label, Repo } from './_lib/model';
import type { IncomingMessage } from 'http';
import * as path from 'node:path';
import defaultish from './_lib/def';

export async function GET(req: any, res: any): Promise<void> {
  const u: User = { id: 42, tags: ['a'] };
  const repo = new Repo<User>('users').add(u).add({ id: 7, tags: [] });
  const n = (u as any).missing as number | undefined;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ color: Color.Green, label: label(u), size: repo.size, name: repo.name,
                           n: n ?? null, sep: path.sep, def: defaultish() }));
}

export function POST(req: any, res: any): void {
  res.statusCode = 201;
  res.end('created');
}
"""

TREE = {
    "handlers/index.js": "module.exports = function (req, res) { res.end('es5'); };\n",
    "handlers/modern.js": MODERN,
    "handlers/typed.ts": TS_HANDLER,
    "handlers/_lib/model.ts": TS_LIB,
    "handlers/_lib/def.js": "export default () => 'from-default';\n",
    "handlers/esm_default.js": "export default function (req, res) { res.end('default ' + req.method); }\n",
    "handlers/esm_object.js": ("const GET = (req, res) => res.end('obj-get');\n"
                               "export default { GET };\n"),
    "handlers/consts.js": ("const x = 1;\nconst fs = [];\nfor (const v of [1, 2, 3]) { const w = v * x; fs.push(() => w); }\n"
                           "module.exports = function (req, res) {\n"
                           "  var out = fs.map(function (f) { return f(); });\n"
                           "  { const x = 'inner'; out.push(x); }\n"
                           "  out.push(x);\n  res.end(JSON.stringify(out));\n};\n"),
}

CONST_ASSIGN = r"""const x = 1;
let y = 2;
function tryIt(f) { try { f(); return 'no error'; } catch (e) { return e.constructor.name + ': ' + e.message; } }
module.exports = (req, res) => {
  const out = [];
  out.push(tryIt(() => { x = 2; }));
  out.push(tryIt(() => { x += 1; }));
  out.push(tryIt(() => { x++; }));
  out.push(tryIt(() => { [x] = [5]; }));
  out.push(tryIt(() => { ({ x } = { x: 5 }); }));
  out.push(tryIt(() => { y = 3; }));
  out.push(tryIt(() => { let x = 1; x = 2; }));
  out.push(tryIt(() => { for (const i of [1]) { i = 2; } }));
  out.push(tryIt(() => { var z = 0; for (const k in { a: 1 }) z++; }));
  out.push(x, y);
  res.end(JSON.stringify(out));
};
"""

# What Node v20 prints for CONST_ASSIGN (checked by hand against node -e).
CONST_ASSIGN_NODE = ["TypeError: Assignment to constant variable."] * 5 + ["no error", "no error",
                     "TypeError: Assignment to constant variable.", "no error", 1, 3]

TREE["handlers/const_assign.js"] = CONST_ASSIGN

# `arguments` inside arrows, and regular expression literals with the u and
# s flags and named groups, which Duktape's ES5 engine does not take as they are.
TREE["handlers/args_regexp.js"] = r"""function outer() { return (() => arguments.length)(); }
function outer2(a) { const f = () => () => arguments[0]; return f()(); }
const re1 = /(?<year>\d{4})-(?<m>\d\d)-\k<m>/u;
const re2 = /a.b/s;
const re3 = /\u{1F600}/u;
module.exports = (req, res) => {
  res.end(JSON.stringify([outer(1, 2, 3), outer2('x'), re1.test('2024-05-05'), re1.test('2024-05-06'), re2.test('a\nb'), re3.test('\u{1F600}'), (() => typeof arguments)()]));
};
"""

# async functions on coroutines: order against Promise jobs, try/finally
# around await, super and this in async methods, arguments, rejections.
TREE["handlers/async_fns.js"] = r"""const sleep = (ms, v) => new Promise(r => setTimeout(() => r(v), ms));
const log = [];
class Base { async hello(x) { await null; return 'base ' + x; } }
class Svc extends Base {
  constructor() { super(); this.n = 0; }
  async run(xs) {
    let sum = 0;
    for (const x of xs) { sum += await sleep(1, x); this.n++; }
    const arrow = async () => this.n * 10;
    return [sum, await arrow(), await super.hello('s')];
  }
}
async function thrower() { throw new Error('early'); }
async function tryFinally() {
  try { await Promise.reject(new Error('boom')); } catch (e) { log.push('caught ' + e.message); } finally { log.push('finally'); }
  try { return await sleep(1, 'ret'); } finally { log.push('finally2'); }
}
async function order() {
  const seq = [];
  const p = (async () => { seq.push('a1'); await null; seq.push('a2'); })();
  seq.push('sync');
  await p;
  Promise.resolve().then(() => seq.push('tick'));
  await null;
  seq.push('after');
  return seq;
}
async function args() { return (async () => arguments.length)(); }
module.exports = async (req, res) => {
  const svc = new Svc();
  const r = await svc.run([1, 2, 3]);
  let early;
  const p = thrower(); log.push('not thrown synchronously');
  try { await p; } catch (e) { early = e.message; }
  const tf = await tryFinally();
  const all = await Promise.all([1, 2, 3].map(async x => (await sleep(3 - x, x)) * 2));
  res.end(JSON.stringify({ r, early, tf, all, log, order: await order(), args: await args(1, 2), ctor: thrower.constructor === Function, isPromise: thrower() instanceof Promise }));
};
"""

_tmp = None


def _make():
    global _tmp
    _tmp = mkdtemp("eider-lowering-")
    write_tree(_tmp, TREE)
    return Eider(os.path.join(_tmp, "handlers"),
                 extra_conf="js_cache %s;" % os.path.join(_tmp, "cache"))


srv = Shared(_make)


def teardown_module():
    srv.close()
    if _tmp:
        shutil.rmtree(_tmp, ignore_errors=True)


def test_modern_javascript_handler_answers_as_node_would():
    r = srv.get().get("/modern")
    assert_status(r, 200)
    got = r.json()
    for k, v in EXPECTED.items():
        assert got.get(k) == v, "%s: expected %r, got %r (all: %r)" % (k, v, got.get(k), got)


def test_const_has_block_semantics():
    r = srv.get().get("/consts")
    assert_status(r, 200)
    assert r.json() == [1, 2, 3, "inner", 1], r[2]


def test_assigning_a_const_throws_type_error_as_in_node():
    r = srv.get().get("/const_assign")
    assert_status(r, 200)
    assert r.json() == CONST_ASSIGN_NODE, r[2]


def test_arguments_in_arrows_and_modern_regexp_literals():
    r = srv.get().get("/args_regexp")
    assert_status(r, 200)
    # What Node v20 answers for the same file.
    assert r.json() == [3, "x", True, False, True, True, "object"], r[2]


def test_async_functions_behave_as_in_node():
    r = srv.get().get("/async_fns")
    assert_status(r, 200)
    got = r.json()
    # What Node v20 answers, but for ctor: an async function is a plain
    # Function once lowered (there is no AsyncFunction constructor).
    assert got.pop("ctor") is True
    assert got == {"r": [6, 30, "base s"], "early": "early", "tf": "ret", "all": [2, 4, 6],
                   "log": ["not thrown synchronously", "caught boom", "finally", "finally2"],
                   "order": ["a1", "sync", "a2", "tick", "after"], "args": 2, "isPromise": True}, got


def test_typescript_handler_is_routed_and_types_are_stripped():
    e = srv.get()
    r = e.get("/typed")
    assert_status(r, 200)
    assert r.json() == {"color": "green", "label": "#42", "size": 2, "name": "users", "n": None,
                        "sep": "/", "def": "from-default"}, r[2]
    r = e.request("POST", "/typed")
    assert_status(r, 201)
    assert r[2] == b"created"
    r = e.request("DELETE", "/typed")
    assert_status(r, 405)
    assert set(r[1].get("allow", "").replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}, r[1]


def test_export_default_function_answers_every_method():
    e = srv.get()
    assert e.get("/esm_default")[2] == b"default GET"
    assert e.request("PUT", "/esm_default")[2] == b"default PUT"


def test_export_default_object_of_methods():
    e = srv.get()
    assert e.get("/esm_object")[2] == b"obj-get"
    assert_status(e.request("POST", "/esm_object"), 405)


def _entries(cache):
    return {n: os.stat(os.path.join(cache, n)).st_ino for n in os.listdir(cache) if not n.startswith(".")}


def test_cache_holds_lowered_files_only_and_is_reused():
    tmp = mkdtemp("eider-cache-")
    root = write_tree(os.path.join(tmp, "handlers"), {
        "index.js": "module.exports = function (req, res) { res.end('es5'); };\n",
        "a.js": "module.exports = (req, res) => res.end('a');\n",
        "b.ts": "export function GET(req: any, res: any) { res.end('b'); }\n"})
    cache = os.path.join(tmp, "cache")
    conf = os.path.join(tmp, "eider.conf")
    with open(conf, "w") as f:
        f.write("listen 127.0.0.1:%d;\nhandlers %s;\njs_cache %s;\nerror_log stderr;\n"
                % (free_port(), root, cache))
    p = run_eider(["-t", "-c", conf])
    assert p.returncode == 0, p.stderr
    first = _entries(cache)
    assert len(first) == 2, "expected an entry for a.js and b.ts only (index.js is ES5): %r" % first
    p = run_eider(["-t", "-c", conf])
    assert p.returncode == 0, p.stderr
    assert _entries(cache) == first, "an unchanged file was lowered again"
    with open(os.path.join(root, "a.js"), "a") as f:
        f.write("// changed\n")
    p = run_eider(["-t", "-c", conf])
    assert p.returncode == 0, p.stderr
    now = _entries(cache)
    assert len(now) == 3 and set(first) <= set(now), "a changed file must get a new entry: %r" % now


def test_js_cache_off_lowers_without_a_cache():
    tmp = mkdtemp("eider-nocache-")
    root = write_tree(os.path.join(tmp, "handlers"),
                      {"index.js": "module.exports = (req, res) => res.end(`ok`);\n"})
    with Eider(root, extra_conf="js_cache off;") as e:
        r = e.get("/")
        assert_status(r, 200)
        assert r[2] == b"ok"


def test_check_compiles_modules_required_inside_handler_functions():
    tmp = mkdtemp("eider-lazy-")
    root = write_tree(os.path.join(tmp, "handlers"), {
        "index.js": ("module.exports = function (req, res) {\n"
                     "  var lib = require('./_lib/later');\n  res.end(lib.v());\n};\n"),
        "_lib/later.js": "const a = 1;\nexports.v = () => ;\n"})
    conf = os.path.join(tmp, "eider.conf")
    with open(conf, "w") as f:
        f.write("listen 127.0.0.1:%d;\nhandlers %s;\nerror_log stderr;\n" % (free_port(), root))
    p = run_eider(["-t", "-c", conf])
    assert p.returncode != 0, "eider -t accepted a broken module required in a handler:\n" + p.stderr
    assert re.search(r"_lib/later\.js:2:\d+: SyntaxError", p.stderr), p.stderr
    with open(os.path.join(root, "_lib/later.js"), "w") as f:
        f.write("const a = 1;\nexports.v = () => `later ${a}`;\n")
    p = run_eider(["-t", "-c", conf])
    assert p.returncode == 0, p.stderr
    with Eider(root) as e:
        r = e.get("/")
        assert_status(r, 200)
        assert r[2] == b"later 1"


def _rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def test_master_does_not_keep_the_compiler():
    """The compiler (~60 MB in its heap) runs in a helper that exits: the
    master of a tree of 20 TypeScript files is no bigger than that of the
    same tree in ES5 by more than a few MB."""
    if skip_rss_check_if_sanitized():
        return
    tmp = mkdtemp("eider-rss-")
    sizes = {}
    for kind, body in (("es5", "module.exports = function (req, res) { res.end('%d'); };\n"),
                       ("ts", "export function GET(req: any, res: any): void { res.end(`%d`); }\n")):
        files = {"index.js": "module.exports = function (req, res) { res.end('i'); };\n"}
        for i in range(20):
            files["f%d.%s" % (i, "js" if kind == "es5" else "ts")] = body % i
        root = write_tree(os.path.join(tmp, kind), files)
        with Eider(root, extra_conf="js_cache off;") as e:
            assert_status(e.get("/f3"), 200)
            sizes[kind] = _rss_kb(e.pid)
    print("    master VmRSS: ES5 tree %d kB, TypeScript tree %d kB" % (sizes["es5"], sizes["ts"]))
    assert sizes["ts"] - sizes["es5"] < 8 * 1024, sizes


def test_auto_cache_of_a_root_master_is_filled_by_the_workers_user():
    """js_cache auto as root: /var/cache/eider, given to the workers' user,
    who lowers during the check; the check child must not pick a cache of
    its own (root's ~/.cache) after dropping privileges."""
    if os.geteuid() != 0:
        print("    not checked: eider is not started as root here")
        return
    tmp = mkdtemp("eider-autocache-")
    marker = "auto-cache %d %f" % (os.getpid(), os.times()[4])
    root = write_tree(os.path.join(tmp, "handlers"), {
        "index.js": "module.exports = (req, res) => res.end(`%s`);\n" % marker})
    before = set(os.listdir("/var/cache/eider")) if os.path.isdir("/var/cache/eider") else set()
    conf = os.path.join(tmp, "eider.conf")
    with open(conf, "w") as f:
        f.write("listen 127.0.0.1:%d;\nhandlers %s;\nerror_log stderr;\n" % (free_port(), root))
    p = run_eider(["-t", "-c", conf])
    assert p.returncode == 0, p.stderr
    new = set(os.listdir("/var/cache/eider")) - before

    def holds_marker(name):
        # Other tests running at the same time may add entries of their own.
        try:
            with open(os.path.join("/var/cache/eider", name), "rb") as f:
                return marker.encode() in f.read()
        except OSError:
            return False
    mine = [n for n in new if not n.startswith(".") and holds_marker(n)]
    assert len(mine) == 1, "no entry of this file in /var/cache/eider: %r" % new
    st = os.stat("/var/cache/eider")
    import pwd
    assert pwd.getpwuid(st.st_uid).pw_name == "nobody", "cache owned by uid %d" % st.st_uid
