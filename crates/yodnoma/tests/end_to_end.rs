//! End-to-end tests: the real `yodnoma` binary, a fresh data directory per test, and the real
//! server on `127.0.0.1:0`, driven as a user or a client would.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_yodnoma");

fn yodnoma(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("yodnoma runs")
}

/// `yodnoma import records FILE --source SOURCE` over `data`.
fn import_records(data: &Path, file: &Path, source: &str) -> Output {
    let file = file.to_str().expect("test paths are UTF-8");
    yodnoma(data, &["import", "records", file, "--source", source])
}

/// A data directory holding the records of `csv`, imported as `source`; the directory goes
/// with the returned guard.
fn data_with_records(csv: &str, source: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join(format!("{source}.csv"));
    std::fs::write(&file, csv).unwrap();
    assert!(import_records(&data, &file, source).status.success());
    (dir, data)
}

/// `yodnoma import image FILE --id ID --alt-en ALT` over `data`.
fn import_image(data: &Path, file: &Path, id: &str, alt_en: &str) -> Output {
    let file = file.to_str().expect("test paths are UTF-8");
    yodnoma(
        data,
        &["import", "image", file, "--id", id, "--alt-en", alt_en],
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A server on a free port over its own data directory, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    agent: ureq::Agent,
    _data: Option<tempfile::TempDir>,
}

impl Server {
    fn start(demo: bool) -> Self {
        let data = tempfile::tempdir().unwrap();
        let mut server = Self::start_at(data.path(), demo);
        server._data = Some(data);
        server
    }

    fn start_at(data: &Path, demo: bool) -> Self {
        Self::start_with(data, demo, &[])
    }

    fn start_with(data: &Path, demo: bool, args: &[&str]) -> Self {
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped());
        if demo {
            command.arg("--demo");
        }
        let mut child = command.spawn().expect("server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("yodnoma listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            child,
            url,
            agent,
            _data: None,
        }
    }

    fn get(&self, path: &str) -> (u16, String, ureq::http::HeaderMap) {
        self.get_with(path, &[])
    }

    fn get_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (u16, String, ureq::http::HeaderMap) {
        let mut request = self.agent.get(format!("{}{path}", self.url));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.call().expect("request is answered");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (status, body, headers)
    }

    fn json_ld(&self, path: &str) -> (u16, Value) {
        self.json_of("application/ld+json", path)
    }

    fn json(&self, path: &str) -> (u16, Value) {
        self.json_of("application/json", path)
    }

    /// The body of `path` as JSON, its content type starting with `media_type`.
    fn json_of(&self, media_type: &str, path: &str) -> (u16, Value) {
        let (status, body, headers) = self.get_with(path, &[("Accept", media_type)]);
        let kind = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(kind.starts_with(media_type), "{path}: content-type {kind}");
        (status, serde_json::from_str(&body).expect("JSON body"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn html_lang(body: &str) -> &str {
    let start = body.find("<html lang=\"").expect("html element") + 12;
    &body[start..start + body[start..].find('"').unwrap()]
}

#[test]
fn health_and_graceful_shutdown() {
    let mut server = Server::start(false);
    assert_eq!(server.get("/health").0, 200);
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    assert!(
        exit.success(),
        "a SIGTERM ends the server cleanly: {exit:?}"
    );
}

#[test]
fn the_demo_exhibition_is_served_in_four_languages() {
    let server = Server::start(true);
    let (status, list) = server.json("/api/v1/exhibitions");
    assert_eq!(status, 200);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], "faces-of-victory");
    assert_eq!(items[0]["title"]["ru"], "Лица Победы");
    assert_eq!(items[0]["title"]["kk"], "Жеңіс жүздері");
    assert_eq!(items[0]["title"]["uz"], "Gʻalaba yuzlari");
    assert_eq!(items[0]["title"]["en"], "Faces of Victory");

    let (status, exhibition) = server.json("/api/v1/exhibitions/faces-of-victory");
    assert_eq!(status, 200);
    let sections = exhibition["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 4);
    let exhibits: Vec<&Value> = sections
        .iter()
        .flat_map(|s| s["exhibits"].as_array().unwrap())
        .collect();
    assert_eq!(exhibits.len(), 28, "one exhibit per hero");
    for exhibit in &exhibits {
        let image = &exhibit["images"][0];
        assert_eq!(image["placeholder"], true);
        for lang in ["ru", "kk", "uz", "en"] {
            assert!(
                !image["alt"][lang].as_str().unwrap().is_empty(),
                "alt text in {lang}"
            );
        }
        let (status, _, headers) = server.get(image["url"].as_str().unwrap());
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "image/svg+xml");
    }

    // A hero, from the exhibit to the person and back.
    let first = exhibits[0];
    let person = first["persons"][0].as_str().unwrap();
    let (status, json) = server.json(&format!("/api/v1/persons/{person}"));
    assert_eq!(status, 200);
    assert_eq!(json["name"], "Мамраев Мартбек");
    assert_eq!(json["records"][0]["source"], "demo");
    assert_eq!(json["records"][0]["record_id"], "h001");
    assert_eq!(json["awards"][0]["kind"], "hero");
    assert_eq!(json["exhibits"][0]["id"], "faces-of-victory-h001");

    // What a client of the API sees, with the random person ids masked.
    let (_, list) =
        server.json("/api/v1/search?q=%D0%9B%D1%83%D0%B3%D0%B0%D0%BD%D1%81%D0%BA%D0%B8%D0%B9");
    let luganskiy = list["items"][0]["person_id"].as_str().unwrap().to_owned();
    let (_, json) = server.json(&format!("/api/v1/persons/{luganskiy}"));
    let masked = serde_json::to_string_pretty(&json)
        .unwrap()
        .replace(&luganskiy, "[person]");
    insta::assert_snapshot!("api_person_twice_hero", masked);
    let (_, json) = server.json("/api/v1/exhibitions");
    insta::assert_json_snapshot!("api_exhibitions", json);

    let pages = [
        "/".to_owned(),
        "/search?q=%D0%9C%D0%B0%D0%BC%D1%80%D0%B0%D0%B5%D0%B2".to_owned(),
        "/exhibitions".to_owned(),
        "/exhibitions/faces-of-victory".to_owned(),
        "/exhibits/faces-of-victory-h001".to_owned(),
        format!("/persons/{person}"),
    ];
    for page in &pages {
        for lang in ["ru", "kk", "uz", "en"] {
            let separator = if page.contains('?') { '&' } else { '?' };
            let (status, body, headers) = server.get(&format!("{page}{separator}lang={lang}"));
            assert_eq!(status, 200, "{page} in {lang}");
            assert_eq!(html_lang(&body), lang, "{page}");
            assert!(
                headers["set-cookie"]
                    .to_str()
                    .unwrap()
                    .starts_with(&format!("lang={lang};")),
                "the chosen language is remembered"
            );
        }
    }
    let (_, body, _) = server.get("/exhibitions/faces-of-victory?lang=kk");
    assert!(body.contains("Жеңіс жүздері"));
    assert!(body.contains("Қарағанды батырлары"));
    let (_, body, _) = server.get("/exhibits/faces-of-victory-h001?lang=en");
    assert!(body.contains("Martbek Mamrayev"));
    assert!(body.contains("alt=\"Placeholder portrait: a grey silhouette"));
}

#[test]
fn language_comes_from_cookie_then_accept_language() {
    let server = Server::start(false);
    let (_, body, _) = server.get_with("/", &[("Accept-Language", "en-GB,en;q=0.9")]);
    assert_eq!(html_lang(&body), "en");
    let (_, body, _) = server.get_with("/", &[("Accept-Language", "en"), ("Cookie", "lang=uz")]);
    assert_eq!(html_lang(&body), "uz");
    assert!(
        body.contains("Qidirish") || body.contains("qidir"),
        "Uzbek interface"
    );
    let (_, body, _) = server.get("/");
    assert_eq!(html_lang(&body), "ru", "Russian by default");
}

#[test]
fn errors_are_json_in_the_api_and_pages_on_the_site() {
    let server = Server::start(true);
    let (status, json) = server.json("/api/v1/persons/p0000000000000");
    assert_eq!(status, 404);
    assert_eq!(json["error"], "person p0000000000000 not found");
    let (status, json) = server.json("/api/v1/persons/..%2F..%2Fetc");
    assert_eq!(status, 404);
    assert!(json["error"].is_string());
    let (status, json) = server.json("/api/v1/search");
    assert_eq!(
        (status, json["error"].as_str().unwrap()),
        (400, "q: is required (a name to search for)")
    );
    let (status, json) = server.json("/api/v1/search?q=a&limit=0");
    assert_eq!(status, 400);
    assert_eq!(
        json["error"],
        "limit: '0' is not a whole number between 1 and 1000000"
    );
    let (status, json) = server.json("/api/v1/search?q=%D0%B0&limit=1000");
    assert_eq!(status, 200, "a limit above 100 is capped, not refused");
    assert!(json["items"].as_array().unwrap().len() <= 100);
    let (status, json) = server.json("/api/v1/persons/%FF%FE");
    assert_eq!(status, 400, "a path that is not UTF-8");
    assert!(json["error"].is_string());
    let mut post = server
        .agent
        .post(format!("{}/api/v1/search", server.url))
        .send("")
        .unwrap();
    assert_eq!(post.status().as_u16(), 405);
    let body: Value = serde_json::from_str(&post.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(body["error"], "method not allowed");
    let (status, json) = server.json("/api/v1/search?q=a&limit=-1");
    assert_eq!(status, 400);
    assert!(json["error"].as_str().unwrap().starts_with("limit:"));
    let (status, json) = server.json("/api/v1/no-such-thing");
    assert_eq!(
        (status, json["error"].as_str().unwrap()),
        (404, "no such page")
    );

    let (status, body, headers) = server.get("/persons/nobody?lang=en");
    assert_eq!(status, 404);
    assert_eq!(html_lang(&body), "en");
    assert!(body.contains("Page not found"));
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let (status, body, _) = server.get("/no/such/page?lang=kk");
    assert_eq!(status, 404);
    assert_eq!(html_lang(&body), "kk");
    let (status, body, _) = server.get("/search?q=x&page=zero&lang=en");
    assert_eq!(status, 400);
    assert!(
        body.contains("page: &#39;zero&#39;")
            || body.contains("page: 'zero'")
            || body.contains("page: &#x27;zero&#x27;"),
        "{body}"
    );
}

#[test]
fn every_response_carries_the_security_headers() {
    let server = Server::start(false);
    for path in ["/", "/api/v1/exhibitions", "/nothing"] {
        let (_, _, headers) = server.get(path);
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers.contains_key("referrer-policy"));
    }
}

#[test]
fn search_api_finds_by_any_word_order_and_limits() {
    let server = Server::start(true);
    let (status, json) = server.json("/api/v1/search?q=%D0%BC%D0%B0%D1%80%D1%82%D0%B1%D0%B5%D0%BA%20%D0%BC%D0%B0%D0%BC%D1%80%D0%B0%D0%B5%D0%B2");
    assert_eq!(status, 200);
    assert_eq!(json["query"], "мартбек мамраев");
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["name"], "Мамраев Мартбек");
    assert_eq!(json["items"][0]["score"], 1.0);
    assert_eq!(json["items"][0]["records"][0]["record_id"], "h001");
    assert_eq!(json["items"][0]["matched"]["words"][0]["kind"], "exact");
}

const VARIANTS: &str = "record_id,surname,given_name,patronymic,birth_date,region,fate,award\n\
v1,Момыш-улы,Баурджан,,1910-12-24,Джамбулская область,survived,Hero of the Soviet Union\n\
v2,Абдулаев,Карим,,1921,Ташкентская область,killed,\n\
v3,Уразов,Ахмед,Каримович,1920,Акмолинская область,killed,\n\
v4,Уразов,Ахмед,,1923,Акмолинская область,missing,\n\
v5,Уразов,Ахмед,,1925,Ташкентская область,killed,Орден Красной Звезды\n\
v6,Молдагулова,Алия,Нурмухаметовна,1925-10-25,Актюбинская область,killed,Hero of the Soviet Union\n";

/// A server on a data dir holding the variants above, imported through the command line.
fn variants_server(dir: &tempfile::TempDir) -> Server {
    let file = dir.path().join("variants.csv");
    std::fs::write(&file, VARIANTS).unwrap();
    let data = dir.path().join("data");
    let output = import_records(&data, &file, "memory-book");
    assert!(output.status.success(), "{}", text(&output.stderr));
    Server::start_at(&data, false)
}

fn names(json: &Value) -> Vec<String> {
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn search_finds_any_spelling_in_any_script_and_explains_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = variants_server(&dir);
    for (query, expected) in [
        ("Bauyrzhan%20Momyshuly", "Момыш-улы Баурджан"),
        (
            "%D0%9C%D0%BE%D0%BC%D1%8B%D1%88%D2%B1%D0%BB%D1%8B",
            "Момыш-улы Баурджан",
        ), // Момышұлы
        ("Momysh-uly", "Момыш-улы Баурджан"),
        ("Abdullayev", "Абдулаев Карим"),
        ("O%CA%BBrazov%20Ahmed", "Уразов Ахмед Каримович"), // Oʻrazov; the fullest record first
        ("Maldagulova", "Молдагулова Алия Нурмухаметовна"),
        (
            "%D0%90.%20%D0%9C%D0%BE%D0%BB%D0%B4%D0%B0%D0%B3%D1%83%D0%BB%D0%BE%D0%B2%D0%B0",
            "Молдагулова Алия Нурмухаметовна",
        ), // А. Молдагулова
    ] {
        let (status, json) = server.json(&format!("/api/v1/search?q={query}"));
        assert_eq!(status, 200, "{query}");
        assert_eq!(
            names(&json).first().map(String::as_str),
            Some(expected),
            "{query}: {json}"
        );
    }
    let (_, json) = server.json("/api/v1/search?q=Momyshuly");
    let word = &json["items"][0]["matched"]["words"][0];
    assert_eq!(word["kind"], "transliteration", "{json}");
    assert_eq!(word["name"], "момышулы");
    assert!(
        json["items"][0]["matched"]["text"]
            .as_str()
            .unwrap()
            .contains("момышулы")
    );
    // A spelling that only sounds like the record's gets the record's spelling suggested.
    let (_, json) = server.json("/api/v1/search?q=Maldagulova");
    assert_eq!(json["suggestion"], "Молдагулова Алия Нурмухаметовна");
    // The page says the same in the reader's language, with the filters and facets.
    let (status, page, _) = server.get("/search?q=Momyshuly&lang=en");
    assert_eq!(status, 200);
    assert!(page.contains("momyshuly → момышулы: written in"), "{page}");
    assert!(page.contains("name=\"born_from\""));
    assert!(page.contains("By fate"));
}

#[test]
fn search_filters_pages_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let server = variants_server(&dir);
    let q =
        "/api/v1/search?q=%D0%A3%D1%80%D0%B0%D0%B7%D0%BE%D0%B2%20%D0%90%D1%85%D0%BC%D0%B5%D0%B4"; // Уразов Ахмед
    let (_, json) = server.json(q);
    assert_eq!(json["total"], 3);
    // Namesakes: the record with a patronymic first.
    assert_eq!(json["items"][0]["name"], "Уразов Ахмед Каримович");
    let (_, page) = server.json(&format!("{q}&limit=1&offset=1"));
    assert_eq!(
        (
            page["total"].as_u64(),
            page["items"].as_array().unwrap().len()
        ),
        (Some(3), 1)
    );
    assert_eq!(page["items"][0]["person_id"], json["items"][1]["person_id"]);
    let (_, json) = server.json(&format!("{q}&fate=killed"));
    assert_eq!(json["total"], 2);
    let (_, json) = server.json(&format!("{q}&born_from=1921&born_to=1924"));
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["birth_year"], 1923);
    let (_, json) = server.json(&format!("{q}&award=red-star"));
    assert_eq!(json["total"], 1);
    let (_, json) = server.json(&format!("{q}&region=%D0%90%D0%BA%D0%BC%D0%BE%D0%BB%D0%B8%D0%BD%D1%81%D0%BA%D0%B0%D1%8F%20%D0%BE%D0%B1%D0%BB%D0%B0%D1%81%D1%82%D1%8C"));
    assert_eq!(json["total"], 2);
    let (_, json) = server.json(&format!("{q}&facets=1"));
    let fates = json["facets"]["fate"].as_array().unwrap();
    let killed = fates.iter().find(|f| f["value"] == "killed").unwrap();
    assert_eq!(killed["count"], 2);
    let decades: Vec<&str> = json["facets"]["birth_decade"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    assert_eq!(decades, ["1920"]);
    // On the page, the decade's link stays within the years already chosen, as its count does.
    let page = q.replace("/api/v1/search", "/search");
    let (status, narrowed, _) = server.get(&format!("{page}&born_from=1921&born_to=1924&lang=en"));
    assert_eq!(status, 200);
    assert!(narrowed.contains("1920s"), "{narrowed}");
    assert!(!narrowed.contains("born_from=1920"), "{narrowed}");
    assert!(!narrowed.contains("born_to=1929"), "{narrowed}");
    for (bad, named) in [
        ("&fate=heroic", "fate: 'heroic' is not one of"),
        (
            "&born_from=1930&born_to=1920",
            "born_from: 1930 is after born_to 1920",
        ),
        ("&born_from=abc", "born_from:"),
    ] {
        let (status, json) = server.json(&format!("{q}{bad}"));
        assert_eq!(status, 400, "{bad}");
        assert!(
            json["error"].as_str().unwrap().starts_with(named),
            "{bad}: {json}"
        );
    }
}

