"""Fine-tune the packaged MiniLM with a sentiment head on a company's own labels, on CPU.

The trainable model is the sentence-transformers stack of ``all-MiniLM-L6-v2`` (transformer,
mean pooling, L2 normalisation) followed by one linear layer over ``[sentence vector, VADER's
four scores]`` standardised -- exactly the shape of ``search.sentiment.SentimentHead``. The
result is therefore a sentence-transformers directory holding a ``sentiment_head.npz``, which
``search.sentiment.load_sentiment_model(<dir>)`` serves like any head.

Training checkpoints into ``out_dir/checkpoint.pt`` every few steps; a killed run called again
with the same data resumes from its last checkpoint. The final model is written to a temporary
directory and renamed into ``out_dir/model``, so a reader never sees half a model.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from search.embedder import DIMENSION, MODEL_NAME, model_path, no_loading_bar
from search.emoji_words import texts_for_encoder
from search.sentiment import LABELS, SentimentHead, VaderModel

MIN_LABELS = 20
MAX_SEQ_LENGTH = 256
ENCODER_LR = 3e-5
HEAD_LR = 2e-3
WARMUP = 0.1
CHECKPOINT_EVERY = 50
BATCH_SIZE = 16
FINETUNE_EPOCHS = 3  # chosen on the development split (docs/evaluation.md)
EMBEDDING_SCALE = 1.0 / math.sqrt(DIMENSION)
MODEL_DIR = "model"
CHECKPOINT = "checkpoint.pt"


class FineTuneError(ValueError):
    """The labels or the output directory cannot be used for fine-tuning."""


def check_training_data(texts: Sequence[str], labels: Sequence[str]) -> list[int]:
    """Validate texts and labels and return the label indices (clear errors on bad input)."""
    if len(texts) != len(labels):
        raise FineTuneError(f"{len(texts)} texts but {len(labels)} labels")
    if any(not isinstance(t, str) for t in texts):
        raise FineTuneError("every text must be a string")
    unknown = sorted({str(label) for label in labels} - set(LABELS))
    if unknown:
        raise FineTuneError(f"unknown labels {unknown}: use {', '.join(LABELS)}")
    if len(labels) < MIN_LABELS:
        raise FineTuneError(f"only {len(labels)} labels: fine-tuning needs at least {MIN_LABELS}")
    counts = Counter(labels)
    if len(counts) < 2:
        raise FineTuneError(f"all labels are {next(iter(counts))!r}: at least two classes needed")
    return [LABELS.index(label) for label in labels]


def fingerprint(texts: Sequence[str], labels: Sequence[str], epochs: int, batch_size: int,
                seed: int) -> str:
    """Return a digest of the data (as the model reads it) and settings a checkpoint belongs to."""
    digest = hashlib.sha256(f"{epochs}|{batch_size}|{seed}|{MODEL_NAME}".encode())
    for text, label in zip(texts_for_encoder(texts), labels, strict=True):
        digest.update(f"{label}\x01{text}\x00".encode())
    return digest.hexdigest()[:24]


def _batch_order(count: int, batch_size: int, seed: int, epoch: int) -> list[np.ndarray]:
    order = np.random.default_rng([seed, epoch]).permutation(count)
    return [order[i : i + batch_size] for i in range(0, count, batch_size)]


class _Classifier:
    """The sentence encoder plus a standardised linear layer (a torch module built lazily)."""

    def __init__(self, torch: Any, vader_mean: np.ndarray, vader_scale: np.ndarray,
                 seed: int) -> None:
        from sentence_transformers import SentenceTransformer

        torch.manual_seed(seed)
        self.torch = torch
        with no_loading_bar():
            self.encoder = SentenceTransformer(model_path(), device="cpu")
        self.encoder.max_seq_length = MAX_SEQ_LENGTH
        # The 30k x 384 word-embedding table is half the weights: frozen, it saves most of
        # AdamW's per-step cost and keeps rare words' vectors stable on small label sets.
        backbone: Any = self.encoder[0].auto_model
        backbone.embeddings.word_embeddings.weight.requires_grad_(False)
        self.linear = torch.nn.Linear(DIMENSION + 4, len(LABELS))
        torch.nn.init.zeros_(self.linear.weight)
        torch.nn.init.zeros_(self.linear.bias)
        self.mean = np.concatenate([np.zeros(DIMENSION), vader_mean]).astype(np.float32)
        self.scale = np.concatenate([np.full(DIMENSION, EMBEDDING_SCALE),
                                     vader_scale]).astype(np.float32)
        self._mean_t = torch.from_numpy(self.mean)
        self._scale_t = torch.from_numpy(self.scale)

    def logits(self, texts: list[str], vader: np.ndarray) -> Any:
        """Return the class logits of a batch (encoder in whatever mode it is in)."""
        torch = self.torch
        features = self.encoder.preprocess(texts_for_encoder(texts))
        vectors = self.encoder(features)["sentence_embedding"]
        vectors = torch.nn.functional.normalize(vectors, dim=-1)
        x = torch.cat([vectors, torch.from_numpy(vader)], dim=1)
        return self.linear((x - self._mean_t) / self._scale_t)

    def parameters(self) -> list[dict[str, Any]]:
        """Return optimiser parameter groups (encoder and head learn at different rates)."""
        trainable = [p for p in self.encoder.parameters() if p.requires_grad]
        return [{"params": trainable, "lr": ENCODER_LR},
                {"params": list(self.linear.parameters()), "lr": HEAD_LR}]

    def head(self, meta: dict[str, Any]) -> SentimentHead:
        """Return the linear layer as a ``SentimentHead``."""
        weight = self.linear.weight.detach().numpy().astype(np.float32)
        bias = self.linear.bias.detach().numpy().astype(np.float32)
        return SentimentHead(LABELS, weight, bias, self.mean, self.scale, meta)


def _schedule(total: int) -> Any:
    warmup = max(1, int(total * WARMUP))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    return factor


def _write_model(model: _Classifier, out_dir: Path, meta: dict[str, Any]) -> Path:
    """Write the encoder and its head to a temporary directory, then rename it into place."""
    final = out_dir / MODEL_DIR
    tmp = out_dir / f".{MODEL_DIR}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    model.encoder.save(str(tmp))
    model.head(meta).save(tmp / "sentiment_head.npz")
    (tmp / "finetune.json").write_text(json.dumps(meta, indent=1))
    old = out_dir / f".{MODEL_DIR}.old-{os.getpid()}"
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def _save_checkpoint(path: Path, state: dict[str, Any], torch: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def work_dir(parent: Path, texts: Sequence[str], labels: Sequence[str], epochs: int) -> Path:
    """Return the directory a default fine-tune of this data uses: the same data resumes there."""
    return Path(parent) / f"finetune-{fingerprint(texts, labels, epochs, BATCH_SIZE, 0)[:16]}"


def finished_model(out_dir: Path, print_: str) -> Path | None:
    """Return ``out_dir/model`` when it holds a complete fine-tune of the same data, else None."""
    info = out_dir / MODEL_DIR / "finetune.json"
    try:
        meta = json.loads(info.read_text())
    except (OSError, ValueError):
        return None
    if meta.get("fingerprint") == print_ and meta.get("complete"):
        return out_dir / MODEL_DIR
    return None


def fine_tune(texts: Sequence[str], labels: Sequence[str], out_dir: Path, *,
              epochs: int = FINETUNE_EPOCHS,
              batch_size: int = BATCH_SIZE, seed: int = 0, progress: bool = True,
              resume: bool = True,
              max_seconds: float | None = None, checkpoint_every: int = CHECKPOINT_EVERY,
              stop_after_steps: int | None = None, threads: int | None = None) -> Path:
    """Fine-tune MiniLM with a sentiment head and return the model directory it wrote.

    ``max_seconds`` (or ``stop_after_steps``, counted over the whole run) stops early: the state
    is checkpointed and the model trained so far is written with ``complete: false`` in its
    ``finetune.json``; calling again with the same data and ``resume=True`` carries on.
    """
    if epochs < 1 or batch_size < 1 or checkpoint_every < 1:
        raise FineTuneError("epochs, batch_size and checkpoint_every must be at least 1")
    targets = check_training_data(texts, labels)
    texts = list(texts)
    out_dir = Path(out_dir)
    print_ = fingerprint(texts, labels, epochs, batch_size, seed)
    if resume and (done := finished_model(out_dir, print_)) is not None:
        return done
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FineTuneError(f"cannot create {out_dir}: {exc}") from exc
    return _train(texts, targets, out_dir, print_, epochs=epochs, batch_size=batch_size,
                  seed=seed, progress=progress, resume=resume, max_seconds=max_seconds,
                  checkpoint_every=checkpoint_every, stop_after_steps=stop_after_steps,
                  threads=threads)


def _train(texts: list[str], targets: list[int], out_dir: Path, print_: str, *, epochs: int,
           batch_size: int, seed: int, progress: bool, resume: bool, max_seconds: float | None,
           checkpoint_every: int, stop_after_steps: int | None, threads: int | None) -> Path:
    import torch
    from tqdm.auto import tqdm

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(threads or min(2, os.cpu_count() or 1))
    try:
        started = time.monotonic()
        ckpt = out_dir / CHECKPOINT
        state = _read_checkpoint(ckpt, print_, torch) if resume and ckpt.exists() else None
        vader = VaderModel().features(texts)
        vader_mean, vader_scale = vader.mean(axis=0), vader.std(axis=0)
        vader_scale[vader_scale == 0] = 1.0
        model = _Classifier(torch, vader_mean, vader_scale, seed)
        y = torch.tensor(targets, dtype=torch.long)
        counts = np.bincount(targets, minlength=len(LABELS)).astype(np.float32)
        weights = np.where(counts > 0, len(targets) / (len(LABELS) * np.maximum(counts, 1)), 0.0)
        loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float32))
        per_epoch = math.ceil(len(texts) / batch_size)
        total = per_epoch * epochs
        optimizer = torch.optim.AdamW(model.parameters(), weight_decay=0.01)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _schedule(total))
        step, elapsed_before = 0, 0.0
        losses: list[float] = []
        if state is not None:
            step, losses, elapsed_before = _restore(state, model, optimizer, scheduler, torch)
        elif ckpt.exists():
            ckpt.unlink()
        limit = total if stop_after_steps is None else min(total, stop_after_steps)
        bar = tqdm(total=total, initial=step, disable=not progress, unit="step",
                   desc="fine-tuning MiniLM")
        model.encoder.train()
        stopped = False
        while step < limit:
            epoch, index = divmod(step, per_epoch)
            rows = _batch_order(len(texts), batch_size, seed, epoch)[index]
            logits = model.logits([texts[i] for i in rows], vader[rows])
            loss = loss_fn(logits, y[rows])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(
                [p for group in model.parameters() for p in group["params"]], 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            losses.append(float(loss.item()))
            bar.update(1)
            bar.set_postfix(loss=f"{np.mean(losses[-20:]):.3f}", epoch=epoch + 1)
            out_of_time = (max_seconds is not None
                           and time.monotonic() - started >= max_seconds and step < total)
            if step % checkpoint_every == 0 or out_of_time or step == limit:
                state = {"fingerprint": print_, "step": step, "losses": losses,
                         "elapsed": elapsed_before + time.monotonic() - started,
                         "encoder": model.encoder.state_dict(),
                         "linear": model.linear.state_dict(),
                         "optimizer": optimizer.state_dict(),
                         "scheduler": scheduler.state_dict(),
                         "rng": torch.get_rng_state()}
                _save_checkpoint(ckpt, state, torch)
            if out_of_time:
                stopped = True
                break
        bar.close()
        model.encoder.eval()
        complete = step >= total
        meta = {"version": f"finetuned-{print_[:12]}-s{step}", "encoder": MODEL_NAME,
                "features": "fine-tuned MiniLM + VADER neg/neu/pos/compound",
                "fingerprint": print_, "complete": complete, "stopped_early": stopped,
                "steps": step, "total_steps": total, "epochs": epochs,
                "epochs_done": round(step / per_epoch, 4), "batch_size": batch_size,
                "seed": seed, "max_seq_length": MAX_SEQ_LENGTH,
                "encoder_lr": ENCODER_LR, "head_lr": HEAD_LR,
                "class_counts": {LABELS[i]: int(c) for i, c in enumerate(counts) if c},
                "train_seconds": round(elapsed_before + time.monotonic() - started, 1),
                "final_loss": round(float(np.mean(losses[-20:])), 4) if losses else None,
                "first_loss": round(float(np.mean(losses[:20])), 4) if losses else None}
        final = _write_model(model, out_dir, meta)
        if complete and ckpt.exists():
            ckpt.unlink()
        return final
    finally:
        torch.set_num_threads(previous_threads)


def _read_checkpoint(ckpt: Path, print_: str, torch: Any) -> dict[str, Any]:
    """Read a checkpoint, refusing one written for other labels or settings."""
    try:
        state = torch.load(ckpt, map_location="cpu", weights_only=True)
    except Exception as exc:  # any unreadable checkpoint gets the same message
        raise FineTuneError(f"cannot read checkpoint {ckpt}: {exc}; pass resume=False to start "
                            "over") from exc
    if not isinstance(state, dict) or state.get("fingerprint") != print_:
        raise FineTuneError(f"{ckpt} belongs to other labels or settings: use another out_dir "
                            "or pass resume=False to start over")
    return state


def _restore(state: dict[str, Any], model: _Classifier, optimizer: Any, scheduler: Any,
             torch: Any) -> tuple[int, list[float], float]:
    """Load a checkpoint's weights, optimiser, schedule and random state."""
    model.encoder.load_state_dict(state["encoder"])
    model.linear.load_state_dict(state["linear"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    if "rng" in state:  # checkpoints of the first release had no random state
        torch.set_rng_state(state["rng"])
    return int(state["step"]), [float(v) for v in state["losses"]], float(state["elapsed"])
