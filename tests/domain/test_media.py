"""Uploaded images: real images only, size-limited, stripped of metadata, small enough for phones,
stored in the database or in MEDIA_ROOT, and served with a year-long cache."""
import io

import pytest
from PIL import Image as PILImage

from learning.studio import media
from learning.models import AuditEvent, Image

from ..factories import make_user


def noisy_photo(width=3000, height=2250, quality=94) -> bytes:
    """A camera-like JPEG of several megabytes: gradient plus grain, with EXIF (maker, model,
    description and a GPS block) as phones write it."""
    base = PILImage.linear_gradient("L").resize((width, height)).convert("RGB")
    grain = PILImage.merge("RGB", [PILImage.effect_noise((width, height), 64) for _ in range(3)])
    photo = PILImage.blend(base, grain, 0.6)
    exif = PILImage.Exif()
    exif[0x010F] = "KameraUji"
    exif[0x0110] = "Model X"
    exif[0x010E] = "Desa Sukamaju, rumah keluarga korban"
    exif[0x0112] = 1
    exif.get_ifd(0x8825)[2] = (3.0, 20.0, 0.0)  # GPSLatitude
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def small_png(color=(200, 30, 30, 128), size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGBA", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def trainer(db):
    return make_user(role="trainer", username="tina")


def test_a_five_megabyte_photo_is_stored_under_200_kb_without_exif(trainer, db, app):
    photo = noisy_photo()
    assert len(photo) > 4_500_000
    assert PILImage.open(io.BytesIO(photo)).getexif()[0x010F] == "KameraUji"
    stored = media.store_image(photo, uploader=trainer, original_name="C:\\foto\\IMG_0001.JPG",
                               alt="Poster indikator TPPO", media_root=None)
    db.session.commit()
    image = stored.image
    data = media.image_bytes(image, None)
    assert stored.created and len(data) < 200_000 and image.byte_size == len(data)
    assert image.width <= 1200 and image.original_name == "IMG_0001.JPG"
    reopened = PILImage.open(io.BytesIO(data))
    assert reopened.format == "WEBP" and reopened.size == (image.width, image.height)
    assert not reopened.getexif() and "exif" not in reopened.info and "xmp" not in reopened.info
    assert b"KameraUji" not in data and b"Sukamaju" not in data
    assert media.markdown_snippet(image) == f"![Poster indikator TPPO](/media/{image.sha256}.webp)"
    assert db.session.query(AuditEvent).filter_by(action="upload", target_id=image.id).count() == 1


def test_the_same_picture_is_stored_once(trainer, db):
    first = media.store_image(small_png(), uploader=trainer)
    second = media.store_image(small_png(), uploader=trainer)
    assert first.created and not second.created and first.image.id == second.image.id
    assert db.session.query(Image).count() == 1


def test_transparency_is_kept_and_gif_keeps_its_first_frame(trainer, db):
    png = media.prepare_image(small_png())
    assert PILImage.open(io.BytesIO(png.data)).mode == "RGBA"
    frames = [PILImage.new("RGB", (20, 20), color) for color in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    gif = PILImage.open(io.BytesIO(media.prepare_image(buffer.getvalue()).data))
    assert getattr(gif, "n_frames", 1) == 1
    red, green, blue = gif.convert("RGB").getpixel((10, 10))
    assert red > 200 and blue < 50


@pytest.mark.parametrize("payload, code", [
    (b"Ini bukan gambar, hanya teks yang diganti namanya menjadi .jpg\n" * 20, "not_an_image"),
    (b"", "empty"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'></svg>", "not_an_image"),
    (b"%PDF-1.4\n" + b"0" * 500, "not_an_image"),
])
def test_files_that_are_not_images_are_refused(trainer, db, payload, code):
    with pytest.raises(media.MediaError) as info:
        media.store_image(payload, uploader=trainer, original_name="poster.jpg")
    assert info.value.code == code
    assert db.session.query(Image).count() == 0


def test_a_truncated_image_is_refused(trainer, db):
    photo = noisy_photo(800, 600, 90)
    with pytest.raises(media.MediaError) as info:
        media.prepare_image(photo[: len(photo) // 2])
    assert info.value.code in ("damaged_image", "not_an_image")


def test_an_oversized_file_is_refused_before_it_is_decoded(trainer, db):
    with pytest.raises(media.MediaError) as info:
        media.store_image(b"\xff\xd8\xff" + b"\0" * (media.MAX_UPLOAD_BYTES + 1), uploader=trainer)
    assert info.value.code == "too_large" and info.value.params["limit"] == media.MAX_UPLOAD_BYTES


def test_a_picture_with_too_many_pixels_is_refused(trainer, db):
    buffer = io.BytesIO()
    PILImage.new("1", (10_000, 6_000)).save(buffer, "PNG")  # tiny file, 60 megapixels
    with pytest.raises(media.MediaError) as info:
        media.prepare_image(buffer.getvalue())
    assert info.value.code == "too_many_pixels"


def test_media_root_keeps_the_bytes_in_a_shared_folder(trainer, db, tmp_path):
    stored = media.store_image(small_png(), uploader=trainer, media_root=str(tmp_path))
    db.session.commit()
    image = db.session.get(Image, stored.image.id)
    assert image.data is None
    path = tmp_path / image.sha256[:2] / image.filename
    assert path.is_file() and media.image_bytes(image, str(tmp_path)) == path.read_bytes()
    leftover = media.delete_image(image, trainer, str(tmp_path))
    db.session.commit()
    assert leftover == path


def test_an_image_used_by_a_revision_cannot_be_deleted(trainer, db):
    from learning.studio import authoring as studio
    from ..factories import import_sample_curriculum

    import_sample_curriculum()
    image = media.store_image(small_png(), uploader=trainer).image
    module = db.session.query(studio.Module).filter_by(slug="penutup").one()
    studio.save_module_draft(module, studio.ModuleDraft(
        title="Penutup", minutes=3, laws=[], reviewed=None,
        source=f"Teks.\n\n{media.markdown_snippet(image, 'Bagan')}\n"), trainer)
    with pytest.raises(media.MediaError) as info:
        media.delete_image(image, trainer, None)
    assert info.value.code == "in_use"


def test_images_are_served_with_a_long_immutable_cache_and_an_etag(trainer, db, client):
    image = media.store_image(small_png(), uploader=trainer).image
    db.session.commit()
    response = client.get(image.path)
    assert response.status_code == 200 and response.mimetype == "image/webp"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["ETag"] == f'"{image.sha256}"'
    assert response.data == media.image_bytes(image, None)
    again = client.get(image.path, headers={"If-None-Match": f'"{image.sha256}"'})
    assert again.status_code == 304 and not again.data
    assert again.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get(f"/media/{image.sha256}.png").status_code == 404
    assert client.get("/media/../../etc/passwd.webp").status_code == 404
