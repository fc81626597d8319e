#!/usr/bin/env python3
"""Check the hand-made gold annotations of the `kg ingest` test articles.

Usage: python3 tests/data/ingest/check_gold.py [--data DIR] [ARTICLE_DIR ...]

With no ARTICLE_DIR, every folder next to this script that holds an article.txt and a gold.json
is checked. Offsets are 0-based Unicode scalar (code point) offsets, end exclusive; Python `str`
indexing is exactly that. The script prints one line per problem and exits 1 if there is any.

What is checked (see README.md for the conventions themselves):
  * the exact top-level shape, and the field set of every record;
  * every span's `text` equals the article text at [start, end);
  * sentences: ordered, disjoint, trimmed, one line each, never on a title/residue line, and
    together they cover every non-blank character of the body except header lines, residue lines,
    a wire dateline and transcript speaker labels;
  * mentions: known ids only; a known entity's span is one of its labels/aliases (any case) or
    a listed name variant; no determiner, no possessive 's, no overlaps, nothing in residue;
    new actors carry label/class_guess/cue, the class is an ontology class and the cue word
    stands next to the first mention; ambiguous mentions list >= 2 known ids;
  * exhaustiveness: every occurrence of any label or alias from data/*.csv (roles, posts,
    quotations and documents aside) outside residue lines lies inside a gold mention, and a
    mention with exactly that span names one of the entities that own the label;
  * quotations: span sits inside the quotation marks (or is a whole speaker turn), speakers
    exist, a carried speaker ("pronoun", "continuation") matches the previous sentence;
  * dates: value format fits the precision, weekday names agree with the resolved day;
  * numbers: the figure written in the text equals `value`.
"""
import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOP_KEYS = ["document_date", "title", "residue", "sentences", "mentions", "quotations", "dates", "numbers"]
FORMS = {"said X", "X said:", "X added", "pronoun", "continuation", "partial", "label"}
PRECISIONS = {"day", "week", "month", "vague-month", "year", "interval", "vague"}
# Class of labels that are descriptors rather than names; they are not annotated as mentions.
UNLINKED_CLASSES = {"pto:Role", "pto:Post", "pto:Quotation", "kg:Document"}
# Name forms that are neither a label nor an alias in data/ but plainly name the entity.
VARIANTS = {
    "Marco A. Rubio": "Marco_Rubio",
    "Dmitriyev": "Kirill_Dmitriev",
    "Volodymyr Zelenskiy": "Volodymyr_Zelenskyy",
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10}
MULTIPLIERS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
DATELINE = re.compile(r"^[A-Z][A-Z .'-]+, [A-Z][a-z]{2,4}\.? \d{1,2} \([^)]*\) — $")
SPEAKER_LABEL = re.compile(r"^([A-Z][A-Z. ]*):\s$")
OPEN_QUOTES = "“\""
CLOSE_QUOTES = "”\""

problems = []


def problem(where, msg):
    problems.append(f"{where}: {msg}")


