"""The board's worded lines: a code and params for the board to word, and the English the API always sent."""

from baton.domain import board_lines


def test_a_stalled_line_keeps_the_stage_code_and_names_it_with_spaces_in_english():
    assert board_lines.stalled("packing", 47) == {
        "code": "stalled",
        "params": {"stage": "packing", "waited_min": 47},
        "message": "stalled in packing for 47 min",
    }
    assert board_lines.stalled("on_hold", 3)["message"] == "stalled in on hold for 3 min"
    assert board_lines.stalled("on_hold", 3)["params"]["stage"] == "on_hold"


def test_a_shortage_line_says_how_it_was_resolved_when_it_was():
    assert board_lines.shortage("INK", "E02-03", 0, 4, "") == {
        "code": "shortage",
        "params": {"sku": "INK", "location": "E02-03", "found": 0, "expected": 4},
        "message": "INK short at E02-03: found 0 of 4",
    }
    resolved = board_lines.shortage("INK", "E02-03", 1, 4, "backordered")
    assert resolved["code"] == "shortage_resolved" and resolved["params"]["resolution"] == "backordered"
    assert resolved["message"] == "INK short at E02-03: found 1 of 4 (backordered)"
