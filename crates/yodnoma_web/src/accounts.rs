//! Signing in and out, and who is signed in.
//!
//! Passwords are kept as argon2id hashes. A sign-in opens a session stored in the database under
//! a hash of a random value that only the browser holds (an HttpOnly, SameSite=Lax cookie,
//! Secure behind TLS); each sign-in draws a new value, and signing out deletes the session, so a
//! copied cookie stops working. Every form that changes something carries the session's second
//! random value. Failed sign-ins are counted per account and per address; past the limits the
//! sign-in answers 429 until the window has passed, even with the right password.

use std::net::{IpAddr, SocketAddr};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{RawQuery, Request, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use blake2::{Blake2b512, Digest};
use yodnoma_core::{Action, normalize_email};
use yodnoma_db::Session;

use crate::forms::FormFields;
use crate::i18n::Locale;
use crate::pages::{Chrome, render};
use crate::{AppState, WebError};

const COOKIE: &str = "yodnoma_session";
/// Two weeks: long enough that a curator working through a review queue is not asked again.
const SESSION_SECONDS: i64 = 14 * 24 * 3600;
/// The window failed sign-ins are counted in, and how long a throttled sign-in waits.
pub const THROTTLE_WINDOW_SECONDS: i64 = 15 * 60;
/// Failed sign-ins to one account within the window before it is throttled.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed sign-ins from one address within the window (to any accounts) before it is throttled.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_BYTES: usize = 1024;

/// Why a password cannot be set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password is too short: use at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("the password is too long: at most {MAX_PASSWORD_BYTES} bytes")]
    TooLong,
    #[error("the password could not be hashed: {0}")]
    Hash(String),
}

/// Whether a new password is long enough, and not too long to hash.
pub fn check_password(password: &str) -> Result<(), PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(PasswordError::TooLong);
    }
    Ok(())
}

