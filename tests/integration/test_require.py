"""CommonJS require(): relative paths, node_modules lookup (walking up to the
handlers root, package.json "main", index.js), caching, cycles, exports vs
module.exports, __filename/__dirname, missing modules; modules compiled once
per worker.

The tree is written at run time (node_modules folders are often git-ignored)."""
import os
import shutil
import urllib.parse

from eiderlib import mkdtemp, Eider, Shared, write_tree, assert_status, assert_eider_error

J = "module.exports = function (req, res) { res.setHeader('Content-Type', 'application/json'); res.end(JSON.stringify(%s)); };\n"


def _try(expr):
    return ("(function () { try { return { v: %s }; } catch (e) { return { err: String(e && e.message || e) }; } })()"
            % expr)


TREE = {
    # above the handlers root: must never be found
    "node_modules/outside/index.js": "module.exports = 'outside-of-root';\n",
    "handlers/index.js": "module.exports = function (req, res) { res.end('root'); };\n",
    "handlers/_lib/math.js": "exports.add = function (a, b) { return a + b; };\n",
    "handlers/_lib/dir/index.js": "module.exports = 'dir-index';\n",
    "handlers/_lib/registry.js": "module.exports = { loads: 0 };\n",
    "handlers/_lib/counted.js": "require('./registry').loads++;\nmodule.exports = { tag: 'counted' };\n",
    "handlers/_lib/a.js": ("exports.name = 'a';\nvar b = require('./b');\n"
                           "exports.fromB = b.name;\nexports.bSawA = b.sawA;\n"
                           "exports.bSawDone = b.sawDone;\nexports.done = true;\n"),
    "handlers/_lib/b.js": ("var a = require('./a');\nexports.sawA = a.name;\n"
                           "exports.sawDone = a.done === true;\nexports.name = 'b';\n"),
    "handlers/_lib/replaced.js": "exports.lost = 1;\nmodule.exports = { kept: 2 };\n",
    "handlers/_lib/fn.js": "module.exports = function () { return 'fn-export'; };\n",
    "handlers/_lib/where.js": "module.exports = { file: __filename, dir: __dirname };\n",
    "handlers/_lib/up.js": "module.exports = require('../_lib/math').add(20, 22);\n",
    "handlers/node_modules/simple/index.js":
        "module.exports = { name: 'simple', inner: require('inner'), withmain: require('withmain').name };\n",
    "handlers/node_modules/simple/node_modules/inner/index.js": "module.exports = 'inner-of-simple';\n",
    "handlers/node_modules/withmain/package.json": '{"name": "withmain", "main": "lib/entry.js"}\n',
    "handlers/node_modules/withmain/lib/entry.js": "exports.name = 'withmain-entry';\n",
    "handlers/node_modules/withmain/index.js": "exports.name = 'withmain-index-WRONG';\n",
    "handlers/node_modules/file-mod.js": "module.exports = 'file-mod';\n",
    "handlers/nested/node_modules/local-only/index.js": "module.exports = 'local-only';\n",
    # package.json "exports": conditions, subpaths, patterns, ES-module-only packages
    "handlers/node_modules/exp-cond/package.json": (
        '{"name": "exp-cond", "main": "wrong.js", "exports": {'
        '".": {"import": "./esm.js", "require": "./cjs.js"}, "./feature": {"default": "./lib/feature.js"},'
        '"./utils/*": "./lib/utils/*.js", "./package.json": "./package.json"}}\n'),
    "handlers/node_modules/exp-cond/wrong.js": "module.exports = 'main-WRONG';\n",
    "handlers/node_modules/exp-cond/cjs.js": "module.exports = 'cjs';\n",
    "handlers/node_modules/exp-cond/esm.js": "export default 'esm-WRONG';\n",
    "handlers/node_modules/exp-cond/lib/feature.js": "module.exports = 'feature';\n",
    "handlers/node_modules/exp-cond/lib/utils/a.js": "module.exports = 'util-a';\n",
    "handlers/node_modules/exp-esm-only/package.json":
        '{"name": "exp-esm-only", "type": "module", "exports": {"node": {"import": "./index.js"}}}\n',
    "handlers/node_modules/exp-esm-only/index.js": "export const v = 'esm-only';\nexport default 42;\n",
    "handlers/node_modules/exp-string/package.json": '{"exports": "./main.js"}\n',
    "handlers/node_modules/exp-string/main.js": "module.exports = 'string-exports';\n",
    "handlers/node_modules/@scope/pkg/package.json": '{"exports": {".": ["./x.js"], "./sub": "./y.js"}}\n',
    "handlers/node_modules/@scope/pkg/x.js": "module.exports = 'scoped';\n",
    "handlers/node_modules/@scope/pkg/y.js": "module.exports = 'scoped-sub';\n",
    "handlers/exports_field.js": J % ("{ cond: require('exp-cond'), feature: require('exp-cond/feature'), "
                                      "util: require('exp-cond/utils/a'), name: require('exp-cond/package.json').name, "
                                      "esm: require('exp-esm-only').v, esmDefault: require('exp-esm-only').default, "
                                      "str: require('exp-string'), scoped: require('@scope/pkg'), "
                                      "scopedSub: require('@scope/pkg/sub') }"),

    "handlers/rel.js": J % ("{ add: require('./_lib/math').add(2, 3), "
                            "withExt: require('./_lib/math.js').add(1, 1), "
                            "dir: require('./_lib/dir'), up: require('./_lib/up') }"),
    "handlers/nested/deep.js": J % "{ add: require('../_lib/math').add(40, 2), dir: require('../_lib/dir/') }",
    "handlers/nested/uses_modules.js": J % ("{ local: require('local-only'), simple: require('simple').name, "
                                           "withmain: require('withmain').name, fileMod: require('file-mod') }"),
    "handlers/bare.js": J % ("{ simple: require('simple'), "
                             "localOnly: %s }" % _try("require('local-only')")),
    "handlers/outside_root.js": J % ("{ r: %s }" % _try("require('outside')")),
    "handlers/rootrel.js": J % ("{ r: %s }" % _try("require('_lib/math')")),
    "handlers/missing.js": J % ("{ r: %s }" % _try("require('./nope')")),
    "handlers/missing_bare.js": J % ("{ r: %s }" % _try("require('no-such-package')")),
    # require(id) of an id from the query, as a careless handler might do
    "handlers/probe.js": J % ("{ r: %s }" % _try("require(req.query.id)")),
    "handlers/missing_uncaught.js": "module.exports = function (req, res) { require('./nope'); res.end('x'); };\n",
    "handlers/cache.js": ("var a = require('./_lib/counted');\n"
                          "module.exports = function (req, res) {\n"
                          "  var b = require('./_lib/counted');\n"
                          "  var c = require('./_lib/counted.js');\n"
                          "  res.end(JSON.stringify({ same: a === b && b === c, "
                          "loads: require('./_lib/registry').loads }));\n};\n"),
    "handlers/cycle.js": J % "require('./_lib/a')",
    "handlers/exports.js": J % ("{ replaced: require('./_lib/replaced'), "
                                "fn: require('./_lib/fn')(), fnType: typeof require('./_lib/fn') }"),
    "handlers/filename.js": ("module.exports = function (req, res) { res.end(JSON.stringify("
                             "{ file: __filename, dir: __dirname, lib: require('./_lib/where') })); };\n"),
    "handlers/counter.js": "var n = 0;\nmodule.exports = function (req, res) { n++; res.end(String(n)); };\n",
    "handlers/module_obj.js": ("var same = module.exports === exports;\n" +
                               J % ("{ hasModule: typeof module === 'object', "
                                    "same: same, reqType: typeof require }")),
}

