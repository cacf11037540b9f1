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
Entity locks (``locked``) serialize read-modify-write of the same entities by
different threads (the server's and the user's own, in process); a session key
that is already locked is a conflict (409), like the real service answers
parallel updates.
"""

import contextlib
import gc
import itertools
import json
import marshal
import sqlite3
import threading

from talon_one.sandbox import compact_json
from talon_one.sandbox.errors import conflict

_SCHEMA = (
    'CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, key TEXT NOT NULL, '
    'body TEXT NOT NULL, PRIMARY KEY (kind, key))',
    'CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)',
)


def _not_json(where, value):
    return TypeError('%s: a %s is not a JSON value' % (where, type(value).__name__))


def _check_shape(value, where):
    """Raise TypeError unless ``value`` is JSON-shaped (what JSON would give back).

    It runs on every written document: containers recurse, scalars are tested inline."""
    if type(value) is dict:
        for key in value:
            if type(key) is not str:
                raise TypeError('%s: key %r is not a string' % (where, key))
        children = value.values()
    elif type(value) is list:
        children = value
    else:
        if not (type(value) in (str, int, float, bool) or value is None):
            raise _not_json(where, value)
        return
    for child in children:
        kind = type(child)
        if kind is dict or kind is list:
            _check_shape(child, where)
        elif not (kind is str or kind is int or kind is float or kind is bool or child is None):
            raise _not_json(where, child)


_to_json = compact_json.dumps     # the SQLite form of a document


class Store(object):
    """Documents plus id counters, optionally backed by a SQLite file."""

    def __init__(self, db_path=None):
        self._docs = {}                 # kind -> {key: marshal bytes}
        self._views = {}                # kind -> {key: doc}, decoded once, shared (view())
        self._changed = 0               # bumped by every change to _docs (views are dropped)
        self._counters = {}
        self._meta = {}
        self._write_lock = threading.Lock()
        self._counter_lock = threading.Lock()
        self._entity_locks = {}
        self._entity_guard = threading.Lock()
        self._batch = None              # (kind, key) committed inside batch(), else None
        self._conn = None
        self._file_lock = threading.Lock()      # one writer of the file at a time
        self._deferred = None                   # _Deferred of the thread that defers, if any
        if db_path:
            self._open(db_path)

    # -- persistence -----------------------------------------------------
    def _open(self, db_path):
        conn = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        conn.execute('PRAGMA journal_mode=WAL')
        conn.execute('PRAGMA synchronous=FULL')
        for statement in _SCHEMA:
            conn.execute(statement)
        for kind, key, body in conn.execute('SELECT kind, key, body FROM docs'):
            self._docs.setdefault(kind, {})[key] = marshal.dumps(json.loads(body))
        for name, value in conn.execute('SELECT name, value FROM meta'):
            self._meta[name] = value
        self._counters = json.loads(self._meta.get('counters', '{}'))
        self._conn = conn

    @property
    def seeded(self):
        return self._meta.get('seeded') == '1'

    def seeding(self):
        """The block that seeds an empty store: all of it is stored, or none."""
        return self.batch(meta={'seeded': '1'})

    def close(self):
        with self._write_lock, self._file_lock:     # the order every nested use takes
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- reads -------------------------------------------------------------
    def get(self, kind, key):
        body = self._docs.get(kind, {}).get(str(key))
        return None if body is None else marshal.loads(body)

    def items(self, kind, limit=None, newest_first=False):
        """(key, doc) pairs of ``kind`` in the order they were first stored (or the reverse);
        ``limit``: only the first that many are decoded."""
        with self._write_lock:
            bucket = self._docs.get(kind, {})
            pairs = reversed(bucket.items()) if newest_first else bucket.items()
            pairs = list(itertools.islice(pairs, limit))
        return [(key, marshal.loads(body)) for key, body in pairs]

    def view(self, kind):
        """{key: doc} of every document of ``kind``, decoded once and shared by every reader
        until the next change: for reading only (``get`` and ``items`` give private copies)."""
        with self._write_lock:
            view = self._views.get(kind)
            if view is not None:
                return view
            bucket, changed = dict(self._docs.get(kind, {})), self._changed
        view = {key: marshal.loads(body) for key, body in bucket.items()}
        with self._write_lock:
            if self._changed == changed:    # nothing was committed while decoding
                self._views[kind] = view
        return view

    def count(self, kind):
        return len(self._docs.get(kind, {}))

    # -- writes ------------------------------------------------------------
    def next_id(self, name):
        with self._counter_lock:
            value = self._counters.get(name, 0) + 1
            self._counters[name] = value
            return value

    def bump(self, name, at_least):
        """Make the next id of ``name`` greater than ``at_least``."""
        with self._counter_lock:
            self._counters[name] = max(self._counters.get(name, 0), at_least)

    def commit(self, changes, meta=None):
        """Apply ``{(kind, key): doc or None}`` atomically (None deletes); with a SQLite
        file, return once the change is in it (fsynced) -- or, inside ``defer``, once it is
        in memory, its rows kept for ``flush``."""
        batch = self._batch
        encoded = []
        for (kind, key), doc in changes.items():
            if doc is not None and batch is None:   # seeding batches hold world (JSON) data
                _check_shape(doc, '%s %s' % (kind, key))
            encoded.append((kind, str(key), None if doc is None else marshal.dumps(doc), doc))
        with self._write_lock:
            if self._batch is not None:     # written to the file when the batch ends
                if self._conn is not None:
                    self._batch.update(((kind, key), None if doc is None else _to_json(doc))
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

    def defer(self):
        """Until ``flush``, this thread's commits change memory at once and leave their
        rows for ``flush`` to write, all in one transaction (the server's loop: one fsync
        for every request of one pass). Without a file: nothing to defer."""
        if self._conn is not None:
            with self._write_lock:
                self._deferred = _Deferred(threading.get_ident())

    def deferred_changes(self):
        """True when this thread's deferred commits have changed something."""
        deferred = self._deferred
        return deferred is not None and bool(deferred.rows)

    def flush(self):
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
                with self._file_lock:
                    if self._conn is not None:  # closed meanwhile: memory only
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

    def _counters_json(self):
        """The id counters as the file keeps them (read back only when it is opened)."""
        with self._counter_lock:
            return json.dumps(self._counters)

    def _apply(self, encoded, meta, write=True, sql_rows=None):
        """Write (SQLite first, then memory); the caller holds the write lock.
        ``encoded``: (kind, key, marshal bytes or None, doc or None); ``sql_rows``: what
        to write instead of ``encoded`` (the end of a batch)."""
        if write and self._conn is not None:
            meta['counters'] = self._counters_json()
            if sql_rows is None:
                sql_rows = (((kind, key), None if doc is None else _to_json(doc))
                            for kind, key, _, doc in encoded)
            with self._file_lock:
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

    @contextlib.contextmanager
    def batch(self, meta=None):
        """Make every commit inside one unit: readers see each commit at once, but the
        SQLite file receives all of them (and ``meta``) in one transaction at the end,
        or nothing when the block fails (memory is then restored too)."""
        with self._write_lock:
            saved = ({kind: dict(bucket) for kind, bucket in self._docs.items()},
                     dict(self._meta))
            with self._counter_lock:
                saved_counters = dict(self._counters)
            self._batch = {}            # (kind, key) -> JSON text or None, for SQLite
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
                self._docs, self._meta = saved
                self._views, self._changed = {}, self._changed + 1
                with self._counter_lock:
                    self._counters = saved_counters
            raise
        finally:
            if collecting:
                gc.enable()

    def _write_sql(self, rows, meta):
        """One transaction: ``rows`` of ((kind, key), JSON text or None to delete), ``meta``."""
        cursor = self._conn.cursor()
        cursor.execute('BEGIN IMMEDIATE')
        try:
            deleted, kept = [], []
            for (kind, key), text in rows:
                if text is None:
                    deleted.append((kind, key))
                else:
                    kept.append((kind, key, text))
            if deleted:
                cursor.executemany('DELETE FROM docs WHERE kind = ? AND key = ?', deleted)
            cursor.executemany('INSERT OR REPLACE INTO docs (kind, key, body) VALUES (?, ?, ?)',
                               kept)
            for name, value in meta.items():
                cursor.execute('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)',
                               (name, value))
            cursor.execute('COMMIT')
        except BaseException:
            cursor.execute('ROLLBACK')
            raise

    # -- snapshots (reset) -------------------------------------------------
    def snapshot(self):
        """Everything stored, as an immutable-enough copy for ``restore``."""
        with self._write_lock:
            with self._counter_lock:
                return ({kind: dict(bucket) for kind, bucket in self._docs.items()},
                        dict(self._counters), dict(self._meta))

    def restore(self, snapshot):
        """Replace everything stored with ``snapshot``; the SQLite file gets only the
        documents that differ, in one transaction, before memory changes.

        The caller makes sure no request runs meanwhile (entity locks are not taken)."""
        docs, counters, meta = snapshot
        meta = dict(meta, counters=json.dumps(counters))
        with self._write_lock:
            deferred = self._deferred
            if self._conn is not None:
                rows = dict(self._differences(docs))
                if deferred is not None:    # the file still has what came before those
                    for kind, key in deferred.undo:
                        body = docs.get(kind, {}).get(key)
                        rows[(kind, key)] = None if body is None else \
                            _to_json(marshal.loads(body))
                with self._file_lock:
                    self._write_sql(rows.items(), meta)
            if deferred is not None:    # what it kept is replaced: nothing left to write
                self._deferred = _Deferred(deferred.thread)
            with self._counter_lock:
                self._docs = {kind: dict(bucket) for kind, bucket in docs.items()}
                self._views, self._changed = {}, self._changed + 1
                self._counters = dict(counters)
                self._meta = meta

    def _differences(self, docs):
        """SQLite rows that turn the current documents into ``docs``."""
        rows = []
        for kind in set(self._docs) | set(docs):
            now, wanted = self._docs.get(kind, {}), docs.get(kind, {})
            rows.extend(((kind, key), None) for key in now.keys() - wanted.keys())
            rows.extend(((kind, key), _to_json(marshal.loads(body)))
                        for key, body in wanted.items() if now.get(key) != body)
        return rows

    # -- entity locks ------------------------------------------------------
    def _lock_for(self, key):
        lock = self._entity_locks.get(key)     # a dict read is atomic: no guard needed to find one
        if lock is None:
            with self._entity_guard:
                lock = self._entity_locks.get(key)
                if lock is None:
                    lock = self._entity_locks[key] = threading.Lock()
        return lock

    def locked(self, keys, exclusive=()):
        """Hold the locks of ``keys`` (sorted, so no deadlock), as a ``with`` block.

        Keys in ``exclusive`` are not waited for: when another request
        holds one, this request fails with 409 Conflict.
        """
        return _Held(self, keys, exclusive)


