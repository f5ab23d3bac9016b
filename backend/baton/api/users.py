"""User management (admins)."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..models.user import ROLES
from ..services import users
from .common import Blueprint
from .security import current_user, roles

blp = Blueprint("users", __name__, description="People who use Baton.")


class UserIn(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.@-]{1,80}$"))
    password = fields.String(required=True, validate=validate.Length(min=8, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    display_name = fields.String(load_default="", validate=validate.Length(max=120))
    badge = fields.String(validate=validate.Length(min=1, max=64))
    pin = fields.String(validate=validate.Regexp(r"^\d{4,8}$"))
    warehouse = fields.String(validate=validate.Length(min=1, max=16))


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    badge = fields.String(allow_none=True)
    active = fields.Boolean()
    warehouse = fields.Function(lambda u: u.warehouse.code if u.warehouse else None)


@blp.route("/users")
class Users(MethodView):
    @roles("admin")
    @blp.response(200, UserOut(many=True))
    def get(self):
        """All users."""
        return users.list_users()

    @roles("admin")
    @blp.arguments(UserIn)
    @blp.response(201, UserOut)
    def post(self, data):
        """Create a user."""
        return users.create_user(
            data["username"],
            data["password"],
            data["role"],
            badge=data.get("badge"),
            pin=data.get("pin"),
            display_name=data["display_name"],
            warehouse=data.get("warehouse"),
        )


class UserPatch(Schema):
    warehouse = fields.String(allow_none=True, validate=validate.Length(min=1, max=16))
    role = fields.String(validate=validate.OneOf(ROLES))
    active = fields.Boolean(truthy={True}, falsy={False})
    display_name = fields.String(validate=validate.Length(min=1, max=120))


@blp.route("/users/<string:username>")
class UserByName(MethodView):
    @roles("admin", "supervisor")
    @blp.arguments(UserPatch)
    @blp.response(200, UserOut)
    def patch(self, data, username):
        """Change a user: `warehouse` (admins and supervisors: decides which tasks and pushes reach a floor
        worker); `role`, `active` and `display_name` (admins only)."""
        return users.update_user(username, data, current_user())
