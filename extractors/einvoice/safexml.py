"""Parse untrusted XML without letting it reach the network, read local files or blow up.

An e-invoice comes from outside: a hostile one may declare entities that expand to
gigabytes ("billion laughs") or point at local files and URLs (XXE). CII and UBL never need
a DTD, so a document that declares entities is refused outright, before parsing, and the
parser itself never resolves entities, loads DTDs or touches the network.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from lxml import etree

from extractors.einvoice.errors import invalid

# Larger than any real e-invoice, attachments included (XRechnung samples reach a few MB).
MAX_XML_BYTES = 50 * 1024 * 1024

_ENTITY_MARKERS = tuple("<!ENTITY".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def safe_parser() -> Any:
    """An lxml parser that resolves no entity, loads no DTD and reaches no network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )


def parse_xml(data: bytes) -> Any:
    """The root element of `data`, or InvalidEInvoice saying why it cannot be read safely."""
    if not data.strip():
        raise invalid("the XML file is empty.")
    if len(data) > MAX_XML_BYTES:
        raise invalid(f"the XML file is larger than {MAX_XML_BYTES // (1024 * 1024)} MB.")
    if any(marker in data for marker in _ENTITY_MARKERS):
        raise _entities()
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise invalid(f"it is not well-formed XML ({exc.msg}).") from exc
    except ValueError as exc:  # e.g. an encoding declaration lxml refuses
        raise invalid(f"it is not well-formed XML ({exc}).") from exc
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise _entities()
    return root


def _entities() -> Exception:
    return invalid(
        "it declares XML entities (a DOCTYPE with <!ENTITY>), which e-invoices never use and "
        "which can be used to attack the reader; it was not read."
    )


@contextmanager
def safe_default_parser() -> Iterator[None]:
    """Make the safe parser lxml's default for this thread while third-party code parses."""
    previous = etree.get_default_parser()
    etree.set_default_parser(safe_parser())
    try:
        yield
    finally:
        etree.set_default_parser(previous)
