"""French and German: a subject pronoun or possessive contradicting a named person's gender.

French il/elle and German er, singular sie and sein- are checked against the people named in
the sentence and the one before; any noun of a grammatical gender the pronoun could refer to
(or, after a verb that needs a person, any noun naming a person) keeps the check silent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from ...model import Document, Severity
from .base import (PERSON_CODE, Entity, PronounCase, Tok, first_name_gender, lexicon, match_case,
                   name_run_end, quote_ranges, sentences_of, speaks_in_first_person, tokenize)


FOREIGN_WIDE = 4  # sentences searched for a compatible person or an earlier same-gender pronoun
_FR_IMPERSONAL_NEXT = frozenset("y faut s' semble paraît reste pleut suffit convient importe "
                                "s'agit agit vaut".split())


_FR_DET = {"m": frozenset("le un du au ce cet son mon ton l".split()),
           "f": frozenset("la une cette sa ma ta l".split())}


_DE_DET = {"m": frozenset("der den dem des ein einen einem eines dieser diesen diesem dieses "
                          "jeder jeden jedem kein keinen keinem seinen seinem ihren ihrem zum im am "
                          "vom beim".split()),
           "f": frozenset("die der eine einer diese dieser keine keiner seine ihre zur".split()),
           "n": frozenset("das dem des ein eines einem dieses diesem kein keinem zum im am vom "
                          "beim ins".split())}


_DE_SEIN = re.compile(r"^(sein|seine|seinen|seinem|seiner|seines)$", re.IGNORECASE)

_DE_SG_VERBS = frozenset("ist war hat hatte wird wurde kann konnte muss musste soll sollte will "
                         "wollte darf durfte mag möchte habe sei werde könne müsse solle wolle "
                         "dürfe".split())


_DE_NOT_VERBS = frozenset("nicht jetzt erst selbst meist zuletzt bereits damit seit bisher "
                          "zunächst trotzdem jedoch".split())


@dataclass
class _Person:
    label: str
    gender: str | None
    source: str
    start: int
    end: int


def _foreign_people(lang: str, toks: list[Tok]) -> list[_Person]:
    """Named people in a French or German sentence, with gender from title, role or first name."""
    lex = lexicon()
    titles = lex.titles.get(lang, {})
    roles = lex.person_nouns[lang]
    people: list[_Person] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.quoted or not tok.is_word or not tok.capitalised:
            i += 1
            continue
        j = name_run_end(toks, i)
        run, first = toks[i:j], i  # first: the index of run[0] in toks
        i = max(j, i + 1)
        while run and _frequent_word(lang, run[0].low) and run[0].low not in titles:
            run, first = run[1:], first + 1  # "Nur Ma ...": a sentence-initial word, not the first name "Nur"
        if not run:
            continue
        cut = next((k for k, t in enumerate(run) if t.low in _CALENDAR), None)
        if cut is not None:  # "am Freitag Kiew": a date, then a place
            i = first + cut + 1
            run = run[:cut]
            if not run:
                continue
        gender, source, name = _foreign_title(lang, toks, run, first, titles, roles)
        if name and (" ".join(t.low for t in name) in lex.place_variants or name[0].low in lex.places):
            continue  # "Rio de Janeiro", "San Francisco"
        before = toks[first - 1].low.rstrip("'’") if first > 0 else ""
        articled = any(before in table for table in (*_FR_DET.values(), *_DE_DET.values()))
        if len(name) == 1 and not source and not articled and j < len(toks) \
                and toks[j].low in lex.animate_verbs[lang]:
            people.append(_Person(name[0].text, None, "", run[0].start, run[-1].end))
            continue  # "Reid sagte ...": a person we know nothing about
        if len(name) >= 2 or (name and source):
            if gender is None:
                guess, strong = first_name_gender(name[0].text)
                gender, source = (guess, "name" if strong else "name-weak") if guess else (None, "")
            if gender is not None or len(name) >= 2:
                people.append(_Person(" ".join(t.text for t in name), gender, source,
                                      run[0].start, run[-1].end))
    return people


@lru_cache(maxsize=8192)
def _frequent_word(lang: str, word: str) -> bool:
    """Whether a word is so common in the language that a capitalised use is no first name."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return False
    return zipf_frequency(word, lang) >= 5.5


