"""Moodle XML: question banks out to Moodle and back, and a grade-import CSV's columns.

Out: ``<quiz>`` with one ``<question type="category">`` per bank (path
``$course$/top/latsar/<course>/<bank title>``, the bank id as the category's ``idnumber``, its
instructions and source as the category's info), then one ``multichoice`` question per
question: ``<single>true</single>``, exactly one answer with ``fraction="100"`` (the others 0),
the explanation as ``<generalfeedback>``, the question id as ``<name>`` and ``<idnumber>``, the
section ids as ``<tags>``. Text is HTML (``<`` ``&`` escaped, line breaks as ``<br>``) inside
CDATA, as Moodle itself writes it.

Back: only what latsar can hold (multiple choice, one right answer) is accepted; everything
else is named, all at once. The file is parsed with the standard library after refusing any
DOCTYPE (so no entity can be declared: no billion laughs, no external entities) and any file
larger than ``MAX_BYTES``.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from xml.parsers import expat

from msgspec import Struct, field

from latsar.course.model import Bank, Course
from latsar.errors import DataError, NotFound, UsageError
from latsar.exchange.drafts import Draft

MAX_BYTES = 10 * 1024 * 1024
SOURCE_PREFIX = "Sumber: "
_PATH_SPLIT = re.compile(r"(?<!/)/(?!/)")


# -- out --------------------------------------------------------------------------------------------


def cdata(text: str) -> str:
    """``text`` as CDATA; a "]]>" inside is split across two sections."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def to_html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def _plain(text: str) -> str:
    return html.escape(text, quote=False)


def _html_element(tag: str, text: str, indent: str) -> str:
    return f'{indent}<{tag} format="html"><text>{cdata(to_html(text)) if text else ""}</text></{tag}>'


def category_path(course: Course, bank: Bank) -> str:
    """Where the bank goes in Moodle's question bank ("/" in a name is written "//")."""
    return f"$course$/top/latsar/{course.id}/{bank.title.replace('/', '//')}"


def _category(course: Course, bank: Bank) -> list[str]:
    info = "".join(f"<p>{to_html(p)}</p>" for p in (bank.instructions, SOURCE_PREFIX + bank.source if bank.source else "") if p)
    return [
        '  <question type="category">',
        f"    <category><text>{_plain(category_path(course, bank))}</text></category>",
        f'    <info format="html"><text>{cdata(info) if info else ""}</text></info>',
        f"    <idnumber>{_plain(bank.id)}</idnumber>",
        "  </question>",
    ]


def _question(q_id: str, stem: str, options: Sequence[tuple[str, str]], key: str, explanation: str, sections: Sequence[str]) -> list[str]:
    lines = [
        '  <question type="multichoice">',
        f"    <name><text>{_plain(q_id)}</text></name>",
        _html_element("questiontext", stem, "    "),
        _html_element("generalfeedback", explanation, "    "),
        "    <defaultgrade>1.0000000</defaultgrade>",
        "    <penalty>0.3333333</penalty>",
        "    <hidden>0</hidden>",
        f"    <idnumber>{_plain(q_id)}</idnumber>",
        "    <single>true</single>",
        "    <shuffleanswers>false</shuffleanswers>",
        "    <answernumbering>abc</answernumbering>",
    ]
    for letter, text in options:
        lines += [
            f'    <answer fraction="{100 if letter == key else 0}" format="html">',
            f"      <text>{cdata(to_html(text))}</text>",
            '      <feedback format="html"><text></text></feedback>',
            "    </answer>",
        ]
    lines.append("    <tags>")
    lines += [f"      <tag><text>{_plain(sid)}</text></tag>" for sid in sections]
    lines += ["    </tags>", "  </question>"]
    return lines


def export_questions(course: Course, banks: Sequence[Bank]) -> str:
    """Banks as one Moodle XML document."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<!-- latsar: {_plain(course.id)} {_plain(course.version)} -->", "<quiz>"]
    for bank in banks:
        lines += _category(course, bank)
        for q in bank.questions:
            lines += _question(q.id, q.stem, q.options, q.key, q.explanation, q.sections)
    lines.append("</quiz>")
    return "\n".join(lines) + "\n"


# -- back -------------------------------------------------------------------------------------------


class ImportedBank(Struct):
    """One category of a Moodle XML file and the questions under it."""

    id: str
    title: str
    source: str = ""
    instructions: str = ""
    drafts: list[Draft] = field(default_factory=list)


def _refuse_declarations(data: bytes, name: str) -> None:
    """Refuse a document type declaration (and with it any ENTITY), before anything is expanded."""

    def refuse(*_: object) -> None:
        raise DataError(f"Berkas {name} memuat deklarasi DOCTYPE/ENTITY; demi keamanan tidak dibaca.")

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise DataError(f"Berkas {name} bukan XML yang sah ({expat.ErrorString(exc.code)}, baris {exc.lineno}).") from None
    except LookupError:  # encoding="…" names no encoding Python knows
        raise DataError(f"Berkas {name} menyebut pengodean (encoding) yang tidak dikenal; simpan ulang sebagai UTF-8.") from None


def parse_xml(data: bytes, name: str) -> ET.Element:
    if len(data) > MAX_BYTES:
        raise DataError(f"Berkas {name} terlalu besar ({len(data) // 1024 // 1024} MB; paling besar {MAX_BYTES // 1024 // 1024} MB).")
    _refuse_declarations(data, name)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:  # what expat alone let through, ElementTree's own reading did not
        line = exc.position[0]
        raise DataError(f"Berkas {name} bukan XML yang sah ({expat.ErrorString(exc.code)}, baris {line}).") from None
    if root.tag != "quiz":
        raise DataError(f"Berkas {name} bukan Moodle XML (elemen teratas <{root.tag}>, bukan <quiz>).")
    return root


def from_html(text: str) -> str:
    """Moodle's HTML text as plain text: line breaks and paragraphs kept, other tags dropped."""
    text = re.sub(r"[\r\n]+", " ", text)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"</p>\s*<p(\s[^>]*)?>", "\n\n", text, flags=re.I)
    text = re.sub(r"<[^>]*>", "", text)
    return html.unescape(text).strip()


