"""How the workshop's throughput grows with 1, 2 and 3 app processes behind HAProxy.

The Regiodag's phones through the balancer of ``make serve`` (:mod:`deploy.cluster`),
on a throwaway PostgreSQL server: 400 participants of one session, and ``wrk`` (a
small C load generator, one thread) keeping 64 connections busy for 10 s with what
the phones send: submits (a write), weigh pages (a read and a page render) and
status polls (the phone's 5 s poll). This is a closed loop: every connection sends
its next request as soon as the last one is answered, so requests per second is the
capacity of the whole set-up on this machine, not a schedule.

The machine has 2 cores, shared by wrk, HAProxy, PostgreSQL and the app processes,
so a second process can at most about double the first's throughput and a third
adds nothing but another process to schedule. The CPU figures are read from
``/proc``: the app processes' CPU per request, and how much of the two cores the
whole machine used.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deploy.processes import cpu_seconds

CONNECTIONS = 64
SECONDS = 10
WARMUP_SECONDS = 2
PARTICIPANTS = 400
REPLICAS = (1, 2, 3)
CRITERIA = ("legitimiteit", "bestuurlijke_drukte", "efficientie")
OPTIONS = ("sra-huidig", "sra-verbreed", "sra-mra-vervoer")

LUA = """
local tokens = {%(tokens)s}
local code = "%(code)s"
local kind = "%(kind)s"
local i = 0
math.randomseed(%(seed)d)

