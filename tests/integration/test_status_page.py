"""The status endpoint's live page, in a real headless browser (Debian's
chromium and chromedriver through python3-selenium): it shows what the
JSON says, and follows it as requests come in. Waits are generous and
nothing is timed: the page refreshes every second, the test waits for it."""
import http.client
import json
import re
import shutil
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from eiderlib import Eider, fixture, mkdtemp

STATUS = "/eider-status"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT = 45   # seconds for the page to show something: it updates every second


@pytest.fixture(scope="module")
def page():
    e = Eider(fixture("proxy"), workers=2, extra_conf="status_path %s;" % STATUS)
    e.listen = "127.0.0.1:%d reuseport" % e.port
    e.start()
    opts = Options()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox",   # CI runs as root
              "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
              "--user-data-dir=" + mkdtemp("eider-chromium-")):
        opts.add_argument(a)
    # The console: a script error or a refused load (CSP) is logged SEVERE.
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = None
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        driver.set_page_load_timeout(60)
        yield e, driver
    finally:
        if driver is not None:
            driver.quit()
        e.cleanup()


def status_json(e):
    conn = http.client.HTTPConnection("127.0.0.1", e.port, timeout=10)
    try:
        conn.request("GET", STATUS, headers={"Accept": "application/json"})
        r = conn.getresponse()
        return json.loads(r.read())
    finally:
        conn.close()


def shown(driver, element_id):
    return driver.find_element(By.ID, element_id).text


def wait_shown(driver, element_id, pred, what):
    """Waits until PRED(text of ELEMENT_ID) holds; returns that text."""
    got = []

    def ok(d):
        t = shown(d, element_id)
        got[:] = [t]
        return t if pred(t) else False
    try:
        return WebDriverWait(driver, WAIT, poll_frequency=0.2).until(ok)
    except Exception:
        raise AssertionError("the page's #%s never showed %s (last: %r); page text:\n%s"
                             % (element_id, what, got[0] if got else None,
                                driver.find_element(By.TAG_NAME, "body").text))


def is_int(t):
    return t.strip().isdigit()


def send(e, n, path):
    for _ in range(n):
        e.get(path)


@pytest.mark.timeout(240)
def test_page_shows_what_the_json_says_and_follows_it(page):
    e, driver = page
    send(e, 6, "/no-such")     # 404: only the test sends these
    send(e, 2, "/throw")       # 500, an error each
    driver.get("http://127.0.0.1:%d%s" % (e.port, STATUS))
    assert driver.title == "eider status", driver.title
    j = status_json(e)
    s = j["server"]
    # Numbers the page's own polling (200s) cannot change: equal exactly.
    wait_shown(driver, "status_4xx", lambda t: t == str(s["status_4xx"]), s["status_4xx"])
    assert s["status_4xx"] == 6, s
    assert shown(driver, "status_5xx") == str(s["status_5xx"]) == "2", s
    assert shown(driver, "errors") == str(s["errors"]) == "2", s
    assert shown(driver, "workers") == "2"
    rows = driver.find_elements(By.CSS_SELECTOR, "#worker_rows tr")
    assert sorted(int(r.get_attribute("data-pid")) for r in rows) == sorted(w["pid"] for w in j["workers"]), \
        [r.text for r in rows]
    # The request count grows with every poll: the page's value lies
    # between a JSON read before it was shown and one read after.
    before = status_json(e)["server"]["requests"]
    on_page = int(wait_shown(driver, "requests", lambda t: is_int(t) and int(t) >= before,
                             "a count >= %d" % before))
    after = status_json(e)["server"]["requests"]
    assert before <= on_page <= after, (before, on_page, after)
    wait_shown(driver, "p50", lambda t: t.endswith(" ms") or t.endswith(" s"), "a latency")
    wait_shown(driver, "p99", lambda t: t.endswith(" ms") or t.endswith(" s"), "a latency")
    wait_shown(driver, "heap", lambda t: t.endswith("B"), "a size")
    wait_shown(driver, "connections", is_int, "a number")

    # Under load the numbers move: 30 more 404s, and a request rate well
    # above the page's own one poll a second while a load runs.
    send(e, 30, "/no-such")
    wait_shown(driver, "status_4xx", lambda t: t == "36", "36 after 30 more 404s")
    wait_shown(driver, "requests", lambda t: is_int(t) and int(t) >= after + 30, "30 more requests")
    stop = threading.Event()

    def load():
        for _ in range(20000):   # bounded; stopped once the page has seen it
            if stop.is_set():
                return
            try:
                e.get("/")
            except OSError:
                pass
    t = threading.Thread(target=load, daemon=True)
    t.start()
    try:
        wait_shown(driver, "rps", lambda t: t.replace(".", "", 1).isdigit() and float(t) > 5,
                   "a rate above 5/s under load")
    finally:
        stop.set()
        t.join(30)
    assert shown(driver, "status_4xx") == "36"
    assert "not updating" not in shown(driver, "state"), shown(driver, "state")
    severe = [m for m in driver.get_log("browser") if m["level"] == "SEVERE"]
    assert not severe, "errors in the page's console: %r" % severe


def test_page_is_self_contained(page):
    e, _ = page
    r = e.get(STATUS, headers={"Accept": "text/html"})
    html = r[2].decode()
    assert r[0] == 200 and html.startswith("<!DOCTYPE html>"), r
    # Nothing to fetch but the endpoint itself: no src/href but data: ones
    # (the empty favicon), no URL.
    refs = re.findall(r"\b(?:src|href)\s*=\s*[\"']?([^\"' >]*)", html, re.I)
    assert refs and all(r.startswith("data:") for r in refs), refs
    assert not re.search(r"https?:|@import|url\(", html, re.I), "a URL in the page"
    assert "default-src 'none'" in r[1].get("content-security-policy", ""), r[1]
