"""Cycle counts on the floor: bins counted by ABC class, blind on the phone, recounted by someone else when
the figure is off, posted through the ledger with a reason, and the board's inventory record accuracy."""

import uuid

import pytest

from baton.extensions import db
from tests.support import (
    EAST,
    ApiClient,
    add_customer,
    add_product,
    add_warehouse,
    level,
    order_body,
    receive,
)

DAY_S = 24 * 3600


@pytest.fixture
def db_kind():
    return "sqlite"  # counting is one worker per bin; the stock lock is the ledger's own, tested elsewhere


@pytest.fixture
def floor(client, admin, office):
    """Saffron sells the most (A), pepper some (B), salt little (C): 800, 150 and 50 of demand value.
    The orders are held (a bad postal code), so they are demand without taking stock from the bins."""
    add_warehouse(admin, EAST, locations=10)
    for role in ("picker", "supervisor"):
        admin.ok("PATCH", f"/users/{role}", {"warehouse": "EAST"})
    pia = {"username": "pia", "password": "pia-pass-1234", "role": "picker"}
    admin.post("/users", pia)  # 409 from the second test on: users outlive a test's data
    admin.ok("PATCH", "/users/pia", {"warehouse": "EAST"})
    token = office.ok("POST", "/auth/token", {"username": "pia", "password": "pia-pass-1234"})["token"]
    customer = add_customer(office, type="retail", discount_pct="0")
    for sku, price, bin_ in (
        ("SAFFRON", "8.00", "E01-01"),
        ("PEPPER", "1.50", "E01-02"),
        ("SALT", "0.50", "E01-03"),
    ):
        add_product(office, sku, price=price)
        body = order_body(customer["id"], [(sku, 100)], f"demand-{sku}")
        body["ship_to"]["postal_code"] = "1011"
        assert office.ok("POST", "/orders", body)["status"] == "on_hold"
        receive(admin, "EAST", bin_, sku, 50)
    yield {
        "picker": ApiClient.signed_in(client, "picker"),
        "pia": ApiClient(client, token),
        "supervisor": ApiClient.signed_in(client, "supervisor"),
    }
    admin.ok("POST", "/_test/clock", {"offset_s": 0})


def next_count(api: ApiClient):
    response = api.post("/tasks/next", {"warehouse": "EAST", "types": ["count"]})
    return response.json if response.status == 200 else None


def count_all(api: ApiClient, figures: dict[str, int] | None = None) -> list[dict]:
    """Work every open count task, counting what the bin holds (or the figure given for its SKU)."""
    done = []
    while (task := next_count(api)) is not None:
        (stop,) = task["stops"]
        counted = (figures or {}).get(stop["sku"], 50)
        done.append(api.ok("POST", f"/tasks/{task['id']}/count", {"counted": counted}))
    return done


def figures(value) -> list:
    """Every number in a JSON document, ids left out."""
    if isinstance(value, dict):
        return [n for k, v in value.items() if k != "id" and not k.endswith("_id") for n in figures(v)]
    if isinstance(value, list):
        return [n for v in value for n in figures(v)]
    return [value] if isinstance(value, int) and not isinstance(value, bool) else []


def keys(value) -> set:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    return {k for v in value for k in keys(v)} if isinstance(value, list) else set()


def schedule(api: ApiClient) -> dict:
    return api.ok("POST", "/counts/schedule", {"warehouse": "EAST"}, expect=201)


def test_classes_come_from_demand_value_a_monthly_b_quarterly_c_yearly(admin, supervisor, floor):
    classes = {i["sku"]: i["abc_class"] for i in supervisor.ok("GET", "/counts/classes")["items"]}
    assert classes == {"SAFFRON": "A", "PEPPER": "B", "SALT": "C"}

    first = schedule(supervisor)  # never counted: every class's one bin is due
    assert [first["classes"][c]["opened"] for c in "ABC"] == [1, 1, 1]
    assert [first["classes"][c]["interval_days"] for c in "ABC"] == [30, 91, 365]
    assert len(count_all(floor["picker"])) == 3
    assert schedule(supervisor)["task_ids"] == []  # the same day again: nothing new

    admin.ok("POST", "/_test/clock", {"offset_s": 31 * DAY_S})
    month = schedule(supervisor)
    assert [month["classes"][c]["opened"] for c in "ABC"] == [1, 0, 0]
    opened = supervisor.ok("GET", "/counts?warehouse=EAST&status=open")
    assert [(c["sku"], c["abc_class"], c["origin"]) for c in opened] == [("SAFFRON", "A", "cycle")]
    count_all(floor["picker"])

    admin.ok("POST", "/_test/clock", {"offset_s": 92 * DAY_S})
    quarter = schedule(supervisor)
    assert [quarter["classes"][c]["opened"] for c in "ABC"] == [1, 1, 0]


def test_the_phone_never_gets_the_books_figure(supervisor, floor):
    schedule(supervisor)
    task = next_count(floor["picker"])
    (stop,) = task["stops"]
    assert task["type"] == "count" and stop["qty"] == 0 and stop["location"] and stop["barcodes"]
    assert "system_on_hand" not in task["data"]
    again = floor["picker"].ok("GET", f"/tasks/{task['id']}")
    assert 50 not in figures(again) and not {"expected", "on_hand", "system_on_hand"} & keys(again)
    result = floor["picker"].ok("POST", f"/tasks/{task['id']}/count", {"counted": 50})
    assert set(result) == {"task_id", "counted", "status", "recount_task_id"}  # no expected, no variance


