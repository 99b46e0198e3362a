"""Make the README's screenshot from the browser tests' screenshots: chapter 2's first figure and the
math around it, light theme beside dark, as book/images/screenshot-chapter-2.png.

    bash scripts/test.sh                          # or: bash scripts/build.sh && .venv/bin/python -m pytest tests/browser
    .venv/bin/python scripts/readme_screenshot.py

The PNG is committed; rerun this after a change to the chapter or the theme, and look at it before committing.
"""
import pathlib
import sys

from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHOTS = ROOT / "_build" / "screenshots"
CHAPTER = "02_linear_regression_numpy"
TARGET = ROOT / "book" / "images" / "screenshot-chapter-2.png"
GAP = 16


def main() -> int:
    sources = [SHOTS / f"{CHAPTER}-{theme}-figure.png" for theme in ("light", "dark")]
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        print(f"readme_screenshot: missing {', '.join(missing)}: run the browser tests first "
              "(bash scripts/test.sh, or .venv/bin/python -m pytest tests/browser after a build)", file=sys.stderr)
        return 1
    light, dark = (Image.open(p).convert("RGB") for p in sources)
    height = max(light.height, dark.height)
    both = Image.new("RGB", (light.width + GAP + dark.width, height), "white")
    both.paste(light, (0, 0))
    both.paste(dark, (light.width + GAP, 0))
    both.save(TARGET, optimize=True)
    print(f"readme_screenshot: wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
