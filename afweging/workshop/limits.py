"""Slowing down join-code guessing without ever stopping the room.

Join codes are short so people can type them from a projector (31**6, about
890 million, see :mod:`afweging.workshop.store`); that space is safe only if
nobody can try codes in bulk. The rules:

- Only explicit attempts count: a code typed into the form, or a join link
  opened with a code that does not exist. The same wrong code from the same
  client counts once per window, so a phone reloading a mistyped link, or a
  room sharing one bad link, never adds up. A valid participant token or
  facilitator key is never checked here at all: they are 256-bit secrets.
- Who "the client" is: the browser (a random cookie of its own) and its
  network address. The address is the connecting peer, or the address that a
  *configured* trusted reverse proxy puts in ``X-Forwarded-For``; IPv6
  addresses are grouped by /64, the block one household or phone gets. A whole
  room behind one venue address shares the address count, so that limit is
  set far above a room's typos (100 distinct wrong codes in 10 minutes), while
  one browser is held to 10.
- Counts live in the workshop database, so they hold across restarts and
  across app processes.
- The limit per join code (many addresses joining one session) is the store's
  join rate, :data:`afweging.workshop.store.DEFAULT_MAX_JOINS_PER_MINUTE`.

With 100 wrong codes per address per 10 minutes and 100 live sessions, one
address finds a live code with probability about 1 in 89,000 per 10 minutes;
a found code only lets someone join as one more participant, which the
facilitator sees in the count.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from afweging.workshop.checks import CODE_ALPHABET, CODE_LENGTH
from afweging.workshop.db_schema import t_attempts
from afweging.workshop.errors import TooManyAttempts
from afweging.workshop.records import _parse_ts, _ts
from afweging.workshop.store import WorkshopStore

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Rule:
    """At most ``max_failures`` distinct wrong codes per ``scope`` within ``window``."""

    scope: str  # "browser" or "address"
    max_failures: int
    window: timedelta

    def __post_init__(self) -> None:
        if self.scope not in ("browser", "address"):
            raise ValueError(f"scope: expected 'browser' or 'address', got {self.scope!r}")
        if self.max_failures < 1 or self.window <= timedelta(0):
            raise ValueError("max_failures must be at least 1 and window above 0")


DEFAULT_RULES: Final = (
    Rule("browser", 10, timedelta(minutes=10)),
    Rule("address", 100, timedelta(minutes=10)),
)


@dataclass(frozen=True)
class Client:
    """Who is trying: their address group and, when the browser keeps cookies, its id."""

    address: str
    browser: str | None = None

    def subjects(self) -> dict[str, str]:
        """Scope -> the subject text stored in the attempts table."""
        out = {"address": f"address:{self.address}"}
        if self.browser:
            out["browser"] = f"browser:{self.browser[:64]}"
        return out


def parse_networks(text: str) -> tuple[Network, ...]:
    """Trusted proxies from a setting like ``127.0.0.1, 10.0.0.0/8, ::1``; ValueError if bad."""
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(
                f"AFWEGING_TRUSTED_PROXIES: expected IP addresses or networks separated by "
                f"commas, got {part!r}"
            ) from None
    return tuple(out)


def _ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not text:
        return None
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, nets: Iterable[Network]
) -> bool:
    return any(address.version == n.version and address in n for n in nets)


def client_address(
    peer: str | None, forwarded_for: str | None, trusted: Sequence[Network] = ()
) -> str:
    """The address group of the real client, as stored by the limiter.

    ``X-Forwarded-For`` is read only when the connecting peer is a trusted proxy;
    then the rightmost address that is not itself a trusted proxy is the client
    (addresses further left were written by the client and prove nothing).
    """
    address = _ip(peer)
    if address is not None and forwarded_for and _trusted(address, trusted):
        for hop in reversed(forwarded_for.split(",")):
            hop_address = _ip(hop)
            if hop_address is None:
                break
            address = hop_address
            if not _trusted(hop_address, trusted):
                break
    if address is None:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def attempt_label(typed: str) -> str:
    """What to store of a typed code: the normalised code, or a digest of anything else."""
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -\t")
    if len(cleaned) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in cleaned):
        return cleaned
    return "#" + hashlib.sha256(typed.encode("utf-8", "replace")).hexdigest()[:16]


class JoinLimiter:
    """Distinct wrong join codes per browser and per address, counted in the database."""

    def __init__(self, store: WorkshopStore, rules: Sequence[Rule] = DEFAULT_RULES) -> None:
        if not rules:
            raise ValueError("rules: expected at least one rule")
        self.store = store
        self.rules = tuple(rules)
        self._keep = max(r.window for r in self.rules)

    def _first_tries(self, conn: Connection, subject: str, since: datetime) -> list[datetime]:
        """When each distinct code was first tried by ``subject`` since ``since``, oldest first."""
        first = sa.func.min(t_attempts.c.at)
        rows = conn.execute(
            sa.select(first)
            .where(t_attempts.c.subject == subject, t_attempts.c.at > _ts(since))
            .group_by(t_attempts.c.code)
            .order_by(first)
        )
        return [_parse_ts(r[0]) for r in rows]

    def retry_at(self, client: Client) -> datetime | None:
        """None when the client may try a code now, else the moment they may again."""
        subjects = client.subjects()
        now = self.store.now()

        def check(conn: Connection) -> datetime | None:
            latest: datetime | None = None
            for rule in self.rules:
                subject = subjects.get(rule.scope)
                if subject is None:
                    continue
                tries = self._first_tries(conn, subject, now - rule.window)
                if len(tries) >= rule.max_failures:
                    free = tries[len(tries) - rule.max_failures] + rule.window
                    latest = free if latest is None else max(latest, free)
            return latest

        return self.store.run_read(check)

    def check(self, client: Client) -> None:
        """Raise TooManyAttempts (with the time to try again) when the client is held back."""
        when = self.retry_at(client)
        if when is not None:
            raise TooManyAttempts("too many wrong join codes from this client", retry_at=when)

    def prune(self) -> int:
        """Delete the records no rule looks at any more (they hold network addresses);
        returns how many went. Run at start; :meth:`failed` does it on the way."""
        cutoff = _ts(self.store.now() - self._keep)

        def delete(conn: Connection) -> int:
            return int(conn.execute(t_attempts.delete().where(t_attempts.c.at <= cutoff)).rowcount)

        return self.store.run_write(delete)

    def failed(self, client: Client, typed: str) -> None:
        """Record a wrong code; old records are pruned on the way."""
        now = self.store.now()
        label = attempt_label(typed)

        def record(conn: Connection) -> None:
            conn.execute(t_attempts.delete().where(t_attempts.c.at <= _ts(now - self._keep)))
            conn.execute(
                t_attempts.insert(),
                [{"subject": s, "code": label, "at": _ts(now)} for s in client.subjects().values()],
            )

        self.store.run_write(record)


__all__ = [
    "DEFAULT_RULES",
    "Client",
    "JoinLimiter",
    "Rule",
    "attempt_label",
    "client_address",
    "parse_networks",
]
