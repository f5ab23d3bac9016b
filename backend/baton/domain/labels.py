"""The 4x6 inch parcel label: what it says, where each thing sits, and its SVG, PNG and PDF renderings.

One layout, in printer dots at 203 dpi (812 x 1218), feeds every renderer (ZPL lives in labels_zpl.py),
so the label looks the same whichever way it is printed. The barcode is python-barcode's Code 128 of
label_code, drawn with a whole number of dots per module so thermal printers and scanners agree on it.
Once a carrier label is bought, the Code 128 is the carrier's tracking number (what its scanners read)
and label_code is printed as text beside the order number.
"""

import html
import io
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

import barcode
from barcode.writer import ImageWriter, SVGWriter
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from baton.domain.errors import Invalid

DPI = 203  # the common thermal label printer resolution, 8 dots/mm
WIDTH, HEIGHT = 4 * DPI, 6 * DPI  # 812 x 1218 dots
MARGIN = 24
INNER = WIDTH - 2 * MARGIN

# Our own label codes: uppercase letters, digits and hyphens, which every scanner and ZPL carry verbatim.
LABEL_CODE = re.compile(r"[A-Z0-9-]{1,32}")
QUIET_MODULES = 10  # Code 128's minimum quiet zone on each side
MODULE_DOTS = (4, 3, 2)  # 0.5, 0.375, 0.25 mm: widest that fits wins; below 0.25 mm carriers' scanners balk
BARCODE_HEIGHT = 200  # 25 mm
MONO_ADVANCE = 0.6  # width of one character in em: DejaVu Sans Mono, Courier and ZPL's font 0 stay within

MAX_SHIP_TO_LINES = 6
MAX_SHIP_FROM_LINES = 5
MAX_HANDLING_MARKS = 3

# What the label shouts for each handling that needs care; "ambient" needs none.
HANDLING_MARKS = {
    "chilled": "KEEP REFRIGERATED",
    "frozen": "KEEP FROZEN",
    "hazmat": "HAZMAT — GROUND ONLY",
    "fragile": "FRAGILE",
    "antistatic": "ELECTROSTATIC SENSITIVE",
}

SVG_FONTS = "'DejaVu Sans Mono', Menlo, Consolas, 'Courier New', monospace"


def marks_for(handlings) -> tuple[str, ...]:
    """The marks for a parcel's handlings, each once, most urgent first (cold, hazmat, fragile, ...)."""
    wanted = {(h or "").strip().lower() for h in handlings}
    return tuple(mark for handling, mark in HANDLING_MARKS.items() if handling in wanted)


@dataclass(frozen=True)
class ParcelLabel:
    label_code: str  # Baton's own parcel code; the Code 128 until a carrier label is bought
    order_number: str
    parcel_no: int
    parcel_count: int
    ship_to: tuple[str, ...]  # name, line1, line2, "city region postal", country; blank lines are dropped
    ship_from: tuple[str, ...]
    weight_kg: Decimal
    service: str  # the carrier service's name, as the carrier wants it printed
    handling_marks: tuple[str, ...] = ()
    carrier: str = ""  # the carrier's name; blank while the parcel waits for a carrier
    # The carrier's tracking number: the barcode the carrier scans. Blank until a label is bought, and the
    # barcode is then Baton's own label_code.
    tracking_number: str = ""

    def __post_init__(self):
        for name in ("label_code", "tracking_number"):
            code = getattr(self, name)
            if name == "tracking_number" and not code:
                continue
            if not LABEL_CODE.fullmatch(code or ""):
                raise Invalid(
                    f"{name.replace('_', ' ').capitalize()} {code!r} must be 1-32 of A-Z, 0-9 and '-'.",
                    details={name: code},
                )
            if _module_dots(code) is None:
                raise Invalid(
                    f"{code} is too long to print scannably on a 4-inch label.",
                    details={name: code},
                )
        if not 1 <= self.parcel_no <= self.parcel_count:
            raise Invalid(
                f"Parcel {self.parcel_no} of {self.parcel_count} does not exist.",
                details={"parcel_no": self.parcel_no, "parcel_count": self.parcel_count},
            )
        for name, most in (
            ("ship_to", MAX_SHIP_TO_LINES),
            ("ship_from", MAX_SHIP_FROM_LINES),
            ("handling_marks", MAX_HANDLING_MARKS),
        ):
            lines = tuple(line for line in (clean(line) for line in getattr(self, name)) if line)
            if len(lines) > most:
                what = name.replace("_", " ")
                raise Invalid(
                    f"A label has room for {most} {what} lines, not {len(lines)}.",
                    details={name: list(lines)},
                )
            object.__setattr__(self, name, lines)
        if not self.ship_to:
            raise Invalid("A label needs a ship-to address.", details={"ship_to": []})
        object.__setattr__(self, "weight_kg", to_decimal(self.weight_kg))

    @property
    def barcode(self) -> str:
        """What the big Code 128 says: the carrier's tracking number once bought, else Baton's code."""
        return self.tracking_number or self.label_code


