"""A delivery received on a phone at the dock, in Spanish: the PO by its barcode, a case and a GS1 label
scanned, a count typed (it sets, never adds), a damaged unit, sent through a Wi-Fi drop; then its put-away
walked on a picker's phone."""

import uuid

from baton.domain.barcodes import gtin_with_check_digit

from .floor import WAREHOUSE, new_gtin13
from .phone import walk_putaway


def wait_said(phone, words: str) -> None:
    phone.page.wait_for_function(
        "text => (document.querySelector('[data-testid=receive-message]')?.textContent || '').includes(text)",
        arg=words,
        timeout=15_000,
    )


def entry(phone, lot: str = "", damaged: bool = False):
    return phone.page.locator(
        f'[data-testid="receive-count"][data-lot="{lot}"][data-damaged="{str(damaged).lower()}"]'
    )


def test_a_delivery_is_counted_on_the_phone_and_put_away_bin_by_bin(baton, new_phone, packer, picker):
    sku = f"RCV-{uuid.uuid4().hex[:6].upper()}"
    unit = new_gtin13()
    case = gtin_with_check_digit("1" + unit[:12])
    baton.office.ok(
        "POST",
        "/products",
        {
            "sku": sku,
            "name": "Comino molido",
            "barcodes": [{"code": unit, "units": 1}, {"code": case, "units": 12}],
            "weight_kg": "0.100",
            "dims_cm": {"l": "5", "w": "5", "h": "10"},
            "handling": "ambient",
            "unit_price": "3.00",
        },
    )
    supplier = baton.office.ok(
        "POST",
        "/suppliers",
        {"name": f"Especias {uuid.uuid4().hex[:6]}", "email": "po@especias.example", "lead_time_days": 5},
    )
    po = baton.office.ok(
        "POST",
        "/purchase-orders",
        {
            "supplier_id": supplier["id"],
            "warehouse": WAREHOUSE,
            "lines": [{"sku": sku, "qty": 30, "unit_cost": "1.10"}],
        },
    )
    baton.office.ok("POST", f"/purchase-orders/{po['id']}/approve")
    po = baton.office.ok("POST", f"/purchase-orders/{po['id']}/send")

    dock = new_phone()
    dock.sign_in(packer)
    dock.page.select_option('[data-testid="lang"]', "es")
    dock.expect_screen("home")
    assert dock.text("receive-open") == "Recibir una entrega"
    dock.hook("receive-open").click()
    dock.expect_screen("receive")
    dock.page.locator(f'[data-testid="receive-po"][data-number="{po["number"]}"]').wait_for()

    dock.wedge(po["number"])  # the Code 128 on the PO's PDF
    dock.page.locator(f'[data-testid="receive-po-head"][data-number="{po["number"]}"]').wait_for()
    dock.wedge(case)
    wait_said(dock, "caja de 12 → 12")
    dock.wedge(f"01{'0' + unit}17270430" + "10LOT7")  # GS1: GTIN, expiry 30 Apr 2027, lot LOT7
    wait_said(dock, "1 contado → 1")
    assert "LOT7" in dock.page.locator('[data-testid="receive-entry"]').nth(1).inner_text()
    # A typed number sets the count: 13, not 12 + 13.
    entry(dock).fill("13")
    entry(dock).evaluate("e => e.blur()")
    dock.page.wait_for_function(
        "() => document.querySelector('[data-testid=receive-count][data-lot=\"\"]').value === '13'"
    )
    dock.hook("receive-damaged").check()
    dock.wedge(unit)
    wait_said(dock, "1 contado → 1")
    assert entry(dock, damaged=True).input_value() == "1"
    assert dock.text("receive-submit") == "Recibir 15 unidades"
    # The dock's Wi-Fi drops as the count is sent: kept on the phone, sent once (its key) when it is back.
    dock.context.set_offline(True)
    dock.hook("receive-submit").click()
    wait_said(dock, "Sin red")
    dock.context.set_offline(False)
    wait_said(dock, "15 recibidas")

    [receipt] = baton.admin.ok("GET", f"/purchase-orders/{po['id']}/receipts")["items"]
    lines = {
        (line["qty"], line["lot"], line["expiry"], line["damaged"], line["reason"])
        for line in receipt["lines"]
    }
    assert lines == {
        (13, None, None, False, ""),
        (1, "LOT7", "2027-04-30", False, ""),
        (1, None, None, True, "crushed"),
    }
    assert receipt["status"] == "partially_received"

    # The 14 good units wait at the dock; the put-away trip takes them to a bin, scanned bin by bin.
    [task] = [
        t
        for t in baton.admin.ok("GET", f"/tasks?type=putaway&warehouse={WAREHOUSE}&status=created")
        if any(s["sku"] == sku for s in t["stops"])
    ]
    baton.assign(task["id"], picker)
    floor = new_phone()
    floor.sign_in(picker)
    floor.next_task("putaway")
    walk_putaway(baton, floor, baton.task(task["id"]), {sku: unit})
    places = {
        row["location"]: row["on_hand"]
        for row in baton.admin.ok("GET", f"/inventory?by=location&warehouse={WAREHOUSE}&sku={sku}")["items"]
        if row["on_hand"]
    }
    assert places == {stop["location"]: 14 for stop in task["stops"]} | {"QUARANTINE": 1}
