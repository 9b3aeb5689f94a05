"""What pdfplumber saw in a file: text, positioned words and tables, per page."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Word(BaseModel):
    """One word with its position; `top` grows downwards, as in pdfplumber."""

    model_config = ConfigDict(frozen=True)

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int
    size: float = 0.0
    fontname: str = ""


class ParsedPage(BaseModel):
    number: int
    width: float
    height: float
    text: str
    words: list[Word]
    hidden_text: str = ""
    """Text a reader cannot see (white on white, < 2 pt, off the page, covered by a filled
    shape), also part of `text`: the place for instructions meant only for a machine."""


class ParsedDocument(BaseModel):
    """The parse stage's output; extraction works only from this, never from the file."""

    sha256: str
    file_name: str
    pages: list[ParsedPage]

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)

    @property
    def hidden_text(self) -> str:
        return "\n".join(page.hidden_text for page in self.pages if page.hidden_text)

    @property
    def words(self) -> list[Word]:
        return [word for page in self.pages for word in page.words]
