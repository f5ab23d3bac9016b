# ruff: noqa: RUF001 -- the messages use a real multiplication sign: "take 3 times Blue pen"
import pytest

from baton.domain.errors import Invalid, NotFound
from baton.domain.scanning import (
    DUPLICATE,
    MATCH,
    MESSAGES,
    OVER_PICK,
    UNKNOWN_BARCODE,
    VERDICTS,
    WRONG_ITEM,
    WRONG_LOCATION,
    StopView,
    TaskView,
    judge_scan,
)

BLUE_PEN = "036000291452"  # UPC-A, stored as printed
BLUE_PEN_CASE = "10036000291459"  # GTIN-14 of a case of 12 blue pens
RED_PEN = "4006381333931"
PAD = "73513537"
STAPLER = "96385074"  # in the catalog, in no stop of this task
PALLET_GTIN = "09501101530003"


def stop(
    stop_id,
    location,
    sku,
    qty,
    picked=0,
    short=False,
    barcodes=None,
    name="",
    bin_scanned=False,
    item_scanned=False,
):
    return StopView(
        stop_id=stop_id,
        location_code=location,
        location_barcode=f"{location}-1",
        sku=sku,
        qty=qty,
        picked=picked,
        short=short,
        item_barcodes=barcodes or {},
        name=name,
        bin_scanned=bin_scanned,
        item_scanned=item_scanned,
    )


def task(*stops, other=None):
    return TaskView(
        task_id=7,
        stops=stops,
        other_barcodes=other
        if other is not None
        else {STAPLER: "item:STAPLER", "A09-01-1": "location:A09-01"},
    )


def blue_pens(qty=3, picked=0, **kwargs):
    return stop(
        1,
        "A05-02",
        "PEN-BLUE",
        qty,
        picked,
        barcodes={BLUE_PEN: 1, BLUE_PEN_CASE: 12},
        name="Blue pen",
        **kwargs,
    )


def red_pens(qty=2, picked=0, **kwargs):
    return stop(2, "A03-07", "PEN-RED", qty, picked, barcodes={RED_PEN: 1}, **kwargs)


def pads(qty=1, picked=0, **kwargs):
    return stop(3, "B01-04", "PAD-A5", qty, picked, barcodes={PAD: 1, PALLET_GTIN: 1}, **kwargs)


def test_verdicts_are_the_ones_the_api_promises():
    assert VERDICTS == (
        "match",
        "wrong_item",
        "wrong_location",
        "wrong_lot",
        "over_pick",
        "unknown_barcode",
        "duplicate",
        "cancelled",
    )
    assert DUPLICATE == "duplicate"


def test_scanning_the_current_bin_confirms_it_and_says_what_to_take():
    verdict = judge_scan(task(blue_pens(), red_pens()), "A05-02-1")
    assert (verdict.verdict, verdict.stop_id, verdict.units) == (MATCH, 1, 0)
    assert verdict.message == "Bin A05-02 confirmed — take 3 × Blue pen"


def test_bin_confirmation_names_the_sku_when_the_product_has_no_name():
    verdict = judge_scan(task(red_pens(picked=1)), "A03-07-1")
    assert verdict.message == "Bin A03-07 confirmed — take 1 × PEN-RED"


def test_bin_labels_match_whatever_the_case_and_symbology_identifier():
    assert judge_scan(task(blue_pens()), "]C0a05-02-1\r\n").verdict == MATCH


def test_scanning_the_wrong_bin_says_where_to_go():
    verdict = judge_scan(task(blue_pens(), red_pens()), "A03-07-1")
    assert (verdict.verdict, verdict.stop_id, verdict.units) == (WRONG_LOCATION, 1, 0)
    assert verdict.message == "Wrong bin: you scanned A03-07 — go to A05-02"


def test_scanning_a_bin_outside_the_task_says_where_to_go():
    verdict = judge_scan(task(blue_pens()), "A09-01-1")
    assert verdict.verdict == WRONG_LOCATION
    assert verdict.message == "Wrong bin: you scanned A09-01 — go to A05-02"


