"""require('crypto'): createHash/createHmac against NIST and RFC 4231 vectors
and Python's hashlib/hmac, encodings, Node-style errors, randomBytes,
randomUUID, timingSafeEqual, finalizers; and the HS256 JWT example
handlers (handlers/jwt/*.js, handlers/_lib/jwt.js) against Python."""
import base64
import hashlib
import hmac
import json
import os
import random
import re
import time
import urllib.parse

from eiderlib import skip_rss_check_if_sanitized, Eider, LifeEider, Shared, fixture, srcdir, assert_status

srv = Shared(lambda: Eider(fixture("crypto")))
JWT_SECRET = "correct horse battery staple"
jwt_srv = Shared(lambda: LifeEider(os.path.join(srcdir(), "handlers"), ready_path="/jwt/verify",
                                   env={"JWT_SECRET": JWT_SECRET}, extra_conf="env JWT_SECRET;"))

ALGS = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512",
        "sha3-256", "sha3-384", "sha3-512", "sha512-224", "sha512-256"]


def teardown_module():
    srv.close()
    jwt_srv.close()


_cases = {}


def case(name):
    """Result of one named case of cases.js (run once per module)."""
    if not _cases:
        r = srv.get().get("/cases")
        assert_status(r, 200, "/cases")
        _cases.update(r.json())
    return _cases[name]


def value(name):
    c = case(name)
    assert "v" in c, "case %s threw: %r" % (name, c.get("err"))
    return c["v"]


def error(name):
    c = case(name)
    assert "err" in c, "case %s should throw, returned %r" % (name, c.get("v"))
    return c["err"]


def digest(alg, body=b"", key=None, chunk=None, json_body=None, ascii_json=True):
    q = {"alg": alg}
    if key is not None:
        q["key"] = key.hex()
    if chunk:
        q["chunk"] = str(chunk)
    if json_body is not None:
        q["json"] = "1"
        body = json.dumps(json_body, ensure_ascii=ascii_json).encode("utf-8", "surrogatepass")
    r = srv.get().request("POST", "/digest?" + urllib.parse.urlencode(q), body=body)
    assert_status(r, 200, "digest %r" % q)
    return r.json()


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def check_all(got, raw, what):
    """Every output encoding of digest.js agrees with the raw digest."""
    assert got["hex"] == raw.hex(), (what, got["hex"], raw.hex())
    assert got["buffer"] == raw.hex() and got["isBuffer"] is True, (what, got)
    assert got["base64"] == base64.b64encode(raw).decode(), (what, got["base64"])
    assert got["base64url"] == b64url(raw), (what, got["base64url"])
    assert got["latin1"] == raw.decode("latin1"), (what, got["latin1"])


# ------------------------------------------------------------ known vectors

NIST_ABC = {
    "md5": "900150983cd24fb0d6963f7d28e17f72",
    "sha1": "a9993e364706816aba3e25717850c26c9cd0d89d",
    "sha224": "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
    "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "sha384": "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
              "8086072ba1e7cc2358baeca134c825a7",
    "sha512": "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
              "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    "sha3-256": "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
}

NIST_EMPTY = {
    "md5": "d41d8cd98f00b204e9800998ecf8427e",
    "sha1": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "sha224": "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f",
    "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "sha384": "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
              "274edebfe76f65fbd51ad2f14898b95b",
    "sha512": "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
              "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
}


def test_nist_abc_every_algorithm():
    for alg in ALGS:
        got = digest(alg, b"abc")
        raw = hashlib.new(alg, b"abc").digest()
        if alg in NIST_ABC:
            assert raw.hex() == NIST_ABC[alg]
        check_all(got, raw, alg)
        assert got["oneshot"] == raw.hex(), (alg, got["oneshot"])


def test_nist_empty_string():
    for alg in ALGS:
        got = digest(alg, b"")
        raw = hashlib.new(alg, b"").digest()
        if alg in NIST_EMPTY:
            assert raw.hex() == NIST_EMPTY[alg]
        check_all(got, raw, alg)


