import html.parser
import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import zxingcpp
from barcode.charsets import code128 as charset
from PIL import Image, ImageDraw

from baton.domain.errors import Invalid
from baton.domain.labels import (
    HEIGHT,
    WIDTH,
    LabelBarcode,
    LabelText,
    ParcelLabel,
    bar_runs,
    code128_pattern,
    code128_symbols,
    fit_text,
    label_layout,
    label_pdf,
    label_png,
    label_svg,
    marks_for,
)
from baton.domain.labels_zpl import label_zpl, zpl_escape
from baton.domain.slips import PackingSlip, placed_text, slip_html, slip_pdf

SVG = "{http://www.w3.org/2000/svg}"
CODES = ["BTN000123456789", "BTN12345", "A", "BTN-2024-00017", "0123456789", "BTN0000000000000000000001"]


def make_label(**overrides) -> ParcelLabel:
    fields = {
        "label_code": "BTN000123456789",
        "order_number": "SO-000123",
        "parcel_no": 1,
        "parcel_count": 2,
        "ship_to": ("Great Lakes Grocers - Loop", "233 S Wacker Dr", "", "Chicago IL 60606", "UNITED STATES"),
        "ship_from": ("Baton Demo Manufacturing", "1 Industrial Way", "Springfield IL 62701", "US"),
        "weight_kg": Decimal("2.4"),
        "service": "Cold Chain Ground",
        "handling_marks": ("KEEP REFRIGERATED", "FRAGILE", "HAZMAT — GROUND ONLY"),
    }
    return ParcelLabel(**{**fields, **overrides})


def decode(image: Image.Image) -> list[tuple[str, str]]:
    return [(r.text, r.format.name) for r in zxingcpp.read_barcodes(image.convert("L"))]


def runs_of(row: list[int]) -> list[tuple[int, int]]:
    """(start, width) of the black runs in a row of pixels (0 = black)."""
    return bar_runs("".join("1" if v == 0 else "0" for v in row))


# --- the label's content ---------------------------------------------------------------------------


def test_marks_for_handlings_are_each_printed_once_most_urgent_first():
    assert marks_for(["fragile", "chilled", "ambient", "fragile"]) == ("KEEP REFRIGERATED", "FRAGILE")
    assert marks_for(["hazmat"]) == ("HAZMAT — GROUND ONLY",)
    assert marks_for([]) == ()


def test_blank_address_lines_are_dropped_and_control_characters_become_spaces():
    label = make_label(ship_to=("Jane\tDoe", "", "12 Main St\r\nApt 4", None, "US"))
    assert label.ship_to == ("Jane Doe", "12 Main St Apt 4", "US")


def test_float_weights_print_as_written():
    assert make_label(weight_kg=2.4).weight_kg == Decimal("2.4")


@pytest.mark.parametrize(
    "overrides",
    [
        {"label_code": "btn123"},  # lowercase: not one of our codes
        {"label_code": "BTN 123"},
        {"label_code": ""},
        {"label_code": "A" * 33},
        {
            "label_code": "ABCDEFGHIJKLMNOPQRSTUVWXYZ-ABCDE"
        },  # 32 letters: too wide for 4 in at 0.25 mm modules
        {"parcel_no": 3},
        {"parcel_no": 0},
        {"ship_to": ()},
        {"ship_to": ("",) * 3},
        {"ship_to": tuple(f"line {n}" for n in range(7))},
        {"ship_from": tuple(f"line {n}" for n in range(6))},
        {"handling_marks": ("A", "B", "C", "D")},
        {"weight_kg": "heavy"},
        {"weight_kg": -1},
    ],
)
def test_labels_that_cannot_print_are_refused(overrides):
    with pytest.raises(Invalid):
        make_label(**overrides)


def test_long_lines_shrink_then_get_an_ellipsis():
    assert fit_text("short", 40, 26, 764) == ("short", 40)
    text, size = fit_text("x" * 40, 40, 26, 764)
    assert text == "x" * 40 and 26 <= size < 40
    text, size = fit_text("x" * 80, 40, 26, 764)
    assert size == 26 and text.endswith("…") and len(text) * 0.6 * 26 <= 764