def _foreign_title(lang: str, toks: list[Tok], run: list[Tok], first: int, titles: dict, roles: dict
                   ) -> tuple[str | None, str, list[Tok]]:
    """Gender evidence from a title or role noun before a name; returns (gender, source, name).

    ``run`` is a run of ``toks`` starting at index ``first``.
    """
    gender, source, cut = None, "", -1
    for k, t in enumerate(run[:-1]):
        key = t.low if lang == "fr" else t.text
        if t.low in titles:
            gender, source, cut = _gendered(titles[t.low], "title")[0], "title", k
        elif key in roles or (lang == "de" and _de_role(t.text)):
            g = roles.get(key) or _de_role(t.text)
            gender, source, cut = (g if g in ("m", "f") else None), "role", k
    name = run[cut + 1:]
    if gender is None and run:
        before = first - 1
        prev = toks[before] if before >= 0 else None
        if prev is not None and lang == "fr" and prev.low in roles and roles[prev.low] in ("m", "f"):
            gender, source = roles[prev.low], "role"
        elif prev is not None and prev.text == "." and before >= 1 and toks[before - 1].low in titles:
            gender, source = _gendered(titles[toks[before - 1].low], "title")
        elif prev is not None and prev.low in titles:
            gender, source = _gendered(titles[prev.low], "title")
        elif prev is not None and lang == "de" and _de_role(prev.text):
            gender, source = _de_role(prev.text), "role"
    if name and name[0].low in _FUNCTION_FR_DE:
        name = name[1:]
    return gender, source if gender else "", name


_CALENDAR = frozenset(
    "montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai "
    "juni juli august september oktober november dezember lundi mardi mercredi jeudi vendredi "
    "samedi dimanche janvier février mars avril juin juillet août septembre octobre novembre "
    "décembre wochenende morgen abend".split())

_FUNCTION_FR_DE = frozenset("le la les un une des il elle der die das ein eine er sie es am im".split())


def _gendered(value: str, source: str) -> tuple[str | None, str]:
    return (value, source) if value in ("m", "f") else (None, "")


@lru_cache(maxsize=8192)
def _de_role(word: str) -> str | None:
    """Gender of a German role noun, also inside compounds (Außenministerin)."""
    roles = lexicon().person_nouns["de"]
    if word in roles:
        return roles[word] if roles[word] in ("m", "f") else None
    for role, gender in roles.items():
        if len(role) >= 5 and word.endswith(role.lower()) and gender in ("m", "f") and word != role:
            return gender
    return None


def _fr_pronouns(toks: list[Tok]) -> Iterator[tuple[int, int, str, str, str]]:
    """Subject il/elle (also inverted: a-t-il) as (start, end, text, gender, form)."""
    for k, t in enumerate(toks):
        if t.quoted:
            continue
        low = t.low
        nxt = toks[k + 1].low if k + 1 < len(toks) else ""
        if low in ("il", "elle"):
            if low == "il" and (nxt in _FR_IMPERSONAL_NEXT or nxt in ("s'", "s’")):
                continue  # il y a, il faut, il s'agit, il semble ...
            if low == "il" and nxt in ("est", "était", "sera") and _fr_impersonal_est(toks, k):
                continue
            yield t.start, t.end, t.text, "m" if low == "il" else "f", "subject"
            continue
        m = re.search(r"-(?:t-)?(il|elle)$", t.text, re.IGNORECASE)
        if m:
            start = t.start + m.start(1)
            yield start, t.start + m.end(1), m.group(1), "m" if m.group(1).lower() == "il" else "f", \
                "subject"


def _fr_impersonal_est(toks: list[Tok], k: int) -> bool:
    """'il est important de/que ...': an impersonal il."""
    window = [t.low for t in toks[k + 2:k + 6]]
    return any(w in ("de", "d", "que", "qu") for w in window)


def _de_pronouns(toks: list[Tok]) -> Iterator[tuple[int, int, str, str, str]]:
    """German er, singular sie and sein-possessives as (start, end, text, gender, form)."""
    for k, t in enumerate(toks):
        if t.quoted or not t.is_word:
            continue
        if t.low in ("er", "ihn", "ihm"):
            yield t.start, t.end, t.text, "m", t.low
        elif _DE_SEIN.match(t.text) and _de_noun_follows(toks[k + 1:k + 4]):
            yield t.start, t.end, t.text, "mn", "sein"
        elif t.low == "sie" and (t.text == "sie" or _sentence_initial(toks, k)) and _de_singular(toks, k):
            yield t.start, t.end, t.text, "f", "sie"


def _sentence_initial(toks: list[Tok], k: int) -> bool:
    """Whether token ``k`` starts its sentence (capitalised "Sie" elsewhere is the polite "you")."""
    return all(not t.is_word for t in toks[:k]) or toks[k - 1].text in ".!?:«»“”\"„"


def _de_singular(toks: list[Tok], k: int) -> bool:
    """Whether a 'sie' at ``k`` agrees with a singular verb next to it (not 'they' or 'Sie')."""
    for j in (k + 1, k - 1):
        if 0 <= j < len(toks) and toks[j].is_word and not toks[j].capitalised:
            w = toks[j].low
            if w in _DE_NOT_VERBS:
                continue
            if w in _DE_SG_VERBS or (w.endswith(("t", "te")) and not w.endswith(("en", "ten"))):
                return True
            if w.endswith("en"):
                return False
    return False


