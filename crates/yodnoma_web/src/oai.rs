//! OAI-PMH 2.0 at `/oai`: the persons, exhibits and published exhibitions as Dublin Core
//! (`oai_dc`), for aggregators to harvest.
//!
//! All six verbs answer over GET and POST. Errors are `<error code="…">` in the XML body with
//! status 200, as the protocol asks. Lists come 100 items a page, in id order (persons, then
//! exhibits, then exhibitions); the resumption token carries where the next page starts, the
//! cursor and the list's size, so the server keeps no state between pages and a harvest of
//! millions holds one page in memory. Sets: `person`, `exhibit`, `exhibition`, `person:SOURCE`
//! (persons with a record of that source) and `exhibit:ID` (the exhibits of an exhibition).
//! A person merged into another by linkage answers as a deleted record, dated by the merge, so
//! that harvesters drop their copy; a split can bring the id back, so deletions are
//! `transient`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Response};
use yodnoma_core::{ExhibitId, ExhibitionId, Language, LanguageMap, PersonId};
use yodnoma_db::{HarvestItem, HarvestKind, HarvestQuery};

use crate::{AppState, WebError};

/// Items on one page of a list.
const PAGE: i64 = 100;
/// The namespace of item identifiers: `oai:yodnoma.local:person/ID`.
const NAMESPACE: &str = "yodnoma.local";
const DC_SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";
const DC_NAMESPACE: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";

/// A protocol error, answered in the XML body.
struct OaiError {
    code: &'static str,
    message: String,
}

/// Text for the XML of a response: markup escaped, and the characters XML 1.0 cannot hold at
/// all (control characters, U+FFFE, U+FFFF) written as U+FFFD, so that one stored value or
/// echoed argument cannot make a whole page unreadable to a harvester.
fn escape(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    if text.chars().all(allowed) {
        return quick_xml::escape::escape(text);
    }
    let clean: String = text
        .chars()
        .map(|c| if allowed(c) { c } else { '\u{FFFD}' })
        .collect();
    Cow::Owned(quick_xml::escape::escape(&clean).into_owned())
}

fn error(code: &'static str, message: impl Into<String>) -> OaiError {
    OaiError {
        code,
        message: message.into(),
    }
}

/// What a list covers: the kinds of item, and their filter.
#[derive(Debug, Clone, Default)]
struct Scope {
    kinds: Vec<HarvestKind>,
    query: HarvestQuery,
    set: Option<String>,
}

/// Where a list goes on: everything the next page needs.
#[derive(Debug, Clone)]
struct Token {
    scope: Scope,
    /// Index into `scope.kinds` of the kind being listed.
    kind: usize,
    after: String,
    cursor: i64,
    total: i64,
}

const KIND_NAMES: [(HarvestKind, &str); 3] = [
    (HarvestKind::Person, "person"),
    (HarvestKind::Exhibit, "exhibit"),
    (HarvestKind::Exhibition, "exhibition"),
];

fn kind_name(kind: HarvestKind) -> &'static str {
    KIND_NAMES
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("person", |(_, name)| name)
}

impl Token {
    fn encode(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        out.append_pair("k", &self.kind.to_string());
        out.append_pair("a", &self.after);
        out.append_pair("c", &self.cursor.to_string());
        out.append_pair("t", &self.total.to_string());
        if let Some(set) = &self.scope.set {
            out.append_pair("s", set);
        }
        if let Some(from) = &self.scope.query.from {
            out.append_pair("f", from);
        }
        if let Some(until) = &self.scope.query.until {
            out.append_pair("u", until);
        }
        out.finish()
    }

    fn decode(text: &str) -> Result<Self, OaiError> {
        const MAX_COUNT: i64 = 1_000_000_000_000;
        let bad = || {
            error(
                "badResumptionToken",
                "the resumption token is not one this repository gave",
            )
        };
        let fields: HashMap<String, String> = form_urlencoded::parse(text.as_bytes())
            .into_owned()
            .collect();
        // Counts of items: no registry holds more than a trillion, and a bound keeps the
        // arithmetic on them from overflowing.
        let number = |key: &str| -> Result<i64, OaiError> {
            fields
                .get(key)
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|n| (0..=MAX_COUNT).contains(n))
                .ok_or_else(bad)
        };
        // The dates as this repository wrote them, or the token was altered.
        let (from, until) = (fields.get("f").cloned(), fields.get("u").cloned());
        if datestamps(from.as_deref(), until.as_deref()).map_err(|_| bad())?
            != (from.clone(), until.clone())
        {
            return Err(bad());
        }
        let scope =
            scope_of(fields.get("s").map(String::as_str), from, until).map_err(|_| bad())?;
        let kind = usize::try_from(number("k")?).map_err(|_| bad())?;
        if kind >= scope.kinds.len() {
            return Err(bad());
        }
        Ok(Self {
            scope,
            kind,
            after: fields.get("a").cloned().ok_or_else(bad)?,
            cursor: number("c")?,
            total: number("t")?,
        })
    }
}

