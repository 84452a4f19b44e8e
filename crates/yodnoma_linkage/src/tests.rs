use super::*;
use crate::field::COMPARED_CHARS;
use yodnoma_names::romanize::{Standard, romanize};

const SURNAMES: [&str; 12] = [
    "Момышулы",
    "Ахметов",
    "Абдуллаев",
    "Кошкарбаев",
    "Молдагулова",
    "Токтаров",
    "Нурматов",
    "Рахимов",
    "Жумабаев",
    "Сейткали",
    "Бегельдинов",
    "Исмаилов",
];
const GIVEN: [&str; 10] = [
    "Бауыржан",
    "Алия",
    "Рахимжан",
    "Тулеген",
    "Файзулла",
    "Сабир",
    "Талгат",
    "Нуркен",
    "Ахмед",
    "Касым",
];

fn field(name: &str, kind: FieldKind) -> Field {
    Field {
        name: name.to_owned(),
        kind,
    }
}

/// Persons made of every surname with some given names and years; each has one record in
/// Cyrillic and, for most, one in a romanization with the year sometimes off by one. The true
/// person is the id before the slash.
fn records() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut person = 0;
    for (s, surname) in SURNAMES.iter().enumerate() {
        for (g, given) in GIVEN.iter().enumerate() {
            if (s + g) % 2 == 1 {
                continue;
            }
            person += 1;
            let year = 1900 + ((s * 7 + g * 3) % 25) as i32;
            out.push((
                format!("{person}/a"),
                vec![format!("{surname} {given}"), year.to_string()],
            ));
            if person % 5 != 0 {
                let standard =
                    [Standard::Icao9303, Standard::BgnPcgn, Standard::Gost779B][person % 3];
                let written = romanize(&format!("{given} {surname}"), standard);
                let year = if person % 4 == 0 { year + 1 } else { year };
                out.push((format!("{person}/b"), vec![written, year.to_string()]));
            }
        }
    }
    out
}

fn same_person(dataset: &Dataset, pair: &PairResult) -> bool {
    let person = |i: u32| dataset.ids[i as usize].split('/').next().map(str::to_owned);
    person(pair.left) == person(pair.right)
}

#[test]
fn records_of_one_person_in_two_scripts_are_linked_and_namesakes_are_not() {
    let dataset = Dataset::dedupe(
        vec![
            field("name", FieldKind::Name),
            field("birth_year", FieldKind::Date),
        ],
        records(),
    );
    let linkage = link(&dataset, &[]);
    let matches: Vec<&PairResult> = linkage
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Match)
        .collect();
    let true_pairs = dataset.ids.iter().filter(|id| id.ends_with("/b")).count();
    let correct = matches.iter().filter(|p| same_person(&dataset, p)).count();
    for r in &linkage.rules {
        eprintln!("{r:?}");
    }
    eprintln!("{:?}", linkage.model);
    for p in &linkage.pairs {
        eprintln!(
            "{} {} {:.3} {:?} {}",
            dataset.ids[p.left as usize],
            dataset.ids[p.right as usize],
            p.probability,
            p.decision,
            linkage.explain(&dataset, p)
        );
    }
    assert!(
        correct * 100 >= true_pairs * 95,
        "{correct} of {true_pairs} true pairs found"
    );
    assert!(
        (matches.len() - correct) * 100 <= matches.len() * 3,
        "{} false matches of {}",
        matches.len() - correct,
        matches.len()
    );
    // Every decision names the weight of every field.
    let explanation = linkage.explain(&dataset, matches[0]);
    assert!(
        explanation.contains("name: ") && explanation.contains("prior "),
        "{explanation}"
    );
}

