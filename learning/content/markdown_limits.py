"""Limits on authored Markdown, so that rendering stays fast and never runs out of stack.

Python-Markdown recurses once per list or quote level and once per emphasis marker in a run, and
its link patterns scan from every `[` to the matching `]` (or to the end of the paragraph when
there is none): 6,000 `[` in one paragraph took 8 s, growing with the square of the count. The
limits below bound each cause, measured in one linear pass over the source:

- MAX_CHARS characters in all;
- MAX_BLOCKS blocks (paragraphs, list items, headings, table rows, rules, quotes): the
  abbreviation, table and list processors do work that grows with the square of their count
  (66,000 one-letter paragraphs took 57 s);
- MAX_NESTING levels of lists and block quotes, and MAX_NESTING_WORK for the sum over all lines
  of their level;
- MAX_FOOTNOTES footnote marks (`[^`) and MAX_ABBREVIATIONS abbreviation lines (`*[X]: ...`),
  whose processors are quadratic too;
- MAX_RUN identical emphasis or code markers in a row (`*`, `_`, `~`, backtick) outside a line
  that is only a horizontal rule;
- MAX_MARKUP inline markup characters in all (each costs the inline patterns a little);
- MAX_BRACKET_WORK: the characters the link patterns would scan, the sum over every `[` of the
  distance to its `]` or, for an unclosed one, to the end of its paragraph.

Real modules stay far below each (the shipped curriculum peaks at 42 markup characters in one
paragraph). `markdown_problem` names the first limit passed; the studio and the importer refuse
such a text with that message, and `render_markdown` shows it as plain text instead of parsing
it, so preview and save stay well under a second at the size limit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 200_000
MAX_BLOCKS = 2_000
MAX_NESTING = 12
MAX_NESTING_WORK = 50_000
MAX_RUN = 50
MAX_MARKUP = 10_000
MAX_BRACKET_WORK = 400_000
MAX_FOOTNOTES = 300
MAX_ABBREVIATIONS = 100

MARKUP_CHARACTERS = frozenset("[]*_`~\\<!&")
_RUN_CHARACTERS = "*_~`"
_RULE_LINE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_CONTAINER = re.compile(r"^[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])")
_BLOCK_START = re.compile(r"^[ \t]*(?:[>#|:]|[-*+][ \t]|\d{1,9}[.)]|[-=_*]{3,}[ \t]*$)")
_LONG_RUN = re.compile(r"\*{%d,}|_{%d,}|~{%d,}|`{%d,}" % ((MAX_RUN + 1,) * 4))


@dataclass(frozen=True)
class MarkdownProblem:
    code: str  # too_long, too_many_blocks, too_deep, long_run, too_much_markup,
    #            too_many_brackets, too_many_footnotes, too_many_abbreviations
    line: int  # 1-based line where the limit was passed (1 for whole-text limits)
    limit: int

    def describe(self) -> str:
        """An English description for import and check reports (the studio translates codes)."""
        return {
            "too_long": f"the text is longer than {self.limit} characters",
            "too_many_blocks": f"more than {self.limit} paragraphs, list items, headings or "
                               "table rows",
            "too_many_footnotes": f"more than {self.limit} footnote marks '[^'",
            "too_many_abbreviations": f"more than {self.limit} abbreviation lines '*[...]:'",
            "too_deep": f"lists and block quotes nest deeper than {self.limit} levels, or too "
                        "many lines are nested",
            "long_run": f"more than {self.limit} '*', '_', '~' or '`' in a row",
            "too_much_markup": f"more than {self.limit} Markdown markup characters",
            "too_many_brackets": "too many unclosed or deeply nested '[' brackets",
        }[self.code]


def _nesting(line: str) -> int:
    """Levels of block quotes and lists that open on `line` (indentation counts per 4 columns)."""
    if not _CONTAINER.match(line):
        return 0
    line = line.expandtabs(4)
    depth, column, position = 0, 0, 0
    while position < len(line):
        char = line[position]
        if char == " ":
            column += 1
        elif char == ">":
            depth += 1
            column = 0
        elif char in "-*+" or char.isdigit():
            return depth + column // 4 + 1
        else:
            break
        position += 1
    return depth + column // 4


def _bracket_work(paragraph: str) -> int:
    """Characters the link patterns scan in one paragraph (see the module docstring)."""
    work, depth = 0, 0
    escaped = False
    for char in paragraph:
        work += depth
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
    return work


def markdown_problem(source: str) -> MarkdownProblem | None:
    """The first limit that `source` passes, or None when it may be rendered."""
    source = source or ""
    if len(source) > MAX_CHARS:
        return MarkdownProblem("too_long", 1, MAX_CHARS)
    if source.count("[^") > MAX_FOOTNOTES:
        return MarkdownProblem("too_many_footnotes", 1, MAX_FOOTNOTES)
    markup = blocks = abbreviations = nesting_work = 0
    blank_before = True
    for number, line in enumerate(source.split("\n"), start=1):
        if not line.strip():
            blank_before = True
            continue
        if blank_before or _BLOCK_START.match(line):
            blocks += 1
            if blocks > MAX_BLOCKS:
                return MarkdownProblem("too_many_blocks", number, MAX_BLOCKS)
        blank_before = False
        if line.startswith("*["):
            abbreviations += 1
            if abbreviations > MAX_ABBREVIATIONS:
                return MarkdownProblem("too_many_abbreviations", number, MAX_ABBREVIATIONS)
        depth = _nesting(line)
        nesting_work += depth
        if depth > MAX_NESTING or nesting_work > MAX_NESTING_WORK:
            return MarkdownProblem("too_deep", number, MAX_NESTING)
        if not _RULE_LINE.match(line) and _LONG_RUN.search(line):
            return MarkdownProblem("long_run", number, MAX_RUN)
        markup += sum(line.count(char) for char in MARKUP_CHARACTERS)
        if markup > MAX_MARKUP:
            return MarkdownProblem("too_much_markup", number, MAX_MARKUP)
    work = 0
    if "[" in source:
        for paragraph in re.split(r"\n[ \t]*\n", source):
            if "[" in paragraph:
                work += _bracket_work(paragraph)
                if work > MAX_BRACKET_WORK:
                    return MarkdownProblem("too_many_brackets", 1, MAX_BRACKET_WORK)
    return None
