"""What the store held after the last ingest, saved beside it, so an unchanged re-ingest lists
nothing from Chroma.

Listing every passage's metadata to learn which files are indexed grows with the corpus (4.5 s
for 31k passages at 1000x the bundled corpus). The ingest that finishes writes down each
source's state under the store version it recorded; the next ingest trusts that file only
while the store still carries the same version, so anything else that changed the store (an
ingest from another machine into the same Chroma server, one killed half-way, an upload)
sends it back to listing. The file is a cache: deleting it costs one listing, never data.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

from footnote.store import VERSION_KEY, PassageStore, SourceState, passage_id


class _Ids(Sequence[str]):
    """The ids of a whole document version's passages, made when asked for: 300k of them cost
    an unchanged re-ingest, which asks only how many there are, most of a second."""

    def __init__(self, fingerprint: str, total: int):
        self.fingerprint, self.total = fingerprint, total

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.total))]
        if not -self.total <= i < self.total:
            raise IndexError(i)
        return passage_id(self.fingerprint, i % self.total)

    def __iter__(self) -> Iterator[str]:
        return (passage_id(self.fingerprint, i) for i in range(self.total))


def _whole(state: SourceState) -> bool:
    """Whether ``state`` is one whole document version with its passages' own ids."""
    if isinstance(state.ids, _Ids):
        return True
    if len(state.fingerprints) != 1:
        return False
    (fingerprint,) = state.fingerprints
    return list(state.ids) == [passage_id(fingerprint, i) for i in range(state.total)]


class Manifest:
    """The saved states of one collection's sources, in the file at ``path`` (None: none)."""

    def __init__(self, path: Path | None):
        self.path = path
        self.loaded: str | None = None  # the version the states were last read at, if read

    def load(self, store: PassageStore) -> dict[str, SourceState]:
        """Each source's state: from the file if it was saved at the store's current version,
        else listed from the store."""
        self.loaded = None
        if self.path is not None and self.path.is_file():
            try:
                saved = json.loads(self.path.read_text(encoding="utf-8"))
                if saved["version"] == store.info().get(VERSION_KEY):
                    states = {
                        source: SourceState(
                            ids if ids is not None else _Ids(fingerprints[0], total),
                            set(fingerprints),
                            total,
                        )
                        for source, (fingerprints, total, ids) in saved["sources"].items()
                    }
                    self.loaded = str(saved["version"])
                    return states
            except (OSError, ValueError, KeyError, TypeError, IndexError):
                pass  # unreadable or from an older Footnote: list instead
        return store.source_states()

    def save(self, version: str, states: dict[str, SourceState]) -> None:
        """Write ``states`` as the store's state at ``version``, replacing the file whole
        (unless it was read at that version: an unchanged re-ingest writes nothing)."""
        if self.path is None or self.loaded == version:
            return
        sources = {}
        for source, state in states.items():
            ids = None if _whole(state) else list(state.ids)
            sources[source] = (sorted(state.fingerprints), state.total, ids)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        partial.write_text(json.dumps({"version": version, "sources": sources}), encoding="utf-8")
        partial.replace(self.path)
        self.loaded = version
