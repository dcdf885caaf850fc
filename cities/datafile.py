"""Reading a committed JSON data file into typed records, with errors that name the file and
the entry: ``cities/data/demo/profiles/kafue.json: challenges[2] (floding).theme: unknown
theme 'floding'``.

A file's shape is a tree of frozen dataclasses. :func:`read` converts the JSON by the field
types (``str``, ``int``, ``bool``, ``date``, ``time``, ``X | None``, ``tuple[X, ...]``, nested
dataclasses) and refuses missing and unknown keys — a mistyped key must not silently drop
content. Checks that need more than a type (a choice, a known theme, an id defined in another
file) belong to the caller, reported through the same :class:`Problems`, so that one error
lists everything wrong before anything is written. They run on a file whose types are right:
a file with a type problem is refused with those problems alone.

The data files are written by developers, so the messages are in English, like the rest of
a management command's output.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import types
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import CommandError

T = TypeVar("T")

# A dataclass field with this metadata is not read from the file (e.g. where a record came from).
NOT_IN_FILE = {"datafile": False}


def display(path: Path | str) -> str:
    """The path relative to the project, as a reader finds it in the repository."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


class DataFileError(CommandError):
    """A data file cannot be used; ``problems`` says where and why. A ``CommandError``, so a
    management command reports it in one clean message instead of a traceback."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = display(path)
        self.problems = problems
        super().__init__(
            f"{self.path} is not usable, nothing was loaded from it:\n"
            + "\n".join(f"- {problem}" for problem in problems)
        )


class Problems:
    """What is wrong with one file, collected with where it is."""

    def __init__(self, path: Path | str):
        self.path = path
        self.found: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.found.append(f"{where}: {message}" if where else message)

    def choice(self, where: str, value: str, choices: type) -> None:
        """``value`` must be one of a Django ``TextChoices``."""
        if value not in choices.values:
            allowed = ", ".join(repr(v) for v in choices.values)
            self.add(where, f"unknown value {value!r} (one of {allowed})")

    def raise_if_any(self) -> None:
        if self.found:
            raise DataFileError(self.path, self.found)


@contextmanager
def refusals(path: Path | str, where: str) -> Iterator[None]:
    """Report a ``ValidationError`` raised inside (a model's ``full_clean``, a service) as a
    problem of the entry ``where`` of the data file at ``path``."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            problems = [
                f"{where if key == NON_FIELD_ERRORS else _join(where, key)}: {message}"
                for key, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            problems = [f"{where}: {message}" if where else message for message in exc.messages]
        raise DataFileError(path, problems) from exc


def read(path: Path, shape: type[T]) -> T:
    """The file at ``path`` as a ``shape`` dataclass; raises :class:`DataFileError` with
    every problem of type and structure found."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileError(path, [f"cannot be read ({exc.strerror})"]) from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(path, [f"is not UTF-8 text ({exc.reason})"]) from exc
    except json.JSONDecodeError as exc:
        raise DataFileError(
            path, [f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]
        ) from exc
    problems = Problems(path)
    record = _convert(shape, data, "", problems)
    problems.raise_if_any()
    return record


def _label(value: Any) -> str:
    """A list entry's name in messages: ``[2]`` or ``[2] (flooding)``."""
    if isinstance(value, dict):
        for key in ("slug", "title", "name", "theme"):
            if isinstance(value.get(key), str):
                return f" ({value[key]})"
    return ""


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _convert(kind: Any, value: Any, where: str, problems: Problems) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        return None if value is None else _convert(options[0], value, where, problems)
    if origin is tuple:
        (item_kind, _ellipsis) = typing.get_args(kind)
        if not isinstance(value, list):
            problems.add(where, f"expected a list, found {json.dumps(value, ensure_ascii=False)}")
            return ()
        return tuple(
            _convert(item_kind, item, f"{where}[{index}]{_label(item)}", problems)
            for index, item in enumerate(value)
        )
    if dataclasses.is_dataclass(kind):
        return _record(kind, value, where, problems)
    if kind in (datetime.date, datetime.time):
        name = "date (YYYY-MM-DD)" if kind is datetime.date else "time (HH:MM)"
        try:
            if not isinstance(value, str):
                raise ValueError
            return kind.fromisoformat(value)
        except ValueError:
            problems.add(where, f"not a {name}: {json.dumps(value, ensure_ascii=False)}")
            return None
    # bool is an int to Python, never to a reader of the file.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        found = json.dumps(value, ensure_ascii=False)
        problems.add(where, f"expected {_TYPE_NAMES.get(kind, kind.__name__)}, found {found}")
        return None
    return value


_TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false"}


def _record(shape: type, value: Any, where: str, problems: Problems) -> Any:
    if not isinstance(value, dict):
        problems.add(where, "expected an object {...}")
        return None
    hints = typing.get_type_hints(shape)
    fields = [f for f in dataclasses.fields(shape) if f.metadata.get("datafile", True)]
    names = {f.name for f in fields}
    for key in value:
        if key not in names:
            problems.add(where, f"unknown key {key!r} (known: {', '.join(sorted(names))})")
    arguments = {}
    for field in fields:
        if field.name in value:
            arguments[field.name] = _convert(
                hints[field.name], value[field.name], _join(where, field.name), problems
            )
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            problems.add(where, f"missing key {field.name!r}")
            arguments[field.name] = None
    return shape(**arguments)