def test_nist_multiblock_and_million_a():
    msg = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    assert digest("sha256", msg)["hex"] == \
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    assert digest("sha1", msg, chunk=7)["hex"] == "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
    million = b"a" * 1000000
    assert digest("sha1", million, chunk=4096)["hex"] == "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
    assert digest("sha256", million)["hex"] == \
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"


# RFC 4231 test cases 1-4, 6 and 7 (5 truncates the output).
RFC4231 = [
    (b"\x0b" * 20, b"Hi There", {
        "sha256": "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        "sha384": "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
                  "faea9ea9076ede7f4af152e8b2fa9cb6",
        "sha512": "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"}),
    (b"Jefe", b"what do ya want for nothing?", {
        "sha256": "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "sha384": "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
                  "8e2240ca5e69e2c78b3239ecfab21649",
        "sha512": "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"}),
    (b"\xaa" * 20, b"\xdd" * 50, {
        "sha256": "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
        "sha384": "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
                  "2a5ab39dc13814b94e3ab6e101a34f27",
        "sha512": "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
                  "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"}),
    (bytes(range(1, 26)), b"\xcd" * 50, {
        "sha256": "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
        "sha384": "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
                  "6801dd23c4a7d679ccf8a386c674cffb",
        "sha512": "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
                  "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"}),
    (b"\xaa" * 131, b"Test Using Larger Than Block-Size Key - Hash Key First", {
        "sha256": "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        "sha384": "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
                  "0c2ef6ab4030fe8296248df163f44952",
        "sha512": "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
                  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"}),
    (b"\xaa" * 131, b"This is a test using a larger than block-size key and a larger than "
                    b"block-size data. The key needs to be hashed before being used by the "
                    b"HMAC algorithm.", {
        "sha256": "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        "sha384": "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
                  "a678cc31e799176d3860e6110c46523e",
        "sha512": "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
                  "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"}),
]


def test_rfc4231_hmac():
    for n, (key, data, want) in enumerate(RFC4231):
        for alg, hexd in want.items():
            got = digest(alg, data, key=key)
            check_all(got, bytes.fromhex(hexd), "RFC 4231 #%d %s" % (n + 1, alg))
            assert got["oneshot"] is None


# ------------------------------------------------------------ against Python

def test_random_bodies_match_hashlib():
    rnd = random.Random(4242)
    sizes = [1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 1000, 65543, 200000]
    for size in sizes:
        body = bytes(rnd.getrandbits(8) for _ in range(size))
        alg = rnd.choice(ALGS)
        chunk = rnd.choice([None, 1, 3, 64, 1000]) if size < 5000 else rnd.choice([None, 4093])
        check_all(digest(alg, body, chunk=chunk), hashlib.new(alg, body).digest(),
                  "%s of %d bytes, chunk %s" % (alg, size, chunk))


def test_random_hmac_keys_match_python():
    rnd = random.Random(77)
    for klen in [0, 1, 20, 63, 64, 65, 127, 128, 129, 300]:
        for alg in ("sha1", "sha256", "sha384", "sha512", "md5"):
            key = bytes(rnd.getrandbits(8) for _ in range(klen))
            body = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 3000)))
            chunk = rnd.choice([None, 1, 17, 500])
            check_all(digest(alg, body, key=key, chunk=chunk), hmac.new(key, body, alg).digest(),
                      "HMAC-%s key %d bytes, body %d, chunk %s" % (alg, klen, len(body), chunk))


def _utf8_node(s):
    """The bytes Node hashes for string s: UTF-8, lone surrogates as U+FFFD."""
    return re.sub("[\ud800-\udfff]", "\ufffd", s).encode("utf-8")


