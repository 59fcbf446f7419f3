"""Images for module text: checked, stripped, resized and re-encoded for phones, then stored.

An upload must be a real JPEG, PNG, WebP or GIF (only a GIF's first frame is kept). Pillow opens
and verifies it, applies the camera's orientation, drops every piece of metadata (EXIF with GPS
position, XMP, ICC, comments), scales it to at most MAX_WIDTH pixels wide and re-encodes it as
WebP, lowering quality and then size until it fits TARGET_BYTES: one image costs tens of
kilobytes on a phone. The result is addressed by the SHA-256 of its bytes, so its URL never
changes meaning and can be cached for a year. The bytes are stored in the database by default,
or as a file under MEDIA_ROOT when that shared folder is configured.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError, features

from learning import audit
from learning.extensions import db
from learning.models import Image, ModuleRevision, User, utcnow

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # larger pictures are refused before they are decoded
MAX_WIDTH = 1200
MAX_HEIGHT = 2400
MIN_WIDTH = 480
TARGET_BYTES = 120_000
QUALITIES = (80, 70, 60, 50, 42)
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")


class MediaError(ValueError):
    """An upload was refused. `code` names the rule; `params` fill in the message."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    ext: str
    content_type: str
    width: int
    height: int
    source_format: str
    sha256: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "sha256", hashlib.sha256(self.data).hexdigest())


def _output_format() -> tuple[str, str, str]:
    """(Pillow format, extension, content type): WebP where Pillow has it, else JPEG."""
    if features.check("webp"):
        return "WEBP", "webp", "image/webp"
    return "JPEG", "jpg", "image/jpeg"


def _open_checked(data: bytes) -> tuple[PILImage.Image, str]:
    """Open `data` as one of the allowed formats and check it fully; return its first frame."""
    try:
        with PILImage.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as probe:
            source_format = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise MediaError("too_many_pixels", width=probe.width, height=probe.height)
            probe.verify()
        image = PILImage.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        image.seek(0)
        image.load()
    except MediaError:
        raise
    except (UnidentifiedImageError, PILImage.DecompressionBombError):
        raise MediaError("not_an_image") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
        raise MediaError("damaged_image") from None
    return image, source_format


def _normalised(image: PILImage.Image) -> PILImage.Image:
    """Upright, in RGB (or RGBA when it has transparency), with no metadata attached."""
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, TypeError, KeyError):
        pass  # a broken orientation tag is not worth refusing the picture
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    pixels = image.convert(mode)
    clean = PILImage.new(mode, pixels.size)
    clean.paste(pixels)
    return clean  # a fresh image: nothing of the upload's info dictionary comes along


def _fit(image: PILImage.Image, max_width: int) -> PILImage.Image:
    scale = min(1.0, max_width / image.width, MAX_HEIGHT / image.height)
    if scale >= 1.0:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, PILImage.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(image: PILImage.Image, pil_format: str, quality: int) -> bytes:
    buffer = io.BytesIO()
    if pil_format == "WEBP":
        image.save(buffer, "WEBP", quality=quality, method=6, exif=b"", icc_profile=None)
    else:
        if image.mode == "RGBA":
            background = PILImage.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A"))
            image = background
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def prepare_image(data: bytes, max_bytes: int = MAX_UPLOAD_BYTES,
                  target_bytes: int = TARGET_BYTES) -> PreparedImage:
    """Check and re-encode an upload; raise MediaError (with a code) when it is refused."""
    if not data:
        raise MediaError("empty")
    if len(data) > max_bytes:
        raise MediaError("too_large", size=len(data), limit=max_bytes)
    image, source_format = _open_checked(data)
    image = _normalised(image)
    pil_format, ext, content_type = _output_format()
    width = min(MAX_WIDTH, image.width)
    while True:
        fitted = _fit(image, width)
        for quality in QUALITIES:
            encoded = _encode(fitted, pil_format, quality)
            if len(encoded) <= target_bytes:
                break
        if len(encoded) <= target_bytes or width <= MIN_WIDTH:
            break
        width = max(MIN_WIDTH, int(width * 0.8))
    return PreparedImage(data=encoded, ext=ext, content_type=content_type, width=fitted.width,
                         height=fitted.height, source_format=source_format)


