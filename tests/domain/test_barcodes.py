import pytest

from baton.domain.barcodes import gtin_with_check_digit, validate_barcode
from baton.domain.errors import InvalidBarcode


@pytest.mark.parametrize("code", ["4006381333931", "73513537", "036000291452", "98412345678908"])
def test_valid_gtins_of_every_length_pass(code):
    assert validate_barcode(code) == code


def test_whitespace_around_a_scan_is_stripped():
    assert validate_barcode("  4006381333931\n") == "4006381333931"


def test_gtin_with_wrong_check_digit_is_rejected_with_the_expected_digit():
    with pytest.raises(InvalidBarcode) as error:
        validate_barcode("4006381333932")
    assert "check digit" in error.value.message
    assert "should end in 1" in error.value.message
    assert error.value.details["problem"] == "check_digit"


@pytest.mark.parametrize("code", ["1234567", "1234567890", "123456789012345", "5"])
def test_all_digit_codes_of_other_lengths_are_rejected(code):
    with pytest.raises(InvalidBarcode) as error:
        validate_barcode(code)
    assert error.value.details["problem"] == "length"


@pytest.mark.parametrize("code", ["A03-07", "TOTE-0042", "CASE/12 X", "x" * 48])
def test_internal_code_128_labels_pass(code):
    assert validate_barcode(code) == code


@pytest.mark.parametrize("code", ["", "   ", None])
def test_empty_scan_is_rejected(code):
    with pytest.raises(InvalidBarcode):
        validate_barcode(code)


def test_internal_label_longer_than_48_is_rejected():
    with pytest.raises(InvalidBarcode):
        validate_barcode("x" * 49)


@pytest.mark.parametrize("code", ["A03\t07", "BIN-Ä1", "TOTE\x00"])
def test_internal_label_with_unprintable_or_non_ascii_characters_is_rejected(code):
    with pytest.raises(InvalidBarcode):
        validate_barcode(code)


def test_non_ascii_digits_are_not_taken_for_a_gtin():
    with pytest.raises(InvalidBarcode):
        validate_barcode("٤٠٠٦٣٨١٣٣٣٩٣١")  # Arabic-Indic digits


def test_check_digit_helper_builds_valid_gtins():
    assert gtin_with_check_digit("400638133393") == "4006381333931"
    for body in ["1234567", "12345678901", "123456789012", "1234567890123"]:
        assert validate_barcode(gtin_with_check_digit(body)).startswith(body)


@pytest.mark.parametrize("body", ["123", "12345678", "ABCDEFG"])
def test_check_digit_helper_rejects_bodies_of_wrong_shape(body):
    with pytest.raises(InvalidBarcode):
        gtin_with_check_digit(body)
