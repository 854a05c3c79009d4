"""The participant's phone routes, over HTTP: join, weigh, submit, poll, and every refusal.

The routes run in a real Starlette app (the same route objects ``app.py`` mounts
beside Streamlit) on a real SQLite store; the test client speaks HTTP to them.
The whole server (``streamlit run app.py``) is exercised in the browser, the
kill -9 and the load tests.
"""

from __future__ import annotations

import json
import math
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from afweging.loading import BundleWatcher, load_bundled
from afweging.matrix import build_matrix, rank
from afweging.weights import leaf_weights, rank_order_centroid
from afweging.workshop.limits import JoinLimiter, parse_networks
from afweging_ui.i18n import t
from afweging_ui.workshop.phone.routes import PhoneRoutes
from afweging_ui.workshop.phone.service import PhoneService
from tests import stores

KERN = ("legitimiteit", "bestuurlijke_drukte", "efficientie")
SRA = ("sra-huidig", "sra-verbreed", "sra-mra-vervoer")
ROOM = "203.0.113.7"  # the venue's one public address


@pytest.fixture(scope="module")
def bundle():
    return load_bundled()


@pytest.fixture
def app(store):
    service = PhoneService(store, BundleWatcher(), JoinLimiter(store))
    return Starlette(routes=PhoneRoutes(lambda: service, parse_networks("10.0.0.1")).routes())


def phone(app, address: str = ROOM) -> TestClient:
    """A phone: its own cookie jar, connecting from ``address``."""
    return TestClient(app, client=(address, 50000), follow_redirects=False)


def dump(db: str) -> dict[str, list[tuple]]:
    return stores.dump(db, ("participants", "submissions"))


def create(store, **kwargs):
    return store.create_session("sra", "kern", SRA, KERN, **kwargs)


def join(client: TestClient, code: str) -> str:
    """Join with the code (no questions asked); the token from the redirect."""
    r = client.post("/deelnemen", data={"code": code})
    assert r.status_code == 303, r.text
    return parse_qs(urlsplit(r.headers["location"]).query)["p"][0]


def submit(client: TestClient, code: str, token: str, values: dict, **extra):
    return client.post(
        "/deelnemen/inzenden", json={"code": code, "p": token, "values": values, **extra}
    )


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------- pages


def test_code_form_is_dutch_small_safe_and_sets_a_browser_cookie(app) -> None:
    r = phone(app).get("/deelnemen")
    assert r.status_code == 200
    assert '<html lang="nl">' in r.text and "Code van het scherm" in r.text
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "afweging_browser=" in r.headers["set-cookie"]
    assert len(r.content) < 5000
    css = phone(app).get("/deelnemen/static/phone.css")
    js = phone(app).get("/deelnemen/static/phone.js")
    assert css.status_code == js.status_code == 200
    assert len(css.content) + len(js.content) < 20_000


def test_a_join_link_page_load_reveals_nothing_and_counts_nothing(app, store, db) -> None:
    session, _key = create(store)
    real = phone(app).get(f"/deelnemen?code={session.code}")
    fake = phone(app).get("/deelnemen?code=ZZZZZZ")
    assert real.status_code == fake.status_code == 200
    assert real.text.replace(session.code, "X") == fake.text.replace("ZZZZZZ", "X")
    for _ in range(30):  # a phone reloading a mistyped link
        phone(app).get("/deelnemen?code=ZZZZZZ")
    assert (
        store.run_read(
            lambda conn: conn.exec_driver_sql("SELECT count(*) FROM join_attempts").scalar()
        )
        == 0
    )


