"""The one check every floor lifecycle shares: may this entity go from one status to another."""

from collections.abc import Mapping

from .errors import InvalidTransition


def check_move(noun: str, table: Mapping[str, frozenset[str]], current: str, new: str) -> None:
    if new not in table.get(current, frozenset()):
        raise InvalidTransition(
            f"A {noun} that is {current.replace('_', ' ')} cannot become {new.replace('_', ' ')}.",
            details={"from": current, "to": new},
        )
