"""The direction between the apps: ``cities`` is the lower app and names nothing of
``partnerships`` — no import, no dotted path, no URL name, no template — and no code hides a
failed import. The higher app reaches the lower one's extension points instead
(``cities.signals``, ``cities.profile``, ``cities.notifications.services.register_kinds``)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UPWARD_STRING = re.compile(r"^partnerships(?:[.:/]|$)")
UPWARD_TEMPLATE = re.compile(
    r"""["']partnerships[:/]|\{%\s*load\s[^%]*\b(?:partnerships_tags|matching_tags|funding_tags)\b"""
)


def _python_files(*folders: str):
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _upward_references(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if UPWARD_STRING.match(node.value) else []
            if names:
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value!r}")
            continue
        else:
            continue
        for name in names:
            if name == "partnerships" or name.startswith("partnerships."):
                found.append(f"{path.relative_to(root)}:{node.lineno}: import {name}")
    return found


def _hides_a_failed_import(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    hidden = {"ImportError", "ModuleNotFoundError"}
    found = []
    for node in ast.walk(tree):
        caught = []
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            caught = [t.id for t in types if isinstance(t, ast.Name)]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "suppress":
            caught = [a.id for a in node.args if isinstance(a, ast.Name)]
        if hidden & set(caught):
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_the_lower_app_names_nothing_of_the_higher_one_in_python():
    found = [ref for path in _python_files("cities") for ref in _upward_references(path)]

    assert found == []


def test_the_lower_app_names_nothing_of_the_higher_one_in_templates():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "cities").rglob("*.html"))
        + sorted((ROOT / "cities").rglob("*.txt"))
        for match in UPWARD_TEMPLATE.finditer(path.read_text(encoding="utf-8"))
    ]

    assert found == []


def test_no_code_hides_a_failed_import():
    found = [
        where
        for path in _python_files("cities", "partnerships", "citydiplomacy")
        for where in _hides_a_failed_import(path)
    ]

    assert found == []


def test_the_checks_catch_what_they_look_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import contextlib\n"
        "from partnerships.models import Partnership\n"
        "STEP = 'partnerships.demo.load'\n"
        "try:\n    import partnerships\nexcept ImportError:\n    pass\n"
        "with contextlib.suppress(ImportError):\n    pass\n"
    )

    assert len(_upward_references(sample, tmp_path)) == 3
    assert len(_hides_a_failed_import(sample, tmp_path)) == 2
