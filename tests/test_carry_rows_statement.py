"""The carry's one-statement write on PostgreSQL (services/carry_rows.py) names every column of the movements
table: a plain statement applies no column default, so a column added to the model must be added there."""

from baton.models import StockMovement
from baton.services.carry_rows import MOVEMENT_COLUMNS


def test_the_movements_statement_names_every_column_but_the_id():
    assert set(MOVEMENT_COLUMNS) == {column.name for column in StockMovement.__table__.columns} - {"id"}
