"""Checks on everything that comes in from outside: join codes, secrets, ids, text, weights.

Join codes are short and typed by people, so they use an alphabet without
look-alikes and are normalised before lookup; facilitator keys and participant
tokens are stored only as SHA-256 hashes. Ids, free text and submitted weights
are validated here before anything is stored, and every refusal says what was
expected and what was got. None of this touches the database, so it can be
tested and reused on its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import numbers
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Final

from afweging.workshop.errors import (
    FieldProblem,
    InvalidSubmission,
    SessionNotFound,
    _refuse,
    _show,
)

#: Join-code alphabet: digits and capitals without 0, O, 1, I and L.
CODE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH: Final = 6
#: Number of distinct join codes (887,503,681).
CODE_SPACE: Final = len(CODE_ALPHABET) ** CODE_LENGTH

MAX_TEXT_LENGTH: Final = 80
MAX_ID_LENGTH: Final = 200
#: No slider goes this high; the bound keeps sums of weights finite.
MAX_WEIGHT: Final = 1e6
#: Longest token or key looked at; anything longer is refused before hashing.
_MAX_SECRET_LENGTH: Final = 200

# Bidirectional overrides and isolates can make a name display as something else.
_BIDI_CONTROLS: Final = frozenset(
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
)
_REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cs", "Zl", "Zp"})


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def viewer_key_for(facilitator_key: str, code: str) -> str:
    """The projector link's key: derived from the facilitator key, so it needs no storage
    of its own and can be shown again whenever the facilitator is signed in, yet it
    reveals nothing of the facilitator key (HMAC-SHA256, cut to 192 bits)."""
    mac = hmac.new(facilitator_key.encode(), f"projector:{code}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode().rstrip("=")


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: object) -> str:
    """Upper-case a typed join code and drop spaces and dashes; SessionNotFound if malformed."""
    if not isinstance(code, str):
        raise SessionNotFound(f"join code: expected text, got {type(code).__name__}")
    cleaned = "".join(ch for ch in code.upper() if ch not in " -\t")
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        raise SessionNotFound(f"no session with join code {_show(code, 20)}")
    return cleaned


def _check_identifier(field_name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _refuse(field_name, "a non-empty text id", _show(value))
    if len(value) > MAX_ID_LENGTH or any(unicodedata.category(ch) == "Cc" for ch in value):
        raise _refuse(
            field_name, f"at most {MAX_ID_LENGTH} characters, no control characters", _show(value)
        )
    return value


def _check_id_list(field_name: str, values: object) -> tuple[str, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise _refuse(field_name, "a list of ids", _show(values))
    ids = tuple(_check_identifier(f"{field_name}.{i}", v) for i, v in enumerate(values))
    if not ids:
        raise _refuse(field_name, "at least one id", "an empty list")
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise _refuse(field_name, "unique ids", f"duplicates {duplicates}")
    return ids


def clean_text(field_name: str, value: object, asked: bool) -> str | None:
    """Validate a free-text answer (name, municipality, role); None when not given.

    Text that was not asked for is refused rather than stored: a session that does
    not ask for names must not end up holding them.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise _refuse(field_name, "text", type(value).__name__)
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        return None
    if not asked:
        raise _refuse(field_name, "nothing (this session does not ask for it)", _show(text))
    if len(text) > MAX_TEXT_LENGTH:
        raise _refuse(
            field_name, f"at most {MAX_TEXT_LENGTH} characters", f"{len(text)} characters"
        )
    for position, ch in enumerate(text):
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) in _REFUSED_CATEGORIES:
            raise _refuse(
                field_name,
                "plain text without control characters",
                f"U+{ord(ch):04X} at position {position}",
            )
    return text


def validate_weights(weights: object, weighable_ids: Iterable[str]) -> dict[str, float]:
    """Check a submitted weights mapping against the session's criteria; return clean floats.

    Every criterion needs a weight (a missing one is refused, not read as zero, so a
    truncated request cannot pass as a real opinion). All problems are reported at once.
    """
    expected_ids = tuple(weighable_ids)
    if not isinstance(weights, Mapping):
        raise _refuse("weights", "a mapping of criterion id to weight", type(weights).__name__)
    problems: list[FieldProblem] = []
    clean: dict[str, float] = {}
    for key, value in weights.items():
        if not isinstance(key, str) or key not in expected_ids:
            problems.append(
                FieldProblem(
                    f"weights.{key}"
                    if isinstance(key, str) and len(key) <= 40
                    else f"weights.{_show(key, 40)}",
                    f"one of the criteria {', '.join(expected_ids)}",
                    "an unknown criterion",
                )
            )
            continue
        where = f"weights.{key}"
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            problems.append(
                FieldProblem(where, "a number", f"{type(value).__name__} {_show(value)}")
            )
            continue
        number = float(value)
        if not math.isfinite(number):
            problems.append(FieldProblem(where, "a finite number", repr(number)))
        elif number < 0:
            problems.append(FieldProblem(where, "a weight of 0 or more", repr(number)))
        elif number > MAX_WEIGHT:
            problems.append(
                FieldProblem(where, f"a weight of at most {MAX_WEIGHT:g}", repr(number))
            )
        else:
            clean[key] = number + 0.0  # turns -0.0 into 0.0
    missing = [c for c in expected_ids if c not in weights]
    if missing:
        problems.append(
            FieldProblem(
                "weights", "a weight for every criterion", f"no weight for {', '.join(missing)}"
            )
        )
    if not problems and not any(v > 0 for v in clean.values()):
        problems.append(FieldProblem("weights", "at least one weight above 0", "all weights 0"))
    if problems:
        raise InvalidSubmission(problems)
    return {c: clean[c] for c in expected_ids}


__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CODE_SPACE",
    "MAX_ID_LENGTH",
    "MAX_TEXT_LENGTH",
    "MAX_WEIGHT",
    "clean_text",
    "normalise_code",
    "validate_weights",
    "viewer_key_for",
]