_tmp = None


def _make():
    global _tmp
    _tmp = mkdtemp("eider-require-")
    write_tree(_tmp, TREE)
    # a link inside the root to a directory above it
    os.symlink(os.path.join(_tmp, "node_modules", "outside"), os.path.join(_tmp, "handlers", "_lib", "linkout"))
    return Eider(os.path.join(_tmp, "handlers"))


srv = Shared(_make)


def teardown_module():
    srv.close()
    if _tmp:
        shutil.rmtree(_tmp, ignore_errors=True)


def get(path):
    r = srv.get().request("GET", path)
    assert_status(r, 200, path)
    return r.json()


def _not_found(res, name):
    assert "err" in res, "require(%r) should have thrown, got %r" % (name, res)
    assert "Cannot find module" in res["err"], res["err"]
    assert name in res["err"], "error does not name %r: %s" % (name, res["err"])


def test_package_exports_field():
    """package.json "exports" as Node reads it for require(): conditions
    (require/node/default, before import), subpaths, "*" patterns, arrays,
    scoped packages; an ES-module-only package is lowered and works too."""
    assert get("/exports_field") == {
        "cond": "cjs", "feature": "feature", "util": "util-a", "name": "exp-cond", "esm": "esm-only",
        "esmDefault": 42, "str": "string-exports", "scoped": "scoped", "scopedSub": "scoped-sub"}


def test_relative_require():
    j = get("/rel")
    assert j["add"] == 5 and j["withExt"] == 2, j


