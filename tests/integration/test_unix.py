"""listen unix:PATH with mode=, owner=, group=; stale socket files; the file
kept across reloads and removed at exit; nginx in front over the socket."""
import http.client
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import time

from eiderlib import Eider, mkdtemp, write_tree, eider_bin, wait_until, assert_status

WHO = ("module.exports = function (req, res) {\n"
       "  res.json({ ip: req.ip, protocol: req.protocol, len: req.body ? req.body.length : 0 });\n};\n")


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=5):
        http.client.HTTPConnection.__init__(self, "localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def unix_get(path, url, headers=None):
    c = UnixHTTPConnection(path)
    try:
        c.request("GET", url, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def _handlers():
    d = mkdtemp("eider-unix-h-")
    write_tree(d, {"who.js": WHO, "index.js": "module.exports = function (q, s) { s.end('ok'); };\n"})
    return d


def _sock(name="eider.sock"):
    d = mkdtemp("eider-unix-")
    return os.path.join(d, name)


def test_unix_listener_mode_owner_and_peer():
    path = _sock()
    e = Eider(_handlers(), extra_conf="listen unix:%s mode=0660 owner=nobody group=nogroup;" % path)
    with e:
        st = os.stat(path)
        assert stat.S_ISSOCK(st.st_mode), oct(st.st_mode)
        assert stat.S_IMODE(st.st_mode) == 0o660, oct(st.st_mode)
        assert st.st_uid == pwd.getpwnam("nobody").pw_uid, st
        status, body = unix_get(path, "/who", {"X-Forwarded-For": "9.9.9.9"})
        assert status == 200 and b'"ip":"unix:"' in body, body   # not trusted: header ignored
        wait_until(lambda: "unix: - - [" in e.access_log(), 5, msg="access log line for the unix peer")
    assert not os.path.exists(path), "socket file left behind after stop"


def test_trusted_unix_peer_forwards_client_address():
    path = _sock()
    with Eider(_handlers(), extra_conf="listen unix:%s;\ntrusted_proxies unix:;" % path):
        status, body = unix_get(path, "/who", {"X-Forwarded-For": "203.0.113.9",
                                               "X-Forwarded-Proto": "https"})
        assert status == 200 and b'"ip":"203.0.113.9"' in body and b'"https"' in body, body


def test_stale_socket_file_is_replaced():
    path = _sock()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.close()                      # a socket file nobody listens on
    with Eider(_handlers(), extra_conf="listen unix:%s;" % path):
        assert unix_get(path, "/")[0] == 200


def test_socket_in_use_or_not_a_socket_fails_the_start():
    path = _sock()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(1)
    try:
        e = Eider(_handlers(), extra_conf="listen unix:%s;" % path, start_timeout=3)
        try:
            e.start()
            raise AssertionError("eider started on a socket another server listens on")
        except AssertionError as err:
            assert "another server is listening" in str(err) + e.diagnostics(), str(err)
        finally:
            e.stop()
    finally:
        s.close()
    path2 = _sock("plain-file")
    open(path2, "w").close()
    e = Eider(_handlers(), extra_conf="listen unix:%s;" % path2, start_timeout=3)
    try:
        e.start()
        raise AssertionError("eider started on a path that is a plain file")
    except AssertionError as err:
        assert "not a socket" in str(err) + e.diagnostics(), str(err)
    finally:
        e.stop()
    assert os.path.isfile(path2), "the plain file was removed"


def test_reload_keeps_the_socket_file():
    path = _sock()
    e = Eider(_handlers(), extra_conf="listen unix:%s;" % path)
    with e:
        ino = os.stat(path).st_ino
        os.kill(e.pid, signal.SIGHUP)
        wait_until(lambda: "reloaded" in e.error_log(), 10, msg="reload")
        time.sleep(0.3)
        assert os.stat(path).st_ino == ino, "the socket file was re-created on reload"
        assert unix_get(path, "/")[0] == 200


def test_nginx_in_front_over_the_unix_socket():
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        raise AssertionError("nginx is not installed (Debian package nginx-light; tests/install-deps.sh)")
    path = _sock()
    e = Eider(_handlers(), extra_conf="listen unix:%s mode=0666;\ntrusted_proxies unix:;" % path)
    with e:
        d = mkdtemp("eider-nginx-")
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""
worker_processes 1;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path %(d)s/body;
    proxy_temp_path %(d)s/proxy;
    upstream eider { server unix:%(path)s; keepalive 8; }
    server {
        listen 127.0.0.1:%(port)d;
        location / {
            proxy_pass http://eider;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }
    }
}
""" % {"d": d, "path": path, "port": port})
        p = subprocess.Popen([nginx, "-p", d, "-c", conf, "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            def up():
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    c.request("GET", "/who")
                    return c.getresponse().status == 200
                except OSError:
                    return False
            wait_until(up, 10, msg="nginx answering")
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("POST", "/who", body=b"x" * 100000, headers={"X-Forwarded-For": "198.51.100.4"})
            r = c.getresponse()
            body = r.read()
            assert r.status == 200, (r.status, body)
            import json
            j = json.loads(body)
            # nginx appends its client (127.0.0.1), which is not trusted: that is the client.
            assert j == {"ip": "127.0.0.1", "protocol": "http", "len": 100000}, j
        finally:
            p.send_signal(signal.SIGQUIT)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
