"""The hostile-page tests run in Debian's chromium (the `browser` fixture of tests/conftest.py)."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/robustness/test_browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
