"""Requests gunicorn refuses before Baton sees them still get the contract's JSON error (raw sockets)."""

import json
import socket
from urllib.parse import urlsplit

import pytest

from .live_server import live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(f"sqlite:///{tmp_path_factory.mktemp('raw') / 'baton.db'}") as base_url:
        yield urlsplit(base_url)


def send_raw(server, raw: bytes) -> tuple[int, dict, bytes]:
    with socket.create_connection((server.hostname, server.port), timeout=30) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), headers, body


def request_with(header: bytes = b"", target: bytes = b"/api/v1/auth/me") -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + b"Connection: close\r\n\r\n"


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (request_with(b"X-Big: " + b"a" * 10_240 + b"\r\n"), 431, "header_too_large"),
        (request_with(b"X-Bad: a\x01b\r\n"), 400, "bad_request"),
        (request_with(target=b"/api/v1/" + b"a" * 5000), 414, "uri_too_long"),
        (b"NOT AN HTTP REQUEST\r\n\r\n", 400, "bad_request"),
    ],
    ids=["10kb-header", "control-character", "long-uri", "garbage-request-line"],
)
def test_a_request_gunicorn_refuses_gets_a_json_error(server, raw, status, code):
    answer_status, headers, body = send_raw(server, raw)
    assert answer_status == status, body
    assert headers["content-type"] == "application/json"
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert json.loads(body)["error"]["code"] == code


def test_a_well_formed_request_still_reaches_baton(server):
    status, _headers, body = send_raw(server, request_with())
    assert status == 401 and json.loads(body)["error"]["code"] == "unauthorized"
