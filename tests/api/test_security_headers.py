"""Security headers on every page and API answer: a strict CSP per kind of answer, nosniff, HSTS on HTTPS."""

import base64
import hashlib
import re
from pathlib import Path

import pytest

from baton.app import create_app
from baton.config import Settings

PAGE = '<!doctype html><html><head><script type="module" src="/assets/{name}-1.js"></script></head></html>'


@pytest.fixture()
def make_client(tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    for name, page in (("index", "index.html"), ("board", "board.html"), ("office", "office.html")):
        (dist / page).write_text(PAGE.format(name=name))
        (dist / "assets" / f"{name}-1.js").write_text("console.log('baton');")
    (dist / "sw.js").write_text("self.addEventListener('fetch', () => {});")

    def make(**env):
        settings = {
            "BATON_ENV": "test",
            "BATON_DATABASE_URL": f"sqlite:///{tmp_path / 'baton.db'}",
            "BATON_SECRET_KEY": "k" * 40,
            "BATON_PWA_DIR": str(dist),
            "BATON_AUTO_MIGRATE": "1",
            **env,
        }
        return create_app(Settings.from_env(settings)).test_client()

    return make


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def assert_common(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert directives(response)["frame-ancestors"] == "frame-ancestors 'none'"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP


@pytest.mark.parametrize("path", ["/", "/pick", "/board/EAST", "/office", "/assets/index-1.js", "/sw.js"])
def test_every_page_of_the_phone_board_and_office_runs_no_inline_script(make_client, path):
    response = make_client().get(path)
    assert response.status_code == 200
    assert_common(response)
    policy = directives(response)
    assert policy["script-src"] == "script-src 'self' 'wasm-unsafe-eval'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == "object-src 'none'"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/auth/me", 401),
        ("GET", "/api/openapi.json", 200),
        ("GET", "/api/v1/nothing", 404),
        ("POST", "/api/v1/auth/login", 422),
    ],
)
def test_every_api_answer_may_load_nothing(make_client, method, path, status):
    response = make_client().open(path, method=method, json={})
    assert response.status_code == status
    assert_common(response)
    assert directives(response)["default-src"] == "default-src 'none'"


def test_swagger_ui_runs_only_its_own_start_up_script(make_client):
    response = make_client().get("/api/docs")
    assert response.status_code == 200
    assert_common(response)
    (inline,) = re.findall(rb"<script>(.*?)</script>", response.get_data(), re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(inline).digest()).decode()
    assert directives(response)["script-src"] == f"script-src 'self' 'sha256-{digest}'"


def test_hsts_only_over_https_and_behind_a_proxy_only_when_trusted(make_client):
    assert "Strict-Transport-Security" in make_client().get("/", base_url="https://localhost").headers
    forwarded = {"X-Forwarded-Proto": "https"}
    assert "Strict-Transport-Security" not in make_client().get("/", headers=forwarded).headers
    behind_proxy = make_client(BATON_TRUSTED_PROXIES="1").get("/", headers=forwarded)
    assert behind_proxy.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_built_pages_have_no_inline_script_or_style():
    dist = Path(__file__).resolve().parents[2] / "pwa" / "dist"
    pages = sorted(dist.glob("*.html"))
    if not pages:
        pytest.skip("pwa/dist is not built (make pwa)")
    for page in pages:
        html = page.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page.name
        assert "<style" not in html and " style=" not in html, page.name
