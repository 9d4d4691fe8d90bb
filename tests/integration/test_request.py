"""The req object: method, url, path, query, params, headers, body, text(),
json(), ip, protocol, id; plus the documented globals."""
import json
import re

from eiderlib import Eider, Shared, fixture, assert_status, assert_eider_error

srv = Shared(lambda: Eider(fixture("request")))


def teardown_module():
    srv.close()


def echo(method="GET", path="/echo", body=None, headers=None, timeout=10):
    r = srv.get().request(method, path, body=body, headers=headers, timeout=timeout)
    assert_status(r, 200, "%s %s" % (method, path))
    return r, r.json()


def val(j, key):
    """Value of a guarded field from echo.js; fail if the lookup threw."""
    f = j[key]
    if "err" in f:
        raise AssertionError("req.%s threw: %s" % (key, f["err"]))
    return f.get("v")


def test_method():
    for m in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        _, j = echo(m, body=b"" if m in ("POST", "PUT", "PATCH") else None)
        assert val(j, "method") == m, (m, j["method"])


def test_url_is_raw_target_with_query():
    target = "/echo?a=1&b=hello+world&c=%C3%A9"
    _, j = echo(path=target)
    assert val(j, "url") == target, j["url"]


def test_path_is_raw_path_without_query():
    _, j = echo(path="/echo?x=1")
    assert val(j, "path") == "/echo", j["path"]
    _, j = echo(path="/p/caf%C3%A9?x=1")
    assert val(j, "path") == "/p/caf%C3%A9", j["path"]


def test_query_decoded():
    _, j = echo(path="/echo?b=hello+world&c=%C3%A9&d=a%26b%3Dc&empty=")
    q = val(j, "query")
    assert q.get("b") == "hello world", q
    assert q.get("c") == "\u00e9", q
    assert q.get("d") == "a&b=c", q
    assert q.get("empty") == "", q


def test_query_repeated_key_is_array():
    _, j = echo(path="/echo?a=1&a=2&a=3&z=9")
    q = val(j, "query")
    assert q.get("a") == ["1", "2", "3"], q
    assert q.get("z") == "9", q


def test_query_empty_object_without_query_string():
    _, j = echo(path="/echo")
    assert val(j, "query") == {}, j["query"]


def test_params_decoded():
    _, j = echo(path="/p/caf%C3%A9")
    assert val(j, "params") == {"name": "caf\u00e9"}, j["params"]


def test_params_empty_for_static_route():
    _, j = echo(path="/echo")
    assert val(j, "params") == {}, j["params"]


def test_headers_lowercase_names():
    _, j = echo(headers={"X-Custom-Thing": "Foo Bar", "User-Agent": "eider-test"})
    h = val(j, "headers")
    assert h.get("x-custom-thing") == "Foo Bar", h
    assert h.get("user-agent") == "eider-test", h
    assert "host" in h, h
    assert not any(k != k.lower() for k in h), "upper-case header names: %r" % list(h)


def test_headers_repeated_joined():
    _, j = echo(headers=[("X-Multi", "a"), ("X-Multi", "b"), ("x-multi", "c")])
    h = val(j, "headers")
    assert h.get("x-multi") == "a, b, c", h


# Node's IncomingMessage keeps the first of these and drops repeats
# (_http_incoming.js, matchKnownFields).
FIRST_WINS = {"age", "authorization", "content-length", "content-type", "etag", "expires",
              "from", "host", "if-modified-since", "if-unmodified-since", "last-modified",
              "location", "max-forwards", "proxy-authorization", "referer", "retry-after",
              "server", "user-agent"}


def node_headers(sent):
    """What Node makes of SENT [(name, value)...]: lower-case names in the
    order they first appear; set-cookie an array of its values; a repeat of
    FIRST_WINS dropped; cookie's values joined with "; ", the others' with
    ", "."""
    out = {}
    for name, value in sent:
        k = name.lower()
        if k == "set-cookie":
            out.setdefault(k, []).append(value)
        elif k not in out:
            out[k] = value
        elif k == "cookie":
            out[k] += "; " + value
        elif k not in FIRST_WINS:
            out[k] += ", " + value
    return out


def headers_of(sent):
    r = srv.get().request("GET", "/headers", headers=sent)
    assert_status(r, 200, "GET /headers")
    return r.json()


def test_headers_repeats_case_and_set_cookie():
    sent = [("X-Multi", "a"), ("Set-Cookie", "s=1"), ("X-One", "1"), ("x-multi", "b"),
            ("SET-COOKIE", "t=2"), ("X-MULTI", "c"), ("X-Gone", "g"), ("X-Change", "old")]
    j = headers_of(sent)
    want = node_headers(sent)
    mine = [k for k in j["keys"] if k in want]
    assert mine == list(want), j["keys"]
    got = json.loads(j["json"])
    assert {k: got[k] for k in want} == want, got
    assert got["x-multi"] == "a, b, c" and got["set-cookie"] == ["s=1", "t=2"], got


