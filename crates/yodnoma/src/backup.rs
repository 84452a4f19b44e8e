//! `yodnoma backup FILE` and `yodnoma restore FILE`: the whole installation in one tar file,
//! taken while the server runs, and brought back into an empty data directory.
//!
//! A backup holds a consistent copy of the database (SQLite's `VACUUM INTO`, a snapshot even
//! while imports write), every original image, and `manifest.json` listing each file with its
//! size and SHA-256. Tiles and the search index are left out: both are derived, and a restore
//! rebuilds them. A restore unpacks into a folder beside the data directory, checks every file
//! against the manifest (a truncated or altered backup is refused, naming what failed), and only
//! then moves the files into place: nothing is ever half restored.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use yodnoma_core::ImageId;

use crate::data_dir::DataDir;

const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "yodnoma.db";
const ORIGINALS: &str = "media/originals";
const FORMAT: &str = "yodnoma-backup-1";

#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest {
    format: String,
    created_at: String,
    files: BTreeMap<String, FileEntry>,
}

#[derive(serde::Serialize, serde::Deserialize, PartialEq, Eq, Debug)]
struct FileEntry {
    bytes: u64,
    sha256: String,
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a backup held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupSummary {
    pub images: usize,
    pub bytes: u64,
}

/// Writes the backup of `data` to `file` (refusing to overwrite one).
pub async fn backup(data: &DataDir, file: &Path) -> anyhow::Result<BackupSummary> {
    if file.exists() {
        bail!(
            "{} exists already; a backup never overwrites a file",
            file.display()
        );
    }
    let store = data.open_store().await?;
    let work = tempfile::Builder::new()
        .prefix(".yodnoma-backup-")
        .tempdir_in(
            file.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        )
        .with_context(|| format!("cannot write beside {}", file.display()))?;
    let snapshot = work.path().join(DATABASE);
    let taken = store.snapshot_to(&snapshot).await;
    store.close().await;
    taken.context("cannot take a snapshot of the database")?;

    // Originals are written before the database describes them, so every image of the
    // snapshot has its original on disk now.
    let originals = data.root().join(ORIGINALS);
    let mut files: Vec<(String, PathBuf)> = vec![(DATABASE.to_owned(), snapshot.clone())];
    if originals.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(&originals)?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .collect();
        // Only what restore takes back: a file put there by hand would make the whole backup
        // one that cannot be restored.
        names.retain(|name| {
            let image = ImageId::parse(name).is_ok();
            if !image {
                tracing::warn!(file = %originals.join(name).display(), "not an image of the store; left out of the backup");
            }
            image
        });
        names.sort();
        for name in names {
            files.push((format!("{ORIGINALS}/{name}"), originals.join(&name)));
        }
    }
    let partial = work.path().join("backup.tar");
    let mut manifest = Manifest {
        format: FORMAT.to_owned(),
        created_at: yodnoma_db::now(),
        files: BTreeMap::new(),
    };
    let mut total = 0;
    {
        let mut tar = tar::Builder::new(BufWriter::new(private_file(&partial)?));
        for (name, path) in &files {
            let entry = checksum(path)?;
            total += entry.bytes;
            tar.append_path_with_name(path, name)
                .with_context(|| format!("cannot add {name} to the backup"))?;
            manifest.files.insert(name.clone(), entry);
        }
        let json = serde_json::to_vec_pretty(&manifest)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, MANIFEST, &json[..])?;
        durable(tar.into_inner()?)?;
    }
    // Only a complete backup takes the name asked for.
    std::fs::rename(&partial, file).with_context(|| format!("cannot write {}", file.display()))?;
    sync_dir(
        file.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )?;
    Ok(BackupSummary {
        images: files.len() - 1,
        bytes: total,
    })
}

fn checksum(path: &Path) -> anyhow::Result<FileEntry> {
    let mut file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    let mut bytes = 0;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    Ok(FileEntry {
        bytes,
        sha256: hex(&hasher.finalize()),
    })
}

/// Where an entry of the archive may go: the database, the manifest, or an original whose name
/// is an image id. Anything else (`../`, absolute paths, links) is refused.
fn allowed(name: &str) -> bool {
    name == MANIFEST
        || name == DATABASE
        || name
            .strip_prefix(ORIGINALS)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|id| ImageId::parse(id).is_ok())
}

/// Restores the backup in `file` into `data`, which must hold no database yet.
pub fn restore(data_root: &Path, file: &Path) -> anyhow::Result<BackupSummary> {
    restore_checked(data_root, file).map_err(|e| {
        let message = format!("{e:#}");
        if message.contains("nothing was restored") {
            e
        } else {
            anyhow::anyhow!("{message}; nothing was restored")
        }
    })
}

