//! Any text, as a query or as a name, goes through folding, the name keys, every romanization
//! and the matcher without a panic, and folding is idempotent.

#![no_main]

use libfuzzer_sys::fuzz_target;
use yodnoma_names::romanize::{Standard, romanize};
use yodnoma_names::{compound_words, fold, match_name, words};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let folded = fold(text);
    assert_eq!(fold(&folded), folded);
    let _ = compound_words(text);
    let (query, name) = text.split_at(text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i));
    let query = words(query);
    let name = words(name);
    for word in query.iter().chain(&name) {
        assert!(word.latin.is_ascii() && word.phonetic.is_ascii());
    }
    let _ = match_name(&query, &name);
    for standard in Standard::ALL {
        let _ = romanize(text, standard);
    }
});
