"""The import rules of docs/architecture.md, read from the source: data flows one way.

``footnote`` is the core and imports none of the other packages but its message templates
(``prompts``); ``ingest`` writes the store through the core; ``api`` is HTTP over the core;
``eval`` measures through the core or HTTP, never ``api``; the command line is the top floor,
imported by nothing. No module imports
itself back through others, at any depth, function-level imports included.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from langchain_core.embeddings import Embeddings

from footnote.service import Footnote
from footnote.settings import PROJECT_ROOT, Settings

PACKAGES = ("footnote", "ingest", "api", "eval", "cli", "prompts")
FORBIDDEN = {  # package -> the packages it must never import
    "footnote": {"ingest", "api", "eval", "cli"},
    "prompts": {"footnote", "ingest", "api", "eval", "cli"},
    "ingest": {"api", "eval", "cli", "prompts"},
    "api": {"eval", "cli"},
    "eval": {"api", "cli", "prompts"},
    "cli": set(),
}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__")


def imported(path: Path) -> Iterator[str]:
    """Every project module ``path`` imports, at any level of the file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        yield from (name for name in names if name.split(".")[0] in PACKAGES)


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for pkg in PACKAGES for p in (PROJECT_ROOT / pkg).rglob("*.py")}
    return {name: {m for m in imported(path) if m in files} for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            if component:
                found.append(sorted([node, *component]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_each_package_imports_only_the_floors_below_it() -> None:
    graph = import_graph()
    broken = [
        f"{source} imports {target}"
        for source, targets in sorted(graph.items())
        for target in sorted(targets)
        if target.split(".")[0] in FORBIDDEN[source.split(".")[0]]
    ]
    assert broken == []


def test_nothing_imports_the_command_line() -> None:
    graph = import_graph()
    assert [
        s
        for s, targets in graph.items()
        if not s.startswith("cli") and any(t.startswith("cli") for t in targets)
    ] == []


def test_no_module_imports_itself_back() -> None:
    assert cycles(import_graph()) == []


def test_the_architecture_note_states_these_rules() -> None:
    """docs/architecture.md's table says what each package may import; it must be these."""
    note = (PROJECT_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    stated: dict[str, set[str]] = {}
    for row in note.splitlines():
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[0].endswith("/`"):
            package = cells[0].strip("`/")
            may = (
                set(PACKAGES) - {package}
                if cells[2] == "everything; nothing imports it"
                else {
                    {"the core": "footnote"}.get(name, name.strip("`"))
                    for name in cells[2].split(", ")
                }
            )
            stated[package] = may
    allowed = {
        package: set(PACKAGES) - forbidden - {package}
        for package, forbidden in FORBIDDEN.items()
        if package != "prompts"
    }
    assert stated == allowed


def test_the_rules_see_every_package_and_would_catch_a_breach() -> None:
    graph = import_graph()
    assert {name.split(".")[0] for name in graph} == set(PACKAGES)
    assert "footnote.service" in graph["api.deps"]  # the parser reads real imports
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# The steps of docs/architecture.md's "path of a question", in order. Modules that only read
# (tokens, values, candidates' cached readings, the store) are not steps: every step may ask.
STEPS = [
    "footnote.service",
    "footnote.limits",
    "footnote.answering.modes",
    "footnote.rewrite",
    "footnote.retriever",
    "footnote.answering.extractive",
    "footnote.answering.ranking",
    "footnote.answering.question",
    "footnote.answering.features",
    "footnote.answering.selector",
    "footnote.answering.conflicts",
    "footnote.answering.render",
    "footnote.answering.citations",
]
ORCHESTRATOR = "footnote.answering.extractive"  # resumed as a generator: not a re-entry


def path_of_a_question(footnote: Footnote, question: str) -> list[str]:
    """The steps a question enters, in order, each time control passes into one from another
    module (a profiler's call events in this thread; consecutive repeats collapsed)."""
    steps: list[str] = []

    files = {str(PROJECT_ROOT / (name.replace(".", "/") + ".py")): name for name in STEPS}

    def profile(frame: FrameType, event: str, _: Any) -> None:
        if event != "call":
            return
        module = files.get(frame.f_code.co_filename)  # generated code (dataclasses) has none
        caller = files.get(frame.f_back.f_code.co_filename) if frame.f_back else None
        if module and module != caller and (not steps or steps[-1] != module):
            steps.append(module)

    sys.setprofile(profile)
    try:
        footnote.ask(question)
    finally:
        sys.setprofile(None)
    return steps


def test_a_question_passes_through_each_step_once_in_order(
    indexed_settings: Settings, embeddings: Embeddings
) -> None:
    footnote = Footnote.open(indexed_settings, embeddings)
    question = "How many North Korean soldiers were captured?"
    footnote.ask(question)  # models and indexes load on first use
    steps = [s for s in path_of_a_question(footnote, question) if s != ORCHESTRATOR]
    assert steps == [s for s in STEPS if s != ORCHESTRATOR]
