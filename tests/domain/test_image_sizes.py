"""Pictures at the size the screen needs: 360 and 720 px WebP copies of a stored image, made
on first request, kept, offered by srcset in rendered module text, and served with a long cache."""
import io

import sqlalchemy as sa
from PIL import Image as PILImage

from learning.content.rendering import render_markdown
from learning.media import variants
from learning.models import Image

from ..factories import login, make_user
from ..photos import photo_like


def test_copies_are_narrower_and_within_their_budget():
    stored = io.BytesIO()
    PILImage.open(io.BytesIO(photo_like())).save(stored, "WEBP", quality=80)
    for width in variants.WIDTHS:
        copy = variants.make_variant(stored.getvalue(), width)
        with PILImage.open(io.BytesIO(copy)) as picture:
            assert picture.format == "WEBP" and picture.size == (width, round(800 * width / 1200))
        assert len(copy) <= width * variants.BYTES_PER_PIXEL_WIDTH
    assert variants.make_variant(stored.getvalue(), 1200) is None  # not wider: no copy


def test_rendered_images_offer_their_copies_and_others_stay_alone():
    sha = "a" * 64
    html = render_markdown(f"![Peta](/media/{sha}.webp)\n\n![Luar](https://contoh.id/x.png)").html
    assert (f'srcset="/media/360/{sha}.webp 360w, /media/720/{sha}.webp 720w, '
            f'/media/{sha}.webp 1200w"') in html
    assert 'sizes="(max-width: 45rem) 100vw, 45rem"' in html
    assert html.count("srcset=") == 1
    assert variants.with_srcset(html) == html  # applying it twice changes nothing


def test_a_copy_is_made_once_then_served_from_the_folder(client, db, app, tmp_path,
                                                           monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path))
    make_user(role="trainer", username="tina")
    login(client, "tina")
    upload = client.post("/media/upload", headers={"Accept": "application/json"},
                         data={"image": (io.BytesIO(photo_like()), "foto.jpg"), "alt": "Foto"})
    assert upload.status_code == 201
    image = db.session.scalar(sa.select(Image))
    first = client.get(f"/media/360/{image.sha256}.{image.ext}")
    assert first.status_code == 200 and first.mimetype == "image/webp"
    assert len(first.data) <= 360 * variants.BYTES_PER_PIXEL_WIDTH < image.byte_size
    assert "immutable" in first.headers["Cache-Control"]
    kept = list((tmp_path / "variants" / "360").rglob(f"{image.sha256}.{image.ext}"))
    assert len(kept) == 1 and kept[0].read_bytes() == first.data
    again = client.get(f"/media/360/{image.sha256}.{image.ext}",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(f"/media/500/{image.sha256}.{image.ext}").status_code == 404
    assert client.get(f"/media/360/{'b' * 64}.webp").status_code == 404


def test_pages_saved_before_copies_existed_get_them_once(app, db, runner):
    from learning.content.revisions import save_module_revision
    from learning.models import Module

    from ..factories import import_sample_curriculum

    import_sample_curriculum()
    module = db.session.scalar(sa.select(Module).order_by(Module.id))
    sha = "c" * 64
    revision = save_module_revision(module, title=module.title, minutes=module.minutes,
                                    laws=module.laws, reviewed=None,
                                    source=f"![Foto](/media/{sha}.webp)", author=None)
    old_html = revision.html.replace(revision.html[revision.html.index(" srcset="):
                                                   revision.html.index(">", revision.html.index(" srcset="))], "")
    revision.html = old_html  # as saved before srcset existed
    db.session.commit()
    assert "srcset" not in old_html
    result = runner.invoke(args=["media", "copies"])
    assert result.exit_code == 0 and result.output.startswith("1 module revision(s)"), result.output
    db.session.refresh(revision)
    assert f"/media/360/{sha}.webp 360w" in revision.html
    assert revision.html == variants.with_srcset(old_html)
    assert runner.invoke(args=["media", "copies"]).output.startswith("0 module revision(s)")
