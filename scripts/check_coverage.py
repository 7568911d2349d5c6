#!/usr/bin/env python3
"""Check docs/playbook-coverage.md against the scenario files.

Kiểm tra bảng đối chiếu playbook ↔ kịch bản / Checks the playbook coverage table:

* each of the 110 checklist entries (S1-01…S1-30, S2-01…S2-27, S3-01…S3-38,
  X-01…X-15) is the first cell of exactly one table row, in playbook order;
* every scenario id cited in the "Scenario" column exists (a `.ron` file under
  scenarios/ with that `id`), or is `rulebook`;
* every back-quoted reference in the "Node / choice" column exists in the scenario
  on the same `<br>`-separated line:
    `node / choice[, choice…]`   a choice inside that node (choice ids are only
                                 unique within their node);
    `node_or_ending`             a node or an ending id;
    `step:ID`                    a step of the scenario;
    `situation`, `segment`, `briefing`, `deadline`, `steps`
                                 top-level fields of the scenario;
  and for `rulebook`: `violation:ID`, `commitment:ID`, `escalation:ID` or a field
  path such as `deadlines.passive_mnp_minutes`;
  a reference written as  model `n / c`  must be a `model: true` choice, and
  wrong / half `n / c` must not be one;
* a choice cited as model, wrong or half is graded: it, or another answer at its node, carries
  `scores`, `violations` or a `step`, so choosing it changes the grade;
* rows whose Kind contains SCRIPT cite at least one model choice;
* back-quoted ids in the "How it is scored" column are known ids (violation, step,
  ending, flag, node, choice, reason, scenario or rulebook field).

The .ron files are read with a small regex tokenizer plus a bracket stack (node
`id: "…"` inside `nodes: [...]`, choice `id: "…"` inside `choices: [...]`).
Standard library only.  Usage:  python3 scripts/check_coverage.py  (exit 0 = OK,
1 = problems, each printed on its own line).
"""
from __future__ import annotations

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "playbook-coverage.md"
SCENARIOS = ROOT / "scenarios"

EXPECTED = (
    [f"S1-{i:02d}" for i in range(1, 31)]
    + [f"S2-{i:02d}" for i in range(1, 28)]
    + [f"S3-{i:02d}" for i in range(1, 39)]
    + [f"X-{i:02d}" for i in range(1, 16)]
)
KINDS = {"ID", "RULE", "ACT", "STEP", "SCRIPT", "NO", "ESC"}
SCENARIO_KEYWORDS = {"situation", "segment", "briefing", "deadline", "steps"}
ENTRY_RE = re.compile(r"^(?:S[123]|X)-\d{2}$")
BR_RE = re.compile(r"<br\s*/?>", re.I)
REF_RE = re.compile(r"(?:\b(model|wrong|half)\s+)?`([^`]+)`")
TOKEN_RE = re.compile(
    r'//[^\n]*|"(?:\\.|[^"\\])*"|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?|[()\[\]{}:,]|\s+|.',
    re.S,
)
ID_LIKE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$|^CK[1-8]$")


class RonFile:
    """The ids of one .ron file (scenario or rulebook)."""

    def __init__(self, path: pathlib.Path):
        self.path = path
        self.kind = ""          # "Scenario" or "Rulebook"
        self.id = ""
        self.nodes: dict[str, dict[str, bool]] = {}   # node -> {choice: model?}
        self.scored: set[tuple[str, str]] = set()     # (node, choice) with scores, violations or a step
        self.endings: set[str] = set()
        self.steps: set[str] = set()
        self.reasons: set[str] = set()
        self.flags: set[str] = set()
        self.fields: set[str] = set()                 # dotted field paths
        self.lists: dict[str, set[str]] = {}          # list name -> element ids
        self._parse(path.read_text(encoding="utf-8"))

    def _parse(self, text: str) -> None:
        toks = [t for t in TOKEN_RE.findall(text) if t.strip() and not t.startswith("//")]
        stack: list[tuple[str, str | None]] = []
        pending: str | None = None
        node = choice = None
        i = 0
        while i < len(toks):
            t = toks[i]
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            if (t[0].isalpha() or t[0] in '_"') and nxt == ":":
                pending = t.strip('"')
                i += 2
                continue
            if t in "([{":
                if (pending in ("scores", "violations") and node and choice and nxt not in ")]}"
                        and len(stack) >= 2 and stack[-1][0] == "(" and stack[-2][1] == "choices"):
                    self.scored.add((node, choice))
                if not stack and t == "(" and i > 0:
                    self.kind = toks[i - 1]
                if pending:
                    self._field(stack, pending)
                stack.append((t, pending))
                pending = None
            elif t in ")]}":
                if stack:
                    stack.pop()
                pending = None
            elif t == ",":
                pending = None
            elif t[0].isalpha() and nxt == "(":
                pass  # a tagged value such as PortOut(Passive): the "(" takes the key
            else:
                value = t[1:-1] if t.startswith('"') else t
                if pending:
                    self._field(stack, pending)
                    parent = stack[-2][1] if len(stack) >= 2 and stack[-1][0] == "(" else None
                    if pending == "id":
                        if len(stack) == 1:
                            self.id = value
                        elif parent == "nodes":
                            node, choice = value, None
                            self.nodes.setdefault(node, {})
                        elif parent == "choices" and node is not None:
                            choice = value
                            self.nodes[node][choice] = False
                        elif parent == "steps":
                            self.steps.add(value)
                        elif parent == "endings":
                            self.endings.add(value)
                        elif parent == "reasons":
                            self.reasons.add(value)
                        if parent:
                            self.lists.setdefault(parent, set()).add(value)
                    elif pending == "model" and parent == "choices" and node and choice:
                        self.nodes[node][choice] = value == "true"
                    elif pending == "step" and parent == "choices" and node and choice:
                        self.scored.add((node, choice))
                elif stack and stack[-1] == ("[", "set") and t.startswith('"'):
                    self.flags.add(value)
                pending = None
            i += 1

    def _field(self, stack: list[tuple[str, str | None]], key: str) -> None:
        keys = [k for _, k in stack[1:] if k]
        self.fields.add(".".join(keys + [key]))

    def all_ids(self) -> set[str]:
        ids = set(self.nodes) | self.endings | self.steps | self.reasons | self.flags
        for choices in self.nodes.values():
            ids |= set(choices)
        for values in self.lists.values():
            ids |= values
        return ids


