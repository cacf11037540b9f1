"""This SDK side by side with the real official Talon.One Python SDK, as speed ratios.

The official SDK is installed from the package index into this bench's own venv,
``bench/.venv-official`` (git-ignored, made on the first run; ``--venv DIR`` for another), and
timed in a subprocess; this SDK is timed the same way with the same interpreter, by the same
script (``bench/_sdk_worker.py``) on the same data, alternating the two each round. The worker
uses only calls both SDKs have (model constructors, ``ApiClient.deserialize``,
``ApiClient.sanitize_for_serialization``, ``to_dict``), so both do exactly the same work:

- import: ``import talon_one`` in a fresh process;
- parse: ``ApiClient.deserialize`` of a large IntegrationStateV2 body (60 cart items, 40
  effects) followed by ``to_dict()``, which reads every field (this SDK parses lazily);
- request: building a 60-item IntegrationRequest with the model constructors and turning it into
  JSON with ``sanitize_for_serialization`` and ``json.dumps`` (the send path of the official
  client; this SDK's send path also checks every rule, which this row does not charge);
- datetime: ``ApiClient.deserialize`` of 2,000 RFC 3339 date-times as ``list[datetime]``.

Before the timings the results of both are compared and every difference printed (fields that
one SDK's models have and the other's lack).

Which official package: the releases this SDK is a drop-in for, ``talon_one`` 4.0.0 and
12.0.0, are not on the package index this machine reaches (``pip download talon_one==4.0.0``
and ``==12.0.0`` answer "ERROR: Could not find a version that satisfies the requirement
talon_one==12.0.0 (from versions: none)"). Talon.One GmbH publishes the same generated client,
from the same repository (github.com/talon-one/talon_one.py) and with the same import name
``talon_one``, as the distribution ``talon-one-python-sdk``; this bench tries ``talon_one==12.0.0``
first and otherwise installs ``talon-one-python-sdk==9.0.0``, and prints which it uses and pip's
answer for the ones it could not get. If none can be installed it says so and falls back to an
emulation of the official SDK's per-request work built from this project's classes, labelled
"official-style" (``--emulation`` runs that emulation as well): it is not the official SDK.

Machines here are small and noisy: read ratios, not absolute times.

    python bench/bench_sdk.py [--rounds N] [--repeat N] [--emulation]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "_sdk_worker.py")
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

import dateutil.parser  # noqa: E402

import talon_one  # noqa: E402
from talon_one import _codec, _datetimes, _types  # noqa: E402
from talon_one.configuration import Configuration  # noqa: E402

from _sdk_worker import sample_stamps, sample_state  # noqa: E402

# Tried in this order; the first that installs is the official SDK of the comparison.
OFFICIAL_CANDIDATES = ("talon_one==12.0.0", "talon-one-python-sdk==9.0.0")
ROWS = ("import", "parse", "request", "datetime")


# --------------------------------------------------------------------------- the official SDK

def _venv_python(venv):
    return os.path.join(venv, "bin", "python")


def _official_info(python):
    """(distribution==version, import version) of the talon_one in ``python``'s venv, or None."""
    code = ("import importlib.metadata as m, talon_one\n"
            "for d in ('talon_one', 'talon-one-python-sdk'):\n"
            "    try: print('%s==%s' % (d, m.version(d)), talon_one.__version__); break\n"
            "    except m.PackageNotFoundError: pass\n")
    try:
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=HERE,
                             env=_clean_env(), timeout=120)
    except OSError:
        return None
    return out.stdout.split() if out.returncode == 0 and out.stdout.strip() else None


def _clean_env():
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def ensure_official(venv):
    """Python of a venv holding the official SDK, and the notes to print; (None, notes) if none
    could be installed."""
    notes = []
    python = _venv_python(venv)
    note_file = os.path.join(venv, "INSTALL-NOTES.txt")
    if os.path.exists(python) and _official_info(python):
        if os.path.exists(note_file):
            with open(note_file) as handle:
                notes.append(handle.read().strip())
        return python, notes
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    for requirement in OFFICIAL_CANDIDATES:
        out = subprocess.run([python, "-m", "pip", "install", "-q", requirement],
                             capture_output=True, text=True, env=_clean_env())
        if out.returncode == 0 and _official_info(python):
            break
        errors = [line for line in (out.stdout + out.stderr).splitlines()
                  if line.startswith("ERROR")]
        notes.append("pip install %s: %s" % (requirement, " / ".join(errors) or "failed"))
    else:
        return None, notes
    with open(note_file, "w") as handle:
        handle.write("\n".join(notes))
    return python, notes