def test_join_weigh_submit_resubmit_and_the_page_shows_the_core_ranking(app, store, bundle) -> None:
    session, _key = create(store)
    client = phone(app)
    token = join(client, session.code.lower())  # typed in lower case
    page = client.get(f"/deelnemen?code={session.code}&p={token}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert page.text.count('type="range"') == 3
    values = {"legitimiteit": 8, "bestuurlijke_drukte": 2, "efficientie": 5}
    r = submit(client, session.code, token, values)
    assert r.status_code == 200 and r.json()["ok"] is True
    assert r.json()["message"].startswith("Ontvangen om ")
    r = submit(client, session.code, token, {**values, "efficientie": 9})
    assert r.status_code == 200
    stored = store.submissions(session.id)
    assert len(stored) == 1 and dict(stored[0].weights) == {**values, "efficientie": 9.0}
    # The page now starts from the stored weights and shows the core's ranking for them.
    page = client.get(f"/deelnemen?code={session.code}&p={token}").text
    assert 'value="9"' in page
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"), SRA)
    core = rank(matrix, leaf_weights(matrix.criteria_set, {**values, "efficientie": 9}))
    shown = re.findall(
        r'<td class="num">(\d)</td><td>([^<]+)</td><td class="num">([\d,]+)</td>', page
    )
    assert [(int(r), label) for r, label, _ in shown] == [
        (row["rank"], row["label"]) for row in core.rows(matrix, "nl")
    ]
    assert [s for _, _, s in shown] == [
        f"{row['score']:.3f}".replace(".", ",") for row in core.rows(matrix, "nl")
    ]


def test_without_javascript_the_form_posts_and_redirects_back(app, store) -> None:
    session, _key = create(store)
    client = phone(app)
    token = join(client, session.code)
    r = client.post(
        "/deelnemen/inzenden",
        data={
            "code": session.code,
            "p": token,
            "v_legitimiteit": "3",
            "v_bestuurlijke_drukte": "0",
            "v_efficientie": "7",
        },
    )
    assert r.status_code == 303 and "ok=1" in r.headers["location"]
    page = client.get(r.headers["location"]).text
    assert "Ontvangen om" in page
    assert dict(store.submissions(session.id)[0].weights) == {
        "legitimiteit": 3.0, "bestuurlijke_drukte": 0.0, "efficientie": 7.0,
    }  # fmt: skip


def test_questions_are_asked_and_answers_shown_as_plain_text(app, store, db) -> None:
    session, _key = create(store, ask_name=True, ask_municipality=True)
    client = phone(app)
    r = client.post("/deelnemen", data={"code": session.code})
    assert r.status_code == 200
    assert (
        'name="name"' in r.text and 'name="municipality"' in r.text and 'name="role"' not in r.text
    )
    r = client.post(
        "/deelnemen/aanmelden",
        data={"code": session.code, "name": "<script>alert(1)</script>", "municipality": "Assen"},
    )
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    person = store.participants(session.id)[0]
    assert (person.name, person.municipality) == ("<script>alert(1)</script>", "Assen")


def test_a_too_long_name_is_refused_in_dutch_and_nothing_is_stored(app, store, db) -> None:
    session, _key = create(store, ask_name=True)
    before = dump(db)
    r = phone(app).post("/deelnemen/aanmelden", data={"code": session.code, "name": "x" * 81})
    assert r.status_code == 422 and "80 tekens" in text_of(r.text)
    assert dump(db) == before


def test_rank_method_stores_rank_order_centroid_weights(app, store) -> None:
    session, _key = store.create_session("sra", "kern", SRA, KERN, weight_method="rank")
    client = phone(app)
    token = join(client, session.code)
    page = client.get(f"/deelnemen?code={session.code}&p={token}").text
    assert page.count("<select") == 3
    r = submit(
        client, session.code, token, {"legitimiteit": 2, "bestuurlijke_drukte": 1, "efficientie": 2}
    )
    assert r.status_code == 200
    expected = rank_order_centroid([2, 1, 2])
    assert np.allclose([store.submissions(session.id)[0].weights[c] for c in KERN], expected)
    bad = submit(
        client, session.code, token, {"legitimiteit": 4, "bestuurlijke_drukte": 1, "efficientie": 2}
    )
    assert bad.status_code == 422 and "van 1 tot 3" in bad.json()["message"]


# --------------------------------------------------------------------------- bad input


BAD_VALUES = [
    {"legitimiteit": -1, "bestuurlijke_drukte": 2, "efficientie": 3},
    {"legitimiteit": 11, "bestuurlijke_drukte": 2, "efficientie": 3},
    {"legitimiteit": 1e308, "bestuurlijke_drukte": 2, "efficientie": 3},
    {"legitimiteit": "NaN", "bestuurlijke_drukte": 2, "efficientie": 3},
    {"legitimiteit": "inf", "bestuurlijke_drukte": 2, "efficientie": 3},
    {"legitimiteit": True, "bestuurlijke_drukte": 2, "efficientie": 3},
    {"legitimiteit": [1], "bestuurlijke_drukte": 2, "efficientie": 3},
    {"legitimiteit": 1, "bestuurlijke_drukte": 2},
    {"legitimiteit": 1, "bestuurlijke_drukte": 2, "efficientie": 3, "geheim": 4},
    {"legitimiteit": 0, "bestuurlijke_drukte": 0, "efficientie": 0},
]


@pytest.mark.parametrize("values", BAD_VALUES)
def test_bad_weights_are_refused_in_dutch_and_nothing_changes(app, store, db, values) -> None:
    session, _key = create(store)
    client = phone(app)
    token = join(client, session.code)
    assert (
        submit(
            client,
            session.code,
            token,
            {"legitimiteit": 5, "bestuurlijke_drukte": 5, "efficientie": 5},
        ).status_code
        == 200
    )
    before = dump(db)
    r = submit(client, session.code, token, values)
    assert 400 <= r.status_code < 500
    assert (
        r.json()["ok"] is False and "niets opgeslagen" in r.json()["message"]
    ) or "ten minste" in r.json()["message"]
    assert dump(db) == before


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        b'{"code": "X", "p": "Y", "values": 3}',
        b'{"values": {}}' * 2000,
    ],
)
def test_malformed_bodies_get_a_4xx_and_nothing_is_stored(app, store, db, body) -> None:
    session, _key = create(store)
    client = phone(app)
    join(client, session.code)
    before = dump(db)
    r = client.post(
        "/deelnemen/inzenden", content=body, headers={"content-type": "application/json"}
    )
    assert r.status_code in (400, 403, 413) and r.json()["ok"] is False
    assert dump(db) == before


