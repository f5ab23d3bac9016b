"""The packing slip that rides in the parcel: what was ordered, what is in this shipment, what follows."""

import html
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import NamedTuple
from xml.sax.saxutils import escape as xml_escape

from barcode.errors import BarcodeError
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from baton.domain.errors import Invalid
from baton.domain.labels import (
    bar_runs,
    clean,
    code128_pattern,
    draw_code128,
    format_kg,
    pdf_font,
    to_decimal,
)

PAPERS = {"A4": A4, "letter": letter}


class SlipLine(NamedTuple):
    sku: str
    name: str
    qty_ordered: int
    qty_shipped: int
    backordered: int
    lots: str = ""  # a lot-tracked product: the lots shipped, e.g. "Lot L7 (exp. 2027-03-01)"


class SlipParcel(NamedTuple):
    label_code: str
    weight_kg: Decimal


@dataclass(frozen=True)
class PackingSlip:
    order_number: str
    placed_at: datetime | date | str  # naive datetimes are taken as UTC, like every time in Baton
    customer: str
    ship_to: tuple[str, ...]
    lines: tuple[SlipLine, ...]  # plain (sku, name, ordered, shipped, backordered) tuples are fine too
    parcels: tuple[SlipParcel, ...] = ()  # (label_code, weight_kg)
    notes: str = ""

    def __post_init__(self):
        object.__setattr__(self, "ship_to", tuple(line for line in map(clean, self.ship_to) if line))
        lines = tuple(SlipLine(*line) for line in self.lines)
        for line in lines:
            if any(not isinstance(q, int) or q < 0 for q in line[2:5]):
                raise Invalid(
                    f"Quantities of {line.sku} on a packing slip must be whole numbers, 0 or more.",
                    details={"sku": line.sku},
                )
        object.__setattr__(self, "lines", lines)
        parcels = tuple(SlipParcel(code, to_decimal(weight)) for code, weight in self.parcels)
        object.__setattr__(self, "parcels", parcels)
        object.__setattr__(self, "notes", str(self.notes or "").strip())

    @property
    def totals(self) -> tuple[int, int, int]:
        return tuple(sum(line[n] for line in self.lines) for n in (2, 3, 4))


def placed_text(placed_at) -> str:
    if isinstance(placed_at, datetime):
        utc = placed_at.astimezone(UTC) if placed_at.tzinfo else placed_at
        return utc.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(placed_at, date):
        return placed_at.isoformat()
    return clean(placed_at)


def _paper(paper: str) -> str:
    if paper not in PAPERS:
        raise Invalid(f"Paper {paper!r} is not one of {', '.join(PAPERS)}.", details={"paper": paper})
    return paper


def _order_pattern(order_number: str) -> str | None:
    # The slip carries the order number as Code 128 so the packer can scan it; a number python-barcode
    # cannot encode (non-ASCII) is simply printed without one.
    if not order_number or len(order_number) > 40:
        return None
    try:
        return code128_pattern(order_number)
    except BarcodeError:
        return None


def _backorder_note(slip: PackingSlip) -> str:
    units = slip.totals[2]
    if not units:
        return ""
    return f"{units} unit{'s' if units != 1 else ''} on backorder will follow in a later shipment."


# ---------------------------------------------------------------------------------------------------
# HTML

_CSS = """
@page { margin: 12mm; }
* { box-sizing: border-box; }
body { margin: 0; font: 10.5pt/1.35 "Helvetica Neue", Arial, "Liberation Sans", sans-serif; color: #000; }
.slip { max-width: 186mm; margin: 0 auto; }
.lots { font-size: 9pt; color: #333; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 8mm; }
h1 { font-size: 20pt; margin: 0 0 2mm; }
h2 { font-size: 10pt; text-transform: uppercase; letter-spacing: .04em; margin: 0 0 1mm; }
.meta { margin: 0; }
.code svg { display: block; }
.code p { margin: 1mm 0 0; text-align: center; font-family: monospace; }
.parties { display: flex; gap: 8mm; margin: 6mm 0; }
.parties section { flex: 1; border: .3mm solid #000; padding: 3mm; }
.parties p { margin: 0; }
table { width: 100%; border-collapse: collapse; margin-bottom: 4mm; }
th, td { text-align: left; padding: 1.5mm 2mm; border-bottom: .2mm solid #777; vertical-align: top; }
thead th { border-bottom: .4mm solid #000; }
tfoot td { border-top: .4mm solid #000; border-bottom: none; font-weight: bold; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.sku, .label { font-family: monospace; white-space: nowrap; }
.backordered { font-weight: bold; }
.notice { border: .4mm solid #000; padding: 2mm 3mm; font-weight: bold; }
.notes p { white-space: pre-line; margin: 0; }
tr { page-break-inside: avoid; }
thead { display: table-header-group; }
"""


