"""The HTTP layer: flask-smorest blueprints that parse, call a service and serialise."""

from flask import Flask
from flask_smorest import Api

from .errors import register_error_handlers


def register_api(app: Flask, api: Api) -> None:
    api.init_app(app, spec_kwargs={"info": {"description": "Baton order processing API."}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    register_error_handlers(app)

    from . import auth, customers, inventory, orders, products, users, warehouses

    for module in (auth, users, products, warehouses, inventory, customers, orders):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
