from decimal import Decimal

import pytest

from baton.domain.boxes import BOX_CATALOG, INSULATED, MAILER, Box, Item, suggest_box
from baton.domain.errors import Invalid

BOXES = {box.code: box for box in BOX_CATALOG}


def item(sku="SKU", qty=1, dims=("10", "10", "10"), weight="0.5", handling="ambient"):
    return Item(sku, qty, *dims, weight, handling)


def test_catalog_has_a_mailer_four_cartons_and_insulated_boxes():
    kinds = [box.kind for box in BOX_CATALOG]
    assert kinds.count(MAILER) == 1
    assert {"CARTON-S", "CARTON-M", "CARTON-L", "CARTON-XL"} <= set(BOXES)
    assert INSULATED in kinds
    for box in BOX_CATALOG:
        assert box.max_weight_kg > box.tare_kg > 0


def test_flat_light_item_goes_in_the_mailer():
    suggestion = suggest_box([item(dims=("20", "15", "2"), weight="0.2")])
    assert suggestion.box.code == "MAILER"
    assert suggestion.parcels == 1
    assert suggestion.expected_weight_kg == Decimal("0.25")  # 0.2 item + 0.05 mailer
    assert suggestion.note == ""


def test_item_too_thick_for_the_mailer_gets_a_carton():
    assert suggest_box([item(dims=("20", "15", "5"), weight="0.2")]).box.code == "CARTON-S"


def test_small_items_get_the_smallest_carton_that_holds_them():
    # 2 tumblers of 8 x 8 x 12 cm: 1,536 cm3, within the small carton's 2,400 usable (80 % of 3,000).
    suggestion = suggest_box([item("GLASS-TUMBLER-12OZ", 2, ("8", "8", "12"), "0.28", "fragile")])
    assert suggestion.box.code == "CARTON-S"
    assert suggestion.fill_ratio == pytest.approx(1536 / 3000, abs=0.001)
    assert suggestion.expected_weight_kg == Decimal("0.71")  # 2 x 0.28 + 0.15 tare


def test_more_volume_than_the_fill_factor_allows_moves_up_a_size():
    # 4 tumblers: 3,072 cm3 > 2,400 usable in the small carton (80 % of 3,000).
    suggestion = suggest_box([item("GLASS-TUMBLER-12OZ", 4, ("8", "8", "12"), "0.28", "fragile")])
    assert suggestion.box.code == "CARTON-M"


def test_fragile_goods_never_go_in_a_mailer():
    for handling in ("fragile", "hazmat"):
        flat = item(dims=("20", "15", "2"), weight="0.2", handling=handling)
        assert suggest_box([flat]).box.code == "CARTON-S"


def test_weight_limit_moves_heavy_small_goods_to_a_stronger_box():
    # 3 x 1,000 cm3 is over the small carton's 2,400 usable: medium, and 10.5 + 0.35 kg is within its 20.
    heavy = [item("STEEL-WEIGHT", 3, ("10", "10", "10"), "3.5")]
    assert suggest_box(heavy).box.code == "CARTON-M"
    heavier = [item("STEEL-WEIGHT", 6, ("10", "10", "10"), "3.5")]
    # 6,000 cm3 fits the medium's 12,000 usable, but 21 kg + 0.35 is over 20 kg: large carton (25 kg).
    suggestion = suggest_box(heavier)
    assert suggestion.box.code == "CARTON-L"
    assert suggestion.expected_weight_kg == Decimal("21.6")


def test_long_item_needs_a_box_whose_longest_side_fits_it():
    # 38 cm long but thin: volume would fit the small carton, length needs the large (40 cm).
    suggestion = suggest_box([item("BROOM-HANDLE", 1, ("3", "3", "38"), "0.4", "fragile")])
    assert suggestion.box.code == "CARTON-L"


def test_item_fits_in_any_orientation():
    # 28 x 22 x 18 goes in the medium carton (30 x 25 x 20) however its sides are listed.
    for dims in [("28", "22", "18"), ("18", "28", "22"), ("22", "18", "28")]:
        assert suggest_box([item(dims=dims, weight="1", handling="fragile")]).box.code == "CARTON-M"


def test_chilled_and_frozen_goods_only_go_in_insulated_boxes():
    pesto = item("SAUCE-PESTO", 2, ("10", "10", "5"), "0.23", "chilled")
    suggestion = suggest_box([pesto])
    assert suggestion.box.kind == INSULATED
    assert suggestion.box.code == "COLD-M"
    assert suggestion.expected_weight_kg == Decimal("0.46") + BOXES["COLD-M"].tare_kg


def test_one_frozen_item_puts_the_whole_parcel_in_the_cold_box():
    suggestion = suggest_box(
        [
            item("PENCIL-HB", 12, ("18", "1", "1"), "0.01"),
            item("FRZ-DUMPLING-PORK", 1, ("25", "18", "5"), "0.72", "frozen"),
        ]
    )
    assert suggestion.box.code == "COLD-M"


