//! # yodnoma_gen — synthetic source records
//!
//! The library behind `yodnoma gen records --count N --seed S`: it writes
//! `N` synthetic but realistic *source records* about people of Central Asia
//! in the Second World War as CSV (header [`COLUMNS`]), for benchmarks and
//! tests of import, name search and record linkage. The same seed gives
//! byte-identical output; the only randomness is a
//! [`rand_chacha::ChaCha8Rng`] seeded with [`GenConfig::seed`].
//!
//! ## Model
//!
//! Persons are generated first, then 1–4 records per person (45 % one,
//! 30 % two, 17 % three, 8 % four — mean ≈ 1.88), stopping exactly at
//! `count` records. Each record of a person comes from a different document
//! (distinct `source_ref`); the document *types* are distinct as far as the
//! person's history allows, after that a type repeats (a second memory-book
//! volume, a second loss report — both common in the real archives). Every
//! record renders the person's canonical data with *independent* clerical
//! variation (see `variation.rs` — Ж/Дж, double consonants,
//! о/у/а, е/э, и/ы, п/ф, д/т, dropped ё, typos, initials, missing or
//! Central-Asian-style patronymics, surname and given name swapped,
//! partial and off-by-one birth dates, differently written places), so the
//! ground truth `true_person` can be used to measure search and linkage.
//! Records pass through a 4096-record shuffle buffer, so the records of one
//! person are near each other in the file but rarely adjacent; `record_id`
//! is assigned in output order (`r0000001`, …), `true_person` in generation
//! order (`t000001`, …).
//!
//! | category     | share | main source        | notes                                        |
//! |--------------|-------|--------------------|----------------------------------------------|
//! | `served`     | 80 %  | `draft_list`       | ≈4 % women (medical, signals, AA units)       |
//! | `home_front` | 10 %  | `labour_register`  | ≈50 % women; Germans and Koreans over-represented (labour army) |
//! | `evacuee`    | 6 %   | `evacuation_list`  | Russians, Jews, Ukrainians, Belarusians; ≈65 % women |
//! | `partisan`   | 1.5 % | `draft_list`       | encircled soldiers in Belarus/Ukraine          |
//! | `pow`        | 1.5 % | `draft_list`       | fate mostly `missing`, deaths in Stalags       |
//! | `civilian`   | 1 %   | `labour_register`  | or only a `memory_book` entry                  |
//!
//! * Republic of the draft: Uzbek SSR 42, Kazakh SSR 37, Kirghiz SSR 10,
//!   Tajik SSR 8, Turkmen SSR 5 (roughly the numbers mobilised); evacuees:
//!   Uzbek 50, Kazakh 35, Kirghiz 8, Tajik 4, Turkmen 3. Oblast by 1939
//!   population; nationality by the 1939 census of the republic
//!   (e.g. Kazakh SSR: 38 % Kazakhs, 38 % Russians, 10 % Ukrainians, …),
//!   Germans ×0.1 and Koreans ×0.3 among soldiers, ×5 and ×3 on the home
//!   front.
//! * Births 1890–1927, ≈92 % of soldiers born 1900–1925; draft 22 Jun 1941
//!   – Apr 1945, not before age 18 (the 1926–27 cohorts from Nov 1943/44),
//!   most in 1941–1942.
//! * Fates of soldiers: survived 42 %, died later 22 %, killed 17 %,
//!   missing 9 %, died of wounds 4 %, unknown 6 % (≈30 % irrecoverable
//!   losses). Deaths 1941–1945 weighted by the yearly Soviet losses, never
//!   before the draft; places by the year's main theatres of war.
//! * Units: generic numbered regiments, divisions, brigades (medical,
//!   signals and anti-aircraft units for women); about 6 % of Kazakh,
//!   4 % of Kyrgyz, 2 % of Turkmen and 1 % of Uzbek/Tajik draftees in the
//!   formations raised in Central Asia (316-я / 8-я гвардейская сд, 100-я
//!   and 101-я осбр, 106-я, 97-я, 61-я, 63-я, 81-я кд).
//! * Ranks: ≈70 % privates (written "красноармеец" in wartime documents,
//!   "рядовой" in memory books), NCOs ≈23 %, officers ≈6 %.
//! * Awards: 12 % of privates, 30 % of NCOs, 50 % of officers, a quarter of
//!   them twice; medals «За отвагу» / «За боевые заслуги» most common, the
//!   Order of Glory only for enlisted men, never before it was instituted;
//!   "Герой Советского Союза" for 0.01 % of soldiers.
//! * Sources: `loss_report` only for the killed/missing/died of wounds,
//!   `award_sheet` only for the awarded (one sheet per award),
//!   `draft_list` only for those who served, `evacuation_list` only for
//!   evacuees, `labour_register` only for people with a workplace,
//!   `memory_book` for anyone.
//!
//! Facts (administrative divisions 1939–1945, units, awards, archives) are
//! common knowledge; see the comments in `data.rs` for each table.
//!
//! ## Performance
//!
//! [`write_records`] reuses one record's strings and a fixed shuffle buffer:
//! after warm-up it does not allocate per record.

mod data;
mod variation;

use std::fmt::{self, Write as _};
use std::io;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use yodnoma_core::{Category, Fate};

use data::{
    AWARD_INVENTORIES, AwardClass, AwardKind, DEATH_AREAS, EVAC_CITIES, EVACUEE_NATS, EvacArea,
    FAMOUS_UNITS, FEMALE_RANKS, FRONT_VILLAGES, HERO, HOSPITAL_TOWNS, KOLKHOZ_NAMES, LABOUR_ARMY,
    LOSS_INVENTORIES, MANCHURIA, Nat, PARTISAN_AREAS, PARTISAN_UNITS, POW_CAMPS, RANKS, REPUBLICS,
    Rank, Region, Republic, Site, UNIT_TEMPLATES, UnitStyle, WORKPLACES, Weighted, takes_village,
};
use variation::{
    Sloppiness, Varier, make_upper, push_feminine_surname, push_patronymic, push_russified_surname,
    push_text, short_given_name,
};

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenConfig {
    /// Number of records (not persons) to write.
    pub count: u64,
    /// Seed of the ChaCha8 generator; same seed ⇒ same output.
    pub seed: u64,
}

/// The CSV header, in order.
pub const COLUMNS: &[&str] = &[
    "record_id",
    "source",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "birth_place",
    "region",
    "country",
    "nationality",
    "category",
    "rank",
    "unit",
    "award",
    "award_date",
    "fate",
    "death_date",
    "death_place",
    "burial_place",
    "source_ref",
    "workplace",
    "evacuated_from",
    "evacuated_to",
    "true_person",
];

/// Number of columns of a record.
pub const COLUMN_COUNT: usize = 24;

/// The values of `source`.
pub const SOURCES: &[&str] = &[
    "draft_list",
    "loss_report",
    "award_sheet",
    "memory_book",
    "evacuation_list",
    "labour_register",
];

/// Index of a column in [`COLUMNS`] / [`GeneratedRecord::fields`].
pub fn column_index(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| *c == name)
}

mod col {
    pub const RECORD_ID: usize = 0;
    pub const SOURCE: usize = 1;
    pub const SURNAME: usize = 2;
    pub const GIVEN_NAME: usize = 3;
    pub const PATRONYMIC: usize = 4;
    pub const BIRTH_DATE: usize = 5;
    pub const BIRTH_PLACE: usize = 6;
    pub const REGION: usize = 7;
    pub const COUNTRY: usize = 8;
    pub const NATIONALITY: usize = 9;
    pub const CATEGORY: usize = 10;
    pub const RANK: usize = 11;
    pub const UNIT: usize = 12;
    pub const AWARD: usize = 13;
    pub const AWARD_DATE: usize = 14;
    pub const FATE: usize = 15;
    pub const DEATH_DATE: usize = 16;
    pub const DEATH_PLACE: usize = 17;
    pub const BURIAL_PLACE: usize = 18;
    pub const SOURCE_REF: usize = 19;
    pub const WORKPLACE: usize = 20;
    pub const EVACUATED_FROM: usize = 21;
    pub const EVACUATED_TO: usize = 22;
    pub const TRUE_PERSON: usize = 23;
}

/// Error of [`write_records`].
#[derive(Debug)]
pub enum GenError {
    Io(io::Error),
    Csv(csv::Error),
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenError::Io(e) => write!(f, "I/O error while writing records: {e}"),
            GenError::Csv(e) => write!(f, "CSV error while writing records: {e}"),
        }
    }
}

impl std::error::Error for GenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GenError::Io(e) => Some(e),
            GenError::Csv(e) => Some(e),
        }
    }
}

impl From<io::Error> for GenError {
    fn from(e: io::Error) -> Self {
        GenError::Io(e)
    }
}

impl From<csv::Error> for GenError {
    fn from(e: csv::Error) -> Self {
        GenError::Csv(e)
    }
}

