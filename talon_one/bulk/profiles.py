"""Customer profiles in bulk: attributes and audience changes, customer data deletion, and
audience memberships of many profiles.

- :func:`update`: ``update_customer_profiles_v2`` (up to 1000 profiles per request), then,
  for the records that change audiences, ``update_customer_profile_audiences``;
- :func:`delete_customer_data`: ``delete_customer_data`` per id;
- :func:`update_audiences`: ``update_customer_profile_audiences`` (up to 1000 changes per
  request).
"""

from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from talon_one.bulk._json import as_list
from talon_one.bulk._ids import id_from, require_id
from talon_one.bulk.operation import (Call, ChunkResult, Item, Operation, Plan, RecordInvalid,
                                      as_dict, build, failure_of, fields_of, send_isolating)
from talon_one.bulk.report import BulkReport, RecordFailure
from talon_one.bulk.aiorunner import AsyncClient, run_async
from talon_one.bulk.runner import (DEFAULT_CONCURRENCY, DEFAULT_KEEP_FAILURES, Client,
                                   ProgressCallback, run)
from talon_one.exceptions import ApiException
from talon_one.models.customer_profile_audience_request import CustomerProfileAudienceRequest
from talon_one.models.customer_profile_audience_request_item import (
    CustomerProfileAudienceRequestItem)
from talon_one.models.multiple_customer_profile_integration_request import (
    MultipleCustomerProfileIntegrationRequest)
from talon_one.models.multiple_customer_profile_integration_request_item import (
    MultipleCustomerProfileIntegrationRequestItem)

__all__ = ['AudienceChanges', 'DeleteCustomerData', 'ProfileUpdate', 'delete_customer_data',
           'delete_customer_data_async', 'update', 'update_async', 'update_audiences',
           'update_audiences_async']

_ProfileItem = MultipleCustomerProfileIntegrationRequestItem
_AudienceItem = CustomerProfileAudienceRequestItem
_MAX_AUDIENCE_ITEMS = 1000
_CHANGES = ('audiencesChanges', 'audiences_changes')


def _audience_ids(value: Any, field: str) -> List[int]:
    values = as_list(value)
    if values is None:
        raise RecordInvalid('%s must be a list of audience ids' % field)
    ids: List[int] = []
    for position, one in enumerate(values):
        if isinstance(one, bool) or not isinstance(one, int):
            raise RecordInvalid('%s[%d] must be an integer audience id, got %r'
                                % (field, position, one))
        ids.append(one)
    return ids


_FAST_KEYS = frozenset(('integrationId', 'attributes'))


def _fast_profile(record: object) -> Optional[Dict[str, Any]]:
    """The common record, ``{"integrationId": str, "attributes": dict}`` in the API's names,
    checked by hand (the same rules as the model's, a few times faster) and sent as it is;
    None for anything else (models, other names, audience changes, mistakes), which takes
    the general path."""
    if type(record) is not dict:
        return None
    mapping: Dict[str, Any] = record  # pyright: ignore[reportUnknownVariableType]
    if not mapping.keys() <= _FAST_KEYS:
        return None
    profile_id = mapping.get('integrationId')
    if type(profile_id) is not str or not 0 < len(profile_id) <= 1000:
        return None
    attributes = mapping.get('attributes')
    if attributes is not None and type(attributes) is not dict:
        return None
    return mapping