def test_scanning_the_item_counts_one_unit():
    verdict = judge_scan(task(blue_pens(), red_pens()), BLUE_PEN)
    assert (verdict.verdict, verdict.stop_id, verdict.units) == (MATCH, 1, 1)
    assert verdict.message == "Got 1 × Blue pen — 1 of 3"


def test_a_upc_a_item_scanned_as_ean_13_with_a_leading_zero_matches():
    verdict = judge_scan(task(blue_pens()), "0" + BLUE_PEN)
    assert (verdict.verdict, verdict.units) == (MATCH, 1)


def test_a_gs1_element_string_matches_the_item_by_its_gtin():
    verdict = judge_scan(task(blue_pens()), f"]C10100{BLUE_PEN}10LOT42\x1d17251231")
    assert (verdict.verdict, verdict.units) == (MATCH, 1)


def test_the_parentheses_form_matches_the_item_by_its_gtin():
    assert judge_scan(task(blue_pens()), f"(01)00{BLUE_PEN}(10)LOT42").units == 1


def test_a_case_barcode_counts_the_units_in_the_case():
    verdict = judge_scan(task(blue_pens(qty=24)), BLUE_PEN_CASE)
    assert (verdict.verdict, verdict.units) == (MATCH, 12)
    assert verdict.message == "Got 12 × Blue pen — 12 of 24"


def test_a_keyed_in_quantity_multiplies_the_scan():
    assert judge_scan(task(blue_pens(qty=3)), BLUE_PEN, qty=3).units == 3
    assert judge_scan(task(blue_pens(qty=36)), BLUE_PEN_CASE, qty=2).units == 24


def test_a_count_in_the_barcode_multiplies_the_units_per_scan():
    # A GS1 label with AI 37 says "this unit holds 24 of the item in AI 02".
    verdict = judge_scan(task(pads(qty=48)), f"]C102{PALLET_GTIN}3724")
    assert (verdict.verdict, verdict.units) == (MATCH, 24)


def test_a_variable_count_label_with_ai_30_counts_its_items():
    assert judge_scan(task(pads(qty=10)), f"]d201{PALLET_GTIN}305").units == 5


def test_the_last_unit_of_a_stop_says_which_bin_is_next():
    verdict = judge_scan(task(blue_pens(picked=2), red_pens()), BLUE_PEN)
    assert (verdict.verdict, verdict.units) == (MATCH, 1)
    assert verdict.message == "Got 1 × Blue pen — 3 of 3, next bin A03-07"


def test_the_last_unit_of_the_task_says_all_stops_are_done():
    verdict = judge_scan(task(blue_pens(), red_pens(picked=1)), RED_PEN, stop_id=2)
    assert verdict.message == "Got 1 × PEN-RED — 2 of 2, next bin A05-02"
    verdict = judge_scan(task(blue_pens(picked=3), red_pens(picked=1)), RED_PEN)
    assert verdict.message == "Got 1 × PEN-RED — 2 of 2, all stops done"


def test_scanning_another_item_of_the_task_says_which_to_take():
    verdict = judge_scan(task(red_pens(), blue_pens()), BLUE_PEN)
    assert (verdict.verdict, verdict.stop_id, verdict.units) == (WRONG_ITEM, 2, 0)
    assert verdict.message == "Wrong item: that is PEN-BLUE — take PEN-RED"


def test_scanning_a_catalog_item_outside_the_task_says_which_to_take():
    verdict = judge_scan(task(blue_pens()), STAPLER)
    assert verdict.verdict == WRONG_ITEM
    assert verdict.message == "Wrong item: that is STAPLER — take PEN-BLUE"


def test_catalog_barcodes_are_found_in_any_gtin_form():
    verdict = judge_scan(task(blue_pens(), other={"0" + RED_PEN: "item:PEN-RED"}), RED_PEN)
    assert verdict.message == "Wrong item: that is PEN-RED — take PEN-BLUE"


