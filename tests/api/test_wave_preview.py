"""Wave planning from the office: the candidates a wave would take, filtered; a preview of its cart trips and
their walk against one-by-one picking that saves and locks nothing; and a release that creates exactly the
previewed trips."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive, staff_work_at

# Ten products along two aisles, so small orders batch onto carts and a large one walks alone.
SKUS = [f"SPICE-{n}" for n in range(1, 11)]


@pytest.fixture
def waiting(admin, office):
    add_warehouse(admin, EAST, locations=40)
    staff_work_at(admin, "EAST")
    for n, sku in enumerate(SKUS, start=1):
        add_product(office, sku)
        receive(admin, "EAST", f"E{1 + n % 2:02d}-{n:02d}", sku, 100)
    add_product(office, "ICE", handling="frozen", food=True)
    receive(admin, "EAST", "E01-15", "ICE", 100)
    customer = add_customer(office, type="retail", discount_pct="0", ship_policy="partial")
    soon = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
    later = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    orders = {}
    shapes = {
        "a": [(SKUS[0], 1), (SKUS[5], 2)],
        "b": [(SKUS[1], 1)],
        "c": [(SKUS[2], 3), (SKUS[7], 1)],
        "d": [(SKUS[3], 1), (SKUS[9], 1)],
        "e": [(sku, 1) for sku in SKUS] + [("ICE", 1)],  # eleven lines: a trip of its own
        "f": [("ICE", 2)],
    }
    for tag, lines in shapes.items():
        fields = {"priority": 50 if tag in "ab" else 0, "due_at": soon if tag in "ac" else later}
        order = office.ok("POST", "/orders", order_body(customer["id"], lines, f"wave-{tag}", **fields))
        assert order["status"] == "allocated", order
        orders[tag] = order
    return orders


def trips_of_wave(admin, wave: dict) -> list[dict]:
    """The released wave's pick tasks as the preview shows trips: kind, distance, stops in walking order."""
    trips = []
    for ref in wave["tasks"]:
        task = admin.ok("GET", f"/tasks/{ref['id']}")
        trips.append(
            {
                "kind": task["data"].get("kind"),
                "distance_m": task["distance_m"],
                "stops": [
                    (s["location"], s["sku"], s["qty"], s["tote_slot"], s["order"]) for s in task["stops"]
                ],
            }
        )
    return trips


def as_released(preview: dict) -> list[dict]:
    return [
        {
            "kind": trip["kind"],
            "distance_m": trip["distance_m"],
            "stops": [(s["location"], s["sku"], s["qty"], s["tote"], s["order"]) for s in trip["stops"]],
        }
        for trip in preview["trips"]
    ]


def test_the_preview_is_exactly_what_the_release_then_creates(admin, supervisor, waiting):
    body = {"warehouse": "EAST", "totes": 3, "max_cart_kg": "60"}
    preview = supervisor.ok("POST", "/waves/preview", body)
    again = supervisor.ok("POST", "/waves/preview", body)
    assert again == preview, "a preview saves and locks nothing: the same question, the same answer"
    assert preview["orders"] == 6
    kinds = [trip["kind"] for trip in preview["trips"]]
    assert "single" in kinds and "batch" in kinds
    everything = {order["number"] for order in waiting.values()}
    assert {o["number"] for trip in preview["trips"] for o in trip["orders"]} == everything
    assert preview["walking_m"] < preview["single_order_walking_m"]
    assert preview["saved_m"] == pytest.approx(
        preview["single_order_walking_m"] - preview["walking_m"], abs=0.11
    )

    # Nothing changed: the orders still wait, no task exists.
    assert {o["number"] for o in admin.ok("GET", "/waves/candidates?warehouse=EAST")} == everything
    assert admin.ok("GET", "/tasks?warehouse=EAST") == []

    wave = supervisor.ok("POST", "/waves", body)
    assert trips_of_wave(admin, wave) == as_released(preview)
    assert wave["stats"]["walking_m"] == preview["walking_m"]
    assert wave["stats"]["single_order_walking_m"] == preview["single_order_walking_m"]
    assert admin.ok("GET", "/waves/candidates?warehouse=EAST") == []
    assert supervisor.ok("POST", "/waves/preview", body)["trips"] == []


