"""The phone app is served at `/` from its build: the shell for its own paths, right types, right caching."""

import pytest

from baton.app import create_app
from baton.config import Settings

INDEX = "<!doctype html><title>Baton</title><script type=module src=/assets/index-abc123.js></script>"


@pytest.fixture()
def dist(tmp_path):
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "icons").mkdir()
    (root / "index.html").write_text(INDEX)
    (root / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (root / "manifest.webmanifest").write_text('{"name": "Baton"}')
    (root / "assets" / "index-abc123.js").write_text("console.log('baton');")
    (root / "assets" / "zxing_reader-def456.wasm").write_bytes(b"\0asm\1\0\0\0")
    (root / "icons" / "icon-192.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "secret.txt").write_text("not for the web")
    return root


def _client(tmp_path, pwa_dir):
    env = {
        "BATON_ENV": "test",
        "BATON_DATABASE_URL": f"sqlite:///{tmp_path / 'baton.db'}",
        "BATON_SECRET_KEY": "k" * 40,
        "BATON_PWA_DIR": str(pwa_dir),
    }
    return create_app(Settings.from_env(env)).test_client()


@pytest.fixture()
def client(tmp_path, dist):
    return _client(tmp_path, dist)


def test_the_shell_is_served_at_the_root_and_never_cached_stale(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-cache"
    assert b"<title>Baton</title>" in response.data


@pytest.mark.parametrize("path", ["/pick", "/pick/12", "/pack/7/label", "/signin?next=/pick"])
def test_the_apps_own_paths_get_the_shell(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"<title>Baton</title>" in response.data


@pytest.mark.parametrize(
    ("path", "mimetype", "cache"),
    [
        ("/sw.js", "text/javascript", "no-cache"),
        ("/manifest.webmanifest", "application/manifest+json", "no-cache"),
        ("/assets/index-abc123.js", "text/javascript", "public, max-age=31536000, immutable"),
        ("/assets/zxing_reader-def456.wasm", "application/wasm", "public, max-age=31536000, immutable"),
        ("/icons/icon-192.png", "image/png", "public, max-age=3600"),
    ],
)
def test_files_have_their_type_and_caching(client, path, mimetype, cache):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Cache-Control"] == cache


@pytest.mark.parametrize("path", ["/assets/index-gone99.js", "/assets/zxing_reader-old.wasm", "/old.js"])
def test_a_missing_script_is_a_404_not_the_shell(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_unknown_api_paths_stay_json_404s(client, method):
    for path in ("/api/v1/nothing-here", "/api/nothing", "/api"):
        response = client.open(path, method=method)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "not_found"


def test_api_routes_keep_their_405s(client):
    response = client.put("/api/v1/orders")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_the_api_still_answers_beside_the_app(client):
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 401


def test_nothing_outside_the_build_is_served(client):
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt"):
        response = client.get(path)
        assert b"not for the web" not in response.data


def test_without_a_build_the_root_says_how_to_make_one(tmp_path):
    client = _client(tmp_path, tmp_path / "no-such-dist")
    response = client.get("/")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "pwa_not_built"
    assert "make pwa" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "page"),
    [("/board", "board"), ("/board/EAST", "board"), ("/office", "office"), ("/office/", "office")],
)
def test_the_board_and_office_paths_get_their_own_pages(client, dist, path, page):
    (dist / "board.html").write_text("<!doctype html><title>Baton board</title>")
    (dist / "office.html").write_text("<!doctype html><title>Baton office</title>")
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert f"<title>Baton {page}</title>".encode() in response.data
