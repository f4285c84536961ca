"""Training text for the shipped sentiment head: redistributable sources only.

Two sources, both free to redistribute:

* the human-rated sentence sets in the ``vaderSentiment`` 3.3.2 *source* archive (MIT licence,
  Hutto & Gilbert 2014): tweets, Amazon review snippets, movie review snippets and New York Times
  editorial snippets, each rated from -4 to +4 by about 20 people;
* text written by this project: ``benchmarks/data/project_sentences.tsv`` (hand-written
  customer-service sentences), ``benchmarks/data/social_posts.tsv`` (hand-written social-media
  posts to companies' accounts, eight industries) and the customer-service templates below,
  expanded with a fixed seed.

No airline tweets, Alexa reviews or TweetEval text are used for training.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT_SENTENCES = HERE / "data" / "project_sentences.tsv"
SOCIAL_POSTS = HERE / "data" / "social_posts.tsv"
VADER_SDIST = "vaderSentiment-3.3.2.tar.gz"
VADER_SHA256 = "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9"
VADER_SETS = ("tweets", "amazonReviewSnippets", "movieReviewSnippets", "nytEditorialSnippets")
LABELS = ("negative", "neutral", "positive")
NEUTRAL_BAND = 0.5  # |mean rating| below this (on the -4..4 scale) counts as neutral

HANDLES = ["@AcmeAir", "@NimbusTel", "@ParcelPro", "@BrightBank", "@Voltify", "@SkyHopper",
           "@HomeHub", "@QuickEats", "@StayWell", "@CloudNote", "@RailLink", "@FlyNorth",
           "", "", ""]
THINGS = ["flight", "order", "package", "router", "app", "account", "booking", "phone", "bill",
          "subscription", "delivery", "reservation", "speaker", "refund", "bag", "ticket",
          "connection", "laptop", "claim", "upgrade", "luggage", "seat", "connecting flight",
          "card", "train", "room", "return", "invoice", "replacement", "car seat", "stroller"]
STAFF = ["the agent", "the crew", "your support team", "the driver", "the technician",
         "the gate agent", "the flight attendant", "customer care", "the rep on the phone",
         "the store staff", "the pilot", "the manager", "your call center", "the front desk",
         "the baggage office", "your chat support", "the conductor", "the cabin crew"]
DURATIONS = ["20 minutes", "an hour", "two hours", "3 hours", "all morning", "all day",
             "two days", "a week", "three weeks", "a month", "45 mins", "90 minutes", "5 hrs",
             "since Tuesday", "since 6am", "overnight"]
PLACES = ["Denver", "the airport", "gate 12", "the store", "Boston", "the lobby", "Chicago",
          "the service desk", "Atlanta", "terminal 4", "the lounge", "Newark", "the platform",
          "the counter", "Dallas", "the check-in desk", "LAX", "the hotel"]
NUMBERS = ["1234", "2215", "88", "4410", "519", "3021", "77", "1609"]
NEG_EVENTS = [
    "my {thing} is delayed again", "my {thing} was cancelled", "you lost my {thing}",
    "my {thing} still hasn't arrived", "I was charged twice for my {thing}",
    "my {thing} broke after {duration}", "the {thing} keeps failing",
    "I've been waiting {duration} for my {thing}", "nobody can find my {thing}",
    "{staff} was rude to me", "{staff} hung up on me", "{staff} ignored us for {duration}",
    "been on hold {duration} about my {thing}", "stuck at {place} for {duration}",
    "my {thing} got cancelled and no rebooking", "still no refund for my {thing}",
    "{staff} gave me the wrong information about my {thing}",
    "the {thing} stopped working", "no one answers about my {thing}",
    "flight {number} delayed {duration} and counting", "sitting on the tarmac for {duration}",
    "my {thing} is in {place} and I'm not", "{duration} on hold and then disconnected",
    "third time this month my {thing} got moved", "still waiting for a call back about my {thing}",
    "you rebooked my {thing} for tomorrow night", "no one at {place} to help",
    "missed my connection because of your delay", "your app says my {thing} doesn't exist",
    "can't check in, the site keeps erroring", "{duration} in line at {place}",
    "they cancelled flight {number} with no notice", "my {thing} was damaged",
    "why does it take {duration} to get a reply about my {thing}",
    "why was my {thing} cancelled without any explanation", "how is my {thing} still missing",
    "paid extra for my {thing} and got nothing", "charged a fee for my {thing} for no reason",
    "nobody told us the {thing} was cancelled", "now I have to pay for a hotel because of you",
    "you overbooked and bumped me", "the {thing} was filthy", "my {thing} has been lost twice",
]
NEG_SARCASM = [
    "thanks for the {duration} delay", "great job losing my {thing}",
    "love waiting {duration} for {staff}", "so glad I paid for my {thing} just to wait {duration}",
    "awesome, another cancelled {thing}", "nice, {duration} on hold and still nothing",
    "fantastic customer service, {staff} hung up on me", "thanks for nothing",
    "great, my {thing} is lost again", "wonderful, now my {thing} is delayed too",
]
NEG_TAILS = ["", ".", "!", " and no one can help.", ". Unacceptable.", ". Again.",
             " and nobody cares.", ". Never again.", ". Ridiculous.", " with zero updates.",
             ". What is going on?", ". Fix this.", ". So frustrated.", " #fail", ". Really?",
             " smh", "...", " 😡", ". Not happy.", " #neveragain", " ugh", ". Any update??"]
NEG_OPENERS = ["", "", "", "Ugh, ", "Seriously, ", "Hey, ", "Come on, ", "Again? ", "Wow, "]
NEU_EVENTS = [
    "how do I change my {thing}?", "can I add a second {thing} to my account?",
    "is there any update on my {thing}?", "what's the status of my {thing}?",
    "where do I check my {thing}?", "can you DM me about my {thing}?",
    "I sent you my {thing} details in a DM", "do you have a number I can call about my {thing}?",
    "what time should I get to {place}?", "is {place} open now?",
    "flying out of {place} tomorrow", "can I move my {thing} to next week?",
    "does my {thing} include insurance?", "I need a receipt for my {thing}",
    "which {thing} options do you have?", "heading to {place} now",
    "will my {thing} be ready by Friday?", "can someone look at my {thing}?",
    "question about my {thing}", "how much does it cost to change my {thing}?",
    "is flight {number} on time?", "what gate is flight {number} leaving from?",
    "can I bring a {thing} on board?", "do you fly to {place}?",
    "is there wifi on flight {number}?", "when does boarding start for {number}?",
    "how do I get a refund for my {thing}?", "can I use my points for a {thing}?",
    "just followed you, can you follow back so I can DM?", "I'll send my confirmation number",
    "what are the fees for an extra {thing}?", "is the {thing} policy the same for kids?",
    "will you be adding more flights to {place}?", "my {thing} number is {number}",
    "need to change my {thing}, who do I contact?", "on my way to {place}",
    "does the {thing} come with a charger?", "can you confirm my {thing} went through?",
]
NEU_TAILS = ["", "", " Thanks.", " Please advise.", " My reference is 48213.",
             " Following up.", " Details in DM.", " Thx", "?", " Thank you"]
NEU_OPENERS = ["", "", "", "Hi, ", "Hello, ", "Quick question: ", "Hey, "]
POS_EVENTS = [
    "thanks for sorting out my {thing} so quickly", "{staff} was amazing today",
    "{staff} went above and beyond", "my {thing} arrived early, thank you",
    "love the new {thing}", "great job fixing my {thing}",
    "so happy with my {thing}", "thanks {staff} for the help at {place}",
    "best {thing} experience I've had", "my {thing} works perfectly now",
    "really appreciate the quick reply about my {thing}", "you made my {thing} so easy",
    "smooth {thing} today, thank you", "kudos to {staff} at {place}",
    "impressed with how fast you handled my {thing}", "landed early in {place}, great flight",
    "thanks for the upgrade", "{staff} made our day", "got my {thing} back, thank you so much",
    "flight {number} was perfect", "you guys rock", "thank you for the quick response",
    "shout out to {staff} in {place}", "great service as always",
    "appreciate the help with my {thing}", "easiest {thing} ever, thanks",
]
POS_TAILS = ["", "!", "!!", " :)", " Thank you!", " Great service.", " You rock.",
             " Much appreciated.", " Will recommend.", " <3", " #happycustomer", " 👍",
             " 😊", " Love it!", " Best airline!"]
POS_OPENERS = ["", "", "", "Wow, ", "Just wanted to say ", "Hey, ", "Honestly, "]


def _fill(rng: random.Random, pattern: str) -> str:
    return pattern.format(thing=rng.choice(THINGS), staff=rng.choice(STAFF),
                          duration=rng.choice(DURATIONS), place=rng.choice(PLACES),
                          number=rng.choice(NUMBERS))


def template_sentences(per_class: int = 2000, seed: int = 13) -> list[tuple[str, str]]:
    """Return ``(label, sentence)`` pairs expanded from the project's templates."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    grammar = {
        "negative": (NEG_EVENTS + NEG_SARCASM, NEG_TAILS, NEG_OPENERS),
        "neutral": (NEU_EVENTS, NEU_TAILS, NEU_OPENERS),
        "positive": (POS_EVENTS, POS_TAILS, POS_OPENERS),
    }
    for label, (events, tails, openers) in grammar.items():
        seen: set[str] = set()
        tries = 0
        while len(seen) < per_class and tries < per_class * 20:
            tries += 1
            body = rng.choice(openers) + _fill(rng, rng.choice(events)) + rng.choice(tails)
            text = f"{rng.choice(HANDLES)} {body}".strip()
            text = text[0].upper() + text[1:] if rng.random() < 0.5 else text
            if text not in seen:
                seen.add(text)
                out.append((label, text))
    return out


