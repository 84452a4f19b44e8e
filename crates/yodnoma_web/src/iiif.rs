//! IIIF Image API 3.0, level 2, at `/iiif/3/{id}/...`: `info.json` describing an image and its
//! tiles, and any region, size, rotation, quality and format of it, rendered from its tile
//! pyramid on a blocking thread. Images are immutable, so every answer is cached for good and
//! carries an ETag; every answer may be read from any origin (CORS).

use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use axum::body::Bytes;
use lru::LruCache;

use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use yodnoma_core::{Action, Image, ImageId};
use yodnoma_media::Pyramid;
use yodnoma_media::iiif::{ImageRequest, MAX_AREA, MAX_OUTPUT_SIDE, RenderError};
use yodnoma_media::pyramid::{TILE, level_sizes};

use crate::accounts::SignedIn;
use crate::{AppState, WebError};

const CONTEXT: &str = "http://iiif.io/api/image/3/context.json";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// A family's photo may be withdrawn (its story deleted): asked again each time, never kept
/// by shared caches.
const WITHDRAWABLE: &str = "private, no-cache";

/// Renders running at once.
/// A request refused: 501 when the API defines it and this server does not serve it, else 400.
fn refused(e: yodnoma_media::iiif::RequestError) -> WebError {
    if e.unsupported {
        WebError::NotImplemented(e.to_string())
    } else {
        WebError::BadRequest(e.to_string())
    }
}

static RENDERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);
/// Renders waiting for their turn. Past this many, a request is told to come back instead of
/// queueing: a few cheap requests for large renders would otherwise hold the queue for long.
const RENDERS_WAITING: usize = 64;
static WAITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A place in the queue of renders, given back when dropped.
struct InQueue;

impl InQueue {
    fn join() -> Option<Self> {
        use std::sync::atomic::Ordering;
        let before = WAITING.fetch_add(1, Ordering::AcqRel);
        if before >= RENDERS_WAITING {
            WAITING.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(InQueue)
    }
}

impl Drop for InQueue {
    fn drop(&mut self) {
        WAITING.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Bytes of rendered images kept for later requests.
pub const RENDERS_KEPT_BYTES: usize = 64 * 1024 * 1024;

/// Images rendered for earlier requests, kept for the next: an exhibition page asks every
/// visitor for the same sizes of its images, and each is a render of tens of milliseconds
/// (tiles decoded, scaled, encoded). Stored tiles are read as they are and not kept here (the
/// operating system's cache holds their files). Images never change, so nothing is ever
/// stale; the least recently used go first once the bytes kept pass the bound.
pub struct Renders {
    kept: Mutex<(LruCache<String, Bytes>, usize)>,
    most: usize,
}

impl std::fmt::Debug for Renders {
    // The bytes kept are no one's business in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renders")
            .field("most", &self.most)
            .finish_non_exhaustive()
    }
}

impl Renders {
    pub fn new(most: usize) -> Self {
        Self {
            kept: Mutex::new((LruCache::unbounded(), 0)),
            most,
        }
    }

    fn get(&self, key: &str) -> Option<Bytes> {
        let mut kept = self.kept.lock().ok()?;
        kept.0.get(key).cloned()
    }