def _text(element: ET.Element | None) -> str:
    """The text of an element with a ``<text>`` child, in its declared format."""
    if element is None:
        return ""
    raw = element.findtext("text") or ""
    return from_html(raw) if element.get("format", "html") == "html" else raw.strip()


def _paragraphs(element: ET.Element | None) -> list[str]:
    raw = (element.findtext("text") or "") if element is not None else ""
    return [from_html(p) for p in re.findall(r"<p(?:\s[^>]*)?>(.*?)</p>", raw, flags=re.S | re.I)] or ([from_html(raw)] if raw.strip() else [])


def _bank(element: ET.Element, number: int) -> ImportedBank:
    path = (element.findtext("category/text") or "").strip()
    parts = [p.replace("//", "/") for p in _PATH_SPLIT.split(path) if p]
    title = parts[-1] if parts and not parts[-1].startswith("$") else f"Kategori {number}"
    bank = ImportedBank(id=(element.findtext("idnumber") or "").strip(), title=title)
    info = _paragraphs(element.find("info"))
    if info and info[-1].startswith(SOURCE_PREFIX):
        bank.source = info.pop()[len(SOURCE_PREFIX) :]
    bank.instructions = "\n\n".join(p for p in info if p)
    return bank


def _fraction(answer: ET.Element) -> float:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return float("nan")


def _answers(element: ET.Element, draft: Draft) -> None:
    """The options and the key; a partial grade cannot be held (right is 100, wrong 0 or less)."""
    for answer in element.findall("answer"):
        fraction = _fraction(answer)
        if fraction == 100:
            draft.keys.append(len(draft.options))
        elif not fraction <= 0:
            draft.unsupported = f"nilai sebagian (fraction {answer.get('fraction')}) tidak didukung; jawaban benar 100, yang lain 0"
        draft.options.append(_text(answer))


def _unsupported(element: ET.Element) -> str:
    kind = element.get("type", "")
    if kind != "multichoice":
        return f"jenis soal '{kind}' tidak didukung (hanya multichoice)"
    if (element.findtext("single") or "true").strip().lower() not in ("true", "1"):
        return "boleh memilih lebih dari satu jawaban (single=false); latsar hanya satu jawaban benar"
    return ""


def _draft(element: ET.Element, number: int, default_sections: list[str]) -> Draft:
    name = (element.findtext("name/text") or "").strip()
    qid = (element.findtext("idnumber") or "").strip() or name
    draft = Draft(name or qid or f"soal ke-{number}", qid, _text(element.find("questiontext")), sections=list(default_sections), format="moodle")
    draft.unsupported = _unsupported(element)
    if draft.unsupported:
        return draft
    _answers(element, draft)
    tags = [t.strip() for t in (x.text or "" for x in element.findall("tags/tag/text")) if t.strip()]
    if tags:
        draft.sections = tags
    draft.explanation = _text(element.find("generalfeedback"))
    return draft


def read_questions(data: bytes, name: str, default_sections: list[str] | None = None) -> list[ImportedBank]:
    """The banks (categories) of a Moodle XML file with their questions as drafts; questions
    before any category form a bank of their own. Banks without questions are left out."""
    root = parse_xml(data, name)
    banks: list[ImportedBank] = []
    number = 0
    for element in root.findall("question"):
        if element.get("type") == "category":
            banks.append(_bank(element, len(banks) + 1))
            continue
        if not banks:
            banks.append(ImportedBank(id="", title=""))
        number += 1
        banks[-1].drafts.append(_draft(element, number, default_sections or []))
    return [b for b in banks if b.drafts]


def choose_bank(banks: list[ImportedBank], wanted: str | None, name: str) -> ImportedBank:
    """The one bank to import: the only one, or the one ``wanted`` names (by id or title)."""
    if not banks:
        raise DataError(f"Berkas {name} tidak berisi soal.")
    if wanted is not None:
        for bank in banks:
            if wanted in (bank.id, bank.title):
                return bank
    elif len(banks) == 1:
        return banks[0]
    listed = ", ".join(f"'{b.id or b.title}'" for b in banks)
    if wanted is not None:
        raise NotFound(f"Kategori '{wanted}' tidak ada di {name} (ada: {listed}).")
    raise UsageError(f"Berkas {name} berisi {len(banks)} kategori ({listed}); pilih satu dengan --bank.")
