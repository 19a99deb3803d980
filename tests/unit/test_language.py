"""Language identity (3xx): untranslated sentences, wrong document language, mixed sentences."""
from __future__ import annotations

import pytest

from qa import Config, check
from tests.tables import rule_findings
from qa.langid import classify, detect_language, dominant_script, known_share, tokens

EN_BEFORE = "Russia on Monday ordered the evacuation of villages located near the border with Ukraine. "
EN_AFTER = " The official did not say how many people were affected by the decision."
DE_BEFORE = "Russland hat am Montag die Evakuierung mehrerer Dörfer an der Grenze zur Ukraine angeordnet. "
DE_AFTER = " Wie viele Menschen betroffen sind, sagte der Beamte nicht."
FR_BEFORE = "La Russie a ordonné lundi l'évacuation de plusieurs villages proches de la frontière ukrainienne. "
FR_AFTER = " Le responsable n'a pas précisé combien de personnes étaient concernées."


_findings = rule_findings


# (code, target language, text, span that must be flagged or None)
FAILING = [
    ("QA301", "en", EN_BEFORE + "Les autorités n'ont pas précisé les raisons de cette décision." + EN_AFTER,
     "Les autorités n'ont pas précisé les raisons de cette décision."),
    ("QA301", "en", EN_BEFORE + "Die Behörden haben die Gründe für diese Entscheidung nicht genannt." + EN_AFTER,
     "Die Behörden haben die Gründe für diese Entscheidung nicht genannt."),
    ("QA301", "en", EN_BEFORE + "Las autoridades no han explicado los motivos de esta decisión." + EN_AFTER,
     "Las autoridades no han explicado los motivos de esta decisión."),
    ("QA301", "en", EN_BEFORE + "Власти не уточнили причины этого решения." + EN_AFTER,
     "Власти не уточнили причины этого решения."),
    ("QA301", "en", EN_BEFORE + "Ces zones n'ont pas été le théâtre de combats jusqu'à présent. "
     "Les autorités russes n'ont pas détaillé les raisons de cette décision." + EN_AFTER,
     "Ces zones n'ont pas été le théâtre de combats jusqu'à présent. "
     "Les autorités russes n'ont pas détaillé les raisons de cette décision."),
    ("QA301", "de", DE_BEFORE + "The authorities have not given any reason for this decision so far." + DE_AFTER,
     "The authorities have not given any reason for this decision so far."),
    ("QA301", "de", DE_BEFORE + "Les autorités n'ont pas précisé les raisons de cette décision." + DE_AFTER,
     "Les autorités n'ont pas précisé les raisons de cette décision."),
    ("QA301", "de", DE_BEFORE + "Le autorità non hanno spiegato i motivi di questa decisione." + DE_AFTER,
     "Le autorità non hanno spiegato i motivi di questa decisione."),
    ("QA301", "fr", FR_BEFORE + "The authorities have not given any reason for this decision so far." + FR_AFTER,
     "The authorities have not given any reason for this decision so far."),
    ("QA301", "fr", FR_BEFORE + "Die Behörden haben die Gründe für diese Entscheidung nicht genannt." + FR_AFTER,
     "Die Behörden haben die Gründe für diese Entscheidung nicht genannt."),
    ("QA301", "en", EN_BEFORE + "俄罗斯周一下令疏散距离乌克兰不到十五公里的村庄。" + EN_AFTER,
     "俄罗斯周一下令疏散距离乌克兰不到十五公里的村庄。"),
    ("QA302", "en", "La Russie a ordonné lundi l'évacuation de villages situés à moins de quinze kilomètres de "
     "l'Ukraine. Les autorités n'ont pas précisé les raisons de cette décision.", None),
    ("QA302", "de", "Russia on Monday ordered the evacuation of villages less than fifteen kilometers from "
     "Ukraine. The authorities did not say why.", None),
    ("QA302", "fr", "Russland hat am Montag die Evakuierung von Dörfern angeordnet. Die Behörden nannten "
     "keine Gründe für diese Entscheidung.", None),
    ("QA302", "en", "Rusia ordenó el lunes la evacuación de pueblos situados a menos de quince kilómetros de "
     "Ucrania. Las autoridades no explicaron por qué.", None),
    ("QA303", "en", "The Russian army said on Thursday that it had regained ground selon le ministère de la "
     "Défense.", "selon le ministère de la"),
    ("QA303", "en", "Residents were told to leave their homes, weil die Lage sehr gefährlich ist, by the "
     "regional governor.", "weil die Lage sehr gefährlich ist"),
    ("QA303", "de", "Die russische Armee erklärte am Donnerstag, sie habe according to the ministry wieder "
     "Boden gutgemacht.", "according to the ministry"),
    ("QA303", "fr", "L'armée russe a annoncé jeudi avoir repris du terrain, according to the ministry of "
     "defence, dans la région.", None),
]

