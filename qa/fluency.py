"""Language-model scoring: load a causal LM offline, score tokens, sentences and alternatives.

The :class:`Scorer` wraps a Hugging Face causal language model and its tokenizer. It gives

* :meth:`Scorer.token_logprobs` — the log-probability of every token of a text given an
  optional context, with each token's character span in the text (used by adequacy checks);
* :meth:`Scorer.score_alternatives` — total log-probability of a sentence and of variants
  of it (a suggested fix applied), in one batch (used by the pronoun, casing and name checks);
* :func:`score_segments` — a :class:`SegmentFluency` per segment of a document: mean token
  log-probability, perplexity and a 0..100 fluency score.

Models come from installed packages named in ``models/manifest.toml`` (default Gemma 3 270M,
GGUF, de-quantised once into ``models/cache/<name>/`` as safetensors) or from a local Hugging
Face model directory. Nothing is downloaded. Scores are kept in a persistent SQLite cache keyed
by model, text and context, so re-checking mostly unchanged files costs almost nothing.

Speed on a CPU comes from: sorting texts by length and batching them under a token budget
(little padding), running the transformer body once per batch, and applying the (large)
output layer only at the positions whose next token is scored, in chunks, instead of
computing a full-vocabulary softmax over every position.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import json
import math
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .config import Config
from .model import Document, Segment

# Idle OpenMP threads sleep instead of spinning: on a shared or busy CPU spinning threads made
# inference several times slower (see docs/benchmarks.md). Only effective before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

REPO_ROOT = Path(__file__).resolve().parent.parent
MANIFEST_PATH = REPO_ROOT / "models" / "manifest.toml"
# Bump when the way scores are computed changes, so cached scores are not reused.
SCORER_VERSION = "1"
# Tokens of context kept before the scored text (older context is dropped).
MAX_CONTEXT_TOKENS = 256
# Tokens of one text scored at most (a longer unit is scored on its beginning only).
MAX_TEXT_TOKENS = 2048
# Per-token surprisal cap (nats) used for the sentence score: one unknown name or number
# must not sink a whole sentence.
SURPRISAL_CAP = 12.0


class ModelUnavailable(Exception):
    """The language model cannot be loaded; the message says what to install or fix."""


@dataclass(frozen=True)
class TokenScores:
    """Log-probability of each token of a text given its context.

    ``tokens`` are the model's token strings, ``spans`` their ``(start, end)`` character
    offsets into the scored text exactly as given (a token that also covers the space
    joining it to the context starts at 0), ``logprobs`` natural-log probabilities.
    """

    tokens: list[str]
    spans: list[tuple[int, int]]
    logprobs: list[float]

    @property
    def total(self) -> float:
        """Sum of the token log-probabilities (log-probability of the whole text)."""
        return float(sum(self.logprobs))

    @property
    def mean(self) -> float:
        """Mean token log-probability (0.0 for an empty text)."""
        return self.total / len(self.logprobs) if self.logprobs else 0.0

    def to_json(self) -> str:
        return json.dumps([self.tokens, [list(s) for s in self.spans],
                           [round(x, 5) for x in self.logprobs]], ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> "TokenScores":
        tokens, spans, logprobs = json.loads(data)
        return cls(list(tokens), [(int(a), int(b)) for a, b in spans], [float(x) for x in logprobs])


@dataclass(frozen=True)
class SegmentFluency:
    """Fluency of one segment.

    ``logprob_mean`` is the plain mean token log-probability (nats), ``perplexity`` its
    ``exp(-mean)``; ``logprob_adjusted`` the mean after discounting tokens of numbers and
    rare names and capping each token's surprisal; ``relative`` that minus what the model's
    calibration expects for a fluent sentence of the same token length (short sentences score
    lower on average), from which ``fluency`` (0..100) is computed. ``worst`` holds the character spans (into the segment text) of the least
    expected words, worst first.
    """

    logprob_mean: float
    perplexity: float
    fluency: float
    logprob_adjusted: float
    tokens: int
    relative: float = 0.0
    worst: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class ModelSpec:
    """One model of the manifest (or a local model directory)."""

    key: str
    name: str
    package: str | None = None
    module: str | None = None
    loader: str = "hf-dir"
    file: str | None = None
    start_token: str | None = None
    licence: str = ""
    languages: tuple[str, ...] = ("*",)
    center: float = -5.0
    scale: float = 0.8
    length_slope: float = 0.0
    by_language: dict[str, dict[str, float]] = field(default_factory=dict)
    path: str | None = None
    aliases: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------------------------------------
# Manifest and weights


def load_manifest(path: Path = MANIFEST_PATH) -> dict[str, ModelSpec]:
    """The models of the manifest by key (``gemma3``, ``smollm2``, ...)."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    specs = {}
    for key, entry in data.get("models", {}).items():
        calibration = entry.get("calibration", {})
        specs[key] = ModelSpec(
            key=key, name=entry.get("name", key), package=entry.get("package"),
            module=entry.get("module"), loader=entry.get("loader", "hf-dir"), file=entry.get("file"),
            start_token=entry.get("start_token"), licence=entry.get("licence", ""),
            languages=tuple(entry.get("languages", ["*"])),
            center=float(calibration.get("center", -5.0)), scale=float(calibration.get("scale", 0.8)),
            length_slope=float(calibration.get("length_slope", 0.0)),
            by_language={k: dict(v) for k, v in calibration.get("by_language", {}).items()},
            aliases=tuple(entry.get("aliases", ())),
        )
    return specs