/// The argon2id hash (a PHC string) of a new password, after checking its length.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    check_password(password)?;
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` is the one `hash` was made from. A damaged hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    password.len() <= MAX_PASSWORD_BYTES
        && PasswordHash::new(hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
}

/// Password hashes computed at once: each takes about 19 MiB and a core for tens of
/// milliseconds, so a flood of sign-ins waits here instead of exhausting memory.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Runs `work` (a password hash or check) on a blocking thread, at most two at once.
pub async fn hashing<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, WebError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| WebError::Internal(format!("password work: {e}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| WebError::Internal(format!("password work: {e}")))
}

/// Refuses a form posted from another site (browsers say where a form came from): a sign-in
/// would put the visitor into an account the other site chose, a report would be sent from
/// the visitor's address.
pub fn refuse_cross_site(headers: &HeaderMap) -> Result<(), WebError> {
    let refused = || {
        Err(WebError::Forbidden(
            "send this form from this site's own page".to_owned(),
        ))
    };
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return refused();
    }
    // Browsers without Fetch Metadata (Safari before 16.4) still send the form's origin: it
    // must be this host (which a proxy passes on, as the operator's guide says). Host names are
    // compared without their ports: nginx's `$host` leaves the port out.
    if let (Some(origin), Some(host)) = (headers.get("origin"), headers.get("host")) {
        let origin = origin.to_str().unwrap_or("null");
        let authority = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"));
        let same = authority.is_some_and(|a| {
            host.to_str()
                .is_ok_and(|host| host_name(a).eq_ignore_ascii_case(host_name(host)))
        });
        if !same {
            return refused();
        }
    }
    Ok(())
}

/// `host:port` → `host` (`[::1]:8080` → `[::1]`).
pub fn host_name(authority: &str) -> &str {
    match authority.rsplit_once(':') {
        Some((name, port))
            if !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && (!name.contains(':') || name.ends_with(']')) =>
        {
            name
        }
        _ => authority,
    }
}

/// Hashed with the same cost as a real account's, so that an unknown e-mail takes as long to
/// refuse as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, never used").unwrap_or_default())
}

fn random_hex() -> String {
    format!(
        "{:032x}{:032x}",
        rand::random::<u128>(),
        rand::random::<u128>()
    )
}

fn token_hash(token: &str) -> String {
    let digest = Blake2b512::digest(token.as_bytes());
    digest[..32].iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal in time that does not depend on where two values differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Who is signed in on a request: put into every request's extensions by [`attach_session`].
#[derive(Debug, Clone, Default)]
pub struct SignedIn(pub Option<Session>);

/// Looks up the session of the request's cookie, once, for the handlers and the page header.
pub async fn attach_session(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let session = match cookie(request.headers(), COOKIE) {
        Some(token) => match state.store.session(&token_hash(token)).await {
            Ok(session) => session,
            Err(e) => return WebError::from(e).into_response(),
        },
        None => None,
    };
    request.extensions_mut().insert(SignedIn(session));
    next.run(request).await
}

/// The signed-in account, if it may do `action`. Anonymous visitors are sent to sign in
/// (`next` brings them back); accounts of other roles are refused.
pub fn require(signed: &SignedIn, action: Action, next: &str) -> Result<Session, WebError> {
    match &signed.0 {
        Some(session) if session.user.role.may(action) => Ok(session.clone()),
        Some(session) => Err(WebError::Forbidden(format!(
            "an account of the {} role may not do this",
            session.user.role
        ))),
        None => Err(WebError::SignIn(next.to_owned())),
    }
}

/// The signed-in account that sent a form changing something, if it may do `action`, and the
/// form carries the session's form value. Anonymous senders are refused, not redirected: there
/// is no page to come back to.
pub fn require_form(
    signed: &SignedIn,
    action: Action,
    form: &FormFields,
) -> Result<Session, WebError> {
    require_csrf(signed, action, form.optional("csrf"))
}

/// As [`require_form`], for a form read otherwise (multipart): its `csrf` value.
pub fn require_csrf(
    signed: &SignedIn,
    action: Action,
    csrf: Option<&str>,
) -> Result<Session, WebError> {
    let session = match require(signed, action, "/") {
        Err(WebError::SignIn(_)) => {
            return Err(WebError::Forbidden(
                "sign in with an account that may do this first".to_owned(),
            ));
        }
        other => other?,
    };
    if same_secret(csrf.unwrap_or(""), &session.csrf) {
        Ok(session)
    } else {
        Err(WebError::Forbidden(
            "the form has expired or came from another site: reload the page and try again"
                .to_owned(),
        ))
    }
}

/// A form that changes something must carry the session's form value.
pub fn check_csrf(form: &FormFields, session: &Session) -> Result<(), WebError> {
    if same_secret(form.optional("csrf").unwrap_or(""), &session.csrf) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "the form has expired or came from another site: reload the page and try again"
                .to_owned(),
        ))
    }
}

/// Whether the browser reached us over TLS (through a proxy that says so).
fn behind_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes() == b"https")
}

/// The address failed sign-ins are counted for: the peer, or, when the peer is a proxy on this
/// machine, the client it names last in `X-Forwarded-For`.
pub fn client_address(extensions: &Extensions, headers: &HeaderMap) -> String {
    // A dual-stack listener sees an IPv4 proxy as `::ffff:127.0.0.1`.
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_canonical());
    let forwarded = headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    match (peer, forwarded) {
        (Some(ip), Some(client)) if ip.is_loopback() => counted(client.to_canonical()),
        (Some(ip), _) => counted(ip),
        (None, _) => "unknown".to_owned(),
    }
}

/// An address as the limits count it: an IPv6 client by its /64, the network one subscriber
/// is given (every address in it is theirs to use).
fn counted(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// Where to go after signing in: a path of this site only.
pub fn local_path(path: Option<&str>) -> String {
    match path {
        // Browsers drop tabs and newlines from URLs: "/\t/evil.example" would become
        // "//evil.example", another site.
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Chrome,
    next: String,
    email: String,
    problem: Option<String>,
    sign_up: bool,
}

fn login_page(
    state: &AppState,
    l: &Locale,
    status: StatusCode,
    next: String,
    email: String,
    problem: Option<String>,
) -> Result<Response, WebError> {
    let mut response = render(&LoginPage {
        page: Chrome::new(l.clone(), l.t("login-title")),
        next,
        email,
        problem,
        sign_up: state.sign_up_open,
    })?;
    *response.status_mut() = status;
    response.extensions_mut().insert(crate::error::Rendered);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /login[?next=PATH]`
