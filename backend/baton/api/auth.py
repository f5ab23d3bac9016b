"""Sign-in endpoints: bearer tokens for integrations, session cookies for the PWA."""

from flask import session
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..services import users
from .common import Blueprint
from .security import ANY_ROLE, current_user, roles

blp = Blueprint("auth", __name__, description="Sign in and out.")


class TokenRequest(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenResponse(Schema):
    token = fields.String()
    role = fields.String()
    username = fields.String()


class LoginRequest(Schema):
    username = fields.String(validate=validate.Length(min=1, max=80))
    password = fields.String(validate=validate.Length(min=1, max=200))
    badge = fields.String(validate=validate.Length(min=1, max=64))
    pin = fields.String(validate=validate.Length(min=1, max=16))

    @validates_schema
    def _one_way_in(self, data, **_):
        by_password = "username" in data and "password" in data
        by_badge = "badge" in data and "pin" in data
        if by_password == by_badge:
            raise ValidationError("Send username and password, or badge and pin.")


class MeSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()


@blp.route("/auth/token")
class Token(MethodView):
    @blp.arguments(TokenRequest)
    @blp.response(200, TokenResponse)
    @blp.alt_response(401, description="Wrong credentials.")
    def post(self, data):
        """Exchange a username and password for a bearer token."""
        user = users.sign_in_with_password(data["username"], data["password"])
        return {"token": users.issue_token(user), "role": user.role, "username": user.username}


@blp.route("/auth/login")
class Login(MethodView):
    @blp.arguments(LoginRequest)
    @blp.response(200, MeSchema)
    @blp.alt_response(401, description="Wrong credentials.")
    def post(self, data):
        """Start a session (cookie) with a password or a badge scan and PIN."""
        if "badge" in data and "pin" in data:  # the schema lets a stray field of the other way in ride along
            user = users.sign_in_with_badge(data["badge"], data["pin"])
        else:
            user = users.sign_in_with_password(data["username"], data["password"])
        session.clear()
        session.permanent = True
        session["user_id"] = user.id
        session["pw"] = users.session_tag(user)
        return user


@blp.route("/auth/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self):
        """End the session."""
        session.clear()


@blp.route("/auth/me")
class Me(MethodView):
    @roles(*ANY_ROLE)
    @blp.response(200, MeSchema)
    def get(self):
        """Who am I signed in as."""
        return current_user()