_DE_FIX = {"er": "sie", "ihn": "sie", "ihm": "ihr", "sie": "er"}


def _foreign_fix(lang: str, text: str, form: str, gender: str) -> str:
    if lang == "fr":
        return match_case(text, "elle" if gender == "m" else "il")
    if form == "sein":
        return match_case(text, "ihr" + text[4:].lower())
    return match_case(text, _DE_FIX[form])


def _competing_noun(lang: str, toks: list[Tok], gender: str, exclude: list[tuple[int, int]],
                    persons_only: bool = False) -> bool:
    """Whether a noun of a grammatical gender the pronoun could refer to occurs in the tokens.

    With ``persons_only`` (the pronoun's verb needs a speaker) only nouns that name people or
    organisations count.
    """
    genders = ("m", "n") if gender == "mn" else (gender,)
    table = _FR_DET if lang == "fr" else _DE_DET
    for k, t in enumerate(toks[:-1]):
        if t.quoted or any(a <= t.start < b for a, b in exclude):
            continue
        if not any(t.low.rstrip("'’") in table.get(g, ()) for g in genders):
            continue
        nouns = _nouns_after(lang, toks[k + 1:k + 4])
        if nouns and (not persons_only or any(_person_like(lang, n.text) or _organisation(lang, n.text)
                                              for n in nouns)):
            return True
    return False


@lru_cache(maxsize=8192)
def _organisation(lang: str, word: str) -> bool:
    """Whether a French or German noun names an organisation (German compounds included)."""
    orgs = lexicon().org_nouns.get(lang, frozenset())
    low = word.lower()
    if low in orgs:
        return True
    return lang == "de" and any(low.endswith(org) and len(org) >= 4 for org in orgs)


def _nouns_after(lang: str, following: list[Tok]) -> list[Tok]:
    """The words after a determiner that may be its noun (German: the first capitalised one)."""
    if lang == "de":
        return [f for f in following[:3] if f.capitalised][:1] if _de_noun_follows(following) else []
    return [f for f in following[:2] if f.is_word and f.low not in _CALENDAR][:2]

_PERSON_SUFFIXES = {"fr": ("eur", "euse", "trice", "iste", "ienne", "ien", "ante", "aire"),
                    "de": ("in", "innen", "ist", "ent", "ege", "eur", "ant", "or")}


def _person_like(lang: str, word: str) -> bool:
    """Whether a French or German noun plausibly names a person (role lists, agent suffixes)."""
    roles = lexicon().person_nouns[lang]
    if (word if lang == "de" else word.lower()) in roles or (lang == "de" and _de_role(word)):
        return True
    return word.lower().endswith(_PERSON_SUFFIXES[lang])


def _de_noun_follows(following: list[Tok]) -> bool:
    """Whether a German determiner is followed by a noun (adjectives may come between)."""
    for f in following:
        if not f.is_word or f.low in _CALENDAR:
            return False
        if f.capitalised:
            return True
        if not f.low.endswith(("e", "en", "er", "es", "em")):
            return False
    return False


# A superset of the words _fr_pronouns / _de_pronouns report: a sentence without any is skipped
# before it is tokenised (most sentences are; their tokens are made only when a window needs them).
_CANDIDATE_RE = {
    "fr": re.compile(r"\b(?:il|elle)\b", re.IGNORECASE),
    "de": re.compile(r"\b(?:er|ihn|ihm|sie|sein|seine|seinen|seinem|seiner|seines)\b", re.IGNORECASE),
}


class _SentenceTokens:
    """The tokens of each sentence of a document, made on first use and kept."""

    def __init__(self, text: str, spans: list[tuple[int, int]], quotes: list[tuple[int, int]],
                 elision: bool) -> None:
        self.text, self.spans, self.quotes, self.elision = text, spans, quotes, elision
        self.made: dict[int, list[Tok]] = {}

    def __len__(self) -> int:
        return len(self.spans)

    def __getitem__(self, index: int) -> list[Tok]:
        toks = self.made.get(index)
        if toks is None:
            start, end = self.spans[index]
            toks = self.made[index] = tokenize(self.text, start, end, self.quotes, elision=self.elision)
        return toks


