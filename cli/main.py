"""The ``footnote`` command: ingest a corpus, serve the API, ask from the terminal."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from cli import serving
from cli.arguments import TOP_K, positive_seconds, whole, whole_list
from eval.dataset import DEV_SET, load_questions
from eval.synthetic import KINDS
from footnote.errors import FootnoteError
from footnote.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    pass

DEFAULT_DATASET = PROJECT_ROOT / "data" / "datasets" / "squad2-dev8" / "squad2-dev8.json"


def _ask(args: argparse.Namespace, settings: Settings) -> None:
    from footnote.answering.render import heading_path, listed
    from footnote.embeddings import LazyEmbeddings
    from footnote.service import Footnote
    from footnote.tokens import reading

    footnote = Footnote.open(settings, LazyEmbeddings(settings))  # none for an empty index
    answer = footnote.ask(args.question, args.top_k, args.mode, sources=args.source)
    print(textwrap.fill(answer.text, width=100))
    shown, heading = listed(answer)
    if shown:
        print("\n" + heading)
    for citation in shown:
        where = f"{citation.source}:{citation.start}-{citation.end}"
        print(f"[{citation.id}] {where}  {heading_path(citation)}")
        print(textwrap.indent(textwrap.fill(f"“{reading(citation.quote)}”", width=96), "    "))


def _sources(args: argparse.Namespace, settings: Settings) -> None:
    """The indexed documents, by the names ``ask --source`` and the API's ``sources`` take."""
    from footnote.embeddings import LazyEmbeddings
    from footnote.service import Footnote
    from prompts import load_prompt

    listed = Footnote.open(settings, LazyEmbeddings(settings)).sources()
    if not listed:
        print(load_prompt("empty_index.txt"))
    width = max((len(info.source) for info in listed), default=0)
    for info in listed:
        print(f"{info.source:<{width}}  {info.passages:>5} passages  {info.title}")


def _eval(args: argparse.Namespace, settings: Settings) -> None:
    from eval.runner import BASELINE, Config, evaluate

    base = Config.parse(",".join(args.set))
    if args.top_k:
        base.overrides["top_k"] = str(args.top_k)
    if args.mode:
        base.overrides["mode"] = args.mode
    configs = [base]
    for spec in args.compare:
        parsed = Config.parse(spec)
        if parsed.name != BASELINE:
            parsed.overrides = {**base.overrides, **parsed.overrides}
        configs.append(parsed)
    _, table = evaluate(
        Path(args.question_set),
        Path(args.out),
        configs,
        url=args.url,
        api_key=args.api_key,
        split=args.split,
        wrap=args.wrap,
        corpus=Path(args.corpus) if args.corpus else None,
    )
    print(table)
    print(f"\nReport: {Path(args.out) / 'summary.md'} (per-question results beside it)")


def _load(args: argparse.Namespace, settings: Settings) -> None:
    from eval.load import check_loopback, run_load, run_workers, write_report, write_workers_report
    from eval.server_process import serve

    questions = [q.question for q in load_questions(Path(args.questions))]
    key = args.api_key or next((k.get_secret_value() for k in settings.api_keys), None)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    print(f"{args.clients} clients asking /chat for {args.seconds:.0f} s ...")
    if args.workers:
        if args.url:
            raise SystemExit("--workers starts its own servers: leave out --url.")
        out = Path(args.out)
        runs = run_workers(
            settings, questions, args.clients, args.seconds, args.workers, out, headers
        )
        write_workers_report(runs, out)
        print(f"\nChart: {out / 'workers.png'} (every request in workers.json)")
        return
    if args.url:
        check_loopback(args.url)
        result = run_load(args.url, questions, args.clients, args.seconds, headers=headers)
    else:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        with serve(settings, log=Path(args.out) / "server.log") as server:
            result = run_load(
                server.url, questions, args.clients, args.seconds, server, headers=headers
            )
    write_report(result, Path(args.out))
    print(f"\nChart: {Path(args.out) / 'load.png'} (every request in load.json)")


