"""Camera input for the browser tests: real barcode renders written as one-frame YUV4MPEG2 videos.

Chromium's fake camera (`--use-file-for-fake-video-capture`) loops a y4m file. We write it in pure Python
(Pillow for the picture, no ffmpeg): a "YUV4MPEG2" header, one "FRAME" of 4:2:0 planes.
"""

from io import BytesIO
from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 640, 480


def render_barcode(code: str, symbology: str = "ean13") -> Image.Image:
    """A python-barcode render with whole pixels per bar (0.3 mm at 254 dpi = 3 px per module), unscaled."""
    import barcode
    from barcode.writer import ImageWriter

    options = {
        "dpi": 254,
        "module_width": 0.3,
        "module_height": 12.0,
        "quiet_zone": 4.0,
        "font_size": 8,
        "text_distance": 3.0,
        "background": "white",
        "foreground": "black",
    }
    symbol = barcode.get(symbology, code, writer=ImageWriter())
    buffer = BytesIO()
    symbol.write(buffer, options)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def on_canvas(picture: Image.Image | None) -> Image.Image:
    """The picture pasted centred (never rescaled) on a white 640x480 frame; None gives a blank frame."""
    canvas = Image.new("L", (WIDTH, HEIGHT), 255)
    if picture is not None:
        if picture.width > WIDTH or picture.height > HEIGHT:
            raise ValueError(
                f"a {picture.width}x{picture.height} render does not fit {WIDTH}x{HEIGHT} unscaled"
            )
        canvas.paste(picture, ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2))
    return canvas


def write_y4m(frame: Image.Image, path: Path) -> Path:
    """One 4:2:0 frame (BT.601 studio range, as Chromium's I420 capture expects), chroma 2x2 box-averaged."""
    ycbcr = frame.convert("RGB").convert("YCbCr")  # JPEG full-range Y'CbCr
    y, cb, cr = ycbcr.split()
    half = (frame.width // 2, frame.height // 2)
    studio_luma = y.point(lambda v: 16 + round(v * 219 / 255))
    studio_chroma = [
        c.resize(half, Image.Resampling.BOX).point(lambda v: 16 + round(v * 224 / 255)) for c in (cb, cr)
    ]
    header = f"YUV4MPEG2 W{frame.width} H{frame.height} F30:1 Ip A1:1 C420jpeg\n".encode()
    planes = [studio_luma.tobytes(), *(c.tobytes() for c in studio_chroma)]
    path.write_bytes(header + b"FRAME\n" + b"".join(planes))
    return path


def barcode_y4m(code: str | None, path: Path, symbology: str = "ean13") -> Path:
    """A video of one barcode (or, with code=None, a blank white video)."""
    return write_y4m(on_canvas(render_barcode(code, symbology) if code else None), path)


def read_y4m_luma(path: Path) -> Image.Image:
    """The first frame's luma plane, to check a file decodes before a browser ever sees it."""
    data = path.read_bytes()
    header, _, rest = data.partition(b"\n")
    tags = dict((t[:1], t[1:]) for t in header.decode().split()[1:])
    width, height = int(tags["W"]), int(tags["H"])
    assert rest.startswith(b"FRAME\n"), "no FRAME marker"
    return Image.frombytes("L", (width, height), rest[6 : 6 + width * height])
