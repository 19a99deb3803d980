"""English pronoun resolution: mentions with salience, and pronouns that contradict them.

Each sentence's mentions (people, organisations, groups, places, things, ships, unknown names)
get a weight from their role and distance; a he/she/his/her... is checked against the most
salient candidate of its own and the two preceding sentences (see :func:`english_cases`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...model import Document, Severity
from .base import (LEAK_CODE, PERSON_CODE, Entity, Lexicon, PronounCase, Tok, first_name_gender,
                   lexicon, match_case, name_run_end, quote_ranges, sentences_of,
                   speaks_in_first_person, tokenize)


EN_PRONOUNS = {
    "he": ("m", "subject"), "him": ("m", "object"), "his": ("m", "possessive"),
    "himself": ("m", "reflexive"), "she": ("f", "subject"), "her": ("f", "her"),
    "hers": ("f", "standalone"), "herself": ("f", "reflexive"),
}

_NEUTER = {"subject": "it", "object": "it", "possessive": "its", "standalone": "its",
           "reflexive": "itself"}


_PLURAL = {"subject": "they", "object": "them", "possessive": "their", "standalone": "theirs",
           "reflexive": "themselves"}


_MASC = {"subject": "he", "object": "him", "possessive": "his", "standalone": "his",
         "reflexive": "himself"}


_FEM = {"subject": "she", "object": "her", "possessive": "her", "standalone": "hers",
        "reflexive": "herself"}


_DETERMINERS = frozenset("the a an this that these those its their our your my his her some any "
                         "each every no another both all several many".split())


_PREPOSITIONS = frozenset(
    "of in on at to for with from by about against between among into onto through during "
    "before after since until towards toward near over under behind beyond within without "
    "across along around amid despite like unlike via per upon than including off past outside "
    "inside beside throughout alongside opposite except".split())

_FUNCTION = _DETERMINERS | _PREPOSITIONS | frozenset(
    "and or but nor so yet that which who whom whose when where while as if because although "
    "though whether not also again still already now then just only even too very there here "
    "today yesterday tomorrow however meanwhile later earlier once ago back up down out off "
    "away it they we you i late early overnight soon recently immediately together abroad "
    "home instead almost nearly twice".split())

_QUANTIFIERS = frozenset("several many most some other others few both such more less new "
                         "each every all no thousands hundreds dozens millions tens".split())


_INTRO_WORDS = _PREPOSITIONS | frozenset(
    "however meanwhile earlier later yesterday today last next also but and so then when while "
    "although though if as because once unlike following according questioned asked speaking "
    "separately moreover furthermore still yet instead indeed".split())

_SKIP_CAPITALISED = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december i".split())

SUBJECT, OBJECT, OBLIQUE, POSSESSOR = 3.0, 2.0, 1.0, 1.0

DISTANCE_COST = 1.0

TOPIC_BONUS = 1.0

WINDOW = 2  # sentences before the pronoun's own

EXTENDED_WINDOW = 4


@dataclass
class Mention:
    """An occurrence of an entity in a sentence, with its salience weight."""

    entity: Entity
    sentence: int
    start: int
    weight: float


class EnglishDiscourse:
    """Mentions and pronoun resolution over one English document."""

    def __init__(self, doc: Document, gender_overrides: dict[str, str] | None = None) -> None:
        self.doc = doc
        self.lex = lexicon()
        self.quotes = quote_ranges(doc.text)
        self.sentences = sentences_of(doc)
        self.mentions: list[list[Mention]] = []
        self.entities: dict[str, Entity] = {}
        self.overrides = gender_overrides or {}
        self.cases: list[PronounCase] = []
        self.votes: dict[str, dict[str, int]] = {}  # person key -> pronoun gender -> clean count
        self.pronoun_weights: dict[int, float] = {}

    # ---- entities -----------------------------------------------------------------------
    def _entity(self, key: str, kind: str, label: str, **kw: Any) -> Entity:
        ent = self.entities.get(key)
        if ent is None:
            ent = Entity(key, kind, label, **kw)
            self.entities[key] = ent
            if key in self.overrides:
                ent.set_gender(self.overrides[key], "pronouns")
        return ent

    def _person(self, name_toks: list[Tok]) -> Entity:
        surname = name_toks[-1].low
        label = " ".join(t.text for t in name_toks)
        ent = self._entity("person:" + surname, "person", label)
        if len(label) > len(ent.label):
            ent.label = label
        return ent

    # ---- analysis -----------------------------------------------------------------------
    def run(self) -> "EnglishDiscourse":
        """Extract mentions and resolve every pronoun, sentence by sentence."""
        for index, (start, end) in enumerate(self.sentences):
            toks = tokenize(self.doc.text, start, end, self.quotes)
            self.mentions.append([])
            subject_start = _subject_start(toks)
            pronouns = self._extract(index, toks, subject_start)
            if speaks_in_first_person("en", toks):  # unquoted speech: "I think he ..." points outside
                for tok_index in pronouns:
                    self._add_pseudo(index, toks[tok_index], EN_PRONOUNS[toks[tok_index].low][0],
                                     self.pronoun_weights.get(tok_index, OBJECT))
                continue
            for tok_index in pronouns:
                if _attributes_quotation(toks, tok_index, self.lex):  # "“...,” she said"
                    self._add_pseudo(index, toks[tok_index], EN_PRONOUNS[toks[tok_index].low][0],
                                     self.pronoun_weights.get(tok_index, OBJECT))
                    continue
                self._resolve(index, toks, tok_index, subject_start)
        return self

    def _extract(self, index: int, toks: list[Tok], subject_start: int) -> list[int]:
        """Add the sentence's mentions; return the token indices of its pronouns."""
        pronouns: list[int] = []
        found: list[tuple] = []  # (last token index, entity or None, role hint, first token index)
        i = 0
        while i < len(toks):
            tok = toks[i]
            if tok.quoted or not tok.is_word:
                i += 1
                continue
            if tok.low in EN_PRONOUNS and _coordinated(toks, i):
                i += 1  # "he or she", "his/her": gender-neutral usage
                continue
            if tok.low in EN_PRONOUNS:
                pronouns.append(i)
                found.append((i, None, "pronoun", i))
                i += 1
                continue
            step = self._proper(toks, i, found) if tok.capitalised else 0
            if not step:
                step = self._common(toks, i, found)
            i += max(step, 1)
        self._unknown_subject(toks, subject_start, found)
        self.pronoun_weights = self._assign_roles(index, toks, found, subject_start)
        return pronouns

    def _unknown_subject(self, toks: list[Tok], subject_start: int, found: list) -> None:
        """Make an unknown noun heading the subject ("The billionaire bought ...") a candidate.

        Unknown nouns are invisible elsewhere; in the subject they are the most likely
        antecedent, so they must be able to silence the checks.
        """
        head = _subject_head(toks, subject_start, self.lex)
        if head is None or toks[head].low in EN_PRONOUNS:
            return
        if any(first <= head <= last for last, _, _, first in found):
            return
        word = toks[head].low
        plural = word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3
        # A plural ("Shares in the bank fell") cannot be a he/she: not a candidate.
        ent = self._entity(f"unknown@{toks[head].start}", "plural" if plural else "unknown",
                           toks[head].text)
        found.append((head, ent, "", head))
        found.sort(key=lambda item: item[0])

    def _proper(self, toks: list[Tok], i: int, found: list) -> int:
        """A run of capitalised words starting at ``i``: a person, organisation, place or unknown."""
        j = i
        run: list[Tok] = []
        last = i  # index in toks of run[-1]
        titles = self.lex.titles.get("en", {})
        while j < len(toks):
            end = name_run_end(toks, j)
            if end == j:
                break
            run.extend(toks[j:end])
            last = end - 1
            j = end
            if not run[-1].possessive and j + 1 < len(toks) and toks[j].text == "." \
                    and run[-1].low in titles and toks[j + 1].capitalised:
                j += 1  # "Mr. Sybiga"
                continue
            break
        if not run:
            return 0
        lowered = [t.low for t in run]
        if lowered[0] in _SKIP_CAPITALISED:  # days, months, "I"
            return 1
        if lowered[0] in _FUNCTION or lowered[0] in EN_PRONOUNS:  # "The", "On", "He": common words
            return 0
        if len(run) == 1 and i == _first_word(toks) and _common_word(lowered[0], self.lex):
            return 0
        entity = self._classify_run(run, toks[j] if j < len(toks) else None, toks, i)
        if entity is not None:
            found.append((last, entity, "possessor" if run[-1].possessive else "", i))
        return j - i

    def _classify_run(self, run: list[Tok], after: Tok | None, toks: list[Tok], i: int
                      ) -> Entity | None:
        """The entity a capitalised run names (None for a modifier such as "Russian army")."""
        lex = self.lex
        lowered = [t.low for t in run]
        titles = lex.titles.get("en", {})
        roles = lex.person_nouns["en"]
        # The last title or role word inside the run: what follows it is the name.
        cut, title_gender, title_source = -1, None, ""
        for k, word in enumerate(lowered[:-1]):
            if word in titles:
                cut, title_gender, title_source = k, titles[word], "title"
            elif word in roles and run[k + 1].low not in lex.nouns:
                cut, title_gender, title_source = k, roles[word], "role"
        name = run[cut + 1:]
        if cut >= 0 and name:
            ent = self._person(name)
            ent.set_gender(title_gender, title_source)
            self._name_gender(ent, name)
            self._role_before(toks, i, ent)
            return ent
        if len(run) >= 2 and not self._is_org_run(lowered):
            for k, word in enumerate(run[:-1]):
                gender, strong = first_name_gender(word.text)
                if gender and lowered[k] not in lex.places:
                    ent = self._person(run[k:])
                    ent.set_gender(gender, "name" if strong else "name-weak")
                    self._role_before(toks, i, ent)
                    return ent
        if cut < 0 and len(run) >= 1 and self._role_before(toks, i, None):
            ent = self._person(run)
            self._role_before(toks, i, ent)
            return ent
        if self._is_org_run(lowered):
            info = lex.multi.get(tuple(lowered)) or lex.nouns.get(lowered[-1])
            cls, fix = (info.cls, info.pronoun) if info else ("organisation", "it")
            return self._entity("org:" + " ".join(lowered), cls, " ".join(t.text for t in run), fix=fix)
        if after is not None and after.is_word and not after.capitalised and \
                (after.low in lex.nouns or after.low in roles or _multi_at(lex, toks, toks.index(after))):
            return None  # a modifier: "Russian army", "Kursk region", "Apple chief executive"
        key = "person:" + lowered[-1]
        if key in self.entities:
            return self.entities[key]
        if len(run) == 1 and lowered[0] in roles:
            return None
        if all(t.text.isupper() and len(t.text) >= 2 for t in run):
            return self._entity("org:" + " ".join(lowered), "organisation", run[0].text)
        joined = " ".join(lowered)
        if joined in lex.places:
            return self._entity("place:" + joined, "place", " ".join(t.text for t in run))
        if len(run) == 1 and after is not None and after.is_word and not after.capitalised \
                and re.search(r"(ian|ean|ese|ish|ic|i)$", lowered[0]):
            return None  # a demonym used as an adjective: "Russian troops"
        return self._entity("unknown:" + joined, "unknown", " ".join(t.text for t in run))

    def _role_before(self, toks: list[Tok], i: int, ent: Entity | None) -> bool:
        """A lower-case role noun right before a name ("the actress Penélope Cruz") acts as a title."""
        if i == 0 or not toks[i - 1].is_word or toks[i - 1].capitalised:
            return False
        gender = self.lex.person_nouns["en"].get(toks[i - 1].low)
        if gender is None:
            return False
        if ent is not None:
            ent.set_gender(gender, "role")
        return True

    def _is_org_run(self, lowered: list[str]) -> bool:
        info = self.lex.multi.get(tuple(lowered)) or self.lex.nouns.get(lowered[-1])
        if tuple(lowered) in self.lex.multi or (len(lowered) >= 2 and lowered[-1] in self.lex.org_name_words):
            return True
        return info is not None and info.cls in ("organisation", "group", "vessel")

    def _name_gender(self, ent: Entity, name: list[Tok]) -> None:
        """Gender from the first name when the name has a first name and a surname."""
        if len(name) >= 2:
            gender, strong = first_name_gender(name[0].text)
            ent.set_gender(gender, "name" if strong else "name-weak")

    def _common(self, toks: list[Tok], i: int, found: list) -> int:
        """A lower-case (or sentence-initial) noun from the lexicons."""
        lex = self.lex
        tok = toks[i]
        low = tok.low
        roles = lex.person_nouns["en"]
        if not tok.possessive and low not in lex.nouns and low not in roles and low not in _multi_heads(lex) \
                and not (low.endswith("s") and low[:-1] in roles):
            return 1  # fast path: not a lexicon noun, role or possessor (the test below, cheaply)
        width, info = _multi_at(lex, toks, i), None
        if width:
            info = lex.multi[tuple(t.low for t in toks[i:i + width])]
        elif tok.low in lex.nouns:
            width, info = 1, lex.nouns[tok.low]
        last = i + width - 1 if width else i
        nxt = toks[last + 1] if last + 1 < len(toks) else None
        if info is None and tok.low not in roles and not (tok.low.endswith("s") and tok.low[:-1] in roles):
            if tok.possessive and not tok.capitalised:  # "the novelist's latest book": a person, likely
                found.append((i, self._entity(f"unknown@{tok.start}", "unknown", tok.text), "possessor", i))
            return 1
        if not toks[last].possessive and nxt is not None and nxt.is_word and not nxt.capitalised \
                and nxt.low not in lex.verbs and \
                (nxt.low in lex.nouns or nxt.low in roles or _multi_at(lex, toks, last + 1)):
            return width or 1  # a modifier of the next noun: "army chief" (not "the firm plans")
        head_ok = toks[last].possessive or nxt is None or _ends_noun_phrase(lex, nxt)
        if info is not None:
            if not head_ok:  # maybe a modifier of an unknown noun ("the army chaplain"): no mention
                return width
            label = " ".join(t.text for t in toks[i:last + 1])
            ent = self._entity("org:" + info.word + ("+pl" if info.plural else ""), info.cls, label,
                               fix=info.pronoun)
            found.append((last, ent, "possessor" if toks[last].possessive else "", i))
            return width
        # a person noun: "the spokesman", "officials"; before a name it is a title
        if nxt is not None and nxt.is_word and nxt.capitalised and not nxt.quoted and tok.low in roles:
            return 1
        if tok.low in roles:
            ent = self._entity(f"role@{tok.start}", "person", tok.text)
            ent.set_gender(roles[tok.low], "role")
        else:
            ent = self._entity(f"people@{tok.start}", "people", tok.text)
        found.append((i, ent, "possessor" if tok.possessive else "", i))
        return 1

    def _assign_roles(self, index: int, toks: list[Tok], found: list, subject_start: int
                      ) -> dict[int, float]:
        """Weight each mention by its role, merge appositions, and store them.

        Returns the weights the sentence's pronouns will have once resolved.
        """
        have_subject = False
        pronoun_weights: dict[int, float] = {}
        roles_seen: list[tuple[int, Mention]] = []
        for tok_index, ent, hint, first_index in found:
            if hint == "pronoun":
                weight = _pronoun_weight(toks, tok_index, subject_start)
                if weight == SUBJECT and not have_subject:
                    have_subject = True
                elif weight == SUBJECT:
                    weight = OBJECT
                pronoun_weights[tok_index] = weight
                continue
            if hint == "possessor" and not have_subject and tok_index >= subject_start \
                    and not _after_preposition(toks, first_index):
                weight = OBJECT  # the possessor of the subject: "The novelist's latest book"
            elif hint == "possessor":
                weight = POSSESSOR
            elif _after_preposition(toks, tok_index):
                weight = OBLIQUE
            elif not have_subject and tok_index >= subject_start:
                weight, have_subject = SUBJECT, True
            else:
                weight = OBJECT
            mention = Mention(ent, index, toks[tok_index].start, weight)
            subject = next((m for _, m in roles_seen if m.weight == SUBJECT), None)
            if subject is not None and _predicate(toks, first_index) and _key_kind(ent) == "role":
                self._merge_apposition(subject, mention)  # "Mrs Okafor was appointed chief executive"
                continue
            partner = _apposition_partner(toks, first_index, mention, roles_seen)
            if partner is not None:
                self._merge_apposition(partner, mention)
                continue
            if ent.kind == "person":
                roles_seen.append((tok_index, mention))
            self.mentions[index].append(mention)
        return pronoun_weights

    def _merge_apposition(self, first: Mention, second: Mention) -> None:
        """'the spokesman, Dmitry Peskov,' / 'Alexei Smirnov, acting governor': one person."""
        role, named = (first, second) if first.entity.key.startswith("role@") else (second, first)
        role_key = role.entity.key
        named.entity.set_gender(role.entity.gender, role.entity.gender_source)
        first.entity = named.entity
        first.weight = max(first.weight, second.weight)
        self.entities.pop(role_key, None)

    # ---- resolution ---------------------------------------------------------------------
    def _candidates(self, index: int, before: int, window: int) -> dict[str, tuple[Entity, float, int]]:
        """Entities mentioned in the last ``window`` sentences (and this one before ``before``),
        each with its best salience: role weight minus distance, plus a bonus for a topic that
        was the subject of two of those sentences."""
        scored: dict[str, tuple[Entity, float, int]] = {}
        subject_in: dict[str, int] = {}
        for distance in range(window + 1):
            k = index - distance
            if k < 0:
                break
            for m in self.mentions[k]:
                if distance == 0 and m.start >= before:
                    continue
                score = m.weight - DISTANCE_COST * distance
                if m.weight == SUBJECT:
                    subject_in[m.entity.key] = subject_in.get(m.entity.key, 0) + 1
                old = scored.get(m.entity.key)
                if old is None or (score, m.start) > (old[1], old[2]):
                    scored[m.entity.key] = (m.entity, score, m.start)
        for key, count in subject_in.items():
            if count >= 2 and key in scored:
                ent, score, start = scored[key]
                scored[key] = (ent, score + TOPIC_BONUS, start)
        return scored

    def _resolve(self, index: int, toks: list[Tok], tok_index: int, subject_start: int) -> None:
        tok = toks[tok_index]
        gender, form = EN_PRONOUNS[tok.low]
        if form == "her":
            form = _her_form(toks, tok_index)
        if form == "possessive" and tok.low == "his" and _standalone(toks, tok_index):
            form = "standalone"
        window = 0 if form == "reflexive" else WINDOW
        scored = self._candidates(index, tok.start, window)
        if form == "object":  # "The board thanked her": not the board (binding)
            for key in _clause_mates(toks, tok_index, self.mentions[index]):
                scored.pop(key, None)
        ranked = sorted(scored.values(), key=lambda e: (e[1], e[2]), reverse=True)
        judged = [(ent, score, _compatibility(ent, gender)) for ent, score, _ in ranked]
        judged = [j for j in judged if j[2] != "neutral"]
        weight = self.pronoun_weights.get(tok_index, OBJECT)
        if not judged or tok_index < subject_start and self._cataphora(index, toks, tok_index, gender):
            self._add_pseudo(index, tok, gender, weight)
            return
        top, top_score, verdict = judged[0]
        if verdict == "compatible":
            self._record_vote(top, gender, judged)
            self._add_mention(index, top, tok.start, weight)
            return
        if top.kind == "people":  # "officials said ... she": one of them, most likely
            self._add_pseudo(index, tok, gender, weight)
            return
        compatible = [j for j in judged if j[2] == "compatible" and j[0].kind != "people"]
        severity, confidence = self._strength(top, top_score, verdict, compatible)
        if severity is None:
            self._add_pseudo(index, tok, gender, weight)
            return
        if not compatible and self._extended_competitor(index, gender):
            severity, confidence = Severity.MINOR, min(confidence, 0.5)
        self.cases.append(self._case(index, tok, form, gender, top, verdict, severity, confidence))
        if verdict == "person":
            self.votes.setdefault(top.key, {}).setdefault(gender, 0)
            self.votes[top.key][gender] += 1 if not compatible else 0
        self._add_mention(index, top, tok.start, weight)

    def _strength(self, top: Entity, top_score: float, verdict: str, compatible: list
                  ) -> tuple[Severity | None, float]:
        """Severity and confidence of a contradiction, or (None, 0) when a rival is too close.

        A gendered pronoun never refers to an organisation, so any compatible person nearby
        (named, a role noun, or an earlier pronoun) silences QA101. For QA102 a compatible
        person must trail the contradicting one by a wide margin (the topic of the last two
        sentences against an object after a preposition) and then the finding is minor.
        """
        if verdict == "person":
            base = {"title": 0.9, "role": 0.85, "pronouns": 0.8, "name": 0.8}.get(top.gender_source, 0.5)
        else:
            base = 0.85 if top.kind in ("organisation", "group") else 0.75
        weak = verdict == "person" and top.gender_source == "name-weak"
        if not compatible:
            return (Severity.MINOR, 0.5) if weak else (Severity.MAJOR, base)
        people = [j for j in compatible if j[0].kind in ("person", "pseudo")]
        if verdict == "leak":
            if people or top_score - compatible[0][1] < 2:
                return None, 0.0
            if any(j[0].key.startswith("unknown:") for j in compatible):
                return Severity.MINOR, 0.5  # an unknown name trails: it may be a person
            return Severity.MAJOR, min(base, 0.7)  # only unknown common nouns trail far behind
        if people:
            return (Severity.MINOR, 0.6) if top_score - people[0][1] >= 3 else (None, 0.0)
        if top_score - compatible[0][1] >= 2:  # only unknown names trail far behind
            return (Severity.MINOR, 0.5) if weak else (Severity.MAJOR, min(base, 0.7))
        return None, 0.0

    def _case(self, index: int, tok: Tok, form: str, gender: str, top: Entity, verdict: str,
              severity: Severity, confidence: float) -> PronounCase:
        if verdict == "person":
            table = _FEM if top.gender == "f" else _MASC
            reason = {"title": "title", "role": "role noun", "pronouns": "the document's other pronouns",
                      "name": "first name", "name-weak": "first name"}.get(top.gender_source, "name")
            code = PERSON_CODE
        else:
            table = _PLURAL if top.fix == "they" else _NEUTER
            reason = top.kind
            code = LEAK_CODE
        return PronounCase(code, tok.start, tok.end, index, form, match_case(tok.text, table[form]),
                           top, severity, confidence, reason)

    def _cataphora(self, index: int, toks: list[Tok], tok_index: int, gender: str) -> bool:
        """A pronoun in an introductory clause may point forward to the main clause's subject."""
        later = [m for m in self.mentions[index] if m.start > toks[tok_index].start]
        return any(_compatibility(m.entity, gender) == "compatible" for m in later)

    def _extended_competitor(self, index: int, gender: str) -> bool:
        """Whether a compatible person may still be the referent from further back.

        True when one was a subject three or four sentences back, or when a named person of
        the right gender is a topic of the document (mentioned at least twice so far).
        """
        counts: dict[str, int] = {}
        for k in range(max(0, index - WINDOW)):
            near = k >= index - EXTENDED_WINDOW
            for m in self.mentions[k]:
                if m.entity.kind not in ("person", "pseudo") or \
                        _compatibility(m.entity, gender) != "compatible":
                    continue
                if near and m.weight == SUBJECT:
                    return True
                if m.entity.kind == "person" and m.entity.gender == gender:
                    counts[m.entity.key] = counts.get(m.entity.key, 0) + 1
        return any(count >= 2 for count in counts.values())

    def _record_vote(self, top: Entity, gender: str, judged: list) -> None:
        people = [j for j in judged if j[0].kind == "person"]
        if top.kind == "unknown" and top.key.startswith("unknown:") and " " in top.key and not people:
            top.kind = "person"  # "Xi Jinping ... He": a name gender-guesser does not know
            people = [judged[0]]
        if top.kind == "person" and len(people) == 1:
            self.votes.setdefault(top.key, {}).setdefault(gender, 0)
            self.votes[top.key][gender] += 1
            if top.gender is None:
                top.set_gender(gender, "pronouns")

    def _add_mention(self, index: int, ent: Entity, start: int, weight: float) -> None:
        self.mentions[index].append(Mention(ent, index, start, weight))

    def _add_pseudo(self, index: int, tok: Tok, gender: str, weight: float) -> None:
        ent = self._entity(f"pseudo@{tok.start}", "pseudo", tok.text, gender=gender, gender_source="pronouns")
        self._add_mention(index, ent, tok.start, weight)


