"""The ``NULL`` sentinel: an explicit JSON ``null`` in a request.

It lives in a module of its own, below everything else, so that validation and
serialization can recognise it without importing the model base class.
``talon_one.NULL`` and ``talon_one.model_base.NULL`` are this same object.
"""

__all__ = ['NULL']


class _Null(object):
    """Type of :data:`NULL`; there is only ever one instance."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return 'NULL'

    def __bool__(self):
        return False

    def __reduce__(self):
        return 'NULL'

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


#: Assign ``NULL`` to a model attribute to send an explicit JSON ``null``
#: (``None`` means "leave the field out").
NULL = _Null()
