"""Ids in records: a non-empty string (a number is taken as its decimal text)."""

from typing import Any, Mapping, Optional, Sequence

from talon_one.bulk.operation import RecordInvalid

__all__ = ['id_from', 'require_id']


def require_id(value: Any, field: str) -> str:
    """``value`` as an id, or RecordInvalid naming ``field``."""
    if isinstance(value, bool):
        raise RecordInvalid('%s must be a string, got %r' % (field, value))
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        if value is None:
            raise RecordInvalid('%s is required' % field)
        raise RecordInvalid('%s must be a string, got %s' % (field, type(value).__name__))
    if not value:
        raise RecordInvalid('%s must not be empty' % field)
    if len(value) > 1000:
        raise RecordInvalid('%s must be at most 1000 characters long (length %d)'
                            % (field, len(value)), value[:40] + '...')
    return value


def id_from(record: object, names: Sequence[str], what: str) -> str:
    """The id of a record that is only an id: a string, or a mapping with one of ``names``
    (and nothing else)."""
    if isinstance(record, (str, int)) and not isinstance(record, bool):
        return require_id(record, what)
    if isinstance(record, Mapping):
        fields: Mapping[Any, Any] = record       # pyright: ignore[reportUnknownVariableType]
        found: Optional[str] = None
        for key in fields:
            if key not in names:
                raise RecordInvalid('unknown field %r (a %s record has only %s)'
                                    % (key, what, ' or '.join(repr(n) for n in names)))
            found = key
        if found is None:
            raise RecordInvalid('%s is required' % names[0])
        return require_id(fields[found], found)
    raise RecordInvalid('a %s record is an id or an object {%r: id}, got %s'
                        % (what, names[0], type(record).__name__))
