#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::collections::{BTreeMap, BTreeSet};

use super::*;

fn generate(count: u64, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    write_records(&GenConfig { count, seed }, &mut out).unwrap();
    out
}

fn parse(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn sample(count: u64, seed: u64) -> Vec<GeneratedRecord> {
    records(&GenConfig { count, seed }).collect()
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `None` if malformed or invalid.
fn parse_date(s: &str) -> Option<(i32, Option<u32>, Option<u32>)> {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 {
        return None;
    }
    if parts[1..].iter().any(|p| p.len() != 2) {
        return None;
    }
    if !s.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return None;
    }
    let y: i32 = parts[0].parse().ok()?;
    let m = match parts.get(1) {
        Some(p) => Some(p.parse::<u32>().ok()?),
        None => None,
    };
    let d = match parts.get(2) {
        Some(p) => Some(p.parse::<u32>().ok()?),
        None => None,
    };
    if let Some(m) = m
        && !(1..=12).contains(&m)
    {
        return None;
    }
    if let (Some(m), Some(d)) = (m, d)
        && (d == 0 || d > days_in_month(y, m))
    {
        return None;
    }
    Some((y, m, d))
}

fn year_of(s: &str) -> Option<i32> {
    parse_date(s).map(|(y, _, _)| y)
}

fn normalize(s: &str) -> Vec<char> {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let (a, b) = (normalize(a), normalize(b));
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn by_person(recs: &[GeneratedRecord]) -> BTreeMap<&str, Vec<&GeneratedRecord>> {
    let mut map: BTreeMap<&str, Vec<&GeneratedRecord>> = BTreeMap::new();
    for r in recs {
        map.entry(r.fields[col::TRUE_PERSON].as_str())
            .or_default()
            .push(r);
    }
    map
}

#[test]
fn columns_are_the_contract() {
    assert_eq!(COLUMNS.len(), COLUMN_COUNT);
    assert_eq!(column_index("record_id"), Some(col::RECORD_ID));
    assert_eq!(column_index("source"), Some(col::SOURCE));
    assert_eq!(column_index("surname"), Some(col::SURNAME));
    assert_eq!(column_index("given_name"), Some(col::GIVEN_NAME));
    assert_eq!(column_index("patronymic"), Some(col::PATRONYMIC));
    assert_eq!(column_index("birth_date"), Some(col::BIRTH_DATE));
    assert_eq!(column_index("birth_place"), Some(col::BIRTH_PLACE));
    assert_eq!(column_index("region"), Some(col::REGION));
    assert_eq!(column_index("country"), Some(col::COUNTRY));
    assert_eq!(column_index("nationality"), Some(col::NATIONALITY));
    assert_eq!(column_index("category"), Some(col::CATEGORY));
    assert_eq!(column_index("rank"), Some(col::RANK));
    assert_eq!(column_index("unit"), Some(col::UNIT));
    assert_eq!(column_index("award"), Some(col::AWARD));
    assert_eq!(column_index("award_date"), Some(col::AWARD_DATE));
    assert_eq!(column_index("fate"), Some(col::FATE));
    assert_eq!(column_index("death_date"), Some(col::DEATH_DATE));
    assert_eq!(column_index("death_place"), Some(col::DEATH_PLACE));
    assert_eq!(column_index("burial_place"), Some(col::BURIAL_PLACE));
    assert_eq!(column_index("source_ref"), Some(col::SOURCE_REF));
    assert_eq!(column_index("workplace"), Some(col::WORKPLACE));
    assert_eq!(column_index("evacuated_from"), Some(col::EVACUATED_FROM));
    assert_eq!(column_index("evacuated_to"), Some(col::EVACUATED_TO));
    assert_eq!(column_index("true_person"), Some(col::TRUE_PERSON));
}

#[test]
fn same_seed_same_bytes_different_seed_different() {
    let a = generate(3000, 42);
    let b = generate(3000, 42);
    let c = generate(3000, 43);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn exact_count_header_and_24_fields() {
    for count in [0u64, 1, 2, 7, 100, 5000] {
        let (header, rows) = parse(&generate(count, 7));
        assert_eq!(header, COLUMNS);
        assert_eq!(rows.len() as u64, count, "count {count}");
        for row in &rows {
            assert_eq!(row.len(), COLUMN_COUNT);
        }
        assert_eq!(records(&GenConfig { count, seed: 7 }).count() as u64, count);
    }
}

#[test]
fn iterator_matches_csv() {
    let config = GenConfig {
        count: 1500,
        seed: 99,
    };
    let (_, rows) = parse(&generate(config.count, config.seed));
    let recs: Vec<GeneratedRecord> = records(&config).collect();
    assert_eq!(rows.len(), recs.len());
    for (row, rec) in rows.iter().zip(&recs) {
        assert_eq!(row.as_slice(), rec.to_row().as_slice());
    }
    assert_eq!(recs[0].get("record_id"), Some(recs[0].fields[0].as_str()));
    assert_eq!(recs[0].get("no_such_column"), None);
}

#[test]
fn record_ids_unique_and_sequential() {
    let recs = sample(10_000, 5);
    let ids: BTreeSet<&str> = recs
        .iter()
        .map(|r| r.fields[col::RECORD_ID].as_str())
        .collect();
    assert_eq!(ids.len(), recs.len());
    assert_eq!(recs[0].fields[col::RECORD_ID], "r0000001");
    assert_eq!(recs[9999].fields[col::RECORD_ID], "r0010000");
    for r in &recs {
        let t = &r.fields[col::TRUE_PERSON];
        assert!(t.starts_with('t') && t.len() >= 7, "{t}");
    }
}

#[test]
fn dates_are_valid_and_in_range() {
    let recs = sample(20_000, 11);
    let mut seen = [0usize; 3];
    for r in &recs {
        for c in [col::BIRTH_DATE, col::AWARD_DATE, col::DEATH_DATE] {
            let s = &r.fields[c];
            if s.is_empty() {
                continue;
            }
            let (y, m, d) = parse_date(s).unwrap_or_else(|| panic!("bad date {s:?}"));
            assert!((1890..=1946).contains(&y), "{s}");
            seen[usize::from(m.is_some()) + usize::from(d.is_some())] += 1;
            if c == col::BIRTH_DATE {
                assert!(y <= 1927, "birth {s}");
            } else {
                assert!((1941..=1945).contains(&y), "{} {s}", COLUMNS[c]);
            }
        }
    }
    // All three precisions occur.
    assert!(seen.iter().all(|&n| n > 100), "{seen:?}");
}

#[test]
fn enumerated_columns_have_allowed_values() {
    let recs = sample(20_000, 12);
    for r in &recs {
        assert!(SOURCES.contains(&r.fields[col::SOURCE].as_str()));
        assert!(Category::parse(&r.fields[col::CATEGORY]).is_some());
        let fate = r.fields[col::FATE].as_str();
        assert!(fate.is_empty() || Fate::parse(fate).is_some(), "{fate}");
        let country = r.fields[col::COUNTRY].as_str();
        assert!(
            [
                "Kazakhstan",
                "Uzbekistan",
                "Kyrgyzstan",
                "Tajikistan",
                "Turkmenistan"
            ]
            .contains(&country)
        );
        assert!(!r.fields[col::SURNAME].is_empty());
        assert!(!r.fields[col::GIVEN_NAME].is_empty());
        assert!(!r.fields[col::REGION].is_empty());
        assert!(!r.fields[col::SOURCE_REF].is_empty());
        assert!(
            r.fields[col::SURNAME]
                .chars()
                .any(|c| ('А'..='я').contains(&c)),
            "{}",
            r.fields[col::SURNAME]
        );
    }
}

#[test]
fn sources_fit_the_persons_history() {
    let recs = sample(30_000, 13);
    for r in &recs {
        let f = &r.fields;
        let category = f[col::CATEGORY].as_str();
        match f[col::SOURCE].as_str() {
            "loss_report" => {
                assert!(["killed", "missing", "died_of_wounds"].contains(&f[col::FATE].as_str()));
                assert!(["served", "pow", "partisan"].contains(&category));
            }
            "award_sheet" => {
                assert!(!f[col::AWARD].is_empty());
                assert!(!f[col::AWARD_DATE].is_empty());
            }
            "draft_list" => {
                assert!(["served", "pow", "partisan"].contains(&category));
                assert!(f[col::UNIT].is_empty());
            }
            "evacuation_list" => {
                assert_eq!(category, "evacuee");
                assert!(!f[col::EVACUATED_TO].is_empty());
            }
            "labour_register" => assert!(!f[col::WORKPLACE].is_empty()),
            "memory_book" => {}
            other => panic!("unknown source {other}"),
        }
        if !["served", "pow", "partisan"].contains(&category) {
            assert!(f[col::RANK].is_empty() && f[col::UNIT].is_empty());
        }
        if category != "evacuee" {
            assert!(f[col::EVACUATED_FROM].is_empty() && f[col::EVACUATED_TO].is_empty());
        }
        // Nobody dies before being born (or as a child).
        if let (Some(b), Some(d)) = (year_of(&f[col::BIRTH_DATE]), year_of(&f[col::DEATH_DATE])) {
            assert!(d >= b + 13, "born {b}, died {d}");
        }
        if let (Some(b), Some(a)) = (year_of(&f[col::BIRTH_DATE]), year_of(&f[col::AWARD_DATE])) {
            assert!(a >= b + 13, "born {b}, awarded {a}");
        }
        if !f[col::DEATH_DATE].is_empty() {
            assert!(["killed", "missing", "died_of_wounds"].contains(&f[col::FATE].as_str()));
        }
    }
}

#[test]
fn records_of_one_person_are_consistent_but_not_identical() {
    let recs = sample(30_000, 21);
    let persons = by_person(&recs);
    let mut pairs = 0usize;
    let mut similar = 0usize;
    let mut surname_differs = 0usize;
    let mut multi = 0usize;
    for recs in persons.values() {
        let first = recs[0];
        let years: Vec<i32> = recs
            .iter()
            .filter_map(|r| year_of(&r.fields[col::BIRTH_DATE]))
            .collect();
        if let (Some(min), Some(max)) = (years.iter().min(), years.iter().max()) {
            assert!(max - min <= 2, "birth years {years:?}");
        }
        let refs: BTreeSet<&str> = recs
            .iter()
            .map(|r| r.fields[col::SOURCE_REF].as_str())
            .collect();
        assert_eq!(refs.len(), recs.len(), "documents must differ");
        let death_dates: BTreeSet<&str> = recs
            .iter()
            .filter(|r| r.fields[col::DEATH_DATE].len() == 10)
            .map(|r| r.fields[col::DEATH_DATE].as_str())
            .collect();
        assert!(death_dates.len() <= 1, "{death_dates:?}");
        for r in recs {
            assert_eq!(r.fields[col::CATEGORY], first.fields[col::CATEGORY]);
            assert_eq!(r.fields[col::COUNTRY], first.fields[col::COUNTRY]);
        }
        if recs.len() > 1 {
            multi += 1;
            let s0 = &first.fields[col::SURNAME];
            if recs.iter().any(|r| &r.fields[col::SURNAME] != s0) {
                surname_differs += 1;
            }
        }
        for (i, a) in recs.iter().enumerate() {
            for b in &recs[i + 1..] {
                pairs += 1;
                let (sa, ga) = (&a.fields[col::SURNAME], &a.fields[col::GIVEN_NAME]);
                let (sb, gb) = (&b.fields[col::SURNAME], &b.fields[col::GIVEN_NAME]);
                let close = |x: &str, y: &str| levenshtein(x, y) <= 5;
                if close(sa, sb) || close(sa, gb) || close(ga, sb) {
                    similar += 1;
                }
            }
        }
    }
    assert!(pairs > 5000);
    assert!(
        similar as f64 / pairs as f64 > 0.995,
        "{similar} of {pairs} pairs have similar surnames"
    );
    let differ = surname_differs as f64 / multi as f64;
    assert!(
        (0.1..0.7).contains(&differ),
        "surname differs for {differ:.3} of multi-record persons"
    );
}

#[test]
fn records_per_person_distribution() {
    let recs = sample(50_000, 31);
    let persons = by_person(&recs);
    let mean = recs.len() as f64 / persons.len() as f64;
    assert!((1.78..=1.98).contains(&mean), "mean {mean}");
    let mut hist = [0usize; 5];
    for r in persons.values() {
        assert!((1..=4).contains(&r.len()));
        hist[r.len()] += 1;
    }
    let share = |k: usize| hist[k] as f64 / persons.len() as f64;
    assert!((0.42..0.48).contains(&share(1)), "{hist:?}");
    assert!((0.27..0.33).contains(&share(2)), "{hist:?}");
    assert!((0.15..0.19).contains(&share(3)), "{hist:?}");
    assert!((0.065..0.095).contains(&share(4)), "{hist:?}");
}

#[test]
fn category_and_fate_proportions() {
    let recs = sample(60_000, 41);
    let persons = by_person(&recs);
    let mut cats: BTreeMap<&str, usize> = BTreeMap::new();
    for r in persons.values() {
        *cats.entry(r[0].fields[col::CATEGORY].as_str()).or_default() += 1;
    }
    let n = persons.len() as f64;
    let share = |c: &str| *cats.get(c).unwrap_or(&0) as f64 / n;
    assert!((0.77..0.83).contains(&share("served")), "{cats:?}");
    assert!((0.085..0.115).contains(&share("home_front")), "{cats:?}");
    assert!((0.05..0.07).contains(&share("evacuee")), "{cats:?}");
    assert!((0.01..0.02).contains(&share("partisan")), "{cats:?}");
    assert!((0.01..0.02).contains(&share("pow")), "{cats:?}");
    assert!((0.006..0.014).contains(&share("civilian")), "{cats:?}");

    // Losses among soldiers, from memory books and loss reports.
    let mut fates: BTreeMap<&str, usize> = BTreeMap::new();
    for r in persons.values() {
        if r[0].fields[col::CATEGORY] != "served" {
            continue;
        }
        if let Some(with_fate) = r.iter().find(|r| {
            matches!(
                r.fields[col::SOURCE].as_str(),
                "memory_book" | "loss_report"
            )
        }) {
            *fates
                .entry(with_fate.fields[col::FATE].as_str())
                .or_default() += 1;
        }
    }
    let losses: usize = ["killed", "missing", "died_of_wounds"]
        .iter()
        .map(|f| fates.get(f).copied().unwrap_or(0))
        .sum();
    // Persons with a loss report are over-represented here (every killed
    // person can have one), so the share is higher than the 30 % of all.
    let total: usize = fates.values().sum();
    let share = losses as f64 / total as f64;
    assert!((0.3..0.7).contains(&share), "{fates:?}");
    assert!(fates.get("survived").copied().unwrap_or(0) > 0);
    assert!(fates.get("died_later").copied().unwrap_or(0) > 0);
}

#[test]
fn realistic_values_show_up() {
    let recs = sample(50_000, 51);
    let mut surnames: BTreeMap<&str, usize> = BTreeMap::new();
    let mut nats = BTreeSet::new();
    let mut awards = BTreeSet::new();
    let mut female_surnames = 0;
    for r in &recs {
        *surnames.entry(r.fields[col::SURNAME].as_str()).or_default() += 1;
        nats.insert(r.fields[col::NATIONALITY].as_str());
        awards.insert(r.fields[col::AWARD].as_str());
        if r.fields[col::SURNAME].ends_with("ова") {
            female_surnames += 1;
        }
    }
    for common in ["Ахметов", "Абдуллаев", "Юсупов", "Каримов", "Иванов"]
    {
        assert!(surnames.get(common).copied().unwrap_or(0) > 20, "{common}");
    }
    assert!(surnames.contains_key("Абдулаев"), "spelling variants");
    assert!(female_surnames > 200);
    for n in [
        "казах",
        "узбек",
        "русский",
        "киргиз",
        "таджик",
        "туркмен",
        "украинец",
    ] {
        assert!(nats.contains(n), "{n}");
    }
    assert!(awards.contains("Медаль «За отвагу»"));
    assert!(awards.contains("Орден Красной Звезды"));
}

#[test]
fn date_helpers_round_trip() {
    for (y, m, d) in [
        (1890, 1, 1),
        (1900, 2, 28),
        (1904, 2, 29),
        (1941, 6, 22),
        (1945, 12, 31),
    ] {
        let date = Date::new(y, m, d);
        assert_eq!(Date::from_days(date.days()), date);
    }
    assert_eq!(Date::new(1970, 1, 1).days(), 0);
    assert_eq!(Date::new(1941, 6, 22).add_days(10), Date::new(1941, 7, 2));
    assert!(parse_date("1941-02-29").is_none());
    assert!(parse_date("1940-02-29").is_some());
    assert!(parse_date("1941-13").is_none());
}