def load_ron() -> tuple[dict[str, RonFile], RonFile | None, list[str]]:
    problems: list[str] = []
    scenarios: dict[str, RonFile] = {}
    rulebook = None
    for path in sorted(SCENARIOS.glob("*.ron")):
        try:
            ron = RonFile(path)
        except (OSError, UnicodeDecodeError) as err:
            problems.append(f"{path}: cannot read: {err}")
            continue
        if ron.kind == "Rulebook":
            rulebook = ron
        elif ron.id:
            if ron.id in scenarios:
                problems.append(f"{path}: duplicate scenario id {ron.id!r}")
            scenarios[ron.id] = ron
        else:
            problems.append(f"{path}: no scenario id found")
    if rulebook is None:
        problems.append(f"{SCENARIOS}/rulebook.ron: rulebook not found")
    return scenarios, rulebook, problems


def check_scenario_ref(ron: RonFile, label: str | None, ref: str, where: str) -> list[str]:
    out: list[str] = []
    if "/" in ref:
        node, _, rest = ref.partition("/")
        node = node.strip()
        if node not in ron.nodes:
            return [f"{where}: node {node!r} not in scenario {ron.id}"]
        for choice in (c.strip() for c in rest.split(",")):
            if not choice:
                out.append(f"{where}: empty choice id in `{ref}`")
            elif choice not in ron.nodes[node]:
                out.append(f"{where}: choice {choice!r} not in node {node!r} of {ron.id}")
            elif label == "model" and not ron.nodes[node][choice]:
                out.append(f"{where}: {ron.id} {node}/{choice} is cited as model but is not `model: true`")
            elif label in ("wrong", "half") and ron.nodes[node][choice]:
                out.append(f"{where}: {ron.id} {node}/{choice} is cited as {label} but is a model answer")
            elif label and not any((node, c) in ron.scored for c in ron.nodes[node]):
                # The choice is graded when it, or the answer it stands against at its node,
                # carries scores, violations or a step.
                out.append(f"{where}: {ron.id} {node}/{choice} is cited as {label} but no choice at `{node}` has scores, violations or a step: nothing in the grade depends on it")
        return out
    if label == "model":
        return [f"{where}: `model` must precede a `node / choice` reference, got `{ref}`"]
    if ref.startswith("step:"):
        if ref[5:] not in ron.steps:
            out.append(f"{where}: step {ref[5:]!r} not in scenario {ron.id}")
    elif ref in SCENARIO_KEYWORDS:
        if ref not in ron.fields:
            out.append(f"{where}: scenario {ron.id} has no `{ref}` field")
    elif ref not in ron.nodes and ref not in ron.endings:
        out.append(f"{where}: {ref!r} is not a node or ending of {ron.id}")
    return out


def check_rulebook_ref(rb: RonFile, label: str | None, ref: str, where: str) -> list[str]:
    if label:
        return [f"{where}: `{label}` cannot label a rulebook reference (`{ref}`)"]
    prefix, sep, name = ref.partition(":")
    if sep:
        lists = {"violation": "violations", "commitment": "commitments", "escalation": "escalations"}
        if prefix not in lists:
            return [f"{where}: unknown rulebook reference kind `{ref}`"]
        if name not in rb.lists.get(lists[prefix], set()):
            return [f"{where}: rulebook has no {prefix} {name!r}"]
        return []
    if ref not in rb.fields:
        return [f"{where}: rulebook has no field `{ref}`"]
    return []


