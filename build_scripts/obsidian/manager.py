"""The Obsidian side of the build, driven by the Atlas plugin's events.

The plugin stays thin: each MkDocs event it receives is handed to this manager, which owns the vault
index and the Obsidian Markdown extensions. Every method mirrors the MkDocs event of the same name and
returns what that event returns (None where the event's return value is unused).
"""

from __future__ import annotations

from typing import Any


class ObsidianManager:
    """Owns the vault index and wires the Obsidian extensions into each page build."""

    def __init__(self, options: Any) -> None:
        self.options = options

    def on_config(self, config):
        return config

    def on_files(self, files, config):
        return files

    def on_nav(self, nav, config, files):
        return nav

    def on_page_markdown(self, markdown, page, config, files):
        return markdown

    def on_page_content(self, html, page, config, files):
        return html

    def on_env(self, env, config, files):
        return env

    def on_post_page(self, output, page, config):
        return output

    def on_post_build(self, config):
        return None