def test_headers_repeated_as_node_keeps_them():
    """Node's rules for a repeated header, not one join for all: cookie
    joined with "; ", the first user-agent/referer/authorization kept, a
    lone set-cookie still an array; req.headers is a plain object with
    Object.prototype (hasOwnProperty works), and a "__proto__" header
    sets nothing."""
    sent = [("Cookie", "a=1"), ("User-Agent", "first"), ("cookie", "b=2"), ("user-agent", "second"),
            ("Referer", "http://x/1"), ("Referer", "http://x/2"), ("Authorization", "Basic a"),
            ("Authorization", "Basic b"), ("Set-Cookie", "only=1"), ("__proto__", "x")]
    j = headers_of(sent)
    got = json.loads(j["json"])
    want = node_headers([s for s in sent if s[0] != "__proto__"])
    assert {k: got[k] for k in want} == want, got
    assert got["cookie"] == "a=1; b=2" and got["user-agent"] == "first", got
    assert got["set-cookie"] == ["only=1"], got
    assert "__proto__" not in j["keys"], j["keys"]
    assert j["plain"] is True, j


def test_headers_modified_by_handler_are_kept():
    j = headers_of([("X-Gone", "g"), ("X-Change", "old"), ("X-Keep", "k")])
    assert j["same"] is True, j
    after = j["after"]
    assert after["x-added"] == "yes" and after["x-change"] == "changed", after
    assert "x-gone" not in after and after["x-keep"] == "k", after


def test_headers_many_with_repeats():
    # More names than get_headers tracks by pointer (64), repeated before
    # and after that many, in any case.
    sent = [("X-H%02d" % i, "v%d" % i) for i in range(70)]
    sent[10:10] = [("x-h03", "early")]
    sent += [("X-H03", "again"), ("x-h68", "late"), ("X-New-Late", "n"), ("x-NEW-late", "m"),
             ("X-H69", "last")]
    j = headers_of(sent)
    want = node_headers(sent)
    got = json.loads(j["json"])
    assert [k for k in j["keys"] if k in want] == list(want), j["keys"]
    assert {k: got[k] for k in want} == want, got
    assert got["x-h03"] == "v3, early, again" and got["x-new-late"] == "n, m", got


def test_body_undefined_without_body():
    _, j = echo("GET")
    assert val(j, "bodyType") == "undefined", j["bodyType"]
    assert val(j, "text") == "", j["text"]


def test_body_is_buffer_with_utf8_text():
    s = "h\u00e9llo \u2713 world"
    _, j = echo("POST", body=s.encode("utf-8"), headers={"Content-Type": "text/plain"})
    assert val(j, "bodyType") == "Buffer", j["bodyType"]
    assert val(j, "bodyLength") == len(s.encode("utf-8")), j["bodyLength"]
    assert val(j, "bodyHex") == s.encode("utf-8").hex(), j["bodyHex"]
    assert val(j, "text") == s, j["text"]


def test_body_binary_bytes_intact():
    data = bytes(range(256)) * 4
    r = srv.get().request("PUT", "/echo", body=data,
                          headers={"Content-Type": "application/octet-stream"})
    assert_status(r, 200)
    # the echo also returns req.text(), which is not valid UTF-8 here: pick fields by regex
    m = re.search(rb'"bodyHex":\{"v":"([0-9a-f]*)"\}', r[2])
    assert m, "no bodyHex in %r" % r[2][:300]
    assert m.group(1).decode() == data.hex(), "binary body altered"
    assert re.search(rb'"bodyType":\{"v":"Buffer"\}', r[2]), r[2][:300]


def test_text_invalid_utf8_replaced_like_node():
    _, j = echo("POST", body=b"a\xffb\xc3")
    assert val(j, "bodyHex") == "61ff62c3", j["bodyHex"]
    assert val(j, "text") == "a\ufffdb\ufffd", "req.text() of invalid UTF-8: %r" % j["text"]


def test_body_larger_than_a_socket_read():
    data = (b"0123456789abcdef" * 4096)[:60000]
    # echo.js hex-encodes the body in a JavaScript loop (an encoder of its
    # own, not Buffer's): seconds under ASan on a loaded machine.
    _, j = echo("POST", body=data, timeout=60)
    assert val(j, "bodyLength") == len(data), j["bodyLength"]
    assert val(j, "text") == data.decode(), "60 kB body altered"


def test_json_parses_body():
    r = srv.get().request("POST", "/json", body=json.dumps({"a": [1, 2, {"b": None}], "s": "\u00e9"}),
                          headers={"Content-Type": "application/json"})
    assert_status(r, 200)
    j = r.json()
    assert j == {"type": "object", "value": {"a": [1, 2, {"b": None}], "s": "\u00e9"}}, j
    r = srv.get().request("POST", "/json", body="[1,2]")
    assert_status(r, 200)
    assert r.json() == {"type": "array", "value": [1, 2]}


def _json_edge(body):
    r = srv.get().request("POST", "/json_edge", body=body.encode("utf-8"),
                          headers={"Content-Type": "application/json"})
    assert_status(r, 200)
    j = r.json()
    assert j["viaJson"] == j["viaParse"], j
    return j