PASSING = [
    ("QA301", "en", EN_BEFORE + "\"Nous sommes prêts à tout pour défendre notre pays\", the minister declared." + EN_AFTER),
    ("QA301", "en", EN_BEFORE + "Ukrainian Foreign Minister Andriy Sybiga invited Mirjana Spoljaric to visit Sudzha." + EN_AFTER),
    ("QA301", "en", EN_BEFORE + "C'est la vie." + EN_AFTER),
    ("QA301", "en", EN_BEFORE + "Le Monde and Der Spiegel reported the story on 6 August 2024." + EN_AFTER),
    ("QA301", "en", EN_BEFORE + "See https://www.interfax.ru/russia/1234567 and @KurskGov for the statement." + EN_AFTER),
    ("QA301", "de", DE_BEFORE + "Der Minister sagte: „We are ready for anything.“" + DE_AFTER),
    ("QA301", "de", DE_BEFORE + "Das Team hat das Meeting im Homeoffice abgehalten und ein Update gepostet." + DE_AFTER),
    ("QA301", "fr", FR_BEFORE + "Le week-end, les fans de football regardent le match sur leur smartphone." + FR_AFTER),
    ("QA301", "fr", FR_BEFORE + "Le ministre a parlé de « deep state » lors de son discours de lundi soir." + FR_AFTER),
    ("QA302", "en", "Merci beaucoup !"),
    ("QA302", "de", DE_BEFORE + DE_AFTER),
    ("QA302", "fr", FR_BEFORE + FR_AFTER),
    ("QA302", "en", "Volodymyr Zelensky, Mirjana Spoljaric, Sergei Lavrov."),
    ("QA303", "en", "The minister spoke of a coup d'état and of the raison d'être of the alliance."),
    ("QA303", "en", "The motto ‘liberté, égalité, fraternité’ was painted on the wall of the town hall."),
    ("QA303", "en", "The de facto leader of the region met the press in San Juan de la Maguana."),
    ("QA303", "de", "Die Spieler feierten das Comeback mit ihren Fans im Stadion."),
    ("QA303", "fr", "Le week-end dernier, le parking du stade était plein à craquer."),
    ("QA303", "en", "Ukrainian President Volodymyr Zelensky met ICRC President Mirjana Spoljaric in Kyiv."),
]


@pytest.mark.parametrize("code,lang,text,span", FAILING, ids=[f"{c}-{i}" for i, (c, *_ ) in enumerate(FAILING)])
def test_language_rule_flags(code, lang, text, span):
    found = _findings(text, lang, code)
    assert found, f"{code} missed {text!r}"
    if span is not None:
        assert span in [f.text for f in found], [f.text for f in found]
    assert all(0.0 < f.confidence <= 1.0 for f in found)


@pytest.mark.parametrize("code,lang,text", PASSING, ids=[f"{c}-{i}" for i, (c, *_ ) in enumerate(PASSING)])
def test_language_rule_passes(code, lang, text):
    found = _findings(text, lang, code)
    assert not found, [(f.text, f.message) for f in found]


def test_untranslated_text_is_a_major_non_translation():
    found = _findings(FAILING[0][2], "en", "QA301")
    assert found[0].rule == "untranslated-text" and found[0].severity.value == "major"


def test_wrong_language_silences_sentence_level_reports():
    text = next(t for c, _, t, _ in FAILING if c == "QA302")
    assert _findings(text, "en", "QA302")
    assert not _findings(text, "en", "QA301")


def test_example_article_has_no_language_findings(example_text):
    report = check(example_text, target_lang="en", config=Config(fluency=False, select=("QA3",)))
    assert report.documents[0].findings == []


def test_classify_short_sentences_among_candidates():
    assert classify("Les autorités n'ont rien dit.", ("en", "fr", "de"))[0] == "fr"
    assert classify("Die Behörden sagten nichts.", ("en", "fr", "de"))[0] == "de"
    lang, confidence = classify("The authorities said nothing.", ("en", "fr", "de"))
    assert lang == "en" and confidence > 0.8


def test_detect_language_is_deterministic():
    text = "La Russie a ordonné lundi l'évacuation de villages."
    assert detect_language(text) == detect_language(text)
    assert detect_language(text)[0] == "fr"
    assert detect_language("  ") == (None, 0.0)


def test_script_and_word_list_helpers():
    assert dominant_script("Власти не уточнили")[0] == "cyrillic"
    assert dominant_script("1234")[0] is None
    assert known_share(tokens("the army said"), "en") == 1.0
    assert known_share(tokens("xqzv blorft"), "en") == 0.0


def test_region_tags_are_reduced_to_the_language():
    text = EN_BEFORE + "Les autorités n'ont pas précisé les raisons de cette décision." + EN_AFTER
    report = check(text, target_lang="en-GB", config=Config(fluency=False, select=("QA3",)), source_lang="fr_FR")
    assert [f.code for f in report.documents[0].findings] == ["QA301"]