request = function()
  i = i + 1
  local token = tokens[(i %% #tokens) + 1]
  if kind == "submit" then
    local body = string.format(
      '{"code":"%%s","p":"%%s","lang":"nl","values":{"legitimiteit":%%d,"bestuurlijke_drukte":%%d,"efficientie":%%d}}',
      code, token, math.random(0, 10), math.random(0, 10), math.random(1, 10))
    return wrk.format("POST", "/deelnemen/inzenden", {["Content-Type"] = "application/json"}, body)
  elseif kind == "page" then
    return wrk.format("GET", "/deelnemen?code=" .. code .. "&p=" .. token)
  else
    return wrk.format("GET", "/deelnemen/status?code=" .. code .. "&p=" .. token .. "&lang=nl")
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%%d,"duration_us":%%d,"status":%%d,"connect":%%d,"read":%%d,' ..
    '"write":%%d,"timeout":%%d,"p50_us":%%d,"p99_us":%%d,"max_us":%%d}\\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""

#: (kind, what it is) in the order they run.
KINDS = (
    ("submit", "submit (POST, one row written)"),
    ("page", "weigh page (GET, rendered)"),
    ("status", "status poll (GET, JSON)"),
)


@dataclass
class Result:
    """One wrk run: throughput, latency, errors and the app processes' CPU."""

    replicas: int
    kind: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    app_cpu_ms_each: float
    other_cpu_ms_each: float
    machine_cores_busy: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def machine_cpu_seconds() -> float:
    """All CPU time the machine spent (user, nice, system, irq, softirq), in seconds."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, script: Path, seconds: int) -> dict[str, Any]:
    """Run wrk against ``url`` with ``script``; the figures its ``done`` hook printed."""
    done = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(script), url],
        capture_output=True, text=True, check=False, timeout=seconds + 60,
    )  # fmt: skip
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line.removeprefix("RESULT ")))
    raise RuntimeError(
        f"wrk printed no result (exit {done.returncode}):\n{done.stdout}{done.stderr}"
    )


def write_script(folder: Path, kind: str, code: str, tokens: list[str], seed: int) -> Path:
    path = folder / f"{kind}.lua"
    quoted = ", ".join(f'"{t}"' for t in tokens)
    path.write_text(LUA % {"tokens": quoted, "code": code, "kind": kind, "seed": seed})
    return path


def measure(replicas: int, admin: Any, folder: Path) -> list[Result]:
    """Start ``replicas`` processes behind HAProxy on a fresh database; run every kind."""
    from afweging.workshop import WorkshopStore
    from deploy.cluster import cluster
    from deploy.postgres import fresh_database

    results = []
    with fresh_database(admin, f"bench{replicas}") as url:
        store = WorkshopStore(url, max_joins_per_minute=100_000, max_participants=10_000)
        try:
            session, _key = store.create_session("sra", "kern", list(OPTIONS), list(CRITERIA))
            tokens = [store.join(session.code)[1] for _ in range(PARTICIPANTS)]
            rng = random.Random(replicas)
            for token in tokens:  # everyone has a submission, as in the room
                store.submit(session.code, token, {c: rng.randint(1, 10) for c in CRITERIA})
            with cluster(replicas, url, folder=folder / f"r{replicas}") as c:
                pids = [r.proc.pid for r in c.replicas]
                for kind, _what in KINDS:
                    script = write_script(folder, kind, session.code, tokens, replicas)
                    wrk(c.url, script, WARMUP_SECONDS)
                    app0, machine0 = sum(cpu_seconds(p) for p in pids), machine_cpu_seconds()
                    t0 = time.perf_counter()
                    figures = wrk(c.url, script, SECONDS)
                    wall = time.perf_counter() - t0
                    app = sum(cpu_seconds(p) for p in pids) - app0
                    machine = machine_cpu_seconds() - machine0
                    n = int(figures["requests"])
                    errors = sum(
                        int(figures[k]) for k in ("status", "connect", "read", "write", "timeout")
                    )
                    results.append(
                        Result(
                            replicas,
                            kind,
                            n,
                            figures["duration_us"] / 1e6,
                            errors,
                            figures["p50_us"] / 1000,
                            figures["p99_us"] / 1000,
                            1000 * app / max(1, n),
                            1000 * (machine - app) / max(1, n),
                            machine / wall,
                        )
                    )
            rows = store.submissions(session.id)
            if len(rows) != PARTICIPANTS or len({r.participant_id for r in rows}) != len(rows):
                raise RuntimeError(f"{len(rows)} rows for {PARTICIPANTS} participants")
        finally:
            store.dispose()
    return results


def idle_cores(seconds: float = 3.0) -> float:
    """How busy the machine is with nothing of ours running (other work skews the figures)."""
    before, t0 = machine_cpu_seconds(), time.perf_counter()
    time.sleep(seconds)
    return (machine_cpu_seconds() - before) / (time.perf_counter() - t0)


def report(results: list[Result], idle: float) -> None:
    """One block per kind: requests per second for 1, 2, 3 processes and the growth."""
    print(
        f"workshop through HAProxy on PostgreSQL, 1/2/3 app processes, 2 cores shared with "
        f"wrk ({CONNECTIONS} connections, closed loop, {SECONDS} s), HAProxy and PostgreSQL; "
        f"{PARTICIPANTS} participants"
    )
    print(
        f"  (before the runs the machine was {idle:.2f} of 2 cores busy with other work; "
        "'the rest' is wrk, HAProxy, PostgreSQL and anything else on the machine)"
    )
    for kind, what in KINDS:
        rows = [r for r in results if r.kind == kind]
        base = rows[0].per_second
        print(f"  {what}")
        for r in rows:
            print(
                f"    {r.replicas} process{'es' if r.replicas > 1 else '  '}: "
                f"{r.per_second:7.0f} req/s  x{r.per_second / base:4.2f}   "
                f"p50 {r.p50_ms:6.1f} ms  p99 {r.p99_ms:7.1f} ms   "
                f"CPU per request: apps {r.app_cpu_ms_each:4.1f} ms, "
                f"the rest {r.other_cpu_ms_each:4.1f} ms   "
                f"machine {r.machine_cores_busy:4.2f} of 2 cores busy   "
                f"{'no errors' if r.errors == 0 else f'{r.errors} ERRORS'}"
            )


def main() -> None:
    """Run the three set-ups on one throwaway PostgreSQL server; print the growth."""
    from deploy.postgres import postgres_server

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: scripts/ensure-haproxy.sh wrk installs it")
    folder = Path(tempfile.mkdtemp(prefix="afweging-cluster-bench-"))
    results: list[Result] = []
    idle = idle_cores()
    with postgres_server() as admin:
        for replicas in REPLICAS:
            results += measure(replicas, admin, folder)
    report(results, idle)
    shutil.rmtree(folder, ignore_errors=True)
    if any(r.errors for r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
