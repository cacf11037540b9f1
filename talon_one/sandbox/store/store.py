"""State of the sandbox: JSON documents by (kind, key), in memory or SQLite.

Every document is kept serialized, so readers always get a private copy: in memory
with ``marshal`` (several times faster to write and read than JSON), in the SQLite file
as JSON text. Documents must be JSON-shaped (dicts with string keys, lists, strings,
numbers, booleans, None); anything else is a bug and fails the commit in every mode.
``commit`` writes a whole change set in one SQLite transaction (committed
before the caller answers) and only then makes it visible in memory;
``batch`` groups many commits into one transaction (used for seeding);
``defer``/``flush`` let the server write the commits of one pass of its loop in one
transaction, before any of that pass's answers goes out.

The server's loop thread runs every operation, so the id counters (changed by operations
only) need no lock. ``_write_lock`` stays: other threads of the process read (``items``,
``view``) and may commit (an in-process ``Sandbox``'s test code), and the file is written
by whichever thread commits, flushes or closes.
"""

import contextlib
import gc
import itertools
import json
import marshal
import threading
from typing import ContextManager, Dict, Generator, Iterable, List, Mapping, Optional, Tuple

from talon_one.sandbox.documents import Doc, Key, Slot
from talon_one.sandbox.store.deferred import Deferred, Encoded, to_json
from talon_one.sandbox.store.locks import EntityLocks, Held
from talon_one.sandbox.store.shape import check_shape
from talon_one.sandbox.store.sqlite_file import Buckets, Row, SqliteFile

Changeset = Mapping[Tuple[str, Key], Optional[Doc]]     # (kind, key) -> doc, None deletes
# What ``restore`` takes back: documents, id counters, meta values.
Snapshot = Tuple[Buckets, Dict[str, int], Dict[str, str]]


