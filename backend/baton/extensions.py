"""Flask extensions, created once here and bound to the app in create_app."""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
# The flask-smorest Api keeps one OpenAPI spec per instance, so create_app makes a BatonApi (api/) per app.
# Socket.IO likewise: realtime.init_realtime makes a SocketIO per app (SocketIO.init_app rebinds one server).