def test_string_input_utf8():
    for s in ["", "hello", "caf\u00e9", "\u20ac100 \u4e2d\u6587", "\U0001F600 emoji \U0001F680",
              "lone \ud800 high", "lone \udc00 low", "x" * 5000 + "\u00e9"]:
        got = digest("sha256", json_body={"s": s})
        check_all(got, hashlib.sha256(_utf8_node(s)).digest(), "string %r" % s[:20])
        got = digest("sha256", json_body={"s": s, "enc": "utf8"})
        assert got["hex"] == hashlib.sha256(_utf8_node(s)).hexdigest()
        if not re.search("[\ud800-\udfff]", s):   # sent as raw UTF-8, not \u escapes
            got = digest("sha256", json_body={"s": s}, ascii_json=False)
            assert got["hex"] == hashlib.sha256(_utf8_node(s)).hexdigest(), s[:20]


def test_string_input_encodings():
    rnd = random.Random(9)
    for _ in range(10):
        raw = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 200)))
        want = hashlib.sha512(raw).hexdigest()
        for enc, s in (("hex", raw.hex()), ("base64", base64.b64encode(raw).decode()),
                       ("base64url", b64url(raw)), ("latin1", raw.decode("latin1")),
                       ("binary", raw.decode("latin1"))):
            got = digest("sha512", json_body={"s": s, "enc": enc})
            assert got["hex"] == want, (enc, s, got["hex"], want)
    # latin1 keeps the low byte of each UTF-16 unit, as Node
    got = digest("sha256", json_body={"s": "\u0141\U0001F600", "enc": "latin1"})
    assert got["hex"] == hashlib.sha256(b"\x41\x3d\x00").hexdigest()


def test_encoding_cases():
    abc = NIST_ABC["sha256"]
    for name in ("upperCase", "dashAlias", "uint8Array", "hexInput", "base64Input"):
        assert value(name) == abc, name
    assert value("latin1Input") == hashlib.sha256(b"\xe9").hexdigest()
    assert value("utf8Input") == hashlib.sha256("\u00e9".encode()).hexdigest()
    assert value("surrogatePair") == hashlib.sha256("\U0001F600".encode()).hexdigest()
    assert value("loneSurrogate") == hashlib.sha256(b"a\xef\xbf\xbdb").hexdigest()
    assert value("emptyDigest") == NIST_EMPTY["sha256"]
    assert value("copy") == [abc, abc, "undefined"]
    assert value("stringKey") == hmac.new(b"key", b"The quick brown fox jumps over the lazy dog",
                                          "sha256").hexdigest()
    assert value("emptyKey") == hmac.new(b"", b"abc", "sha256").hexdigest()
    assert value("longKey") == hmac.new(b"k" * 201, b"abc", "sha256").hexdigest()
    raw = hashlib.sha1(b"abc").digest()
    assert value("hashOneShot") == [raw.hex(), base64.b64encode(raw).decode()]


# ------------------------------------------------------------ API behaviour

def test_module_and_chaining():
    assert value("requireTwice") is True
    assert value("chainable") is True
    assert value("getHashes") == sorted(ALGS)


def test_unknown_algorithm_errors():
    e = error("unknownHash")
    assert e["name"] == "Error" and "whirlpool-9000" in e["message"], e
    e = error("unknownHmac")
    assert e["name"] == "Error" and "nope" in e["message"], e
    e = error("algNotString")
    assert e["name"] == "TypeError" and e["code"] == "ERR_INVALID_ARG_TYPE", e


def test_digest_already_called():
    for name in ("updateAfterDigest", "digestTwice", "hmacDigestTwice"):
        e = error(name)
        assert e["name"] == "Error" and e["message"] == "Digest already called", (name, e)
        assert e["code"] == "ERR_CRYPTO_HASH_FINALIZED", (name, e)


def test_bad_arguments():
    for name in ("badData", "badKey"):
        e = error(name)
        assert e["name"] == "TypeError" and e["code"] == "ERR_INVALID_ARG_TYPE", (name, e)
    e = error("badEncoding")
    assert e["name"] == "TypeError" and "klingon" in e["message"], e
    assert value("badEncodingKeepsState") == NIST_ABC["sha256"]
    assert error("wrongThis")["name"] == "TypeError"


