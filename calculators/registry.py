"""The registry type: named entries of one kind (the engine's models, the calculators that view them).

Each widget names the model it runs (atlas_mkdocs.engine.forms.Widget.model), so a name is looked up
one way whatever it names, with the same "did you mean" in every message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Generic, Protocol, TypeVar

from atlas_mkdocs.engine.errors import UnknownSpecError


class _Named(Protocol):
    name: str


Entry = TypeVar("Entry", bound=_Named)


class Registry(Mapping[str, Entry], Generic[Entry]):
    """Entries of one ``kind`` by name, in the order declared."""

    def __init__(self, kind: str, entries: Iterable[Entry]) -> None:
        self.kind = kind
        self._entries = {entry.name: entry for entry in entries}

    def __getitem__(self, name: str) -> Entry:
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, name: str) -> Entry:
        """Give back the entry called ``name``, or raise UnknownSpecError listing the known names."""
        try:
            return self._entries[name]
        except KeyError:
            raise UnknownSpecError(self.kind, name, tuple(self._entries)) from None
