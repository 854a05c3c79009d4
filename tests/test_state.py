"""The view's round trip through the URL: permalinks in memos keep opening the same view."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from afweging.loading import load_bundled
from afweging_ui.state import View, default_view, from_query, normalise, to_query


@pytest.fixture(scope="module")
def bundle():
    return load_bundled()


def parse(link: str) -> dict[str, str]:
    """The query of a pasted link, as Streamlit hands it to the script."""
    return dict(parse_qsl(urlsplit(link).query))


#: Permalinks exactly as the dashboard writes them today (the copy-link box percent-encodes
#: commas and colons; a link typed or shortened by hand has them bare), and what they open.
PERMALINKS = [
    (
        "http://localhost:8501/?case=sra&set=kern&opt=sra-huidig,sra-verbreed,sra-kabinet"
        "&m=sliders&lang=nl&w=legitimiteit:3,bestuurlijke_drukte:1,efficientie:1",
        View(
            "sra",
            "kern",
            ("sra-huidig", "sra-verbreed", "sra-kabinet"),
            "sliders",
            {"legitimiteit": 3.0, "bestuurlijke_drukte": 1.0, "efficientie": 1.0},
            {},
            "nl",
            {},
        ),
    ),
    (
        "https://afweging.example.nl/robuustheid?case=g32&set=kern"
        "&opt=g32-1%2Cg32-2a%2Cg32-mix&m=points"
        "&lang=en&w=legitimiteit%3A50%2Cbestuurlijke_drukte%3A20%2Cefficientie%3A30",
        View(
            "g32",
            "kern",
            ("g32-1", "g32-2a", "g32-mix"),
            "points",
            {"legitimiteit": 50.0, "bestuurlijke_drukte": 20.0, "efficientie": 30.0},
            {},
            "en",
            {},
        ),
    ),
    (
        "/?case=sra&set=kern&opt=sra-huidig%2Csra-koers%2Csra-mra-vervoer%2Csra-informeel"
        "%2Csra-domein%2Csra-subregionaal%2Csra-verbreed%2Csra-kabinet&m=ahp&lang=nl"
        "&ahp=legitimiteit.bestuurlijke_drukte%3A2%2Clegitimiteit.efficientie%3A-3"
        "%2Cbestuurlijke_drukte.efficientie%3A0",
        View(
            "sra",
            "kern",
            (
                "sra-huidig",
                "sra-koers",
                "sra-mra-vervoer",
                "sra-informeel",
                "sra-domein",
                "sra-subregionaal",
                "sra-verbreed",
                "sra-kabinet",
            ),
            "ahp",
            {"legitimiteit": 1.0, "bestuurlijke_drukte": 1.0, "efficientie": 1.0},
            {
                "legitimiteit.bestuurlijke_drukte": 2,
                "legitimiteit.efficientie": -3,
                "bestuurlijke_drukte.efficientie": 0,
            },
            "nl",
            {},
        ),
    ),
    (
        "/?case=sra&set=kern&opt=sra-huidig,sra-informeel,sra-kabinet&m=rank&lang=nl"
        "&w=legitimiteit:2,bestuurlijke_drukte:3,efficientie:1"
        "&wi=sra-informeel.legitimiteit:5,sra-kabinet.efficientie:2",
        View(
            "sra",
            "kern",
            ("sra-huidig", "sra-informeel", "sra-kabinet"),
            "rank",
            {"legitimiteit": 2.0, "bestuurlijke_drukte": 3.0, "efficientie": 1.0},
            {},
            "nl",
            {"sra-informeel.legitimiteit": 5.0, "sra-kabinet.efficientie": 2.0},
        ),
    ),
]


@pytest.mark.parametrize(("link", "expected"), PERMALINKS)
def test_todays_permalinks_open_the_same_view(bundle, link: str, expected: View) -> None:
    view = from_query(parse(link), bundle)
    assert view == expected
    # and the dashboard writes them back unchanged (only the percent-encoding may differ)
    assert to_query(view) == parse(link)


def test_a_tree_permalink_with_two_levels(bundle) -> None:
    link = (
        "/?case=g32&set=uitgebreid&opt=g32-1,g32-2a,g32-2b,g32-3a,g32-3b,g32-mix&m=sliders"
        "&lang=en&w=legitimiteit:4,sturing_door_raden:3,samenhang:0.5"
    )
    view = from_query(parse(link), bundle)
    assert (view.case, view.criteria_set, view.lang) == ("g32", "uitgebreid", "en")
    assert view.inputs["legitimiteit"] == 4.0
    assert view.inputs["sturing_door_raden"] == 3.0
    assert view.inputs["samenhang"] == 0.5
    assert view.inputs["kosten"] == 1.0  # not in the link: its default
    assert from_query(to_query(view), bundle) == view


def test_fractions_survive_a_reload_exactly(bundle) -> None:
    """Weights applied by 'what would you have to believe' carry up to 17 digits."""
    view = default_view(bundle).with_(
        inputs={"legitimiteit": 10.0, "bestuurlijke_drukte": 1 / 3, "efficientie": 7.123456789}
    )
    query = to_query(view)
    assert query["w"].startswith("legitimiteit:10,bestuurlijke_drukte:0.3333333333333333,")
    assert from_query(query, bundle) == view


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"case": "<script>", "set": "nope", "m": "magic", "opt": "x", "lang": "fr"},
        {"w": "legitimiteit:nan,efficientie:1e9,bestuurlijke_drukte:-4", "m": "sliders"},
        {"m": "points", "w": "legitimiteit:33.4,efficientie:250"},
        {"m": "rank", "w": "legitimiteit:0,efficientie:99"},
        {"m": "ahp", "ahp": "efficientie.legitimiteit:3,legitimiteit.x:4,a:b"},
        {"wi": "sra-huidig.legitimiteit:99,g32-1.legitimiteit:2,sra-koers.nope:3"},
        {"case": "g32", "set": "uitgebreid", "m": "swing", "w": "samenhang:42.6"},
    ],
)
def test_any_query_gives_a_normal_view_that_round_trips(bundle, query) -> None:
    view = from_query(query, bundle)
    assert normalise(view, bundle) == view
    assert from_query(to_query(view), bundle) == view


def test_clamping_and_defaults(bundle) -> None:
    view = from_query(
        {"w": "legitimiteit:nan,efficientie:1e9,bestuurlijke_drukte:-4", "lang": "fr"}, bundle
    )
    assert view.inputs == {"legitimiteit": 1.0, "bestuurlijke_drukte": 0.0, "efficientie": 10.0}
    assert (view.case, view.criteria_set, view.lang) == ("sra", "kern", "nl")
    points = from_query({"m": "points", "w": "legitimiteit:33.4,efficientie:250"}, bundle)
    assert points.inputs == {
        "legitimiteit": 33.0,
        "bestuurlijke_drukte": 33.0,
        "efficientie": 100.0,
    }
    rank = from_query({"m": "rank", "w": "legitimiteit:0,efficientie:99"}, bundle)
    assert rank.inputs["legitimiteit"] == 1.0 and rank.inputs["efficientie"] == 3.0
    ahp = from_query({"m": "ahp", "ahp": "efficientie.legitimiteit:3"}, bundle)
    assert ahp.pairs == {
        "legitimiteit.bestuurlijke_drukte": 0,
        "legitimiteit.efficientie": -3,
        "bestuurlijke_drukte.efficientie": 0,
    }
    wi = from_query({"wi": "sra-huidig.legitimiteit:99,g32-1.legitimiteit:2"}, bundle)
    assert wi.whatif == {"sra-huidig.legitimiteit": 5.0}
