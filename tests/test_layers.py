"""The house: the import contracts hold and the README's folder map matches the tree.

``.ci/run`` runs ``lint-imports`` too; running the contracts here as well means the README's test
command alone tells a developer that an import went upward or closed a circle.
"""

from __future__ import annotations

import re
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
APPS = ("programs", "milestones", "adctrack")


def folder_map() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Folder map")
    return readme[start : readme.index("\n## ", start + 1)]


def test_the_import_contracts_are_kept() -> None:
    assert lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True, no_logo=True) == 0


def _named(table: str, path: str) -> bool:
    """``path`` is in the map: written out, or as a bare name in a row that names its folder."""
    if f"`{path}`" in table or f"`{path}/`" in table:
        return True
    folder, _, name = path.rpartition("/")
    return any(f"`{folder}/" in row and f"`{name}`" in row for row in table.splitlines())


def test_the_folder_map_names_every_package_and_module() -> None:
    table = folder_map()
    missing = []
    for app in APPS:
        for entry in sorted((ROOT / app).iterdir()):
            if entry.name.startswith(("_", ".")) or entry.name in {"migrations", "asgi.py", "wsgi.py"}:
                continue
            if entry.is_dir() and (entry / "__init__.py").exists() or entry.suffix == ".py":
                if not _named(table, f"{app}/{entry.name}"):
                    missing.append(f"{app}/{entry.name}")
    assert missing == [], f"README's folder map does not say where these live: {missing}"


def test_every_path_the_folder_map_names_exists() -> None:
    table = folder_map()
    named = set(re.findall(r"`((?:programs|milestones|adctrack|tests|templates|bench|docs)/[\w./]*)`", table))
    assert named, "the folder map names no path"
    gone = sorted(p for p in named if not (ROOT / p).exists())
    assert gone == [], f"README's folder map names paths that do not exist: {gone}"
