"""The words of each chapter's main line, optional parts and exercises, as a Markdown table: what the
main-line check (tests/notebook_checks.py, main_line_length) counts, for a maintainer's note."""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import notebook_checks  # noqa: E402


def main() -> None:
    print("| chapter | main line | optional parts | exercises and solutions |")
    print("| --- | ---: | ---: | ---: |")
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        words = notebook_checks.prose_words(
            json.loads(path.read_text(encoding="utf-8"))
        )
        print(f"| {path.stem} | " + " | ".join(str(n) for n in words.values()) + " |")
    print(f"\nThe main line's limit: {notebook_checks.MAX_MAIN_LINE_WORDS} words.")


if __name__ == "__main__":
    main()