def _run_worker(python, repeat, check, ours):
    env = _clean_env()
    if ours:
        env["PYTHONPATH"] = ROOT
    # Run by path: sys.path[0] is bench/, so the official venv never sees this project's package.
    args = [python, WORKER, str(repeat)] + (["--check"] if check else [])
    out = subprocess.run(args, capture_output=True, text=True, env=env, cwd=HERE)
    if out.returncode != 0:
        raise SystemExit("worker failed (%s):\n%s" % ("talon_one" if ours else "official",
                                                       out.stderr))
    return json.loads(out.stdout)


def _differences(ours, theirs, path, found):
    """Collect paths where the two results differ (list indexes folded into [])."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(set(ours) | set(theirs)):
            sub = path + "." + key if path else key
            if key not in theirs:
                found.setdefault(sub, "only talon_one has it")
            elif key not in ours:
                found.setdefault(sub, "only the official SDK has it")
            else:
                _differences(ours[key], theirs[key], sub, found)
    elif isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        for left, right in zip(ours, theirs):
            _differences(left, right, path + "[]", found)
    elif ours != theirs:
        found.setdefault(path, "talon_one %r, official %r" % (ours, theirs))
    return found


def bench_real(official_python, label, rounds, repeat):
    ours_check = _run_worker(sys.executable, 1, True, ours=True)
    theirs_check = _run_worker(official_python, 1, True, ours=False)
    print("talon_one %s (%s) vs %s (imports as talon_one %s, %s)"
          % (ours_check["version"], os.path.relpath(ours_check["file"], ROOT), label,
             theirs_check["version"], os.path.relpath(theirs_check["file"], ROOT)))
    for row in ("parse", "request", "datetime"):
        found = _differences(ours_check["check"][row], theirs_check["check"][row], "", {})
        print("  %-8s results %s" % (row, "agree" if not found else "agree except:"))
        for where, what in found.items():
            print("             %s: %s" % (where or "(top)", what))
    times = {row: ([], []) for row in ROWS}
    ratios = {row: [] for row in ROWS}
    for index in range(rounds):
        # Alternate which side goes first so drift over the run charges both alike.
        if index % 2:
            theirs = _run_worker(official_python, repeat, False, ours=False)
            ours = _run_worker(sys.executable, repeat, False, ours=True)
        else:
            ours = _run_worker(sys.executable, repeat, False, ours=True)
            theirs = _run_worker(official_python, repeat, False, ours=False)
        for row in ROWS:
            times[row][0].append(ours[row])
            times[row][1].append(theirs[row])
            ratios[row].append(theirs[row] / ours[row])
    for row in ROWS:
        print("%-10s talon_one %8.3f ms | official %s %8.3f ms | official/talon_one = %6.1fx"
              % (row, statistics.median(times[row][0]) * 1e3, theirs_check["version"],
                 statistics.median(times[row][1]) * 1e3, statistics.median(ratios[row])))


# --------------------------------------------------------------------------- the emulation
#
# Not the official SDK: its per-request work rebuilt from this project's classes, for when the
# official package cannot be installed. Labelled "official-style" wherever it is printed.

def _baseline_value(type_string, value):
    """Deserialize the way a generated client of the official's kind does it."""
    if value is None:
        return None
    if type_string.startswith("list["):
        inner = type_string[5:-1]
        return [_baseline_value(inner, item) for item in value]
    if type_string.startswith("dict("):
        inner = type_string[5:-1].split(", ", 1)[1]
        return {key: _baseline_value(inner, item) for key, item in value.items()}
    if type_string in ("str", "int", "float", "bool", "object"):
        return value
    if type_string in ("datetime", "date"):
        parsed = dateutil.parser.parse(value)
        return parsed.date() if type_string == "date" else parsed
    klass = _types.resolve_model(type_string)
    kwargs = {}
    for attr, attr_type in klass.openapi_types.items():
        api_name = klass.attribute_map[attr]
        if api_name in value:
            kwargs[attr] = _baseline_value(attr_type, value[api_name])
    # The official models build a fresh Configuration per instance when none is given.
    return klass(local_vars_configuration=Configuration(), **kwargs)


def _baseline_sanitize(obj):
    """JSON-ready form of a request the way the official generated client builds it."""
    if obj is None:
        return None
    if isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, list):
        return [_baseline_sanitize(item) for item in obj]
    if isinstance(obj, dict):
        return {key: _baseline_sanitize(value) for key, value in obj.items()}
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    wire = {obj.attribute_map[attr]: getattr(obj, attr) for attr in obj.openapi_types
            if getattr(obj, attr) is not None}
    return {key: _baseline_sanitize(value) for key, value in wire.items()}