def main() -> int:
    scenarios, rulebook, problems = load_ron()
    if not DOC.exists():
        print(f"error: {DOC} not found")
        return 1
    rb_ids: set[str] = set()
    if rulebook:
        for values in rulebook.lists.values():
            rb_ids |= values
        rb_ids |= rulebook.fields

    seen: dict[str, int] = {}
    order: list[str] = []
    refs_checked = 0
    # Under "### `scenario_id`" headings of the "Added scenarios" part, rows have 4 cells
    # (Entry | Kind | Node / choice | How) about that one scenario and add to the main table's row.
    added_part = False
    added_scenario: str | None = None
    added_rows = 0
    for lineno, line in enumerate(DOC.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("## "):
            added_part = "Added scenarios" in line
            added_scenario = None
        m = re.match(r"^### `([a-z0-9_]+)`", line)
        if added_part and m:
            added_scenario = m.group(1)
            if added_scenario not in scenarios:
                problems.append(f"{DOC.name}:{lineno}: unknown scenario id {added_scenario!r}")
        if not line.lstrip().startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not cells or not ENTRY_RE.match(cells[0]):
            continue
        entry = cells[0]
        where = f"{DOC.name}:{lineno} {entry}"
        if added_part:
            if entry not in EXPECTED:
                problems.append(f"{where}: unknown playbook entry id")
            if added_scenario is None or len(cells) != 4:
                problems.append(f"{where}: rows of an added scenario sit under its ### `id` heading and have 4 cells (Entry | Kind | Node / choice | How)")
                continue
            added_rows += 1
            cells = [cells[0], cells[1], f"`{added_scenario}`", cells[2], cells[3]]
        else:
            seen[entry] = seen.get(entry, 0) + 1
            order.append(entry)
            if entry not in EXPECTED:
                problems.append(f"{where}: unknown playbook entry id")
        if len(cells) != 5:
            problems.append(f"{where}: expected 5 cells (Entry | Kind | Scenario | Node / choice | How), got {len(cells)}")
            continue
        _, kind, scen_cell, ref_cell, how_cell = cells

        kinds = {k for k in re.split(r"[\s,+/]+", kind) if k}
        if not kinds or not kinds <= KINDS:
            problems.append(f"{where}: bad Kind {kind!r} (allowed: {', '.join(sorted(KINDS))})")

        scen_parts = [p.strip().strip("`").strip() for p in BR_RE.split(scen_cell)]
        ref_parts = BR_RE.split(ref_cell)
        if len(scen_parts) != len(ref_parts):
            problems.append(f"{where}: {len(scen_parts)} scenario(s) but {len(ref_parts)} node/choice line(s); separate both with <br> in the same order")
            continue

        row_ids: set[str] = set(rb_ids) | set(scenarios) | {"rulebook"}
        model_refs = 0
        for scen, part in zip(scen_parts, ref_parts):
            refs = REF_RE.findall(part)
            if not refs:
                problems.append(f"{where}: no back-quoted reference for {scen!r}")
            if scen == "rulebook":
                for label, ref in refs:
                    refs_checked += 1
                    if rulebook:
                        problems += check_rulebook_ref(rulebook, label or None, ref.strip(), where)
                continue
            ron = scenarios.get(scen)
            if ron is None:
                problems.append(f"{where}: unknown scenario id {scen!r}")
                continue
            row_ids |= ron.all_ids()
            for label, ref in refs:
                refs_checked += 1
                errs = check_scenario_ref(ron, label or None, ref.strip(), where)
                problems += errs
                if label == "model" and not errs:
                    model_refs += 1

        if "SCRIPT" in kinds and model_refs == 0:
            problems.append(f"{where}: a SCRIPT entry must cite at least one model answer (model `node / choice`)")

        for token in re.findall(r"`([^`]+)`", how_cell):
            token = token.strip()
            if ID_LIKE.match(token) and token not in row_ids:
                problems.append(f"{where}: How column cites unknown id `{token}`")

    for entry in EXPECTED:
        count = seen.get(entry, 0)
        if count == 0:
            problems.append(f"{DOC.name}: entry {entry} has no row")
        elif count > 1:
            problems.append(f"{DOC.name}: entry {entry} has {count} rows (must be exactly one)")
    expected_order = [e for e in EXPECTED if e in seen]
    dedup = list(dict.fromkeys(order))
    if [e for e in dedup if e in EXPECTED] != expected_order:
        problems.append(f"{DOC.name}: rows are not in playbook order (S1-01 … S1-30, S2-…, S3-…, X-…)")

    if problems:
        for p in problems:
            print(f"error: {p}")
        print(f"check_coverage: {len(problems)} problem(s)")
        return 1
    print(f"check_coverage: OK: {len(EXPECTED)} entries, {added_rows} rows for added scenarios, {len(scenarios)} scenarios, {refs_checked} references checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
