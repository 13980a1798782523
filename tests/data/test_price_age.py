"""No current price in data/ is older than 180 days on the date of the last commit that changed data/.

The date comes from git, never from today: a checkout that nobody touches keeps passing as time goes by,
and a commit that changes data/ must bring every current price within 180 days of itself (or mark an old
one ``historical: true``, a record of its date). The build only reports stale prices, at info level.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from atlas_mkdocs.data import PRICE_STALE_AFTER_DAYS, TABLES, load_data, price_age_days

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
PRICE_TABLES = [table.key for table in TABLES if table.is_price]
#: Searched on 2026-12-05: no purchase price dated after 2026-06-08 was found for these.
GPUS_WITHOUT_A_NEWER_PRICE = {"rtx-3090", "rtx-4090", "a100-80gb-sxm", "h100-sxm", "h200-sxm", "l40s",
                              "a100-80gb-pcie", "b200", "mi300x"}


def last_data_commit(root: Path = ROOT) -> dt.date:
    """Give back the committer date of the last commit that changed data/, from git."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed, so the date of the last commit to data/ cannot be read")
    done = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "data"], cwd=root, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        pytest.skip(f"not a git checkout with a commit to data/ ({done.stderr.strip() or 'no such commit'})")
    return dt.date.fromisoformat(done.stdout.strip())


def stale_rows(rows, on: dt.date) -> list[str]:
    """Give back 'id (as_of, N days)' for each current row older than PRICE_STALE_AFTER_DAYS on ``on``."""
    return [f"{row['id']} (as_of {row['as_of']}, {age} days)" for row in rows
            if (age := price_age_days(row, on)) is not None and age > PRICE_STALE_AFTER_DAYS]


@pytest.mark.parametrize("table", PRICE_TABLES)
def test_no_current_price_is_older_than_180_days_at_the_last_data_commit(table):
    """Every current (not historical) price of this table is at most 180 days old on the last data/ commit."""
    on = last_data_commit()
    data = load_data(DATA, today=max(on, dt.date.today()))
    assert stale_rows(getattr(data, table), on) == [], (
        f"data/{table}.yaml has prices older than {PRICE_STALE_AFTER_DAYS} days on {on.isoformat()}, the date "
        "of the last commit to data/: check them again, or mark a kept record 'historical: true'")


def test_the_purchase_prices_no_newer_source_was_found_for_are_kept_as_records():
    """gpus.yaml's purchase prices older than 180 days on the last data/ commit are the nine named above, each
    marked historical (a record of its date, not today's price); the RTX 5090's is current."""
    on = last_data_commit()
    data = load_data(DATA, today=max(on, dt.date.today()))
    records = {row["id"] for row in data.gpus if row.get("historical") is True}
    assert records == GPUS_WITHOUT_A_NEWER_PRICE
    # Each really is stale: as a current price it would be over 180 days old.
    assert all(price_age_days({**row, "historical": False}, on) > PRICE_STALE_AFTER_DAYS
               for row in data.gpus if row["id"] in records)
    rtx_5090 = next(row for row in data.gpus if row["id"] == "rtx-5090")
    assert (rtx_5090["purchase_usd"], rtx_5090["msrp_usd"]) == ({"low": 3650, "high": 3900}, 1999)
    assert price_age_days(rtx_5090, on) <= PRICE_STALE_AFTER_DAYS


#: Their purchase range has no date of its own: as_of is the reference file's collection month (2026-09).
GPUS_DATED_BY_THE_COLLECTION = {"a100-40gb-sxm", "h100-pcie", "l4"}


def test_the_purchase_prices_without_a_date_of_their_own_say_so():
    """The three GPU rows whose as_of is the reference file's collection month, not a price date, are exactly the
    ones dated 2026-09 without a day, and each says so in its note, so that a reader is not told it is a price
    checked that month."""
    data = load_data(DATA, today=max(last_data_commit(), dt.date.today()))
    by_collection = {row["id"] for row in data.gpus if str(row["as_of"]) == "2026-09"}
    assert by_collection == GPUS_DATED_BY_THE_COLLECTION
    for row in data.gpus:
        if row["id"] in GPUS_DATED_BY_THE_COLLECTION:
            assert "no date or source of its own" in row["note"] and row.get("historical") is None, row["id"]


def test_the_check_finds_an_old_price_and_skips_a_record():
    """A 2024 price is stale on 2026-12-04, the same price marked historical is not, a 2026-11 one is 33 days old."""
    rows = [{"id": "old", "as_of": "2024-07"}, {"id": "record", "as_of": "2024-07", "historical": True},
            {"id": "fresh", "as_of": "2026-11"}]
    assert stale_rows(rows, dt.date(2026, 12, 4)) == ["old (as_of 2024-07, 886 days)"]
    assert price_age_days(rows[2], dt.date(2026, 12, 4)) == 33


def test_the_date_is_the_last_commit_to_data(tmp_path):
    """In a repository whose data/ was last changed on 2026-06-01, the date is that day, not the later commit's."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args: str, date: str | None = None) -> None:
        env = {"GIT_AUTHOR_DATE": f"{date}T12:00:00", "GIT_COMMITTER_DATE": f"{date}T12:00:00"} if date else {}
        import os
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True,
                       env=os.environ | env | {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})

    git("init", "-q")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "prices.yaml").write_text("a: 1\n")
    git("add", "data")
    git("commit", "-qm", "data", date="2026-06-01")
    (tmp_path / "README").write_text("later\n")
    git("add", "README")
    git("commit", "-qm", "docs", date="2026-11-30")
    assert last_data_commit(tmp_path) == dt.date(2026, 6, 1)
