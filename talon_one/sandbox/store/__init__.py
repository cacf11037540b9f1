"""The sandbox's state: JSON documents by (kind, key), in memory or backed by SQLite."""

from talon_one.sandbox.store.store import Store

__all__ = ['Store']