def test_cold_goods_too_big_for_one_insulated_box_split_over_the_largest_insulated_box():
    berries = item("FRZ-BERRY-3LB", 30, ("33", "25", "6"), "1.36", "frozen")
    suggestion = suggest_box([berries])
    assert suggestion.box.code == "COLD-L"
    assert suggestion.parcels > 1
    assert sum(qty for parcel in suggestion.plan for _, qty in parcel.contents) == 30


def test_ambient_goods_never_take_an_insulated_box_even_when_it_is_smaller():
    catalog = [BOXES["CARTON-L"], BOXES["COLD-M"]]
    assert BOXES["COLD-M"].volume_cm3 < BOXES["CARTON-L"].volume_cm3
    assert suggest_box([item()], catalog=catalog).box.code == "CARTON-L"


def test_too_much_for_the_largest_box_splits_into_several_and_says_so():
    # 100 books of 1,224 cm3 and 0.6 kg. An XL carton takes 62 by volume (76,800 cm3 usable) but only
    # 48 by weight (30 kg less 1.1 kg tare): 48 + 48 + 4.
    books = item("BOOK", 100, ("24", "17", "3"), "0.6")
    suggestion = suggest_box([books])
    assert suggestion.box.code == "CARTON-XL"
    assert suggestion.parcels == 3
    assert "split over 3" in suggestion.note
    assert [p.contents for p in suggestion.plan] == [(("BOOK", 48),), (("BOOK", 48),), (("BOOK", 4),)]
    assert all(parcel.weight_kg <= BOXES["CARTON-XL"].max_weight_kg for parcel in suggestion.plan)
    assert suggestion.expected_weight_kg == Decimal("60.0") + 3 * BOXES["CARTON-XL"].tare_kg
    assert suggestion.expected_weight_kg == sum(parcel.weight_kg for parcel in suggestion.plan)


def test_split_tops_up_open_parcels_before_opening_new_ones():
    suggestion = suggest_box(
        [
            item("BOOK", 60, ("24", "17", "3"), "0.6"),
            item("BOOKMARK", 10, ("15", "5", "0.1"), "0.01"),
        ]
    )
    assert suggestion.parcels == 2
    assert suggestion.plan[0].contents == (("BOOK", 48), ("BOOKMARK", 10))
    assert suggestion.plan[1].contents == (("BOOK", 12),)


def test_a_large_quantity_splits_without_enumerating_units():
    suggestion = suggest_box([item("SCREW-BOX", 100_000, ("5", "5", "5"), "0.1")])
    assert suggestion.parcels == 347  # 289 boxes of 0.1 kg per XL carton (28.9 kg of contents)
    assert sum(qty for parcel in suggestion.plan for _, qty in parcel.contents) == 100_000


def test_an_item_bigger_than_every_box_gets_no_box_and_a_reason():
    suggestion = suggest_box([item("PALLET-RACK", 1, ("200", "40", "10"), "30"), item("BOOK", 1)])
    assert suggestion.box is None
    assert suggestion.parcels == 0
    assert "PALLET-RACK" in suggestion.note and "BOOK" not in suggestion.note
    assert suggestion.expected_weight_kg == Decimal("30.5")


def test_an_item_heavier_than_every_box_allows_gets_no_box():
    suggestion = suggest_box([item("ANVIL", 1, ("30", "20", "20"), "40")])
    assert suggestion.box is None
    assert "ANVIL" in suggestion.note


def test_empty_list_and_zero_quantities_need_no_box():
    for items in ([], [item(qty=0)]):
        suggestion = suggest_box(items)
        assert suggestion.box is None
        assert suggestion.parcels == 0
        assert suggestion.expected_weight_kg == 0
        assert suggestion.note == "Nothing to pack."


def test_a_catalog_without_insulated_boxes_cannot_take_cold_goods():
    cartons = [box for box in BOX_CATALOG if box.kind != INSULATED]
    suggestion = suggest_box([item(handling="chilled")], catalog=cartons)
    assert suggestion.box is None
    assert "insulated" in suggestion.note


def test_custom_catalog_and_fill_factor():
    cube = Box("CUBE", "Cube", 10, 10, 10, 5, "0.1")
    assert suggest_box([item(dims=(10, 10, 10))], catalog=[cube], fill_factor=1).box == cube
    assert suggest_box([item(dims=(10, 10, 10))], catalog=[cube]).box is None  # 80 % of a cube holds no cube


def test_floats_are_taken_at_face_value():
    suggestion = suggest_box([Item("X", 3, 10.0, 10.0, 2.0, 0.1, "ambient")])
    assert suggestion.expected_weight_kg == Decimal("0.35")  # 0.3 + 0.05, not 0.35000000000000003


@pytest.mark.parametrize(
    "bad",
    [
        {"qty": -1},
        {"qty": 1.5},
        {"weight": "-1"},
        {"dims": ("10", "NaN", "1")},
        {"handling": "radioactive"},
    ],
)
def test_nonsense_items_are_refused(bad):
    with pytest.raises(Invalid):
        item(**bad)