_CLAUSE_BREAKS = frozenset("that which who whom said says told when while because after before if "
                           "and or but as since although".split())


def _clause_mates(toks: list[Tok], i: int, mentions: list[Mention]) -> list[str]:
    """Keys of mentions in the pronoun's own clause just before its verb ('X thanked her')."""
    keys = []
    for m in mentions:
        between = [t for t in toks if m.start < t.start < toks[i].start]
        words = [t for t in between[1:] if t.is_word]
        if m.weight == SUBJECT and len(words) <= 4 and not any(
                t.low in _CLAUSE_BREAKS or t.text in ",;:" for t in between[1:]):
            keys.append(m.entity.key)
    return keys


def _compatibility(ent: Entity, gender: str) -> str:
    """``compatible`` (may be the antecedent), ``person``/``leak`` (contradiction) or ``neutral``."""
    if ent.kind in ("unknown", "people"):
        return "compatible"
    if ent.kind == "plural":
        return "neutral"
    if ent.kind == "pseudo":
        return "compatible" if ent.gender == gender else "neutral"
    if ent.kind == "person":
        if ent.gender is None or ent.gender == gender:
            return "compatible"
        return "person"
    if ent.kind == "vessel":
        return "compatible" if gender == "f" else "leak"
    return "leak"


_MULTI_HEADS: list = [None, frozenset()]  # [the lexicon's multi dict, the first words of its keys]


