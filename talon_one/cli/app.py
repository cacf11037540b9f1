"""``talon-one``: bulk imports from CSV or JSON Lines files into the Integration API."""

import argparse
import json
import os
import signal
import sys
from typing import IO, Any, Callable, Dict, Iterator, List, Optional, Sequence

__all__ = ['main']

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

_EXAMPLES = {
    'profiles update': (
        'example:\n'
        '  $ cat profiles.csv\n'
        '  integrationId,name,age:number,vip:boolean\n'
        '  URNGV8294NV,Ada,36,true\n'
        '  $ talon-one profiles update profiles.csv --checkpoint profiles.ckpt '
        '--report failures.jsonl\n\n'
        'CSV: the header row names the columns: the id column (--id-column, default '
        'integrationId)\nand attributes; "name:type" converts cells (string, number, integer, '
        'boolean, json);\nan empty cell is not sent. JSON Lines: {"integrationId": ..., '
        '"attributes": {...},\n"audiencesChanges": {"adds": [4], "deletes": []}} per line.'),
    'profiles delete': (
        'example:\n'
        '  $ talon-one profiles delete leavers.csv --missing-ok\n\n'
        'CSV with one column, the ids (header integrationId, or --id-column); or JSON Lines\n'
        '{"integrationId": ...}. Deletes each customer\'s profile, sessions and ledgers.'),
    'catalog sync': (
        'example:\n'
        '  $ cat items.csv\n'
        '  action,sku,price,color\n'
        '  ADD,SKU-1,19.99,red\n'
        '  PATCH,SKU-2,24.50,\n'
        '  REMOVE,SKU-3,,\n'
        '  $ talon-one catalog sync 6 items.csv --version 1\n\n'
        'CSV: action (ADD, PATCH or REMOVE; default ADD), sku (--id-column), price,\n'
        'replaceIfExists (default true), other columns are attributes. JSON Lines: the\n'
        'API\'s actions, {"type": "ADD", "payload": {...}}. Sent in order, one action type\n'
        'per request, one request at a time.'),
    'audience add': (
        'example:\n'
        '  $ talon-one audience add 748 vips.csv\n\n'
        'CSV with one column, the profile ids (header integrationId, or --id-column); or\n'
        'JSON Lines {"integrationId": ...}. The profiles must exist.'),
    'audience remove': (
        'example:\n'
        '  $ talon-one audience remove 748 lapsed.jsonl\n\n'
        'The same files as "audience add".'),
}

_DESCRIPTION = '''Bulk jobs on the Talon.One Integration API from CSV or JSON Lines files.

The host and API key come from --host / --api-key or TALON_ONE_HOST / TALON_ONE_API_KEY
(prefer the variable for the key: arguments show in the process list).'''

_EPILOG = '''examples:
  talon-one profiles update profiles.csv --checkpoint profiles.ckpt --report failures.jsonl
  talon-one profiles delete leavers.csv --missing-ok
  talon-one catalog sync 6 items.csv --version 1
  talon-one audience add 748 vips.csv
  talon-one audience remove 748 lapsed.jsonl --dry-run

exit status: 0 every record accepted, 1 some failed (see --report), 2 usage error,
130 interrupted (run again with the same --checkpoint to go on).
"talon-one COMMAND SUBCOMMAND --help" shows an example of each.'''


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's exit status 2, without a traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, '%s: error: %s\n' % (self.prog, message))


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError('%r is not an integer' % text) from None
    if value < 1:
        raise argparse.ArgumentTypeError('must be >= 1, got %d' % value)
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError('%r is not a number' % text) from None
    if not value > 0:
        raise argparse.ArgumentTypeError('must be > 0, got %s' % text)
    return value