class _Held(object):
    """The entity locks of one ``Store.locked`` block (a class: it runs several times per
    request, and a generator-based context manager costs several times more)."""

    __slots__ = ('store', 'keys', 'exclusive', 'held')

    def __init__(self, store, keys, exclusive):
        self.store = store
        self.keys = keys
        self.exclusive = exclusive
        self.held = []

    def __enter__(self):
        exclusive = set(self.exclusive)
        held = self.held
        try:
            for key in sorted(set(self.keys) | exclusive):
                lock = self.store._lock_for(key)
                if key in exclusive:
                    if not lock.acquire(blocking=False):
                        raise conflict('%s is being updated by another request' % key)
                else:
                    lock.acquire()
                held.append(lock)
        except BaseException:
            self._release()
            raise

    def __exit__(self, *exc_info):
        self._release()

    def _release(self):
        held = self.held
        while held:
            held.pop().release()


class _Deferred(object):
    """The commits of one thread inside ``Store.defer``: their rows for the file (the last
    change of a document wins) and what memory held before them (to put back on failure)."""

    __slots__ = ('thread', 'rows', 'undo', 'meta')

    def __init__(self, thread):
        self.thread = thread
        self.rows = {}      # (kind, key) -> JSON text, or None to delete
        self.undo = {}      # (kind, key) -> marshal bytes before the first change, or None
        self.meta = {}

    def take(self, docs, encoded, meta):
        for kind, key, _, doc in encoded:
            slot = (kind, key)
            if slot not in self.undo:
                self.undo[slot] = docs.get(kind, {}).get(key)
            self.rows[slot] = None if doc is None else _to_json(doc)
        self.meta.update(meta or {})

    def overtaken(self, encoded):
        """Another thread commits (file, then memory) documents that these commits changed:
        its values are the latest, in the file and after a failed flush."""
        for kind, key, body, doc in encoded:
            slot = (kind, key)
            if slot in self.rows:
                self.rows[slot] = None if doc is None else _to_json(doc)
                self.undo[slot] = body
