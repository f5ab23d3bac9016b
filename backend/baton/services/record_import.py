"""CSV import of products, customers and stock counts: one row, one record; all rows or none.

Each row is checked by the same schema as its API call (`POST /products`, `POST /customers`,
`POST /inventory/adjustments`), then every record is applied through the same service in ONE transaction
(each service's own transaction becomes a savepoint): a row the service refuses (a barcode already taken,
a count below what is reserved) is reported on its row and nothing is kept. A dry run does exactly the same
and rolls back at the end, so it finds every problem the import would.

Files: UTF-8, header first (see services/importer.py for the shared reading rules and row numbers).
    products:      sku, name, unit_price, weight_kg, length_cm, width_cm, height_cm,
                   handling?, food?, active?, barcode?, barcode_units?
    customers:     name, email, type?, ship_policy?, discount_pct?, credit_limit?, language?, terms?,
                   address_label?, address_line1?, address_line2?, address_city?, address_region?,
                   address_postal_code?, address_country?
    stock_counts:  warehouse, location, sku, counted, reason?
    suppliers:     name, email, lead_time_days, currency?, payment_terms?, address_line1?, address_line2?,
                   address_city?, address_region?, address_postal_code?, address_country?
    supplier_items: supplier (its name), sku, unit_cost, supplier_sku?, moq?, pack_multiple?,
                   lead_time_days?, preferred?, warehouse? (with preferred: for that warehouse only)
Re-importing: a product whose SKU, a customer whose email, a supplier whose name or a supplier item whose
supplier and SKU is already there is skipped and counted; a count equal to what the bin holds changes nothing.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from marshmallow import ValidationError
from sqlalchemy import func, select

from ..domain.errors import BatonError, NotFound
from ..extensions import db
from ..models import Customer, Location, Product, Stock, Supplier, SupplierItem, User, Warehouse
from . import catalog, customers, inventory, suppliers
from .importer import PROGRESS_EVERY, ImportResult, RowError, _first_message, _whole_number, read_rows
from .tx import COMMIT_AT_END


@dataclass(frozen=True)
class Kind:
    columns: tuple[str, ...]
    required: tuple[str, ...]
    to_data: Callable[[dict], dict]  # the row's cells (blank ones left out) → the API body
    schema: Callable[[], object]  # the API's schema, the one definition of a good record
    where: Callable[[str], str]  # a schema error path → the CSV column it came from
    apply: Callable[[dict, User | None], str]  # "created" | "skipped"


def _product_data(c: dict) -> dict:
    data = {k: c[k] for k in ("sku", "name", "unit_price", "weight_kg", "handling") if k in c}
    data["dims_cm"] = {
        k: c[f"{col}_cm"] for k, col in (("l", "length"), ("w", "width"), ("h", "height")) if f"{col}_cm" in c
    }
    for flag in ("food", "active"):
        if flag in c:
            data[flag] = c[flag].lower() in ("1", "yes", "true", "y")
    if "barcode" in c:
        units = _whole_number(c.get("barcode_units", "1"))
        data["barcodes"] = [
            {"code": c["barcode"], "units": units if units is not None else c.get("barcode_units")}
        ]
    return data


def _product_column(path: str) -> str:
    dims = {"dims_cm.l": "length_cm", "dims_cm.w": "width_cm", "dims_cm.h": "height_cm"}
    if path.startswith("barcodes"):
        return "barcode_units" if path.endswith("units") else "barcode"
    return dims.get(path, path.split(".")[0].replace("dims_cm", "length_cm"))


def _apply_product(data: dict, actor: User | None) -> str:
    if db.session.scalar(select(Product.id).where(Product.sku == data["sku"])):
        return "skipped"
    catalog.create_product(data, actor)
    return "created"


ADDRESS = ("label", "line1", "line2", "city", "region", "postal_code", "country")
SUPPLIER_ADDRESS = ADDRESS[1:]  # a supplier's address has no label


def _customer_data(c: dict) -> dict:
    keys = ("name", "email", "type", "ship_policy", "discount_pct", "credit_limit", "language", "terms")
    data = {k: c[k] for k in keys if k in c}
    address = {k: c[f"address_{k}"] for k in ADDRESS if f"address_{k}" in c}
    if address:
        data["addresses"] = [{"name": c.get("name", ""), **address}]
    return data


def _customer_column(path: str) -> str:
    parts = path.split(".")
    return f"address_{parts[-1]}" if parts[0] == "addresses" and len(parts) == 3 else parts[0]


def _apply_customer(data: dict, actor: User | None) -> str:
    if db.session.scalar(select(Customer.id).where(func.lower(Customer.email) == data["email"].lower())):
        return "skipped"
    customers.create_customer(data, actor)
    return "created"


def _count_data(c: dict) -> dict:
    counted = _whole_number(c["counted"]) if "counted" in c else None
    return {
        "warehouse": c.get("warehouse"),
        "location": c.get("location"),
        "sku": c.get("sku"),
        "counted": counted if counted is not None else c.get("counted"),
        "reason": c.get("reason") or "stock count",
    }


def _apply_count(data: dict, actor: User | None) -> str:
    on_hand = db.session.scalar(
        select(func.coalesce(func.sum(Stock.on_hand), 0))
        .join(Location, Location.id == Stock.location_id)
        .join(Warehouse, Warehouse.id == Stock.warehouse_id)
        .join(Product, Product.id == Stock.product_id)
        .where(
            Warehouse.code == data["warehouse"], Location.code == data["location"], Product.sku == data["sku"]
        )
    )
    delta = data["counted"] - int(on_hand or 0)
    if delta == 0:
        return "skipped"
    inventory.adjust({**data, "delta": delta}, actor)
    return "created"


def _product_schema():
    from ..api.products import ProductIn  # the API's schema: one definition of an acceptable product

    return ProductIn()


def _customer_schema():
    from ..api.customers import CustomerIn

    return CustomerIn()


def _count_schema():
    from marshmallow import Schema, fields, validate

    from ..schemas.common import MAX_QTY

    class CountIn(Schema):
        warehouse = fields.String(required=True, validate=validate.Length(min=1, max=20))
        location = fields.String(required=True, validate=validate.Length(min=1, max=40))
        sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
        counted = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_QTY))
        reason = fields.String(validate=validate.Length(min=1, max=200))

    return CountIn()


def _numbers(c: dict, keys: tuple[str, ...]) -> dict:
    """Whole-number cells as numbers (the API's integers are strict); a bad one stays text for the error."""
    out = dict(c)
    for key in keys:
        if key in c:
            number = _whole_number(c[key])
            out[key] = number if number is not None else c[key]
    return out


def _supplier_data(c: dict) -> dict:
    data = {k: v for k, v in _numbers(c, ("lead_time_days",)).items() if not k.startswith("address_")}
    address = {k: c[f"address_{k}"] for k in SUPPLIER_ADDRESS if f"address_{k}" in c}
    if address:
        data["address"] = address
    return data


def _apply_supplier(data: dict, actor: User | None) -> str:
    if db.session.scalar(select(Supplier.id).where(Supplier.name == data["name"])):
        return "skipped"
    suppliers.create_supplier(data, actor)
    return "created"


def _supplier_schema():
    from ..api.supply import SupplierIn

    return SupplierIn()


def _item_data(c: dict) -> dict:
    return _numbers(c, ("moq", "pack_multiple", "lead_time_days"))


def _apply_item(data: dict, actor: User | None) -> str:
    name = data.pop("supplier")
    supplier_id = db.session.scalar(select(Supplier.id).where(Supplier.name == name))
    if supplier_id is None:
        raise NotFound(f"No supplier named {name}: import the suppliers first.", code="unknown_supplier")
    product_id = db.session.scalar(select(Product.id).where(Product.sku == data["sku"]))
    taken = select(SupplierItem.id).where(
        SupplierItem.supplier_id == supplier_id, SupplierItem.product_id == product_id
    )
    if product_id is not None and db.session.scalar(taken):
        return "skipped"
    suppliers.create_item({**data, "supplier_id": supplier_id}, actor)
    return "created"


def _item_schema():
    from marshmallow import fields, validate

    from ..api.supply import SupplierItemIn

    class SupplierItemRow(SupplierItemIn):
        supplier_id = fields.Integer(load_default=None)  # found from the supplier's name when applied
        supplier = fields.String(required=True, validate=validate.Length(min=1, max=120))

    return SupplierItemRow()


KINDS = {
    "products": Kind(
        (
            "sku",
            "name",
            "unit_price",
            "weight_kg",
            "length_cm",
            "width_cm",
            "height_cm",
            "handling",
            "food",
            "active",
            "barcode",
            "barcode_units",
        ),
        ("sku", "name", "unit_price", "weight_kg", "length_cm", "width_cm", "height_cm"),
        _product_data,
        _product_schema,
        _product_column,
        _apply_product,
    ),
    "customers": Kind(
        (
            "name",
            "email",
            "type",
            "ship_policy",
            "discount_pct",
            "credit_limit",
            "language",
            "terms",
            *(f"address_{k}" for k in ADDRESS),
        ),
        ("name", "email"),
        _customer_data,
        _customer_schema,
        _customer_column,
        _apply_customer,
    ),
    "stock_counts": Kind(
        ("warehouse", "location", "sku", "counted", "reason"),
        ("warehouse", "location", "sku", "counted"),
        _count_data,
        _count_schema,
        lambda path: path.split(".")[0],
        _apply_count,
    ),
    "suppliers": Kind(
        (
            "name",
            "email",
            "lead_time_days",
            "currency",
            "payment_terms",
            *(f"address_{k}" for k in SUPPLIER_ADDRESS),
        ),
        ("name", "email", "lead_time_days"),
        _supplier_data,
        _supplier_schema,
        lambda path: f"address_{path.split('.')[-1]}" if path.startswith("address.") else path.split(".")[0],
        _apply_supplier,
    ),
    "supplier_items": Kind(
        (
            "supplier",
            "sku",
            "unit_cost",
            "supplier_sku",
            "moq",
            "pack_multiple",
            "lead_time_days",
            "preferred",
            "warehouse",
        ),
        ("supplier", "sku", "unit_cost"),
        _item_data,
        _item_schema,
        lambda path: path.split(".")[0],
        _apply_item,
    ),
}


def import_records_csv(
    kind: str,
    content: bytes,
    *,
    actor: User | None,
    dry_run: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    spec = KINDS[kind]
    errors: list[RowError] = []
    rows = read_rows(content, errors, spec.columns, spec.required)
    if rows is None:
        return ImportResult(errors=errors)
    schema = spec.schema()
    loaded = []
    for row in rows:
        try:
            loaded.append((row, schema.load(spec.to_data({k: v for k, v in row.cells.items() if v != ""}))))
        except ValidationError as problem:
            errors += [
                RowError(row.line, spec.where(path), message) for path, message in _flat(problem.messages)
            ]
    if errors:
        return ImportResult(errors=errors, rows=len(rows))
    result = ImportResult(rows=len(rows))
    with _all_or_nothing(keep=not dry_run) as outcome:
        for done, (row, data) in enumerate(loaded, start=1):
            if on_progress is not None and done % PROGRESS_EVERY == 0:
                on_progress(done, len(loaded))
            try:
                if spec.apply(data, actor) == "created":
                    result.created += 1
                else:
                    result.skipped += 1
            except BatonError as refused:
                errors.append(RowError(row.line, _blamed(refused, spec), str(refused)))
        outcome["keep"] = not errors and not dry_run
    result.errors = errors
    return result


@contextmanager
def _all_or_nothing(keep: bool):
    """One transaction for the whole file: the services' own transactions become savepoints (as under an
    Idempotency-Key), a refused row undoes only itself, and the end commits all or rolls back all."""
    outcome = {"keep": keep}
    session = db.session
    already = session.info.get(COMMIT_AT_END)
    session.info[COMMIT_AT_END] = True
    try:
        yield outcome
        if outcome["keep"]:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        if not already:
            session.info.pop(COMMIT_AT_END, None)


def _blamed(refused: BatonError, spec: Kind) -> str:
    code = getattr(refused, "code", "") or ""
    if "barcode" in code:
        return "barcode"
    if code in ("negative_stock", "reserved_stock"):
        return "counted"
    if code == "unknown_supplier":
        return "supplier"
    for column in ("location", "warehouse", "sku"):
        if column in str(refused).lower() and column in spec.columns:
            return column
    return "file"


def _flat(messages, prefix: str = ""):
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flat(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix or "file", _first_message(messages)
