"""Figures that cannot drift: build-time expressions and data tables in notes (a Markdown extension).

Placeholder: the extension is registered in mkdocs.yml and does nothing yet.
"""

from markdown.extensions import Extension


class FiguresExtension(Extension):
    """Evaluates figure expressions and data-table blocks against the engine and data/."""

    def __init__(self, **kwargs):
        self.config = {"data_dir": ["data", "The folder of dated, sourced YAML facts."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.registerExtension(self)


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's entry point
    return FiguresExtension(**kwargs)
