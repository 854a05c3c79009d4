"""The join limiter: stops code guessing, never stops the room, holds across restarts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from afweging.workshop import WorkshopStore
from afweging.workshop.errors import TooManyAttempts
from afweging.workshop.limits import (
    Client,
    JoinLimiter,
    Rule,
    attempt_label,
    client_address,
    parse_networks,
)

KERN = ("legitimiteit", "bestuurlijke_drukte", "efficientie")


def wrong_codes(n: int, start: int = 0) -> list[str]:
    """Distinct well-formed codes that (almost surely) belong to no session."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return [
        "ZZ" + alphabet[(i // 31) % 31] + alphabet[i % 31] + "ZZ" for i in range(start, start + n)
    ]


# --------------------------------------------------------------------------- addresses


def test_ipv4_is_itself_and_ipv4_mapped_ipv6_is_unwrapped() -> None:
    assert client_address("203.0.113.7", None) == "203.0.113.7"
    assert client_address("::ffff:203.0.113.7", None) == "203.0.113.7"


def test_ipv6_clients_are_grouped_by_their_64_block() -> None:
    a = client_address("2001:db8:1:2::10", None)
    b = client_address("2001:db8:1:2:ffff:ffff:ffff:1", None)
    c = client_address("2001:db8:1:3::10", None)
    assert a == b == "2001:db8:1:2::/64"
    assert c != a


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() -> None:
    trusted = parse_networks("127.0.0.1, 10.0.0.0/8")
    assert client_address("198.51.100.9", "203.0.113.7", trusted) == "198.51.100.9"
    assert client_address("127.0.0.1", "203.0.113.7", trusted) == "203.0.113.7"
    assert client_address("127.0.0.1", "203.0.113.7", ()) == "127.0.0.1"


def test_forwarded_for_takes_the_rightmost_untrusted_hop() -> None:
    trusted = parse_networks("127.0.0.1, 10.0.0.0/8")
    # The client wrote "1.2.3.4" itself; the proxies appended the real hops.
    chain = "1.2.3.4, 203.0.113.7, 10.1.1.1"
    assert client_address("127.0.0.1", chain, trusted) == "203.0.113.7"
    # An unparsable hop stops the walk at the last trusted proxy.
    assert client_address("127.0.0.1", "garbage", trusted) == "127.0.0.1"


def test_no_peer_is_one_unknown_client() -> None:
    assert client_address(None, "203.0.113.7", parse_networks("127.0.0.1")) == "unknown"


def test_trusted_proxies_setting_is_checked() -> None:
    assert parse_networks(" ") == ()
    assert [str(n) for n in parse_networks("::1, 192.168.0.0/16")] == ["::1/128", "192.168.0.0/16"]
    with pytest.raises(ValueError, match=r"AFWEGING_TRUSTED_PROXIES.*'not-an-ip'"):
        parse_networks("127.0.0.1, not-an-ip")


def test_attempts_store_the_code_or_a_digest_of_junk() -> None:
    assert attempt_label("abc 234") == "ABC234"
    junk = attempt_label("x" * 5000)
    assert junk.startswith("#") and len(junk) == 17


# --------------------------------------------------------------------------- counting


def test_one_browser_is_held_back_after_ten_distinct_wrong_codes(store, clock) -> None:
    limiter = JoinLimiter(store)
    phone = Client("203.0.113.7", "browser-a")
    for code in wrong_codes(9):
        limiter.failed(phone, code)
    assert limiter.retry_at(phone) is None
    first = clock.now
    clock.advance(seconds=30)
    limiter.failed(phone, wrong_codes(1, start=50)[0])
    assert limiter.retry_at(phone) == first + timedelta(minutes=10)
    with pytest.raises(TooManyAttempts) as refused:
        limiter.check(phone)
    assert refused.value.retry_at == first + timedelta(minutes=10)
    # Another phone on the same venue network is not held back.
    assert limiter.retry_at(Client("203.0.113.7", "browser-b")) is None
    # Once the oldest wrong code is ten minutes old, the phone may try again.
    clock.advance(minutes=10)
    assert limiter.retry_at(phone) is None


def test_the_same_wrong_code_counts_once(store) -> None:
    limiter = JoinLimiter(store)
    phone = Client("203.0.113.7", "browser-a")
    for _ in range(50):
        limiter.failed(phone, "ZZZZZZ")
    limiter.failed(phone, "zzz zzz")  # the same code, typed differently
    assert limiter.retry_at(phone) is None


def test_an_address_without_cookies_gets_a_room_sized_allowance(store) -> None:
    limiter = JoinLimiter(store)
    for code in wrong_codes(99):
        limiter.failed(Client("203.0.113.7"), code)
    assert limiter.retry_at(Client("203.0.113.7")) is None
    limiter.failed(Client("203.0.113.7"), wrong_codes(1, start=200)[0])
    assert limiter.retry_at(Client("203.0.113.7")) is not None
    assert limiter.retry_at(Client("203.0.113.7", "fresh-browser")) is not None
    assert limiter.retry_at(Client("198.51.100.1")) is None


def test_counts_hold_across_a_restart_and_a_second_process(store, db, clock) -> None:
    rules = (Rule("address", 3, timedelta(minutes=10)),)
    for code in wrong_codes(3):
        JoinLimiter(store, rules).failed(Client("203.0.113.7"), code)
    store.dispose()
    reopened = WorkshopStore(db, clock=clock)  # a restarted or second app process
    try:
        assert JoinLimiter(reopened, rules).retry_at(Client("203.0.113.7")) is not None
    finally:
        reopened.dispose()


def test_old_attempts_are_pruned(store, clock) -> None:
    limiter = JoinLimiter(store)
    for code in wrong_codes(5):
        limiter.failed(Client("203.0.113.7"), code)
    clock.advance(minutes=11)
    limiter.failed(Client("198.51.100.1"), "ZZZZZZ")

    def rows(conn):
        from afweging.workshop.db_schema import t_attempts

        return conn.execute(t_attempts.select()).all()

    left = store.run_read(rows)
    assert {r.subject for r in left} == {"address:198.51.100.1"}


def test_prune_deletes_only_what_no_rule_looks_at(store, clock) -> None:
    limiter = JoinLimiter(store)
    limiter.failed(Client("203.0.113.7", "b1"), "AAAAAA")
    clock.advance(minutes=9)
    limiter.failed(Client("198.51.100.1"), "BBBBBB")
    assert limiter.prune() == 0  # both still inside the 10-minute window
    clock.advance(minutes=2)
    assert limiter.prune() == 2  # the first attempt's address and browser rows
    with pytest.raises(TooManyAttempts):  # what is left still counts
        for code in wrong_codes(120):
            limiter.failed(Client("198.51.100.1"), code)
            limiter.check(Client("198.51.100.1"))


def test_rules_are_checked() -> None:
    with pytest.raises(ValueError, match="scope"):
        Rule("planet", 1, timedelta(minutes=1))
    with pytest.raises(ValueError, match="max_failures"):
        Rule("address", 0, timedelta(minutes=1))
    with pytest.raises(ValueError, match="max_failures"):
        Rule("address", 1, timedelta(0))


# --------------------------------------------------------------------------- joins per code


def test_joins_into_one_session_are_limited_per_minute(db, clock) -> None:
    store = WorkshopStore(db, clock=clock, max_joins_per_minute=3)
    try:
        session, _ = store.create_session("sra", "kern", ["a", "b"], KERN)
        first = clock.now
        for _ in range(3):
            store.join(session.code)
            clock.advance(seconds=1)
        with pytest.raises(TooManyAttempts) as refused:
            store.join(session.code)
        assert refused.value.retry_at == first + timedelta(minutes=1)
        assert store.count_participants(session.id) == 3
        clock.advance(minutes=1)
        store.join(session.code)
        assert store.count_participants(session.id) == 4
    finally:
        store.dispose()