class ProfileUpdate(Operation):
    """``update_customer_profiles_v2`` and the audience changes of the records."""

    name = 'profiles.update'
    noun = 'profile'

    def __init__(self, isolate_failures: bool = True) -> None:
        self.isolate = isolate_failures

    def prepare(self, record: object, index: int, line: Optional[int]) -> Item:
        fast = _fast_profile(record)
        if fast is not None:
            return Item(index, line, fast['integrationId'], (fast['integrationId'],),
                        (fast, None))
        changes: Optional[Tuple[List[int], List[int]]] = None
        mapping = as_dict(record)
        if mapping is not None:
            found = [key for key in _CHANGES if key in mapping]
            if found:
                copy = dict(mapping)
                changes = self._changes(copy.pop(found[0]))
                record = copy
        fields = fields_of(record, _ProfileItem, 'a profile')
        profile_id = require_id(fields.get('integration_id'), 'integrationId')
        attributes = fields.get('attributes')
        if attributes is not None and not isinstance(attributes, dict):
            raise RecordInvalid('attributes must be an object', profile_id)
        model = build(_ProfileItem, fields, profile_id)
        return Item(index, line, profile_id, (profile_id,), (model, changes))

    @staticmethod
    def _changes(raw: Any) -> Optional[Tuple[List[int], List[int]]]:
        if raw is None:
            return None
        changes = as_dict(raw)
        if changes is None:
            raise RecordInvalid('audiencesChanges must be an object {"adds": [...], '
                                '"deletes": [...]}')
        unknown = sorted(str(k) for k in changes if k not in ('adds', 'deletes'))
        if unknown:
            raise RecordInvalid('audiencesChanges: unknown field %r (fields: adds, deletes)'
                                % unknown[0])
        adds = _audience_ids(changes.get('adds') or [], 'audiencesChanges.adds')
        deletes = _audience_ids(changes.get('deletes') or [], 'audiencesChanges.deletes')
        return (adds, deletes) if adds or deletes else None

    def plan(self, items: Sequence[Item]) -> Plan:
        def profiles_call(part: Sequence[Item]) -> Call:
            body = MultipleCustomerProfileIntegrationRequest(
                customer_profiles=[item.payload[0] for item in part])
            return Call('update_customer_profiles_v2', body)

        accepted, failures, _ = yield from send_isolating(items, profiles_call, self.isolate)
        changing = [item for item in accepted if item.payload[1] is not None]
        if changing:
            done = len(accepted) - len(changing)
            for group in _audience_groups(changing):
                ok, failed, _ = yield from send_isolating(group, _audiences_call, self.isolate)
                done += len(ok)
                failures.extend(failed)
            return ChunkResult(done, sorted(failures, key=_by_index))
        return ChunkResult(len(accepted), failures)


def _by_index(failure: RecordFailure) -> int:
    return failure.index


def _audience_items(item: Item) -> List[_AudienceItem]:
    adds, deletes = item.payload[1]
    return ([_AudienceItem(action='add', profile_integration_id=item.id, audience_id=a)
             for a in adds] +
            [_AudienceItem(action='delete', profile_integration_id=item.id, audience_id=d)
             for d in deletes])


def _audiences_call(part: Sequence[Item]) -> Call:
    data: List[_AudienceItem] = []
    for item in part:
        data.extend(_audience_items(item) if isinstance(item.payload, tuple) else [item.payload])
    # An idempotent change: it may be retried like a PUT.
    return Call('update_customer_profile_audiences', CustomerProfileAudienceRequest(data=data),
                _retry_non_idempotent=True)


def _audience_groups(items: Sequence[Item]) -> List[List[Item]]:
    """The items in groups of at most 1000 membership changes."""
    groups: List[List[Item]] = []
    current: List[Item] = []
    size = 0
    for item in items:
        adds, deletes = item.payload[1]
        count = len(adds) + len(deletes)
        if current and size + count > _MAX_AUDIENCE_ITEMS:
            groups.append(current)
            current, size = [], 0
        current.append(item)
        size += count
    if current:
        groups.append(current)
    return groups


