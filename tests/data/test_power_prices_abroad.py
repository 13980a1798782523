"""Power prices outside the US: the EU average, the UK and Japan, each converted to USD at a named, dated rate.

The conversions are recomputed here from the local price and the rate that each row's note gives, so a row whose
dollar figure drifts from its own arithmetic fails. None of them is newer than June 2026, so each is a dated record.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from atlas_mkdocs.data import load_data

ROOT = Path(__file__).resolve().parents[2]
DEC_5_2026 = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def rows():
    return {row["id"]: row for row in load_data(ROOT / "data", None, DEC_5_2026).power_prices}


def test_the_eu_average_is_eurostats_non_household_price_at_the_half_years_mean_h10_rate(rows):
    """EUR 0.1902 per kWh (2025-S1) x 1.0943 USD per EUR (mean of the H.10 daily rates, January-June 2025)."""
    eu = rows["eu-non-household-2025-s1"]
    assert eu["usd_per_kwh"] == pytest.approx(0.1902 * 1.0943, abs=5e-5)
    assert "EUR 0.1902 per kWh" in eu["note"] and "1.0943 USD per EUR" in eu["note"]
    assert "Eurostat" in eu["source"] and "2025-10-29" in eu["source"] and "H.10" in eu["source"]


def test_the_uk_price_cap_is_converted_at_the_ecb_cross_rate_of_its_quarter(rows):
    """26.35p per kWh x (1.1611 USD / 0.86830 GBP per EUR, ECB 2025-10-09) = $0.3524."""
    uk = rows["uk-price-cap-2025-q4"]
    usd_per_gbp = 1.1611 / 0.86830
    assert round(usd_per_gbp, 4) == 1.3372
    assert uk["usd_per_kwh"] == pytest.approx(0.2635 * usd_per_gbp, abs=5e-5)
    assert "Ofgem" in uk["source"] and "ECB" in uk["source"] and "2025-10-09" in uk["source"]
    assert uk["sector"] == "residential"


def test_japan_is_tepcos_standard_household_bill_per_kwh_at_a_named_ecb_rate(rows):
    """7,464 yen / 260 kWh = 28.71 yen per kWh; / (176.45 JPY / 1.1607 USD per EUR, ECB 2025-10-21) = $0.1888."""
    jp = rows["jp-tepco-household-2026-01"]
    yen_per_usd = 176.45 / 1.1607
    assert round(yen_per_usd, 2) == 152.02
    assert jp["usd_per_kwh"] == pytest.approx(7464 / 260 / yen_per_usd, abs=5e-5)
    assert "2025-12-25" in jp["source"] and "2025-10-21" in jp["source"]


@pytest.mark.parametrize("row_id", ["eu-non-household-2025-s1", "uk-price-cap-2025-q4", "jp-tepco-household-2026-01"])
def test_each_price_abroad_is_a_dated_record_naming_its_exchange_rate(rows, row_id):
    """Older than 180 days on 2026-12-05, so kept as a record (historical: true) with a date and a rate's date."""
    row = rows[row_id]
    assert row["historical"] is True
    assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(row["as_of"]))
    assert re.search(r"exchange rate: .*(ECB|H\.10)", row["source"])
    assert re.search(r"20\d\d-\d\d-\d\d", row["note"]), "the note names the rate's date"


def test_us_eu_uk_and_an_asian_market_each_have_a_power_price(rows):
    """The issue asks for at least the US, the EU average, the UK and one Asian market."""
    regions = {row["region"] for row in rows.values()}
    assert {"United States", "European Union (27)", "United Kingdom (Great Britain)"} <= regions
    assert any(region.startswith("Japan") for region in regions)