# --------------------------------------------------------------------------- storage


def _file_path(media_root: str | os.PathLike, sha256: str, ext: str) -> Path:
    return Path(media_root) / sha256[:2] / f"{sha256}.{ext}"


def _write_file(path: Path, data: bytes) -> None:
    """Write atomically: a reader on another server never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size == len(data):
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@dataclass(frozen=True)
class StoredImage:
    image: Image
    created: bool  # False when the same picture was uploaded before


def store_image(data: bytes, *, uploader: User | None, original_name: str = "", alt: str = "",
                media_root: str | None = None, max_bytes: int = MAX_UPLOAD_BYTES) -> StoredImage:
    """Prepare an upload and keep it (once: the same result is never stored twice)."""
    prepared = prepare_image(data, max_bytes=max_bytes)
    existing = find_image(prepared.sha256)
    if existing is not None:
        return StoredImage(existing, created=False)
    image = Image(sha256=prepared.sha256, ext=prepared.ext, content_type=prepared.content_type,
                  width=prepared.width, height=prepared.height, byte_size=len(prepared.data),
                  original_name=_display_name(original_name), original_size=len(data),
                  alt=(alt or "").strip()[:200], uploader_id=uploader.id if uploader else None,
                  created_at=utcnow())
    if media_root:
        _write_file(_file_path(media_root, prepared.sha256, prepared.ext), prepared.data)
    else:
        image.data = prepared.data
    db.session.add(image)
    db.session.flush()
    audit.record(uploader, audit.UPLOAD, "image", image.id, image.original_name or image.filename,
                 f"{image.width}×{image.height}, {image.byte_size // 1024} KB")
    return StoredImage(image, created=True)


def _display_name(name: str) -> str:
    """The uploaded file's own name, without any folder part, for the image list."""
    return re.split(r"[\\/]", name or "")[-1].strip()[:200]


def find_image(sha256: str, ext: str | None = None) -> Image | None:
    if not SHA_RE.match(sha256 or ""):
        return None
    image = db.session.scalar(sa.select(Image).where(Image.sha256 == sha256))
    if image is None or (ext is not None and image.ext != ext):
        return None
    return image


def image_bytes(image: Image, media_root: str | None) -> bytes | None:
    """The stored bytes: from the database row, else from the shared folder."""
    if image.data is not None:
        return image.data
    if media_root:
        path = _file_path(media_root, image.sha256, image.ext)
        if path.is_file():
            return path.read_bytes()
    return None


def markdown_snippet(image: Image, alt: str | None = None) -> str:
    """What a trainer pastes into module text to show this image."""
    text = (alt if alt is not None else image.alt) or ""
    text = re.sub(r"[\[\]\n\r]", " ", text).strip()
    return f"![{text}]({image.path})"


def recent_images(limit: int = 200) -> list[Image]:
    return list(db.session.scalars(
        sa.select(Image).options(selectinload(Image.uploader))
        .order_by(Image.created_at.desc(), Image.id.desc()).limit(limit)))


def image_references(image: Image) -> list[ModuleRevision]:
    """Module revisions (any, published or not) whose text shows this image."""
    return list(db.session.scalars(
        sa.select(ModuleRevision).where(ModuleRevision.source.contains(image.sha256))
        .order_by(ModuleRevision.module_id, ModuleRevision.number)))


def delete_image(image: Image, actor: User | None, media_root: str | None) -> Path | None:
    """Delete an image no revision uses (history must keep showing its pictures).

    Returns the stored file to remove once the transaction has committed (None when the bytes
    lived in the database), so a rolled-back delete never loses the picture.
    """
    if image_references(image):
        raise MediaError("in_use")
    audit.record(actor, audit.DELETE, "image", image.id, image.original_name or image.filename)
    path = _file_path(media_root, image.sha256, image.ext) if media_root else None
    db.session.delete(image)
    db.session.flush()
    return path