def test_bulk_trips_are_previewed_as_they_are_released(admin, supervisor, waiting):
    body = {"warehouse": "EAST", "bulk_threshold": 3}
    preview = supervisor.ok("POST", "/waves/preview", body)
    assert "bulk" in [trip["kind"] for trip in preview["trips"]]
    wave = supervisor.ok("POST", "/waves", body)
    assert trips_of_wave(admin, wave) == as_released(preview)


def test_candidates_filter_by_priority_due_date_cut_off_and_handling(admin, office, waiting):
    def numbers(query: str) -> list[str]:
        return [o["number"] for o in office.ok("GET", f"/waves/candidates?warehouse=EAST{query}")]

    n = {tag: order["number"] for tag, order in waiting.items()}
    everything = numbers("")
    assert everything[:2] == [n["a"], n["b"]], "most urgent first, as a release takes them"
    assert numbers("&min_priority=50") == [n["a"], n["b"]]
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert numbers(f"&due_before={tomorrow}") == [n["a"], n["c"]]
    assert sorted(numbers("&handling=frozen")) == sorted([n["e"], n["f"]])
    assert numbers("&max_orders=3") == everything[:3]
    # The carrier's cut-off: orders placed before it; one placed after it waits for tomorrow's truck.
    cutoff = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    late = office.ok("POST", "/orders", order_body(waiting["b"]["customer_id"], [(SKUS[4], 1)], "wave-late"))
    assert late["number"] in numbers("")
    assert late["number"] not in numbers(f"&placed_before={cutoff}")

    first = office.ok("GET", "/waves/candidates?warehouse=EAST&min_priority=50")[0]
    assert first["customer"] == "Spice Shop" and first["lines"] == 2 and first["units"] == 3
    assert first["handling"] == ["ambient"]

    # The same filters release the same orders.
    wave = admin.ok("POST", "/waves", {"warehouse": "EAST", "handling": "frozen"})
    assert wave["stats"]["orders"] == 2
    assert sorted(numbers("")) == sorted([n["a"], n["b"], n["c"], n["d"], late["number"]])


def test_a_release_of_chosen_orders_takes_only_those(admin, supervisor, waiting):
    chosen = [waiting["b"]["id"], waiting["d"]["id"]]
    body = {"warehouse": "EAST", "order_ids": chosen, "max_orders": 2}
    preview = supervisor.ok("POST", "/waves/preview", body)
    assert sorted(o["order_id"] for trip in preview["trips"] for o in trip["orders"]) == sorted(chosen)
    wave = supervisor.ok("POST", "/waves", body)
    assert trips_of_wave(admin, wave) == as_released(preview)


def test_bad_filters_get_plain_field_errors_and_change_nothing(admin, supervisor, office, picker, waiting):
    response = supervisor.post("/waves/preview", {"warehouse": "EAST", "totes": 0, "handling": "lava"})
    assert response.status == 422
    fields = response.json["error"]["details"]["fields"]
    assert set(fields) == {"totes", "handling"}
    assert supervisor.get("/waves/candidates?warehouse=EAST&due_before=tomorrow").status == 422
    assert supervisor.post("/waves/preview", {"warehouse": "NOPE"}).status == 404
    assert picker.post("/waves/preview", {"warehouse": "EAST"}).status == 403
    # The office may look, but releasing is for supervisors.
    assert office.ok("POST", "/waves/preview", {"warehouse": "EAST"})["orders"] == 6
    assert office.post("/waves", {"warehouse": "EAST"}).status == 403
    assert len(admin.ok("GET", "/waves/candidates?warehouse=EAST")) == 6
