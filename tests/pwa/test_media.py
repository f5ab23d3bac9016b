"""The camera videos themselves: each y4m holds a barcode a decoder reads (zxing-cpp in Python), and
Chromium's fake camera really shows it to a page. No app needed: a failure here is the test rig's."""

import base64
import io

import pytest
from PIL import Image

from . import media
from .floor import new_gtin13

zxingcpp = pytest.importorskip("zxingcpp")


def _decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize(
    ("code", "symbology"), [(None, "ean13"), ("E01-04", "code128"), ("B-PICKER-1", "code128")]
)
def test_a_y4m_frame_holds_the_barcode(tmp_path, code, symbology):
    code = code or new_gtin13()
    render = media.render_barcode(code, symbology)
    assert render.width <= media.WIDTH and render.height <= media.HEIGHT
    path = media.barcode_y4m(code, tmp_path / "code.y4m", symbology)
    header = path.read_bytes().split(b"\n", 1)[0]
    assert header == b"YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg"
    assert path.stat().st_size == len(header) + 1 + len(b"FRAME\n") + 640 * 480 * 3 // 2
    assert _decoded(media.read_y4m_luma(path)) == [code]


def test_a_blank_y4m_holds_nothing(blank_y4m):
    assert _decoded(media.read_y4m_luma(blank_y4m)) == []


def test_chromiums_fake_camera_shows_the_barcode_to_a_page(chromium, launch_browser, barcode_y4m):
    code = new_gtin13()
    browser = launch_browser(barcode_y4m(code))
    context = browser.new_context(permissions=["camera"])
    try:
        page = context.new_page()
        # A loopback origin answered by Playwright itself (getUserMedia needs a secure context).
        page.route(
            "http://127.0.0.1:9/**",
            lambda route: route.fulfill(body="<html></html>", content_type="text/html"),
        )
        page.goto("http://127.0.0.1:9/")
        data_url = page.evaluate("""async () => {
          const stream = await navigator.mediaDevices.getUserMedia({video: {width: 640, height: 480}});
          const video = Object.assign(document.createElement('video'), {muted: true, srcObject: stream});
          await video.play();
          await new Promise(resolve => setTimeout(resolve, 300));
          const canvas = Object.assign(document.createElement('canvas'),
                                       {width: video.videoWidth, height: video.videoHeight});
          canvas.getContext('2d').drawImage(video, 0, 0);
          stream.getTracks().forEach(track => track.stop());
          return canvas.toDataURL('image/png');
        }""")
    finally:
        context.close()
    frame = Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1])))
    assert frame.size == (640, 480)
    assert _decoded(frame) == [code]


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:5000/assets/zxing_reader.wasm", True),
        ("http://localhost:8000/", True),
        ("ws://[::1]:5000/socket.io/?EIO=4", True),
        ("http://127.8.9.10/", True),
        ("data:text/plain,x", True),
        ("blob:http://127.0.0.1:5000/0f3c", True),
        ("https://fastly.jsdelivr.net/npm/zxing-wasm@2/dist/reader/zxing_reader.wasm", False),
        ("http://10.0.0.5/", False),
        ("http://192.168.1.2:5000/", False),
        ("https://localhost.example.com/", False),
    ],
)
def test_the_request_recorder_tells_loopback_from_the_outside(url, local):
    from .phone import is_loopback

    assert is_loopback(url) is local
