//! What statistics count by: the republic and the nationality of a record, read from text
//! written in any of the forms the sources use.
//!
//! Sources write today's country ("Kazakhstan", "Казахстан", "Қазақстан", "Qozogʻiston") or the
//! Soviet republic ("Казахская ССР", "Каз. ССР"); nationality as a noun of either gender
//! ("казах", "казашка", "Kazakh", "қазақ"). Each is read to one key, so that a count by republic
//! or nationality does not split one people into spellings.

/// The five Central Asian republics, by today's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Republic {
    Kazakhstan,
    Uzbekistan,
    Kyrgyzstan,
    Tajikistan,
    Turkmenistan,
}

impl Republic {
    pub const ALL: [Republic; 5] = [
        Self::Kazakhstan,
        Self::Uzbekistan,
        Self::Kyrgyzstan,
        Self::Tajikistan,
        Self::Turkmenistan,
    ];

    /// The key statistics use.
    pub fn key(self) -> &'static str {
        match self {
            Self::Kazakhstan => "kazakhstan",
            Self::Uzbekistan => "uzbekistan",
            Self::Kyrgyzstan => "kyrgyzstan",
            Self::Tajikistan => "tajikistan",
            Self::Turkmenistan => "turkmenistan",
        }
    }

    /// The republic a country or republic name means, in Russian, Kazakh, Uzbek, Kyrgyz, Tajik,
    /// Turkmen or English, today's or the Soviet form, abbreviated or not.
    pub fn from_text(text: &str) -> Option<Self> {
        let folded = fold(text);
        // Stems shared by the forms: "казах" in Казахстан, Казахская ССР, КазССР is caught by
        // "каз"; the others need their own stems, as "кыр"/"қыр" also begin other words.
        const STEMS: [(&str, Republic); 24] = [
            ("kazak", Republic::Kazakhstan),
            ("kazakh", Republic::Kazakhstan),
            ("qazaq", Republic::Kazakhstan),
            ("казах", Republic::Kazakhstan),
            ("қазақ", Republic::Kazakhstan),
            ("казсср", Republic::Kazakhstan),
            ("uzbek", Republic::Uzbekistan),
            ("ozbek", Republic::Uzbekistan),
            ("oʻzbek", Republic::Uzbekistan),
            ("узбек", Republic::Uzbekistan),
            ("ўзбек", Republic::Uzbekistan),
            ("узсср", Republic::Uzbekistan),
            ("kyrgyz", Republic::Kyrgyzstan),
            ("kirgiz", Republic::Kyrgyzstan),
            ("киргиз", Republic::Kyrgyzstan),
            ("кыргыз", Republic::Kyrgyzstan),
            ("tajik", Republic::Tajikistan),
            ("tojik", Republic::Tajikistan),
            ("таджик", Republic::Tajikistan),
            ("тоҷик", Republic::Tajikistan),
            ("turkmen", Republic::Turkmenistan),
            ("türkmen", Republic::Turkmenistan),
            ("туркмен", Republic::Turkmenistan),
            ("түркмен", Republic::Turkmenistan),
        ];
        let compact: String = folded
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect();
        STEMS
            .iter()
            .find(|(stem, _)| compact.contains(stem))
            .map(|(_, republic)| *republic)
            .or(match compact.as_str() {
                "kz" => Some(Republic::Kazakhstan),
                "uz" => Some(Republic::Uzbekistan),
                "kg" => Some(Republic::Kyrgyzstan),
                "tj" => Some(Republic::Tajikistan),
                "tm" => Some(Republic::Turkmenistan),
                _ => None,
            })
    }
}

/// Lower case, ё as е, the forms of the Uzbek ʻ as one, trimmed.
fn fold(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .replace('ё', "е")
        .replace(['\'', '‘', '’', 'ʼ', '`'], "ʻ")
}

