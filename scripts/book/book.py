"""Builds the course: executes every notebook in notebooks/ with the tslab kernel and exports each to
self-contained HTML in site/, with an index.html linking them.

Run it through `npm run book` (scripts/book.js), which builds the library and registers the kernel
first. Parameters work the way papermill's do: the first cell tagged `parameters` holds a notebook's
budget (steps, seeds); overrides are injected as a new cell right after it, tagged
`injected-parameters`, so the exported page shows exactly what ran. `--quick` takes its overrides
from the notebook's metadata `rl_workbook.quick` (a JSON object: name -> value), `-p name=value`
overrides one parameter in every notebook that declares it.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "templates"


class BookError(Exception):
    """A failure the reader can act on; printed without a Python traceback."""


def parse_value(text: str):
    """`-p steps=500` gives 500, `-p seeds=[1,2]` a list, `-p name=abc` the string "abc"."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def declared_names(source: str) -> list[str]:
    return re.findall(r"^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)", source, re.MULTILINE)


def inject_parameters(nb, overrides: dict, name: str, strict_names: set[str]) -> dict:
    """Inserts a cell after the `parameters` cell that redeclares each overridden name.

    tslab lets a later cell redeclare a `const`, so `const totalSteps = 500;` shadows the default
    for every cell below. Returns the overrides that applied. A name in `strict_names` (the notebook's
    own quick settings) that the parameters cell does not declare is an error: a typo there would
    otherwise silently run the full budget in CI.
    """
    if not overrides:
        return {}
    index = next((i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if index is None:
        if strict_names:
            raise BookError(f"{name}: has quick parameters in its metadata but no cell tagged 'parameters'")
        return {}
    declared = declared_names(nb.cells[index].source)
    unknown = sorted(n for n in strict_names if n not in declared)
    if unknown:
        raise BookError(
            f"{name}: quick parameter(s) {', '.join(unknown)} not declared in its 'parameters' cell "
            f"(it declares: {', '.join(declared) or 'nothing'})"
        )
    applied = {k: v for k, v in overrides.items() if k in declared}
    if not applied:
        return {}
    lines = ["// Injected by the book build: these override the parameters cell above."]
    lines += [f"const {key} = {json.dumps(value)};" for key, value in applied.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(index + 1, cell)
    return applied


def cell_error_text(cell) -> str:
    """tslab reports an error as text on stderr (its reply carries no ename/evalue), so collect that."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append(f"{output.get('ename')}: {output.get('evalue')}")
    return "".join(parts).strip() or "(the kernel reported an error but printed no message)"


def title_of(nb, fallback: str) -> tuple[str, str]:
    """The first markdown heading and the paragraph after it, for the index page."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = [line.strip() for line in cell.source.splitlines()]
        heading = next((l.lstrip("# ").strip() for l in lines if l.startswith("#")), None)
        body = " ".join(l for l in lines if l and not l.startswith("#")).strip()
        if heading:
            return heading, body
    return fallback, ""


def strip_markdown(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return re.sub(r"[*_`]", "", text)


def run_notebook(path: Path, args, overrides: dict) -> tuple[object, dict, float]:
    nb = nbformat.read(path, as_version=4)
    if nb.metadata.get("kernelspec", {}).get("name") != "tslab":
        raise BookError(f"{path.name}: expected kernelspec 'tslab', got {nb.metadata.get('kernelspec', {}).get('name')!r}")
    quick = nb.metadata.get("rl_workbook", {}).get("quick", {}) if args.quick else {}
    merged = {**quick, **overrides}
    applied = inject_parameters(nb, merged, path.name, set(quick))
    client = NotebookClient(
        nb,
        kernel_name="tslab",
        timeout=args.timeout,
        startup_timeout=120,
        resources={"metadata": {"path": str(path.parent)}},
    )
    started = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError:
        # nbclient stops at the failing cell, so it is the last one with an execution count.
        ran = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("execution_count")]
        if not ran:
            raise BookError(f"{path.name}: the first cell failed before the kernel answered") from None
        index, cell = ran[-1]
        source, message = cell.source, cell_error_text(cell)
        # Number the cell as the reader sees it in the notebook, without the injected one.
        injected = any("injected-parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells[:index])
        index -= 1 if injected else 0
        raise BookError(
            f"{path.name}: cell {index + 1} failed.\n--- cell source ---\n{source}\n--- error ---\n{message}"
        ) from None
    except CellTimeoutError as error:
        raise BookError(f"{path.name}: a cell ran longer than --timeout {args.timeout} s: {error}") from None
    except DeadKernelError as error:
        raise BookError(f"{path.name}: the tslab kernel died: {error}") from None
    return nb, applied, time.perf_counter() - started


def export_html(nb, name: str) -> str:
    exporter = HTMLExporter(template_name="rl-workbook", extra_template_basedirs=[str(TEMPLATES)])
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    return body


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>rl-workbook</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; line-height: 1.5; }}
h1 {{ margin-bottom: .2rem; }} .lede {{ color: #57606a; margin-top: 0; }}
ol {{ padding-left: 1.2rem; }} li {{ margin: 1rem 0; }} li a {{ font-weight: 600; font-size: 1.1rem; }}
.meta {{ color: #57606a; font-size: .85rem; }} .quick {{ background: #fff8c5; border: 1px solid #d4a72c; padding: .5rem .8rem; border-radius: 6px; }}
</style></head><body>
<h1>rl-workbook</h1>
<p class="lede">Reinforcement learning with pixel inputs and parallel environments, in TypeScript. Each page is a notebook executed on the tslab kernel.</p>
{quick}
<ol>
{items}
</ol>
<p class="meta">Built {built} by <code>npm run book{flags}</code>.</p>
</body></html>
"""


def write_index(site: Path, entries: list[dict], args) -> None:
    items = []
    for entry in entries:
        params = ", ".join(f"{k} = {json.dumps(v)}" for k, v in entry["applied"].items())
        meta = f"executed in {entry['seconds']:.0f} s" + (f"; parameters: {html.escape(params)}" if params else "")
        items.append(
            f'<li><a href="{html.escape(entry["file"])}">{html.escape(entry["title"])}</a>'
            f'<br>{html.escape(strip_markdown(entry["summary"]))}<br><span class="meta">{meta}</span></li>'
        )
    quick = (
        '<p class="quick">Quick build: the notebooks ran with small budgets (<code>--quick</code>), '
        "so curves are short and agents barely trained. Run <code>npm run book</code> for the full course.</p>"
        if args.quick
        else ""
    )
    flags = " -- --quick" if args.quick else ""
    (site / "index.html").write_text(
        INDEX_TEMPLATE.format(
            quick=quick, items="\n".join(items), built=time.strftime("%Y-%m-%d %H:%M"), flags=flags
        ),
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small budgets from each notebook's metadata rl_workbook.quick")
    parser.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE", help="override a parameter (JSON value)")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT", help="run only notebooks whose file name contains TEXT")
    parser.add_argument("--notebooks", default=str(ROOT / "notebooks"))
    parser.add_argument("--out", default=str(ROOT / "site"))
    parser.add_argument("--timeout", type=int, default=3600, help="seconds one cell may run (default 3600)")
    args = parser.parse_args()

    overrides = {}
    for item in args.parameter:
        if "=" not in item:
            raise BookError(f"expected -p NAME=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        if not re.fullmatch(r"[A-Za-z_$][\w$]*", key):
            raise BookError(f"expected a TypeScript identifier before '=' in -p, got {key!r}")
        overrides[key] = parse_value(value)

    notebooks = sorted(Path(args.notebooks).glob("*.ipynb"))
    if args.only:
        notebooks = [p for p in notebooks if any(t in p.name for t in args.only)]
    if not notebooks:
        raise BookError(f"no notebooks to run in {args.notebooks}" + (f" matching {args.only}" if args.only else ""))

    site = Path(args.out)
    site.mkdir(parents=True, exist_ok=True)
    entries = []
    for path in notebooks:
        print(f"book: running {path.name}{' (quick)' if args.quick else ''} ...", flush=True)
        nb, applied, seconds = run_notebook(path, args, overrides)
        out_name = path.stem + ".html"
        (site / out_name).write_text(export_html(nb, path.stem), encoding="utf-8")
        title, summary = title_of(nb, path.stem)
        entries.append({"file": out_name, "title": title, "summary": summary, "applied": applied, "seconds": seconds})
        print(f"book: {path.name} ran in {seconds:.1f} s -> {site / out_name}", flush=True)
    write_index(site, entries, args)
    print(f"book: {len(entries)} notebook(s) -> {site / 'index.html'}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BookError as error:
        print(f"book: FAILED: {error}", file=sys.stderr)
        sys.exit(1)
