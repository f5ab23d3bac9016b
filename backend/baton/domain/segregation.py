"""Which goods may share a cart trip: cold apart from ambient (unless insulated totes), hazmat from food.

Food is what a product's `food` flag says, and every chilled or frozen product: Baton's cold goods are
groceries, and counting a cold non-food as food only keeps hazmat further from it. Within one order the
goods travel together anyway (one tote, one parcel to one customer), so the rules keep orders apart from
each other, never the lines of one order: an order that mixes both sides of a rule shares its trip with
nobody that the rule would keep apart.
"""

COLD_HANDLINGS = frozenset({"chilled", "frozen"})
HAZMAT = "hazmat"

# What a set of goods holds, as bits of one int so a cart's goods are the OR of its orders'.
COLD = 1  # chilled or frozen
AMBIENT = 2  # anything kept at room temperature
DANGEROUS = 4  # hazmat (aerosols, solvents, batteries)
FOOD = 8


def goods(handling: str | None, food: bool = False) -> int:
    """The bits of one product."""
    handling = (handling or "ambient").strip().lower()
    bits = COLD | FOOD if handling in COLD_HANDLINGS else AMBIENT
    if handling == HAZMAT:
        bits |= DANGEROUS
    if food:
        bits |= FOOD
    return bits


def clashes(bits: int, insulated_totes: bool = False) -> int:
    """The bits that goods `bits` must not share a trip with."""
    kept_apart = 0
    if not insulated_totes:
        kept_apart |= AMBIENT if bits & COLD else 0
        kept_apart |= COLD if bits & AMBIENT else 0
    kept_apart |= FOOD if bits & DANGEROUS else 0
    kept_apart |= DANGEROUS if bits & FOOD else 0
    return kept_apart


def may_share(a: int, b: int, insulated_totes: bool = False) -> bool:
    """Whether goods `a` and goods `b` (of different orders) may ride the same cart trip."""
    return not (clashes(a, insulated_totes) & b)