/// The key of a nationality as written ("казах", "казашка", "Kazakh", "қазақ" → `kazakh`); a
/// nationality not among the known ones keeps its own folded text, so nothing is lost.
pub fn nationality_key(text: &str) -> Option<String> {
    let folded = fold(text);
    if folded.is_empty() {
        return None;
    }
    // Stems of the masculine and feminine nouns in Russian, the native names, and English.
    const STEMS: [(&str, &str); 43] = [
        ("казах", "kazakh"),
        ("казаш", "kazakh"),
        ("қазақ", "kazakh"),
        ("kazakh", "kazakh"),
        ("qazaq", "kazakh"),
        ("узбек", "uzbek"),
        ("узбеч", "uzbek"),
        ("ўзбек", "uzbek"),
        ("uzbek", "uzbek"),
        ("oʻzbek", "uzbek"),
        ("киргиз", "kyrgyz"),
        ("кыргыз", "kyrgyz"),
        ("kyrgyz", "kyrgyz"),
        ("kirgiz", "kyrgyz"),
        ("таджик", "tajik"),
        ("таджич", "tajik"),
        ("тоҷик", "tajik"),
        ("tajik", "tajik"),
        ("туркмен", "turkmen"),
        ("түркмен", "turkmen"),
        ("turkmen", "turkmen"),
        ("каракалпак", "karakalpak"),
        ("каракалпач", "karakalpak"),
        ("қарақалпақ", "karakalpak"),
        ("karakalpak", "karakalpak"),
        ("уйгур", "uyghur"),
        ("ұйғыр", "uyghur"),
        ("uyghur", "uyghur"),
        ("дунган", "dungan"),
        ("dungan", "dungan"),
        ("татар", "tatar"),
        ("tatar", "tatar"),
        ("русск", "russian"),
        ("russian", "russian"),
        ("украин", "ukrainian"),
        ("ukrainian", "ukrainian"),
        ("белорус", "belarusian"),
        ("belarusian", "belarusian"),
        ("коре", "korean"),
        ("korean", "korean"),
        ("немец", "german"),
        ("немк", "german"),
        ("german", "german"),
    ];
    Some(
        STEMS
            .iter()
            .find(|(stem, _)| folded.starts_with(stem))
            .map_or(folded.clone(), |(_, key)| (*key).to_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_republic_is_one_republic() {
        for (text, republic) in [
            ("Kazakhstan", Republic::Kazakhstan),
            ("Казахстан", Republic::Kazakhstan),
            ("Қазақстан", Republic::Kazakhstan),
            ("Казахская ССР", Republic::Kazakhstan),
            ("Каз. ССР", Republic::Kazakhstan),
            ("Qazaqstan", Republic::Kazakhstan),
            ("KZ", Republic::Kazakhstan),
            ("Oʻzbekiston", Republic::Uzbekistan),
            ("O'zbekiston", Republic::Uzbekistan),
            ("Узбекская ССР", Republic::Uzbekistan),
            ("Ўзбекистон", Republic::Uzbekistan),
            ("Кыргызстан", Republic::Kyrgyzstan),
            ("Киргизская ССР", Republic::Kyrgyzstan),
            ("Тоҷикистон", Republic::Tajikistan),
            ("Таджикская ССР", Republic::Tajikistan),
            ("Türkmenistan", Republic::Turkmenistan),
            ("Туркменская ССР", Republic::Turkmenistan),
        ] {
            assert_eq!(Republic::from_text(text), Some(republic), "{text}");
        }
        for other in ["Россия", "Latvia", "", "Литовская ССР"] {
            assert_eq!(Republic::from_text(other), None, "{other}");
        }
    }

    #[test]
    fn nationalities_of_either_gender_and_any_script_share_a_key() {
        for (text, key) in [
            ("казах", "kazakh"),
            ("Казашка", "kazakh"),
            ("қазақ", "kazakh"),
            ("Kazakh", "kazakh"),
            ("узбечка", "uzbek"),
            ("Узбек", "uzbek"),
            ("таджик", "tajik"),
            ("русская", "russian"),
            ("Кореец", "korean"),
            ("немка", "german"),
            ("ассириец", "ассириец"),
        ] {
            assert_eq!(nationality_key(text).as_deref(), Some(key), "{text}");
        }
        assert_eq!(nationality_key("  "), None);
    }
}
