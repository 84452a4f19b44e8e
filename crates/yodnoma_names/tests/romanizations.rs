//! Every romanization of a name must reach the name's keys: the phonetic key almost always, the
//! Latin key for the romanizations families mostly meet. The figures are printed so that a change
//! of the keys shows what it gains or loses.

use yodnoma_names::romanize::{Standard, romanize};
use yodnoma_names::words;

/// Surnames and given names of the five republics, as Soviet and modern documents write them.
const NAMES: [&str; 52] = [
    "момышұлы",
    "бауыржан",
    "молдагулова",
    "алия",
    "мәметова",
    "мәншүк",
    "абдуллаев",
    "уразов",
    "ибрагимов",
    "қошқарбаев",
    "рахимжан",
    "сейткали",
    "шопоков",
    "дүйшенкул",
    "төлебердиев",
    "чолпонбай",
    "атаев",
    "кайгысыз",
    "рахимов",
    "собир",
    "ёкубов",
    "юсупов",
    "ҷӯраев",
    "ғафуров",
    "нурмагамбетов",
    "сагадат",
    "кожахметович",
    "бигельдинов",
    "тоқтаров",
    "төлеген",
    "жұмабаев",
    "ўразов",
    "хўжаев",
    "ҳамроқулов",
    "ниязов",
    "аманкелді",
    "әбілқайыр",
    "жанысбек",
    "фазыл",
    "шевченко",
    "цой",
    "эргашев",
    "ишмухамедов",
    "садык",
    "айтбай",
    "бейсеков",
    "нұрлан",
    "ерлан",
    "гүлсара",
    "зуура",
    "мамыт",
    "қасым",
];

fn agreement(standard: Standard) -> (usize, usize, Vec<String>) {
    let (mut latin, mut phonetic, mut misses) = (0, 0, Vec::new());
    for name in NAMES {
        let romanized = romanize(name, standard);
        let (a, b) = (words(name), words(&romanized));
        assert_eq!(a.len(), 1, "{name}");
        let Some(b) = b.first().filter(|_| b.len() == 1) else {
            misses.push(format!("{name} → {romanized}: not one word"));
            continue;
        };
        latin += usize::from(a[0].latin == b.latin);
        if a[0].phonetic == b.phonetic {
            phonetic += 1;
        } else {
            misses.push(format!(
                "{name} → {romanized}: {} ≠ {}",
                a[0].phonetic, b.phonetic
            ));
        }
    }
    (latin, phonetic, misses)
}

#[test]
fn every_romanization_reaches_the_keys_of_the_name() {
    let (mut latin, mut phonetic) = (0, 0);
    for standard in Standard::ALL {
        let (l, p, misses) = agreement(standard);
        eprintln!(
            "{:<18} Latin key {l}/{n}, phonetic key {p}/{n} {misses:?}",
            standard.label(),
            n = NAMES.len()
        );
        // The romanizations of Russian passports and of the national alphabets in use today
        // must reach the same phonetic key for every name.
        if matches!(
            standard,
            Standard::Icao9303
                | Standard::BgnPcgn
                | Standard::KazakhLatin2021
                | Standard::UzbekLatin
                | Standard::TurkmenLatin
                | Standard::SovietPassport
        ) {
            assert!(misses.is_empty(), "{}: {misses:?}", standard.label());
        }
        latin += l;
        phonetic += p;
    }
    let all = NAMES.len() * Standard::ALL.len();
    eprintln!("all: Latin key {latin}/{all}, phonetic key {phonetic}/{all}");
    assert!(phonetic * 100 >= all * 98, "phonetic {phonetic}/{all}");
    assert!(latin * 100 >= all * 80, "latin {latin}/{all}");
}
