"""The Inference Cost Atlas cost engine: pure Python, standard library only, no I/O.

The same code runs in CPython at build time (to prerender every calculator) and in Pyodide in the
reader's browser, so a figure on the page and a figure after an edit come from one implementation.
"""

from calculators.errors import EngineError, InputError
from calculators.rental import RentalCostInputs, RentalCostResult, rental_cost_per_million_tokens

__all__ = [
    "EngineError",
    "InputError",
    "RentalCostInputs",
    "RentalCostResult",
    "rental_cost_per_million_tokens",
]
