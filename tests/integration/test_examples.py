"""The example endpoints in handlers/ (what the embedded default serves)
answer as their comments say."""
import json
import os

from eiderlib import Eider, Shared, srcdir, assert_status

srv = Shared(lambda: Eider(os.path.join(srcdir(), "handlers"), extra_conf="env JWT_SECRET;"))


def teardown_module():
    srv.close()


def call(method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else None
    return srv.get().request(method, path, body=json.dumps(body).encode() if body is not None else None,
                             headers=headers)


def test_index():
    r = call("GET", "/")
    assert_status(r, 200)
    j = r.json()
    assert j["hello"] == "world" and j["path"] == "/" and j["id"] == r[1]["x-request-id"], j


def test_users_create_list_get_delete():
    r = call("POST", "/users", {"name": "ada"})
    assert_status(r, 201)
    uid = r.json()["id"]
    assert {"id": uid, "name": "ada"} in call("GET", "/users").json()
    assert call("GET", "/users/" + uid).json() == {"id": uid, "name": "ada"}
    assert_status(call("DELETE", "/users/" + uid), 204)
    assert call("GET", "/users/" + uid).json() == {"id": uid, "name": "user " + uid}


def test_users_rejects_bad_input():
    assert_status(call("POST", "/users", {"nope": 1}), 422)
    r = srv.get().request("POST", "/users", body=b"{not json")
    assert_status(r, 400)
    r = call("PUT", "/users/1", {})
    assert_status(r, 405)
    assert r[1]["allow"] == "GET, HEAD, DELETE", r[1]


def test_catch_all_files():
    assert call("GET", "/files/a/b/c.txt").json() == {"path": "a/b/c.txt"}


def test_delay_answers_after_the_timer():
    assert call("GET", "/delay?ms=30").json() == {"waited": 30}
