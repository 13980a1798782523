"""The Inference Cost Atlas cost engine: pure Python, standard library only, no I/O.

The same code runs in CPython at build time (to prerender every calculator) and in Pyodide in the
reader's browser, so a figure on the page and a figure after an edit come from one implementation.

Models live one per module (api, own_hardware, rental, capacity, compare, sizing, throughput, levers,
uncertainty, modalities); ``atlas_mkdocs.engine.models.calculate(name, values)`` runs any of them by name with
flat inputs, as the command line (``python -m atlas_mkdocs.engine``) and scenarios do.
"""

from atlas_mkdocs.engine.errors import CapacityError, EngineError, InputError, MissingInputError, UnknownSpecError
from atlas_mkdocs.engine.models import CALCULATIONS, calculate, calculate_ranges
from atlas_mkdocs.engine.rental import RentalCostInputs, RentalCostResult, rental_cost_per_million_tokens
from atlas_mkdocs.engine.units import HOURS_PER_30_DAY_MONTH, HOURS_PER_MONTH

__all__ = [
    "CALCULATIONS",
    "HOURS_PER_30_DAY_MONTH",
    "HOURS_PER_MONTH",
    "CapacityError",
    "EngineError",
    "InputError",
    "MissingInputError",
    "RentalCostInputs",
    "RentalCostResult",
    "UnknownSpecError",
    "calculate",
    "calculate_ranges",
    "rental_cost_per_million_tokens",
]
