"""One operation's unit of work: the documents it read and wrote, committed together."""

from typing import Dict, List, Mapping, Optional, Set

from talon_one.sandbox.documents import Doc, Key, Slot
from talon_one.sandbox.errors import not_found
from talon_one.sandbox.store.store import Store


class Changes(object):
    """Documents read and written by one operation; committed as one unit. Reads see this
    operation's own writes; the store sees none of them before ``commit``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs: Dict[Slot, Optional[Doc]] = {}   # None: deleted by this operation
        self.dirty: Set[Slot] = set()
        self._stored: Dict[str, Dict[str, Doc]] = {}  # kind -> {key: doc}, decoded once by all()

    def get(self, kind: str, key: Key) -> Optional[Doc]:
        slot = (kind, str(key))
        if slot in self.docs:
            return self.docs[slot]
        doc = self.store.get(kind, key)
        if doc is not None:
            self.docs[slot] = doc   # later reads see this copy's edits
        return doc

    def require(self, kind: str, key: Key, what: str) -> Doc:
        """The document, or 404 naming ``what`` (``coupon 'X'``, ``audience 4``)."""
        doc = self.get(kind, key)
        if doc is None:
            raise not_found('%s not found' % what)
        return doc

    def seed(self, kind: str, key: Key, doc: Optional[Doc]) -> None:
        """Take ``doc``, just read from the store under this operation's locks, as the
        copy later reads see (the store would only decode the same bytes again)."""
        if doc is not None:
            self.docs.setdefault((kind, str(key)), doc)

    def put(self, kind: str, key: Key, doc: Doc) -> Doc:
        slot = (kind, str(key))
        self.docs[slot] = doc
        self.dirty.add(slot)
        return doc

    def delete(self, kind: str, key: Key) -> None:
        slot = (kind, str(key))
        self.docs[slot] = None
        self.dirty.add(slot)

    def all(self, kind: str) -> List[Doc]:
        """Private copies of every document of ``kind`` (to change them)."""
        stored = self._stored.get(kind)
        if stored is None:
            stored = self._stored[kind] = dict(self.store.items(kind))
        return self._with_mine(kind, stored)

    def view(self, kind: str) -> List[Doc]:
        """The documents of ``kind`` as this operation sees them, for reading only: the
        store's shared decoded view with this operation's own reads and writes on top."""
        return self._with_mine(kind, self.store.view(kind))

    def _with_mine(self, kind: str, stored: Mapping[str, Doc]) -> List[Doc]:
        """The documents of ``stored`` with this operation's own of ``kind`` (read or
        written, None for deleted) in their place."""
        mine = [(key, doc) for (doc_kind, key), doc in self.docs.items() if doc_kind == kind]
        if not mine:
            return list(stored.values())
        found = dict(stored)
        for key, doc in mine:
            if doc is None:
                found.pop(key, None)
            else:
                found[key] = doc
        return list(found.values())

    def commit(self, dry: bool = False) -> None:
        if dry or not self.dirty:
            return
        self.store.commit({slot: self.docs[slot] for slot in self.dirty})
