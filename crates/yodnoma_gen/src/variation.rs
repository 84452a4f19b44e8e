//! Russian name morphology and clerical variation.
//!
//! Two kinds of functions live here:
//!
//! * morphology: the feminine form of a surname and the Russian-style
//!   patronymic of a father's given name. These give the *canonical* form of
//!   a person's name.
//! * variation: what a clerk did to that canonical form when writing one
//!   particular document. Each operation is applied with some probability,
//!   independently per record, so that two records of one person usually
//!   differ a little. The operations model real and well-known sources of
//!   disagreement between Soviet documents about Central Asians: the
//!   transcription of Turkic and Persian sounds into Cyrillic (Ж/Дж,
//!   е/э, unstressed о/у/а, и/ы, п/ф, final д/т), double and single
//!   consonants, the dropped ё, and plain slips of the pen.
//!
//! All functions write into caller-owned `String`s and reuse a scratch
//! buffer, so the generator does not allocate per record.

use rand::Rng;

/// Letters that are always followed by и, never ы, in Russian spelling.
const NO_YERY_AFTER: &[char] = &['к', 'г', 'х', 'ж', 'ш', 'ч', 'щ', 'ц'];

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'а' | 'е'
            | 'ё'
            | 'и'
            | 'о'
            | 'у'
            | 'ы'
            | 'э'
            | 'ю'
            | 'я'
            | 'А'
            | 'Е'
            | 'Ё'
            | 'И'
            | 'О'
            | 'У'
            | 'Ы'
            | 'Э'
            | 'Ю'
            | 'Я'
    )
}

fn is_consonant(c: char) -> bool {
    let l = lower(c);
    ('а'..='я').contains(&l) && !is_vowel(l) && !matches!(l, 'ь' | 'ъ' | 'й')
}

fn lower(c: char) -> char {
    match c {
        'А'..='Я' => char::from_u32(c as u32 + 32).unwrap_or(c),
        'Ё' => 'ё',
        _ => c,
    }
}

fn upper(c: char) -> char {
    match c {
        'а'..='я' => char::from_u32(c as u32 - 32).unwrap_or(c),
        'ё' => 'Ё',
        _ => c,
    }
}

/// Keeps the case of `orig` when replacing it by `new`.
fn same_case(orig: char, new: char) -> char {
    if orig.is_uppercase() { upper(new) } else { new }
}

// ---------------------------------------------------------------------------
// Morphology
// ---------------------------------------------------------------------------

/// Appends the feminine form of a (masculine) surname.
///
/// Russian-type surnames in -ов/-ев/-ин take -а, adjectival -ский/-цкий
/// become -ская/-цкая, Turkic "son of" particles become "daughter of"; all
/// other surnames (-енко, -ук, -ич, German, Korean, Jewish ...) do not change
/// for women.
pub(crate) fn push_feminine_surname(out: &mut String, surname: &str) {
    for (masc, fem) in [("улы", "кызы"), ("уулу", "кызы"), ("оглы", "гызы")]
    {
        if let Some(stem) = surname.strip_suffix(masc) {
            out.push_str(stem);
            out.push_str(fem);
            return;
        }
    }
    if let Some(stem) = surname
        .strip_suffix("ский")
        .or_else(|| surname.strip_suffix("цкий"))
    {
        out.push_str(stem);
        out.push_str(if surname.ends_with("ский") {
            "ская"
        } else {
            "цкая"
        });
        return;
    }
    out.push_str(surname);
    if ["ов", "ев", "ёв", "ин", "ын"]
        .iter()
        .any(|s| surname.ends_with(s))
    {
        out.push('а');
    }
}

/// Irregular Russian patronymics: (name, masculine, feminine).
const IRREGULAR_PATRONYMICS: &[(&str, &str, &str)] = &[
    ("Лев", "Львович", "Львовна"),
    ("Яков", "Яковлевич", "Яковлевна"),
    ("Пётр", "Петрович", "Петровна"),
    ("Павел", "Павлович", "Павловна"),
    ("Михаил", "Михайлович", "Михайловна"),
    ("Гавриил", "Гаврилович", "Гавриловна"),
    ("Илья", "Ильич", "Ильинична"),
    ("Кузьма", "Кузьмич", "Кузьминична"),
    ("Фома", "Фомич", "Фоминична"),
    ("Никита", "Никитич", "Никитична"),
    ("Лука", "Лукич", "Лукинична"),
    ("Данило", "Данилович", "Даниловна"),
];

