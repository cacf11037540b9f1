"""What every bulk operation is made of, free of I/O so that any runner can drive it.

An :class:`Operation` turns one input record into an :class:`Item` (or refuses it with
:class:`RecordInvalid`), and plans the calls for a chunk of items as a generator: it yields
:class:`Call` values (an ``IntegrationApi`` method name and its arguments), receives each
call's :class:`Answer`, and returns a :class:`ChunkResult`. The thread runner
(``talon_one.bulk.runner``) makes the calls with the sync client; an asyncio runner can
make the same calls with ``await`` and reuse everything else.
"""

import hashlib
from typing import (Any, Callable, Dict, Generator, List, Mapping, Optional, Sequence,
                    Tuple, Type, TypeVar, cast)

from talon_one.bulk._json import as_dict
from talon_one.bulk.report import STAGE_API, STAGE_VALIDATION, RecordFailure
from talon_one.exceptions import ApiException, OpenApiException
from talon_one.model_base import Model

__all__ = ['SPLIT_STATUSES', 'Answer', 'Call', 'ChunkResult', 'Item', 'Operation', 'Plan',
           'RecordInvalid', 'as_dict', 'failure_of', 'fields_of', 'is_transient', 'send_isolating']

#: Statuses for which a chunk is split in halves to find the records at fault: the API
#: refuses such a request as a whole (nothing of it is applied), and a 413 is too big.
SPLIT_STATUSES = frozenset((400, 404, 413, 422))

M = TypeVar('M', bound=Model)


