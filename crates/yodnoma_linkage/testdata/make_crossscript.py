#!/usr/bin/env python3
"""Build crossscript.csv, a record-linkage test list, from the name-search dev set, and
crossscript-blanked.csv, the same list with some known birth years left out.

Input (read only): ../../yodnoma_search/testdata/devset-people.csv and devset-queries.csv.
Output: crossscript.csv and crossscript-blanked.csv next to this script, columns
id,name,birth_year,true_person.

Every run gives the same files: all random choices come from random.Random(1945), and the
inputs are read in file order. Standard library only.

Run from anywhere:  python3 crates/yodnoma_linkage/testdata/make_crossscript.py
"""

import csv
import difflib
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEVSET = os.path.join(HERE, "..", "..", "yodnoma_search", "testdata")
PEOPLE_CSV = os.path.join(DEVSET, "devset-people.csv")
QUERIES_CSV = os.path.join(DEVSET, "devset-queries.csv")
OUT_CSV = os.path.join(HERE, "crossscript.csv")
OUT_BLANKED_CSV = os.path.join(HERE, "crossscript-blanked.csv")

SEED = 1945
NEAR_MISSES = 60  # "brothers" / "sisters": same surname, another given name, year 2-9 off
NAMESAKES = 20  # same surname and given name, another patronymic, year 5-12 off
BLANK_YEAR_SHARE = 0.15  # share of dev-person records whose birth year is blanked (second file)
YEAR_MIN, YEAR_MAX = 1885, 1927  # birth years made up for near-misses stay in this range

# Kinds never used as records: slips, not spellings. `female` is a masculine surname typed
# against a woman's record, which is a slip of the same sort.
EXCLUDED_KINDS = {"typo", "initials", "female"}
# Spellings in another script, language or romanization: chosen first.
SCRIPT_KINDS = {
    "english", "romanization", "russified",
    "kazakh_cyrillic", "kazakh_latin_2017", "kazakh_latin_2018", "kazakh_latin_2021",
    "uzbek_latin", "uzbek_cyrillic", "kyrgyz_cyrillic", "tajik_cyrillic", "turkmen_latin",
}
# Kinds in which a near-miss may be written (besides the registry form). Each is one
# writing system, so a surname and a given name of the same kind can be combined.
# `romanization` is left out: it mixes several standards.
NEAR_MISS_KINDS = {
    "english", "kazakh_cyrillic", "kazakh_latin_2017", "kazakh_latin_2018",
    "kazakh_latin_2021", "uzbek_latin", "uzbek_cyrillic", "kyrgyz_cyrillic",
    "tajik_cyrillic", "turkmen_latin",
}
CENTRAL_ASIAN = {"казах", "казашка", "узбек", "киргиз", "таджик", "туркмен", "туркменка", "уйгур"}
FEMALE_NATIONALITY = {"казашка", "туркменка"}


def norm(s):
    """Collapse whitespace; used for every name written out."""
    return " ".join(s.split())


def key(s):
    """Comparison key: case-insensitive, whitespace-insensitive."""
    return norm(s).casefold()


# A rough Latin skeleton of a name token, to tell which token of a variant is the given name.
_TO_LATIN = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "j", "з": "z", "и": "i", "ӣ": "i", "й": "i", "і": "i", "к": "k", "қ": "k", "л": "l",
    "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ұ": "u", "ү": "u", "ў": "u", "ӯ": "u", "ф": "f", "х": "h", "ҳ": "h", "һ": "h",
    "ц": "ts", "ч": "ch", "ҷ": "j", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
    "ä": "a", "á": "a", "ğ": "g", "ǵ": "g", "ñ": "n", "ń": "n", "ň": "n", "ö": "o", "ó": "o",
    "ş": "sh", "ç": "ch", "ū": "u", "ü": "u", "ú": "u", "ı": "i", "ý": "i", "ž": "j", "š": "sh",
    "č": "ch", "é": "e",
}


