"""Flask extensions, created once here and bound to the app in create_app."""

from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class BatonApi(Api):
    """flask-smorest's Api with errors in Baton's JSON shape."""

    def handle_http_exception(self, error):
        from .api.errors import http_error_response

        return http_error_response(error)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
# The flask-smorest Api keeps one OpenAPI spec per instance, so create_app makes a BatonApi per app.
# Socket.IO likewise: realtime.init_realtime makes a SocketIO per app (SocketIO.init_app rebinds one server).
