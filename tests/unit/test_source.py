"""Source-aware accuracy rules (6xx): numbers, names, copies of the source, length ratios."""
from __future__ import annotations

import pytest

from qa import Config, check
from tests.tables import rule_findings
from qa.checks.source import numbers_in, skeleton
from qa.rules import get_rule

SOURCE_FR = (
    "La Russie a ordonné lundi l'évacuation de villages situés à moins de 15 kilomètres de l'Ukraine. "
    "Ces zones n'ont pas été le théâtre de combats jusqu'à présent.\n"
    "Le 6 août, l'Ukraine a lancé une attaque surprise dans la région russe de Koursk, s'emparant de "
    "plusieurs centaines de kilomètres carrés. Cela a conduit à l'évacuation d'environ 150 000 civils, "
    "selon la Russie.\n"
    "Lundi, elle a de nouveau revendiqué la reprise de deux petits villages, Ouspenovka et Borki. "
    "Les troupes russes occupent environ 18 % du territoire ukrainien."
)
TARGET_EN = (
    "Russia on Monday ordered the evacuation of villages located less than 15 kilometers from Ukraine. "
    "These areas have not been the scene of fighting so far.\n"
    "On August 6, Ukraine launched a surprise attack in Russia's Kursk region, seizing several hundred "
    "square kilometers. This led to the evacuation of around 150,000 civilians, according to Russia.\n"
    "On Monday, she again claimed the recapture of two small villages, Uspenovka and Borki. "
    "Russian troops occupy about 18% of Ukrainian territory."
)


# A French source for the example article, written for these tests (the article itself is an
# English machine translation of a French news report).
KURSK_FR = """\
La Russie a ordonné lundi l'évacuation pour des raisons de « sécurité » de villages situés à moins de 15 kilomètres de l'Ukraine dans la région russe de Koursk, où les troupes de Kiev mènent une offensive depuis début août.
Ces zones n'ont pas été le théâtre de combats jusqu'à présent et les autorités russes n'ont pas détaillé les raisons de cette décision, qui intervient alors que Moscou a revendiqué ces derniers jours la reprise d'une dizaine de localités occupées en août par les forces ukrainiennes.
« Sur la base d'informations opérationnelles, afin d'assurer la sécurité, l'état-major régional a décidé l'évacuation obligatoire des localités des districts de Rylsk et de Khomoutovka situées dans la zone allant jusqu'à 15 kilomètres de la frontière avec l'Ukraine », a écrit Alexeï Smirnov, gouverneur par intérim de la région de Koursk.
Il a appelé les habitants à « comprendre » et à « suivre les recommandations officielles ». Le responsable n'a pas précisé combien de personnes étaient concernées.
« Lors de l'évacuation, n'oubliez pas de prendre les objets essentiels et de vous occuper de vos animaux de compagnie », ont indiqué les autorités régionales de Koursk sur leur compte Telegram.
Le 6 août, l'Ukraine a lancé une attaque surprise dans la région russe de Koursk, prenant Moscou de court et s'emparant de plusieurs centaines de kilomètres carrés et de dizaines de localités.
Cela a conduit à l'évacuation d'environ 150 000 civils, selon la Russie.
L'armée russe a annoncé jeudi avoir repris du terrain face aux forces de Kiev en lançant une contre-offensive dans la région.
Lundi, elle a de nouveau revendiqué la reprise de deux petits villages, Ouspenovka et Borki.
Le ministre ukrainien des Affaires étrangères, Andriï Sybiga, a invité lundi l'ONU et le Comité international de la Croix-Rouge (CICR) à se rendre dans la partie de la région russe de Koursk occupée par l'Ukraine.
« L'Ukraine est prête à faciliter leur travail et à prouver son respect du droit international humanitaire » sur ce territoire, a déclaré M. Sybiga sur X.
La Russie a dénoncé cette invitation et appelé l'ONU et la Croix-Rouge à ne pas y répondre.
Interrogé par la presse, le porte-parole de la présidence russe, Dmitri Peskov, a dénoncé une « pure provocation ».
« Nous espérons que de telles déclarations provocatrices ne seront pas prises en considération par leurs destinataires », a-t-il ajouté lors de son point de presse quotidien.
Long chemin
Les troupes russes occupent pour leur part environ 18 % du territoire ukrainien et Moscou revendique l'annexion de quatre régions de l'Ukraine, en plus de la Crimée, déjà annexée en 2014.
La présidente du CICR, Mirjana Spoljaric, est par ailleurs arrivée lundi à Moscou pour une visite prévue de longue date. Elle doit rencontrer mardi le ministre russe des Affaires étrangères, Sergueï Lavrov.
Son déplacement intervient quelques jours après la mort de trois employés ukrainiens du CICR dans une frappe dans la région de Donetsk, dans l'est de l'Ukraine.
Les victimes s'apprêtaient à distribuer des briquettes de bois et du charbon dans un village sous contrôle ukrainien près du front lorsque leurs véhicules ont été touchés par des tirs, selon le CICR.
Le président ukrainien Volodymyr Zelensky avait attribué l'attaque à l'armée russe.
Il a par ailleurs assuré vendredi que l'offensive dans la région de Koursk avait ralenti l'avancée russe dans l'est de l'Ukraine, l'un des objectifs annoncés de l'opération.
« Dans la région de Kharkiv (nord-est), l'ennemi a été stoppé, et son avancée dans la région de Donetsk (est) a été ralentie, même si c'est très difficile là-bas », a-t-il déclaré.
« Il reste encore un long chemin à parcourir », a toutefois déclaré M. Zelensky.
Manquant d'hommes et de munitions face à la Russie, l'Ukraine est sur la défensive depuis un an.
Les forces russes grignotent du terrain, notamment dans l'est de l'Ukraine, où elles revendiquent la prise de villages quasi quotidiennement.
Le président russe Vladimir Poutine a déclaré début septembre que l'opération ukrainienne à Koursk était un échec et que les forces russes avaient « accéléré les opérations offensives » sur le front est.
Les troupes russes ne sont plus qu'à quelques kilomètres de la ville de Pokrovsk, un important centre logistique pour les forces de Kiev dans l'est de l'Ukraine.
"""


