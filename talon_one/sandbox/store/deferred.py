"""The commits of one pass of the server's loop, kept for one transaction (``Store.defer``)."""

from typing import Dict, Mapping, Optional, Sequence, Tuple

from talon_one.sandbox import compact_json
from talon_one.sandbox.documents import Doc, Slot

# One document of a commit: kind, key, its marshal bytes and the document (None: deleted).
Encoded = Tuple[str, str, Optional[bytes], Optional[Doc]]


def to_json(doc: Optional[Doc]) -> Optional[str]:
    """The SQLite form of a document (None for a deletion)."""
    return None if doc is None else compact_json.dumps(doc)


class Deferred(object):
    """The commits of one thread inside ``Store.defer``: their rows for the file (the last
    change of a document wins) and what memory held before them (to put back on failure)."""

    __slots__ = ('thread', 'rows', 'undo', 'meta')

    def __init__(self, thread: int) -> None:
        self.thread = thread
        self.rows: Dict[Slot, Optional[str]] = {}       # JSON text, or None to delete
        self.undo: Dict[Slot, Optional[bytes]] = {}     # marshal bytes before the first change
        self.meta: Dict[str, str] = {}

    def take(self, docs: Mapping[str, Mapping[str, bytes]], encoded: Sequence[Encoded],
             meta: Optional[Mapping[str, str]]) -> None:
        for kind, key, _, doc in encoded:
            slot = (kind, key)
            if slot not in self.undo:
                self.undo[slot] = docs.get(kind, {}).get(key)
            self.rows[slot] = to_json(doc)
        self.meta.update(meta or {})

    def overtaken(self, encoded: Sequence[Encoded]) -> None:
        """Another thread commits (file, then memory) documents that these commits changed:
        its values are the latest, in the file and after a failed flush."""
        for kind, key, body, doc in encoded:
            slot = (kind, key)
            if slot in self.rows:
                self.rows[slot] = to_json(doc)
                self.undo[slot] = body
