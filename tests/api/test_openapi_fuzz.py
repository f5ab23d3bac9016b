"""schemathesis over Baton's own OpenAPI document: no input may cause a 5xx, every 4xx carries the JSON error.

Driven through `APIOperation.as_strategy` and plain Hypothesis rather than `schemathesis.pytest.from_fixture`,
whose lazy collection does not run under pytest 9 (it rewrites `Node._nodeid`, which pytest 9 removed).
"""

from dataclasses import dataclass

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from baton.extensions import db
from baton.models import ApiToken, User
from baton.services.users import create_user
from tests.conftest import _clean
from tests.support import EAST, ApiClient, add_customer, add_product, add_warehouse, order_body, receive

# The fuzzer's own admin: the sign-in fuzz posts wrong passwords for usernames it invents, and nothing it
# does may lock out the accounts the rest of the suite signs in with.
FUZZ_ADMIN = {"username": "fuzz-admin", "password": "fuzz-admin-pass-123"}
EXAMPLES_PER_OPERATION = 25
# Argon2 is slow on purpose, and these hash a password per request (a sign-in checks one even for an
# unknown username, so timing does not tell which usernames exist).
FEWER_EXAMPLES = {"POST /api/v1/users": 6, "POST /api/v1/auth/token": 10, "POST /api/v1/auth/login": 10}
# Bodies that name things (customer, SKU, warehouse, task) get a third pass aimed at real ones; so do paths.
STEERED_BODIES = {
    "POST /api/v1/orders",
    "POST /api/v1/inventory/adjustments",
    "POST /api/v1/waves",
    "POST /api/v1/scans",
}
# Signing in is fuzzed without a token; everything else as an admin, so requests reach the business logic.
AUTH_PATHS = r"^/api/v1/auth/"


def error_body_on_every_4xx(ctx, response, case):
    """The contract's error shape: {"error": {"code", "message", "details"?}} for every client mistake."""
    if not 400 <= response.status_code < 500:
        return None
    body = response.json()  # raises when the body is not JSON
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict), f"{response.status_code} without an error object: {body!r}"
    assert isinstance(error.get("code"), str) and error["code"], f"no error.code: {body!r}"
    assert isinstance(error.get("message"), str) and error["message"], f"no error.message: {body!r}"
    return None


CHECKS = [not_a_server_error, error_body_on_every_4xx]


@dataclass
class Seeds:
    """What a fuzzer cannot guess: the ids and codes of things that exist."""

    token: str
    order_id: int
    customer_id: int
    wave_id: int
    task_id: int
    sku: str = "FUZZ-1"
    warehouse: str = "EAST"
    location: str = "E01-01"

    @property
    def path_parameters(self) -> dict:
        return {
            "order_id": self.order_id,
            "customer_id": self.customer_id,
            "sku": self.sku,
            "code": self.warehouse,
            "wave_id": self.wave_id,
            "task_id": self.task_id,
            "username": FUZZ_ADMIN["username"],
        }

    def steer(self, case) -> None:
        """Aim a generated body at real things, so it gets past "no such customer/SKU/task" to the service."""
        known = {
            "customer_id": self.customer_id,
            "sku": self.sku,
            "warehouse": self.warehouse,
            "location": self.location,
            "task_id": self.task_id,
        }
        pending = [case.body]
        while pending:
            item = pending.pop()
            if isinstance(item, dict):
                item.update({key: known[key] for key in item.keys() & known.keys()})
                pending.extend(item.values())
            elif isinstance(item, list):
                pending.extend(item)