def test_layout_stays_on_the_label_and_never_overlaps_the_barcode():
    label = make_label(
        ship_to=tuple("W" * 60 for _ in range(6)),
        ship_from=tuple("M" * 60 for _ in range(5)),
        handling_marks=("HAZMAT — GROUND ONLY",) * 3,
        service="S" * 80,
        order_number="O" * 80,
    )
    items = label_layout(label)
    bars = next(item for item in items if isinstance(item, LabelBarcode))
    for item in items:
        if isinstance(item, LabelText):
            assert item.x >= 0 and item.x + len(item.text) * 0.6 * item.size <= WIDTH
            assert item.baseline - item.size >= 0 and item.baseline <= HEIGHT
            if item.baseline < bars.y:
                assert item.baseline <= bars.y - 4
    assert bars.x >= 0 and bars.x + bars.modules * bars.module <= WIDTH
    assert bars.y + bars.height <= HEIGHT


# --- SVG --------------------------------------------------------------------------------------------


def svg_bar_runs(root) -> tuple[list[tuple[float, float]], float]:
    group = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "barcode")
    rects = [(float(r.get("x")), float(r.get("width"))) for r in group.iter(f"{SVG}rect")]
    return rects, float(rects[0][1]) / bar_runs(code128_pattern(group.get("data-code")))[0][1]


def test_svg_is_a_4_by_6_inch_document_with_the_text_and_the_code_128_bars():
    label = make_label()
    root = ET.fromstring(label_svg(label))
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("4in", "6in", "0 0 812 1218")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for expected in (
        "Great Lakes Grocers - Loop",
        "Chicago IL 60606",
        "KEEP REFRIGERATED",
        "HAZMAT — GROUND ONLY",
        "Cold Chain Ground",
        "ORDER SO-000123",
        "1 OF 2",
        "2.40 KG",
        "BTN000123456789",
        "Baton Demo Manufacturing",
    ):
        assert expected in texts
    rects, module = svg_bar_runs(root)
    pattern = code128_pattern(label.label_code)
    assert rects == [(start * module, width * module) for start, width in bar_runs(pattern)]


def test_svg_bars_scan_as_the_label_code():
    # Draw the SVG's barcode rectangles as they would print and read them with a real decoder.
    root = ET.fromstring(label_svg(make_label(label_code="BTN-2024-00017")))
    rects, _ = svg_bar_runs(root)
    image = Image.new("L", (WIDTH, 300), 255)
    draw = ImageDraw.Draw(image)
    left = (WIDTH - (rects[-1][0] + rects[-1][1])) // 2
    for x, w in rects:
        draw.rectangle((left + x, 50, left + x + w - 1, 250), fill=0)
    assert decode(image) == [("BTN-2024-00017", "Code128")]


def test_svg_escapes_markup_in_addresses():
    svg = label_svg(make_label(ship_to=("<script>alert('x')</script> & Sons",)))
    assert "<script>" not in svg
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "<script>alert('x')</script> & Sons" in texts


# --- PNG --------------------------------------------------------------------------------------------


def test_png_is_812_by_1218_at_203_dpi():
    image = Image.open(io.BytesIO(label_png(make_label())))
    image.load()
    assert image.format == "PNG"
    assert image.size == (812, 1218)
    assert round(image.info["dpi"][0]) == 203


@pytest.mark.parametrize("code", CODES)
def test_png_barcode_scans_as_the_label_code(code):
    image = Image.open(io.BytesIO(label_png(make_label(label_code=code))))
    assert decode(image) == [(code, "Code128")]


