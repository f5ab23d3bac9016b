"""Which box a packer should reach for: the smallest one in the catalog that holds the items safely."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from baton.domain import segregation
from baton.domain.carriers import DEFAULT_HANDLING, HANDLINGS
from baton.domain.errors import Invalid

# Share of a box's inner volume that products can really use: the rest is void fill and the gaps
# left by rectangular items that do not tile the box.
FILL_FACTOR = Decimal("0.8")

MAILER, CARTON, INSULATED, PALLET = "mailer", "carton", "insulated", "pallet"
COLD_HANDLINGS = segregation.COLD_HANDLINGS
# A padded mailer gives no crush protection and no containment for a leak.
MAILER_HANDLINGS = frozenset({"ambient", "antistatic"})


def _decimal(value, what: str) -> Decimal:
    # Floats go through str() so 0.1 stays 0.1 instead of 0.1000000000000000055...
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or number < 0:
        raise Invalid(f"{what} must be a number of zero or more, not {value!r}.", details={"field": what})
    return number


@dataclass(frozen=True)
class Box:
    """A shipping container; max_weight_kg is the gross limit (contents plus the box itself)."""

    code: str
    name: str
    inner_l_cm: Decimal
    inner_w_cm: Decimal
    inner_h_cm: Decimal
    max_weight_kg: Decimal
    tare_kg: Decimal
    kind: str = CARTON

    def __post_init__(self):
        for name in ("inner_l_cm", "inner_w_cm", "inner_h_cm", "max_weight_kg", "tare_kg"):
            object.__setattr__(self, name, _decimal(getattr(self, name), name))

    @property
    def volume_cm3(self) -> Decimal:
        return self.inner_l_cm * self.inner_w_cm * self.inner_h_cm

    @property
    def dims(self) -> tuple[Decimal, Decimal, Decimal]:
        return tuple(sorted((self.inner_l_cm, self.inner_w_cm, self.inner_h_cm), reverse=True))

    @property
    def max_contents_kg(self) -> Decimal:
        return self.max_weight_kg - self.tare_kg


# Insulated boxes give their inner size net of the gel packs, and their tare includes the packs.
BOX_CATALOG = (
    Box("MAILER", "Padded mailer", "28", "20", "4", "2", "0.05", kind=MAILER),
    Box("CARTON-S", "Small carton", "20", "15", "10", "10", "0.15"),
    Box("CARTON-M", "Medium carton", "30", "25", "20", "20", "0.35"),
    Box("CARTON-L", "Large carton", "40", "30", "30", "25", "0.6"),
    Box("CARTON-XL", "Extra-large carton", "60", "40", "40", "30", "1.1"),
    Box("COLD-M", "Insulated shipper with gel packs, medium", "30", "22", "20", "20", "1.8", kind=INSULATED),
    Box("COLD-L", "Insulated shipper with gel packs, large", "40", "30", "28", "30", "3.2", kind=INSULATED),
    # A pallet's "inner" size is its deck and the highest load LTL carriers take without a surcharge;
    # its max weight is the load it is rated for plus its own tare.
    Box(
        "PALLET-48x40", "GMA pallet 48x40 in, loaded to 60 in", "122", "102", "152", "1025", "25", kind=PALLET
    ),
    Box("PALLET-HALF", "Half pallet 48x20 in, loaded to 48 in", "122", "51", "122", "470", "14", kind=PALLET),
)

# What national parcel networks take at most per package: 150 lb, 108 in longest side. A unit
# beyond either (a 50-gallon drum weighs ~200 kg filled) goes as freight on a pallet.
PARCEL_MAX_KG = Decimal("68")
PARCEL_MAX_LENGTH_CM = Decimal("274")


@dataclass(frozen=True)
class Item:
    """qty units of one SKU, each l x w x h cm (any orientation) weighing weight_kg."""

    sku: str
    qty: int
    l_cm: Decimal
    w_cm: Decimal
    h_cm: Decimal
    weight_kg: Decimal
    handling: str = DEFAULT_HANDLING

    def __post_init__(self):
        if not isinstance(self.qty, int) or self.qty < 0:
            raise Invalid(
                f"Quantity of {self.sku} must be a whole number of zero or more.",
                details={"sku": self.sku, "field": "qty"},
            )
        for name in ("l_cm", "w_cm", "h_cm", "weight_kg"):
            object.__setattr__(self, name, _decimal(getattr(self, name), f"{self.sku} {name}"))
        handling = (self.handling or DEFAULT_HANDLING).strip().lower()
        if handling not in HANDLINGS:
            raise Invalid(
                f"Unknown handling {self.handling!r} for {self.sku}.",
                details={"sku": self.sku, "field": "handling"},
            )
        object.__setattr__(self, "handling", handling)

    @property
    def unit_volume_cm3(self) -> Decimal:
        return self.l_cm * self.w_cm * self.h_cm

    @property
    def dims(self) -> tuple[Decimal, Decimal, Decimal]:
        return tuple(sorted((self.l_cm, self.w_cm, self.h_cm), reverse=True))


@dataclass(frozen=True)
class PlannedParcel:
    contents: tuple[tuple[str, int], ...]  # (sku, qty) in the order the items were given
    weight_kg: Decimal  # contents plus the box's tare: what the pack-station scale should read
    fill_ratio: float  # contents' volume / the box's inner volume


@dataclass(frozen=True)
class Suggestion:
    box: Box | None
    parcels: int
    expected_weight_kg: Decimal  # all parcels together, tare included
    fill_ratio: float  # contents' volume / the inner volume of all parcels
    note: str = ""
    plan: tuple[PlannedParcel, ...] = field(default=())


def suggest_box(items, catalog=BOX_CATALOG, fill_factor: Decimal = FILL_FACTOR) -> Suggestion:
    """The box for items that travel together, or a split over several of the largest box.

    Any chilled or frozen item puts the whole parcel in an insulated box; fragile and hazmat goods never
    go in a mailer. A box fits when every item fits its inner dimensions (longest side against longest
    side, and so on), the items' volume is within fill_factor of its inner volume, and contents plus
    tare are within its weight limit. The smallest box by volume that fits wins.
    """
    items = [item for item in items if item.qty > 0]
    if not items:
        return Suggestion(None, 0, Decimal("0"), 0.0, note="Nothing to pack.")
    fill_factor = _decimal(fill_factor, "fill_factor")
    boxes = sorted(_eligible_boxes(items, catalog), key=lambda b: (b.volume_cm3, b.tare_kg, b.code))
    if not boxes:
        kinds = (
            "pallet" if needs_pallet(items) else "insulated box" if _is_cold(items) else "carton or mailer"
        )
        kinds = f"an {kinds}" if kinds[0] == "i" else f"a {kinds}"
        return _no_box(items, f"The catalog has no {kinds} for these goods.")

    volume = sum(item.qty * item.unit_volume_cm3 for item in items)
    weight = sum(item.qty * item.weight_kg for item in items)
    for box in boxes:
        if (
            all(_unit_fits(item, box) for item in items)
            and volume <= fill_factor * box.volume_cm3
            and weight + box.tare_kg <= box.max_weight_kg
        ):
            return _suggestion(box, [[(item, item.qty) for item in items]], "")

    largest = boxes[-1]
    misfits = [
        item.sku
        for item in items
        if not _unit_fits(item, largest) or item.unit_volume_cm3 > fill_factor * largest.volume_cm3
    ]
    if misfits:
        return _no_box(
            items,
            f"No box in the catalog holds one unit of {', '.join(misfits)}: "
            "ship it in its own packaging or by freight.",
        )
    parcels = _split(items, largest, fill_factor)
    note = f"Too much for one {largest.name.lower()}: split over {len(parcels)} of them ({largest.code})."
    return _suggestion(largest, parcels, note)


def needs_pallet(items) -> bool:
    """Goods that cannot go as parcels: a unit over the parcel networks' weight or length limit."""
    return any(
        item.qty > 0 and (item.weight_kg > PARCEL_MAX_KG or item.dims[0] > PARCEL_MAX_LENGTH_CM)
        for item in items
    )


