"""Draws the app icons (a baton on Baton's blue) into public/icons/; run with the repo's venv (Pillow)."""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "public" / "icons"
BLUE = (13, 71, 161)
AMBER = (255, 193, 7)
WHITE = (255, 255, 255)


def draw(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # draw large, shrink: smooth edges without a font or an SVG renderer
    big = size * scale
    image = Image.new("RGB", (big, big), BLUE)
    pen = ImageDraw.Draw(image)
    # A maskable icon may be cropped to a circle of 80 % of its width: keep the mark inside that.
    inset = big * (0.22 if maskable else 0.14)
    if not maskable:
        image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
        pen = ImageDraw.Draw(image)
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.18, fill=BLUE)
    lo, hi = inset, big - inset
    width = (hi - lo) * 0.2
    # The baton: a thick diagonal bar with amber ends, from bottom left to top right.
    pen.line((lo + width, hi - width, hi - width, lo + width), fill=WHITE, width=int(width))
    for cx, cy in ((lo + width, hi - width), (hi - width, lo + width)):
        r = width * 0.75
        pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=AMBER)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)
    draw(180, maskable=True).save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
