#![allow(clippy::expect_used)]
//! Store tests against a real SQLite file in a temporary directory.

use yodnoma_core::{
    Block, Exhibit, ExhibitId, Exhibition, ExhibitionId, Image, ImageId, Language, LanguageMap,
    PublicationStatus, Section, SourceName, SourceRecord,
};

use crate::{DbError, PersonScope, RecordFields, Store};

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open(&dir.path().join("test.db"))
        .await
        .expect("store opens");
    (dir, store)
}

fn record(id: &str, surname: &str, given: &str) -> SourceRecord {
    SourceRecord {
        record_id: id.to_owned(),
        surname: Some(surname.to_owned()),
        given_name: Some(given.to_owned()),
        ..SourceRecord::default()
    }
}

fn source(name: &str) -> SourceName {
    SourceName::parse(name).expect("fixture source")
}

#[tokio::test]
async fn a_file_of_fewer_columns_keeps_what_the_others_hold() {
    let (_dir, store) = store().await;
    let draft = source("draft");
    let full = store
        .begin_import(&draft, "a.csv")
        .await
        .expect("batch")
        .giving([
            "record_id",
            "surname",
            "given_name",
            "birth_date",
            "unit",
            "notes",
            "workplace",
            "village",
            "source",
        ]);
    let mut first = record("1", "Уразов", "Ахмед");
    first.birth_date = yodnoma_core::PartialDate::new(1921, None, None).ok();
    first.unit = Some("8-я гвардейская".to_owned());
    first.notes = Some("из письма".to_owned());
    first.extra = vec![
        ("workplace".to_owned(), "завод".to_owned()),
        ("village".to_owned(), "Каргалы".to_owned()),
        ("source".to_owned(), "опись 3".to_owned()),
    ];
    store.upsert_records(&full, &[first]).await.expect("upsert");
    // The second file has no birth date, unit or village; its notes and workplace are blank,
    // and it brings an award and a new extra column.
    let fewer = store
        .begin_import(&draft, "b.csv")
        .await
        .expect("batch")
        .giving([
            "record_id",
            "surname",
            "award",
            "notes",
            "workplace",
            "rank_text",
            "source",
        ]);
    let mut second = record("1", "Уразов", "");
    second.given_name = None;
    second.award = Some("Орден Красной Звезды".to_owned());
    second.extra = vec![
        ("rank_text".to_owned(), "рядовой".to_owned()),
        ("source".to_owned(), "опись 4".to_owned()),
    ];
    store
        .upsert_records(&fewer, &[second])
        .await
        .expect("upsert");
    let person = store
        .person_of_record(&draft, "1")
        .await
        .expect("query")
        .expect("stored");
    let loaded = store.person(&person).await.expect("query").expect("person");
    let r = &loaded.records[0].record;
    assert_eq!(
        r.given_name.as_deref(),
        Some("Ахмед"),
        "not in the file: kept"
    );
    assert_eq!(r.birth_date.map(|d| d.to_string()).as_deref(), Some("1921"));
    assert_eq!(r.unit.as_deref(), Some("8-я гвардейская"));
    assert_eq!(r.award.as_deref(), Some("Орден Красной Звезды"));
    assert_eq!(r.notes, None, "in the file, left blank: emptied");
    let mut extra = r.extra.clone();
    extra.sort();
    assert_eq!(
        extra,
        vec![
            ("rank_text".to_owned(), "рядовой".to_owned()),
            ("source".to_owned(), "опись 4".to_owned()),
            ("village".to_owned(), "Каргалы".to_owned()),
        ],
        "workplace blanked, village kept, rank_text added, `source` replaced once"
    );
}

#[tokio::test]
async fn reimport_updates_in_place_and_keeps_the_person() {
    let (_dir, store) = store().await;
    let draft = source("draft");
    let first = store.begin_import(&draft, "a.csv").await.expect("batch");
    let outcome = store
        .upsert_records(
            &first,
            &[
                record("1", "Уразов", "Ахмед"),
                record("2", "Абдулаев", "Карим"),
            ],
        )
        .await
        .expect("upsert");
    assert_eq!((outcome.stored, outcome.duplicates.len()), (2, 0));
    let person = store
        .person_of_record(&draft, "1")
        .await
        .expect("query")
        .expect("stored");

    let second = store.begin_import(&draft, "a.csv").await.expect("batch");
    let mut corrected = record("1", "Уразов", "Ахмет");
    corrected.extra = vec![("true_person".to_owned(), "t1".to_owned())];
    store
        .upsert_records(&second, &[corrected])
        .await
        .expect("upsert");

    assert_eq!(store.record_count().await.expect("count"), 2);
    let again = store
        .person_of_record(&draft, "1")
        .await
        .expect("query")
        .expect("stored");
    assert_eq!(
        again, person,
        "a re-import never moves a record to a new person"
    );
    let loaded = store.person(&person).await.expect("query").expect("person");
    assert_eq!(
        loaded.records[0].record.given_name.as_deref(),
        Some("Ахмет")
    );
    assert_eq!(loaded.records[0].record.extra[0].1, "t1");
}

