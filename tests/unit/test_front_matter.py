import pytest

from learning.content.errors import ContentError
from learning.content.front_matter import split_front_matter


def test_front_matter_and_body_line():
    doc = split_front_matter("---\nslug: a\ntitle: A\n---\nBody\n", "a.md")
    assert doc.meta == {"slug": "a", "title": "A"}
    assert doc.body.strip() == "Body"
    assert doc.body_line == 5


@pytest.mark.parametrize("text,line,fragment", [
    ("slug: a\n", 1, "missing"),
    ("---\nslug: a\n", 1, "not closed"),
    ("---\nslug: a\ntitle: [unclosed\n---\n", 3, "YAML"),
    ("---\n- a\n- b\n---\n", 2, "mapping"),
])
def test_bad_front_matter_names_file_and_line(text, line, fragment):
    with pytest.raises(ContentError) as info:
        split_front_matter(text, "courses/x/01-a.md")
    assert info.value.path == "courses/x/01-a.md"
    assert info.value.line == line
    assert fragment in info.value.message
    assert str(info.value).startswith(f"courses/x/01-a.md:{line}:")