def test_a_count_off_by_more_than_the_tolerance_is_recounted_by_someone_else_then_posted(
    admin, supervisor, floor
):
    schedule(supervisor)
    picker, pia = floor["picker"], floor["pia"]
    figures = {"SAFFRON": 40, "PEPPER": 49, "SALT": 50}  # saffron 10 short: beyond 2 units and 5 %
    results = {r["task_id"]: r for r in count_all(picker, figures)}
    recount = next(r for r in results.values() if r["status"] == "recount")
    assert recount["recount_task_id"]
    assert level(admin, "SAFFRON", "EAST")["on_hand"] == 50  # nothing posted before the recount
    assert level(admin, "PEPPER", "EAST")["on_hand"] == 49  # within tolerance: posted as counted

    assert next_count(picker) is None  # the recount is not offered to the worker who miscounted
    task = next_count(pia)
    assert task["id"] == recount["recount_task_id"] and task["stops"][0]["qty"] == 0
    done = pia.ok("POST", f"/tasks/{task['id']}/count", {"counted": 41})
    assert done["status"] == "adjusted"
    assert level(admin, "SAFFRON", "EAST")["on_hand"] == 41

    moves = admin.ok("GET", "/inventory/movements?warehouse=EAST&location=E01-01")
    posted = next(m for m in moves if m.get("kind") == "count")
    assert posted["delta"] == -9 and "counted 41, books said 50" in posted["reason"]
    counts = {c["task_id"]: c for c in supervisor.ok("GET", "/counts?warehouse=EAST")}
    assert counts[recount["task_id"]]["status"] == "settled"
    assert counts[recount["task_id"]]["accurate"] is False
    assert counts[task["id"]]["counted_by"] == "pia" and counts[task["id"]]["expected"] == 50


def test_a_second_count_of_a_closed_task_is_refused(supervisor, floor):
    schedule(supervisor)
    task = next_count(floor["picker"])
    floor["picker"].ok("POST", f"/tasks/{task['id']}/count", {"counted": 50})
    again = floor["picker"].post(f"/tasks/{task['id']}/count", {"counted": 51})
    assert again.status == 409 and again.json["error"]["code"] == "task_closed"


def test_accuracy_on_the_board_is_the_share_of_counts_within_tolerance(supervisor, floor):
    assert supervisor.ok("GET", "/board/EAST")["inventory_accuracy"] == {
        "days": 30,
        "counts": 0,
        "within_tolerance": 0,
        "pct": None,  # no counts: no data, not 100 %
    }
    schedule(supervisor)
    count_all(floor["picker"], {"SAFFRON": 40, "PEPPER": 49, "SALT": 50})
    count_all(floor["pia"], {"SAFFRON": 50})  # the recount finds the books were right after all
    accuracy = supervisor.ok("GET", "/board/EAST")["inventory_accuracy"]
    assert (accuracy["counts"], accuracy["within_tolerance"], accuracy["pct"]) == (3, 3, 100.0)
    assert supervisor.ok("GET", "/counts/accuracy?warehouse=EAST") == accuracy


def test_a_shortage_at_a_bin_opens_the_same_blind_count(admin, office, supervisor, floor):
    customer = add_customer(office, name="Corner Shop", type="retail", discount_pct="0")
    office.ok("POST", "/orders", order_body(customer["id"], [("PEPPER", 5)], "short-1"))
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = floor["picker"].ok("POST", "/tasks/next", {"warehouse": "EAST", "types": ["pick"]})
    (stop,) = trip["stops"]
    scan = {"id": str(uuid.uuid4()), "task_id": trip["id"], "barcode": stop["location_barcode"]}
    floor["picker"].ok("POST", "/scans", {"scans": [scan]})
    shortage = floor["picker"].ok(
        "POST", f"/tasks/{trip['id']}/shortages", {"stop_id": stop["id"], "found": 0, "reason": "empty"}
    )
    (count,) = supervisor.ok("GET", "/counts?warehouse=EAST&origin=shortage")
    assert count["task_id"] == shortage["count_task_id"] and count["sku"] == "PEPPER"
    task = next_count(floor["pia"])
    assert task["id"] == shortage["count_task_id"] and task["stops"][0]["qty"] == 0
    # The books still say 45 (50 less the 5 written off): the empty bin is recounted by the first picker.
    recount = floor["pia"].ok("POST", f"/tasks/{task['id']}/count", {"counted": 0})
    assert recount["status"] == "recount"
    assert next_count(floor["picker"])["id"] == recount["recount_task_id"]
    floor["picker"].ok("POST", f"/tasks/{recount['recount_task_id']}/count", {"counted": 0})
    assert level(admin, "PEPPER", "EAST")["on_hand"] == 0


def test_cancelling_a_count_task_cancels_its_count(admin, supervisor, floor):
    task_id = schedule(supervisor)["task_ids"][0]
    admin.ok("POST", f"/tasks/{task_id}/cancel", {"reason": "bin blocked"})
    (count,) = [c for c in supervisor.ok("GET", "/counts?warehouse=EAST") if c["task_id"] == task_id]
    assert count["status"] == "cancelled"


def test_the_nightly_worker_job_opens_the_days_counts(app, supervisor, floor):
    db.session.rollback()  # the test's own session holds nothing open while the job writes
    app.extensions["baton_jobs"].schedule_counts.call_local()  # what `baton worker` runs at 02:15 UTC
    opened = supervisor.ok("GET", "/counts?warehouse=EAST&status=open")
    assert sorted((c["sku"], c["abc_class"]) for c in opened) == [
        ("PEPPER", "B"),
        ("SAFFRON", "A"),
        ("SALT", "C"),
    ]
