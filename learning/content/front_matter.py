"""YAML front matter between two `---` lines at the top of a Markdown file.

Both parts are bounded before they are parsed: the front matter may be at most
MAX_FRONT_MATTER_CHARS long, nest at most MAX_FRONT_MATTER_DEPTH levels (brackets or indentation)
and hold at most MAX_FRONT_MATTER_NODES values (aliases counted each time they are used); the
body must pass the Markdown limits of learning.content.markdown_limits. A file nested 3,000 deep
is therefore a line-numbered error instead of a stack overflow.
"""
from __future__ import annotations

from dataclasses import dataclass

import yaml

from .errors import ContentError
from .markdown_limits import markdown_problem

MAX_FRONT_MATTER_CHARS = 20_000
MAX_FRONT_MATTER_DEPTH = 10
MAX_FRONT_MATTER_NODES = 2_000


@dataclass
class Document:
    meta: dict
    body: str
    body_line: int  # 1-based line number of the first body line in the file


def split_front_matter(text: str, path: str) -> Document:
    """Split `text` into its front matter mapping and Markdown body.

    Raises ContentError naming `path` and the offending line when the front matter is missing,
    unterminated, not valid YAML, or not a mapping.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, "front matter missing: the file must start with a line '---'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentError(path, 1, "front matter not closed: no second line '---'") from None
    raw = "\n".join(lines[1:end])
    _check_front_matter_shape(raw, path)
    try:
        meta = yaml.safe_load(raw) if raw.strip() else {}
    except RecursionError:
        raise ContentError(path, 2, "front matter nests too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or "invalid YAML"
        raise ContentError(path, line, f"front matter is not valid YAML: {reason}") from None
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "front matter must be a mapping of 'key: value' lines")
    if _count_nodes(meta, MAX_FRONT_MATTER_NODES) > MAX_FRONT_MATTER_NODES:
        raise ContentError(path, 2, f"front matter holds more than {MAX_FRONT_MATTER_NODES} values")
    body = "\n".join(lines[end + 1:])
    problem = markdown_problem(body)
    if problem is not None:
        raise ContentError(path, end + 1 + problem.line, problem.describe())
    return Document(meta=meta, body=body, body_line=end + 2)


def _check_front_matter_shape(raw: str, path: str) -> None:
    """Refuse front matter too long or nested too deep to hand to the YAML parser."""
    if len(raw) > MAX_FRONT_MATTER_CHARS:
        raise ContentError(path, 2, f"front matter is longer than {MAX_FRONT_MATTER_CHARS} "
                                    "characters")
    flow = 0
    for number, line in enumerate(raw.split("\n"), start=2):
        indent = len(line) - len(line.lstrip(" -"))
        depth = 0
        for char in line:
            if char in "[{":
                flow += 1
                depth = max(depth, flow)
            elif char in "]}":
                flow = max(0, flow - 1)
        if indent // 2 > MAX_FRONT_MATTER_DEPTH or depth > MAX_FRONT_MATTER_DEPTH:
            raise ContentError(path, number, f"front matter nests deeper than "
                                             f"{MAX_FRONT_MATTER_DEPTH} levels")


def _count_nodes(value, budget: int, depth: int = 0) -> int:
    """Values in the parsed front matter, counting each use of an alias; stops past `budget`."""
    if depth > MAX_FRONT_MATTER_DEPTH + 1:
        return budget + 1
    count = 1
    children = (list(value.keys()) + list(value.values()) if isinstance(value, dict)
                else value if isinstance(value, list) else [])
    for child in children:
        count += _count_nodes(child, budget - count, depth + 1)
        if count > budget:
            break
    return count


def meta_line(text: str, key: str) -> int:
    """The 1-based line of `key:` in the front matter of `text` (1 when it is absent)."""
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
        if number > 1 and line.strip() == "---":
            break
    return 1
