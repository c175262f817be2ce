"""What `python -m pipeline inspect` offers, apart from what it needs to read a PDF: the stages it
prints and the styles it draws with. The command line's help is made from these, and so stays
quick: the reading and normalising code is imported only when `inspect` runs."""

from __future__ import annotations

from dataclasses import dataclass

STAGES = ("extract", "blocks", "tables", "result")

IMAGE_DPI = 100
TRANSPARENT = (0, 0, 0, 0)


@dataclass(frozen=True)
class Style:
    colour: str  # its name, for the legend in `--help`
    stroke: tuple[int, int, int]
    width: int
    fill: tuple[int, int, int, int] = TRANSPARENT


# What is drawn, and how.
STYLES = {
    "table": Style("blue", (0, 0, 255), 3, (0, 0, 255, 20)),
    "row": Style("magenta", (255, 0, 255), 2),
    "cell": Style("light blue", (0, 160, 255), 1),
    "paragraph": Style("green", (0, 150, 0), 2),
    "list item": Style("orange", (255, 130, 0), 2, (255, 130, 0, 30)),
}
LEGEND = ", ".join(f"{kind}s {style.colour}" for kind, style in STYLES.items())