def _is_cold(items) -> bool:
    return any(item.handling in COLD_HANDLINGS for item in items)


def _eligible_boxes(items, catalog) -> list[Box]:
    if needs_pallet(items):
        return [box for box in catalog if box.kind == PALLET]
    if _is_cold(items):
        return [box for box in catalog if box.kind == INSULATED]
    # Insulated boxes cost several times a carton; keep them for goods that need them.
    mailer_ok = all(item.handling in MAILER_HANDLINGS for item in items)
    return [box for box in catalog if box.kind == CARTON or (box.kind == MAILER and mailer_ok)]


def _unit_fits(item: Item, box: Box) -> bool:
    return (
        all(i <= b for i, b in zip(item.dims, box.dims, strict=True))
        and item.weight_kg <= box.max_contents_kg
    )


def _split(items, box: Box, fill_factor: Decimal) -> list[list[tuple[Item, int]]]:
    # First fit decreasing, a line at a time: top up the open parcels with the bulkiest goods first,
    # then fill new parcels arithmetically so a line of 10,000 units costs no more than a line of 10.
    capacity_volume = fill_factor * box.volume_cm3
    capacity_weight = box.max_contents_kg
    parcels: list[dict] = []  # {"volume", "weight", "lines"}
    for item in sorted(items, key=lambda i: (i.unit_volume_cm3, i.weight_kg), reverse=True):
        remaining = item.qty
        for parcel in parcels:
            if not remaining:
                break
            volume_left = capacity_volume - parcel["volume"]
            take = min(remaining, _units_that_fit(item, volume_left, capacity_weight - parcel["weight"]))
            if take:
                _add(parcel, item, take)
                remaining -= take
        per_parcel = _units_that_fit(item, capacity_volume, capacity_weight)
        while remaining:
            parcel = {"volume": Decimal(0), "weight": Decimal(0), "lines": []}
            _add(parcel, item, min(remaining, per_parcel))
            remaining -= min(remaining, per_parcel)
            parcels.append(parcel)
    order = {id(item): n for n, item in enumerate(items)}
    return [sorted(parcel["lines"], key=lambda line: order[id(line[0])]) for parcel in parcels]


