"""Exceptions raised by the talon_one SDK.

::

    OpenApiException
     +-- ApiTypeError, ApiValueError, ApiAttributeError, ApiKeyError   (bad input)
     +-- ApiException                                                  (HTTP error response)
          +-- BadRequestException (400), UnauthorizedException (401),
          |   ForbiddenException (403), NotFoundException (404),
          |   ConflictException (409), PayloadTooLargeException (413),
          |   TooManyRequestsException (429), ServiceException (5xx)
          +-- ApiResponseError (a 2xx body that is not the JSON expected)
          +-- ApiRedirectError (a redirect to another host, or too many)
          +-- ApiConnectionError (status 0: the request got no HTTP answer)
               +-- ApiTimeoutError, ApiSSLError
"""

from talon_one._exceptions import (
    ApiAttributeError as ApiAttributeError,
    ApiConnectionError as ApiConnectionError,
    ApiException as ApiException,
    ApiKeyError as ApiKeyError,
    ApiRedirectError as ApiRedirectError,
    ApiResponseError as ApiResponseError,
    ApiSSLError as ApiSSLError,
    ApiTimeoutError as ApiTimeoutError,
    ApiTypeError as ApiTypeError,
    ApiValueError as ApiValueError,
    BadRequestException as BadRequestException,
    ConflictException as ConflictException,
    ForbiddenException as ForbiddenException,
    NotFoundException as NotFoundException,
    OpenApiException as OpenApiException,
    PayloadTooLargeException as PayloadTooLargeException,
    ServiceException as ServiceException,
    TooManyRequestsException as TooManyRequestsException,
    UnauthorizedException as UnauthorizedException,
    exception_for_status as exception_for_status,
    render_path as render_path,
)

__all__ = [
    'OpenApiException', 'ApiTypeError', 'ApiValueError', 'ApiAttributeError',
    'ApiKeyError', 'ApiException', 'BadRequestException', 'UnauthorizedException',
    'ForbiddenException', 'NotFoundException', 'ConflictException',
    'PayloadTooLargeException', 'TooManyRequestsException', 'ServiceException',
    'ApiResponseError', 'ApiRedirectError', 'ApiConnectionError', 'ApiTimeoutError', 'ApiSSLError',
    'exception_for_status', 'render_path',
]
