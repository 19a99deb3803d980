"""Time qa.metrics.document_metrics on a WMT17 system output (3,004 lines) against its reference.

Usage: python bench/metrics_speed.py [--lines N] [--split]
``--split`` writes the translation as paragraphs of three lines, so the reference must be aligned
by sentence instead of by line.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import metrics  # noqa: E402
from qa.config import Config  # noqa: E402
from qa.readers.text import text_document  # noqa: E402

WMT = ROOT / "tests" / "data" / "sacrebleu" / "wmt17_en-de"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=3004)
    parser.add_argument("--split", action="store_true")
    args = parser.parse_args()
    hyp = (WMT / "newstest2017.uedin-nmt.4722.en-de.de.txt").read_text(encoding="utf-8").split("\n")[:args.lines]
    ref = (WMT / "newstest2017.en-de.ref.de").read_text(encoding="utf-8").split("\n")[:args.lines]
    text = ("\n\n".join(" ".join(hyp[i:i + 3]) for i in range(0, len(hyp), 3)) if args.split else "\n".join(hyp)) + "\n"
    doc = text_document("hyp.txt", text, Config(target_lang="de"), reference_text="\n".join(ref) + "\n")
    started = time.perf_counter()
    rows = metrics.aligned_rows(doc)
    aligned = time.perf_counter()
    result = metrics.document_metrics(doc)
    done = time.perf_counter()
    print(f"{args.lines} lines, pairing {rows.method} ({len(rows.hyps)} rows): pairing {aligned - started:.1f} s, "
          f"all metrics incl. pairing and sentence scores {done - aligned:.1f} s; "
          f"BLEU {result['bleu']:.2f} chrF {result['chrf']:.2f} TER {result['ter']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