def test_relative_directory_index():
    assert get("/rel")["dir"] == "dir-index"


def test_parent_relative_require():
    j = get("/nested/deep")
    assert j == {"add": 42, "dir": "dir-index"}, j
    assert get("/rel")["up"] == 42


def test_bare_name_from_node_modules():
    j = get("/bare")
    assert j["simple"]["name"] == "simple", j


def test_package_json_main():
    assert get("/bare")["simple"]["withmain"] == "withmain-entry"


def test_nested_node_modules_of_a_package():
    assert get("/bare")["simple"]["inner"] == "inner-of-simple"


def test_node_modules_walk_up_from_requiring_dir():
    j = get("/nested/uses_modules")
    assert j == {"local": "local-only", "simple": "simple", "withmain": "withmain-entry",
                 "fileMod": "file-mod"}, j


def test_nested_node_modules_not_visible_from_parent():
    _not_found(get("/bare")["localOnly"], "local-only")


def test_node_modules_above_handlers_root_not_used():
    _not_found(get("/outside_root")["r"], "outside")


def _probe(id_):
    r = srv.get().request("GET", "/probe?id=" + urllib.parse.quote(id_))
    assert_status(r, 200, id_)
    return r.json()["r"]


# A "../" that leaves the root through an exports "*" pattern, or through
# a link's parent (".." is textual in require(), as in Node): the file is
# above the root, so it must not load, and the error must not tell whether
# it exists there (before path.c it said "resolves outside the handlers root"
# for an existing file, "Cannot find module ... from" for a missing one).
def _same_error(there_id, missing_id):
    there, missing = _probe(there_id), _probe(missing_id)
    _not_found(there, there_id)
    _not_found(missing, missing_id)
    assert there["err"].replace(there_id, "ID") == missing["err"].replace(missing_id, "ID"), (there, missing)


def test_escape_through_exports_pattern_tells_nothing():
    _same_error("exp-cond/utils/../../../../../node_modules/outside/index",
                "exp-cond/utils/../../../../../node_modules/outside/nope")


def test_escape_through_a_links_parent_tells_nothing():
    _same_error("./_lib/linkout/../outside/index", "./_lib/linkout/../outside/nope")


def test_link_out_of_the_root_refused():
    r = _probe("./_lib/linkout/index")
    assert "err" in r and "resolves outside the handlers root" in r["err"], r


def test_bare_name_resolves_from_handlers_root():
    # SPEC: require resolves "the handlers root" (like NODE_PATH).
    r = get("/rootrel")["r"]
    assert "v" in r and "err" not in r, r


def test_missing_relative_module():
    _not_found(get("/missing")["r"], "./nope")


def test_missing_package():
    _not_found(get("/missing_bare")["r"], "no-such-package")


def test_missing_module_uncaught_is_500():
    e = srv.get()
    r = e.request("GET", "/missing_uncaught")
    assert_eider_error(r, 500)
    e.wait_log("Cannot find module")


def test_module_cache_same_object():
    e = srv.get()
    for _ in range(3):
        r = e.request("GET", "/cache")
        assert_status(r, 200)
        j = r.json()
        assert j["same"] is True, j
        assert j["loads"] == 1, "module body ran %s times" % j["loads"]


def test_cycle_partial_exports_like_node():
    j = get("/cycle")
    assert j["name"] == "a" and j["done"] is True, j
    assert j["fromB"] == "b", j
    assert j["bSawA"] == "a", "b should see a's partial exports: %r" % j
    assert j["bSawDone"] is False, "b saw a's exports after a finished: %r" % j


def test_module_exports_replaces_exports():
    j = get("/exports")
    assert j["replaced"] == {"kept": 2}, j
    assert j["fn"] == "fn-export" and j["fnType"] == "function", j
    j = get("/module_obj")
    assert j == {"hasModule": True, "same": True, "reqType": "function"}, j


def test_filename_and_dirname():
    j = get("/filename")
    root = os.path.realpath(os.path.join(_tmp, "handlers"))
    assert os.path.realpath(j["file"]) == os.path.join(root, "filename.js"), j
    assert os.path.realpath(j["dir"]) == root, j
    assert os.path.realpath(j["lib"]["file"]) == os.path.join(root, "_lib", "where.js"), j
    assert os.path.realpath(j["lib"]["dir"]) == os.path.join(root, "_lib"), j


def test_module_compiled_once_state_persists():
    e = srv.get()
    vals = [int(e.request("GET", "/counter")[2]) for _ in range(4)]
    assert vals == list(range(vals[0], vals[0] + 4)), \
        "module-level counter does not increase across requests: %s" % vals