def clean(text) -> str:
    """Text as a label can print it: control and other invisible characters become spaces, runs collapse."""
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in str(text or ""))
    return " ".join(text.split())


def to_decimal(value) -> Decimal:
    """A weight as Decimal from int, str, Decimal or float (via str(): 2.4 stays 2.4); Invalid if not one."""
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise Invalid(f"{value!r} is not a weight.", details={"weight_kg": str(value)})
    return number


def format_kg(weight: Decimal) -> str:
    return f"{weight.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)} KG"


# ---------------------------------------------------------------------------------------------------
# Layout: what goes where, in dots at 203 dpi. Renderers scale it and only draw.


@dataclass(frozen=True)
class LabelText:
    x: int  # left edge of the text's column
    baseline: int
    size: int  # em size in dots
    text: str
    width: int  # the column's width; the text was fitted into it and is aligned within it
    align: str = "left"  # left | center | right
    bold: bool = False
    reverse: bool = False  # white on black (drawn over a LabelBox)

    @property
    def anchor_x(self) -> float:
        return {"left": self.x, "center": self.x + self.width / 2, "right": self.x + self.width}[self.align]


@dataclass(frozen=True)
class LabelBox:
    """A filled black rectangle: rules between sections and the ground of reversed marks."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class LabelBarcode:
    x: int
    y: int
    module: int  # dots per Code 128 module
    height: int
    code: str

    @property
    def modules(self) -> int:
        return len(code128_pattern(self.code))


def label_layout(label: ParcelLabel) -> list:
    """The label as positioned texts, boxes and one barcode, top to bottom."""
    items: list = []
    right_col = 268
    left_w = INNER - right_col - 16

    def text(x, baseline, size, value, width, *, min_size=None, **style):
        fitted, fitted_size = fit_text(value, size, min_size or size, width)
        items.append(LabelText(x, baseline, fitted_size, fitted, width, **style))

    # Sender (small, top left); parcel count and weight (big, top right).
    text(MARGIN, 44, 20, "FROM", left_w, bold=True)
    for n, line in enumerate(label.ship_from):
        text(MARGIN, 72 + 26 * n, 22, line, left_w, min_size=16)
    right_x = WIDTH - MARGIN - right_col
    text(right_x, 44, 20, "PARCEL", right_col, align="right", bold=True)
    text(
        right_x,
        100,
        48,
        f"{label.parcel_no} OF {label.parcel_count}",
        right_col,
        align="right",
        bold=True,
        min_size=28,
    )
    text(right_x, 150, 36, format_kg(label.weight_kg), right_col, align="right", bold=True, min_size=24)
    items.append(LabelBox(MARGIN, 192, INNER, 4))

    # Recipient: the biggest text on the label after the barcode.
    text(MARGIN, 228, 22, "SHIP TO", INNER, bold=True)
    for n, line in enumerate(label.ship_to):
        text(MARGIN, 280 + 46 * n, 40, line, INNER, bold=True, min_size=26)
    items.append(LabelBox(MARGIN, 526, INNER, 4))

    if label.carrier:
        text(MARGIN, 562, 26, label.carrier, INNER, bold=True, min_size=18)
        text(MARGIN, 600, 36, label.service, INNER, bold=True, min_size=22)
    else:
        text(MARGIN, 588, 44, label.service, INNER, bold=True, min_size=26)
    items.append(LabelBox(MARGIN, 610, INNER, 4))

    for n, mark in enumerate(label.handling_marks):
        top = 626 + 68 * n
        items.append(LabelBox(MARGIN, top, INNER, 60))
        text(MARGIN, top + 45, 40, mark, INNER, align="center", bold=True, reverse=True, min_size=26)

    items.append(LabelBox(MARGIN, 860, INNER, 4))
    # Baton's own code stays printed beside the order when the barcode is the carrier's.
    order_line = f"ORDER {clean(label.order_number)}"
    if label.tracking_number:
        order_line += f"  {label.label_code}"
    text(MARGIN, 912, 30, order_line, INNER, bold=True, min_size=20)

    code = label.barcode
    module = _module_dots(code)
    bars_width = len(code128_pattern(code)) * module
    items.append(LabelBarcode((WIDTH - bars_width) // 2, 940, module, BARCODE_HEIGHT, code))
    text(MARGIN, 1184, 36, code, INNER, align="center", bold=True)
    return items


def fit_text(text: str, size: int, min_size: int, width: int) -> tuple[str, int]:
    """Shrink text towards min_size until it fits width, then cut it with an ellipsis."""
    text = clean(text)
    while size > min_size and len(text) * MONO_ADVANCE * size > width:
        size -= 2
    size = max(size, min_size)
    fits = int(width / (MONO_ADVANCE * size))
    if len(text) > fits:
        text = text[: fits - 1].rstrip() + "…"
    return text, size


# ---------------------------------------------------------------------------------------------------
# Code 128 through python-barcode.


@lru_cache(maxsize=256)
def code128_pattern(code: str) -> str:
    """python-barcode's Code 128 modules for code, '1' bar and '0' space, start to stop."""
    return barcode.Code128(code).build()[0]


