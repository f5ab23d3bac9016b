"""Helpers that build test data through the API, the way an integration or the office would."""

import time
from dataclasses import dataclass
from decimal import Decimal

from baton.domain.barcodes import gtin_with_check_digit
from baton.services.users import create_user

ROLE_PASSWORDS = {role: f"{role}-pass-123" for role in ("admin", "supervisor", "office", "picker", "packer")}
ROLE_BADGES = {"picker": ("B-PICKER-1", "4321"), "packer": ("B-PACKER-1", "8765")}

EAST = {
    "code": "EAST",
    "name": "East Coast DC",
    "address": {
        "line1": "200 Cabot St",
        "city": "Beverly",
        "region": "MA",
        "postal_code": "01915",
        "country": "US",
    },
    "layout": {
        "aisles": 10,
        "bays_per_aisle": 20,
        "aisle_pitch_m": "3.0",
        "aisle_length_m": "30.0",
        "depot_x_m": "0",
    },
}
WEST = {
    "code": "WEST",
    "name": "West Coast DC",
    "address": {
        "line1": "1 Market St",
        "city": "San Francisco",
        "region": "CA",
        "postal_code": "94105",
        "country": "US",
    },
    "layout": {
        "aisles": 10,
        "bays_per_aisle": 20,
        "aisle_pitch_m": "3.0",
        "aisle_length_m": "30.0",
        "depot_x_m": "0",
    },
}
# Closer to East than to West: the field guide's customer.
NEW_YORK = {
    "name": "Spice Shop NYC",
    "line1": "350 5th Ave",
    "city": "New York",
    "region": "NY",
    "postal_code": "10118",
    "country": "US",
}


def put_in_warehouse(admin: "ApiClient", warehouse: str | None, *people: "ApiClient") -> None:
    """Move signed-in role users to a warehouse; the move ends their tokens, so each signs in again."""
    for person in people:
        admin.ok("PATCH", f"/users/{person.role}", {"warehouse": warehouse})
        person.renew()


def create_role_users() -> None:
    for role, password in ROLE_PASSWORDS.items():
        badge, pin = ROLE_BADGES.get(role, (None, None))
        create_user(role, password, role, badge=badge, pin=pin)


@dataclass
class Response:
    status: int
    json: dict | list | None
    headers: dict


_tokens: dict[tuple[str, str], str] = {}


class ApiClient:
    def __init__(self, client, token: str | None, role: str | None = None, key: tuple | None = None):
        self.client = client
        self._token = token
        self.role = role
        self._key = key  # a role user's client follows the run's cached token once a helper signs in again

    @property
    def token(self) -> str | None:
        return _tokens.get(self._key, self._token) if self._key else self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token, self._key = value, None

    @classmethod
    def signed_in(cls, client, role: str) -> "ApiClient":
        # One token per role and database for the whole run: users and tokens survive between tests,
        # and Argon2 is deliberately slow.
        key = (client.application.config["SQLALCHEMY_DATABASE_URI"], role)
        if key in _tokens:
            # A test may have ended it (a new PIN or role, a deactivation sign the user out everywhere).
            me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {_tokens[key]}"})
            if me.status_code == 401:
                del _tokens[key]
        if key not in _tokens:
            response = client.post(
                "/api/v1/auth/token", json={"username": role, "password": ROLE_PASSWORDS[role]}
            )
            assert response.status_code == 200, response.get_json()
            _tokens[key] = response.get_json()["token"]
        return cls(client, _tokens[key], role, key)

    def renew(self) -> "ApiClient":
        """Signs in again if a change (a new warehouse, role or PIN) ended this client's token."""
        ApiClient.signed_in(self.client, self.role)
        return self

    def _headers(self, extra=None):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, json=None, data=None, headers=None) -> Response:
        kwargs = {"headers": self._headers(headers)}
        if json is not None:
            kwargs["json"] = json
        if data is not None:
            kwargs["data"] = data
        response = self.client.open(f"/api/v1{path}", method=method, **kwargs)
        body = response.get_json(silent=True)
        return Response(response.status_code, body, dict(response.headers))

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def ok(self, method: str, path: str, json=None, expect=(200, 201)):
        response = self.request(method, path, json=json)
        assert response.status in (expect if isinstance(expect, tuple) else (expect,)), (
            response.status,
            response.json,
        )
        return response.json


