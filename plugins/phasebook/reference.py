"""The data reference of the user guide, generated from the model so it lists every field."""

from __future__ import annotations

import ast
import enum
import inspect
import itertools
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from phasebook.escape import cell
from phasebook.model import Phase, ProgrammeInfo


def markdown_cell(text: str) -> str:
    """Phasebook's own docstring Markdown (trusted) as one table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|") or "—"


def type_name(annotation: Any) -> str:
    """A reader-friendly name for a field's type."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        metadata = [m for m in args[1:] if isinstance(m, FieldInfo)]
        extra = metadata[0].json_schema_extra if metadata else None
        if isinstance(extra, dict) and extra.get("format") == "markdown":
            return "markdown"
        return type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        names = [type_name(a) for a in args if a is not type(None)]
        return " or ".join(names)
    if origin in (list, tuple):
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"mapping of {type_name(args[0])} to {type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " / ".join(member.value for member in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    return {"str": "text", "int": "whole number", "bool": "true / false", "date": "date"}.get(
        getattr(annotation, "__name__", ""), str(annotation)
    )


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """``root`` and every model reachable from its fields, in first-seen order."""
    seen: list[type[BaseModel]] = []

    def walk(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in seen:
                seen.append(annotation)
                for field in annotation.model_fields.values():
                    walk(field.annotation)
            return
        for arg in typing.get_args(annotation):
            walk(arg)

    walk(root)
    return seen


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        return "empty"
    if field.default is None or field.default is PydanticUndefined:
        return "—"
    value = field.default.value if isinstance(field.default, enum.Enum) else field.default
    return f"`{value}`"


def model_table(model: type[BaseModel]) -> str:
    """A markdown table of one model's fields."""
    rows = ["| Key | Type | Default | Meaning |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        annotation: Any = field.annotation
        if field.metadata or field.json_schema_extra:
            annotation = typing.Annotated[annotation, field]
        rows.append(
            f"| `{name}` | {cell(type_name(annotation))} | {_default(field)} "
            f"| {markdown_cell(field.description or '')} |"
        )
    return "\n".join(rows)


def data_reference() -> str:
    """Every model of both file kinds, each with its table, as markdown."""
    parts = []
    for title, root in (
        ("`programme.yml`", ProgrammeInfo),
        ("`phases/*.yml`", Phase),
    ):
        parts.append(f"## {title}\n")
        for model in _models(root):
            doc = inspect.cleandoc(model.__doc__ or "")
            parts.append(f"### {model.__name__}\n\n{doc}\n\n{model_table(model)}\n")
    return "\n".join(parts)


def attribute_docs(cls: type) -> dict[str, str]:
    """Docstrings written under class attributes (``x = …`` then a string), by name."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for node, following in itertools.pairwise(body):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[node.targets[0].id] = inspect.cleandoc(following.value.value)
    return docs


def report_formats() -> str:
    """Every registered report format as a markdown table: its role as the reader declares it,
    and what it reads from the first paragraph of the reader module's docstring."""
    from phasebook.readers import READERS  # noqa: PLC0415  (the guide needs it; loading does not)

    rows = ["| Format | Role | What it reads |", "|---|---|---|"]
    for reader in READERS:
        module = inspect.getmodule(type(reader))
        summary = (inspect.getdoc(module) or "").split("\n\n")[0]
        rows.append(
            f"| `{reader.format}` | {reader.role.value} "
            f"| {markdown_cell(' '.join(summary.split()))} |"
        )
    return "\n".join(rows)
