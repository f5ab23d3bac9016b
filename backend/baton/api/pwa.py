"""Serves the phone app (the Vite build in BATON_PWA_DIR) at `/`, with the SPA fallback for its own paths."""

import mimetypes
from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory
from werkzeug.routing import PathConverter

from ..domain.errors import NotFound

blp = Blueprint("pwa", __name__)

# Files the browser must re-check on every load: a stale service worker or shell would pin an old release.
NO_CACHE = {"index.html", "board.html", "office.html", "sw.js", "registerSW.js", "manifest.webmanifest"}
# Desktop pages built beside the phone app: /board/EAST is the board's shell, /office the office pages'.
PAGES = {"board": "board.html", "office": "office.html"}
# Vite puts a content hash in every file name under assets/, so those never change under one URL.
HASHED_DIR = "assets/"
ONE_YEAR = 365 * 24 * 3600
# Types Python's mimetypes table lacks or gets wrong on some systems; browsers refuse wasm and module
# scripts served under another type.
TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".css": "text/css",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


class AppPathConverter(PathConverter):
    """Any path except the API's and Socket.IO's: those keep their own (JSON) 404s and 405s."""

    regex = r"(?!api(?:/|$)|socket\.io(?:/|$))[^/].*?"


def register_pwa(app) -> None:
    app.url_map.converters["app_path"] = AppPathConverter
    for ext, mimetype in TYPES.items():
        mimetypes.add_type(mimetype, ext)
    app.register_blueprint(blp)


def _dist() -> Path:
    pwa_dir = current_app.config["BATON"].pwa_dir
    if not pwa_dir or not (Path(pwa_dir) / "index.html").is_file():
        raise NotFound(
            "The phone app is not built here: run `make pwa` (or set BATON_PWA_DIR).", code="pwa_not_built"
        )
    return Path(pwa_dir)


@blp.get("/")
def index() -> Response:
    return _serve(_dist(), "index.html")


@blp.get("/<app_path:path>")
def app_file(path: str) -> Response:
    dist = _dist()
    page = PAGES.get(path.split("/", 1)[0])
    if page and (dist / page).is_file():
        return _serve(dist, page)
    target = (dist / path).resolve()
    if target.is_file() and target.is_relative_to(dist.resolve()):
        return _serve(dist, path)
    if path.startswith(HASHED_DIR) or Path(path).suffix in TYPES:
        # A missing script or wasm must fail loudly, not come back as the HTML shell.
        raise NotFound(f"No file {path} in the phone app.")
    return _serve(dist, "index.html")  # the app's own routes (/pick, /pack, ...) are the shell


def _serve(dist: Path, path: str) -> Response:
    response = send_from_directory(dist, path, max_age=0)
    if path in NO_CACHE:
        response.headers["Cache-Control"] = "no-cache"
    elif path.startswith(HASHED_DIR):
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=3600"
    return response
