"""The floor keeps the books: what is written off, moved or returned adds up."""

import uuid

from tests.floor_books import check_books, units_by_location
from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive, staff_work_at


def test_a_second_shortage_on_the_same_stop_writes_off_only_what_is_newly_missing(admin, office, picker):
    add_warehouse(admin, EAST, locations=40)
    staff_work_at(admin, "EAST")
    ink = add_product(office, "INK")
    receive(admin, "EAST", "E02-03", "INK", 6)
    customer = add_customer(office, type="retail", discount_pct="0", ship_policy="partial")
    office.ok("POST", "/orders", order_body(customer["id"], [("INK", 5)], "twice-short"))
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    stop = trip["stops"][0]
    first = picker.ok("POST", f"/tasks/{trip['id']}/shortages", {"stop_id": stop["id"], "found": 3})
    assert (first["expected"], first["found"]) == (5, 3)
    assert units_by_location("INK") == {"E02-03": 4}
    # Counting again, the picker finds only 1 of the 3: two more are missing, not four.
    second = picker.ok("POST", f"/tasks/{trip['id']}/shortages", {"stop_id": stop["id"], "found": 1})
    assert (second["expected"], second["found"]) == (3, 1)
    assert units_by_location("INK") == {"E02-03": 2}
    too_many = picker.post(f"/tasks/{trip['id']}/shortages", {"stop_id": stop["id"], "found": 1})
    assert too_many.status == 422 and too_many.json["error"]["code"] == "invalid_found"
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": trip["id"], "barcode": stop["location_barcode"]}]}
    picker.ok("POST", "/scans", body)
    body = {
        "scans": [{"id": str(uuid.uuid4()), "task_id": trip["id"], "barcode": ink["barcodes"][0]["code"]}]
    }
    assert picker.ok("POST", "/scans", body)["results"][0]["verdict"] == "match"
    assert picker.ok("GET", f"/tasks/{trip['id']}")["status"] == "done"
    check_books()
