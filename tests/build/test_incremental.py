"""The live preview (build_scripts/preview.py): after any sequence of edits, renames and deletions, the
site `mkdocs serve --dirty` keeps is the site a clean build of the same vault writes, file for file.

One process builds the vault as `make serve` does (tests/build/preview_driver.py, dirty), one build per
step; after each step a second process builds the whole vault afresh (clean) and every file of the two
sites is compared: the same files, the same bytes (the search index as JSON, the gzipped sitemap
unzipped). Each step also checks that the preview rendered what changed (the edit is on the page) and
left alone what did not (an unrelated page's file is the one the last build wrote).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


from tests.helpers import ROOT

DRIVER = ROOT / "tests" / "build" / "preview_driver.py"
PRICE = "usd_per_gpu_hour: 0.805"

NOTES = {
    "index.md": "# Home\n\nStart with [[Batching]] or the [[Rentals/Offer 1|first offer]].\n",
    "Tags.md": "# Tags\n\n<!-- material/tags -->\n",
    "Batching.md": ("---\ntags: [throughput]\naliases: [Batches]\n---\n# Batching\n\nMore requests per step.\n\n"
                    "## Continuous batching\n\nA new request joins at the next step. ^joins\n\n## Limits\n\nMemory.\n"),
    "Throughput.md": ("# Throughput\n\nSee [[Batching#Continuous batching]] and [[Power]].\n\n"
                      "![[Batching#Continuous batching]]\n"),
    "Digest.md": "# Digest\n\nWhat throughput says:\n\n![[Throughput]]\n\nAnd one line: ![[Batching#^joins]]\n",
    "Power.md": ("---\nfigures:\n  rate: data.rental_offers[aws-g6-xlarge-l4].usd_per_gpu_hour\n---\n# Power\n\n"
                 "An L4 rents for `=rate|usd` an hour. #energy\n\n## Price\n\nThe rate is `=rate|usd`.\n"),
    "Costs.md": "# Costs\n\n![[Power#Price]]\n\nUnrelated to [[Ghost note]] so far.\n",
    "Lonely.md": "# Lonely\n\nNobody links here.\n",
}


def _vault(root: Path) -> None:
    for path, text in NOTES.items():
        (root / path).write_text(text, encoding="utf-8")
    (root / "attachments").mkdir()
    for number in range(1, 9):  # a folder longer than the navigation window (5)
        (root / "Rentals").mkdir(exist_ok=True)
        (root / "Rentals" / f"Offer {number}.md").write_text(
            f"# Offer {number}\n\nA rented GPU, offer {number}.\n", encoding="utf-8")


def _config(project: Path) -> Path:
    config = project / "mkdocs.yml"
    config.write_text(
        "site_name: Preview test\nsite_url: http://127.0.0.1:8000/\ndocs_dir: vault\n"
        "theme:\n  name: material\n  font: false\n  features: [navigation.prune, navigation.instant]\n"
        "plugins:\n  - search\n  - atlas:\n      data_dir: data\n      calculators: false\n      catalogue: false\n"
        f"      cache_dir: {project / 'cache'}\n      material:\n        nav_window: 5\n  - tags\n",
        encoding="utf-8")
    return config


class Preview:
    """The driver process that builds as `mkdocs serve --dirty` does, one build per request."""

    def __init__(self, config: Path, site: Path) -> None:
        env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, str(DRIVER), str(config), str(site), "dirty"],
                                        cwd=config.parent, env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)

    def build(self) -> None:
        self.process.stdin.write("build\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        assert answer == "built", f"the preview's build {answer or 'stopped'}: {self.process.stderr.read() if not answer else ''}"

    def stop(self) -> str:
        self.process.stdin.close()
        self.process.wait(timeout=60)
        return self.process.stderr.read()


def _clean_build(config: Path, site: Path) -> None:
    shutil.rmtree(site, ignore_errors=True)
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, str(DRIVER), str(config), str(site), "clean"], input="build\n",
                         cwd=config.parent, env=env, capture_output=True, text=True, timeout=300)
    assert run.stdout.strip() == "built", run.stdout + run.stderr


def _read(path: Path) -> object:
    data = path.read_bytes()
    if path.suffix == ".gz":
        return gzip.decompress(data)
    if path.name == "search_index.json":
        return json.loads(data)
    return data


def _differences(served: Path, clean: Path) -> list[str]:
    """Give back what differs between the two sites: files only in one, and files whose content differs
    (with the first line that does)."""
    ours = {p.relative_to(served).as_posix() for p in served.rglob("*") if p.is_file()}
    theirs = {p.relative_to(clean).as_posix() for p in clean.rglob("*") if p.is_file()}
    found = [f"only in the preview: {p}" for p in sorted(ours - theirs)]
    found += [f"missing from the preview: {p}" for p in sorted(theirs - ours)]
    for path in sorted(ours & theirs):
        mine, reference = _read(served / path), _read(clean / path)
        if mine == reference:
            continue
        if isinstance(mine, bytes):
            lines = zip(mine.decode(errors="replace").splitlines(), reference.decode(errors="replace").splitlines())
            first = next(((a, b) for a, b in lines if a != b), ("", ""))
            found.append(f"{path} differs:\n    preview: {first[0][:300]}\n    clean:   {first[1][:300]}")
        else:
            found.append(f"{path} differs (JSON)")
    return found


def _page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# Each step: (what it does, the change, {page URL: text it must show after}, a page it must not re-render).
def _steps(project: Path):
    vault, data = project / "vault", project / "data"
    return [
        ("a paragraph added", lambda: _append(vault / "Lonely.md", "\nA new line: alpha-edit.\n"),
         {"Lonely": "alpha-edit"}, "Batching"),
        ("an embedded section edited, shown two embeds deep",
         lambda: _edit(vault / "Batching.md", "A new request joins", "A new request (beta-edit) joins"),
         {"Batching": "beta-edit", "Throughput": "beta-edit", "Digest": "beta-edit"}, "Lonely"),
        ("a section no one embeds edited", lambda: _edit(vault / "Batching.md", "Memory.", "Memory (gamma-edit)."),
         {"Batching": "gamma-edit"}, "Throughput"),
        ("a heading that a link names renamed",
         lambda: _edit(vault / "Batching.md", "## Continuous batching", "## Continuous batching delta"),
         {"Batching": "continuous-batching-delta"}, "Lonely"),
        ("a link added: the target lists it under Linked from",
         lambda: _append(vault / "Lonely.md", "\nSee [[Power]].\n"), {"Power": 'href="../Lonely/"'}, "Batching"),
        ("a tag added: the tags listing shows it", lambda: _append(vault / "Lonely.md", "\n#epsilon-tag\n"),
         {"Tags": "epsilon-tag"}, "Batching"),
        ("the ghost note created: the link to it resolves",
         lambda: (vault / "Ghost note.md").write_text("# Ghost note\n\nNow here: zeta-edit.\n", encoding="utf-8"),
         {"Ghost note": "zeta-edit", "Costs": 'href="../Ghost%20note/"'}, None),
        ("a note's title changed in its front matter",
         lambda: (vault / "Lonely.md").write_text("---\ntitle: Alone eta\n---\n" + (vault / "Lonely.md").read_text(encoding="utf-8"), encoding="utf-8"),
         {"Batching": "Alone eta"}, None),
        ("a note renamed: links to the old name are ghosts",
         lambda: (vault / "Ghost note.md").rename(vault / "Spirit note.md"), {"Costs": "obsidian-unresolved"}, None),
        ("a note of a long folder deleted", lambda: (vault / "Rentals" / "Offer 3.md").unlink(),
         {"Rentals/all-notes": "Offer 4"}, None),
        ("an attachment added and embedded",
         lambda: ((vault / "attachments" / "chart.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8"),
                  _append(vault / "Digest.md", "\n![[chart.svg]]\n")),
         {"Digest": "chart.svg"}, None),
        ("data/ changed: the figure and the note embedding its section",
         lambda: _edit(data / "rental_offers.yaml", PRICE, "usd_per_gpu_hour: 0.915"),
         {"Power": "$0.92", "Costs": "$0.92"}, "Lonely"),
        ("a note made private", lambda: _edit(vault / "Throughput.md", "# Throughput", "---\npublish: false\n---\n# Throughput"),
         {"Digest": "obsidian-embed--missing"}, None),
        ("the attachment deleted", lambda: (vault / "attachments" / "chart.svg").unlink(),
         {"Digest": "obsidian-unresolved"}, None),
    ]


def test_the_preview_is_the_clean_build_after_every_step(tmp_path):
    project = tmp_path / "project"
    (project / "vault").mkdir(parents=True)
    _vault(project / "vault")
    shutil.copytree(ROOT / "data", project / "data")
    config = _config(project)
    served, clean = project / "served", project / "clean"
    preview = Preview(config, served)
    try:
        preview.build()
        assert _differences(served, _clean(config, clean)) == []
        # An embedded section's figure is the embedded note's (its front matter names it): $0.805 an hour.
        assert 'The rate is <span class="atlas-figure" title="=rate|usd">$0.81</span>' in _page(served, "Costs")
        for what, change, shown, untouched in _steps(project):
            before = (served / untouched / "index.html").stat().st_mtime_ns if untouched else None
            change()
            preview.build()
            for url, text in shown.items():
                assert text in _page(served, url), f"after '{what}', {url}/ does not show {text!r}"
            if untouched:
                assert (served / untouched / "index.html").stat().st_mtime_ns == before, \
                    f"after '{what}', {untouched}/ was rendered again"
            differences = _differences(served, _clean(config, clean))
            assert differences == [], f"after '{what}':\n" + "\n".join(differences)
    finally:
        log = preview.stop()
    assert "A 'dirty' build is being performed" not in log
    assert "live preview: a saved note re-renders the pages that depend on it" in log


def _clean(config: Path, site: Path) -> Path:
    _clean_build(config, site)
    return site


def test_browsers_reload_once_the_changed_pages_are_written(tmp_path):
    """MkDocs' server holds every request while a build runs and tells browsers to reload after it: the
    preview tells it the site is ready as soon as the last page that changed is written."""
    from mkdocs.livereload import LiveReloadServer

    from atlas_mkdocs.preview import Preview

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server._wanted_epoch = server._visible_epoch + 5  # a rebuild has started
    preview = Preview(dirty=True)
    preview.server = server
    preview._waiting = 2

    class Page:
        content = "<p>rendered</p>"

        class file:
            abs_dest_path = str(tmp_path / "Note" / "index.html")

    preview.page_written("<html>first</html>", Page)
    assert server._visible_epoch != server._wanted_epoch  # one page still to be written
    assert not (tmp_path / "Note" / "index.html").exists()
    preview.page_written("<html>last</html>", Page)
    assert server._visible_epoch == server._wanted_epoch
    # Written before MkDocs writes it, so the reloaded browser reads the page whole.
    assert (tmp_path / "Note" / "index.html").read_text(encoding="utf-8") == "<html>last</html>"


def test_the_server_hears_of_a_save_from_the_system(tmp_path):
    """MkDocs polls every watched file twice a second; the preview moves its watches to inotify."""
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    from atlas_mkdocs.preview import watch_natively

    (tmp_path / "vault").mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path / "vault"))
    server.watch(str(tmp_path / "vault"))
    assert isinstance(server.observer, PollingObserver)
    watch_natively(server)
    assert type(server.observer) is Observer and Observer is not PollingObserver
    assert server._watched_paths == {str(tmp_path / "vault"): 2}
    assert [watch.path for watch in server._watch_refs.values()] == [str(tmp_path / "vault")]
    assert [watch.path for watch in server.observer._watches] == [str(tmp_path / "vault")]
