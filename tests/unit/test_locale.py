"""Locale conventions (4xx): numbers, spacing, quotation marks, dates, times and currency by target language."""
from __future__ import annotations

import pytest

from qa import Config, check
from tests.tables import assert_flags, rule_findings
from qa.scoring import DEFAULT_PENALTIES, penalty

NNBSP = "\u202f"


_findings = rule_findings


# (code, target language, text, flagged span, suggestion or None)
FAILING = [
    ("QA401", "en", "Moscow plans to spend 3,5 billion dollars on the new bridge.", "3,5", "3.5"),
    ("QA401", "en", "Inflation rose to 2,75% in August, the central bank said.", "2,75", "2.75"),
    ("QA401", "en", "The ruble lost 0,8 per cent against the dollar on Monday.", "0,8", "0.8"),
    ("QA401", "de", "Die Regierung will 3.5 Milliarden Euro in die Bahn investieren.", "3.5", "3,5"),
    ("QA401", "de", "Die Arbeitslosenquote stieg auf 5.8 Prozent.", "5.8", "5,8"),
    ("QA401", "fr", "Le chômage a atteint 7.4 % au deuxième trimestre.", "7.4", "7,4"),
    ("QA401", "fr", "Le projet coûtera 2.5 milliards d'euros.", "2.5", "2,5"),
    ("QA402", "en", "The flooding forced 12 000 people from their homes.", "12 000", "12,000"),
    ("QA402", "en", "This led to the evacuation of around 150.000 civilians.", "150.000", "150,000"),
    ("QA402", "en", "The company employs 1.250.000 people worldwide.", "1.250.000", "1,250,000"),
    ("QA402", "en", f"The city has 450{NNBSP}000 inhabitants.", f"450{NNBSP}000", "450,000"),
    ("QA402", "de", "Die Evakuierung betraf rund 150,000 Zivilisten.", "150,000", "150.000"),
    ("QA402", "de", "Das Unternehmen beschäftigt 1,250,000 Menschen.", "1,250,000", "1.250.000"),
    ("QA402", "fr", "L'évacuation a concerné environ 1,500,000 civils.", "1,500,000", f"1{NNBSP}500{NNBSP}000"),
    ("QA402", "fr", "La ville compte 450,000 habitants.", "450,000", f"450{NNBSP}000"),
    ("QA403", "en", "He added : \"We are ready.\"", " :", ":"),
    ("QA403", "en", "Is this the end of the offensive ? Nobody knows.", " ?", "?"),
    ("QA403", "en", "The answer was clear ; the talks had failed.", " ;", ";"),
    ("QA403", "de", "Er sagte : „Wir sind bereit.“", " :", ":"),
    ("QA403", "de", "Was für ein Erfolg !", " !", "!"),
    ("QA404", "fr", "Il a ajouté: « Nous sommes prêts. »", ":", "\u00a0:"),
    ("QA404", "fr", "Est-ce la fin de l'offensive? Personne ne le sait.", "?", f"{NNBSP}?"),
    ("QA404", "fr", "Il a dénoncé une «pure provocation».", "«", f"«{NNBSP}"),
    ("QA404", "fr", "Quelle victoire!", "!", f"{NNBSP}!"),
    ("QA405", "en", "Peskov denounced a «pure provocation».", "«pure provocation»", "“pure provocation”"),
    ("QA405", "en", "Peskov denounced a „pure provocation“.", "„pure provocation“", "“pure provocation”"),
    ("QA405", "en", "He called it « a provocation ».", "« a provocation »", "“ a provocation ”"),
    ("QA405", "de", "Peskow sprach von einer “reinen Provokation”.", "“reinen Provokation”", "„reinen Provokation“"),
    ("QA405", "fr", "Peskov a dénoncé une „pure provocation“.", "„pure provocation“",
     f"«{NNBSP}pure provocation{NNBSP}»"),
    ("QA406", "en", "He called it a “provocation”. Peskov spoke of “lies”. Later he said \"no comment\".",
     "\"no comment\"", "“no comment”"),
    ("QA406", "de", "Er sprach von „Lügen“. Peskow nannte es „Provokation“. Dann sagte er \"kein Kommentar\".",
     "\"kein Kommentar\"", "„kein Kommentar“"),
    ("QA406", "fr", "Il a parlé de « mensonges ». Peskov a dénoncé une « provocation ». Puis : “aucun commentaire”.",
     "“aucun commentaire”", f"«{NNBSP}aucun commentaire{NNBSP}»"),
    ("QA407", "en", "The meeting began at 14h30 in Kyiv.", "14h30", "14:30"),
    ("QA407", "en", "Voting closes at 20 h 00 local time.", "20 h 00", "20:00"),
    ("QA407", "de", "Die Sitzung begann um 14h30 in Kiew.", "14h30", "14:30 Uhr"),
    ("QA407", "de", "Die Sitzung begann um 2 pm in Kiew.", "2 pm", "14 Uhr"),
    ("QA407", "fr", "La réunion a commencé à 2:30 p.m. à Kiev.", "2:30 p.m.", "14 h 30"),
    ("QA408", "de", "Die Ukraine startete am August 6 einen Überraschungsangriff.", "August 6", "6. August"),
    ("QA408", "de", "Die Ukraine startete am 6 August einen Überraschungsangriff.", "6 August", "6. August"),
    ("QA408", "fr", "L'Ukraine a lancé le 6 Août une attaque surprise.", "6 Août", "6 août"),
    ("QA408", "en", "Ukraine launched a surprise attack on 6. August.", "6. August", "6 August"),
    ("QA409", "en", "On August 6, Ukraine attacked. The offensive slowed on August 20. It resumed on 3 September.",
     "3 September", "September 3"),
    ("QA409", "en", "Talks opened on 12 March and closed on 14 March. A new round began on April 2.",
     "April 2", "2 April"),
    ("QA410", "en", "Tickets cost 15 € each.", "15 €", "€15"),
    ("QA410", "en", "The fine was 200£ per day.", "200£", "£200"),
    ("QA410", "de", "Die Tickets kosten €15 pro Stück.", "€15", "15 €"),
    ("QA410", "fr", "Les billets coûtent €15 chacun.", "€15", "15 €"),
    ("QA410", "fr", "Le loyer moyen est passé à €1 200 par mois.", "€1 200", "1 200 €"),
]