/// One generated source record.
///
/// `fields` holds the 24 values in the order of [`COLUMNS`]; empty string
/// means "not in this document".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GeneratedRecord {
    pub fields: [String; COLUMN_COUNT],
}

impl GeneratedRecord {
    /// The value of a column by name (`None` for an unknown column).
    pub fn get(&self, column: &str) -> Option<&str> {
        column_index(column).map(|i| self.fields[i].as_str())
    }

    /// The fields as string slices, in the order of [`COLUMNS`].
    pub fn to_row(&self) -> [&str; COLUMN_COUNT] {
        std::array::from_fn(|i| self.fields[i].as_str())
    }
}

/// Writes the header and `config.count` records.
pub fn write_records<W: io::Write>(config: &GenConfig, out: W) -> Result<(), GenError> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    let mut engine = Engine::new(config);
    let mut record = GeneratedRecord::default();
    while engine.next_into(&mut record) {
        writer.write_record(&record.fields)?;
    }
    writer.flush()?;
    Ok(())
}

/// Iterator form, used by tests and benchmarks. Yields exactly the records
/// [`write_records`] writes, in the same order.
pub fn records(config: &GenConfig) -> impl Iterator<Item = GeneratedRecord> + use<> {
    Records {
        engine: Engine::new(config),
    }
}

struct Records {
    engine: Engine,
}

impl Iterator for Records {
    type Item = GeneratedRecord;