def skeleton(token):
    s = "".join(_TO_LATIN.get(c, c) for c in token.casefold())
    s = "".join(c for c in s if "a" <= c <= "z")
    for a, b in (("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("x", "h"), ("q", "k"),
                 ("y", "i"), ("w", "v"), ("ou", "u"), ("gh", "g")):
        s = s.replace(a, b)
    return s


def similarity(a, b):
    return difflib.SequenceMatcher(None, skeleton(a), skeleton(b)).ratio()


def given_token_index(text, person):
    """Index of the given-name token in a variant, or None when it is not clear-cut.

    The variant must have 2 or 3 tokens; the given-name token must resemble the registry given
    name (ratio >= 0.6) more than the surname, and the surname must be another token.
    """
    tokens = text.split()
    if not 2 <= len(tokens) <= 3 or " " in person["given_name"] or " " in person["surname"]:
        return None
    g_scores = [similarity(t, person["given_name"]) for t in tokens]
    s_scores = [similarity(t, person["surname"]) for t in tokens]
    g = max(range(len(tokens)), key=lambda i: g_scores[i])
    s = max(range(len(tokens)), key=lambda i: s_scores[i])
    if g == s or g_scores[g] < 0.6 or s_scores[s] < 0.6 or s_scores[g] >= g_scores[g]:
        return None
    if "-" in tokens[g] or "." in tokens[g]:
        return None
    return g


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def registry_form(p, given=None, patronymic=None):
    given = p["given_name"] if given is None else given
    patronymic = p["patronymic"] if patronymic is None else patronymic
    return norm(" ".join(x for x in (p["surname"], given, patronymic) if x))


def is_female(p):
    if p["nationality"] in FEMALE_NATIONALITY:
        return True
    return p["patronymic"].endswith(("вна", "чна", "кызы", "қызы"))


def main():
    rng = random.Random(SEED)
    people = read_csv(PEOPLE_CSV)
    queries = read_csv(QUERIES_CSV)
    by_id = {p["record_id"]: p for p in people}
    variants = {p["record_id"]: [] for p in people}
    for q in queries:
        variants[q["record_id"]].append((norm(q["query"]), q["kind"]))
    year = {p["record_id"]: (p["birth_date"][:4] if p["birth_date"] else "") for p in people}

    rows = []  # (name, birth_year, true_person, family) ; family = dev person behind the row
    blanked = set()  # rows whose known birth year the second file leaves out
    taken = set()  # comparison keys of every name written so far
    skipped = []
    true_pairs = 0
    persons = 0

    # 1-2. Dev-set persons: registry form + 1-3 variants of different kinds.
    for p in people:
        pid = p["record_id"]
        reg = registry_form(p)
        chosen = [reg]
        seen = {key(reg)}
        cands = [(t, k) for t, k in variants[pid] if k not in EXCLUDED_KINDS]
        rng.shuffle(cands)
        cands.sort(key=lambda c: 0 if c[1] in SCRIPT_KINDS else 1)  # stable: keeps shuffle
        want = rng.randint(1, 3)
        used_kinds = set()
        for distinct_kinds in (True, False):
            for text, kind in cands:
                if len(chosen) - 1 >= want:
                    break
                if key(text) in seen or (distinct_kinds and kind in used_kinds):
                    continue
                chosen.append(text)
                seen.add(key(text))
                used_kinds.add(kind)
        if len(chosen) < 2:
            skipped.append(pid)
            continue
        persons += 1
        true_pairs += len(chosen) * (len(chosen) - 1) // 2
        for text in chosen:
            if rng.random() < BLANK_YEAR_SHARE:
                blanked.add(len(rows))
            rows.append((text, year[pid], pid, pid))
            taken.add(key(text))

    # Given names and patronymics by nationality, in file order.
    def group(p):
        return p["nationality"]

    # 3a. Near-misses: a brother (or sister) of a dev person.
    def other_year(y, lo, hi):
        if not y:
            return ""
        y = int(y)
        opts = [y + s * d for d in range(lo, hi + 1) for s in (-1, 1)
                if YEAR_MIN <= y + s * d <= YEAR_MAX]
        return str(rng.choice(opts))

    def sibling_names(p):
        """Real given names of other dev people of the same nationality, not p's own."""
        out = []
        for o in people:
            if o is p or group(o) != group(p):
                continue
            g = o["given_name"]
            if key(g) in (key(p["given_name"]), key(p["surname"])) or key(g) in map(key, out):
                continue
            out.append(g)
        return out

    eligible = [p for p in people
                if group(p) and p["record_id"] not in skipped and sibling_names(p)]
    near = []
    near_in_variant = 0
    for p in rng.sample(eligible, min(NEAR_MISSES, len(eligible))):
        pid = p["record_id"]
        name = None
        # Half of the time, try to write the sibling in one of p's variant scripts.
        if rng.random() < 0.5:
            options = []
            for text, kind in variants[pid]:
                if kind not in NEAR_MISS_KINDS:
                    continue
                gi = given_token_index(text, p)
                if gi is None:
                    continue
                for o in people:
                    if o is p or group(o) != group(p) or key(o["given_name"]) == key(p["given_name"]):
                        continue
                    for otext, okind in variants[o["record_id"]]:
                        if okind != kind:
                            continue
                        ogi = given_token_index(otext, o)
                        if ogi is None:
                            continue
                        tokens = text.split()
                        new_given = otext.split()[ogi]
                        if key(new_given) == key(tokens[gi]):
                            continue
                        tokens[gi] = new_given
                        options.append(" ".join(tokens))
            options = [t for t in dict.fromkeys(options) if key(t) not in taken]
            if options:
                name = rng.choice(options)
                near_in_variant += 1
        if name is None:
            names = [g for g in sibling_names(p) if key(registry_form(p, given=g)) not in taken]
            if not names:
                continue
            name = registry_form(p, given=rng.choice(names))
        nid = "nm%02d" % (len(near) + 1)
        near.append(nid)
        rows.append((name, other_year(year[pid], 2, 9), nid, pid))
        taken.add(key(name))

    # 3b. Namesakes: same surname and given name, another patronymic, year 5-12 years away.
    def patronymic_pool(p):
        fem = is_female(p)
        if p["nationality"] in CENTRAL_ASIAN:
            same = [o for o in people if group(o) == group(p)]
            wide = [o for o in people if o["nationality"] in CENTRAL_ASIAN]
        else:  # Russian or not stated: Slavic patronymics of both groups
            same = [o for o in people if group(o) == group(p)]
            wide = [o for o in people if o["nationality"] not in CENTRAL_ASIAN]
        for pool in (same, wide):
            out = []
            for o in pool:
                pat = o["patronymic"]
                if pat and is_female(o) == fem and key(pat) != key(p["patronymic"]) \
                        and pat not in out:
                    out.append(pat)
            if out:
                return out
        return []

    eligible = [p for p in people
                if year[p["record_id"]] and p["record_id"] not in skipped
                and (p["nationality"] or p["patronymic"]) and patronymic_pool(p)]
    names = []
    for p in rng.sample(eligible, min(NAMESAKES, len(eligible))):
        pid = p["record_id"]
        opts = [x for x in patronymic_pool(p) if key(registry_form(p, patronymic=x)) not in taken]
        if not opts:
            continue
        name = registry_form(p, patronymic=rng.choice(opts))
        sid = "ns%02d" % (len(names) + 1)
        names.append(sid)
        rows.append((name, other_year(year[pid], 5, 12), sid, pid))
        taken.add(key(name))

    # 4. Shuffle until no two neighbouring rows belong to the same dev person (family).
    order = list(range(len(rows)))
    for _ in range(10000):
        rng.shuffle(order)
        if all(rows[order[i]][3] != rows[order[i + 1]][3] for i in range(len(order) - 1)):
            break
    else:
        sys.exit("could not separate records of one person")

    for path, blank in ((OUT_CSV, set()), (OUT_BLANKED_CSV, blanked)):
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(["id", "name", "birth_year", "true_person"])
            for n, i in enumerate(order, 1):
                name, y, truth, _ = rows[i]
                w.writerow(["x%04d" % n, name, "" if i in blank else y, truth])

    dev = [i for i, r in enumerate(rows) if r[2].startswith("dev")]
    print("records:", len(rows))
    print("dev persons:", persons, "skipped:", " ".join(skipped) or "none")
    print("dev-person records:", len(dev),
          "with birth year:", sum(1 for i in dev if rows[i][1]),
          "of which blanked in the second file:", sum(1 for i in dev if i in blanked and rows[i][1]))
    print("true pairs:", true_pairs)
    print("near-misses:", len(near), "(in a variant script: %d)" % near_in_variant,
          "namesakes:", len(names))
    print("true persons:", persons + len(near) + len(names))


if __name__ == "__main__":
    main()