def _findings(text: str, lang: str, code: str, source: str, source_lang: str):
    return rule_findings(text, lang, code, source=source, source_lang=source_lang)


# (code, target language, target, source, source language, flagged span or None)
FAILING = [
    ("QA601", "en", "Russia ordered the evacuation of villages less than 25 kilometers from Ukraine.",
     "La Russie a ordonné l'évacuation de villages situés à moins de 15 kilomètres de l'Ukraine.", "fr", "25"),
    ("QA601", "en", "This led to the evacuation of around 15,000 civilians, according to Russia.",
     "Cela a conduit à l'évacuation d'environ 150 000 civils, selon la Russie.", "fr", "15,000"),
    ("QA601", "en", "The army said it had retaken villages in the region.",
     "L'armée a dit avoir repris 12 villages dans la région.", "fr", None),
    ("QA601", "en", "Unemployment rose to 3.8% in May.",
     "Le chômage a atteint 3,5 % en mai.", "fr", "3.8"),
    ("QA601", "de", "Dies führte zur Evakuierung von rund 15.000 Zivilisten.",
     "This led to the evacuation of around 150,000 civilians.", "en", "15.000"),
    ("QA601", "de", "Die Regierung will 3,5 Millionen Euro investieren.",
     "The government wants to invest 3.5 billion euros.", "en", "3,5"),
    ("QA601", "de", "Das Treffen fand im Jahr 2023 statt.",
     "The meeting took place in 2024.", "en", "2023"),
    ("QA601", "fr", "Les troupes russes occupent environ 8 % du territoire ukrainien.",
     "Russian troops occupy about 18% of Ukrainian territory.", "en", "8"),
    ("QA601", "fr", "La réunion a commencé à 15 h 30.",
     "The meeting started at 2:30 p.m.", "en", "15"),
    ("QA602", "en", "The Russian army claimed the recapture of two small villages.",
     "L'armée russe a revendiqué la reprise de deux petits villages, Ouspenovka et Borki.", "fr", None),
    ("QA602", "de", "Der amtierende Gouverneur der Region schrieb dies am Montag.",
     "The acting governor of the region, Alexei Smirnov, wrote this on Monday.", "en", None),
    ("QA602", "fr", "Le ministre ukrainien a invité l'ONU à visiter la région.",
     "Ukrainian Foreign Minister Andriy Sybiga invited the UN to visit the region.", "en", None),
    ("QA603", "en", "Les autorités n'ont pas précisé les raisons.",
     "Les autorités n'ont pas précisé les raisons.", "fr", "Les autorités n'ont pas précisé les raisons."),
    ("QA603", "de", "The authorities did not give any reasons.",
     "The authorities did not give any reasons.", "en", "The authorities did not give any reasons."),
    ("QA603", "fr", "Die Behörden nannten keine Gründe.",
     "Die Behörden nannten keine Gründe.", "de", "Die Behörden nannten keine Gründe."),
    ("QA604", "en", "Russia ordered the evacuation.",
     "La Russie a ordonné lundi l'évacuation, pour des raisons de « sécurité », de villages situés à moins "
     "de 15 kilomètres de l'Ukraine dans la région russe de Koursk.", "fr", "Russia ordered the evacuation."),
    ("QA604", "de", "Die Behörden haben die Gründe für diese Entscheidung nicht näher erläutert, die kommt, "
     "während Moskau in den letzten Tagen die Rückeroberung von einem Dutzend Ortschaften beansprucht hat, "
     "die im August von ukrainischen Truppen besetzt worden waren.",
     "The authorities gave no reasons.", "en", None),
    ("QA604", "fr", "Les autorités russes n'ont pas précisé.",
     "The Russian authorities have not detailed the reasons for this decision, which comes as Moscow has "
     "claimed in recent days the recapture of a dozen localities.", "en", "Les autorités russes n'ont pas précisé."),
]