def foreign_cases(doc: Document, lang: str) -> list[PronounCase]:
    """QA102 candidates in a French or German document (rules only)."""
    quotes = quote_ranges(doc.text)
    spans = sentences_of(doc)
    sentence_toks = _SentenceTokens(doc.text, spans, quotes, elision=lang == "fr")
    candidate = _CANDIDATE_RE[lang]
    cases: list[PronounCase] = []
    for index, (start, end) in enumerate(spans):
        if not candidate.search(doc.text, start, end):
            continue  # no pronoun to check
        toks = sentence_toks[index]
        if speaks_in_first_person(lang, toks):
            continue  # speech without quotation marks: its pronouns point outside the text
        found = _fr_pronouns(toks) if lang == "fr" else _de_pronouns(toks)
        for start, end, text, gender, form in found:
            case = _foreign_case(doc, lang, sentence_toks, index, start, end, text, gender, form)
            if case is not None:
                cases.append(case)
    return cases


def _same_pronoun_before(lang: str, window: list[Tok], gender: str) -> bool:
    """Whether a pronoun of the same gender already occurs in the window (someone else, unnamed).

    German "sie" counts whatever its number: staying silent is the safe side.
    """
    if lang == "fr":
        return any(g in gender for _, _, _, g, _ in _fr_pronouns(window))
    if gender == "f" and any(t.low == "sie" and not t.quoted for t in window):
        return True
    return any(g in gender or gender in g for _, _, _, g, _ in _de_pronouns(window))


def _foreign_case(doc: Document, lang: str, sentence_toks: _SentenceTokens, index: int, start: int,
                  end: int, text: str, gender: str, form: str) -> PronounCase | None:
    window: list[Tok] = [t for t in sentence_toks[index] if t.start < start]
    if index > 0:
        window = sentence_toks[index - 1] + window
    # A rival may come from four sentences back, the contradicted person only from one.
    near = {(p.start, p.end) for p in _foreign_people(lang, window)}
    if not near:
        return None  # no person the pronoun could contradict
    wide = [t for k in range(max(0, index - FOREIGN_WIDE), index - 1) for t in sentence_toks[k]] + window
    if _same_pronoun_before(lang, wide, gender):
        return None
    people = _foreign_people(lang, wide)
    compatible = [p for p in people if p.gender is None or p.gender in gender]
    contradicting = [p for p in people if p.gender is not None and p.gender not in gender
                     and (p.start, p.end) in near]
    people = [p for p in people if (p.start, p.end) in near or p in compatible]
    if compatible or not contradicting or any(p.source == "name-weak" for p in contradicting):
        return None
    animate = _animate_verb(lang, sentence_toks[index], start)
    if _competing_noun(lang, window, gender, [(p.start, p.end) for p in people], persons_only=animate):
        return None
    if _foreign_unknown_proper(lang, window, people):
        return None
    person = contradicting[-1]
    fix = _foreign_fix(lang, text, form, gender)
    ent = Entity("person:" + person.label.lower(), "person", person.label, person.gender, person.source)
    severity = Severity.MAJOR
    confidence = 0.85 if person.source in ("title", "role") else 0.75
    reason = {"title": "title", "role": "role noun"}.get(person.source, "first name")
    return PronounCase(PERSON_CODE, start, end, index, form, fix, ent, severity, confidence, reason)

_SKIP_AFTER_PRONOUN = frozenset("ne n' n’ y lui leur en se s' s’ a avait aurait va allait doit "
                                "devait est était hat hatte wird wurde nicht auch noch dann jedoch "
                                "am im heute gestern".split())


def _animate_verb(lang: str, toks: list[Tok], start: int) -> bool:
    """Whether the pronoun starting at ``start`` is the subject of a verb that needs a person."""
    verbs = lexicon().animate_verbs.get(lang, frozenset())
    index = next((k for k, t in enumerate(toks) if t.start <= start < t.end), None)
    if index is None:
        return False
    if index > 0 and toks[index - 1].low in verbs:  # German inversion: "Am Montag sagte er"
        return True
    for t in toks[index + 1:index + 5]:
        if not t.is_word:
            return False
        if t.low in verbs:
            return True
        if t.low not in _SKIP_AFTER_PRONOUN:
            return False
    return False


def _foreign_unknown_proper(lang: str, window: list[Tok], people: list[_Person]) -> bool:
    """Capitalised words that might name another person (French only: German nouns are capitalised)."""
    if lang != "fr":
        return False
    spans = [(p.start, p.end) for p in people]
    for k, t in enumerate(window):
        if k == 0 or not t.is_word or not t.capitalised or t.quoted:
            continue
        if any(a <= t.start < b for a, b in spans) or window[k - 1].text in ".!?«“\"":
            continue
        if t.low in lexicon().titles.get("fr", {}) or t.low in _FUNCTION_FR_DE \
                or t.low in lexicon().place_variants:
            continue
        if window[k - 1].low in ("à", "en", "au", "aux", "de", "du", "d", "l", "la", "le"):
            continue  # a place or an organisation after a preposition or article
        return True
    return False
