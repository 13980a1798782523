"""Figure expressions: a small, safe language for a number the engine computes, read from data/.

No ``eval``: a tokenizer and a recursive-descent parser build a tiny tree, and the evaluator knows only
numbers, text, the engine's models, the rows of data/ and the named scenarios. The grammar::

    figure     := expression ("|" format)?
    expression := term (("+" | "-") term)*          a - b needs spaces: "rental-rate" is one name
    term       := unary (("*" | "/") unary)*
    unary      := "-" unary | postfix
    postfix    := atom ("." NAME | "[" any text "]")*
    atom       := NUMBER | "text" | "(" expression ")" | NAME "(" arguments? ")" | NAME
    arguments  := NAME "=" expression ("," NAME "=" expression)*

A NAME followed by "(" runs that engine model (``atlas_mkdocs.engine.models.CALCULATIONS``) with the arguments
as inputs; ".output" then picks one of its outputs. Other roots: ``data.TABLE[ROW_ID].FIELD`` (a value
from data/), ``scenario.SCENARIO_ID.STEP_ID.OUTPUT`` (a step of data/scenarios.yaml run through the
engine; ``.seed_says.OUTPUT`` is the figure the seed printed), the names a note defines in its front
matter under ``figures:``, and ``row`` inside a data table. As an argument, a bare word that names
nothing else is text (``billing=always_on``). The formats are in ``FORMATS``.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from atlas_mkdocs.data import plain  # the loader's frozen rows back to plain dicts and lists
from atlas_mkdocs.engine.errors import EngineError
from atlas_mkdocs.engine.models import CALCULATIONS, calculate
from atlas_mkdocs.engine.scenarios import run_scenario

from atlas_mkdocs.figures.errors import ExpressionError

# ---- tokens -------------------------------------------------------------------------------------------

TOKEN_RE = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d[\d_]*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<text>"[^"]*"|'[^']*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)
  | (?P<key>\[[^\]]*\])
  | (?P<op>[().,=+\-*/|])
""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    column: int


def tokenize(source: str) -> list[Token]:
    """Give back the tokens of ``source``, or raise ExpressionError at the first character not understood."""
    tokens, position = [], 0
    while position < len(source):
        match = TOKEN_RE.match(source, position)
        if not match:
            raise ExpressionError(f"unexpected character {source[position]!r}", position)
        if match.lastgroup != "space":
            tokens.append(Token(match.lastgroup, match.group(), position))
        position = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


# ---- the tree -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    column: int


@dataclass(frozen=True)
class Literal(Node):
    value: object


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Call(Node):
    model: str
    arguments: tuple[tuple[str, Node], ...]


@dataclass(frozen=True)
class Attribute(Node):
    target: Node
    name: str


@dataclass(frozen=True)
class Key(Node):
    target: Node
    key: str


@dataclass(frozen=True)
class Binary(Node):
    operator: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Negative(Node):
    operand: Node


@dataclass(frozen=True)
class Figure:
    """A parsed figure: its expression and the format it is shown in (None: a plain number)."""

    expression: Node
    format: str | None


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.index = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def take(self, kind: str, text: str | None = None) -> Token | None:
        token = self.token
        if token.kind == kind and (text is None or token.text == text):
            self.index += 1
            return token
        return None

    def expect(self, kind: str, text: str, what: str) -> Token:
        token = self.take(kind, text)
        if token is None:
            raise ExpressionError(f"expected {what}, found {self.describe()}", self.token.column)
        return token

    def describe(self) -> str:
        return "the end" if self.token.kind == "end" else repr(self.token.text)

    def figure(self) -> Figure:
        expression = self.expression()
        style = None
        if self.take("op", "|"):
            name = self.take("name")
            if name is None:
                raise ExpressionError(f"expected a format after '|', found {self.describe()}", self.token.column)
            style = name.text
        if self.token.kind != "end":
            raise ExpressionError(f"unexpected {self.describe()}", self.token.column)
        return Figure(expression, style)

    def expression(self) -> Node:
        node = self.term()
        while self.token.kind == "op" and self.token.text in "+-":
            operator = self.take("op")
            node = Binary(operator.column, operator.text, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.token.kind == "op" and self.token.text in "*/":
            operator = self.take("op")
            node = Binary(operator.column, operator.text, node, self.unary())
        return node

    def unary(self) -> Node:
        minus = self.take("op", "-")
        if minus:
            return Negative(minus.column, self.unary())
        return self.postfix()

    def postfix(self) -> Node:
        node = self.atom()
        while True:
            if self.take("op", "."):
                name = self.take("name")
                if name is None:
                    raise ExpressionError(f"expected a name after '.', found {self.describe()}", self.token.column)
                node = Attribute(name.column, node, name.text)
            elif self.token.kind == "key":
                key = self.take("key")
                node = Key(key.column, node, key.text[1:-1].strip())
            else:
                return node

    def atom(self) -> Node:
        token = self.token
        if self.take("number"):
            text = token.text.replace("_", "")
            value = float(text) if any(c in text for c in ".eE") else int(text)
            return Literal(token.column, value)
        if self.take("text"):
            return Literal(token.column, token.text[1:-1])
        if self.take("op", "("):
            node = self.expression()
            self.expect("op", ")", "')'")
            return node
        if self.take("name"):
            if self.take("op", "("):
                return Call(token.column, token.text, self.arguments())
            return Name(token.column, token.text)
        raise ExpressionError(f"expected a number, a name or '(', found {self.describe()}", token.column)

    def arguments(self) -> tuple[tuple[str, Node], ...]:
        arguments: list[tuple[str, Node]] = []
        if self.take("op", ")"):
            return ()
        while True:
            name = self.take("name")
            if name is None:
                raise ExpressionError(f"expected an input name, found {self.describe()}", self.token.column)
            self.expect("op", "=", f"'=' after {name.text!r}")
            if any(existing == name.text for existing, _ in arguments):
                raise ExpressionError(f"input {name.text!r} is given twice", name.column)
            arguments.append((name.text, self.expression()))
            if self.take("op", ")"):
                return tuple(arguments)
            self.expect("op", ",", "',' or ')'")


def parse(source: str) -> Figure:
    """Give back the parsed figure ``source`` (without its leading '='), or raise ExpressionError."""
    text = source.replace("\\|", "|").strip()
    if not text:
        raise ExpressionError("the expression is empty")
    return _Parser(text).figure()


# ---- values -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ModelResult:
    """The outputs of one engine run, and what was asked of it."""

    model: str
    outputs: Mapping[str, object]
    inputs: Mapping[str, object]


@dataclass(frozen=True)
class Record:
    """A mapping read from data/ (a table, a row, a nested field), with the path it was reached by."""

    path: str
    values: Mapping[str, object]
    kind: str  # "table", "row", "field", "scenario", "step", "seed"


class _Root:
    def __init__(self, name: str) -> None:
        self.name = name


def did_you_mean(word: str, known) -> str:
    """Give back " (did you mean 'x'?)" for the known name closest to ``word``, or ""."""
    match = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _listing(known) -> str:
    return ", ".join(sorted(str(k) for k in known))


class Evaluator:
    """Evaluates parsed figures against the engine, data/ and a note's named figures."""

    def __init__(self, data: Callable[[], Any], figures: Mapping[str, str] | None = None,
                 bindings: Mapping[str, object] | None = None) -> None:
        self._data = data
        self.figures = dict(figures or {})
        self.bindings = dict(bindings or {})
        self._named: dict[str, object] = {}
        self._evaluating: list[str] = []
        self._scenarios: dict[str, object] = {}

    # The entry point -------------------------------------------------------------------------------
    def value(self, figure: Figure) -> object:
        """Give back the value of ``figure``'s expression (a number, text, or a flag)."""
        result = self.evaluate(figure.expression)
        if isinstance(result, ModelResult):
            raise ExpressionError(
                f"model {result.model!r} gives several outputs; pick one with '.NAME': "
                + _listing(CALCULATIONS[result.model].outputs))
        if isinstance(result, (Record, _Root)):
            raise ExpressionError("the expression names a table, row or scenario, not one value; "
                                  "add '.FIELD' to pick a value")
        return result

    def evaluate(self, node: Node, as_argument: bool = False) -> object:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Name):
            return self.name(node, as_argument)
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Attribute):
            return self.attribute(self.evaluate(node.target), node)
        if isinstance(node, Key):
            return self.key(self.evaluate(node.target), node)
        if isinstance(node, Negative):
            return -self.number(self.evaluate(node.operand), node.operand, "'-'")
        if isinstance(node, Binary):
            left = self.number(self.evaluate(node.left), node.left, repr(node.operator))
            right = self.number(self.evaluate(node.right), node.right, repr(node.operator))
            if node.operator == "+":
                return left + right
            if node.operator == "-":
                return left - right
            if node.operator == "*":
                return left * right
            if right == 0:
                raise ExpressionError("division by zero", node.column)
            return left / right
        raise ExpressionError(f"cannot evaluate {node!r}", node.column)  # pragma: no cover

    @staticmethod
    def number(value: object, node: Node, operator: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            shown = "a model's outputs" if isinstance(value, ModelResult) else repr(value)
            raise ExpressionError(f"{operator} needs numbers; got {shown}", node.column)
        return value

    # Names, models, data ---------------------------------------------------------------------------
    def name(self, node: Name, as_argument: bool) -> object:
        word = node.name
        if word in self.bindings:
            return self.bindings[word]
        if word in ("data", "scenario"):
            return _Root(word)
        if word in ("true", "false"):
            return word == "true"
        if word == "none":
            return None
        if word in self.figures:
            return self.named(word, node)
        if as_argument:
            return word  # a choice such as billing=always_on
        if word in CALCULATIONS:
            hint = f"; {word!r} is a model: write {word}(INPUT=VALUE, ...).OUTPUT"
        elif self.figures or self.bindings:
            hint = did_you_mean(word, list(self.figures) + list(self.bindings)) + "; names here: " + _listing(
                list(self.figures) + list(self.bindings) + ["data", "scenario"])
        else:
            hint = ("; define it under 'figures:' in the note's front matter, or start with a model call, "
                    "data. or scenario.")
        raise ExpressionError(f"unknown name {word!r}{hint}", node.column)

    def named(self, word: str, node: Name) -> object:
        if word in self._named:
            return self._named[word]
        if word in self._evaluating:
            cycle = " -> ".join(self._evaluating[self._evaluating.index(word):] + [word])
            raise ExpressionError(f"figure {word!r} refers to itself: {cycle}", node.column)
        self._evaluating.append(word)
        try:
            figure = parse(str(self.figures[word]).lstrip("="))
            if figure.format is not None:
                raise ExpressionError(f"a format ('|{figure.format}') belongs where the figure is shown, "
                                      "not in its definition")
            result = self.evaluate(figure.expression)
        except ExpressionError as error:
            # The inner error locates itself within the named figure's own expression.
            raise ExpressionError(f"in figure {word!r} ({self.figures[word]}): {error}") from None
        finally:
            self._evaluating.pop()
        self._named[word] = result
        return result

    def call(self, node: Call) -> ModelResult:
        if node.model not in CALCULATIONS:
            raise ExpressionError(f"unknown model {node.model!r}{did_you_mean(node.model, CALCULATIONS)}; "
                                  f"models: {_listing(CALCULATIONS)}", node.column)
        calculation = CALCULATIONS[node.model]
        known = [param.name for param in calculation.params]
        inputs: dict[str, object] = {}
        for name, argument in node.arguments:
            if name not in known:
                raise ExpressionError(f"model {node.model!r} has no input {name!r}{did_you_mean(name, known)}; "
                                      f"its inputs: {', '.join(known)}", node.column)
            inputs[name] = self.evaluate(argument, as_argument=True)
        try:
            outputs = calculate(node.model, inputs, self.data().catalogue)
        except EngineError as error:
            raise ExpressionError(f"model {node.model!r} refuses these inputs: {error}", node.column) from None
        return ModelResult(node.model, outputs, inputs)

    def data(self):
        return self._data()

    def attribute(self, target: object, node: Attribute) -> object:
        name = node.name
        if isinstance(target, ModelResult):
            declared = CALCULATIONS[target.model].outputs
            if name not in declared:
                raise ExpressionError(f"model {target.model!r} has no output {name!r}{did_you_mean(name, declared)}; "
                                      f"its outputs: {', '.join(declared)}", node.column)
            if name not in target.outputs:
                raise ExpressionError(f"model {target.model!r} does not compute {name!r} from these inputs "
                                      f"(it computes: {', '.join(target.outputs)})", node.column)
            return target.outputs[name]
        if isinstance(target, _Root):
            return self.scenario(name, node) if target.name == "scenario" else self.table(name, node)
        if isinstance(target, Record):
            if target.kind == "table":
                return self.row(target, name, node)
            if target.kind == "scenario":
                return self.step(target, name, node)
            return self.field(target, name, node)
        raise ExpressionError(f"cannot take '.{name}' of {target!r}", node.column)

    def key(self, target: object, node: Key) -> object:
        if isinstance(target, _Root):
            return self.scenario(node.key, node) if target.name == "scenario" else self.table(node.key, node)
        if isinstance(target, Record) and target.kind == "table":
            return self.row(target, node.key, node)
        if isinstance(target, Record) and target.kind == "scenario":
            return self.step(target, node.key, node)
        if isinstance(target, Record):
            return self.field(target, node.key, node)
        raise ExpressionError(f"cannot take '[{node.key}]' of {target!r}", node.column)

    def table(self, name: str, node: Node) -> Record:
        from atlas_mkdocs.data.schema import TABLES

        tables = [table.key for table in TABLES]
        if name not in tables or name == "scenarios":
            raise ExpressionError(f"data has no table {name!r}{did_you_mean(name, tables)}; tables: "
                                  f"{', '.join(t for t in tables if t != 'scenarios')} "
                                  "(scenarios are read as scenario.ID.STEP.OUTPUT)", node.column)
        rows = getattr(self.data(), name)
        return Record(f"data.{name}", {row["id"]: row for row in rows}, "table")

    def row(self, table: Record, row_id: str, node: Node) -> Record:
        if row_id not in table.values:
            raise ExpressionError(f"{table.path} has no row {row_id!r}{did_you_mean(row_id, table.values)}; "
                                  f"rows: {_listing(table.values)}", node.column)
        return Record(f"{table.path}[{row_id}]", table.values[row_id], "row")

    def field(self, record: Record, name: str, node: Node) -> object:
        if name not in record.values:
            known = list(record.values)
            allowed = self._schema_fields(record)
            if name in allowed:
                raise ExpressionError(f"{record.path} leaves {name!r} out (it is optional and this row has "
                                      "no value for it)", node.column)
            raise ExpressionError(f"{record.path} has no field {name!r}{did_you_mean(name, known)}; "
                                  f"its fields: {', '.join(known)}", node.column)
        value = record.values[name]
        if isinstance(value, Mapping):
            return Record(f"{record.path}.{name}", value, "field")
        if value is None:
            raise ExpressionError(f"{record.path}.{name} is empty in the data (null)", node.column)
        return value

    @staticmethod
    def _schema_fields(record: Record) -> list[str]:
        from atlas_mkdocs.data.schema import TABLES

        if record.kind != "row":
            return []
        table_key = record.path.split(".")[1].split("[")[0]
        for table in TABLES:
            if table.key == table_key:
                return [field.name for field in table.fields]
        return []

    def scenario(self, scenario_id: str, node: Node) -> Record:
        rows = {row["id"]: row for row in self.data().scenarios}
        if scenario_id not in rows:
            raise ExpressionError(f"data/scenarios.yaml has no scenario {scenario_id!r}"
                                  f"{did_you_mean(scenario_id, rows)}; scenarios: {_listing(rows)}", node.column)
        if scenario_id not in self._scenarios:
            self._scenarios[scenario_id] = run_scenario(plain(rows[scenario_id]), self.data().catalogue)
        result = self._scenarios[scenario_id]
        return Record(f"scenario.{scenario_id}", {step.id: step for step in result.steps}, "scenario")

    def step(self, scenario: Record, step_id: str, node: Node) -> Record:
        if step_id not in scenario.values:
            raise ExpressionError(f"{scenario.path} has no step {step_id!r}{did_you_mean(step_id, scenario.values)}; "
                                  f"steps: {', '.join(scenario.values)}", node.column)
        step = scenario.values[step_id]
        values: dict[str, object] = dict(step.outputs)
        values["seed_says"] = dict(step.seed_says)
        return Record(f"{scenario.path}.{step_id}", values, "step")


# ---- formats ------------------------------------------------------------------------------------------

FORMAT_RE = re.compile(r"^(usd|int|pct|number|millions|text|yesno)(\d)?$")

#: name: what it shows (N is an optional number of decimals, 0-9).
FORMATS = {
    "usd": "dollars with 2 decimals, usdN with N: $32.41, $7,465 (usd0)",
    "int": "a whole number with thousands separators: 77,760",
    "pct": "a share as a percentage, 0 decimals (pctN: N): 0.3 -> 30%",
    "number": "a number with 2 decimals (numberN: N) and thousands separators: 1,028.81",
    "millions": "a number in millions, 2 decimals (millionsN: N): 1,333,333 -> 1.33 million",
    "text": "text as it is",
    "yesno": "a flag as yes or no",
}


def format_value(value: object, style: str | None) -> str:
    """Give back ``value`` as the page shows it in ``style`` (None: a sensible default)."""
    if value is None:
        raise ExpressionError("the expression gives no value (none); the model found nothing to report "
                              "for these inputs")
    if style is None:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, int):
            return f"{value:,}"
        if isinstance(value, float):
            return f"{value:,.2f}".rstrip("0").rstrip(".")  # 330.3, not 330.30; 989, not 989.00
        return str(value)
    match = FORMAT_RE.match(style)
    if not match:
        raise ExpressionError(f"unknown format {style!r}; formats: " + "; ".join(
            f"{name} ({meaning})" for name, meaning in FORMATS.items()))
    name, digits = match.group(1), match.group(2)
    if name == "text":
        return str(value)
    if name == "yesno":
        if not isinstance(value, bool):
            raise ExpressionError(f"format 'yesno' needs a flag; got {value!r}")
        return "yes" if value else "no"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ExpressionError(f"format {style!r} needs a number; got {value!r}")
    if name == "int":
        if digits:
            raise ExpressionError("format 'int' takes no decimals; use numberN")
        return f"{round(value):,}"
    if name == "usd":
        places = 2 if digits is None else int(digits)
        sign = "-" if value < 0 and round(abs(value), places) != 0 else ""
        return f"{sign}${abs(value):,.{places}f}"
    if name == "pct":
        places = 0 if digits is None else int(digits)
        return f"{value * 100:,.{places}f}%"
    if name == "millions":
        places = 2 if digits is None else int(digits)
        return f"{value / 1e6:,.{places}f} million"
    places = 2 if digits is None else int(digits)
    return f"{value:,.{places}f}"
