"""A stop requested by a signal waits for the end of a :func:`signals.deferred` block.

pandas' JSON encoder calls back into Python; a signal handler that raises there
crashed the process with SIGSEGV (seen on Ctrl-C while ``--clean-out`` was written).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from corpus_qa import signals


class Stop(Exception):
    pass


def _raise() -> None:
    raise Stop


def test_a_stop_inside_a_deferred_block_happens_when_the_outer_block_ends() -> None:
    done = []
    with pytest.raises(Stop), signals.deferred():
        with signals.deferred():
            signals.stop(_raise)
            done.append("inner")
        done.append("outer")
    assert done == ["inner", "outer"]
    with pytest.raises(Stop):  # outside any block: at once
        signals.stop(_raise)
    with signals.deferred():  # nothing pending is left over
        pass


SCRIPT = textwrap.dedent(
    """
    import signal, sys
    import pandas as pd
    from corpus_qa import signals
    from corpus_qa.run.record_outputs import to_jsonl
    from corpus_qa.testing.synth import generate_records

    class Stop(Exception):
        pass

    # Raises only while to_jsonl may be running, so that a signal landing in the loop's
    # own bookkeeping does not end the script.
    armed = False

    def stop():
        global armed
        if armed:
            armed = False
            raise Stop

    signal.signal(signal.SIGINT, lambda signum, frame: signals.stop(stop))
    frame = pd.DataFrame(list(generate_records(1000, seed=1)))
    frame["published"] = pd.Timestamp("2020-01-01")
    print("ready", flush=True)
    stopped = 0
    for _ in range(100):
        try:
            armed = True
            to_jsonl(frame)
            armed = False
        except Stop:
            stopped += 1
    # The test keeps signalling until this process is gone; the default handler
    # (back during shutdown) would kill it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("stopped", stopped, flush=True)
    """
)


@pytest.mark.slow
def test_signals_during_to_jsonl_stop_it_without_crashing() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    assert process.stdout.readline() == b"ready\n"
    while process.poll() is None:
        os.kill(process.pid, signal.SIGINT)
        time.sleep(0.01)
    out, err = process.communicate()
    assert process.returncode == 0, err.decode()[-2000:]
    stopped = int(out.split()[-1])
    assert stopped > 0


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_stop_swallowed_by_a_finalizer_is_raised_again() -> None:
    # Python ignores what a __del__ (or an os.fork hook) raises: a signal handled
    # there lost the run's stop, and the run went on to its end.
    class Finalized:
        def __del__(self) -> None:
            signals.stop(_raise)

    signals.reset()
    try:
        Finalized()  # collected at once: its Stop is printed as ignored, not raised
        with pytest.raises(Stop):
            signals.raise_requested()
    finally:
        signals.reset()
    signals.raise_requested()  # after a reset, nothing is requested
