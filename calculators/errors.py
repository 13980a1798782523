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


def require_share(field: str, value: float, hint: str = "") -> float:
    """Give back ``value`` if it lies in [0, 1]: a share that may be zero, such as a cache hit rate."""
    number = require_finite(field, value)
    if not 0 <= number <= 1:
        raise InputError(field, value, "in [0, 1], a share such as 0.25 for 25%", hint)
    return number


def require_whole(field: str, value: int, minimum: int = 1, hint: str = "") -> int:
    """Give back ``value`` if it is a whole number of at least ``minimum`` (a count of GPUs, layers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(field, value, "a whole number")
    if isinstance(value, float) and (not value.is_integer()):
        raise InputError(field, value, "a whole number", hint)
    if value < minimum:
        raise InputError(field, value, f"a whole number of {minimum} or more", hint)
    return int(value)


def require_at_most(field: str, value: float, maximum: float, unit: str, hint: str = "") -> float:
    """Give back ``value`` if it is a finite number from 0 up to ``maximum``."""
    number = require_finite(field, value)
    if not 0 <= number <= maximum:
        raise InputError(field, value, f"from 0 to {maximum:g} {unit}", hint)
    return number


def require_choice(field: str, value: object, choices: tuple[object, ...], hint: str = "") -> object:
    """Give back ``value`` if it is one of ``choices``."""
    if value not in choices:
        allowed = "one of " + ", ".join(repr(choice) for choice in choices)
        raise InputError(field, value, allowed, hint)
    return value


class UnknownSpecError(EngineError, KeyError):
    """A price or spec the model needs is not known: an error, never a silent zero.

    ``kind`` says what was looked up (a GPU, a model shape, a power cost), ``name`` what was asked for,
    ``known`` the names that do exist, so a message can suggest one.
    """

    def __init__(self, kind: str, name: str, known: tuple[str, ...] = (), hint: str = "") -> None:
        super().__init__(kind, name, known, hint)
        self.kind = kind
        self.name = name
        self.known = tuple(known)
        self.hint = hint

    def __str__(self) -> str:
        message = f"unknown {self.kind} {self.name!r}"
        close = did_you_mean(self.name, self.known)
        if close:
            message += f" ({close})"
        if self.known:
            message += "; known: " + ", ".join(self.known)
        return f"{message}. {self.hint}" if self.hint else message


def did_you_mean(name: object, known: tuple[str, ...] | list[str]) -> str:
    """Give back "did you mean 'x'?" for the known name closest to ``name``, or "" if none is close."""
    import difflib  # stdlib; imported here so the common path stays light

    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1)
    return f"did you mean {close[0]!r}?" if close else ""


class CapacityError(EngineError, ValueError):
    """The hardware cannot serve what was asked of it (the model does not fit, the volume is too high)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class MissingInputError(InputError):
    """A required input was not given; the message names it, its unit and where it was needed."""

    def __init__(self, field: str, unit: str, where: str) -> None:
        super().__init__(field, None, f"given in {unit}")
        self.unit = unit
        self.where = where

    def __str__(self) -> str:
        return f"{self.field} is required ({self.unit}); {self.where} has no default for it"
