"""Bulk jobs on the Integration API: many records, the API's chunks, in parallel, resumable.

Each function takes a client (an ``IntegrationApi`` or an ``ApiClient``) and any iterable
of records (dicts or models; it is read lazily, so a generator over a huge file takes the
memory of a few chunks), cuts it into the API's chunks, sends them, and returns a
:class:`BulkReport`:

=======================================  ==================================================
``profiles.update``                      attributes and audience changes of many profiles
``profiles.delete_customer_data``        delete many customers' personal data
``profiles.update_audiences``            ``update_customer_profile_audiences`` changes
``catalogs.sync``                        catalog items: add, patch, remove (in order)
``audiences.add_members`` / ``remove_members``  memberships of one audience
``audiences.update_attributes``          attributes of every customer of audiences
``referrals.create``                     a referral code for each of many advocates
=======================================  ==================================================

Options they share (keywords):

- ``chunk_size``: records per request (default and most: 1000, the API's limit);
- ``concurrency``: requests in flight at once (default 4; threads). A chunk with a profile
  (an id) in common with a chunk in flight waits for it, so one profile's changes are
  never sent in parallel and arrive in input order. Catalog syncs go one at a time;
- ``max_calls_per_second``: a pace for the calls (None: as fast as the API answers);
- ``checkpoint``: a file recording each finished chunk (see "Resuming" below);
- ``progress``: ``callable(done, total)``, called on the calling thread as chunks finish
  (``talon_one.bulk.progress.terminal()`` draws a bar); ``total`` is passed along;
- ``dry_run``: check every record, send nothing;
- ``isolate_failures``: when the API refuses a chunk as a whole (400, 404, 413, 422), send
  each half again to find the records at fault (default True);
- ``keep_failures``: the most failures kept in the report (all are counted);
  ``on_failure``: called with each failure as it is known.

Each call goes through the client, with its retry policy (retries of transient failures;
``update_customer_profile_audiences``, an idempotent POST, is retried like a PUT).
Records that break the API's rules are reported (``stage='validation'``) and not sent;
they do not stop the others.

Resuming: with ``checkpoint='import.ckpt'``, each finished chunk is appended to the file
(one line, fsync'd before the next step). Running again with the same input, operation and
checkpoint skips the chunks recorded there (reported as ``skipped``, with their failures
marked ``earlier``) and sends the rest. A chunk is recorded once every record of it was
accepted or refused for good; a chunk that met a transient failure (no answer, 429, 5xx
after the client's retries) is not, so a rerun sends it again. If the process is killed,
only the chunks in flight (at most ``concurrency``) can be sent twice: for profile
attributes, audience changes, customer data deletion (with ``missing_ok``) and catalog
ADD (with ``replaceIfExists``) / PATCH that is harmless, since sending them again leaves
the same state. It is not, by itself, for referrals (the advocates of that chunk may get a
second code), for catalog REMOVE (a 404 for an item already removed), nor under the
catalog's ``version`` check (refused: the version moved on). For those, with a checkpoint,
each request carries an ``Idempotency-Key`` derived from the checkpoint and the chunk (the
same in every run of it): a server that keeps keyed answers (the sandbox, on every write)
answers a resent chunk with its first answer instead of doing it again.

The pieces (one job each): ``readers`` (CSV and JSON Lines, streaming), ``chunking``,
``checkpoint``, ``ratelimit``, ``progress``, ``report``, ``runner`` (the thread runner), and a
module per domain (``profiles``, ``catalogs``, ``audiences``, ``referrals``) whose operations
are free of I/O (``operation``): each plans a chunk's calls as a generator of
``Call(method, args)`` values and reads their answers. The thread runner makes those calls
with the sync client; the asyncio runner (``aiorunner``) makes the same calls with ``await``
on an ``AsyncIntegrationApi``, with the same chunking, checkpoints, pace and reports.

asyncio: each function has an ``async def`` twin named with ``_async`` (``profiles.update_async``,
``catalogs.sync_async``...) taking an ``AsyncIntegrationApi`` or an ``AsyncApiClient``, the
same records (a sync iterable) and options, and returning the same report; ``concurrency``
is then the number of tasks. Cancelled, a run finishes its chunks in flight (recording them
in the checkpoint), then lets the ``CancelledError`` through. Importing ``talon_one.bulk``
does not import aiohttp.
"""

from talon_one.bulk import audiences, catalogs, profiles, referrals
from talon_one.bulk.checkpoint import CheckpointError
from talon_one.bulk.readers import CsvReader, InputFileError, JsonLinesReader, Row, open_input
from talon_one.bulk.report import BulkReport, RecordFailure
from talon_one.bulk.runner import BulkInterrupted

__all__ = ['BulkInterrupted', 'BulkReport', 'CheckpointError', 'CsvReader', 'InputFileError',
           'JsonLinesReader', 'RecordFailure', 'Row', 'audiences', 'catalogs', 'open_input',
           'profiles', 'referrals']
