"""Runs one command and measures it: wall time, and peak resident memory of the whole process
tree: the larger of the kernel's own peak for the command's process (GNU time's `%M`; the runner's
own `wait4` would not do, as Linux carries the parent's peak over fork and exec) and the sum over
the tree sampled every 50 ms, which catches tools that fork workers, as Morph-KGC does."""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass

import psutil

# GNU time (Debian package `time`), for the measured process's own peak RSS.
TIME = "/usr/bin/time"


@dataclass
class Run:
    """One measured run."""

    seconds: float
    peak_rss_bytes: int
    returncode: int
    stdout: str
    stderr: str


class CommandFailed(RuntimeError):
    """A measured command exited with an unexpected status."""


class CommandTimedOut(CommandFailed):
    """A measured command ran past its time limit and was ended."""

    def __init__(self, command: list[str], limit: float) -> None:
        super().__init__(f"{' '.join(command)} did not finish within {limit:g} s")
        self.limit = limit


def _end_tree(pid: int) -> None:
    try:
        process = psutil.Process(pid)
        for child in process.children(recursive=True):
            child.kill()
        process.kill()
    except psutil.Error:
        pass


def _tree_rss(pid: int) -> int:
    try:
        process = psutil.Process(pid)
        total = process.memory_info().rss
        for child in process.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total
    except psutil.Error:
        return 0


def measure(
    command: list[str],
    cwd: str | None = None,
    ok_codes: tuple[int, ...] = (0,),
    timeout: float | None = None,
) -> Run:
    """Runs `command` to completion; raises CommandFailed when its exit status is not in
    `ok_codes`, CommandTimedOut (after ending its process tree) when it runs past `timeout`
    seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        wrapped = [TIME, "-f", "%M", "-o", rss.name, *command]
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        peak = 0
        done = threading.Event()

        timed_out = False

        def sample() -> None:
            nonlocal peak, timed_out
            while not done.is_set():
                peak = max(peak, _tree_rss(process.pid))
                if timeout is not None and time.perf_counter() - started > timeout:
                    timed_out = True
                    _end_tree(process.pid)
                    return
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        process.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        # The last line: GNU time may write "Command exited with non-zero status N" before it.
        reported = rss.read().strip().splitlines()
        own_peak = int(reported[-1]) * 1024 if reported and reported[-1].isdigit() else 0
        run = Run(
            seconds=seconds,
            peak_rss_bytes=max(peak, own_peak),
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )
    if timed_out:
        raise CommandTimedOut(command, timeout)
    if run.returncode not in ok_codes:
        raise CommandFailed(
            f"{' '.join(command)} exited with {run.returncode}:\n{run.stderr[-2000:]}"
        )
    return run


def median(values: list[float]) -> float:
    """The median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")
