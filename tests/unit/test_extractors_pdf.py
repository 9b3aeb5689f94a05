"""parse_pdf: words and text from real PDFs; every unreadable file ends as UnreadableDocument."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from extractors.pdf import UnreadableDocument, parse_pdf
from tests.extractor_pdfs import english_invoice, make_pdf


def test_words_carry_position_size_and_font(tmp_path: Path) -> None:
    doc = parse_pdf(make_pdf(tmp_path / "a.pdf", [english_invoice()]), "abc")
    assert doc.sha256 == "abc" and doc.file_name == "a.pdf"
    assert len(doc.pages) == 1 and doc.pages[0].number == 1
    texts = [w.text for w in doc.words]
    # the label and its value stay separate words
    assert "No:" in texts and "INV-2026-0042" in texts
    name = next(w for w in doc.words if w.text == "Acme")
    assert name.size == pytest.approx(18) and "Bold" in name.fontname
    assert "Total due" in doc.text


def test_rotated_stamp_is_not_mixed_into_words(tmp_path: Path) -> None:
    path = tmp_path / "stamp.pdf"
    canvas = Canvas(str(path))
    canvas.setFont("Helvetica", 10)
    canvas.drawString(50, 700, "Description")
    canvas.drawString(300, 700, "Amount")
    canvas.saveState()
    canvas.translate(200, 690)
    canvas.rotate(22)
    canvas.setFont("Helvetica-Bold", 48)
    canvas.drawString(0, 0, "COPY")
    canvas.restoreState()
    canvas.save()
    doc = parse_pdf(path, "x")
    assert [w.text for w in doc.words] == ["Description", "Amount"]


def test_touching_cells_are_split_at_a_column_start(tmp_path: Path) -> None:
    path = tmp_path / "collide.pdf"
    canvas = Canvas(str(path))
    canvas.setFont("Times-Roman", 10)
    column = 50 + stringWidth("LONGSKU-1234", "Times-Roman", 10) - 0.7
    for y, sku, text in [
        (700, "AB-1", "Bolts"),
        (685, "AB-2", "Screws"),
        (670, "LONGSKU-1234", "Nuts"),
    ]:
        canvas.drawString(50, y, sku)
        canvas.drawString(column, y, text)  # the long SKU runs 0.7 pt into this column
    canvas.save()
    texts = [w.text for w in parse_pdf(path, "x").words]
    assert "LONGSKU-1234" in texts and "Nuts" in texts


def _no_pages(path: Path) -> Path:
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type/Pages/Kids[]/Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def _image_only(path: Path) -> Path:
    canvas = Canvas(str(path))
    canvas.rect(50, 50, 300, 400, fill=1)
    canvas.save()
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.write_text("Dear customer, please pay.") and p, "not a PDF"),
        (lambda p: (p.write_bytes(b"") and p) or p, "empty"),
        (lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20) and p, "damaged"),
        (lambda p: make_pdf(p, [english_invoice()], encrypt="s3cret"), "password"),
        (_no_pages, "no pages"),
        (_image_only, "no text layer"),
    ],
    ids=["text-file", "empty", "corrupt", "encrypted", "no-pages", "scanned"],
)
def test_unreadable_documents_have_a_reason(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "bad.pdf"
    make(path)
    with pytest.raises(UnreadableDocument) as caught:
        parse_pdf(path, "x")
    assert reason in caught.value.reason


def test_truncated_pdf_and_missing_file(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "good.pdf", [english_invoice()]).read_bytes()
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(good[: len(good) // 3])
    for path in (truncated, tmp_path / "missing.pdf"):
        with pytest.raises(UnreadableDocument):
            parse_pdf(path, "x")


def test_letter_spaced_words_are_joined() -> None:
    from extractors.layout import join_letter_spaced
    from models.documents import Word

    def words(spec: list[tuple[str, float]], width: float = 5.0) -> list[Word]:
        return [
            Word(text=t, x0=x, x1=x + width, top=10, bottom=19, page=1, size=9.0)
            for t, x in spec
        ]

    spaced = words([(c, 100 + i * 6.6) for i, c in enumerate("HPC-30612")])
    assert [w.text for w in join_letter_spaced(spaced)] == ["HPC-30612"]
    title = words([(c, 400 + i * 13) for i, c in enumerate("INVOICE")], width=8.0)
    assert [w.text for w in join_letter_spaced(title)] == ["INVOICE"]
    # ordinary words and short single-character runs stay as printed
    plain = words([("Qty", 10), ("1", 40), ("x", 50), ("Box", 60)])
    assert [w.text for w in join_letter_spaced(plain)] == ["Qty", "1", "x", "Box"]
