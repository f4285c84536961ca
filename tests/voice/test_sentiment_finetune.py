"""Fine-tuning MiniLM on a company's labels: bad input, checkpoints and resume, the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.emoji_words import emoji_as_words
from search.sentiment import LABELS, load_sentiment_model
from search.sentiment_finetune import (
    CHECKPOINT,
    MIN_LABELS,
    FineTuneError,
    check_training_data,
    fine_tune,
    fingerprint,
)

POSITIVE = [
    "The crew were lovely and we landed early, thank you",
    "Great legroom and friendly staff on this morning's flight",
    "Quick refund, really happy with how you handled it",
    "Best flight I have had in years, wonderful service",
    "Thanks for the upgrade, that made my week",
    "The new app is brilliant, check-in took ten seconds",
    "Loved the snacks and the smooth ride",
    "Your agent at the gate was so helpful, much appreciated",
]
NEGATIVE = [
    "Lost my suitcase again and nobody answers the phone",
    "Three hours on the tarmac with no water, awful",
    "Rude staff at the desk and a filthy cabin",
    "My flight was cancelled and I got no rebooking, terrible",
    "The seat was broken and the refund never came",
    "Worst customer service I have ever dealt with",
    "The app crashed and I missed my connection, furious",
    "Cold food, no wifi and a two hour delay",
]
NEUTRAL = [
    "What time does boarding start for the 9am flight",
    "Flying from Denver to Boston on Tuesday",
    "Is there a direct route to Seattle in March",
    "How do I add a bag to an existing booking",
    "The flight number on my ticket is 1432",
    "Where is the baggage desk in terminal B",
    "Does the plane have power sockets",
    "I am travelling with a child next week",
]
TEXTS = POSITIVE + NEGATIVE + NEUTRAL
LABELS_ = ["positive"] * 8 + ["negative"] * 8 + ["neutral"] * 8


@pytest.mark.parametrize(("texts", "labels", "message"), [
    (TEXTS, ["positive"] * 23 + ["angry"], "unknown labels"),
    (TEXTS[:10], LABELS_[:10], "only 10 labels"),
    (TEXTS, ["negative"] * 24, "at least two classes"),
    (TEXTS, LABELS_[:-1], "24 texts but 23 labels"),
    ([*TEXTS[:-1], None], LABELS_, "must be a string"),
])
def test_bad_training_data_is_refused(texts: list[str], labels: list[str], message: str,
                                      tmp_path: Path) -> None:
    with pytest.raises(FineTuneError, match=message):
        fine_tune(texts, labels, tmp_path / "ft", progress=False)
    assert not (tmp_path / "ft").exists()


def test_check_training_data_returns_class_indices() -> None:
    assert len(TEXTS) >= MIN_LABELS
    assert check_training_data(TEXTS, LABELS_)[:9] == [2] * 8 + [0]
    assert LABELS[0] == "negative" and LABELS[2] == "positive"


def test_fingerprint_is_of_the_text_the_model_reads() -> None:
    """A checkpoint trained before emoji were read by name is not resumed on the new reading."""
    spelled = fingerprint(["late again 😡", "fine"], ["negative", "neutral"], 1, 16, 0)
    assert spelled == fingerprint([emoji_as_words("late again 😡"), "fine"],
                                  ["negative", "neutral"], 1, 16, 0)
    assert spelled != fingerprint(["late again", "fine"], ["negative", "neutral"], 1, 16, 0)


def test_fingerprint_depends_on_data_and_settings() -> None:
    base = fingerprint(TEXTS, LABELS_, 1, 16, 0)
    assert base == fingerprint(list(TEXTS), list(LABELS_), 1, 16, 0)
    flipped = ["negative", *LABELS_[1:]]
    assert len({base, fingerprint(TEXTS, flipped, 1, 16, 0), fingerprint(TEXTS, LABELS_, 2, 16, 0),
                fingerprint(TEXTS, LABELS_, 1, 8, 0), fingerprint(TEXTS, LABELS_, 1, 16, 1)}) == 5


def test_checkpoint_of_other_labels_is_refused(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    out = tmp_path / "ft"
    out.mkdir()
    torch.save({"fingerprint": "someone-else", "step": 3}, out / CHECKPOINT)
    with pytest.raises(FineTuneError, match="other labels or settings"):
        fine_tune(TEXTS, LABELS_, out, progress=False)
    (out / CHECKPOINT).write_bytes(b"not a checkpoint")
    with pytest.raises(FineTuneError, match="cannot read checkpoint"):
        fine_tune(TEXTS, LABELS_, out, progress=False)


@pytest.mark.slow
def test_fine_tune_stops_resumes_and_writes_a_loadable_model(tmp_path: Path) -> None:
    out = tmp_path / "ft"
    # Stopped after 2 of 6 steps (as a killed run would be after its last checkpoint).
    partial = fine_tune(TEXTS, LABELS_, out, epochs=2, batch_size=8, progress=False,
                        checkpoint_every=1, stop_after_steps=2)
    meta = json.loads((partial / "finetune.json").read_text())
    assert (meta["steps"], meta["total_steps"], meta["complete"]) == (2, 6, False)
    assert (out / CHECKPOINT).exists()
    # Resumed: carries on from step 2 to the end of epoch 2, then drops the checkpoint.
    final = fine_tune(TEXTS, LABELS_, out, epochs=2, batch_size=8, progress=False)
    meta = json.loads((final / "finetune.json").read_text())
    assert final == out / "model"
    assert (meta["steps"], meta["epochs_done"], meta["complete"]) == (6, 2.0, True)
    assert not (out / CHECKPOINT).exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".model")]  # no temp dirs left
    assert meta["max_seq_length"] == 256
    model = load_sentiment_model(str(final))
    predicted = model.predict(["Thank you, the crew were wonderful", "My bag is lost, awful",
                               ""])
    assert len(predicted) == 3
    assert all(s.label in LABELS and -1 <= s.score <= 1 for s in predicted)
    assert model.version == meta["version"]
    # A finished model of the same data is returned as is, without training again.
    stamp = (final / "sentiment_head.npz").stat().st_mtime_ns
    assert fine_tune(TEXTS, LABELS_, out, epochs=2, batch_size=8, progress=False) == final
    assert (final / "sentiment_head.npz").stat().st_mtime_ns == stamp