/// The kinds and filter of a set (or of everything).
fn scope_of(
    set: Option<&str>,
    from: Option<String>,
    until: Option<String>,
) -> Result<Scope, OaiError> {
    let mut query = HarvestQuery {
        from,
        until,
        ..HarvestQuery::default()
    };
    let all = vec![
        HarvestKind::Person,
        HarvestKind::Exhibit,
        HarvestKind::Exhibition,
    ];
    let kinds = match set {
        None => all,
        Some("person") => vec![HarvestKind::Person],
        Some("exhibit") => vec![HarvestKind::Exhibit],
        Some("exhibition") => vec![HarvestKind::Exhibition],
        // `person:SOURCE` and `exhibit:EXHIBITION` lie below `person` and `exhibit`, as the
        // protocol reads a colon; `source:` and `exhibition:` are their earlier names.
        Some(other) => match other.split_once(':') {
            Some(("person" | "source", name)) if !name.is_empty() => {
                query.source = Some(name.to_owned());
                vec![HarvestKind::Person]
            }
            Some(("exhibit" | "exhibition", id)) if ExhibitionId::parse(id).is_ok() => {
                query.exhibition = Some(id.to_owned());
                vec![HarvestKind::Exhibit]
            }
            _ => return Err(error("noRecordsMatch", format!("there is no set {other}"))),
        },
    };
    Ok(Scope {
        kinds,
        query,
        set: set.map(str::to_owned),
    })
}

/// `from`/`until` as datestamps: a day or a second, both of the same granularity.
fn datestamps(
    from: Option<&str>,
    until: Option<&str>,
) -> Result<(Option<String>, Option<String>), OaiError> {
    fn read(text: &str, name: &str, end_of_day: bool) -> Result<(String, bool), OaiError> {
        let bad = || {
            error(
                "badArgument",
                format!("{name}: '{text}' is neither YYYY-MM-DD nor YYYY-MM-DDThh:mm:ssZ"),
            )
        };
        let day = |d: &str| {
            d.len() == 10
                && time::Date::parse(
                    d,
                    &time::macros::format_description!("[year]-[month]-[day]"),
                )
                .is_ok()
        };
        if day(text) {
            let time = if end_of_day { "23:59:59" } else { "00:00:00" };
            return Ok((format!("{text}T{time}Z"), false));
        }
        let valid = text.len() == 20
            && text.ends_with('Z')
            && time::PrimitiveDateTime::parse(
                &text[..19],
                &time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
            )
            .is_ok();
        if valid {
            Ok((text.to_owned(), true))
        } else {
            Err(bad())
        }
    }
    let from = from.map(|t| read(t, "from", false)).transpose()?;
    let until = until.map(|t| read(t, "until", true)).transpose()?;
    if let (Some((f, fine_f)), Some((u, fine_u))) = (&from, &until) {
        if fine_f != fine_u {
            return Err(error(
                "badArgument",
                "from and until have different granularities",
            ));
        }
        if f > u {
            return Err(error("badArgument", "from is after until"));
        }
    }
    Ok((from.map(|(t, _)| t), until.map(|(t, _)| t)))
}

/// `oai:yodnoma.local:person/ID` → the kind and id.
fn parse_identifier(text: &str) -> Option<(HarvestKind, String)> {
    let rest = text
        .strip_prefix("oai:")?
        .strip_prefix(NAMESPACE)?
        .strip_prefix(':')?;
    let (kind, id) = rest.split_once('/')?;
    let kind = KIND_NAMES.iter().find(|(_, name)| *name == kind)?.0;
    let valid = match kind {
        HarvestKind::Person => PersonId::parse(id).is_ok(),
        HarvestKind::Exhibit => ExhibitId::parse(id).is_ok(),
        HarvestKind::Exhibition => ExhibitionId::parse(id).is_ok(),
    };
    valid.then(|| (kind, id.to_owned()))
}

