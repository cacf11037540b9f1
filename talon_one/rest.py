"""The HTTP layer: ``RESTClientObject`` (urllib3, retries) and ``RESTResponse``.

``ApiException`` and ``ApiValueError`` are importable from here too, as code written for
the official SDK does (``from talon_one.rest import ApiException``).
"""

from talon_one._exceptions import ApiException as ApiException
from talon_one._exceptions import ApiValueError as ApiValueError
from talon_one._response import RESTResponse as RESTResponse
from talon_one._transport import RESTClientObject as RESTClientObject

__all__ = ['ApiException', 'ApiValueError', 'RESTClientObject', 'RESTResponse']
