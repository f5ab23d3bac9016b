"""Shop orders in: Shopify's order webhooks, signed, stored at once, applied by the worker, mapped."""

import json
from decimal import Decimal

from sqlalchemy import func, select

from baton.extensions import db
from baton.models import Order, ShopifyWebhook
from baton.services import shopify
from tests.support import EAST, add_product, add_warehouse, level, receive

from .shopify_sender import PATH, SHOP, moment, sample, send, shop_order


def stocked_shop(admin, office, skus=("IPOD2008PINK", "IPOD2008BLUE"), qty=1000):
    add_warehouse(admin, EAST, locations=10)
    for n, sku in enumerate(skus):
        add_product(office, sku, price="150.00")
        receive(admin, "EAST", f"E01-{n + 1:02d}", sku, qty)


def stored() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(ShopifyWebhook))


def test_a_forged_or_unsigned_webhook_is_refused_and_nothing_is_stored(client, shop_secret):
    body = json.dumps(sample()).encode()
    forged = send(client, "orders/create", body, secret="not-the-shop-secret")
    assert forged.status_code == 401
    assert forged.get_json()["error"]["code"] == "bad_signature"
    unsigned = client.post(
        PATH, data=body, headers={"Content-Type": "application/json", "X-Shopify-Topic": "orders/create"}
    )
    assert unsigned.status_code == 401
    # The right signature over a body changed on the way is as forged as any.
    tampered = client.post(
        PATH,
        data=body.replace(b'"#9999"', b'"#6666"'),
        headers={**_signed_headers(body), "Content-Type": "application/json"},
    )
    assert tampered.status_code == 401
    assert stored() == 0
    assert send(client, "orders/create", body).status_code == 200
    assert stored() == 1


def _signed_headers(body: bytes) -> dict:
    from .shopify_sender import headers

    return headers("orders/create", body)


def test_without_a_configured_secret_every_shopify_webhook_is_refused(client):
    assert send(client, "orders/create", sample()).status_code == 401
    assert stored() == 0


def test_shopifys_sample_order_lands_on_channel_shopify_with_its_prices(client, admin, office, shop_secret):
    stocked_shop(admin, office)
    ack = send(client, "orders/create", sample(), event_id="evt-1")
    assert ack.status_code == 200 and ack.get_json()["status"] == "received"
    assert shopify.apply_all() == 1

    [order] = office.ok("GET", "/orders?channel=shopify")
    assert order["external_id"] == "#9999" and order["status"] == "allocated"
    order = office.ok("GET", f"/orders/{order['id']}")
    assert [(line["sku"], line["qty"], line["unit_price"]) for line in order["lines"]] == [
        ("IPOD2008PINK", 1, "199.00"),
        ("IPOD2008PINK", 1, "199.00"),
    ]
    # Shopify's own figures: 398.00 of goods, 20.00 off, 10.00 shipping = total_price 388.00.
    assert order["totals"] == {
        "currency": "USD",
        "subtotal": "398.00",
        "discount": "20.00",
        "shipping": "10.00",
        "total": "388.00",
    }
    assert sum(Decimal(line["line_total"]) for line in order["lines"]) == Decimal("378.00")
    assert order["ship_to"] == {
        "name": "Steve Shipper",
        "line1": "123 Shipping Street",
        "line2": "",
        "city": "Shippington",
        "region": "KY",
        "postal_code": "40003",
        "country": "US",
    }
    customer = office.ok("GET", f"/customers/{order['customer_id']}")
    assert (customer["name"], customer["email"]) == ("John Smith", "jon@example.com")
    assert level(office, "IPOD2008PINK", "EAST")["reserved"] == 2

    # The same delivery again (Shopify retries until it hears 200) is acknowledged, not stored again.
    again = send(client, "orders/create", sample(), event_id="evt-1")
    assert again.get_json() == {"id": ack.get_json()["id"], "status": "duplicate"}
    # The same change under another event id (same order, updated_at and topic) is a duplicate too.
    assert send(client, "orders/create", sample(), event_id="evt-2").get_json()["status"] == "duplicate"
    assert stored() == 1 and shopify.apply_all() == 0


