"""``python -m talon_one.sandbox``: serve the sandbox until interrupted."""

import argparse
import gc
import logging
import sys
from typing import List, Optional

from talon_one.sandbox.runner import build_server
from talon_one.sandbox.world import WorldError


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m talon_one.sandbox',
                                     description='Local Talon.One Integration API sandbox.')
    parser.add_argument('--host', default='127.0.0.1', help='address to bind (default loopback)')
    parser.add_argument('--port', type=int, default=9000, help='port (0 = any free port)')
    parser.add_argument('--world', help='world file (default: the example world)')
    parser.add_argument('--db', help='SQLite file for state that survives restarts')
    parser.add_argument('--api-key', help='API key to accept (default: the world\'s key)')
    parser.add_argument('--verbose', action='store_true', help='log every request')
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format='%(asctime)s %(message)s')
    try:
        server = build_server(world=args.world, api_key=args.api_key, db=args.db,
                              host=args.host, port=args.port)
    except WorldError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print('cannot listen on %s:%s: %s' % (args.host, args.port, exc.strerror), file=sys.stderr)
        return 2
    # Everything loaded so far lives as long as the process: keep the cycle collector from
    # rescanning it during requests (large worlds hold millions of objects).
    gc.freeze()
    host, port = server.server_address[:2]
    print('Talon.One sandbox listening on http://%s:%d' % (host, port))
    print('API key: %s' % server.api_key)
    print('export TALON_ONE_HOST=http://%s:%d TALON_ONE_API_KEY=%s' % (host, port, server.api_key))
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.service.store.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
