"""A req and res that their handler answered with and kept nothing of are
used again for the next request (js_call.c); no handler may ever see an
object of an earlier request, nor anything put on one."""
import json

from eiderlib import Eider, Shared, mkdtemp, write_tree

HANDLERS = {
    # Keeps every req and res it saw; answers whether this one is new.
    "keep.js": """var seen = [];
module.exports = function (req, res) {
  var fresh = seen.indexOf(req) < 0 && seen.indexOf(res) < 0;
  seen.push(req, res);
  res.json({fresh: fresh, n: seen.length});
};""",
    # Marks its req and res, then another handler looks for the marks.
    "mark.js": """module.exports = function (req, res) {
  req.mark = 'req'; res.mark = 'res';
  res.json({marked: true});
};""",
    "frozen.js": """module.exports = function (req, res) {
  Object.preventExtensions(req);
  res.json({frozen: !Object.isExtensible(req)});
};""",
    "proto.js": """var other = {json: function () { throw new Error('a stale prototype'); }};
module.exports = function (req, res) {
  res.json({ok: true});
  Object.setPrototypeOf(res, other);
};""",
    "look.js": """module.exports = function (req, res) {
  res.json({reqMark: req.mark === undefined ? null : req.mark,
            resMark: res.mark === undefined ? null : res.mark,
            extensible: Object.isExtensible(req),
            keys: Object.keys(req).concat(Object.keys(res)),
            path: req.path});
};""",
    # Holds them in a microtask's closure past its answer.
    "later.js": """var held = [];
module.exports = function (req, res) {
  var fresh = held.indexOf(req) < 0;
  res.json({fresh: fresh});
  Promise.resolve().then(function () { held.push(req); });
};""",
    "plain.js": "module.exports = function (req, res) { res.json({path: req.path}); };",
}


srv = Shared(lambda: Eider(write_tree(mkdtemp("eider-reuse-"), HANDLERS)))


def teardown_module():
    srv.close()


def test_a_kept_req_or_res_is_never_handed_out_again():
    e = srv.get()
    c = e.connection()
    try:
        for i in range(6):
            c.request("GET", "/plain")   # objects other requests may reuse
            c.getresponse().read()
            c.request("GET", "/keep")
            j = json.loads(c.getresponse().read())
            assert j["fresh"] is True, (i, j)
    finally:
        c.close()


def test_nothing_put_on_a_req_or_res_reaches_the_next_request():
    e = srv.get()
    for first in ("/mark", "/frozen", "/proto"):
        assert e.get(first).status == 200
        j = e.get("/look").json()
        assert j == {"reqMark": None, "resMark": None, "extensible": True, "keys": [],
                     "path": "/look"}, (first, j)


def test_objects_held_by_a_microtask_are_not_reused():
    e = srv.get()
    for i in range(4):
        assert e.get("/later").json() == {"fresh": True}, i
        assert e.get("/plain").json() == {"path": "/plain"}