class DeleteCustomerData(Operation):
    """``delete_customer_data`` for each id of a chunk, one call each."""

    name = 'profiles.delete'
    noun = 'profile'
    default_chunk_size = 50

    def __init__(self, missing_ok: bool = False) -> None:
        self.missing_ok = missing_ok

    def params(self) -> Dict[str, Any]:
        return {'missingOk': self.missing_ok}

    def prepare(self, record: object, index: int, line: Optional[int]) -> Item:
        profile_id = id_from(record, ('integrationId', 'integration_id'), 'profile')
        return Item(index, line, profile_id, (profile_id,), profile_id)

    def plan(self, items: Sequence[Item]) -> Plan:
        accepted = 0
        failures: List[RecordFailure] = []
        for item in items:
            answer = yield Call('delete_customer_data', item.id)
            error = answer.error
            if error is None or (self.missing_ok and isinstance(error, ApiException)
                                 and error.status == 404):
                accepted += 1
            else:
                failures.append(failure_of(item, error))
        return ChunkResult(accepted, failures)


class AudienceChanges(Operation):
    """``update_customer_profile_audiences``: records ``{profileIntegrationId, audienceId,
    action}`` (``action`` ``'add'`` or ``'delete'``)."""

    name = 'profiles.update_audiences'
    noun = 'membership change'

    def __init__(self, isolate_failures: bool = True) -> None:
        self.isolate = isolate_failures

    def prepare(self, record: object, index: int, line: Optional[int]) -> Item:
        fields = fields_of(record, _AudienceItem, 'a membership change')
        profile_id = require_id(fields.get('profile_integration_id'), 'profileIntegrationId')
        model = build(_AudienceItem, fields, profile_id)
        return Item(index, line, profile_id, (profile_id,), model)

    def plan(self, items: Sequence[Item]) -> Plan:
        accepted, failures, _ = yield from send_isolating(items, _audiences_call, self.isolate)
        return ChunkResult(len(accepted), failures)