def test_json_numbers_as_node_parses_them():
    # Node: 2**53 + 1 rounds to even, a huge exponent is Infinity, -0 stays.
    j = _json_edge("[9007199254740993, -0, 1e400, -1e400, 0.1, 5e-324, 1.7976931348623157e308,"
                   " 123456789012345678901234567890, 0, -12, 3.14159]")
    assert json.loads(j["viaJson"]) == ["9007199254740992", "-0", "Infinity", "-Infinity", "0.1",
                                        "5e-324", "1.7976931348623157e+308", "1.2345678901234568e+29",
                                        "0", "-12", "3.14159"], j


def test_json_strings_escapes_and_keys():
    j = _json_edge('["\\ud83d\\ude00", "\u00e9\U0001F600", "a\\u00e9\\n\\"\\\\\\/", ""]')
    assert j["lengths"] == [2, 3, 6, 0], j
    j = _json_edge('{"__proto__": {"x": 1}, "a": 1, "b": [], "a": 2}')
    assert j["viaJson"] == '{"__proto__":{"x":"1"},"a":"2","b":[]}', j
    assert j["ownProto"] is True and j["protoIsObject"] is True, j


def test_json_defines_own_elements_and_keys():
    r = srv.get().request("POST", "/json_setters", body=b"[7]",
                          headers={"Content-Type": "application/json"})
    assert_status(r, 200)
    assert r.json() == {"hit": False, "a": [5, 2, True], "o": [1, True], "b": [7, True]}, r.json()


def test_json_invalid_is_400():
    r = srv.get().request("POST", "/json", body="{not json",
                          headers={"Content-Type": "application/json"})
    assert_eider_error(r, 400)


def test_json_invalid_can_be_caught():
    r = srv.get().request("POST", "/json_catch", body="{nope")
    assert_status(r, 422)
    assert r[2].startswith(b"caught "), r[2]


def test_ip():
    _, j = echo()
    assert val(j, "ip") == "127.0.0.1", j["ip"]


def test_protocol():
    _, j = echo()
    assert val(j, "protocol") == "http", j["protocol"]


def test_forwarded_headers_not_trusted_by_default():
    _, j = echo(headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    assert val(j, "ip") == "127.0.0.1", j["ip"]
    assert val(j, "protocol") == "http", j["protocol"]


def test_id_format_and_header():
    r, j = echo()
    rid = val(j, "id")
    assert isinstance(rid, str) and re.fullmatch(r"[0-9a-f]{16}", rid), rid
    assert r[1].get("x-request-id") == rid, (r[1].get("x-request-id"), rid)


def test_id_unique():
    ids = set()
    e = srv.get()
    conn = e.connection()
    try:
        from eiderlib import request_on
        for _ in range(25):
            r = request_on(conn, "GET", "/echo")
            ids.add(r.json()["id"]["v"])
    finally:
        conn.close()
    for _ in range(5):
        ids.add(echo()[1]["id"]["v"])
    assert len(ids) == 30, "request ids not unique: %d distinct of 30" % len(ids)


def test_globals_buffer_textcodec_promise_map_set():
    r = srv.get().request("GET", "/globals")
    assert_status(r, 200)
    j = r.json()
    errs = {k: v["err"] for k, v in j.items() if "err" in v}
    assert not errs, "globals failed: %r" % errs
    assert j["bufferHex"]["v"] == "78", j["bufferHex"]
    assert j["bufferUtf8"]["v"] == 3, j["bufferUtf8"]
    assert j["encoder"]["v"] == [2, 0xc3, 0xa9], j["encoder"]
    assert j["decoder"]["v"] == "\u2713", j["decoder"]
    assert j["promise"]["v"] == "function", j["promise"]
    assert j["map"]["v"] == 1 and j["set"]["v"] == 2, j
    assert j["console"]["v"] == "function", j["console"]


def test_text_past_u_ffff_counts_like_node():
    # A character past U+FFFF is two UTF-16 units in Node; pushed into
    # Duktape as 4-byte UTF-8 it was one, and TextEncoder.encode() wrote
    # past its buffer (found by the fuzz_js target).
    body = "\U0001F600x\U0001F600".encode("utf-8")
    r = srv.get().request("POST", "/utf16?q=%F0%9F%98%80", body=body)
    assert_status(r, 200)
    assert r.json() == {"length": 5, "bytes": len(body), "query": "\U0001F600", "qlength": 2}, r.json()


def test_objects_inheriting_from_req_and_res_see_their_exchange():
    # The running handler's req and res are found by pointer, without a
    # property to inherit (js_util.c): a wrapper made with Object.create
    # still reads the request and answers, at once and later.
    for q in ("", "?later=1"):
        r = srv.get().request("GET", "/wrapped" + q)
        assert_status(r, 200, "/wrapped" + q)
        j = r.json()
        assert j["now"] == {"path": "/wrapped", "method": "GET"}, j
        if q:
            assert j["later"] == {"path": "/wrapped"}, j
