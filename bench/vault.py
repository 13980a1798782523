"""Synthetic Obsidian vaults for the build benchmark, and the same notes with the Obsidian syntax stripped.

The generated notes carry every Obsidian syntax the Atlas publishes (wikilinks with aliases and heading
fragments, note and image embeds, callouts and folds, inline #tags, ==highlights==, block ids, tables,
```calculator blocks) and one trap, a bash block with ``[[ -f x ]]``, that no extension may touch. The
stripped copy turns each syntax into the nearest plain Markdown, so plain MkDocs Material builds the
same notes, links and pages without our plugin; the difference between the two builds is our overhead.
"""

from __future__ import annotations

import posixpath
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

FOLDERS = ("hardware", "apis", "rentals", "guides")
TOPICS = ("H100 rental", "API pricing", "power draw", "KV cache", "batching", "quantisation",
          "break-even", "utilisation", "egress", "spot capacity", "context length", "throughput")
TAGS = ("cost", "cost/gpu", "cost/api", "hardware", "pricing", "energy", "capacity", "seed")
CALLOUTS = ("note", "tip", "warning", "info", "example")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
ATTACHMENTS = 8
#: One 1x1 transparent PNG: attachments only need to exist and be copied.
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
CALCULATOR_EVERY = 5   # one note in five holds a live calculator
BASH_TRAP_EVERY = 7    # one in seven holds a bash block whose [[ ]] must stay code
IMAGE_EVERY = 10       # one in ten embeds an attachment image


@dataclass(frozen=True)
class VaultSummary:
    """What a generated vault holds: its notes (index included) and how many carry each feature."""

    root: Path
    notes: int
    calculators: int
    bash_traps: int
    image_embeds: int


def note_name(number: int) -> str:
    """Give back the file stem of note ``number`` (1-based): 'Note 0007 KV cache'."""
    return f"Note {number:04d} {TOPICS[number % len(TOPICS)]}"


def note_path(number: int) -> str:
    """Give back the vault-relative path of note ``number``: 'rentals/Note 0007 KV cache.md'."""
    return f"{FOLDERS[number % len(FOLDERS)]}/{note_name(number)}.md"


def _note(number: int, count: int, rng: random.Random) -> str:
    """Give back the Markdown of note ``number`` of ``count``, linking only to notes that exist."""
    def other() -> str:
        target = rng.randint(1, count)
        return note_name(target if target != number or count == 1 else target % count + 1)

    name = note_name(number)
    tags = rng.sample(TAGS, 2)
    lines = [
        "---",
        f"title: {name}",
        f"aliases: [Atlas note {number}]",
        f"tags: [{', '.join(tags)}]",
        "---",
        "",
        f"# {name}",
        "",
        f"This note prices {TOPICS[number % len(TOPICS)]} against [[{other()}]] and "
        f"[[{other()}|a related note]]; see also [[{other()}#Section 2]] and [[#Section 3|below]]. "
        f"Filed under #{tags[0]} and #{tags[1]}, with ==one figure worth checking==. ^summary-{number}",
        "",
        "## Section 1",
        "",
    ]
    for paragraph in range(3):
        lines += [
            f"Paragraph {paragraph + 1}: a GPU rented at ${rng.randint(1, 9)}.{rng.randint(0, 99):02d} an hour "
            f"that makes {rng.randint(50, 3000)} tokens a second costs less per token the busier it is. "
            f"Compare [[{other()}]], which uses `[[not a link]]` in code, and the `#not-a-tag` shown as code.",
            "",
        ]
    kind = CALLOUTS[number % len(CALLOUTS)]
    lines += [
        f"> [!{kind}] What the seed assumes",
        f"> The figure rests on a 30-day month; [[{other()}]] uses 730 hours. #{rng.choice(TAGS)}",
        "",
        "> [!tip]- Folded working",
        "> 3.50 / 0.36 = 9.72 dollars per million tokens at full use.",
        "",
        "| Option | $/hour | tokens/s | note |",
        "| --- | ---: | ---: | --- |",
    ]
    for row in range(4):
        lines.append(f"| option {row + 1} | {rng.uniform(0.5, 12):.2f} | {rng.randint(40, 4000)} | "
                     f"[[{other()}]] |")
    lines += ["", "## Section 2", "", f"![[{other()}#Section 1]]", ""]
    if number % IMAGE_EVERY == 0:
        lines += [f"![[chart-{number % ATTACHMENTS}.png]]", ""]
    if number % CALCULATOR_EVERY == 0:
        lines += [
            "```calculator",
            "widget: rental-cost",
            "inputs:",
            f"  hourly_price_usd: {rng.uniform(0.5, 12):.2f}",
            f"  tokens_per_second: {rng.randint(40, 4000)}",
            f"  utilisation_percent: {rng.randint(5, 100)}",
            "```",
            "",
        ]
    if number % BASH_TRAP_EVERY == 0:
        lines += ["```bash", 'if [[ -f "$HOME/.atlas" ]]; then echo "#not-a-tag ==kept=="; fi', "```", ""]
    lines += [
        "## Section 3",
        "",
        f"Last words on {TOPICS[(number + 3) % len(TOPICS)]}, linking back to [[index|the atlas home]].",
        "",
    ]
    return "\n".join(lines)