PASSING = [
    ("QA601", "en", "This led to the evacuation of around 150,000 civilians.",
     "Cela a conduit à l'évacuation d'environ 150 000 civils.", "fr"),
    ("QA601", "en", "Unemployment reached 3.5% in May.", "Le chômage a atteint 3,5 % en mai.", "fr"),
    ("QA601", "en", "The offensive began at 2:30 p.m. with three brigades.",
     "L'offensive a commencé à 14h30 avec 3 brigades.", "fr"),
    ("QA601", "en", "Fourteen billion years pass and this song is still ringing.",
     "140亿年过去了，而这声音依然萦绕在我们身边。", "zh"),
    ("QA601", "en", "The icebergs were almost 200 feet out of the water.",
     "Les icebergs dépassaient de près de 60 mètres de l'eau.", "fr"),
    ("QA601", "de", "Die Regierung will 3,5 Milliarden Euro investieren.",
     "The government wants to invest 3.5 billion euros.", "en"),
    ("QA601", "de", "Jedes war zehnmal so schwer wie die Sonne.", "Each one was 10 times the mass of the Sun.", "en"),
    ("QA601", "de", "Dies führte zur Evakuierung von rund 150.000 Zivilisten.",
     "This led to the evacuation of around 150,000 civilians.", "en"),
    ("QA601", "fr", "Le projet coûtera 1,5 million d'euros.", "The project will cost 1,500,000 euros.", "en"),
    ("QA601", "fr", "Il y a douze villages concernés.", "There are 12 villages affected.", "en"),
    ("QA602", "en", "On Monday, she again claimed the recapture of two small villages, Uspenovka and Borki.",
     "Lundi, elle a de nouveau revendiqué la reprise de deux petits villages, Ouspenovka et Borki.", "fr"),
    ("QA602", "de", "Der ukrainische Präsident Wolodymyr Selenskyj machte Russland verantwortlich.",
     "Ukrainian President Volodymyr Zelensky blamed Russia.", "en"),
    ("QA602", "fr", "Le gouverneur par intérim, Alexeï Smirnov, a écrit lundi.",
     "The acting governor, Alexei Smirnov, wrote on Monday.", "en"),
    ("QA602", "en", "Russia ordered the evacuation of villages in Moscow's name.",
     "La Russie a ordonné l'évacuation de villages au nom de Moscou.", "fr"),
    ("QA602", "de", "Die Zerstörung der Infrastruktur im Winter war verheerend.",
     "The destruction of the infrastructure in winter was devastating.", "en"),
    ("QA603", "en", "Volodymyr Zelensky", "Volodymyr Zelensky", "fr"),
    ("QA603", "en", "The authorities did not give any reasons.",
     "Les autorités n'ont pas précisé les raisons.", "fr"),
    ("QA603", "de", "OK", "OK", "en"),
    ("QA603", "fr", "Kharkiv, Sumy, Kyiv", "Kharkiv, Sumy, Kyiv", "en"),
    ("QA604", "en", "Russia on Monday ordered the evacuation of villages less than 15 kilometers from Ukraine.",
     "La Russie a ordonné lundi l'évacuation de villages situés à moins de 15 kilomètres de l'Ukraine.", "fr"),
    ("QA604", "de", "Die Behörden nannten keine Gründe für diese Entscheidung.",
     "The authorities gave no reasons for this decision.", "en"),
    ("QA604", "fr", "Merci.", "Thank you very much.", "en"),
    ("QA604", "en", "The authorities have not detailed the reasons for this decision.",
     "当局没有详细说明作出这一决定的原因。", "zh"),
]


