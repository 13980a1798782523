"""Serve benchmark: from saving a note to the served page holding the change, ours against plain Material.

An author writes with `make serve` open beside the editor. This section starts `mkdocs serve --dirty`
(what `make serve` runs: build_scripts/preview.py re-renders what a save changed) on a
synthetic vault (bench/vault.py), waits for its first build, then makes five edits of different kinds
one after the other, each to a different note, and times each from the file's write to the moment the
served page (fetched over HTTP, as the browser would after its reload) contains the edit:

- text: a paragraph appended to a note;
- heading: a heading of a note renamed;
- link: a wikilink added to a note (plain Markdown: an ordinary link);
- tag: a tag added to a note's front matter;
- embed: a note that another note embeds is edited, and the embedding note is the page watched (plain
  Material has no embeds: the edited note's own page is watched).

The same edits are made, in the same run, to the stripped copy of the vault served by `mkdocs serve`
on plain Material (bench/build.py's configuration), the reference the issue names. After each edit the
server's own "Reloading browsers" line (the end of a rebuild) is awaited before the next, so one rebuild never overlaps the
next edit's.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from bench.build import plain_config
from bench.stats import figure
from bench.vault import generate_vault, note_name, note_path, write_plain_vault
from tests.helpers import ROOT

#: Edit to browser, at most (seconds), by vault size: the issue's goals.
GOALS = {250: 0.5, 1000: 1.0, 2000: 1.5}
KINDS = ("text", "heading", "link", "tag", "embed")
#: A first build of 2,000 notes takes minutes on a busy two-core machine; a rebuild as long.
START_TIMEOUT_S = 900
EDIT_TIMEOUT_S = 600
POLL_S = 0.02
#: A build has finished: the first ("Serving on", after it) or a rebuild ("Reloading browsers"). Not
#: "Documentation built in N seconds": MkDocs logs a message only once, and rebuilds that take the
#: same time say the same thing.
_BUILT = re.compile(r"\] (?:Serving on |Reloading browsers)")
_EMBED = re.compile(r"!\[\[(Note \d{4} [^#\]|]+)#(Section \d)\]\]")


def free_port() -> int:
    """Give back a TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """One `mkdocs serve` process, and the count of builds it has finished (read from its log)."""

    process: subprocess.Popen
    port: int
    log: Path
    builds: int = 0
    lines: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def follow(self) -> None:
        """Read the server's output line by line, counting finished builds (runs in a thread)."""
        with self.log.open("w", encoding="utf-8") as out:
            for line in self.process.stdout:
                out.write(line)
                out.flush()
                with self._lock:
                    self.lines.append(line.rstrip())
                    if _BUILT.search(line):
                        self.builds += 1

    def finished_builds(self) -> int:
        with self._lock:
            return self.builds

    def url(self, page: str) -> str:
        return f"http://127.0.0.1:{self.port}/{page}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(config: Path, vault: Path, log: Path, options: tuple[str, ...] = ()) -> Server:
    """Start `mkdocs serve` for ``vault`` with ``config`` (and ``options``) and wait for its first build."""
    port = free_port()
    env = os.environ | {"ATLAS_VAULT": str(vault), "ATLAS_SITE_DIR": str(log.parent / "unused-site"),
                        "SITE_URL": f"http://127.0.0.1:{port}/", "NO_MKDOCS_2_WARNING": "1", "ATLAS_CATALOGUE": "false"}
    log.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "--dev-addr", f"127.0.0.1:{port}", *options],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    server = Server(process, port, log)
    threading.Thread(target=server.follow, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"mkdocs serve stopped ({process.returncode}) before serving; see {log}")
        if server.finished_builds() and _fetch(server.url("")) is not None:
            return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"mkdocs serve did not serve within {START_TIMEOUT_S} s; see {log}")


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def page_url(path: str) -> str:
    """Give back the served address of the note at vault path ``path`` ('guides/Note 0003 KV cache.md')."""
    return quote(path.removesuffix(".md")) + "/"


@dataclass(frozen=True)
class Edit:
    """One edit: the note written, the page watched, and the text that shows the edit has arrived.

    ``section`` is the heading of the note's section another note embeds (the embed edit writes there).
    """

    kind: str
    note: str
    watch: str
    token: str
    section: str = ""


def plan_edits(vault: Path, count: int, plain: bool, run: str) -> list[Edit]:
    """Give back one edit of each kind, each on a different note of the generated vault."""
    paths = {Path(note_path(number)).stem: note_path(number) for number in range(1, count + 1)}
    edits = []
    for index, kind in enumerate(KINDS):
        number = 1 + (index * 37 + 11) % count
        path = note_path(number)
        token = f"benchedit{run}{kind}{index}"
        if kind == "embed" and not plain:
            # Watch the first note from here on that embeds a section of another; edit that section.
            for step in range(count):
                embedding = note_path(1 + (number - 1 + step) % count)
                found = _EMBED.search((vault / embedding).read_text(encoding="utf-8"))
                if found and found.group(1) in paths:
                    edits.append(Edit(kind, paths[found.group(1)], embedding, token, found.group(2)))
                    break
            else:
                raise RuntimeError("no note of the generated vault embeds a section of another note")
            continue
        edits.append(Edit(kind, path, path, token))
    return edits