def generate_vault(root: Path, notes: int, seed: int = 8) -> VaultSummary:
    """Write a vault of ``notes`` notes plus an index note and attachments under ``root`` (emptied first)."""
    if notes < 1:
        raise ValueError(f"a vault needs at least one note; got {notes}")
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True)
    (root / "attachments").mkdir()
    for k in range(ATTACHMENTS):
        (root / "attachments" / f"chart-{k}.png").write_bytes(PIXEL_PNG)
    (root / ".obsidian").mkdir()
    (root / ".obsidian" / "app.json").write_text("{}\n", encoding="utf-8")
    for number in range(1, notes + 1):
        (root / note_path(number)).write_text(_note(number, notes, rng), encoding="utf-8")
    listed = "\n".join(f"- [[{note_name(n)}]]" for n in range(1, min(notes, 20) + 1))
    (root / "index.md").write_text(f"---\ntitle: Synthetic atlas\n---\n\n# Synthetic atlas\n\n{listed}\n",
                                   encoding="utf-8")
    return VaultSummary(
        root=root,
        notes=notes + 1,
        calculators=notes // CALCULATOR_EVERY,
        bash_traps=notes // BASH_TRAP_EVERY,
        image_embeds=notes // IMAGE_EVERY,
    )


# ---- Stripping: the same notes as plain Markdown --------------------------------------------------

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
_CALLOUT = re.compile(r"^(\s*(?:>\s*)+)\[!(\w+)\][-+]?\s*(.*)$")
_BLOCK_ID = re.compile(r"\s+\^[A-Za-z0-9-]+\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# One pass, left to right, so a '#' inside [[note#heading]] is taken by the link, not read as a tag.
_INLINE = re.compile(
    r"(?P<embed>!\[\[(?P<etarget>[^\]]+)\]\])"
    r"|(?P<link>\[\[(?P<ltarget>[^\]]+)\]\])"
    r"|(?P<mark>==(?P<marked>[^=\n]+)==)"
    r"|(?P<tag>(?<![\w/#&(])#(?P<tagname>[A-Za-z][\w/-]*))"
)


def vault_index(root: Path) -> dict[str, str]:
    """Give back each note stem and attachment file name (lower case) mapped to its vault-relative path."""
    index: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_dir() or relative.parts[0] == ".obsidian":
            continue
        key = path.stem if path.suffix == ".md" else path.name
        index.setdefault(key.lower(), relative.as_posix())
    return index


def slug(heading: str) -> str:
    """Give back a heading's anchor as the site's toc slugify makes it: 'Section 2' -> 'section-2'."""
    text = re.sub(r"[^\w\s-]", "", heading.strip().lower())
    return re.sub(r"[\s]+", "-", text)


def _markdown_link(target: str, source: str, index: dict[str, str], embed: bool) -> str:
    """Give back the plain Markdown of ``[[target]]`` (or ``![[target]]``) written in note ``source``."""
    target, _, alias = target.replace("\\|", "|").partition("|")
    name, _, heading = target.partition("#")
    label = alias or (heading if not name else name if not heading else f"{name} > {heading}")
    fragment = f"#{slug(heading)}" if heading else ""
    if not name:
        return f"[{label}]({fragment})"
    resolved = index.get(name.strip().lower())
    if resolved is None:
        return label  # an unresolved link stays as its text, as a broken link would read
    href = quote(posixpath.relpath(resolved, posixpath.dirname(source) or "."))
    if embed and resolved.lower().endswith(IMAGE_EXTENSIONS):
        return f"![{alias or name}]({href})"
    return f"[{label}]({href}{fragment})"


def _strip_inline(text: str, source: str, index: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        if match["embed"]:
            return _markdown_link(match["etarget"], source, index, embed=True)
        if match["link"]:
            return _markdown_link(match["ltarget"], source, index, embed=False)
        if match["mark"]:
            return match["marked"]
        return match["tagname"]

    # Code spans are shown as written: transform only the text between them.
    parts, last = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(_INLINE.sub(replace, text[last:span.start()]))
        parts.append(span.group(0))
        last = span.end()
    parts.append(_INLINE.sub(replace, text[last:]))
    return "".join(parts)


def strip_obsidian(markdown: str, source: str, index: dict[str, str]) -> str:
    """Give back ``markdown`` (note at vault path ``source``) with its Obsidian syntax as plain Markdown.

    Wikilinks and embeds become relative Markdown links (images stay images), callouts become block
    quotes with a bold title, tags and highlights become their text, block ids go; fenced code is left
    untouched, and a ```calculator block becomes a plain ```text block. Front matter is kept as is.
    """
    out: list[str] = []
    fence: str | None = None
    lines = markdown.split("\n")
    start = 0
    if lines and lines[0] == "---":
        for end in range(1, len(lines)):
            if lines[end] == "---":
                out.extend(lines[: end + 1])
                start = end + 1
                break
    for line in lines[start:]:
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(2)[0] == fence[0] and len(opener.group(2)) >= len(fence) \
                    and not opener.group(3):
                fence = None
            out.append(line)
            continue
        if opener:
            fence = opener.group(2)
            if opener.group(3) == "calculator":
                line = f"{opener.group(1)}{fence}text"
            out.append(line)
            continue
        callout = _CALLOUT.match(line)
        if callout:
            title = callout.group(3) or callout.group(2).capitalize()
            line = f"{callout.group(1)}**{title}**"
        line = _BLOCK_ID.sub("", line)
        out.append(_strip_inline(line, source, index))
    return "\n".join(out)


def write_plain_vault(source_root: Path, target_root: Path) -> int:
    """Write the stripped copy of the vault at ``source_root`` to ``target_root``; give back its note count."""
    if target_root.exists():
        shutil.rmtree(target_root)
    index = vault_index(source_root)
    count = 0
    for path in sorted(source_root.rglob("*")):
        relative = path.relative_to(source_root)
        if path.is_dir() or relative.parts[0] == ".obsidian":
            continue
        destination = target_root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            destination.write_text(strip_obsidian(text, relative.as_posix(), index), encoding="utf-8")
            count += 1
        else:
            shutil.copyfile(path, destination)
    return count
