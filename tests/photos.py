"""A photo-like test picture: sky, ground, shapes with soft edges, texture at several scales and
sensor grain, as a camera JPEG. Compresses like a real photo (noise alone is far harder, a flat
gradient far easier), so byte budgets measured on it mean something."""
import io
import random

from PIL import Image, ImageDraw, ImageFilter


def photo_like(width: int = 1200, height: int = 800, seed: int = 19, quality: int = 92) -> bytes:
    rng = random.Random(seed)
    sky = Image.linear_gradient("L").resize((width, height // 2))
    scene = Image.new("RGB", (width, height), (90, 120, 70))
    scene.paste(Image.merge("RGB", [sky.point(lambda v: 110 + v // 3),
                                    sky.point(lambda v: 150 + v // 4),
                                    sky.point(lambda v: 230 - v // 5)]), (0, 0))
    draw = ImageDraw.Draw(scene)
    for _ in range(40):  # buildings, trees, people: shapes of many sizes and colours
        x, y = rng.randrange(width), rng.randrange(height // 3, height)
        w, h = rng.randrange(20, 260), rng.randrange(20, 300)
        colour = tuple(rng.randrange(30, 230) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle((x, y - h, x + w, y), fill=colour)
        else:
            draw.ellipse((x, y - h, x + w, y), fill=colour)
    scene = scene.filter(ImageFilter.GaussianBlur(1.2))
    for scale, amount in ((8, 0.18), (2, 0.10)):  # texture: coarse, then fine
        size = (width // scale, height // scale)
        texture = Image.merge("RGB", [Image.effect_noise(size, 60) for _ in range(3)])
        texture = texture.resize((width, height), Image.Resampling.BICUBIC)
        scene = Image.blend(scene, texture, amount)
    grain = Image.merge("RGB", [Image.effect_noise((width, height), 20) for _ in range(3)])
    scene = Image.blend(scene, grain, 0.06)
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()
