"""Types are part of the product: user code checks under mypy --strict and pyright strict.

- every program in test/typing/ok/ type-checks with zero errors under both checkers;
- every program in test/typing/misuse/ is rejected by both, on the line marked
  ``# expect-error`` and nowhere else;
- the SDK itself (without the sandbox) passes ``mypy --strict`` and pyright strict (the
  repository's ``pyrightconfig.json``); so does the sandbox (``pyrightconfig.sandbox.json``).

The checkers read the SDK from this working tree (MYPYPATH / pyright's extraPaths), so the
test checks the code under test, not an installed copy.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(REPO_ROOT, 'test', 'typing')
OK_DIR = os.path.join(CORPUS, 'ok')
MISUSE_DIR = os.path.join(CORPUS, 'misuse')
CHECK_TIMEOUT = 600  # a guard against a hung checker, not a speed check

MISUSE = sorted(name for name in os.listdir(MISUSE_DIR) if name.endswith('.py'))


def _python_files(folder):
    return sorted(os.path.join(folder, name) for name in os.listdir(folder)
                  if name.endswith('.py'))


def _run(args, cwd=REPO_ROOT, env=None):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=CHECK_TIMEOUT)


def _mypy(paths):
    """{(file name, line)} of the errors ``mypy --strict`` reports for ``paths``."""
    env = dict(os.environ, MYPYPATH=REPO_ROOT)
    result = _run([sys.executable, '-m', 'mypy', '--strict', '--no-error-summary',
                   '--cache-dir', os.path.join(REPO_ROOT, '.mypy_cache')] + paths, env=env)
    errors = set()
    for line in result.stdout.splitlines():
        match = re.match(r'(.+?):(\d+): error:', line)
        if match:
            errors.add((os.path.basename(match.group(1)), int(match.group(2))))
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return errors, result.stdout


def _pyright_command():
    found = shutil.which('pyright', path=os.path.dirname(sys.executable)) or \
        shutil.which('pyright')
    if found is None:
        pytest.skip('pyright is not installed (it comes with test-requirements.txt)')
    probe = _run([found, '--version'])
    if probe.returncode != 0:
        pytest.skip('pyright cannot start here (it needs Node.js or network access to fetch '
                    'it on first use): %s' % (probe.stderr or probe.stdout).strip()[:300])
    return found


def _pyright(paths):
    """{(file name, line)} of the errors pyright (strict, via test/typing) reports."""
    result = _run([_pyright_command(), '--outputjson', '-p',
                   os.path.join(CORPUS, 'pyrightconfig.json')] + paths, cwd=CORPUS)
    report = json.loads(result.stdout)
    errors = set()
    for item in report['generalDiagnostics']:
        if item['severity'] == 'error':
            errors.add((os.path.basename(item['file']), item['range']['start']['line'] + 1))
    messages = '\n'.join('%s:%d %s' % (os.path.basename(i['file']),
                                       i['range']['start']['line'] + 1, i['message'])
                         for i in report['generalDiagnostics'])
    return errors, messages


def _marked_lines(path):
    with open(path, encoding='utf-8') as handle:
        return {number for number, line in enumerate(handle, 1) if '# expect-error' in line}


def test_corpus_is_not_empty():
    assert len(_python_files(OK_DIR)) >= 7
    assert len(MISUSE) >= 10
    for name in MISUSE:
        assert len(_marked_lines(os.path.join(MISUSE_DIR, name))) == 1, name


def test_user_programs_pass_mypy_strict():
    errors, output = _mypy(_python_files(OK_DIR))
    assert errors == set(), output


def test_user_programs_pass_pyright_strict():
    errors, output = _pyright(_python_files(OK_DIR))
    assert errors == set(), output


@pytest.fixture(scope='module')
def misuse_reports():
    """Both checkers run once over every misuse program."""
    paths = [os.path.join(MISUSE_DIR, name) for name in MISUSE]
    return {'mypy': _mypy(paths), 'pyright': _pyright(paths)}


@pytest.mark.parametrize('checker', ['mypy', 'pyright'])
@pytest.mark.parametrize('name', MISUSE)
def test_misuse_is_rejected_on_its_line(misuse_reports, checker, name):
    errors, output = misuse_reports[checker]
    found = {line for file_name, line in errors if file_name == name}
    assert found == _marked_lines(os.path.join(MISUSE_DIR, name)), output


def test_the_sdk_passes_mypy_strict():
    result = _run([sys.executable, '-m', 'mypy', '--strict', '--cache-dir',
                   os.path.join(REPO_ROOT, '.mypy_cache'), 'talon_one',
                   '--exclude', 'talon_one/sandbox'])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_sandbox_passes_mypy():
    result = _run([sys.executable, '-m', 'mypy', '--strict', '--cache-dir',
                   os.path.join(REPO_ROOT, '.mypy_cache'), 'talon_one/sandbox'])
    assert result.returncode == 0, result.stdout + result.stderr


def _pyright_project(config):
    """The errors pyright reports for a project config of the repository root, and its
    summary."""
    # --pythonpath: the interpreter running the tests, so pyright resolves urllib3 (and the
    # standard library) from the same environment whatever python is first on PATH.
    result = _run([_pyright_command(), '--outputjson', '--pythonpath', sys.executable,
                   '-p', os.path.join(REPO_ROOT, config)])
    try:
        report = json.loads(result.stdout)
    except ValueError:
        raise AssertionError('pyright gave no JSON report: %s'
                             % (result.stdout + result.stderr)) from None
    errors = ['%s:%d:%d %s%s' % (os.path.relpath(item['file'], REPO_ROOT),
                                 item['range']['start']['line'] + 1,
                                 item['range']['start']['character'] + 1, item['message'],
                                 ' (%s)' % item['rule'] if item.get('rule') else '')
              for item in report['generalDiagnostics'] if item['severity'] == 'error']
    return errors, report['summary']


def test_the_sdk_itself_passes_pyright_strict():
    """pyright strict over talon_one/ (sandbox excluded) by the root pyrightconfig.json."""
    errors, summary = _pyright_project('pyrightconfig.json')
    assert not errors, '%d pyright errors:\n%s' % (len(errors), '\n'.join(errors))
    assert summary['filesAnalyzed'] > 100, summary  # the package was read


def test_the_sandbox_passes_pyright_strict():
    """pyright strict over talon_one/sandbox by pyrightconfig.sandbox.json."""
    errors, summary = _pyright_project('pyrightconfig.sandbox.json')
    assert not errors, '%d pyright errors:\n%s' % (len(errors), '\n'.join(errors))
    assert summary['filesAnalyzed'] > 50, summary   # the sandbox was read
