"""``ApiClient``: sends the requests of an ``IntegrationApi`` and parses the responses."""

from talon_one._async import AsyncResult as AsyncResult
from talon_one._client import ApiClient as ApiClient

__all__ = ['ApiClient', 'AsyncResult']
