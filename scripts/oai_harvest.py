"""Harvests a yodnoma OAI-PMH repository with sickle (PyPI), as an aggregator would.

Checks that every record of a full ListRecords harvest arrives exactly once, through the
resumption tokens, and that their number is the completeListSize the repository announced; that
each set lists what it should; that GetRecord and ListIdentifiers agree with ListRecords; and
provokes every error code this repository can meet, each of which sickle must raise as that
error. Prints one line per check; exits non-zero on the first failure.

    python oai_harvest.py BASE_URL EXPECTED_PERSONS EXPECTED_SOURCE
"""

import sys

from sickle import Sickle
from sickle import oaiexceptions as oai
from sickle.iterator import OAIResponseIterator


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name} {detail}")
        sys.exit(1)
    print(f"OK   {name}")


def raises(name, error, call):
    try:
        result = call()
        # Lists raise on their first item.
        if hasattr(result, "next"):
            next(result)
    except error:
        print(f"OK   {name} raises {error.__name__}")
        return
    except Exception as other:  # noqa: BLE001 - reported, then failed
        print(f"FAIL {name} raised {type(other).__name__}: {other}")
        sys.exit(1)
    print(f"FAIL {name} raised nothing")
    sys.exit(1)


def main():
    base, expected_persons, source = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sickle = Sickle(base, max_retries=0, timeout=60)

    identify = sickle.Identify()
    check("Identify: protocol 2.0", identify.protocolVersion == "2.0")
    check("Identify: granularity", identify.granularity == "YYYY-MM-DDThh:mm:ssZ")
    formats = [f.metadataPrefix for f in sickle.ListMetadataFormats()]
    check("ListMetadataFormats: oai_dc", formats == ["oai_dc"], formats)
    sets = [s.setSpec for s in sickle.ListSets()]
    check("ListSets: kinds and the source", {"person", "exhibit", "exhibition", f"person:{source}"} <= set(sets), sets)

    records = sickle.ListRecords(metadataPrefix="oai_dc")
    identifiers = []
    announced = None
    for record in records:
        identifiers.append(record.header.identifier)
        if records.resumption_token is not None and announced is None:
            announced = records.resumption_token.complete_list_size
        check_title = record.metadata.get("title")
        if not check_title:
            check("every record has a dc:title", False, record.header.identifier)
    pages = len(identifiers) // 100 + 1
    check("ListRecords: every record once", len(identifiers) == len(set(identifiers)))
    check("ListRecords: as many as announced", announced is not None and int(announced) == len(identifiers),
          f"{announced} announced, {len(identifiers)} harvested")
    persons = [i for i in identifiers if ":person/" in i]
    check("ListRecords: every person", len(persons) == expected_persons, f"{len(persons)} of {expected_persons}")
    print(f"     harvested {len(identifiers)} records on {pages} pages")

    by_set = {
        "person": sum(1 for _ in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="person")),
        "exhibit": sum(1 for _ in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="exhibit")),
        "exhibition": sum(1 for _ in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="exhibition")),
    }
    check("ListIdentifiers: the kind sets add up", sum(by_set.values()) == len(identifiers), by_set)
    one = sickle.GetRecord(identifier=identifiers[0], metadataPrefix="oai_dc")
    check("GetRecord: the first record", one.header.identifier == identifiers[0])
    dated = sum(1 for _ in sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2000-01-01", "until": "2999-12-31"}))
    check("ListIdentifiers: from and until", dated == len(identifiers), dated)

    # Sickle's verb methods set their own verb; its response iterator sends any.
    raises("an unknown verb", oai.BadVerb, lambda: OAIResponseIterator(sickle, {"verb": "Dance"}))
    raises("an unknown argument", oai.BadArgument, lambda: sickle.ListRecords(metadataPrefix="oai_dc", colour="red"))
    raises("a missing metadataPrefix", oai.BadArgument, lambda: sickle.ListIdentifiers())
    raises("from after until", oai.BadArgument,
           lambda: sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "2020-01-01", "until": "2019-01-01"}))
    raises("a date that is not one", oai.BadArgument,
           lambda: sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "yesterday"}))
    raises("a forged resumption token", oai.BadResumptionToken, lambda: sickle.ListRecords(resumptionToken="forged"))
    raises("an unknown format", oai.CannotDisseminateFormat, lambda: sickle.ListRecords(metadataPrefix="marc21"))
    raises("an unknown identifier", oai.IdDoesNotExist,
           lambda: sickle.GetRecord(identifier="oai:yodnoma.local:person/nobody", metadataPrefix="oai_dc"))
    raises("nothing in the range", oai.NoRecordsMatch,
           lambda: sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "2999-01-01"}))
    raises("an unknown set", oai.NoRecordsMatch, lambda: sickle.ListRecords(metadataPrefix="oai_dc", set="planets"))


if __name__ == "__main__":
    main()
