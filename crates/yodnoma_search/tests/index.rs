//! The index on its own: persons in, searches out, without a database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use yodnoma_core::person::PersonRecord;
use yodnoma_core::{Person, PersonId, SourceName, SourceRecord};
use yodnoma_search::{SearchIndex, SearchRequest};

fn person(n: u64, surname: &str, given: &str, award: Option<&str>) -> Person {
    Person {
        id: PersonId::from_time_and_sequence(1_764_000_000_000, n),
        records: vec![PersonRecord {
            source: SourceName::parse("test").unwrap(),
            record: SourceRecord {
                record_id: format!("r{n}"),
                surname: Some(surname.to_owned()),
                given_name: Some(given.to_owned()),
                award: award.map(str::to_owned),
                ..SourceRecord::default()
            },
        }],
    }
}

fn index_of(persons: &[Person]) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let mut writer = index.writer().unwrap();
    for p in persons {
        writer.put(p).unwrap();
    }
    writer.finish().unwrap();
    (dir, index)
}

fn search(index: &SearchIndex, text: &str, limit: usize, offset: usize) -> Vec<String> {
    let request = SearchRequest {
        text: text.to_owned(),
        limit,
        offset,
        ..SearchRequest::default()
    };
    index
        .search(&request)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.person_id)
        .collect()
}

#[test]
fn pages_past_the_ranked_candidates_neither_repeat_nor_skip() {
    let persons: Vec<Person> = (0..260)
        .map(|n| {
            person(
                n,
                "Уразов",
                &format!("Ахмед{}", char::from(b'a' + (n % 26) as u8)),
                None,
            )
        })
        .collect();
    let (_dir, index) = index_of(&persons);
    let mut seen = HashSet::new();
    for page in 0..14 {
        for id in search(&index, "Уразов", 20, page * 20) {
            assert!(seen.insert(id), "a person came twice, on page {page}");
        }
    }
    assert_eq!(seen.len(), 260);
}

#[test]
fn namesakes_come_decorated_first_and_replacing_a_person_keeps_one_document() {
    let mut persons = vec![
        person(1, "Рахимов", "Сабир", None),
        person(2, "Рахимов", "Сабир", Some("Hero of the Soviet Union")),
        person(3, "Рахимов", "Собир", None),
    ];
    let (_dir, index) = index_of(&persons);
    let found = search(&index, "Sabir Rakhimov", 10, 0);
    assert_eq!(found.len(), 3);
    assert_eq!(found[0], persons[1].id.to_string());
    // A corrected record replaces the person's document.
    persons[0].records[0].record.surname = Some("Каримов".to_owned());
    let mut writer = index.writer().unwrap();
    writer.put(&persons[0]).unwrap();
    writer.commit().unwrap();
    assert_eq!(index.person_count(), 3);
    assert_eq!(
        search(&index, "Каримов Сабир", 10, 0),
        [persons[0].id.to_string()]
    );
    assert_eq!(search(&index, "Sabir Rakhimov", 10, 0).len(), 2);
}

#[test]
fn when_many_spell_a_common_name_alike_the_sound_alikes_come_after_them() {
    // 250 spell the name as the query does; 50 decorated persons only sound alike. The
    // decorated sound-alikes must not come before any of the exact spellings, and all 300
    // are counted.
    let mut persons: Vec<Person> = (0..250)
        .map(|n| person(n, "Михайлов", "Михаил", None))
        .collect();
    persons.extend(
        (250..300).map(|n| person(n, "Михалев", "Михаил", Some("Hero of the Soviet Union"))),
    );
    let (_dir, index) = index_of(&persons);
    let request = SearchRequest {
        text: "Михайлов Михаил".to_owned(),
        limit: 20,
        ..SearchRequest::default()
    };
    let results = index.search(&request).unwrap();
    assert_eq!(results.total, 300);
    assert!(results.hits.iter().all(|h| h.name.starts_with("Михайлов")));
    let last_page = SearchRequest {
        offset: 280,
        ..request
    };
    let results = index.search(&last_page).unwrap();
    assert_eq!(results.hits.len(), 20);
    assert!(results.hits.iter().all(|h| h.name.starts_with("Михалев")));
}