_gtin_counter = [100000]


def new_gtin() -> str:
    _gtin_counter[0] += 1
    return gtin_with_check_digit(f"0{_gtin_counter[0]:06d}12345"[:12])


def add_warehouse(api: ApiClient, spec: dict, locations: int = 10) -> dict:
    warehouse = api.ok("POST", "/warehouses", spec)
    layout = spec["layout"]
    spots = [
        (aisle, bay)
        for aisle in range(1, layout["aisles"] + 1)
        for bay in range(1, layout["bays_per_aisle"] + 1)
    ]
    # Two aisles first (E01-01, E01-02, ... E02-01, ...), like a small pick face, then the rest.
    spots.sort(key=lambda spot: (spot[0] > 2, spot[1] > locations // 2, spot))
    api.ok(
        "POST",
        f"/warehouses/{spec['code']}/locations",
        {
            "locations": [
                {"code": f"{spec['code'][0]}{aisle:02d}-{bay:02d}", "aisle": aisle, "bay": bay}
                for aisle, bay in spots[:locations]
            ]
        },
    )
    return warehouse


def add_product(
    api: ApiClient, sku: str, price: str = "2.50", handling: str = "ambient", case_units=None, **extra
) -> dict:
    barcodes = [{"code": new_gtin(), "units": 1}]
    if case_units:
        barcodes.append({"code": new_gtin(), "units": case_units})
    body = {
        "sku": sku,
        "name": f"Product {sku}",
        "barcodes": barcodes,
        "weight_kg": "0.250",
        "dims_cm": {"l": "10", "w": "5", "h": "3"},
        "handling": handling,
        "unit_price": price,
    }
    body.update(extra)
    return api.ok("POST", "/products", body)


def receive(api: ApiClient, warehouse: str, location: str, sku: str, qty: int, reason="receipt") -> dict:
    return api.ok(
        "POST",
        "/inventory/adjustments",
        {"warehouse": warehouse, "location": location, "sku": sku, "delta": qty, "reason": reason},
    )


def add_customer(api: ApiClient, **fields) -> dict:
    body = {
        "name": "Spice Shop",
        "email": "buyer@spice.example",
        "type": "wholesale",
        "ship_policy": "partial",
        "discount_pct": "10",
    }
    body.update(fields)
    return api.ok("POST", "/customers", body)


def order_body(customer_id: int, lines: list[tuple[str, int]], external_id: str, **fields) -> dict:
    body = {
        "external_id": external_id,
        "customer_id": customer_id,
        "ship_to": dict(NEW_YORK),
        "lines": [{"sku": sku, "qty": qty} for sku, qty in lines],
    }
    body.update(fields)
    return body


def level(api: ApiClient, sku: str, warehouse: str) -> dict:
    items = api.ok("GET", f"/inventory?sku={sku}")["items"]
    return next(
        (i for i in items if i["warehouse"] == warehouse), {"on_hand": 0, "reserved": 0, "available": 0}
    )


def money(value) -> Decimal:
    return Decimal(str(value))


def staff_work_at(admin: ApiClient, code: str, roles=("picker", "packer", "supervisor")) -> None:
    """Floor workers and supervisors act only in their own warehouse: put the role users in this one."""
    for role in roles:
        admin.ok("PATCH", f"/users/{role}", {"warehouse": code})
        ApiClient.signed_in(admin.client, role)  # a move ends their tokens: sign in again


def wait_until(check, what: str, timeout_s: float = 60) -> None:
    """Poll `check()` every 0.1 s until it is true; fail naming `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting: {what}")