def resolve_model(model: str | None) -> ModelSpec:
    """The spec of ``model``: a manifest key or alias, or a path to a local model directory."""
    model = (model or "gemma3").strip()
    specs = load_manifest()
    for spec in specs.values():
        if model.lower() in (spec.key, spec.name, *spec.aliases):
            return spec
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").exists():
            raise ModelUnavailable(f"{path} is not a Hugging Face model directory (no config.json)")
        return ModelSpec(key=str(path), name=path.resolve().name, path=str(path.resolve()))
    known = ", ".join(sorted(specs))
    raise ModelUnavailable(f"unknown model {model!r}: use one of {known} or the path of a local model directory")


def model_cache_root() -> Path:
    """Where converted weights live: ``models/cache`` in the checkout, else ``~/.cache/qa/models``."""
    override = os.environ.get("QA_MODEL_CACHE")
    if override:
        return Path(override).expanduser()
    local = REPO_ROOT / "models"
    if local.is_dir() and os.access(local, os.W_OK):
        return local / "cache"
    return _user_cache_dir() / "models"


def _user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qa"


def _is_converted(directory: Path) -> bool:
    return (directory / "config.json").exists() and (directory / "model.safetensors").exists() \
        and (directory / "tokenizer.json").exists()


def converted_weights(spec: ModelSpec, cache_root: Path | None = None) -> Path:
    """Directory of the model's safetensors weights, converting the packaged GGUF on first use.

    Conversion writes into a temporary directory beside the target and renames it into
    place, so several processes starting at once never see half-written weights.
    """
    if spec.path:
        return Path(spec.path)
    root = cache_root or model_cache_root()
    final = root / spec.name
    if _is_converted(final):
        return final
    if not spec.module or importlib.util.find_spec(spec.module) is None:
        raise ModelUnavailable(
            f"the fluency model {spec.key!r} needs the Python package {spec.package!r}: "
            f"pip install {spec.package} (or run with --no-fluency)")
    print(f"qa: converting {spec.name} from the package {spec.package} into {final} "
          "(once; this takes about a minute)...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{spec.name}-", dir=root))
    try:
        gguf = _gguf_file(spec, work)
        out = work / "out"
        _convert_gguf(gguf, out, spec)
        try:
            os.rename(out, final)
        except OSError:
            if not _is_converted(final):  # not a lost race with another process
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"qa: converted {spec.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return final


def _gguf_file(spec: ModelSpec, work: Path) -> Path:
    """The GGUF file of a packaged model (assembled into ``work`` when it ships in chunks)."""
    if spec.loader == "gguf-assemble":
        module = importlib.import_module(spec.module or "")
        return Path(module.assemble(work / (spec.file or "model.gguf")))
    if spec.loader == "gguf-file":
        found = importlib.util.find_spec(spec.module or "")
        if found is None or not found.submodule_search_locations:
            raise ModelUnavailable(f"pip install {spec.package}")
        path = Path(list(found.submodule_search_locations)[0]) / (spec.file or "")
        if not path.exists():
            raise ModelUnavailable(f"{path} is missing: reinstall {spec.package}")
        return path
    raise ModelUnavailable(f"unknown loader {spec.loader!r} in models/manifest.toml")