fn identifier(kind: HarvestKind, id: &str) -> String {
    format!("oai:{NAMESPACE}:{}/{id}", kind_name(kind))
}

/// The arguments of a request, each once.
struct Arguments(HashMap<String, String>);

impl Arguments {
    fn parse(text: &str) -> Result<Self, OaiError> {
        let mut map = HashMap::new();
        for (key, value) in form_urlencoded::parse(text.as_bytes()).into_owned() {
            if map.insert(key.clone(), value).is_some() {
                let code = if key == "verb" {
                    "badVerb"
                } else {
                    "badArgument"
                };
                return Err(error(code, format!("{key} is given more than once")));
            }
        }
        Ok(Self(map))
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// Refuses arguments the verb does not take, and missing required ones.
    fn check(&self, required: &[&str], optional: &[&str]) -> Result<(), OaiError> {
        for key in self.0.keys() {
            if key != "verb"
                && !required.contains(&key.as_str())
                && !optional.contains(&key.as_str())
            {
                return Err(error(
                    "badArgument",
                    format!("{key} is not an argument of this verb"),
                ));
            }
        }
        for key in required {
            if !self.0.contains_key(*key) {
                return Err(error("badArgument", format!("{key} is required")));
            }
        }
        Ok(())
    }
}

fn now_stamp() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap_or_default()
}

/// `GET /oai?verb=…` and `POST /oai` (form).
pub async fn handle(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, WebError> {
    let text = if method == Method::POST {
        String::from_utf8_lossy(&body).into_owned()
    } else {
        query.unwrap_or_default()
    };
    let base = format!("{}/oai", crate::iiif::origin(&headers));
    let mut xml = String::with_capacity(16 * 1024);
    xml.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    xml.push_str(
        "\n<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ \
         http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\n",
    );
    let _ = writeln!(xml, "<responseDate>{}</responseDate>", now_stamp());
    let answered = match Arguments::parse(&text) {
        Ok(arguments) => answer(&state, &base, &arguments, &mut xml).await,
        Err(e) => Err(e),
    };
    if let Err(e) = &answered
        && e.code == UNAVAILABLE
    {
        // Harvesters retry a 503 after Retry-After; an OAI error code would read as the
        // request's fault.
        return Ok((
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "60")],
            e.message.clone(),
        )
            .into_response());
    }
    if let Err(e) = answered {
        // The request element carries the arguments only when they were valid.
        let _ = writeln!(xml, "<request>{}</request>", escape(&base));
        let _ = writeln!(
            xml,
            "<error code=\"{}\">{}</error>",
            e.code,
            escape(&e.message)
        );
    }
    xml.push_str("</OAI-PMH>\n");
    Ok(([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response())
}

/// Writes the request element and the verb's answer into `xml`.
async fn answer(
    state: &AppState,
    base: &str,
    arguments: &Arguments,
    xml: &mut String,
) -> Result<(), OaiError> {
    let verb = arguments
        .get("verb")
        .ok_or_else(|| error("badVerb", "the verb argument is missing"))?;
    let mut body = String::new();
    match verb {
        "Identify" => {
            arguments.check(&[], &[])?;
            let earliest = state
                .store
                .harvest_earliest()
                .await
                .map_err(internal)?
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned());
            let _ = write!(
                body,
                "<Identify><repositoryName>yodnoma</repositoryName><baseURL>{}</baseURL>\
                 <protocolVersion>2.0</protocolVersion><adminEmail>{}</adminEmail>\
                 <earliestDatestamp>{earliest}</earliestDatestamp>\
                 <deletedRecord>transient</deletedRecord>\
                 <granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>",
                escape(base),
                escape(&state.admin_email),
            );
        }
        "ListMetadataFormats" => {
            arguments.check(&[], &["identifier"])?;
            if let Some(id) = arguments.get("identifier") {
                exists(state, id).await?;
            }
            let _ = write!(
                body,
                "<ListMetadataFormats><metadataFormat><metadataPrefix>oai_dc</metadataPrefix>\
                 <schema>{DC_SCHEMA}</schema><metadataNamespace>{DC_NAMESPACE}</metadataNamespace>\
                 </metadataFormat></ListMetadataFormats>"
            );
        }
        "ListSets" => {
            arguments.check(&[], &["resumptionToken"])?;
            if arguments.get("resumptionToken").is_some() {
                return Err(error("badResumptionToken", "the sets come on one page"));
            }
            body.push_str("<ListSets>");
            let mut set = |spec: &str, name: &str| {
                let _ = write!(
                    body,
                    "<set><setSpec>{}</setSpec><setName>{}</setName></set>",
                    escape(spec),
                    escape(name)
                );
            };
            set("person", "Persons of the registry");
            set("exhibit", "Exhibits of the published exhibitions");
            set("exhibition", "Published exhibitions");
            for source in state.store.sources().await.map_err(internal)? {
                set(
                    &format!("person:{source}"),
                    &format!("Persons with a record of {source}"),
                );
            }
            for exhibition in state
                .store
                .list_exhibitions(false)
                .await
                .map_err(internal)?
            {
                let title = exhibition.title.get(Language::En).to_owned();
                set(
                    &format!("exhibit:{}", exhibition.id),
                    &format!("Exhibits of {title}"),
                );
            }
            body.push_str("</ListSets>");
        }
        "GetRecord" => {
            arguments.check(&["identifier", "metadataPrefix"], &[])?;
            prefix(arguments)?;
            let id = arguments.get("identifier").unwrap_or("");
            let (kind, item) = exists(state, id).await?;
            body.push_str("<GetRecord>");
            record(
                state,
                origin(base),
                kind,
                &item,
                &Scope::default(),
                &mut body,
            )
            .await?;
            body.push_str("</GetRecord>");
        }
        "ListIdentifiers" | "ListRecords" => {
            let token = match arguments.get("resumptionToken") {
                Some(text) => {
                    arguments.check(&["resumptionToken"], &[])?;
                    Token::decode(text)?
                }
                None => {
                    arguments.check(&["metadataPrefix"], &["from", "until", "set"])?;
                    prefix(arguments)?;
                    let (from, until) = datestamps(arguments.get("from"), arguments.get("until"))?;
                    let scope = scope_of(arguments.get("set"), from, until)?;
                    let mut total = 0;
                    for kind in &scope.kinds {
                        total += state
                            .store
                            .harvest_count(*kind, &scope.query)
                            .await
                            .map_err(internal)?;
                    }
                    if total == 0 {
                        return Err(error("noRecordsMatch", "no item matches the request"));
                    }
                    Token {
                        scope,
                        kind: 0,
                        after: String::new(),
                        cursor: 0,
                        total,
                    }
                }
            };
            list(state, origin(base), verb, token, &mut body).await?;
        }
        other => {
            return Err(error(
                "badVerb",
                format!(
                    "{} is not a verb of OAI-PMH 2.0",
                    other.chars().take(40).collect::<String>()
                ),
            ));
        }
    }
    // Valid: the request element repeats the arguments.
    let mut request = String::from("<request");
    let mut keys: Vec<&String> = arguments.0.keys().collect();
    keys.sort();
    for key in keys {
        let _ = write!(request, " {}=\"{}\"", key, escape(&arguments.0[key]));
    }
    let _ = writeln!(xml, "{request}>{}</request>", escape(base));
    xml.push_str(&body);
    xml.push('\n');
    Ok(())
}

