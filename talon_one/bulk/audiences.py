"""Audiences in bulk: add or remove many members, and update the attributes of audiences'
customers.

- :func:`add_members` / :func:`remove_members`: ``update_customer_profile_audiences`` with
  ``add`` / ``delete`` changes of one audience, up to 1000 profiles per call;
- :func:`update_attributes`: ``update_audience_customers_attributes``, one call per
  audience (the API sets the attributes on every member at once).
"""

from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

from talon_one.bulk._ids import id_from
from talon_one.bulk.operation import (Call, ChunkResult, Item, Operation, Plan, RecordInvalid,
                                      as_dict, failure_of, send_isolating)
from talon_one.bulk.profiles import _audiences_call
from talon_one.bulk.report import BulkReport, RecordFailure
from talon_one.bulk.aiorunner import AsyncClient, run_async
from talon_one.bulk.runner import (DEFAULT_CONCURRENCY, DEFAULT_KEEP_FAILURES, Client,
                                   ProgressCallback, run)
from talon_one.models.customer_profile_audience_request_item import (
    CustomerProfileAudienceRequestItem)

__all__ = ['AudienceAttributes', 'Membership', 'add_members', 'add_members_async',
           'remove_members', 'remove_members_async', 'update_attributes',
           'update_attributes_async']

_ID_NAMES = ('integrationId', 'integration_id', 'profileIntegrationId',
             'profile_integration_id')


def _audience_id(value: Any, field: str = 'audience_id') -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError('%s must be a positive integer, got %r' % (field, value))
    return value


class Membership(Operation):
    """Members added to (``action='add'``) or removed from (``'delete'``) one audience."""

    noun = 'member'

    def __init__(self, audience_id: int, action: str, isolate_failures: bool = True) -> None:
        if action not in ('add', 'delete'):
            raise ValueError("action must be 'add' or 'delete', got %r" % (action,))
        self.audience_id = _audience_id(audience_id)
        self.action = action
        self.isolate = isolate_failures
        self.name = 'audiences.add' if action == 'add' else 'audiences.remove'

    def params(self) -> Dict[str, Any]:
        return {'audienceId': self.audience_id}

    def prepare(self, record: object, index: int, line: Optional[int]) -> Item:
        profile_id = id_from(record, _ID_NAMES, 'member')
        model = CustomerProfileAudienceRequestItem(
            action=self.action, profile_integration_id=profile_id, audience_id=self.audience_id)
        return Item(index, line, profile_id, (profile_id,), model)

    def plan(self, items: Sequence[Item]) -> Plan:
        accepted, failures, _ = yield from send_isolating(items, _audiences_call, self.isolate)
        return ChunkResult(len(accepted), failures)


class AudienceAttributes(Operation):
    """``update_audience_customers_attributes`` per record ``{audienceId, attributes}``."""

    name = 'audiences.update_attributes'
    noun = 'audience'
    default_chunk_size = 1

    def prepare(self, record: object, index: int, line: Optional[int]) -> Item:
        mapping = as_dict(record)
        if mapping is None:
            raise RecordInvalid('a record is an object {"audienceId": id, "attributes": {...}}')
        fields: Dict[str, Any] = dict(mapping)
        raw_id = fields.pop('audienceId', fields.pop('audience_id', None))
        attributes = fields.pop('attributes', None)
        if fields:
            raise RecordInvalid('unknown field %r (fields: audienceId, attributes)'
                                % sorted(fields)[0])
        try:
            audience_id = _audience_id(raw_id, 'audienceId')
        except ValueError as exc:
            raise RecordInvalid(str(exc)) from None
        if not isinstance(attributes, dict) or not attributes:
            raise RecordInvalid('attributes must be a non-empty object', str(audience_id))
        return Item(index, line, str(audience_id), ('audience:%d' % audience_id,),
                    (audience_id, attributes))

    def plan(self, items: Sequence[Item]) -> Plan:
        accepted = 0
        failures: List[RecordFailure] = []
        for item in items:
            audience_id, attributes = item.payload
            answer = yield Call('update_audience_customers_attributes', audience_id, attributes)
            if answer.error is None:
                accepted += 1
            else:
                failures.append(failure_of(item, answer.error))
        return ChunkResult(accepted, failures)


def _members(action: str, client: Client, audience_id: int, records: Iterable[object],
             chunk_size: Optional[int], concurrency: int,
             max_calls_per_second: Optional[float], checkpoint: Optional[str],
             progress: Optional[ProgressCallback], total: Optional[int], dry_run: bool,
             isolate_failures: bool, keep_failures: int,
             on_failure: Optional[Callable[[RecordFailure], None]]) -> BulkReport:
    return run(Membership(audience_id, action, isolate_failures), client, records,
               chunk_size=chunk_size, concurrency=concurrency,
               max_calls_per_second=max_calls_per_second, checkpoint=checkpoint,
               progress=progress, total=total, dry_run=dry_run, keep_failures=keep_failures,
               on_failure=on_failure)