#[test]
fn a_compound_is_found_whether_written_apart_or_run_together() {
    // Many namesakes who write the two halves as given name and patronymic, so that the
    // compound must be looked for from the first stage on, not only when little is found.
    let mut persons: Vec<Person> = (0..30)
        .map(|n| {
            let mut p = person(n, "Атаев", "Анна", None);
            p.records[0].record.patronymic = Some("Клыч".to_owned());
            p
        })
        .collect();
    persons.push(person(
        100,
        "Атаев",
        "Аннаклыч",
        Some("Hero of the Soviet Union"),
    ));
    persons.push(person(101, "Бердыев", "Абдул-Гафур", None));
    let joined = persons[30].id.to_string();
    let hyphenated = persons[31].id.to_string();
    let (_dir, index) = index_of(&persons);

    let found = search(&index, "Атаев Анна-Клыч", 300, 0);
    assert_eq!(found.len(), 31, "the namesakes and the compound");
    // Run together, the compound is a given name, and scores as much as written apart: the
    // hyphen is read as one name before a given name and a father's name.
    assert_eq!(found[0], joined);
    // With an initial or a slip beside it, the compound still weighs as its two words.
    for query in ["А. Анна-Клыч", "Атаеф Анна-Клыч"] {
        assert_eq!(
            search(&index, query, 5, 0).first(),
            Some(&joined),
            "{query}"
        );
    }
    // A number beside a hyphen is no compound: only the person of both words is found.
    assert_eq!(
        search(&index, "Атаев-1941 Аннаклыч", 300, 0),
        vec![joined.clone()]
    );
    let found = search(&index, "Абдулгафур Бердыев", 10, 0);
    assert_eq!(found, vec![hyphenated.clone()]);
    let found = search(&index, "Abdulgafur Berdyev", 10, 0);
    assert_eq!(found, vec![hyphenated]);

    let request = SearchRequest {
        text: "Аннаклыч Атаев".to_owned(),
        limit: 1,
        ..SearchRequest::default()
    };
    let best = index.search(&request).unwrap().hits.remove(0);
    assert_eq!(best.person_id, joined);
    let request = SearchRequest {
        text: "Бердыев Абдул-Гафур".to_owned(),
        limit: 1,
        ..SearchRequest::default()
    };
    let hit = index.search(&request).unwrap().hits.remove(0);
    assert!(
        hit.score > 0.99,
        "written alike, the compound is exact: {hit:?}"
    );
}

#[test]
fn a_compound_run_together_may_not_leave_out_a_word() {
    let mut persons = vec![person(0, "Клочков", "Василий", None)];
    persons.extend((1..6).map(|n| person(n, "Петров", "Василий", None)));
    let (_dir, index) = index_of(&persons);
    // All but one of the words as typed: Клочков Василий. Run together, the query has two
    // words, and all but one would be any Василий.
    let found = search(&index, "Клочков-Диев Василий", 20, 0);
    assert_eq!(found, vec![persons[0].id.to_string()]);
}

#[test]
fn a_given_name_comes_before_the_same_name_as_a_fathers() {
    // More sons of an Абдулла than candidates ranked in full, all decorated, and one man named
    // Абдулла whom the records know only by name.
    let mut persons: Vec<Person> = (0..250)
        .map(|n| {
            let mut p = person(n, "Ахмедов", "Мохамед", Some("Hero of the Soviet Union"));
            p.records[0].record.patronymic = Some("Абдулла".to_owned());
            p
        })
        .collect();
    persons.push(person(1000, "Ахмедов", "Абдулла", None));
    let named = persons[250].id.to_string();
    let (_dir, index) = index_of(&persons);
    for query in ["Абдулла Ахмедов", "Abdulla Ahmedov", "Ахмедов Абдула"]
    {
        let found = search(&index, query, 5, 0);
        assert_eq!(found.first(), Some(&named), "{query}");
    }
}

#[test]
fn an_index_that_missed_a_change_or_cannot_be_read_is_rebuilt() {
    let (dir, index) = index_of(&[person(1, "Уразов", "Ахмед", None)]);
    assert!(index.is_current(1));
    // A change of the store it could not take: it says so until it is rebuilt.
    index.mark_stale().unwrap();
    assert!(!index.is_current(1));
    drop(index);
    let reopened = SearchIndex::open(dir.path()).unwrap();
    assert!(!reopened.is_current(1), "the mark outlives the process");
    // A rebuild takes the mark over, and only its commit removes it: one killed half-way
    // leaves the index marked.
    reopened.begin_rebuild().unwrap();
    assert!(!reopened.is_current(1), "still marked while rebuilt");
    reopened.mark_stale().unwrap();
    reopened.clear_stale().unwrap();
    assert!(
        !reopened.is_current(1),
        "a change marked during the rebuild stays marked"
    );
    reopened.begin_rebuild().unwrap();
    reopened.clear_stale().unwrap();
    assert!(reopened.is_current(1));
    // A change on its way marks the index until it is in; one whose process died on the way
    // stays marked until a rebuild.
    let on_its_way = reopened.pending().unwrap();
    assert!(!reopened.is_current(1));
    on_its_way.done();
    assert!(reopened.is_current(1));
    let died = reopened.pending().unwrap();
    drop(died);
    assert!(!reopened.is_current(1), "a process killed on the way");
    reopened.begin_rebuild().unwrap();
    assert!(!reopened.is_current(1));
    reopened.clear_stale().unwrap();
    assert!(reopened.is_current(1), "the rebuild took it over");
    drop(reopened);
    // Damaged: opened empty, for the store to fill again.
    std::fs::write(dir.path().join("meta.json"), b"{ not json").unwrap();
    let recreated = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(recreated.person_count(), 0);
}
