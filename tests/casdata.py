"""INCEpTION-shaped UIMA CAS fixtures, written with dkpro-cassis: a type system with INCEpTION's layer
names (DKPro's NamedEntity, Token, Sentence and DocumentMetaData; a custom span layer and a custom
relation layer, webanno.custom.*), and one annotated news text.

``python tests/casdata.py`` rewrites the committed pair under tests/data/cas/ (ceasefire.xmi,
TypeSystem.xml) that docs/input-formats.md shows; the tests write their own copies with the functions
here, and variants of them (zipped, CAS JSON, broken).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from cassis import Cas, TypeSystem

NER = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
PROPOSAL = "webanno.custom.Proposal"
STANCE = "webanno.custom.Stance"
CLAIM = "webanno.custom.Claim"

#: the mapping beside the fixture: the Stance layer has two string features, so it says which holds the
#: label (Support and Oppose are relations of the default mapping)
MAPPING = """stancegraph-mapping: 1
cas:
  webanno.custom.Stance: {feature: stance}
"""

TEXT = ("Ceasefire talks \U0001F54A resumed in Cairo on Monday. Egypt backs the hostage exchange plan, a spokesperson "
        "said. Israel rejects the hostage exchange plan. Hamas did not comment.\n")


def typesystem() -> TypeSystem:
    """The layers of an INCEpTION project with a named-entity layer and two custom layers."""
    ts = TypeSystem()
    meta = ts.create_type(METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId", "isLastSegment"):
        ts.create_feature(meta, name, "uima.cas.Boolean" if name == "isLastSegment" else "uima.cas.String")
    ts.create_type(TOKEN)
    ts.create_type(SENTENCE)
    ner = ts.create_type(NER)
    ts.create_feature(ner, "value", "uima.cas.String")
    ts.create_feature(ner, "identifier", "uima.cas.String")
    ts.create_type(PROPOSAL)
    claim = ts.create_type(CLAIM)
    ts.create_feature(claim, "kind", "uima.cas.String")
    stance = ts.create_type(STANCE)
    ts.create_feature(stance, "Governor", "uima.tcas.Annotation")
    ts.create_feature(stance, "Dependent", "uima.tcas.Annotation")
    ts.create_feature(stance, "stance", "uima.cas.String")
    ts.create_feature(stance, "comment", "uima.cas.String")
    return ts


def at(text: str, words: str, nth: int = 1) -> tuple[int, int]:
    """The code-point offsets of the ``nth`` occurrence of ``words``."""
    start = -1
    for _ in range(nth):
        start = text.index(words, start + 1)
    return start, start + len(words)


@dataclass
class Doc:
    """A CAS and the annotations the tests refer to."""

    cas: Cas
    ts: TypeSystem
    named: dict[str, object] = field(default_factory=dict)

    def xmi(self) -> bytes:
        return self.cas.to_xmi().encode("utf-8")

    def typesystem_xml(self) -> bytes:
        return self.ts.to_xml().encode("utf-8")

    def json(self) -> bytes:
        return self.cas.to_json().encode("utf-8")


def ceasefire() -> Doc:
    """The fixture document: two stances (Support, Oppose), entities of several kinds, ignored layers."""
    ts = typesystem()
    cas = Cas(typesystem=ts)
    cas.sofa_string = TEXT
    T = ts.get_type
    doc = Doc(cas, ts)
    cas.add(T(METADATA)(begin=0, end=len(TEXT), documentTitle="Ceasefire talks resume in Cairo",
                        documentId="ceasefire-talks.txt", documentUri="https://news.example.org/ceasefire-talks",
                        collectionId="https://news.example.org/"))
    for sentence in re.finditer(r"[^.]+\.", TEXT):
        cas.add(T(SENTENCE)(begin=sentence.start() + (sentence.group(0)[0] == " "), end=sentence.end()))
    for token in re.finditer(r"\w+|[^\w\s]", TEXT):
        cas.add(T(TOKEN)(begin=token.start(), end=token.end()))

    def ner(name: str, words: str, value: str, nth: int = 1, **more: str) -> None:
        doc.named[name] = T(NER)(**dict(zip(("begin", "end"), at(TEXT, words, nth))), value=value, **more)
        cas.add(doc.named[name])

    ner("cairo", "Cairo", "LOC")
    ner("monday", "Monday", "DATE")
    ner("egypt", "Egypt", "GPE", identifier="http://www.wikidata.org/entity/Q79")
    ner("israel", "Israel", "GPE")
    ner("hamas", "Hamas", "ORG")
    for name, nth in (("plan1", 1), ("plan2", 2)):
        doc.named[name] = T(PROPOSAL)(**dict(zip(("begin", "end"), at(TEXT, "the hostage exchange plan", nth))))
        cas.add(doc.named[name])
    cas.add(T(STANCE)(begin=doc.named["plan1"].begin, end=doc.named["plan1"].end, Governor=doc.named["egypt"],
                      Dependent=doc.named["plan1"], stance="Support", comment="said by a spokesperson"))
    cas.add(T(STANCE)(begin=doc.named["plan2"].begin, end=doc.named["plan2"].end, Governor=doc.named["israel"],
                      Dependent=doc.named["plan2"], stance="Oppose"))
    return doc


def write_pair(folder: Path, doc: Doc | None = None, name: str = "ceasefire", mapping: bool = True) -> Path:
    """``name``.xmi with TypeSystem.xml (and the mapping) in ``folder``, as an unzipped export; the .xmi."""
    doc = doc or ceasefire()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.xmi").write_bytes(doc.xmi())
    (folder / "TypeSystem.xml").write_bytes(doc.typesystem_xml())
    if mapping:
        (folder / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    return folder / f"{name}.xmi"


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def document_export(doc: Doc | None = None, name: str = "ceasefire-talks") -> bytes:
    """What INCEpTION's document export in 'UIMA CAS XMI (XML 1.0)' gives: the .xmi and TypeSystem.xml."""
    doc = doc or ceasefire()
    return zipped({f"{name}.xmi": doc.xmi(), "TypeSystem.xml": doc.typesystem_xml()})


def project_export(users: dict[str, Doc], curated: Doc | None = None, document: str = "ceasefire-talks.txt") -> bytes:
    """An INCEpTION project export with XMI annotations: annotation/<document>/<user>.zip, each a
    document export, curation/<document>/CURATION_USER.zip, the project's description with its layers."""
    members = {f"source/{document}": TEXT.encode("utf-8"), "exportedproject0123.json": PROJECT_JSON.encode("utf-8")}
    for user, doc in users.items():
        members[f"annotation/{document}/{user}.zip"] = document_export(doc, user)
    if curated is not None:
        members[f"curation/{document}/CURATION_USER.zip"] = document_export(curated, "CURATION_USER")
    return zipped(members)


PROJECT_JSON = """{"name": "ceasefire", "mode": "annotation", "layers": [
  {"name": "webanno.custom.Stance", "type": "relation", "features": [
    {"name": "stance", "type": "uima.cas.String", "tag_set": {"name": "Stances", "tags": [{"tag_name": "Support"}]}},
    {"name": "comment", "type": "uima.cas.String", "tag_set": null}]},
  {"name": "webanno.custom.Proposal", "type": "span", "features": []}
]}"""


if __name__ == "__main__":
    write_pair(Path(__file__).parent / "data" / "cas")