def apply_edit(vault: Path, edit: Edit, plain: bool) -> None:
    """Write the edit into the note's file (a single write, as an editor's save)."""
    file = vault / edit.note
    text = file.read_text(encoding="utf-8")
    if edit.section:
        # The embedded section must change, so the embedding page shows it.
        text, replaced = re.subn(rf"^(## {re.escape(edit.section)}\n)", rf"\1\nEdited: {edit.token}.\n", text,
                                 count=1, flags=re.M)
        if not replaced:
            raise RuntimeError(f"{edit.note} has no heading {edit.section!r}")
    elif edit.kind in ("text", "embed"):
        text += f"\nA new paragraph: {edit.token}.\n"
    elif edit.kind == "heading":
        text, replaced = re.subn(r"^## Section 3$", f"## Section 3 {edit.token}", text, count=1, flags=re.M)
        if not replaced:
            text += f"\n## {edit.token}\n"
    elif edit.kind == "link":
        text += (f"\nSee [{edit.token}](../{quote(note_path(2))})\n" if plain
                 else f"\nSee [[{note_name(2)}|{edit.token}]].\n")
    elif edit.kind == "tag":
        text, replaced = re.subn(r"^tags: \[", f"tags: [{edit.token}, ", text, count=1, flags=re.M)
        if not replaced:
            raise RuntimeError(f"{edit.note} has no tags list in its front matter")
    else:
        raise ValueError(f"unknown edit kind {edit.kind!r}")
    file.write_text(text, encoding="utf-8")


def time_edit(server: Server, vault: Path, edit: Edit, plain: bool) -> float:
    """Give back the seconds from writing ``edit`` to the served page holding its token."""
    before = server.finished_builds()
    url = server.url(page_url(edit.watch))
    started = time.perf_counter()
    apply_edit(vault, edit, plain)
    deadline = time.monotonic() + EDIT_TIMEOUT_S
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and edit.token in page:
            elapsed = time.perf_counter() - started
            break
        if server.process.poll() is not None:
            raise RuntimeError(f"mkdocs serve stopped during the {edit.kind} edit; see {server.log}")
        time.sleep(POLL_S)
    else:
        raise RuntimeError(f"the {edit.kind} edit of {edit.note} did not reach {url} in {EDIT_TIMEOUT_S} s")
    # Let the rebuild finish before the next edit, so edits never overlap.
    while server.finished_builds() <= before and time.monotonic() < deadline:
        time.sleep(0.1)
    return elapsed


def bench_serve(work: Path, sizes: tuple[int, ...], say) -> dict[str, object]:
    """Give back the edit-to-page figures for ``sizes``, ours and plain Material's, in one run."""
    project = ROOT / "mkdocs.yml"
    plain = plain_config(work)
    figures: list[dict[str, object]] = []
    details: dict[str, object] = {"sizes": {}}
    errors: list[str] = []
    for size in sizes:
        vault = work / "vaults" / f"obsidian-{size}"
        plain_vault = work / "vaults" / f"plain-{size}"
        generate_vault(vault, size)
        write_plain_vault(vault, plain_vault)
        times: dict[str, dict[str, float]] = {}
        for kind, config, source in (("ours", project, vault), ("plain", plain, plain_vault)):
            is_plain = kind == "plain"
            say(f"  {size} notes, {kind}: starting mkdocs serve")
            started = time.perf_counter()
            try:
                # Ours as `make serve` runs it; plain Material as a new project runs `mkdocs serve`.
                options = () if is_plain else ("--dirty",)
                server = start_server(config, source, work / "logs" / f"{kind}-{size}.log", options)
            except RuntimeError as error:
                errors.append(f"{kind} serve of {size} notes: {error}")
                continue
            say(f"    serving after {time.perf_counter() - started:.1f} s")
            times[kind] = {}
            try:
                for edit in plan_edits(source, size, is_plain, kind):
                    seconds = time_edit(server, source, edit, is_plain)
                    times[kind][edit.kind] = seconds
                    say(f"    {edit.kind:8s} {edit.note}: {seconds:6.2f} s")
            except RuntimeError as error:
                errors.append(f"{kind} serve of {size} notes: {error}")
            finally:
                server.stop()
        details["sizes"][str(size)] = times
        ours, theirs = times.get("ours", {}), times.get("plain", {})
        figures.append(figure(f"serve.ours.{size}.edit_to_page", "s", list(ours.values()), goal=GOALS.get(size),
                              note="median of five edits (text, heading, link, tag, embedded note)"))
        figures.append(figure(f"serve.plain.{size}.edit_to_page", "s", list(theirs.values()),
                              note="mkdocs serve on plain Material, the same edits to the stripped vault"))
        paired = [ours[k] / theirs[k] for k in KINDS if k in ours and k in theirs]
        figures.append(figure(f"serve.ratio.{size}.edit_to_page", "ratio", paired,
                              note="ours / plain Material, edit by edit"))
    return {"figures": figures, "details": details, "errors": errors}