def test_png_bars_are_whole_dots_matching_python_barcode():
    label = make_label()
    image = Image.open(io.BytesIO(label_png(label)))
    bars = next(item for item in label_layout(label) if isinstance(item, LabelBarcode))
    row = [image.getpixel((x, bars.y + bars.height // 2)) for x in range(WIDTH)]
    found = runs_of(row)
    expected = [
        (bars.x + start * bars.module, width * bars.module)
        for start, width in bar_runs(code128_pattern(label.label_code))
    ]
    assert found == expected


def test_png_at_300_dpi_is_1200_by_1800_and_still_scans():
    image = Image.open(io.BytesIO(label_png(make_label(), dpi=300)))
    assert image.size == (1200, 1800)
    assert decode(image) == [("BTN000123456789", "Code128")]


# --- PDF --------------------------------------------------------------------------------------------


def pdf_pages(pdf: bytes) -> list[str]:
    return re.findall(rb"/MediaBox \[ ?([\d. ]+?) ?\]", pdf)


def test_label_pdf_is_one_4_by_6_inch_page():
    pdf = label_pdf(make_label())
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1
    assert [box.split() for box in pdf_pages(pdf)] == [[b"0", b"0", b"288", b"432"]]


def test_label_pdf_is_the_same_bytes_for_the_same_label():
    assert label_pdf(make_label()) == label_pdf(make_label())


# --- ZPL --------------------------------------------------------------------------------------------

ZPL_INVOCATIONS = {">9": 103, ">:": 104, ">;": 105, ">5": 99, ">6": 100, ">7": 101}


def symbols_from_zpl(data: str) -> list[int]:
    """Read ^BC field data back into Code 128 symbol values, as a printer in mode N would."""
    symbols, subset, i = [], None, 0
    while i < len(data):
        if data[i] == ">":
            value = ZPL_INVOCATIONS[data[i : i + 2]]
            symbols.append(value)
            subset = {103: "A", 104: "B", 105: "C", 99: "C", 100: "B", 101: "A"}[value]
            i += 2
        elif subset == "C":
            symbols.append(int(data[i : i + 2]))
            i += 2
        else:
            symbols.append(ord(data[i]) - 32)
            i += 1
    return symbols


def pattern_of(symbols: list[int]) -> str:
    check = (symbols[0] + sum(n * v for n, v in enumerate(symbols[1:], start=1))) % 103
    return "".join(charset.CODES[v] for v in [*symbols, check]) + charset.STOP + "11"


def test_zpl_is_one_format_for_a_203_dpi_4_by_6_label():
    zpl = label_zpl(make_label())
    assert zpl.startswith("^XA")
    assert zpl.rstrip().endswith("^XZ")
    assert zpl.count("^XA") == zpl.count("^XZ") == 1
    assert "^PW812" in zpl and "^LL1218" in zpl and "^CI28" in zpl
    assert "^BC" in zpl
    assert "^FDBTN000123456789^FS" in zpl  # the human-readable line under the bars


@pytest.mark.parametrize("code", CODES)
def test_zpl_barcode_prints_the_same_symbols_as_python_barcode(code):
    zpl = label_zpl(make_label(label_code=code))
    data = re.search(r"\^BC[^\^]*\^FD(.*?)\^FS", zpl).group(1)
    assert symbols_from_zpl(data) == code128_symbols(code)
    assert pattern_of(symbols_from_zpl(data)) == code128_pattern(code)


def test_zpl_text_fields_escape_carets_tildes_and_non_ascii():
    zpl = label_zpl(make_label(ship_to=("Ben ^ Jerry ~ Co_", r"C:\path", "Zoë"), service="^XZ~JR"))
    fields = re.findall(r"\^FD(.*?)\^FS", zpl)
    assert all("^" not in field and "~" not in field for field in fields)
    assert "Ben _5E Jerry _7E Co_5F" in fields
    assert "C:_5Cpath" in fields
    assert "Zo_C3_AB" in fields
    assert "_5EXZ_7EJR" in fields
    assert "HAZMAT _E2_80_94 GROUND ONLY" in fields
    # Every text field is hex-escaped; only the barcode's data (which never carries ^ or ~) is not.
    assert zpl.count("^FH_^FD") == len(fields) - 1


def test_zpl_escape_round_trips():
    text = "Ben ^ Jerry ~ Co_ \\ Zoë — 東京"
    escaped = zpl_escape(text)

    def unhex(match):
        return bytes.fromhex(match.group().replace("_", "")).decode()

    assert re.sub(r"(?:_[0-9A-F]{2})+", unhex, escaped) == text


# --- packing slip -----------------------------------------------------------------------------------


def make_slip(**overrides) -> PackingSlip:
    fields = {
        "order_number": "SO-000123",
        "placed_at": datetime(2025, 3, 4, 14, 5, tzinfo=UTC),
        "customer": "Great Lakes Grocers",
        "ship_to": ("Great Lakes Grocers - Loop", "233 S Wacker Dr", "", "Chicago IL 60606", "US"),
        "lines": [
            ("SAUCE-PESTO", "Basil Pesto, refrigerated, 7 oz tub", 12, 12, 0),
            ("FRZ-DUMPLING-PORK", "Frozen Pork & Chive Dumplings, 24 ct", 24, 18, 6),
        ],
        "parcels": [("BTN000123456789", 2.4), ("BTN000123456790", "3.15")],
        "notes": "Leave at dock 4.\nRing twice.",
    }
    return PackingSlip(**{**fields, **overrides})


class _Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


def test_slip_html_escapes_script_in_every_field():
    evil = "<script>alert(1)</script>"
    page = slip_html(
        make_slip(
            order_number=f"SO-1{evil}",
            customer=evil,
            ship_to=(evil,),
            notes=evil,
            lines=[(evil, evil, 1, 1, 0)],
            parcels=[(evil, 1)],
        )
    )
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not any(tag == "script" for tag, _ in parse(page).tags)


def test_slip_html_is_self_contained_and_shows_lines_totals_parcels_and_backorders():
    page = slip_html(make_slip())
    collected = parse(page)
    assert not any(tag in ("link", "img", "script", "iframe") for tag, _ in collected.tags)
    assert not any("src" in attrs or "href" in attrs for _, attrs in collected.tags)
    text = " ".join(collected.text)
    for expected in (
        "SO-000123",
        "Placed 2025-03-04 14:05 UTC",
        "Chicago IL 60606",
        "FRZ-DUMPLING-PORK",
        "Frozen Pork & Chive Dumplings, 24 ct",
        "BTN000123456790",
        "3.15 kg",
        "2.40 kg",
        "6 units on backorder will follow",
        "Leave at dock 4.",
    ):
        assert expected in text
    assert re.search(
        r"Total units</td><td class=\"num\">36</td><td class=\"num\">30</td>"
        r"<td class=\"num\">6</td>",
        page,
    )
    assert "<svg" in page  # the order number as a scannable Code 128


def test_slip_html_without_backorders_has_no_backorder_notice():
    page = slip_html(make_slip(lines=[("SAUCE-PESTO", "Basil Pesto", 12, 12, 0)]))
    assert "backorder will follow" not in page


def test_slip_html_can_force_a_paper_size():
    assert "@page { size: A4; }" in slip_html(make_slip(), paper="A4")
    assert "@page { size: letter; }" in slip_html(make_slip(), paper="letter")
    assert "@page { size" not in slip_html(make_slip())
    with pytest.raises(Invalid):
        slip_html(make_slip(), paper="A5")


def test_slip_order_number_outside_code_128_prints_without_a_barcode():
    assert "<svg" not in slip_html(make_slip(order_number="SO-Ä1"))
    assert slip_pdf(make_slip(order_number="SO-Ä1")).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("paper", "media_box"),
    [("letter", [b"0", b"0", b"612", b"792"]), ("A4", [b"0", b"0", b"595.2756", b"841.8898"])],
)
def test_slip_pdf_on_letter_or_a4(paper, media_box):
    pdf = slip_pdf(make_slip(), paper=paper)
    assert pdf.startswith(b"%PDF-")
    assert [box.split() for box in pdf_pages(pdf)] == [media_box]


def test_long_slip_pdf_runs_onto_more_pages():
    lines = [(f"SKU-{n:03d}", f"Item {n}", 2, 1, 1) for n in range(120)]
    assert len(pdf_pages(slip_pdf(make_slip(lines=lines)))) > 1


def test_slip_pdf_survives_markup_and_non_latin_text():
    pdf = slip_pdf(make_slip(customer="<b>Bold & Co</b> <unclosed", notes="Привет — Zoë\n<br/>"))
    assert pdf.startswith(b"%PDF-")


def test_slip_refuses_negative_or_fractional_quantities():
    with pytest.raises(Invalid):
        make_slip(lines=[("X", "X", 1, -1, 0)])
    with pytest.raises(Invalid):
        make_slip(lines=[("X", "X", 1.5, 1, 0)])
    with pytest.raises(Invalid):
        slip_pdf(make_slip(), paper="A5")


def test_placed_at_is_shown_in_utc():
    eastern = timezone(timedelta(hours=-5))
    assert placed_text(datetime(2025, 3, 4, 9, 5, tzinfo=eastern)) == "2025-03-04 14:05 UTC"
    assert placed_text(datetime(2025, 3, 4, 14, 5)) == "2025-03-04 14:05 UTC"
    assert placed_text(date(2025, 3, 4)) == "2025-03-04"