def _multi_heads(lex: Lexicon) -> frozenset[str]:
    """First words of the lexicon's multi-word nouns (computed once per lexicon)."""
    if _MULTI_HEADS[0] is not lex.multi:
        _MULTI_HEADS[1] = frozenset(key[0] for key in lex.multi if key)
        _MULTI_HEADS[0] = lex.multi
    return _MULTI_HEADS[1]


def _multi_at(lex: Lexicon, toks: list[Tok], i: int) -> int:
    """Width of a multi-word lexicon noun starting at token ``i`` (0 if none)."""
    if i >= len(toks) or toks[i].low not in _multi_heads(lex):
        return 0
    for width in (3, 2):
        words = tuple(t.low for t in toks[i:i + width])
        if len(words) == width and all(t.is_word for t in toks[i:i + width]) and words in lex.multi:
            return width
    return 0


def _ends_noun_phrase(lex: Lexicon, nxt: Tok) -> bool:
    """Whether the token after a noun shows that the noun heads its phrase."""
    if not nxt.is_word or nxt.capitalised or nxt.text[:1].isdigit():
        return True
    low = nxt.low
    if low in _FUNCTION or low in lex.verbs or low in EN_PRONOUNS:
        return True
    return low.endswith(("ed", "ly")) or (low.endswith("s") and not low.endswith("ss"))


