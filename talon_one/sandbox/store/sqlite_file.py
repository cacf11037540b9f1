"""The SQLite file behind a store: documents as JSON text, and the store's meta values."""

import json
import marshal
import sqlite3
from typing import Dict, Iterable, List, Mapping, Optional, Tuple

from talon_one.sandbox.documents import Slot

_SCHEMA = (
    'CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, key TEXT NOT NULL, '
    'body TEXT NOT NULL, PRIMARY KEY (kind, key))',
    'CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)',
)

Row = Tuple[Slot, Optional[str]]     # a document's JSON text, or None to delete it
Buckets = Dict[str, Dict[str, bytes]]   # kind -> {key: marshal bytes}


class SqliteFile(object):
    """One open file; every write is one transaction (fsynced: WAL, synchronous=FULL)."""

    def __init__(self, path: str) -> None:
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        conn.execute('PRAGMA journal_mode=WAL')
        conn.execute('PRAGMA synchronous=FULL')
        for statement in _SCHEMA:
            conn.execute(statement)
        self._conn = conn

    def load(self) -> Tuple[Buckets, Dict[str, str]]:
        """Every document (as the store keeps them in memory) and every meta value."""
        docs: Buckets = {}
        for kind, key, body in self._conn.execute('SELECT kind, key, body FROM docs'):
            docs.setdefault(kind, {})[key] = marshal.dumps(json.loads(body))
        meta = dict(self._conn.execute('SELECT name, value FROM meta'))
        return docs, meta

    def write(self, rows: Iterable[Row], meta: Mapping[str, str]) -> None:
        """One transaction: ``rows``, then ``meta``; nothing of it when it fails."""
        cursor = self._conn.cursor()
        cursor.execute('BEGIN IMMEDIATE')
        try:
            deleted: List[Tuple[str, str]] = []
            kept: List[Tuple[str, str, str]] = []
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

    def close(self) -> None:
        self._conn.close()
