"""eider call METHOD PATH [-H ...] [-d BODY | -d @file]: one request through
the handler routing picks, with no listener, printed as curl -i prints it;
exit status 0 for 2xx/3xx, 1 for 4xx, 2 for 5xx."""
import json
import os

from eiderlib import Eider, handlers_tree, json_upstream, mkdtemp, run_eider, srcdir

def _tree(files):
    return handlers_tree(files, "eider-call-")[0]


def _examples_conf():
    d = mkdtemp("eider-call-")
    conf = os.path.join(d, "eider.conf")
    with open(conf, "w") as f:
        f.write("handlers %s;\n" % os.path.join(srcdir(), "handlers"))
    return conf


def _parse(out):
    """Splits what eider call printed into (status line, [(name, value)], body),
    checking it has curl -i's shape: CRLF lines, a blank line, the body."""
    assert "\r\n\r\n" in out, "no blank line after the head in: %r" % out
    head, body = out.split("\r\n\r\n", 1)
    lines = head.split("\r\n")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(": ")
        headers.append((name, value))
    return lines[0], headers, body


def _call(args, conf, timeout=60):
    return run_eider(["call", "-c", conf] + list(args), timeout=timeout)


ECHO = ("module.exports = function (req, res) {\n"
        "  res.setHeader('X-Seen', String(req.headers['x-thing']));\n"
        "  res.json({ method: req.method, url: req.url, type: req.headers['content-type'] || null,\n"
        "             body: req.body ? req.body.toString() : null });\n"
        "};\n")


def test_call_prints_what_a_running_eider_answers():
    conf = _examples_conf()
    p = _call(["GET", "/"], conf)
    assert p.returncode == 0, "exit status %s: %s" % (p.returncode, p.stderr)
    status, headers, body = _parse(p.stdout)
    with Eider(os.path.join(srcdir(), "handlers")) as e:
        r = e.get("/")
    assert status == "HTTP/1.1 %d %s" % (r.status, r.reason), status
    got = {k.lower(): v for k, v in headers}
    real = {k.lower(): v for k, v in r.headers.items()}
    for name in ("content-type", "content-length"):
        assert got.get(name) == real.get(name), "%s: %r vs %r" % (name, got.get(name), real.get(name))
    assert set(got) - {"connection", "keep-alive"} == set(real) - {"connection", "keep-alive"}, \
        "headers differ: %s vs %s" % (sorted(got), sorted(real))
    assert int(got["content-length"]) == len(body.encode())
    mine, theirs = json.loads(body), json.loads(r.body)
    assert mine["id"] == got["x-request-id"]
    mine.pop("id"), theirs.pop("id")
    assert mine == theirs, "%r vs %r" % (mine, theirs)


STREAMS = ("module.exports = function (req, res) {\n"
           "  res.statusCode = +req.query.s;\n"
           "  res.write('abc');\n"
           "  res.end('def');\n"
           "};\n")


def test_call_streamed_answer_without_a_body_has_none_as_on_a_connection():
    """A handler that streams (res.write) a 304, a 204 or an answer to HEAD:
    a connection gets a head without Transfer-Encoding and no body (evhttp
    drops the chunks); eider call printed a chunked head and the chunks."""
    conf, root = handlers_tree({"h/index.js": STREAMS}, "eider-call-")
    with Eider(root) as e:
        for method, s in (("GET", 304), ("GET", 204), ("HEAD", 200), ("GET", 200)):
            r = e.request(method, "/?s=%d" % s)
            p = _call([method, "/?s=%d" % s], conf)
            status, headers, body = _parse(p.stdout)
            assert status == "HTTP/1.1 %d %s" % (r.status, r.reason), status
            got = {k.lower() for k, v in headers} - {"connection", "keep-alive"}
            real = {k.lower() for k in r.headers} - {"connection", "keep-alive"}
            assert got == real, "%s %d: headers %s vs %s" % (method, s, sorted(got), sorted(real))
            assert body == r.body.decode(), "%s %d: body %r vs %r" % (method, s, body, r.body)
            assert body == ("abcdef" if s == 200 and method == "GET" else "")


def test_call_post_with_data_and_with_data_from_a_file():
    conf = _examples_conf()
    p = _call(["POST", "/users", "-H", "Content-Type: application/json", "-d", '{"name": "ann"}'], conf)
    assert p.returncode == 0, p.stderr
    status, _, body = _parse(p.stdout)
    assert status == "HTTP/1.1 201 Created", status
    assert json.loads(body)["name"] == "ann"

    d = mkdtemp("eider-call-")
    f = os.path.join(d, "user.json")
    with open(f, "w") as fh:
        fh.write('{"name": "bob"}')
    p = _call(["POST", "/users", "-d", "@" + f], conf)
    assert p.returncode == 0, p.stderr
    status, _, body = _parse(p.stdout)
    assert status == "HTTP/1.1 201 Created", status
    assert json.loads(body)["name"] == "bob"