    fn next(&mut self) -> Option<GeneratedRecord> {
        let mut record = GeneratedRecord::default();
        self.engine.next_into(&mut record).then_some(record)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.engine.count - self.engine.emitted).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

// ---------------------------------------------------------------------------
// Random helpers
// ---------------------------------------------------------------------------

type Rand = ChaCha8Rng;

fn chance(rng: &mut Rand, p: f64) -> bool {
    p > 0.0 && rng.random::<f64>() < p
}

fn pick<'a, T>(rng: &mut Rand, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn pick_str(rng: &mut Rand, items: &'static [&'static str]) -> &'static str {
    items[rng.random_range(0..items.len())]
}

/// Index `i < n` drawn with weight `w(i)`.
fn weighted_index(rng: &mut Rand, n: usize, w: impl Fn(usize) -> u32) -> usize {
    let total: u32 = (0..n).map(&w).sum();
    if total == 0 {
        return rng.random_range(0..n);
    }
    let mut x = rng.random_range(0..total);
    for i in 0..n {
        let wi = w(i);
        if x < wi {
            return i;
        }
        x -= wi;
    }
    n - 1
}

fn pick_weighted(rng: &mut Rand, items: Weighted) -> &'static str {
    items[weighted_index(rng, items.len(), |i| u32::from(items[i].1))].0
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/// A proleptic Gregorian calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    y: i32,
    m: u32,
    d: u32,
}

impl Date {
    const fn new(y: i32, m: u32, d: u32) -> Self {
        Date { y, m, d }
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    fn days(self) -> i64 {
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Inverse of [`Date::days`] (`civil_from_days`).
    fn from_days(z: i64) -> Self {
        let z = z + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date {
            y: i32::try_from(y).unwrap_or(1900),
            m: u32::try_from(m).unwrap_or(1),
            d: u32::try_from(d).unwrap_or(1),
        }
    }

    fn add_days(self, n: i64) -> Self {
        Date::from_days(self.days() + n)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

const WAR_START: Date = Date::new(1941, 6, 22);
const VICTORY: Date = Date::new(1945, 5, 9);
const MANCHURIA_START: Date = Date::new(1945, 8, 9);
const MANCHURIA_END: Date = Date::new(1945, 9, 2);
const LAST_DRAFT: Date = Date::new(1945, 4, 30);
const END_1945: Date = Date::new(1945, 12, 31);

/// Uniform date in `[lo, hi]` (or `lo` if the range is empty).
fn date_between(rng: &mut Rand, lo: Date, hi: Date) -> Date {
    let (a, b) = (lo.days(), hi.days());
    if b <= a {
        return lo;
    }
    Date::from_days(rng.random_range(a..=b))
}

/// Date in `[lo, hi]` whose year is drawn with `weights[y - 1941]` for the
/// war years (weight 1 outside them), then uniform within the year.
fn date_by_year(rng: &mut Rand, lo: Date, hi: Date, weights: &[u32; 5]) -> Date {
    if hi <= lo {
        return lo;
    }
    let years = (hi.y - lo.y + 1) as usize;
    let w = |i: usize| {
        let y = lo.y + i as i32;
        if (1941..=1945).contains(&y) {
            weights[(y - 1941) as usize]
        } else {
            1
        }
    };
    let y = lo.y + weighted_index(rng, years, w) as i32;
    let a = lo.max(Date::new(y, 1, 1));
    let b = hi.min(Date::new(y, 12, 31));
    date_between(rng, a, b)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Precision {
    Year,
    YearMonth,
    Full,
}

fn push_date(out: &mut String, d: Date, p: Precision) {
    let _ = write!(out, "{:04}", d.y);
    if p != Precision::Year {
        let _ = write!(out, "-{:02}", d.m);
    }
    if p == Precision::Full {
        let _ = write!(out, "-{:02}", d.d);
    }
}

/// Precision drawn from (full, year-month, year) weights in percent.
fn precision(rng: &mut Rand, full: u32, year_month: u32) -> Precision {
    let x = rng.random_range(0..100);
    if x < full {
        Precision::Full
    } else if x < full + year_month {
        Precision::YearMonth
    } else {
        Precision::Year
    }
}

// ---------------------------------------------------------------------------
// The person model
// ---------------------------------------------------------------------------

/// Soldiers, prisoners of war and partisans carry ranks, units and military losses.
fn is_military(c: Category) -> bool {
    matches!(c, Category::Served | Category::Pow | Category::Partisan)
}

/// Category shares (per mille).
const CATEGORY_WEIGHTS: &[(Category, u32)] = &[
    (Category::Served, 800),
    (Category::HomeFront, 100),
    (Category::Evacuee, 60),
    (Category::Partisan, 15),
    (Category::Pow, 15),
    (Category::Civilian, 10),
];

/// Killed, missing or dead of wounds: the losses that loss reports record. `None` is a fate no
/// document states.
fn is_loss(fate: Option<Fate>) -> bool {
    matches!(
        fate,
        Some(Fate::Killed | Fate::Missing | Fate::DiedOfWounds)
    )
}

fn fate_weights(c: Category) -> &'static [(Option<Fate>, u32)] {
    match c {
        Category::Served => &[
            (Some(Fate::Survived), 42),
            (Some(Fate::DiedLater), 22),
            (Some(Fate::Killed), 17),
            (Some(Fate::Missing), 9),
            (Some(Fate::DiedOfWounds), 4),
            (None, 6),
        ],
        // Most prisoners were reported missing; many died in the camps.
        Category::Pow => &[
            (Some(Fate::Missing), 45),
            (Some(Fate::Killed), 20),
            (Some(Fate::Survived), 25),
            (Some(Fate::DiedLater), 10),
        ],
        Category::Partisan => &[
            (Some(Fate::Killed), 25),
            (Some(Fate::Missing), 10),
            (Some(Fate::Survived), 45),
            (Some(Fate::DiedLater), 20),
        ],
        Category::HomeFront => &[
            (Some(Fate::Survived), 35),
            (Some(Fate::DiedLater), 25),
            (None, 40),
        ],
        Category::Evacuee => &[
            (Some(Fate::Survived), 35),
            (Some(Fate::DiedLater), 15),
            (None, 50),
        ],
        Category::Civilian => &[
            (Some(Fate::Survived), 40),
            (Some(Fate::DiedLater), 30),
            (Some(Fate::Killed), 10),
            (None, 20),
        ],
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    DraftList,
    LossReport,
    AwardSheet,
    MemoryBook,
    EvacuationList,
    LabourRegister,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::DraftList => "draft_list",
            Source::LossReport => "loss_report",
            Source::AwardSheet => "award_sheet",
            Source::MemoryBook => "memory_book",
            Source::EvacuationList => "evacuation_list",
            Source::LabourRegister => "labour_register",
        }
    }

    /// How carelessly names were written in this kind of document.
    fn sloppiness(self) -> Sloppiness {
        let (rate, drop_yo) = match self {
            Source::DraftList => (1.0, 0.5),
            // Front-line clerks, often writing down what they heard.
            Source::LossReport => (1.4, 0.6),
            Source::AwardSheet => (0.8, 0.5),
            // Retyped in the 1990s from loss reports, without ё.
            Source::MemoryBook => (0.7, 0.8),
            Source::EvacuationList => (1.2, 0.5),
            Source::LabourRegister => (1.0, 0.5),
        };
        Sloppiness { rate, drop_yo }
    }

    /// Wartime document (as opposed to a post-war memory book).
    fn wartime(self) -> bool {
        self != Source::MemoryBook
    }
}

/// Where a person lived (and, mostly, was born): a town or a village.
#[derive(Clone, Copy, Debug)]
enum Home {
    Town(&'static str),
    Village { district: usize, village: usize },
}

#[derive(Clone, Copy, Debug)]
enum BirthPlace {
    /// Born where they lived.
    Home,
    /// Born outside Central Asia (settlers, deportees).
    Outside(&'static str),
    /// Evacuee born in the city evacuated from (index into EVAC_CITIES).
    EvacCity(usize),
}

#[derive(Clone, Copy, Debug)]
enum Surname {
    Plain(&'static str),
    /// Kazakh "son of" surname built from an ancestor's name (Момыш-улы).
    SonOf(&'static str),
}

#[derive(Clone, Copy, Debug)]
enum Unit {
    Generic { template: usize, number: u16 },
    Famous(usize),
    Partisan(&'static str),
}

#[derive(Clone, Copy, Debug)]
struct Military {
    draft: Date,
    /// Index into `RANKS` or `FEMALE_RANKS`.
    rank: usize,
    female_ranks: bool,
    unit: Unit,
}

impl Military {
    fn ranks(&self) -> &'static [Rank] {
        if self.female_ranks {
            FEMALE_RANKS
        } else {
            RANKS
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum DeathPlace {
    None,
    Front {
        area: &'static str,
        village: usize,
        burial_village: usize,
    },
    Hospital {
        town: usize,
        number: u16,
        field: bool,
    },
    Camp(usize),
}

#[derive(Clone, Copy, Debug)]
struct Award {
    kind: &'static AwardKind,
    date: Date,
}

#[derive(Clone, Copy, Debug)]
struct Workplace {
    name: &'static str,
    number: u16,
}

#[derive(Clone, Copy, Debug)]
struct Person {
    id: u64,
    category: Category,
    female: bool,
    nat: Nat,
    surname: Surname,
    given: &'static str,
    father: &'static str,
    birth: Date,
    rep: usize,
    /// Oblast of residence / draft (the `region` column).
    region: usize,
    /// Oblast of [`Person::birth_home`].
    birth_region: usize,
    /// Residence.
    home: Home,
    /// Place of birth when `birth_place` is [`BirthPlace::Home`].
    birth_home: Home,
    birth_place: BirthPlace,
    evac_from: Option<usize>,
    military: Option<Military>,
    fate: Option<Fate>,
    death: Option<Date>,
    death_place: DeathPlace,
    awards: [Option<Award>; 2],
    workplace: Option<Workplace>,
}

impl Person {
    fn republic(&self) -> &'static Republic {
        &REPUBLICS[self.rep]
    }

    fn region(&self) -> &'static Region {
        &self.republic().regions[self.region]
    }

    fn award_count(&self) -> usize {
        self.awards.iter().flatten().count()
    }
}

/// Birth-year weights: (first year, last year, weight per year).
type YearTable = &'static [(i32, i32, u32)];

const BIRTH_SOLDIER: YearTable = &[
    (1890, 1899, 2),
    (1900, 1909, 8),
    (1910, 1919, 14),
    (1920, 1923, 16),
    (1924, 1925, 10),
    (1926, 1926, 4),
    (1927, 1927, 1),
];
const BIRTH_SOLDIER_FEMALE: YearTable = &[(1905, 1914, 2), (1915, 1925, 8), (1926, 1926, 1)];
const BIRTH_HOME_FRONT: YearTable = &[
    (1890, 1899, 3),
    (1900, 1909, 5),
    (1910, 1919, 6),
    (1920, 1925, 6),
    (1926, 1927, 5),
];
const BIRTH_EVACUEE: YearTable = &[
    (1890, 1899, 3),
    (1900, 1909, 4),
    (1910, 1919, 4),
    (1920, 1924, 5),
    (1925, 1927, 8),
];
const BIRTH_CIVILIAN: YearTable = &[(1890, 1927, 1)];

fn birth_year(rng: &mut Rand, table: YearTable) -> i32 {
    let total: u32 = table.iter().map(|&(a, b, w)| (b - a + 1) as u32 * w).sum();
    let mut x = rng.random_range(0..total);
    for &(a, b, w) in table {
        let span = (b - a + 1) as u32 * w;
        if x < span {
            return a + (x / w) as i32;
        }
        x -= span;
    }
    1915
}

/// Records per person: 1–4 with 45/30/17/8 %.
const RECORDS_PER_PERSON: [u32; 4] = [45, 30, 17, 8];

/// Size of the output shuffle buffer.
const SHUFFLE: u64 = 4096;

// ---------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------

struct Engine {
    rng: Rand,
    count: u64,
    produced: u64,
    emitted: u64,
    next_person: u64,
    buffer: Vec<GeneratedRecord>,
    person: Option<Person>,
    plan: [Source; 4],
    plan_len: usize,
    plan_pos: usize,
    award_sheets: usize,
    refs: [String; 4],
    varier: Varier,
    s1: String,
    s2: String,
}

impl Engine {
    fn new(config: &GenConfig) -> Self {
        let mut engine = Engine {
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            count: config.count,
            produced: 0,
            emitted: 0,
            next_person: 1,
            buffer: Vec::new(),
            person: None,
            plan: [Source::MemoryBook; 4],
            plan_len: 0,
            plan_pos: 0,
            award_sheets: 0,
            refs: Default::default(),
            varier: Varier::default(),
            s1: String::new(),
            s2: String::new(),
        };
        let initial = config.count.min(SHUFFLE);
        engine.buffer.reserve(initial as usize);
        for _ in 0..initial {
            let mut record = GeneratedRecord::default();
            engine.produce(&mut record);
            engine.buffer.push(record);
        }
        engine
    }

    /// Moves the next output record into `out` (recycling `out`'s strings);
    /// `false` when all records have been emitted.
    fn next_into(&mut self, out: &mut GeneratedRecord) -> bool {
        if self.emitted >= self.count || self.buffer.is_empty() {
            return false;
        }
        let i = self.rng.random_range(0..self.buffer.len());
        std::mem::swap(out, &mut self.buffer[i]);
        if self.produced < self.count {
            let mut slot = std::mem::take(&mut self.buffer[i]);
            self.produce(&mut slot);
            self.buffer[i] = slot;
        } else {
            self.buffer.swap_remove(i);
        }
        self.emitted += 1;
        let id = &mut out.fields[col::RECORD_ID];
        id.clear();
        let _ = write!(id, "r{:07}", self.emitted);
        true
    }

    fn produce(&mut self, record: &mut GeneratedRecord) {
        if self.person.is_none() || self.plan_pos >= self.plan_len {
            self.start_person();
        }
        let Some(person) = self.person else {
            return;
        };
        let source = self.plan[self.plan_pos];
        let ordinal = self.plan_pos;
        self.plan_pos += 1;
        self.render(&person, source, ordinal, record);
        self.produced += 1;
    }

    fn start_person(&mut self) {
        let person = self.new_person();
        let left = self.count - self.produced;
        let k = weighted_index(&mut self.rng, 4, |i| RECORDS_PER_PERSON[i]) as u64 + 1;
        let k = k.min(left).max(1) as usize;
        self.plan_sources(&person, k);
        self.plan_pos = 0;
        self.award_sheets = 0;
        self.person = Some(person);
    }

    /// Chooses the document types of a person's `k` records: distinct types
    /// first (weighted), then repeats of the repeatable ones.
    fn plan_sources(&mut self, p: &Person, k: usize) {
        let loss = is_military(p.category) && is_loss(p.fate);
        // (source, weight when first chosen, weight of a repeat, max count)
        let candidates: [(Source, u32, u32, usize); 6] = [
            (
                Source::DraftList,
                if is_military(p.category) { 5 } else { 0 },
                2,
                4,
            ),
            (Source::LossReport, if loss { 6 } else { 0 }, 3, 4),
            (
                Source::AwardSheet,
                if p.award_count() > 0 { 5 } else { 0 },
                5,
                p.award_count(),
            ),
            (Source::MemoryBook, 3, 3, 4),
            (
                Source::EvacuationList,
                if p.category == Category::Evacuee {
                    6
                } else {
                    0
                },
                2,
                4,
            ),
            (
                Source::LabourRegister,
                if p.workplace.is_some() { 6 } else { 0 },
                2,
                4,
            ),
        ];
        let mut used = [0usize; 6];
        for slot in 0..k {
            let first_round = used
                .iter()
                .zip(&candidates)
                .any(|(&u, c)| u == 0 && c.1 > 0);
            let w = |i: usize| {
                let (_, first, again, max) = candidates[i];
                if first == 0 || used[i] >= max {
                    0
                } else if first_round {
                    if used[i] == 0 { first } else { 0 }
                } else {
                    again
                }
            };
            let i = weighted_index(&mut self.rng, 6, w);
            // Memory books are always possible, so `w` is never all zero
            // unless every type is exhausted; fall back to a memory book.
            let i = if w(i) == 0 { 3 } else { i };
            used[i] += 1;
            self.plan[slot] = candidates[i].0;
        }
        self.plan_len = k;
    }

    fn new_person(&mut self) -> Person {
        let rng = &mut self.rng;
        let id = self.next_person;
        self.next_person += 1;

        let category = CATEGORY_WEIGHTS
            [weighted_index(rng, CATEGORY_WEIGHTS.len(), |i| CATEGORY_WEIGHTS[i].1)]
        .0;
        let evacuee = category == Category::Evacuee;
        let rep = weighted_index(rng, REPUBLICS.len(), |i| {
            u32::from(if evacuee {
                REPUBLICS[i].evac_weight
            } else {
                REPUBLICS[i].draft_weight
            })
        });
        let republic = &REPUBLICS[rep];
        let region = weighted_index(rng, republic.regions.len(), |i| {
            u32::from(republic.regions[i].weight)
        });
        let reg = &republic.regions[region];

        let nat = if evacuee {
            EVACUEE_NATS[weighted_index(rng, EVACUEE_NATS.len(), |i| u32::from(EVACUEE_NATS[i].1))]
                .0
        } else {
            let nats = republic.nats;
            nats[weighted_index(rng, nats.len(), |i| {
                let (n, w) = nats[i];
                let w = u32::from(w) * 10;
                match (category, n) {
                    (Category::HomeFront, Nat::German) => w * 5,
                    (Category::HomeFront, Nat::Korean) => w * 3,
                    (Category::Served | Category::Pow | Category::Partisan, Nat::German) => w / 10,
                    (Category::Served | Category::Pow | Category::Partisan, Nat::Korean) => {
                        w * 3 / 10
                    }
                    _ => w,
                }
            })]
            .0
        };
        let nd = data::nationality(nat);

        let female_p = match category {
            Category::Served => 0.04,
            Category::HomeFront => 0.5,
            Category::Evacuee => 0.65,
            Category::Partisan => 0.1,
            Category::Pow => 0.01,
            Category::Civilian => 0.55,
        };
        let female = chance(rng, female_p);

        let year = birth_year(
            rng,
            match category {
                Category::Served if female => BIRTH_SOLDIER_FEMALE,
                Category::Served | Category::Pow | Category::Partisan => BIRTH_SOLDIER,
                Category::HomeFront => BIRTH_HOME_FRONT,
                Category::Evacuee => BIRTH_EVACUEE,
                Category::Civilian => BIRTH_CIVILIAN,
            },
        );
        let birth = date_between(rng, Date::new(year, 1, 1), Date::new(year, 12, 31));

        let surname = if matches!(nat, Nat::Kazakh | Nat::Karakalpak) && chance(rng, 0.03) {
            Surname::SonOf(pick_weighted(rng, nd.male))
        } else {
            Surname::Plain(pick_weighted(rng, nd.surnames))
        };
        let given = pick_weighted(rng, if female { nd.female } else { nd.male });
        let father = pick_weighted(rng, nd.male);

        // Residence: evacuees mostly went to towns.
        let town_p = match (category, nat) {
            (Category::Evacuee, _) => 0.85,
            (_, Nat::Russian | Nat::Ukrainian | Nat::Jewish | Nat::Tatar) => 0.4,
            _ => 0.2,
        };
        let home = if chance(rng, town_p) {
            if reg.towns.is_empty() || chance(rng, 0.7) {
                Home::Town(reg.center)
            } else {
                Home::Town(pick_str(rng, reg.towns))
            }
        } else {
            let district = rng.random_range(0..reg.districts.len());
            let village = rng.random_range(0..reg.districts[district].villages.len());
            Home::Village { district, village }
        };

        let evac_from = if evacuee {
            Some(weighted_index(rng, EVAC_CITIES.len(), |i| {
                let c = &EVAC_CITIES[i];
                let w = u32::from(c.weight);
                match (nat, c.area) {
                    (Nat::Russian, EvacArea::Russia) => w * 3,
                    (Nat::Ukrainian, EvacArea::Ukraine) => w * 4,
                    (Nat::Belarusian, EvacArea::Belarus) => w * 6,
                    (Nat::Jewish, EvacArea::Ukraine | EvacArea::Belarus) => w * 2,
                    _ => w,
                }
            }))
        } else {
            None
        };
        let birth_home = home;
        let birth_place = match evac_from {
            Some(c) => BirthPlace::EvacCity(c),
            None if chance(rng, nd.outside_birth_p) => {
                BirthPlace::Outside(pick_str(rng, nd.outside_birth))
            }
            None => BirthPlace::Home,
        };

        let military = if is_military(category) {
            Some(Self::new_military(rng, category, female, birth, rep))
        } else {
            None
        };

        let fates = fate_weights(category);
        let fate = fates[weighted_index(rng, fates.len(), |i| fates[i].1)].0;
        let (death, death_place) = Self::new_death(rng, category, fate, military.as_ref());

        // Home-front workers live where they work; they were born at home.
        let birth_region = region;
        let (mut region, mut home) = (region, home);
        let workplace = match Self::new_workplace(rng, category, nat, rep, reg) {
            Some((w, Some(site_region))) => {
                if let Some(i) = republic.regions.iter().position(|r| r.name == site_region)
                    && i != region
                {
                    region = i;
                    home = Home::Town(republic.regions[i].center);
                }
                Some(w)
            }
            Some((w, None)) => Some(w),
            None => None,
        };
        let awards = Self::new_awards(rng, category, female, military.as_ref(), death, workplace);

        Person {
            id,
            category,
            female,
            nat,
            surname,
            given,
            father,
            birth,
            rep,
            region,
            birth_region,
            home,
            birth_home,
            birth_place,
            evac_from,
            military,
            fate,
            death,
            death_place,
            awards,
            workplace,
        }
    }

    fn new_military(
        rng: &mut Rand,
        category: Category,
        female: bool,
        birth: Date,
        rep: usize,
    ) -> Military {
        // Called up at 18 at the earliest; the 1926–1927 cohorts went in
        // November 1943 and 1944, i.e. a few months before turning 18.
        let mut earliest = WAR_START.max(Date::new(birth.y + 18, birth.m, birth.d.min(28)));
        if earliest > LAST_DRAFT {
            earliest = Date::new(1944, 11, 15);
        }
        let year_weights = if category == Category::Pow {
            // Most prisoners were taken in 1941–1942.
            [70, 25, 4, 1, 0]
        } else {
            [45, 30, 14, 8, 3]
        };
        let draft = date_by_year(rng, earliest, LAST_DRAFT, &year_weights);
        let female_ranks = female;
        let ranks: &[Rank] = if female { FEMALE_RANKS } else { RANKS };
        let rank = weighted_index(rng, ranks.len(), |i| u32::from(ranks[i].weight));

        let unit = if category == Category::Partisan {
            Unit::Partisan(pick_weighted(rng, PARTISAN_UNITS))
        } else {
            let bit = 1u8 << rep;
            let famous = |i: usize| {
                let u = &FAMOUS_UNITS[i];
                if u.republics & bit != 0 {
                    u32::from(u.per_mille)
                } else {
                    0
                }
            };
            let famous_total: u32 = (0..FAMOUS_UNITS.len()).map(famous).sum();
            if !female && chance(rng, f64::from(famous_total) / 1000.0) {
                Unit::Famous(weighted_index(rng, FAMOUS_UNITS.len(), famous))
            } else {
                let template = weighted_index(rng, UNIT_TEMPLATES.len(), |i| {
                    let t = &UNIT_TEMPLATES[i];
                    u32::from(if female { t.weight_f } else { t.weight_m })
                });
                let number = rng.random_range(1..=UNIT_TEMPLATES[template].max_number);
                Unit::Generic { template, number }
            }
        };
        Military {
            draft,
            rank,
            female_ranks,
            unit,
        }
    }

    fn new_death(
        rng: &mut Rand,
        category: Category,
        fate: Option<Fate>,
        military: Option<&Military>,
    ) -> (Option<Date>, DeathPlace) {
        if !is_loss(fate) {
            return (None, DeathPlace::None);
        }
        // Yearly shares of Soviet irrecoverable losses, roughly.
        const LOSS_YEARS: [u32; 5] = [25, 30, 22, 15, 8];
        let draft = military.map_or(Date::new(1941, 7, 1), |m| m.draft);
        let front = |rng: &mut Rand, date: Date| {
            let area = if date >= MANCHURIA_START {
                MANCHURIA
            } else {
                pick_weighted(rng, DEATH_AREAS[(date.y - 1941).clamp(0, 4) as usize])
            };
            let village = rng.random_range(0..FRONT_VILLAGES.len());
            let burial_village = if chance(rng, 0.8) {
                village
            } else {
                rng.random_range(0..FRONT_VILLAGES.len())
            };
            DeathPlace::Front {
                area,
                village,
                burial_village,
            }
        };
        let date = match category {
            Category::Pow if fate == Some(Fate::Killed) => {
                // Died in captivity.
                let d = date_by_year(
                    rng,
                    draft.add_days(60),
                    Date::new(1945, 5, 8),
                    &[30, 40, 15, 10, 5],
                );
                return (
                    Some(d),
                    DeathPlace::Camp(rng.random_range(0..POW_CAMPS.len())),
                );
            }
            Category::Pow => date_by_year(rng, draft.add_days(20), VICTORY, &[60, 30, 7, 2, 1]),
            Category::Partisan => {
                let d = date_by_year(
                    rng,
                    draft.add_days(60).max(Date::new(1941, 9, 1)),
                    Date::new(1944, 8, 31),
                    &[10, 35, 35, 20, 0],
                );
                let area = pick_weighted(rng, PARTISAN_AREAS);
                let village = rng.random_range(0..FRONT_VILLAGES.len());
                return (
                    Some(d),
                    DeathPlace::Front {
                        area,
                        village,
                        burial_village: village,
                    },
                );
            }
            Category::Civilian => date_by_year(rng, Date::new(1941, 7, 1), VICTORY, &LOSS_YEARS),
            _ => {
                let lo = draft.add_days(20);
                // The Manchurian campaign (Aug 1945) was short: ~0.5 % of deaths.
                if lo < VICTORY && !chance(rng, 0.005) {
                    date_by_year(rng, lo, VICTORY, &LOSS_YEARS)
                } else {
                    date_between(rng, lo.max(MANCHURIA_START), MANCHURIA_END)
                }
            }
        };
        if fate == Some(Fate::DiedOfWounds) && date < MANCHURIA_START {
            let field = chance(rng, 0.4);
            let number = if field {
                rng.random_range(100..=5999)
            } else {
                rng.random_range(1000..=5999)
            };
            return (
                Some(date),
                DeathPlace::Hospital {
                    town: rng.random_range(0..HOSPITAL_TOWNS.len()),
                    number,
                    field,
                },
            );
        }
        (Some(date), front(rng, date))
    }

    fn new_workplace(
        rng: &mut Rand,
        category: Category,
        nat: Nat,
        rep: usize,
        region: &Region,
    ) -> Option<(Workplace, Option<&'static str>)> {
        let p = match category {
            Category::HomeFront => 1.0,
            Category::Evacuee => 0.4,
            Category::Civilian => 0.6,
            _ => 0.0,
        };
        if !chance(rng, p) {
            return None;
        }
        let kolkhoz_p = match category {
            Category::HomeFront => 0.35,
            Category::Evacuee => 0.3,
            _ => 0.6,
        };
        // Home-front workers were sent to the big works from all over the
        // republic (the person's region then follows the workplace);
        // evacuees and civilians worked where they lived.
        let anywhere = category == Category::HomeFront;
        let pick_site = |rng: &mut Rand, sites: &'static [Site]| -> &'static Site {
            &sites[weighted_index(rng, sites.len(), |i| {
                let (_, w, r) = sites[i];
                if anywhere || r.is_none() || r == Some(region.name) {
                    u32::from(w)
                } else {
                    0
                }
            })]
        };
        let (name, _, site_region) =
            if category == Category::HomeFront && nat == Nat::German && chance(rng, 0.6) {
                *pick_site(rng, LABOUR_ARMY)
            } else if chance(rng, kolkhoz_p) {
                (*pick(rng, KOLKHOZ_NAMES), 1, None)
            } else {
                *pick_site(rng, WORKPLACES[rep])
            };
        let number = if name.contains("шахта") {
            rng.random_range(1..=110)
        } else {
            rng.random_range(1000..=4999)
        };
        Some((Workplace { name, number }, site_region))
    }

    fn new_awards(
        rng: &mut Rand,
        category: Category,
        female: bool,
        military: Option<&Military>,
        death: Option<Date>,
        workplace: Option<Workplace>,
    ) -> [Option<Award>; 2] {
        let mut awards = [None, None];
        let tier = military.map_or(0, |m| m.ranks()[m.rank].tier);
        let (class, p) = match category {
            Category::Served => (
                AwardClass::Military,
                if female {
                    0.25
                } else {
                    [0.12, 0.30, 0.50][usize::from(tier.min(2))]
                },
            ),
            Category::Pow => (AwardClass::Military, 0.02),
            Category::Partisan => (AwardClass::Partisan, 0.25),
            Category::HomeFront => (AwardClass::Labour, 0.20),
            Category::Evacuee if workplace.is_some() => (AwardClass::Labour, 0.08),
            Category::Evacuee => (AwardClass::Labour, 0.0),
            Category::Civilian => (AwardClass::Labour, 0.03),
        };
        let start = military.map_or(Date::new(1941, 9, 1), |m| m.draft.add_days(30));
        let end = death.unwrap_or(END_1945).min(END_1945);
        if category == Category::Served && chance(rng, 0.0001) {
            // Heroes were often decorated posthumously.
            let hi = death.map_or(END_1945, |d| d.add_days(270)).min(END_1945);
            let lo = start.max(Date::new(1941, 8, 1));
            if lo <= hi {
                awards[0] = Some(Award {
                    kind: &HERO,
                    date: date_between(rng, lo, hi),
                });
                return awards;
            }
        }
        if !chance(rng, p) {
            return awards;
        }
        let n = if chance(
            rng,
            if class == AwardClass::Labour {
                0.1
            } else {
                0.25
            },
        ) {
            2
        } else {
            1
        };
        let officer = tier >= 2;
        for slot in awards.iter_mut().take(n) {
            for _attempt in 0..4 {
                let i = weighted_index(rng, data::AWARDS.len(), |i| {
                    let a = &data::AWARDS[i];
                    if a.class != class {
                        0
                    } else if officer {
                        u32::from(a.weight_officer)
                    } else {
                        u32::from(a.weight_enlisted)
                    }
                });
                let kind = &data::AWARDS[i];
                let (y, m, d) = kind.since;
                let lo = start.max(Date::new(i32::from(y), u32::from(m), u32::from(d)));
                if lo <= end {
                    *slot = Some(Award {
                        kind,
                        date: date_between(rng, lo, end),
                    });
                    break;
                }
            }
        }
        if let [Some(a), Some(b)] = awards
            && b.date < a.date
        {
            awards.swap(0, 1);
        }
        if awards[0].is_none() && awards[1].is_some() {
            awards.swap(0, 1);
        }
        awards
    }

    // -----------------------------------------------------------------------
    // Rendering one record
    // -----------------------------------------------------------------------

    fn render(&mut self, p: &Person, source: Source, ordinal: usize, rec: &mut GeneratedRecord) {
        for f in rec.fields.iter_mut() {
            f.clear();
        }
        let slop = source.sloppiness();
        let drop_yo = chance(&mut self.rng, slop.drop_yo);

        rec.fields[col::SOURCE].push_str(source.as_str());
        self.render_names(p, source, slop, rec);
        self.render_birth(p, source, slop, drop_yo, rec);
        self.render_region(p, source, drop_yo, rec);
        self.render_nationality(p, source, rec);
        rec.fields[col::CATEGORY].push_str(p.category.as_str());
        if let Some(m) = &p.military {
            self.render_military(p, m, source, drop_yo, rec);
        }
        self.render_awards(p, source, drop_yo, rec);
        self.render_death(p, source, drop_yo, rec);
        self.render_civil(p, source, drop_yo, rec);
        self.render_source_ref(p, source, ordinal, rec);
        let _ = write!(rec.fields[col::TRUE_PERSON], "t{:06}", p.id);
    }

    fn render_names(
        &mut self,
        p: &Person,
        source: Source,
        slop: Sloppiness,
        rec: &mut GeneratedRecord,
    ) {
        let rng = &mut self.rng;
        let nd = data::nationality(p.nat);

        // Surname.
        self.s1.clear();
        match p.surname {
            Surname::Plain(s) if p.female => push_feminine_surname(&mut self.s1, s),
            Surname::Plain(s) => self.s1.push_str(s),
            Surname::SonOf(stem) => {
                let (son, daughter) = nd.son_of.unwrap_or(("улы", "кызы"));
                let particle = if p.female { daughter } else { son };
                let x: f64 = rng.random();
                if x < 0.5 {
                    let _ = write!(self.s1, "{stem}-{particle}");
                } else if x < 0.7 {
                    let _ = write!(self.s1, "{stem}{particle}");
                } else if x < 0.8 {
                    let oglu = if p.female { "гызы" } else { "оглы" };
                    let _ = write!(self.s1, "{stem}-{oglu}");
                } else if x < 0.95 || source != Source::MemoryBook {
                    push_russified_surname(&mut self.s1, stem, p.female);
                } else {
                    let kz = if p.female { "қызы" } else { "ұлы" };
                    let _ = write!(self.s1, "{stem}{kz}");
                }
            }
        }
        self.varier.push_varied(
            rng,
            &mut rec.fields[col::SURNAME],
            &self.s1,
            nd.turkic,
            slop,
        );

        // Given name.
        let mut given = p.given;
        if nd.turkic
            && chance(rng, 0.03 * slop.rate)
            && let Some(short) = short_given_name(given)
        {
            given = short;
        }
        let initial_p = match source {
            Source::LossReport => 0.08,
            Source::MemoryBook => 0.01,
            _ => 0.04,
        };
        let initials = chance(rng, initial_p);
        let out = &mut rec.fields[col::GIVEN_NAME];
        if initials {
            push_initial(out, given);
        } else {
            self.varier.push_varied(rng, out, given, nd.turkic, slop);
        }

        // Patronymic.
        let present_p = match source {
            Source::DraftList => 0.85,
            Source::LossReport => 0.8,
            Source::AwardSheet => 0.95,
            Source::MemoryBook => 0.85,
            Source::EvacuationList => 0.7,
            Source::LabourRegister => 0.85,
        } * if nd.turkic { 0.9 } else { 1.0 };
        if chance(rng, present_p) {
            self.s1.clear();
            let x: f64 = rng.random();
            if nd.slavic_names || x < 0.72 {
                push_patronymic(&mut self.s1, p.father, p.female, nd.slavic_names);
            } else if x < 0.87 || nd.son_of.is_none() {
                // Just the father's name, as in many Central Asian documents.
                self.s1.push_str(p.father);
            } else if let Some((son, daughter)) = nd.son_of {
                let particle = if p.female { daughter } else { son };
                let sep = if chance(rng, 0.5) { "-" } else { " " };
                let _ = write!(self.s1, "{}{sep}{particle}", p.father);
            }
            let out = &mut rec.fields[col::PATRONYMIC];
            if initials && chance(rng, 0.7) {
                push_initial(out, &self.s1);
            } else {
                let s = Sloppiness {
                    rate: slop.rate * 0.7,
                    drop_yo: slop.drop_yo,
                };
                self.varier.push_varied(rng, out, &self.s1, nd.turkic, s);
            }
        }

        // Surname and given name swapped (a common slip with Central Asian
        // names, where either can look like the other).
        let swap_p = if nd.turkic { 0.03 } else { 0.01 } * slop.rate;
        if chance(rng, swap_p) {
            rec.fields.swap(col::SURNAME, col::GIVEN_NAME);
        }
        // Some lists were kept in capitals.
        if matches!(source, Source::DraftList | Source::LossReport) && chance(rng, 0.03) {
            make_upper(&mut rec.fields[col::SURNAME], &mut self.s2);
        }
    }

    fn render_birth(
        &mut self,
        p: &Person,
        source: Source,
        slop: Sloppiness,
        drop_yo: bool,
        rec: &mut GeneratedRecord,
    ) {
        let rng = &mut self.rng;
        // Birth date: (presence, % full, % year-month).
        let (present, full, ym) = match source {
            Source::DraftList => (1.0, 50, 10),
            Source::LossReport => (0.9, 25, 5),
            Source::AwardSheet => (0.95, 5, 0),
            Source::MemoryBook => (0.95, 35, 5),
            Source::EvacuationList => (0.8, 30, 0),
            Source::LabourRegister => (0.9, 60, 5),
        };
        if chance(rng, present) {
            let prec = precision(rng, full, ym);
            let mut d = p.birth;
            if chance(rng, 0.04 * slop.rate) {
                d.y = if d.y <= 1890 || (d.y < 1927 && chance(rng, 0.5)) {
                    d.y + 1
                } else {
                    d.y - 1
                };
                if d.m == 2 && d.d == 29 && !is_leap(d.y) {
                    d.d = 28;
                }
            }
            if prec == Precision::Full && d.d <= 12 && d.d != d.m && chance(rng, 0.01 * slop.rate) {
                // Day and month swapped.
                std::mem::swap(&mut d.d, &mut d.m);
            }
            push_date(&mut rec.fields[col::BIRTH_DATE], d, prec);
        }

        let present = match source {
            Source::DraftList => 0.9,
            Source::LossReport => 0.7,
            Source::AwardSheet => 0.6,
            Source::MemoryBook => 0.85,
            Source::EvacuationList => 0.6,
            Source::LabourRegister => 0.6,
        };
        if !chance(rng, present) {
            return;
        }
        let out = &mut rec.fields[col::BIRTH_PLACE];
        match p.birth_place {
            BirthPlace::Home => {
                let vary = Sloppiness {
                    rate: slop.rate * 0.3,
                    drop_yo: if drop_yo { 1.0 } else { 0.0 },
                };
                push_home(
                    rng,
                    &mut self.varier,
                    out,
                    p.republic(),
                    &p.republic().regions[p.birth_region],
                    p.birth_home,
                    vary,
                    drop_yo,
                );
            }
            BirthPlace::Outside(place) => push_oblast(rng, out, place, drop_yo),
            BirthPlace::EvacCity(c) => {
                let city = &EVAC_CITIES[c];
                let x = rng.random_range(0..100);
                if x < 70 {
                    out.push_str("г. ");
                    push_text(out, city.city, drop_yo);
                } else if x < 85 {
                    push_text(out, city.city, drop_yo);
                } else {
                    push_oblast(rng, out, city.oblast, drop_yo);
                }
            }
        }
    }

    fn render_region(
        &mut self,
        p: &Person,
        source: Source,
        drop_yo: bool,
        rec: &mut GeneratedRecord,
    ) {
        let rng = &mut self.rng;
        let region = p.region();
        let name = match region.before_1944 {
            Some(old) if source.wartime() && chance(rng, 0.4) => old,
            _ => region.name,
        };
        push_oblast(rng, &mut rec.fields[col::REGION], name, drop_yo);
        rec.fields[col::COUNTRY].push_str(p.republic().country);
    }

    fn render_nationality(&mut self, p: &Person, source: Source, rec: &mut GeneratedRecord) {
        let rng = &mut self.rng;
        let present = match source {
            Source::DraftList => 0.8,
            Source::LossReport => 0.4,
            Source::AwardSheet => 0.9,
            Source::MemoryBook => 0.5,
            Source::EvacuationList => 0.7,
            Source::LabourRegister => 0.7,
        };
        if !chance(rng, present) {
            return;
        }
        let nd = data::nationality(p.nat);
        let label = if p.female { nd.label_f } else { nd.label_m };
        let out = &mut rec.fields[col::NATIONALITY];
        let x = rng.random_range(0..100);
        if x < 80 {
            out.push_str(label);
        } else if x < 92 {
            out.push_str(nd.abbrev);
        } else {
            let mut chars = label.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }

    fn render_military(
        &mut self,
        p: &Person,
        m: &Military,
        source: Source,
        drop_yo: bool,
        rec: &mut GeneratedRecord,
    ) {
        let rng = &mut self.rng;
        let rank_p = match source {
            Source::DraftList => 0.3,
            Source::LossReport => 0.95,
            Source::AwardSheet => 1.0,
            Source::MemoryBook => 0.85,
            _ => 0.0,
        };
        if chance(rng, rank_p) {
            let out = &mut rec.fields[col::RANK];
            let ranks = m.ranks();
            if p.category == Category::Partisan && chance(rng, 0.4) {
                out.push_str("партизан");
            } else {
                let mut r = m.rank;
                // Earlier documents may predate the last promotion.
                if source.wartime()
                    && r > 0
                    && ranks[r - 1].tier == ranks[r].tier
                    && chance(rng, 0.12)
                {
                    r -= 1;
                }
                let rank = &ranks[r];
                if source.wartime() {
                    push_text(out, pick_str(rng, rank.wartime), drop_yo);
                } else {
                    out.push_str(rank.name);
                }
            }
        }

        let unit_p = match source {
            Source::LossReport => 0.9,
            Source::AwardSheet => 1.0,
            Source::MemoryBook => 0.5,
            _ => 0.0,
        };
        if !chance(rng, unit_p) {
            return;
        }
        let out = &mut rec.fields[col::UNIT];
        match m.unit {
            Unit::Partisan(name) => push_text(out, name, drop_yo),
            Unit::Famous(i) => {
                let u = &FAMOUS_UNITS[i];
                let (full, abbrev) = match u.renamed {
                    Some(r) if chance(rng, 0.35) => r,
                    _ => (u.full, u.abbrev),
                };
                push_text(out, if chance(rng, 0.55) { full } else { abbrev }, drop_yo);
            }
            Unit::Generic { template, number } => {
                let t = &UNIT_TEMPLATES[template];
                let x = rng.random_range(0..100);
                match t.style {
                    UnitStyle::Numbered => {
                        if x < 60 {
                            let _ = write!(out, "{} №{number}", t.name);
                        } else if x < 90 {
                            let _ = write!(out, "{} {number}", t.abbrev);
                        } else {
                            let _ = write!(out, "{} №{number}", t.abbrev);
                        }
                    }
                    UnitStyle::OrdinalMasc | UnitStyle::OrdinalFem => {
                        let ending = if t.style == UnitStyle::OrdinalMasc {
                            "й"
                        } else {
                            "я"
                        };
                        if x < 50 {
                            let _ = write!(out, "{number}-{ending} ");
                            push_text(out, t.name, drop_yo);
                        } else if x < 80 {
                            let _ = write!(out, "{number} {}", t.abbrev);
                        } else if x < 90 {
                            let _ = write!(out, "{number}-{ending} {}", t.abbrev);
                        } else {
                            // Field post number, derived from the unit.
                            let fp = 10_000
                                + (u32::from(number) * 7919 + template as u32 * 104_729) % 90_000;
                            let _ = write!(out, "п/п {fp}");
                        }
                    }
                }
            }
        }
    }

    fn render_awards(
        &mut self,
        p: &Person,
        source: Source,
        drop_yo: bool,
        rec: &mut GeneratedRecord,
    ) {
        let rng = &mut self.rng;
        match source {
            Source::AwardSheet => {
                let n = p.award_count().max(1);
                let award = p.awards[self.award_sheets % n];
                self.award_sheets += 1;
                if let Some(a) = award {
                    push_award_name(rng, &mut rec.fields[col::AWARD], a.kind, drop_yo, 0.4);
                    let prec = precision(rng, 80, 10);
                    push_date(&mut rec.fields[col::AWARD_DATE], a.date, prec);
                }
            }
            Source::MemoryBook if p.award_count() > 0 && chance(rng, 0.6) => {
                let out = &mut rec.fields[col::AWARD];
                for (i, a) in p.awards.iter().flatten().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    push_award_name(rng, out, a.kind, drop_yo, 0.3);
                }
                if chance(rng, 0.3)
                    && let Some(a) = p.awards[0]
                {
                    let prec = precision(rng, 40, 0);
                    push_date(&mut rec.fields[col::AWARD_DATE], a.date, prec);
                }
            }
            _ => {}
        }
    }

    fn render_death(
        &mut self,
        p: &Person,
        source: Source,
        drop_yo: bool,
        rec: &mut GeneratedRecord,
    ) {
        let rng = &mut self.rng;
        match source {
            Source::LossReport | Source::MemoryBook => {}
            _ => return,
        }
        rec.fields[col::FATE].push_str(p.fate.map_or("", Fate::as_str));
        let Some(death) = p.death else {
            return;
        };
        let loss_report = source == Source::LossReport;
        let (date_p, full, ym) = match (loss_report, p.fate) {
            (true, Some(Fate::Missing)) => (0.5, 40, 40),
            (true, _) => (0.97, 95, 5),
            (false, _) => (0.8, 50, 10),
        };
        if chance(rng, date_p) {
            let prec = precision(rng, full, ym);
            push_date(&mut rec.fields[col::DEATH_DATE], death, prec);
        }
        let place_p = if loss_report { 0.75 } else { 0.5 };
        let burial_p = match (loss_report, p.fate) {
            (_, Some(Fate::Missing)) => 0.0,
            (true, _) => 0.6,
            (false, _) => 0.35,
        };
        let show_place = chance(rng, place_p);
        let show_burial = chance(rng, burial_p);
        match p.death_place {
            DeathPlace::None => {}
            DeathPlace::Front {
                area,
                village,
                burial_village,
            } => {
                let v = FRONT_VILLAGES[village];
                if show_place {
                    let out = &mut rec.fields[col::DEATH_PLACE];
                    let x = rng.random_range(0..100);
                    if x < 30 || !takes_village(area) {
                        push_text(out, area, drop_yo);
                    } else if x < 80 {
                        push_text(out, area, drop_yo);
                        out.push_str(", д. ");
                        push_text(out, v, drop_yo);
                    } else {
                        out.push_str("д. ");
                        push_text(out, v, drop_yo);
                    }
                }
                if show_burial {
                    let out = &mut rec.fields[col::BURIAL_PLACE];
                    let bv = FRONT_VILLAGES[burial_village];
                    let x = rng.random_range(0..100);
                    if !takes_village(area) {
                        push_text(out, area, drop_yo);
                        out.push_str(if x < 50 {
                            ", братская могила"
                        } else {
                            ", воинское кладбище"
                        });
                    } else if x < 35 {
                        push_text(out, area, drop_yo);
                        out.push_str(", д. ");
                        push_text(out, bv, drop_yo);
                        out.push_str(", братская могила");
                    } else if x < 55 {
                        out.push_str("д. ");
                        push_text(out, bv, drop_yo);
                        out.push_str(", братская могила");
                    } else if x < 75 {
                        let dir = *pick(rng, &["западнее", "восточнее", "севернее", "южнее"]);
                        let metres = rng.random_range(1..=9) * 100;
                        let _ = write!(out, "в {metres} м {dir} д. ");
                        push_text(out, bv, drop_yo);
                    } else {
                        push_text(out, area, drop_yo);
                        out.push_str(", д. ");
                        push_text(out, bv, drop_yo);
                    }
                }
            }
            DeathPlace::Hospital {
                town,
                number,
                field,
            } => {
                let town = HOSPITAL_TOWNS[town];
                if show_place {
                    let out = &mut rec.fields[col::DEATH_PLACE];
                    let x = rng.random_range(0..100);
                    if field {
                        if x < 60 {
                            let _ = write!(out, "ППГ №{number}");
                        } else {
                            let _ = write!(out, "{number} ППГ");
                        }
                    } else if x < 40 {
                        let _ = write!(out, "ЭГ №{number}, г. {town}");
                    } else if x < 70 {
                        let _ = write!(out, "эвакогоспиталь №{number}, г. {town}");
                    } else {
                        let _ = write!(out, "г. {town}");
                    }
                }
                if show_burial {
                    let out = &mut rec.fields[col::BURIAL_PLACE];
                    if field {
                        let _ = write!(out, "кладбище при ППГ №{number}");
                    } else if chance(rng, 0.5) {
                        let _ = write!(out, "г. {town}, городское кладбище");
                    } else {
                        let _ = write!(out, "г. {town}, братская могила");
                    }
                }
            }
            DeathPlace::Camp(i) => {
                let (camp, cemetery) = POW_CAMPS[i];
                if show_place {
                    let out = &mut rec.fields[col::DEATH_PLACE];
                    if chance(rng, 0.3) {
                        out.push_str("в плену, ");
                    }
                    push_text(out, camp, drop_yo);
                }
                if show_burial {
                    push_text(&mut rec.fields[col::BURIAL_PLACE], cemetery, drop_yo);
                }
            }
        }
    }

    /// Workplace and evacuation columns.
    fn render_civil(
        &mut self,
        p: &Person,
        source: Source,
        drop_yo: bool,
        rec: &mut GeneratedRecord,
    ) {
        let rng = &mut self.rng;
        if let Some(w) = p.workplace {
            let show = match source {
                Source::LabourRegister => 1.0,
                Source::MemoryBook => 0.3,
                Source::EvacuationList => 0.2,
                _ => 0.0,
            };
            if chance(rng, show) {
                push_workplace(rng, &mut rec.fields[col::WORKPLACE], w, drop_yo);
            }
        }
        if let Some(c) = p.evac_from {
            let (from_p, to_p) = match source {
                Source::EvacuationList => (0.95, 1.0),
                Source::MemoryBook => (0.5, 0.5),
                Source::LabourRegister => (0.4, 0.0),
                _ => (0.0, 0.0),
            };
            if chance(rng, from_p) {
                let city = &EVAC_CITIES[c];
                let out = &mut rec.fields[col::EVACUATED_FROM];
                let x = rng.random_range(0..100);
                if x < 45 {
                    out.push_str("г. ");
                    push_text(out, city.city, drop_yo);
                } else if x < 80 {
                    push_text(out, city.city, drop_yo);
                } else if x < 90 {
                    out.push_str("гор. ");
                    push_text(out, city.city, drop_yo);
                } else {
                    push_oblast(rng, out, city.oblast, drop_yo);
                }
            }
            if chance(rng, to_p) {
                let out = &mut rec.fields[col::EVACUATED_TO];
                let (rep, region) = (p.republic(), p.region());
                match p.home {
                    Home::Town(t) => {
                        let x = rng.random_range(0..100);
                        if x < 35 {
                            out.push_str(t);
                        } else if x < 70 {
                            let _ = write!(out, "г. {t}");
                        } else if x < 85 {
                            push_oblast(rng, out, region.name, drop_yo);
                            let _ = write!(out, ", г. {t}");
                        } else {
                            let republic = if chance(rng, 0.5) {
                                rep.abbrev
                            } else {
                                rep.name
                            };
                            let _ = write!(out, "г. {t}, {republic}");
                        }
                    }
                    Home::Village { district, village } => {
                        let d = &region.districts[district];
                        let v = d.villages[village];
                        let x = rng.random_range(0..100);
                        if x < 50 {
                            push_oblast(rng, out, region.name, drop_yo);
                            out.push_str(", ");
                            push_text(out, d.name, drop_yo);
                            out.push_str(" р-н, с. ");
                            push_text(out, v, drop_yo);
                        } else if x < 80 {
                            push_text(out, d.name, drop_yo);
                            out.push_str(" р-н, с. ");
                            push_text(out, v, drop_yo);
                        } else {
                            out.push_str("с. ");
                            push_text(out, v, drop_yo);
                            out.push_str(", ");
                            push_text(out, d.name, drop_yo);
                            out.push_str(" р-н");
                        }
                    }
                }
            }
        }
    }

    /// Document citation, distinct among the records of one person.
    fn render_source_ref(
        &mut self,
        p: &Person,
        source: Source,
        ordinal: usize,
        rec: &mut GeneratedRecord,
    ) {
        for _attempt in 0..8 {
            let out = &mut rec.fields[col::SOURCE_REF];
            out.clear();
            write_source_ref(&mut self.rng, out, p, source);
            if !self.refs[..ordinal].iter().any(|r| r == out) {
                break;
            }
        }
        self.refs[ordinal].clone_from(&rec.fields[col::SOURCE_REF]);
    }
}

fn push_initial(out: &mut String, name: &str) {
    if let Some(c) = name.chars().next() {
        out.push(c);
        out.push('.');
    }
}

/// Writes an oblast name, sometimes spelt out ("обл." → "область").
fn push_oblast(rng: &mut Rand, out: &mut String, name: &str, drop_yo: bool) {
    match name.strip_suffix(" обл.") {
        Some(stem) if chance(rng, 0.12) => {
            push_text(out, stem, drop_yo);
            out.push_str(" область");
        }
        _ => push_text(out, name, drop_yo),
    }
}

/// Writes an oblast name in the genitive ("Карагандинская обл." →
/// "Карагандинской обл.").
fn push_genitive(out: &mut String, name: &str) {
    match name.find("ая ") {
        Some(i) => {
            out.push_str(&name[..i]);
            out.push_str("ой ");
            out.push_str(&name[i + "ая ".len()..]);
        }
        None => out.push_str(name),
    }
}

/// Writes a place of residence/birth in one of the ways clerks wrote it:
/// "с. Вишнёвка, Вишнёвский р-н", "аул Караул", "Каскеленский р-н", "г. Алма-Ата",
/// "Алма-Атинская обл." ...
#[allow(clippy::too_many_arguments)]
fn push_home(
    rng: &mut Rand,
    varier: &mut Varier,
    out: &mut String,
    rep: &Republic,
    region: &Region,
    home: Home,
    vary: Sloppiness,
    drop_yo: bool,
) {
    match home {
        Home::Town(t) => {
            let x = rng.random_range(0..100);
            if x < 60 {
                out.push_str("г. ");
                push_text(out, t, drop_yo);
            } else if x < 75 {
                push_text(out, t, drop_yo);
            } else if x < 80 {
                out.push_str("гор. ");
                push_text(out, t, drop_yo);
            } else if x < 90 {
                push_oblast(rng, out, region.name, drop_yo);
            } else {
                out.push_str("г. ");
                push_text(out, t, drop_yo);
                out.push_str(", ");
                out.push_str(rep.abbrev);
            }
        }
        Home::Village { district, village } => {
            let d = &region.districts[district];
            let v = d.villages[village];
            let x = rng.random_range(0..100);
            let prefix = |rng: &mut Rand| {
                if chance(rng, 0.15) {
                    *pick(rng, rep.village_prefixes)
                } else {
                    "с."
                }
            };
            if x < 55 {
                let pre = prefix(rng);
                let _ = write!(out, "{pre} ");
                varier.push_varied(rng, out, v, true, vary);
                out.push_str(", ");
                push_text(out, d.name, drop_yo);
                out.push_str(" р-н");
            } else if x < 65 {
                push_text(out, d.name, drop_yo);
                out.push_str(" р-н, с. ");
                varier.push_varied(rng, out, v, true, vary);
            } else if x < 70 {
                out.push_str("с. ");
                varier.push_varied(rng, out, v, true, vary);
                out.push_str(", ");
                push_text(out, d.name, drop_yo);
                out.push_str(" район");
            } else if x < 80 {
                push_text(out, d.name, drop_yo);
                out.push_str(" р-н");
            } else if x < 85 {
                let pre = prefix(rng);
                let _ = write!(out, "{pre} ");
                varier.push_varied(rng, out, v, true, vary);
            } else if x < 90 {
                push_text(out, d.name, drop_yo);
                out.push_str(" р-н, ");
                push_oblast(rng, out, region.name, drop_yo);
            } else {
                out.push_str("с. ");
                varier.push_varied(rng, out, v, true, vary);
                out.push_str(", ");
                push_text(out, d.name, drop_yo);
                out.push_str(" р-н, ");
                push_oblast(rng, out, region.name, drop_yo);
            }
        }
    }
}

fn push_award_name(
    rng: &mut Rand,
    out: &mut String,
    kind: &AwardKind,
    drop_yo: bool,
    variant_p: f64,
) {
    let name = if !kind.variants.is_empty() && chance(rng, variant_p) {
        *pick(rng, kind.variants)
    } else {
        kind.name
    };
    push_text(out, name, drop_yo);
}

fn push_workplace(rng: &mut Rand, out: &mut String, w: Workplace, drop_yo: bool) {
    match w.name.split_once("{n}") {
        Some((head, tail)) => {
            let x = rng.random_range(0..100);
            if x < 15 {
                // "шахта №31" → "шахта 31"
                push_text(out, head.strip_suffix('№').unwrap_or(head), drop_yo);
            } else {
                push_text(out, head, drop_yo);
            }
            let _ = write!(out, "{}", w.number);
            push_text(out, tail, drop_yo);
        }
        None => push_text(out, w.name, drop_yo),
    }
}

fn write_source_ref(rng: &mut Rand, out: &mut String, p: &Person, source: Source) {
    let rep = p.republic();
    let region = p.region();
    match source {
        Source::DraftList => {
            match p.home {
                Home::Village { district, .. } => {
                    let _ = write!(out, "{} РВК, ", region.districts[district].name);
                    out.push_str(region.name);
                }
                Home::Town(t) => {
                    let _ = write!(out, "Горвоенкомат г. {t}");
                }
            }
            let _ = write!(
                out,
                ", призывной список, д. {}, л. {}",
                rng.random_range(1..=400),
                rng.random_range(1..=300)
            );
        }
        Source::LossReport => {
            let inv = pick(rng, LOSS_INVENTORIES);
            let _ = write!(
                out,
                "ЦАМО, ф. 58, оп. {inv}, д. {}",
                rng.random_range(1..=3000)
            );
            if chance(rng, 0.5) {
                let _ = write!(out, ", л. {}", rng.random_range(1..=400));
            }
        }
        Source::AwardSheet => {
            let inv = pick(rng, AWARD_INVENTORIES);
            let _ = write!(
                out,
                "ЦАМО, ф. 33, оп. {inv}, ед. хр. {}",
                rng.random_range(1..=5000)
            );
        }
        Source::MemoryBook => {
            if chance(rng, 0.4) {
                out.push_str("Книга памяти. ");
                out.push_str(region.name);
            } else {
                out.push_str(rep.memory_book);
            }
            let _ = write!(
                out,
                ", т. {}, с. {}",
                rng.random_range(1..=12),
                rng.random_range(3..=720)
            );
        }
        Source::EvacuationList => {
            let _ = write!(
                out,
                "{}, ф. {}, оп. {}, д. {}, л. {}",
                rep.archive,
                rng.random_range(1000..=1999),
                rng.random_range(1..=5),
                rng.random_range(1..=800),
                rng.random_range(1..=300)
            );
            if chance(rng, 0.5) {
                out.push_str(", список эвакуированных");
            }
        }
        Source::LabourRegister => {
            out.push_str("ГА ");
            push_genitive(out, region.name);
            let _ = write!(
                out,
                ", ф. {}, оп. 1, д. {}, л. {}",
                rng.random_range(100..=2500),
                rng.random_range(1..=900),
                rng.random_range(1..=300)
            );
        }
    }
}

#[cfg(test)]
mod tests;