def test_a_foreign_or_stale_token_is_refused_like_an_unknown_code(app, store, db) -> None:
    first, _ = create(store)
    second, _ = create(store)
    client = phone(app)
    token = join(client, first.code)
    before = dump(db)
    values = {"legitimiteit": 5, "bestuurlijke_drukte": 5, "efficientie": 5}
    foreign = submit(client, second.code, token, values)
    unknown = submit(client, "ZZZZZZ", token, values)
    assert foreign.status_code == unknown.status_code == 403
    assert foreign.json() == unknown.json()
    assert "hoort niet bij deze sessie" in foreign.json()["message"]
    page_foreign = client.get(f"/deelnemen?code={second.code}&p={token}")
    page_unknown = client.get(f"/deelnemen?code=ZZZZZZ&p={token}")
    assert page_foreign.status_code == page_unknown.status_code == 403
    assert page_foreign.text.replace(second.code, "X") == page_unknown.text.replace("ZZZZZZ", "X")
    assert dump(db) == before


def test_a_closed_session_refuses_submissions_and_keeps_the_last(app, store, db) -> None:
    session, key = create(store)
    client = phone(app)
    token = join(client, session.code)
    submit(
        client, session.code, token, {"legitimiteit": 5, "bestuurlijke_drukte": 5, "efficientie": 5}
    )
    store.close(session.code, key)
    before = dump(db)
    r = submit(
        client, session.code, token, {"legitimiteit": 1, "bestuurlijke_drukte": 5, "efficientie": 5}
    )
    assert r.status_code == 409 and "gesloten" in r.json()["message"]
    assert dump(db) == before
    new = client.post("/deelnemen", data={"code": session.code})
    assert new.status_code == 409 and "gesloten" in text_of(new.text)
    page = client.get(f"/deelnemen?code={session.code}&p={token}").text
    assert "disabled" in page