class Store(object):
    """Documents plus id counters, optionally backed by a SQLite file."""

    def __init__(self, db_path: Optional[str] = None) -> None:
        self._docs: Buckets = {}
        self._views: Dict[str, Dict[str, Doc]] = {}   # decoded once, shared (view())
        self._changed = 0               # bumped by every change to _docs (views are dropped)
        self._counters: Dict[str, int] = {}
        self._meta: Dict[str, str] = {}
        self._write_lock = threading.Lock()
        self._locks = EntityLocks()
        self._batch: Optional[Dict[Slot, Optional[str]]] = None  # file rows inside batch()
        self._file: Optional[SqliteFile] = None
        self._deferred: Optional[Deferred] = None   # of the thread that defers, if any
        if db_path:
            self._file = SqliteFile(db_path)
            self._docs, self._meta = self._file.load()
            self._counters = json.loads(self._meta.get('counters', '{}'))

    @property
    def seeded(self) -> bool:
        return self._meta.get('seeded') == '1'

    def seeding(self) -> ContextManager[None]:
        """The block that seeds an empty store: all of it is stored, or none."""
        return self.batch(meta={'seeded': '1'})

    def close(self) -> None:
        with self._write_lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    # -- reads -------------------------------------------------------------
    def get(self, kind: str, key: Key) -> Optional[Doc]:
        body = self._docs.get(kind, {}).get(str(key))
        return None if body is None else _decode(body)

    def items(self, kind: str, limit: Optional[int] = None,
              newest_first: bool = False) -> List[Tuple[str, Doc]]:
        """(key, doc) pairs of ``kind`` in the order they were first stored (or the reverse);
        ``limit``: only the first that many are decoded."""
        with self._write_lock:
            bucket = self._docs.get(kind, {})
            pairs: Iterable[Tuple[str, bytes]] = \
                reversed(bucket.items()) if newest_first else bucket.items()
            chosen = list(itertools.islice(pairs, limit))
        return [(key, _decode(body)) for key, body in chosen]

    def view(self, kind: str) -> Dict[str, Doc]:
        """{key: doc} of every document of ``kind``, decoded once and shared by every reader
        until the next change: for reading only (``get`` and ``items`` give private copies)."""
        with self._write_lock:
            view = self._views.get(kind)
            if view is not None:
                return view
            bucket, changed = dict(self._docs.get(kind, {})), self._changed
        view = {key: _decode(body) for key, body in bucket.items()}
        with self._write_lock:
            if self._changed == changed:    # nothing was committed while decoding
                self._views[kind] = view
        return view

    def count(self, kind: str) -> int:
        return len(self._docs.get(kind, {}))

    # -- writes ------------------------------------------------------------
    def next_id(self, name: str) -> int:
        value = self._counters.get(name, 0) + 1
        self._counters[name] = value
        return value

    def bump(self, name: str, at_least: int) -> None:
        """Make the next id of ``name`` greater than ``at_least``."""
        self._counters[name] = max(self._counters.get(name, 0), at_least)

    def commit(self, changes: Changeset, meta: Optional[Mapping[str, str]] = None) -> None:
        """Apply ``{(kind, key): doc or None}`` atomically (None deletes); with a SQLite
        file, return once the change is in it (fsynced) -- or, inside ``defer``, once it is
        in memory, its rows kept for ``flush``."""
        batch = self._batch
        encoded: List[Encoded] = []
        for (kind, key), doc in changes.items():
            if doc is not None and batch is None:   # seeding batches hold world (JSON) data
                check_shape(doc, '%s %s' % (kind, key))
            encoded.append((kind, str(key), None if doc is None else marshal.dumps(doc), doc))
        with self._write_lock:
            if self._batch is not None:     # written to the file when the batch ends
                if self._file is not None:
                    self._batch.update(((kind, key), to_json(doc))
                                       for kind, key, _, doc in encoded)
                self._apply(encoded, dict(meta or {}), write=False)
                return
            deferred = self._deferred
            if deferred is not None:
                if deferred.thread == threading.get_ident():
                    deferred.take(self._docs, encoded, meta)
                    self._apply(encoded, dict(meta or {}), write=False)
                    return
                deferred.overtaken(encoded)     # another thread's commit: it is the latest
            self._apply(encoded, dict(meta or {}))

    def defer(self) -> None:
        """Until ``flush``, this thread's commits change memory at once and leave their
        rows for ``flush`` to write, all in one transaction (the server's loop: one fsync
        for every request of one pass). Without a file: nothing to defer."""
        if self._file is not None:
            with self._write_lock:
                self._deferred = Deferred(threading.get_ident())

    def deferred_changes(self) -> bool:
        """True when this thread's deferred commits have changed something."""
        deferred = self._deferred
        return deferred is not None and bool(deferred.rows)

    def flush(self) -> Optional[Exception]:
        """Write what ``defer`` kept, in one transaction. Returns None, or the exception
        that kept it from the file: memory is then put back as it was before ``defer``."""
        if self._deferred is None:     # memory only, or nothing deferred: no lock to take
            return None
        # The write lock is held to the end: no other commit or restore comes between
        # the rows taken here and the file (other threads' reads of views wait that long).
        with self._write_lock:
            deferred, self._deferred = self._deferred, None
            if deferred is None or not deferred.rows:
                return None
            meta = dict(deferred.meta, counters=self._counters_json())
            try:
                if self._file is not None:  # closed meanwhile: memory only
                    self._write_sql(deferred.rows.items(), meta)
            except Exception as exc:
                for (kind, key), body in deferred.undo.items():
                    bucket = self._docs.setdefault(kind, {})
                    if body is None:
                        bucket.pop(key, None)
                    else:
                        bucket[key] = body
                    self._views.pop(kind, None)
                self._changed += 1
                return exc
        return None

    def _counters_json(self) -> str:
        """The id counters as the file keeps them (read back only when it is opened)."""
        return json.dumps(self._counters)

    def _apply(self, encoded: List[Encoded], meta: Dict[str, str], write: bool = True,
               sql_rows: Optional[Iterable[Row]] = None) -> None:
        """Write (SQLite first, then memory); the caller holds the write lock.
        ``sql_rows``: what to write instead of ``encoded`` (the end of a batch)."""
        if write and self._file is not None:
            meta['counters'] = self._counters_json()
            if sql_rows is None:
                sql_rows = (((kind, key), to_json(doc)) for kind, key, _, doc in encoded)
            self._write_sql(sql_rows, meta)
        if encoded:
            self._changed += 1
            for kind, _, _, _ in encoded:
                self._views.pop(kind, None)
        for kind, key, body, _ in encoded:
            bucket = self._docs.setdefault(kind, {})
            if body is None:
                bucket.pop(key, None)
            else:
                bucket[key] = body
        self._meta.update(meta)

    def _write_sql(self, rows: Iterable[Row], meta: Mapping[str, str]) -> None:
        """One transaction of the file (the caller holds the write lock; tests replace it)."""
        assert self._file is not None
        self._file.write(rows, meta)

    @contextlib.contextmanager
    def batch(self, meta: Optional[Mapping[str, str]] = None) -> Generator[None, None, None]:
        """Make every commit inside one unit: readers see each commit at once, but the
        SQLite file receives all of them (and ``meta``) in one transaction at the end,
        or nothing when the block fails (memory is then restored too)."""
        with self._write_lock:
            saved = ({kind: dict(bucket) for kind, bucket in self._docs.items()},
                     dict(self._meta), dict(self._counters))
            self._batch = {}
        # A batch builds many objects and frees few: the cycle collector would rescan them
        # again and again (seconds for a world of 100,000 profiles).
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield
            with self._write_lock:
                touched, self._batch = self._batch, None
                # Memory already holds every document: only the file is written now.
                self._apply([], dict(meta or {}), sql_rows=touched.items())
        except BaseException:
            with self._write_lock:
                self._batch = None
                self._docs, self._meta, self._counters = saved
                self._views, self._changed = {}, self._changed + 1
            raise
        finally:
            if collecting:
                gc.enable()

    # -- snapshots (reset) -------------------------------------------------
    def snapshot(self) -> Snapshot:
        """Everything stored, as an immutable-enough copy for ``restore``."""
        with self._write_lock:
            return ({kind: dict(bucket) for kind, bucket in self._docs.items()},
                    dict(self._counters), dict(self._meta))

    def restore(self, snapshot: Snapshot) -> None:
        """Replace everything stored with ``snapshot``; the SQLite file gets only the
        documents that differ, in one transaction, before memory changes.

        The caller makes sure no request runs meanwhile (the server runs it on its loop's
        thread, between two requests)."""
        docs, counters, meta = snapshot
        meta = dict(meta, counters=json.dumps(counters))
        with self._write_lock:
            deferred = self._deferred
            if self._file is not None:
                rows = dict(self._differences(docs))
                if deferred is not None:    # the file still has what came before those
                    for kind, key in deferred.undo:
                        body = docs.get(kind, {}).get(key)
                        rows[(kind, key)] = None if body is None else to_json(_decode(body))
                self._write_sql(rows.items(), meta)
            if deferred is not None:    # what it kept is replaced: nothing left to write
                self._deferred = Deferred(deferred.thread)
            self._docs = {kind: dict(bucket) for kind, bucket in docs.items()}
            self._views, self._changed = {}, self._changed + 1
            self._counters = dict(counters)
            self._meta = meta

    def _differences(self, docs: Buckets) -> List[Row]:
        """SQLite rows that turn the current documents into ``docs``."""
        rows: List[Row] = []
        for kind in set(self._docs) | set(docs):
            now, wanted = self._docs.get(kind, {}), docs.get(kind, {})
            rows.extend(((kind, key), None) for key in now.keys() - wanted.keys())
            rows.extend(((kind, key), to_json(_decode(body)))
                        for key, body in wanted.items() if now.get(key) != body)
        return rows

    # -- entity locks ------------------------------------------------------
    def locked(self, keys: Iterable[str], exclusive: Iterable[str] = ()) -> Held:
        """Hold the entity locks of ``keys`` (store/locks.py says why they remain)."""
        return self._locks.locked(keys, exclusive)


def _decode(body: bytes) -> Doc:
    doc: Doc = marshal.loads(body)     # only documents are stored: dicts
    return doc