def load_data(data_dir):
    """ids -> class, and (surface -> set of ids) for labels and aliases."""
    classes, surfaces = {}, {}
    for path in sorted(data_dir.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        if not rows:
            continue
        if "id" in rows[0]:
            for r in rows:
                classes[r["id"]] = r.get("type", "")
        for r in rows:
            if "id" in r:
                names = [r.get("rdfs:label@en", "")] + (r.get("skos:altLabel@en[]") or "").split("|")
                for n in names:
                    if n.strip():
                        surfaces.setdefault(n.strip(), set()).add(r["id"])
            elif path.name == "aliases.csv" and r.get("predicate") == "skos:altLabel":
                surfaces.setdefault(r["object"].strip(), set()).add(r["subject"])
    return classes, surfaces


def load_ontology_classes(root):
    names = set()
    for ttl in (root / "ontology").glob("*.ttl"):
        for m in re.finditer(r"^(\w+:\w+) a owl:Class", ttl.read_text(encoding="utf-8"), re.M):
            names.add(m.group(1))
    return names


def line_table(text):
    """List of (start, end) char ranges of the lines, without the newline."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def bounded(text, a, b):
    before = text[a - 1] if a > 0 else " "
    after = text[b] if b < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def find_surface(text, surface):
    """Word-bounded occurrences; case-sensitive when the surface has no lower-case letter."""
    if any(c.islower() for c in surface):
        hay, needle = text.lower(), surface.lower()
    else:
        hay, needle = text, surface
    out, i = [], 0
    while True:
        j = hay.find(needle, i)
        if j < 0:
            return out
        if bounded(text, j, j + len(needle)):
            out.append((j, j + len(needle)))
        i = j + 1


def check_span(where, text, rec, fields):
    for k in fields:
        if k not in rec:
            problem(where, f"missing field {k!r} in {rec}")
            return False
    a, b = rec["start"], rec["end"]
    if not (isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(text)):
        problem(where, f"bad offsets {a}..{b}")
        return False
    if "text" in rec and text[a:b] != rec["text"]:
        problem(where, f"text at {a}..{b} is {text[a:b]!r}, gold says {rec['text']!r}")
        return False
    return True


def parse_number(s):
    s = s.strip().lstrip("$€£")
    m = re.match(r"([\d,]+(?:\.\d+)?)\s*(\w+)?", s)
    if m:
        value = float(m.group(1).replace(",", ""))
        if m.group(2) and m.group(2).lower() in MULTIPLIERS:
            value *= MULTIPLIERS[m.group(2).lower()]
        return value
    first = s.split()[0].lower()
    return WORD_NUMBERS.get(first)


def check_date_value(where, d, document_date):
    p, v, t = d["precision"], d["value"], d["text"]
    pats = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "vague-month": r"\d{4}-\d{2}",
            "year": r"\d{4}", "week": r"\d{4}-W\d{2}", "interval": r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}"}
    if p not in PRECISIONS:
        problem(where, f"unknown precision {p!r}")
        return
    if p == "vague":
        if v is not None:
            problem(where, f"vague date {t!r} should have value null")
        return
    if not isinstance(v, str) or not re.fullmatch(pats[p], v):
        problem(where, f"value {v!r} does not fit precision {p!r}")
        return
    days = []
    if p == "day":
        days = [dt.date.fromisoformat(v)]
    elif p == "interval":
        a, b = (dt.date.fromisoformat(x) for x in v.split("/"))
        if b < a:
            problem(where, f"interval {v} runs backwards")
        days = [a, b]
        if "weekend" in t.lower() and (a.weekday(), b.weekday()) != (5, 6):
            problem(where, f"{t!r} resolved to {v}, not a Saturday-Sunday pair")
    elif p == "week":
        dt.date.fromisocalendar(int(v[:4]), int(v[6:]), 1)  # raises on a bad week
    for w, name in enumerate(WEEKDAYS):
        if name in t.lower() and days and days[0].weekday() != w:
            problem(where, f"{t!r} resolved to {days[0]}, a {WEEKDAYS[days[0].weekday()]}")
    rel = t.lower()
    doc = dt.date.fromisoformat(document_date)
    expect = {"today": doc, "this morning": doc, "yesterday": doc - dt.timedelta(1),
              "last night": doc - dt.timedelta(1)}
    if rel in expect and days != [expect[rel]]:
        problem(where, f"{t!r} should resolve to {expect[rel]} from the document date")


def check_article(folder, classes, surfaces, onto_classes):
    name = folder.name
    text = (folder / "article.txt").read_text(encoding="utf-8")
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    if list(gold) != TOP_KEYS:
        problem(name, f"top-level keys {list(gold)} != {TOP_KEYS}")
        return
    try:
        dt.date.fromisoformat(gold["document_date"])
    except (TypeError, ValueError):
        problem(name, f"bad document_date {gold['document_date']!r}")
        return
    lines = line_table(text)
    line_text = [text[a:b] for a, b in lines]

    def line_of(pos):
        for i, (a, b) in enumerate(lines):
            if a <= pos <= b:
                return i
        return None

    # title and residue lines
    special = set()
    first_line = next((i for i, t in enumerate(line_text) if t.strip()), None)
    if gold["title"] is not None:
        if first_line is None or line_text[first_line] != gold["title"]:
            problem(name, f"title {gold['title']!r} is not the first line")
        else:
            special.add(first_line)
    residue_lines, search_from = set(), 0
    for r in gold["residue"]:
        hit = next((i for i in range(search_from, len(line_text)) if line_text[i] == r), None)
        if hit is None:
            problem(name, f"residue line {r!r} not found as a whole line (in order)")
            continue
        residue_lines.add(hit)
        search_from = hit + 1
    for i, t in enumerate(line_text):
        if t in gold["residue"] and i not in residue_lines:
            problem(name, f"line {i} repeats residue {t!r} but is not listed as residue")
    special |= residue_lines
    residue_spans = [lines[i] for i in residue_lines]

    def in_residue(a, b):
        return any(s <= a and b <= e for s, e in residue_spans)

    # sentences
    sents = gold["sentences"]
    covered = [False] * len(text)
    prev_end = -1
    for k, s in enumerate(sents):
        where = f"{name} sentence {k}"
        if set(s) != {"start", "end"} or not check_span(where, text, s, ["start", "end"]):
            problem(where, f"bad record {s}")
            continue
        a, b = s["start"], s["end"]
        chunk = text[a:b]
        if a < prev_end:
            problem(where, "overlaps or precedes the previous sentence")
        if chunk != chunk.strip() or "\n" in chunk:
            problem(where, f"not trimmed to one line: {chunk!r}")
        if line_of(a) in special:
            problem(where, "lies on a title or residue line")
        for i in range(a, b):
            covered[i] = True
        prev_end = b
    first_sentence_line = line_of(sents[0]["start"]) if sents else 0
    for i, (a, b) in enumerate(lines):
        if i in special or i < first_sentence_line:
            continue  # title, residue, and header lines (byline, date, transcript header)
        gaps = [j for j in range(a, b) if not covered[j] and not text[j].isspace()]
        if not gaps:
            continue
        lead = text[a:gaps[-1] + 1]
        first_cov = next((j for j in range(a, b) if covered[j]), None)
        prefix = text[a:first_cov] if first_cov is not None else None
        if prefix and gaps[-1] < first_cov and (DATELINE.match(prefix) or SPEAKER_LABEL.match(prefix)):
            continue
        problem(name, f"line {i}: text outside any sentence: {lead[-60:]!r}")

    # mentions
    mentions = gold["mentions"]
    last = None
    new_first = {}
    for k, m in enumerate(mentions):
        where = f"{name} mention {k} {m.get('text')!r}"
        if not check_span(where, text, m, ["start", "end", "text", "entity"]):
            continue
        extra = set(m) - {"start", "end", "text", "entity"}
        if extra - {"metonym", "new", "ambiguous"}:
            problem(where, f"unknown fields {extra}")
        a, b, t, e = m["start"], m["end"], m["text"], m["entity"]
        if last and a < last["end"]:
            problem(where, f"overlaps or precedes {last['text']!r}")
        last = m
        if in_residue(a, b):
            problem(where, "lies in a residue line")
        if re.match(r"(?i)the\s", t) or re.search(r"['’]s$", t):
            problem(where, "span must exclude the determiner and the possessive 's")
        if e is not None:
            if e not in classes:
                problem(where, f"unknown entity id {e!r}")
            elif not (e in surfaces.get(t, set())
                      or any(e in ids for sf, ids in surfaces.items() if sf.lower() == t.lower())
                      or VARIANTS.get(t) == e):
                problem(where, f"{t!r} is not a label, alias or listed variant of {e}")
            if "new" in m or "ambiguous" in m:
                problem(where, "a linked mention carries new/ambiguous")
            if "metonym" in m and m["metonym"] is not True:
                problem(where, "metonym, when present, must be true")
        else:
            if ("new" in m) == ("ambiguous" in m):
                problem(where, "an unlinked mention needs exactly one of new / ambiguous")
            if "metonym" in m:
                problem(where, "metonym needs an entity")
            if "ambiguous" in m:
                amb = m["ambiguous"]
                if len(amb) < 2 or any(x not in classes for x in amb):
                    problem(where, f"ambiguous must list >= 2 known ids: {amb}")
                for x in amb:
                    if x not in surfaces.get(t, set()):
                        problem(where, f"{t!r} is not a label or alias of {x}")
            if "new" in m:
                n = m["new"]
                if set(n) != {"label", "class_guess", "cue"}:
                    problem(where, f"new needs label, class_guess, cue: {n}")
                    continue
                if n["class_guess"] not in onto_classes:
                    problem(where, f"class_guess {n['class_guess']} is not an ontology class")
                if any(n["label"] in s or n["label"].lower() == s.lower() for s in surfaces):
                    problem(where, f"new actor {n['label']!r} is in the data already")
                if not (t == n["label"] or n["label"].endswith(" " + t)):
                    problem(where, f"{t!r} is neither the label nor its surname")
                if n["label"] not in new_first:
                    new_first[n["label"]] = m
                    window = text[max(0, a - 40):b + 40]
                    if n["cue"] not in window:
                        problem(where, f"cue {n['cue']!r} not within 40 chars of the first mention")
                elif new_first[n["label"]]["new"] != n:
                    problem(where, "later mentions of a new actor must repeat its first `new` record")

    # exhaustiveness against data labels and aliases
    by_span = {(m["start"], m["end"]): m for m in mentions if "start" in m}
    for surface, ids in surfaces.items():
        ids = {i for i in ids if classes.get(i) not in UNLINKED_CLASSES}
        if not ids:
            continue
        for a, b in find_surface(text, surface):
            if in_residue(a, b):
                continue
            exact = by_span.get((a, b))
            if exact:
                owners = {exact["entity"]} | set(exact.get("ambiguous", []))
                if not owners & ids:
                    problem(name, f"{surface!r} at {a} (owned by {sorted(ids)}) is linked to {sorted(owners - {None})}")
                continue
            if not any(m["start"] <= a and b <= m["end"] for m in mentions if "start" in m):
                problem(name, f"label/alias {surface!r} at {a} ({sorted(ids)}) has no gold mention")

    # quotations
    sent_spans = [(s["start"], s["end"]) for s in sents if "start" in s]

    def sentence_index(pos):
        return next((i for i, (a, b) in enumerate(sent_spans) if a <= pos < b), None)

    prev_q = None
    for k, q in enumerate(gold["quotations"]):
        where = f"{name} quotation {k}"
        if not check_span(where, text, q, ["start", "end", "speaker", "form"]):
            continue
        extra = set(q) - {"start", "end", "speaker", "form"}
        if extra - {"speaker_text"}:
            problem(where, f"unknown fields {extra}")
        a, b, spk, form = q["start"], q["end"], q["speaker"], q["form"]
        body = text[a:b]
        if form not in FORMS:
            problem(where, f"unknown form {form!r}")
        if body != body.strip() or body[-1] in ",.":
            problem(where, f"span must be trimmed of blanks and a trailing comma/period: {body[-20:]!r}")
        if spk is None:
            if not q.get("speaker_text"):
                problem(where, "a null speaker needs speaker_text")
        elif spk not in classes:
            problem(where, f"unknown speaker {spk!r}")
        si, sj = sentence_index(a), sentence_index(b - 1)
        if si is None or sj is None:
            problem(where, "quotation is not inside the sentences")
            continue
        if form == "label":
            line = line_of(a)
            prefix = text[lines[line][0]:a]
            lab = SPEAKER_LABEL.match(prefix)
            if not lab:
                problem(where, f"no speaker label before the turn: {prefix!r}")
            else:
                label = lab.group(1)
                if spk is None and q.get("speaker_text") != label:
                    problem(where, f"speaker_text {q.get('speaker_text')!r} != label {label!r}")
                if spk is not None and not any(
                        spk in ids and sf.upper() in label for sf, ids in surfaces.items()):
                    problem(where, f"label {label!r} does not name {spk}")
            turn_end = lines[line][1]
            if text[b:turn_end] not in ("", ".", ","):
                problem(where, "a turn quotation must run to the end of its line")
        else:
            after = text[b:b + 2]
            if a == 0 or text[a - 1] not in OPEN_QUOTES:
                problem(where, "span must start right after an opening quotation mark")
            if not (after[:1] in CLOSE_QUOTES or (after[:1] in ",." and after[1:2] in CLOSE_QUOTES)):
                problem(where, "span must end at the closing quotation mark (after a , or .)")
            if form in ("pronoun", "continuation"):
                prev = [p for p in gold["quotations"][:k] if sentence_index(p["start"]) == si - 1]
                prev_m = [m for m in mentions
                          if m.get("entity") == spk and sentence_index(m["start"]) == si - 1]
                if not (any(p["speaker"] == spk for p in prev) or prev_m):
                    problem(where, f"carried speaker {spk} is not in the previous sentence")
        prev_q = q

    # dates
    last = None
    for k, d in enumerate(gold["dates"]):
        where = f"{name} date {k} {d.get('text')!r}"
        if not check_span(where, text, d, ["start", "end", "text", "value", "precision"]):
            continue
        if set(d) != {"start", "end", "text", "value", "precision"}:
            problem(where, f"fields {sorted(d)}")
        if last and d["start"] < last["end"]:
            problem(where, "overlaps or precedes the previous date")
        if in_residue(d["start"], d["end"]):
            problem(where, "lies in a residue line")
        last = d
        check_date_value(where, d, gold["document_date"])

    # numbers
    last = None
    for k, n in enumerate(gold["numbers"]):
        where = f"{name} number {k} {n.get('text')!r}"
        if not check_span(where, text, n, ["start", "end", "text", "value", "unit"]):
            continue
        if set(n) != {"start", "end", "text", "value", "unit"}:
            problem(where, f"fields {sorted(n)}")
        if last and n["start"] < last["end"]:
            problem(where, "overlaps or precedes the previous number")
        last = n
        parsed = parse_number(n["text"])
        if parsed is None or parsed != n["value"]:
            problem(where, f"text reads as {parsed}, gold value is {n['value']}")
        if not isinstance(n["unit"], str) or not n["unit"]:
            problem(where, "unit must be a non-empty string")

    return {"sentences": len(sents), "mentions": len(mentions),
            "quotations": len(gold["quotations"]), "dates": len(gold["dates"]),
            "numbers": len(gold["numbers"])}


def main(argv):
    root = HERE.parents[2]
    data_dir = root / "data"
    args = list(argv)
    if "--data" in args:
        i = args.index("--data")
        data_dir = Path(args[i + 1])
        del args[i:i + 2]
    folders = [Path(a) for a in args] or sorted(
        p for p in HERE.iterdir() if (p / "article.txt").exists() and (p / "gold.json").exists())
    if not folders:
        print("no article folders found", file=sys.stderr)
        return 1
    classes, surfaces = load_data(data_dir)
    onto = load_ontology_classes(root)
    for folder in folders:
        counts = check_article(folder, classes, surfaces, onto)
        if counts:
            print(f"{folder.name}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    for p in problems:
        print("PROBLEM", p)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
