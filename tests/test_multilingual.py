"""Labels per language, matching names across scripts, Arabic and Hebrew sources (docs/multilingual.md)."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stancegraph.graph import build, load, validate
from stancegraph.graph.anchor import find_quote
from stancegraph.graph.check import Resolver
from stancegraph.graph.convert import registry_yaml
from stancegraph.graph.emit import Iris, registry_lines
from stancegraph.graph.errors import Loc
from stancegraph.graph.importers.mentions import Mention, resolve_mentions
from stancegraph.graph.model import Corpus, registry_from_data, registry_to_data
from stancegraph.graph.names import LANGUAGE_TAG, language_tag_problem
from stancegraph.graph.suggest import find_mentions, sentences
from stancegraph.graph.textnorm import fold, fold_with_offsets, variants

DATA = Path(__file__).parent / "data" / "multilingual"
TEXTS = DATA / "texts"
SCHEMAS = Path(__file__).parent.parent / "graph" / "schema"


@pytest.fixture(scope="module")
def registry():
    return load([DATA / "registry.yaml"]).registry


# ----------------------------------------------------------------------------- one test per folding rule


def test_nfkc_and_case_folding():
    assert fold("ＵＮ Security  Council") == "un security council"
    assert fold("ﻹسرائيل") == fold("لإسرائيل")  # the lam-alef ligature is two letters


def test_arabic_harakat_and_superscript_alef_are_dropped():
    assert fold("حَمَاسٌ") == "حماس"
    assert fold("هٰذا") == "هذا"


def test_arabic_tatweel_is_dropped():
    assert fold("إسـرائيل") == fold("إسرائيل")


def test_arabic_alef_forms_are_one():
    assert {fold(w) for w in ("أحمد", "إحمد", "آحمد", "ٱحمد", "احمد")} == {"احمد"}


def test_arabic_hamza_on_waw_and_ya():
    assert fold("مؤتمر") == "موتمر"
    assert fold("إسرائيل") == "اسراييل"
    assert fold("ماء") == "ماء"  # hamza on the line is a letter of its own: kept


def test_arabic_ta_marbuta_is_ha():
    assert fold("السلطة") == fold("السلطه")


def test_arabic_alef_maqsura_is_ya():
    assert fold("مصطفى") == fold("مصطفي")


def test_hebrew_niqqud_and_cantillation_are_dropped():
    assert fold("יִשְׂרָאֵל") == "ישראל"
    assert fold("בְּרֵאשִׁ֖ית") == "בראשית"  # with a cantillation mark (tipeha)


def test_hebrew_maqaf_and_final_forms_are_kept():
    assert fold("בית־הספר") == "בית־הספר"  # maqaf is punctuation
    assert fold("שלום") != fold("שלומ")  # final mem is a letter of its own


def test_hebrew_gershayim_and_geresh_are_the_quotes_typed_for_them():
    assert fold("ארה״ב") == fold('ארה"ב')
    assert fold("צ׳רצ׳יל") == fold("צ'רצ'יל")


def test_arabic_clitic_prefixes_are_variants():
    assert "اسراييل" in variants("وإسرائيل")
    assert fold("السلطة الفلسطينية") in variants("بالسلطة الفلسطينية")
    assert fold("السلطة الفلسطينية") in variants("للسلطة الفلسطينية")  # li + al-, the alef dropped
    assert fold("حماس") in variants("لِحَمَاس")
    assert fold("الولايات المتحدة") in variants("والولايات المتحدة")


def test_hebrew_clitic_prefixes_are_variants():
    assert "ישראל" in variants("וישראל")
    assert "חמאס" in variants("בחמאס")
    assert "ארצות הברית" in variants("ולארצות הברית")  # two prefixes
    assert "הרשות הפלסטינית" in variants("לרשות הפלסטינית")  # le- swallows the article


def test_prefixes_never_leave_fewer_than_two_letters():
    assert variants("بل") == []
    assert variants("ול") == []
    assert "م" not in variants("وبم")


def test_latin_names_have_no_variants():
    assert variants("Washington") == []
    assert variants("the Pentagon") == []


# ----------------------------------------------------------------------------- properties


@given(st.text())
def test_folding_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1).filter(lambda t: t.strip()))
def test_folding_never_empties_a_name(name):
    assert fold(name)


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x24F)))
def test_latin_text_is_only_case_folded(text):
    assert fold(text) == " ".join(unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
                                  .casefold().split())


@given(st.text(alphabet=st.sampled_from("وفبلكال והבלמשכ حماسישראל\u064e\u05b0\u0640 ")))
def test_variants_are_folded_and_keep_two_letters(name):
    for variant in variants(name):
        assert fold(variant) == variant
        assert sum(c.isalpha() for c in variant.split(" ")[0]) >= 2


@given(st.text(alphabet=st.sampled_from("abcÅé\u0301حَمـاسי\u05b4שׂר ")))
def test_folded_offsets_point_into_the_text(text):
    folded, spans = fold_with_offsets(text)
    assert len(spans) == len(folded)
    assert fold("".join(text[s:e] for s, e in dict.fromkeys(spans))) == fold(text)


# ----------------------------------------------------------------------------- language tags


@pytest.mark.parametrize("tag", ["en", "ar", "he", "pt-BR", "zh-Hant-TW", "de-1996", "en-a-bbb", "x-private", "es-419"])
def test_well_formed_language_tags(tag):
    assert language_tag_problem(tag) is None
    pyoxigraph.Literal("x", language=tag)  # what the build does with it


@pytest.mark.parametrize("tag", ["abc-a-b", "e", "toolongtag", "en_US", "en-", "en\n", "-en", "en--us"])
def test_malformed_language_tags(tag):
    assert language_tag_problem(tag)


@given(st.from_regex(LANGUAGE_TAG, fullmatch=True))
def test_every_tag_the_pattern_takes_is_one_rdf_takes(tag):
    pyoxigraph.Literal("x", language=tag)


def test_the_schemas_check_language_tags_with_the_same_pattern():
    assert json.loads((SCHEMAS / "registry.schema.json").read_text("utf-8"))["$defs"]["language"]["pattern"] == LANGUAGE_TAG
    assert f'"pattern": {json.dumps(LANGUAGE_TAG)}' in (SCHEMAS / "source.schema.json").read_text("utf-8")


def test_a_malformed_source_language_is_a_problem_not_a_crash(tmp_path):
    shutil.copytree(DATA, tmp_path / "p")
    path = tmp_path / "p" / "sources" / "ar-talks.yaml"
    path.write_text(path.read_text("utf-8").replace("language: ar", "language: abc-a-b"), "utf-8")
    problems = validate([tmp_path / "p"], cache_dir=tmp_path / "cache")
    assert [(p.loc.line, "language" in p.message) for p in problems] == [(7, True)]


def test_a_malformed_registry_language_is_a_problem(tmp_path):
    shutil.copytree(DATA, tmp_path / "p")
    path = tmp_path / "p" / "registry.yaml"
    path.write_text(path.read_text("utf-8").replace("ar: إسرائيل", "abc-a-b: إسرائيل"), "utf-8")
    problems = validate([tmp_path / "p" / "registry.yaml"], cache_dir=tmp_path / "cache")
    assert [(p.loc.line, p.loc.path.endswith("registry.yaml")) for p in problems] == [(9, True)]


def test_one_language_written_twice_is_a_problem(tmp_path):
    shutil.copytree(DATA, tmp_path / "p")
    path = tmp_path / "p" / "registry.yaml"
    path.write_text(path.read_text("utf-8").replace("he: ישראל}", "he: ישראל, HE: ישראל}"), "utf-8")
    problems = validate([tmp_path / "p"], cache_dir=tmp_path / "cache")
    assert [p.message for p in problems] == ["label: 'he' and 'HE' are the same language"]


# ----------------------------------------------------------------------------- the model and RDF


def test_labels_per_language_in_the_model(registry):
    israel = registry.entities["israel"]
    assert israel.label == "Israel"  # the registry's language: what every caller shows
    assert israel.labels == {"en": "Israel", "ar": "إسرائيل", "he": "ישראל"}
    assert registry.entities["ceasefire"].lang_aliases == {"he": ("הפסקת האש",)}
    assert registry.entities["united-states"].aliases_by_language("en") == {"en": ("U.S.",)}
    assert registry.language == "en"


def test_rdf_labels_carry_their_language(registry):
    lines = [line for line in registry_lines(registry, Iris(registry.base)) if "/actor/israel>" in line]
    labels = [line.split(" ", 1)[1] for line in lines if "Label>" in line or "#label>" in line]
    assert labels == [
        '<http://www.w3.org/2000/01/rdf-schema#label> "Israel"@en .',
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Israel"@en .',
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "ישראל"@he .',
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "إسرائيل"@ar .',
    ]


def test_a_plain_label_takes_the_registry_language(tmp_path):
    (tmp_path / "registry.yaml").write_text("stancegraph: 1\nlanguage: ar\nactors:\n  hamas:\n    label: حماس\n"
                                            "    aliases: [حركة حماس]\n", "utf-8")
    registry = load([tmp_path / "registry.yaml"]).registry
    lines = registry_lines(registry, Iris(registry.base))
    assert any(line.endswith('core#prefLabel> "حماس"@ar .') for line in lines)
    assert any(line.endswith('core#altLabel> "حركة حماس"@ar .') for line in lines)


def test_shacl_allows_one_preferred_label_per_language(tmp_path):
    built = build([DATA], cache_dir=tmp_path / "cache")  # the shapes run: three prefLabels pass
    assert len(list(built.dataset.quads((None, None, None, None)))) > 0


def test_the_registry_cache_keeps_labels_per_language(registry):
    again = registry_from_data(registry_to_data(registry))
    assert again.language == "en"
    assert again.entities["israel"].labels == registry.entities["israel"].labels
    assert again.entities["ceasefire"].lang_aliases == {"he": ("הפסקת האש",)}


def test_an_old_registry_cache_is_not_read(registry):
    data = registry_to_data(registry)
    data["fields"] = [f for f in data["fields"] if f not in ("labels", "lang_aliases")]
    with pytest.raises(ValueError):
        registry_from_data(data)


def test_convert_writes_labels_per_language(registry, tmp_path):
    text = registry_yaml(Corpus(registry, []), "the tests")
    assert "    label: {en: Israel, ar: إسرائيل, he: ישראל}\n" in text
    assert "    aliases: {he: [הפסקת האש]}\n" in text
    assert "    aliases: [U.S.]\n" in text  # in the registry's language only: a plain list
    (tmp_path / "registry.yaml").write_text(text, "utf-8")
    again = load([tmp_path / "registry.yaml"]).registry
    assert {i: (e.labels, e.lang_aliases) for i, e in again.entities.items()} == {
        i: (e.labels, e.lang_aliases) for i, e in registry.entities.items()}


# ----------------------------------------------------------------------------- resolving names


@pytest.mark.parametrize("ref, ident", [
    ("إسرائيل", "israel"), ("اسرائيل", "israel"), ("وإسرائيل", "israel"), ("لِحَمَاس", "hamas"),
    ("بالسلطة الفلسطينية", "palestinian-authority"), ("للسلطة الفلسطينية", "palestinian-authority"),
    ("وْيִשְׂרָאֵל", None), ("ויִשְׂרָאֵל", "israel"), ("בחמאס", "hamas"), ("לרשות הפלסטינית", "palestinian-authority"),
    ("ולארצות הברית", "united-states"), ("Israel", "israel"), ("the PA", None), ("pa", "palestinian-authority"),
])
def test_the_resolver_reads_prefixed_and_pointed_names(registry, ref, ident):
    problems: list = []
    assert Resolver(registry).resolve(ref, ("actor",), Loc("x"), "subject", problems) == ident
    assert bool(problems) == (ident is None)


def test_the_sources_resolve_prefixed_references(tmp_path):
    corpus = load([DATA])
    by_source = {s.id: [(st.subject, st.relation, st.object) for st in s.statements] for s in corpus.sources}
    assert by_source["ar-talks"] == [("united-states", "supports", "ceasefire"), ("israel", "opposes", "pa-role"),
                                     ("egypt", "supports", "reconstruction-plan"), ("hamas", "demands", "us-guarantees")]
    assert by_source["he-talks"] == [("united-states", "supports", "ceasefire"), ("hamas", "demands", "us-guarantees"),
                                     ("israel", "opposes", "pa-role")]


def test_mentions_with_prefixes_resolve_to_the_registry(registry):
    mentions = [Mention(f"m{i}", text, "actor", Loc("a.ann", i)) for i, text in
                enumerate(["وإسرائيل", "بحماس", "בחמאס", "לארצות הברית", "وفلسطين", "فلسطين"])]
    ids, new, problems = resolve_mentions(mentions, [], registry)
    assert [ids[f"m{i}"] for i in range(4)] == ["israel", "hamas", "hamas", "united-states"]
    assert [(e.label, e.aliases) for e in new] == [("وفلسطين", ("فلسطين",))]  # a prefixed form joins its bare form
    assert ids["m4"] == ids["m5"] and not problems


# ----------------------------------------------------------------------------- suggest


AR_MENTIONS = [
    ("وقف إطلاق النار", "ceasefire"), ("حماس", "hamas"), ("وإِسْرَائِيل", "israel"), ("الولايات المتحدة", "united-states"),
    ("وقف إطلاق النار", "ceasefire"), ("مصر", "egypt"), ("لِحَمَاس", "hamas"), ("للسلطة الفلسطينية", "palestinian-authority"),
    ("إسـرائيل", "israel"), ("مصر", "egypt"), ("بالسلطة الفلسطينية", "palestinian-authority"),
    ("خطة إعادة الإعمار", "reconstruction-plan"),
]
HE_MENTIONS = [
    ("הפסקת אש", "ceasefire"), ("ממצרים", "egypt"), ("חמאס", "hamas"), ("וישראל", "israel"), ("בהפסקת אש", "ceasefire"),
    ("ארצות הברית", "united-states"), ("בהפסקת האש", "ceasefire"), ("מצרים", "egypt"), ("לחמאס", "hamas"),
    ("בחמאס", "hamas"), ("ערבויות אמריקאיות", "us-guarantees"), ("לרשות הפלסטינית", "palestinian-authority"),
    ("ויִשְׂרָאֵל", "israel"), ("במצרים", "egypt"), ("שהרשות הפלסטינית", "palestinian-authority"),
    ("לתוכנית השיקום", "reconstruction-plan"), ("ולארצות הברית", "united-states"),
]


@pytest.mark.parametrize("name, expected", [("ar-talks.txt", AR_MENTIONS), ("he-talks.txt", HE_MENTIONS)])
def test_suggest_finds_every_mention_with_its_offsets(registry, name, expected):
    text = (TEXTS / name).read_text("utf-8")
    found = find_mentions(text, registry)
    assert [(m.words, m.entities[0]) for m in found] == expected
    starts, at = [], 0
    for words, _ in expected:  # the offsets: code points of the text, as written (marks and prefixes included)
        at = text.index(words, at)
        starts.append(at)
        at += len(words)
    assert [(m.start, m.end) for m in found] == [(s, s + len(w)) for s, (w, _) in zip(starts, expected)]
    assert all(text[m.start:m.end] == m.words for m in found)


def test_suggest_splits_arabic_and_hebrew_sentences():
    text = (TEXTS / "ar-talks.txt").read_text("utf-8")
    assert len(sentences(text)) == 6  # the title and five sentences
    text = "ישראל הסכימה. חמאס סירבה? מצרים שתקה."
    assert [text[s:e] for s, e in sentences(text)] == ["ישראל הסכימה.", "חמאס סירבה?", "מצרים שתקה."]


def test_suggest_does_not_take_a_word_that_only_ends_like_a_name(registry):
    assert find_mentions("المصري والمصرية", registry) == []  # مصر inside a longer word
    assert find_mentions("וחמאסניק", registry) == []


# ----------------------------------------------------------------------------- quotes in right-to-left text


def test_quotes_with_vowel_signs_anchor_in_code_points():
    text = (TEXTS / "he-talks.txt").read_text("utf-8")
    quote = "ויִשְׂרָאֵל מתנגדת לכך"
    found = find_quote(text, quote)
    assert found is not None and found.how == "exact"
    assert text[found.start:found.end] == quote
    assert found.end - found.start == len(quote) == 22  # 11 letters and spaces, 4 points... counted one by one
    assert len(quote.encode("utf-16-le")) // 2 == len(quote)  # no surrogate pairs here: UTF-16 counts agree


def test_a_quote_without_the_texts_vowel_signs_is_not_word_for_word():
    text = "אמר כי יִשְׂרָאֵל מתנגדת לכך בתוקף"
    found = find_quote(text, "ישראל מתנגדת לכך")  # each point is a character: five edits away
    assert found is None or found.how == "fuzzy"  # reported: quotes are copied with their points


def test_the_sources_quotes_anchor_at_their_code_points():
    corpus = load([DATA])
    for source in corpus.sources:
        text = (TEXTS / f"{source.id}.txt").read_text("utf-8")
        for st_ in source.statements:
            assert text[st_.start:st_.end] == st_.quote


def test_the_view_shows_the_registry_language_label(tmp_path):
    from stancegraph.output import project

    graph = project(build([DATA], cache_dir=tmp_path / "cache").dataset)
    assert graph.nodes["israel"]["label"] == "Israel"
    assert "ישראל" not in {d["label"] for _, d in graph.nodes(data=True)}
