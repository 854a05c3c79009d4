"""Command line: ``afweging validate|rank|robustness|table|review|schema|init|serve ...``
(also ``python -m afweging``).

Problems are printed one per line (``file:line: path: message``) with exit
status 1; a traceback is never shown. Files may be named by path or, for the content
in use (:mod:`afweging.content`), by name: ``--scenarios sra --criteria kern``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from afweging import __version__, serve, translations
from afweging.content import content_dir, copy_bundled, missing_folders, resolve
from afweging.errors import AfwegingError, InvalidData, Problem
from afweging.loading import Kind, content_paths, empty_folders, kind_of, load, load_bundled
from afweging.matrix import Matrix, RankingRow, build_matrix, rank
from afweging.methods import METHOD_NAMES
from afweging.model import LANGS, Lang
from afweging.review import review_document, review_table
from afweging.robustness import (
    RobustnessReport,
    Translate,
    criterion_name,
    grade,
    grade_label,
    grade_reason,
    interval_phrase,
    pct,
    robustness_report,
    summary_sentence,
    weight_pct,
)
from afweging.schema import check_schemas, write_schemas
from afweging.second_reading import (
    RECORD,
    RecordProblem,
    load_decisions,
    load_raw,
    read_record,
    record_problems,
    render_record,
    tally,
)
from afweging.to_win import to_win
from afweging.verdict import robustness_sentence, verdict
from afweging.weights import leaf_weights, parse_assignments
from afweging.yamlfile import display_name, read


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="afweging",
        description="Afweging: weigh options for regional cooperation against criteria.",
    )
    parser.add_argument("--version", action="version", version=f"afweging {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "validate", help="check criteria and scenario files or folders (default: the content)"
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    p.set_defaults(func=cmd_validate)

    def case_args(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--scenarios", required=True, type=Path, metavar="FILE",
            help="a scenario file, or the name of one in the content's scenarios/ (e.g. sra)",
        )  # fmt: skip
        p.add_argument(
            "--criteria", required=True, type=Path, metavar="FILE",
            help="a criteria file, or the name of one in the content's criteria/ (e.g. kern)",
        )  # fmt: skip
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

    p = sub.add_parser(
        "robustness",
        help="how sure is the winner: stability intervals, rank acceptability, method check",
    )
    case_args(p)
    p.add_argument(
        "--weights",
        default="",
        metavar="ID=W,...",
        help="weights by criterion id, among siblings; criteria not named keep their default",
    )
    p.add_argument(
        "--samples",
        type=_samples,
        default=10_000,
        help=f"Monte-Carlo draws, 1 to {MAX_SAMPLES:,} (default 10000)",
    )
    p.add_argument(
        "--seed",
        type=_seed,
        default=0,
        help="random seed, a whole number of 0 or more; same seed, same numbers",
    )
    p.add_argument(
        "--spread",
        type=_spread,
        default=None,
        metavar="S",
        help=(
            f"draw weights around --weights with this spread instead of uniformly: "
            f"0 (exactly --weights) or {SPREAD_RANGE[0]:g} to {SPREAD_RANGE[1]:g}"
        ),
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_robustness)

    p = sub.add_parser("table", help="review table (Markdown): options by criteria")
    case_args(p)
    p.set_defaults(func=cmd_table)

    p = sub.add_parser("review", help="review tables (Markdown) of every bundled case and set")
    p.add_argument("--lang", choices=LANGS, default="nl", help="language of labels")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser(
        "reading", help="check docs/second-reading.md against the data (or --write it anew)"
    )
    p.add_argument(
        "--write",
        action="store_true",
        help="rebuild the record from docs/second-reading-raw/ (readings and decisions)",
    )
    p.add_argument("--record", type=Path, default=RECORD, help="the record (Markdown) to check")
    p.set_defaults(func=cmd_reading)

    p = sub.add_parser("schema", help="write or check the JSON Schemas in schema/")
    p.add_argument("--check", action="store_true", help="exit 1 if schema/ is out of date")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser(
        "init", help="start a council's own content folder from a copy of the bundled content"
    )
    p.add_argument("folder", type=Path, metavar="FOLDER")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("serve", help="start the dashboard and the phone pages (Streamlit)")
    p.add_argument(
        "--port", type=_port, default=8501, help="port to listen on, 1 to 65535 (default 8501)"
    )
    p.add_argument(
        "--address",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: behind a reverse proxy on this host)",
    )
    p.add_argument(
        "--base-path", default="", metavar="PATH", help="serve under this path, e.g. afweging"
    )
    p.set_defaults(func=cmd_serve)
    return parser


def _fail(problems: Sequence[Problem] | Sequence[str] | str) -> int:
    lines = [problems] if isinstance(problems, str) else [str(p) for p in problems]
    for line in lines:
        print(line, file=sys.stderr)
    return 1


def cmd_validate(args: argparse.Namespace) -> int:
    """Report every problem in the files; exit 0 only when there is none."""
    if not args.paths:
        missing = missing_folders()
        if missing:
            return _fail(
                f"{content_dir()}: no {', '.join(m + '/' for m in missing)} "
                "(a content folder holds criteria/, scenarios/ and seeds/; "
                "see AFWEGING_CONTENT_DIR)"
            )
    bundle, problems = load(args.paths or content_paths())
    problems = empty_folders(args.paths) + problems
    if problems:
        return _fail(problems)
    print(
        f"ok: {len(bundle.criteria_sets)} criteria set(s), {len(bundle.cases)} case(s), "
        f"{sum(len(c.options) for c in bundle.cases)} option(s); data version {bundle.version}"
    )
    return 0


def _matrix(args: argparse.Namespace) -> tuple[Matrix, str]:
    try:
        files = [resolve(args.criteria, "criteria"), resolve(args.scenarios, "scenarios")]
    except FileNotFoundError as exc:
        raise AfwegingError(str(exc)) from None
    _check_kinds(files[0], "--criteria", "criteria")
    _check_kinds(files[1], "--scenarios", "scenario")
    bundle, problems = load(files)
    if problems:
        raise InvalidData(problems)
    if len(bundle.criteria_sets) != 1 or len(bundle.cases) != 1:
        raise AfwegingError(
            f"--criteria must name one criteria set and --scenarios one scenario file; "
            f"found {len(bundle.criteria_sets)} and {len(bundle.cases)}"
        )
    return build_matrix(bundle.cases[0], bundle.criteria_sets[0]), bundle.version


def _check_kinds(path: Path, option: str, wanted: Kind) -> None:
    """Refuse a criteria set given as --scenarios or a case as --criteria, by name.

    Loading both would work either way round, so a swap must be caught here. A file
    that cannot be read or parsed is left to :func:`load`, which names all its problems.
    """
    if path.is_dir():
        return
    try:
        found = kind_of(read(path))
    except InvalidData:
        return
    if found != wanted:
        raise AfwegingError(
            translations.text(
                "cli_wrong_kind",
                "en",
                option=option,
                file=display_name(path),
                found=translations.text(f"cli_kind_{found}", "en"),
                wanted=translations.text(f"cli_kind_{wanted}", "en"),
            )
        )


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
            "to_win": _to_win_json(matrix, weights),
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["rank", "id", "label", "score", *matrix.criterion_ids])
        for row in rows:
            parts = row["contributions"]
            writer.writerow(
                [row["rank"], row["id"], row["label"], f"{row['score']:.6f}"]
                + [f"{parts[c]:.6f}" for c in matrix.criterion_ids]
            )
        print(out.getvalue(), end="")
    else:
        print(_text_table(matrix, rows, named, args.lang, version))
    return 0


def _to_win_json(matrix: Matrix, weights: np.ndarray) -> dict[str, dict[str, object] | None]:
    """Per option the nearest leaf weights where it is first, and how much weight moves.

    ``distance`` is half the L1 distance to the given weights (the share of weight
    that moves); ``ties`` is true when the option can at best share first place.
    None where no weights on this set put the option first.
    """
    return {
        oid: None
        if r.weights is None
        else {"weights": r.weights, "distance": r.distance, "ties": r.ties}
        for oid, r in to_win(matrix, weights).items()
    }


def _text_table(
    matrix: Matrix,
    rows: Sequence[RankingRow],
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


#: The most Monte-Carlo draws: 10 million of 100 criteria already take 8 GB.
MAX_SAMPLES = 10_000_000
#: A positive --spread below the first makes the Dirichlet concentration overflow, one
#: above the second makes draws underflow to all zeros (redrawn, perhaps without end).
SPREAD_RANGE = (0.001, 0.99)
MAX_PORT = 65_535


class BadNumber(AfwegingError):
    """A number option out of its range: exit 1 with the range, like every other mistake.

    argparse lets exceptions other than its own pass, so a type function raising this
    ends the parse with exit status 1 and the message, never argparse's exit 2.
    """


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else f"{text[:30]}…{text[-5:]}")


def _whole(text: str, key: str, low: int, high: int | None = None) -> int:
    """A whole number in [low, high], or BadNumber with the message ``key``."""
    try:
        number = int(text.strip())
    except ValueError:  # also a number of more than 4300 digits
        number = None
    if number is None or number < low or (high is not None and number > high):
        raise BadNumber(translations.text(key, "en", given=_shown(text)))
    return number


def _samples(text: str) -> int:
    """--samples: a whole number from 1 to :data:`MAX_SAMPLES`."""
    return _whole(text, "cli_bad_samples", 1, MAX_SAMPLES)


def _seed(text: str) -> int:
    """--seed: a whole number of 0 or more (numpy refuses negative seeds)."""
    return _whole(text, "cli_bad_seed", 0)


def _port(text: str) -> int:
    """--port: a TCP port."""
    return _whole(text, "cli_bad_port", 1, MAX_PORT)


def _spread(text: str) -> float:
    """--spread: 0, or a fraction in :data:`SPREAD_RANGE` (see ``afweging.smaa.WeightsAround``)."""
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    low, high = SPREAD_RANGE
    if number == 0 or low <= number <= high:
        return number
    raise BadNumber(translations.text("cli_bad_spread", "en", given=_shown(text)))


def _translations() -> Translate:
    """The interface's translation table (:mod:`afweging.translations`)."""
    return translations.text