@pytest.fixture
def seeds(pg_app):
    """The admin fuzz runs on PostgreSQL, where wrong types, overflowing integers and NUL bytes surface
    (the hand-written cases in test_bad_input.py run on both databases)."""
    client = pg_app.test_client()
    if db.session.scalar(sa.select(User.id).where(User.username == FUZZ_ADMIN["username"])) is None:
        create_user(FUZZ_ADMIN["username"], FUZZ_ADMIN["password"], "admin")
    kept_users = set(db.session.scalars(sa.select(User.id)))
    fuzz_admin_id = db.session.scalar(sa.select(User.id).where(User.username == FUZZ_ADMIN["username"]))
    admin = ApiClient(client, client.post("/api/v1/auth/token", json=FUZZ_ADMIN).get_json()["token"])
    add_warehouse(admin, EAST)
    for sku in ("FUZZ-1", "FUZZ-2"):
        add_product(admin, sku)
        receive(admin, "EAST", "E01-01", sku, 50)
    customer = add_customer(admin)
    order = admin.ok("POST", "/orders", order_body(customer["id"], [("FUZZ-1", 2)], "fuzz-seed-1"))
    admin.ok("POST", "/orders", order_body(customer["id"], [("FUZZ-2", 3)], "fuzz-seed-2"))
    wave = admin.ok("POST", "/waves", {"warehouse": "EAST", "order_ids": [order["id"]]})
    yield Seeds(
        token=admin.token,
        order_id=order["id"],
        customer_id=customer["id"],
        wave_id=wave["id"],
        task_id=wave["tasks"][0]["id"],
    )
    # Users outlive a test (conftest keeps the table): undo PATCH /users (a warehouse is about to go), clean
    # up, then drop whoever POST /users made and the fuzz admin, now that nothing refers to them.
    db.session.rollback()
    db.session.execute(sa.update(User).values(warehouse_id=None))
    _clean("postgres")
    db.session.execute(sa.delete(ApiToken).where(ApiToken.user_id.not_in(kept_users - {fuzz_admin_id})))
    db.session.execute(sa.delete(User).where(User.id.not_in(kept_users - {fuzz_admin_id})))
    db.session.commit()


def _schema(app):
    config = schemathesis.Config.from_dict({"generation": {"deterministic": True}})
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=config)


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


def fuzz(schema, headers: dict, seeds: Seeds | None = None) -> None:
    """Per operation: valid requests, invalid ones and, with seeds, valid ones aimed at real records.
    Every failing operation is reported, not just the first."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        passes = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
        if seeds and ("{" in operation.path or operation.label in STEERED_BODIES):
            passes.append((GenerationMode.POSITIVE, seeds))
        for mode, steering in passes:
            try:
                _fuzz_operation(operation, mode, headers, steering)
            except Unsatisfiable:
                # An operation without any input has nothing to get wrong.
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (Exception, FailureGroup) as failure:
                label = f"{operation.label} ({mode.value}{', seeded' if steering else ''})"
                failures.append(f"{label}: {_describe(failure)}")
    assert not failures, "\n\n".join(failures)


def _describe(failure: BaseException) -> str:
    # A FailureGroup's own text names the failures and carries the curl line that reproduces them.
    return str(failure) if isinstance(failure, FailureGroup) else f"{type(failure).__name__}: {failure}"


def _fuzz_operation(operation, mode: GenerationMode, headers: dict, steering: Seeds | None) -> None:
    pinned = (
        {}
        if steering is None
        else {
            name: value for name, value in steering.path_parameters.items() if f"{{{name}}}" in operation.path
        }
    )

    @settings(FUZZ_SETTINGS, max_examples=FEWER_EXAMPLES.get(operation.label, EXAMPLES_PER_OPERATION))
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=pinned or None))
    def run(case):
        if steering:
            steering.steer(case)
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_no_request_from_an_admin_causes_a_server_error(pg_app, seeds):
    fuzz(_schema(pg_app).exclude(path_regex=AUTH_PATHS), {"Authorization": f"Bearer {seeds.token}"}, seeds)


def test_no_sign_in_attempt_causes_a_server_error(app):
    fuzz(_schema(app).include(path_regex=AUTH_PATHS), {})


def test_the_openapi_document_describes_the_error_body_baton_sends(client):
    spec = client.get("/api/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert "Error" not in schemas  # flask-smorest's {code, status, message, errors}: Baton never sends it
    envelope, detail = schemas["ErrorOut"], schemas["ErrorDetail"]
    assert envelope["required"] == ["error"]
    assert envelope["properties"]["error"] == {"$ref": "#/components/schemas/ErrorDetail"}
    assert set(detail["properties"]) == {"code", "message", "details"}
    assert detail["required"] == ["code", "message"]
    responses = spec["components"]["responses"]
    assert {"DEFAULT_ERROR", "UNPROCESSABLE_ENTITY"} <= set(responses)
    for response in responses.values():
        assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert spec["paths"]["/api/v1/orders"]["post"]["responses"]["default"] == {
        "$ref": "#/components/responses/DEFAULT_ERROR"
    }

    sent = client.post("/api/v1/auth/token", json={"username": ""}).get_json()
    assert set(sent) == {"error"}
    assert set(detail["required"]) <= set(sent["error"]) <= set(detail["properties"])