def test_a_second_order_of_the_same_email_finds_the_customer(client, admin, office, shop_secret):
    stocked_shop(admin, office)
    send(client, "orders/create", shop_order(1001, [("IPOD2008PINK", 1, "199.00")], updated_at=moment(0)))
    send(
        client,
        "orders/create",
        shop_order(1002, [("IPOD2008BLUE", 2, "99.00")], updated_at=moment(1), email="JON@example.com"),
    )
    shopify.apply_all()
    orders = office.ok("GET", "/orders?channel=shopify")
    assert len(orders) == 2 and len({o["customer_id"] for o in orders}) == 1


def test_an_unknown_sku_holds_the_order_as_any_order_and_a_mapping_then_retry_releases_it(
    client, admin, office, shop_secret
):
    stocked_shop(admin, office)
    ack = send(
        client, "orders/create", shop_order(1003, [("IPOD-SHOP-ONLY", 2, "50.00")], updated_at=moment(0))
    )
    shopify.apply_all()
    [held] = office.ok("GET", "/orders?channel=shopify")
    assert held["status"] == "on_hold"
    assert [r["code"] for r in held["hold_reasons"]] == ["unknown_sku"]

    mapping = office.ok(
        "PUT", "/integrations/shopify/sku-map", {"shopify_sku": "IPOD-SHOP-ONLY", "sku": "IPOD2008BLUE"}
    )
    assert mapping["mapping"] == {"IPOD-SHOP-ONLY": "IPOD2008BLUE"}
    retried = office.ok("POST", f"/integrations/shopify/webhooks/{ack.get_json()['id']}/retry")
    assert retried["status"] == "received"
    shopify.apply_all()
    order = office.ok("GET", f"/orders/{held['id']}")
    assert order["status"] == "allocated"
    assert [(line["sku"], line["qty"], line["unit_price"]) for line in order["lines"]] == [
        ("IPOD2008BLUE", 2, "50.00")
    ]


def test_paid_before_create_and_a_stale_update_end_as_in_order(client, admin, office, shop_secret):
    stocked_shop(admin, office)
    created = shop_order(1004, [("IPOD2008PINK", 1, "199.00")], updated_at=moment(0))
    paid = shop_order(1004, [("IPOD2008PINK", 1, "199.00")], updated_at=moment(1), financial_status="paid")
    edited = shop_order(1004, [("IPOD2008PINK", 3, "199.00")], updated_at=moment(2), financial_status="paid")
    for topic, payload in (("orders/paid", paid), ("orders/updated", edited), ("orders/create", created)):
        send(client, topic, payload)
    shopify.apply_all()
    [order] = office.ok("GET", "/orders?channel=shopify")
    assert order["lines"][0]["qty"] == 3  # the create, older than the edit, changed nothing
    assert level(office, "IPOD2008PINK", "EAST")["reserved"] == 3
    outcomes = [w["outcome"] for w in office.ok("GET", "/integrations/shopify/webhooks")["webhooks"]]
    assert any(o.startswith("Older than the newest state") for o in outcomes)


def test_a_cancel_is_final_even_when_an_update_arrives_after_it(client, admin, office, shop_secret):
    stocked_shop(admin, office)
    send(client, "orders/create", shop_order(1005, [("IPOD2008PINK", 2, "199.00")], updated_at=moment(0)))
    shopify.apply_all()
    send(
        client,
        "orders/cancelled",
        shop_order(1005, [("IPOD2008PINK", 2, "199.00")], updated_at=moment(5), cancelled=True),
    )
    late = shop_order(
        1005, [("IPOD2008PINK", 2, "199.00")], updated_at=moment(9), cancelled=True, tags="refunded"
    )
    send(client, "orders/updated", late)
    shopify.apply_all()
    [order] = office.ok("GET", "/orders?channel=shopify")
    assert order["status"] == "cancelled"
    assert level(office, "IPOD2008PINK", "EAST")["reserved"] == 0
    events = office.ok("GET", f"/orders/{order['id']}/events")["events"]
    assert any(e["kind"] == "order.note" and "after the cancel" in e["reason"] for e in events)