def cmd_robustness(args: argparse.Namespace) -> int:
    """How sure is the winner: stability, rank acceptability and a method cross-check."""
    matrix, version = _matrix(args)
    weights = leaf_weights(matrix.criteria_set, parse_assignments(args.weights))
    report = robustness_report(
        matrix, weights, samples=args.samples, seed=args.seed, spread=args.spread
    )
    lang: Lang = args.lang
    t = _translations()
    labels = {o.id: o.label.get(lang) for o in matrix.options}
    labels |= {c.id: c.label.get(lang) for c in matrix.leaves}
    summary = summary_sentence(report, labels, lang, t)
    source = verdict(matrix, rank(matrix, weights))
    first = dict(zip(report.option_ids, map(float, report.smaa.first_rank), strict=True))
    said = robustness_sentence(source, first, lang, t) if source else None
    if args.format == "json":
        document = {**report.to_json_dict(), "summary": summary}
        if source is not None:
            document["source_verdict"] = {
                "document": source.conclusion.document,
                "prefers": list(source.conclusion.prefers),
                "best_rank": source.best_rank,
                "first_rank_share": {o: first[o] for o in source.preferred},
                "sentence": said,
            }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        text = robustness_text(matrix, report, summary, version, lang, t)
        print(text + (f"\n\n{textwrap.fill(said, width=100)}" if said else ""))
    return 0


