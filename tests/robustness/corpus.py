"""Hostile vaults, written at test time (the big ones are never committed)."""

from __future__ import annotations

from pathlib import Path

#: Marks text that must never reach the built site.
CANARY = "CANARY-7f3a91c2-never-published"

NAMES = ["Ünïcödé note", "🚀 launch", "100% done", "C# tips", "\"quoted\" 'name'", "a%20b"]


def write(vault: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` ({vault path: text or bytes}) into ``vault``; give back the vault."""
    for name, content in files.items():
        path = vault / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return vault


def nested_callouts(depth: int) -> str:
    """Give back ``depth`` callouts, each inside the one before."""
    return "".join(">" * level + f" [!note] Level {level}\n" for level in range(1, depth + 1)) + ">" * depth + " deepest\n"


def malformed_vault() -> dict[str, str | bytes]:
    """Give back every malformed note of the issue, in one vault (build errors aside)."""
    files: dict[str, str | bytes] = {
        "index.md": "# Home\n\n" + " ".join(f"[[{name}]]" for name in NAMES) + "\n\n[[note]] [[Note]]\n",
        "Bad yaml.md": "---\ntitle: [unclosed\ndraft: true\n---\n" + CANARY + "\n",
        "List frontmatter.md": "---\n- a\n- b\n---\n# List\n",
        "Broken draft.md": "---\ntitle: Fine\ndraft: [yes\n---\n" + CANARY + "\n",
        "Broken quote.md": "---\ntitle: Kept title\ndescription: \"unclosed\ntags: [kept-tag]\n---\n# Body\n\nBody of the note.\n",
        "Binary.md": b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x00" + CANARY.encode() + b"\x80",
        # One line of 1 MB: prose with a link, a highlight, a tag and a comment every 10 KB.
        "Long line.md": "# Long\n\n" + ("word " * 2000 + "[[Target]] ==hi== #tag %%c%% ") * 100 + "\n",
        "Many links.md": "# Many\n\n" + " ".join("[[Target]]" for _ in range(10_000)) + "\n",
        "Target.md": "# Target\n",
        "Nested.md": "# Nested\n\n" + nested_callouts(100),
        "Self.md": "![[Self]]\n",
        "Two A.md": "![[Two B]]\n", "Two B.md": "![[Two A]]\n",
        "Ring 1.md": "![[Ring 2]]\n", "Ring 2.md": "![[Ring 3]]\n", "Ring 3.md": "![[Ring 1]]\n",
        "Note.md": "# Upper\n", "note.md": "# Lower\n",
        "Empty.md": "", "Blank.md": "\n\n   \n", "Only frontmatter.md": "---\ntitle: Only\n---\n",
    }
    for name in NAMES:
        files[f"{name}.md"] = f"# {name}\n\n[[index]]\n"
    return files
