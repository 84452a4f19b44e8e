//! Keeping the search index in step with the store: after an import, on `yodnoma reindex`, and
//! on start when the index does not match the store (an interrupted import, an upgrade).

use std::time::Instant;

use anyhow::Context;
use yodnoma_db::{DbError, PersonScope, Store};
use yodnoma_search::{Indexer, SearchError, SearchIndex};

/// What an indexing run did.
#[derive(Debug, Clone, Copy)]
pub struct Indexed {
    pub persons: u64,
    pub seconds: f64,
}

impl Indexed {
    pub fn per_second(&self) -> f64 {
        self.persons as f64 / self.seconds.max(1e-9)
    }
}

/// Either side of indexing can fail; the visitor of the store's stream needs one error type.
#[derive(Debug, thiserror::Error)]
enum IndexingError {
    #[error(transparent)]
    Store(#[from] DbError),
    #[error(transparent)]
    Index(#[from] SearchError),
}

async fn index_scope(
    store: &Store,
    indexer: &mut Indexer,
    scope: PersonScope,
) -> anyhow::Result<Indexed> {
    let started = Instant::now();
    let persons = store
        .each_person(scope, |person| {
            indexer.put(&person)?;
            Ok::<_, IndexingError>(())
        })
        .await?;
    Ok(Indexed {
        persons,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Indexes the persons an import wrote records of.
pub async fn index_batch(
    store: &Store,
    index: &SearchIndex,
    batch: i64,
) -> anyhow::Result<Indexed> {
    let mut indexer = index.writer()?;
    let indexed = index_scope(store, &mut indexer, PersonScope::Batch(batch)).await?;
    indexer.commit()?;
    Ok(indexed)
}

/// Rebuilds the index from every person of the store. Searches see the old index until the
/// new one is committed.
pub async fn rebuild(store: &Store, index: &SearchIndex) -> anyhow::Result<Indexed> {
    let mut indexer = index.writer()?;
    indexer.clear()?;
    let started = Instant::now();
    let mut indexed = index_scope(store, &mut indexer, PersonScope::All).await?;
    tokio::task::spawn_blocking(move || indexer.finish())
        .await
        .context("the indexing task failed")??;
    indexed.seconds = started.elapsed().as_secs_f64();
    Ok(indexed)
}

/// Rebuilds the index when it does not hold the store's persons.
pub async fn ensure_current(store: &Store, index: &SearchIndex) -> anyhow::Result<()> {
    let persons = u64::try_from(store.person_count().await?).unwrap_or(0);
    if index.is_current(persons) {
        return Ok(());
    }
    tracing::info!(
        persons,
        indexed = index.person_count(),
        "the search index does not match the store; rebuilding it"
    );
    let indexed = rebuild(store, index).await?;
    tracing::info!(
        persons = indexed.persons,
        seconds = indexed.seconds,
        "search index rebuilt"
    );
    Ok(())
}
