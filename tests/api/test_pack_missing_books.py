"""Missing items keep the books exact: written off from the pack bench, brought back to it by a pick."""

from tests.api.test_packing_checks import (
    bench,
    events_of,
    pack_task,
    parcels,
    pick_all,
    place,
    scan,
    unit_barcode,
)
from tests.floor_books import check_books, units_by_location
from tests.support import receive

__all__ = ["bench"]


def test_a_unit_missing_at_the_bench_is_written_off_there_and_the_one_found_is_carried_to_it(
    admin, office, picker, packer, bench
):
    receive(admin, "EAST", "E02-08", "KETTLE", 3)
    order = place(office, [("KETTLE", 4)])
    pick_all(admin, picker, bench)
    task = pack_task(packer, bench, check={"KETTLE": 3})
    place_of_bench = f"PACK-{task['id']}"
    assert units_by_location("KETTLE")[place_of_bench] == 4
    missing = packer.ok("POST", f"/tasks/{task['id']}/missing-items", {"sku": "KETTLE", "qty": 1})
    assert units_by_location("KETTLE")[place_of_bench] == 3
    check_books()

    pick = picker.ok("POST", "/tasks/next", {"warehouse": "EAST", "types": ["pick"]})
    assert pick["id"] == missing["pick_task_id"]
    stop = pick["stops"][0]
    scan(picker, pick["id"], stop["location_barcode"])
    scan(picker, pick["id"], unit_barcode(bench["KETTLE"]), stop_id=stop["id"])
    assert units_by_location("KETTLE")[place_of_bench] == 4
    assert units_by_location("KETTLE")["E02-08"] == 2
    check_books()

    scan(packer, task["id"], unit_barcode(bench["KETTLE"]))
    packer.ok("POST", f"/tasks/{task['id']}/pack", {"parcels": parcels("8.950")})
    assert units_by_location("KETTLE").get(place_of_bench, 0) == 0
    assert units_by_location("KETTLE")["DOCK"] == 4
    check_books()
    assert "pack.missing" in [e["kind"] for e in events_of(office, order)]


def test_a_backordered_unit_leaves_the_books_of_the_bench_and_the_rest_goes_to_the_dock(
    admin, office, picker, packer, bench
):
    place(office, [("KETTLE", 4)])
    pick_all(admin, picker, bench)
    task = pack_task(packer, bench, check={"KETTLE": 3})
    packer.ok("POST", f"/tasks/{task['id']}/missing-items", {"sku": "KETTLE", "qty": 1})
    assert units_by_location("KETTLE")[f"PACK-{task['id']}"] == 3
    check_books()
    packer.ok("POST", f"/tasks/{task['id']}/pack", {"parcels": parcels("6.750")})
    assert units_by_location("KETTLE")["DOCK"] == 3
    check_books()
