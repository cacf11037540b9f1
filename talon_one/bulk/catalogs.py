"""Cart item catalogs in bulk: ``sync_catalog`` with the actions of many items.

Actions are sent in input order, one action type per request (a run of ADDs, then a run of
PATCHes...), up to 1000 actions each, one request at a time (each request is applied to
the catalog as the previous one left it). With ``version=``, each request carries the
catalog version it expects, starting from the one given and then the one the previous
request returned: when someone else changes the catalog meanwhile, the API refuses the
request, and the run stops there (the records not sent are reported).
"""

from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

from talon_one.bulk._ids import require_id
from talon_one.bulk.operation import (Call, ChunkResult, Item, Operation, Plan, RecordInvalid,
                                      SPLIT_STATUSES, as_dict, build, failure_of, fields_of)
from talon_one.bulk.report import BulkReport, RecordFailure
from talon_one.bulk.aiorunner import AsyncClient, run_async
from talon_one.bulk.runner import DEFAULT_KEEP_FAILURES, Client, ProgressCallback, run
from talon_one.exceptions import ApiException, OpenApiException
from talon_one.models.catalog_action import CatalogAction
from talon_one.models.catalog_sync_request import CatalogSyncRequest

__all__ = ['CatalogSync', 'sync', 'sync_async']

_PER_ITEM = ('ADD', 'PATCH', 'REMOVE')


def _is_version_conflict(error: OpenApiException) -> bool:
    if not isinstance(error, ApiException) or error.status not in (400, 409, 412):
        return False
    text = '%s %s' % (error.message or '', error.errors)
    return '/version' in text or 'version' in (error.message or '').lower()


class CatalogSync(Operation):
    """``sync_catalog`` of one catalog, one action type per request."""

    name = 'catalog.sync'
    noun = 'item'

    def __init__(self, catalog_id: int, version: Optional[int] = None,
                 isolate_failures: bool = True) -> None:
        if isinstance(catalog_id, bool) or not isinstance(catalog_id, int) or catalog_id < 1:
            raise ValueError('catalog_id must be a positive integer, got %r' % (catalog_id,))
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)
                                    or version < 1):
            raise ValueError('version must be an integer >= 1, got %r' % (version,))
        self.catalog_id = catalog_id
        self.version = version
        self.first_version = version
        self.isolate = isolate_failures
        self._key = ('catalog:%d' % catalog_id,)

    def params(self) -> Dict[str, Any]:
        return {'catalogId': self.catalog_id, 'version': self.first_version}

    def prepare(self, record: object, index: int, line: Optional[int]) -> Item:
        fields = fields_of(record, CatalogAction, 'a catalog action')
        kind, payload = fields.get('type'), as_dict(fields.get('payload'))
        if payload is None:
            raise RecordInvalid('payload must be an object (sku, price, attributes...)')
        sku: Any = payload.get('sku')
        if kind in _PER_ITEM:
            sku = require_id(sku, 'payload.sku')
        elif sku is None:
            sku = str(kind)
        price: Any = payload.get('price')
        if price is not None and (isinstance(price, bool) or not isinstance(price, (int, float))):
            raise RecordInvalid('payload.price must be a number, got %r' % (price,), str(sku))
        attributes: Any = payload.get('attributes')
        if attributes is not None and not isinstance(attributes, dict):
            raise RecordInvalid('payload.attributes must be an object', str(sku))
        model = build(CatalogAction, fields, str(sku))
        return Item(index, line, str(sku), self._key, model, str(kind))

    def boundary(self, previous: Item, item: Item) -> bool:
        return previous.kind != item.kind

    def plan(self, items: Sequence[Item]) -> Plan:
        failures: List[RecordFailure] = []
        accepted = 0
        pending: List[Sequence[Item]] = [items]
        while pending:
            part = pending.pop(0)
            body = CatalogSyncRequest(actions=[item.payload for item in part],
                                      version=self.version)
            key = self.idempotency_key(part)
            if key is None:
                answer = yield Call('sync_catalog', self.catalog_id, body)
            else:   # (a resent chunk is answered as the first time, not refused by version)
                answer = yield Call('sync_catalog', self.catalog_id, body, _idempotency_key=key)
            error = answer.error
            if error is None:
                accepted += len(part)
                if self.version is not None:
                    self.version = getattr(answer.value, 'version', None) or self.version + 1
                continue
            if self.version is not None and _is_version_conflict(error):
                failures.extend(failure_of(item, error) for item in part)
                rest = [item for later in pending for item in later]
                failures.extend(RecordFailure(item.index, item.id, None, 'not sent: catalog %d '
                                              'moved on from version %d'
                                              % (self.catalog_id, self.version), 'api',
                                              item.line)
                                for item in rest)
                message = error.message if isinstance(error, ApiException) else None
                return ChunkResult(accepted, failures, self.state(), stop=(
                    'catalog %d moved on from version %d (%s)'
                    % (self.catalog_id, self.version, message or error)))
            status = error.status if isinstance(error, ApiException) else None
            if self.isolate and len(part) > 1 and status in SPLIT_STATUSES:
                middle = len(part) // 2
                pending[0:0] = [part[:middle], part[middle:]]
                continue
            failures.extend(failure_of(item, error) for item in part)
        return ChunkResult(accepted, failures, self.state())

    def state(self) -> Any:
        return None if self.version is None else {'version': self.version}

    def restore(self, state: Any) -> None:
        saved = as_dict(state)
        if saved is not None and isinstance(saved.get('version'), int):
            self.version = int(saved['version'])


def sync(client: Client, catalog_id: int, records: Iterable[object], *,
         version: Optional[int] = None, chunk_size: Optional[int] = None,
         max_calls_per_second: Optional[float] = None, checkpoint: Optional[str] = None,
         progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
         dry_run: bool = False, isolate_failures: bool = True,
         keep_failures: int = DEFAULT_KEEP_FAILURES,
         on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """Apply many catalog actions: records ``{"type": "ADD" | "PATCH" | "REMOVE" | ...,
    "payload": {"sku": ..., "price": ..., "attributes": {...}, "replaceIfExists": ...}}``
    or ``CatalogAction`` models, in order (see the module docstring). ``version``: the
    version the catalog is at now, to have each request checked against it; the report's
    ``stopped`` says when the catalog moved on. Requests go one at a time."""
    return run(CatalogSync(catalog_id, version, isolate_failures), client, records,
               chunk_size=chunk_size, concurrency=1, max_calls_per_second=max_calls_per_second,
               checkpoint=checkpoint, progress=progress, total=total, dry_run=dry_run,
               keep_failures=keep_failures, on_failure=on_failure)


async def sync_async(
        client: AsyncClient, catalog_id: int, records: Iterable[object], *,
        version: Optional[int] = None, chunk_size: Optional[int] = None,
        max_calls_per_second: Optional[float] = None, checkpoint: Optional[str] = None,
        progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
        dry_run: bool = False, isolate_failures: bool = True,
        keep_failures: int = DEFAULT_KEEP_FAILURES,
        on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """:func:`sync` with an asyncio client (one request at a time, too)."""
    return await run_async(
        CatalogSync(catalog_id, version, isolate_failures), client, records,
        chunk_size=chunk_size, concurrency=1, max_calls_per_second=max_calls_per_second,
        checkpoint=checkpoint,
        progress=progress, total=total, dry_run=dry_run, keep_failures=keep_failures,
        on_failure=on_failure)
