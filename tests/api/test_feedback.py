"""After delivery the customer is asked once to rate the order: a signed link, a rating of 1-5 stored once
per order (the link used again edits it), a forged link is a 404, a bad rating opens a follow-up in the
office; CSAT on the board and per customer; the usual reorder interval and who is due to reorder."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from baton.extensions import db
from baton.models import Notice, Order, Rating
from baton.models.base import utcnow
from baton.services.feedback_links import token_for
from baton.services.tracking_links import token_for as tracking_token
from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive
from tests.tracking_support import CARRIER, event, hand_to_carrier, packed_order, parcels_of, send


@pytest.fixture
def db_kind():
    return "sqlite"  # one rating per order is a unique key; nothing here races


@pytest.fixture
def delivered(client, admin, office):
    """Bob's order of SPICE, packed, handed to Acme and delivered (the carrier's signed webhook)."""
    add_warehouse(admin, EAST)
    add_product(office, "SPICE", price="4.00", name="Smoked paprika 50 g")
    receive(admin, "EAST", "E01-01", "SPICE", 500)
    admin.ok("POST", "/carriers", CARRIER, expect=201)
    bob = add_customer(office, name="Bob Stone", email="bob@example.com")
    order = packed_order(admin, office, bob["id"], [("SPICE", 4)], "rate-1")
    hand_to_carrier(order["id"])
    (parcel,) = parcels_of(order["id"])
    events = [event(parcel.tracking_number, "delivered", utcnow(), "ev-delivered")]
    assert send(client, events).status_code == 200
    db.session.rollback()
    return {"order": order, "customer": bob, "token": token_for(order["id"]), "events": events}


def feedback_notices(order_id: int) -> list[Notice]:
    db.session.rollback()
    return list(
        db.session.scalars(select(Notice).where(Notice.order_id == order_id, Notice.kind == "feedback"))
    )


def rate(client, token: str, score: int, comment: str = ""):
    return client.post(f"/api/v1/feedback/{token}", json={"score": score, "comment": comment})


def test_delivery_asks_once_for_a_rating_with_a_signed_link(client, delivered):
    (notice,) = feedback_notices(delivered["order"]["id"])
    assert notice.payload["rating_url"].endswith(f"/r/{delivered['token']}")
    assert notice.recipient == "bob@example.com"
    send(client, delivered["events"])  # the carrier repeats itself: nobody is asked twice
    assert len(feedback_notices(delivered["order"]["id"])) == 1


def test_the_rating_page_works_without_login_in_the_customers_language(client, office, delivered):
    html = client.get(f"/r/{delivered['token']}").get_data(as_text=True)
    assert f"How was order {delivered['order']['number']}?" in html and 'name="score"' in html
    office.ok("PATCH", f"/customers/{delivered['customer']['id']}", {"language": "es"})
    response = client.get(f"/r/{delivered['token']}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    assert "¿Qué tal el pedido" in response.get_data(as_text=True) and 'lang="es"' in response.get_data(
        as_text=True
    )


def test_a_link_used_twice_counts_once_and_the_second_use_edits_the_rating(client, office, delivered):
    token = delivered["token"]
    first = rate(client, token, 4, "Quick")
    assert first.status_code == 201 and first.get_json()["rating"]["score"] == 4
    again = rate(client, token, 5, "Quick and well packed")
    assert again.status_code == 200
    assert again.get_json()["rating"] | {"rated_at": None, "updated_at": None} == {
        "score": 5,
        "comment": "Quick and well packed",
        "edits": 1,
        "rated_at": None,
        "updated_at": None,
    }
    # The page's form (no script): post, then the stored rating is shown, never a second one.
    form = client.post(f"/r/{token}", data={"score": "3", "comment": "On reflection"})
    assert form.status_code == 303
    shown = client.get(form.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="rating-stored" data-score="3"' in shown and "On reflection" in shown
    db.session.rollback()
    assert db.session.scalars(
        select(Rating.score).where(Rating.order_id == delivered["order"]["id"])
    ).all() == [3]
    timeline = office.ok("GET", f"/orders/{delivered['order']['id']}/events")
    kinds = [e["kind"] for e in timeline["events"]]
    assert kinds.count("order.rated") == 1 and kinds.count("order.rating_changed") == 2


@pytest.mark.parametrize("kind", ["garbage", "forged", "tracking", "long"])
def test_a_forged_link_is_a_404(client, delivered, kind):
    token = {
        "garbage": "not-a-token",
        "forged": delivered["token"][:-3] + "abc",
        "tracking": tracking_token(delivered["order"]["id"]),  # another link's signature opens nothing here
        "long": "x" * 500,
    }[kind]
    page = client.get(f"/r/{token}")
    assert page.status_code == 404 and "not valid" in page.get_data(as_text=True)
    assert client.post(f"/r/{token}", data={"score": "5"}).status_code == 404
    answer = rate(client, token, 5)
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "no_rating_page"
    assert client.get(f"/api/v1/feedback/{token}").status_code == 404
    db.session.rollback()
    assert db.session.scalar(select(Rating.id)) is None


def test_a_bad_rating_opens_one_follow_up_the_office_assigns_notes_and_closes(client, office, delivered):
    assert rate(client, delivered["token"], 2, "Box crushed").status_code == 201
    (follow_up,) = office.ok("GET", "/follow-ups?status=waiting")
    assert (follow_up["status"], follow_up["score"], follow_up["comment"]) == ("open", 2, "Box crushed")
    rate(client, delivered["token"], 1, "And the lid was open")  # worse, but the same order: one follow-up
    assert len(office.ok("GET", "/follow-ups")) == 1

    fid = follow_up["id"]
    assert office.ok("POST", f"/follow-ups/{fid}/assign", {"username": "office"})["assignee"] == "office"
    noted = office.ok("POST", f"/follow-ups/{fid}/notes", {"text": "Called Bob: replacement sent."})
    assert [n["text"] for n in noted["notes"]] == ["Called Bob: replacement sent."]
    closed = office.ok("POST", f"/follow-ups/{fid}/close", {"note": "Bob is happy again."})
    assert closed["status"] == "closed" and len(closed["notes"]) == 2
    late = office.post(f"/follow-ups/{fid}/notes", {"text": "one more"})
    assert late.status == 409
    assert office.post(f"/follow-ups/{fid}/assign", {"username": "office"}).status == 409
    assert office.ok("GET", "/follow-ups?status=waiting") == []


def test_a_good_rating_opens_no_follow_up(client, office, delivered):
    rate(client, delivered["token"], 4)
    assert office.ok("GET", "/follow-ups") == []


def test_csat_on_the_board_and_per_customer_with_the_returns_rate(client, admin, office, delivered):
    assert admin.ok("GET", "/board/EAST")["satisfaction"]["csat_pct"] is None  # no ratings: no data
    rate(client, delivered["token"], 5)
    board = admin.ok("GET", "/board/EAST")["satisfaction"]
    assert (board["ratings"], board["satisfied"], board["csat_pct"]) == (1, 1, 100.0)
    mine = office.ok("GET", f"/customers/{delivered['customer']['id']}/satisfaction")
    assert mine["csat"]["csat_pct"] == 100.0 and mine["by_month"][0]["ratings"] == 1
    assert mine["returns_rate"] == 0.0 and mine["returns_note"].startswith("0 of 1 shipped orders")
    line = {"order_id": delivered["order"]["id"], "sku": "SPICE", "qty": 1, "reason": "defective"}
    office.ok("POST", "/returns", {"customer_id": delivered["customer"]["id"], "lines": [line]})
    assert office.ok("GET", f"/customers/{delivered['customer']['id']}/satisfaction")["returns_rate"] == 100.0
    nobody = add_customer(office, name="New Shop", email="new@shop.example")
    fresh = office.ok("GET", f"/customers/{nobody['id']}/satisfaction")
    assert fresh["returns_rate"] is None and fresh["returns_note"].startswith("no data")
    assert [r["score"] for r in mine["ratings"]] == [5]


def test_the_usual_reorder_interval_and_who_is_due(admin, office, delivered):
    """Ann orders every 14 days and last ordered 15 days ago: due. Cy orders every 14 days too, but 3 days
    ago: not yet. Dee has ordered twice: no habit yet."""

    def history(name: str, days_ago: list[int]) -> int:
        customer = add_customer(office, name=name, email=f"{name.lower()}@shop.example")
        for n, ago in enumerate(days_ago):
            body = order_body(customer["id"], [("SPICE", 1)], f"{name}-{n}")
            placed = office.ok("POST", "/orders", body)
            db.session.execute(
                update(Order)
                .where(Order.id == placed["id"])
                .values(created_at=utcnow() - timedelta(days=ago))
            )
        db.session.commit()
        return customer["id"]

    ann, cy, dee = history("Ann", [43, 29, 15]), history("Cy", [31, 17, 3]), history("Dee", [20, 5])
    due = office.ok("GET", "/reorders/due")["items"]
    assert [(d["customer_id"], d["interval_days"], d["overdue_days"]) for d in due] == [(ann, 14.0, 1)]
    soon = office.ok("GET", "/reorders/due?within_days=14")["items"]
    assert [d["customer_id"] for d in soon] == [ann, cy]
    assert office.ok("GET", f"/customers/{cy}/satisfaction")["reorder"]["due"] is False
    dee_habit = office.ok("GET", f"/customers/{dee}/satisfaction")["reorder"]
    assert (dee_habit["orders"], dee_habit["interval_days"], dee_habit["due_at"]) == (2, None, None)
