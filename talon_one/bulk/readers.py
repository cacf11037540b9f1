"""Streaming readers of input files: CSV with a header row, and JSON Lines.

Both yield a :class:`Row` per record, one at a time (a file of any size takes the memory
of one row): ``row.data`` is the record as a dict, or ``row.error`` says why the row could
not be read (a broken CSV row, a byte that is not UTF-8, a line that is not a JSON
object), with ``row.line`` its line in the file. Bad rows do not stop the reading; the bulk
functions report them and go on. What makes the whole file unusable (it cannot be opened,
it is empty, its header is broken) raises :class:`InputFileError` naming the line.

CSV cells are text. A header cell ``name:type`` converts the column's cells: ``string``
(the default), ``number``, ``integer``, ``boolean`` (``true``/``false``, ``1``/``0``,
``yes``/``no``) or ``json`` (any JSON value). An empty cell means "not set" and is left out.
"""

import codecs
import csv
import json
import math
import os
from typing import IO, Any, Callable, Dict, Iterator, List, Optional, Tuple

from talon_one.bulk._json import as_dict

__all__ = ['COLUMN_TYPES', 'CsvReader', 'InputFileError', 'JsonLinesReader', 'Row',
           'count_lines', 'open_input']


class InputFileError(Exception):
    """The input file cannot be used at all; ``str()`` names the file and the line."""

    def __init__(self, path: str, line: Optional[int], message: str) -> None:
        where = '%s line %d' % (path, line) if line is not None else path
        super().__init__('%s: %s' % (where, message))
        self.path = path
        self.line = line
        self.message = message


class Row(object):
    """One record of an input file: ``data`` (a dict), or ``error``; ``line`` in the file;
    ``id``: the record's id when an error is known to concern it."""

    __slots__ = ('line', 'data', 'error', 'id')

    def __init__(self, line: int, data: Optional[Dict[str, Any]] = None,
                 error: Optional[str] = None, id: Optional[str] = None) -> None:
        self.line = line
        self.data = data if data is not None else {}
        self.error = error
        self.id = id

    def __repr__(self) -> str:
        if self.error is not None:
            return 'Row(line=%d, error=%r)' % (self.line, self.error)
        return 'Row(line=%d, data=%r)' % (self.line, self.data)


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError('not finite') from None
        return value


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ('true', '1', 'yes'):
        return True
    if lowered in ('false', '0', 'no'):
        return False
    raise ValueError('not a boolean')


def _json(text: str) -> Any:
    return json.loads(text)


#: Column types of CSV headers (``age:number``) and how a cell is converted.
COLUMN_TYPES: Dict[str, Callable[[str], Any]] = {
    'string': str, 'number': _number, 'integer': int, 'boolean': _boolean, 'json': _json,
}


def _decode_error(exc: UnicodeDecodeError) -> str:
    return 'not UTF-8: byte 0x%02x at character %d' % (exc.object[exc.start], exc.start + 1)