def code128_symbols(code: str) -> list[int]:
    """python-barcode's Code 128 symbol values for code: start code and data, without check or stop."""
    return barcode.Code128(code).encoded  # a fresh encoder each time: it keeps state while encoding


def bar_runs(pattern: str) -> list[tuple[int, int]]:
    """(first module, modules wide) of each bar in a module pattern."""
    return [(m.start(), m.end() - m.start()) for m in re.finditer("1+", pattern)]


def _module_dots(code: str) -> int | None:
    modules = len(code128_pattern(code))
    for dots in MODULE_DOTS:
        if modules * dots <= INNER and (modules + 2 * QUIET_MODULES) * dots <= WIDTH:
            return dots
    return None


def _barcode_svg_rects(code: str, module: int, height: int) -> list[tuple[float, float]]:
    # SVGWriter works in millimetres; asking for modules of `module` "mm" with no quiet zone or margins
    # makes its numbers our dots, ready to place on the label.
    svg = barcode.Code128(code, writer=SVGWriter()).render(
        {
            "module_width": module,
            "module_height": height,
            "quiet_zone": 0,
            "margin_top": 0,
            "margin_bottom": 0,
            "write_text": False,
            "compress": True,
        }
    )
    rects = []
    for rect in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}rect"):
        if rect.get("x") is None:  # the white background
            continue
        rects.append((float(rect.get("x").removesuffix("mm")), float(rect.get("width").removesuffix("mm"))))
    return rects


def _barcode_image(code: str, module_px: int, height_px: int, dpi: int):
    # ImageWriter turns millimetres into pixels and Pillow truncates the result: a module a hair over
    # `module_px` pixels lands every bar edge on the intended pixel instead of one short.
    mm = 25.4 / dpi * (1 + 1e-9)
    return barcode.Code128(code, writer=ImageWriter(mode="1", dpi=dpi)).render(
        {
            "module_width": module_px * mm,
            "module_height": height_px * mm,
            "quiet_zone": 0,
            "margin_top": 0,
            "margin_bottom": 0,
            "write_text": False,
            "dpi": dpi,
        }
    )


@lru_cache(maxsize=1)
def font_path() -> str:
    """DejaVu Sans Mono as python-barcode ships it: the same glyphs on every machine, no system fonts."""
    return ImageWriter().font_path


# ---------------------------------------------------------------------------------------------------
# Renderers.


