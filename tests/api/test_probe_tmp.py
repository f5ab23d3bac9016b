import pytest, logging
from tests.support import add_product, add_warehouse, add_customer, receive, order_body, EAST

def test_probe(office, admin, db_kind, caplog, monkeypatch):
    import baton.api.errors as E
    monkeypatch.setattr(E.log, "exception", lambda *a: print("    EXC", repr(__import__("sys").exc_info()[1])[:300]))
    c = add_customer(office)
    def show(label, r):
        print(f"{label:40s} {r.status} {str(r.json)[:150]}")
        for rec in caplog.records:
            if rec.exc_info: print("   ", repr(rec.exc_info[1])[:300])
        caplog.clear()
    b = order_body(c["id"], [("A-1", 1)], "x1")
    show("due_at", office.post("/orders", json=dict(b, external_id="d1", due_at="0001-01-01T00:00:00+01:00")))
    show("due_at2", office.post("/orders", json=dict(b, external_id="d2", due_at="9999-12-31T23:59:59-01:00")))
    show("created_from", office.get("/orders?created_from=0001-01-01T00:00:00%2B01:00"))
    show("page huge", office.get("/orders?page=100000000000000000000"))
    show("page huge2", office.get("/orders?page=10000000000000000"))
    show("surrogate", office.post("/orders", json=dict(b, external_id="\ud800")))
    show("surrogate q", office.get("/orders?q=%ED%A0%80"))
    show("nul", office.post("/orders", json=dict(b, external_id="a\x00b")))