def _common(parser: argparse.ArgumentParser, id_default: str, concurrent: bool = True) -> None:
    parser.add_argument('file', metavar='FILE', help='input: CSV (header row) or JSON Lines')
    group = parser.add_argument_group('input')
    group.add_argument('--format', choices=('csv', 'jsonl'),
                       help='input format (default: by the file name; .jsonl/.ndjson/.json '
                            'are JSON Lines, anything else CSV)')
    group.add_argument('--id-column', default=id_default, metavar='NAME',
                       help='CSV column with the id (default %s)' % id_default)
    run = parser.add_argument_group('run')
    run.add_argument('--host', help='API base URL (default $TALON_ONE_HOST)')
    run.add_argument('--api-key', help='API key (default $TALON_ONE_API_KEY; never printed)')
    run.add_argument('--dry-run', action='store_true',
                     help='check the whole file and report; send nothing')
    if concurrent:          # (a catalog takes one request at a time)
        run.add_argument('--concurrency', type=_positive_int, default=4, metavar='N',
                         help='requests in flight at once (default 4)')
    run.add_argument('--rate', type=_positive_float, metavar='CALLS_PER_S',
                     help='at most this many API calls per second')
    run.add_argument('--chunk-size', type=_positive_int, metavar='N',
                     help='records per request (default: the API\'s most, 1000)')
    run.add_argument('--checkpoint', metavar='FILE',
                     help='record finished chunks here; a rerun with it skips them')
    run.add_argument('--report', metavar='FILE',
                     help='write each record that failed to FILE (JSON Lines)')
    run.add_argument('--no-progress', action='store_true', help='no progress bar or lines')


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog='talon-one', description=_DESCRIPTION, epilog=_EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    from talon_one.version import __version__
    parser.add_argument('--version', action='version', version='talon-one %s' % __version__)
    commands = parser.add_subparsers(dest='command', metavar='COMMAND', parser_class=_Parser)
    commands.required = True

    def sub(group: Any, name: str, full: str, help_text: str) -> argparse.ArgumentParser:
        made: argparse.ArgumentParser = group.add_parser(
            name, help=help_text, description=help_text, epilog=_EXAMPLES[full],
            formatter_class=argparse.RawDescriptionHelpFormatter)
        return made

    profiles = commands.add_parser('profiles', help='customer profiles')
    profile_commands = profiles.add_subparsers(dest='action', metavar='SUBCOMMAND',
                                               parser_class=_Parser)
    profile_commands.required = True
    update = sub(profile_commands, 'update', 'profiles update',
                 'create or update profiles: attributes (and audience changes in JSON Lines)')
    _common(update, 'integrationId')
    delete = sub(profile_commands, 'delete', 'profiles delete',
                 'delete the personal data of customers')
    _common(delete, 'integrationId')
    delete.add_argument('--missing-ok', action='store_true',
                        help='a profile that does not exist (404) counts as done')

    catalog = commands.add_parser('catalog', help='cart item catalogs')
    catalog_commands = catalog.add_subparsers(dest='action', metavar='SUBCOMMAND',
                                              parser_class=_Parser)
    catalog_commands.required = True
    sync = sub(catalog_commands, 'sync', 'catalog sync', 'add, patch and remove catalog items')
    sync.add_argument('catalog_id', metavar='CATALOG_ID', type=_positive_int)
    _common(sync, 'sku', concurrent=False)
    sync.add_argument('--version', dest='catalog_version', type=_positive_int, metavar='N',
                      help='the version the catalog is at: each request is checked against it')

    audience = commands.add_parser('audience', help='audience memberships')
    audience_commands = audience.add_subparsers(dest='action', metavar='SUBCOMMAND',
                                                parser_class=_Parser)
    audience_commands.required = True
    for name, text in (('add', 'add profiles to an audience'),
                       ('remove', 'take profiles out of an audience')):
        member = sub(audience_commands, name, 'audience ' + name, text)
        member.add_argument('audience_id', metavar='AUDIENCE_ID', type=_positive_int)
        _common(member, 'integrationId')
    return parser


def _client(args: argparse.Namespace) -> Any:
    host = args.host or os.environ.get('TALON_ONE_HOST')
    key = args.api_key or os.environ.get('TALON_ONE_API_KEY')
    if not host:
        raise _UsageError('no API host: pass --host URL or set TALON_ONE_HOST')
    if not key:
        raise _UsageError('no API key: set TALON_ONE_API_KEY (or pass --api-key)')
    import talon_one
    configuration = talon_one.Configuration(host=host, api_key={'Authorization': key})
    return talon_one.ApiClient(configuration)


class _UsageError(Exception):
    pass


def _failure_writer(path: Optional[str], say: Callable[[str], None]) -> Any:
    """(write(failure), close(), [failures seen]): to the report file, else the first 20
    through ``say`` (the progress display's ``write``, or stderr)."""
    from talon_one.bulk.report import RecordFailure

    shown: List[int] = [0]
    handle = open(path, 'w', encoding='utf-8') if path else None  # noqa: SIM115 (closed by close())

    def write(failure: RecordFailure) -> None:
        if handle is not None:
            handle.write(json.dumps(failure.to_dict(), ensure_ascii=False) + '\n')
        elif shown[0] < 20:
            say('failed: %s' % failure.describe())
        shown[0] += 1

    def close() -> None:
        if handle is not None:
            handle.close()
    return write, close, shown