def _common_word(word: str, lex: Lexicon) -> bool:
    """Whether a sentence-initial capitalised word is an ordinary word rather than a name."""
    if word in lex.nouns or word in lex.person_nouns["en"] or word in lex.verbs:
        return True
    if word in lex.places or first_name_gender(word)[0] is not None:
        return False
    return word.endswith(("ed", "ing", "ly")) or word in _INTRO_WORDS or word in _QUANTIFIERS


def _first_word(toks: list[Tok]) -> int:
    for k, t in enumerate(toks):
        if t.is_word and not t.quoted:
            return k
    return 0


def _subject_start(toks: list[Tok]) -> int:
    """Index of the first token of the main clause's subject (after a quotation or introduction)."""
    k = 0
    while k < len(toks) and (toks[k].quoted or not toks[k].is_word):
        k += 1
    if k >= len(toks):
        return k
    first = toks[k].low
    if first in _INTRO_WORDS or first.endswith(("ed", "ing", "ly")) or first[:1].isdigit():
        for j in range(k + 1, min(len(toks), k + 16)):
            if toks[j].text == "," and not toks[j].quoted:
                return j + 1
    return k


def _subject_head(toks: list[Tok], start: int, lex: Lexicon) -> int | None:
    """Index of the last word of the subject noun phrase that starts at ``start``, if any."""
    k = start
    while k < len(toks) and toks[k].is_word and (
            toks[k].low in _DETERMINERS or toks[k].possessive or toks[k].low in _QUANTIFIERS
            or toks[k].text[:1].isdigit() or toks[k].low == "of"):
        k += 1  # "the", "Germany's", "Thousands of", "Most of the"
    head = None
    for j in range(k, min(len(toks), k + 5)):
        t = toks[j]
        if t.quoted or not t.is_word:
            break
        if head is not None and _ends_noun_phrase(lex, t) and not t.capitalised:
            break
        if head is None and (t.low in _FUNCTION or t.low in lex.verbs):
            return None
        head = j
    return head


