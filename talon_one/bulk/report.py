"""What a bulk run did: :class:`RecordFailure` per record that was not accepted, and
:class:`BulkReport` with the counts, the calls made and the time it took."""

import json
from typing import IO, Any, Dict, List, Optional

__all__ = ['BulkReport', 'RecordFailure', 'STAGE_API', 'STAGE_INPUT', 'STAGE_VALIDATION']

#: Where a failure happened: the input could not be read (a broken CSV row, a byte that is
#: not UTF-8, a JSON line that does not parse), the record broke a rule of the API (checked
#: before anything is sent), or the API refused it (or could not be reached).
STAGE_INPUT = 'input'
STAGE_VALIDATION = 'validation'
STAGE_API = 'api'


class RecordFailure(object):
    """One record that was not accepted.

    ``index``: its position in the input (0-based; for a file, data rows and lines in the
    order read); ``line``: its line in the file, when it came from one; ``id``: the id the
    record names (profile, SKU, advocate...), when it has one; ``status``: the HTTP status
    of the API's answer (``0``: no answer, e.g. a connection error; ``None``: not sent);
    ``message``: what went wrong; ``stage``: ``'input'``, ``'validation'`` or ``'api'``;
    ``earlier``: reported by an earlier run of the same checkpoint.
    """

    __slots__ = ('index', 'line', 'id', 'status', 'message', 'stage', 'earlier')

    def __init__(self, index: int, id: Optional[str], status: Optional[int], message: str,
                 stage: str = STAGE_API, line: Optional[int] = None,
                 earlier: bool = False) -> None:
        self.index = index
        self.line = line
        self.id = id
        self.status = status
        self.message = message
        self.stage = stage
        self.earlier = earlier

    def to_dict(self) -> Dict[str, Any]:
        data: Dict[str, Any] = {'index': self.index, 'id': self.id, 'status': self.status,
                                'message': self.message, 'stage': self.stage}
        if self.line is not None:
            data['line'] = self.line
        if self.earlier:
            data['earlier'] = True
        return data

    @classmethod
    def from_dict(cls, data: Dict[str, Any], earlier: bool = False) -> 'RecordFailure':
        return cls(int(data['index']), data.get('id'), data.get('status'),
                   str(data.get('message', '')), str(data.get('stage', STAGE_API)),
                   data.get('line'), earlier or bool(data.get('earlier')))

    def describe(self) -> str:
        """One line: ``line 7 (id p-7): (400) Bad Request: ...``."""
        where = 'line %d' % self.line if self.line is not None else 'record %d' % self.index
        who = ' (id %s)' % self.id if self.id is not None else ''
        status = '(%d) ' % self.status if self.status is not None else ''
        return '%s%s: %s%s' % (where, who, status, self.message)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RecordFailure) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.index, self.id, self.status, self.message))

    def __repr__(self) -> str:
        return 'RecordFailure(%s)' % ', '.join('%s=%r' % item for item in self.to_dict().items())


class BulkReport(object):
    """The outcome of a bulk run.

    - ``records``: records read from the input (valid or not);
    - ``sent``: records sent in this run; ``accepted``: of those, the ones the API accepted;
    - ``invalid``: records reported without being sent (input or validation failures);
    - ``skipped``: records of chunks an earlier run of the same checkpoint finished (not
      sent again); ``accepted_earlier``: of those, the ones that run saw accepted;
    - ``failures``: a :class:`RecordFailure` per record not accepted, in input order per
      chunk (at most ``keep_failures`` of them are kept; ``failures_total`` counts all);
    - ``calls``: API calls made; ``chunks``: chunks sent; ``elapsed``: seconds;
    - ``dry_run``: nothing was sent; ``interrupted``: the run was stopped (Ctrl-C) before
      the end of the input; ``stopped``: why the run gave up early, if it did (e.g. the
      catalog's version moved on).
    """

    def __init__(self, operation: str) -> None:
        self.operation = operation
        self.records = 0
        self.sent = 0
        self.accepted = 0
        self.invalid = 0
        self.skipped = 0
        self.accepted_earlier = 0
        self.failures: List[RecordFailure] = []
        self.failures_total = 0
        self.calls = 0
        self.chunks = 0
        self.elapsed = 0.0
        self.dry_run = False
        self.interrupted = False
        self.stopped: Optional[str] = None

    @property
    def ok(self) -> bool:
        """True when every record read was accepted (in this run or an earlier one)."""
        return (self.failures_total == 0 and not self.interrupted and self.stopped is None)

    def to_dict(self) -> Dict[str, Any]:
        return {'operation': self.operation, 'records': self.records, 'sent': self.sent,
                'accepted': self.accepted, 'invalid': self.invalid, 'skipped': self.skipped,
                'acceptedEarlier': self.accepted_earlier, 'failed': self.failures_total,
                'calls': self.calls, 'chunks': self.chunks,
                'elapsedSeconds': round(self.elapsed, 3), 'dryRun': self.dry_run,
                'interrupted': self.interrupted, 'stopped': self.stopped}

    def summary(self) -> str:
        """A few lines for people: the counts, then how the run ended."""
        rate = self.sent / self.elapsed if self.elapsed > 0 else 0.0
        lines = ['%s: %d records read, %d sent, %d accepted, %d failed (%d invalid, not sent)'
                 % (self.operation, self.records, self.sent, self.accepted,
                    self.failures_total, self.invalid)]
        if self.skipped:
            lines.append('%d records skipped: done by an earlier run (%d accepted then)'
                         % (self.skipped, self.accepted_earlier))
        if not self.dry_run:
            lines.append('%d calls, %d chunks in %.2f s (%.0f records/s)'
                         % (self.calls, self.chunks, self.elapsed, rate))
        if self.dry_run:
            lines.append('dry run: nothing was sent; %d valid records would go in %d requests'
                         % (self.records - self.invalid, self.chunks))
        if self.stopped:
            lines.append('stopped: %s' % self.stopped)
        if self.interrupted:
            lines.append('interrupted before the end of the input')
        return '\n'.join(lines)

    def write_failures(self, stream: IO[str]) -> int:
        """Write the kept failures as JSON Lines; return how many were written."""
        for failure in self.failures:
            stream.write(json.dumps(failure.to_dict(), ensure_ascii=False) + '\n')
        return len(self.failures)

    def __repr__(self) -> str:
        return 'BulkReport(%s)' % ', '.join('%s=%r' % item for item in self.to_dict().items())
