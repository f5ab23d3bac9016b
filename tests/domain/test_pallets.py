"""Pallets in the box suggestion: goods that cannot go as parcels go on a pallet."""

from baton.domain.boxes import PALLET, Item, needs_pallet, suggest_box


def drum(qty=1):
    # A 55-gallon (208 l) steel drum, filled: about 58 cm across, 88 cm tall, 200 kg.
    return Item("DRUM-55", qty, "58", "58", "88", "200", "hazmat")


def test_a_filled_50_gallon_drum_needs_a_pallet():
    assert needs_pallet([drum()])
    suggestion = suggest_box([drum()])
    assert suggestion.box.kind == PALLET and suggestion.box.code == "PALLET-48x40"
    assert suggestion.expected_weight_kg == 225  # 200 kg drum + 25 kg pallet


def test_a_unit_over_the_parcel_weight_limit_needs_a_pallet_even_if_small():
    ingot = Item("INGOT", 1, "30", "10", "10", "70")
    assert needs_pallet([ingot])
    assert suggest_box([ingot]).box.kind == PALLET


def test_a_unit_longer_than_parcel_networks_take_needs_a_pallet():
    assert needs_pallet([Item("PIPE-3M", 1, "300", "8", "8", "12")])


def test_ordinary_goods_stay_in_cartons_and_never_get_a_pallet():
    items = [Item("SPICE", 40, "8", "8", "12", "0.3")]
    assert not needs_pallet(items)
    assert suggest_box(items).box.kind != PALLET


def test_six_drums_split_over_pallets_by_load():
    suggestion = suggest_box([drum(6)])
    assert suggestion.box.kind == PALLET
    assert suggestion.parcels == 2  # 1,000 kg of load per pallet: 5 + 1 drums
    assert [p.contents for p in suggestion.plan] == [(("DRUM-55", 5),), (("DRUM-55", 1),)]