#[tokio::test]
async fn duplicates_within_one_import_keep_the_first() {
    let (_dir, store) = store().await;
    let batch = store
        .begin_import(&source("awards"), "b.csv")
        .await
        .expect("batch");
    let first = store
        .upsert_records(
            &batch,
            &[record("7", "Первый", "А"), record("7", "Второй", "Б")],
        )
        .await
        .expect("upsert");
    assert_eq!(first.duplicates, vec![1]);
    // The same id again in a later slice of the same import is also a duplicate.
    let later = store
        .upsert_records(
            &batch,
            &[record("7", "Третий", "В"), record("8", "Четвёртый", "Г")],
        )
        .await
        .expect("upsert");
    assert_eq!((later.stored, later.duplicates.clone()), (1, vec![0]));
    let person = store
        .person_of_record(&source("awards"), "7")
        .await
        .expect("query")
        .expect("stored");
    let kept = store.person(&person).await.expect("query").expect("person");
    assert_eq!(kept.records[0].record.surname.as_deref(), Some("Первый"));
}

#[tokio::test]
async fn persons_stream_whole_and_per_import() {
    let (_dir, store) = store().await;
    let first = store
        .begin_import(&source("memory"), "c.csv")
        .await
        .expect("batch");
    let records: Vec<SourceRecord> = (0..1200)
        .map(|i| record(&format!("r{i}"), "Уразов", &format!("Ахмед{i}")))
        .collect();
    store
        .upsert_records(&first, &records)
        .await
        .expect("upsert");
    let second = store
        .begin_import(&source("memory"), "d.csv")
        .await
        .expect("batch");
    // One update of an earlier record and one new record.
    store
        .upsert_records(
            &second,
            &[
                record("r7", "Уразов", "Ахмеджан"),
                record("n1", "Момыш-улы", "Баурджан"),
            ],
        )
        .await
        .expect("upsert");
    let mut all = Vec::new();
    let visited = store
        .each_person(PersonScope::All, RecordFields::All, |p| {
            all.push(p);
            Ok::<_, DbError>(())
        })
        .await
        .expect("stream");
    assert_eq!((visited, all.len()), (1201, 1201));
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    assert!(all.iter().all(|p| p.records.len() == 1));
    let mut touched = Vec::new();
    store
        .each_person(PersonScope::Batch(second.id), RecordFields::Search, |p| {
            touched.push(p.records[0].record.given_name.clone().unwrap_or_default());
            Ok::<_, DbError>(())
        })
        .await
        .expect("stream");
    touched.sort();
    assert_eq!(touched, ["Ахмеджан", "Баурджан"]);
    // An error of the visitor stops the stream and comes back.
    let stopped = store
        .each_person(PersonScope::All, RecordFields::Search, |_| {
            Err(DbError::Invalid("stop".to_owned()))
        })
        .await;
    assert!(matches!(stopped, Err(DbError::Invalid(_))));
}

