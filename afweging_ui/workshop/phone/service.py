"""What the participant's phone can do, without any web framework: join, weigh, submit, poll.

The HTTP routes in :mod:`afweging_ui.workshop.phone.routes` only translate requests into
these calls and results into pages or JSON. Everything here works on the
workshop store and the bundled data, and answers in the participant's language
from the interface's translation table. Refusals are :class:`Refusal` with a
translation key, so a phone always gets a sentence it can show, never a
traceback, and the code of an HTTP status to send.

Cheap on purpose: a submit is one store write; a poll is one store read plus,
after the reveal, a group picture that is computed once per change of the
round's data and shared by every phone (:class:`PictureCache`).
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from afweging.casebook.linked import SavedVersion
from afweging.loading import Bundle
from afweging.matrix import Matrix, build_matrix, rank
from afweging.model import Case, CriteriaSet, Lang
from afweging.numbers import decimal, percent, to_float
from afweging.workshop import (
    AccessDenied,
    InvalidSubmission,
    Participant,
    Session,
    SessionClosed,
    SessionExpired,
    SessionNotFound,
    Submission,
    WorkshopError,
    WorkshopStore,
)
from afweging.workshop.errors import TooManyAttempts
from afweging.workshop.exports import ZONE
from afweging.workshop.limits import Client, JoinLimiter
from afweging.workshop.picture import (
    SLIDER_DEFAULT,
    SLIDER_MAX,
    GroupPicture,
    group_picture,
    leaf_weights_for,
    rank_weights,
    ranks_from_weights,
    weighable_criteria,
    weighable_values,
)
from afweging.workshop.sentences import bridge_sentence, group_top, groups_sentence
from afweging.workshop.store import MAX_TEXT_LENGTH
from afweging_ui.i18n import t

FIELDS = ("name", "municipality", "role")


class Refusal(Exception):
    """A request the phone cannot have: a translation key, its values and an HTTP status."""

    def __init__(self, key: str, status: int = 400, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.status = status
        self.values = values

    def text(self, lang: Lang) -> str:
        """The refusal as a sentence for the participant."""
        return t(self.key, lang, **self.values)


def clock_time(moment: datetime) -> str:
    """A moment as the room's clock shows it (Amsterdam), to the second."""
    return moment.astimezone(ZONE).strftime("%H:%M:%S")


def retry_text(when: datetime, now: datetime, lang: Lang) -> Refusal:
    """'Try again at 21:47 (in 4 minutes)': a refusal that says when it ends."""
    minutes = max(1, math.ceil((when - now).total_seconds() / 60))
    return Refusal(
        "ws_phone_wait",
        429,
        time=when.astimezone(ZONE).strftime("%H:%M"),
        minutes=minutes,
    )


