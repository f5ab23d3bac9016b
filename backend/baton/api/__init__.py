"""The HTTP layer: flask-smorest blueprints that parse, call a service and serialise."""

from flask import Flask, send_from_directory
from flask_smorest import Api
from marshmallow import fields
from swagger_ui_bundle import swagger_ui_path

from ..services.tx import forget_kept_values
from .common import IdConverter
from .csrf import register_csrf
from .errors import ErrorOut, register_error_handlers
from .headers import register_security_headers
from .idempotency import IdempotencyKeyDoc, register_idempotency
from .text_guard import refuse_unstorable_text


class BatonApi(Api):
    """flask-smorest's Api, documenting Baton's error body for every operation and status.

    The errors themselves are answered by errors.register_error_handlers: register_api installs them after
    (and so over) flask-smorest's own handler.
    """

    ERROR_SCHEMA = ErrorOut


def register_api(app: Flask, api: Api) -> None:
    # Before any blueprint: every `<int:...>` route is bound to the converter at registration.
    app.url_map.converters["int"] = IdConverter
    api.init_app(app, spec_kwargs={"info": {"description": "Baton order processing API."}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    add_spec_plugin(api.spec, IdempotencyKeyDoc())  # before the blueprints: it documents each operation
    api.ma_plugin.converter.add_attribute_function(_decimal_bounds_as_numbers)
    register_error_handlers(app)
    register_security_headers(app)
    register_csrf(app)  # first: a forged request is refused before anything reads it
    app.before_request(refuse_unstorable_text)
    register_idempotency(app)  # after every check that refuses a request outright
    app.teardown_request(lambda _error: forget_kept_values())
    # Swagger UI's assets come from a Python package, so /api/docs works with no internet.
    app.add_url_rule(
        "/api/docs/static/<path:filename>",
        "swagger_ui_static",
        lambda filename: send_from_directory(swagger_ui_path, filename),
    )

    from . import (
        accounting,
        auth,
        board,
        carrier_events,
        carriers,
        counts,
        customers,
        documents,
        feedback,
        forecasts,
        imports,
        integrations,
        inventory,
        invoices,
        lateness,
        lots,
        manifests,
        notices,
        orders,
        payments,
        products,
        receiving,
        returns,
        scans,
        scorecards,
        search,
        shipment_views,
        shipments,
        supply,
        tasks,
        tracking,
        transfers,
        users,
        vocabulary,
        warehouses,
        waves,
        webhooks,
        workers,
    )

    for module in (
        auth,
        users,
        products,
        warehouses,
        inventory,
        customers,
        orders,
        imports,
        search,
        waves,
        tasks,
        scans,
        documents,
        shipments,
        board,
        notices,
        carriers,
        carrier_events,
        lateness,
        shipment_views,
        tracking,
        vocabulary,
        supply,
        forecasts,
        receiving,
        scorecards,
        integrations,
        webhooks,
        transfers,
        workers,
        manifests,
        counts,
        feedback,
        lots,
        invoices,
        payments,
        accounting,
        returns,
    ):
        api.register_blueprint(module.blp, url_prefix="/api/v1")

    # The public tracking page /t/<token>, before the app's fallback.
    app.register_blueprint(tracking.page_blp)
    app.register_blueprint(feedback.page_blp)  # the public rating page /r/<token>
    from .pwa import register_pwa

    register_pwa(app)  # last: its catch-all route must never shadow an API rule


def add_spec_plugin(spec, plugin) -> None:
    spec.plugins = (*spec.plugins, plugin)
    plugin.init_spec(spec)


def _decimal_bounds_as_numbers(converter, field, ret, **_):
    """Decimal fields answer with strings ("2.50"), but in the OpenAPI document their bounds and defaults
    must be numbers, or the document is invalid for every client generator and fuzzer that reads it."""
    if not isinstance(field, fields.Decimal):
        return {}
    bounds = ("minimum", "maximum", "default")
    return {key: float(ret[key]) for key in bounds if isinstance(ret.get(key), str)}
