"""The HTTP layer: flask-smorest blueprints that parse, call a service and serialise."""

from flask import Flask, send_from_directory
from flask_smorest import Api
from swagger_ui_bundle import swagger_ui_path

from .errors import register_error_handlers


def register_api(app: Flask, api: Api) -> None:
    api.init_app(app, spec_kwargs={"info": {"description": "Baton order processing API."}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    register_error_handlers(app)
    # Swagger UI's assets come from a Python package, so /api/docs works with no internet.
    app.add_url_rule(
        "/api/docs/static/<path:filename>", "swagger_ui_static",
        lambda filename: send_from_directory(swagger_ui_path, filename),
    )

    from . import auth, customers, imports, inventory, orders, products, users, warehouses

    for module in (auth, users, products, warehouses, inventory, customers, orders, imports):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
