//! Languages of the site: which one a reader gets, and the translated interface strings.
//!
//! The language is chosen by `?lang=` first (and then remembered in a cookie), then by the
//! cookie, then by `Accept-Language`, and is Russian otherwise: the language nearly every visitor
//! of the five republics reads. Interface strings live in Fluent files under `locales/`.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::middleware::Next;
use axum::response::Response;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use yodnoma_core::{Action, Language, LanguageMap};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Isolation marks around arguments would end up inside HTML attributes and page titles.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

const COOKIE: &str = "lang";
const DEFAULT: Language = Language::Ru;

/// The reader's language for one request, with what is needed to link to the same page in the
/// other languages.
#[derive(Clone, Debug)]
pub struct Locale {
    pub lang: Language,
    id: LanguageIdentifier,
    query: Vec<(String, String)>,
    /// The signed-in account, for the page header's sign-out form.
    pub account: Option<AccountBar>,
}

/// What the page header shows of a signed-in account.
#[derive(Clone, Debug)]
pub struct AccountBar {
    pub email: String,
    pub csrf: String,
    /// The account's own pages, as (path, message key), by what its role may do.
    pub links: Vec<(&'static str, &'static str)>,
}

/// A link of the language switcher.
#[derive(Clone, Debug)]
pub struct LanguageLink {
    pub tag: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

impl Locale {
    pub fn from_parts(uri: &Uri, headers: &HeaderMap) -> Self {
        let query: Vec<(String, String)> =
            form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
                .into_owned()
                .collect();
        let lang = query
            .iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Language::from_tag(v))
            .or_else(|| cookie_language(headers))
            .or_else(|| {
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Language::from_accept_language)
            })
            .unwrap_or(DEFAULT);
        Self::new(lang, query)
    }

    pub fn new(lang: Language, query: Vec<(String, String)>) -> Self {
        let id = lang
            .tag()
            .parse()
            .unwrap_or_else(|_| fluent_templates::langid!("en"));
        Self {
            lang,
            id,
            query,
            account: None,
        }
    }

    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// An interface string.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.id, key)
    }

    /// An interface string if the key exists, for labels that may have none (extra columns).
    pub fn try_t(&self, key: &str) -> Option<String> {
        LOCALES.try_lookup(&self.id, key)
    }

    /// An interface string with text arguments.
    pub fn t_args(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone())))
            .collect();
        LOCALES.lookup_with_args(&self.id, key, &args)
    }

    /// An interface string with a `$count`, so that its plural form is right, and the number
    /// shown as `$shown`, its thousands apart ("12 345").
    pub fn count(&self, key: &str, count: usize) -> String {
        let shown = crate::charts::thousands(u64::try_from(count).unwrap_or(u64::MAX));
        let args = HashMap::from([
            (Cow::Borrowed("count"), FluentValue::from(count)),
            (Cow::Borrowed("shown"), FluentValue::from(shown)),
        ]);
        LOCALES.lookup_with_args(&self.id, key, &args)
    }

    /// A date as a reader of the language writes it: "16 ноября 1941", "1941 жылғы 16
    /// қараша", "July 1941", "1942". Partial dates stay partial.
    pub fn date(&self, date: &yodnoma_core::PartialDate) -> String {
        let year = date.year().to_string();
        match (date.day(), date.month()) {
            (Some(day), Some(month)) => self.t_args(
                "date-day",
                &[
                    ("day", day.to_string()),
                    ("month", self.t(&format!("month-of-{month}"))),
                    ("year", year),
                ],
            ),
            (None, Some(month)) => self.t_args(
                "date-month",
                &[("month", self.t(&format!("month-{month}"))), ("year", year)],
            ),
            _ => year,
        }
    }

    /// Content in the reader's language, or the first in the fallback order.
    pub fn pick<'a>(&self, map: &'a LanguageMap) -> &'a str {
        map.get(self.lang)
    }

    /// The `lang` attribute for content shown from `map`, which may be in a fallback language.
    pub fn lang_of(&self, map: &LanguageMap) -> &'static str {
        map.resolve(self.lang).map_or(self.tag(), |(l, _)| l.tag())
    }

    /// The same page in every language.
    pub fn switcher(&self) -> Vec<LanguageLink> {
        Language::ALL
            .into_iter()
            .map(|lang| {
                let mut query = form_urlencoded::Serializer::new(String::new());
                for (k, v) in self.query.iter().filter(|(k, _)| k != "lang") {
                    query.append_pair(k, v);
                }
                query.append_pair("lang", lang.tag());
                LanguageLink {
                    tag: lang.tag(),
                    name: lang.endonym(),
                    // Only the query, resolved against the current page: a path taken from the
                    // request (`//other.example/`) could otherwise point off the site.
                    href: format!("?{}", query.finish()),
                    current: lang == self.lang,
                }
            })
            .collect()
    }
}