def _convert_gguf(gguf: Path, out: Path, spec: ModelSpec) -> None:
    """De-quantise a GGUF model to float32 safetensors plus tokenizer files in ``out``."""
    import torch
    from safetensors.torch import save_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    _quiet_transformers()
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    out.mkdir(parents=True)
    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.save_pretrained(str(out))
    save_model(model, str(out / "model.safetensors"))
    tokenizer.save_pretrained(str(out))
    (out / "qa-source.json").write_text(json.dumps(
        {"package": spec.package, "file": spec.file, "licence": spec.licence,
         "converted_with": "transformers gguf_file, float32"}, indent=1), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Persistent score cache


class ScoreCache:
    """SQLite cache of :class:`TokenScores` keyed by model, text and context.

    Safe for several processes (WAL journal, busy timeout); any database error turns the
    cache off for the rest of the run instead of failing the check.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self.enabled = True
        self.hits = 0
        self.misses = 0

    def _connection(self) -> sqlite3.Connection | None:
        if not self.enabled:
            return None
        conn = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "pid", None) == os.getpid():
            return conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS scores (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
            conn.commit()
        except (sqlite3.Error, OSError) as error:
            self._disable(error)
            return None
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _disable(self, error: Exception) -> None:
        self.enabled = False
        print(f"qa: warning: score cache {self.path} is off: {error}", file=sys.stderr)

    def get_many(self, keys: Sequence[str]) -> dict[str, TokenScores]:
        """Cached scores of those ``keys`` that are present."""
        conn = self._connection()
        found: dict[str, TokenScores] = {}
        if conn is None or not keys:
            return found
        unique = list(dict.fromkeys(keys))
        try:
            for i in range(0, len(unique), 500):
                chunk = unique[i:i + 500]
                marks = ",".join("?" * len(chunk))
                for key, value in conn.execute(f"SELECT k, v FROM scores WHERE k IN ({marks})", chunk):
                    found[key] = TokenScores.from_json(value)
        except (sqlite3.Error, ValueError) as error:
            self._disable(error)
        self.hits += len(found)
        self.misses += len(unique) - len(found)
        return found

    def put_many(self, items: dict[str, TokenScores]) -> None:
        """Store ``items`` (key -> scores)."""
        conn = self._connection()
        if conn is None or not items:
            return
        try:
            conn.executemany("INSERT OR REPLACE INTO scores (k, v) VALUES (?, ?)",
                             [(k, v.to_json()) for k, v in items.items()])
            conn.commit()
        except sqlite3.Error as error:
            self._disable(error)


def score_cache_path(config: Config) -> Path | None:
    """The SQLite file of the score cache, or None when ``cache_dir`` is ``off``/``none``."""
    cache_dir = config.cache_dir or os.environ.get("QA_CACHE_DIR")
    if cache_dir and cache_dir.lower() in ("off", "none", "false", "0"):
        return None
    base = Path(cache_dir).expanduser() if cache_dir else _user_cache_dir()
    return base / "scores.sqlite"


# ---------------------------------------------------------------------------------------------
# The scorer


@dataclass
class _Item:
    """One text to score: its token ids with context, and where the scored tokens start."""

    ids: list[int]
    first: int
    tokens: list[str]
    spans: list[tuple[int, int]]


def _joiner(context: str, text: str) -> str:
    """What joins a context to the text: a space, unless either side already has one or is CJK."""
    if not context or not text or context[-1].isspace() or text[0].isspace():
        return ""
    if _is_cjk(context[-1]) or _is_cjk(text[0]):
        return ""
    return " "


def _common_prefix(sequences: list[list[int]]) -> int:
    """Length of the longest prefix shared by all ``sequences``."""
    length = 0
    for column in zip(*sequences):
        if any(value != column[0] for value in column):
            break
        length += 1
    return length


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uff00" <= ch <= "\uffef"


class Scorer:
    """A causal language model that scores texts token by token.

    ``model`` and ``tokenizer`` are the loaded Hugging Face objects (other checks may use
    them directly); ``name`` identifies the model in reports and in the score cache.
    """

    def __init__(self, model: Any, tokenizer: Any, *, name: str, languages: Sequence[str] = ("*",),
                 start_token: str | None = None, device: str = "cpu", cache: ScoreCache | None = None,
                 fingerprint: str | None = None, center: float = -5.0, scale: float = 0.8,
                 length_slope: float = 0.0, by_language: dict[str, dict[str, float]] | None = None,
                 batch_tokens: int = 2048, max_batch: int = 64, head_chunk: int = 128) -> None:
        import torch

        self.model = model.eval()
        self.tokenizer = tokenizer
        self.name = name
        self.languages = tuple(languages)
        self.device = device
        self.cache = cache
        self.fingerprint = f"{fingerprint or name}|v{SCORER_VERSION}"
        self.center = center
        self.scale = scale
        self.length_slope = length_slope
        self.by_language = dict(by_language or {})
        self.batch_tokens = batch_tokens
        self.max_batch = max_batch
        self.head_chunk = head_chunk
        self.start_id = self._start_id(start_token)
        pad = tokenizer.pad_token_id
        self.pad_id = pad if pad is not None else self.start_id
        self._body = model.base_model
        head = model.get_output_embeddings()
        self._head_weight = head.weight
        self._head_bias = getattr(head, "bias", None)
        self._softcap = getattr(model.config, "final_logit_softcapping", None)
        parameters = inspect.signature(self._body.forward).parameters
        self._cache_arg = "cache" if "cache" in parameters else "past_key_values"
        self._torch = torch
        self._lock = threading.Lock()

    def _start_id(self, start_token: str | None) -> int:
        tok = self.tokenizer
        for candidate in (start_token, tok.bos_token, tok.eos_token):
            if candidate:
                token_id = tok.convert_tokens_to_ids(candidate)
                if token_id is not None and token_id != tok.unk_token_id:
                    return int(token_id)
        raise ModelUnavailable(f"the tokenizer of {self.name} has no start token")

    # -- public API ---------------------------------------------------------------------------

    def token_logprobs(self, texts: list[str], contexts: list[str] | None = None) -> list[TokenScores]:
        """Log-probability of each token of every text given its context (none when omitted).

        Spans are character offsets into each text as given. Results come from the score
        cache where possible; the rest are computed in length-sorted batches.
        """
        if contexts is None:
            contexts = [""] * len(texts)
        if len(contexts) != len(texts):
            raise ValueError("token_logprobs: texts and contexts differ in length")
        keys = [self._key(t, c) for t, c in zip(texts, contexts)]
        found = self.cache.get_many(keys) if self.cache is not None else {}
        todo = {k: (t, c) for k, t, c in zip(keys, texts, contexts) if k not in found}
        if todo:
            computed = self._compute(list(todo.values()))
            new = dict(zip(todo, computed))
            if self.cache is not None:
                self.cache.put_many(new)
            found.update(new)
        return [found[k] for k in keys]

    def score_alternatives(self, context: str, original: str, candidates: list[str]) -> list[float]:
        """Total log-probability of ``[original, *candidates]``, each given ``context``, in one batch.

        The context and any opening words the variants share are run through the model once
        (shared key/value cache); only the differing tails are computed per variant. Compare
        the values directly (higher reads better); they are sums over tokens, so variants of
        different token length are compared as whole sentences. Results are cached like
        :meth:`token_logprobs` results.
        """
        texts = [original, *candidates]
        keys = [self._key(t, context) for t in texts]
        found = self.cache.get_many(keys) if self.cache is not None else {}
        if len(found) < len(set(keys)):
            computed = self._compute_shared(texts, context)
            new = {k: v for k, v in zip(keys, computed) if k not in found}
            if self.cache is not None:
                self.cache.put_many(new)
            found.update(new)
        return [found[k].total for k in keys]

    def calibration(self, lang: str | None) -> tuple[float, float, float]:
        """``(center, scale, length_slope)`` of the fluency mapping for target language ``lang``."""
        own = self.by_language.get((lang or "").split("-")[0].lower(), {})
        return (float(own.get("center", self.center)), float(own.get("scale", self.scale)),
                float(own.get("length_slope", self.length_slope)))

    def sentence_scores(self, texts: list[str], contexts: list[str] | None = None) -> list[float]:
        """Mean token log-probability of each text (convenience for ranking)."""
        return [s.mean for s in self.token_logprobs(texts, contexts)]

    # -- internals ----------------------------------------------------------------------------

    def _key(self, text: str, context: str) -> str:
        raw = "\x1f".join((self.fingerprint, context, text)).encode("utf-8", "surrogatepass")
        return hashlib.sha256(raw).hexdigest()

    def _encode(self, text: str, context: str) -> _Item:
        prefix = context + _joiner(context, text) if context else ""
        full = prefix + text
        if not full:
            return _Item([self.start_id], 1, [], [])
        enc = self.tokenizer(full, add_special_tokens=False, return_offsets_mapping=True)
        ids, offsets = list(enc["input_ids"]), list(enc["offset_mapping"])
        cut = len(prefix)
        first = next((i for i, (_, end) in enumerate(offsets) if end > cut), len(ids))
        context_ids = ids[:first][-MAX_CONTEXT_TOKENS:]
        text_ids = ids[first:first + MAX_TEXT_TOKENS]
        spans = [(max(start, cut) - cut, max(end, cut) - cut) for start, end in offsets[first:first + MAX_TEXT_TOKENS]]
        tokens = self.tokenizer.convert_ids_to_tokens(text_ids)
        return _Item([self.start_id, *context_ids, *text_ids], 1 + len(context_ids), list(tokens), spans)

    def _compute(self, pairs: list[tuple[str, str]]) -> list[TokenScores]:
        if self.device == "cpu" and len(pairs) > 8:
            _set_threads(self.device)  # the machine's load may have changed since loading
        items = [self._encode(text, context) for text, context in pairs]
        results: list[list[float] | None] = [None] * len(items)
        order = sorted(range(len(items)), key=lambda i: len(items[i].ids))
        with self._lock:
            for batch in self._batches(order, items):
                for index, logprobs in zip(batch, self._forward([items[i] for i in batch])):
                    results[index] = logprobs
        return [TokenScores(it.tokens, it.spans, res or []) for it, res in zip(items, results)]

    def _compute_shared(self, texts: list[str], context: str) -> list[TokenScores]:
        """Score variants of one sentence after one context, running their common token prefix once.

        The longest token prefix shared by all variants (the start token, the context and any
        identical opening words) goes through the transformer once; its key/value cache is
        repeated for the variants, and only their differing tails are computed. Falls back to
        the plain batch when the model has no usable cache.
        """
        items = [self._encode(text, context) for text in texts]
        if len(items) < 2 or any(not it.tokens for it in items):
            return self._compute([(text, context) for text in texts])
        shared = _common_prefix([it.ids for it in items])
        shared = min(shared, min(len(it.ids) for it in items) - 1)  # every variant keeps a tail
        try:
            with self._lock:
                values = self._forward_shared(items, shared)
        except (TypeError, ValueError, AttributeError, RuntimeError):
            return self._compute([(text, context) for text in texts])
        return [TokenScores(it.tokens, it.spans, v) for it, v in zip(items, values)]

    def _forward_shared(self, items: list[_Item], shared: int) -> list[list[float]]:
        torch = self._torch
        device = self.device
        prefix = torch.tensor([items[0].ids[:shared]], device=device)
        with torch.inference_mode():
            head = self._body(input_ids=prefix, use_cache=True)
            cache = head.past_key_values
            cache.batch_repeat_interleave(len(items))
            length = max(len(it.ids) - shared for it in items)
            tails = torch.full((len(items), length), self.pad_id, dtype=torch.long)
            mask = torch.zeros((len(items), shared + length), dtype=torch.long)
            mask[:, :shared] = 1
            for row, it in enumerate(items):
                tail = it.ids[shared:]
                tails[row, :len(tail)] = torch.tensor(tail)
                mask[row, shared:shared + len(tail)] = 1
            positions = torch.arange(shared, shared + length, device=device)[None].expand(len(items), -1)
            body = self._body(input_ids=tails.to(device), attention_mask=mask.to(device), **{self._cache_arg: cache},
                              position_ids=positions, cache_position=positions[0], use_cache=True)
            prefix_hidden, tail_hidden = head.last_hidden_state[0], body.last_hidden_state
            picked, targets, counts = [], [], []
            for row, it in enumerate(items):
                # token i is predicted by the hidden state at position i - 1
                for i in range(it.first, len(it.ids)):
                    picked.append(prefix_hidden[i - 1] if i - 1 < shared else tail_hidden[row, i - 1 - shared])
                    targets.append(it.ids[i])
                counts.append(len(it.ids) - it.first)
            values = self._target_logprobs(torch.stack(picked), torch.tensor(targets, device=device)).tolist()
        out, position = [], 0
        for n in counts:
            out.append(values[position:position + n])
            position += n
        return out

    def _batches(self, order: list[int], items: list[_Item]) -> Iterable[list[int]]:
        """Groups of similar length whose padded size stays within the token budget."""
        batch: list[int] = []
        for index in order:
            if not items[index].tokens:
                yield [index]
                continue
            longest = len(items[index].ids)  # sorted ascending: the newest is the longest
            if batch and ((len(batch) + 1) * longest > self.batch_tokens or len(batch) >= self.max_batch):
                yield batch
                batch = []
            batch.append(index)
        if batch:
            yield batch

    def _forward(self, batch: list[_Item]) -> list[list[float]]:
        torch = self._torch
        scored = [it for it in batch if it.tokens]
        if not scored:
            return [[] for _ in batch]
        length = max(len(it.ids) for it in scored)
        input_ids = torch.full((len(scored), length), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(scored), length), dtype=torch.long)
        rows, cols, targets = [], [], []
        for row, it in enumerate(scored):
            n = len(it.ids)
            input_ids[row, :n] = torch.tensor(it.ids)
            mask[row, :n] = 1
            rows.extend([row] * (n - it.first))
            cols.extend(range(it.first - 1, n - 1))
            targets.extend(it.ids[it.first:])
        with torch.inference_mode():
            hidden = self._body(input_ids=input_ids.to(self.device), attention_mask=mask.to(self.device),
                                use_cache=False).last_hidden_state
            picked = hidden[torch.tensor(rows, device=hidden.device), torch.tensor(cols, device=hidden.device)]
            values = self._target_logprobs(picked, torch.tensor(targets, device=hidden.device)).tolist()
        out: list[list[float]] = []
        position = 0
        for it in batch:
            n = len(it.ids) - it.first if it.tokens else 0
            out.append(values[position:position + n])
            position += n
        return out

    def _target_logprobs(self, hidden: Any, targets: Any) -> Any:
        """log p(target) from final hidden states, applying the output layer in chunks of rows.

        The log-normaliser is computed in float32 as ``max + log(sum(exp(logits - max)))`` in
        place, which is several times faster on a CPU than ``torch.logsumexp`` over Gemma's
        262k-token vocabulary and numerically the same.
        """
        torch = self._torch
        parts = []
        for start in range(0, hidden.shape[0], self.head_chunk):
            h = hidden[start:start + self.head_chunk].to(self._head_weight.dtype)
            logits = torch.nn.functional.linear(h, self._head_weight, self._head_bias).float()
            if self._softcap:
                logits = torch.tanh(logits / self._softcap) * self._softcap
            chosen = logits.gather(1, targets[start:start + self.head_chunk, None])[:, 0]
            top = logits.amax(dim=-1, keepdim=True)
            norm = logits.sub_(top).exp_().sum(dim=-1).log_() + top[:, 0]
            parts.append(chosen - norm)
        return torch.cat(parts).cpu()


# ---------------------------------------------------------------------------------------------
# Loading

_SCORERS: dict[tuple[str, ...], Scorer] = {}
_LOAD_LOCK = threading.Lock()


def resolve_device(device: str | None) -> str:
    """``auto`` -> ``cuda`` when a GPU is usable, else ``cpu``."""
    import torch

    device = (device or "auto").lower()
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ModelUnavailable("--device cuda was asked for but torch sees no CUDA device")
    return device


def load_scorer(config: Config) -> Scorer:
    """The scorer of ``config.model`` on ``config.device`` (cached per model, device and cache).

    Raises :class:`ModelUnavailable` (naming the package to install) when it cannot be loaded.
    """
    spec = resolve_model(config.model)
    try:
        device = resolve_device(config.device)
    except ImportError as error:
        raise ModelUnavailable(f"fluency scoring needs torch and transformers ({error})") from error
    cache_path = score_cache_path(config)
    dtype_name = config.extra.get("dtype") if config.extra else None
    key = (spec.key, device, str(cache_path), str(dtype_name))
    with _LOAD_LOCK:
        if key not in _SCORERS:
            _SCORERS[key] = _load(spec, device, cache_path, dtype_name)
        return _SCORERS[key]


def pick_dtype(device: str, name: str | None = None) -> Any:
    """Weights' dtype: ``name`` if given (float32 / bfloat16), else bfloat16 where the CPU computes
    it natively (AVX512-BF16 / AMX; several times faster, same ranking, see docs/benchmarks.md)
    or on a GPU, float32 otherwise."""
    import torch

    name = (name or os.environ.get("QA_DTYPE") or "auto").lower()
    if name in ("float32", "fp32"):
        return torch.float32
    if name in ("bfloat16", "bf16"):
        return torch.bfloat16
    if device != "cpu":
        return torch.bfloat16
    try:
        native = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        native = False
    return torch.bfloat16 if native else torch.float32


def _load(spec: ModelSpec, device: str, cache_path: Path | None, dtype_name: str | None = None) -> Scorer:
    try:
        import torch
        from transformers import AutoModelForCausalLM
    except ImportError as error:
        raise ModelUnavailable(f"fluency scoring needs torch and transformers ({error})") from error
    directory = converted_weights(spec)
    _set_threads(device)
    dtype = pick_dtype(device, dtype_name)
    _quiet_transformers()
    try:
        tokenizer = _load_tokenizer(directory, packaged=spec.path is None)
        weights = _bfloat16_copy(directory) if spec.path is None and dtype == torch.bfloat16 else directory
        model = AutoModelForCausalLM.from_pretrained(str(weights), dtype=dtype).to(device)
    except (OSError, ValueError) as error:
        raise ModelUnavailable(f"cannot load the model in {directory}: {error}") from error
    if not getattr(tokenizer, "is_fast", False):
        raise ModelUnavailable(f"the tokenizer in {directory} is not a fast tokenizer (character offsets are needed)")
    fingerprint = f"{spec.name}|{_weights_stamp(directory)}|{dtype}"
    cache = ScoreCache(cache_path) if cache_path else None
    return Scorer(model, tokenizer, name=spec.name, languages=spec.languages, start_token=spec.start_token,
                  device=device, cache=cache, fingerprint=fingerprint, center=spec.center, scale=spec.scale,
                  length_slope=spec.length_slope, by_language=spec.by_language)


def _load_tokenizer(directory: Path, packaged: bool) -> Any:
    """The fast tokenizer of a model directory.

    For converted packaged models ``tokenizer.json`` is read directly: two to three times
    quicker than ``AutoTokenizer`` for Gemma's 262k-token vocabulary (start and padding
    tokens come from the manifest, so nothing else is needed).
    """
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    if packaged and (directory / "tokenizer.json").exists():
        return PreTrainedTokenizerFast(tokenizer_file=str(directory / "tokenizer.json"))
    return AutoTokenizer.from_pretrained(str(directory))


def _bfloat16_copy(directory: Path) -> Path:
    """A bfloat16 copy of converted float32 weights (made once, beside them).

    Loading it is a memory map (a fraction of a second) where casting float32 at every load
    took about two seconds. Written to a temporary directory and renamed into place.
    """
    target = directory / "bfloat16"
    if (target / "config.json").exists() and (target / "model.safetensors").exists():
        return target
    import torch
    from safetensors.torch import save_model
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(directory), dtype=torch.bfloat16)
    work = Path(tempfile.mkdtemp(prefix=".bfloat16-", dir=directory))
    try:
        model.config.save_pretrained(str(work))
        save_model(model, str(work / "model.safetensors"))
        try:
            os.rename(work, target)
        except OSError:
            if not (target / "model.safetensors").exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _quiet_transformers() -> None:
    """No per-tensor progress bars and warnings from transformers on the user's terminal."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