def test_random_bytes():
    is_buf, n, differ, zero, big = value("randomBytes")
    assert (is_buf, n, differ, zero, big) == (True, 32, True, 0, 65536)
    sample = bytes.fromhex(value("randomBytesSample"))
    assert len(sample) == 4096
    assert len(set(sample)) > 200, "4096 random bytes take only %d values" % len(set(sample))
    for name in ("randomBytesTooBig", "randomBytesNegative", "randomBytesFraction",
                 "randomBytesNaN"):
        e = error(name)
        assert e["name"] == "RangeError" and e["code"] == "ERR_OUT_OF_RANGE", (name, e)
    e = error("randomBytesString")
    assert e["name"] == "TypeError" and e["code"] == "ERR_INVALID_ARG_TYPE", e


def test_random_uuid():
    uuids = value("randomUUIDs")
    pat = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    for u in uuids:
        assert pat.match(u), u
    assert len(set(uuids)) == len(uuids) == 200


def test_get_random_values_and_webcrypto():
    v = value("getRandomValues")
    assert v["same"] is True and v["uuid"] == 36, v
    assert v["zeros"] < 12, "64 random bytes with %d zeros" % v["zeros"]
    assert "65536" in error("getRandomValuesTooBig")["message"]
    assert error("getRandomValuesString")["code"] == "ERR_INVALID_ARG_TYPE"


def test_random_fill_sync():
    v = value("randomFillSync")
    assert v["same"] is True and 0 <= v["zerosInside"] < 6, v
    assert error("randomFillSyncPastEnd")["code"] == "ERR_OUT_OF_RANGE"


def test_timing_safe_equal():
    assert value("timingSafeEqualSame") is True
    assert value("timingSafeEqualDiffers") is False
    assert value("timingSafeEqualEmpty") is True
    assert value("timingSafeEqualTyped") is True
    e = error("timingSafeEqualLength")
    assert e["name"] == "RangeError" and e["code"] == "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH", e
    e = error("timingSafeEqualString")
    assert e["name"] == "TypeError" and e["code"] == "ERR_INVALID_ARG_TYPE", e


def _rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for ln in f:
            if ln.startswith("VmRSS:"):
                return int(ln.split()[1])
    raise AssertionError("no VmRSS for %d" % pid)


def test_abandoned_hashes_are_freed():
    if skip_rss_check_if_sanitized():
        return
    e = srv.get()
    for _ in range(2):   # warm up: heap and allocator reach their steady size
        assert_status(e.get("/gc?n=20000", timeout=60), 200)
    (pid,) = e.worker_pids()
    before = _rss_kb(pid)
    for _ in range(10):  # 200000 Hash + 200000 Hmac objects never digested
        assert_status(e.get("/gc?n=20000", timeout=60), 200)
    after = _rss_kb(pid)
    assert e.worker_pids() == [pid], "the worker was replaced"
    assert after - before < 20000, "worker RSS grew %d kB -> %d kB" % (before, after)


# ------------------------------------------------------------ JWT example

