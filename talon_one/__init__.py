"""talon_one: Python SDK for the Talon.One Integration API.

Importing the package is cheap: the client classes and exceptions load at once,
the model classes (``talon_one.CartItem``...) only when first used.
"""

from typing import TYPE_CHECKING

from talon_one.version import __version__
from talon_one.configuration import Configuration
from talon_one.api_client import ApiClient
from talon_one.api.integration_api import IntegrationApi
from talon_one.exceptions import (
    ApiAttributeError,
    ApiConnectionError,
    ApiException,
    ApiResponseError,
    ApiKeyError,
    ApiSSLError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    BadRequestException,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    OpenApiException,
    PayloadTooLargeException,
    ServiceException,
    TooManyRequestsException,
    UnauthorizedException,
)
from talon_one.model_base import NULL
from talon_one.effects import effect_props
from talon_one.effects import summarize as summarize_effects
from talon_one.pagination import iterate_pages
from talon_one import models

if TYPE_CHECKING:
    from talon_one.models import *  # noqa: F401,F403 (what the lazy __getattr__ provides)

__all__ = [
    '__version__', 'Configuration', 'ApiClient', 'IntegrationApi', 'NULL', 'effect_props',
    'iterate_pages', 'summarize_effects',
    'OpenApiException', 'ApiTypeError', 'ApiValueError', 'ApiAttributeError', 'ApiKeyError',
    'ApiException', 'BadRequestException', 'UnauthorizedException', 'ForbiddenException',
    'NotFoundException', 'ConflictException', 'PayloadTooLargeException',
    'TooManyRequestsException', 'ServiceException', 'ApiResponseError', 'ApiConnectionError',
    'ApiTimeoutError', 'ApiSSLError',
]
__all__ += models.__all__


def __getattr__(name):
    # PEP 562: model classes are loaded from their module on first access, and so is the
    # transport module (`talon_one.rest.ApiException` after a bare `import talon_one`).
    if name == 'rest':
        import importlib
        return importlib.import_module('talon_one.rest')
    if name in models.__all__:
        value = getattr(models, name)
        globals()[name] = value
        return value
    raise AttributeError('module %r has no attribute %r' % (__name__, name))


def __dir__():
    return sorted(set(globals()) | set(models.__all__))
