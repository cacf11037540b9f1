"""Every example in docs/IntegrationApi.md runs against a fresh sandbox.

The examples are parsed from the generated Markdown when the tests are collected,
so an edit to the generator that breaks an example fails here. Each example runs
in its own interpreter (as a user would run it) with ``TALON_ONE_HOST`` and
``TALON_ONE_API_KEY`` pointing at one sandbox for the module, reset to the world's
seed before each example: examples delete and change shared ids, so each one starts
from the same state.
"""

import os
import re
import subprocess
import sys

import pytest

import talon_one
from talon_one.sandbox import Sandbox

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC_PATH = os.path.join(REPO_ROOT, 'docs', 'IntegrationApi.md')
EXAMPLE_WORLD = os.path.join(REPO_ROOT, 'talon_one', 'sandbox', 'example_world.json')
EXAMPLE_TIMEOUT = 60    # a guard against a hung example, not a speed check

_HEADING = re.compile(r'^## (\w+)\s*$')
_FENCE_OPEN = re.compile(r'^```python\s*$')
_FENCE_CLOSE = re.compile(r'^```\s*$')


def parse_examples(text):
    """``{operation: [python block, ...]}`` for every ``## <name>`` section."""
    examples = {}
    section = None
    block = None
    for line in text.splitlines():
        if block is not None:
            if _FENCE_CLOSE.match(line):
                examples.setdefault(section, []).append('\n'.join(block) + '\n')
                block = None
            else:
                block.append(line)
            continue
        heading = _HEADING.match(line)
        if heading:
            section = heading.group(1)
        elif section is not None and _FENCE_OPEN.match(line):
            block = []
    assert block is None, 'unterminated ```python block in section %r' % section
    return examples


def integration_api_operations():
    """The public operation names of IntegrationApi (without the http_info twins)."""
    return sorted(
        name for name in vars(talon_one.IntegrationApi)
        if not name.startswith('_') and not name.endswith('_with_http_info')
        and callable(getattr(talon_one.IntegrationApi, name)))


with open(DOC_PATH, encoding='utf-8') as _doc:
    EXAMPLES = parse_examples(_doc.read())


def test_every_operation_has_exactly_one_example():
    operations = integration_api_operations()
    assert len(operations) == 43
    assert sorted(EXAMPLES) == operations
    for operation, blocks in EXAMPLES.items():
        assert len(blocks) == 1, '%s has %d python examples' % (operation, len(blocks))


def test_parse_examples_finds_blocks_per_section():
    text = ('# t\n```python\nignored = 1\n```\n## op_a\nx\n```python\na = 1\n```\n'
            '```bash\nls\n```\n## op_b\n```python\nb = 2\n```\n')
    assert parse_examples(text) == {'op_a': ['a = 1\n'], 'op_b': ['b = 2\n']}


def run_example(code, sandbox):
    env = dict(os.environ)
    env['TALON_ONE_HOST'] = sandbox.url
    env['TALON_ONE_API_KEY'] = sandbox.api_key
    env['PYTHONPATH'] = os.pathsep.join(filter(None, [REPO_ROOT, env.get('PYTHONPATH')]))
    return subprocess.run([sys.executable, '-c', code], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=EXAMPLE_TIMEOUT)


@pytest.fixture(scope='module')
def docs_sandbox():
    with Sandbox(world=EXAMPLE_WORLD) as sandbox:
        yield sandbox


@pytest.mark.parametrize('operation', sorted(EXAMPLES))
def test_doc_example_runs_against_sandbox(operation, docs_sandbox):
    (code,) = EXAMPLES[operation]
    # The example must read its host and key from the environment, not hard-code them.
    assert "os.environ['TALON_ONE_HOST']" in code
    assert "os.environ['TALON_ONE_API_KEY']" in code
    assert 'api_instance.%s(' % operation in code

    docs_sandbox.reset()        # every example starts from the seeded example world
    result = run_example(code, docs_sandbox)
    # The reset emptied the request log: what is in it now, this example sent.
    assert docs_sandbox.requests, 'the %s example sent no request to the sandbox' % operation

    report = '%s example\n--- stdout\n%s--- stderr\n%s' % (operation, result.stdout, result.stderr)
    assert result.returncode == 0, report
    assert 'Exception when calling' not in result.stdout + result.stderr, report
    assert 'Traceback' not in result.stderr, report
    if 'pprint(' in code or 'print(' in code:
        assert result.stdout.strip(), report
    if 'pprint(api_response)' in code:
        # A typed result is printed, not the None of a 204 or an empty model.
        assert result.stdout.strip() != 'None', report