def update(client: Client, records: Iterable[object], *, chunk_size: Optional[int] = None,
           concurrency: int = DEFAULT_CONCURRENCY, max_calls_per_second: Optional[float] = None,
           checkpoint: Optional[str] = None, progress: Optional[ProgressCallback] = None,
           total: Optional[int] = None, dry_run: bool = False, isolate_failures: bool = True,
           keep_failures: int = DEFAULT_KEEP_FAILURES,
           on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """Create or update many customer profiles: their attributes, and audience changes.

    ``records``: dicts ``{"integrationId": ..., "attributes": {...}, "audiencesChanges":
    {"adds": [audience ids], "deletes": [...]}}`` (attribute names ``integration_id``...
    work too), or ``MultipleCustomerProfileIntegrationRequestItem`` models. Up to 1000
    profiles go in one ``update_customer_profiles_v2`` call; the audience changes of the
    profiles it accepted follow in ``update_customer_profile_audiences`` calls. See
    ``talon_one.bulk`` for the options.
    """
    return run(ProfileUpdate(isolate_failures), client, records, chunk_size=chunk_size,
               concurrency=concurrency, max_calls_per_second=max_calls_per_second,
               checkpoint=checkpoint, progress=progress, total=total, dry_run=dry_run,
               keep_failures=keep_failures, on_failure=on_failure)


def delete_customer_data(client: Client, records: Iterable[object], *,
                         chunk_size: Optional[int] = None,
                         concurrency: int = DEFAULT_CONCURRENCY,
                         max_calls_per_second: Optional[float] = None,
                         checkpoint: Optional[str] = None,
                         progress: Optional[ProgressCallback] = None,
                         total: Optional[int] = None, dry_run: bool = False,
                         missing_ok: bool = False,
                         keep_failures: int = DEFAULT_KEEP_FAILURES,
                         on_failure: Optional[Callable[[RecordFailure], None]] = None
                         ) -> BulkReport:
    """Delete the personal data of many customers (``delete_customer_data``, one call per
    id). ``records``: ids, or dicts ``{"integrationId": id}``. ``missing_ok``: a profile
    that does not exist (404) counts as accepted. ``chunk_size`` (default 50) is the number
    of ids per checkpoint entry; each chunk's calls are made one after the other."""
    operation = DeleteCustomerData(missing_ok)
    return run(operation, client, records,
               chunk_size=operation.default_chunk_size if chunk_size is None else chunk_size,
               concurrency=concurrency, max_calls_per_second=max_calls_per_second,
               checkpoint=checkpoint, progress=progress, total=total, dry_run=dry_run,
               keep_failures=keep_failures, on_failure=on_failure)


def update_audiences(client: Client, records: Iterable[object], *,
                     chunk_size: Optional[int] = None, concurrency: int = DEFAULT_CONCURRENCY,
                     max_calls_per_second: Optional[float] = None,
                     checkpoint: Optional[str] = None,
                     progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
                     dry_run: bool = False, isolate_failures: bool = True,
                     keep_failures: int = DEFAULT_KEEP_FAILURES,
                     on_failure: Optional[Callable[[RecordFailure], None]] = None
                     ) -> BulkReport:
    """Add profiles to audiences and take them out (``update_customer_profile_audiences``,
    up to 1000 changes per call). ``records``: dicts ``{"profileIntegrationId": ...,
    "audienceId": ..., "action": "add" | "delete"}`` or
    ``CustomerProfileAudienceRequestItem`` models."""
    return run(AudienceChanges(isolate_failures), client, records, chunk_size=chunk_size,
               concurrency=concurrency, max_calls_per_second=max_calls_per_second,
               checkpoint=checkpoint, progress=progress, total=total, dry_run=dry_run,
               keep_failures=keep_failures, on_failure=on_failure)


async def update_async(
        client: AsyncClient, records: Iterable[object], *, chunk_size: Optional[int] = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_calls_per_second: Optional[float] = None, checkpoint: Optional[str] = None,
        progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
        dry_run: bool = False,
        isolate_failures: bool = True, keep_failures: int = DEFAULT_KEEP_FAILURES,
        on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """:func:`update` with an asyncio client (``AsyncIntegrationApi`` or ``AsyncApiClient``):
    ``concurrency`` tasks, the same chunks, checkpoint and report."""
    return await run_async(
        ProfileUpdate(isolate_failures), client, records, chunk_size=chunk_size,
        concurrency=concurrency, max_calls_per_second=max_calls_per_second, checkpoint=checkpoint,
        progress=progress, total=total, dry_run=dry_run, keep_failures=keep_failures,
        on_failure=on_failure)


async def delete_customer_data_async(
        client: AsyncClient, records: Iterable[object], *, chunk_size: Optional[int] = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_calls_per_second: Optional[float] = None, checkpoint: Optional[str] = None,
        progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
        dry_run: bool = False,
        missing_ok: bool = False, keep_failures: int = DEFAULT_KEEP_FAILURES,
        on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """:func:`delete_customer_data` with an asyncio client."""
    operation = DeleteCustomerData(missing_ok)
    return await run_async(
        operation, client, records,
        chunk_size=operation.default_chunk_size if chunk_size is None else chunk_size,
        concurrency=concurrency, max_calls_per_second=max_calls_per_second, checkpoint=checkpoint,
        progress=progress, total=total, dry_run=dry_run, keep_failures=keep_failures,
        on_failure=on_failure)


async def update_audiences_async(
        client: AsyncClient, records: Iterable[object], *, chunk_size: Optional[int] = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_calls_per_second: Optional[float] = None, checkpoint: Optional[str] = None,
        progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
        dry_run: bool = False,
        isolate_failures: bool = True, keep_failures: int = DEFAULT_KEEP_FAILURES,
        on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """:func:`update_audiences` with an asyncio client."""
    return await run_async(
        AudienceChanges(isolate_failures), client, records, chunk_size=chunk_size,
        concurrency=concurrency, max_calls_per_second=max_calls_per_second, checkpoint=checkpoint,
        progress=progress, total=total, dry_run=dry_run, keep_failures=keep_failures,
        on_failure=on_failure)
