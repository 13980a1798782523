"""The engine's own errors: each is also a builtin, so callers may catch either."""

from __future__ import annotations


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


class InputError(EngineError, ValueError):
    """An input is outside the range the model accepts.

    ``field`` is the input's name as the reader sees it in a form or on the command line, so a widget
    can show the message at that field.
    """

    def __init__(self, field: str, value: object, allowed: str, hint: str = "") -> None:
        super().__init__(field, value, allowed, hint)
        self.field = field
        self.value = value
        self.allowed = allowed
        self.hint = hint

    def __str__(self) -> str:
        message = f"{self.field} must be {self.allowed}; got {self.value!r}"
        return f"{message}. {self.hint}" if self.hint else message


def require_finite(field: str, value: float) -> float:
    """Give back ``value`` as a float, or raise InputError if it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(field, value, "a number")
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise InputError(field, value, "a finite number")
    return number


def require_positive(field: str, value: float, hint: str = "") -> float:
    """Give back ``value`` if it is a finite number above zero."""
    number = require_finite(field, value)
    if number <= 0:
        raise InputError(field, value, "greater than 0", hint)
    return number


def require_non_negative(field: str, value: float, hint: str = "") -> float:
    """Give back ``value`` if it is a finite number of zero or more."""
    number = require_finite(field, value)
    if number < 0:
        raise InputError(field, value, "0 or more", hint)
    return number


def require_fraction(field: str, value: float, hint: str = "") -> float:
    """Give back ``value`` if it lies in (0, 1]: a share that cannot be zero, such as utilisation."""
    number = require_finite(field, value)
    if not 0 < number <= 1:
        raise InputError(field, value, "in (0, 1], a share such as 0.3 for 30%", hint)
    return number
