"""Writes that Talon.One answers differently when they overlap: the one table (issue 20).

For each operation that writes a customer session, a customer profile or an advanced
event, :data:`WRITES` says

- which id keys it (``lane``): a path parameter or a body field. Calls of one client with the
  same lane key run one after the other, in the order they were made
  (``talon_one._ordering``; ``Configuration.order_writes_per_id``);
- whether the spec documents it as idempotent, so that the SDK gives every call an
  ``Idempotency-Key`` of its own when none was passed (``auto_key``;
  ``Configuration.auto_idempotency_keys``): ``returnCartItems`` (its description asks for
  the header) and ``trackEventV3`` ("Advanced events are idempotent, uniquely identifiable
  events");
- whether the spec's 409 answer of the operation says "Avoid parallel requests"
  (``parallel_409``, documentation: every operation of the table has its 409 answers read
  by :func:`parallel_conflict`, the sandbox answers 409 "busy" for returns and reopens too).

A call with an ``Idempotency-Key`` (its own or the SDK's) is retried like a PUT: the server
answers a repeat with the kept answer instead of doing the work again.
"""

import time
import uuid
from typing import (TYPE_CHECKING, Any, Dict, Iterable, Mapping, NamedTuple, Optional, Tuple,
                    cast)

from talon_one._naming import to_snake_case

if TYPE_CHECKING:
    from talon_one._exceptions import ApiException
    from talon_one._ordering import Ticket

__all__ = ['ADVANCED_EVENT', 'PROFILE', 'SESSION', 'WRITES', 'WriteCall', 'WriteRule',
           'lane_key', 'parallel_conflict', 'plan']

SESSION = 'customer session'
PROFILE = 'customer profile'
ADVANCED_EVENT = 'advanced event'


class WriteRule(NamedTuple):
    """One row of the table: what the calls of one operation write, and how they are keyed."""

    entity: str          # SESSION, PROFILE or ADVANCED_EVENT
    source: str          # 'path' (a path parameter) or 'body' (a field of the body)
    name: str            # the parameter's or field's API name (camelCase)
    auto_key: bool       # the spec documents the POST as idempotent: an Idempotency-Key per call
    parallel_409: bool   # the spec's 409 answer names parallel requests


#: operationId -> WriteRule. The README ("Parallel calls") shows this table.
WRITES: Dict[str, WriteRule] = {
    'updateCustomerSessionV2': WriteRule(SESSION, 'path', 'customerSessionId', False, True),
    'updateCustomerSession': WriteRule(SESSION, 'path', 'customerSessionId', False, False),
    'reopenCustomerSession': WriteRule(SESSION, 'path', 'customerSessionId', False, False),
    'returnCartItems': WriteRule(SESSION, 'path', 'customerSessionId', True, False),
    'updateCustomerProfileV2': WriteRule(PROFILE, 'path', 'integrationId', False, True),
    'updateCustomerProfile': WriteRule(PROFILE, 'path', 'integrationId', False, False),
    'deleteCustomerData': WriteRule(PROFILE, 'path', 'integrationId', False, False),
    'trackEventV2': WriteRule(PROFILE, 'body', 'profileId', False, True),
    'trackEvent': WriteRule(PROFILE, 'body', 'profileId', False, True),
    'trackEventV3': WriteRule(ADVANCED_EVENT, 'body', 'integrationId', True, True),
}

#: The POSTs the SDK sends an Idempotency-Key of its own with (from the table).
AUTO_KEYED = frozenset(op for op, rule in WRITES.items() if rule.auto_key)

LaneKey = Tuple[str, str]


class WriteCall(object):
    """What one call of a write needs beyond its request: its lane, its key, its start."""

    __slots__ = ('operation_id', 'rule', 'lane', 'idempotency_key', 'made_at', 'ticket')

    def __init__(self, operation_id: str, rule: Optional[WriteRule], lane: Optional[LaneKey],
                 idempotency_key: Optional[str]) -> None:
        self.operation_id = operation_id
        self.rule = rule
        self.lane = lane
        self.idempotency_key = idempotency_key
        self.made_at = time.monotonic()   # the call's total_timeout counts from here
        self.ticket: Optional['Ticket'] = None

    def __repr__(self) -> str:
        return '<WriteCall %s lane=%r key=%r>' % (self.operation_id, self.lane,
                                                   self.idempotency_key)