#[test]
fn two_lists_are_compared_only_across() {
    let all = records();
    let (left, right): (Vec<_>, Vec<_>) = all.into_iter().partition(|(id, _)| id.ends_with("/a"));
    let dataset = Dataset::link(
        vec![
            field("name", FieldKind::Name),
            field("birth_year", FieldKind::Date),
        ],
        left,
        right,
    );
    let linkage = link(&dataset, &[]);
    let left_len = dataset.left_len.unwrap_or(0) as u32;
    assert!(
        linkage
            .pairs
            .iter()
            .all(|p| p.left < left_len && p.right >= left_len)
    );
    let correct = linkage
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Match && same_person(&dataset, p))
        .count();
    let true_pairs = dataset.len() - left_len as usize;
    assert!(
        correct * 100 >= true_pairs * 95,
        "{correct} of {true_pairs}"
    );
}

#[test]
fn a_common_surname_weighs_less_than_a_rare_one() {
    let mut records = records();
    for k in 0..40 {
        records.push((
            format!("x{k}/a"),
            vec![format!("Ахметов Ерлан{k}"), String::new()],
        ));
    }
    let dataset = Dataset::dedupe(vec![field("surname", FieldKind::Name)], records);
    let linkage = link(&dataset, &[]);
    let frequencies = Frequencies::count(&dataset);
    let find = |name: &str| {
        dataset
            .values
            .iter()
            .position(|v| matches!(&v[0], Value::Name(n) if n.folded == name))
            .unwrap_or(0)
    };
    let exact = [0u8];
    let common = linkage.model.weights(
        &dataset,
        &frequencies,
        (find("ахметов"), find("ахметов")),
        &exact,
    )[0];
    let rare = linkage.model.weights(
        &dataset,
        &frequencies,
        (find("момышулы бауыржан"), find("момышулы бауыржан")),
        &exact,
    )[0];
    assert!(common < rare, "{common:?} {rare:?}");
}

#[test]
fn a_name_agreeing_crosswise_weighs_as_common_as_it_is_in_its_own_column() {
    // Thirty men named Есен Абдрахманов, and one record with the two words the other way round:
    // "Есен" is rare as a surname, but the surname that agreed is the common Абдрахманов.
    let mut records: Vec<(String, Vec<String>)> = (0..30)
        .map(|k| (format!("s{k}"), vec!["Абдрахманов".into(), "Есен".into()]))
        .collect();
    for (k, surname) in SURNAMES.iter().enumerate() {
        records.push((
            format!("o{k}"),
            vec![(*surname).into(), GIVEN[k % 10].into()],
        ));
    }
    records.push(("swapped".into(), vec!["Есен".into(), "Абдрахманов".into()]));
    let fields = vec![
        field("surname", FieldKind::Name),
        field("given_name", FieldKind::Name),
    ];
    let dataset = Dataset::dedupe(fields, records);
    let frequencies = Frequencies::count(&dataset);
    let model = link(&dataset, &[]).model;
    let swapped = dataset.len() - 1;
    let crosswise = model.weights(&dataset, &frequencies, (swapped, 0), &[0, 0]);
    let straight = model.weights(&dataset, &frequencies, (1, 0), &[0, 0]);
    assert_eq!(crosswise, straight);
}

#[test]
fn a_stored_model_fits_only_the_fields_and_levels_it_was_learned_for() {
    let fields = vec![
        field("surname", FieldKind::Name),
        field("born", FieldKind::Date),
    ];
    let records: Vec<(String, Vec<String>)> = (0..40)
        .map(|k| {
            (
                format!("r{k}"),
                vec![SURNAMES[k % 12].into(), format!("19{:02}", k % 30)],
            )
        })
        .collect();
    let model = link(&Dataset::dedupe(fields.clone(), records), &[]).model;
    assert!(model.fits(&fields));
    assert!(!model.fits(&fields[..1]));
    let mut other_kind = fields.clone();
    other_kind[1].kind = FieldKind::Category;
    assert!(!model.fits(&other_kind));
}

#[test]
fn empty_and_single_record_lists_link_to_nothing() {
    let fields = vec![field("name", FieldKind::Name)];
    let empty = Dataset::dedupe(fields.clone(), Vec::new());
    assert!(link(&empty, &[]).pairs.is_empty());
    let one = Dataset::dedupe(fields, vec![("1".into(), vec!["Ахметов".into()])]);
    assert!(link(&one, &[]).pairs.is_empty());
}