/// The site's address, from the base URL of the repository.
fn origin(base: &str) -> &str {
    base.strip_suffix("/oai").unwrap_or(base)
}

/// The code of an error that is the repository's, not the request's: answered 503.
const UNAVAILABLE: &str = "unavailable";

fn internal(e: yodnoma_db::DbError) -> OaiError {
    tracing::error!(cause = %e, "OAI-PMH request failed");
    error(
        UNAVAILABLE,
        "the repository could not answer; try again later",
    )
}

fn prefix(arguments: &Arguments) -> Result<(), OaiError> {
    match arguments.get("metadataPrefix") {
        Some("oai_dc") | None => Ok(()),
        Some(other) => Err(error(
            "cannotDisseminateFormat",
            format!("{other} is not offered; oai_dc is"),
        )),
    }
}

/// The item an identifier names, if it exists.
async fn exists(state: &AppState, id: &str) -> Result<(HarvestKind, HarvestItem), OaiError> {
    let missing = || {
        error(
            "idDoesNotExist",
            format!("{id} is not an item of this repository"),
        )
    };
    let (kind, local) = parse_identifier(id).ok_or_else(missing)?;
    let item = state
        .store
        .harvest_one(kind, &local)
        .await
        .map_err(internal)?
        .ok_or_else(missing)?;
    Ok((kind, item))
}

