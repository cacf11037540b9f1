"""From the rows of an input file to the records of each bulk operation.

CSV rows are flat (``column -> value``); JSON Lines records already have the API's shape.
A row that cannot become a record stays a row with an error (reported, not sent); a header
that does not fit the operation raises ``InputFileError`` naming line 1.
"""

from typing import Any, Callable, Dict, Iterator, List, Optional, Union

from talon_one.bulk.readers import COLUMN_TYPES, CsvReader, InputFileError, JsonLinesReader, Row

__all__ = ['Reader', 'catalog_records', 'id_records', 'profile_records']

Reader = Union[CsvReader, JsonLinesReader]


def _require_column(reader: CsvReader, column: str, option: str = '--id-column') -> None:
    if column not in reader.columns:
        raise InputFileError(reader.path, 1, 'no column %r in the header row (columns: %s); '
                             'name the id column with %s'
                             % (column, ', '.join(reader.columns) or 'none', option))


def _shaped(reader: Reader, shape: Callable[[Dict[str, Any]], Dict[str, Any]]
            ) -> Iterator[Row]:
    for row in reader:
        if row.error is not None:
            yield row
            continue
        try:
            yield Row(row.line, shape(row.data))
        except ValueError as exc:
            yield Row(row.line, error=str(exc))


def profile_records(reader: Reader, id_column: str) -> Iterator[Row]:
    """``profiles update``: CSV columns are the id and attributes; JSON Lines records are
    ``{"integrationId", "attributes", "audiencesChanges"}``."""
    if isinstance(reader, JsonLinesReader):
        return iter(reader)
    _require_column(reader, id_column)

    def shape(data: Dict[str, Any]) -> Dict[str, Any]:
        profile_id = data.pop(id_column, None)
        if profile_id is None:
            raise ValueError('column %r (the id) is empty' % id_column)
        return {'integrationId': profile_id, 'attributes': data}
    return _shaped(reader, shape)


def id_records(reader: Reader, id_column: str, what: str) -> Iterator[Row]:
    """``profiles delete``, ``audience add|remove``: a file of ids, one column (CSV), or
    ``{"integrationId": id}`` per line (JSON Lines)."""
    if isinstance(reader, JsonLinesReader):
        return iter(reader)
    _require_column(reader, id_column)
    others = [column for column in reader.columns if column != id_column]
    if others:
        raise InputFileError(reader.path, 1, 'unknown column %r: %s file has only the id '
                             'column %r' % (others[0], what, id_column))

    def shape(data: Dict[str, Any]) -> Dict[str, Any]:
        if id_column not in data:
            raise ValueError('column %r (the id) is empty' % id_column)
        return {'integrationId': data[id_column]}
    return _shaped(reader, shape)


_CATALOG_COLUMNS = ('action', 'price', 'replaceIfExists')
_ACTIONS = ('ADD', 'PATCH', 'REMOVE')


def catalog_records(reader: Reader, sku_column: str) -> Iterator[Row]:
    """``catalog sync``: CSV columns ``action`` (ADD, PATCH or REMOVE; default ADD), the SKU,
    ``price``, ``replaceIfExists`` (ADD replaces an existing item unless it is ``false``),
    and the item's attributes (every other column); JSON Lines records are the API's
    actions, ``{"type", "payload"}``."""
    if isinstance(reader, JsonLinesReader):
        return iter(reader)
    _require_column(reader, sku_column, '--id-column (the SKU column)')
    to_number = COLUMN_TYPES['number']
    to_boolean = COLUMN_TYPES['boolean']

    def shape(data: Dict[str, Any]) -> Dict[str, Any]:
        action = str(data.pop('action', 'ADD')).strip().upper()
        if action not in _ACTIONS:
            raise ValueError('column \'action\': %r is not one of %s'
                             % (action, ', '.join(_ACTIONS)))
        sku = data.pop(sku_column, None)
        if sku is None:
            raise ValueError('column %r (the SKU) is empty' % sku_column)
        payload: Dict[str, Any] = {'sku': sku}
        price: Optional[Any] = data.pop('price', None)
        if isinstance(price, str):
            try:
                price = to_number(price)
            except ValueError:
                raise ValueError('column \'price\': %r is not a number' % price) from None
        replace: Any = data.pop('replaceIfExists', True)
        if isinstance(replace, str):
            try:
                replace = to_boolean(replace)
            except ValueError:
                raise ValueError('column \'replaceIfExists\': %r is not a boolean'
                                 % replace) from None
        if action == 'REMOVE':
            if price is not None or data:
                raise ValueError('a REMOVE row takes only the SKU (found %s)'
                                 % ', '.join(sorted(data) + (['price'] if price is not None
                                                             else [])))
            return {'type': action, 'payload': payload}
        if price is not None:
            payload['price'] = price
        if data:
            payload['attributes'] = data
        if action == 'ADD':
            payload['replaceIfExists'] = bool(replace)
        return {'type': action, 'payload': payload}
    return _shaped(reader, shape)


def columns_of(reader: Reader) -> List[str]:
    return list(reader.columns) if isinstance(reader, CsvReader) else []
