"""pyproject.toml and environment.yml declare the same dependencies with the same minimum versions."""

import re
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
IGNORED = {"python", "pip"}
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*$")


def normalize(name: str) -> str:
    """PEP 503 name normalization: case and runs of -, _, . do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text: str) -> tuple[str, str]:
    """``"numpy >= 1.24"`` -> ``("numpy", ">=1.24")`` (extras dropped, spaces removed)."""
    text = text.split(";")[0].split("#")[0]
    match = REQUIREMENT.match(text)
    assert match, f"cannot parse requirement {text!r}"
    return normalize(match.group(1)), re.sub(r"\s+", "", match.group(3))


def pyproject_requirements(path: Path) -> dict[str, str]:
    project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["dev"]
    reqs = [parse_requirement(line) for line in lines]
    return dict(reqs)


def environment_requirements(path: Path) -> dict[str, str]:
    """The conda packages listed under ``dependencies:`` (the nested ``pip:`` list is skipped).

    A line parser for the one shape environment.yml has, so no YAML library is needed.
    """
    reqs = []
    in_deps = False
    item_indent = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#")[0].rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            in_deps = line.strip() == "dependencies:"
            continue
        if not in_deps:
            continue
        stripped = line.strip()
        if not stripped.startswith("- "):
            continue
        if item_indent is None:
            item_indent = indent
        if indent != item_indent:          # items of the nested pip: list
            continue
        item = stripped[2:].strip()
        if item.endswith(":"):             # "- pip:" opens the nested list
            continue
        # conda allows "name>=1.0", "name >=1.0" and "name=1.0"; only >= is used here
        reqs.append(parse_requirement(item))
    return {name: spec for name, spec in reqs if name not in IGNORED}


def test_parsers_on_a_sample(tmp_path):
    env = tmp_path / "environment.yml"
    env.write_text(
        "name: x\nchannels:\n  - conda-forge\ndependencies:\n  - python>=3.10\n  - NumPy >= 1.2  # c\n"
        "  - scikit_learn>=1.6\n  - pip\n  - pip:\n      - -e .\n      - extra>=1\nvariables:\n  A: 1\n",
        encoding="utf-8",
    )
    assert environment_requirements(env) == {"numpy": ">=1.2", "scikit-learn": ">=1.6"}
    assert parse_requirement("pkg[extra] >= 2.0 ; python_version < '3.11'") == ("pkg", ">=2.0")


def disagreements(pip: dict[str, str], conda: dict[str, str]) -> list[str]:
    """What differs between the two requirement lists, one line per problem."""
    only_pip, only_conda = sorted(pip.keys() - conda), sorted(conda.keys() - pip)
    problems = [f"{name} is in pyproject.toml but not environment.yml" for name in only_pip]
    problems += [f"{name} is in environment.yml but not pyproject.toml" for name in only_conda]
    problems += [
        f"{name}: pyproject.toml says {pip[name]!r}, environment.yml says {conda[name]!r}"
        for name in sorted(set(pip) & set(conda)) if pip[name] != conda[name]
    ]
    return problems


def test_disagreements_are_found():
    assert disagreements({"a": ">=1", "b": ">=2"}, {"a": ">=1", "b": ">=2"}) == []
    assert disagreements({"a": ">=1", "b": ">=2"}, {"a": ">=1.5", "c": ">=3"}) == [
        "b is in pyproject.toml but not environment.yml",
        "c is in environment.yml but not pyproject.toml",
        "a: pyproject.toml says '>=1', environment.yml says '>=1.5'",
    ]


def test_pyproject_and_environment_yml_agree():
    pip = pyproject_requirements(ROOT / "pyproject.toml")
    conda = environment_requirements(ROOT / "environment.yml")
    assert "numpy" in pip and "pytest" in pip, "runtime and dev dependencies are both read"
    problems = disagreements(pip, conda)
    assert not problems, "\n".join(problems)


def test_every_dependency_has_a_minimum_version():
    for name, spec in pyproject_requirements(ROOT / "pyproject.toml").items():
        assert spec.startswith(">="), f"{name} should say its minimum version (>=); got {spec!r}"


def test_environment_yml_installs_the_package_itself():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s+-\s+pip:\s*$", text, re.M) and re.search(r"^\s+-\s+-e\s+\.\s*$", text, re.M)
