"""The hosting side of the build, driven by the Atlas plugin's events (placeholder: does nothing yet).

Every method mirrors the MkDocs event of the same name and returns what that event returns.
"""

from __future__ import annotations

from typing import Any


class HostingManager:
    """Makes the built site publishable anywhere, private by design."""

    def __init__(self, options: Any) -> None:
        self.options = options

    def on_config(self, config):
        return config

    def on_files(self, files, config):
        return files

    def on_page_context(self, context, page, config, nav):
        return context

    def on_post_page(self, output, page, config):
        return output

    def on_post_build(self, config):
        return None