def test_scanning_one_more_at_a_complete_stop_says_to_put_it_back():
    verdict = judge_scan(task(red_pens(qty=2, picked=2), blue_pens()), RED_PEN, stop_id=2)
    assert (verdict.verdict, verdict.stop_id, verdict.units) == (OVER_PICK, 2, 0)
    assert verdict.message == "Too many: all 2 × PEN-RED already counted — put it back"


def test_a_case_bigger_than_what_is_left_counts_nothing_and_says_what_is_left():
    verdict = judge_scan(task(blue_pens(qty=3, picked=1)), BLUE_PEN_CASE)
    assert (verdict.verdict, verdict.units) == (OVER_PICK, 0)
    assert verdict.message == "Too many: 12 would make 13 of 3 — nothing counted, 2 to take"


def test_a_typed_count_too_big_before_anything_was_counted_never_says_put_back():
    verdict = judge_scan(task(blue_pens(qty=3)), BLUE_PEN, qty=4)
    assert (verdict.verdict, verdict.units) == (OVER_PICK, 0)
    assert verdict.message == "Too many: 4 would make 4 of 3 — nothing counted, 3 to take"
    assert "back" not in verdict.message


# Bin-first picking (FloorSettings.bin_scan_first): the bin label, then one unit, then a typed count.


def bin_first(*stops):
    return TaskView(task_id=7, stops=stops, bin_first=True)


def test_bin_first_refuses_the_item_before_its_bins_label():
    verdict = judge_scan(bin_first(blue_pens()), BLUE_PEN)
    assert (verdict.verdict, verdict.stop_id, verdict.units) == (WRONG_LOCATION, 1, 0)
    assert verdict.message == "Scan the bin first: A05-02, then the item"


def test_bin_first_counts_the_item_once_the_bin_was_scanned():
    verdict = judge_scan(bin_first(blue_pens(bin_scanned=True)), BLUE_PEN)
    assert (verdict.verdict, verdict.units) == (MATCH, 1)


def test_bin_first_refuses_a_typed_count_before_one_unit_was_scanned():
    verdict = judge_scan(bin_first(blue_pens(qty=24, bin_scanned=True)), BLUE_PEN, qty=24)
    assert (verdict.verdict, verdict.units) == (WRONG_ITEM, 0)
    assert verdict.message == "Scan one Blue pen first, then type the count"
    counted = judge_scan(
        bin_first(blue_pens(qty=24, picked=1, bin_scanned=True, item_scanned=True)), BLUE_PEN, qty=23
    )
    assert (counted.verdict, counted.units) == (MATCH, 23)


def test_bin_first_takes_a_typed_count_of_whole_cases():
    verdict = judge_scan(bin_first(blue_pens(qty=24, bin_scanned=True)), BLUE_PEN_CASE, qty=2)
    assert (verdict.verdict, verdict.units) == (MATCH, 24)


def test_bin_first_off_counts_the_item_and_the_typed_count_as_before():
    assert judge_scan(task(blue_pens()), BLUE_PEN).units == 1
    assert judge_scan(task(blue_pens(qty=24)), BLUE_PEN, qty=24).units == 24


def test_bin_first_still_tells_another_stops_item_from_the_right_one():
    verdict = judge_scan(bin_first(blue_pens(), red_pens()), RED_PEN)
    assert verdict.verdict == WRONG_ITEM


def test_an_unknown_barcode_asks_for_the_bin_or_the_item():
    verdict = judge_scan(task(blue_pens()), "1234")
    assert (verdict.verdict, verdict.stop_id, verdict.units) == (UNKNOWN_BARCODE, 1, 0)
    assert verdict.message == "Unknown barcode 1234 — scan the bin label or the item"


def test_a_misread_check_digit_is_an_unknown_barcode_not_the_item():
    wrong_check_digit = BLUE_PEN[:-1] + "3"
    verdict = judge_scan(task(blue_pens()), wrong_check_digit)
    assert verdict.verdict == UNKNOWN_BARCODE
    assert verdict.message == f"Unknown barcode {wrong_check_digit} — scan the bin label or the item"


