"""``Configuration``: host, credentials, TLS, timeouts, retries and logging of a client."""

from talon_one._configuration import Configuration as Configuration

__all__ = ['Configuration']