class RecordInvalid(Exception):
    """A record that cannot be sent: ``message`` says why, ``id`` names it when known."""

    def __init__(self, message: str, id: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.id = id


class Item(object):
    """A valid record, ready to send: ``payload`` is what goes into the request, ``keys``
    what it touches (two chunks with a key in common are never in flight together), and
    ``kind`` what request it needs (the catalog's action type)."""

    __slots__ = ('index', 'line', 'id', 'keys', 'payload', 'kind')

    def __init__(self, index: int, line: Optional[int], id: str, keys: Tuple[str, ...],
                 payload: Any, kind: str = '') -> None:
        self.index = index
        self.line = line
        self.id = id
        self.keys = keys
        self.payload = payload
        self.kind = kind


class Call(object):
    """One call of an ``IntegrationApi`` method: ``getattr(api, method)(*args, **kwargs)``."""

    __slots__ = ('method', 'args', 'kwargs')

    def __init__(self, method: str, *args: Any, **kwargs: Any) -> None:
        self.method = method
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        return 'Call(%r)' % self.method


class Answer(object):
    """What a call gave: ``value`` when it returned, ``error`` when it raised."""

    __slots__ = ('value', 'error')

    def __init__(self, value: Any = None, error: Optional[OpenApiException] = None) -> None:
        self.value = value
        self.error = error


class ChunkResult(object):
    """The outcome of a chunk: ``accepted`` records, ``failures``, the operation's ``state``
    after it (recorded in the checkpoint), ``stop``: a reason to send no further chunks."""

    __slots__ = ('accepted', 'failures', 'state', 'stop')

    def __init__(self, accepted: int, failures: List[RecordFailure], state: Any = None,
                 stop: Optional[str] = None) -> None:
        self.accepted = accepted
        self.failures = failures
        self.state = state
        self.stop = stop


Plan = Generator[Call, Answer, ChunkResult]


# Statuses that say the credentials were refused: nothing of the run can succeed.
AUTH_STATUSES = (401, 403)


def is_transient(failure: RecordFailure) -> bool:
    """A failure that may go away by itself, or once the credentials are fixed: no answer,
    401/403, 429 or 5xx (or not an API answer). Chunks with such failures are not recorded
    in the checkpoint, so a rerun tries again."""
    status = failure.status
    if failure.stage != STAGE_API:
        return False
    return (status is None or status == 0 or status in AUTH_STATUSES or status == 429
            or status >= 500)


def failure_of(item: Item, error: OpenApiException) -> RecordFailure:
    """The failure of ``item`` from the exception its call raised."""
    if isinstance(error, ApiException):
        message = error.message or error.reason or str(error)
        return RecordFailure(item.index, item.id, error.status or 0, message, STAGE_API,
                             item.line)
    return RecordFailure(item.index, item.id, None, str(error), STAGE_VALIDATION, item.line)


def _status(error: OpenApiException) -> Optional[int]:
    return error.status if isinstance(error, ApiException) else None


def send_isolating(items: Sequence[Item], make_call: Callable[[Sequence[Item]], Call],
                   isolate: bool = True
                   ) -> Generator[Call, Answer, Tuple[List[Item], List[RecordFailure], List[Any]]]:
    """Send ``items`` in one call; when the API refuses the request as a whole (400, 404,
    413, 422) and ``isolate``, send each half again, down to the records at fault.
    Returns (accepted items, failures, the values of the calls that succeeded)."""
    answer = yield make_call(items)
    if answer.error is None:
        return list(items), [], [answer.value]
    if isolate and len(items) > 1 and _status(answer.error) in SPLIT_STATUSES:
        middle = len(items) // 2
        ok_a, failed_a, values_a = yield from send_isolating(items[:middle], make_call, isolate)
        ok_b, failed_b, values_b = yield from send_isolating(items[middle:], make_call, isolate)
        return ok_a + ok_b, failed_a + failed_b, values_a + values_b
    return [], [failure_of(item, answer.error) for item in items], []


def fields_of(record: object, model: Type[M], what: str) -> Dict[str, Any]:
    """The fields of a record given as a model or a mapping, by attribute name.

    A mapping may use the API's names (``integrationId``) or the attribute names
    (``integration_id``); any other key is refused, naming the fields there are.
    """
    if isinstance(record, model):
        return {attr: getattr(record, attr) for attr in model.openapi_types
                if getattr(record, attr) is not None}
    if not isinstance(record, Mapping):
        raise RecordInvalid('%s must be an object (a dict or %s), got %s'
                            % (what, model.__name__, type(record).__name__))
    names = model.attribute_map
    fields: Dict[str, Any] = {}
    mapping = cast(Mapping[object, Any], record)
    for key, value in mapping.items():
        attr = _ATTRIBUTES.get((model, key))
        if attr is None:
            attr = _attribute(model, key)
        if attr is None:
            raise RecordInvalid('%s: unknown field %r (fields: %s)'
                                % (what, key, ', '.join(names[a] for a in model.openapi_types)))
        if value is not None:
            fields[attr] = value
    return fields


_ATTRIBUTES: Dict[Tuple[type, object], str] = {}


def _attribute(model: Type[Model], key: object) -> Optional[str]:
    for attr, api_name in model.attribute_map.items():
        if key in (attr, api_name):
            _ATTRIBUTES[(model, key)] = attr
            return attr
    return None


def build(model: Type[M], fields: Dict[str, Any], id: Optional[str]) -> M:
    """``model(**fields)``, checked as it would be when sent (RecordInvalid if not)."""
    try:
        built = model(**fields)
        built.validate()
    except (OpenApiException, TypeError, ValueError) as exc:
        raise RecordInvalid(str(exc), id) from None
    return built


class Operation(object):
    """Base class of the bulk operations (see the module docstring)."""

    #: ``'profiles.update'``...: names the operation in reports and checkpoints.
    name = ''
    #: The most records one request takes.
    max_chunk_size = 1000
    #: A label for the records in messages (``'profile'``).
    noun = 'record'
    #: Set by the runner when the run has a checkpoint: names the run, for request keys.
    run_key: Optional[str] = None

    def idempotency_key(self, items: Sequence[Item]) -> Optional[str]:
        """An ``Idempotency-Key`` for the request of ``items``, the same in every run of
        this checkpoint (None without one): a server that keeps keyed answers replays the
        answer of a chunk sent again after a crash instead of doing it twice."""
        if self.run_key is None:
            return None
        hasher = hashlib.blake2b(self.run_key.encode('utf-8'), digest_size=16)
        for item in items:      # positions in the input make every request's key its own
            hasher.update(b'%d\x00' % item.index)
            hasher.update(item.id.encode('utf-8', 'surrogatepass') + b'\x00')
        return 'talon-one-bulk-%s' % hasher.hexdigest()

    def params(self) -> Dict[str, Any]:
        """What, besides the input, decides the requests (kept in the checkpoint)."""
        return {}

    def prepare(self, record: object, index: int, line: Optional[int]) -> Item:
        """The item for ``record``; raises :class:`RecordInvalid` when it cannot be sent."""
        raise NotImplementedError

    def boundary(self, previous: Item, item: Item) -> bool:
        """True when ``item`` must not share a request with ``previous``."""
        return False

    def plan(self, items: Sequence[Item]) -> Plan:
        """The calls for a chunk (a generator, see the module docstring)."""
        raise NotImplementedError

    def state(self) -> Any:
        """The operation's state to record after a chunk (None: it has none)."""
        return None

    def restore(self, state: Any) -> None:
        """Take back the state recorded after a chunk an earlier run finished."""
