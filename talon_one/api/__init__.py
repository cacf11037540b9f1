"""API classes of the talon_one SDK."""

from talon_one.api.integration_api import IntegrationApi

__all__ = ['IntegrationApi']