def project_sentences(path: Path = PROJECT_SENTENCES) -> list[tuple[str, str]]:
    """Return the hand-written ``(label, sentence)`` pairs of a project TSV file."""
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        label, _, text = line.partition("\t")
        if label.strip() not in LABELS or not text.strip():
            raise ValueError(f"{path.name}:{number}: expected label<TAB>text, got {line!r}")
        pairs.append((label.strip(), text.strip()))
    return pairs


def social_posts(path: Path = SOCIAL_POSTS) -> list[tuple[str, str]]:
    """Return the hand-written social-media ``(label, post)`` pairs."""
    return project_sentences(path)


def fetch_vader_sdist(work: Path) -> Path:
    """Return the vaderSentiment 3.3.2 source archive, downloading it with pip if needed."""
    work.mkdir(parents=True, exist_ok=True)
    target = work / VADER_SDIST
    if not target.exists():
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:",
                        "--no-deps", "vaderSentiment==3.3.2", "-d", str(work)], check=True)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    if digest != VADER_SHA256:
        raise SystemExit(f"{target} has sha256 {digest}, expected {VADER_SHA256}")
    return target


def vader_rated_sentences(sdist: Path) -> list[tuple[str, float, str]]:
    """Return ``(set name, mean rating, sentence)`` from the archive's ground-truth files."""
    rows: list[tuple[str, float, str]] = []
    with tarfile.open(sdist) as outer:
        inner_member = outer.getmember("vaderSentiment-3.3.2/additional_resources/"
                                       "hutto_ICWSM_2014.tar.gz")
        inner_file = outer.extractfile(inner_member)
        assert inner_file is not None
        with tarfile.open(fileobj=inner_file) as inner:
            for name in VADER_SETS:
                member = inner.extractfile(f"hutto_ICWSM_2014/{name}_GroundTruth.txt")
                assert member is not None
                for line in member.read().decode("utf-8", "replace").splitlines():
                    parts = line.split("\t")
                    if len(parts) >= 3 and parts[2].strip():
                        rows.append((name, float(parts[1]), parts[2].strip()))
    return rows


def rating_label(rating: float, band: float = NEUTRAL_BAND) -> str:
    """Map a mean human rating (-4..4) to negative / neutral / positive."""
    if rating <= -band:
        return "negative"
    if rating >= band:
        return "positive"
    return "neutral"
