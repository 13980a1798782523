"""A long folder's window and its "All N notes" link work in Chromium: with Material's instant navigation
(no page reload, the window follows the page) and with JavaScript off (plain links)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LocalSite
from tests.helpers import build_site

SIDEBAR_TITLES = ".md-sidebar--primary a.md-nav__link .md-ellipsis"


@pytest.fixture(scope="module")
def long_folder_site(tmp_path_factory):
    """A vault of 120 notes in one folder (window 40, the default), built for and served from 127.0.0.1."""
    root = tmp_path_factory.mktemp("nav-window")
    vault = root / "vault"
    (vault / "rentals").mkdir(parents=True)
    (vault / "index.md").write_text("# Home\n\nThe atlas.\n", encoding="utf-8")
    for number in range(1, 121):
        (vault / "rentals" / f"Note {number:03d}.md").write_text(f"# Note {number:03d}\n\nOffer {number}.\n",
                                                                 encoding="utf-8")
    server = LocalSite(root / "site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ATLAS_CATALOGUE", "false")  # only the vault's notes in the navigation
        result = build_site(vault, root / "site", site_url=server.url)
    assert result.returncode == 0, result.stderr
    server.start()
    yield server
    server.stop()


def _window(page) -> list[str]:
    return [title.strip() for title in page.locator(SIDEBAR_TITLES).all_inner_texts()]


def test_instant_navigation_follows_the_window(browser, long_folder_site):
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(f"{long_folder_site.url}rentals/Note%20060/")
    assert _window(page) == ["Home", *[f"Note {n:03d}" for n in range(41, 81)], "All 120 notes in Rentals"]
    page.evaluate("window.atlasNoReload = true")  # gone if the browser loads a page afresh
    page.click(f"{SIDEBAR_TITLES} >> text=All 120 notes in Rentals")
    page.wait_for_url("**/rentals/all-notes/")
    expect(page.locator("h1")).to_have_text("All 120 notes in Rentals")  # once Material has swapped the page in
    assert page.locator("ul.atlas-listing a").count() == 120
    page.click("ul.atlas-listing >> text=Note 110")
    page.wait_for_url("**/rentals/Note%20110/")
    expect(page.locator("h1")).to_have_text("Note 110¶")  # with its permalink
    assert _window(page) == ["Home", *[f"Note {n:03d}" for n in range(81, 121)], "All 120 notes in Rentals"]
    assert page.evaluate("window.atlasNoReload") is True  # Material's instant navigation, not a reload
    context.close()


def test_the_window_and_the_listing_are_plain_links_without_javascript(browser, long_folder_site):
    context = browser.new_context(java_script_enabled=False, service_workers="block")
    page = context.new_page()
    page.goto(f"{long_folder_site.url}rentals/Note%20001/")
    assert _window(page)[-1] == "All 120 notes in Rentals"
    page.click(f"{SIDEBAR_TITLES} >> text=All 120 notes in Rentals")
    page.wait_for_url("**/rentals/all-notes/")
    page.click("ul.atlas-listing >> text=Note 077")
    page.wait_for_url("**/rentals/Note%20077/")
    assert page.locator("h1").inner_text() == "Note 077¶"
    assert _window(page) == ["Home", *[f"Note {n:03d}" for n in range(61, 101)], "All 120 notes in Rentals"]
    context.close()