def _weights_stamp(directory: Path) -> str:
    files = sorted(directory.glob("*.safetensors")) or sorted(directory.glob("*.bin"))
    return ",".join(f"{f.name}:{f.stat().st_size}" for f in files)


def pinned_threads() -> int | None:
    """Threads the user asked for (``QA_THREADS``, else ``OMP_NUM_THREADS``), or None."""
    for name in ("QA_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    return None


def free_cores() -> int:
    """All cores on an idle machine, one on a busy one (judged from the 1-minute load average).

    On a machine shared with other jobs, OpenMP threads that wait for a descheduled sibling
    made batches up to four times slower than a single thread (docs/benchmarks.md), so a
    busy machine gets one thread and an idle one all cores.
    """
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cores
    # our own threads count in the load too: up to ``cores`` of it may be this process
    return cores if busy <= cores * 1.5 else 1


def _set_threads(device: str) -> None:
    """Torch threads for this process: the user's setting, else the free cores."""
    import torch

    if device != "cpu":
        return
    torch.set_num_threads(pinned_threads() or free_cores())


# ---------------------------------------------------------------------------------------------
# Sentence fluency

_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w[\w'’\-]*", re.UNICODE)


def discounted_words(text: str, lang: str | None) -> list[tuple[int, int]]:
    """Spans of words whose surprise says little about fluency: numbers and likely names.

    A name is a capitalised word that is not the first word of the text and is rare in the
    language's word-frequency list (so German common nouns, which are capitalised, count).
    """
    spans = []
    for i, m in enumerate(_WORD.finditer(text)):
        word = m.group()
        if _DIGIT.search(word):
            spans.append(m.span())
        elif i > 0 and word[:1].isupper() and _is_rare(word, lang):
            spans.append(m.span())
    return spans


def _is_rare(word: str, lang: str | None) -> bool:
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return True
    code = (lang or "en").split("-")[0].lower()
    try:
        return zipf_frequency(word, code) < 3.0
    except (LookupError, ValueError):
        return True


def sentence_logprob(scores: TokenScores, text: str, lang: str | None) -> float:
    """Mean token log-probability of a sentence, without name/number tokens and with capped surprisal."""
    if not scores.logprobs:
        return 0.0
    skip = discounted_words(text, lang)
    kept = [max(lp, -SURPRISAL_CAP) for lp, span in zip(scores.logprobs, scores.spans)
            if not _overlaps(span, skip)]
    if not kept:
        kept = [max(lp, -SURPRISAL_CAP) for lp in scores.logprobs]
    return sum(kept) / len(kept)


def _overlaps(span: tuple[int, int], ranges: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(start < r_end and r_start < end for r_start, r_end in ranges)


REFERENCE_TOKENS = 30  # the token length at which a model's calibration ``center`` applies


def expected_logprob(tokens: int, center: float, length_slope: float) -> float:
    """The adjusted mean log-probability a typical fluent sentence of ``tokens`` tokens gets."""
    return center + length_slope * (math.log(max(1, tokens)) - math.log(REFERENCE_TOKENS))


def fluency_score(relative: float, scale: float) -> float:
    """Map a length-corrected log-probability (0 = as expected) to 0..100 (50 = as expected)."""
    z = relative / scale
    return 100.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def worst_words(scores: TokenScores, text: str, lang: str | None = None,
                limit: int = 3) -> tuple[tuple[int, int], ...]:
    """Character spans of the words holding the least expected tokens, worst first.

    Numbers and likely names are left out (their surprise is expected) unless nothing else is left.
    """
    skip = discounted_words(text, lang)
    words = [m.span() for m in _WORD.finditer(text)]
    candidates = [w for w in words if not _overlaps(w, skip)] or words
    totals: dict[tuple[int, int], float] = {}
    for lp, span in zip(scores.logprobs, scores.spans):
        for word in candidates:
            if span[0] < word[1] and word[0] < span[1]:
                totals[word] = totals.get(word, 0.0) + lp
                break
    ranked = sorted(totals, key=lambda w: totals[w])
    return tuple(ranked[:limit])


def segment_context(doc: Document, index: int) -> str:
    """The text a segment is scored after: the segment before it in running text.

    Units of bilingual files (``kind="unit"``) are scored alone: neighbouring units of a TSV
    or XLIFF file need not belong together.
    """
    if index == 0:
        return ""
    segment, previous = doc.segments[index], doc.segments[index - 1]
    if segment.kind == "unit" or previous.kind == "unit":
        return ""
    return previous.text


def score_segments(doc: Document, scorer: Scorer, with_context: bool = True) -> dict[str, SegmentFluency]:
    """Fluency of every non-empty segment of ``doc``, by segment id (one batched call).

    Each sentence is scored after the one before it (:func:`segment_context`): terms the
    document has introduced are then expected, so a technical text is not penalised for its
    vocabulary, and the 0..100 mapping is calibrated the same way (consecutive segments of
    human translations). ``with_context=False`` scores every segment alone.
    """
    chosen = [(i, seg) for i, seg in enumerate(doc.segments) if seg.text.strip()]
    if not chosen:
        return {}
    texts = [seg.text for _, seg in chosen]
    contexts = [segment_context(doc, i) if with_context else "" for i, _ in chosen]
    results = scorer.token_logprobs(texts, contexts)
    return {seg.id: segment_fluency(scores, seg, doc.target_lang, scorer)
            for (_, seg), scores in zip(chosen, results)}


def segment_fluency(scores: TokenScores, segment: Segment, lang: str | None, scorer: Any) -> SegmentFluency:
    """The :class:`SegmentFluency` of one scored segment."""
    mean = scores.mean
    adjusted = sentence_logprob(scores, segment.text, lang)
    center, scale, slope = _calibration(scorer, lang)
    relative = adjusted - expected_logprob(len(scores.logprobs), center, slope)
    return SegmentFluency(
        logprob_mean=mean, perplexity=math.exp(min(50.0, -mean)),
        fluency=round(fluency_score(relative, scale), 2), logprob_adjusted=adjusted,
        tokens=len(scores.logprobs), relative=relative, worst=worst_words(scores, segment.text, lang),
    )


def _calibration(scorer: Any, lang: str | None) -> tuple[float, float, float]:
    if hasattr(scorer, "calibration"):
        return scorer.calibration(lang)
    return (getattr(scorer, "center", -5.0), getattr(scorer, "scale", 0.8), getattr(scorer, "length_slope", 0.0))


__all__ = ["ModelSpec", "ModelUnavailable", "Scorer", "ScoreCache", "SegmentFluency", "TokenScores",
           "load_scorer", "load_manifest", "resolve_model", "score_segments", "segment_fluency",
           "sentence_logprob", "fluency_score", "converted_weights"]
