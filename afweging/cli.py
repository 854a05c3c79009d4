"""Command line: ``python -m afweging validate|rank|table|schema ...``.

Problems are printed one per line (``file:line: path: message``) with exit
status 1; a traceback is never shown.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from afweging import __version__
from afweging.analysis import Matrix, build_matrix, rank
from afweging.errors import AfwegingError, InvalidData, Problem
from afweging.loading import load
from afweging.model import LANGS, Lang
from afweging.review import review_table
from afweging.schema import check_schemas, write_schemas
from afweging.weights import leaf_weights, parse_assignments


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m afweging",
        description="Afweging: weigh options for regional cooperation against criteria.",
    )
    parser.add_argument("--version", action="version", version=f"afweging {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check criteria and scenario files or folders")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.set_defaults(func=cmd_validate)

    def case_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--scenarios", required=True, type=Path, metavar="FILE")
        p.add_argument("--criteria", required=True, type=Path, metavar="FILE")
        p.add_argument("--lang", choices=LANGS, default="nl", help="language of labels")

    p = sub.add_parser("rank", help="rank the options of a case for given weights")
    case_args(p)
    p.add_argument(
        "--weights",
        default="",
        metavar="ID=W,...",
        help="weights by criterion id, among siblings; criteria not named keep their default",
    )
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(func=cmd_rank)

    p = sub.add_parser("table", help="review table (Markdown): options by criteria")
    case_args(p)
    p.set_defaults(func=cmd_table)

    p = sub.add_parser("schema", help="write or check the JSON Schemas in schema/")
    p.add_argument("--check", action="store_true", help="exit 1 if schema/ is out of date")
    p.set_defaults(func=cmd_schema)
    return parser


def _fail(problems: Sequence[Problem] | str) -> int:
    lines = [problems] if isinstance(problems, str) else [str(p) for p in problems]
    for line in lines:
        print(line, file=sys.stderr)
    return 1


def cmd_validate(args: argparse.Namespace) -> int:
    """Report every problem in the files; exit 0 only when there is none."""
    bundle, problems = load(args.paths)
    if problems:
        return _fail(problems)
    print(
        f"ok: {len(bundle.criteria_sets)} criteria set(s), {len(bundle.cases)} case(s), "
        f"{sum(len(c.options) for c in bundle.cases)} option(s); data version {bundle.version}"
    )
    return 0


def _matrix(args: argparse.Namespace) -> tuple[Matrix, str]:
    bundle, problems = load([args.criteria, args.scenarios])
    if problems:
        raise InvalidData(problems)
    if len(bundle.criteria_sets) != 1 or len(bundle.cases) != 1:
        raise AfwegingError(
            f"--criteria must name one criteria set and --scenarios one scenario file; "
            f"found {len(bundle.criteria_sets)} and {len(bundle.cases)}"
        )
    return build_matrix(bundle.cases[0], bundle.criteria_sets[0]), bundle.version


def cmd_rank(args: argparse.Namespace) -> int:
    """Rank the options and print them best first."""
    matrix, version = _matrix(args)
    weights = leaf_weights(matrix.criteria_set, parse_assignments(args.weights))
    result = rank(matrix, weights)
    rows = result.rows(matrix, args.lang)
    named = dict(zip(matrix.criterion_ids, map(float, weights), strict=True))
    if args.format == "json":
        document = {
            "case": matrix.case.id,
            "criteria_set": matrix.criteria_set.id,
            "data_version": version,
            "weights": named,
            "ranking": rows,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["rank", "id", "label", "score", *matrix.criterion_ids])
        for row in rows:
            parts = row["contributions"]
            assert isinstance(parts, dict)
            writer.writerow(
                [row["rank"], row["id"], row["label"], f"{row['score']:.6f}"]
                + [f"{parts[c]:.6f}" for c in matrix.criterion_ids]
            )
        print(out.getvalue(), end="")
    else:
        print(_text_table(matrix, rows, named, args.lang, version))
    return 0


def _text_table(
    matrix: Matrix,
    rows: list[dict[str, object]],
    weights: dict[str, float],
    lang: Lang,
    version: str,
) -> str:
    head = f"{matrix.case.label.get(lang)} | {matrix.criteria_set.label.get(lang)}"
    shown = ", ".join(f"{c} {w:.0%}" for c, w in weights.items())
    width = max(len(str(r["label"])) for r in rows)
    lines = [head, f"weights: {shown}", f"data version: {version}", ""]
    lines.append(f"{'rank':>4}  {'score':>6}  {'option':<{width}}  id")
    for row in rows:
        lines.append(
            f"{row['rank']:>4}  {row['score']:>6.3f}  {row['label']!s:<{width}}  {row['id']}"
        )
    return "\n".join(lines)


def cmd_table(args: argparse.Namespace) -> int:
    """Print the review table in Markdown."""
    matrix, version = _matrix(args)
    print(review_table(matrix, args.lang, version))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Regenerate schema/ from the model, or check that it is current."""
    if args.check:
        stale = check_schemas()
        if stale:
            return _fail(f"out of date: {', '.join(stale)}; run: python -m afweging schema")
        print("schemas are up to date")
        return 0
    for path in write_schemas():
        print(f"wrote {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except InvalidData as exc:
        return _fail(exc.problems)
    except AfwegingError as exc:
        return _fail(f"error: {exc}")
    except BrokenPipeError:
        return 0