/// Appends the Russian-style patronymic built from a father's given name
/// ("Касым" → "Касымович", "Абдулла" → "Абдуллаевич", "Василий" →
/// "Васильевич"). `slavic` selects the Russian treatment of names in -а/-я
/// and -ий (Ильич, Васильевич) instead of the Central Asian one
/// (Абдуллаевич, Калиевич).
pub(crate) fn push_patronymic(out: &mut String, father: &str, female: bool, slavic: bool) {
    if slavic {
        for &(name, m, f) in IRREGULAR_PATRONYMICS {
            if name == father {
                out.push_str(if female { f } else { m });
                return;
            }
        }
    }
    let (ovich, ovna, evich, evna) = ("ович", "овна", "евич", "евна");
    let mut chars = father.chars();
    let last = chars.next_back().unwrap_or(' ');
    let stem_len = father.len() - last.len_utf8();
    let stem = &father[..stem_len];
    let before = chars.next_back().unwrap_or(' ');
    match last {
        'й' if before == 'и' => {
            // Василий → Васильевич, Дмитрий → Дмитриевич (consonant cluster).
            let stem2 = &stem[..stem.len() - 'и'.len_utf8()];
            let mut it = stem2.chars().rev();
            let c1 = it.next().unwrap_or(' ');
            let c2 = it.next().unwrap_or(' ');
            out.push_str(stem2);
            if slavic && !(is_consonant(c1) && is_consonant(c2)) {
                out.push('ь');
            } else {
                out.push('и');
            }
            out.push_str(if female { evna } else { evich });
        }
        'й' => {
            // Андрей → Андреевич, Турсунбай → Турсунбаевич.
            out.push_str(stem);
            out.push_str(if female { evna } else { evich });
        }
        'ь' => {
            out.push_str(stem);
            out.push_str(if female { evna } else { evich });
        }
        'а' | 'я' if slavic => {
            out.push_str(stem);
            out.push_str(if female { "ична" } else { "ич" });
        }
        'о' if slavic => {
            out.push_str(stem);
            out.push_str(if female { ovna } else { ovich });
        }
        c if is_vowel(c) => {
            // Абдулла → Абдуллаевич, Бобо → Бобоевич, Гельды → Гельдыевич.
            out.push_str(father);
            out.push_str(if female { evna } else { evich });
        }
        'ж' | 'ш' | 'ч' | 'щ' | 'ц' => {
            out.push_str(father);
            out.push_str(if female { evna } else { evich });
        }
        _ => {
            out.push_str(father);
            out.push_str(if female { ovna } else { ovich });
        }
    }
}

/// Russified surname built from a given name, as registrars did for people
/// recorded with a "son of" form: Момыш → Момышев, Касым → Касымов.
pub(crate) fn push_russified_surname(out: &mut String, stem: &str, female: bool) {
    out.push_str(stem);
    let last = stem.chars().next_back().unwrap_or(' ');
    if is_vowel(last) || matches!(last, 'ж' | 'ш' | 'ч' | 'щ' | 'ц' | 'й') {
        if last == 'й' {
            out.pop();
        }
        out.push_str("ев");
    } else {
        out.push_str("ов");
    }
    if female {
        out.push('а');
    }
}

// ---------------------------------------------------------------------------
// Clerical variation
// ---------------------------------------------------------------------------

/// How much a clerk garbled a name in one record.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sloppiness {
    /// Multiplier of the base probabilities of every operation
    /// (1.0 = an average clerk).
    pub rate: f64,
    /// Probability that ё is written as е throughout.
    pub drop_yo: f64,
}

/// Base probabilities of each operation for Turkic/Persian names.
const P_DOUBLE: f64 = 0.10;
const P_ZH_DZH: f64 = 0.10;
const P_E_EH: f64 = 0.12;
const P_VOWEL: f64 = 0.06;
const P_I_Y: f64 = 0.06;
const P_P_F: f64 = 0.08;
const P_D_T: f64 = 0.06;
/// Slips of the pen, for all names.
const P_TYPO: f64 = 0.025;
/// Double/single consonant in Slavic and other names.
const P_DOUBLE_OTHER: f64 = 0.02;

/// Letters confused in handwriting or when copying.
const CONFUSIONS: &[(char, char)] = &[
    ('а', 'о'),
    ('е', 'и'),
    ('и', 'н'),
    ('ш', 'щ'),
    ('п', 'н'),
    ('л', 'м'),
    ('т', 'ш'),
    ('б', 'д'),
    ('в', 'б'),
    ('з', 'э'),
    ('к', 'х'),
    ('р', 'г'),
    ('с', 'е'),
    ('у', 'ч'),
    ('ы', 'ш'),
];

