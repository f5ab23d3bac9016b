"""The floor's tasks from the office: open tasks by status and picker, assigning and reassigning them,
cancelling one (its orders wait for a wave again), and unlocking a worker locked out by failed sign-ins."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from baton.extensions import db
from baton.models import User
from tests.support import (
    EAST,
    WEST,
    ApiClient,
    add_customer,
    add_product,
    add_warehouse,
    order_body,
    receive,
    staff_work_at,
)

PASSWORD = "floor-pass-123"


@pytest.fixture
def released(admin, office, supervisor):
    add_warehouse(admin, EAST, locations=10)
    add_warehouse(admin, WEST, locations=10)
    staff_work_at(admin, "EAST")
    # Users outlive a test (like the role users): new names each time.
    names = {"pia": f"pia-{uuid.uuid4().hex[:6]}", "wes": f"wes-{uuid.uuid4().hex[:6]}"}
    for who, warehouse in (("pia", "EAST"), ("wes", "WEST")):
        admin.ok(
            "POST",
            "/users",
            {
                "username": names[who],
                "password": PASSWORD,
                "role": "picker",
                "display_name": who.title(),
                "warehouse": warehouse,
            },
        )
    add_product(office, "CUMIN")
    receive(admin, "EAST", "E01-01", "CUMIN", 40)
    customer = add_customer(office, type="retail", discount_pct="0")
    orders = [
        office.ok("POST", "/orders", order_body(customer["id"], [("CUMIN", 1)], f"task-{n}"))
        for n in range(3)
    ]
    trips = []
    for order in orders:  # one trip per order, so there are several tasks to hand out
        wave = supervisor.ok("POST", "/waves", {"warehouse": "EAST", "order_ids": [order["id"]]})
        trips.append(wave["tasks"][0]["id"])
    return {"trips": trips, "orders": orders, **names}


def open_tasks(api, **filters) -> list[dict]:
    query = "&".join(f"{k}={v}" for k, v in {"warehouse": "EAST", "status": "open", **filters}.items())
    return api.ok("GET", f"/tasks?{query}")


def workers(api) -> dict[str, dict]:
    return {w["username"]: w for w in api.ok("GET", "/warehouses/EAST/workers")}


def test_a_supervisor_assigns_then_reassigns_a_task_and_the_first_picker_no_longer_holds_it(
    client, supervisor, office, picker, released
):
    first, second, third = released["trips"]
    assert {t["id"] for t in open_tasks(office)} == {first, second, third}
    assert {t["status"] for t in open_tasks(office)} == {"created"}

    assert supervisor.ok("POST", f"/tasks/{first}/assign", {"username": "picker"})["assignee"] == "picker"
    assert [t["id"] for t in picker.ok("GET", "/tasks/mine")] == [first]
    assert [t["id"] for t in open_tasks(office, assignee="picker")] == [first]
    assert workers(office)["picker"]["open_tasks"] == 1

    moved = supervisor.ok("POST", f"/tasks/{first}/assign", {"username": released["pia"]})
    assert moved["assignee"] == released["pia"] and moved["status"] == "assigned"
    assert picker.ok("GET", "/tasks/mine") == []
    token = client.post(
        "/api/v1/auth/token", json={"username": released["pia"], "password": PASSWORD}
    ).get_json()
    pia = ApiClient(client, token["token"])
    assert [t["id"] for t in pia.ok("GET", "/tasks/mine")] == [first]
    people = workers(office)
    assert people["picker"]["open_tasks"] == 0 and people[released["pia"]]["open_tasks"] == 1
    assert released["wes"] not in people, "WEST's picker is not on EAST's floor"
    assert [t["id"] for t in open_tasks(office, assignee=released["pia"])] == [first]
    assert {t["id"] for t in open_tasks(office, status="created")} == {second, third}


def test_a_task_goes_only_to_someone_who_works_in_its_warehouse(supervisor, admin, office, released):
    task = released["trips"][0]
    unknown = supervisor.post(f"/tasks/{task}/assign", {"username": "nobody"})
    assert unknown.status == 422 and unknown.json["error"]["code"] == "unknown_user"
    elsewhere = admin.post(f"/tasks/{task}/assign", {"username": released["wes"]})
    assert elsewhere.status == 422 and elsewhere.json["error"]["code"] == "other_warehouse_worker"
    missing = supervisor.post(f"/tasks/{task}/assign", {})
    assert missing.status == 422 and set(missing.json["error"]["details"]["fields"]) == {"username"}
    assert office.post(f"/tasks/{task}/assign", {"username": released["pia"]}).status == 403
    assert office.ok("GET", f"/tasks/{task}")["assignee"] is None


def test_a_cancelled_task_leaves_the_open_list_and_its_order_waits_for_a_wave_again(
    supervisor, office, released
):
    task = released["trips"][1]
    order = released["orders"][1]
    cancelled = supervisor.ok("POST", f"/tasks/{task}/cancel", {"reason": "customer called"})
    assert cancelled["status"] == "cancelled"
    assert task not in {t["id"] for t in open_tasks(office)}
    assert [t["id"] for t in office.ok("GET", "/tasks?warehouse=EAST&status=cancelled")] == [task]
    waiting = office.ok("GET", "/waves/candidates?warehouse=EAST")
    assert [o["number"] for o in waiting] == [order["number"]]
    again = supervisor.post(f"/tasks/{task}/cancel", {"reason": "twice"})
    assert again.status == 409


def test_a_locked_out_worker_shows_as_locked_until_a_supervisor_unlocks_them(supervisor, office, released):
    db.session.execute(
        update(User)
        .where(User.username == released["pia"])
        .values(failed_logins=5, locked_until=datetime.now(UTC) + timedelta(minutes=15))
    )
    db.session.commit()
    pia = workers(office)[released["pia"]]
    assert pia["locked"] is True and pia["failed_logins"] == 5
    assert office.post(f"/users/{released['pia']}/unlock").status == 403, "unlocking is for supervisors"
    supervisor.ok("POST", f"/users/{released['pia']}/unlock")
    pia = workers(office)[released["pia"]]
    assert pia["locked"] is False and pia["failed_logins"] == 0 and pia["locked_until"] is None


def test_the_task_list_refuses_an_unknown_status_in_plain_words(office, released):
    response = office.get("/tasks?warehouse=EAST&status=lost")
    assert response.status == 422
    assert "status" in response.json["error"]["details"]["fields"]["query"]