def sample_request(items=60):
    session = talon_one.NewCustomerSessionV2(
        profile_id="URNGV8294NV", coupon_codes=["XMAS-20-2021"], state="open",
        cart_items=[talon_one.CartItem(name="Item %d" % i, sku="SKU-%04d" % i, quantity=1 + i % 3,
                                       price=10.5 + i, category="shoes",
                                       attributes={"color": "red"},
                                       additional_costs={"shipping": talon_one.AdditionalCost(
                                           price=2.5)})
                    for i in range(items)],
        attributes={"ShippingCity": "Berlin"})
    return talon_one.IntegrationRequest(customer_session=session,
                                        response_content=["customerSession", "customerProfile"])


def _best_of(function, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


EMULATION = "official-style (emulation from talon_one's classes, not the official SDK)"


def _print_emulated(name, ours_times, base_times, ratios):
    print("%-10s talon_one %8.3f ms | official-style %8.3f ms | official-style/talon_one = %5.1fx"
          % (name, statistics.median(ours_times) * 1e3, statistics.median(base_times) * 1e3,
             statistics.median(ratios)))


def _ratio(name, ours, baseline, rounds, repeat):
    ratios, ours_times, base_times = [], [], []
    for _ in range(rounds):
        a = _best_of(ours, repeat)
        b = _best_of(baseline, repeat)
        ours_times.append(a)
        base_times.append(b)
        ratios.append(b / a)
    _print_emulated(name, ours_times, base_times, ratios)


def emulated_import(rounds):
    lazy = "import time; t=time.perf_counter(); import talon_one; print(time.perf_counter()-t)"
    # What the official package loads on import: the transport (urllib3) and every model.
    eager = ("import time; t=time.perf_counter(); import talon_one, talon_one.rest, "
             "talon_one.models as m; [getattr(m, n) for n in m.__all__]; "
             "print(time.perf_counter()-t)")

    def run(code):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        return float(out)

    ours, base, ratios = [], [], []
    for _ in range(rounds):
        a = run(lazy)
        b = run(eager)
        ours.append(a)
        base.append(b)
        ratios.append(b / a)
    _print_emulated("import", ours, base, ratios)


def emulated_parse(rounds, repeat):
    text = json.dumps(sample_state())
    # Both sides must agree on the result before their speed is compared.
    ours_result = _codec.decode("IntegrationStateV2", json.loads(text))
    base_result = _baseline_value("IntegrationStateV2", json.loads(text))
    assert ours_result.to_dict() == base_result.to_dict(), "parsers disagree"
    _ratio("parse",
           # Responses are parsed lazily: to_dict() reads every field, as the baseline builds
           # every one (and then builds dicts on top, so talon_one is charged extra work).
           lambda: _codec.decode("IntegrationStateV2", json.loads(text)).to_dict(),
           lambda: _baseline_value("IntegrationStateV2", json.loads(text)),
           rounds, repeat)


def emulated_request(rounds, repeat):
    body = sample_request()
    assert json.loads(json.dumps(body.to_wire())) == json.loads(json.dumps(
        _baseline_sanitize(body))), "serializers disagree"

    def ours():
        body.validate("IntegrationRequest")   # talon_one also checks required fields here
        return json.dumps(body.to_wire(), separators=(",", ":"))

    _ratio("request", ours, lambda: json.dumps(_baseline_sanitize(body)), rounds, repeat)


def emulated_datetime(rounds, repeat):
    stamps = sample_stamps()
    for stamp in stamps[:50]:
        assert _datetimes.parse_datetime(stamp) == dateutil.parser.parse(stamp)
    _ratio("datetime",
           lambda: [_datetimes.parse_datetime(s) for s in stamps],
           lambda: [dateutil.parser.parse(s) for s in stamps],
           rounds, repeat)


def bench_emulated(rounds, repeat):
    print("%s, Python %s" % (EMULATION, sys.version.split()[0]))
    emulated_import(rounds)
    emulated_parse(rounds, repeat)
    emulated_request(rounds, repeat)
    emulated_datetime(rounds, repeat)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds per row; the median ratio is printed (default 5)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of each workload per round, the best one counts (default 5)")
    parser.add_argument("--venv", default=os.path.join(HERE, ".venv-official"),
                        help="venv for the official SDK (made and filled when missing)")
    parser.add_argument("--emulation", action="store_true",
                        help="also run the official-style emulation built from talon_one")
    args = parser.parse_args()
    print("Python %s; talon_one %s from this checkout" % (sys.version.split()[0],
                                                         talon_one.__version__))
    official_python, notes = ensure_official(args.venv)
    for note in notes:
        print("not installable: %s" % note)
    if official_python is None:
        print("the official SDK could not be installed (above): comparing with the %s"
              % EMULATION)
        bench_emulated(args.rounds, args.repeat)
        return
    requirement, _ = _official_info(official_python)
    bench_real(official_python, requirement, args.rounds, args.repeat)
    if args.emulation:
        bench_emulated(args.rounds, args.repeat)


if __name__ == "__main__":
    main()