def test_an_expired_session_says_so(app, store, clock) -> None:
    session, _key = create(store)
    client = phone(app)
    token = join(client, session.code)
    clock.now += timedelta(hours=25)
    r = submit(
        client, session.code, token, {"legitimiteit": 1, "bestuurlijke_drukte": 5, "efficientie": 5}
    )
    assert r.status_code == 409 and "verlopen" in r.json()["message"]
    assert phone(app).post("/deelnemen", data={"code": session.code}).status_code == 410


def test_a_post_from_another_site_is_refused(app, store, db) -> None:
    session, _key = create(store)
    before = dump(db)
    r = phone(app).post(
        "/deelnemen", data={"code": session.code}, headers={"sec-fetch-site": "cross-site"}
    )
    assert r.status_code == 403 and "andere website" in text_of(r.text)
    assert dump(db) == before


# --------------------------------------------------------------------------- the limiter


def test_25_bad_codes_then_a_valid_token_and_a_new_join_from_the_same_address(app, store) -> None:
    session, _key = create(store)
    member = phone(app)
    token = join(member, session.code)
    guesser = phone(app)
    guesser.get("/deelnemen")  # gets its browser cookie like any phone
    statuses = [
        guesser.post("/deelnemen", data={"code": f"ZZZZ{c}Z"}).status_code
        for c in "23456789ABCDEFGHJKMNPQRST"
    ]
    assert statuses[:10] == [404] * 10 and set(statuses[10:]) == {429}
    refused = guesser.post("/deelnemen", data={"code": session.code})
    assert refused.status_code == 429  # the guessing browser waits, even with a valid code
    message = text_of(refused.text)
    assert "Te veel onjuiste codes" in message and re.search(
        r"om \d\d:\d\d \(over \d+ min", message
    )
    # Everyone else in the room carries on: a valid token, and a new join from the same address.
    assert (
        submit(
            member,
            session.code,
            token,
            {"legitimiteit": 5, "bestuurlijke_drukte": 1, "efficientie": 1},
        ).status_code
        == 200
    )
    assert member.get(f"/deelnemen?code={session.code}&p={token}").status_code == 200
    newcomer = phone(app)
    assert newcomer.post("/deelnemen", data={"code": session.code}).status_code == 303


def test_25_bad_codes_from_cookie_less_requests_do_not_lock_out_the_address(app, store) -> None:
    session, _key = create(store)
    for c in "23456789ABCDEFGHJKMNPQRST":
        assert phone(app).post("/deelnemen", data={"code": f"ZZZZ{c}Z"}).status_code == 404
    assert phone(app).post("/deelnemen", data={"code": session.code}).status_code == 303


def test_the_limiter_sees_through_a_trusted_proxy_only(app, store) -> None:
    session, _key = create(store)
    # Twelve wrong codes from one client behind the trusted proxy, without cookies...
    for c in "23456789ABCD":
        phone(app, "10.0.0.1").post(
            "/deelnemen", data={"code": f"ZZZZ{c}Z"}, headers={"x-forwarded-for": "198.51.100.1"}
        )
    # ...count for that client only: a neighbour behind the same proxy joins.
    r = phone(app, "10.0.0.1").post(
        "/deelnemen", data={"code": session.code}, headers={"x-forwarded-for": "198.51.100.2"}
    )
    assert r.status_code == 303
    # An untrusted peer cannot choose its address by sending the header.
    for c in "EFGHJK":
        phone(app, ROOM).post(
            "/deelnemen", data={"code": f"ZZZZ{c}Z"}, headers={"x-forwarded-for": "198.51.100.3"}
        )
    rows = store.run_read(
        lambda conn: (
            conn.exec_driver_sql("SELECT DISTINCT subject FROM join_attempts").scalars().all()
        )
    )
    assert "address:198.51.100.1" in rows and f"address:{ROOM}" in rows
    assert "address:198.51.100.3" not in rows and "address:10.0.0.1" not in rows


# --------------------------------------------------------------------------- status