def _after_preposition(toks: list[Tok], i: int) -> bool:
    """Whether the phrase ending at token ``i`` is the object of a preposition."""
    j = i - 1
    # walk back over the rest of the name or noun phrase
    steps = 0
    while j >= 0 and steps < 6:
        t = toks[j]
        if not t.is_word or t.quoted:
            return False
        if t.low in _PREPOSITIONS:
            return True
        if t.low in _FUNCTION - _DETERMINERS or t.low in lexicon().verbs or t.low.endswith("ed") or t.possessive:
            return False
        j -= 1
        steps += 1
    return False


def _apposition_partner(toks: list[Tok], j: int, mention: Mention,
                        earlier: list[tuple[int, Mention]]) -> Mention | None:
    """The earlier person mention that ``mention`` stands in apposition to, if any.

    'the spokesman for the Russian presidency, Dmitry Peskov,' and 'Alexei Smirnov, acting
    governor of the region': a role noun and a name, separated by a comma, no verb between.
    """
    if mention.entity.kind != "person":
        return None
    for i, first in reversed(earlier):
        kinds = {_key_kind(first.entity), _key_kind(mention.entity)}
        if kinds != {"role", "person"}:
            continue
        between = toks[i + 1:j]
        words = [t for t in between if t.is_word]
        if not between or "," not in (between[0].text, between[-1].text) or len(words) > 7:
            return None
        if any(t.low in lexicon().verbs or t.low in ("and", "or", "who", "which") for t in words):
            return None
        return first
    return None


