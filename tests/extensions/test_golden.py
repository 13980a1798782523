"""Every golden case renders to its expected HTML."""

from __future__ import annotations

import difflib

import pytest

from .conftest import CASE_EXTENSIONS, GOLDEN_DIR, render

CASES = sorted(GOLDEN_DIR.glob("*/*.md"))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_golden(case, update):
    """The case's Markdown renders to the HTML beside it (--update rewrites that HTML)."""
    expected_file = case.with_suffix(".html")
    actual = render(case.read_text(encoding="utf-8"), extra=CASE_EXTENSIONS.get(case.parent.name, ([], {}))) + "\n"
    if update or not expected_file.exists():
        expected_file.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"{expected_file} did not exist; written from the current output, review it")
        return
    expected = expected_file.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        "expected", "actual"))
    assert actual == expected, diff
