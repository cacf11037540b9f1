"""README.md stays true: its runnable snippets run, and CI runs its set-up commands.

- The quickstart runs unchanged against a fresh sandbox, with only the placeholder
  host and API key replaced by the sandbox's.
- The in-process sandbox snippet runs, with its ``...`` filled by a real call.
- Every Python block at least compiles.
- ``.ci/run`` runs the exact test command from "Set up" and the demo command.
"""

import ast
import importlib
import os
import re
import subprocess
import sys

import pytest

from talon_one.sandbox import Sandbox

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README_PATH = os.path.join(REPO_ROOT, 'README.md')
CI_RUN_PATH = os.path.join(REPO_ROOT, '.ci', 'run')
SNIPPET_TIMEOUT = 60    # a guard against a hung snippet, not a speed check

PLACEHOLDER_HOST = 'https://yourbaseurl.talon.one'
PLACEHOLDER_KEY = 'YOUR_API_KEY'

_HEADING = re.compile(r'^(#{1,6}) (.+?)\s*$')
_FENCE = re.compile(r'^```(\w*)\s*$')


def parse_blocks(text):
    """``[(heading, language, code)]`` for every fenced block, under its nearest ``##`` heading."""
    blocks = []
    heading = None
    language = None
    lines = None
    for line in text.splitlines():
        fence = _FENCE.match(line)
        if lines is not None:
            if fence and not fence.group(1):
                blocks.append((heading, language, '\n'.join(lines) + '\n'))
                lines = None
            else:
                lines.append(line)
            continue
        if fence:
            language, lines = fence.group(1), []
            continue
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 2:
            heading = match.group(2)
    assert lines is None, 'unterminated code block under %r' % heading
    return blocks


with open(README_PATH, encoding='utf-8') as _readme:
    README = _readme.read()
BLOCKS = parse_blocks(README)


def python_block(heading, containing=''):
    found = [code for title, language, code in BLOCKS
             if title == heading and language == 'python' and containing in code]
    assert len(found) == 1, 'expected one python block under "## %s", found %d' % (
        heading, len(found))
    return found[0]


def setup_commands():
    """The command lines of the bash blocks under "## Set up" (comments dropped)."""
    commands = []
    for title, language, code in BLOCKS:
        if title == 'Set up' and language == 'bash':
            commands.extend(line.strip() for line in code.splitlines()
                            if line.strip() and not line.strip().startswith('#'))
    return commands


def run_python(code):
    env = dict(os.environ)
    env.pop('TALON_ONE_HOST', None)     # the snippet must not depend on the environment
    env.pop('TALON_ONE_API_KEY', None)
    env['PYTHONPATH'] = os.pathsep.join(filter(None, [REPO_ROOT, env.get('PYTHONPATH')]))
    return subprocess.run([sys.executable, '-c', code], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=SNIPPET_TIMEOUT)


def report(result):
    return '--- stdout\n%s--- stderr\n%s' % (result.stdout, result.stderr)


# ---------------------------------------------------------------- parsing

def test_parse_blocks_tracks_second_level_headings():
    text = ('# Title\n## One\n### Sub\n```python\na = 1\n```\n## Two\n```bash\nls\n```\n'
            '```\nplain\n```\n')
    assert parse_blocks(text) == [('One', 'python', 'a = 1\n'), ('Two', 'bash', 'ls\n'),
                                  ('Two', '', 'plain\n')]


@pytest.mark.parametrize('index', [i for i, block in enumerate(BLOCKS) if block[1] == 'python'])
def test_every_python_block_compiles(index):
    heading, _, code = BLOCKS[index]
    compile(code, 'README.md (## %s)' % heading, 'exec')


# ---------------------------------------------------------------- quickstart

def test_quickstart_is_short_and_uses_the_placeholders():
    code = python_block('Quickstart')
    assert len(code.strip().splitlines()) <= 12       # "a 10-line quickstart"
    assert code.count(PLACEHOLDER_HOST) == 1
    assert code.count(PLACEHOLDER_KEY) == 1


