"""talon_one: Python SDK for the Talon.One Integration API.

Importing the package is cheap: the client classes and exceptions load at once,
the model classes (``talon_one.CartItem``...) only when first used, urllib3 with the
first ApiClient, aiohttp (and ``talon_one.aio``) with the first use of
``talon_one.AsyncApiClient`` or ``talon_one.AsyncIntegrationApi``.
"""

from typing import TYPE_CHECKING, Any, List

from talon_one.version import __version__ as __version__
from talon_one.configuration import Configuration as Configuration
from talon_one.api_client import ApiClient as ApiClient
from talon_one.api_client import AsyncResult as AsyncResult
from talon_one.api.integration_api import IntegrationApi as IntegrationApi
from talon_one.exceptions import (
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
)
from talon_one.model_base import NULL as NULL
from talon_one.effects import effect_props as effect_props
from talon_one.effects import effects_of_type as effects_of_type
from talon_one.effects import summarize as summarize_effects
from talon_one._pagination import aiter_pages as aiter_pages
from talon_one._pagination import iterate_pages as iterate_pages
from talon_one import models as models

if TYPE_CHECKING:
    from talon_one import aio as aio
    from talon_one import rest as rest
    from talon_one.aio import AsyncApiClient as AsyncApiClient
    from talon_one.aio import AsyncIntegrationApi as AsyncIntegrationApi
    from talon_one.models import *  # noqa: F403 (what the lazy __getattr__ provides)

__all__ = [
    '__version__', 'Configuration', 'ApiClient', 'AsyncResult', 'IntegrationApi', 'NULL',
    'AsyncApiClient', 'AsyncIntegrationApi', 'aiter_pages',
    'effect_props', 'effects_of_type', 'iterate_pages', 'summarize_effects',
    'OpenApiException', 'ApiTypeError', 'ApiValueError', 'ApiAttributeError', 'ApiKeyError',
    'ApiException', 'BadRequestException', 'UnauthorizedException', 'ForbiddenException',
    'NotFoundException', 'ConflictException', 'PayloadTooLargeException',
    'TooManyRequestsException', 'ServiceException', 'ApiResponseError', 'ApiRedirectError',
    'ApiConnectionError',
    'ApiTimeoutError', 'ApiSSLError',
]
__all__ += models.__all__


_AIO_NAMES = ('AsyncApiClient', 'AsyncIntegrationApi')


def __getattr__(name: str) -> Any:
    # PEP 562: model classes are loaded from their module on first access, and so is the
    # transport module (`talon_one.rest.ApiException` after a bare `import talon_one`).
    if name in ('rest', 'aio'):
        import importlib
        return importlib.import_module('talon_one.' + name)
    if name in _AIO_NAMES:
        # The asyncio client loads aiohttp: only when asked for (ImportError saying what to
        # install when it is missing).
        import importlib
        value = getattr(importlib.import_module('talon_one.aio'), name)
        globals()[name] = value
        return value
    if name in models.__all__:
        value = getattr(models, name)
        globals()[name] = value
        return value
    raise AttributeError('module %r has no attribute %r' % (__name__, name))


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(models.__all__) | set(_AIO_NAMES))
