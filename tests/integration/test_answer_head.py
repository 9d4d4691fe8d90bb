"""The head eider writes for a handler's answer: X-Request-Id and Date
first on every answer, written with the head rather than kept in
evhttp's header list, yet seen, replaced and removed by res's header
methods as any other header; res.json()'s Content-Type only when the
handler set none."""
import re

from eiderlib import Eider, Shared, mkdtemp, raw, parse_responses, write_tree

HANDLERS = {
    "plain.js": "module.exports = function (req, res) { res.end('x'); };",
    "json.js": "module.exports = function (req, res) { res.json({a: 1}); };",
    "chunked.js": "module.exports = function (req, res) { res.write('a'); res.end('b'); };",
    "later.js": "module.exports = function (req, res) { setTimeout(function () {"
                " res.json({late: true}); }, 5); };",
    "seen.js": """module.exports = function (req, res) {
  res.json({id: res.getHeader('x-request-id'), date: res.getHeader('Date'), reqId: req.id});
};""",
    "removed.js": """module.exports = function (req, res) {
  res.removeHeader('Date');
  res.setHeader('X-Request-Id', 'mine');
  res.end('x');
};""",
    "typed.js": """module.exports = function (req, res) {
  res.setHeader('content-type', 'text/plain');
  res.json({a: 1});
};""",
    "caught.js": """module.exports = function (req, res) {
  var o = {};
  o.o = o;
  try { res.json(o); } catch (e) { res.end('after ' + e.name); }
};""",
}

DATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                  r" \d{4} \d\d:\d\d:\d\d GMT$")


srv = Shared(lambda: Eider(write_tree(mkdtemp("eider-head-"), HANDLERS)))


def teardown_module():
    srv.close()


def _head_lines(path):
    """The header lines of PATH's answer, as the client reads them."""
    e = srv.get()
    data = raw(e.port, ("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    return head[0], [tuple(l.split(": ", 1)) for l in head[1:]]


def test_every_answer_starts_with_request_id_then_date():
    for path in ("/plain", "/json", "/chunked", "/later", "/nothing-here"):
        status, lines = _head_lines(path)
        names = [k.lower() for k, _ in lines]
        assert names[:2] == ["x-request-id", "date"], (path, status, lines)
        assert re.match(r"^[0-9a-f]{16}$", lines[0][1]), lines
        assert DATE.match(lines[1][1]), lines
        assert names.count("x-request-id") == 1 and names.count("date") == 1, lines


def test_res_sees_its_request_id_and_date():
    r = srv.get().get("/seen")
    j = r.json()
    assert j["id"] == r.headers["x-request-id"] == j["reqId"], (j, r.headers)
    assert DATE.match(j["date"]), j
    assert [k.lower() for k, _ in r.header_list].count("date") == 1, r.header_list


def test_res_removes_and_replaces_them():
    status, lines = _head_lines("/removed")
    names = [k.lower() for k, _ in lines]
    assert "date" not in names, lines
    assert [v for k, v in lines if k.lower() == "x-request-id"] == ["mine"], lines


def test_res_json_keeps_the_handlers_content_type():
    r = srv.get().get("/typed")
    assert r.header_values("content-type") == ["text/plain"], r.header_list
    assert r.body == b'{"a":1}'


def test_res_json_sets_its_type_even_when_stringify_throws():
    r = srv.get().get("/caught")
    assert r.status == 200 and r.body == b"after TypeError", r
    assert r.header_values("content-type") == ["application/json; charset=utf-8"], r.header_list


def test_res_json_type_and_length():
    r = srv.get().get("/json")
    assert r.header_values("content-type") == ["application/json; charset=utf-8"], r.header_list
    assert r.header_values("content-length") == ["7"], r.header_list


def test_the_answer_speaks_the_requests_version():
    # evhttp reads the version through sscanf, which evhttp_version.c
    # answers itself for HTTP/1.0 and HTTP/1.1.
    e = srv.get()
    for version, keep in (("1.0", False), ("1.1", True)):
        data = raw(e.port, ("GET /plain HTTP/%s\r\nHost: x\r\n\r\nGET /plain HTTP/%s\r\nHost: x\r\n"
                            "Connection: close\r\n\r\n" % (version, version)).encode())
        answers = parse_responses(data)
        assert answers[0].version == int(version.replace(".", "")), (version, data[:200])
        assert answers[0].status == 200 and answers[0].body == b"x", answers
        # HTTP/1.0 without keep-alive closes after the first answer.
        assert len(answers) == (2 if keep else 1), (version, answers)
    for bad in ("HTTP/1.2", "HTTP/2.0", "HTTP/1.1x", "HTTP/01.1"):
        data = raw(e.port, ("GET /plain %s\r\nHost: x\r\n\r\n" % bad).encode())
        assert data[:12] in (b"HTTP/1.1 400", b"HTTP/1.1 505"), (bad, data[:200])
