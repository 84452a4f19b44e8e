//! Keeping the search index in step with the store: after an import, on `yodnoma reindex`, and
//! on start when the index does not match the store (an interrupted import, an upgrade).
//!
//! The store is read on the async side while a thread of its own turns persons into index
//! documents, so that reading SQLite and computing name keys overlap.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Instant;

use anyhow::{Context, anyhow};
use yodnoma_core::Person;
use yodnoma_db::{DbError, PersonScope, RecordFields, Store};
use yodnoma_search::{Indexer, SearchIndex};

/// Persons handed to the indexing thread at a time.
const BATCH: usize = 1_000;

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

/// Why the store's stream stopped: the store failed, or the indexing thread is gone (its own
/// error comes back from joining it).
#[derive(Debug, thiserror::Error)]
enum StreamError {
    #[error(transparent)]
    Store(#[from] DbError),
    #[error("the indexing thread stopped")]
    IndexerGone,
}

fn index_on_thread(
    mut indexer: Indexer,
    batches: Receiver<Vec<Person>>,
) -> anyhow::Result<Indexer> {
    for batch in batches {
        for person in &batch {
            indexer.put(person)?;
        }
    }
    Ok(indexer)
}

/// Streams the persons of `scope` into `indexer` and hands it back, changes not yet committed.
async fn index_scope(
    store: &Store,
    indexer: Indexer,
    scope: PersonScope,
) -> anyhow::Result<(Indexer, u64)> {
    let (sender, receiver): (SyncSender<Vec<Person>>, _) = sync_channel(4);
    let worker = std::thread::Builder::new()
        .name("index".to_owned())
        .spawn(move || index_on_thread(indexer, receiver))?;
    let mut batch = Vec::with_capacity(BATCH);
    let streamed = store
        .each_person(scope, RecordFields::Search, |person| {
            batch.push(person);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                sender.send(full).map_err(|_| StreamError::IndexerGone)?;
            }
            Ok::<_, StreamError>(())
        })
        .await;
    let last = if batch.is_empty() {
        Ok(())
    } else {
        sender.send(batch).map_err(|_| StreamError::IndexerGone)
    };
    drop(sender);
    let indexer = tokio::task::spawn_blocking(move || worker.join())
        .await
        .context("the indexing task failed")?
        .map_err(|_| anyhow!("the indexing thread panicked"))??;
    let persons = streamed?;
    last?;
    Ok((indexer, persons))
}

/// Indexes the persons an import wrote records of.
pub async fn index_batch(
    store: &Store,
    index: &SearchIndex,
    batch: i64,
) -> anyhow::Result<Indexed> {
    let started = Instant::now();
    let writer = {
        let index = index.clone();
        tokio::task::spawn_blocking(move || index.writer_patiently())
            .await
            .context("the indexing task failed")??
    };
    let (mut indexer, persons) = index_scope(store, writer, PersonScope::Batch(batch)).await?;
    indexer.commit()?;
    Ok(Indexed {
        persons,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Rebuilds the index from every person of the store. Searches see the old index until the
/// new one is committed.
pub async fn rebuild(store: &Store, index: &SearchIndex) -> anyhow::Result<Indexed> {
    let started = Instant::now();
    let mut indexer = {
        let index = index.clone();
        tokio::task::spawn_blocking(move || index.writer_patiently())
            .await
            .context("the indexing task failed")??
    };
    // Taken over as the writer is taken: an update that finds it taken from now on marks the
    // index again, and a change the rebuild's reading passed by is not forgotten. The mark
    // taken over goes once the rebuild is committed, and not if the process is killed first.
    index.begin_rebuild()?;
    let built = async {
        indexer.clear()?;
        let (indexer, persons) = index_scope(store, indexer, PersonScope::All).await?;
        tokio::task::spawn_blocking(move || indexer.finish())
            .await
            .context("the indexing task failed")??;
        anyhow::Ok(persons)
    }
    .await;
    let persons = match built {
        Ok(persons) => persons,
        Err(e) => {
            let _ = index.mark_stale();
            return Err(e);
        }
    };
    index.clear_stale()?;
    Ok(Indexed {
        persons,
        seconds: started.elapsed().as_secs_f64(),
    })
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