pub async fn show_login(
    State(state): State<AppState>,
    l: Locale,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let next = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v.into_owned());
    login_page(
        &state,
        &l,
        StatusCode::OK,
        local_path(next.as_deref()),
        String::new(),
        None,
    )
}

/// `POST /login` with `email`, `password` and `next`.
pub async fn login(
    State(state): State<AppState>,
    l: Locale,
    extensions: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    refuse_cross_site(&headers)?;
    let form = FormFields::parse(&body);
    let next = local_path(form.optional("next"));
    let typed = form.optional("email").unwrap_or("").trim().to_owned();
    let password = form.optional("password").unwrap_or("").to_owned();
    // What is no address is still counted under what was typed, as far as an address can be
    // long: a form of two megabytes is not stored whole for each failure.
    let email = normalize_email(&typed)
        .unwrap_or_else(|| typed.chars().take(254).collect::<String>().to_lowercase());
    let address = client_address(&extensions, &headers);

    // Counted as a failure first, then the count read with it, and forgotten on success: of
    // attempts made at once, each sees those recorded before it, so no more than the limit
    // get as far as the password, however many arrive together.
    let failure = state
        .store
        .record_login_failure(&email, &address, THROTTLE_WINDOW_SECONDS)
        .await?;
    let (by_account, by_address) = state
        .store
        .login_failures(&email, &address, THROTTLE_WINDOW_SECONDS)
        .await?;
    if by_account > MAX_FAILURES_PER_ACCOUNT || by_address > MAX_FAILURES_PER_ADDRESS {
        // A refused attempt guessed nothing, and a flood of them is not stored: the failures
        // let through keep every further attempt over the limit until they age out.
        state.store.forget_login_failure(failure, &email).await?;
        let mut response = login_page(
            &state,
            &l,
            StatusCode::TOO_MANY_REQUESTS,
            next,
            typed,
            Some(l.t("login-throttled")),
        )?;
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(THROTTLE_WINDOW_SECONDS),
        );
        return Ok(response);
    }

    let user = state.store.user_by_email(&email).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |u| u.password_hash.clone());
    let checked = password.clone();
    let right = hashing(move || verify_password(&checked, &hash)).await?;
    let Some(user) = user.filter(|_| right) else {
        return login_page(
            &state,
            &l,
            StatusCode::UNAUTHORIZED,
            next,
            typed,
            Some(l.t("login-wrong")),
        );
    };

    state
        .store
        .clear_login_failures(&email, THROTTLE_WINDOW_SECONDS)
        .await?;
    open_session(&state, user.id, &headers, &next).await
}

/// Opens a session for the account and answers with a redirect to `next` that sets its cookie.
/// A new value at every sign-in: one planted in the browser before is of no use.
pub async fn open_session(
    state: &AppState,
    user_id: i64,
    headers: &HeaderMap,
    next: &str,
) -> Result<Response, WebError> {
    if let Some(old) = cookie(headers, COOKIE) {
        state.store.delete_session(&token_hash(old)).await?;
    }
    let token = random_hex();
    state
        .store
        .create_session(user_id, &token_hash(&token), &random_hex(), SESSION_SECONDS)
        .await?;
    let cookie = format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECONDS}{}",
        if behind_tls(headers) { "; Secure" } else { "" }
    );
    let mut response = Redirect::to(next).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| WebError::Internal(e.to_string()))?,
    );
    Ok(response)
}

