"""The Integration API's operations, one module per domain, over one ``Service``.

An operation is a function ``(Service, Request) -> (status, JSON document or None)``; its
route is one line of http/routes.py. A new domain is a new module here: its operations read
and write through a ``store.changes.Changes`` (committed once, at the end), take the entity
locks of what they change (``svc.store.locked``), validate bodies with world/schema.py and
render answers with views.py. What several domains share lives in its own module:
customers.py (profiles), loyalty.py (ledgers, cards), rules.py (running the engine and
committing its outcome), events.py (the Event document), responses.py (IntegrationState).
"""
