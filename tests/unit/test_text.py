"""Segmentation: sentence and heading spans with exact offsets."""
from __future__ import annotations

import pytest

from qa.text import line_col, line_starts, segment_text, word_count, words


def sentences(text: str) -> list[str]:
    return [s.text for s in segment_text(text)]


@pytest.mark.parametrize("text,expected", [
    ("Mr. Smith arrived. He sat down.", ["Mr. Smith arrived.", "He sat down."]),
    ("Dr. Jones met Mrs. Brown in the U.S. capital. They talked.",
     ["Dr. Jones met Mrs. Brown in the U.S. capital.", "They talked."]),
    ("Growth was 3.5 per cent in 2023. Prices rose.", ["Growth was 3.5 per cent in 2023.", "Prices rose."]),
    ("“I came. I saw,” he said. Then he left.", ["“I came. I saw,” he said.", "Then he left."]),
    ("He urged them to “follow the rules.” Nobody did.", ["He urged them to “follow the rules.”", "Nobody did."]),
    ("She said: \"Go. Now.\" Then silence.", ["She said: \"Go. Now.\"", "Then silence."]),
    ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
    ("J. R. R. Tolkien wrote it. Everyone read it.", ["J. R. R. Tolkien wrote it.", "Everyone read it."]),
    ("Es kostet z.B. 3,5 Mio. Euro. Das ist viel.", ["Es kostet z.B. 3,5 Mio. Euro.", "Das ist viel."]),
    ("M. Dupont est arrivé. Il a parlé.", ["M. Dupont est arrivé.", "Il a parlé."]),
    ("Прибыл г. Иванов. Он говорил.", ["Прибыл г. Иванов.", "Он говорил."]),
    ("他来了。她走了。", ["他来了。", "她走了。"]),
])
def test_sentence_boundaries(text, expected):
    assert sentences(text) == expected


def test_paragraphs_and_headings_are_segments_of_their_own():
    text = "First paragraph ends here.\r\nLong way\r\n\r\nSecond paragraph. It has two sentences.\n"
    segs = segment_text(text)
    assert [s.kind for s in segs] == ["sentence", "heading", "sentence", "sentence"]
    assert [s.paragraph for s in segs] == [0, 1, 2, 2]
    for s in segs:
        assert text[s.start:s.end] == s.text


def test_hard_wrapped_lines_continue_a_paragraph():
    text = "This sentence was wrapped\nby an editor at eighty columns. Next one.\n"
    assert sentences(text) == ["This sentence was wrapped\nby an editor at eighty columns.", "Next one."]


def test_offsets_are_exact_on_the_example(example_text):
    segs = segment_text(example_text)
    for seg in segs:
        assert example_text[seg.start:seg.end] == seg.text
        assert seg.text == seg.text.strip()
    assert [s.text for s in segs if s.kind == "heading"] == ["Long way"]
    # one segment per sentence: no segment starts with a lower-case letter or ends mid-sentence
    for seg in segs:
        if seg.kind == "sentence":
            assert seg.text[-1] in ".!?”\"", seg.text
            assert not seg.text[0].islower(), seg.text
    assert not any(s.text.startswith("Sybiga") or s.text.endswith("Mr.") for s in segs)
    # the paragraph with two sentences ("... visit. She is due ...") is split in two
    assert any(s.text.startswith("She is due to meet") for s in segs)


def test_words_keep_apostrophes_and_hyphens():
    assert [w for _, _, w in words("kyiv’s counter-offensive isn't over")] == ["kyiv’s", "counter-offensive", "isn't", "over"]
    assert word_count("Hello world") == 2
    assert word_count("他来了") == 3


def test_line_and_column_are_one_based_for_all_line_ends():
    text = "ab\r\ncd\ref\ngh"
    starts = line_starts(text)
    assert line_col(starts, text.index("c")) == (2, 1)
    assert line_col(starts, text.index("f")) == (3, 2)
    assert line_col(starts, text.index("h")) == (4, 2)


def test_large_text_segments_in_linear_time():
    import time

    para = "The minister said on Monday that 3.5 per cent growth was expected. Mr. Smith disagreed.\n"
    small, big = para * 2000, para * 20000
    t0 = time.perf_counter(); segment_text(small); t_small = time.perf_counter() - t0
    t0 = time.perf_counter(); segs = segment_text(big); t_big = time.perf_counter() - t0
    assert len(segs) == 40000
    assert t_big < t_small * 30  # 10x the input must not cost 100x (quadratic) the time