@pytest.mark.parametrize("code,lang,text,source,source_lang,span", FAILING,
                         ids=[f"{c}-{l}-{i}" for i, (c, l, *_ ) in enumerate(FAILING)])
def test_source_rule_flags(code, lang, text, source, source_lang, span):
    found = _findings(text, lang, code, source, source_lang)
    assert found, f"{code} missed {text!r}"
    if span is not None:
        assert span in [f.text for f in found], [f.text for f in found]


@pytest.mark.parametrize("code,lang,text,source,source_lang", PASSING,
                         ids=[f"{c}-{l}-{i}" for i, (c, l, *_ ) in enumerate(PASSING)])
def test_source_rule_passes(code, lang, text, source, source_lang):
    found = _findings(text, lang, code, source, source_lang)
    assert not found, [(f.text, f.message) for f in found]


def test_rules_need_a_source():
    for code in ("QA601", "QA602", "QA603", "QA604"):
        assert get_rule(code).needs_source
    report = check("Russia ordered 25 evacuations.", target_lang="en", config=Config(fluency=False, select=("QA6",)))
    assert [f for f in report.documents[0].findings if f.code.startswith("QA60")] == []


def test_aligned_document_clean_translation_has_no_findings():
    config = Config(fluency=False, select=("QA601", "QA602", "QA603", "QA604"), source_lang="fr")
    report = check(TARGET_EN, target_lang="en", source=SOURCE_FR, config=config)
    assert report.documents[0].findings == []


def test_aligned_document_reports_the_changed_number_and_the_dropped_name():
    target = TARGET_EN.replace("150,000", "15,000").replace("Uspenovka and Borki", "Borki")
    config = Config(fluency=False, select=("QA601", "QA602"), source_lang="fr")
    findings = check(target, target_lang="en", source=SOURCE_FR, config=config).documents[0].findings
    assert {(f.code, f.text) for f in findings if f.code == "QA601"} >= {("QA601", "15,000")}
    names = [f for f in findings if f.code == "QA602"]
    assert len(names) == 1 and "Ouspenovka" in names[0].message
    assert all(target[f.start:f.end] == f.text for f in findings)


def test_merged_sentences_still_align():
    source = ("Le responsable n'a pas dit combien de personnes étaient concernées. Il a appelé les habitants "
              "à suivre les recommandations officielles et à emporter 2 jours de vivres.")
    target = ("The official did not say how many people were affected, but called on residents to follow "
              "official recommendations and take 2 days of food.")
    config = Config(fluency=False, select=("QA6",), source_lang="fr")
    findings = check(target, target_lang="en", source=source, config=config).documents[0].findings
    assert [f for f in findings if f.code.startswith("QA60")] == []