_COPULAS = frozenset("is was are were be been become became becomes remains remained appointed "
                     "named elected made served serves as".split())


def _predicate(toks: list[Tok], i: int) -> bool:
    """Whether the noun phrase starting at ``i`` follows a copula ('was appointed chief executive')."""
    j = i - 1
    while j >= 0 and toks[j].is_word and (toks[j].low in _DETERMINERS or toks[j].low in
                                           lexicon().person_nouns["en"] or toks[j].low in ("new", "former", "acting", "interim")):
        j -= 1
    return j >= 0 and toks[j].low in _COPULAS


def _key_kind(ent: Entity) -> str:
    return ent.key.split("@")[0].split(":")[0]


def _pronoun_weight(toks: list[Tok], i: int, subject_start: int) -> float:
    if EN_PRONOUNS[toks[i].low][1] in ("possessive", "her"):
        return POSSESSOR
    if toks[i].low in ("he", "she") and i >= subject_start:
        return SUBJECT
    return OBJECT


def _attributes_quotation(toks: list[Tok], i: int, lex: Lexicon) -> bool:
    """Whether the pronoun at ``i`` names the speaker of a quotation in its sentence.

    The speaker of "“...,” she said" is often someone the text has not introduced (a
    spokeswoman), so neither an organisation nor a named person nearby settles who it is.
    """
    if toks[i].low not in ("he", "she") or not any(t.quoted for t in toks):
        return False
    after = toks[i + 1:i + 3]
    before = toks[i - 1] if i > 0 else None
    return any(t.low in lex.speech_verbs for t in after if t.is_word) or (
        before is not None and before.low in lex.speech_verbs)


