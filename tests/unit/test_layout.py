"""Layout and consistency (5xx): stray headings, page furniture, duplicates, repeated words, spacing, drift."""
from __future__ import annotations

import pytest

from qa import Config, check
from tests.tables import assert_flags, rule_findings

MY_CODES = ("QA501", "QA502", "QA503", "QA504", "QA505", "QA506")


_findings = rule_findings


EN_BODY_1 = "Russia ordered the evacuation of villages near the border.\nThe authorities did not say why.\n"
EN_BODY_2 = "\nRussian troops occupy about 18% of Ukrainian territory.\nMoscow claims four regions of Ukraine."
DE_BODY_1 = "Russland ordnete die Evakuierung von Dörfern an.\nDie Behörden nannten keine Gründe.\n"
DE_BODY_2 = "\nRussische Truppen besetzen etwa 18 Prozent des ukrainischen Gebiets.\nMoskau beansprucht vier Regionen."
FR_BODY_1 = "La Russie a ordonné l'évacuation de villages.\nLes autorités n'ont pas dit pourquoi.\n"
FR_BODY_2 = "\nLes troupes russes occupent environ 18 % du territoire ukrainien.\nMoscou revendique quatre régions."

# (code, target language, text, flagged span, suggestion or None)
FAILING = [
    ("QA501", "en", EN_BODY_1 + "Long way" + EN_BODY_2, "Long way", None),
    ("QA501", "en", EN_BODY_1 + "A difficult winter" + EN_BODY_2, "A difficult winter", None),
    ("QA501", "de", DE_BODY_1 + "Langer Weg" + DE_BODY_2, "Langer Weg", None),
    ("QA501", "fr", FR_BODY_1 + "Long chemin" + FR_BODY_2, "Long chemin", None),
    ("QA502", "en", EN_BODY_1 + "Read also" + EN_BODY_2, "Read also", ""),
    ("QA502", "en", EN_BODY_1 + "Advertisement" + EN_BODY_2, "Advertisement", ""),
    ("QA502", "de", DE_BODY_1 + "Lesen Sie auch" + DE_BODY_2, "Lesen Sie auch", ""),
    ("QA502", "fr", FR_BODY_1 + "Lire aussi :" + FR_BODY_2, "Lire aussi :", ""),
    ("QA503", "en", "Russia ordered the evacuation of villages near the border. The authorities did not say why. "
     "Russia ordered the evacuation of villages near the border.", "Russia ordered the evacuation of villages near the border.", ""),
    ("QA503", "en", "The Red Cross president arrived in Moscow on Monday.\n\nShe will meet Sergei Lavrov.\n\n"
     "The Red Cross president arrived in Moscow on Monday.", "The Red Cross president arrived in Moscow on Monday.", ""),
    ("QA503", "de", "Russland ordnete die Evakuierung der Dörfer an der Grenze an. Die Gründe blieben offen.\n"
     "Russland ordnete die Evakuierung der Dörfer an der Grenze an.",
     "Russland ordnete die Evakuierung der Dörfer an der Grenze an.", ""),
    ("QA503", "fr", "La Russie a ordonné l'évacuation des villages frontaliers. Les raisons restent floues. "
     "La Russie a ordonné l'évacuation des villages frontaliers.",
     "La Russie a ordonné l'évacuation des villages frontaliers.", ""),
    ("QA504", "en", "The army announced that it had regained the the ground.", "the the", "the"),
    ("QA504", "en", "Ukraine launched an an attack in August.", "an an", "an"),
    ("QA504", "en", "The victims were preparing to distribute wood\nwood briquettes.", "wood\nwood", "wood"),
    ("QA504", "de", "Die Armee meldete, dass sie Gelände zurückgewonnen habe und und weiter vorrücke.", "und und", "und"),
    ("QA504", "de", "Das ist ist unsere Vorstellung davon.", "ist ist", "ist"),
    ("QA504", "fr", "L'armée a annoncé avoir repris du du terrain.", "du du", "du"),
    ("QA505", "en", "Russia on Monday ordered  the evacuation of villages.", "  ", " "),
    ("QA505", "de", "Russland ordnete am Montag die  Evakuierung an.", "  ", " "),
    ("QA505", "fr", "La Russie a ordonné lundi  l'évacuation des villages.", "  ", " "),
    ("QA506", "en", "Mr. Sybiga said on X that Kyiv was ready. \"There is still a long way to go,\" Mr Zelensky said.",
     "Mr", "Mr."),
    ("QA506", "en", "Unemployment rose by 5 per cent, while prices rose 3 per cent and wages 2%.", "%", " per cent"),
    ("QA506", "en", "Prices rose 5 percent in May and 3 per cent in June, after 4 percent in April.",
     " per cent", " percent"),
    ("QA506", "en", "The villages lie 15 kilometres from the border, about 20 kilometers from Kursk.",
     "kilometers", "kilometres"),
    ("QA506", "en", "Dr. Smith and Dr. Jones met Dr Brown.", "Dr", "Dr."),
    ("QA506", "de", "Die Preise stiegen um 5 Prozent, die Löhne um 2 Prozent und die Mieten um 3 %.", " %", " Prozent"),
    ("QA506", "de", "Große Städte, z. B. Kiew, und kleinere, z.B. Sumy, sind betroffen.", "z.B.", "z. B."),
    ("QA506", "fr", "Le chômage a baissé de 5 % et les prix de 3 pour cent.", " pour cent", " %"),
]

