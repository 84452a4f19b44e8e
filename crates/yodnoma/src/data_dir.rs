//! The data directory: the embedded database, the media store and the search index.

use std::path::{Path, PathBuf};

use anyhow::Context;
use yodnoma_db::Store;
use yodnoma_media::Media;
use yodnoma_search::SearchIndex;

#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// Opens the directory, creating it on first use.
    pub fn create(root: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(root)
            .with_context(|| format!("cannot create the data directory {}", root.display()))?;
        Ok(Self {
            root: root.to_owned(),
        })
    }

    /// Opens a directory that holds a store already: for the commands that read one (a
    /// backup of a mistyped directory would otherwise be a valid backup of nothing).
    pub fn existing(root: &Path) -> anyhow::Result<Self> {
        let data = Self {
            root: root.to_owned(),
        };
        if !data.database().is_file() {
            anyhow::bail!(
                "{} holds no yodnoma database ({} is missing): check --data-dir or \
                 YODNOMA_DATA_DIR",
                root.display(),
                data.database().display()
            );
        }
        Ok(data)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database(&self) -> PathBuf {
        self.root.join("yodnoma.db")
    }

    pub fn media(&self) -> Media {
        Media::local(self.root.join("media"))
    }

    pub fn index_dir(&self) -> PathBuf {
        self.root.join("index")
    }

    pub fn open_index(&self) -> anyhow::Result<SearchIndex> {
        SearchIndex::open(&self.index_dir()).with_context(|| {
            format!(
                "cannot open the search index {}",
                self.index_dir().display()
            )
        })
    }

    pub async fn open_store(&self) -> anyhow::Result<Store> {
        Store::open(&self.database())
            .await
            .with_context(|| format!("cannot open the database {}", self.database().display()))
    }
}