def _units_that_fit(item: Item, volume: Decimal, weight: Decimal) -> int:
    limits = []
    if item.unit_volume_cm3 > 0:
        limits.append(volume / item.unit_volume_cm3)
    if item.weight_kg > 0:
        limits.append(weight / item.weight_kg)
    return max(0, math.floor(min(limits))) if limits else 10**9


def _add(parcel: dict, item: Item, qty: int) -> None:
    parcel["volume"] += qty * item.unit_volume_cm3
    parcel["weight"] += qty * item.weight_kg
    parcel["lines"].append((item, qty))


def _suggestion(box: Box, parcels: list[list[tuple[Item, int]]], note: str) -> Suggestion:
    plan = []
    for lines in parcels:
        volume = sum(qty * item.unit_volume_cm3 for item, qty in lines)
        weight = sum(qty * item.weight_kg for item, qty in lines) + box.tare_kg
        plan.append(
            PlannedParcel(
                contents=tuple((item.sku, qty) for item, qty in lines),
                weight_kg=weight,
                fill_ratio=_ratio(volume, box.volume_cm3),
            )
        )
    total_volume = sum(qty * item.unit_volume_cm3 for lines in parcels for item, qty in lines)
    return Suggestion(
        box=box,
        parcels=len(plan),
        expected_weight_kg=sum((p.weight_kg for p in plan), Decimal(0)),
        fill_ratio=_ratio(total_volume, box.volume_cm3 * len(plan)),
        note=note,
        plan=tuple(plan),
    )


def _no_box(items, note: str) -> Suggestion:
    weight = sum((item.qty * item.weight_kg for item in items), Decimal(0))
    return Suggestion(None, 0, weight, 0.0, note=note)


def _ratio(part: Decimal, whole: Decimal) -> float:
    return round(float(part / whole), 3) if whole else 0.0
