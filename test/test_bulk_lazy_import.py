"""``import talon_one`` does not load the bulk package, the command or tqdm; the bulk package
loads neither the command nor tqdm until a progress bar is asked for."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WATCHED = ('talon_one.bulk', 'talon_one.cli', 'tqdm', 'argparse')


def _loaded(code):
    probe = ('%s\nimport json, sys\n'
             'print(json.dumps(sorted(m for m in %r if m in sys.modules)))' % (code, WATCHED))
    result = subprocess.run([sys.executable, '-c', probe], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout.splitlines()[-1])


def test_import_talon_one_loads_no_bulk_cli_or_tqdm():
    assert _loaded('import talon_one\ntalon_one.IntegrationApi\ntalon_one.ApiClient()') == []


def test_import_talon_one_bulk_loads_neither_the_cli_nor_tqdm():
    assert _loaded('import talon_one.bulk') == ['talon_one.bulk']


def test_the_cli_module_defers_argparse_to_main():
    assert _loaded('import talon_one.cli') == ['talon_one.cli']
