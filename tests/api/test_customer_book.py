"""A customer's address book, contacts, terms, preferred carrier and notices, kept by the office."""

from tests.support import add_customer

HOME = {
    "label": "Store",
    "name": "Spice Shop NYC",
    "line1": "350 5th Ave",
    "city": "New York",
    "region": "NY",
    "postal_code": "10118",
    "country": "US",
}
DOCK = {**HOME, "label": "Dock", "line1": "10 Dock St"}


def test_office_keeps_the_address_book_contacts_terms_and_language(office):
    spice = add_customer(office)
    assert spice["terms"] == "prepaid" and spice["contacts"] == []
    changed = office.ok(
        "PATCH",
        f"/customers/{spice['id']}",
        {
            "addresses": [HOME, DOCK],
            "contacts": [
                {
                    "name": "Ana Ruiz",
                    "role": "buyer",
                    "email": "ana@spice.example",
                    "phone": "+1 212 555 0100",
                }
            ],
            "terms": "net30",
            "language": "es",
            "notifications": {"shipped": False},
        },
    )
    assert [a["label"] for a in changed["addresses"]] == ["Store", "Dock"]
    assert (
        changed["contacts"][0]["name"] == "Ana Ruiz"
        and changed["terms"] == "net30"
        and changed["language"] == "es"
    )
    # Removing an address is sending the book without it.
    after = office.ok("PATCH", f"/customers/{spice['id']}", {"addresses": [DOCK]})
    assert [a["label"] for a in after["addresses"]] == ["Dock"]
    assert office.ok("GET", f"/customers/{spice['id']}")["contacts"][0]["email"] == "ana@spice.example"


def test_a_bad_address_or_contact_is_named_by_its_place_in_the_list(office):
    spice = add_customer(office)
    bad = office.patch(
        f"/customers/{spice['id']}",
        {
            "addresses": [HOME, {**DOCK, "postal_code": ""}],
            "contacts": [{"name": "", "email": "not-mail"}],
            "terms": "net99",
        },
    )
    assert bad.status == 422
    fields = bad.json["error"]["details"]["fields"]
    assert "postal_code" in fields["addresses"]["1"]
    assert set(fields["contacts"]["0"]) == {"name", "email"}
    assert "terms" in fields
    assert office.ok("GET", f"/customers/{spice['id']}")["addresses"] == []


def test_a_preferred_service_needs_its_carrier(office):
    created = office.post("/customers", {"name": "X", "email": "x@x.example", "preferred_service": "GROUND"})
    assert created.status == 422
