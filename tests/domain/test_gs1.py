from datetime import date

import pytest

from baton.domain.gs1 import gtin14, gtin_forms, read_barcode, same_gtin

EAN_13 = "4006381333931"
UPC_A = "036000291452"
EAN_8 = "73513537"
CASE_GTIN_14 = "10036000291459"  # a case of the UPC-A item above (packaging indicator 1)
GTIN_IN_AI_01 = "09501101530003"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (EAN_13, "04006381333931"),
        (UPC_A, "00036000291452"),
        (EAN_8, "00000073513537"),
        (CASE_GTIN_14, CASE_GTIN_14),
    ],
)
def test_plain_product_codes_of_every_length_read_as_gtin_14(code, expected):
    reading = read_barcode(code)
    assert reading.kind == "gtin"
    assert reading.gtin == expected
    assert reading.text == code
    assert (reading.lot, reading.expiry, reading.count, reading.serial) == (None, None, None, None)


def test_a_upc_a_scanned_as_ean_13_with_a_leading_zero_is_the_same_gtin():
    assert same_gtin(UPC_A, "0" + UPC_A)
    assert same_gtin(UPC_A, "00" + UPC_A)
    assert same_gtin(EAN_8, "000000" + EAN_8)
    assert not same_gtin(UPC_A, EAN_13)


def test_same_gtin_sees_through_gs1_element_strings():
    assert same_gtin(f"(01){GTIN_IN_AI_01}(10)LOT42", "9501101530003")


def test_codes_that_are_not_gtins_are_never_the_same_gtin():
    assert not same_gtin("A03-07-1", "A03-07-1")
    assert not same_gtin("4006381333932", "4006381333932")
    assert gtin14("A03-07-1") is None


def test_a_gtin_can_be_looked_up_in_every_form_a_catalog_stores():
    assert gtin_forms("0" + UPC_A) == ("00036000291452", "0036000291452", UPC_A)
    assert gtin_forms(EAN_8) == ("00000073513537", "0000073513537", "000073513537", EAN_8)
    assert gtin_forms(EAN_13) == ("04006381333931", EAN_13)
    assert gtin_forms("A03-07-1") == ()


def test_a_wrong_check_digit_reads_as_a_plain_label_not_an_error():
    reading = read_barcode("4006381333932")
    assert reading.kind == "plain"
    assert reading.gtin is None
    assert reading.text == "4006381333932"


def test_a_wrong_check_digit_inside_a_gs1_string_reads_as_plain():
    assert read_barcode("]C10109501101530004\x1d10LOT42").kind == "plain"


def test_gs1_128_with_symbology_identifier_and_gs_separators():
    reading = read_barcode(f"]C101{GTIN_IN_AI_01}10LOT42\x1d17251231")
    assert reading.kind == "gs1"
    assert reading.gtin == GTIN_IN_AI_01
    assert reading.lot == "LOT42"
    assert reading.expiry == date(2025, 12, 31)
    assert reading.text == f"(01){GTIN_IN_AI_01}(10)LOT42(17)251231"


def test_parentheses_form_as_printed_under_the_barcode():
    reading = read_barcode(f"(01){GTIN_IN_AI_01}(17)251231(10)LOT42")
    assert reading.kind == "gs1"
    assert (reading.gtin, reading.lot, reading.expiry) == (GTIN_IN_AI_01, "LOT42", date(2025, 12, 31))


def test_parentheses_form_typed_with_spaces():
    assert read_barcode(f"(01) {GTIN_IN_AI_01} (10) LOT42").lot == "LOT42"


def test_datamatrix_with_lot_expiry_and_serial():
    reading = read_barcode(f"]d201{GTIN_IN_AI_01}17260600" + "10B-7731\x1d21SN0042")
    assert reading.kind == "gs1"
    assert reading.gtin == GTIN_IN_AI_01
    assert reading.lot == "B-7731"
    assert reading.expiry == date(2026, 6, 30)  # day 00 means the last day of the month
    assert reading.serial == "SN0042"


def test_gs1_qr_code_with_count_of_items():
    reading = read_barcode(f"]Q301{GTIN_IN_AI_01}3012")
    assert (reading.kind, reading.gtin, reading.count) == ("gs1", GTIN_IN_AI_01, 12)


def test_pallet_label_names_the_contained_item_and_its_count():
    reading = read_barcode(f"]C102{GTIN_IN_AI_01}370024")
    assert (reading.gtin, reading.count) == (GTIN_IN_AI_01, 24)


def test_element_string_without_symbology_identifier_as_phone_cameras_send_it():
    reading = read_barcode(f"01{GTIN_IN_AI_01}10LOT42")
    assert (reading.kind, reading.gtin, reading.lot) == ("gs1", GTIN_IN_AI_01, "LOT42")


def test_gs1_digital_link_qr_code():
    reading = read_barcode(f"https://id.gs1.org/01/{GTIN_IN_AI_01}/10/LOT42")
    assert (reading.kind, reading.gtin, reading.lot) == ("gs1", GTIN_IN_AI_01, "LOT42")


def test_ean_13_with_symbology_identifier():
    reading = read_barcode("]E0" + EAN_13)
    assert (reading.kind, reading.gtin, reading.text) == ("gtin", "04006381333931", EAN_13)


@pytest.mark.parametrize("scan", ["A03-07-1", "]C0A03-07-1", "]Q1A03-07-1", "  A03-07-1\r\n"])
def test_a_location_label_reads_as_plain_text_without_its_symbology_identifier(scan):
    reading = read_barcode(scan)
    assert (reading.kind, reading.text, reading.gtin) == ("plain", "A03-07-1", None)
    assert reading.raw == scan


@pytest.mark.parametrize("scan", ["10ABC", "12345", "]", "", "TOTE-0042"])
def test_internal_labels_that_look_a_little_like_gs1_stay_plain(scan):
    reading = read_barcode(scan)
    assert reading.kind == "plain"
    assert reading.lot is None


def test_read_barcode_never_raises_on_nonsense():
    assert read_barcode(None).kind == "plain"
    assert read_barcode("]C1(01)garbage").kind == "plain"