/// Reusable scratch space for the variation operations.
#[derive(Default)]
pub(crate) struct Varier {
    buf: Vec<char>,
    cand: Vec<usize>,
}

impl Varier {
    /// Appends `src` to `out` with clerical variation applied.
    pub(crate) fn push_varied<R: Rng>(
        &mut self,
        rng: &mut R,
        out: &mut String,
        src: &str,
        turkic: bool,
        s: Sloppiness,
    ) {
        self.buf.clear();
        self.buf.extend(src.chars());
        if self.buf.len() >= 3 {
            let r = s.rate;
            if turkic {
                if rng.random_bool((P_DOUBLE * r).min(1.0)) {
                    self.double_single(rng);
                }
                if rng.random_bool((P_ZH_DZH * r).min(1.0)) {
                    self.zh_dzh(rng);
                }
                if rng.random_bool((P_E_EH * r).min(1.0)) {
                    self.e_eh();
                }
                if rng.random_bool((P_VOWEL * r).min(1.0)) {
                    self.vowel_shift(rng);
                }
                if rng.random_bool((P_I_Y * r).min(1.0)) {
                    self.i_y(rng);
                }
                if rng.random_bool((P_P_F * r).min(1.0)) {
                    self.swap_pair(rng, 'п', 'ф');
                }
                if rng.random_bool((P_D_T * r).min(1.0)) {
                    self.final_d_t();
                }
            } else if rng.random_bool((P_DOUBLE_OTHER * r).min(1.0)) {
                self.double_single(rng);
            }
            if rng.random_bool((P_TYPO * r).min(1.0)) {
                self.typo(rng);
            }
        }
        let drop_yo = s.drop_yo > 0.0 && rng.random_bool(s.drop_yo.min(1.0));
        for &c in &self.buf {
            out.push(match c {
                'ё' if drop_yo => 'е',
                'Ё' if drop_yo => 'Е',
                _ => c,
            });
        }
    }

    /// Абдуллаев → Абдулаев, Асанов → Ассанов.
    fn double_single<R: Rng>(&mut self, rng: &mut R) {
        let b = &self.buf;
        self.cand.clear();
        for i in 1..b.len().saturating_sub(1) {
            if is_consonant(b[i]) && lower(b[i]) == lower(b[i + 1]) {
                self.cand.push(i);
            }
        }
        if !self.cand.is_empty() && rng.random_bool(0.8) {
            let i = self.cand[rng.random_range(0..self.cand.len())];
            self.buf.remove(i);
            return;
        }
        self.cand.clear();
        let b = &self.buf;
        for i in 1..b.len().saturating_sub(1) {
            if matches!(b[i], 'л' | 'н' | 'с' | 'р' | 'м' | 'т' | 'к' | 'б')
                && is_vowel(b[i - 1])
                && is_vowel(b[i + 1])
            {
                self.cand.push(i);
            }
        }
        if !self.cand.is_empty() {
            let i = self.cand[rng.random_range(0..self.cand.len())];
            let c = self.buf[i];
            self.buf.insert(i, c);
        }
    }

    /// Жанбулатов ↔ Джанбулатов, Джураев ↔ Жураев.
    fn zh_dzh<R: Rng>(&mut self, rng: &mut R) {
        self.cand.clear();
        let b = &self.buf;
        for i in 0..b.len() {
            if lower(b[i]) == 'ж' && (i == 0 || b[i - 1] != 'д') {
                self.cand.push(i);
            }
            if lower(b[i]) == 'д' && b.get(i + 1) == Some(&'ж') {
                self.cand.push(i);
            }
        }
        if self.cand.is_empty() {
            return;
        }
        let i = self.cand[rng.random_range(0..self.cand.len())];
        if lower(self.buf[i]) == 'д' {
            let upper_first = self.buf[i].is_uppercase();
            self.buf.remove(i);
            if upper_first {
                self.buf[i] = 'Ж';
            }
        } else {
            let upper_first = self.buf[i].is_uppercase();
            self.buf[i] = 'ж';
            self.buf.insert(i, if upper_first { 'Д' } else { 'д' });
        }
    }