def _coordinated(toks: list[Tok], i: int) -> bool:
    """Whether the pronoun at ``i`` is half of "he or she", "his/her", "him and her"."""
    for a, b in ((i - 2, i - 1), (i + 1, i + 2)):
        if 0 <= a and b < len(toks) and toks[a if a < i else b].low in EN_PRONOUNS and \
                toks[b if a < i else a].low in ("or", "and", "/"):
            return True
    return False


def _her_form(toks: list[Tok], i: int) -> str:
    """'her' as a possessive (her visit) or an object (met her)."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None or not nxt.is_word:
        return "object"
    if nxt.low in _FUNCTION or nxt.low in lexicon().verbs or nxt.low.endswith("ly"):
        return "object"
    return "possessive"


def _standalone(toks: list[Tok], i: int) -> bool:
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return nxt is None or not nxt.is_word or nxt.low in _FUNCTION


def english_cases(doc: Document) -> list[PronounCase]:
    """Resolve the pronouns of an English document (rules only) and return the contradictions.

    A second pass trusts the document over a first-name guess: when every pronoun that
    clearly refers to a person contradicts the gender guessed from the first name (two or
    more of them), the document's own usage wins.
    """
    first = EnglishDiscourse(doc).run()
    overrides: dict[str, str] = {}
    for key, votes in first.votes.items():
        ent = first.entities[key]
        if ent.gender_source not in ("name", "name-weak") or ent.gender is None:
            continue
        other = "m" if ent.gender == "f" else "f"
        if votes.get(ent.gender, 0) == 0 and votes.get(other, 0) >= 2:
            overrides[key] = other
    if not overrides:
        return first.cases
    return EnglishDiscourse(doc, overrides).run().cases