    fn keep(&self, key: String, bytes: Bytes) {
        // The request's path counts too: a path padded with zeros renders a tiny image.
        let size = key.len() + bytes.len();
        // An answer larger than an eighth of the bound would push out too many others.
        if size > self.most / 8 {
            return;
        }
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        let (list, total) = &mut *kept;
        *total += size;
        let key_bytes = key.len();
        if let Some(old) = list.put(key, bytes) {
            *total -= key_bytes + old.len();
        }
        while *total > self.most {
            match list.pop_lru() {
                Some((key, old)) => *total -= key.len() + old.len(),
                None => break,
            }
        }
    }
}

fn not_found(id: &str) -> WebError {
    WebError::NotFound(format!("image {id} not found"))
}

/// The image and its pyramid, or a 404 for an id that is not a raster image. Whether the
/// pyramid is built is asked of the storage on a blocking thread by each caller: the image
/// route asks it on the thread that reads the tiles, saving a second hop per tile.
async fn load(state: &AppState, id: &str, signed: &SignedIn) -> Result<(Image, Pyramid), WebError> {
    let image_id = ImageId::parse(id).map_err(|_| not_found(id))?;
    // A family's photo is shown once its story is approved (and while it is not deleted), to
    // those who moderate it, and to whoever sent it: until then it is as if it did not exist.
    if image_id.is_family_photo() {
        let shown = match &signed.0 {
            Some(session) if session.user.role.may(Action::Moderate) => true,
            session => {
                state
                    .store
                    .family_photo_shown(&image_id, session.as_ref().map(|s| s.user.id))
                    .await?
            }
        };
        if !shown {
            return Err(not_found(id));
        }
    }
    let image = state
        .store
        .image(&image_id)
        .await?
        .ok_or_else(|| not_found(id))?;
    // Placeholders are drawings (SVG), not rasters.
    if image.placeholder {
        return Err(not_found(id));
    }
    let pyramid = state.media.pyramid(&image_id, image.width, image.height);
    Ok((image, pyramid))
}

/// `scheme://host` as the client addressed the server: the `id` of `info.json` must equal the
/// URL it was requested at.
pub fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

fn etag(parts: &[&str]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

fn with_common_headers(mut response: Response, tag: &str, image: &ImageId) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    let cache = if image.is_family_photo() {
        WITHDRAWABLE
    } else {
        IMMUTABLE
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(tag) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, tag);
    }
    response
}

/// `GET /iiif/3/{id}`: the image's description is at `info.json`.
pub async fn base(Path(id): Path<String>) -> Result<Response, WebError> {
    // Only an id can go into the redirect's header.
    let id = ImageId::parse(&id)
        .map_err(|_| WebError::NotFound("no image has such an id".to_owned()))?;
    let mut response = Redirect::to(&format!("/iiif/3/{id}/info.json")).into_response();
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    Ok(response)
}

/// `GET /iiif/3/{id}/info.json`.
pub async fn info(
    State(state): State<AppState>,
    Extension(signed): Extension<SignedIn>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (image, pyramid) = load(&state, &id, &signed).await?;
    let complete = tokio::task::spawn_blocking(move || pyramid.is_complete())
        .await
        .map_err(|e| WebError::Internal(format!("image task: {e}")))?
        .map_err(|e| WebError::Internal(format!("media storage: {e}")))?;
    // A pyramid not yet built is not served.
    if !complete {
        return Err(not_found(&id));
    }
    let base = format!("{}/iiif/3/{}", origin(&headers), image.id);
    let levels = level_sizes(image.width, image.height);
    let body = json!({
        "@context": CONTEXT,
        "id": base,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "width": image.width,
        "height": image.height,
        "maxArea": MAX_AREA,
        "maxWidth": MAX_OUTPUT_SIDE,
        "maxHeight": MAX_OUTPUT_SIDE,
        "sizes": levels
            .iter()
            .rev()
            .filter(|(w, h)| u64::from(*w) * u64::from(*h) <= MAX_AREA && *w <= MAX_OUTPUT_SIDE && *h <= MAX_OUTPUT_SIDE)
            .map(|(w, h)| json!({"width": w, "height": h}))
            .collect::<Vec<_>>(),
        "tiles": [{
            "width": TILE,
            "height": TILE,
            "scaleFactors": (0..levels.len()).map(|k| 1u32 << k).collect::<Vec<_>>(),
        }],
        "extraQualities": ["color", "gray", "bitonal"],
        "extraFormats": ["webp"],
        "extraFeatures": [
            "baseUriRedirect", "cors", "jsonldMediaType", "mirroring",
            "profileLinkHeader", "regionByPct", "regionByPx", "regionSquare", "rotationBy90s",
            "sizeByConfinedWh", "sizeByH", "sizeByPct", "sizeByW", "sizeByWh", "sizeUpscaling",
        ],
    });
    let wants_ld = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/ld+json"));
    let media_type = if wants_ld {
        "application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\""
    } else {
        "application/json"
    };
    let tag = etag(&[&base, media_type]);
    if not_modified(&headers, &tag) {
        return Ok(with_common_headers(
            StatusCode::NOT_MODIFIED.into_response(),
            &tag,
            &image.id,
        ));
    }
    let mut response = ([(header::CONTENT_TYPE, media_type)], body.to_string()).into_response();
    response.headers_mut().insert(
        header::LINK,
        HeaderValue::from_static("<http://iiif.io/api/image/3/level2.json>;rel=\"profile\""),
    );
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(with_common_headers(response, &tag, &image.id))
}

/// `GET /iiif/3/{id}/{region}/{size}/{rotation}/{quality}.{format}`.
pub async fn image(
    State(state): State<AppState>,
    Extension(signed): Extension<SignedIn>,
    headers: HeaderMap,
    Path((id, region, size, rotation, quality_format)): Path<(
        String,
        String,
        String,
        String,
        String,
    )>,
) -> Result<Response, WebError> {
    // The request is read before the image is looked up: a malformed one is a 400 whatever
    // the id.
    let request =
        ImageRequest::parse(&region, &size, &rotation, &quality_format).map_err(refused)?;
    let (image, pyramid) = load(&state, &id, &signed).await?;
    request
        .resolve(image.width, image.height)
        .map_err(refused)?;
    let tag = etag(&[
        image.id.as_str(),
        &region,
        &size,
        &rotation,
        &quality_format,
    ]);
    if not_modified(&headers, &tag) {
        return Ok(with_common_headers(
            StatusCode::NOT_MODIFIED.into_response(),
            &tag,
            &image.id,
        ));
    }
    let media_type = request.format.media_type();
    let key = format!("{}/{region}/{size}/{rotation}/{quality_format}", image.id);
    let bytes = match state.renders.get(&key) {
        Some(bytes) => bytes,
        None => {
            // Renders hold a region and its result in memory: a few at a time, the rest wait.
            let queued = InQueue::join().ok_or_else(|| {
                WebError::Unavailable(
                    "too many images are being drawn at once; try again in a moment".to_owned(),
                )
            })?;
            let permit = RENDERS
                .acquire()
                .await
                .map_err(|e| WebError::Internal(format!("render queue: {e}")))?;
            drop(queued);
            let rendered = tokio::task::spawn_blocking(move || {
                // Held by the render, not the request: a client that goes away does not free
                // its place while its render goes on.
                let _permit = permit;
                // A pyramid not yet built is not served.
                if !pyramid.is_complete()? {
                    return Ok(None);
                }
                let tile = request.is_stored_tile(&pyramid);
                request.render(&pyramid).map(|bytes| Some((bytes, tile)))
            })
            .await
            .map_err(|e| WebError::Internal(format!("rendering task: {e}")))?
            .map_err(|e| match e {
                RenderError::Request(e) => refused(e),
                other => WebError::Internal(format!("image {}: {other}", image.id)),
            })?;
            let (bytes, tile) = rendered.ok_or_else(|| not_found(&id))?;
            let bytes = Bytes::from(bytes);
            if !tile {
                state.renders.keep(key, bytes.clone());
            }
            bytes
        }
    };
    let mut response = ([(header::CONTENT_TYPE, media_type)], bytes).into_response();
    response.headers_mut().insert(
        header::LINK,
        HeaderValue::from_static("<http://iiif.io/api/image/3/level2.json>;rel=\"profile\""),
    );
    Ok(with_common_headers(response, &tag, &image.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_of_renders_turns_away_requests_past_its_length() {
        let queue: Vec<InQueue> = (0..RENDERS_WAITING)
            .filter_map(|_| InQueue::join())
            .collect();
        assert_eq!(queue.len(), RENDERS_WAITING);
        assert!(InQueue::join().is_none());
        drop(queue);
        assert!(InQueue::join().is_some());
    }

    #[test]
    fn renders_are_kept_within_their_bytes_least_recently_used_first_out() {
        let renders = Renders::new(1000);
        // Each answer and its two-letter path take 100 bytes.
        let bytes = |n: usize| Bytes::from(vec![7u8; n]);
        renders.keep("aa".into(), bytes(98));
        renders.keep("bb".into(), bytes(98));
        // Too large for a cache of this size: not kept, nothing pushed out.
        renders.keep("huge".into(), bytes(122));
        assert!(renders.get("huge").is_none());
        for n in 0..8 {
            renders.keep(format!("c{n}"), bytes(98));
        }
        // 1,000 bytes hold ten answers of 100: all are there.
        assert!(renders.get("aa").is_some() && renders.get("c7").is_some());
        // `aa` was used just now, so the next one pushes out `bb`, the least recently used.
        renders.keep("dd".into(), bytes(98));
        assert!(renders.get("bb").is_none());
        assert_eq!(renders.get("aa").map(|b| b.len()), Some(98));
        // The same key again replaces its answer and its bytes.
        renders.keep("dd".into(), bytes(50));
        assert_eq!(renders.get("dd").map(|b| b.len()), Some(50));
        // A long path counts: it pushes answers out as their bytes would.
        renders.keep("p".repeat(120), bytes(1));
        let Ok(kept) = renders.kept.lock() else {
            panic!("poisoned")
        };
        let held: usize = kept.0.iter().map(|(k, b)| k.len() + b.len()).sum();
        assert_eq!(kept.1, held);
        assert!(kept.1 <= 1000);
    }
}