def _body_field(body: Any, name: str) -> Any:
    """The field ``name`` (API name) of a body model or a raw dict (sent as given)."""
    if isinstance(body, Mapping):
        fields = cast('Mapping[str, Any]', body)  # a JSON object
        value = fields.get(name)
        return fields.get(to_snake_case(name)) if value is None else value
    return getattr(body, to_snake_case(name), None)


def lane_key(rule: WriteRule, path_params: Iterable[Tuple[str, Any]],
             body: Any) -> Optional[LaneKey]:
    """(entity, id) of a call of ``rule``'s operation; None when the id is not there.
    ``path_params``: the call's (API name, value) pairs."""
    if rule.source == 'path':
        value = next((v for name, v in path_params if name == rule.name), None)
    else:
        value = _body_field(body, rule.name)
    if value is None or isinstance(value, (dict, list)):
        return None
    return rule.entity, str(value)


def key_in_headers(headers: Optional[Mapping[str, str]]) -> Optional[str]:
    """An Idempotency-Key given with ``_headers=`` (then it is the call's key)."""
    for name, value in (headers or {}).items():
        if name.lower() == 'idempotency-key':
            return value
    return None


def plan(operation_id: str, method: str, path_params: Iterable[Tuple[str, Any]], body: Any,
         key: Optional[str], configuration: Any) -> Optional[WriteCall]:
    """The WriteCall of one call (None for a call that is neither in the table nor keyed)."""
    rule = WRITES.get(operation_id)
    if rule is None and key is None:
        return None
    if key is None and rule is not None and rule.auto_key and method == 'POST' and (
            configuration.auto_idempotency_keys):
        key = str(uuid.uuid4())
    lane = None
    if rule is not None and configuration.order_writes_per_id:
        lane = lane_key(rule, path_params, body)
    return WriteCall(operation_id, rule, lane, key)


# -- 409: another request, or the request itself? -----------------------------------------

# Words of an error that say the request met another one (the spec's 409 descriptions: "Too
# many requests or limit reached - Avoid parallel requests"; the sandbox: "... is being updated
# by another request").
_PARALLEL_WORDS = ('parallel', 'another request', 'concurrent', 'being updated',
                   'too many requests', 'busy')
# Words that say the request itself cannot succeed: a duplicate or a limit.
_DUPLICATE_WORDS = ('already exist', 'duplicate')
_LIMIT_WORDS = ('limit',)


def parallel_conflict(writes: Optional[WriteCall], error: 'ApiException') -> bool:
    """True when a 409 says the call clashed with another request (worth a retry).

    Only operations of the table (their 409 is documented as parallel requests or a limit);
    then a 409 is a duplicate or a limit -- raised at once -- when its error names a field of
    the request (``errors[].source.pointer`` / ``.parameter``: the advanced event or audience
    whose ``integrationId`` exists), or its text says "already exists" / "duplicate", or
    speaks of a limit without naming parallel requests. Any other 409 of these operations
    (the spec's "Avoid parallel requests", an error that says nothing more) is a clash.
    """
    if writes is None or writes.rule is None:
        return False
    texts = [error.message or '']
    for item in error.errors:
        source = item.get('source')
        if isinstance(source, dict):
            where = cast('Dict[str, Any]', source)
            if where.get('pointer') or where.get('parameter'):
                return False
        texts.extend(str(item.get(name) or '') for name in ('title', 'details'))
    text = ' '.join(texts).lower()
    if any(word in text for word in _DUPLICATE_WORDS):
        return False
    if any(word in text for word in _PARALLEL_WORDS):
        return True
    return not any(word in text for word in _LIMIT_WORDS)
