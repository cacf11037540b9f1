"""The ``NULL`` sentinel: an explicit JSON ``null`` in a request.

It lives in a module of its own, below everything else, so that validation and
serialization can recognise it without importing the model base class.
"""

from typing import Any, Dict, Optional

__all__ = ['NULL', 'NullType']


class NullType(object):
    """Type of :data:`NULL`; there is only ever one instance."""

    _instance: Optional['NullType'] = None

    def __new__(cls) -> 'NullType':
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return 'NULL'

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return 'NULL'

    def __copy__(self) -> 'NullType':
        return self

    def __deepcopy__(self, memo: Dict[int, Any]) -> 'NullType':
        return self


#: Assign ``NULL`` to a model attribute to send an explicit JSON ``null``
#: (``None`` means "leave the field out"). Typed ``Any`` on purpose: it may be assigned to
#: any property, whatever its type.
NULL: Any = NullType()
