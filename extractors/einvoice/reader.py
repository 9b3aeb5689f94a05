"""Entry points: e-invoice XML bytes, or a PDF that embeds them, to an EInvoice."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from extractors.einvoice.attachment import xml_attachment
from extractors.einvoice.cii import read_cii
from extractors.einvoice.detect import syntax_of
from extractors.einvoice.errors import InvalidEInvoice, invalid
from extractors.einvoice.model import EInvoice
from extractors.einvoice.safexml import parse_xml
from extractors.einvoice.ubl import read_ubl
from extractors.einvoice.xmltree import local_name


def read_einvoice_xml(data: bytes) -> EInvoice:
    """Read a CII or UBL e-invoice. Raises InvalidEInvoice with a reason for finance."""
    root = parse_xml(data)
    syntax = syntax_of(root)
    if syntax is None:
        raise invalid(f"its root element <{local_name(root)}> is not a CII or UBL invoice.")
    try:
        return read_cii(root) if syntax == "CII" else read_ubl(root)
    except InvalidEInvoice:
        raise
    except ValidationError as exc:  # a value the domain model refuses
        fields = ", ".join(sorted({".".join(map(str, e["loc"])) for e in exc.errors()}))
        raise invalid(f"the value of {fields} cannot be used.") from exc
    except (ValueError, ArithmeticError) as exc:  # e.g. an amount of 1E+999999999
        raise invalid(f"a value cannot be used ({exc.__class__.__name__}).") from exc


def einvoice_from_pdf(path: Path) -> EInvoice | None:
    """The e-invoice embedded in the PDF at `path`; None if it embeds none.

    An attachment that is there but unreadable raises InvalidEInvoice: the PDF claims to
    be an e-invoice, so a finance person must learn why its data was not used. A file
    that cannot be opened raises OSError, as for any other reader of the file.
    """
    found = xml_attachment(path.read_bytes())
    if found is None:
        return None
    name, data = found
    return read_einvoice_xml(data).model_copy(update={"attachment_name": name})
