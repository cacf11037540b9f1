"""Every ```python block of docs/ and README.md compiles, and the self-contained ones run.

- Every block of every page compiles (snippets that need a running server or earlier
  lines, such as README fragments, are only compiled).
- The example of each ``*EffectProps`` page needs no server: it runs here, and what
  it prints is checked against the class and the summary place the page names.
- The ``async_req`` example of docs/IntegrationApi.md runs against a fresh sandbox.
(The per-operation examples run against the sandbox in test_docs_examples.py.)
"""

import contextlib
import glob
import io
import os
import re

import pytest

import talon_one
from talon_one import _summary, models
from talon_one.sandbox import Sandbox

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = sorted(glob.glob(os.path.join(REPO_ROOT, 'docs', '*.md'))) + [
    os.path.join(REPO_ROOT, 'README.md')]

_FENCE = re.compile(r'^```(\w*)\s*$')


def python_blocks(text):
    """``[(line number, code)]`` of every ```python block (fences at the start of a line)."""
    blocks, language, lines, start = [], None, None, 0
    for number, line in enumerate(text.splitlines(), 1):
        fence = _FENCE.match(line)
        if lines is not None:
            if fence and not fence.group(1):
                if language == 'python':
                    blocks.append((start, '\n'.join(lines) + '\n'))
                lines = None
            else:
                lines.append(line)
        elif fence:
            language, lines, start = fence.group(1), [], number + 1
    assert lines is None, 'unterminated code block starting at line %d' % start
    return blocks


def _read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


ALL_BLOCKS = [(os.path.relpath(path, REPO_ROOT), line, code)
              for path in PAGES for line, code in python_blocks(_read(path))]


def test_python_blocks_are_found():
    assert python_blocks('x\n```python\na = 1\n```\n```bash\nls\n```\n```python\nb\n```\n') == [
        (3, 'a = 1\n'), (9, 'b\n')]
    pages = {page for page, _, _ in ALL_BLOCKS}
    assert {'README.md', os.path.join('docs', 'IntegrationApi.md'),
            os.path.join('docs', 'SetDiscountEffectProps.md')} <= pages
    # One example per operation, the async_req one, one per effect-props class, and more.
    assert len(ALL_BLOCKS) >= 30 + 1 + len(models.EFFECT_PROPS_CLASSES)


@pytest.mark.parametrize('page, line, code', ALL_BLOCKS,
                         ids=['%s:%d' % (page, line) for page, line, _ in ALL_BLOCKS])
def test_every_python_block_compiles(page, line, code):
    compile(code, '%s:%d' % (page, line), 'exec')


def _run(code, name):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        namespace = {'__name__': '__example__'}
        exec(compile(code, name, 'exec'), namespace)
    return namespace, out.getvalue()


@pytest.mark.parametrize('effect_type, class_name', sorted(models.EFFECT_PROPS_CLASSES.items()))
def test_effect_props_page_says_where_the_class_appears_and_its_example_runs(effect_type,
                                                                             class_name):
    page = _read(os.path.join(REPO_ROOT, 'docs', '%s.md' % class_name))
    place = _summary.SUMMARY_PLACES[effect_type]
    assert ('It is the `props` of an [Effect](Effect.md) whose `effect_type` is `%s`'
            % effect_type) in page
    assert '`summary.%s`' % place in page
    assert 'Not referenced by any operation or model' not in page
    assert '[IntegrationStateV2](IntegrationStateV2.md)' in page

    (_, code), = python_blocks(page)
    namespace, printed = _run(code, class_name)

    assert type(namespace['props']).__name__ == class_name
    assert namespace['props'].extra_fields == {}          # the example uses real fields only
    found = namespace['summary']
    for part in place.split('.'):
        found = getattr(found, part)
    assert len(found) == 1 and found[0].origin.effect_type == effect_type
    assert found[0] in namespace['summary'].entries
    assert namespace['summary'].unknown == () and namespace['summary'].warnings == ()
    assert printed.strip()


def _preamble(text):
    return text.split('\n## ', 1)[0]


def test_api_reference_documents_async_req_and_threads_once():
    text = _read(os.path.join(REPO_ROOT, 'docs', 'IntegrationApi.md'))
    preamble = _preamble(text)
    for words in ('async_req=True', '.get(timeout=None)', '.ready()', '.wait(timeout=None)',
                  '### Threads', 'can be shared by any number of', "silent='no'"):
        assert words in preamble, words
    assert text.count('### Asynchronous calls') == 1 and text.count('### Threads') == 1


def test_the_async_req_example_runs_against_the_sandbox(monkeypatch):
    (_, code), = python_blocks(_preamble(_read(os.path.join(REPO_ROOT, 'docs',
                                                            'IntegrationApi.md'))))
    with Sandbox() as sandbox:
        monkeypatch.setenv('TALON_ONE_HOST', sandbox.url)
        monkeypatch.setenv('TALON_ONE_API_KEY', sandbox.api_key)
        _, printed = _run(code, 'async_req example')
    assert printed.splitlines() == ['balances ready: True', 'profile: URNGV8294NV',
                                    'active points: 180.0']


def test_effects_summary_is_in_the_readme():
    readme = _read(os.path.join(REPO_ROOT, 'README.md'))
    assert 'talon_one.summarize_effects(state)' in readme
    assert talon_one.summarize_effects is talon_one.effects.summarize