#[test]
fn bad_search_input_gets_a_clear_answer_never_a_server_error() {
    let dir = tempfile::tempdir().unwrap();
    let server = variants_server(&dir);
    let long = "%D0%90".repeat(5_000); // 10 KB of "А"
    let (status, json) = server.json(&format!("/api/v1/search?q={long}"));
    assert_eq!(status, 400);
    assert_eq!(json["error"], "q: is longer than 200 characters");
    let (status, _, _) = server.get(&format!("/search?q={long}"));
    assert_eq!(status, 400);
    for empty in [
        "%21%3F%2E%2C%20%2D%2D",    // only punctuation
        "%F0%9F%98%80%F0%9F%8E%96", // emoji
        "%D9%85%D8%AD%D9%85%D8%AF", // Arabic, right to left
        "%E2%80%AE%E2%80%8F",       // direction marks only
        "%01%02%1B%5B31m",          // control characters
        "%D0%A3",                   // an initial alone: "У" names nobody
        "%D0%A3.%20%D0%90.",        // initials alone: "У. А."
    ] {
        let (status, json) = server.json(&format!("/api/v1/search?q={empty}"));
        assert_eq!(status, 200, "{empty}");
        assert_eq!(json["total"], 0, "{empty}: {json}");
        let (status, _, _) = server.get(&format!("/search?q={empty}"));
        assert_eq!(status, 200, "{empty}");
    }
    // Mixed scripts in one word (a Latin "o" typed in Cyrillic) still find the name.
    let (status, json) = server.json(
        "/api/v1/search?q=%D0%A3%D1%80%D0%B0%D0%B7oв"
            .replace("в", "%D0%B2")
            .as_str(),
    );
    assert_eq!(status, 200);
    assert!(
        json["items"][0]["name"]
            .as_str()
            .unwrap()
            .starts_with("Уразов Ахмед")
    );
}

#[test]
fn the_index_follows_reimports_and_is_rebuilt_by_reindex() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("variants.csv");
    std::fs::write(&file, VARIANTS).unwrap();
    let data = dir.path().join("data");
    assert!(import_records(&data, &file, "memory-book").status.success());
    // An import that ended leaves no mark of a change on its way to the index.
    let marks = || {
        std::fs::read_dir(data.join("index"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("STALE")
            })
            .count()
    };
    assert_eq!(marks(), 0);
    // A corrected spelling replaces the old one in the index.
    std::fs::write(&file, "record_id,surname,given_name\nv2,Абдуллаев,Карим\n").unwrap();
    assert!(import_records(&data, &file, "memory-book").status.success());
    assert_eq!(marks(), 0);
    let output = yodnoma(&data, &["reindex"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).starts_with("indexed 6 persons in "),
        "{}",
        text(&output.stdout)
    );
    let server = Server::start_at(&data, false);
    let (_, json) =
        server.json("/api/v1/search?q=%D0%90%D0%B1%D0%B4%D1%83%D0%BB%D0%BB%D0%B0%D0%B5%D0%B2"); // Абдуллаев
    assert_eq!(json["items"][0]["matched"]["words"][0]["kind"], "exact");
    assert_eq!(json["total"], 1);
    drop(server);
    // An index removed by hand is rebuilt when the server starts.
    std::fs::remove_dir_all(data.join("index")).unwrap();
    let server = Server::start_at(&data, false);
    let (_, json) = server.json("/api/v1/search?q=Abdullaev");
    assert_eq!(json["total"], 1);
}

const MALFORMED: &str = "\u{feff}record_id,surname,given_name,birth_date,fate,true_person\r\n\
r1,Уразов,Ахмед,1920-04-01,killed,t1\r\n\
r2,Абдулаев,Карим,1941-13-40,,t2\r\n\
r3,Момыш-улы,Баурджан\r\n\
r4,\"Джанбулатов\",\"Ерлан \"\"Ерик\"\"\",1919,survived,t4\r\n\
r1,Оразов,Ахмет,1920,killed,t1\r\n\
r5,,,1922,,t5\r\n\
r6,Молдагулова,Алия,1925-06-25,heroic,t6\r\n\
r7,\"Сейткали\nМендыбаев\",Сейткали,1920,,t7\r\n";

#[test]
fn a_malformed_csv_keeps_every_good_row_and_explains_every_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mixed.csv");
    let mut content = MALFORMED.to_owned();
    content.push_str(&format!("r8,{},Длинный,1920,,t8\r\n", "ж".repeat(600_000)));
    content.push_str("r9,Ахметов,Болат,1923,died_later,t9\r\n");
    // An opening quote that never closes swallows the rest of the file into one field, which
    // is refused for it.
    content.push_str("r10,\"Незакрытая,Кавычка,1920,,t10\r\nr11,Потерянный,Ряд,1920,,t11\r\n");
    std::fs::write(&file, content).unwrap();
    let data = dir.path().join("data");
    let output = import_records(&data, &file, "draft-1941");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert_eq!(stdout.lines().last(), Some("imported 4, rejected 7"));
    insta::assert_snapshot!(
        "malformed_import_report",
        text(&output.stderr).replace(&dir.path().display().to_string(), "DIR")
    );
    let rejects = std::fs::read_to_string(dir.path().join("mixed.rejects.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(rejects.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.get(0), Some("reason"));
    let reasons: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[1].to_owned(), r[0].chars().take(90).collect())
        })
        .collect();
    insta::assert_debug_snapshot!("malformed_rejects", reasons);

    // Re-importing the same file updates; it never duplicates.
    let again = import_records(&data, &file, "draft-1941");
    assert_eq!(
        text(&again.stdout).lines().last(),
        Some("imported 4, rejected 7")
    );
    let server = Server::start_at(&data, false);
    let (_, json) = server.json("/api/v1/search?q=%D0%A3%D1%80%D0%B0%D0%B7%D0%BE%D0%B2");
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["records"].as_array().unwrap().len(), 1);
    let (_, json) = server.json("/api/v1/search?q=%D0%90%D1%85%D0%BC%D0%B5%D1%82%D0%BE%D0%B2");
    let person = json["items"][0]["person_id"].as_str().unwrap().to_owned();
    let (_, json) = server.json(&format!("/api/v1/persons/{person}"));
    assert_eq!(
        json["records"][0]["extra"]["true_person"], "t9",
        "unknown columns are kept"
    );
}

#[test]
fn unreadable_files_are_refused_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let write = |name: &str, bytes: &[u8]| -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let cases: Vec<(PathBuf, &str)> = vec![
        (dir.path().join("missing.csv"), "cannot read"),
        (write("empty.csv", b""), "is empty"),
        (write("blank.csv", b"\xef\xbb\xbf\r\n"), "is empty"),
        (
            write(
                "cp1251.csv",
                b"record_id,surname\n1,\xd3\xf0\xe0\xe7\xee\xe2\n",
            ),
            "cp1251",
        ),
        (write("utf16.csv", b"\xff\xfer\x00e\x00"), "UTF-16"),
        (
            write(
                "noheader.csv",
                "r1,Уразов,Ахмед\nr2,Оразов,Ахмет\n".as_bytes(),
            ),
            "has no header row",
        ),
        (
            write("noid.csv", "surname,given_name\nУразов,Ахмед\n".as_bytes()),
            "no record_id column",
        ),
    ];
    for (path, expected) in cases {
        let output = import_records(&data, &path, "s");
        let stderr = text(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}: {stderr}",
            path.display()
        );
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(expected),
            "{stderr}"
        );
        assert!(!path.with_extension("rejects.csv").exists());
    }
    let bad_source = yodnoma(&data, &["import", "records", "x.csv", "--source", "a/b"]);
    assert_eq!(bad_source.status.code(), Some(1));
    assert!(text(&bad_source.stderr).contains("--source"));
}

#[test]
fn generated_records_are_deterministic_and_import_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = yodnoma(&data, &["gen", "records", "--count", "500", "--seed", "7"]);
    let second = yodnoma(&data, &["gen", "records", "--count", "500", "--seed", "7"]);
    let other = yodnoma(&data, &["gen", "records", "--count", "500", "--seed", "8"]);
    assert!(first.status.success());
    assert_eq!(first.stdout, second.stdout);
    assert_ne!(first.stdout, other.stdout);
    assert_eq!(text(&first.stdout).lines().count(), 501);
    let file = dir.path().join("generated.csv");
    std::fs::File::create(&file)
        .unwrap()
        .write_all(&first.stdout)
        .unwrap();
    let output = import_records(&data, &file, "synthetic");
    assert_eq!(
        text(&output.stdout).lines().last(),
        Some("imported 500, rejected 0"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn an_unclosed_quote_stops_at_its_line_and_keeps_the_rows_before() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("unclosed.csv");
    let mut content = String::from("record_id,surname\n1,Ахметов\n2,\"Незакрытая\n");
    for i in 0..400_000 {
        content.push_str(&format!("{},Фамилия{i}\n", i + 3));
    }
    std::fs::write(&file, content).unwrap();
    let output = import_records(&data, &file, "s");
    let stderr = text(&output.stderr);
    // The file was read: the rows before are kept, the row is refused for its quote, and the
    // summary says so, as for a quote left open at the end of a file.
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        text(&output.stdout).lines().last(),
        Some("imported 1, rejected 1")
    );
    assert!(
        stderr.contains("line 3: row: the record starting on line 3 is longer than 8 MiB"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the rest of the file was not read"),
        "{stderr}"
    );

    // Near the end of a file the quote is not stopped by the size of the record, but by the
    // end of the file: the record is refused for it, saying which rows it swallowed.
    let short = dir.path().join("short.csv");
    std::fs::write(
        &short,
        "record_id,surname,notes\n1,Иванов,\"ранен под Москвой\n2,Петров,\n3,Сидоров,\n",
    )
    .unwrap();
    let output = import_records(&data, &short, "t");
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        text(&output.stdout).lines().last(),
        Some("imported 0, rejected 1")
    );
    assert!(
        stderr.contains("a quote opens a field on line 2 and is never closed"),
        "{stderr}"
    );
}

#[test]
fn a_corrected_rejects_file_imports_as_the_original_rows() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("list.csv");
    std::fs::write(
        &file,
        "record_id,surname,fate\n1,Иванов,killed\n2,Петров,heroic\n",
    )
    .unwrap();
    let output = import_records(&data, &file, "s");
    assert_eq!(
        text(&output.stdout).lines().last(),
        Some("imported 1, rejected 1")
    );
    let rejects = dir.path().join("list.rejects.csv");
    let fixed = std::fs::read_to_string(&rejects)
        .unwrap()
        .replace(",heroic", ",killed");
    std::fs::write(&rejects, fixed).unwrap();
    let output = import_records(&data, &rejects, "s");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout).lines().last(),
        Some("imported 1, rejected 0")
    );
    // The `reason` column was the rejects file's, not a column of the records.
    let exported = yodnoma(&data, &["export", "records"]);
    let csv = text(&exported.stdout);
    assert!(csv.contains("Петров"), "{csv}");
    assert!(
        !csv.lines().next().unwrap_or("").contains("reason"),
        "{csv}"
    );
}

#[test]
fn every_rejected_row_is_reported_when_stderr_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("many.csv");
    let mut content = String::from("record_id,surname,fate\n");
    for i in 0..120 {
        content.push_str(&format!("{i},Иванов,heroic\n"));
    }
    std::fs::write(&file, content).unwrap();
    let output = import_records(&data, &file, "s");
    let stderr = text(&output.stderr);
    let reported = stderr.lines().filter(|l| l.starts_with("line ")).count();
    assert_eq!(reported, 120, "{stderr}");
    assert_eq!(
        text(&output.stdout).lines().last(),
        Some("imported 0, rejected 120")
    );
}

#[test]
fn rows_of_empty_cells_are_no_records() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("sheet.csv");
    std::fs::write(&file, "record_id,surname,notes\n1,Иванов,\n,,\n , ,\n,,\n").unwrap();
    let output = import_records(&data, &file, "s");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout).lines().last(),
        Some("imported 1, rejected 0")
    );
}

#[test]
fn blank_lines_do_not_shift_the_lines_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("blank.csv");
    std::fs::write(
        &file,
        "record_id,surname\n1,Иванов\n\n\n2,\n3,\"Петров\n\"\n\n4,\n",
    )
    .unwrap();
    let output = import_records(&data, &file, "s");
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("line ")).collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("line 5: "), "{stderr}");
    assert!(lines[1].starts_with("line 9: "), "{stderr}");
}

#[test]
fn an_import_may_not_take_the_source_of_families_proposals() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("list.csv");
    std::fs::write(&file, "record_id,surname\ncontribution-1,Иванов\n").unwrap();
    let output = import_records(&data, &file, "families");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("--source families: the name is kept"),
        "{}",
        text(&output.stderr)
    );
}

/// The value of `name="NAME" value="..."` in a page, the first one.
fn form_value(body: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in the page"))
        + key.len();
    body[start..start + body[start..].find('"').unwrap()].to_owned()
}

#[test]
fn linking_the_store_and_reviewing_its_pairs_as_a_curator() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let records = yodnoma(&data, &["gen", "records", "--count", "1500", "--seed", "5"]);
    let file = dir.path().join("generated.csv");
    std::fs::write(&file, &records.stdout).unwrap();
    assert!(import_records(&data, &file, "generated").status.success());
    let linked = yodnoma(&data, &["link"]);
    assert!(linked.status.success(), "{}", text(&linked.stderr));
    let out = text(&linked.stdout);
    assert!(
        out.starts_with("linked 1500 records (all compared) into "),
        "{out}"
    );
    let again = yodnoma(&data, &["link"]);
    assert!(
        text(&again.stdout).starts_with("nothing new to link"),
        "{}",
        text(&again.stdout)
    );

    for (role, email) in [
        ("curator", "Curator@Museum.kz"),
        ("moderator", "moderator@museum.kz"),
    ] {
        let added = add_user(&data, role, email, "a long enough password\n");
        assert!(added.status.success(), "{}", text(&added.stderr));
    }
    let server = Server::start_at(&data, false);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let url = |path: &str| format!("{}{path}", server.url);
    let post = |path: &str, cookie: &str, form: &[(&str, &str)]| {
        let response = agent
            .post(url(path))
            .header("Cookie", cookie)
            .send_form(form.iter().copied())
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        (response.status().as_u16(), location, response)
    };
    let login = |email: &str, password: &str| {
        post(
            "/login",
            "",
            &[
                ("email", email),
                ("password", password),
                ("next", "/review"),
            ],
        )
    };
    let session_of = |response: &ureq::http::Response<ureq::Body>| {
        let set_cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
        assert!(!set_cookie.contains("password"));
        set_cookie.split(';').next().unwrap().to_owned()
    };

    // Anonymous visitors are sent to sign in; a wrong password is refused.
    let (status, location, _) = {
        let response = agent.get(url("/review")).call().unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        (response.status().as_u16(), location, response)
    };
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/login?next=%2Freview"))
    );
    assert_eq!(login("curator@museum.kz", "a wrong password").0, 401);
    // A moderator may sign in, but not review linkage.
    let (status, _, response) = login("moderator@museum.kz", "a long enough password");
    assert_eq!(status, 303);
    let moderator = session_of(&response);
    assert_eq!(server.get_with("/review", &[("Cookie", &moderator)]).0, 403);
    // The e-mail is matched whatever its case; the visitor goes back where they were going.
    let (status, location, response) = login(" CURATOR@museum.kz", "a long enough password");
    assert_eq!((status, location.as_deref()), (303, Some("/review")));
    let cookie = session_of(&response);
    let (status, review, _) = server.get_with("/review?lang=en", &[("Cookie", &cookie)]);
    assert_eq!(status, 200);
    assert!(review.contains("pairs wait for review") || review.contains("pair waits"));
    // The part in the war is compared too, and shown in the reader's language.
    assert!(review.contains("Category"), "{review}");
    for raw in [
        "home_front",
        "evacuee",
        "partisan",
        "pow",
        "civilian",
        "killed",
        "died_of_wounds",
    ] {
        assert!(!review.contains(&format!(">{raw}<")), "{raw} untranslated");
    }
    let (csrf, a, b) = (
        form_value(&review, "csrf"),
        form_value(&review, "a"),
        form_value(&review, "b"),
    );
    // The first pair's two persons, as its table links them.
    let persons: Vec<String> = review
        .split("<a href=\"/persons/")
        .skip(1)
        .take(2)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect();
    assert_ne!(persons[0], persons[1]);

    // A form without the curator's form value is refused; with it, the pair becomes one person.
    let decide = [("a", a.as_str()), ("b", b.as_str()), ("same", "yes")];
    assert_eq!(post("/review/decide", &cookie, &decide).0, 403);
    let mut with_csrf = decide.to_vec();
    with_csrf.push(("csrf", &csrf));
    with_csrf.push(("back", "https://evil.example/"));
    let (status, location, _) = post("/review/decide", &cookie, &with_csrf);
    assert_eq!((status, location.as_deref()), (303, Some("/review")));
    let merged = server.get_with(
        &format!("/persons/{}?lang=en", persons[0]),
        &[("Cookie", &cookie)],
    );
    assert_eq!(merged.0, 200);
    assert!(merged.1.contains("Split this record off"));
    // It says why its records are one person, field by field.
    assert!(merged.1.contains("Why these records are one person"));
    assert!(merged.1.contains("Date of birth"));
    // A split from a page that showed other records (a merge meanwhile) is refused.
    let split = format!("/persons/{}/split", persons[0]);
    let (source, record_id) = (
        form_value(&merged.1, "source"),
        form_value(&merged.1, "record_id"),
    );
    assert_eq!(form_value(&merged.1, "shown").len(), 16);
    let stale = [
        ("csrf", csrf.as_str()),
        ("shown", "0123456789abcdef"),
        ("source", source.as_str()),
        ("record_id", record_id.as_str()),
    ];
    assert_eq!(post(&split, &cookie, &stale).0, 409);
    // The person merged away redirects, on the site and in the API.
    let gone = agent
        .get(url(&format!("/persons/{}", persons[1])))
        .call()
        .unwrap();
    assert_eq!(gone.status().as_u16(), 302);
    assert_eq!(
        gone.headers().get("location").unwrap().to_str().unwrap(),
        format!("/persons/{}", persons[0])
    );
    let gone = agent
        .get(url(&format!("/api/v1/persons/{}", persons[1])))
        .call()
        .unwrap();
    assert_eq!(gone.status().as_u16(), 302);
    assert_eq!(
        post(
            "/review/decide",
            &cookie,
            &[("a", "x"), ("b", "1"), ("same", "yes"), ("csrf", &csrf)]
        )
        .0,
        400
    );

    // Undone, both persons are back.
    let (_, review, _) = server.get_with("/review?lang=en", &[("Cookie", &cookie)]);
    let decision = form_value(&review, "decision");
    let (status, _, _) = post(
        "/review/undo",
        &cookie,
        &[("decision", &decision), ("csrf", &csrf)],
    );
    assert_eq!(status, 303);
    assert_eq!(server.get(&format!("/persons/{}", persons[1])).0, 200);
    assert_eq!(
        post(
            "/review/undo",
            &cookie,
            &[("decision", &decision), ("csrf", &csrf)]
        )
        .0,
        400
    );

    // Signing out ends the session on the server: the copied cookie opens nothing.
    assert_eq!(post("/logout", &cookie, &[("csrf", "wrong")]).0, 403);
    assert_eq!(post("/logout", &cookie, &[("csrf", &csrf)]).0, 303);
    let after = agent
        .get(url("/review"))
        .header("Cookie", &cookie)
        .call()
        .unwrap();
    assert_eq!(after.status().as_u16(), 303);

    // Five failures for one account throttle it, even for the right password, with a wait.
    for _ in 0..5 {
        assert_eq!(login("curator@museum.kz", "guessing again").0, 401);
    }
    let (status, _, response) = login("curator@museum.kz", "a long enough password");
    assert_eq!(status, 429);
    assert_eq!(response.headers()["retry-after"], "900");
    // Other accounts are not locked out by it.
    assert_eq!(
        login("moderator@museum.kz", "a long enough password").0,
        303
    );
    // Attempts sent all at once get no more guesses than attempts sent one by one.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let attempts: Vec<_> = (0..12)
            .map(|i| scope.spawn(move || login("contributor@museum.kz", &format!("guess {i}")).0))
            .collect();
        attempts.into_iter().map(|a| a.join().unwrap()).collect()
    });
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(checked <= 5, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| [401, 429].contains(s)),
        "{statuses:?}"
    );
}