def test_an_update_after_the_order_reached_the_floor_is_only_noted(client, admin, office, shop_secret):
    stocked_shop(admin, office)
    send(client, "orders/create", shop_order(1006, [("IPOD2008PINK", 2, "199.00")], updated_at=moment(0)))
    shopify.apply_all()
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    send(client, "orders/updated", shop_order(1006, [("IPOD2008PINK", 5, "199.00")], updated_at=moment(3)))
    shopify.apply_all()
    [order] = office.ok("GET", "/orders?channel=shopify")
    assert order["status"] == "released" and order["lines"][0]["qty"] == 2
    events = office.ok("GET", f"/orders/{order['id']}/events")["events"]
    assert any(e["kind"] == "order.note" and "only noted" in e["reason"] for e in events)


def test_an_update_before_the_floor_changes_the_order_and_verifies_it_again(
    client, admin, office, shop_secret
):
    stocked_shop(admin, office)
    send(client, "orders/create", shop_order(1007, [("IPOD2008PINK", 2, "199.00")], updated_at=moment(0)))
    shopify.apply_all()
    edited = shop_order(
        1007,
        [("IPOD2008PINK", 1, "199.00"), ("IPOD2008BLUE", 4, "25.00")],
        updated_at=moment(4),
        line1="9 Other Street",
        total_discounts="9.90",
    )
    send(client, "orders/updated", edited)
    shopify.apply_all()
    [order] = office.ok("GET", "/orders?channel=shopify")
    assert order["status"] == "allocated" and order["ship_to"]["line1"] == "9 Other Street"
    assert [(line["sku"], line["qty"]) for line in order["lines"]] == [
        ("IPOD2008PINK", 1),
        ("IPOD2008BLUE", 4),
    ]
    assert order["totals"]["total"] == "299.10"  # 199 + 100 - 9.90 + 10 shipping
    assert level(office, "IPOD2008PINK", "EAST")["reserved"] == 1
    assert level(office, "IPOD2008BLUE", "EAST")["reserved"] == 4
    kinds = [e["kind"] for e in office.ok("GET", f"/orders/{order['id']}/events")["events"]]
    assert "order.revised" in kinds


def test_a_topic_baton_does_not_use_is_acknowledged_and_not_stored(client, shop_secret):
    answer = send(client, "products/update", {"id": 1})
    assert answer.status_code == 200 and answer.get_json()["status"] == "ignored"
    assert stored() == 0


def test_the_worker_applies_what_arrived_when_woken_in_process(client, admin, office, shop_secret, app):
    """Stored and acknowledged first; the order exists only once the worker ran."""
    stocked_shop(admin, office)
    send(client, "orders/create", sample())
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0
    assert shopify.apply_pending() == 1
    db.session.rollback()
    assert db.session.scalar(select(Order.external_id)) == "#9999"
    assert {w.shop for w in db.session.scalars(select(ShopifyWebhook))} == {SHOP}


def test_bodies_without_an_order_id_are_told_apart_by_their_event_id_only(client, shop_secret):
    """No order id, so no "same change" to compare: only the event id makes a duplicate."""
    no_id = {"note": "no id"}
    first = send(client, "orders/updated", no_id, event_id="evt-a")
    again = send(client, "orders/updated", no_id, event_id="evt-a")
    assert again.get_json() == {"id": first.get_json()["id"], "status": "duplicate"}
    assert send(client, "orders/updated", no_id, event_id="evt-b").get_json()["status"] == "received"
    assert send(client, "orders/updated", b"not json", event_id="evt-c").get_json()["status"] == "received"
    assert stored() == 3
