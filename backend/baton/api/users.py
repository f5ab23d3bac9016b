"""User management: admins manage everyone; supervisors the pickers and packers of their own warehouse."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..models.user import ROLES
from ..services import users
from .common import Blueprint
from .security import current_credential_id, current_user, roles

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
    failed_logins = fields.Integer()
    locked_until = fields.DateTime(allow_none=True)


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
    password = fields.String(validate=validate.Length(min=8, max=200), load_only=True)
    pin = fields.String(validate=validate.Regexp(r"^\d{4,8}$"), load_only=True)


@blp.route("/users/<string:username>")
class UserByName(MethodView):
    @roles("admin", "supervisor")
    @blp.arguments(UserPatch)
    @blp.response(200, UserOut)
    @blp.alt_response(403, description="Not a user you may manage, or a field only an admin may change.")
    def patch(self, data, username):
        """Change a user. Admins: `warehouse` (decides which tasks and pushes reach a floor worker), `role`,
        `active`, `display_name`, `password`, `pin`. Supervisors: a new `pin` for a picker or packer of
        their own warehouse. Deactivation and role, password or PIN changes sign the user out everywhere."""
        return users.update_user(username, data, current_user(), acting_credential=current_credential_id())


@blp.route("/users/<string:username>/unlock")
class UnlockUser(MethodView):
    @roles("admin", "supervisor")
    @blp.response(200, UserOut)
    @blp.alt_response(403, description="Not a user you may manage.")
    def post(self, username):
        """Let a worker locked out by failed sign-ins try again now (supervisors: their own warehouse's
        pickers and packers). Recorded in the user's timeline and pushed to the warehouse board."""
        return users.unlock(username, current_user())
