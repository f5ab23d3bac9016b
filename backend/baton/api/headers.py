"""Security headers on every response: a strict Content-Security-Policy per kind of page, and the rest.

Written by hand rather than with flask-talisman: Baton needs one policy per kind of response (the app's pages,
Swagger UI, printable documents, JSON) and none of Talisman's HTTPS redirects or cookie rewriting.
"""

import base64
import hashlib
import re

from flask import Flask, Response, request

# The phone, board and office pages: no inline script at all. 'wasm-unsafe-eval' lets the barcode decoder
# (ZXing, WebAssembly, served from here) compile. Inline *styles* are allowed: the label print frame carries
# the packing slip's own <style>, and a few elements are styled in place; CSS cannot run script.
APP_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob: mediastream:",
        "font-src 'self'",
        "connect-src 'self'",  # includes ws(s):// to this host (Socket.IO)
        "worker-src 'self'",
        "manifest-src 'self'",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# JSON answers: nothing in them may ever run or load anything.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Printable documents the API serves (packing slips as HTML, labels as SVG): their own styles, nothing else.
DOCUMENT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
)
# Swagger UI at /api/docs: its scripts from here, and its one inline start-up script allowed by its hash.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
HSTS = "max-age=31536000; includeSubDomains"
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=()",
}


def register_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    for name, value in ALWAYS.items():
        response.headers.setdefault(name, value)
    response.headers["Content-Security-Policy"] = _policy(response)
    if request.is_secure:  # behind a TLS proxy this needs BATON_TRUSTED_PROXIES (X-Forwarded-Proto)
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def _policy(response: Response) -> str:
    path = request.path
    if path == "/api/docs" or path.startswith("/api/docs/"):
        return DOCS_POLICY.format(hashes=" ".join(_inline_script_hashes(response)) or "'none'")
    if path.startswith("/api/") or path.startswith("/socket.io"):
        if response.mimetype in ("text/html", "image/svg+xml"):
            return DOCUMENT_POLICY
        return API_POLICY
    return APP_POLICY


def _inline_script_hashes(response: Response) -> list[str]:
    if response.mimetype != "text/html" or response.direct_passthrough:
        return []
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in INLINE_SCRIPT.findall(response.get_data())
    ]