def robustness_text(
    matrix: Matrix,
    report: RobustnessReport,
    summary: str,
    version: str,
    lang: Lang,
    t: Translate,
) -> str:
    """The robustness report as readable text in one language."""
    options = [o.label.get(lang) for o in matrix.options]
    crits = [c.label.get(lang) for c in matrix.leaves]
    labels = dict(zip(report.option_ids, options, strict=True))
    labels |= dict(zip(report.criterion_ids, crits, strict=True))
    shown = ", ".join(f"{c} {pct(w, lang)}" for c, w in zip(crits, report.weights, strict=True))
    spread = pct(report.spread or 0.0, lang)
    n = f"{report.samples:,}".replace(",", "." if lang == "nl" else ",")
    basis = t(
        "rob_smaa_basis_uniform" if report.spread is None else "rob_smaa_basis_around",
        lang,
        n=n,
        spread=spread,
        seed=report.seed,
    )
    basis += "; " + t("rob_smaa_ranges" if report.scores_vary else "rob_smaa_fixed", lang)
    verdict_grade = grade(report)
    lines = [
        f"{matrix.case.label.get(lang)} | {matrix.criteria_set.label.get(lang)}",
        f"{t('rob_cli_weights', lang)}: {shown}",
        f"{t('rob_cli_data_version', lang)}: {version}",
        f"{t('rob_cli_simulation', lang)}: {basis}",
        "",
        t("rob_grade_line", lang, grade=grade_label(verdict_grade, lang, t)),
        textwrap.fill(summary, width=100),
        textwrap.fill(grade_reason(verdict_grade, report, labels, lang, t), width=100),
        "",
    ]

    def section(key: str) -> None:
        title = t(key, lang)
        lines.extend(["", title, "-" * len(title)])

    section("rob_stability_heading")
    if not report.stability:
        lines.append(t("rob_one_criterion", lang))
    names = t("rob_and", lang).join(options[i] for i in report.winners)
    for s in report.stability:
        crit = criterion_name(report.criterion_ids[s.criterion], labels)
        win = interval_phrase(s.winner_lo, s.winner_hi, s.current_weight, crit, lang, t)
        whole = interval_phrase(s.ranking_lo, s.ranking_hi, s.current_weight, crit, lang, t)
        key = "rob_row_winner" if len(report.winners) == 1 else "rob_row_winner_tie"
        lines.append(f"{crits[s.criterion]} ({weight_pct(s.current_weight, lang)})")
        lines.append("  " + t(key, lang, name=names, names=names, interval=win))
        lines.append("  " + t("rob_row_ranking", lang, interval=whole))

    section("rob_smaa_heading")
    place = t("rob_cli_place", lang)
    n_ranks = report.smaa.acceptability.shape[1]
    order = np.argsort(-report.smaa.first_rank, kind="stable")
    rows = [["", *(f"{place} {r + 1}" for r in range(n_ranks))]]
    rows += [[options[i], *(pct(x, lang) for x in report.smaa.acceptability[i])] for i in order]
    lines.extend(_aligned(rows))

    section("rob_central_heading")
    rows = [["", t("rob_col_first", lang), t("rob_col_confidence", lang), *crits]]
    for i in order:
        w, conf = report.smaa.central_weights[i], report.smaa.confidence[i]
        if w is None or conf is None:
            rows.append([options[i], pct(0.0, lang), t("rob_never_first", lang)])
        else:
            rows.append([options[i], pct(report.smaa.first_rank[i], lang), pct(conf, lang)])
            rows[-1] += [pct(x, lang) for x in w]
    lines.extend(_aligned(rows))

    section("rob_methods_heading")
    if report.methods is None:
        lines.append(t("rob_methods_unavailable", lang))
    else:
        ranks = report.methods.ranks
        rows = [["", *(t(f"rob_method_{m}", lang) for m in METHOD_NAMES)]]
        for i in np.argsort(ranks["weighted_sum"], kind="stable"):
            rows.append([options[i], *(str(int(ranks[m][i])) for m in METHOD_NAMES)])
        lines.extend(_aligned(rows))
        if report.methods.winners_disagree:
            note = "rob_methods_winner_differs"
        else:
            note = "rob_methods_differ" if report.methods.disagree else "rob_methods_agree"
        lines.extend(["", textwrap.fill(t(note, lang), width=100)])
    return "\n".join(lines)


