"""The knobs of the expert model, with their defaults and validation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from search.models import ROLE_WEIGHTS

NORMALISATIONS = ("none", "log", "model2")
RELEVANCE_MODES = ("rank", "score")


def default_role_weights() -> dict[str, float]:
    """Return the role weights of the expert model: ``ROLE_WEIGHTS`` with asking worth nothing.

    Asking a question is not evidence of knowing the answer; on the Cardano benchmark's dev
    split a zero asker weight scored at least as well as 1.5.
    """
    return {**ROLE_WEIGHTS, "asker": 0.0}


@dataclass(frozen=True)
class ExpertSettings:
    """Knobs of the expert model (see docs/evaluation.md, "Expert finding", for how each scored).

    ``depth`` hybrid hits (fused by ``fusion``, default: the engine's setting) are evidence;
    hits found only by the vector leg need a cosine of at least ``min_vector_score``.
    A hit at rank r passes on ``(rank_k + 1) / (rank_k + r)``
    of relevance (``relevance="rank"``) or its fused score over the top one (``"score"``).
    A contribution weighs ``role weight × its own weight × 0.5 ** (age / half_life_days)``.
    ``normalisation="log"`` divides a person's total by ``(1 + ln n) ** log_strength`` where n
    is how many readable internal documents they contributed to; ``"model2"`` divides by their
    role-weighted readable activity plus ``model2_prior``; ``"none"`` keeps raw totals.
    A declared skill covering the topic adds ``skill_bonus × coverage × best score``.
    ``profile_weight`` > 0 adds the candidate-centric profile: the keyword leg's top
    ``profile_depth`` readable documents, the one at rank r passing
    ``profile_weight × (profile_rank_k + 1) / (profile_rank_k + r)`` (times the contribution
    weight above) to its contributors, so people whose work matches the topic are found even
    when none of it made the top ``depth`` hybrid hits. Ranks, not BM25 scores, so documents
    the asker cannot read (which still shift the index's term statistics) change nothing.
    ``availability_half_life_days`` scales each score by ``floor + (1 - floor) × 0.5 ** (d /
    half-life)``, d = days since the person's latest contribution to a document the asker may
    read (``availability_floor`` keeps long-quiet people findable); None switches it off.
    Unless one hit reaches a cosine of ``topic_floor`` with the topic (None: the engine's
    calibrated search floor for its embedder, none for others; ``-inf`` switches it off), no
    document is evidence: words shared by chance are not expertise. Declared skills still count.
    ``tag_weight`` > 0 adds expertise by tag: the tags of the top ``tag_depth`` evidence hits
    (each hit's relevance split over its tags) credit every person with their contributions to
    readable internal documents carrying those tags (role weight × own weight × decay); a
    person's tag score, relative to the best one, times ``tag_weight`` times the best document
    total, is added to their total before normalisation (see ``search.tag_evidence``).
    """

    depth: int = 100
    fusion: str | None = None
    relevance: str = "rank"
    rank_k: float = 10.0
    min_vector_score: float = 0.3
    normalisation: str = "log"
    log_strength: float = 0.25
    model2_prior: float = 5.0
    half_life_days: float | None = 180.0
    skill_bonus: float = 0.3
    share_documents: bool = False
    role_weights: Mapping[str, float] = field(default_factory=default_role_weights)
    default_role_weight: float = 0.5
    evidence_per_expert: int = 3
    profile_weight: float = 0.0
    profile_depth: int = 1000
    profile_rank_k: float = 100.0
    availability_half_life_days: float | None = 7.0
    availability_floor: float = 0.1
    tag_weight: float = 1.0
    tag_depth: int = 20
    topic_floor: float | None = None

    def __post_init__(self) -> None:
        if self.normalisation not in NORMALISATIONS:
            raise ValueError(f"normalisation must be one of {', '.join(NORMALISATIONS)}")
        if self.relevance not in RELEVANCE_MODES:
            raise ValueError(f"relevance must be one of {', '.join(RELEVANCE_MODES)}")
        if self.fusion not in (None, "rrf", "linear", "keyword", "vector"):
            raise ValueError("fusion must be None (the engine's), rrf, linear, keyword or vector")
        if self.half_life_days is not None and self.half_life_days <= 0:
            raise ValueError("half_life_days must be positive (or None to switch decay off)")
        if (self.profile_weight < 0 or not 1 <= self.profile_depth <= 10_000
                or self.profile_rank_k < 0):
            raise ValueError("profile_weight and profile_rank_k must be >= 0 and "
                             "profile_depth in 1..10000")
        if self.availability_half_life_days is not None and self.availability_half_life_days <= 0:
            raise ValueError("availability_half_life_days must be positive (or None for off)")
        if not 0.0 <= self.availability_floor <= 1.0:
            raise ValueError("availability_floor must be between 0 and 1")
        if self.tag_weight < 0 or not 1 <= self.tag_depth <= 100:
            raise ValueError("tag_weight must be >= 0 and tag_depth in 1..100")
