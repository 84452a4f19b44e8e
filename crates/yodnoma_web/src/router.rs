//! Every route of the site, the API and media, in one place.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::{
    AppState, accounts, api, assets, authoring, contributions, curator, error, export, i18n, iiif,
    manifest, memory, oai, openapi, pages, statistics, stats_api,
};

/// No inline script or style anywhere, so the policy can forbid both. The one hash is of the
/// rule OpenSeadragon 6.1.1 injects to hide its focus outline on touch screens: a new version
/// that changes it shows up as a console error in the viewer's browser test.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
    style-src 'self' 'sha256-9xTiqzfwFaL2SGb1rmr8gysEwVVjIvqWAgmZgqFqpEE='; script-src 'self'; \
    object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The longest a request body may take to arrive: a 20 MB photo over a slow mobile link
/// (about 1 Mbit/s) takes under three minutes.
const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(180);

pub fn router(state: AppState) -> Router {
    let site = Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/persons/{id}", get(pages::show_person))
        .route("/persons/{id}/split", post(curator::split))
        .route("/login", get(accounts::show_login).post(accounts::login))
        .route("/logout", post(accounts::logout))
        .route(
            "/signup",
            get(contributions::show_sign_up).post(contributions::sign_up),
        )
        .route(
            "/persons/{id}/contribute",
            get(contributions::show_contribute)
                .post(contributions::contribute)
                .layer(DefaultBodyLimit::max(
                    contributions::MAX_STORY_REQUEST_BYTES,
                )),
        )
        .route(
            "/contribute",
            get(contributions::show_propose)
                .post(contributions::propose)
                .layer(DefaultBodyLimit::max(
                    contributions::MAX_STORY_REQUEST_BYTES,
                )),
        )
        .route(
            "/persons/{id}/report",
            get(contributions::show_report).post(contributions::report),
        )
        .route("/contributions", get(contributions::list_mine))
        .route("/moderation", get(contributions::show_queue))
        .route("/moderation/{id}", post(contributions::moderate))
        .route("/admin/audit", get(contributions::show_audit))
        .route("/review", get(curator::review))
        .route("/review/decide", post(curator::decide))
        .route("/review/undo", post(curator::undo))
        .route("/exhibitions", get(pages::list_exhibitions))
        .route("/curate", get(authoring::list))
        .route("/curate/exhibitions", post(authoring::create))
        .route(
            "/curate/exhibitions/{id}",
            get(authoring::edit).post(authoring::change),
        )
        .route("/curate/exhibitions/{id}/preview", get(authoring::preview))
        .route(
            "/curate/exhibits",
            post(authoring::save_exhibit)
                .layer(DefaultBodyLimit::max(authoring::MAX_EXHIBIT_REQUEST_BYTES)),
        )
        .route("/curate/exhibits/new", get(authoring::new_exhibit))
        .route("/curate/exhibits/{id}", get(authoring::edit_exhibit))
        .route("/statistics", get(statistics::show))
        .route("/events", get(memory::list_events))
        .route("/events/{id}", get(memory::show_event))
        .route("/memorials", get(memory::list_memorials))
        .route("/memorials/{id}", get(memory::show_memorial))
        .route("/exhibitions/{id}", get(pages::show_exhibition))
        .route("/exhibits/{id}", get(pages::show_exhibit))
        .route("/media/{id}", get(pages::show_media))
        .route("/iiif/3/manifests/{id}", get(manifest::show))
        .route("/iiif/3/{id}", get(iiif::base))
        .route("/iiif/3/{id}/info.json", get(iiif::info))
        .route(
            "/iiif/3/{id}/{region}/{size}/{rotation}/{quality}",
            get(iiif::image),
        )
        .route("/static/style.css", get(assets::stylesheet))
        .route("/static/viewer.js", get(assets::viewer))
        .route("/static/icon.svg", get(assets::icon))
        .route("/favicon.ico", get(assets::icon))
        .route("/static/openseadragon.min.js", get(assets::openseadragon))
        .route("/oai", get(oai::handle).post(oai::handle))
        .route("/export/records.csv", get(export::download_records))
        .route("/export/persons.jsonl", get(export::download_persons))
        .route("/health", get(pages::health));
    let api = Router::new()
        .route("/api/v1/search", get(api::search))
        .route("/api/v1/persons/{id}", get(api::show_person))
        .route("/api/v1/exhibitions", get(api::list_exhibitions))
        .route("/api/v1/exhibitions/{id}", get(api::show_exhibition))
        .route("/api/v1/exhibits/{id}", get(api::show_exhibit))
        .route("/api/v1/stats", get(stats_api::stats))
        .route("/api/v1/stats/timeline", get(stats_api::timeline))
        .route("/api/v1/stats/figures", get(stats_api::figures))
        .route("/api/v1/events", get(memory::api_events))
        .route("/api/v1/events/{id}", get(memory::api_event))
        .route("/api/v1/memorials", get(memory::api_memorials))
        .route("/api/v1/memorials/{id}", get(memory::api_memorial))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/docs", get(openapi::show_docs));
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    site.merge(api)
        .fallback(pages::not_found)
        // A client that sends its body slower than this holds a connection for nothing.
        .layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        // Inside the error renderer, so that a caught panic is answered like any other 500.
        .layer(CatchPanicLayer::new())
        .layer(middleware::from_fn(error::render_errors))
        .layer(middleware::from_fn(i18n::remember_language))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            accounts::attach_session,
        ))
        .layer(header(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