def py_sign(claims, secret=JWT_SECRET, header=None):
    h = b64url(json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    p = b64url(json.dumps(claims).encode())
    sig = hmac.new(secret.encode(), (h + "." + p).encode(), hashlib.sha256).digest()
    return "%s.%s.%s" % (h, p, b64url(sig))


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def jwt_verify(token):
    return jwt_srv.get().get("/jwt/verify", headers={"Authorization": "Bearer " + token})


def test_jwt_sign_agrees_with_python():
    claims = {"sub": "ada", "admin": False, "name": "Ada caf\u00e9 \u4e2d", "n": [1, 2]}
    r = jwt_srv.get().request("POST", "/jwt/sign?expiresIn=600", body=json.dumps(claims))
    assert_status(r, 200, "sign")
    token = r.json()["token"]
    h, p, s = token.split(".")
    assert json.loads(b64url_decode(h)) == {"alg": "HS256", "typ": "JWT"}
    payload = json.loads(b64url_decode(p).decode("utf-8"))
    for k, v in claims.items():
        assert payload[k] == v, (k, payload)
    now = time.time()
    assert abs(payload["iat"] - now) < 60 and payload["exp"] == payload["iat"] + 600, payload
    want = hmac.new(JWT_SECRET.encode(), (h + "." + p).encode(), hashlib.sha256).digest()
    assert s == b64url(want), "signature %s, Python says %s" % (s, b64url(want))
    r = jwt_verify(token)
    assert_status(r, 200, "verify own token")
    assert r.json()["valid"] is True and r.json()["claims"]["sub"] == "ada"


def test_jwt_sign_non_bmp_claims():
    claims = {"sub": "ada", "name": "\U0001F600 \U0001F680"}
    r = jwt_srv.get().request("POST", "/jwt/sign", body=json.dumps(claims))
    assert_status(r, 200, "sign")
    h, p, s = r.json()["token"].split(".")
    assert json.loads(b64url_decode(p).decode("utf-8"))["name"] == claims["name"]
    want = hmac.new(JWT_SECRET.encode(), (h + "." + p).encode(), hashlib.sha256).digest()
    assert s == b64url(want)


def test_jwt_verify_answers_non_bmp_claims_as_utf8():
    token = py_sign({"sub": "ada", "name": "\U0001F600"})
    r = jwt_verify(token)
    assert_status(r, 200, "verify")
    assert r.json()["claims"]["name"] == "\U0001F600", r.body


def test_jwt_verify_python_token():
    token = py_sign({"sub": "grace", "exp": int(time.time()) + 100, "role": "caf\u00e9"})
    r = jwt_verify(token)
    assert_status(r, 200, "verify Python's token")
    assert r.json() == {"valid": True, "claims": json.loads(b64url_decode(token.split(".")[1]))}
    r = jwt_srv.get().request("POST", "/jwt/verify", body=json.dumps({"token": token}))
    assert_status(r, 200, "verify by POST")


def test_jwt_tampered_tokens_fail():
    good = py_sign({"sub": "eve", "admin": False})
    h, p, s = good.split(".")
    forged_payload = b64url(json.dumps({"sub": "eve", "admin": True}).encode())
    flipped = s[:-2] + ("A" if s[-2] != "A" else "B") + s[-1]
    bad = {
        "payload": "%s.%s.%s" % (h, forged_payload, s),
        "signature": "%s.%s.%s" % (h, p, flipped),
        "short signature": "%s.%s.%s" % (h, p, s[:-1]),
        "no signature": "%s.%s." % (h, p),
        "wrong secret": py_sign({"sub": "eve"}, secret="guess"),
        "alg none": py_sign({"sub": "eve"}, header={"alg": "none", "typ": "JWT"}),
        "alg none unsigned": "%s.%s." % (b64url(b'{"alg":"none"}'), p),
        "expired": py_sign({"sub": "eve", "exp": int(time.time()) - 10}),
        "not yet": py_sign({"sub": "eve", "nbf": int(time.time()) + 3600}),
        "malformed": "abc.def",
        "garbage": "!!.??.**",
    }
    for what, token in bad.items():
        r = jwt_verify(token)
        assert_status(r, 401, what)
        j = r.json()
        assert j["valid"] is False and j["error"], (what, j)
        assert "invalid_token" in r.headers.get("www-authenticate", ""), (what, r.headers)
    assert "signature" in jwt_verify(bad["payload"]).json()["error"]
    assert "expired" in jwt_verify(bad["expired"]).json()["error"]
    assert_status(jwt_srv.get().get("/jwt/verify"), 401, "no Authorization header")
