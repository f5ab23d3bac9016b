"""An admin subscribes the ERP to Baton's events: the URL and events checked, the secret shown once."""

import base64

from sqlalchemy import select

from baton.extensions import db
from baton.models import Event

from .conftest import subscribe

ERP = "https://erp.example.com/hooks/baton"


def test_a_new_webhook_gets_a_standard_webhooks_secret_shown_only_once(admin):
    created = subscribe(admin, ERP, ["order.*", "shipment.shipped"])
    assert created["enabled"] is True and created["events"] == ["order.*", "shipment.shipped"]
    assert created["secret"].startswith("whsec_")
    assert len(base64.b64decode(created["secret"].removeprefix("whsec_"))) == 32
    listed = admin.ok("GET", "/webhooks")["webhooks"]
    assert [w["id"] for w in listed] == [created["id"]]
    assert "secret" not in listed[0] and "secret" not in admin.ok("GET", f"/webhooks/{created['id']}")
    own = "whsec_" + base64.b64encode(b"k" * 24).decode()
    assert subscribe(admin, "http://127.0.0.1:9/in", ["*"], secret=own)["secret"] == own


def test_a_url_or_event_that_cannot_work_is_refused_with_the_field_named(admin):
    cases = [
        ({"url": "ftp://erp.example.com/in", "events": ["order.*"]}, "url"),
        ({"url": "erp.example.com", "events": ["order.*"]}, "url"),
        ({"url": ERP, "events": ["order.shiped"]}, "events"),
        ({"url": ERP, "events": ["invoices.*"]}, "events"),
        ({"url": ERP, "events": []}, "events"),
        ({"url": ERP, "events": ["*"], "secret": "not-a-secret"}, "secret"),
        ({"url": ERP, "events": ["*"], "secret": "whsec_" + base64.b64encode(b"short").decode()}, "secret"),
    ]
    for body, field in cases:
        refused = admin.post("/webhooks", body)
        assert refused.status == 422, body
        assert field in refused.json["error"]["details"]["fields"], (body, refused.json)
    typo = admin.post("/webhooks", cases[2][0]).json["error"]["details"]["fields"]["events"]
    assert "order.shiped" in typo[0]
    assert admin.ok("GET", "/webhooks")["webhooks"] == []


def test_the_event_list_names_every_event_the_issue_asks_for(admin):
    known = admin.ok("GET", "/webhooks/events")
    for name in (
        "order.received",
        "order.on_hold",
        "order.released",
        "order.allocated",
        "order.cancelled",
        "order.shipped",
        "order.delivered",
        "shipment.labelled",
        "shipment.shipped",
        "shipment.delivered",
        "stock.changed",
        "invoice.issued",
        "credit_note.issued",
        "payment.received",
        "return.received",
        "return.credited",
    ):
        assert name in known["events"]
    families = ["credit_note", "invoice", "order", "payment", "return", "shipment", "stock"]
    assert known["families"] == families and known["everything"] == "*"


def test_an_admin_changes_pauses_resumes_and_deletes_a_webhook(admin):
    hook = subscribe(admin, ERP, ["order.*"])
    changed = admin.ok("PATCH", f"/webhooks/{hook['id']}", {"events": ["stock.changed"], "url": ERP + "/v2"})
    assert (changed["events"], changed["url"]) == (["stock.changed"], ERP + "/v2")
    paused = admin.ok("PATCH", f"/webhooks/{hook['id']}", {"enabled": False})
    assert paused["enabled"] is False and paused["disabled_reason"] == "Switched off by admin."
    resumed = admin.ok("PATCH", f"/webhooks/{hook['id']}", {"enabled": True})
    assert resumed["enabled"] is True and resumed["disabled_reason"] == ""
    assert admin.patch(f"/webhooks/{hook['id']}", {"url": "mailto:erp@example.com"}).status == 422
    assert admin.patch(f"/webhooks/{hook['id']}", {"secret": "whsec_x"}).status == 422  # not changeable

    assert admin.request("DELETE", f"/webhooks/{hook['id']}").status == 204
    assert admin.get(f"/webhooks/{hook['id']}").status == 404
    assert admin.request("DELETE", f"/webhooks/{hook['id']}").status == 404
    assert admin.ok("GET", "/webhooks")["webhooks"] == []
    kinds = db.session.scalars(select(Event.kind).where(Event.entity == "webhook").order_by(Event.id)).all()
    assert kinds == ["webhook.created", *["webhook.updated"] * 3, "webhook.deleted"]


def test_only_admins_manage_webhooks(admin, office, supervisor, picker):
    hook = subscribe(admin, ERP, ["order.*"])
    for someone in (office, supervisor, picker):
        assert someone.get("/webhooks").status == 403
        assert someone.post("/webhooks", {"url": ERP, "events": ["*"]}).status == 403
        assert someone.patch(f"/webhooks/{hook['id']}", {"enabled": False}).status == 403
        assert someone.get(f"/webhooks/{hook['id']}/deliveries").status == 403