class _Lines(object):
    """The lines of a binary file decoded as UTF-8, remembering the lines that were not."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.number = 0
        self.bad: Dict[int, str] = {}

    def __iter__(self) -> Iterator[str]:
        for raw in self.handle:
            self.number += 1
            if self.number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            try:
                yield raw.decode('utf-8')
            except UnicodeDecodeError as exc:
                self.bad[self.number] = _decode_error(exc)
                yield raw.decode('utf-8', 'replace')


def _open(path: str) -> IO[bytes]:
    try:
        if os.path.isdir(path):
            raise InputFileError(path, None, 'is a directory, not a file')
        return open(path, 'rb')
    except OSError as exc:
        raise InputFileError(path, None, 'cannot be read: %s' % (exc.strerror or exc)) from None


class CsvReader(object):
    """Rows of a CSV file whose first row names the columns (see the module docstring).

    ``columns``: the column names (without their types), read when the reader is made.
    """

    def __init__(self, path: str, delimiter: str = ',') -> None:
        self.path = path
        self._handle = _open(path)
        self._lines = _Lines(self._handle)
        self._reader = csv.reader(self._lines, delimiter=delimiter, strict=True)
        try:
            header = next(self._reader, None)
        except csv.Error as exc:
            self.close()
            raise InputFileError(path, 1, 'the header row is not valid CSV: %s' % exc) from None
        if header is None:
            self.close()
            raise InputFileError(path, 1, 'the file is empty: a header row naming the '
                                 'columns is expected')
        if 1 in self._lines.bad:
            self.close()
            raise InputFileError(path, 1, 'header row %s' % self._lines.bad[1])
        self._header_line = self._reader.line_num
        self.columns: List[str] = []
        self._converters: List[Callable[[str], Any]] = []
        self._types: List[str] = []
        for position, cell in enumerate(header, start=1):
            name, _, kind = cell.strip().partition(':')
            name, kind = name.strip(), (kind.strip() or 'string')
            if not name:
                self.close()
                raise InputFileError(path, 1, 'column %d has no name in the header row'
                                     % position)
            if name in self.columns:
                self.close()
                raise InputFileError(path, 1, 'column %r is named twice in the header row'
                                     % name)
            converter = COLUMN_TYPES.get(kind)
            if converter is None:
                self.close()
                raise InputFileError(path, 1, 'column %r: unknown type %r (types: %s)'
                                     % (name, kind, ', '.join(COLUMN_TYPES)))
            self.columns.append(name)
            self._converters.append(converter)
            self._types.append(kind)

    def close(self) -> None:
        self._handle.close()

    def __iter__(self) -> Iterator[Row]:
        try:
            for row in self._rows():
                yield row
        finally:
            self.close()

    def _rows(self) -> Iterator[Row]:
        reader, lines = self._reader, self._lines
        columns, converters, types = self.columns, self._converters, self._types
        width = len(columns)
        previous = self._header_line
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = previous + 1
                previous = reader.line_num
                hint = ' (a quote that is never closed?)' if 'end of data' in str(exc) else ''
                yield Row(line, error='not valid CSV: %s%s' % (exc, hint))
                continue
            line, previous = previous + 1, reader.line_num
            if lines.bad:
                bad = [(number, why) for number, why in lines.bad.items() if number >= line]
                lines.bad.clear()
                if bad:
                    yield Row(bad[0][0], error=bad[0][1])
                    continue
            if not cells:
                continue                        # a blank line
            if len(cells) != width:
                yield Row(line, error='%d fields, but the header has %d (%s)'
                          % (len(cells), width, ', '.join(columns)))
                continue
            data: Dict[str, Any] = {}
            failed: Optional[str] = None
            for name, converter, kind, cell in zip(columns, converters, types, cells):
                if cell == '':
                    continue
                try:
                    data[name] = converter(cell)
                except ValueError:
                    failed = 'column %r: %r is not %s %s' % (
                        name, cell, 'an' if kind[0] in 'aeiou' else 'a', kind)
                    break
            if failed is not None:
                yield Row(line, error=failed)
            else:
                yield Row(line, data)


class JsonLinesReader(object):
    """Rows of a JSON Lines file: one JSON object per line (blank lines are skipped)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._handle = _open(path)
        self._lines = _Lines(self._handle)
        self._iterator = iter(self._lines)
        self._first: Optional[Tuple[int, str]] = None
        for text in self._iterator:
            if text.strip():
                self._first = (self._lines.number, text)
                break
        if self._first is None:
            self.close()
            raise InputFileError(path, 1, 'the file is empty: one JSON object per line is '
                                 'expected')

    def close(self) -> None:
        self._handle.close()

    def __iter__(self) -> Iterator[Row]:
        try:
            for row in self._rows():
                yield row
        finally:
            self.close()

    def _row(self, line: int, text: str) -> Row:
        bad = self._lines.bad.pop(line, None)
        if bad is not None:
            return Row(line, error=bad)
        try:
            value: Any = json.loads(text)
        except ValueError as exc:
            return Row(line, error='not valid JSON: %s' % exc)
        record = as_dict(value)
        if record is None:
            return Row(line, error='a JSON object is expected, got %s' % type(value).__name__)
        return Row(line, record)

    def _rows(self) -> Iterator[Row]:
        if self._first is not None:
            line, text = self._first
            self._first = None
            yield self._row(line, text)
        for text in self._iterator:
            if text.strip():
                yield self._row(self._lines.number, text)


def open_input(path: str, format: Optional[str] = None) -> Any:
    """A :class:`CsvReader` or :class:`JsonLinesReader` for ``path``: by ``format``
    (``'csv'`` or ``'jsonl'``), else by the name's ending (``.jsonl``, ``.ndjson`` and
    ``.json`` are JSON Lines, anything else CSV)."""
    if format is None:
        lowered = path.lower()
        format = 'jsonl' if lowered.endswith(('.jsonl', '.ndjson', '.json')) else 'csv'
    if format == 'jsonl':
        return JsonLinesReader(path)
    if format == 'csv':
        return CsvReader(path)
    raise ValueError('format must be csv or jsonl, got %r' % (format,))


def count_lines(path: str) -> int:
    """Non-blank lines of a file, counted quickly (for a progress bar's total)."""
    count = 0
    last = b'\n'
    with open(path, 'rb') as handle:
        while True:
            block = handle.read(1 << 20)
            if not block:
                break
            count += block.count(b'\n') - block.count(b'\n\n')
            last = block[-1:]
    if last != b'\n':
        count += 1
    return count