PASSING = [
    ("QA401", "en", "Moscow plans to spend 3.5 billion dollars on the new bridge."),
    ("QA401", "en", "This led to the evacuation of around 150,000 civilians."),
    ("QA401", "en", "Scores of 1,2,3 were given by the judges."),
    ("QA401", "en", "On the right-hand side, [0,0] input is a 1 output."),
    ("QA401", "de", "Die Regierung will 3,5 Milliarden Euro investieren."),
    ("QA401", "de", "Version 2.1 der Software erschien am 6.8.2024."),
    ("QA401", "de", "Der Zug fährt um 14.30 Uhr ab."),
    ("QA401", "fr", "Le chômage a atteint 7,4 % au deuxième trimestre."),
    ("QA402", "en", "This led to the evacuation of around 150,000 civilians."),
    ("QA402", "en", "Call 020 7946 0958 for details."),
    ("QA402", "en", "The ratio was 1.500 to 1 in the final test."),
    ("QA402", "en", "In 2014 1,200 soldiers were deployed."),
    ("QA402", "de", "Die Evakuierung betraf rund 150.000 Zivilisten."),
    ("QA402", "de", "Die Evakuierung betraf rund 150 000 Zivilisten."),
    ("QA402", "de", "Der Wert stieg um 1,500 Punkte."),
    ("QA402", "fr", "L'évacuation a concerné environ 150 000 civils."),
    ("QA403", "en", "He added: \"We are ready.\""),
    ("QA403", "en", "The score was 3 : 1 at half time."),
    ("QA403", "en", "Really? Nobody knows!"),
    ("QA403", "de", "Er sagte: „Wir sind bereit.“"),
    ("QA404", "fr", "Il a ajouté : « Nous sommes prêts. »"),
    ("QA404", "fr", "Est-ce la fin de l'offensive ? Personne ne le sait."),
    ("QA404", "fr", "Rendez-vous à 14:30 sur https://example.org pour la suite."),
    ("QA404", "fr", f"Il a dénoncé une «{NNBSP}pure provocation{NNBSP}»."),
    ("QA405", "en", "Peskov denounced a “pure provocation”."),
    ("QA405", "en", "Home » World » Europe"),
    ("QA405", "de", "Peskow sprach von einer „reinen Provokation“."),
    ("QA405", "de", "Peskow sprach von einer »reinen Provokation«."),
    ("QA405", "fr", "Peskov a dénoncé une « pure provocation »."),
    ("QA405", "fr", "Il a cité le slogan “Make America Great Again” dans son discours."),
    ("QA406", "en", "He called it a “provocation”. Peskov spoke of “lies”."),
    ("QA406", "en", "He said: “They called it ‘a provocation’ yesterday.”"),
    ("QA406", "en", "He called it a \"provocation\". Peskov spoke of \"lies\"."),
    ("QA406", "de", "Er sprach von „Lügen“. Peskow nannte es „Provokation“."),
    ("QA406", "fr", "Il a parlé de « mensonges » et d'une « provocation »."),
    ("QA407", "en", "The meeting began at 14:30 in Kyiv."),
    ("QA407", "en", "The meeting began at 2:30 p.m. in Kyiv."),
    ("QA407", "en", "It was a 4h drive to Kharkiv."),
    ("QA407", "de", "Die Sitzung begann um 14.30 Uhr in Kiew."),
    ("QA407", "fr", "La réunion a commencé à 14h30 à Kiev."),
    ("QA408", "de", "Die Ukraine startete am 6. August einen Überraschungsangriff."),
    ("QA408", "de", "Die Ukraine startete im August 2024 einen Überraschungsangriff."),
    ("QA408", "fr", "L'Ukraine a lancé le 6 août une attaque surprise."),
    ("QA408", "en", "Ukraine launched a surprise attack on August 6."),
    ("QA409", "en", "On August 6, Ukraine attacked. The offensive slowed on August 20."),
    ("QA409", "en", "Talks opened on 12 March and closed on 14 March."),
    ("QA409", "en", "The offensive began in August 2024 and slowed by 3 September."),
    ("QA410", "en", "Tickets cost €15 each."),
    ("QA410", "de", "Die Tickets kosten 15 € pro Stück."),
    ("QA410", "de", "Die Hilfe beträgt 50 Mrd. US-$ insgesamt."),
    ("QA410", "fr", "Les billets coûtent 15 € chacun."),
    ("QA410", "de", "Die Aktie fiel auf $ 15 und das Pfund auf £2."),
    ("QA408", "de", "Die Inflation lag im Juli 1 % über dem Vorjahr."),
]