/// `yodnoma user add --role ROLE EMAIL` with `input` on the standard input.
fn add_user(data: &Path, role: &str, email: &str, input: &str) -> Output {
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(["user", "add", "--role", role, email])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn accounts_are_added_from_the_command_line_with_clear_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let added = add_user(
        &data,
        "admin",
        "Admin@Example.org",
        "correct horse battery\n",
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert_eq!(
        text(&added.stdout).trim(),
        "added admin@example.org (admin)"
    );
    for (role, email, input, expected) in [
        (
            "root",
            "a@example.org",
            "correct horse battery\n",
            "--role \"root\"",
        ),
        (
            "curator",
            "not-an-address",
            "correct horse battery\n",
            "is not an e-mail address",
        ),
        ("curator", "c@example.org", "short\n", "too short"),
        ("curator", "c@example.org", "", "too short"),
        (
            "curator",
            "ADMIN@example.org",
            "correct horse battery\n",
            "exists already",
        ),
    ] {
        let output = add_user(&data, role, email, input);
        assert_eq!(output.status.code(), Some(1), "{email}");
        let message = text(&output.stderr);
        assert!(message.contains(expected), "{expected} in {message}");
        assert_eq!(message.trim().lines().count(), 1, "{message}");
    }
    // A reset password works at once; the old one no longer does.
    let mut reset = Command::new(BIN)
        .arg("--data-dir")
        .arg(&data)
        .args(["user", "reset-password", "admin@example.org"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    reset
        .stdin
        .take()
        .unwrap()
        .write_all(b"another long password\n")
        .unwrap();
    assert!(reset.wait_with_output().unwrap().status.success());
    let server = Server::start_at(&data, false);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let login = |password: &str| {
        agent
            .post(format!("{}/login", server.url))
            .send_form([("email", "admin@example.org"), ("password", password)])
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(login("correct horse battery"), 401);
    assert_eq!(login("another long password"), 303);
    let (status, page, _) = server.get("/login?lang=en");
    assert_eq!(status, 200);
    assert!(page.contains(r#"autocomplete="current-password""#));
}

fn png(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb(pixel(x, y)));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn images_are_checked_on_import_and_served_over_iiif() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let import = |path: &str, extra: &[&str]| {
        let mut args = vec!["import", "image", path];
        args.extend_from_slice(extra);
        yodnoma(&data, &args)
    };

    // What is not a safe image is refused, naming the file and the reason; nothing is stored.
    let quadrants = png(1200, 900, |x, y| match (x < 600, y < 450) {
        (true, true) => [220, 20, 20],
        (false, true) => [20, 200, 20],
        (true, false) => [20, 20, 220],
        (false, false) => [230, 230, 30],
    });
    let mut truncated = Vec::new();
    image::RgbImage::from_pixel(300, 300, image::Rgb([9, 9, 9]))
        .write_to(
            &mut std::io::Cursor::new(&mut truncated),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    truncated.truncate(truncated.len() / 2);
    let strip = png(40_000, 1, |_, _| [0, 0, 0]);
    for (name, bytes, args, reason) in [
        (
            "drawing.jpg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
            vec!["--alt-en", "x"],
            "not an image",
        ),
        (
            "page.jpg",
            b"<!doctype html><title>x</title>".to_vec(),
            vec!["--alt-en", "x"],
            "not an image",
        ),
        (
            "cut.jpg",
            truncated,
            vec!["--alt-en", "x"],
            "cannot be decoded",
        ),
        (
            "strip.png",
            strip,
            vec!["--alt-en", "x"],
            "each side may be at most",
        ),
        (
            "bad-id.png",
            quadrants.clone(),
            vec!["--alt-en", "x", "--id", "../etc"],
            "--id",
        ),
    ] {
        let path = file(name, &bytes);
        let mut all = args.clone();
        all.extend(
            ["--id", "refused"]
                .iter()
                .filter(|_| !args.contains(&"--id")),
        );
        let output = import(&path, &all);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let err = text(&output.stderr);
        assert!(err.contains(reason), "{name}: {err}");
    }
    assert!(!data.join("media/originals/refused").exists());

    let portrait = file("portrait.png", &quadrants);
    let output = import(
        &portrait,
        &[
            "--id",
            "portrait-1",
            "--alt-ru",
            "Портрет",
            "--alt-en",
            "A portrait",
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout).trim(), "portrait-1");
    // Another file under a stored id is refused: originals are never replaced.
    let other = file("other.png", &png(40, 30, |_, _| [9, 9, 9]));
    let again = import(&other, &["--id", "portrait-1", "--alt-en", "A portrait"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already stored"));
    // An image without alt text is stored, with a warning, and shown on no page until the
    // same file is imported again with it; a memorial cannot show it before.
    let quiet = file("quiet.png", &png(30, 20, |x, _| [x as u8, 0, 0]));
    let undescribed = import(&quiet, &["--id", "quiet", "--alt-ru", "  "]);
    assert!(
        undescribed.status.success(),
        "{}",
        text(&undescribed.stderr)
    );
    assert_eq!(text(&undescribed.stdout).trim(), "quiet");
    assert!(text(&undescribed.stderr).contains("image quiet has no alt text"));
    let memorials = file(
        "memorials.csv",
        b"id,kind,name_en,place,image,source\nquiet-park,memorial,A park,Almaty,quiet,https://example.org\n",
    );
    let refused = yodnoma(&data, &["import", "memorials", &memorials]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("image quiet has no alt text"),
        "{}",
        text(&refused.stderr)
    );
    let described = import(&quiet, &["--id", "quiet", "--alt-en", "A red gradient"]);
    assert!(described.status.success(), "{}", text(&described.stderr));
    assert!(!text(&described.stderr).contains("no alt text"));
    let stored = yodnoma(&data, &["import", "memorials", &memorials]);
    assert!(stored.status.success(), "{}", text(&stored.stderr));
    // Described again in another language, it keeps the first.
    let russian = import(&quiet, &["--id", "quiet", "--alt-ru", "Красный градиент"]);
    assert!(russian.status.success(), "{}", text(&russian.stderr));
    let server = Server::start_at(&data, false);
    for (lang, alt) in [("en", "A red gradient"), ("ru", "Красный градиент")] {
        let (_, page, _) = server.get(&format!("/memorials/quiet-park?lang={lang}"));
        assert!(page.contains(&format!("alt=\"{alt}\"")), "{lang}: {page}");
    }
    drop(server);
    // The original is kept byte for byte; the tiles are derived and rebuilt from it.
    assert_eq!(
        std::fs::read(data.join("media/originals/portrait-1")).unwrap(),
        quadrants
    );
    std::fs::remove_dir_all(data.join("media/tiles")).unwrap();
    let retiled = yodnoma(&data, &["retile"]);
    let out = text(&retiled.stdout);
    assert!(
        out.starts_with("retiled 2 images"),
        "{out} {}",
        text(&retiled.stderr)
    );
    // An image whose original is missing is named, and the others are retiled all the same.
    let second = import(&portrait, &["--id", "portrait-2", "--alt-en", "A copy"]);
    assert!(second.status.success(), "{}", text(&second.stderr));
    let aside = data.join("portrait-2.aside");
    std::fs::rename(data.join("media/originals/portrait-2"), &aside).unwrap();
    std::fs::remove_dir_all(data.join("media/tiles")).unwrap();
    let retiled = yodnoma(&data, &["retile"]);
    assert_eq!(retiled.status.code(), Some(1));
    let err = text(&retiled.stderr);
    assert!(err.contains("image portrait-2:"), "{err}");
    assert!(err.contains("1 of 3 images could not be retiled"), "{err}");
    assert!(data.join("media/tiles/portrait-1/complete").exists());
    std::fs::rename(&aside, data.join("media/originals/portrait-2")).unwrap();

    let server = Server::start_at(&data, false);
    let (status, info) = server.json("/iiif/3/portrait-1/info.json");
    assert_eq!(status, 200);
    assert_eq!(info["id"], format!("{}/iiif/3/portrait-1", server.url));
    assert_eq!(
        (info["width"].as_u64(), info["height"].as_u64()),
        (Some(1200), Some(900))
    );
    assert_eq!(info["profile"], "level2");
    assert_eq!(info["type"], "ImageService3");
    let (_, _, headers) = server.get("/iiif/3/portrait-1/info.json");
    assert_eq!(headers["access-control-allow-origin"], "*");
    let (_, _, headers) = server.get_with(
        "/iiif/3/portrait-1/info.json",
        &[("Accept", "application/ld+json")],
    );
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/ld+json")
    );

    // A region across tiles, scaled: the right colours at the right size.
    let mut response = server
        .agent
        .get(format!(
            "{}/iiif/3/portrait-1/500,350,200,200/100,/0/default.png",
            server.url
        ))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = response.body_mut().read_to_vec().unwrap();
    let part = image::load_from_memory(&bytes).unwrap().into_rgb8();
    assert_eq!(part.dimensions(), (100, 100));
    let near = |p: &image::Rgb<u8>, c: [u8; 3]| p.0.iter().zip(c).all(|(a, b)| a.abs_diff(b) < 30);
    assert!(near(part.get_pixel(10, 10), [220, 20, 20]));
    assert!(near(part.get_pixel(90, 90), [230, 230, 30]));
    let (status, _, _) = server.get_with(
        "/iiif/3/portrait-1/500,350,200,200/100,/0/default.png",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(status, 304);

    // Requests that cannot be served are a 400 naming the part, valid ones this server does
    // not serve a 501, unknown ids a 404; each readable by viewers on other sites.
    for (path, expected) in [
        ("/iiif/3/portrait-1/-5,0,10,10/max/0/default.jpg", 400),
        ("/iiif/3/portrait-1/5000,0,10,10/max/0/default.jpg", 400),
        ("/iiif/3/portrait-1/full/99999999,/0/default.jpg", 400),
        ("/iiif/3/portrait-1/full/^99999,99999/0/default.jpg", 400),
        ("/iiif/3/portrait-1/full/max/45/default.jpg", 501),
        ("/iiif/3/portrait-1/full/max/0/default.gif", 501),
        ("/iiif/3/portrait-1/full/max/0/default.bmp", 400),
        ("/iiif/3/portrait-1/full/max/-45/default.jpg", 400),
        ("/iiif/3/portrait-1/full/max/0/best.jpg", 400),
        ("/iiif/3/nobody/full/max/0/default.jpg", 404),
        ("/iiif/3/..%2F..%2Fyodnoma.db/info.json", 404),
        ("/iiif/3/refused/info.json", 404),
        // An id no header can carry.
        ("/iiif/3/%0A", 404),
    ] {
        let (status, _, headers) = server.get(path);
        assert_eq!(status, expected, "{path}");
        assert_eq!(headers["access-control-allow-origin"], "*", "{path}");
    }
    // The original is never served as it is (it may carry EXIF): its address leads to the
    // IIIF rendering.
    let original = server
        .agent
        .get(format!("{}/media/portrait-1", server.url))
        .config()
        .max_redirects(0)
        .build()
        .call()
        .unwrap();
    assert_eq!(original.status().as_u16(), 303);
    assert_eq!(
        original.headers()["location"],
        "/iiif/3/portrait-1/full/max/0/default.jpg",
        "an image within 1,600 pixels is served whole"
    );
    let (status, body, _) = server.get("/api/v1/search?q=x"); // the server is still well
    assert_eq!(status, 200, "{body}");
}

#[test]
fn exhibitions_and_exhibits_have_iiif_manifests() {
    let server = Server::start(true);
    let (status, manifest) = server.json_ld("/iiif/3/manifests/faces-of-victory");
    assert_eq!(status, 200);
    assert_eq!(
        manifest["@context"],
        "http://iiif.io/api/presentation/3/context.json"
    );
    assert_eq!(manifest["type"], "Manifest");
    assert_eq!(
        manifest["id"],
        format!("{}/iiif/3/manifests/faces-of-victory", server.url)
    );
    assert_eq!(manifest["label"]["ru"][0], "Лица Победы");
    assert_eq!(manifest["label"]["en"][0], "Faces of Victory");
    assert!(manifest["summary"]["kk"][0].is_string());
    assert_eq!(manifest["provider"][0]["type"], "Agent");
    let canvases = manifest["items"].as_array().unwrap();
    assert!(canvases.len() >= 20, "{}", canvases.len());
    let ranges = manifest["structures"].as_array().unwrap();
    let in_ranges: usize = ranges
        .iter()
        .map(|r| r["items"].as_array().unwrap().len())
        .sum();
    assert_eq!(in_ranges, canvases.len());
    let painting = &canvases[0]["items"][0]["items"][0];
    assert_eq!(painting["motivation"], "painting");
    assert_eq!(painting["target"], canvases[0]["id"]);

    let exhibit = canvases[0]["label"]["en"][0].as_str().unwrap().to_owned();
    assert!(!exhibit.is_empty());
    let (status, one) = server.json_ld("/iiif/3/manifests/faces-of-victory-h008");
    assert_eq!(status, 200);
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    assert!(one["metadata"].as_array().is_some_and(|m| !m.is_empty()));
    let rights = one["rights"].as_str().unwrap_or("");
    assert!(
        rights.starts_with("http://creativecommons.org/"),
        "{rights}"
    );
    assert_eq!(server.get("/iiif/3/manifests/no-such-thing").0, 404);
}

const EXHIBITION_TOML: &str = r#"
id = "steppe-studies"
status = "published"
languages = ["ru", "kk", "en"]
title = { ru = "Этюды степи", en = "Steppe studies" }
institution = { ru = "Тестовый музей", en = "Test museum" }

[[sections]]
title = { ru = "Картины", en = "Paintings" }

[[sections.blocks]]
kind = "text"
text = { ru = "Этюды **1943** года.\n\n<script>alert(1)</script>", en = "Studies of **1943**." }

[[sections.blocks]]
kind = "quote"
text = { ru = "Помним.", en = "We remember." }
attribution = { ru = "Музей", en = "The museum" }

[[sections.exhibits]]
id = "study-1"
title = { ru = "Этюд 1", en = "Study 1" }
depicts = ["draft:1"]
rights = "https://creativecommons.org/publicdomain/zero/1.0/"

[[sections.exhibits.images]]
file = "study-1.png"
alt = { ru = "Четыре цветных поля", kk = "Төрт түсті өріс", en = "Four fields of colour" }

[[sections.exhibits]]
id = "study-2"
title = { ru = "Этюд 2", en = "Study 2" }

[[sections.exhibits.images]]
file = "study-2.png"
alt = { ru = "Серое поле", en = "A grey field" }

[[sections.exhibits.images]]
file = "study-2-back.png"
alt = { en = "The back of the canvas" }
"#;

#[test]
fn an_exhibition_file_is_imported_again_and_again_and_refused_without_alt_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes).unwrap();
    write(
        "records.csv",
        b"record_id,surname,given_name\n1,Momyshuly,Bauyrzhan\n",
    );
    assert!(
        import_records(&data, &dir.path().join("records.csv"), "draft")
            .status
            .success()
    );
    write(
        "study-1.png",
        &png(700, 500, |x, _| [(x % 256) as u8, 40, 90]),
    );
    write("study-2.png", &png(300, 200, |_, _| [128, 128, 128]));
    write("study-2-back.png", &png(300, 200, |_, _| [200, 190, 150]));
    let toml = dir.path().join("exhibition.toml");
    let import = || yodnoma(&data, &["import", "exhibition", toml.to_str().unwrap()]);

    // Published in ru, kk, en: study-2's images lack kk (both) and ru (the back); each is named.
    std::fs::write(&toml, EXHIBITION_TOML).unwrap();
    let refused = import();
    assert_eq!(refused.status.code(), Some(1));
    let message = text(&refused.stderr);
    assert!(message.contains("3 alt texts are missing"), "{message}");
    assert_eq!(message.trim().lines().count(), 1, "one line: {message}");
    for line in [
        "exhibit study-2, image study-2: no alt text in Қазақша (kk)",
        "exhibit study-2, image study-2-2: no alt text in Русский (ru)",
        "exhibit study-2, image study-2-2: no alt text in Қазақша (kk)",
    ] {
        assert!(message.contains(line), "{line} in {message}");
    }
    assert!(
        !data
            .join("media")
            .join("originals")
            .join("study-1")
            .exists(),
        "nothing stored"
    );

    // An image may not take the id of a family's photo, which would be shown to no one.
    std::fs::write(
        &toml,
        EXHIBITION_TOML
            .replace("status = \"published\"", "status = \"draft\"")
            .replace("id = \"study-1\"", "id = \"family-study\""),
    )
    .unwrap();
    let refused = import();
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("kept for families' photos"),
        "{}",
        text(&refused.stderr)
    );

    // As a draft it is imported; the public site does not show it yet.
    std::fs::write(
        &toml,
        EXHIBITION_TOML.replace("status = \"published\"", "status = \"draft\""),
    )
    .unwrap();
    let imported = import();
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert_eq!(
        text(&imported.stdout).trim(),
        "exhibition steppe-studies (draft): 2 exhibits, 3 new images"
    );
    // Published in ru and en only, with the missing texts written: imported again, no new image.
    let complete = EXHIBITION_TOML
        .replace(
            r#"languages = ["ru", "kk", "en"]"#,
            r#"languages = ["ru", "en"]"#,
        )
        .replace(
            r#"alt = { en = "The back of the canvas" }"#,
            r#"alt = { ru = "Оборот холста", en = "The back of the canvas" }"#,
        );
    std::fs::write(&toml, &complete).unwrap();
    let again = import();
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(
        text(&again.stdout).trim(),
        "exhibition steppe-studies (published): 2 exhibits, 0 new images"
    );

    let server = Server::start_at(&data, false);
    let (status, body, _) = server.get("/api/v1/exhibitions/steppe-studies");
    assert_eq!(status, 200, "{body}");
    let json: Value = serde_json::from_str(&body).unwrap();
    let exhibits = &json["sections"][0]["exhibits"];
    assert_eq!(exhibits.as_array().map(Vec::len), Some(2), "{body}");
    let (_, narrative, _) = server.get("/exhibitions/steppe-studies?lang=ru");
    assert!(
        narrative.contains("Этюды <strong>1943</strong> года."),
        "Markdown: {narrative}"
    );
    assert!(!narrative.contains("<script>alert"), "sanitized");
    let (status, page, _) = server.get("/exhibits/study-1?lang=ru");
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"data-iiif="/iiif/3/study-1/info.json""#),
        "{page}"
    );
    assert!(
        page.contains("Momyshuly"),
        "the depicted person is linked: {page}"
    );
    let (status, info, _) = server.get("/iiif/3/study-2-2/info.json");
    assert_eq!(status, 200, "{info}");
    drop(server);

    // A changed image under a stored id is refused: originals are never replaced.
    write(
        "study-1.png",
        &png(700, 500, |_, y| [40, (y % 256) as u8, 90]),
    );
    let replaced = import();
    assert_eq!(replaced.status.code(), Some(1));
    assert!(
        text(&replaced.stderr).contains("image study-1 is already stored with other content"),
        "{}",
        text(&replaced.stderr)
    );

    // Mistakes in the file are named with their place.
    for (broken, expected) in [
        (
            complete.replace("file = \"study-2.png\"", "file = \"missing.png\""),
            "sections[1].exhibits[2].images[1].file: cannot read",
        ),
        (
            complete.replace("depicts = [\"draft:1\"]", "depicts = [\"draft:99\"]"),
            "sections[1].exhibits[1].depicts[1]",
        ),
        (
            complete.replace(
                "title = { ru = \"Этюд 1\"",
                "title = { fr = \"Étude\", ru = \"Этюд 1\"",
            ),
            "sections[1].exhibits[1].title",
        ),
        (
            complete.replace("status = \"published\"", "status = \"public\""),
            "status \"public\"",
        ),
        (
            complete.replace(
                "[[sections.blocks]]",
                "[[sections.blocks]]\ncolour = \"red\"",
            ),
            "unknown field `colour`",
        ),
        ("id = \"x\"\ntitle = [".to_owned(), "exhibition.toml: "),
    ] {
        std::fs::write(&toml, broken).unwrap();
        let output = import();
        assert_eq!(output.status.code(), Some(1), "{expected}");
        let message = text(&output.stderr);
        assert!(message.contains(expected), "{expected} in {message}");
        assert_eq!(message.trim().lines().count(), 1, "one line: {message}");
    }
}

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Everyone,
    /// Any signed-in account: contributions.
    SignedIn,
    /// Admins and curators: the review of linkage.
    Reviewers,
    /// Admins and curators: composing exhibitions.
    Curators,
    /// Admins and moderators: the moderation queue.
    Moderators,
    /// Admins: the audit log.
    Admins,
}

/// The access each route of the router must grant. A route added to `router.rs` without a line
/// here fails the matrix test below.
fn declared_access(method: &str, path: &str) -> Option<Access> {
    use Access::{Admins, Curators, Everyone, Moderators, Reviewers, SignedIn};
    Some(match (method, path) {
        ("POST", "/persons/{id}/split" | "/review/decide" | "/review/undo")
        | ("GET", "/review") => Reviewers,
        ("GET" | "POST", "/persons/{id}/contribute" | "/contribute")
        | ("GET", "/contributions") => SignedIn,
        ("GET", "/moderation") | ("POST", "/moderation/{id}") => Moderators,
        ("GET", "/admin/audit") => Admins,
        ("GET", "/curate" | "/curate/exhibitions/{id}" | "/curate/exhibitions/{id}/preview")
        | ("GET", "/curate/exhibits/new" | "/curate/exhibits/{id}")
        | ("POST", "/curate/exhibitions" | "/curate/exhibitions/{id}" | "/curate/exhibits") => {
            Curators
        }
        ("GET" | "POST", "/signup" | "/persons/{id}/report") => Everyone,
        ("GET", "/" | "/search" | "/persons/{id}" | "/login" | "/exhibitions" | "/statistics")
        | ("GET", "/exhibitions/{id}" | "/exhibits/{id}" | "/media/{id}" | "/health")
        | ("GET", "/iiif/3/manifests/{id}" | "/iiif/3/{id}" | "/iiif/3/{id}/info.json")
        | ("GET", "/iiif/3/{id}/{region}/{size}/{rotation}/{quality}")
        | ("GET", "/static/style.css" | "/static/viewer.js" | "/static/icon.svg")
        | ("GET", "/static/openseadragon.min.js" | "/favicon.ico")
        | ("GET", "/api/v1/search" | "/api/v1/persons/{id}" | "/api/v1/exhibitions")
        | ("GET", "/api/v1/exhibitions/{id}" | "/api/v1/exhibits/{id}" | "/api/v1/stats")
        | ("GET", "/api/openapi.json" | "/api/docs")
        | ("GET", "/api/v1/stats/timeline" | "/api/v1/stats/figures")
        | ("GET", "/events" | "/events/{id}" | "/memorials" | "/memorials/{id}")
        | ("GET", "/api/v1/events" | "/api/v1/events/{id}")
        | ("GET", "/api/v1/memorials" | "/api/v1/memorials/{id}")
        | ("POST", "/login" | "/logout") => Everyone,
        ("GET" | "POST", "/oai") | ("GET", "/export/records.csv" | "/export/persons.jsonl") => {
            Everyone
        }
        _ => return None,
    })
}

/// Every `(method, path)` the router serves, read from its source: `.route("PATH", get(…).post(…))`.
fn routes_of_the_router() -> Vec<(&'static str, String)> {
    let source = include_str!("../../yodnoma_web/src/router.rs");
    let mut routes = Vec::new();
    for call in source.split(".route(").skip(1) {
        let call = call.trim_start();
        let path = &call[1..call[1..].find('"').unwrap() + 1];
        let handlers = &call[..call.find("))").unwrap_or(call.len())];
        for (method, name) in [
            ("get", "GET"),
            ("post", "POST"),
            ("put", "PUT"),
            ("patch", "PATCH"),
            ("delete", "DELETE"),
        ] {
            if handlers.contains(&format!("{method}(")) {
                routes.push((name, path.to_owned()));
            }
        }
    }
    routes
}

#[test]
fn every_route_allows_or_denies_every_role_as_declared() {
    let data = tempfile::tempdir().unwrap();
    let roles = ["admin", "curator", "moderator", "contributor"];
    for role in roles {
        let email = format!("{role}@museum.kz");
        let added = add_user(data.path(), role, &email, "a long enough password\n");
        assert!(added.status.success(), "{}", text(&added.stderr));
    }
    let server = Server::start_at(data.path(), true);
    // A fresh connection for every request: the server may close one after refusing a body it
    // did not read (a form where a multipart one is expected), and a POST is not retried.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections(0)
        .build()
        .into();

    let routes = routes_of_the_router();
    assert!(
        routes.len() >= 25,
        "the router's routes were read: {routes:?}"
    );
    let undeclared: Vec<_> = routes
        .iter()
        .filter(|(m, p)| declared_access(m, p).is_none())
        .collect();
    assert!(
        undeclared.is_empty(),
        "routes without declared access: {undeclared:?}"
    );

    // Values for the path's placeholders, from the demo.
    let (_, exhibition) = server.json("/api/v1/exhibitions/faces-of-victory");
    let exhibit = &exhibition["sections"][0]["exhibits"][0];
    let exhibit_id = exhibit["id"].as_str().unwrap().to_owned();
    let person_id = exhibit["persons"][0].as_str().unwrap().to_owned();
    let fill = |path: &str| {
        let id = if path.starts_with("/exhibitions")
            || path.starts_with("/curate/exhibitions")
            || path.contains("/manifests/")
        {
            "faces-of-victory"
        } else if path.starts_with("/moderation/") {
            "1"
        } else if path.contains("/persons/") {
            &person_id
        } else {
            &exhibit_id
        };
        path.replace("{id}", id)
            .replace("{region}", "full")
            .replace("{size}", "max")
            .replace("{rotation}", "0")
            .replace("{quality}", "default.jpg")
    };

    // Each role's session and form value.
    let mut sessions = vec![("anonymous", String::new(), String::new())];
    for role in roles {
        let response = agent
            .post(format!("{}/login", server.url))
            .send_form([
                ("email", format!("{role}@museum.kz").as_str()),
                ("password", "a long enough password"),
            ])
            .unwrap();
        assert_eq!(response.status().as_u16(), 303, "{role} signs in");
        let cookie = response.headers()["set-cookie"].to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let (_, page, _) = server.get_with("/exhibitions", &[("Cookie", &cookie)]);
        sessions.push((role, cookie, form_value(&page, "csrf")));
    }

    let mut wrong = Vec::new();
    for (method, path) in &routes {
        let access = declared_access(method, path).unwrap();
        // Signing out would end the session the other routes are tried with: it goes last.
        if path == "/logout" {
            continue;
        }
        for (role, cookie, csrf) in &sessions {
            let url = format!("{}{}", server.url, fill(path));
            let mut response = if *method == "GET" {
                agent.get(&url).header("Cookie", cookie).call()
            } else {
                agent
                    .post(&url)
                    .header("Cookie", cookie)
                    .send_form([("csrf", csrf.as_str())])
            }
            .unwrap_or_else(|e| panic!("{method} {url} as {role}: {e}"));
            // Read to the end, as a browser would: a download holds its place until then.
            let _ = response
                .body_mut()
                .with_config()
                .limit(u64::MAX)
                .read_to_vec();
            let status = response.status().as_u16();
            let to_login = response
                .headers()
                .get("location")
                .is_some_and(|l| l.to_str().unwrap_or("").starts_with("/login"));
            // The sign-in form itself answers 401 to a form without a password.
            let refused_sign_in = path == "/login" && status == 401;
            let denied =
                !refused_sign_in && (status == 401 || status == 403 || (status == 303 && to_login));
            let allowed = match access {
                Access::Everyone => true,
                Access::SignedIn => *role != "anonymous",
                Access::Reviewers | Access::Curators => matches!(*role, "admin" | "curator"),
                Access::Moderators => matches!(*role, "admin" | "moderator"),
                Access::Admins => *role == "admin",
            };
            if allowed == denied || status >= 500 {
                wrong.push(format!("{method} {path} as {role}: {status}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // Signing out works for every role and ends the session.
    for (role, cookie, csrf) in sessions.iter().skip(1) {
        let response = agent
            .post(format!("{}/logout", server.url))
            .header("Cookie", cookie)
            .send_form([("csrf", csrf.as_str())])
            .unwrap();
        assert_eq!(response.status().as_u16(), 303, "{role} signs out");
        let (_, page, _) = server.get_with("/exhibitions", &[("Cookie", cookie)]);
        assert!(
            !page.contains(&format!("{role}@museum.kz")),
            "{role} is signed out"
        );
    }
}

#[test]
fn exported_records_import_into_an_empty_store_as_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    let csv = "record_id,surname,given_name,birth_date,fate,workplace,notes\n\
               1,Момыш-улы,Баурджан,1910-12-24,survived,,\"a note, with a comma\"\n\
               2,Молдагулова,Алия,1925,killed,Ленинград,\n";
    let file = dir.path().join("list.csv");
    std::fs::write(&file, csv).unwrap();
    assert!(import_records(&first, &file, "list").status.success());
    let synthetic = yodnoma(&first, &["gen", "records", "--count", "300", "--seed", "2"]);
    let generated = dir.path().join("generated.csv");
    std::fs::write(&generated, &synthetic.stdout).unwrap();
    assert!(
        import_records(&first, &generated, "generated")
            .status
            .success()
    );

    let exported = yodnoma(&first, &["export", "records", "--source", "list"]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let out = text(&exported.stdout);
    assert!(
        out.starts_with("record_id,surname,given_name,patronymic,"),
        "{out}"
    );
    assert!(out.lines().next().unwrap().ends_with(",workplace"), "{out}");
    assert_eq!(out.lines().count(), 3, "{out}");
    let again = dir.path().join("again.csv");
    std::fs::write(&again, &exported.stdout).unwrap();
    assert!(import_records(&second, &again, "list").status.success());
    let round = yodnoma(&second, &["export", "records", "--source", "list"]);
    assert_eq!(
        text(&round.stdout),
        out,
        "export → import → export changes nothing"
    );

    let all = text(&yodnoma(&first, &["export", "records"]).stdout);
    assert!(all.starts_with("source,record_id,"));
    // The generated list's own `source` column (the kind of document) keeps a name of its own.
    let header: Vec<&str> = all.lines().next().unwrap().split(',').collect();
    let names: std::collections::HashSet<&&str> = header.iter().collect();
    assert_eq!(names.len(), header.len(), "{header:?}");
    assert!(header.contains(&"extra_source"), "{header:?}");
    assert_eq!(all.lines().count(), 1 + 2 + 300);
    let missing = yodnoma(&first, &["export", "records", "--source", "nowhere"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("no records of source nowhere"));

    // The same as downloads from the site, streamed.
    let server = Server::start_at(&first, false);
    let (status, download, headers) = server.get("/export/records.csv?source=list");
    assert_eq!(status, 200);
    // With a byte order mark, for spreadsheets to read it as UTF-8; imported, the same records.
    assert_eq!(download.strip_prefix('\u{feff}'), Some(out.as_str()));
    let third = dir.path().join("third");
    let downloaded = dir.path().join("downloaded.csv");
    std::fs::write(&downloaded, &download).unwrap();
    assert!(import_records(&third, &downloaded, "list").status.success());
    assert_eq!(
        text(&yodnoma(&third, &["export", "records", "--source", "list"]).stdout),
        out
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("list.csv")
    );
    let (_, all_download, _) = server.get("/export/records.csv");
    assert_eq!(all_download.strip_prefix('\u{feff}'), Some(all.as_str()));
    assert_eq!(server.get("/export/records.csv?source=..%2Fx").0, 400);
    assert_eq!(
        server.get("/export/records.csv?source=nowhere").0,
        404,
        "a source that holds nothing is not a file of a header alone"
    );
    let (_, jsonl, _) = server.get("/export/persons.jsonl");
    drop(server);

    let persons = yodnoma(&first, &["export", "persons"]);
    assert!(persons.status.success());
    assert_eq!(text(&persons.stdout), jsonl);
    let lines: Vec<Value> = text(&persons.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 2 && lines.len() <= 302, "{}", lines.len());
    let aliya = lines
        .iter()
        .find(|p| p["records"][0]["record_id"] == "2" && p["records"][0]["source"] == "list")
        .expect("Aliya's person");
    assert!(
        aliya["name"].as_str().unwrap().contains("Молдагулова"),
        "{aliya}"
    );
}

/// A `multipart/form-data` body of text fields and one optional file: its content type and bytes.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "yodnoma-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"photo.png\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn a_family_story_waits_for_a_moderator_and_then_stands_beside_the_records() {
    let (_dir, data) = data_with_records(
        "record_id,surname,given_name\n1,Момыш-улы,Баурджан\n",
        "list",
    );
    for role in ["moderator", "admin"] {
        let added = add_user(
            &data,
            role,
            &format!("{role}@museum.kz"),
            "a long enough password\n",
        );
        assert!(added.status.success());
    }
    let closed = Server::start_at(&data, false);
    assert_eq!(
        closed.get("/signup").0,
        404,
        "sign-up is closed unless the operator opens it"
    );
    drop(closed);
    let server = Server::start_with(&data, false, &["--open-sign-up"]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let url = |path: &str| format!("{}{path}", server.url);
    let (_, found) = server.json("/api/v1/search?q=Momyshuly");
    let person = found["items"][0]["person_id"].as_str().unwrap().to_owned();
    let page = |path: &str, cookie: &str| {
        let mut response = agent
            .get(url(path))
            .header("Cookie", cookie)
            .call()
            .unwrap();
        let status = response.status().as_u16();
        (
            status,
            response.body_mut().read_to_string().unwrap_or_default(),
        )
    };
    let post = |path: &str, cookie: &str, form: &[(&str, &str)]| {
        let response = agent
            .post(url(path))
            .header("Cookie", cookie)
            .send_form(form.iter().copied())
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let cookie = response
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
            .unwrap_or_default();
        (response.status().as_u16(), location, cookie)
    };
    let send_story = |cookie: &str, fields: &[(&str, &str)], photo: Option<&[u8]>| {
        let (kind, body) = multipart(fields, photo.map(|p| ("photo", p)));
        agent
            .post(url(&format!("/persons/{person}/contribute")))
            .header("Cookie", cookie)
            .header("Content-Type", &kind)
            .send(&body[..])
            .unwrap()
            .status()
            .as_u16()
    };

    // A form refused says so in the reader's language, the server's detail marked as
    // English, with the way back to the form it came from.
    let report_page = format!("/persons/{person}/report?lang=ru");
    let mut refused = agent
        .post(url(&format!("/persons/{person}/report?lang=ru")))
        .header("Referer", &url(&report_page))
        .send_form([("body", "")])
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    let body = refused.body_mut().read_to_string().unwrap();
    assert!(body.contains("Форму не удалось принять"), "{body}");
    assert!(
        body.contains("<p class=\"error-detail\" lang=\"en\">"),
        "{body}"
    );
    assert!(body.contains(&format!("href=\"{report_page}\"")), "{body}");
    // The sign-up form comes back with what was typed (the passwords excepted) and the
    // problem in the reader's language.
    let mut again = agent
        .post(url("/signup?lang=ru"))
        .send_form([
            ("name", "Айгерим"),
            ("email", "someone@example.kz"),
            ("password", "a long enough password"),
            ("password2", "another long password"),
        ])
        .unwrap();
    assert_eq!(again.status().as_u16(), 400);
    let body = again.body_mut().read_to_string().unwrap();
    assert!(body.contains("Пароли не совпадают"), "{body}");
    assert!(body.contains("value=\"someone@example.kz\""), "{body}");
    assert!(body.contains("value=\"Айгерим\""), "{body}");
    assert!(!body.contains("a long enough password"), "{body}");

    // A family signs up and is signed in at once.
    let contribute = format!("/persons/{person}/contribute");
    let (status, location, _) = post(&contribute, "", &[]);
    assert_eq!(
        (status, location.as_str()),
        (403, ""),
        "anonymous stories are refused"
    );
    let (status, location, family) = post(
        "/signup",
        "",
        &[
            ("name", "Айгерим <b>внучка</b>"),
            ("email", "aigerim@example.kz"),
            ("password", "our grandfather's story"),
            ("password2", "our grandfather's story"),
            ("next", &contribute),
        ],
    );
    assert_eq!((status, location.as_str()), (303, contribute.as_str()));
    let (status, form) = page(&contribute, &family);
    assert_eq!(status, 200);
    let csrf = form_value(&form, "csrf");

    let photo = png(640, 480, |x, y| [(x % 200) as u8, (y % 200) as u8, 120]);
    let story = [
        ("csrf", csrf.as_str()),
        ("title", "<script>alert('title')</script>Дедушка вернулся"),
        (
            "body",
            "Он *вернулся* в 1945 году.\n\n<img src=x onerror=alert(1)>",
        ),
        ("relation", "внучка"),
        ("dates", "1941–1945"),
        ("places", "Алма-Ата"),
        ("rights", "семейный архив"),
        ("photo_alt", "Солдат в шинели у дома"),
        ("consent", "yes"),
    ];
    // Refusals first: no consent, no form value, a photo without alt text, a file that is no image.
    let without = |name: &str| {
        story
            .iter()
            .copied()
            .filter(|(k, _)| *k != name)
            .collect::<Vec<_>>()
    };
    assert_eq!(send_story(&family, &without("consent"), None), 400);
    assert_eq!(send_story(&family, &without("csrf"), None), 403);
    assert_eq!(
        send_story(&family, &without("photo_alt"), Some(&photo)),
        400
    );
    assert_eq!(
        send_story(&family, &story, Some(b"<html><script>x</script>")),
        400
    );
    assert_eq!(send_story(&family, &story, Some(&photo)), 303);

    // Nothing shows before a moderator approves it.
    let (_, before) = page(&format!("/persons/{person}?lang=ru"), "");
    assert!(!before.contains("Дедушка вернулся"));
    let (_, mine) = page("/contributions?lang=en", &family);
    assert!(mine.contains("Waiting for a moderator"), "{mine}");

    let moderator = sign_in(&server, "moderator@museum.kz");
    let (status, queue) = page("/moderation?lang=en", &moderator);
    assert_eq!(status, 200);
    assert!(queue.contains("One contribution waits."), "{queue}");
    assert!(!queue.contains("<script>alert"), "escaped in the queue too");
    let moderation_csrf = form_value(&queue, "csrf");
    let id = first_queued(&queue);
    // Until the story is approved its photo is shown to its moderators and its sender only.
    let photo_at = queue
        .find("/iiif/3/family-")
        .expect("the queue shows the photo");
    let photo: String = queue[photo_at + "/iiif/3/".len()..]
        .chars()
        .take_while(|c| *c != '/')
        .collect();
    let info = format!("/iiif/3/{photo}/info.json");
    assert_eq!(page(&info, "").0, 404, "no one else sees it yet");
    assert_eq!(page(&info, &moderator).0, 200);
    assert_eq!(page(&info, &family).0, 200, "its sender sees it");
    let (status, _, _) = post(
        &format!("/moderation/{id}"),
        &moderator,
        &[
            ("csrf", &moderation_csrf),
            ("action", "approve"),
            ("title", "<script>alert('title')</script>Дедушка вернулся"),
            (
                "body",
                "Он *вернулся* в 1945 году.\n\n<img src=x onerror=alert(1)>",
            ),
            ("note", "орфография"),
        ],
    );
    assert_eq!(status, 303);
    assert_eq!(
        post(
            &format!("/moderation/{id}"),
            &moderator,
            &[("csrf", &moderation_csrf), ("action", "approve")]
        )
        .0,
        400,
        "a decision is taken once"
    );

    // The story stands on the person page in every language, apart from the records, safely.
    for (lang, heading) in [
        ("ru", "Память семьи"),
        ("kk", "Отбасы жады"),
        ("uz", "Oila xotirasi"),
        ("en", "Family memories"),
    ] {
        let (_, shown) = page(&format!("/persons/{person}?lang={lang}"), "");
        assert!(shown.contains(heading), "{lang}");
        assert!(shown.contains("Дедушка вернулся"), "{lang}");
        assert!(shown.contains("<em>вернулся</em>"), "{lang}");
        assert!(
            !shown.contains("<script>alert"),
            "{lang}: the title is escaped"
        );
        assert!(
            !shown.contains("<img src=x"),
            "{lang}: the body's HTML is text"
        );
        assert!(
            shown.contains("Айгерим &#60;b&#62;внучка")
                || shown.contains("Айгерим &lt;b&gt;внучка"),
            "{lang}: the name is escaped: {}",
            &shown[shown.find("family-story").unwrap_or(0)..][..600]
        );
        assert!(
            !shown.contains("aigerim@example.kz"),
            "{lang}: the e-mail is never shown"
        );
        assert!(shown.contains(r#"alt="Солдат в шинели у дома""#), "{lang}");
        assert!(
            shown.contains("/iiif/3/family-"),
            "{lang}: the photo is served over IIIF"
        );
    }

    // A second story is rejected; the family reads why.
    let (_, form) = page(&contribute, &family);
    let csrf = form_value(&form, "csrf");
    let second = [
        ("csrf", csrf.as_str()),
        ("title", "Второе"),
        ("body", "Текст"),
        ("consent", "yes"),
    ];
    assert_eq!(send_story(&family, &second, None), 303);
    let (_, queue) = page("/moderation", &moderator);
    let id2 = first_queued(&queue);
    assert_eq!(
        post(
            &format!("/moderation/{id2}"),
            &moderator,
            &[
                ("csrf", &moderation_csrf),
                ("action", "reject"),
                ("reason", "Нужен источник")
            ]
        )
        .0,
        303
    );
    let (_, mine) = page("/contributions?lang=en", &family);
    assert!(
        mine.contains("Nobody") || mine.contains("Нужен источник"),
        "{mine}"
    );

    // Deleted, the story leaves the page; restored, it comes back; the audit log shows both.
    let del = |action: &str| {
        post(
            &format!("/moderation/{id}"),
            &moderator,
            &[("csrf", &moderation_csrf), ("action", action)],
        )
        .0
    };
    assert_eq!(
        page(&info, "").0,
        200,
        "approved, the photo is shown to all"
    );
    assert_eq!(del("delete"), 303);
    assert_eq!(
        page(&info, "").0,
        404,
        "deleted, the photo goes with its story"
    );
    assert!(
        !page(&format!("/persons/{person}"), "")
            .1
            .contains("Дедушка вернулся")
    );
    assert_eq!(del("restore"), 303);
    assert!(
        page(&format!("/persons/{person}"), "")
            .1
            .contains("Дедушка вернулся")
    );
    let admin = sign_in(&server, "admin@museum.kz");
    let (status, audit) = page("/admin/audit", &admin);
    assert_eq!(status, 200);
    for action in [
        "approve contribution",
        "reject contribution",
        "delete contribution",
        "restore contribution",
        "send story",
    ] {
        assert!(audit.contains(action), "{action}");
    }
    assert_eq!(page("/admin/audit", &moderator).0, 403);

    // Anyone may report a problem, five times an hour from one address.
    let report = format!("/persons/{person}/report");
    for _ in 0..5 {
        let (status, location, _) = post(
            &report,
            "",
            &[
                ("body", "Фамилия пишется Момышулы"),
                ("contact", "+7 700 000 00 00"),
            ],
        );
        assert_eq!((status, location.contains("sent=1")), (303, true));
    }
    assert_eq!(post(&report, "", &[("body", "ещё")]).0, 429);
    let (_, queue) = page("/moderation?lang=en", &moderator);
    assert!(queue.contains("Report of a problem") && queue.contains("+7 700 000 00 00"));
    assert!(
        !page(&format!("/persons/{person}"), "").1.contains("+7 700"),
        "contacts stay private"
    );

    // Accounts are free where sign-up is open, so one address makes at most ten an hour, and
    // sends at most three accounts' worth of stories.
    let mut accounts = Vec::new();
    for i in 1..10 {
        let email = format!("relative{i}@example.kz");
        let (status, _, cookie) = post(
            "/signup",
            "",
            &[
                ("name", "Родственник"),
                ("email", &email),
                ("password", "our grandfather's story"),
                ("password2", "our grandfather's story"),
            ],
        );
        assert_eq!(status, 303, "sign-up {i} of the hour");
        accounts.push(cookie);
    }
    let (status, _, _) = post(
        "/signup",
        "",
        &[
            ("name", "Родственник"),
            ("email", "relative10@example.kz"),
            ("password", "our grandfather's story"),
            ("password2", "our grandfather's story"),
        ],
    );
    assert_eq!(status, 429, "the eleventh sign-up of the hour");
    let story_of = |cookie: &str| {
        let csrf = form_value(&page(&contribute, cookie).1, "csrf");
        let mut fields = without("csrf");
        fields.push(("csrf", &csrf));
        send_story(cookie, &fields, None)
    };
    // The family's two stories and two accounts' ten each: 22 of 30.
    for cookie in &accounts[..2] {
        for _ in 0..10 {
            assert_eq!(story_of(cookie), 303);
        }
        assert_eq!(story_of(cookie), 429, "an account's own limit");
    }
    for _ in 0..8 {
        assert_eq!(story_of(&accounts[2]), 303);
    }
    assert_eq!(
        story_of(&accounts[2]),
        429,
        "the address's limit, before the account's own"
    );
}

#[test]
fn hostile_requests_are_escaped_refused_or_limited() {
    let data = tempfile::tempdir().unwrap();
    let added = add_user(
        data.path(),
        "curator",
        "curator@museum.kz",
        "a long enough password\n",
    );
    assert!(added.status.success());
    let server = Server::start_with(data.path(), true, &[]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let url = |path: &str| format!("{}{path}", server.url);

    // Reflected script in a query, a path, an error page: always shown as text.
    for path in [
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/search?q=%22%3E%3Csvg%20onload%3Dalert(1)%3E&lang=en",
        "/persons/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/exhibits/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        "/login?next=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ] {
        let (status, body, headers) = server.get(path);
        assert!(status < 500, "{path}: {status}");
        for raw in ["<script>alert(1)", "<svg onload", "<img src=x"] {
            assert!(!body.contains(raw), "{path} reflects {raw}");
        }
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers.contains_key("referrer-policy"));
    }

    // Ids that try to leave their folder are unknown ids.
    for path in [
        "/iiif/3/..%2F..%2Fetc%2Fpasswd/info.json",
        "/iiif/3/..%2Fyodnoma.db/full/max/0/default.jpg",
        "/media/..%2F..%2Fyodnoma.db",
        "/exhibits/..%2F..%2Fetc%2Fpasswd",
    ] {
        let status = server.get(path).0;
        assert!(status == 400 || status == 404, "{path}: {status}");
    }

    // A session value planted in the browser is no session, and signing in replaces it.
    let planted = "yodnoma_session=0123456789abcdef0123456789abcdef";
    let review = agent
        .get(url("/review"))
        .header("Cookie", planted)
        .call()
        .unwrap();
    assert_eq!(review.status().as_u16(), 303);
    let signed = agent
        .post(url("/login"))
        .header("Cookie", planted)
        .send_form([
            ("email", "curator@museum.kz"),
            ("password", "a long enough password"),
            ("next", "javascript:alert(1)"),
        ])
        .unwrap();
    assert_eq!(signed.status().as_u16(), 303);
    assert_eq!(
        signed.headers()["location"],
        "/",
        "only local paths are followed"
    );
    let cookie = signed.headers()["set-cookie"].to_str().unwrap();
    assert!(
        !cookie.starts_with(planted),
        "a new session value: {cookie}"
    );

    // A sign-in posted from another site is refused; an oversized body never reaches a handler.
    let cross = agent
        .post(url("/login"))
        .header("Sec-Fetch-Site", "cross-site")
        .send_form([
            ("email", "curator@museum.kz"),
            ("password", "a long enough password"),
        ])
        .unwrap();
    assert_eq!(cross.status().as_u16(), 403);
    let huge = "a".repeat(3 * 1024 * 1024);
    // The server may answer 413 and close before the client has sent it all.
    match agent
        .post(url("/login"))
        .send_form([("email", huge.as_str()), ("password", "x")])
    {
        Ok(response) => assert_eq!(response.status().as_u16(), 413),
        Err(ureq::Error::Io(e)) => assert!(
            matches!(
                e.kind(),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
            ),
            "{e}"
        ),
        Err(e) => panic!("{e}"),
    }
}

/// The groups of a `/api/v1/stats` answer, in its order: (key, count).
fn stats_groups(json: &Value) -> Vec<(String, u64)> {
    json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"].as_str().unwrap().to_owned(),
                g["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn persons_are_counted_by_the_district_their_records_name() {
    // A draft list that names each man's district of draft in an extra column.
    let (_dir, data) = data_with_records(
        "record_id,surname,given_name,region,fate,District\n\
         1,Ахметов,Касым,Карагандинская область,killed,Тельманский район\n\
         2,Исаев,Нурлан,Карагандинская область,survived,Тельманский район\n\
         3,Жумабаев,Ерлан,Карагандинская область,killed,  Осакаровский район \n\
         4,Сейткалиев,Бекет,Карагандинская область,missing,\n",
        "draft",
    );
    let server = Server::start_at(&data, false);
    let (status, stats) = server.json("/api/v1/stats?by=district");
    assert_eq!(status, 200);
    assert_eq!(stats["total"], 4);
    let groups = stats_groups(&stats);
    assert_eq!(
        groups,
        vec![
            ("Тельманский район".to_owned(), 2),
            ("Осакаровский район".to_owned(), 1)
        ]
    );
    let district = "%D0%A2%D0%B5%D0%BB%D1%8C%D0%BC%D0%B0%D0%BD%D1%81%D0%BA%D0%B8%D0%B9%20%D1%80%D0%B0%D0%B9%D0%BE%D0%BD";
    let (status, killed) = server.json(&format!("/api/v1/stats?by=fate&district={district}"));
    assert_eq!((status, killed["total"].as_u64()), (200, Some(2)));
    let (_, cross) = server.json("/api/v1/stats?by=district&cross=fate");
    assert_eq!(cross["groups"][0]["key"], "Тельманский район");
    assert_eq!(cross["groups"][0]["groups"].as_array().unwrap().len(), 2);
    let (status, page, _) = server.get(&format!("/statistics?lang=ru&district={district}"));
    assert_eq!(status, 200);
    assert!(
        page.contains("По районам"),
        "the page has a table by district"
    );
    assert!(
        page.contains(r#"name="district" value="Тельманский район""#),
        "the filter is kept in the form"
    );
}

#[test]
fn statistics_match_counts_made_independently_from_the_data() {
    use std::collections::{BTreeMap, BTreeSet};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let generated = yodnoma(
        &data,
        &["gen", "records", "--count", "3000", "--seed", "21"],
    );
    let file = dir.path().join("generated.csv");
    std::fs::write(&file, &generated.stdout).unwrap();
    assert!(import_records(&data, &file, "generated").status.success());

    // Counted straight from the CSV: before linkage every record is its own person.
    let mut reader = csv::Reader::from_reader(&generated.stdout[..]);
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (fate, country, born, died) = (
        column("fate"),
        column("country"),
        column("birth_date"),
        column("death_date"),
    );
    let (award, awarded, category) = (column("award"), column("award_date"), column("category"));
    let mut by_fate: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_republic: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_decade: BTreeMap<String, u64> = BTreeMap::new();
    let mut fate_by_republic: BTreeMap<(String, String), u64> = BTreeMap::new();
    // Months of the war (June 1941 – September 1945) as written, "1943-05".
    let mut deaths_by_month: BTreeMap<String, u64> = BTreeMap::new();
    let mut awards_by_month: BTreeMap<String, u64> = BTreeMap::new();
    let (mut lost, mut decorated, mut evacuees) = (0u64, 0u64, 0u64);
    let mut killed_in_1943 = 0;
    let mut rows = 0;
    let war_month = |date: &str| -> Option<String> {
        let month = date
            .get(..7)
            .filter(|m| m.as_bytes().get(4) == Some(&b'-'))?;
        ("1941-06"..="1945-09")
            .contains(&month)
            .then(|| month.to_owned())
    };
    for row in reader.records() {
        let row = row.unwrap();
        rows += 1;
        if !row[fate].is_empty() {
            *by_fate.entry(row[fate].to_owned()).or_default() += 1;
        }
        if !row[country].is_empty() {
            *by_republic.entry(row[country].to_lowercase()).or_default() += 1;
        }
        if !row[fate].is_empty() && !row[country].is_empty() {
            *fate_by_republic
                .entry((row[fate].to_owned(), row[country].to_lowercase()))
                .or_default() += 1;
        }
        if let Some(month) = war_month(&row[died]) {
            *deaths_by_month.entry(month).or_default() += 1;
        }
        if let Some(month) = war_month(&row[awarded]) {
            *awards_by_month.entry(month).or_default() += 1;
        }
        lost += u64::from(["killed", "missing", "died_of_wounds"].contains(&&row[fate]));
        decorated += u64::from(!row[award].trim().is_empty());
        evacuees += u64::from(&row[category] == "evacuee");
        if let Some(year) = row[born].get(..4).and_then(|y| y.parse::<u64>().ok()) {
            *by_decade.entry((year / 10 * 10).to_string()).or_default() += 1;
        }
        if &row[fate] == "killed" && row[died].starts_with("1943") {
            killed_in_1943 += 1;
        }
    }
    let server = Server::start_at(&data, false);
    let groups =
        |json: &Value| -> BTreeMap<String, u64> { stats_groups(json).into_iter().collect() };
    let (status, stats) = server.json("/api/v1/stats?by=fate");
    assert_eq!(status, 200);
    assert_eq!(
        (stats["by"].as_str(), stats["unit"].as_str()),
        (Some("fate"), Some("records"))
    );
    assert_eq!(stats["total"], rows);
    assert_eq!(groups(&stats), by_fate);
    assert_eq!(
        groups(&server.json("/api/v1/stats?by=republic").1),
        by_republic
    );
    assert_eq!(
        groups(&server.json("/api/v1/stats?by=birth_decade").1),
        by_decade
    );
    let (_, killed) =
        server.json("/api/v1/stats?by=death_year&fate=killed&died_from=1943&died_to=1943");
    assert_eq!(killed["total"], killed_in_1943);
    for bad in [
        "",
        "?by=colour",
        "?by=fate&born_from=1930&born_to=1920",
        "?by=fate&republic=mars",
        "?by=fate&born_from=",
    ] {
        let (status, body) = server.json(&format!("/api/v1/stats{bad}"));
        assert_eq!(status, 400, "{bad}");
        assert!(body["error"].as_str().unwrap().len() > 5, "{bad}");
    }
    // Cross-tabulation, timeline and published figures, against the same independent counts.
    let (status, cross) = server.json("/api/v1/stats?by=fate&cross=republic");
    assert_eq!((status, cross["cross"].as_str()), (200, Some("republic")));
    let mut counted: BTreeMap<(String, String), u64> = BTreeMap::new();
    for group in cross["groups"].as_array().unwrap() {
        for cell in group["groups"].as_array().unwrap() {
            counted.insert(
                (
                    group["key"].as_str().unwrap().to_owned(),
                    cell["key"].as_str().unwrap().to_owned(),
                ),
                cell["count"].as_u64().unwrap(),
            );
        }
    }
    assert_eq!(counted, fate_by_republic);
    let (_, timeline) = server.json("/api/v1/stats/timeline");
    let months = timeline["months"].as_array().unwrap();
    assert_eq!(
        months.len(),
        52,
        "every month from June 1941 to September 1945"
    );
    let by_month = |key: &str| -> BTreeMap<String, u64> {
        months
            .iter()
            .filter(|m| m[key].as_u64().unwrap() > 0)
            .map(|m| {
                (
                    m["month"].as_str().unwrap().to_owned(),
                    m[key].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(by_month("deaths"), deaths_by_month);
    assert_eq!(by_month("awards"), awards_by_month);
    assert!(!deaths_by_month.is_empty() && !awards_by_month.is_empty());
    let (_, figures) = server.json("/api/v1/stats/figures");
    let held = |id: &str| {
        figures["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .map(|f| f["held"].as_u64().unwrap())
    };
    assert_eq!(held("drafted"), Some(rows));
    assert_eq!(held("died"), Some(lost));
    assert_eq!(held("decorated"), Some(decorated));
    assert_eq!(held("evacuees"), Some(evacuees));
    // The downloads say what the JSON says.
    let (status, csv, headers) = server.get("/api/v1/stats?by=fate&format=csv");
    assert_eq!(status, 200);
    assert!(
        headers[ureq::http::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let downloaded: BTreeMap<String, u64> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let (key, count) = l.split_once(',').unwrap();
            (key.to_owned(), count.parse().unwrap())
        })
        .collect();
    assert_eq!(csv.lines().next(), Some("fate,records"));
    assert_eq!(downloaded, by_fate);
    let (_, csv, _) = server.get("/api/v1/stats/timeline?format=csv");
    assert_eq!(csv.lines().count(), 53);
    // Crossing two fields of many values is counted, or refused with a reason: never a 500.
    let (status, _) = server.json("/api/v1/stats?by=region&cross=death_year");
    assert_eq!(status, 200);
    assert_eq!(server.json("/api/v1/stats?by=fate&cross=").0, 400);
    for bad in [
        "?format=xml",
        "?format=",
        "?category=hero",
        "?died_from=1945&died_to=1941",
        // An unknown award, a district of 201 letters.
        "?award=bravery",
        "?district=LONG",
    ] {
        let bad = bad.replace("LONG", &"a".repeat(201));
        let (status, _) = server.json(&format!("/api/v1/stats/timeline{bad}"));
        assert_eq!(status, 400, "{bad}");
    }

    let (status, page, _) = server.get("/statistics?lang=ru");
    assert_eq!(status, 200);
    assert!(page.contains("Таджикистан"), "republics are translated");
    // Charts are accessible images, the map among them (its outlines are built in).
    for id in ["chart-map", "chart-region", "chart-timeline", "chart-fate"] {
        assert!(
            page.contains(&format!(
                r#"<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc""#
            )),
            "{id}"
        );
        assert!(
            page.contains(&format!(r#"<title id="{id}-title">"#)),
            "{id}"
        );
        assert!(page.contains(&format!(r#"<desc id="{id}-desc">"#)), "{id}");
    }
    assert!(
        page.matches("<path d=").count() >= 5,
        "the five republics are drawn"
    );
    assert!(
        page.contains("Опубликованные цифры"),
        "published figures beside coverage"
    );
    assert!(
        page.contains("более 4"),
        "a figure the source gives as a lower bound"
    );
    // As the page's form sends it: the fields left empty come blank.
    let (status, filtered, _) = server
        .get("/statistics?republic=tajikistan&fate=killed&award=&category=&born_from=&born_to=");
    assert_eq!(status, 200, "{filtered}");
    let tajik_killed = fate_by_republic
        .get(&("killed".to_owned(), "tajikistan".to_owned()))
        .copied()
        .unwrap_or(0);
    let total_shown: String = filtered
        .split("<strong>")
        .nth(1)
        .and_then(|t| t.split("</strong>").next())
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    assert_eq!(
        total_shown,
        tajik_killed.to_string(),
        "the filters narrow the count"
    );
    // A filter the form has no field for is kept by the form and the downloads.
    let (_, kept, _) = server.get("/statistics?nationality=%D0%BA%D0%B0%D0%B7%D0%B0%D1%85");
    assert!(kept.contains(r#"<input type="hidden" name="nationality" value="казах">"#));
    assert!(kept.contains("format=csv&#38;nationality=%D0%BA%D0%B0%D0%B7%D0%B0%D1%85"));
    let (status, _, _) = server.get("/statistics?republic=atlantis");
    assert_eq!(status, 400);
    let tajik = by_republic["tajikistan"].to_string();
    assert!(
        page.contains(&format!(">{tajik}</td>")),
        "the count is on the page"
    );
    drop(server);

    // After linkage, persons: each counted once in total, and in every fate its records name.
    assert!(yodnoma(&data, &["link"]).status.success());
    let persons: Vec<Value> = text(&yodnoma(&data, &["export", "persons"]).stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut by_fate: BTreeMap<String, u64> = BTreeMap::new();
    for person in &persons {
        let fates: BTreeSet<&str> = person["records"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["fate"].as_str())
            .filter(|f| !f.is_empty())
            .collect();
        for f in fates {
            *by_fate.entry(f.to_owned()).or_default() += 1;
        }
    }
    let server = Server::start_at(&data, false);
    let (_, stats) = server.json("/api/v1/stats?by=fate");
    assert_eq!(stats["unit"], "persons");
    assert_eq!(stats["total"], persons.len() as u64);
    assert!((persons.len() as u64) < rows, "linkage joined records");
    assert_eq!(groups(&stats), by_fate);
}

/// The text between `<tag` … `>` and `</tag>` of each `tag` element.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(gt) = after.find('>') else { break };
        if after[..gt].ends_with('/') {
            out.push("");
            rest = &after[gt + 1..];
            continue;
        }
        let body = &after[gt + 1..];
        let Some(end) = body.find(&close) else { break };
        out.push(&body[..end]);
        rest = &body[end + close.len()..];
    }
    out
}

#[test]
fn the_repository_is_harvested_whole_over_oai_pmh_and_every_error_is_answered() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The demo loads into an empty store only: first the demo, then records of another source.
    drop(Server::start_with(&data, true, &[]));
    let generated = yodnoma(&data, &["gen", "records", "--count", "250", "--seed", "8"]);
    let file = dir.path().join("generated.csv");
    std::fs::write(&file, &generated.stdout).unwrap();
    assert!(import_records(&data, &file, "generated").status.success());
    // Exactly one page of persons: the list must end there, with no token to a page of nothing.
    let hundred = dir.path().join("hundred.csv");
    let rows: String = (0..100)
        .map(|i| format!("{i},Фамилия{i},Имя{i}\n"))
        .collect();
    std::fs::write(&hundred, format!("record_id,surname,given_name\n{rows}")).unwrap();
    assert!(import_records(&data, &hundred, "hundred").status.success());
    let server = Server::start_with(&data, false, &[]);
    let oai = |query: &str| {
        let (status, body, headers) = server.get(&format!("/oai?{query}"));
        assert_eq!(status, 200, "{query}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/xml")
        );
        body
    };

    let identify = oai("verb=Identify");
    assert!(
        identify.contains("<protocolVersion>2.0</protocolVersion>"),
        "{identify}"
    );
    assert!(identify.contains("<deletedRecord>transient</deletedRecord>"));
    assert!(oai("verb=ListMetadataFormats").contains("<metadataPrefix>oai_dc</metadataPrefix>"));
    let sets = oai("verb=ListSets");
    for spec in [
        "person",
        "exhibit",
        "exhibition",
        "person:generated",
        "person:demo",
        "exhibit:faces-of-victory",
    ] {
        assert!(
            sets.contains(&format!("<setSpec>{spec}</setSpec>")),
            "{spec}"
        );
    }
    // A set with a colon lies below the set before it: no set of that kind is listed apart.
    assert!(!sets.contains("<setSpec>source:") && !sets.contains("<setSpec>exhibition:"));

    // Every item once, through the resumption tokens.
    let persons = text(&yodnoma(&data, &["export", "persons"]).stdout)
        .lines()
        .count();
    let (_, exhibition) = server.json("/api/v1/exhibitions/faces-of-victory");
    let exhibits: usize = exhibition["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["exhibits"].as_array().unwrap().len())
        .sum();
    let expected = persons + exhibits + 1;
    let mut seen = std::collections::BTreeSet::new();
    let mut page = oai("verb=ListRecords&metadataPrefix=oai_dc");
    let mut pages = 1;
    loop {
        for record in elements(&page, "record") {
            let id = elements(record, "identifier")[0].to_owned();
            assert!(record.contains("<dc:title"), "{record}");
            assert!(seen.insert(id.clone()), "{id} came twice");
        }
        let token = elements(&page, "resumptionToken");
        let size: usize = page
            .split("completeListSize=\"")
            .nth(1)
            .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
            .unwrap_or(expected);
        assert_eq!(size, expected);
        match token.first() {
            Some(token) if !token.is_empty() => {
                let token = token.replace("&amp;", "&");
                let encoded: String = form_urlencoded::byte_serialize(token.as_bytes()).collect();
                page = oai(&format!("verb=ListRecords&resumptionToken={encoded}"));
                pages += 1;
            }
            _ => break,
        }
    }
    assert_eq!(seen.len(), expected);
    assert!(pages >= 3, "{pages} pages");
    assert!(
        seen.iter()
            .any(|id| id == "oai:yodnoma.local:exhibition/faces-of-victory")
    );

    let page = oai("verb=ListIdentifiers&metadataPrefix=oai_dc&set=source:hundred");
    assert_eq!(elements(&page, "header").len(), 100);
    assert!(
        elements(&page, "resumptionToken")
            .iter()
            .all(|t| t.is_empty()),
        "{page}"
    );

    // Sets, dates, single records, and POST.
    let demo = oai("verb=ListIdentifiers&metadataPrefix=oai_dc&set=person:demo");
    assert_eq!(elements(&demo, "header").len(), 28, "the demo's heroes");
    // Each header names every set its item is in, whatever was asked; the earlier name of a
    // set still answers.
    assert!(
        elements(&demo, "header")
            .iter()
            .all(|h| h.contains("<setSpec>person</setSpec>")
                && h.contains("<setSpec>person:demo</setSpec>")),
        "{demo}"
    );
    assert_eq!(
        elements(
            &oai("verb=ListIdentifiers&metadataPrefix=oai_dc&set=source:demo"),
            "header"
        )
        .len(),
        28
    );
    let exhibits_of =
        oai("verb=ListIdentifiers&metadataPrefix=oai_dc&set=exhibit:faces-of-victory");
    assert!(!elements(&exhibits_of, "header").is_empty());
    assert!(
        elements(&exhibits_of, "header")
            .iter()
            .all(|h| h.contains("<setSpec>exhibit:faces-of-victory</setSpec>")),
        "{exhibits_of}"
    );
    let exhibit_id = seen
        .iter()
        .find(|id| id.contains(":exhibit/"))
        .unwrap()
        .clone();
    let one = oai(&format!(
        "verb=GetRecord&metadataPrefix=oai_dc&identifier={exhibit_id}"
    ));
    assert!(one.contains("<dc:title xml:lang=\"ru\">"), "{one}");
    assert!(one.contains("/iiif/3/manifests/"), "{one}");
    let today = oai(
        "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2000-01-01&until=2999-12-31&set=exhibition",
    );
    assert_eq!(elements(&today, "header").len(), 1);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut posted = agent
        .post(format!("{}/oai", server.url))
        .send_form([("verb", "Identify")])
        .unwrap();
    assert!(
        posted
            .body_mut()
            .read_to_string()
            .unwrap()
            .contains("<Identify>")
    );

    // Every error the protocol names that this repository can meet, in the body, with 200.
    for (query, code) in [
        ("", "badVerb"),
        ("verb=Dance", "badVerb"),
        ("verb=Identify&colour=red", "badArgument"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify&set=a&set=b", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2019-01-01",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2021-01-01T00:00:00Z",
            "badArgument",
        ),
        (
            "verb=ListRecords&resumptionToken=forged",
            "badResumptionToken",
        ),
        (
            "verb=ListRecords&resumptionToken=k%3D9%26a%3D%26c%3D0%26t%3D5",
            "badResumptionToken",
        ),
        (
            "verb=ListRecords&resumptionToken=k%3D0%26a%3D%26c%3D9223372036854775807%26t%3D0",
            "badResumptionToken",
        ),
        (
            "verb=ListRecords&resumptionToken=k%3D0%26a%3D%26c%3D0%26t%3D5%26f%3Dzzz",
            "badResumptionToken",
        ),
        (
            "verb=ListRecords&metadataPrefix=marc21",
            "cannotDisseminateFormat",
        ),
        (
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:yodnoma.local:person/nobody",
            "idDoesNotExist",
        ),
        (
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=../../etc/passwd",
            "idDoesNotExist",
        ),
        (
            "verb=ListMetadataFormats&identifier=oai:elsewhere:person/1",
            "idDoesNotExist",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01",
            "noRecordsMatch",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&set=source:nowhere",
            "noRecordsMatch",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&set=planets",
            "noRecordsMatch",
        ),
        (
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=%01%0C",
            "idDoesNotExist",
        ),
    ] {
        let body = oai(query);
        assert!(
            body.contains(&format!("<error code=\"{code}\">")),
            "{query}: {body}"
        );
        // Echoed or not, nothing XML 1.0 cannot hold reaches the page.
        assert!(
            !body.contains(|c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "{query}: {body:?}"
        );
    }
}

#[test]
fn a_family_proposes_a_person_the_registry_lacks_and_a_moderator_adds_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for (role, email) in [
        ("contributor", "family@example.kz"),
        ("moderator", "moderator@museum.kz"),
    ] {
        assert!(
            add_user(&data, role, email, "a long enough password\n")
                .status
                .success()
        );
    }
    let server = Server::start_at(&data, false);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let url = |path: &str| format!("{}{path}", server.url);
    let login = |email: &str| sign_in(&server, email);
    let page = |path: &str, cookie: &str| {
        let mut response = agent
            .get(url(path))
            .header("Cookie", cookie)
            .call()
            .unwrap();
        response.body_mut().read_to_string().unwrap_or_default()
    };
    let family = login("family@example.kz");
    let csrf = form_value(&page("/contribute", &family), "csrf");
    let send = |fields: &[(&str, &str)]| {
        let (kind, body) = multipart(fields, None);
        let mut response = agent
            .post(url("/contribute"))
            .header("Cookie", &family)
            .header("Content-Type", &kind)
            .send(&body[..])
            .unwrap();
        (
            response.status().as_u16(),
            response.body_mut().read_to_string().unwrap_or_default(),
        )
    };
    let story = [
        ("csrf", csrf.as_str()),
        ("title", "Бабушка в тылу"),
        ("body", "Работала на Карагандинской ГРЭС."),
        ("consent", "yes"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut fields = story.to_vec();
        fields.extend_from_slice(extra);
        fields
    };
    let (status, body) = send(&with(&[("birth_place", "Караганда")]));
    assert_eq!(status, 400);
    assert!(body.contains("surname or a given name"), "{body}");
    let (status, body) = send(&with(&[
        ("surname", "Жакупова"),
        ("birth_date", "1921-13-40"),
    ]));
    assert_eq!(status, 400);
    assert!(body.contains("birth_date"), "{body}");
    let (status, _) = send(&with(&[
        ("surname", "Жакупова"),
        ("given_name", "Бибигуль"),
        ("birth_date", "1921"),
        ("region", "Карагандинская обл."),
    ]));
    assert_eq!(status, 303);
    assert_eq!(
        server.json("/api/v1/search?q=Zhakupova").1["total"],
        0,
        "not before approval"
    );

    let moderator = login("moderator@museum.kz");
    let queue = page("/moderation?lang=en", &moderator);
    assert!(
        queue.contains("Proposes a person the registry lacks") && queue.contains("Жакупова"),
        "{queue}"
    );
    let id = first_queued(&queue);
    let decided = agent
        .post(url(&format!("/moderation/{id}")))
        .header("Cookie", &moderator)
        .send_form([
            ("csrf", form_value(&queue, "csrf").as_str()),
            ("action", "approve"),
        ])
        .unwrap();
    assert_eq!(decided.status().as_u16(), 303);

    // The person is in the registry now, found by a Latin spelling, with the story beside.
    let (_, found) = server.json("/api/v1/search?q=Zhakupova%20Bibigul");
    assert_eq!(found["total"], 1, "{found}");
    let person = found["items"][0]["person_id"].as_str().unwrap().to_owned();
    assert_eq!(found["items"][0]["records"][0]["source"], "families");
    let shown = page(&format!("/persons/{person}?lang=ru"), "");
    assert!(
        shown.contains("Бабушка в тылу") && shown.contains("Карагандинская обл."),
        "{shown}"
    );
    let mine = page("/contributions?lang=en", &family);
    assert!(mine.contains(&format!("/persons/{person}")), "{mine}");

    // A proposal one moderator rejected is not made a person by another's page left open.
    let (status, _) = send(&with(&[
        ("surname", "Сейткалиева"),
        ("given_name", "Зауре"),
    ]));
    assert_eq!(status, 303);
    let queue = page("/moderation?lang=en", &moderator);
    let id = first_queued(&queue);
    let decide = |fields: &[(&str, &str)]| {
        let mut fields = fields.to_vec();
        let csrf = form_value(&queue, "csrf");
        fields.push(("csrf", &csrf));
        agent
            .post(url(&format!("/moderation/{id}")))
            .header("Cookie", &moderator)
            .send_form(fields)
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(
        decide(&[("action", "reject"), ("reason", "нет источника")]),
        303
    );
    assert_eq!(decide(&[("action", "approve")]), 400);
    assert_eq!(server.json("/api/v1/search?q=Seitkaliyeva").1["total"], 0);
}

#[test]
fn persons_and_exhibits_are_linked_data_in_their_pages_and_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(Server::start_with(&data, true, &[]));
    let file = dir.path().join("list.csv");
    std::fs::write(
        &file,
        "record_id,surname,given_name,birth_date,death_date,birth_place,wikidata,obd_memorial\n\
         1,Момыш-улы,Баурджан,1910-12-24,1982-06-10,аул Кол-Бастау,Q1351546,\n\
         2,Момышулы,Бауыржан,1910,,,,51234567\n\
         3,\"</script><script>alert(1)</script>\",X,,,,not-a-qid,12ab\n",
    )
    .unwrap();
    assert!(import_records(&data, &file, "list").status.success());
    assert!(yodnoma(&data, &["link"]).status.success());
    let server = Server::start_at(&data, false);
    let (_, found) = server.json("/api/v1/search?q=Momyshuly");
    let person = found["items"][0]["person_id"].as_str().unwrap().to_owned();

    let (status, ld) = server.json_ld(&format!("/persons/{person}"));
    assert_eq!(status, 200);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Person");
    assert!(
        ld["@id"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/persons/{person}"))
    );
    assert_eq!(ld["birthDate"], "1910-12-24");
    let same: Vec<&str> = ld["sameAs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        same.contains(&"https://www.wikidata.org/wiki/Q1351546"),
        "{same:?}"
    );
    assert!(
        same.contains(&"https://obd-memorial.ru/html/info.htm?id=51234567"),
        "{same:?}"
    );

    // The page embeds the same document, and shows the links. The page and the document
    // share an address, so caches are told to keep them apart by `Accept`.
    let (_, page, headers) = server.get(&format!("/persons/{person}?lang=en"));
    let varies = |headers: &ureq::http::HeaderMap| {
        headers
            .get_all("vary")
            .iter()
            .flat_map(|v| v.to_str().unwrap_or("").split(','))
            .any(|name| name.trim().eq_ignore_ascii_case("accept"))
    };
    assert!(varies(&headers), "{headers:?}");
    let (_, _, headers) = server.get_with(
        &format!("/persons/{person}"),
        &[("Accept", "application/ld+json")],
    );
    assert!(varies(&headers), "{headers:?}");
    let start = page.find(r#"<script type="application/ld+json">"#).unwrap() + 35;
    let embedded: Value =
        serde_json::from_str(&page[start..start + page[start..].find("</script>").unwrap()])
            .unwrap();
    assert_eq!(embedded, ld);
    assert!(page.contains("https://www.wikidata.org/wiki/Q1351546"));

    // A name that tries to close the script element stays inside it; nonsense ids link nowhere.
    let persons = text(&yodnoma(&data, &["export", "persons"]).stdout);
    let hostile: Value = persons
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|p| p["name"].as_str().unwrap().contains("script"))
        .unwrap();
    {
        let hostile = hostile["person_id"].as_str().unwrap();
        let (_, page, _) = server.get(&format!("/persons/{hostile}"));
        assert!(!page.contains("<script>alert(1)"), "escaped");
        assert_eq!(
            page.matches("</script>").count(),
            1,
            "only the data block closes"
        );
        let (_, ld) = server.json_ld(&format!("/persons/{hostile}"));
        assert!(ld.get("sameAs").is_none(), "{ld}");
    }

    let (_, exhibition) = server.json("/api/v1/exhibitions/faces-of-victory");
    let exhibit = exhibition["sections"][0]["exhibits"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, art) = server.json_ld(&format!("/exhibits/{exhibit}"));
    assert_eq!(status, 200);
    assert_eq!(art["@type"], "VisualArtwork");
    assert!(
        art["name"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["@language"] == "kk")
    );
    assert!(
        art["about"][0]["@id"]
            .as_str()
            .unwrap()
            .contains("/persons/")
    );
    let (_, page, _) = server.get(&format!("/exhibits/{exhibit}"));
    assert!(page.contains(r#"<script type="application/ld+json">{"#));
}

#[test]
fn a_backup_taken_while_serving_restores_everything_and_a_damaged_one_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(Server::start_with(&data, true, &[]));
    let records = dir.path().join("list.csv");
    std::fs::write(&records, "record_id,surname,given_name,workplace\n1,Молдагулова,Алия,\n2,Ахметов,Серик,Карагандауголь\n").unwrap();
    assert!(import_records(&data, &records, "list").status.success());
    let photo = dir.path().join("photo.png");
    std::fs::write(
        &photo,
        png(900, 600, |x, y| [(x % 256) as u8, (y % 256) as u8, 60]),
    )
    .unwrap();
    let imported = import_image(&data, &photo, "scan-1", "A scan");
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(
        add_user(
            &data,
            "curator",
            "curator@museum.kz",
            "a long enough password\n"
        )
        .status
        .success()
    );

    // A file put beside the originals by hand is left out, instead of making a backup that
    // restore would refuse.
    let stray = data.join("media/originals/заметки (март).txt");
    std::fs::write(&stray, "scanned in March").unwrap();

    // Online: the server keeps running while the backup is taken.
    let server = Server::start_at(&data, false);
    let backup = dir.path().join("yodnoma.tar");
    let taken = yodnoma(&data, &["backup", backup.to_str().unwrap()]);
    assert!(taken.status.success(), "{}", text(&taken.stderr));
    assert!(
        text(&taken.stdout).starts_with("backed up the database and "),
        "{}",
        text(&taken.stdout)
    );
    assert_eq!(server.get("/health").0, 200);
    drop(server);
    std::fs::remove_file(&stray).unwrap();
    // It holds the accounts' password hashes: for its owner's eyes only.
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // A mistyped data directory is no directory of nothing to back up.
    let typo = dir.path().join("dtaa");
    let nothing = yodnoma(
        &typo,
        &["backup", dir.path().join("empty.tar").to_str().unwrap()],
    );
    assert_eq!(nothing.status.code(), Some(1));
    assert!(
        text(&nothing.stderr).contains("holds no yodnoma database"),
        "{}",
        text(&nothing.stderr)
    );
    assert!(!dir.path().join("empty.tar").exists() && !typo.exists());
    let again = yodnoma(&data, &["backup", backup.to_str().unwrap()]);
    assert_eq!(
        again.status.code(),
        Some(1),
        "a backup never overwrites a file"
    );

    let restored = dir.path().join("restored");
    let done = yodnoma(&restored, &["restore", backup.to_str().unwrap()]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    for what in [&["export", "records"][..], &["export", "persons"][..]] {
        assert_eq!(
            text(&yodnoma(&data, what).stdout),
            text(&yodnoma(&restored, what).stdout),
            "{what:?}"
        );
    }
    let originals = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(root.join("media/originals"))
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    assert_eq!(
        originals(&data),
        originals(&restored),
        "originals byte for byte"
    );
    // A restore killed after moving the originals, before the database: run again, it keeps
    // the originals that are the backup's, and sweeps what the stopped one unpacked.
    let resumed = dir.path().join("resumed");
    std::fs::create_dir_all(resumed.join("media/originals")).unwrap();
    for (name, bytes) in originals(&data) {
        std::fs::write(resumed.join("media/originals").join(name), bytes).unwrap();
    }
    let stopped = resumed.join(".yodnoma-restore-stopped");
    std::fs::create_dir_all(&stopped).unwrap();
    std::fs::write(stopped.join("yodnoma.db"), "half a database").unwrap();
    let done = yodnoma(&resumed, &["restore", backup.to_str().unwrap()]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(!stopped.exists());
    assert_eq!(originals(&data), originals(&resumed));
    let server = Server::start_at(&restored, false);
    let (status, info) = server.json("/iiif/3/scan-1/info.json");
    assert_eq!(
        (status, info["width"].as_u64()),
        (200, Some(900)),
        "tiles rebuilt"
    );
    assert_eq!(
        server.json("/api/v1/exhibitions").1["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let signed = agent
        .post(format!("{}/login", server.url))
        .send_form([
            ("email", "curator@museum.kz"),
            ("password", "a long enough password"),
        ])
        .unwrap();
    assert_eq!(signed.status().as_u16(), 303, "accounts come back too");
    drop(server);

    // Into a data directory that has a database: refused.
    let busy = yodnoma(&data, &["restore", backup.to_str().unwrap()]);
    assert_eq!(busy.status.code(), Some(1));
    assert!(text(&busy.stderr).contains("holds yodnoma.db already"));
    // Nor where a removed database left its journal, which would be replayed onto the new one.
    let leftover = dir.path().join("leftover");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(leftover.join("yodnoma.db-wal"), b"journal").unwrap();
    let refused = yodnoma(&leftover, &["restore", backup.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("holds yodnoma.db-wal already"),
        "{}",
        text(&refused.stderr)
    );

    // Altered or cut short: refused, naming what failed, and nothing restored.
    let bytes = std::fs::read(&backup).unwrap();
    let mut altered = bytes.clone();
    let at = bytes.windows(4).position(|w| w == b"SQLi").unwrap() + 4096;
    altered[at] ^= 0xFF;
    let cut = bytes[..bytes.len() / 2].to_vec();
    for (name, damaged, expected) in [
        (
            "altered.tar",
            altered,
            "yodnoma.db does not match its checksum",
        ),
        ("cut.tar", cut, "nothing was restored"),
        ("empty.tar", Vec::new(), "nothing was restored"),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, damaged).unwrap();
        let target = dir.path().join(format!("restore-{name}"));
        let output = yodnoma(&target, &["restore", file.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert!(
            text(&output.stderr).contains(expected),
            "{name}: {}",
            text(&output.stderr)
        );
        assert!(
            !target.join("yodnoma.db").exists(),
            "{name}: nothing restored"
        );
        let left: Vec<_> = std::fs::read_dir(&target)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert!(
            left.iter()
                .all(|n| n.to_string_lossy() == "media" || n.to_string_lossy() == "index"),
            "{name}: {left:?}"
        );
    }
}

/// Signs in as `email` (password "a long enough password") and returns the session cookie.
fn sign_in(server: &Server, email: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let response = agent
        .post(format!("{}/login", server.url))
        .send_form([("email", email), ("password", "a long enough password")])
        .unwrap();
    assert_eq!(response.status().as_u16(), 303, "{email} signs in");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

/// The id of the first contribution of a moderation queue page.
fn first_queued(queue: &str) -> String {
    let rest = queue
        .split("action=\"/moderation/")
        .nth(1)
        .expect("a queued contribution");
    rest[..rest.find('"').unwrap()].to_owned()
}

#[test]
fn events_places_of_memory_and_figures_are_imported_checked_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let records = write(
        "heroes.csv",
        "record_id,surname,given_name,birth_date,fate\n\
         m1,Маметова,Маншук,1922-10-23,killed\n\
         k1,Кошкарбаев,Рахимжан,1924-10-19,survived\n",
    );
    assert!(
        import_records(&data, Path::new(&records), "heroes")
            .status
            .success()
    );
    let import = |what: &str, path: &str| yodnoma(&data, &["import", what, path]);

    // A file with a bad row stores nothing, and says where each problem is.
    let header =
        "id,kind,start,end,place,republic,title_ru,title_en,description_en,units,records,source";
    let bad = write(
        "bad-events.csv",
        &format!(
            "{header}\n\
             nevel,deed,1943-10-15,,Невель,,Подвиг Маметовой,Mametova's deed,,,heroes:m1,https://en.wikipedia.org/wiki/Manshuk_Mametova\n\
             later,battle,1945-13,1944,,mars,,,,,heroes:nobody,src\n\
             nevel,deed,1943,,,,x,,,,,src\n"
        ),
    );
    let out = import("events", &bad);
    assert!(!out.status.success());
    let error = text(&out.stderr);
    assert_eq!(error.trim().lines().count(), 1, "one line: {error}");
    for expected in [
        "nothing stored",
        "row 3, column start",
        "row 3, column republic: \"mars\"",
        "row 3, column title_LANG: is empty",
        "row 3, column records: no record heroes:nobody is stored",
        "row 4, column id: \"nevel\" is used by an earlier row",
    ] {
        assert!(error.contains(expected), "{expected:?} in {error}");
    }
    let out = import(
        "events",
        &write(
            "twice.csv",
            "id,kind,start,title_en,title_en,source\nx,deed,1943,X,Y,s\n",
        ),
    );
    assert!(text(&out.stderr).contains("column \"title_en\" is in the header twice"));
    let out = import(
        "events",
        &write(
            "typo.csv",
            "id,kind,start,titel_en,source\nx,deed,1943,X,s\n",
        ),
    );
    assert!(
        text(&out.stderr).contains("column \"titel_en\" is not a column"),
        "{}",
        text(&out.stderr)
    );

    let good = write(
        "events.csv",
        &format!(
            "{header}\n\
             nevel,deed,1943-10-15,,Невель,,Подвиг Маншук Маметовой,The deed of Manshuk Mametova,Killed in the battle for Nevel.,21-я гвардейская стрелковая дивизия,heroes:m1,https://en.wikipedia.org/wiki/Manshuk_Mametova\n\
             berlin,battle,1945-04-16,1945-05-02,Берлин,,Берлинская операция,The Battle of Berlin,,,heroes:k1,https://en.wikipedia.org/wiki/Battle_of_Berlin\n"
        ),
    );
    let out = import("events", &good);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 rows stored"));

    // A photo must be stored (with its alt text) before a place names it.
    let memorials_header = "id,kind,name_ru,name_en,place,republic,latitude,longitude,description_en,image,records,source";
    let memorials = write(
        "memorials.csv",
        &format!(
            "{memorials_header}\n\
             panfilov-park,memorial,Парк 28 гвардейцев-панфиловцев,Park of the 28 Panfilov Guardsmen,Алматы,Kazakhstan,43.2588,76.9537,The Memorial of Glory.,park-photo,heroes:k1,https://en.wikipedia.org/wiki/Panfilov_Park\n"
        ),
    );
    let out = import("memorials", &memorials);
    assert!(text(&out.stderr).contains("row 2, column image: no image park-photo is stored"));
    let bad_place = write(
        "bad-memorials.csv",
        &format!("{memorials_header}\nx,statue,Х,X,,,95,,,,,src\n"),
    );
    let error = text(&import("memorials", &bad_place).stderr);
    assert!(error.contains("row 2, column kind: \"statue\""), "{error}");
    assert!(error.contains("row 2, column latitude: \"95\""), "{error}");
    let photo = dir.path().join("park.png");
    std::fs::write(&photo, png(320, 200, |x, _| [x as u8, 90, 40])).unwrap();
    let out = import_image(
        &data,
        &photo,
        "park-photo",
        "The eternal flame of the Memorial of Glory",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = import("memorials", &memorials);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let server = Server::start_at(&data, false);
    let (status, timeline, _) = server.get("/events?lang=en");
    assert_eq!(status, 200);
    let nevel = timeline.find("The deed of Manshuk Mametova").unwrap();
    let berlin = timeline.find("The Battle of Berlin").unwrap();
    assert!(nevel < berlin, "in the order of time");
    assert!(timeline.contains(r#"<h2 id="year-1943">1943</h2>"#));
    assert!(timeline.contains("15 October 1943"));
    assert!(timeline.contains("16 April 1945 – 2 May 1945"));
    let (_, event, _) = server.get("/events/nevel?lang=en");
    assert!(event.contains("21-я гвардейская стрелковая дивизия"));
    assert!(
        event.contains("Маметова Маншук"),
        "the person of the linked record"
    );
    let (_, json) = server.json("/api/v1/events/nevel");
    assert_eq!(json["start"], "1943-10-15");
    assert_eq!(json["persons"][0]["record"], "heroes:m1");
    let person = json["persons"][0]["id"].as_str().unwrap().to_owned();
    let (_, person_page, _) = server.get(&format!("/persons/{person}?lang=en"));
    assert!(
        person_page.contains(r#"<a href="/events/nevel""#),
        "the person page lists the event"
    );

    let (_, places, _) = server.get("/memorials?lang=en");
    assert!(places.contains("Kazakhstan") && places.contains("Park of the 28 Panfilov Guardsmen"));
    // The place is a dot on the map of the republics, named; the list is the map's text.
    assert!(places.contains(r#"aria-labelledby="chart-memorials-title chart-memorials-desc""#));
    assert!(places.contains("<title>Park of the 28 Panfilov Guardsmen</title></circle>"));
    let (_, place, _) = server.get("/memorials/panfilov-park?lang=en");
    assert!(place.contains(r#"alt="The eternal flame of the Memorial of Glory""#));
    assert!(place.contains("43.2588, 76.9537"));
    let (_, json) = server.json("/api/v1/memorials/panfilov-park");
    assert_eq!(json["republic"], "kazakhstan");
    assert_eq!(json["image"], "/iiif/3/park-photo/info.json");
    assert_eq!(json["persons"].as_array().unwrap().len(), 1);
    for missing in ["/api/v1/events/nowhere", "/api/v1/memorials/..%2F"] {
        assert_eq!(server.json(missing).0, 404, "{missing}");
    }
    for missing in ["/events/x%00", "/memorials/%3Cscript%3E"] {
        let (status, page, _) = server.get(missing);
        assert_eq!(status, 404, "{missing}");
        assert!(!page.contains("<script>"), "{missing}");
    }
    let (_, figures) = server.json("/api/v1/stats/figures");
    assert_eq!(
        figures["figures"].as_array().unwrap().len(),
        6,
        "the conference's figures"
    );
    let (_, csv, _) = server.get("/api/v1/stats/figures?format=csv");
    assert!(
        csv.starts_with("id,label_ru,label_kk,label_uz,label_en,published,"),
        "every language's label: {csv}"
    );
    assert!(csv.contains("Герои Советского Союза"));
    drop(server);

    // A figures file replaces the list; a bad measure is named.
    let figures_header = "id,label_ru,label_en,value,qualifier,measure,source";
    let bad = write(
        "bad-figures.csv",
        &format!("{figures_header}\nheroes,Герои,Heroes,many,more_than,award=gold,src\n"),
    );
    let error = text(&import("figures", &bad).stderr);
    assert!(error.contains("row 2, column value: \"many\""), "{error}");
    assert!(error.contains("row 2, column measure: \"gold\""), "{error}");
    let good = write(
        "figures.csv",
        &format!(
            "{figures_header}\nkilled,Погибли,Killed,\"1,000\",exact,fate=killed,A register\n"
        ),
    );
    assert!(import("figures", &good).status.success());
    let server = Server::start_at(&data, false);
    let (_, figures) = server.json("/api/v1/stats/figures");
    let list = figures["figures"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0]["published"].as_u64(), list[0]["held"].as_u64()),
        (Some(1000), Some(1))
    );
    let (_, page, _) = server.get("/statistics?lang=en");
    assert!(page.contains("0.10 %"), "coverage as a share");
    let (_, page, _) = server.get("/statistics?lang=ru");
    assert!(page.contains("0,10 %"), "with the reader's decimal sign");
}

#[test]
fn a_curator_composes_an_exhibition_in_the_site_and_publishing_waits_for_alt_text() {
    let data = tempfile::tempdir().unwrap();
    for role in ["curator", "contributor", "admin"] {
        let added = add_user(
            data.path(),
            role,
            &format!("{role}@museum.kz"),
            "a long enough password\n",
        );
        assert!(added.status.success(), "{}", text(&added.stderr));
    }
    let server = Server::start_at(data.path(), true);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let url = |path: &str| format!("{}{path}", server.url);
    let cookie = sign_in(&server, "curator@museum.kz");
    let family = sign_in(&server, "contributor@museum.kz");
    let page = |path: &str| server.get_with(path, &[("Cookie", &cookie)]);
    let (status, list, _) = page("/curate?lang=en");
    assert_eq!(status, 200);
    assert!(
        list.contains("/curate/exhibitions/faces-of-victory"),
        "the demo's exhibition is listed"
    );
    let csrf = form_value(&list, "csrf");
    let post = |path: &str, form: &[(&str, &str)]| {
        let mut with_csrf = form.to_vec();
        with_csrf.push(("csrf", &csrf));
        let mut response = agent
            .post(url(path))
            .header("Cookie", &cookie)
            .send_form(with_csrf)
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (response.status().as_u16(), location, body)
    };
    let editor = "/curate/exhibitions/home-front";
    let send_exhibit = |fields: &[(&str, &str)], image: Option<&[u8]>| {
        let mut fields = fields.to_vec();
        fields.push(("csrf", &csrf));
        let (kind, body) = multipart(&fields, image.map(|i| ("image", i)));
        let mut response = agent
            .post(url("/curate/exhibits"))
            .header("Cookie", &cookie)
            .header("Content-Type", &kind)
            .send(&body[..])
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (response.status().as_u16(), location, body)
    };

    // A family's account may not curate; nor may a form without the curator's form value.
    assert_eq!(server.get_with("/curate", &[("Cookie", &family)]).0, 403);
    let forged = agent
        .post(url("/curate/exhibitions"))
        .header("Cookie", &cookie)
        .send_form([("id", "forged"), ("title_en", "Forged")])
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);

    // A new exhibition is a draft: curators preview it, visitors do not find it.
    let created = post(
        "/curate/exhibitions",
        &[
            ("id", "home-front"),
            ("title_en", "The home front"),
            ("title_ru", "Тыл"),
        ],
    );
    assert_eq!((created.0, created.1.as_str()), (303, editor));
    assert_eq!(
        post(
            "/curate/exhibitions",
            &[("id", "home-front"), ("title_en", "Again")]
        )
        .0,
        400,
        "an id is taken once"
    );
    assert_eq!(server.get("/exhibitions/home-front").0, 404);
    let (status, preview, _) = page("/curate/exhibitions/home-front/preview?lang=ru");
    assert_eq!(status, 200);
    assert!(preview.contains("Тыл") && preview.contains("preview-banner"));

    // Sections and narrative blocks, changed by position.
    for title in ["Evacuation", "Factories"] {
        let added = post(editor, &[("op", "add-section"), ("title_en", title)]);
        assert_eq!(added.0, 303, "{}", added.2);
    }
    let block = post(
        editor,
        &[
            ("op", "add-block"),
            ("section", "1"),
            ("kind", "text"),
            (
                "text_en",
                "**More than 3 million** evacuees were received. <script>alert(1)</script>",
            ),
        ],
    );
    assert_eq!(
        (block.0, block.1.as_str()),
        (303, "/curate/exhibitions/home-front#section-1")
    );
    let moved = post(
        editor,
        &[("op", "move-section"), ("section", "1"), ("dir", "up")],
    );
    assert_eq!(moved.0, 303);
    // A form for an item that is no longer where the page showed it is refused: a second
    // click on "delete", or a page left open while things moved.
    let (_, page_now, _) = page(editor);
    let was = form_value(&page_now, "block_was");
    let gone = post(
        editor,
        &[
            ("op", "delete-block"),
            ("section", "0"),
            ("block", "0"),
            ("block_was", "0123456789abcdef"),
        ],
    );
    assert_eq!(gone.0, 400);
    assert!(
        gone.2.contains("no longer the one on your page"),
        "{}",
        gone.2
    );
    assert_eq!(
        post(
            editor,
            &[
                ("op", "move-block"),
                ("section", "0"),
                ("block", "0"),
                ("block_was", &was),
                ("dir", "down")
            ]
        )
        .0,
        303
    );
    let stale = post(
        editor,
        &[("op", "delete-block"), ("section", "0"), ("block", "5")],
    );
    assert_eq!(
        stale.0, 400,
        "a position that does not exist is refused: {}",
        stale.2
    );
    assert!(stale.2.contains("block"), "{}", stale.2);

    // Two curators on one page: a change made on what the page showed before another change
    // was saved is refused, instead of silently undoing that change.
    let (_, page_now, _) = page(editor);
    let revision = form_value(&page_now, "revision");
    let details = |title: &'static str| {
        vec![
            ("op", "details"),
            ("title_en", title),
            ("title_ru", "Тыл"),
            ("lang_ru", "on"),
            ("lang_kk", "on"),
            ("lang_uz", "on"),
            ("lang_en", "on"),
        ]
    };
    let mut first = details("The home front");
    first.push(("revision", &revision));
    let first = post(editor, &first);
    assert_eq!(first.0, 303, "{}", first.2);
    let mut second = details("Home front, renamed");
    second.push(("revision", &revision));
    let second = post(editor, &second);
    assert_eq!(second.0, 409, "{}", second.2);
    assert!(second.2.contains("changed by someone else"), "{}", second.2);
    let (_, page_now, _) = page(editor);
    assert!(!page_now.contains("renamed"), "the first change stands");
    assert_ne!(form_value(&page_now, "revision"), revision);

    // An exhibit with its image, uploaded on its own form and placed in the first section.
    let scan = png(64, 48, |x, _| [(x * 4) as u8, 90, 60]);
    let saved = send_exhibit(
        &[
            ("new", "1"),
            ("id", "evacuation-letter"),
            ("title_en", "A letter from the evacuation"),
            ("creator", "Unknown"),
            ("depicts", "demo:h017"),
            ("image_alt_en", "A handwritten letter on squared paper"),
            ("exhibition", "home-front"),
            ("section", "0"),
        ],
        Some(&scan),
    );
    assert_eq!(
        (saved.0, saved.1.as_str()),
        (303, "/curate/exhibitions/home-front#section-0")
    );
    // A new exhibit may not take the id of one that exists, nor bring an image whose other
    // fields are wrong (nothing is stored then).
    let taken = send_exhibit(
        &[
            ("new", "1"),
            ("id", "evacuation-letter"),
            ("title_en", "Another letter"),
            ("exhibition", "home-front"),
            ("section", "0"),
        ],
        None,
    );
    assert_eq!(taken.0, 400, "{}", taken.2);
    let refused_image = send_exhibit(
        &[
            ("new", "1"),
            ("id", "photo-1942"),
            ("title_en", "A photograph"),
            ("image_alt_en", "A photograph"),
            ("image_rights", "two\nlines"),
        ],
        Some(&scan),
    );
    assert_eq!(refused_image.0, 400);
    assert_eq!(server.get("/iiif/3/photo-1942/info.json").0, 404);
    // An exhibit may not take an exhibition's id (they share the address of their manifest),
    // nor an id kept for families' photos; nothing of a refused exhibit is kept.
    for id in ["home-front", "family-letter", "new"] {
        let (status, _, body) = send_exhibit(
            &[
                ("id", id),
                ("title_en", "A photograph"),
                ("image_alt_en", "A photograph"),
            ],
            Some(&scan),
        );
        assert_eq!(status, 400, "{id}: {body}");
        assert!(body.contains("`id`"), "{id}: {body}");
        assert_eq!(
            server.get(&format!("/iiif/3/{id}/info.json")).0,
            404,
            "{id}"
        );
    }
    let (_, info) = server.json("/iiif/3/evacuation-letter/info.json");
    assert_eq!(
        (info["width"].as_u64(), info["height"].as_u64()),
        (Some(64), Some(48))
    );

    // Publishing is refused while alt text is missing in a language of the exhibition, and the
    // refusal names each missing one.
    let refused = post(&format!("{editor}?lang=en"), &[("op", "publish")]);
    assert_eq!(refused.0, 422);
    for lang in ["Русский", "Қазақша", "Oʻzbekcha"] {
        assert!(
            refused
                .2
                .contains(&format!("image evacuation-letter: no alt text in {lang}")),
            "{lang} in the refusal: {}",
            refused.2
        );
    }
    assert_eq!(
        server.get("/exhibitions/home-front").0,
        404,
        "still a draft"
    );

    // Published in English and Russian only, once the Russian alt text is written.
    let details = post(
        editor,
        &[
            ("op", "details"),
            ("title_en", "The home front"),
            ("title_ru", "Тыл"),
            (
                "introduction_en",
                "Factories, hospitals and families far from the front.",
            ),
            ("lang_en", "on"),
            ("lang_ru", "on"),
        ],
    );
    assert_eq!(details.0, 303);
    assert_eq!(
        post(editor, &[("op", "publish")]).0,
        422,
        "Russian is still missing"
    );
    let (_, exhibit_form, _) = page("/curate/exhibits/evacuation-letter?exhibition=home-front");
    assert!(exhibit_form.contains("alt=\"A handwritten letter on squared paper\""));
    let revision = form_value(&exhibit_form, "revision");
    let letter = |title: &'static str| {
        vec![
            ("id", "evacuation-letter"),
            ("title_en", title),
            ("depicts", "demo:h017"),
            ("alt0_en", "A handwritten letter on squared paper"),
            ("alt0_ru", "Рукописное письмо на бумаге в клетку"),
            ("exhibition", "home-front"),
            ("revision", &revision),
        ]
    };
    let saved = send_exhibit(&letter("A letter from the evacuation"), None);
    assert_eq!(saved.0, 303, "{}", saved.2);
    // The same form sent again, from a page shown before that save: refused.
    let again = send_exhibit(&letter("A letter, retitled"), None);
    assert_eq!(again.0, 409, "{}", again.2);
    assert!(again.2.contains("changed by someone else"), "{}", again.2);
    // Nor does a refused save change its images' texts.
    let mut stale_alt = letter("A letter from the evacuation");
    stale_alt.retain(|(name, _)| *name != "alt0_en");
    stale_alt.push(("alt0_en", "A stale description"));
    assert_eq!(send_exhibit(&stale_alt, None).0, 409);
    let (_, kept, _) = page("/curate/exhibits/evacuation-letter");
    assert!(!kept.contains("A stale description"), "{kept}");
    let published = post(editor, &[("op", "publish")]);
    assert_eq!(published.0, 303, "{}", published.2);

    // Visitors see it as composed: sections in their new order, the narrative sanitized, the
    // exhibit with its image and alt text, the person it depicts linked.
    let (status, shown, _) = server.get("/exhibitions/home-front?lang=en");
    assert_eq!(status, 200);
    let factories = shown.find("Factories").unwrap();
    let evacuation = shown.find("Evacuation").unwrap();
    assert!(factories < evacuation, "the sections were swapped");
    assert!(shown.contains("<strong>More than 3 million</strong>"));
    assert!(!shown.contains("<script>alert(1)"));
    assert!(shown.contains("A letter from the evacuation"));
    let (_, api) = server.json("/api/v1/exhibits/evacuation-letter");
    assert_eq!(api["persons"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        api["images"][0]["alt"]["ru"].as_str(),
        Some("Рукописное письмо на бумаге в клетку")
    );

    // Once published, a change that would leave alt text missing waits: a new exhibit with an
    // image described in English only, the letter's Russian alt text removed, a new language.
    let (status, _, refusal) = send_exhibit(
        &[
            ("id", "ration-card"),
            ("title_en", "A ration card"),
            ("image_alt_en", "A ration card of 1942"),
            ("exhibition", "home-front"),
            ("section", "0"),
        ],
        Some(&scan),
    );
    assert_eq!(status, 400);
    assert!(refusal.contains("no alt text in Русский"), "{refusal}");
    assert_eq!(
        server.get("/iiif/3/ration-card/info.json").0,
        404,
        "no image was stored"
    );
    let (status, _, refusal) = send_exhibit(
        &[
            ("id", "evacuation-letter"),
            ("title_en", "A letter from the evacuation"),
            ("alt0_en", "A handwritten letter on squared paper"),
        ],
        None,
    );
    assert_eq!(status, 400, "{refusal}");
    let widened = post(
        editor,
        &[
            ("op", "details"),
            ("title_en", "The home front"),
            ("lang_en", "on"),
            ("lang_ru", "on"),
            ("lang_kk", "on"),
        ],
    );
    assert_eq!(widened.0, 400);
    assert!(
        widened.2.contains("no alt text in Қазақша"),
        "{}",
        widened.2
    );
    let (_, api) = server.json("/api/v1/exhibitions/home-front");
    assert_eq!(api["languages"], serde_json::json!(["ru", "en"]));

    // Every change is in the audit log, under the curator's name.
    let admin = sign_in(&server, "admin@museum.kz");
    let (_, log, _) = server.get_with("/admin/audit", &[("Cookie", &admin)]);
    for action in [
        "create exhibition",
        "edit exhibition: add-section",
        "create exhibit",
        "edit exhibit",
        "edit exhibition: publish",
    ] {
        assert!(log.contains(action), "{action} in {log}");
    }
    assert!(log.contains("curator@museum.kz"));
}

#[test]
fn a_wrong_command_line_is_one_line_naming_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    for (args, named) in [
        (&["import", "records", "a.csv"][..], "--source"),
        (
            &["import", "records", "a.csv", "--sauce", "x"][..],
            "--sauce",
        ),
        (&["gen", "records"][..], "--count"),
    ] {
        let output = yodnoma(dir.path(), args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let err = text(&output.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(named), "{args:?}: {err}");
    }
}

#[test]
fn the_server_listens_on_a_host_name_and_refuses_a_bad_address() {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "localhost:0", "--data-dir"])
        .arg(data.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.starts_with("yodnoma listening on http://"), "{line}");
    let refused = yodnoma(data.path(), &["serve", "--listen", "no port here"]);
    assert_eq!(refused.status.code(), Some(1));
    let err = text(&refused.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("cannot listen on no port here"), "{err}");
}

#[test]
fn reports_sent_at_once_keep_to_the_hourly_limit_and_other_sites_cannot_send_them() {
    let server = Server::start(true);
    let (_, found) = server.json("/api/v1/search?q=Mamrayev");
    let person = found["items"][0]["person_id"].as_str().unwrap().to_owned();
    let report = format!("{}/persons/{person}/report", server.url);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let cross = agent
        .post(&report)
        .header("Sec-Fetch-Site", "cross-site")
        .send_form([("body", "from elsewhere")])
        .unwrap();
    assert_eq!(cross.status().as_u16(), 403);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let sent: Vec<_> = (0..20)
            .map(|_| {
                scope.spawn(|| {
                    agent
                        .post(&report)
                        .send_form([("body", "Фамилия пишется иначе")])
                        .unwrap()
                        .status()
                        .as_u16()
                })
            })
            .collect();
        sent.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        5,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [303, 429].contains(s)),
        "{statuses:?}"
    );
}