def test_status_is_small_cached_by_etag_and_shows_the_group_after_the_reveal(
    app, store, bundle
) -> None:
    session, key = create(store)
    clients = [phone(app) for _ in range(20)]
    tokens = [join(c, session.code) for c in clients]
    camp_a = {"legitimiteit": 8, "bestuurlijke_drukte": 1, "efficientie": 1}
    camp_b = {"legitimiteit": 1, "bestuurlijke_drukte": 1, "efficientie": 8}
    for i, (c, tok) in enumerate(zip(clients, tokens, strict=True)):
        assert submit(c, session.code, tok, camp_a if i < 12 else camp_b).status_code == 200
    c, tok = clients[-1], tokens[-1]
    r = c.get(f"/deelnemen/status?code={session.code}&p={tok}")
    assert r.status_code == 200 and r.json()["revealed"] is False and "group" not in r.json()
    tag = r.headers["etag"]
    again = c.get(f"/deelnemen/status?code={session.code}&p={tok}", headers={"if-none-match": tag})
    assert again.status_code == 304 and again.content == b""
    store.reveal(session.code, key)
    r = c.get(f"/deelnemen/status?code={session.code}&p={tok}", headers={"if-none-match": tag})
    assert r.status_code == 200 and len(r.content) < 3000
    group = r.json()["group"]
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"), SRA)
    mean = np.mean(
        [np.array([v / 10 for v in w.values()]) for w in [camp_a] * 12 + [camp_b] * 8], axis=0
    )
    core = rank(matrix, leaf_weights(matrix.criteria_set, dict(zip(KERN, mean, strict=True))))
    assert [(g["rank"], g["label"]) for g in group["ranking"]] == [
        (row["rank"], row["label"]) for row in core.rows(matrix, "nl")
    ]
    assert group["groups"] == "De zaal valt uiteen in 2 opiniegroepen: A (12), B (8)."
    assert group["mine"].startswith("U valt in groep B (8 deelnemers).")
    first = clients[0].get(f"/deelnemen/status?code={session.code}&p={tokens[0]}").json()
    assert first["group"]["mine"].startswith("U valt in groep A (12 deelnemers).")
    english = c.get(f"/deelnemen/status?code={session.code}&p={tok}&lang=en").json()
    assert english["group"]["mine"].startswith("You fall in group B")


def test_status_of_a_bad_link_is_a_403_without_details(app, store) -> None:
    session, _key = create(store)
    r = phone(app).get(f"/deelnemen/status?code={session.code}&p=nope")
    assert r.status_code == 403 and r.json()["ok"] is False
    assert set(r.json()) == {"ok", "message"}


def test_english_pages_on_request(app, store) -> None:
    session, _key = create(store)
    client = phone(app)
    assert "Code from the screen" in client.get("/deelnemen?lang=en").text
    r = client.post("/deelnemen", data={"code": session.code, "lang": "en"})
    assert "lang=en" in r.headers["location"]
    page = client.get(r.headers["location"]).text
    assert '<html lang="en">' in page and "How much does each criterion weigh" in page
    assert math.isfinite(len(json.dumps(page)))


def test_an_unexpected_failure_is_a_sentence_not_a_traceback(store, monkeypatch) -> None:
    service = PhoneService(store, BundleWatcher(), JoinLimiter(store))
    app = Starlette(routes=PhoneRoutes(lambda: service).routes())
    session, _key = create(store)
    client = phone(app)
    token = join(client, session.code)

    def broken(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(service, "submit", broken)
    monkeypatch.setattr(service, "participant", broken)
    r = submit(
        client, session.code, token, {"legitimiteit": 1, "bestuurlijke_drukte": 1, "efficientie": 1}
    )
    assert r.status_code == 500 and r.json() == {
        "ok": False,
        "message": t("ws_action_failed", "nl"),
    }
    page = client.get(f"/deelnemen?code={session.code}&p={token}")
    assert page.status_code == 500 and "disk on fire" not in page.text
    assert t("ws_action_failed", "nl") in page.text


def test_a_join_link_shows_only_a_code_never_a_sentence_from_the_link(app) -> None:
    r = phone(app).get("/deelnemen?code=Bel%20de%20griffie%20op%20<b>06</b>")
    assert "griffie op" not in r.text and "<b>06" not in r.text
    assert "BELDEGRIFFIE" in r.text
