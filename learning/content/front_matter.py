"""YAML front matter between two `---` lines at the top of a Markdown file."""
from __future__ import annotations

from dataclasses import dataclass

import yaml

from .errors import ContentError


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
    try:
        meta = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or "invalid YAML"
        raise ContentError(path, line, f"front matter is not valid YAML: {reason}") from None
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "front matter must be a mapping of 'key: value' lines")
    return Document(meta=meta, body="\n".join(lines[end + 1:]), body_line=end + 2)


def meta_line(text: str, key: str) -> int:
    """The 1-based line of `key:` in the front matter of `text` (1 when it is absent)."""
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
        if number > 1 and line.strip() == "---":
            break
    return 1
