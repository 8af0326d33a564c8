"""Every import sits at the top of its module, so each module's dependencies are where a
reader looks for them, and two modules cannot lean on each other unseen.

An import inside a function (or under `if TYPE_CHECKING:`) hides a dependency, most often
a loop between modules that should not need each other. The one exception is
`AppConfig.ready()`: Django imports an app's configuration before any models exist, and
`ready()` is the place it gives an app to import the modules that need them.
"""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(path for app in ("advice", "quiz") for path in (ROOT / app).rglob("*.py"))


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def app_ready_methods(tree: ast.Module) -> set[ast.AST]:
    return {
        method
        for cls in tree.body
        if isinstance(cls, ast.ClassDef)
        and any(getattr(base, "id", getattr(base, "attr", "")) == "AppConfig" for base in cls.bases)
        for method in cls.body
        if isinstance(method, ast.FunctionDef) and method.name == "ready"
    }


def imports_below_the_top(source: str) -> list[int]:
    """Line numbers of imports that are not statements of the module itself."""
    tree = ast.parse(source)
    allowed = set(tree.body)
    for method in app_ready_methods(tree):
        allowed |= set(method.body)
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and node not in allowed
    ]


def test_the_check_finds_imports_inside_functions_and_type_checking_blocks():
    source = (
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from .models import Answer\n"
        "def late():\n"
        "    from .snapshot import rules_for\n"
        "class QuizConfig(AppConfig):\n"
        "    def ready(self):\n"
        "        from . import snapshot\n"
    )
    assert imports_below_the_top(source) == [4, 6]


@pytest.mark.parametrize("path", SOURCES, ids=module_name)
def test_every_import_is_at_the_top_of_its_module(path):
    importlib.import_module(module_name(path))  # and the module imports at all
    assert imports_below_the_top(path.read_text(encoding="utf-8")) == []
