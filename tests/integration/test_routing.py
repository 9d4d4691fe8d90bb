"""Routing from the handlers directory, and method dispatch (405 / Allow / HEAD)."""
import os
import shutil

from eiderlib import mkdtemp, Eider, Shared, fixture, write_tree, assert_status, assert_eider_error

_tmp = None


def _make():
    # copy the static fixture and add a node_modules folder at runtime
    # (node_modules is commonly git-ignored, so it is not stored in the repo)
    global _tmp
    _tmp = mkdtemp("eider-routing-")
    root = os.path.join(_tmp, "handlers")
    shutil.copytree(fixture("routing"), root)
    write_tree(root, {"node_modules/pkg/index.js":
                      "module.exports = function (req, res) { res.end('node_modules pkg'); };\n"})
    return Eider(root)


srv = Shared(_make)


def teardown_module():
    srv.close()
    if _tmp:
        shutil.rmtree(_tmp, ignore_errors=True)


def route(path, method="GET"):
    r = srv.get().request(method, path)
    assert_status(r, 200, "%s %s" % (method, path))
    return r.json()


def assert_404(path):
    r = srv.get().request("GET", path)
    assert_eider_error(r, 404)


def assert_rejected(path):
    """Path must be refused (400 or 404), never served from a handler."""
    r = srv.get().request("GET", path)
    assert_status(r, (400, 404), "GET %s" % path)
    assert b'"file"' not in r[2], "handler output leaked: %r" % r[2]


# ---------------------------------------------------------------- basic mapping

def test_root_is_index_js():
    assert route("/")["file"] == "index.js"


def test_file_route_users_js():
    assert route("/users")["file"] == "users.js"


def test_directory_index_route():
    assert route("/teams")["file"] == "teams/index.js"


def test_dynamic_segment_param():
    j = route("/users/42")
    assert j["file"] == "users/[id].js", j
    assert j["params"] == {"id": "42"}, j


def test_dynamic_param_is_decoded():
    j = route("/users/hello%20w%C3%B6rld")
    assert j["file"] == "users/[id].js", j
    assert j["params"]["id"] == "hello w\u00f6rld", j


def test_dynamic_directory_segment():
    j = route("/teams/red/members")
    assert j["file"] == "teams/[team]/members.js", j
    assert j["params"] == {"team": "red"}, j


def test_two_dynamic_segments():
    j = route("/deep/x/y/leaf")
    assert j["file"] == "deep/[a]/[b]/leaf.js", j
    assert j["params"] == {"a": "x", "b": "y"}, j


def test_catch_all_rest():
    j = route("/files/a/b/c")
    assert j["file"] == "files/[...rest].js", j
    assert j["params"]["rest"] == "a/b/c", j


def test_catch_all_single_segment():
    j = route("/files/only")
    assert j["file"] == "files/[...rest].js", j
    assert j["params"]["rest"] == "only", j


def test_catch_all_needs_one_segment():
    assert_404("/files")


# ---------------------------------------------------------------- precedence

def test_static_beats_dynamic():
    assert route("/users/new")["file"] == "users/new.js"


def test_dynamic_beats_catch_all():
    j = route("/things/1")
    assert j["file"] == "things/[id].js", j
    assert j["params"] == {"id": "1"}, j
    j = route("/things/1/2")
    assert j["file"] == "things/[...rest].js", j
    assert j["params"]["rest"] == "1/2", j


def test_backtracking_from_static_directory():
    # catalog/featured/ exists (static) but has no reviews.js -> catalog/[slug]/reviews.js
    j = route("/catalog/featured/reviews")
    assert j["file"] == "catalog/[slug]/reviews.js", j
    assert j["params"] == {"slug": "featured"}, j
    assert route("/catalog/featured/today")["file"] == "catalog/featured/today.js"
    j = route("/catalog/other/reviews")
    assert j["params"] == {"slug": "other"}, j


def test_trailing_slash():
    assert route("/users/")["file"] == "users.js"
    assert route("/teams/")["file"] == "teams/index.js"
    assert route("/users/42/")["params"] == {"id": "42"}


# ---------------------------------------------------------------- not routed