/// `POST /logout` with `csrf`: ends the session.
pub async fn logout(
    State(state): State<AppState>,
    Extension(signed): Extension<SignedIn>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    if let Some(session) = &signed.0 {
        check_csrf(&FormFields::parse(&body), session)?;
        if let Some(token) = cookie(&headers, COOKIE) {
            state.store.delete_session(&token_hash(token)).await?;
        }
    }
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("yodnoma_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    Ok(response)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_counted_by_client_and_ipv6_by_its_network() {
        let address = |peer: &str, forwarded: Option<&'static str>| {
            let mut extensions = Extensions::new();
            extensions.insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
            let mut headers = HeaderMap::new();
            if let Some(f) = forwarded {
                headers.insert("x-forwarded-for", axum::http::HeaderValue::from_static(f));
            }
            client_address(&extensions, &headers)
        };
        assert_eq!(address("203.0.113.7:4000", None), "203.0.113.7");
        // A proxy on this machine, over IPv4 or as a dual-stack listener sees it.
        assert_eq!(address("127.0.0.1:1", Some("198.51.100.2")), "198.51.100.2");
        assert_eq!(
            address("[::ffff:127.0.0.1]:1", Some("1.2.3.4, 198.51.100.2")),
            "198.51.100.2"
        );
        // Every address of one IPv6 /64 counts as one.
        assert_eq!(
            address("[2001:db8:1:2:aaaa::1]:5", None),
            address("[2001:db8:1:2:bbbb::9]:5", None)
        );
        assert_eq!(
            address("[::1]:1", Some("2001:db8:1:2::77")),
            "2001:db8:1:2::/64"
        );
        // A forwarded address from a peer that is no local proxy is not believed.
        assert_eq!(address("203.0.113.7:4000", Some("10.0.0.1")), "203.0.113.7");
    }

    #[test]
    fn a_form_from_another_site_is_refused_by_either_header() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, axum::http::HeaderValue::from_static(value));
            }
            map
        };
        let host = ("host", "memory.example.kz");
        for (pairs, allowed) in [
            (vec![host], true),
            (vec![host, ("origin", "https://memory.example.kz")], true),
            (vec![host, ("origin", "http://MEMORY.example.kz")], true),
            (vec![host, ("sec-fetch-site", "same-origin")], true),
            (vec![host, ("sec-fetch-site", "cross-site")], false),
            (vec![host, ("origin", "https://evil.example")], false),
            (vec![host, ("origin", "null")], false),
            (
                vec![host, ("origin", "https://memory.example.kz.evil.example")],
                false,
            ),
            (
                vec![host, ("origin", "https://memory.example.kz:8443")],
                true,
            ),
            (
                vec![
                    ("host", "127.0.0.1:8080"),
                    ("origin", "http://127.0.0.1:8080"),
                ],
                true,
            ),
            (
                vec![("host", "[::1]:8080"), ("origin", "http://[::1]:8080")],
                true,
            ),
            (
                vec![("host", "[::1]:8080"), ("origin", "http://[::2]:8080")],
                false,
            ),
        ] {
            assert_eq!(
                refuse_cross_site(&headers(&pairs)).is_ok(),
                allowed,
                "{pairs:?}"
            );
        }
    }

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let Ok(hash) = hash_password("correct horse battery") else {
            panic!("hashing works")
        };
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("correct horse battery", "not a hash"));
        assert_eq!(hash_password("short"), Err(PasswordError::TooShort));
        assert_eq!(
            hash_password(&"x".repeat(2000)),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path(Some("/review?offset=25")), "/review?offset=25");
        for outside in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil",
            "review",
        ] {
            assert_eq!(local_path(Some(outside)), "/", "{outside}");
        }
        assert_eq!(local_path(None), "/");
    }
}
