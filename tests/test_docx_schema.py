"""The DOCX parts validate against the ECMA-376 transitional schemas.

The schemas are another project's files, so they are not in this repository: the project
provides them in its shared folder next to the repository (``../shared/ooxml-xsd``), or the
environment variable PIRDOC_OOXML_XSD names the folder holding them. Without them the tests are
skipped, or fail under PIRDOC_REQUIRE_TOOLS.

Two adjustments, as consuming applications make them (shared/ooxml-xsd/README.md): the ``xml:``
namespace import gets a local schema, and a Markup-Compatibility pass drops the namespaces a part
declares ignorable (w14 check boxes) and resolves mc:AlternateContent to its fallback.
"""

from __future__ import annotations

import functools
import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pirdoc import document as d
from pirdoc.renderers._docx import DocxRenderer
from tests.documents import every_node_document, hostile_document
from tests.tools import REQUIRE_ENV

REPO = Path(__file__).resolve().parent.parent
XSD_ENV = "PIRDOC_OOXML_XSD"
XSD_DIR = Path(os.environ.get(XSD_ENV) or REPO.parent / "shared" / "ooxml-xsd")
"""The folder holding wml.xsd and the other ECMA-376 transitional schemas."""
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

XML_XSD = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  targetNamespace="http://www.w3.org/XML/1998/namespace" xml:lang="en">
  <xs:attribute name="lang" type="xs:language"/>
  <xs:attribute name="space">
    <xs:simpleType><xs:restriction base="xs:NCName">
      <xs:enumeration value="default"/><xs:enumeration value="preserve"/>
    </xs:restriction></xs:simpleType>
  </xs:attribute>
</xs:schema>
"""

# Part name prefix → (schema file, what it holds). core.xml is left out: its schema imports the
# Dublin Core schemas from dublincore.org, which is not reachable from CI.
PARTS: dict[str, str] = {
    "word/document.xml": "wml.xsd",
    "word/styles.xml": "wml.xsd",
    "word/settings.xml": "wml.xsd",
    "word/numbering.xml": "wml.xsd",
    "word/header": "wml.xsd",
    "word/footer": "wml.xsd",
    "docProps/custom.xml": "shared-documentPropertiesCustom.xsd",
    "docProps/app.xml": "shared-documentPropertiesExtended.xsd",
}


@functools.cache
def schema(name: str, tmp_dir: str) -> etree.XMLSchema:
    xml_xsd = Path(tmp_dir) / "xml.xsd"
    xml_xsd.write_text(XML_XSD)
    tree = etree.parse(str(XSD_DIR / name))
    for imported in tree.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        if imported.get("namespace") == "http://www.w3.org/XML/1998/namespace":
            imported.set("schemaLocation", xml_xsd.as_uri())
    return etree.XMLSchema(tree)


def markup_compatibility(root: etree._Element) -> etree._Element:
    """Drop ignorable namespaces and resolve AlternateContent, as a consumer would."""
    ignorable = {
        root.nsmap[prefix] for prefix in (root.get(f"{{{MC}}}Ignorable") or "").split() if prefix in root.nsmap
    }
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent = alternate.getparent()
        assert parent is not None
        index = parent.index(alternate)
        parent.remove(alternate)
        for offset, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(index + offset, child)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace in ignorable:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        for attribute in list(element.attrib):
            namespace = etree.QName(attribute).namespace
            if namespace in ignorable or namespace == MC:
                del element.attrib[attribute]
    return root


def validation_errors(data: bytes, tmp_dir: str) -> list[str]:
    errors: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        for prefix, xsd in PARTS.items():
            matching = [n for n in names if n.startswith(prefix) and n.endswith(".xml")]
            assert matching, f"no part {prefix}"
            for name in matching:
                root = markup_compatibility(etree.fromstring(package.read(name)))
                checker = schema(xsd, tmp_dir)
                if not checker.validate(root):
                    errors += [f"{name}:{e.line}: {e.message}" for e in checker.error_log]
    return errors


@pytest.fixture(scope="module")
def xsd_tmp(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not (XSD_DIR / "wml.xsd").exists():
        message = (
            f"the ECMA-376 transitional schemas (wml.xsd …) are not at {XSD_DIR}: put the project's"
            f" shared/ooxml-xsd folder next to the repository, or set {XSD_ENV} to a folder holding them"
        )
        if os.environ.get(REQUIRE_ENV):  # where the readers are required, so is the schema check
            pytest.fail(f"{message}, and {REQUIRE_ENV} is set")
        pytest.skip(message)
    return str(tmp_path_factory.mktemp("xsd"))


@pytest.mark.parametrize(
    "document",
    [
        every_node_document(),
        every_node_document(status="Final"),
        hostile_document(),
    ],
    ids=["every-node-draft", "every-node-final", "hostile"],
)
def test_parts_validate_against_ecma_376(document: d.Document, xsd_tmp: str) -> None:
    assert validation_errors(DocxRenderer().render(document), xsd_tmp) == []


def test_parts_validate_with_every_option(xsd_tmp: str) -> None:
    data = DocxRenderer().render(every_node_document(), page_size="Letter", update_fields=True)
    assert validation_errors(data, xsd_tmp) == []