/// One page of a list, and the token for the next.
async fn list(
    state: &AppState,
    origin: &str,
    verb: &str,
    mut token: Token,
    body: &mut String,
) -> Result<(), OaiError> {
    let mut items: Vec<(HarvestKind, HarvestItem)> = Vec::new();
    while items.len() < PAGE as usize && token.kind < token.scope.kinds.len() {
        let kind = token.scope.kinds[token.kind];
        let room = PAGE - items.len() as i64;
        let page = state
            .store
            .harvest(kind, &token.scope.query, &token.after, room)
            .await
            .map_err(internal)?;
        let full = page.len() as i64 == room;
        if let Some(last) = page.last() {
            token.after = last.id.clone();
        }
        items.extend(page.into_iter().map(|item| (kind, item)));
        if !full {
            token.kind += 1;
            token.after = String::new();
        }
    }
    if items.is_empty() {
        return Err(error("noRecordsMatch", "no item matches the request"));
    }
    // Whether anything is left: a page that ends exactly where the list ends must say so, not
    // hand out a token that leads nowhere.
    while token.kind < token.scope.kinds.len() {
        let kind = token.scope.kinds[token.kind];
        let next = state
            .store
            .harvest(kind, &token.scope.query, &token.after, 1)
            .await
            .map_err(internal)?;
        if !next.is_empty() {
            break;
        }
        token.kind += 1;
        token.after = String::new();
    }
    let _ = write!(body, "<{verb}>");
    for (kind, item) in &items {
        if verb == "ListIdentifiers" {
            header_of(*kind, item, &token.scope, body);
        } else {
            match record(state, origin, *kind, item, &token.scope, body).await {
                // Gone since it was listed (merged into another person): the page goes on
                // without it, as a later harvest would not see it either.
                Err(e) if e.code == "idDoesNotExist" => {}
                other => other?,
            }
        }
    }
    let cursor = token.cursor;
    token.cursor = token.cursor.saturating_add(items.len() as i64);
    // A list that grew while harvested would otherwise claim to be done too early.
    token.total = token.total.max(token.cursor);
    let more = token.kind < token.scope.kinds.len();
    if more {
        let _ = write!(
            body,
            "<resumptionToken completeListSize=\"{}\" cursor=\"{cursor}\">{}</resumptionToken>",
            token.total,
            escape(&token.encode())
        );
    } else if cursor > 0 {
        // The last page of a list that took several says so with an empty token.
        let _ = write!(
            body,
            "<resumptionToken completeListSize=\"{}\" cursor=\"{cursor}\"/>",
            token.total
        );
    }
    let _ = write!(body, "</{verb}>");
    Ok(())
}

fn header_of(kind: HarvestKind, item: &HarvestItem, scope: &Scope, body: &mut String) {
    let _ = write!(
        body,
        "<header{}><identifier>{}</identifier><datestamp>{}</datestamp><setSpec>{}</setSpec>",
        if item.deleted {
            " status=\"deleted\""
        } else {
            ""
        },
        escape(&identifier(kind, &item.id)),
        escape(&item.datestamp),
        kind_name(kind)
    );
    // Every set below its kind that the item is in, whatever was asked.
    for group in &item.groups {
        let _ = write!(
            body,
            "<setSpec>{}:{}</setSpec>",
            kind_name(kind),
            escape(group)
        );
    }
    // A set asked for by its earlier name is named as asked.
    if let Some(set) = &scope.set
        && (set.starts_with("source:") || set.starts_with("exhibition:"))
    {
        let _ = write!(body, "<setSpec>{}</setSpec>", escape(set));
    }
    body.push_str("</header>");
}

