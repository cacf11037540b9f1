"""Mutation testing, one module at a time: ``python bench/mutation.py [module ...]``.

Each module of ``[tool.mutation_modules]`` (pyproject.toml) is mutated by mutmut against
only the test files listed for it, in a working copy of its own (``bench/.mutation/<name>``,
so runs of different modules do not share mutmut's caches), with one worker process (the
machine is shared). The mutants listed in ``bench/mutation_equivalent.txt`` (a mutant name
and why it changes nothing a caller can see) are counted apart, and the table printed::

    module                               mutants  killed  survived  equivalent  killed %

``killed %`` is killed / (mutants - equivalent); mutants no test reaches count as survived.
``--recheck`` tries the survivors of the previous run again (new tests do not make mutmut
forget a verdict), ``--fresh`` starts over. ``--list`` also prints the names of the
surviving mutants (``mutmut show NAME`` in the module's working copy shows the change).
Exit status 1 when a module is below ``--target``.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from typing import Dict, List, Set, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, 'bench', '.mutation')
EQUIVALENT_FILE = os.path.join(ROOT, 'bench', 'mutation_equivalent.txt')
MUTMUT = os.path.join(os.path.dirname(sys.executable), 'mutmut')
KILLED = {'killed', 'timeout', 'caught by type check', 'segfault'}
NOT_RUN = {'not checked'}   # an interrupted run: counted apart, neither killed nor survived


def load_config() -> Tuple[dict, Dict[str, List[str]]]:
    with open(os.path.join(ROOT, 'pyproject.toml'), 'rb') as handle:
        data = tomllib.load(handle)
    return data['tool']['mutmut'], data['tool']['mutation_modules']


def equivalent_mutants() -> Set[str]:
    """Names from the data file: ``name  why`` per line, ``#`` starts a comment."""
    names = set()
    if os.path.exists(EQUIVALENT_FILE):
        with open(EQUIVALENT_FILE) as handle:
            for line in handle:
                line = line.split('#', 1)[0].strip()
                if line:
                    names.add(line.split()[0])
    return names


def _toml_list(values: List[str]) -> str:
    return '[' + ', '.join('"%s"' % value for value in values) + ']'


def prepare(module: str, tests: List[str], base: dict) -> str:
    """A working copy for ``module``: the package, the tests, and a pyproject of its own."""
    name = module.replace('/', '.').rsplit('.py', 1)[0]
    work = os.path.join(WORK, name)
    os.makedirs(work, exist_ok=True)
    for folder in ('talon_one', 'test'):
        target = os.path.join(work, folder)
        if os.path.exists(target):
            shutil.rmtree(target)
        shutil.copytree(os.path.join(ROOT, folder), target,
                        ignore=shutil.ignore_patterns('__pycache__', '*.sqlite3'))
    for filename in ('setup.py', 'tox.ini'):
        shutil.copy(os.path.join(ROOT, filename), work)
    settings = [
        '[tool.mutmut]',
        'source_paths = ["talon_one"]',
        'only_mutate = %s' % _toml_list([module]),
        'also_copy = ["tox.ini", "setup.py"]',
        'pytest_add_cli_args = %s' % _toml_list(base.get('pytest_add_cli_args', [])),
        'pytest_add_cli_args_test_selection = %s' % _toml_list(tests),
        'timeout_multiplier = %r' % float(base.get('timeout_multiplier', 15.0)),
        # a copy, not a checkout: nothing to learn from git about what changed
        'use_git_change_detection = false',
    ]
    with open(os.path.join(work, 'pyproject.toml'), 'w') as handle:
        handle.write('\n'.join(settings) + '\n')
    return work


def _mutmut(work: str, *args: str) -> str:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE='1')
    env.pop('PYTHONPATH', None)
    run = subprocess.run([MUTMUT, *args], cwd=work, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stdout[-4000:])
        raise SystemExit('mutmut %s failed in %s (exit %d)' % (args[0], work, run.returncode))
    return run.stdout


