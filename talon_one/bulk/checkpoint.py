"""The checkpoint of a resumable run: which chunks are finished, in an append-only file.

The first line names the operation and its parameters (chunk size, catalog id...); each
further line records one finished chunk: its number, a digest of the ids it holds, how
many records it had and accepted, its failures, and the operation's state after it (the
catalog's version). Each line goes out in one ``write()`` followed by ``fsync()``, so a
killed process leaves every recorded chunk intact; at worst the last line is torn, and a
torn line is dropped when the file is opened again (that chunk was not recorded, so it is
sent again). The file is locked while a run uses it, so two runs cannot share it.
"""

import hashlib
import json
import os
from typing import Any, Dict, Iterable, List, Optional

try:
    import fcntl
except ImportError:      # pragma: no cover (Windows: no lock)
    fcntl = None  # type: ignore[assignment]

from talon_one.bulk._json import as_dict

__all__ = ['Checkpoint', 'CheckpointError', 'ChunkEntry', 'digest']

_MAGIC = 'talonOneBulkCheckpoint'
_FORMAT = 1


class CheckpointError(Exception):
    """The checkpoint cannot be used: another operation's, another input's, corrupt, or
    in use by another run."""


def digest(ids: Iterable[str]) -> str:
    """A short digest of a chunk's ids, in order (to recognise the same input again)."""
    hasher = hashlib.blake2b(digest_size=12)
    for one in ids:
        hasher.update(one.encode('utf-8', 'surrogatepass'))
        hasher.update(b'\x00')
    return hasher.hexdigest()


class ChunkEntry(object):
    """One finished chunk as the checkpoint recorded it."""

    __slots__ = ('chunk', 'digest', 'records', 'accepted', 'failures', 'state')

    def __init__(self, chunk: int, digest: str, records: int, accepted: int,
                 failures: List[Dict[str, Any]], state: Any = None) -> None:
        self.chunk = chunk
        self.digest = digest
        self.records = records
        self.accepted = accepted
        self.failures = failures
        self.state = state

    def to_json(self) -> str:
        data: Dict[str, Any] = {'chunk': self.chunk, 'digest': self.digest,
                                'records': self.records, 'accepted': self.accepted}
        if self.failures:
            data['failures'] = self.failures
        if self.state is not None:
            data['state'] = self.state
        return json.dumps(data, ensure_ascii=False, separators=(',', ':'))

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> 'ChunkEntry':
        return cls(int(data['chunk']), str(data['digest']), int(data['records']),
                   int(data['accepted']), list(data.get('failures') or []), data.get('state'))


class Checkpoint(object):
    """An open checkpoint file. ``done`` maps chunk numbers to their :class:`ChunkEntry`.

    ``Checkpoint(path, operation, params)`` creates the file or reads it back; it raises
    :class:`CheckpointError` when the file belongs to another operation or parameters.
    ``record(entry)`` appends a finished chunk durably; ``close()`` releases the file.
    """

    def __init__(self, path: str, operation: str, params: Dict[str, Any]) -> None:
        self.path = path
        self.operation = operation
        self.params = params
        self.done: Dict[int, ChunkEntry] = {}
        self.resumed = False
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    raise CheckpointError('%s: in use by another run' % path) from None
            self._fd = fd
            self._load()
        except BaseException:
            os.close(fd)
            raise

    def _header(self) -> Dict[str, Any]:
        return {_MAGIC: _FORMAT, 'operation': self.operation, 'params': self.params}

    def _load(self) -> None:
        with os.fdopen(os.dup(self._fd), 'rb') as handle:
            content = handle.read()
        if not content:
            self._append(json.dumps(self._header(), ensure_ascii=False, sort_keys=True))
            self._sync_directory()
            return
        good = content.rfind(b'\n') + 1        # a torn last line (no newline) is dropped
        lines = content[:good].split(b'\n')[:-1]
        if not lines:
            raise CheckpointError('%s: not a checkpoint (no complete first line)' % self.path)
        try:
            loaded: Any = json.loads(lines[0])
        except ValueError:
            loaded = None
        header: Dict[Any, Any] = as_dict(loaded) or {}
        if header.get(_MAGIC) != _FORMAT:
            raise CheckpointError('%s: not a talon-one checkpoint' % self.path)
        expected = json.loads(json.dumps(self._header()))
        if header != expected:
            raise CheckpointError(
                '%s: made for %s %s, not %s %s (use another checkpoint file, or delete it '
                'to start over)' % (self.path, header.get('operation'),
                                    json.dumps(header.get('params'), sort_keys=True),
                                    self.operation, json.dumps(self.params, sort_keys=True)))
        for number, raw in enumerate(lines[1:], start=2):
            try:
                entry = ChunkEntry.from_json(json.loads(raw))
            except (ValueError, KeyError, TypeError):
                if number == len(lines):       # written but not whole: treat as torn
                    good -= len(raw) + 1
                    break
                raise CheckpointError('%s line %d: not a chunk record'
                                      % (self.path, number)) from None
            self.done[entry.chunk] = entry
        if good < len(content):
            os.ftruncate(self._fd, good)
            os.fsync(self._fd)
        self.resumed = True

    def _append(self, line: str) -> None:
        data = (line + '\n').encode('utf-8')
        os.lseek(self._fd, 0, os.SEEK_END)
        written = os.write(self._fd, data)
        while written < len(data):             # a short write: finish it (still one line)
            written += os.write(self._fd, data[written:])
        os.fsync(self._fd)

    def _sync_directory(self) -> None:
        directory = os.path.dirname(os.path.abspath(self.path))
        try:
            dir_fd = os.open(directory, os.O_RDONLY)
        except OSError:     # pragma: no cover (platforms without directory fds)
            return
        try:
            os.fsync(dir_fd)
        except OSError:     # pragma: no cover
            pass
        finally:
            os.close(dir_fd)

    def record(self, entry: ChunkEntry) -> None:
        """Append a finished chunk; it is on disk when this returns."""
        self._append(entry.to_json())
        self.done[entry.chunk] = entry

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> 'Checkpoint':
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def load_entries(path: str) -> Optional[List[ChunkEntry]]:
    """The chunk entries of a checkpoint file without opening it for a run (None: absent)."""
    if not os.path.exists(path):
        return None
    entries: List[ChunkEntry] = []
    with open(path, 'rb') as handle:
        for raw in handle.read().split(b'\n')[1:]:
            try:
                entries.append(ChunkEntry.from_json(json.loads(raw)))
            except (ValueError, KeyError, TypeError):
                continue
    return entries