@dataclass
class PictureCache:
    """Group pictures by (session, round, round version, data version), shared by all phones."""

    size: int = 32
    _items: OrderedDict[tuple[Any, ...], tuple[GroupPicture, dict[int, int]]] = field(
        default_factory=OrderedDict
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(
        self, key: tuple[Any, ...], build: Callable[[], tuple[GroupPicture, dict[int, int]]]
    ) -> tuple[GroupPicture, dict[int, int]]:
        """The cached picture for ``key``, building it (once, under the lock) when missing."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            value = build()
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return value


class PhoneService:
    """Join, weigh, submit and poll for one store and the data it refers to."""

    def __init__(
        self,
        store: WorkshopStore,
        bundle: Callable[[], Bundle],
        limiter: JoinLimiter | None = None,
        saved: Callable[[str, int], SavedVersion | None] | None = None,
    ) -> None:
        self.store = store
        self.bundle = bundle
        #: A saved case's version by (case id, number), for sessions started on one.
        self.saved = saved
        self.limiter = limiter or JoinLimiter(store)
        self.pictures = PictureCache()
        self._matrices: dict[tuple[Any, ...], Matrix | None] = {}
        self._matrices_lock = threading.Lock()

    # ---------------------------------------------------------------- data

    def matrix(self, session: Session) -> Matrix | None:
        """The session's case on its criteria set; None when the data no longer holds it."""
        if session.library_case is not None:
            return self._saved_matrix(session)
        bundle = self.bundle()
        key = (bundle.version, session.case_id, session.criteria_set_id, session.option_ids)
        with self._matrices_lock:
            if key not in self._matrices:
                self._matrices[key] = self._build_matrix(bundle, session)
            return self._matrices[key]

    def _saved_matrix(self, session: Session) -> Matrix | None:
        """A session on a saved case: that version's models (a version never changes)."""
        assert session.library_case is not None
        key = ("saved", *session.library_case, session.option_ids)
        with self._matrices_lock:
            if key in self._matrices:
                return self._matrices[key]
        found = None if self.saved is None else self.saved(*session.library_case)
        matrix = None
        if found is not None:
            matrix = self._matrix_of(found.case, found.criteria_set, session)
        with self._matrices_lock:
            if found is not None:  # a database that was away is asked again next time
                self._matrices[key] = matrix
        return matrix

    @staticmethod
    def _build_matrix(bundle: Bundle, session: Session) -> Matrix | None:
        try:
            case = bundle.case(session.case_id)
            cset = bundle.criteria_set(session.criteria_set_id)
        except (KeyError, StopIteration):
            return None
        return PhoneService._matrix_of(case, cset, session)

    @staticmethod
    def _matrix_of(case: Case, cset: CriteriaSet, session: Session) -> Matrix | None:
        try:
            matrix = build_matrix(case, cset, session.option_ids)
        except (KeyError, StopIteration, ValueError):
            return None
        if tuple(c.id for c in weighable_criteria(cset)) != session.weighable_ids:
            return None
        return matrix

    # ---------------------------------------------------------------- joining

    def check_code(self, client: Client, typed: str, lang: Lang) -> Session:
        """A typed code, counted by the limiter when wrong; Refusal when it cannot be used."""
        try:
            self.limiter.check(client)
        except TooManyAttempts as exc:
            raise retry_text(exc.retry_at, self.store.now(), lang) from None
        try:
            session = self.store.get_session_by_code(typed)
        except SessionNotFound:
            self.limiter.failed(client, typed)
            raise Refusal("ws_unknown_code", 404) from None
        if session.is_expired(self.store.now()):
            raise Refusal("ws_expired", 410)
        if not session.is_open:
            raise Refusal("ws_closed_join", 409)
        return session

    def join(
        self, client: Client, typed: str, answers: Mapping[str, str | None], lang: Lang
    ) -> tuple[Session, str]:
        """Add a participant; their session and token. Refusal names the field at fault."""
        session = self.check_code(client, typed, lang)
        clean = {f: (answers.get(f) or None) for f in FIELDS}
        try:
            _person, token = self.store.join(session.code, **clean)
        except InvalidSubmission as exc:
            name = exc.field if exc.field in FIELDS else "name"
            raise Refusal(
                "ws_bad_text", 422, field=t(f"ws_your_{name}", lang), max=MAX_TEXT_LENGTH
            ) from None
        except TooManyAttempts as exc:
            raise retry_text(exc.retry_at, self.store.now(), lang) from None
        except SessionExpired:
            raise Refusal("ws_expired", 410) from None
        except SessionClosed:
            raise Refusal("ws_closed_join", 409) from None
        return session, token

    def asks(self, session: Session) -> list[str]:
        """The questions this session asks when joining (may be none)."""
        asked = {
            "name": session.ask_name,
            "municipality": session.ask_municipality,
            "role": session.ask_role,
        }
        return [f for f in FIELDS if asked[f]]

    # ---------------------------------------------------------------- weighing

    def participant(
        self, code: str, token: str
    ) -> tuple[Session, Participant, Submission | None, tuple[int, str]]:
        """The participant's view; Refusal 'link not valid' for any bad code or token alike."""
        try:
            return self.store.participant_view(code, token)
        except (AccessDenied, SessionNotFound):
            raise Refusal("ws_bad_token", 403) from None

    def weights_from(self, session: Session, inputs: Mapping[str, object]) -> dict[str, float]:
        """The weights to store from what the phone sent: slider values or places."""
        ids = session.weighable_ids
        unknown = [k for k in inputs if k not in ids]
        missing = [c for c in ids if c not in inputs]
        if unknown or missing:
            raise Refusal("ws_phone_bad_input", 422)
        numbers: dict[str, float] = {}
        for cid in ids:
            value = inputs[cid]
            try:
                number = to_float(value)
            except (TypeError, ValueError):
                raise Refusal("ws_phone_bad_input", 422) from None
            if isinstance(value, bool) or not math.isfinite(number):
                raise Refusal("ws_phone_bad_input", 422)
            numbers[cid] = number
        if session.weight_method == "rank":
            places = {}
            for cid, number in numbers.items():
                if number != int(number) or not 1 <= number <= len(ids):
                    raise Refusal("ws_phone_bad_rank", 422, k=len(ids))
                places[cid] = int(number)
            return rank_weights(places)
        if any(not 0 <= v <= SLIDER_MAX for v in numbers.values()):
            raise Refusal("ws_phone_bad_slider", 422, max=SLIDER_MAX)
        if not any(v > 0 for v in numbers.values()):
            raise Refusal("ws_all_zero", 422)
        return numbers

    def submit(self, code: str, token: str, inputs: Mapping[str, object]) -> Submission:
        """Validate and store; the stored submission, or a Refusal (nothing stored)."""
        session, _person, _mine, _version = self.participant(code, token)
        weights = self.weights_from(session, inputs)
        try:
            return self.store.submit(session.code, token, weights)
        except SessionExpired:
            raise Refusal("ws_expired_kept", 409) from None
        except SessionClosed:
            raise Refusal("ws_closed_kept", 409) from None
        except (AccessDenied, SessionNotFound):
            raise Refusal("ws_bad_token", 403) from None
        except InvalidSubmission:
            raise Refusal("ws_phone_bad_input", 422) from None
        except WorkshopError:
            raise Refusal("ws_action_failed", 500) from None

    def inputs_for(self, session: Session, mine: Submission | None) -> dict[str, int]:
        """Slider values or places to show: the last submission, else the defaults."""
        ids = session.weighable_ids
        if session.weight_method == "rank":
            if mine is not None:
                return ranks_from_weights({c: float(mine.weights[c]) for c in ids})
            return {c: i + 1 for i, c in enumerate(ids)}
        if mine is None:
            return dict.fromkeys(ids, SLIDER_DEFAULT)
        return {c: int(min(SLIDER_MAX, max(0, round(float(mine.weights[c]))))) for c in ids}

    # ---------------------------------------------------------------- the page's data

    def page_data(
        self, session: Session, matrix: Matrix, inputs: Mapping[str, int], lang: Lang
    ) -> dict[str, Any]:
        """Everything the weigh page shows and its script needs (labels, values, texts)."""
        cset = matrix.criteria_set
        tops = weighable_criteria(cset)
        values = weighable_values(matrix)
        weights = self._weights_for_inputs(session, inputs)
        ranking = own_ranking(matrix, weights, lang) if weights else []
        return {
            "method": session.weight_method,
            "criteria": [
                {
                    "id": c.id,
                    "label": c.label.get(lang),
                    "description": c.description.get(lang) if c.description else "",
                    "value": int(inputs[c.id]),
                }
                for c in tops
            ],
            "options": [o.label.get(lang) for o in matrix.options],
            "values": [[round(float(x), 12) for x in row] for row in values],
            "slider_max": SLIDER_MAX,
            "ranking": ranking,
            "shares": shares_text(tops, weights, lang) if weights else "",
            "lang": lang,
        }

    def _weights_for_inputs(self, session: Session, inputs: Mapping[str, int]) -> dict[str, float]:
        try:
            return self.weights_from(session, dict(inputs))
        except Refusal:
            return {}

    # ---------------------------------------------------------------- polling

    def status(self, code: str, token: str, lang: Lang) -> tuple[str, dict[str, Any]]:
        """The phone's poll: (ETag, JSON body). Refusal 'link not valid' for a bad link."""
        session, person, mine, version = self.participant(code, token)
        now = self.store.now()
        body: dict[str, Any] = {
            "round": session.current_round,
            "open": session.is_open and not session.is_expired(now),
            "revealed": session.revealed,
            "submitted": None if mine is None else clock_time(mine.submitted_at),
            "state": state_text(session, now, lang),
        }
        matrix = self.matrix(session)
        if session.revealed and version[0] > 0 and matrix is not None:
            body["group"] = self.group_body(session, person, matrix, version, lang)
        tag = hashlib.sha256(repr(sorted(body.items())).encode()).hexdigest()[:20]
        return f'"{tag}"', body

    def picture(
        self, session: Session, matrix: Matrix, version: tuple[int, str]
    ) -> tuple[GroupPicture, dict[int, int]]:
        """The round's group picture and each participant's opinion group, cached."""
        key = (session.id, session.current_round, version, self.bundle().version)

        def build() -> tuple[GroupPicture, dict[int, int]]:
            subs = self.store.submissions(session.id, session.current_round)
            picture = group_picture(matrix, [dict(s.weights) for s in subs])
            return picture, {s.participant_id: picture.group_of(i) for i, s in enumerate(subs)}

        return self.pictures.get(key, build)

    def group_body(
        self,
        session: Session,
        person: Participant,
        matrix: Matrix,
        version: tuple[int, str],
        lang: Lang,
    ) -> dict[str, Any]:
        """The revealed group result as the phone shows it, with this person's own group."""
        picture, groups = self.picture(session, matrix, version)

        def tr(key: str) -> str:
            return t(key, lang)

        labels = {o.id: o.label.get(lang) for o in matrix.options}
        mean = picture.mean_ranking
        rows = [{"rank": r["rank"], "label": r["label"]} for r in mean.rows(matrix, lang)]
        mine = groups.get(person.id)
        own = None
        if mine is not None and picture.groups.n_groups > 1:
            letter = picture.groups.letters[mine]
            own = t(
                "ws_phone_your_group",
                lang,
                letter=letter,
                n=int(picture.groups.sizes[mine]),
                top=group_top(picture, mine, labels),
            )
        return {
            "n": picture.n,
            "ranking": rows,
            "caption": t("ws_group_on_phone", lang, n=picture.n),
            "groups": groups_sentence(picture, tr),
            "bridge": bridge_sentence(picture, tr, labels),
            "mine": own,
        }


def own_ranking(matrix: Matrix, weights: Mapping[str, float], lang: Lang) -> list[dict[str, Any]]:
    """This person's ranking with the core, best first (the server-side first paint)."""
    ranking = rank(matrix, leaf_weights_for(matrix.criteria_set, weights))
    return [
        {"rank": r["rank"], "label": r["label"], "score": decimal(r["score"], lang)}
        for r in ranking.rows(matrix, lang)
    ]


def shares_text(tops: list[Any], weights: Mapping[str, float], lang: Lang) -> str:
    """'Legitimiteit 50% · Drukte 25% · ...': the weights as shares."""
    total = sum(weights.values())
    return " · ".join(f"{c.label.get(lang)} {percent(weights[c.id] / total, lang)}" for c in tops)


def state_text(session: Session, now: datetime, lang: Lang) -> str:
    """One line on what the participant can do now."""
    if session.is_expired(now):
        return t("ws_expired_kept", lang)
    if not session.is_open:
        return t("ws_closed_kept", lang)
    if session.revealed:
        return t("ws_phone_revealed", lang, round=session.current_round)
    return t("ws_phone_waiting", lang, round=session.current_round)


__all__ = ["FIELDS", "PhoneService", "PictureCache", "Refusal", "clock_time", "retry_text"]
