"""Referral codes for many advocates: ``create_referrals_for_multiple_advocates``, up to
1000 advocates per request, every code with the same campaign and settings.

Not idempotent: a request sent again gives its advocates another code each. The client
does not retry a POST that may have reached the server, and a resumed run sends again
only the chunks that were in flight when the earlier run stopped. With a checkpoint, each
request carries an ``Idempotency-Key`` made from the checkpoint and the chunk's advocates,
the same in every run of that checkpoint: a server that keeps keyed answers (the sandbox
does, for 24 hours) answers a chunk sent again with its first answer instead of creating
codes twice, and the client may then retry it like a PUT.
"""

import datetime
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

from talon_one.bulk._ids import id_from
from talon_one.bulk.operation import (Call, ChunkResult, Item, Operation, Plan, build,
                                      send_isolating)
from talon_one.bulk.operation import RecordInvalid
from talon_one.bulk.report import BulkReport, RecordFailure
from talon_one.bulk.aiorunner import AsyncClient, run_async
from talon_one.bulk.runner import (DEFAULT_CONCURRENCY, DEFAULT_KEEP_FAILURES, Client,
                                   ProgressCallback, run)
from talon_one.models.new_referrals_for_multiple_advocates import (
    NewReferralsForMultipleAdvocates)

__all__ = ['Referrals', 'create', 'create_async']

_ID_NAMES = ('advocateProfileIntegrationId', 'advocate_profile_integration_id',
             'integrationId', 'integration_id')


class Referrals(Operation):
    """``create_referrals_for_multiple_advocates`` with the settings given."""

    name = 'referrals.create'
    noun = 'advocate'

    def __init__(self, campaign_id: int, *, start_date: Optional[datetime.datetime] = None,
                 expiry_date: Optional[datetime.datetime] = None,
                 usage_limit: Optional[int] = None,
                 attributes: Optional[Dict[str, Any]] = None,
                 valid_characters: Optional[List[str]] = None,
                 referral_pattern: Optional[str] = None, isolate_failures: bool = True) -> None:
        self.settings: Dict[str, Any] = {
            'campaign_id': campaign_id, 'start_date': start_date, 'expiry_date': expiry_date,
            'usage_limit': usage_limit, 'attributes': attributes,
            'valid_characters': valid_characters, 'referral_pattern': referral_pattern}
        self.settings = {k: v for k, v in self.settings.items() if v is not None}
        try:      # the settings are checked once, before anything is read or sent
            build(NewReferralsForMultipleAdvocates,
                  dict(self.settings, advocate_profile_integration_ids=['advocate']), None)
        except RecordInvalid as exc:
            raise ValueError(exc.message) from None
        self.isolate = isolate_failures

    def params(self) -> Dict[str, Any]:
        return {key: (value.isoformat() if isinstance(value, datetime.datetime) else value)
                for key, value in sorted(self.settings.items())}

    def prepare(self, record: object, index: int, line: Optional[int]) -> Item:
        advocate = id_from(record, _ID_NAMES, 'advocate')
        return Item(index, line, advocate, (advocate,), advocate)

    def plan(self, items: Sequence[Item]) -> Plan:
        def call(part: Sequence[Item]) -> Call:
            body = NewReferralsForMultipleAdvocates(
                advocate_profile_integration_ids=[item.id for item in part], **self.settings)
            key = self.idempotency_key(part)
            if key is None:
                return Call('create_referrals_for_multiple_advocates', body)
            return Call('create_referrals_for_multiple_advocates', body, _idempotency_key=key)

        accepted, failures, _ = yield from send_isolating(items, call, self.isolate)
        return ChunkResult(len(accepted), failures)


def create(client: Client, campaign_id: int, records: Iterable[object], *,
           start_date: Optional[datetime.datetime] = None,
           expiry_date: Optional[datetime.datetime] = None, usage_limit: Optional[int] = None,
           attributes: Optional[Dict[str, Any]] = None,
           valid_characters: Optional[List[str]] = None,
           referral_pattern: Optional[str] = None, chunk_size: Optional[int] = None,
           concurrency: int = DEFAULT_CONCURRENCY, max_calls_per_second: Optional[float] = None,
           checkpoint: Optional[str] = None, progress: Optional[ProgressCallback] = None,
           total: Optional[int] = None, dry_run: bool = False, isolate_failures: bool = True,
           keep_failures: int = DEFAULT_KEEP_FAILURES,
           on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """Create a referral code for each advocate of ``records`` (profile integration ids, or
    dicts ``{"advocateProfileIntegrationId": id}``) in campaign ``campaign_id``."""
    operation = Referrals(campaign_id, start_date=start_date, expiry_date=expiry_date,
                          usage_limit=usage_limit, attributes=attributes,
                          valid_characters=valid_characters, referral_pattern=referral_pattern,
                          isolate_failures=isolate_failures)
    return run(operation, client, records, chunk_size=chunk_size, concurrency=concurrency,
               max_calls_per_second=max_calls_per_second, checkpoint=checkpoint,
               progress=progress, total=total, dry_run=dry_run, keep_failures=keep_failures,
               on_failure=on_failure)


async def create_async(
        client: AsyncClient, campaign_id: int, records: Iterable[object], *,
        start_date: Optional[datetime.datetime] = None,
        expiry_date: Optional[datetime.datetime] = None, usage_limit: Optional[int] = None,
        attributes: Optional[Dict[str, Any]] = None,
        valid_characters: Optional[List[str]] = None,
        referral_pattern: Optional[str] = None, chunk_size: Optional[int] = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_calls_per_second: Optional[float] = None, checkpoint: Optional[str] = None,
        progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
        dry_run: bool = False,
        isolate_failures: bool = True, keep_failures: int = DEFAULT_KEEP_FAILURES,
        on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """:func:`create` with an asyncio client."""
    operation = Referrals(campaign_id, start_date=start_date, expiry_date=expiry_date,
                          usage_limit=usage_limit, attributes=attributes,
                          valid_characters=valid_characters, referral_pattern=referral_pattern,
                          isolate_failures=isolate_failures)
    return await run_async(
        operation, client, records, chunk_size=chunk_size, concurrency=concurrency,
        max_calls_per_second=max_calls_per_second, checkpoint=checkpoint,
        progress=progress, total=total, dry_run=dry_run, keep_failures=keep_failures,
        on_failure=on_failure)
