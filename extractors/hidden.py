"""Text on a PDF page that a person looking at the page cannot see.

A prompt-injection attack hides its instructions from the reviewer and shows them to the
machine: white text on the white page, text under 2 pt, text placed outside the page, text
painted over with a filled shape. pdfplumber reports every character whatever its colour,
so the page text (what extraction and the model read) contains it; this module names it.

A character is hidden when it is (spaces aside):
- smaller than `MIN_VISIBLE_SIZE` points;
- entirely outside the page's box;
- of nearly the same brightness as what it is drawn on: the last filled shape painted under
  it before it, else the white paper (so white text on a dark header band stays visible);
- covered by a filled shape painted after it (content-stream order).
Colours in spaces that do not tell brightness (patterns, spot colours) never count as hidden;
neither does text drawn in the invisible render mode (an OCR layer over a scan), which
pdfplumber does not report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MIN_VISIBLE_SIZE = 2.0
"""Font size (pt) below which text is unreadable in print and on screen."""
MIN_CONTRAST = 0.1
"""Brightness difference (0 black - 1 white) below which text does not stand out."""
MIN_SHAPE_SIDE = 2.0
"""Thinner filled shapes (rules, borders) neither carry nor cover text."""
X_TOLERANCE_RATIO = 0.15
"""Word gaps relative to the font size: tiny text has tiny gaps between its words."""

_NO_BRIGHTNESS = ("Pattern", "Separation", "DeviceN", "Indexed")


def brightness(color: Any, space: str | None = None) -> float | None:
    """0 (black) to 1 (white) for a gray, RGB or CMYK colour; None when it cannot be told."""
    if space is not None and any(name in space for name in _NO_BRIGHTNESS):
        return None
    if not isinstance(color, tuple | list) or not color:
        return None
    if not all(isinstance(value, int | float) for value in color):
        return None
    values = [min(max(float(value), 0.0), 1.0) for value in color]
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        red, green, blue = values
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue
    if len(values) == 4:
        cyan, magenta, yellow, black = values
        red, green, blue = ((1 - c) * (1 - black) for c in (cyan, magenta, yellow))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return None


@dataclass(frozen=True)
class _Shape:
    order: int
    x0: float
    x1: float
    top: float
    bottom: float
    brightness: float | None

    def under(self, char: dict[str, Any]) -> bool:
        """Whether the shape lies under the character's centre."""
        x = (float(char["x0"]) + float(char["x1"])) / 2
        y = (float(char["top"]) + float(char["bottom"])) / 2
        return self.x0 <= x <= self.x1 and self.top <= y <= self.bottom

    def covers(self, char: dict[str, Any]) -> bool:
        """Whether the shape spans the whole character (half a point of slack)."""
        return (
            self.x0 - 0.5 <= float(char["x0"])
            and float(char["x1"]) <= self.x1 + 0.5
            and self.top - 0.5 <= float(char["top"])
            and float(char["bottom"]) <= self.bottom + 0.5
        )


def _stream_kinds(objects: Any) -> Iterator[str]:
    """Object types in content-stream order, containers (form XObjects) walked into, as
    pdfplumber walks them."""
    for obj in objects:
        if hasattr(obj, "_objs"):
            yield from _stream_kinds(obj)
        else:
            yield type(obj).__name__[2:].lower()


def _ordered(page: Any) -> tuple[list[int], list[_Shape]]:
    """Stream positions of the page's chars, and its filled shapes with theirs.

    If the walk does not line up with pdfplumber's lists, every shape is taken as painted
    before every char (under it, covering nothing).
    """
    chars, rects, curves = page.chars, page.rects, page.curves
    positions: dict[str, list[int]] = {"char": [], "rect": [], "curve": []}
    for order, kind in enumerate(_stream_kinds(page.layout)):
        positions.setdefault(kind, []).append(order)
    if [len(positions[k]) for k in ("char", "rect", "curve")] != [
        len(chars), len(rects), len(curves)
    ]:
        positions = {
            "char": [len(rects) + len(curves)] * len(chars),
            "rect": list(range(len(rects))),
            "curve": list(range(len(rects), len(rects) + len(curves))),
        }
    shapes: list[_Shape] = []
    for kind, objects in (("rect", rects), ("curve", curves)):
        for order, obj in zip(positions[kind], objects, strict=True):
            x0, x1 = float(obj["x0"]), float(obj["x1"])
            top, bottom = float(obj["top"]), float(obj["bottom"])
            if obj.get("fill") and min(x1 - x0, bottom - top) >= MIN_SHAPE_SIDE:
                color = brightness(obj.get("non_stroking_color"))
                shapes.append(_Shape(order, x0, x1, top, bottom, color))
    shapes.sort(key=lambda shape: shape.order)
    return positions["char"], shapes


def _off_page(char: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    return (
        float(char["x1"]) <= x0
        or float(char["x0"]) >= x1
        or float(char["bottom"]) <= top
        or float(char["top"]) >= bottom
    )


def is_hidden(char: dict[str, Any], order: int, shapes: list[_Shape], box: Any) -> bool:
    """Whether a reader cannot see the character: see the module docstring."""
    if float(char.get("size") or 0.0) < MIN_VISIBLE_SIZE or _off_page(char, box):
        return True
    ground = 1.0  # the paper
    for shape in shapes:
        if shape.order > order and shape.covers(char):
            return True
        if shape.order < order and shape.under(char) and shape.brightness is not None:
            ground = shape.brightness  # shapes are in stream order: the last one is on top
    color = brightness(char.get("non_stroking_color"), char.get("ncs"))
    return color is not None and abs(color - ground) < MIN_CONTRAST


def hidden_text(page: Any) -> str:
    """The page's hidden characters as text (words and lines as pdfplumber reads them)."""
    from pdfplumber.utils.text import extract_text

    orders, shapes = _ordered(page)
    chars: list[dict[str, Any]] = page.chars
    hidden = [
        char
        for char, order in zip(chars, orders, strict=True)
        if not str(char["text"]).isspace() and is_hidden(char, order, shapes, page.bbox)
    ]
    if not hidden:
        return ""
    text: str = extract_text(hidden, x_tolerance_ratio=X_TOLERANCE_RATIO)
    return text.strip()
