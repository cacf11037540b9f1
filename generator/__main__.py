"""``python -m generator [--spec PATH] [--out DIR] [--check]``.

Regenerates the models, ``talon_one/api/integration_api.py`` and the Markdown
reference from the OpenAPI spec. With ``--check`` nothing is written: the exit
status is 1 when a generated file is missing, differs or is stale (extra).
"""

import argparse
import os
import sys

from generator import NAME, VERSION, spec, writer

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SPEC = os.path.join(REPO_ROOT, '..', 'shared', 'openapi',
                            'talon-one-integration-2026.yaml')


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m generator',
                                     description=__doc__.split('\n')[0])
    parser.add_argument('--spec', default=DEFAULT_SPEC,
                        help='OpenAPI document (default: ../shared/openapi/'
                             'talon-one-integration-2026.yaml next to the repository)')
    parser.add_argument('--out', default=REPO_ROOT,
                        help='root the generated paths are relative to (default: the repository)')
    parser.add_argument('--check', action='store_true',
                        help='write nothing; exit 1 if the files on disk differ from the output')
    parser.add_argument('--version', action='version', version='%s %s' % (NAME, VERSION))
    args = parser.parse_args(argv)

    out = writer.generate(spec.load(args.spec))
    if args.check:
        problems = writer.differences(args.out, out)
        for kind, path in problems:
            print('%-8s %s' % (kind, path))
        if problems:
            print('%d generated file(s) out of date; run `python -m generator`.' % len(problems),
                  file=sys.stderr)
            return 1
        print('%d generated files up to date.' % len(out))
        return 0
    touched = writer.write(args.out, out)
    print('%d generated files, %d written or removed.' % (len(out), len(touched)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
