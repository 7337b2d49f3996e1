"""The deployment layout of deploy/: the real nginx config in front of a real serve.py process.

`deploy/run_local.sh` fills in deploy/nginx.conf, checks it with `nginx -t` and starts nginx in
front of the app; these tests go through that nginx and check what the config promises: the API
and link-preview images cached and revalidated by the app's ETag, the API rate-limited per client,
pages with the app's security headers and the sticky-session cookie, other Host names refused,
link-preview images rate-limited per client. They need Debian's nginx, which `make test` installs
when it is missing (`bash deploy/ensure_nginx.sh --required`, as for Chromium): without it they
fail and say how to get it, never skip. The examples nginx cannot run (Dockerfile, Kubernetes) are
checked for the settings they must carry.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from chatbot_watch import paths

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
RUN_LOCAL = paths.ROOT / "deploy" / "run_local.sh"


@pytest.fixture(scope="module")
def nginx() -> str:
    if NGINX is None:
        pytest.fail("nginx is not installed: run `bash deploy/ensure_nginx.sh --required` (make test does)")
    return NGINX


def _env(run_dir: Path, db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RUN_DIR": str(run_dir),
        "APPS": "1",
        "CHATBOT_WATCH_DB": str(db),
        "MAX_SECONDS": "600",
        "NGINX_BIN": str(NGINX),
        "PYTHON": os.environ.get("PYTHON", str(paths.ROOT / ".venv" / "bin" / "python")),
    }


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("deploy")


@pytest.fixture(scope="module")
def behind_nginx(nginx: str, run_dir: Path, real_db: Path) -> Iterator[str]:
    env = _env(run_dir, real_db)
    # Output to a file, not a pipe: the processes it leaves running would hold a pipe open.
    out = run_dir / "run_local.out"
    try:
        with out.open("w") as f:
            started = subprocess.run(["bash", str(RUN_LOCAL), "start"], env=env, stdout=f, stderr=f, timeout=180)
        assert started.returncode == 0, out.read_text()
        yield (run_dir / "url").read_text().strip()
    finally:
        subprocess.run(["bash", str(RUN_LOCAL), "stop"], env=env, capture_output=True, timeout=60)


def _get(
    url: str, headers: dict[str, str] | None = None, source: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of a GET, from the loopback address `source` if given.

    nginx limits requests per client address. Every address in 127.0.0.0/8 is this machine, so a
    test that spends a client's whole allowance does it from an address of its own
    (127.0.0.2, ...) and leaves 127.0.0.1's allowance to the other tests, in whatever order the
    workers run them.
    """
    if source is None:
        req = urllib.request.Request(url, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30, source_address=(source, 0))
    try:
        conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def test_the_filled_in_config_passes_nginx_t(behind_nginx: str, run_dir: Path) -> None:
    checked = subprocess.run(
        [str(NGINX), "-t", "-p", str(run_dir), "-c", str(run_dir / "nginx.conf"), "-e", str(run_dir / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert checked.returncode == 0 and "test is successful" in checked.stderr, checked.stderr


def test_api_answers_are_cached_by_nginx_and_revalidated_by_etag(behind_nginx: str) -> None:
    url = behind_nginx + "/api/v1/restrictions.json?country=KR"
    first, second = _get(url), _get(url)
    assert first[0] == second[0] == 200
    assert (first[1]["x-cache"], second[1]["x-cache"]) == ("MISS", "HIT")
    assert first[1]["etag"] == second[1]["etag"] and first[2] == second[2]
    assert second[1]["access-control-allow-origin"] == "*"
    not_modified = _get(url, {"If-None-Match": first[1]["etag"]})
    assert not_modified[0] == 304 and not_modified[2] == b""


def test_link_preview_images_are_cached_by_nginx(behind_nginx: str) -> None:
    url = behind_nginx + "/og/countries.png?country=KR"
    first, second = _get(url), _get(url)
    assert first[0] == second[0] == 200 and first[1]["content-type"] == "image/png"
    assert (first[1]["x-cache"], second[1]["x-cache"]) == ("MISS", "HIT")
    assert first[2][:8] == b"\x89PNG\r\n\x1a\n" and first[2] == second[2]


def test_pages_and_the_apps_scripts_are_compressed_and_the_scripts_cached_by_nginx(behind_nginx: str) -> None:
    """Streamlit sends its JavaScript and CSS (about 1.5 MB on a first visit) and the page's HTML
    uncompressed, leaving compression to the proxy in front (its gzip middleware skips them on
    purpose); a reader on a phone's network waited for every byte. nginx compresses them, and keeps
    the content-hashed scripts, so a news spike's first visits do not each cost the app the files."""
    import gzip

    gz = {"Accept-Encoding": "gzip"}
    status, headers, page = _get(behind_nginx + "/countries?country=KR", gz)
    assert status == 200 and headers.get("content-encoding") == "gzip", headers
    html_text = gzip.decompress(page).decode("utf-8")
    assert "South Korea" in html_text and headers["vary"].lower().count("accept-encoding") == 1
    scripts = re.findall(r'src="\.?(/static/js/[^"]+\.js)"', html_text)
    assert scripts, "no script in the page"
    plain = _get(behind_nginx + scripts[0])
    first, second = _get(behind_nginx + scripts[0], gz), _get(behind_nginx + scripts[0], gz)
    assert plain[0] == first[0] == second[0] == 200 and "content-encoding" not in plain[1]
    assert first[1]["content-encoding"] == second[1]["content-encoding"] == "gzip"
    assert gzip.decompress(first[2]) == gzip.decompress(second[2]) == plain[2]
    assert len(first[2]) < len(plain[2]) / 2  # JavaScript compresses to well under half
    assert second[1]["x-cache"] == "HIT" and "immutable" in second[1]["cache-control"]
    assert "set-cookie" not in second[1]  # no session: any process serves the same file


def test_a_burst_of_api_requests_is_rate_limited_not_failed(behind_nginx: str) -> None:
    # 50 requests a second per client with a burst of 200: 400 at once cannot all pass. Four URLs,
    # so that nginx answers most from its cache at once (the limit applies to cached answers too)
    # and the burst does not depend on how fast the app makes 400 distinct answers.
    urls = [f"{behind_nginx}/api/v1/apps.json?offset={i % 4}" for i in range(400)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = Counter(status for status, _h, _b in pool.map(lambda u: _get(u, source="127.0.0.3"), urls))
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[200] >= 200 and statuses[429] >= 1, statuses
    # Per client: another address is still answered at once.
    assert _get(f"{behind_nginx}/api/v1/apps.json?offset=0", source="127.0.0.4")[0] == 200


def test_pages_carry_the_security_headers_and_a_sticky_session_cookie(behind_nginx: str) -> None:
    status, headers, body = _get(behind_nginx + "/countries?country=KR")
    assert status == 200 and b"South Korea" in body
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["set-cookie"].startswith("cw_route=")


# --- issue 26: hosts, image renders, JSON 404s, the examples' base URL --------------------------------


def test_another_host_gets_400_and_pages_name_only_the_configured_address(behind_nginx: str) -> None:
    status, _h, body = _get(behind_nginx + "/countries?country=KR", {"Host": "evil.example"})
    assert status == 400 and b"evil.example" not in body
    status, _h, body = _get(behind_nginx + "/countries?country=KR", {"Host": "localhost"})
    canonical = re.search(rb'<link rel="canonical" href="([^"]+)"', body)
    assert status == 200 and canonical
    # run_local.sh gives every app process the address nginx listens on as CHATBOT_WATCH_BASE_URL.
    assert html.unescape(canonical.group(1).decode()) == behind_nginx + "/countries?country=KR"


def test_a_burst_of_link_preview_requests_is_rate_limited_per_client(behind_nginx: str) -> None:
    # 2 a second with a burst of 20; distinct query strings are distinct cache keys for nginx.
    urls = [f"{behind_nginx}/og/search.png?q=burst-{i}" for i in range(80)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = Counter(status for status, _h, _b in pool.map(lambda u: _get(u, source="127.0.0.2"), urls))
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[200] >= 10 and statuses[429] >= 1, statuses
    # Per client: the spent allowance is 127.0.0.2's alone; another address gets its image.
    assert _get(f"{behind_nginx}/og/search.png?q=burst-0", source="127.0.0.5")[0] == 200


def test_unknown_api_paths_are_json_404s_that_nginx_does_not_keep(behind_nginx: str) -> None:
    first, second = _get(behind_nginx + "/api/v1/nothing.json"), _get(behind_nginx + "/api/v1/nothing.json")
    assert first[0] == second[0] == 404 and first[1]["content-type"] == "application/json"
    assert second[1].get("x-cache") != "HIT"


def test_the_deployment_examples_set_the_public_address() -> None:
    docker = (paths.ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^\s+CHATBOT_WATCH_BASE_URL=https?://\S+", docker, flags=re.M)
    kube = (paths.ROOT / "deploy" / "kubernetes.yaml").read_text(encoding="utf-8")
    assert re.search(r"- name: CHATBOT_WATCH_BASE_URL\n\s+value: https://chatbot-watch\.example\.org\n", kube)
    conf = (paths.ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "server_name @SERVER_NAME@;" in conf and re.search(r"default_server;\s+server_name _;\s+return 400;", conf)
    assert "CHATBOT_WATCH_BASE_URL=" in (paths.ROOT / "deploy" / "run_local.sh").read_text(encoding="utf-8")