def test_a_very_long_unknown_barcode_is_shortened_on_screen():
    verdict = judge_scan(task(blue_pens()), "X" * 80)
    assert "X" * 31 + "…" in verdict.message
    assert "X" * 32 not in verdict.message


def test_the_current_stop_skips_stops_done_or_reported_short():
    current = task(blue_pens(picked=3), red_pens(short=True), pads())
    assert judge_scan(current, "B01-04-1").message == "Bin B01-04 confirmed — take 1 × PAD-A5"
    assert judge_scan(current, "A05-02-1").message == "Wrong bin: you scanned A05-02 — go to B01-04"


def test_an_explicit_stop_id_judges_against_that_stop():
    two_stops = task(blue_pens(), red_pens())
    verdict = judge_scan(two_stops, RED_PEN, stop_id=2)
    assert (verdict.verdict, verdict.stop_id, verdict.units) == (MATCH, 2, 1)
    assert judge_scan(two_stops, "A05-02-1", stop_id=2).verdict == WRONG_LOCATION


def test_an_explicit_stop_already_done_says_so_at_its_bin():
    verdict = judge_scan(task(blue_pens(picked=3), red_pens()), "A05-02-1", stop_id=1)
    assert (verdict.verdict, verdict.units) == (MATCH, 0)
    assert verdict.message == "Bin A05-02: all 3 × Blue pen already taken"


def test_a_stop_id_outside_the_task_is_not_found():
    with pytest.raises(NotFound):
        judge_scan(task(blue_pens()), BLUE_PEN, stop_id=99)


@pytest.mark.parametrize("qty", [0, -1])
def test_a_scan_must_count_at_least_one(qty):
    with pytest.raises(Invalid):
        judge_scan(task(blue_pens()), BLUE_PEN, qty=qty)


@pytest.mark.parametrize("scan", [BLUE_PEN, "A05-02-1", "1234"])
def test_with_everything_picked_every_scan_says_all_stops_done(scan):
    verdict = judge_scan(task(blue_pens(picked=3), red_pens(short=True)), scan)
    assert (verdict.verdict, verdict.stop_id, verdict.units) == (OVER_PICK, None, 0)
    assert verdict.message == MESSAGES["all_done"] == "All stops done — nothing left to pick"


def pack_task(*stops):
    return TaskView(task_id=9, stops=stops, task_type="pack")


def test_a_packer_checking_items_reads_packing_words_not_picking_ones():
    blue = stop(1, "A05-02", "PEN-BLUE", 2, barcodes={BLUE_PEN: 1}, name="Blue pen")
    assert judge_scan(pack_task(blue), BLUE_PEN).message == "Checked 1 × Blue pen — 1 of 2"
    last = judge_scan(pack_task(stop(1, "A05-02", "PEN-BLUE", 2, picked=1, barcodes={BLUE_PEN: 1})), BLUE_PEN)
    assert last.message == "Checked 1 × PEN-BLUE — everything is checked: weigh and close the parcel"
    assert last.key == "pack_last_checked"
    too_many = judge_scan(pack_task(blue), BLUE_PEN, qty=3)
    assert (too_many.verdict, too_many.message) == (
        OVER_PICK,
        "Too many: 3 of 2 — this parcel takes 2; set 1 aside",
    )
    done = judge_scan(pack_task(stop(1, "A05-02", "PEN-BLUE", 2, picked=2, barcodes={BLUE_PEN: 1})), BLUE_PEN)
    assert done.message == "Everything is checked — weigh and close the parcel"
    assert "pick" not in done.message
    assert judge_scan(pack_task(blue), "A05-02-1").message == "That is a bin label (A05-02) — scan the item"


def test_a_pick_keeps_the_picking_words():
    blue = stop(1, "A05-02", "PEN-BLUE", 2, picked=2, barcodes={BLUE_PEN: 1})
    assert judge_scan(task(blue), BLUE_PEN).message == MESSAGES["all_done"]