fn restore_checked(data_root: &Path, file: &Path) -> anyhow::Result<BackupSummary> {
    let shown = file.display();
    // The journal of a database removed by hand would be replayed onto the restored one.
    for leftover in ["", "-wal", "-shm", "-journal"] {
        let path = data_root.join(format!("{DATABASE}{leftover}"));
        if path.exists() {
            bail!(
                "{} holds {} already; restore into an empty data directory",
                data_root.display(),
                path.file_name().unwrap_or_default().to_string_lossy()
            );
        }
    }
    std::fs::create_dir_all(data_root)
        .with_context(|| format!("cannot create {}", data_root.display()))?;
    // A restore stopped by force (a kill, a power cut) left its unpacked files: no database
    // was moved into place yet, so they are nobody's.
    for entry in std::fs::read_dir(data_root)?.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(".yodnoma-restore-")
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let archive = File::open(file).with_context(|| format!("cannot read {shown}"))?;
    let work = tempfile::Builder::new()
        .prefix(".yodnoma-restore-")
        .tempdir_in(data_root)
        .with_context(|| format!("cannot write into {}", data_root.display()))?;
    let mut found: BTreeMap<String, FileEntry> = BTreeMap::new();
    let mut manifest: Option<Manifest> = None;
    let mut tar = tar::Archive::new(archive);
    for entry in tar
        .entries()
        .with_context(|| format!("{shown}: not a backup"))?
    {
        let mut entry = entry.with_context(|| format!("{shown}: the archive is damaged"))?;
        let name = entry
            .path()
            .with_context(|| format!("{shown}: an entry has no readable name"))?
            .to_string_lossy()
            .into_owned();
        if !entry.header().entry_type().is_file() || !allowed(&name) {
            bail!("{shown}: {name:?} is not part of a yodnoma backup; nothing was restored");
        }
        if name == MANIFEST {
            let mut json = Vec::new();
            entry
                .read_to_end(&mut json)
                .with_context(|| format!("{shown}: the manifest is cut short"))?;
            manifest = Some(
                serde_json::from_slice(&json)
                    .with_context(|| format!("{shown}: the manifest cannot be read"))?,
            );
            continue;
        }
        let target = work.path().join(&name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut out = BufWriter::new(private_file(&target)?);
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 1 << 16];
        let mut bytes = 0;
        loop {
            let n = entry
                .read(&mut buffer)
                .with_context(|| format!("{shown}: {name} is cut short; nothing was restored"))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            out.write_all(&buffer[..n])?;
            bytes += n as u64;
        }
        durable(out)?;
        found.insert(
            name,
            FileEntry {
                bytes,
                sha256: hex(&hasher.finalize()),
            },
        );
    }
    let manifest = manifest.with_context(|| {
        format!("{shown}: the backup has no manifest (cut short?); nothing was restored")
    })?;
    if manifest.format != FORMAT {
        bail!("{shown}: format {:?} is not {FORMAT}", manifest.format);
    }
    for (name, expected) in &manifest.files {
        match found.get(name) {
            None => bail!("{shown}: {name} is missing; nothing was restored"),
            Some(got) if got != expected => bail!(
                "{shown}: {name} does not match its checksum ({} bytes, sha256 {}; the manifest \
                 says {} bytes, {}); nothing was restored",
                got.bytes,
                got.sha256,
                expected.bytes,
                expected.sha256
            ),
            Some(_) => {}
        }
    }
    if let Some(extra) = found.keys().find(|n| !manifest.files.contains_key(*n)) {
        bail!("{shown}: {extra} is not in the manifest; nothing was restored");
    }
    if !found.contains_key(DATABASE) {
        bail!("{shown}: the backup has no database; nothing was restored");
    }

    // Everything checked, the targets too: into place, originals first, the database last.
    let originals = data_root.join(ORIGINALS);
    let unpacked = work.path().join(ORIGINALS);
    let mut moves = Vec::new();
    if unpacked.is_dir() {
        for entry in std::fs::read_dir(&unpacked)? {
            let entry = entry?;
            let target = originals.join(entry.file_name());
            if target.exists() {
                // Moved there by a restore of this backup that was stopped before the
                // database: the same bytes may stay; anything else is not this backup's.
                let name = format!("{ORIGINALS}/{}", entry.file_name().to_string_lossy());
                if manifest.files.get(&name) == Some(&checksum(&target)?) {
                    continue;
                }
                bail!(
                    "{} exists already; restore into an empty data directory",
                    target.display()
                );
            }
            moves.push((entry.path(), target));
        }
    }
    std::fs::create_dir_all(&originals)?;
    let images = manifest
        .files
        .keys()
        .filter(|name| name.starts_with(&format!("{ORIGINALS}/")))
        .count();
    for (from, to) in moves {
        std::fs::rename(from, to)?;
    }
    sync_dir(&originals)?;
    if let Some(media) = originals.parent() {
        sync_dir(media)?;
    }
    std::fs::rename(work.path().join(DATABASE), data_root.join(DATABASE))?;
    sync_dir(data_root)?;
    Ok(BackupSummary {
        images,
        bytes: manifest.files.values().map(|f| f.bytes).sum(),
    })
}

/// Writes out what `out` buffers and waits until the disk holds it: a file is renamed into
/// place only once its contents would survive a power cut.
fn durable(out: BufWriter<File>) -> anyhow::Result<()> {
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(())
}

/// Waits until the disk holds the renames made in `dir`.
fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot sync {}", dir.display()))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// A new file only its owner may read: a backup and a restored database hold the accounts'
/// password hashes and the families' contact details.
fn private_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