def test_unmatched_is_404():
    assert_404("/nope")
    assert_404("/users/42/extra")
    assert_404("/teams/red")          # teams/[team]/ has only members.js


def test_private_underscore_file_not_routed():
    assert_404("/_private")


def test_private_underscore_dir_not_routed():
    assert_404("/_lib/helper")
    assert_404("/_admin/panel")


def test_node_modules_not_routed():
    assert_404("/node_modules/pkg")
    assert_404("/node_modules/pkg/index")


def test_encoded_dotdot_segment_rejected():
    assert_rejected("/users/%2e%2e")
    assert_rejected("/files/%2E%2E/%2e%2e/etc/passwd")
    assert_rejected("/files/a/%2e%2e")


def test_encoded_slash_in_segment_rejected():
    assert_rejected("/users/a%2Fb")
    assert_rejected("/files/..%2f..%2fetc%2fpasswd")


def test_raw_dotdot_does_not_escape():
    r = srv.get().raw(b"GET /files/../../../etc/passwd HTTP/1.1\r\nHost: x\r\n"
                      b"Connection: close\r\n\r\n")
    assert b"root:" not in r
    if r:
        line = r.split(b"\r\n", 1)[0]
        assert line.split()[1] in (b"400", b"404"), line


# ---------------------------------------------------------------- methods

def test_single_function_handles_every_method():
    e = srv.get()
    for m in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        r = e.request(m, "/methods/all", body=b"x" if m in ("POST", "PUT", "PATCH") else None)
        assert_status(r, 200, m)
        assert r[2] == ("all:" + m).encode(), (m, r[2])


def test_named_method_exports_dispatch():
    e = srv.get()
    for m in ("GET", "POST", "DELETE"):
        r = e.request(m, "/methods/some")
        assert_status(r, 200, m)
        assert r[2] == ("some:" + m).encode(), (m, r[2])
    for m in ("PATCH", "OPTIONS", "PUT"):
        r = e.request(m, "/methods/verbs", body=b"" if m != "OPTIONS" else None)
        assert_status(r, 200, m)
        assert r[2] == ("verbs:" + m).encode(), (m, r[2])


def _allow(r):
    return [x.strip() for x in r[1].get("allow", "").split(",") if x.strip()]


def test_405_with_allow_header_get_only():
    r = srv.get().request("POST", "/methods/getonly", body=b"x")
    assert_eider_error(r, 405)
    assert _allow(r) == ["GET", "HEAD"], r[1].get("allow")


def test_405_allow_order():
    r = srv.get().request("PUT", "/methods/some", body=b"x")
    assert_eider_error(r, 405)
    assert _allow(r) == ["GET", "HEAD", "POST", "DELETE"], r[1].get("allow")
    r = srv.get().request("DELETE", "/methods/verbs")
    assert_eider_error(r, 405)
    assert _allow(r) == ["GET", "HEAD", "PUT", "PATCH", "OPTIONS"], r[1].get("allow")


def test_405_without_get_has_no_head():
    e = srv.get()
    r = e.request("GET", "/methods/nohead")
    assert_eider_error(r, 405)
    assert _allow(r) == ["POST", "PUT"], r[1].get("allow")
    r = e.request("HEAD", "/methods/nohead")
    assert r[0] == 405, r
    assert r[2] == b""


def test_head_served_by_get_without_body():
    e = srv.get()
    g = e.request("GET", "/methods/getonly")
    h = e.request("HEAD", "/methods/getonly")
    assert_status(g, 200)
    assert_status(h, 200, "HEAD")
    assert g[2] == b"hello from GET"
    assert h[2] == b"", h[2]
    assert h[1].get("content-length") == str(len(g[2])), (h[1], g[1])
    assert h[1].get("x-handler") == "getonly", h[1]
    assert h[1].get("content-type", "").startswith("text/plain"), h[1]


def test_head_on_raw_socket_sends_no_body():
    # http.client never reads a HEAD body; check the bytes on the wire
    data = srv.get().raw(b"HEAD /methods/getonly HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, sep, rest = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), data[:200]
    assert sep and rest == b"", "HEAD response carried a body: %r" % rest[:100]