@pytest.mark.parametrize("code,lang,text,span,suggestion", FAILING,
                         ids=[f"{c}-{l}-{i}" for i, (c, l, *_ ) in enumerate(FAILING)])
def test_locale_rule_flags(code, lang, text, span, suggestion):
    assert_flags(_findings(text, lang, code), code, text, span, suggestion)


@pytest.mark.parametrize("code,lang,text", PASSING, ids=[f"{c}-{l}-{i}" for i, (c, l, _) in enumerate(PASSING)])
def test_locale_rule_passes(code, lang, text):
    found = _findings(text, lang, code)
    assert not found, [(f.text, f.message) for f in found]


def test_table_covers_three_languages_per_family():
    assert {lang for _, lang, *_ in FAILING} >= {"en", "de", "fr"}
    assert {lang for _, lang, *_ in PASSING} >= {"en", "de", "fr"}
    assert len(FAILING) >= 15 and len(PASSING) >= 15


def test_punctuation_rules_get_the_minor_punctuation_penalty():
    spacing = _findings("He added : yes.", "en", "QA403")[0]
    quotes = _findings("Peskov denounced a «pure provocation».", "en", "QA405")[0]
    number = _findings("The flooding forced 12 000 people from their homes.", "en", "QA402")[0]
    punct = DEFAULT_PENALTIES["minor-punctuation"]
    assert penalty(spacing, DEFAULT_PENALTIES) == pytest.approx(punct * spacing.confidence)
    assert penalty(quotes, DEFAULT_PENALTIES) == pytest.approx(punct * quotes.confidence)
    assert penalty(number, DEFAULT_PENALTIES) == pytest.approx(DEFAULT_PENALTIES["minor"] * number.confidence)


def test_offsets_index_the_original_text():
    text = "Prices: 3,5 billion.\r\nOther: 12 000 people."
    report = check(text, target_lang="en", config=Config(fluency=False, select=("QA4",)))
    for f in report.documents[0].findings:
        assert text[f.start:f.end] == f.text


def test_example_article_has_no_locale_findings(example_text):
    report = check(example_text, target_lang="en", config=Config(fluency=False, select=("QA4",)))
    assert report.documents[0].findings == []
