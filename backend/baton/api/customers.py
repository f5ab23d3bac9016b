"""Customers."""

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.invoicing import FREIGHT_TERMS, INVOICE_POLICIES
from ..domain.vocabulary import SHIP_POLICIES
from ..schemas.carriers import CODE as CARRIER_CODE
from ..services import customers
from ..services.notice_mail import CUSTOMER_KINDS, LANGUAGES
from ..services.outbox import RECEIPTS
from .common import AddressSchema, Blueprint, SQLPage, money_field
from .security import MANAGERS, OFFICE, current_user, roles

blp = Blueprint("customers", __name__, description="Customers: pricing, credit and ship policy.")

TYPES = ("retail", "wholesale")
POLICIES = SHIP_POLICIES  # defined once, in domain/vocabulary.py
# Notices a customer may turn off; receipts (order confirmed) always go out.
OPTIONAL_NOTICES = tuple(k for k in CUSTOMER_KINDS if k not in RECEIPTS)


def _check_preference(data: dict) -> None:
    if data.get("preferred_service") and not data.get("preferred_carrier"):
        raise ValidationError("A preferred service needs its carrier.", "preferred_service")


class BookAddress(AddressSchema):
    label = fields.String(load_default="", validate=validate.Length(max=40))


TERMS = ("prepaid", "net15", "net30", "net60")


class Contact(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    role = fields.String(load_default="", validate=validate.Length(max=60))
    email = fields.String(
        load_default="",
        validate=validate.Regexp(r"^$|^[^@\s]{1,64}@[^@\s]+\.[^@\s]{1,63}$", error="Not an email address."),
    )
    phone = fields.String(
        load_default="",
        validate=validate.Regexp(r"^[0-9+() .\-]{0,30}$", error="Digits, spaces and + ( ) - only."),
    )


SHELF_LIFE = validate.Range(min=0, max=3650)
SHELF_LIFE_DOC = {
    "description": "Lot-tracked units must have at least this many days left before expiry on the day the "
    "order is due (or today, if later); none: any unexpired lot."
}


class CustomerIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    type = fields.String(load_default="retail", validate=validate.OneOf(TYPES))
    ship_policy = fields.String(load_default="complete", validate=validate.OneOf(POLICIES))
    discount_pct = fields.Decimal(
        load_default=0, as_string=True, places=3, validate=validate.Range(min=0, max=100)
    )
    credit_limit = money_field(allow_none=True, load_default=None)
    addresses = fields.List(fields.Nested(BookAddress), load_default=list, validate=validate.Length(max=20))
    language = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))
    notifications = fields.Dict(
        keys=fields.String(validate=validate.OneOf(OPTIONAL_NOTICES)),
        values=fields.Boolean(),
        load_default=dict,
        metadata={"description": 'Emails turned off or on, e.g. {"shipped": false}; default on.'},
    )
    preferred_carrier = fields.String(load_default=None, allow_none=True, validate=CARRIER_CODE)
    preferred_service = fields.String(load_default=None, allow_none=True, validate=CARRIER_CODE)
    contacts = fields.List(fields.Nested(Contact), load_default=list, validate=validate.Length(max=20))
    terms = fields.String(load_default="prepaid", validate=validate.OneOf(TERMS))
    min_shelf_life_days = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=SHELF_LIFE, metadata=SHELF_LIFE_DOC
    )
    invoice_policy = fields.String(load_default="per_shipment", validate=validate.OneOf(INVOICE_POLICIES))
    freight_terms = fields.String(load_default="prepaid", validate=validate.OneOf(FREIGHT_TERMS))
    tax_exempt_certificate = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=80)
    )
    return_label = fields.Boolean(
        load_default=False, metadata={"description": "Returns come back on a prepaid label Baton buys."}
    )

    @validates_schema
    def _service_needs_carrier(self, data, **kwargs):
        _check_preference(data)


class CustomerPatch(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    email = fields.Email(validate=validate.Length(max=254))
    type = fields.String(validate=validate.OneOf(TYPES))
    ship_policy = fields.String(validate=validate.OneOf(POLICIES))
    discount_pct = fields.Decimal(as_string=True, places=3, validate=validate.Range(min=0, max=100))
    credit_limit = money_field(allow_none=True)
    addresses = fields.List(fields.Nested(BookAddress), validate=validate.Length(max=20))
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    notifications = fields.Dict(
        keys=fields.String(validate=validate.OneOf(OPTIONAL_NOTICES)), values=fields.Boolean()
    )
    preferred_carrier = fields.String(allow_none=True, validate=CARRIER_CODE)
    preferred_service = fields.String(allow_none=True, validate=CARRIER_CODE)
    contacts = fields.List(fields.Nested(Contact), validate=validate.Length(max=20))
    terms = fields.String(validate=validate.OneOf(TERMS))
    min_shelf_life_days = fields.Integer(
        allow_none=True, strict=True, validate=SHELF_LIFE, metadata=SHELF_LIFE_DOC
    )
    invoice_policy = fields.String(validate=validate.OneOf(INVOICE_POLICIES))
    freight_terms = fields.String(validate=validate.OneOf(FREIGHT_TERMS))
    tax_exempt_certificate = fields.String(allow_none=True, validate=validate.Length(min=1, max=80))
    return_label = fields.Boolean()


class CustomerOut(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    type = fields.String()
    ship_policy = fields.String()
    discount_pct = fields.Decimal(as_string=True)
    credit_limit = fields.Decimal(as_string=True, allow_none=True)
    addresses = fields.Raw()
    language = fields.String()
    notifications = fields.Raw()
    preferred_carrier = fields.String(allow_none=True)
    preferred_service = fields.String(allow_none=True)
    contacts = fields.Raw()
    terms = fields.String()
    min_shelf_life_days = fields.Integer(allow_none=True)
    invoice_policy = fields.String()
    freight_terms = fields.String()
    tax_exempt_certificate = fields.String(allow_none=True)
    return_label = fields.Boolean()
    open_balance = fields.Function(lambda c: str(customers.open_balance(c.id)))


class CustomerQuery(Schema):
    q = fields.String(validate=validate.Length(max=100))
    type = fields.String(validate=validate.OneOf(TYPES))


@blp.route("/customers")
class Customers(MethodView):
    @roles(*MANAGERS)
    @blp.arguments(CustomerQuery, location="query")
    @blp.response(200, CustomerOut(many=True))
    @blp.paginate(SQLPage)
    def get(self, query):
        """Search customers by name or email."""
        return customers.customers_query(query.get("q"), query.get("type"))

    @roles(*OFFICE)
    @blp.arguments(CustomerIn)
    @blp.response(201, CustomerOut)
    def post(self, data):
        """Create a customer."""
        return customers.create_customer(data, current_user())


@blp.route("/customers/<int:customer_id>")
class CustomerById(MethodView):
    @roles(*MANAGERS)
    @blp.response(200, CustomerOut)
    def get(self, customer_id):
        """One customer, with what they owe on open orders."""
        return customers.get_customer(customer_id)

    @roles(*OFFICE)
    @blp.arguments(CustomerPatch)
    @blp.response(200, CustomerOut)
    def patch(self, changes, customer_id):
        """Change a customer."""
        return customers.update_customer(customer_id, changes, current_user())