#[test]
fn a_given_name_written_in_the_surname_column_still_links() {
    let mut records = Vec::new();
    for (s, surname) in SURNAMES.iter().enumerate() {
        for (g, given) in GIVEN.iter().enumerate() {
            let person = s * GIVEN.len() + g;
            let year = (1900 + (s * 7 + g * 3) % 25).to_string();
            let region = ["Алма-Атинская обл.", "Ташкентская обл.", "Фрунзенская обл."][g % 3];
            let row =
                |a: &str, b: &str| vec![a.to_owned(), b.to_owned(), year.clone(), region.into()];
            records.push((format!("{person}/a"), row(surname, given)));
            if person.is_multiple_of(2) {
                let b = if person.is_multiple_of(4) {
                    row(given, surname)
                } else {
                    row(surname, given)
                };
                records.push((format!("{person}/b"), b));
            }
        }
    }
    let dataset = Dataset::dedupe(
        vec![
            field("surname", FieldKind::Name),
            field("given_name", FieldKind::Name),
            field("birth_year", FieldKind::Date),
            field("region", FieldKind::Place),
        ],
        records,
    );
    let linkage = link(&dataset, &[]);
    let matched: Vec<&PairResult> = linkage
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Match)
        .collect();
    let swapped_found = matched
        .iter()
        .filter(|p| same_person(&dataset, p))
        .filter(|p| {
            let person: usize = dataset.ids[p.left as usize]
                .split('/')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(1);
            person.is_multiple_of(4)
        })
        .count();
    let swapped = SURNAMES.len() * GIVEN.len() / 4;
    assert_eq!(swapped_found, swapped, "swapped pairs linked");
    let wrong = matched.iter().filter(|p| !same_person(&dataset, p)).count();
    assert_eq!(wrong, 0, "namesakes linked");
}

#[test]
fn address_lines_written_the_other_way_round_agree() {
    let dataset = Dataset::dedupe(
        vec![
            field("name", FieldKind::Name),
            field("address_1", FieldKind::Place),
            field("address_2", FieldKind::Place),
        ],
        vec![
            (
                "a".into(),
                vec!["Ахметов".into(), "ул. Абая 5".into(), "Алма-Ата".into()],
            ),
            (
                "b".into(),
                vec!["Ахметов".into(), "Алма-Ата".into(), "ул. Абая 5".into()],
            ),
            (
                "c".into(),
                vec!["Ахметов".into(), "Караганда".into(), "ул. Ленина 7".into()],
            ),
        ],
    );
    assert_eq!(dataset.compare(0, 1), vec![0, 0, 0]);
    let different = compare::levels(FieldKind::Place).len() as u8 - 1;
    assert_eq!(dataset.compare(0, 2), vec![0, different, different]);
}

#[test]
fn an_incremental_run_finds_every_pair_with_a_new_record_and_no_other() {
    let dataset = Dataset::dedupe(
        vec![
            field("name", FieldKind::Name),
            field("birth_year", FieldKind::Date),
        ],
        records(),
    );
    let new_from = dataset.len() * 2 / 3;
    for rule in Rule::defaults(&dataset) {
        let (all, _) = rule.pairs(&dataset, None);
        let (new, _) = rule.pairs(&dataset, Some(new_from));
        let expected: Vec<(u32, u32)> = all
            .into_iter()
            .filter(|(_, b)| *b as usize >= new_from)
            .collect();
        assert_eq!(new, expected, "{}", rule.describe(&dataset));
    }
}

#[test]
fn long_values_are_compared_by_their_beginning() {
    let long = "Тыл ".repeat(50_000);
    match Value::new(FieldKind::Text, &long) {
        Value::Plain { folded, .. } => assert!(folded.chars().count() <= COMPARED_CHARS),
        other => panic!("{other:?}"),
    }
    let name = "Иван ".repeat(50_000);
    match Value::new(FieldKind::Name, &name) {
        Value::Name(n) => assert!(n.words.len() <= COMPARED_CHARS / 5 + 1, "{}", n.words.len()),
        other => panic!("{other:?}"),
    }
}