/// A record: its header and its Dublin Core. Nothing is written when the item is gone
/// (`idDoesNotExist`): merged by linkage, or unpublished, since it was listed.
async fn record(
    state: &AppState,
    origin: &str,
    kind: HarvestKind,
    item: &HarvestItem,
    scope: &Scope,
    out: &mut String,
) -> Result<(), OaiError> {
    let mut written = String::new();
    let body = &mut written;
    body.push_str("<record>");
    header_of(kind, item, scope, body);
    // A deleted record is its header alone.
    if item.deleted {
        body.push_str("</record>");
        out.push_str(&written);
        return Ok(());
    }
    body.push_str(
        "<metadata><oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ \
         http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">",
    );
    let mut dc = |element: &str, value: &str, lang: Option<&str>| {
        if value.trim().is_empty() {
            return;
        }
        match lang {
            Some(lang) => {
                let _ = write!(
                    body,
                    "<dc:{element} xml:lang=\"{lang}\">{}</dc:{element}>",
                    escape(value)
                );
            }
            None => {
                let _ = write!(body, "<dc:{element}>{}</dc:{element}>", escape(value));
            }
        }
    };
    let languages = |map: &LanguageMap| -> Vec<(&'static str, String)> {
        Language::ALL
            .into_iter()
            .filter_map(|l| map.exact(l).map(|t| (l.tag(), t.to_owned())))
            .collect()
    };
    match kind {
        HarvestKind::Person => {
            let id =
                PersonId::parse(&item.id).map_err(|_| error("idDoesNotExist", item.id.clone()))?;
            let person = state
                .store
                .person(&id)
                .await
                .map_err(internal)?
                .ok_or_else(|| error("idDoesNotExist", item.id.clone()))?;
            dc("title", &person.display_name(), None);
            for form in person.name_forms() {
                dc("title", &form.full, None);
            }
            dc("type", "Person", None);
            dc(
                "identifier",
                &format!("{origin}/persons/{}", person.id),
                None,
            );
            if let Some(date) = person.birth_date() {
                dc("date", &date.to_string(), None);
            }
            if let Some(date) = person.death_date() {
                dc("date", &date.to_string(), None);
            }
            for place in [person.birth_place(), person.region(), person.country()]
                .into_iter()
                .flatten()
            {
                dc("coverage", place, None);
            }
            let mut facts = Vec::new();
            if let Some(rank) = person.rank() {
                facts.push(rank.to_owned());
            }
            if let Some(unit) = person.unit() {
                facts.push(unit.to_owned());
            }
            if let Some(fate) = person.fate() {
                facts.push(fate.as_str().to_owned());
            }
            for award in person.awards() {
                facts.push(award.text.clone());
            }
            dc("description", &facts.join("; "), None);
            for r in &person.records {
                let reference = r.record.source_ref.clone().unwrap_or_default();
                dc(
                    "source",
                    &format!("{} / {} {reference}", r.source, r.record.record_id),
                    None,
                );
            }
        }
        HarvestKind::Exhibit => {
            let id =
                ExhibitId::parse(&item.id).map_err(|_| error("idDoesNotExist", item.id.clone()))?;
            let exhibit = state
                .store
                .exhibit(&id)
                .await
                .map_err(internal)?
                .ok_or_else(|| error("idDoesNotExist", item.id.clone()))?;
            for (lang, text) in languages(&exhibit.title) {
                dc("title", &text, Some(lang));
            }
            for (lang, text) in languages(&exhibit.description) {
                dc("description", &text, Some(lang));
            }
            dc("creator", exhibit.creator.as_deref().unwrap_or(""), None);
            dc("date", exhibit.date.as_deref().unwrap_or(""), None);
            for (lang, text) in languages(&exhibit.technique) {
                dc("format", &text, Some(lang));
            }
            for (lang, text) in languages(&exhibit.institution) {
                dc("publisher", &text, Some(lang));
            }
            dc("rights", exhibit.rights.as_deref().unwrap_or(""), None);
            dc("type", "Image", None);
            dc(
                "identifier",
                &format!("{origin}/exhibits/{}", exhibit.id),
                None,
            );
            if !exhibit.images.is_empty() {
                dc(
                    "relation",
                    &format!("{origin}/iiif/3/manifests/{}", exhibit.id),
                    None,
                );
            }
            for person in &exhibit.persons {
                dc("subject", &format!("{origin}/persons/{person}"), None);
            }
        }
        HarvestKind::Exhibition => {
            let id = ExhibitionId::parse(&item.id)
                .map_err(|_| error("idDoesNotExist", item.id.clone()))?;
            let exhibition = state
                .store
                .exhibition(&id, false)
                .await
                .map_err(internal)?
                .ok_or_else(|| error("idDoesNotExist", item.id.clone()))?;
            for (lang, text) in languages(&exhibition.title) {
                dc("title", &text, Some(lang));
            }
            for (lang, text) in languages(&exhibition.introduction) {
                dc("description", &text, Some(lang));
            }
            for (lang, text) in languages(&exhibition.institution) {
                dc("publisher", &text, Some(lang));
            }
            dc("creator", exhibition.curator.as_deref().unwrap_or(""), None);
            dc("type", "Collection", None);
            dc(
                "identifier",
                &format!("{origin}/exhibitions/{}", exhibition.id),
                None,
            );
            dc(
                "relation",
                &format!("{origin}/iiif/3/manifests/{}", exhibition.id),
                None,
            );
        }
    }
    body.push_str("</oai_dc:dc></metadata></record>");
    out.push_str(&written);
    Ok(())
}