def label_svg(label: ParcelLabel) -> str:
    """The label as a standalone SVG, 4 x 6 in, coordinates in 203-dpi dots."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="4in" height="6in" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">',
        f"<title>Parcel {html.escape(label.label_code)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
    ]
    for item in label_layout(label):
        if isinstance(item, LabelBox):
            out.append(f'<rect x="{item.x}" y="{item.y}" width="{item.w}" height="{item.h}" fill="#000"/>')
        elif isinstance(item, LabelText):
            anchor = {"left": "start", "center": "middle", "right": "end"}[item.align]
            weight = ' font-weight="bold"' if item.bold else ""
            out.append(
                f'<text x="{item.anchor_x:g}" y="{item.baseline}" font-family="{SVG_FONTS}" '
                f'font-size="{item.size}"{weight} text-anchor="{anchor}" '
                f'fill="{"#fff" if item.reverse else "#000"}">{html.escape(item.text)}</text>'
            )
        else:
            out.append(
                f'<g id="barcode" data-code="{html.escape(item.code)}" '
                f'transform="translate({item.x} {item.y})" fill="#000">'
            )
            out.extend(
                f'<rect x="{x:g}" y="0" width="{w:g}" height="{item.height}"/>'
                for x, w in _barcode_svg_rects(item.code, item.module, item.height)
            )
            out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def label_png(label: ParcelLabel, dpi: int = DPI) -> bytes:
    """The label as a 1-bit PNG of 4 x 6 in at dpi (812 x 1218 pixels at 203 dpi)."""
    scale = dpi / DPI
    image = Image.new("1", (4 * dpi, 6 * dpi), 1)
    draw = ImageDraw.Draw(image)
    for item in label_layout(label):
        if isinstance(item, LabelBox):
            x0, y0 = round(item.x * scale), round(item.y * scale)
            x1, y1 = round((item.x + item.w) * scale), round((item.y + item.h) * scale)
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=0)
        elif isinstance(item, LabelText):
            anchor = {"left": "ls", "center": "ms", "right": "rs"}[item.align]
            ink = 1 if item.reverse else 0
            draw.text(
                (item.anchor_x * scale, item.baseline * scale),
                item.text,
                fill=ink,
                font=_pil_font(round(item.size * scale)),
                anchor=anchor,
                stroke_width=max(1, round(scale)) if item.bold else 0,
                stroke_fill=ink,
            )
        else:
            module = max(1, math.floor(item.module * scale))
            width = item.modules * module
            centre = (item.x + item.modules * item.module / 2) * scale
            bars = _barcode_image(item.code, module, round(item.height * scale), dpi)
            image.paste(bars, (round(centre - width / 2), round(item.y * scale)))
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi), optimize=True)
    return out.getvalue()


@lru_cache(maxsize=32)
def _pil_font(size: int):
    return ImageFont.truetype(font_path(), size)


PDF_FONT = "BatonMono"


def pdf_font() -> str:
    """Register python-barcode's DejaVu Sans Mono with reportlab (once) and return its name."""
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(PDF_FONT, font_path()))
    return PDF_FONT


def draw_code128(canvas, code: str, x: float, y: float, module: float, height: float) -> None:
    """python-barcode's Code 128 of code as vector bars on a reportlab canvas; (x, y) is the bottom left."""
    canvas.setFillColorRGB(0, 0, 0)
    for start, width in bar_runs(code128_pattern(code)):
        canvas.rect(x + start * module, y, width * module, height, stroke=0, fill=1)


def label_pdf(label: ParcelLabel) -> bytes:
    """The label as a one-page PDF of 4 x 6 in (288 x 432 pt), vector text and bars."""
    pt = 72 / DPI
    page_h = HEIGHT * pt
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(WIDTH * pt, page_h), invariant=True, pageCompression=1)
    canvas.setTitle(f"Parcel {label.label_code}")
    canvas.setAuthor("Baton")
    font = pdf_font()
    for item in label_layout(label):
        if isinstance(item, LabelBox):
            canvas.setFillColorRGB(0, 0, 0)
            y = page_h - (item.y + item.h) * pt
            canvas.rect(item.x * pt, y, item.w * pt, item.h * pt, stroke=0, fill=1)
        elif isinstance(item, LabelText):
            size = item.size * pt
            width = pdfmetrics.stringWidth(item.text, font, size)
            x = item.anchor_x * pt - {"left": 0, "center": width / 2, "right": width}[item.align]
            shade = 1 if item.reverse else 0
            canvas.setFillColorRGB(shade, shade, shade)
            canvas.setStrokeColorRGB(shade, shade, shade)
            canvas.setLineWidth(size * 0.04)
            text = canvas.beginText(x, page_h - item.baseline * pt)
            text.setFont(font, size)
            text.setTextRenderMode(2 if item.bold else 0)  # fill and stroke: bold from one font file
            text.textOut(item.text)
            canvas.drawText(text)
        else:
            draw_code128(
                canvas,
                item.code,
                item.x * pt,
                page_h - (item.y + item.height) * pt,
                item.module * pt,
                item.height * pt,
            )
    canvas.showPage()
    canvas.save()
    return out.getvalue()
