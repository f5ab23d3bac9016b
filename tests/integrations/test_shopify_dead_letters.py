"""One bad Shopify payload never blocks the rest: it becomes a dead letter with its reason, and is retried
once the office fixed the cause."""

from baton.services import shopify

from .shopify_sender import moment, send, shop_order
from .test_shopify_webhooks import stocked_shop


def test_bad_payloads_go_to_dead_letters_while_the_rest_import_and_a_fixed_one_is_retried(
    client, admin, office, shop_secret
):
    stocked_shop(admin, office)
    good = [shop_order(2000 + n, [("IPOD2008PINK", 1, "199.00")], updated_at=moment(n)) for n in range(3)]
    no_lines = shop_order(2100, [("IPOD2008PINK", 1, "199.00")], updated_at=moment(0))
    no_lines["line_items"] = []
    no_sku = shop_order(2101, [("", 2, "15.00")], updated_at=moment(0))
    variant = no_sku["line_items"][0]["variant_id"]
    no_address = shop_order(2102, [("IPOD2008PINK", 1, "199.00")], updated_at=moment(0))
    del no_address["shipping_address"]

    send(client, "orders/create", good[0])
    send(client, "orders/create", b'{"id": 2103, "name": "#2103", "line_items": [')  # cut off on the way
    send(client, "orders/create", no_lines)
    send(client, "orders/create", good[1])
    send(client, "orders/create", no_sku)
    send(client, "orders/create", no_address)
    send(client, "orders/create", good[2])
    shopify.apply_all()

    imported = office.ok("GET", "/orders?channel=shopify")
    assert sorted(o["external_id"] for o in imported) == ["#2000", "#2001", "#2002"]
    dead = office.ok("GET", "/integrations/shopify/webhooks?status=dead")
    assert dead["counts"] == {"applied": 3, "dead": 4}
    reasons = {w["order_name"]: w["error"] for w in dead["webhooks"]}
    assert reasons[None].startswith("The body is not JSON")
    assert reasons["#2100"] == "Order #2100 has no line items."
    assert reasons["#2102"] == "Order #2102 has no shipping address."
    assert f"map variant:{variant} to a Baton SKU" in reasons["#2101"]

    # The office maps the SKU-less variant to a Baton product, then tries that dead letter again.
    office.ok(
        "PUT", "/integrations/shopify/sku-map", {"shopify_sku": f"variant:{variant}", "sku": "IPOD2008BLUE"}
    )
    letter = next(w for w in dead["webhooks"] if w["order_name"] == "#2101")
    assert office.ok("POST", f"/integrations/shopify/webhooks/{letter['id']}/retry")["status"] == "received"
    shopify.apply_all()
    order = next(o for o in office.ok("GET", "/orders?channel=shopify") if o["external_id"] == "#2101")
    assert order["status"] == "allocated"
    assert [(line["sku"], line["qty"]) for line in order["lines"]] == [("IPOD2008BLUE", 2)]
    assert office.ok("GET", "/integrations/shopify/webhooks?status=dead")["counts"]["dead"] == 3

    # Retrying one still waiting is refused; an unknown one is not found; the floor may not see any of it.
    waiting = send(
        client, "orders/create", shop_order(2200, [("IPOD2008PINK", 1, "1.00")], updated_at=moment(0))
    )
    assert office.post(f"/integrations/shopify/webhooks/{waiting.get_json()['id']}/retry").status == 409
    assert office.post("/integrations/shopify/webhooks/999999/retry").status == 404
    from tests.support import ApiClient

    picker = ApiClient.signed_in(client, "picker")
    assert picker.get("/integrations/shopify/webhooks?status=dead").status == 403