    /// Эргашев ↔ Ергашев (word-initial е/э), inner э → е.
    fn e_eh(&mut self) {
        match self.buf[0] {
            'Е' => self.buf[0] = 'Э',
            'Э' => self.buf[0] = 'Е',
            _ => {
                if let Some(c) = self.buf.iter_mut().skip(1).find(|c| **c == 'э') {
                    *c = 'е';
                }
            }
        }
    }

    /// Unstressed vowels of Turkic names: Уразов/Оразов, Молдагулова/Малдагулова.
    fn vowel_shift<R: Rng>(&mut self, rng: &mut R) {
        self.cand.clear();
        let n = self.buf.len();
        for (i, &c) in self.buf.iter().enumerate() {
            // Leave the last two letters (the suffix) alone.
            if i + 2 < n && matches!(lower(c), 'о' | 'у' | 'а') {
                self.cand.push(i);
            }
        }
        if self.cand.is_empty() {
            return;
        }
        // The first vowel is the most often affected.
        let i = if rng.random_bool(0.6) {
            self.cand[0]
        } else {
            self.cand[rng.random_range(0..self.cand.len())]
        };
        let c = self.buf[i];
        let new = match lower(c) {
            'о' => {
                if rng.random_bool(0.6) {
                    'у'
                } else {
                    'а'
                }
            }
            'у' => 'о',
            _ => 'о',
        };
        self.buf[i] = same_case(c, new);
    }

    /// Касымов ↔ Касимов, Сатыбалдиев ↔ Сатыбалдыев.
    fn i_y<R: Rng>(&mut self, rng: &mut R) {
        self.cand.clear();
        let b = &self.buf;
        for i in 1..b.len() {
            if (b[i] == 'и' || b[i] == 'ы')
                && is_consonant(b[i - 1])
                && !NO_YERY_AFTER.contains(&lower(b[i - 1]))
            {
                self.cand.push(i);
            }
        }
        if self.cand.is_empty() {
            return;
        }
        let i = self.cand[rng.random_range(0..self.cand.len())];
        self.buf[i] = if self.buf[i] == 'и' { 'ы' } else { 'и' };
    }

    /// Юсупов ↔ Юсуфов, Шарипов ↔ Шарифов.
    fn swap_pair<R: Rng>(&mut self, rng: &mut R, a: char, b: char) {
        self.cand.clear();
        for (i, &c) in self.buf.iter().enumerate() {
            if i > 0 && (c == a || c == b) {
                self.cand.push(i);
            }
        }
        if self.cand.is_empty() {
            return;
        }
        let i = self.cand[rng.random_range(0..self.cand.len())];
        self.buf[i] = if self.buf[i] == a { b } else { a };
    }

    /// Ахмедов ↔ Ахметов, Мурад ↔ Мурат: the consonant ending the stem.
    fn final_d_t(&mut self) {
        let n = self.buf.len();
        let mut pos = n - 1;
        // Skip a suffix -ов/-ев/-ова/-ева/-ович/-евич/-овна/-евна.
        for suffix in ["ович", "евич", "овна", "евна", "ова", "ева", "ов", "ев"]
        {
            let len = suffix.chars().count();
            if n > len + 1 && self.buf[n - len..].iter().copied().eq(suffix.chars()) {
                pos = n - len - 1;
                break;
            }
        }
        match self.buf[pos] {
            'д' => self.buf[pos] = 'т',
            'т' => self.buf[pos] = 'д',
            _ => {}
        }
    }

    /// One letter misread (from a list of handwriting confusions) or dropped.
    fn typo<R: Rng>(&mut self, rng: &mut R) {
        let n = self.buf.len();
        let i = rng.random_range(1..n);
        if n > 4 && rng.random_bool(0.35) {
            self.buf.remove(i);
            return;
        }
        let c = self.buf[i];
        for &(a, b) in CONFUSIONS {
            if c == a {
                self.buf[i] = b;
                return;
            }
            if c == b {
                self.buf[i] = a;
                return;
            }
        }
        // No confusion known for this letter: drop it instead.
        if n > 4 {
            self.buf.remove(i);
        }
    }
}

/// Appends `s` with ё written as е when `drop_yo`.
pub(crate) fn push_text(out: &mut String, s: &str, drop_yo: bool) {
    if drop_yo && s.contains(['ё', 'Ё']) {
        for c in s.chars() {
            out.push(match c {
                'ё' => 'е',
                'Ё' => 'Е',
                _ => c,
            });
        }
    } else {
        out.push_str(s);
    }
}

