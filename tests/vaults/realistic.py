"""A vault with the shapes real vaults have, written at test time from a seed (never committed).

Hundreds of notes in nested and unicode-named folders; ghost links (to notes not written yet), also
with a heading or an alias; links to drafts and private notes; attachments beside notes, in an
attachments folder and deeper, embedded by name alone; Markdown links written Obsidian's way
(shortest path, spaces encoded); links that open apps; a note beside a folder of its name; broken
frontmatter; tags in every case; code that holds link and tag syntax; symbolic links that loop or
leave the vault. Every choice is drawn from a seeded generator, and what Obsidian would make of it
is recorded beside it (which links are ghosts, which notes are published, where each lands): the
tests check the build against that record, not against the generator's idea of our code.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

#: Marks text that must never reach the built site (drafts and private notes).
SECRET = "SECRET-4d1f0b-not-for-readers"
#: A 1x1 PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

FOLDERS = ["", "Projects", "Projects/2024", "Areas/Health", "Areas/Café crème", "Resources/Books",
           "Resources/Papers (read)", "Archive/Old notes", "Daily/2024", "日本語のノート", "Ünïcode Ordner"]
WORDS = ["alpha", "budget", "coffee", "draft", "energy", "forest", "garden", "harbor", "island", "journal",
         "kettle", "lantern", "meadow", "notebook", "orbit", "pepper", "quartz", "river", "signal", "timber",
         "umbrella", "violet", "window", "yarn", "zephyr", "café", "naïve", "Straße", "東京", "😀 mood",
         "100% done", "Q&A", "it's fine", "a, b and c", "v1.2"]
GHOSTS = ["Someday note", "Unwritten idea", "Meeting 2031-01-01", "Ideas/Later", "Not yet", "Zukunft"]
APP_LINKS = ["obsidian://open?vault=Work&file=Plan", "zotero://select/items/@smith2020", "mailto:team@example.org",
             "x-devonthink-item://8A1B2C3D", "things:///show?id=today", "bear://x-callback-url/open-note?id=1"]
TAG_WORDS = ["Project", "project", "PROJECT", "area/health", "Area/Health/Sleep", "reading", "Reading/Books",
             "idea", "todo"]


@dataclass
class Link:
    """A link written into a note, and what Obsidian makes of it."""

    note: str           # the vault path of the note that holds it
    line: int           # 1-based line in the note's file
    written: str        # as written: [[...]], ![[...]] or [text](target)
    kind: str           # "link" or "embed" (as our messages name them)
    outcome: str        # "resolved", "ghost", "private", "missing-heading", "app"


@dataclass
class Vault:
    """What was written, and what Obsidian would make of it."""

    root: Path
    notes: dict[str, str] = field(default_factory=dict)            # vault path -> text
    published: set[str] = field(default_factory=set)
    private: set[str] = field(default_factory=set)
    headings: dict[str, list[str]] = field(default_factory=dict)   # vault path -> headings as written
    blocks: dict[str, list[str]] = field(default_factory=dict)
    attachments: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    broken_frontmatter: set[str] = field(default_factory=set)
    folder_links: dict[str, str] = field(default_factory=dict)    # link path -> "loop" | "outside"


def name_of(path: str) -> str:
    return path.rsplit("/", 1)[-1][:-3]


def generate(root: Path, notes: int = 300, seed: int = 20261204) -> Vault:
    """Write a vault of ``notes`` notes under ``root``/vault (and a folder outside it); give back the record."""
    rng = random.Random(seed)
    vault_dir = root / "vault"
    vault = Vault(vault_dir)

    # Notes and their places; some names repeat in other folders, as in real vaults.
    # A private note's name is its own (numbered), so that a link to it can only mean it.
    paths: list[str] = []
    for number in range(notes):
        folder = rng.choice(FOLDERS)
        private = rng.random() < 0.06
        stem = f"{rng.choice(WORDS)} {number}" if private or rng.random() < 0.85 else rng.choice(WORDS)
        path = f"{folder}/{stem}.md".lstrip("/")
        if path.casefold() not in {p.casefold() for p in paths}:
            paths.append(path)
            (vault.private if private else vault.published).add(path)
    paths += ["Band.md", "Band/index.md", "Band/Members.md"]  # a note beside a folder of its name
    vault.published |= {"Band.md", "Band/index.md", "Band/Members.md"}

    # Attachments in odd places: beside notes, in a shared folder, deeper, with spaces and accents.
    for number in range(40):
        folder = rng.choice(["Attachments", "Projects/Assets", "Daily/2024/attachments", "Areas/Café crème", ""])
        name = f"{rng.choice(['chart', 'photo', 'Scan ', 'diagramme é'])}{number}.{rng.choice(['png', 'png', 'pdf', 'mp3'])}"
        vault.attachments.append(f"{folder}/{name}".lstrip("/"))

    names: dict[str, str] = {}
    for path in sorted(paths, key=lambda p: (p.count("/"), p)):  # Obsidian's shortest path wins a name
        names.setdefault(name_of(path), path)
    # Links name notes whose name is theirs alone: where two notes share a name, which one a link means
    # is a tie Obsidian breaks by rules of its own. "index" is also the vault's home (written last).
    shared = {name for name in names if sum(name_of(p) == name for p in paths) > 1}
    public_names = [n for n, p in names.items() if p in vault.published and n not in shared and n != "index"]
    private_names = [n for n, p in names.items() if p in vault.private and n not in public_names]

    # First pass: the headings and blocks of each note, so links can name ones that exist.
    bodies: dict[str, list[tuple[str, str | None]]] = {}
    for path in paths:
        heads = [f"Section {i} about {rng.choice(WORDS)}" for i in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            heads.append(f"The `{rng.choice(WORDS)}` function")
        if rng.random() < 0.2:
            heads.append(f"**Bold** and _emphasis_ {rng.randint(1, 9)}")
        vault.headings[path] = heads
        vault.blocks[path] = [f"blk{rng.randint(100, 999)}"]

    for path in paths:
        lines: list[str] = []
        private = path in vault.private
        front: list[str] = []
        if private:
            front.append(rng.choice(["draft: true", "publish: false", 'draft: "yes"']))
            front.append(f"title: {SECRET} {name_of(path)}")
        if rng.random() < 0.4:
            front.append(f"tags: [{rng.choice(TAG_WORDS)}, {rng.choice(TAG_WORDS)}]")
        if rng.random() < 0.15:
            front.append(f"aliases: [{name_of(path)} alias]")
        broken = not private and rng.random() < 0.03
        if broken:
            front.append('description: "an unclosed quote')
            vault.broken_frontmatter.add(path)
        if front:
            lines += ["---", *front, "---"]
        lines.append(f"# {name_of(path)}")
        lines.append("")
        if private:
            lines.append(f"{SECRET} in the body of a note not for readers.")

        def add_link(written: str, kind: str, outcome: str) -> str:
            vault.links.append(Link(path, len(lines) + 1, written, kind, outcome))
            return written

        for heading in vault.headings[path]:
            lines.append(f"## {heading}")
            lines.append("")
            sentence = [f"Some text on {rng.choice(WORDS)} #{rng.choice(TAG_WORDS)}."]
            for _ in range(rng.randint(1, 4)):
                draw = rng.random()
                target = rng.choice(public_names)
                target_path = names[target]
                if draw < 0.35:
                    sentence.append(add_link(f"[[{target}]]", "link", "resolved"))
                elif draw < 0.45:
                    head = rng.choice(vault.headings[target_path])
                    sentence.append(add_link(f"[[{target}#{head}|see there]]", "link", "resolved"))
                elif draw < 0.5:
                    sentence.append(add_link(f"[[{target}#^{vault.blocks[target_path][0]}]]", "link", "resolved"))
                elif draw < 0.6:
                    ghost = rng.choice(GHOSTS)
                    form = rng.choice([f"[[{ghost}]]", f"[[{ghost}|later]]", f"[[{ghost}#Some heading]]"])
                    sentence.append(add_link(form, "link", "ghost"))
                elif draw < 0.66 and private_names:
                    sentence.append(add_link(f"[[{rng.choice(private_names)}]]", "link", "private"))
                elif draw < 0.7:
                    sentence.append(add_link(f"[[{target}#No such heading here]]", "link", "missing-heading"))
                elif draw < 0.8:
                    text = rng.choice(["this note", "that one", "read more"])
                    sentence.append(add_link(f"[{text}]({quote(target, safe='')}.md)", "link", "resolved"))
                elif draw < 0.9:
                    url = rng.choice(APP_LINKS)
                    sentence.append(add_link(f"[open it]({url})", "link", "app"))
                else:
                    attachment = rng.choice(vault.attachments)
                    file = attachment.rsplit("/", 1)[-1]
                    size = "|300" if attachment.endswith(".png") and rng.random() < 0.5 else ""
                    sentence.append(add_link(f"![[{file}{size}]]", "embed", "resolved"))
            lines.append(" ".join(sentence) + f" ^{vault.blocks[path][0]}" * (heading == vault.headings[path][0]))
            lines.append("")
        if rng.random() < 0.3:
            lines += ["> [!tip] A callout with [[" + rng.choice(public_names) + "]] in its title",
                      "> And a body.", ""]
        if rng.random() < 0.3:
            lines += ["```bash", "[[ -f notes.md ]] && echo '#not-a-tag' %% not a comment", "```", ""]
        if rng.random() < 0.2:
            lines += [f"Visible %%hidden [[{rng.choice(GHOSTS)}]] comment%% text and ==highlight==.", ""]
        vault.notes[path] = "\n".join(lines) + "\n"

    for path, text in vault.notes.items():
        file = vault_dir / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    for attachment in vault.attachments:
        file = vault_dir / attachment
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes({"png": PNG, "pdf": b"%PDF-1.4\n%%EOF\n", "mp3": b"ID3\x03\x00"}[attachment.rsplit(".", 1)[1]])
    (vault_dir / ".obsidian").mkdir(exist_ok=True)
    (vault_dir / ".obsidian" / "app.json").write_text('{"useMarkdownLinks": false}\n', encoding="utf-8")
    (vault_dir / "index.md").write_text("# Home\n\nA generated vault.\n", encoding="utf-8")
    vault.notes["index.md"] = "# Home\n\nA generated vault.\n"
    vault.published.add("index.md")

    # Symbolic links: a loop, a loop from a subfolder, a folder outside the vault.
    outside = root / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "Outside note.md").write_text(f"# Outside\n\n{SECRET} outside the vault.\n", encoding="utf-8")
    os.symlink(".", vault_dir / "loop")
    (vault_dir / "Projects").mkdir(exist_ok=True)
    os.symlink("..", vault_dir / "Projects" / "up")
    os.symlink("../outside", vault_dir / "outside-folder")
    vault.folder_links = {"loop": "loop", "Projects/up": "loop", "outside-folder": "outside"}
    return vault