PASSING = [
    ("QA501", "en", "Evacuation Ordered in Kursk\n" + EN_BODY_1 + EN_BODY_2.lstrip("\n")),
    ("QA501", "en", EN_BODY_1 + "Troops gain ground\nRussian troops gain ground in the east every day.\nKyiv asks for weapons."),
    ("QA501", "en", EN_BODY_1 + "\n## Background\n\nThe offensive began in August.\nMoscow was surprised."),
    ("QA501", "en", EN_BODY_1 + "The Human Cost" + EN_BODY_2),
    ("QA501", "en", EN_BODY_1 + "What happens next?" + EN_BODY_2),
    ("QA501", "en", "Intro\nFirst point made here.\nSection one\nMore text here.\nSection two\nEven more text.\n"
     "Section three\nThe end of it all."),
    ("QA501", "de", DE_BODY_1 + "Russische Truppen\n" + DE_BODY_2.lstrip("\n")),
    ("QA502", "en", "Russia ordered the evacuation. Read also the statement of the governor."),
    ("QA502", "de", "Die Anzeige wurde am Montag erstattet."),
    ("QA502", "fr", "Il faut lire aussi les conclusions du rapport."),
    ("QA503", "en", "He said no. He said no. The talks ended."),
    ("QA503", "en", "Russia ordered the evacuation of villages near the border. Ukraine ordered the "
     "evacuation of villages near the border."),
    ("QA503", "de", "Die Lage ist ernst. Die Gründe blieben offen."),
    ("QA503", "fr", "Les raisons restent floues. Les autorités n'ont rien dit de plus."),
    ("QA504", "en", "He had had enough of the war."),
    ("QA504", "en", "He said that that decision was wrong."),
    ("QA504", "en", "They flew to Bora Bora for the summit."),
    ("QA504", "en", "In 2014 2015 was already planned."),
    ("QA504", "de", "Die Frauen, die die Demonstration organisierten, wurden festgenommen."),
    ("QA504", "de", "Die Frau die die Demonstration organisierte, wurde festgenommen."),
    ("QA504", "fr", "Nous nous sommes rendus à Kiev."),
    ("QA504", "fr", "Vous vous trompez, a répondu le ministre."),
    ("QA504", "de", "Die Regierung stellte die Arbeit ein\nEin neuer Plan folgt."),
    ("QA504", "de", "Das war ein sehr sehr langer Tag."),
    ("QA505", "en", "Russia on Monday ordered the evacuation of villages."),
    ("QA505", "en", "Name      Age      City\nAnna      34       Kyiv"),
    ("QA505", "de", "    Eingerückte erste Zeile eines Absatzes."),
    ("QA506", "en", "Mr. Sybiga said on X that Kyiv was ready. Mr. Zelensky agreed."),
    ("QA506", "en", "Mr Sybiga said on X that Kyiv was ready. Mr Zelensky agreed."),
    ("QA506", "en", "Unemployment rose by 5% and prices by 3%."),
    ("QA506", "en", "The percentage of people who left rose by 5 per cent."),
    ("QA506", "en", "US troops and UN observers arrived; the US embassy confirmed it."),
    ("QA506", "de", "Die Preise stiegen um 5 Prozent und die Löhne um 2 Prozent."),
    ("QA506", "fr", "Le chômage a baissé de 5 % et les prix de 3 %."),
]


@pytest.mark.parametrize("code,lang,text,span,suggestion", FAILING,
                         ids=[f"{c}-{l}-{i}" for i, (c, l, *_ ) in enumerate(FAILING)])
def test_layout_rule_flags(code, lang, text, span, suggestion):
    assert_flags(_findings(text, lang, code), code, text, span, suggestion)


@pytest.mark.parametrize("code,lang,text", PASSING, ids=[f"{c}-{l}-{i}" for i, (c, l, _) in enumerate(PASSING)])
def test_layout_rule_passes(code, lang, text):
    found = _findings(text, lang, code)
    assert not found, [(f.text, f.message) for f in found]


def test_example_article_findings_are_the_known_ones(example_text):
    report = check(example_text, target_lang="en", config=Config(fluency=False, select=MY_CODES))
    found = {(f.code, f.text) for f in report.documents[0].findings}
    assert found == {("QA501", "Long way"), ("QA506", "Mr")}
    drift = next(f for f in report.documents[0].findings if f.code == "QA506")
    assert drift.suggestion == "Mr." and drift.severity.value == "minor"


def test_duplicates_are_not_compared_across_units():
    from qa.model import Document, Segment
    from qa.pipeline import run_checks
    from qa.context import CheckContext
    from qa.rules import selected

    unit = "Save your changes before closing the window now."
    text = unit + unit
    doc = Document(path="x.tsv", text=text, unit_based=True, target_lang="en",
                   segments=(Segment("1", 0, len(unit), unit, kind="unit"),
                             Segment("2", len(unit), len(text), unit, kind="unit")))
    findings = run_checks(doc, selected(("QA503",)), CheckContext(config=Config(fluency=False)))
    assert findings == []