def _bench(args: argparse.Namespace, settings: Settings) -> None:
    from eval.bench import run

    print(run(Path(args.out), args.quick, scales=args.scales, kind=args.corpus))
    print(f"\nChart: {Path(args.out) / 'bench.png'} (figures also in bench.json and bench.md)")


def _train(args: argparse.Namespace, settings: Settings) -> None:
    from eval.train import train, unlike_bundled
    from footnote.answering.selector import DEFAULT_MODEL
    from footnote.embeddings import TUNED_LAYERS

    if difference := unlike_bundled(settings):
        print(f"footnote train: note: {difference}", file=sys.stderr)
    model = Path(args.model) if args.model else DEFAULT_MODEL
    layers = model.with_suffix(".safetensors") if args.model else TUNED_LAYERS
    summary = train(Path(args.dataset), Path(args.out), model, layers, settings=settings)
    print(json.dumps(summary, indent=1))
    print(
        f"\nModel: {model}, tuned embedding layers: {layers} (point FOOTNOTE_SELECTOR_MODEL "
        "and FOOTNOTE_EMBEDDING_TUNING at other paths to use them; the index re-embeds)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="footnote",
        description="Answers questions from your documents, footnoting every claim.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser(
        "ingest",
        help="index a folder of documents (text, Markdown, reStructuredText, HTML, PDF, Word, "
        "OpenDocument, PowerPoint, EPUB, Excel, CSV, TSV, Jupyter, e-mail, mailboxes, "
        "pictures of pages)",
    )
    ingest.add_argument("path", nargs="?", help="corpus folder (default: FOOTNOTE_CORPUS_DIR)")
    ingest.add_argument(
        "--watch", action="store_true", help="keep running and ingest every change to the folder"
    )
    ingest.add_argument(
        "--phase-file",
        help="append each step to this file as it starts (reading, embedding, writing "
        "passages, deleting replaced versions, removing, recording, done), for "
        "supervisors that need to know where an ingest is; a named pipe works too",
    )
    ingest.set_defaults(run=serving.ingest)

    serve = commands.add_parser("serve", help="run the HTTP API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=whole(1, 65535), default=8000)
    serve.add_argument("--no-ingest", action="store_true", help="start even with no index")
    serve.add_argument(
        "--workers",
        type=whole(1, 64),
        default=1,
        help="uvicorn processes (more than 1: Chroma server)",
    )
    serve.set_defaults(run=serving.serve)

    ask = commands.add_parser("ask", help="answer one question in the terminal")
    ask.add_argument("question")
    ask.add_argument("--top-k", type=TOP_K, default=None, help="passages to retrieve")
    ask.add_argument("--mode", choices=["extractive", "llamacpp", "openai"], help="answer mode")
    ask.add_argument(
        "--source",
        action="append",
        metavar="NAME",
        help="answer from this document only (a path in the corpus folder, or a folder ending "
        "in '/'); repeat for several",
    )
    ask.set_defaults(run=_ask)

    sources = commands.add_parser(
        "sources", help="list the indexed documents, by the names --source takes"
    )
    sources.set_defaults(run=_sources)

    evaluate = commands.add_parser("eval", help="run a question set and write a report")
    evaluate.add_argument(
        "question_set",
        help="JSONL question set (eval/sets/dev.jsonl) or SQuAD 2.0 JSON, whose articles "
        "become the corpus",
    )
    evaluate.add_argument(
        "--split",
        choices=["all", "fit", "heldout"],
        default="all",
        help="half of a JSONL set to run (SQuAD: always the articles the model was not fitted on)",
    )
    evaluate.add_argument(
        "--wrap",
        type=whole(0),
        default=0,
        metavar="COLUMNS",
        help="SQuAD: hard-wrap the articles at this width, as a PDF's text layer reads",
    )
    evaluate.add_argument(
        "--corpus",
        metavar="FOLDER",
        help="JSONL: the documents its questions ask about (default: FOOTNOTE_CORPUS_DIR)",
    )
    evaluate.add_argument("--out", default="var/eval", help="report folder (default: var/eval)")
    evaluate.add_argument("--url", help="evaluate a running Footnote over HTTP instead")
    evaluate.add_argument("--api-key", help="bearer token for a server with FOOTNOTE_API_KEYS")
    evaluate.add_argument("--top-k", type=TOP_K, help="passages retrieved per question")
    evaluate.add_argument(
        "--mode", choices=["extractive", "llamacpp", "openai"], help="answer mode"
    )
    evaluate.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="override a setting"
    )
    evaluate.add_argument(
        "--compare",
        nargs="+",
        default=[],
        metavar="KEY=VALUE[,KEY=VALUE]",
        help="also run these configurations (or `baseline`, the plain LangChain pipeline) "
        "and report them side by side with deltas",
    )
    evaluate.set_defaults(run=_eval)

    bench = commands.add_parser("bench", help="measure ingest, latency and memory at scale")
    bench.add_argument("--quick", action="store_true", help="1x and 10x only, under 2 minutes")
    bench.add_argument("--out", default="var/bench", help="report and cache folder")
    bench.add_argument(
        "--scales",
        type=whole_list(1),
        default=None,
        help="corpus sizes to measure, e.g. 1,10,100,1000,10000 (default 1,10,100,1000)",
    )
    bench.add_argument(
        "--corpus",
        choices=KINDS,
        default="recombined",
        help="synthetic corpora: seed documents recombined (the vector cache reuses most "
        "texts) or written afresh, every sentence new (every text embedded)",
    )
    bench.set_defaults(run=_bench)

    load = commands.add_parser("load", help="many clients asking /chat at once, on loopback")
    load.add_argument("--url", help="a running server on loopback (default: start one)")
    load.add_argument("--clients", type=whole(1, 1000), default=32)
    load.add_argument("--seconds", type=positive_seconds, default=60.0)
    load.add_argument("--questions", default=str(DEV_SET), help="questions to ask (JSONL)")
    load.add_argument("--out", default="var/load", help="report folder")
    load.add_argument(
        "--api-key", help="sent as a bearer token (default: the first of FOOTNOTE_API_KEYS)"
    )
    load.add_argument(
        "--workers",
        type=whole_list(1, 64),
        help="e.g. 1,2,4: start a Chroma server, ingest the corpus into it, and run the load "
        "against that many uvicorn workers sharing it, one count after another",
    )
    load.set_defaults(run=_load)

    training = commands.add_parser(
        "train",
        help="tune the embedding model and fit the answer model on SQuAD-format data "
        "(offline; about 40 minutes on 2 cores)",
    )
    training.add_argument(
        "dataset",
        nargs="?",
        default=str(DEFAULT_DATASET),
        help=f"SQuAD 2.0 JSON (default: {DEFAULT_DATASET})",
    )
    training.add_argument("--out", default="var/train", help="index and work folder")
    training.add_argument(
        "--model",
        help="where to write the answer model, its tuned layers beside it as .safetensors "
        "(default: the bundled ones)",
    )
    training.set_defaults(run=_train)
    return parser


def _settings() -> Settings:
    """Settings from the environment, or exit 2 naming the variable that is wrong."""
    try:
        return Settings()
    except ValidationError as error:
        for problem in error.errors():
            name = "FOOTNOTE_" + "_".join(str(part) for part in problem["loc"]).upper()
            print(f"footnote: {name}: {problem['msg']}", file=sys.stderr)
        sys.exit(2)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args, _settings())
    except FootnoteError as error:
        print(f"footnote: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except OSError as error:  # the machine's answer about a path: not writable, not a folder,
        print(f"footnote: {error}", file=sys.stderr)  # the disk full; the path says which
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
