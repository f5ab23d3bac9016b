"""The parcel label as ZPL II for 203-dpi thermal printers (Zebra and compatibles), from the shared layout.

Text fields: every field is sent with ^FH (hex escapes, indicator "_") under ^CI28 (UTF-8), and every
character that ZPL would take as a command (^ ~), the escape indicator itself (_), the backslash (which
^FB reads as a line break) and anything outside printable ASCII is sent as "_XX" per UTF-8 byte. So an
address like "Ben ^ Jerry's ~ Co" prints as written and can never end the field or start a command.
Glyphs outside Latin-1 print only if the printer's font 0 has them.

The barcode: the printer draws ^BC itself, but from the exact Code 128 symbols python-barcode chose for
the PNG/SVG/PDF (start code and subset switches spelled as ZPL invocation codes), so every rendering of
a label carries the same bars.
"""

from baton.domain.labels import (
    HEIGHT,
    WIDTH,
    LabelBarcode,
    LabelBox,
    LabelText,
    ParcelLabel,
    code128_symbols,
    label_layout,
)

# ZPL's Code 128 invocation codes (ZPL II Programming Guide, ^BC, "Code 128 Invocation Characters").
_START = {103: ">9", 104: ">:", 105: ">;"}  # start code A, B, C
_SWITCH = {99: ("C", ">5"), 100: ("B", ">6"), 101: ("A", ">7")}  # CODE C, CODE B, CODE A
_SAFE = frozenset(chr(c) for c in range(0x20, 0x7F)) - set("^~_\\")


def label_zpl(label: ParcelLabel) -> str:
    """One label format, ^XA to ^XZ, for a 4 x 6 in label at 203 dpi."""
    out = ["^XA", "^CI28", f"^PW{WIDTH}", f"^LL{HEIGHT}", "^LH0,0"]
    for item in label_layout(label):
        if isinstance(item, LabelBox):
            out.append(f"^FO{item.x},{item.y}^GB{item.w},{item.h},{min(item.w, item.h)}^FS")
        elif isinstance(item, LabelText):
            out.append(_text(item))
        else:
            out.append(_barcode(item))
    out.append("^XZ")
    return "\n".join(out) + "\n"


def zpl_escape(text: str) -> str:
    """Field data for ^FH_: printable ASCII as is, everything else (and ^ ~ _ \\) as _XX UTF-8 bytes."""
    return "".join(ch if ch in _SAFE else "".join(f"_{b:02X}" for b in ch.encode("utf-8")) for ch in text)


def _text(item: LabelText) -> str:
    # ^FO is the field's top-left; font 0's cell is `size` dots tall with the baseline near its foot.
    top = max(0, item.baseline - item.size)
    block = "" if item.align == "left" else f"^FB{item.width},1,0,{'C' if item.align == 'center' else 'R'},0"
    reverse = "^FR" if item.reverse else ""
    return f"^FO{item.x},{top}^A0N,{item.size},{item.size}{block}{reverse}^FH_^FD{zpl_escape(item.text)}^FS"


def _barcode(item: LabelBarcode) -> str:
    return (
        f"^FO{item.x},{item.y}^BY{item.module},3,{item.height}"
        f"^BCN,{item.height},N,N,N,N^FD{zpl_code128_data(item.code)}^FS"
    )


def zpl_code128_data(code: str) -> str:
    """^BC field data that makes the printer draw python-barcode's Code 128 symbols for code."""
    symbols = code128_symbols(code)
    subset = {103: "A", 104: "B", 105: "C"}[symbols[0]]
    out = [_START[symbols[0]]]
    for value in symbols[1:]:
        if value in _SWITCH and _SWITCH[value][0] != subset:
            subset, invocation = _SWITCH[value]
            out.append(invocation)
        elif subset == "C":
            out.append(f"{value:02d}")
        elif value < 64 or (subset == "B" and value < 95):
            char = chr(value + 32)
            if char in "^~>":  # ZPL reads these as commands or invocations; label codes never have them
                raise ValueError(f"Code 128 character {char!r} needs a ZPL invocation code")
            out.append(char)
        else:
            raise ValueError(f"Code 128 value {value} in subset {subset} has no plain ZPL spelling")
    return "".join(out)
