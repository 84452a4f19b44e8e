//! Where the bytes of media live: a flat space of keys such as `originals/{id}` and
//! `tiles/{id}/3/0_1.jpg`, behind a small trait, so that an S3-compatible bucket can take the
//! place of the local folder without the rest of the code knowing.
//!
//! The trait is blocking, as the pyramid is read and written on blocking threads anyway; an
//! object store's client can answer it from such a thread as well as a file system can.

use std::io::{self, ErrorKind, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A store of immutable originals and of derivatives that may be rebuilt.
pub trait Storage: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` under `key` unless something is stored there already, atomically: no
    /// reader sees half of it, and of two writers at once only one succeeds. An original,
    /// once stored, is never replaced.
    fn create(&self, key: &str, bytes: &[u8]) -> Result<(), CreateError>;

    /// Stores `bytes` under `key`, replacing what was there (a derivative), atomically.
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()>;

    /// The bytes under `key`, or `None` if nothing is stored there.
    fn get(&self, key: &str) -> io::Result<Option<Vec<u8>>>;

    /// Whether something is stored under `key`.
    fn exists(&self, key: &str) -> io::Result<bool>;

    /// Removes everything whose key starts with `prefix` followed by `/`.
    fn remove_all(&self, prefix: &str) -> io::Result<()>;

    /// Removes what is stored under `key`, if anything. Only to undo a store that failed half
    /// way: an original whose image turned out not to decode to its end, before anything
    /// referred to it.
    fn remove(&self, key: &str) -> io::Result<()>;
}

/// Why [`Storage::create`] stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("something is stored under {0} already")]
    Exists(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Media as files under one folder, a key's slashes its subfolders.
#[derive(Debug, Clone)]
pub struct LocalFiles {
    root: PathBuf,
}

impl LocalFiles {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The file of `key`. Keys are made by this crate from validated ids, but a key that could
    /// leave the folder (`..`, an absolute path) is refused all the same.
    fn path(&self, key: &str) -> io::Result<PathBuf> {
        let relative = Path::new(key);
        let plain = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if key.is_empty() || !plain {
            return Err(io::Error::new(
                ErrorKind::InvalidInput,
                format!("media key {key:?} is not a plain relative path"),
            ));
        }
        Ok(self.root.join(relative))
    }

    /// Writes `bytes` to a new file beside `path`, to take its place after. Its name is unique
    /// to this process (its id) and to this write (a counter), so two writers never share it.
    fn write_temporary(path: &Path, bytes: &[u8], durable: bool) -> io::Result<PathBuf> {
        static WRITES: AtomicU64 = AtomicU64::new(0);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = path.with_file_name(format!(
            ".{name}.{}.{}.partial",
            std::process::id(),
            WRITES.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temporary)?;
            file.write_all(bytes)?;
            if durable {
                file.sync_all()?;
            }
            Ok(())
        })();
        match written {
            Ok(()) => Ok(temporary),
            Err(e) => {
                let _ = std::fs::remove_file(&temporary);
                Err(e)
            }
        }
    }
}

impl Storage for LocalFiles {
    fn create(&self, key: &str, bytes: &[u8]) -> Result<(), CreateError> {
        let path = self.path(key)?;
        // An original is synced before it is linked: once stored, it survives a power cut.
        let temporary = Self::write_temporary(&path, bytes, true)?;
        // A hard link fails when the name is taken, where a rename would replace it.
        let linked = std::fs::hard_link(&temporary, &path);
        // The original is stored once linked: a temporary name left behind is only untidy.
        let _ = std::fs::remove_file(&temporary);
        match linked {
            Ok(()) => {
                // And its name too: the directory's entry is what a power cut could lose.
                if let Some(dir) = path.parent() {
                    std::fs::File::open(dir)?.sync_all()?;
                }
                Ok(())
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                Err(CreateError::Exists(key.to_owned()))
            }
            Err(e) => Err(e.into()),
        }
    }

    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(key)?;
        // Derivatives are rebuilt from the originals, so not synced: a tile cut short by a
        // power cut is written again by `yodnoma retile`.
        let temporary = Self::write_temporary(&path, bytes, false)?;
        std::fs::rename(&temporary, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    }

    fn get(&self, key: &str) -> io::Result<Option<Vec<u8>>> {
        match std::fs::read(self.path(key)?) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn exists(&self, key: &str) -> io::Result<bool> {
        self.path(key)?.try_exists()
    }

    fn remove_all(&self, prefix: &str) -> io::Result<()> {
        match std::fs::remove_dir_all(self.path(prefix)?) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn remove(&self, key: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path(key)?) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    use super::*;

    /// Storage in memory: a second implementation, to show that nothing above the trait
    /// assumes files.
    #[derive(Debug, Default)]
    pub(crate) struct InMemory(Mutex<BTreeMap<String, Vec<u8>>>);

    impl InMemory {
        fn map(&self) -> io::Result<std::sync::MutexGuard<'_, BTreeMap<String, Vec<u8>>>> {
            self.0.lock().map_err(|_| io::Error::other("poisoned"))
        }

        pub(crate) fn keys(&self) -> Vec<String> {
            self.map()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        }
    }

    impl Storage for InMemory {
        fn create(&self, key: &str, bytes: &[u8]) -> Result<(), CreateError> {
            let mut map = self.map()?;
            if map.contains_key(key) {
                return Err(CreateError::Exists(key.to_owned()));
            }
            map.insert(key.to_owned(), bytes.to_vec());
            Ok(())
        }
        fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
            self.map()?.insert(key.to_owned(), bytes.to_vec());
            Ok(())
        }
        fn get(&self, key: &str) -> io::Result<Option<Vec<u8>>> {
            Ok(self.map()?.get(key).cloned())
        }
        fn exists(&self, key: &str) -> io::Result<bool> {
            Ok(self.map()?.contains_key(key))
        }
        fn remove_all(&self, prefix: &str) -> io::Result<()> {
            let folder = format!("{prefix}/");
            self.map()?.retain(|key, _| !key.starts_with(&folder));
            Ok(())
        }
        fn remove(&self, key: &str) -> io::Result<()> {
            self.map()?.remove(key);
            Ok(())
        }
    }

    /// Storage that keeps originals but cannot store a derivative: a full disk, for tiles.
    #[derive(Debug, Default)]
    pub(crate) struct DerivativesFail(pub(crate) InMemory);

    impl Storage for DerivativesFail {
        fn create(&self, key: &str, bytes: &[u8]) -> Result<(), CreateError> {
            self.0.create(key, bytes)
        }
        fn put(&self, _: &str, _: &[u8]) -> io::Result<()> {
            Err(io::Error::other("no space left on device"))
        }
        fn get(&self, key: &str) -> io::Result<Option<Vec<u8>>> {
            self.0.get(key)
        }
        fn exists(&self, key: &str) -> io::Result<bool> {
            self.0.exists(key)
        }
        fn remove_all(&self, prefix: &str) -> io::Result<()> {
            self.0.remove_all(prefix)
        }
        fn remove(&self, key: &str) -> io::Result<()> {
            self.0.remove(key)
        }
    }

    #[test]
    fn local_files_keep_originals_and_replace_derivatives() -> Result<(), CreateError> {
        let dir = tempfile::tempdir()?;
        let files = LocalFiles::new(dir.path());
        files.create("originals/a", b"first")?;
        assert!(matches!(
            files.create("originals/a", b"second"),
            Err(CreateError::Exists(key)) if key == "originals/a"
        ));
        assert_eq!(files.get("originals/a")?.as_deref(), Some(&b"first"[..]));
        files.put("tiles/a/0/0_0.jpg", b"one")?;
        files.put("tiles/a/0/0_0.jpg", b"two")?;
        assert_eq!(
            files.get("tiles/a/0/0_0.jpg")?.as_deref(),
            Some(&b"two"[..])
        );
        assert!(files.exists("tiles/a/0/0_0.jpg")?);
        files.remove_all("tiles/a")?;
        assert!(!files.exists("tiles/a/0/0_0.jpg")?);
        assert_eq!(files.get("originals/b")?, None);
        // Nothing but the stored files is left in the folder: no temporary file behind.
        let mut left: Vec<_> = walk(dir.path());
        left.sort();
        assert_eq!(left, vec![dir.path().join("originals/a")]);
        for bad in ["", "../escape", "/etc/passwd", "tiles/../../x"] {
            assert!(files.get(bad).is_err(), "{bad:?}");
            assert!(files.put(bad, b"x").is_err(), "{bad:?}");
        }
        Ok(())
    }

    #[test]
    fn of_writers_of_one_original_at_once_one_stores_it_whole() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let files = LocalFiles::new(dir.path());
        let bodies: Vec<Vec<u8>> = (0..8u8).map(|i| vec![i; 64 * 1024]).collect();
        let results: Vec<Result<(), CreateError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = bodies
                .iter()
                .map(|body| scope.spawn(|| files.create("originals/same", body)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(io::Error::other("panic").into()))
                })
                .collect()
        });
        let stored: Vec<usize> = (0..results.len()).filter(|i| results[*i].is_ok()).collect();
        assert_eq!(stored.len(), 1, "{results:?}");
        assert!(
            results
                .iter()
                .all(|r| r.is_ok() || matches!(r, Err(CreateError::Exists(_))))
        );
        assert_eq!(
            files.get("originals/same")?,
            Some(bodies[stored[0]].clone())
        );
        assert_eq!(walk(dir.path()).len(), 1, "no temporary file left");
        Ok(())
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
        files
    }
}