fn cookie_language(headers: &HeaderMap) -> Option<Language> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == COOKIE)
                .then(|| Language::from_tag(value))
                .flatten()
        })
}

impl<S: Send + Sync> FromRequestParts<S> for Locale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let mut locale = Self::from_parts(&parts.uri, &parts.headers);
        if let Some(crate::accounts::SignedIn(Some(session))) = parts.extensions.get() {
            let role = session.user.role;
            let links = [
                (Action::Contribute, "/contributions", "nav-account-mine"),
                (Action::Moderate, "/moderation", "nav-account-moderation"),
                (Action::ReviewLinkage, "/review", "nav-account-review"),
                (Action::Curate, "/curate", "nav-account-curate"),
                (Action::Administer, "/admin/audit", "nav-account-audit"),
            ]
            .into_iter()
            .filter(|(action, _, _)| role.may(*action))
            .map(|(_, path, key)| (path, key))
            .collect();
            locale.account = Some(AccountBar {
                email: session.user.email.clone(),
                csrf: session.csrf.clone(),
                links,
            });
        }
        Ok(locale)
    }
}

/// Remembers a language chosen with `?lang=` in a cookie, so the next page keeps it.
pub async fn remember_language(request: Request, next: Next) -> Response {
    let chosen = form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Language::from_tag(&v));
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = format!(
            "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.tag()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(uri: &str, headers: &[(&'static str, &'static str)]) -> Locale {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_static(value));
        }
        let uri: Uri = uri.parse().unwrap_or_default();
        Locale::from_parts(&uri, &map)
    }

    #[test]
    fn query_beats_cookie_beats_accept_language() {
        let both = [("cookie", "a=1; lang=uz"), ("accept-language", "kk")];
        assert_eq!(locale("/?lang=en", &both).lang, Language::En);
        assert_eq!(locale("/", &both).lang, Language::Uz);
        assert_eq!(
            locale("/", &[("accept-language", "kk-KZ,ru;q=0.5")]).lang,
            Language::Kk
        );
        assert_eq!(locale("/?lang=xx", &[]).lang, Language::Ru);
    }

    #[test]
    fn every_language_has_every_string() {
        for lang in Language::ALL {
            let l = Locale::new(lang, Vec::new());
            for key in [
                "nav-home",
                "search-title",
                "fate-died_of_wounds",
                "award-hero",
                "error-not-found-title",
            ] {
                let text = LOCALES.try_lookup(&l.id, key);
                assert!(text.is_some_and(|t| !t.is_empty()), "{lang}: {key}");
            }
        }
    }

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        let day = yodnoma_core::PartialDate::new(1941, Some(11), Some(16));
        let month = yodnoma_core::PartialDate::new(1941, Some(7), None);
        let (Ok(day), Ok(month)) = (day, month) else {
            panic!("fixture dates")
        };
        for (lang, full, partial) in [
            (Language::Ru, "16 ноября 1941", "июль 1941"),
            (Language::En, "16 November 1941", "July 1941"),
            (Language::Kk, "1941 жылғы 16 қараша", "1941 жылғы шілде"),
            (Language::Uz, "1941-yil 16-noyabr", "1941-yil iyul"),
        ] {
            let l = Locale::new(lang, Vec::new());
            assert_eq!(
                (l.date(&day), l.date(&month)),
                (full.to_owned(), partial.to_owned())
            );
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let ru = Locale::new(Language::Ru, Vec::new());
        assert_eq!(ru.count("count-persons", 1), "1 человек");
        assert_eq!(ru.count("count-persons", 3), "3 человека");
        assert_eq!(ru.count("count-persons", 5), "5 человек");
        let en = Locale::new(Language::En, Vec::new());
        assert_eq!(en.count("count-persons", 1), "1 person");
        assert_eq!(en.count("count-persons", 2), "2 persons");
        // Large numbers with their thousands apart, the plural still chosen by the number.
        assert_eq!(ru.count("count-persons", 12_342), "12\u{202f}342 человека");
        assert_eq!(
            en.count("count-persons", 1_000_000),
            "1\u{202f}000\u{202f}000 persons"
        );
    }

    #[test]
    fn the_switcher_keeps_the_query() {
        let l = locale("/search?q=%D0%90%D0%B1&lang=kk", &[]);
        let links = l.switcher();
        assert_eq!(links.len(), 4);
        assert_eq!(links[3].href, "?q=%D0%90%D0%B1&lang=en");
        let hostile = locale("//evil.example/x", &[]);
        assert!(hostile.switcher().iter().all(|l| l.href.starts_with('?')));
        assert!(links[1].current);
    }
}
