"""The res object: statusCode, set/get/removeHeader, writeHead, write (chunked),
end, json, redirect; X-Request-Id on every response."""
import re

from eiderlib import Eider, Shared, fixture, assert_status, assert_eider_error

srv = Shared(lambda: Eider(fixture("response")))


def teardown_module():
    srv.close()


def get(path, method="GET"):
    return srv.get().request(method, path)


def test_default_status_200_with_content_length():
    r = get("/default")
    assert_status(r, 200)
    assert r[2] == b"x"
    assert r[1].get("content-length") == "1", r[1]
    assert "transfer-encoding" not in r[1], r[1]


def test_status_code_settable():
    r = get("/status")
    assert_status(r, 201)
    assert r[2] == b"created"


def test_set_header_string_and_number():
    r = get("/headers")
    assert_status(r, 200)
    assert r[1].get("x-str") == "value", r[1]
    assert r[1].get("x-num") == "42", r[1]


def test_set_header_array_repeats_header():
    r = get("/headers")
    assert r.header_values("set-cookie") == ["a=1", "b=2"], r.header_list


def test_set_header_overwrites_case_insensitively():
    r = get("/headers")
    assert r.header_values("x-overwritten") == ["second"], r.header_list
    assert r.json()["overwritten"] == "second", r.json()


def test_get_header_case_insensitive():
    j = get("/headers").json()
    assert j["str"] == "value", j
    assert j["num"] == 42, j                   # as set, as Node gives it back
    assert j["cookie"] == ["a=1", "b=2"], j
    assert j["removedBefore"] == "gone", j
    assert j["missing"] is True, j
    assert j["oneItemArray"] == ["only"], j
    assert j["numRemoved"] is True, j
    assert j["numThenString"] == "seven", j


def test_remove_header():
    r = get("/headers")
    assert "x-removed" not in r[1], r[1]
    assert r.json()["removedAfter"] is True


def test_write_head_with_headers():
    r = get("/writehead")
    assert_status(r, 202)
    assert r[1].get("x-a") == "1", r[1]
    assert r[1].get("content-type", "").startswith("text/plain"), r[1]
    assert r[2] == b"accepted"


def test_write_head_with_reason_phrase():
    r = get("/writehead_reason")
    assert_status(r, 203)
    assert r[1].get("x-b") == "2", r[1]
    assert r[2] == b"r"


def test_write_head_reason_phrase_sent():
    r = get("/writehead_reason")
    assert_status(r, 203)
    assert r.reason == "Custom Reason", "reason phrase %r" % r.reason


def test_write_head_status_only_keeps_set_headers():
    r = get("/writehead_status_only")
    assert_status(r, 418)
    assert r[1].get("x-before") == "kept", r[1]
    assert r[2] == b"teapot"


def test_node_createserver_callback_runs_unchanged():
    r = get("/node_compat")
    assert_status(r, 201)
    assert r[1].get("transfer-encoding", "").lower() == "chunked", r[1]
    assert "content-length" not in r[1], r[1]
    assert r[1].get("content-type", "").startswith("text/plain"), r[1]
    assert r[2] == b"abc", r[2]


def test_write_is_chunked_on_the_wire():
    data = srv.get().raw(b"GET /node_compat HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, body = data.partition(b"\r\n\r\n")
    assert re.search(rb"(?im)^transfer-encoding:\s*chunked\s*$", head), head
    # chunk framing: hex size lines, terminated by a zero-size chunk
    assert body.endswith(b"0\r\n\r\n"), body[-40:]
    payload = b""
    rest = body
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        n = int(size_line.split(b";")[0], 16)
        if n == 0:
            break
        payload += rest[:n]
        assert rest[n:n + 2] == b"\r\n", "bad chunk framing: %r" % body
        rest = rest[n + 2:]
    assert payload == b"abc", payload


def test_write_buffer_and_string_chunks():
    r = get("/write_buffer")
    assert_status(r, 200)
    assert r[2] == b"\x00\x01\x02\xc3\xa9\xff", r[2]


def test_many_writes():
    r = get("/write_many")
    assert_status(r, 200)
    assert r[2] == "".join("line %d\n" % i for i in range(200)).encode(), r[2][-100:]


def test_end_buffer_binary():
    r = get("/end_buffer")
    assert_status(r, 200)
    assert r[2] == b"\xde\xad\xbe\xef\x00", r[2]
    assert r[1].get("content-length") == "5", r[1]


def test_end_without_body_204():
    r = get("/end_empty")
    assert_status(r, 204)
    assert r[2] == b""
    # RFC 9110 8.6: a 204 must not carry Content-Length.
    assert "content-length" not in {k.lower() for k in r[1]}, r[1]


def test_1xx_status_is_refused_as_a_final_answer():
    # A 1xx is informational: a client would wait for the real answer.
    for code in (100, 103, 199):
        r = get("/status_query?s=%d" % code)
        assert_eider_error(r, 500)


def test_304_has_neither_body_nor_its_length():
    r = get("/status_query?s=304")
    assert_status(r, 304)
    assert r[2] == b"", r[2]
    assert "content-length" not in {k.lower() for k in r[1]}, r[1]


def test_end_utf8_content_length_in_bytes():
    r = get("/end_utf8")
    want = "h\u00e9llo \u2713".encode("utf-8")
    assert r[2] == want, r[2]
    assert r[1].get("content-length") == str(len(want)), r[1]


def test_large_body_intact():
    r = get("/big")
    assert_status(r, 200)
    assert len(r[2]) == 1024 * 1024, len(r[2])
    assert r[1].get("content-length") == str(1024 * 1024), r[1]
    chunk = bytes(97 + (i % 26) for i in range(1024))
    assert r[2] == chunk * 1024, "1 MiB body altered"


def test_json():
    r = get("/json")
    assert_status(r, 200)
    ct = r[1].get("content-type", "").replace(" ", "").lower()
    assert ct == "application/json;charset=utf-8", r[1].get("content-type")
    assert r.json() == {"a": 1, "b": [True, None, "x"], "s": "\u00e9"}, r[2]
    assert r[1].get("content-length") == str(len(r[2])), r[1]


def test_json_with_status():
    r = get("/json_status")
    assert_status(r, 418)
    assert r.json() == {"error": "nope"}
    assert r[1].get("content-type", "").startswith("application/json"), r[1]


def test_redirect_default_302():
    r = get("/redirect")
    assert_status(r, 302)
    assert r[1].get("location") == "/target?x=1", r[1]


def test_redirect_with_status():
    r = get("/redirect_301")
    assert_status(r, 301)
    assert r[1].get("location") == "http://example.com/elsewhere", r[1]


def test_every_response_has_request_id():
    e = srv.get()
    cases = [("GET", "/default", 200), ("GET", "/node_compat", 201), ("GET", "/redirect", 302),
             ("GET", "/no/such/route", 404), ("POST", "/getonly", 405),
             ("GET", "/throws", 500), ("HEAD", "/default", 200), ("GET", "/end_empty", 204)]
    ids = set()
    for m, p, st in cases:
        r = e.request(m, p, body=b"x" if m == "POST" else None)
        assert_status(r, st, "%s %s" % (m, p))
        rid = r[1].get("x-request-id", "")
        assert re.fullmatch(r"[0-9a-f]{16}", rid), "%s %s: X-Request-Id %r" % (m, p, rid)
        ids.add(rid)
    assert len(ids) == len(cases), "X-Request-Id values repeat"