def test_quickstart_runs_against_a_sandbox():
    code = python_block('Quickstart')
    with Sandbox() as sandbox:
        live = code.replace(PLACEHOLDER_HOST, sandbox.url).replace(PLACEHOLDER_KEY,
                                                                  sandbox.api_key)
        result = run_python(live)

    assert result.returncode == 0, report(result)
    assert 'Traceback' not in result.stderr, report(result)
    effect_types = [line.split(' ', 1)[0] for line in result.stdout.splitlines()]
    # The coupon is accepted and its campaign discounts the 99.99 cart.
    assert 'acceptCoupon' in effect_types, report(result)
    assert 'setDiscount' in effect_types, report(result)
    assert "'value': 'XMAS-20-2021'" in result.stdout, report(result)


# ---------------------------------------------------------------- the sandbox section

def test_sandbox_snippet_runs():
    code = python_block('The sandbox', containing='...')
    assert code.count('...') == 1
    # The snippet continues the quickstart (talon_one is imported there); its "..." is
    # where a user's calls go, so put a real one there.
    body = ("state = talon_one.IntegrationApi(client).get_customer_session('175KJPS947296')\n"
            "print(state.customer_session.state)")
    indent = re.search(r'^([ \t]*)\.\.\.$', code, re.M).group(1)
    live = 'import talon_one\n' + code.replace('...', body.replace('\n', '\n' + indent))

    result = run_python(live)

    assert result.returncode == 0, report(result)
    assert result.stdout.strip() == 'open', report(result)


def test_sandbox_pytest_plugin_named_in_readme_provides_the_fixture():
    match = re.search(r'pytest_plugins = \["([\w.]+)"\]', README)
    assert match, 'README no longer shows how to enable the pytest plugin'
    plugin = importlib.import_module(match.group(1))
    assert 'talon_sandbox' in README
    assert callable(getattr(plugin, 'talon_sandbox'))


# ---------------------------------------------------------------- .ci/run and "Set up"

def _ci_lines():
    with open(CI_RUN_PATH, encoding='utf-8') as ci_file:
        return [line.strip() for line in ci_file.read().splitlines()]


def test_set_up_has_the_demo_and_the_test_command():
    commands = setup_commands()
    assert len(commands) == 2, commands
    demo, tests = commands
    assert demo.endswith('-m talon_one.sandbox.demo'), demo
    assert tests.endswith('-m pytest test'), tests


def test_ci_runs_the_exact_test_command_of_the_readme():
    tests = setup_commands()[1]
    assert tests in _ci_lines()


def test_ci_runs_the_demo_command_of_the_readme():
    demo = setup_commands()[0]
    ci_lines = _ci_lines()
    assert demo in ci_lines
    # The main job runs after the test suite, so a broken install fails CI first.
    assert ci_lines.index(demo) > ci_lines.index(setup_commands()[1])


def test_ci_script_is_executable_and_stops_on_errors():
    assert os.access(CI_RUN_PATH, os.X_OK)
    assert 'set -euo pipefail' in _ci_lines()


def test_runnable_snippets_import_only_talon_one():
    """The runnable snippets need nothing but the package itself."""
    for heading, code in [(title, code) for title, language, code in BLOCKS
                          if title in ('Quickstart', 'The sandbox') and language == 'python']:
        tree = ast.parse(code)
        modules = {alias.name.split('.')[0] for node in ast.walk(tree)
                   if isinstance(node, ast.Import) for alias in node.names}
        modules |= {node.module.split('.')[0] for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom)}
        assert modules <= {'talon_one'}, (heading, modules)


def test_the_sandbox_fault_example_runs_and_prints_the_retry():
    result = run_python(python_block('The sandbox', containing='inject_fault'))
    assert result.returncode == 0, report(result)
    assert result.stdout.strip() == '[503, 200]', report(result)
