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
from pathlib import Path

from footnote.store import VERSION_KEY, PassageStore, SourceState, passage_id


def _ids(fingerprint: str, total: int) -> list[str]:
    """The ids of a whole document version's passages."""
    return [passage_id(fingerprint, index) for index in range(total)]


def load_states(store: PassageStore, path: Path | None) -> dict[str, SourceState]:
    """Each source's state: from ``path`` if it was saved at the store's current version,
    else listed from the store."""
    if path is not None and path.is_file():
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved["version"] == store.info().get(VERSION_KEY):
                return {
                    source: SourceState(
                        ids if ids is not None else _ids(fingerprints[0], total),
                        set(fingerprints),
                        total,
                    )
                    for source, (fingerprints, total, ids) in saved["sources"].items()
                }
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            pass  # unreadable or from an older Footnote: list instead
    return store.source_states()


def save_states(path: Path | None, version: str, states: dict[str, SourceState]) -> None:
    """Write ``states`` as the store's state at ``version``, replacing the file whole."""
    if path is None:
        return
    sources = {}
    for source, state in states.items():
        fingerprints = sorted(state.fingerprints)
        whole = len(fingerprints) == 1 and state.ids == _ids(fingerprints[0], state.total)
        sources[source] = (fingerprints, state.total, None if whole else state.ids)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps({"version": version, "sources": sources}), encoding="utf-8")
    partial.replace(path)
