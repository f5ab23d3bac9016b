"""Customer notices: what was sent per order, dead letters with resend, and the demo mailbox."""

from urllib.parse import urlsplit

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..schemas.common import ID_RANGE
from ..services import outbox
from ..services.demo_mailbox import mailbox_messages
from .common import Blueprint
from .security import OFFICE, roles

blp = Blueprint("notices", __name__, description="Customer emails: the outbox, dead letters and resends.")

STATUSES = ("pending", "sent", "recorded", "skipped", "dead")


class CustomerNoticeOut(Schema):
    id = fields.Integer()
    key = fields.String()
    kind = fields.String()
    order_id = fields.Integer(allow_none=True)
    customer_id = fields.Integer(allow_none=True)
    recipient = fields.String()
    language = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime()
    last_error = fields.String()
    message_id = fields.String()
    sent_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class EmailSetup(Schema):
    sending = fields.Boolean(metadata={"description": "False: no BATON_SMTP_URL; notices are recorded."})
    server = fields.String(allow_none=True)


class CustomerNoticesOut(Schema):
    email = fields.Nested(EmailSetup)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    notices = fields.List(fields.Nested(CustomerNoticeOut))


class CustomerNoticesQuery(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    order_id = fields.Integer(validate=ID_RANGE)
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))


class MailboxMessage(Schema):
    message_id = fields.String()
    to = fields.String()
    subject = fields.String()
    date = fields.String(allow_none=True)
    language = fields.String()
    text = fields.String()


class MailboxOut(Schema):
    enabled = fields.Boolean(metadata={"description": "Only `baton demo` has a local mailbox."})
    messages = fields.List(fields.Nested(MailboxMessage))


@blp.route("/notices")
class Notices(MethodView):
    # Customers' emails are the office's business: supervisors run a warehouse floor, not its customers.
    @roles(*OFFICE)
    @blp.arguments(CustomerNoticesQuery, location="query")
    @blp.response(200, CustomerNoticesOut)
    def get(self, query):
        """Customer notices, newest first: per order (`order_id`), or the dead letters (`status=dead`)."""
        from ..extensions import db

        notices = db.session.scalars(
            outbox.notices_query(order_id=query.get("order_id"), status=query.get("status")).limit(
                query["limit"]
            )
        ).all()
        smtp_url = current_app.config["BATON"].smtp_url
        server = urlsplit(smtp_url).netloc.rpartition("@")[2] if smtp_url else None
        return {
            "email": {"sending": bool(smtp_url), "server": server},
            "counts": outbox.counts(),
            "notices": notices,
        }


@blp.route("/notices/<int:notice_id>/resend")
class Resend(MethodView):
    @roles(*OFFICE)
    @blp.response(200, CustomerNoticeOut)
    def post(self, notice_id):
        """A dead letter is queued again; a delivered notice is sent again as a new copy."""
        return outbox.resend(notice_id)


@blp.route("/notices/mailbox")
class Mailbox(MethodView):
    @roles(*OFFICE)
    @blp.response(200, MailboxOut)
    def get(self):
        """The demo's local mailbox (what its SMTP sink received), newest first."""
        return mailbox_messages()
