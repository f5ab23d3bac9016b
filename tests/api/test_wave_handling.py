"""Releasing a wave keeps apart what must not ride one cart: cold beside ambient (unless the warehouse's carts
have insulated totes) and hazmat beside food, for cart trips and bulk picks alike."""

import pytest

from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive

COLD = {"PEAS", "SALSA"}
FOOD = {"PEAS", "SALSA", "PAPRIKA"}


@pytest.fixture
def mixed_goods(admin, office):
    add_warehouse(admin, EAST, locations=20)
    add_product(office, "PENCIL", handling="ambient")
    add_product(office, "PAPRIKA", handling="ambient", food=True)
    add_product(office, "PEAS", handling="frozen", food=True)
    add_product(office, "SALSA", handling="chilled", food=True)
    add_product(office, "AEROSOL", handling="hazmat")
    # Side by side in one aisle: on walking alone, all of them would share one cart.
    for n, sku in enumerate(["PENCIL", "PAPRIKA", "PEAS", "SALSA", "AEROSOL"], start=1):
        receive(admin, "EAST", f"E01-{n:02d}", sku, 100)
    return add_customer(office, type="retail", discount_pct="0", ship_policy="partial")


def place(office, customer, skus, tag, qty=2):
    for sku in skus:
        order = office.ok("POST", "/orders", order_body(customer["id"], [(sku, qty)], f"{tag}-{sku}"))
        assert order["status"] == "allocated", order


def skus_per_trip(admin, wave):
    return [
        {stop["sku"] for stop in admin.ok("GET", f"/tasks/{task['id']}")["stops"]}
        for task in wave["tasks"]
        if task["type"] == "pick"
    ]


def test_frozen_chilled_and_aerosol_orders_never_share_a_cart_with_what_they_must_not(
    admin, office, mixed_goods
):
    place(office, mixed_goods, ["PENCIL", "PAPRIKA", "PEAS", "SALSA", "AEROSOL"], "mix")
    trips = skus_per_trip(admin, admin.ok("POST", "/waves", {"warehouse": "EAST"}))
    assert sorted(sku for trip in trips for sku in trip) == ["AEROSOL", "PAPRIKA", "PEAS", "PENCIL", "SALSA"]
    for trip in trips:
        assert not (trip & COLD and trip - COLD), trip  # cold goods ride with cold goods only
        assert not ("AEROSOL" in trip and trip & FOOD), trip
    assert {"PEAS", "SALSA"} in trips  # the cold goods still share a cart


def test_with_insulated_totes_cold_goods_ride_with_ambient_but_never_with_hazmat(admin, office, mixed_goods):
    admin.ok("PUT", "/warehouses/EAST/floor-settings", {"insulated_totes": True})
    place(office, mixed_goods, ["PENCIL", "PAPRIKA", "PEAS", "SALSA", "AEROSOL"], "insulated")
    trips = skus_per_trip(admin, admin.ok("POST", "/waves", {"warehouse": "EAST"}))
    assert {"PAPRIKA", "PEAS", "SALSA"} <= next(trip for trip in trips if "PEAS" in trip)
    assert all(not ("AEROSOL" in trip and trip & FOOD) for trip in trips)


def test_bulk_picks_of_frozen_and_ambient_goods_are_separate_trips(admin, office, mixed_goods):
    for n in range(2):
        place(office, mixed_goods, ["PENCIL", "PEAS"], f"bulk-{n}", qty=6)
    wave = admin.ok("POST", "/waves", {"warehouse": "EAST", "bulk_threshold": 10})
    bulk = [admin.ok("GET", f"/tasks/{task['id']}") for task in wave["tasks"]]
    assert all(task["data"]["kind"] == "bulk" for task in bulk)
    assert sorted(tuple(sorted({s["sku"] for s in task["stops"]})) for task in bulk) == [
        ("PEAS",),
        ("PENCIL",),
    ]