def add_members(client: Client, audience_id: int, records: Iterable[object], *,
                chunk_size: Optional[int] = None, concurrency: int = DEFAULT_CONCURRENCY,
                max_calls_per_second: Optional[float] = None,
                checkpoint: Optional[str] = None, progress: Optional[ProgressCallback] = None,
                total: Optional[int] = None, dry_run: bool = False,
                isolate_failures: bool = True, keep_failures: int = DEFAULT_KEEP_FAILURES,
                on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """Add many profiles to audience ``audience_id``. ``records``: profile integration ids,
    or dicts ``{"integrationId": id}``. The profiles must exist."""
    return _members('add', client, audience_id, records, chunk_size, concurrency,
                    max_calls_per_second, checkpoint, progress, total, dry_run,
                    isolate_failures, keep_failures, on_failure)


def remove_members(client: Client, audience_id: int, records: Iterable[object], *,
                   chunk_size: Optional[int] = None, concurrency: int = DEFAULT_CONCURRENCY,
                   max_calls_per_second: Optional[float] = None,
                   checkpoint: Optional[str] = None,
                   progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
                   dry_run: bool = False, isolate_failures: bool = True,
                   keep_failures: int = DEFAULT_KEEP_FAILURES,
                   on_failure: Optional[Callable[[RecordFailure], None]] = None
                   ) -> BulkReport:
    """Take many profiles out of audience ``audience_id`` (as :func:`add_members`)."""
    return _members('delete', client, audience_id, records, chunk_size, concurrency,
                    max_calls_per_second, checkpoint, progress, total, dry_run,
                    isolate_failures, keep_failures, on_failure)


def update_attributes(client: Client, records: Iterable[object], *,
                      concurrency: int = DEFAULT_CONCURRENCY,
                      max_calls_per_second: Optional[float] = None,
                      checkpoint: Optional[str] = None,
                      progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
                      dry_run: bool = False, keep_failures: int = DEFAULT_KEEP_FAILURES,
                      on_failure: Optional[Callable[[RecordFailure], None]] = None
                      ) -> BulkReport:
    """Set attributes on every customer of audiences: records ``{"audienceId": id,
    "attributes": {...}}``, one ``update_audience_customers_attributes`` call each
    (records of one audience are applied one after the other, in order)."""
    return run(AudienceAttributes(), client, records, chunk_size=1, concurrency=concurrency,
               max_calls_per_second=max_calls_per_second, checkpoint=checkpoint,
               progress=progress, total=total, dry_run=dry_run, keep_failures=keep_failures,
               on_failure=on_failure)


async def add_members_async(
        client: AsyncClient, audience_id: int, records: Iterable[object], *,
        chunk_size: Optional[int] = None, concurrency: int = DEFAULT_CONCURRENCY,
        max_calls_per_second: Optional[float] = None, checkpoint: Optional[str] = None,
        progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
        dry_run: bool = False,
        isolate_failures: bool = True, keep_failures: int = DEFAULT_KEEP_FAILURES,
        on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """:func:`add_members` with an asyncio client."""
    return await run_async(
        Membership(audience_id, 'add', isolate_failures), client, records,
        chunk_size=chunk_size, concurrency=concurrency,
        max_calls_per_second=max_calls_per_second, checkpoint=checkpoint,
        progress=progress, total=total, dry_run=dry_run, keep_failures=keep_failures,
        on_failure=on_failure)


async def remove_members_async(
        client: AsyncClient, audience_id: int, records: Iterable[object], *,
        chunk_size: Optional[int] = None, concurrency: int = DEFAULT_CONCURRENCY,
        max_calls_per_second: Optional[float] = None, checkpoint: Optional[str] = None,
        progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
        dry_run: bool = False,
        isolate_failures: bool = True, keep_failures: int = DEFAULT_KEEP_FAILURES,
        on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """:func:`remove_members` with an asyncio client."""
    return await run_async(
        Membership(audience_id, 'delete', isolate_failures), client, records,
        chunk_size=chunk_size, concurrency=concurrency,
        max_calls_per_second=max_calls_per_second, checkpoint=checkpoint,
        progress=progress, total=total, dry_run=dry_run, keep_failures=keep_failures,
        on_failure=on_failure)


async def update_attributes_async(
        client: AsyncClient, records: Iterable[object], *,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_calls_per_second: Optional[float] = None, checkpoint: Optional[str] = None,
        progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
        dry_run: bool = False, keep_failures: int = DEFAULT_KEEP_FAILURES,
        on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """:func:`update_attributes` with an asyncio client."""
    return await run_async(
        AudienceAttributes(), client, records, chunk_size=1, concurrency=concurrency,
        max_calls_per_second=max_calls_per_second, checkpoint=checkpoint,
        progress=progress, total=total, dry_run=dry_run, keep_failures=keep_failures,
        on_failure=on_failure)