def _lots_html(line: SlipLine) -> str:
    return f'<div class="lots">{html.escape(line.lots)}</div>' if line.lots else ""


def _name_and_lots(line: SlipLine) -> str:
    """The PDF's item cell: the name, and the lots under it (para() escapes the text)."""
    return f"{line.name}\n{line.lots}" if line.lots else line.name


def slip_html(slip: PackingSlip, paper: str | None = None) -> str:
    """The slip as one self-contained printable HTML page (no external assets, all text escaped).

    Without paper, the printer's paper is used; the layout fits both A4 and US Letter.
    """
    e = html.escape
    page = f"@page {{ size: {_paper(paper)}; }}" if paper else ""
    pattern = _order_pattern(slip.order_number)
    code = ""
    if pattern:
        bars = "".join(f'<rect x="{x}" y="0" width="{w}" height="1"/>' for x, w in bar_runs(pattern))
        code = (
            f'<div class="code"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {len(pattern)} 1" '
            f'width="{len(pattern) * 0.33:.2f}mm" height="12mm" preserveAspectRatio="none" '
            f'shape-rendering="crispEdges" role="img" aria-label="Order {e(slip.order_number)}">'
            f"{bars}</svg><p>{e(slip.order_number)}</p></div>"
        )
    rows = "".join(
        f'<tr><td class="sku">{e(str(line.sku))}</td><td>{e(str(line.name))}{_lots_html(line)}</td>'
        f'<td class="num">{line.qty_ordered}</td><td class="num">{line.qty_shipped}</td>'
        f'<td class="num{" backordered" if line.backordered else ""}">{line.backordered}</td></tr>'
        for line in slip.lines
    )
    ordered, shipped, backordered = slip.totals
    parcels = ""
    if slip.parcels:
        parcel_rows = "".join(
            f'<tr><td class="num">{n} of {len(slip.parcels)}</td>'
            f'<td class="label">{e(str(p.label_code))}</td>'
            f'<td class="num">{e(format_kg(p.weight_kg).lower())}</td></tr>'
            for n, p in enumerate(slip.parcels, start=1)
        )
        parcels = (
            '<section class="parcels"><h2>Parcels</h2><table><thead><tr><th class="num">Parcel</th>'
            '<th>Label</th><th class="num">Weight</th></tr></thead>'
            f"<tbody>{parcel_rows}</tbody></table></section>"
        )
    notice = f'<p class="notice">{e(_backorder_note(slip))}</p>' if backordered else ""
    notes = f'<section class="notes"><h2>Notes</h2><p>{e(slip.notes)}</p></section>' if slip.notes else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Packing slip {e(slip.order_number)}</title>