def test_call_headers_and_body_reach_the_handler():
    conf = _tree({"h/echo.js": ECHO})
    p = _call(["PUT", "/echo?x=1", "-H", "X-Thing: blue", "-H", "Content-Type: text/plain",
               "-d", "some text"], conf)
    assert p.returncode == 0, p.stderr
    _, headers, body = _parse(p.stdout)
    assert ("X-Seen", "blue") in headers, headers
    assert json.loads(body) == {"method": "PUT", "url": "/echo?x=1", "type": "text/plain",
                                "body": "some text"}


def test_call_exit_statuses():
    conf = _tree({"h/ok.js": "module.exports = (req, res) => res.end('ok');\n",
                   "h/moved.js": "module.exports = (req, res) => { res.statusCode = 302;"
                                 " res.setHeader('Location', '/ok'); res.end(); };\n",
                   "h/bad.js": "module.exports = (req, res) => { res.statusCode = 422; res.end('no'); };\n",
                   "h/boom.js": "module.exports = function () { throw new Error('handler boom'); };\n"})
    for path, code, status in (("/ok", 0, "200 OK"), ("/moved", 0, "302 Found"),
                               ("/bad", 1, "422 Unprocessable Content"), ("/nothing", 1, "404 Not Found"),
                               ("/boom", 2, "500 Internal Server Error")):
        p = _call(["GET", path], conf)
        assert p.returncode == code, "%s: exit status %s, want %s" % (path, p.returncode, code)
        assert p.stdout.startswith("HTTP/1.1 %s\r\n" % status), "%s: %r" % (path, p.stdout[:80])
    p = _call(["DELETE", "/users"], _examples_conf())
    assert p.returncode == 1 and " 405 " in p.stdout.split("\r\n")[0], p.stdout


def test_call_handler_answering_from_a_timer_and_a_promise():
    conf = _examples_conf()
    p = _call(["GET", "/delay?ms=50"], conf)
    assert p.returncode == 0, p.stderr
    _, _, body = _parse(p.stdout)
    assert json.loads(body) == {"waited": 50}
    conf = _tree({"h/stream.js": "module.exports = async (req, res) => {\n"
                                 "  res.write('one ');\n"
                                 "  await new Promise((r) => setTimeout(r, 20));\n"
                                 "  res.end('two');\n"
                                 "};\n"})
    p = _call(["GET", "/stream"], conf)
    assert p.returncode == 0, p.stderr
    _, headers, body = _parse(p.stdout)
    assert ("Transfer-Encoding", "chunked") in headers, headers
    assert body == "one two", repr(body)


def test_call_fetch_from_a_handler():
    with json_upstream(b'{"from": "upstream"}') as port:
        conf = _tree({"h/up.js": "module.exports = async (req, res) => {\n"
                                 "  const r = await fetch('http://127.0.0.1:%d/x');\n"
                                 "  res.json({ status: r.status, got: await r.json() });\n"
                                 "};\n" % port})
        p = _call(["GET", "/up"], conf)
    assert p.returncode == 0, p.stdout + p.stderr
    _, _, body = _parse(p.stdout)
    assert json.loads(body) == {"status": 200, "got": {"from": "upstream"}}


def test_call_usage_errors():
    p = run_eider(["call", "GET"])
    assert p.returncode == 2 and "METHOD" in p.stderr, p.stderr
    p = _call(["BREW", "/"], _examples_conf())
    assert p.returncode == 1 and "BREW" in p.stderr, p.stderr
    p = _call(["POST", "/users", "-d", "@/nonexistent/body.json"], _examples_conf())
    assert p.returncode == 1 and "/nonexistent/body.json" in p.stderr, p.stderr


def test_process_exit_in_a_handler_throws_instead_of_ending_the_worker():
    conf = _tree({"h/quit.js": "module.exports = (req, res) => {\n"
                               "  try { process.exit(0); } catch (e) { return res.end('refused: ' + e.message); }\n"
                               "  res.end('still here');\n"
                               "};\n"})
    p = _call(["GET", "/quit"], conf)
    assert p.returncode == 0, p.stderr
    _, _, body = _parse(p.stdout)
    assert body.startswith("refused: process.exit() is for scripts run with eider run"), body
