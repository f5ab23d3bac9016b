"""Sign-in endpoints: bearer tokens for integrations, session cookies for the PWA."""

from flask import request, session
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..services import credentials, sign_in
from .common import Blueprint
from .security import ANY_ROLE, current_user, roles

blp = Blueprint("auth", __name__, description="Sign in and out.")
TOO_MANY = "Locked after failed sign-ins, too many sign-ins, or sign-ins busy: wait Retry-After seconds."


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
    warehouse = fields.Function(lambda u: u.warehouse.code if u.warehouse else None)


@blp.route("/auth/token")
class Token(MethodView):
    @blp.arguments(TokenRequest)
    @blp.response(200, TokenResponse)
    @blp.alt_response(401, description="Wrong credentials.")
    @blp.alt_response(429, description=TOO_MANY)
    def post(self, data):
        """Exchange a username and password for a bearer token."""
        user = sign_in.sign_in_with_password(data["username"], data["password"], request.remote_addr)
        return {"token": credentials.issue_token(user), "role": user.role, "username": user.username}


@blp.route("/auth/login")
class Login(MethodView):
    @blp.arguments(LoginRequest)
    @blp.response(200, MeSchema)
    @blp.alt_response(401, description="Wrong credentials.")
    @blp.alt_response(429, description=TOO_MANY)
    def post(self, data):
        """Start a session (cookie) with a password or a badge scan and PIN."""
        if "badge" in data and "pin" in data:  # the schema lets a stray field of the other way in ride along
            user = sign_in.sign_in_with_badge(data["badge"], data["pin"], request.remote_addr)
        else:
            user = sign_in.sign_in_with_password(data["username"], data["password"], request.remote_addr)
        # A session already open in this browser ends with the new one rather than lingering as a valid row.
        credentials.revoke(session.get(credentials.SESSION_KEY), "session")
        session.clear()
        session.permanent = True
        session[credentials.SESSION_KEY] = credentials.open_session(user)
        return user


@blp.route("/auth/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self):
        """Sign out: the session (cookie) or the bearer token this request came with stops working for good,
        including any copy of it."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            credentials.revoke(token.strip(), "bearer")
        credentials.revoke(session.get(credentials.SESSION_KEY), "session")
        session.clear()


@blp.route("/auth/me")
class Me(MethodView):
    @roles(*ANY_ROLE)
    @blp.response(200, MeSchema)
    def get(self):
        """Who am I signed in as."""
        return current_user()