#[tokio::test]
async fn exhibitions_round_trip_in_order_and_drafts_stay_hidden() {
    let (_dir, store) = store().await;
    let image = Image {
        id: ImageId::parse("portrait-1").expect("id"),
        media_type: "image/svg+xml".to_owned(),
        width: 600,
        height: 800,
        alt: LanguageMap::new().with(Language::En, "A placeholder portrait"),
        rights: None,
        placeholder: true,
    };
    store.save_image(&image).await.expect("image");
    let mut bare = image.clone();
    bare.id = ImageId::parse("bare").expect("id");
    bare.alt = LanguageMap::new();
    // Kept (imported without alt text), and shown nowhere until described.
    store.save_image(&bare).await.expect("an undescribed image");
    let kept = store.image(&bare.id).await.expect("query").expect("stored");
    assert!(kept.alt.is_empty());

    let exhibit = Exhibit {
        id: ExhibitId::parse("e1").expect("id"),
        title: LanguageMap::new().with(Language::Ru, "Портрет"),
        description: LanguageMap::new(),
        creator: None,
        date: Some("1975".to_owned()),
        technique: LanguageMap::new(),
        dimensions: None,
        institution: LanguageMap::new(),
        inventory_number: None,
        rights: None,
        images: vec![image],
        persons: vec![yodnoma_core::PersonId::from_time_and_sequence(1, 1)],
    };
    store.save_exhibit(&exhibit).await.expect("exhibit");
    assert_eq!(
        store.exhibit(&exhibit.id).await.expect("query"),
        Some(exhibit.clone())
    );
    // Once linkage has merged the depicted person into another, the exhibit is the other's.
    let merged_into = yodnoma_core::PersonId::from_time_and_sequence(1, 2);
    sqlx::query("INSERT INTO person_redirects (old_id, new_id) VALUES ($1, $2)")
        .bind(exhibit.persons[0].as_str())
        .bind(merged_into.as_str())
        .execute(&store.pool)
        .await
        .expect("redirect");
    let depicted: Vec<_> = store
        .depictions()
        .await
        .expect("depictions")
        .into_iter()
        .map(|(person, exhibit)| (person, exhibit.id))
        .collect();
    assert_eq!(depicted, vec![(merged_into, exhibit.id.clone())]);

    let mut exhibition = Exhibition {
        id: ExhibitionId::parse("x").expect("id"),
        title: LanguageMap::new().with(Language::En, "Faces of Victory"),
        introduction: LanguageMap::new(),
        curator: None,
        institution: LanguageMap::new(),
        status: PublicationStatus::Draft,
        languages: vec![Language::En, Language::Ru],
        sections: vec![
            Section {
                title: LanguageMap::new().with(Language::En, "One"),
                blocks: vec![Block::Text {
                    text: LanguageMap::new().with(Language::En, "text"),
                }],
                exhibits: vec![exhibit.id.clone()],
            },
            Section {
                title: LanguageMap::new().with(Language::En, "Two"),
                blocks: Vec::new(),
                exhibits: Vec::new(),
            },
        ],
    };
    store
        .save_exhibition(&exhibition)
        .await
        .expect("exhibition");
    // Exhibits and exhibitions share the address of their manifests: one id, one of them.
    let mut same_id = exhibit.clone();
    same_id.id = ExhibitId::parse("x").expect("id");
    assert!(matches!(
        store.save_exhibit(&same_id).await,
        Err(DbError::Invalid(_))
    ));
    let mut clashing = exhibition.clone();
    clashing.id = ExhibitionId::parse("e1").expect("id");
    assert!(matches!(
        store.save_exhibition(&clashing).await,
        Err(DbError::Invalid(_))
    ));
    assert!(
        store
            .exhibition(&exhibition.id, false)
            .await
            .expect("query")
            .is_none()
    );
    assert!(
        store
            .list_exhibitions(false)
            .await
            .expect("list")
            .is_empty()
    );
    // The exhibit was last changed long before its exhibition is published.
    sqlx::query("UPDATE exhibits SET updated_at = '2001-01-01T00:00:00Z'")
        .execute(&store.pool)
        .await
        .expect("backdated");
    exhibition.status = PublicationStatus::Published;
    store
        .save_exhibition(&exhibition)
        .await
        .expect("exhibition");
    // A harvest since the exhibit's change sees it, published since.
    let since = crate::HarvestQuery {
        from: Some("2020-01-01T00:00:00Z".to_owned()),
        ..crate::HarvestQuery::default()
    };
    let harvested = store
        .harvest(crate::HarvestKind::Exhibit, &since, "", 10)
        .await
        .expect("harvest");
    assert_eq!(harvested.len(), 1, "{harvested:?}");
    assert_eq!(harvested[0].id, exhibit.id.as_str());
    assert_eq!(
        store
            .exhibition(&exhibition.id, false)
            .await
            .expect("query"),
        Some(exhibition.clone())
    );
    assert_eq!(
        store
            .exhibitions_showing(&exhibit.id)
            .await
            .expect("query")
            .len(),
        1
    );
}

#[tokio::test]
async fn failed_sign_ins_age_out_and_refused_ones_are_forgotten() {
    let (_dir, store) = store().await;
    for _ in 0..3 {
        store
            .record_login_failure("a@museum.kz", "10.0.0.1", 900)
            .await
            .expect("recorded");
    }
    assert_eq!(
        store
            .login_failures("a@museum.kz", "10.0.0.1", 900)
            .await
            .expect("counted"),
        (3, 3)
    );
    // A failure recorded with a window of nothing finds every earlier one outside it.
    let last = store
        .record_login_failure("b@museum.kz", "10.0.0.2", 0)
        .await
        .expect("recorded");
    assert_eq!(store.login_failure_count().await.expect("counted"), 1);
    store
        .forget_login_failure(last, "a@museum.kz")
        .await
        .expect("checked");
    assert_eq!(
        store.login_failure_count().await.expect("counted"),
        1,
        "another account's failure is kept"
    );
    store
        .forget_login_failure(last, "b@museum.kz")
        .await
        .expect("forgotten");
    assert_eq!(store.login_failure_count().await.expect("counted"), 0);
}

#[tokio::test]
async fn sign_ups_are_counted_by_address_within_the_window() {
    let (_dir, store) = store().await;
    let (first, made) = store
        .record_sign_up("10.0.0.1", 3600)
        .await
        .expect("recorded");
    assert_eq!(made, 1);
    let (_, made) = store
        .record_sign_up("10.0.0.1", 3600)
        .await
        .expect("recorded");
    assert_eq!(made, 2);
    assert_eq!(
        store
            .record_sign_up("10.0.0.2", 3600)
            .await
            .expect("recorded")
            .1,
        1
    );
    store.forget_sign_up(first).await.expect("forgotten");
    assert_eq!(
        store
            .record_sign_up("10.0.0.1", 3600)
            .await
            .expect("recorded")
            .1,
        2
    );
    // With a window of nothing, the earlier ones are gone.
    assert_eq!(
        store
            .record_sign_up("10.0.0.1", 0)
            .await
            .expect("recorded")
            .1,
        1
    );
}