def _records(args: argparse.Namespace) -> Iterator[Any]:
    from talon_one.bulk.readers import open_input
    from talon_one.cli import records

    reader = open_input(args.file, args.format)
    if args.command == 'profiles' and args.action == 'update':
        return records.profile_records(reader, args.id_column)
    if args.command == 'catalog':
        return records.catalog_records(reader, args.id_column)
    what = 'a profiles delete' if args.command == 'profiles' else 'an audience'
    return records.id_records(reader, args.id_column, what)


def _run(args: argparse.Namespace, rows: Iterator[Any], client: Any,
         progress: Optional[Callable[[int, Optional[int]], None]], total: Optional[int],
         on_failure: Any) -> Any:
    from talon_one import bulk

    options: Dict[str, Any] = {
        'max_calls_per_second': args.rate, 'checkpoint': args.checkpoint,
        'progress': progress, 'total': total, 'dry_run': args.dry_run,
        'chunk_size': args.chunk_size, 'on_failure': on_failure}
    if args.command == 'profiles':
        if args.action == 'update':
            return bulk.profiles.update(client, rows, concurrency=args.concurrency, **options)
        return bulk.profiles.delete_customer_data(client, rows, concurrency=args.concurrency,
                                                  missing_ok=args.missing_ok, **options)
    if args.command == 'catalog':
        return bulk.catalogs.sync(client, args.catalog_id, rows,
                                  version=args.catalog_version, **options)
    function = bulk.audiences.add_members if args.action == 'add' else (
        bulk.audiences.remove_members)
    return function(client, args.audience_id, rows, concurrency=args.concurrency, **options)


def main(argv: Optional[Sequence[str]] = None, stdout: Optional[IO[str]] = None,
         stderr: Optional[IO[str]] = None) -> int:
    """Run the command; return the exit status."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else EXIT_USAGE
    from talon_one.bulk.checkpoint import CheckpointError
    from talon_one.bulk.progress import terminal
    from talon_one.bulk.readers import InputFileError, count_lines
    from talon_one.bulk.runner import BulkInterrupted

    prog = 'talon-one'
    write_failure, close_failures, shown = None, None, [0]
    client = None
    progress = None
    try:
        rows = _records(args)
        client = _dry_client() if args.dry_run else _client(args)
        total: Optional[int] = None
        if not args.no_progress:
            total = count_lines(args.file)
            if args.format == 'csv' or not args.file.lower().endswith(
                    ('.jsonl', '.ndjson', '.json')):
                total = max(total - 1, 0)
            progress = terminal(err)
        def to_stderr(text: str) -> None:
            err.write(text + '\n')
        say = progress.write if progress is not None else to_stderr
        write_failure, close_failures, shown = _failure_writer(args.report, say)
        report = _run(args, rows, client, progress, total, write_failure)
    except (InputFileError, CheckpointError, _UsageError, ValueError, OSError) as exc:
        if progress is not None:
            progress.close()
        err.write('%s: error: %s\n' % (prog, exc))
        return EXIT_USAGE
    except BulkInterrupted as stop:
        if progress is not None:
            progress.close()
        out.write(stop.report.summary() + '\n')
        err.write('%s: interrupted; run again with the same --checkpoint to go on\n' % prog)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:          # before or after the run: nothing was left half done
        if progress is not None:
            progress.close()
        err.write('%s: interrupted\n' % prog)
        return EXIT_INTERRUPTED
    finally:
        if close_failures is not None:
            close_failures()
        if client is not None:
            client.close()
    if progress is not None:
        progress.close()
    out.write(report.summary() + '\n')
    if report.failures_total:
        if args.report:
            out.write('%d failures written to %s\n' % (report.failures_total, args.report))
        elif shown[0] > 20:
            out.write('... %d more failures (write them all with --report FILE)\n'
                      % (shown[0] - 20))
    return EXIT_OK if report.ok else EXIT_FAILED


def _dry_client() -> Any:
    """The client of a dry run: nothing is sent, so no host or key is needed."""
    import talon_one
    return talon_one.ApiClient(talon_one.Configuration(host='http://dry-run.invalid'))


def run() -> None:
    """The console script's entry point."""
    if hasattr(signal, 'SIGPIPE'):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