def _statuses(work: str) -> Dict[str, str]:
    statuses = {}
    for line in _mutmut(work, 'results', '--all', 'true').splitlines():
        match = re.match(r'\s+(\S+): (.+)$', line)
        if match:
            statuses[match.group(1)] = match.group(2).strip()
    return statuses


def run_module(module: str, tests: List[str], base: dict, fresh: bool,
               recheck: bool, report_only: bool = False) -> Dict[str, str]:
    """mutant name -> status, for every mutant of ``module``."""
    if report_only:     # the verdicts of the last run, as they are (nothing is run)
        work = os.path.join(WORK, module.replace('/', '.').rsplit('.py', 1)[0])
        return _statuses(work) if os.path.exists(os.path.join(work, 'mutants')) else {}
    work = prepare(module, tests, base)
    if fresh and os.path.exists(os.path.join(work, 'mutants')):
        shutil.rmtree(os.path.join(work, 'mutants'))
    before = _statuses(work) if recheck and os.path.exists(os.path.join(work, 'mutants')) else {}
    _mutmut(work, 'run', '--max-children', '1')
    # mutmut keeps a verdict until the mutated function changes; after new tests, the
    # survivors of an earlier run are tried again (the killed stay killed: tests only add).
    again = [name for name, status in before.items() if status not in KILLED]
    if again:
        _mutmut(work, 'run', '--max-children', '1', *again)
    return _statuses(work)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('modules', nargs='*', help='paths as in [tool.mutation_modules] '
                        '(default: all), or a part of one (e.g. _retry)')
    parser.add_argument('--list', action='store_true', help='print the surviving mutants')
    parser.add_argument('--fresh', action='store_true', help="forget mutmut's cached results")
    parser.add_argument('--recheck', action='store_true',
                        help='try the survivors of the last run again (after adding tests)')
    parser.add_argument('--report', action='store_true',
                        help='print the table of the last runs, running nothing')
    parser.add_argument('--target', type=float, default=90.0, help='killed %% each module needs')
    args = parser.parse_args(argv)
    base, modules = load_config()
    chosen = [m for m in modules if not args.modules or any(part in m for part in args.modules)]
    equivalent = equivalent_mutants()
    rows = []
    survivors: List[str] = []
    failed: List[str] = []
    for module in chosen:
        try:
            statuses = run_module(module, modules[module], base, args.fresh, args.recheck,
                                  args.report)
        except SystemExit as failure:   # one module's failure (a test failing in the clean
            print(failure, file=sys.stderr)  # run, say) does not stop the others
            failed.append(module)
            continue
        not_run = sum(1 for status in statuses.values() if status in NOT_RUN)
        statuses = {name: status for name, status in statuses.items() if status not in NOT_RUN}
        killed = sum(1 for status in statuses.values() if status in KILLED)
        equal = sum(1 for name, status in statuses.items()
                    if name in equivalent and status not in KILLED)
        survived = len(statuses) - killed - equal
        survivors += ['%s  (%s)' % (name, status) for name, status in sorted(statuses.items())
                      if status not in KILLED and name not in equivalent]
        judged = len(statuses) - equal
        percent = 100.0 * killed / judged if judged else 100.0
        rows.append((module, len(statuses), killed, survived, equal, percent, not_run))
        print('%-40s done: %d mutants, %.1f%% killed' % (module, len(statuses), percent),
              file=sys.stderr, flush=True)
    print('%-40s %8s %7s %9s %11s %9s' % ('module', 'mutants', 'killed', 'survived',
                                          'equivalent', 'killed %'))
    for module, total, killed, survived, equal, percent, not_run in rows:
        if total == 0 and not not_run:
            print('%-40s %8s' % (module, 'not run'))
            continue
        print('%-40s %8d %7d %9d %11d %8.1f%%%s' % (
            module, total, killed, survived, equal, percent,
            '  (%d not run yet)' % not_run if not_run else ''))
    for module in failed:
        print('%-40s %8s' % (module, 'failed'))
    if args.list and survivors:
        print('\nsurviving mutants:')
        print('\n'.join('  ' + line for line in survivors))
    return 0 if not failed and all(row[5] >= args.target and row[1] for row in rows) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