def test_omitted_source_sentence_is_reported():
    source = ("La Russie a ordonné lundi l'évacuation de plusieurs villages de la région de Koursk. "
              "Ces zones n'ont pas été le théâtre de combats jusqu'à présent, selon les autorités locales. "
              "Le gouverneur a appelé les habitants à la prudence.")
    target = ("Russia on Monday ordered the evacuation of several villages in the Kursk region. "
              "The governor called on residents to be careful.")
    config = Config(fluency=False, select=("QA604",), source_lang="fr")
    findings = check(target, target_lang="en", source=source, config=config).documents[0].findings
    assert findings and "théâtre de combats" in findings[0].message


def test_unit_documents_use_each_units_source():
    from qa.context import CheckContext
    from qa.model import Document, Segment
    from qa.pipeline import run_checks
    from qa.rules import selected

    units = ["Save 25 files now.", "Delete all files."]
    sources = ["15 Dateien jetzt speichern.", "Delete all files."]
    text = "".join(units)
    segs, offset = [], 0
    for i, (unit, source) in enumerate(zip(units, sources)):
        segs.append(Segment(str(i + 1), offset, offset + len(unit), unit, kind="unit", source=source))
        offset += len(unit)
    doc = Document(path="x.tsv", text=text, segments=tuple(segs), unit_based=True, target_lang="en", source_lang="de")
    findings = run_checks(doc, selected(("QA601", "QA603")), CheckContext(config=Config(fluency=False)))
    assert {(f.code, f.segment_id) for f in findings} == {("QA601", "1"), ("QA603", "2")}


@pytest.mark.parametrize("text,lang,value", [
    ("3,5 millions", "fr", 3.5e6), ("3.5 million", "en", 3.5e6), ("12 000", "fr", 12000.0),
    ("12,000", "en", 12000.0), ("150.000", "de", 150000.0), ("1,5", "de", 1.5), ("25万", "zh", 250000.0),
    ("两百五十万", "zh", 2500000.0), ("zweieinhalb", "de", 2.5), ("2 p.m.", "en", 14.0),
])
def test_numbers_are_read_under_every_locale(text, lang, value):
    values = set().union(*(n.values for n in numbers_in(text, lang)))
    assert value in values


def test_transliteration_skeleton():
    assert skeleton("Zelensky") == skeleton("Selenskyj")
    assert skeleton("Smirnov") == skeleton("Smirnow")
    assert skeleton("Ouspenovka") == skeleton("Uspenovka")
    assert skeleton("Зеленский")[:5] == skeleton("Zelensky")[:5]


def test_example_article_with_its_source_has_no_source_findings(example_text):
    config = Config(fluency=False, select=("QA6",), source_lang="fr")
    report = check(example_text, target_lang="en", source=KURSK_FR, config=config)
    assert [f for f in report.documents[0].findings if f.code.startswith("QA60")] == []


def test_example_article_with_planted_errors(example_text):
    lines = example_text.split("\n")
    dropped = next(i for i, line in enumerate(lines) if line.startswith("His trip comes"))
    target = "\n".join(line for i, line in enumerate(lines) if i != dropped)
    target = target.replace("150,000", "15,000").replace("Ouspenovka and Borki", "Borki").replace("18%", "28%")
    config = Config(fluency=False, select=("QA6",), source_lang="fr")
    findings = [f for f in check(target, target_lang="en", source=KURSK_FR, config=config).documents[0].findings
                if f.code.startswith("QA60")]
    numbers = {(f.text, f.suggestion) for f in findings if f.code == "QA601"}
    assert numbers == {("15,000", "150,000"), ("28", "18")}
    names = [f for f in findings if f.code == "QA602"]
    assert len(names) == 1 and "Ouspenovka" in names[0].message
    omitted = [f for f in findings if f.code == "QA604"]
    assert len(omitted) == 1 and "Son déplacement" in omitted[0].message
    assert len(findings) == 4
