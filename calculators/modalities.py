"""Other modalities: images (price per image against images per second on a GPU) and audio (price per
character or per minute against a local model's real-time factor).

The local side is a GPU billed by the hour (rented, or owned with its monthly cost spread over the hours
of the month), kept busy ``utilisation`` of the time.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas_mkdocs.engine.errors import require_choice, require_fraction, require_non_negative, require_positive
from atlas_mkdocs.engine.units import HOURS_PER_MONTH, SECONDS_PER_HOUR

AUDIO_PRICE_UNITS = ("per_character", "per_minute")


@dataclass(frozen=True)
class ModalityComparison:
    """API against a local GPU for one unit of output (an image, a minute of audio)."""

    unit: str
    api_cost_per_unit_usd: float
    local_cost_per_unit_usd: float
    local_units_per_hour: float
    gpu_cost_per_month_usd: float
    break_even_units_per_month: float
    capacity_units_per_month: float
    local_is_cheaper_at_capacity: bool


def _compare(unit: str, api_per_unit: float, gpu_hourly: float, units_per_hour: float,
             utilisation: float, hours_per_month: float) -> ModalityComparison:
    monthly = gpu_hourly * hours_per_month
    capacity = units_per_hour * hours_per_month
    local = gpu_hourly / (units_per_hour * utilisation)
    return ModalityComparison(
        unit=unit,
        api_cost_per_unit_usd=api_per_unit,
        local_cost_per_unit_usd=local,
        local_units_per_hour=units_per_hour,
        gpu_cost_per_month_usd=monthly,
        break_even_units_per_month=monthly / api_per_unit,
        capacity_units_per_month=capacity,
        local_is_cheaper_at_capacity=monthly / capacity < api_per_unit,
    )


@dataclass(frozen=True)
class ImageInputs:
    """An image API's price per image against a GPU that makes ``images_per_second``."""

    api_price_per_image_usd: float
    gpu_hourly_usd: float
    images_per_second: float
    utilisation: float = 1.0
    hours_per_month: float = HOURS_PER_MONTH

    def __post_init__(self) -> None:
        require_positive("api_price_per_image_usd", self.api_price_per_image_usd,
                         "A price that is not known is an error, never zero.")
        require_non_negative("gpu_hourly_usd", self.gpu_hourly_usd)
        require_positive("images_per_second", self.images_per_second,
                         "Measured on your GPU at your resolution and step count, e.g. 0.5.")
        require_fraction("utilisation", self.utilisation)
        require_positive("hours_per_month", self.hours_per_month, "730 by default; 720 for 30-day months.")


def image_cost(inputs: ImageInputs) -> ModalityComparison:
    """Give back $ per image through the API and on the GPU, and the break-even images a month."""
    return _compare("image", inputs.api_price_per_image_usd, inputs.gpu_hourly_usd,
                    inputs.images_per_second * SECONDS_PER_HOUR, inputs.utilisation, inputs.hours_per_month)


@dataclass(frozen=True)
class AudioInputs:
    """A speech API priced per character or per minute, against a local model's real-time factor.

    The real-time factor is processing seconds per second of audio: 0.1 makes a minute of audio in
    6 seconds. ``characters_per_minute`` converts a per-character price (text-to-speech) to minutes;
    about 900 characters are spoken in a minute (150 words of 6 characters with the space).
    """

    api_price_usd: float
    api_price_unit: str
    gpu_hourly_usd: float
    real_time_factor: float
    characters_per_minute: float = 900.0
    utilisation: float = 1.0
    hours_per_month: float = HOURS_PER_MONTH

    def __post_init__(self) -> None:
        require_positive("api_price_usd", self.api_price_usd, "A price that is not known is an error, never zero.")
        require_choice("api_price_unit", self.api_price_unit, AUDIO_PRICE_UNITS)
        require_non_negative("gpu_hourly_usd", self.gpu_hourly_usd)
        require_positive("real_time_factor", self.real_time_factor,
                         "Processing seconds per second of audio, e.g. 0.1.")
        require_positive("characters_per_minute", self.characters_per_minute)
        require_fraction("utilisation", self.utilisation)
        require_positive("hours_per_month", self.hours_per_month, "730 by default; 720 for 30-day months.")


def audio_cost(inputs: AudioInputs) -> ModalityComparison:
    """Give back $ per minute of audio through the API and on the GPU, and the break-even minutes a month."""
    api_per_minute = (inputs.api_price_usd * inputs.characters_per_minute
                      if inputs.api_price_unit == "per_character" else inputs.api_price_usd)
    minutes_per_hour = 60 / inputs.real_time_factor
    return _compare("audio minute", api_per_minute, inputs.gpu_hourly_usd, minutes_per_hour,
                    inputs.utilisation, inputs.hours_per_month)
