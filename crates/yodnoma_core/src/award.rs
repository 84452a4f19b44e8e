//! Awards: the sources write them as free text ("Орден Славы III степени", "Hero of the Soviet
//! Union (twice)"); this module reads the kind out of that text so that awards can be counted and
//! shown in every language.

/// The degree of an order that has degrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum OrderDegree {
    First,
    Second,
    Third,
}

/// The kinds of award the registry counts. Anything else is `Other` and keeps its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum AwardKind {
    HeroOfTheSovietUnion,
    /// All three degrees of the Order of Glory: equal in standing to a Hero.
    FullCavalierOfGlory,
    OrderOfLenin,
    OrderOfTheRedBanner,
    OrderOfGlory(OrderDegree),
    OrderOfThePatrioticWar(OrderDegree),
    OrderOfTheRedStar,
    MedalForCourage,
    MedalForBattleMerit,
    Medal,
    Other,
}

impl AwardKind {
    /// A stable key, used for translations (`award-KEY`) and statistics.
    pub fn key(self) -> &'static str {
        use OrderDegree::*;
        match self {
            Self::HeroOfTheSovietUnion => "hero",
            Self::FullCavalierOfGlory => "glory-full",
            Self::OrderOfLenin => "lenin",
            Self::OrderOfTheRedBanner => "red-banner",
            Self::OrderOfGlory(First) => "glory-1",
            Self::OrderOfGlory(Second) => "glory-2",
            Self::OrderOfGlory(Third) => "glory-3",
            Self::OrderOfThePatrioticWar(First) => "patriotic-war-1",
            Self::OrderOfThePatrioticWar(Second | Third) => "patriotic-war-2",
            Self::OrderOfTheRedStar => "red-star",
            Self::MedalForCourage => "medal-courage",
            Self::MedalForBattleMerit => "medal-battle-merit",
            Self::Medal => "medal",
            Self::Other => "other",
        }
    }

    /// Every kind, each degree apart.
    pub const ALL: [AwardKind; 14] = [
        Self::HeroOfTheSovietUnion,
        Self::FullCavalierOfGlory,
        Self::OrderOfLenin,
        Self::OrderOfTheRedBanner,
        Self::OrderOfGlory(OrderDegree::First),
        Self::OrderOfGlory(OrderDegree::Second),
        Self::OrderOfGlory(OrderDegree::Third),
        Self::OrderOfThePatrioticWar(OrderDegree::First),
        Self::OrderOfThePatrioticWar(OrderDegree::Second),
        Self::OrderOfTheRedStar,
        Self::MedalForCourage,
        Self::MedalForBattleMerit,
        Self::Medal,
        Self::Other,
    ];

    /// Whether `key` is the key of a kind.
    pub fn is_key(key: &str) -> bool {
        Self::ALL.iter().any(|k| k.key() == key)
    }

    /// Reads the kind of one award from its text, in Russian or English. Several awards in one
    /// field are separated by `;` and read by [`AwardKind::parse_list`].
    pub fn parse(text: &str) -> Self {
        let t = text.to_lowercase().replace('ё', "е");
        let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
        let degree = || {
            if has(&["iii", "3 ст", "3-й", "третьей", "3rd", "third"]) {
                OrderDegree::Third
            } else if has(&["ii", "2 ст", "2-й", "второй", "2nd", "second"]) {
                OrderDegree::Second
            } else {
                OrderDegree::First
            }
        };
        if has(&["героя советского", "герой советского", "hero of the soviet"])
        {
            Self::HeroOfTheSovietUnion
        } else if has(&["полный кавалер", "full cavalier"]) {
            Self::FullCavalierOfGlory
        } else if has(&["славы", "of glory"]) {
            Self::OrderOfGlory(degree())
        } else if has(&["ленина", "of lenin"]) {
            Self::OrderOfLenin
        } else if has(&["красного знамени", "red banner"]) {
            Self::OrderOfTheRedBanner
        } else if has(&["отечественной войны", "patriotic war"]) {
            Self::OrderOfThePatrioticWar(degree())
        } else if has(&["красной звезды", "red star"]) {
            Self::OrderOfTheRedStar
        } else if has(&["за отвагу", "for courage"]) {
            Self::MedalForCourage
        } else if has(&["боевые заслуги", "battle merit"]) {
            Self::MedalForBattleMerit
        } else if has(&["медаль", "medal"]) {
            Self::Medal
        } else {
            Self::Other
        }
    }

    /// All awards named in a field, with their count: "(twice)" and "дважды" count two.
    pub fn parse_list(text: &str) -> Vec<(Self, String)> {
        let mut awards = Vec::new();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let kind = Self::parse(part);
            let lower = part.to_lowercase();
            let times = if lower.contains("twice") || lower.contains("дважды") {
                2
            } else {
                1
            };
            for _ in 0..times {
                awards.push((kind, part.to_owned()));
            }
        }
        awards
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_russian_and_english_award_texts() {
        assert_eq!(
            AwardKind::parse("Герой Советского Союза"),
            AwardKind::HeroOfTheSovietUnion
        );
        assert_eq!(
            AwardKind::parse("Орден Славы III степени"),
            AwardKind::OrderOfGlory(OrderDegree::Third)
        );
        assert_eq!(
            AwardKind::parse("Full Cavalier of the Order of Glory"),
            AwardKind::FullCavalierOfGlory
        );
        assert_eq!(
            AwardKind::parse("Орден Отечественной войны II степени"),
            AwardKind::OrderOfThePatrioticWar(OrderDegree::Second)
        );
        assert_eq!(
            AwardKind::parse("Медаль «За отвагу»"),
            AwardKind::MedalForCourage
        );
        assert_eq!(AwardKind::parse("грамота"), AwardKind::Other);
    }

    #[test]
    fn counts_twice_awarded_heroes() {
        let awards = AwardKind::parse_list("Hero of the Soviet Union (twice); Орден Ленина");
        let kinds: Vec<AwardKind> = awards.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            [
                AwardKind::HeroOfTheSovietUnion,
                AwardKind::HeroOfTheSovietUnion,
                AwardKind::OrderOfLenin
            ]
        );
    }
}