def _aligned(rows: list[list[str]]) -> list[str]:
    """Rows as text columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(r[k]) for r in rows if k < len(r)) for k in range(max(map(len, rows)))]
    return [
        "  ".join(
            cell.ljust(widths[k]) if k == 0 else cell.rjust(widths[k]) for k, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def cmd_table(args: argparse.Namespace) -> int:
    """Print the review table in Markdown."""
    matrix, version = _matrix(args)
    print(review_table(matrix, args.lang, version))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Print the review tables of all bundled data (docs/review-tables.md)."""
    print(review_document(load_bundled(), args.lang))
    return 0


def cmd_reading(args: argparse.Namespace) -> int:
    """Check the second-reading record (every cell once, current, reasons given), or rebuild it."""
    bundle = load_bundled()
    record: Path = args.record
    try:
        if args.write:
            try:
                text = render_record(bundle, load_raw(), load_decisions())
            except ValueError as exc:
                return _fail(f"{record.name}: cannot write: {exc}")
            record.write_text(text, encoding="utf-8")
        if not record.is_file():
            return _fail(f"{record}: missing; run: python -m afweging reading --write")
        readings = read_record(record)
    except RecordProblem as exc:
        return _fail(str(exc))
    problems = record_problems(readings, bundle, str(record))
    if problems:
        return _fail(problems)
    counts = tally(readings)
    print(
        f"ok: {len(readings)} cells read twice; {counts['agree']} agree, "
        f"{counts['changed']} changed, {counts['kept']} kept"
    )
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


def cmd_init(args: argparse.Namespace) -> int:
    """Copy the bundled content into a new folder, to edit and point AFWEGING_CONTENT_DIR at."""
    try:
        made = copy_bundled(args.folder)
    except FileExistsError as exc:
        return _fail(f"error: {exc}")
    except OSError as exc:  # not a folder, no permission, a symlink loop, a full disk
        return _fail(f"error: {args.folder}: cannot make the content folder: {exc.strerror}")
    for folder in made:
        print(f"made {folder}")
    print(f"next: edit them, then: AFWEGING_CONTENT_DIR={args.folder.resolve()} afweging validate")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the server in place of this process."""
    for line in serve.warnings():
        print(line, file=sys.stderr)
    try:
        argv = serve.command(args.port, args.address, args.base_path)
    except FileNotFoundError as exc:
        return _fail(f"error: {exc}")
    serve.run(argv)
    return 0  # not reached: run() replaces the process


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
        return int(args.func(args))
    except InvalidData as exc:
        return _fail(exc.problems)
    except AfwegingError as exc:
        return _fail(f"error: {exc}")
    except BrokenPipeError:
        return 0
