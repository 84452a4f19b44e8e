//! Name normalization and script detection, pure and without input or output.
//!
//! [`fold`] turns a name as written into the key that lookups compare: the same letters in the
//! same script compare equal however they were typed (case, `ё`/`е`, the many apostrophes of
//! Uzbek Latin, hyphens). Transliteration between scripts builds on this key.

mod key;
mod matching;
pub mod romanize;

pub use key::{Word, compound_words, join_words, latin_key, phonetic_key, words};
pub use matching::{
    MatchKind, NameMatch, WordMatch, allowed_edits, match_name, match_word, match_word_by_word,
};

use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// The writing system a name is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    Cyrillic,
    Latin,
    /// Letters of more than one script in one name: usually a typing error such as a Latin `o`
    /// in a Cyrillic surname.
    Mixed,
    /// No letters of either script.
    Other,
}

impl Script {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cyrillic => "Cyrl",
            Self::Latin => "Latn",
            Self::Mixed => "Mixed",
            Self::Other => "Zyyy",
        }
    }

    /// The script of a text, from its letters; digits and punctuation do not count.
    pub fn of(text: &str) -> Self {
        let (mut cyrillic, mut latin) = (false, false);
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            if is_cyrillic(c) {
                cyrillic = true;
            } else if c.is_ascii_alphabetic() || ('\u{00c0}'..='\u{024f}').contains(&c) {
                latin = true;
            }
        }
        match (cyrillic, latin) {
            (true, false) => Self::Cyrillic,
            (false, true) => Self::Latin,
            (true, true) => Self::Mixed,
            (false, false) => Self::Other,
        }
    }
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052f}').contains(&c)
}

/// Whether a character is one of the apostrophes people type in Uzbek Latin (`oʻ`, `gʻ`) and in
/// names such as O'Connor: all of them are the same mark for comparison.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | '´' | 'ʻ' | 'ʼ' | 'ʹ' | 'ʽ' | '‘' | '’' | '′' | 'ˈ'
    )
}

/// The comparison key of a name: NFC, lower case, `ё` as `е`, every apostrophe as `'`, hyphens
/// and other punctuation as single spaces, runs of white space collapsed, trimmed.
///
/// "Момыш-улы" becomes "момыш улы"; "Oʻrazov" and "O'razov" both become "o'razov".
pub fn fold(text: &str) -> String {
    // Most names are already in NFC; checking is much cheaper than recomposing.
    let composed: String;
    let text = if unicode_normalization::is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text
    } else {
        composed = text.nfc().collect();
        &composed
    };
    let mut key = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut push = |c: char| {
        let c = match c {
            'ё' => 'е',
            c if is_apostrophe(c) => '\'',
            c => c,
        };
        // Basic Latin and Russian letters are most of every name: they skip the general
        // Unicode tables.
        let letter = c.is_ascii_alphanumeric()
            || ('а'..='я').contains(&c)
            || c == '\''
            || (!c.is_ascii() && c.is_alphanumeric())
            // A combining mark that NFC could not compose (the dot of ALA-LC's "u̇") stays
            // with its letter instead of splitting the word.
            || (!c.is_ascii()
                && !key.is_empty()
                && !pending_space
                && unicode_normalization::char::is_combining_mark(c));
        if letter {
            if pending_space && !key.is_empty() {
                key.push(' ');
            }
            pending_space = false;
            key.push(c);
        } else {
            pending_space = true;
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c.to_ascii_lowercase());
        } else if ('А'..='Я').contains(&c) {
            // The capitals А–Я are their small letters less 0x20.
            push(char::from_u32(u32::from(c) + 0x20).unwrap_or(c));
        } else {
            c.to_lowercase().for_each(&mut push);
        }
    }
    // Lower case can make a letter and a kept mark composable where the capital was not
    // (T and U+0308 have no composed form, t and U+0308 have: ẗ).
    if unicode_normalization::is_nfc_quick(key.chars()) != IsNormalized::Yes {
        key = key.nfc().collect();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_case_yo_apostrophes_and_hyphens() {
        assert_eq!(fold("  Момыш-улы   Баурджан "), "момыш улы баурджан");
        assert_eq!(fold("Щербанёв"), "щербанев");
        assert_eq!(fold("Oʻrazov"), fold("O'razov"));
        assert_eq!(fold("O‘razov"), "o'razov");
        assert_eq!(fold("Б.Момышулы"), "б момышулы");
        // A decomposed "й" (и + combining breve) is the same letter as the composed one.
        assert_eq!(
            fold("Нурмухамбетов Азамат Аи\u{306}"),
            fold("Нурмухамбетов Азамат Ай")
        );
    }

    #[test]
    fn folding_recomposes_what_lower_case_makes_composable() {
        // Found by the fuzz target: "T" and a diaeresis have no composed form, "t" has.
        let once = fold("T\u{308}");
        assert_eq!(once, "ẗ");
        assert_eq!(fold(&once), once);
    }

    #[test]
    fn the_fast_paths_fold_like_unicode_lower_case() {
        let capitals = "ABCXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯӘҒҚҢӨҰҮҺІЎҲ";
        let expected: String = capitals
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c == 'ё' { 'е' } else { c })
            .collect();
        assert_eq!(fold(capitals), expected);
    }

    #[test]
    fn detects_scripts() {
        assert_eq!(Script::of("Момышұлы"), Script::Cyrillic);
        assert_eq!(Script::of("Oʻrazov"), Script::Latin);
        assert_eq!(Script::of("Ахмeтов"), Script::Mixed); // a Latin "e"
        assert_eq!(Script::of("1941 —"), Script::Other);
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(text in "\\PC{0,40}") {
            let once = fold(&text);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
        }
    }
}