/// Upper-cases a string in place (Cyrillic only, as a clerk's capitals).
pub(crate) fn make_upper(s: &mut String, scratch: &mut String) {
    scratch.clear();
    scratch.extend(s.chars().map(upper));
    std::mem::swap(s, scratch);
}

/// Drops a common Turkic name element (Ахметжан → Ахмет, Турсунбай →
/// Турсун), as clerks often did. Returns the shortened name, if any.
pub(crate) fn short_given_name(name: &str) -> Option<&str> {
    for suffix in ["джан", "жан", "бек", "бай", "али", "гали", "кул"] {
        if let Some(stem) = name.strip_suffix(suffix)
            && stem.chars().count() >= 3
        {
            return Some(stem);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn pat(f: &str, female: bool, slavic: bool) -> String {
        let mut s = String::new();
        push_patronymic(&mut s, f, female, slavic);
        s
    }

    fn fem(s: &str) -> String {
        let mut o = String::new();
        push_feminine_surname(&mut o, s);
        o
    }

    #[test]
    fn patronymics() {
        assert_eq!(pat("Касым", false, false), "Касымович");
        assert_eq!(pat("Абдулла", false, false), "Абдуллаевич");
        assert_eq!(pat("Абдулла", true, false), "Абдуллаевна");
        assert_eq!(pat("Турсунбай", false, false), "Турсунбаевич");
        assert_eq!(pat("Гельды", false, false), "Гельдыевич");
        assert_eq!(pat("Калий", false, false), "Калиевич");
        assert_eq!(pat("Клыч", false, false), "Клычевич");
        assert_eq!(pat("Василий", false, true), "Васильевич");
        assert_eq!(pat("Дмитрий", true, true), "Дмитриевна");
        assert_eq!(pat("Георгий", false, true), "Георгиевич");
        assert_eq!(pat("Андрей", false, true), "Андреевич");
        assert_eq!(pat("Николай", true, true), "Николаевна");
        assert_eq!(pat("Илья", true, true), "Ильинична");
        assert_eq!(pat("Пётр", false, true), "Петрович");
        assert_eq!(pat("Лазарь", false, true), "Лазаревич");
        assert_eq!(pat("Иван", true, true), "Ивановна");
        assert_eq!(pat("Камиль", false, false), "Камилевич");
    }

    #[test]
    fn feminine_surnames() {
        assert_eq!(fem("Ахметов"), "Ахметова");
        assert_eq!(fem("Мусин"), "Мусина");
        assert_eq!(fem("Шевченко"), "Шевченко");
        assert_eq!(fem("Ким"), "Ким");
        assert_eq!(fem("Савицкий"), "Савицкая");
        assert_eq!(fem("Козловский"), "Козловская");
        assert_eq!(fem("Момыш-улы"), "Момыш-кызы");
        assert_eq!(fem("Рабинович"), "Рабинович");
    }

    #[test]
    fn russified_surnames() {
        let mut s = String::new();
        push_russified_surname(&mut s, "Момыш", false);
        assert_eq!(s, "Момышев");
        s.clear();
        push_russified_surname(&mut s, "Касым", true);
        assert_eq!(s, "Касымова");
        s.clear();
        push_russified_surname(&mut s, "Айтбай", false);
        assert_eq!(s, "Айтбаев");
    }

    #[test]
    fn variation_produces_known_variants() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut v = Varier::default();
        let s = Sloppiness {
            rate: 3.0,
            drop_yo: 0.5,
        };
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..2000 {
            let mut out = String::new();
            v.push_varied(&mut rng, &mut out, "Абдуллаев", true, s);
            seen.insert(out);
        }
        assert!(seen.contains("Абдуллаев"));
        assert!(seen.contains("Абдулаев"));
        assert!(seen.contains("Обдуллаев"));
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..2000 {
            let mut out = String::new();
            v.push_varied(&mut rng, &mut out, "Жанбулатов", true, s);
            seen.insert(out);
        }
        assert!(seen.contains("Джанбулатов"));
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..2000 {
            let mut out = String::new();
            v.push_varied(&mut rng, &mut out, "Юсупов", true, s);
            seen.insert(out);
        }
        assert!(seen.contains("Юсуфов"));
    }

    #[test]
    fn upper_and_short() {
        let mut s = String::from("Ахметов");
        let mut scratch = String::new();
        make_upper(&mut s, &mut scratch);
        assert_eq!(s, "АХМЕТОВ");
        assert_eq!(short_given_name("Ахметжан"), Some("Ахмет"));
        assert_eq!(short_given_name("Иван"), None);
    }
}