<style>{_CSS}{page}</style>
</head>
<body>
<main class="slip">
<header>
<div><h1>Packing slip</h1>
<p class="meta">Order <strong>{e(slip.order_number)}</strong></p>
<p class="meta">Placed {e(placed_text(slip.placed_at))}</p></div>
{code}
</header>
<div class="parties">
<section><h2>Customer</h2><p>{e(clean(slip.customer))}</p></section>
<section><h2>Ship to</h2><p>{"<br>".join(e(line) for line in slip.ship_to)}</p></section>
</div>
<table class="lines">
<thead><tr><th>SKU</th><th>Item</th><th class="num">Ordered</th><th class="num">Shipped</th>\
<th class="num">Backordered</th></tr></thead>
<tbody>{rows}</tbody>
<tfoot><tr><td colspan="2">Total units</td><td class="num">{ordered}</td><td class="num">{shipped}</td>\
<td class="num">{backordered}</td></tr></tfoot>
</table>
{notice}
{parcels}
{notes}
</main>
</body>
</html>
"""


# ---------------------------------------------------------------------------------------------------
# PDF


class _Code128(Flowable):
    def __init__(self, code: str, module: float, height: float):
        super().__init__()
        self.code, self.module, self.bar_height = code, module, height
        self.width = len(code128_pattern(code)) * module
        self.height = height

    def draw(self):
        draw_code128(self.canv, self.code, 0, 0, self.module, self.bar_height)


def slip_pdf(slip: PackingSlip, paper: str = "letter") -> bytes:
    """The slip as a PDF on A4 or US Letter; long orders run onto more pages, headings repeated."""
    font = pdf_font()  # DejaVu Sans Mono: covers accented and Cyrillic names the built-in fonts cannot
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    heading = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=9, leading=12, spaceAfter=1)
    number_heading = ParagraphStyle("number_heading", parent=heading, alignment=TA_RIGHT)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=18, leading=22)

    def para(text, style=body):
        # Paragraph reads its text as markup: escape it, then keep the slip's line breaks.
        return Paragraph(xml_escape(str(text)).replace("\n", "<br/>"), style)

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=PAPERS[_paper(paper)],
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        author="Baton",
        invariant=True,
        title=f"Packing slip {slip.order_number}",
    )
    width = doc.width

    header_left = [
        Paragraph("Packing slip", title),
        Spacer(0, 2 * mm),
        para(f"Order {slip.order_number}"),
        para(f"Placed {placed_text(slip.placed_at)}"),
    ]
    header_right = []
    if _order_pattern(slip.order_number):
        caption = ParagraphStyle("caption", parent=small, alignment=TA_RIGHT)
        header_right = [_Code128(slip.order_number, 0.9, 12 * mm), para(slip.order_number, caption)]
    header = Table([[header_left, header_right]], colWidths=[width * 0.5, width * 0.5])
    header.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )

    parties = Table(
        [
            [Paragraph("CUSTOMER", heading), Paragraph("SHIP TO", heading)],
            [para(clean(slip.customer)), para("\n".join(slip.ship_to))],
        ],
        colWidths=[width / 2 - 2 * mm, width / 2 - 2 * mm],
        spaceBefore=6 * mm,
        spaceAfter=6 * mm,
    )
    parties.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (0, -1), 0.8, colors.black),
                ("BOX", (1, 0), (1, -1), 0.8, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )

    ordered, shipped, backordered = slip.totals
    rows = [
        [Paragraph("SKU", heading), Paragraph("ITEM", heading)]
        + [Paragraph(h, number_heading) for h in ("ORDERED", "SHIPPED", "BACKORDERED")]
    ]
    rows += [
        [
            para(line.sku, small),
            para(_name_and_lots(line)),
            line.qty_ordered,
            line.qty_shipped,
            line.backordered,
        ]
        for line in slip.lines
    ]
    rows.append([Paragraph("Total units", heading), "", ordered, shipped, backordered])
    lines = Table(
        rows, colWidths=[width * 0.22, width * 0.36, width * 0.12, width * 0.12, width * 0.18], repeatRows=1
    )
    lines.setStyle(
        TableStyle(
            [
                ("FONT", (2, 1), (-1, -1), font, 9),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -2), 0.3, colors.grey),
                ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
                ("SPAN", (0, -1), (1, -1)),
            ]
        )
    )

    story = [header, parties, lines]
    if backordered:
        notice = Table([[para(_backorder_note(slip))]], colWidths=[width], spaceBefore=4 * mm)
        notice.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, colors.black)]))
        story.append(notice)
    if slip.parcels:
        parcel_rows = [
            [Paragraph("PARCEL", heading), Paragraph("LABEL", heading), Paragraph("WEIGHT", number_heading)]
        ]
        parcel_rows += [
            [f"{n} of {len(slip.parcels)}", para(p.label_code), format_kg(p.weight_kg).lower()]
            for n, p in enumerate(slip.parcels, start=1)
        ]
        parcels = Table(
            parcel_rows, colWidths=[width * 0.2, width * 0.5, width * 0.3], repeatRows=1, spaceBefore=6 * mm
        )
        parcels.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 1), (-1, -1), font, 9),
                    ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                    ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ]
            )
        )
        story.append(parcels)
    if slip.notes:
        story += [Spacer(0, 6 * mm), Paragraph("NOTES", heading), para(slip.notes)]

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawRightString(
            doc.pagesize[0] - 15 * mm, 10 * mm, f"Order {clean(slip.order_number)} - page {doc.page}"
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
