//! `yodnoma link-csv`: the linkage engine on any two lists, or one list to deduplicate, read
//! from CSV: what an archivist needs to reconcile a museum's list with a memory book.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use yodnoma_linkage::{Dataset, Field, FieldKind, Linkage};

/// What to link and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub left: PathBuf,
    pub right: Option<PathBuf>,
    /// The column holding each record's id.
    pub id: String,
    /// The columns compared, each optionally with its kind (`surname:name`); all shared
    /// columns but the id when not given.
    pub fields: Option<Vec<String>>,
}

/// One list as read: its columns and its records.
struct List {
    path: PathBuf,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    /// The line each row begins on.
    lines: Vec<u64>,
}

fn read_list(path: &Path) -> anyhow::Result<List> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut reader =
        csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(crate::import::RecordGuard::new(
                std::io::BufReader::new(file),
                crate::import::MAX_RECORD_BYTES,
            ));
    let columns: Vec<String> = reader
        .headers()
        .with_context(|| format!("{}: cannot read the header", path.display()))?
        .iter()
        .map(|c| c.trim().to_owned())
        .collect();
    if columns.iter().all(String::is_empty) {
        bail!(
            "{} is empty: a header line and at least one record are needed",
            path.display()
        );
    }
    // A column named twice would be compared twice, its evidence counted double.
    for (i, name) in columns.iter().enumerate() {
        if name.is_empty() {
            bail!("{}: column {} has no name", path.display(), i + 1);
        }
        if columns[..i].contains(name) {
            bail!("{}: the column \"{name}\" is named twice", path.display());
        }
    }
    // The header is the first record the guard saw begin.
    reader.get_mut().next_record_line();
    let (mut rows, mut lines) = (Vec::new(), Vec::new());
    let mut row = csv::StringRecord::new();
    loop {
        let read = reader.read_record(&mut row);
        let line = reader.get_mut().next_record_line().unwrap_or_default();
        let more = read.map_err(|e| match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => anyhow::anyhow!(
                "{} line {line}: {len} fields where the header has {expected_len}",
                path.display(),
            ),
            _ => anyhow::anyhow!("{} line {line}: {e}", path.display()),
        })?;
        if !more {
            break;
        }
        rows.push(row.iter().map(str::to_owned).collect());
        lines.push(line);
    }
    reader
        .get_ref()
        .refuse_unclosed(&path.display().to_string())?;
    if rows.is_empty() {
        bail!("{} has a header but no records", path.display());
    }
    Ok(List {
        path: path.to_owned(),
        columns,
        rows,
        lines,
    })
}

impl List {
    fn column(&self, name: &str) -> anyhow::Result<usize> {
        self.columns
            .iter()
            .position(|c| c == name)
            .with_context(|| {
                format!(
                    "{} has no column {name:?}; its columns are: {}",
                    self.path.display(),
                    self.columns.join(", ")
                )
            })
    }

    /// `(id, values of columns)` per record; a repeated id is an error naming both lines.
    fn records(&self, id: usize, columns: &[usize]) -> anyhow::Result<Vec<(String, Vec<String>)>> {
        let mut seen: HashMap<&str, u64> = HashMap::new();
        let mut out = Vec::with_capacity(self.rows.len());
        for (row, &line) in self.rows.iter().zip(&self.lines) {
            let key = row[id].trim();
            if key.is_empty() {
                bail!("{} line {line}: the id is empty", self.path.display());
            }
            if let Some(first) = seen.insert(key, line) {
                bail!(
                    "{} line {line}: the id {key:?} is also on line {first}",
                    self.path.display(),
                );
            }
            out.push((
                key.to_owned(),
                columns.iter().map(|c| row[*c].clone()).collect(),
            ));
        }
        Ok(out)
    }
}

/// The fields to compare: those named (with their kinds, or inferred), else every column the
/// lists share but the id.
fn choose_fields(options: &Options, lists: &[&List]) -> anyhow::Result<Vec<(Field, Vec<usize>)>> {
    let named: Vec<(String, Option<FieldKind>)> = match &options.fields {
        Some(fields) => fields
            .iter()
            .map(|f| match f.split_once(':') {
                Some((name, kind)) => FieldKind::parse(kind.trim())
                    .map(|k| (name.trim().to_owned(), Some(k)))
                    .with_context(|| {
                        format!(
                            "--fields: {kind:?} is not a kind of field; the kinds are name, date, place, code, text, category"
                        )
                    }),
                None => Ok((f.trim().to_owned(), None)),
            })
            .collect::<anyhow::Result<_>>()?,
        None => lists[0]
            .columns
            .iter()
            .filter(|c| **c != options.id && lists.iter().all(|l| l.columns.contains(c)))
            .map(|c| (c.clone(), None))
            .collect(),
    };
    if named.is_empty() {
        bail!(
            "the lists share no column to compare besides the id {:?}",
            options.id
        );
    }
    // A column compared twice would count its evidence twice.
    let mut seen = std::collections::HashSet::new();
    if let Some((twice, _)) = named.iter().find(|(name, _)| !seen.insert(name.as_str())) {
        bail!("--fields: {twice:?} is named twice; name each column once");
    }
    let mut fields = Vec::with_capacity(named.len());
    for (name, kind) in named {
        let at: Vec<usize> = lists
            .iter()
            .map(|l| l.column(&name))
            .collect::<anyhow::Result<_>>()?;
        let kind = kind
            .or_else(|| FieldKind::from_column_name(&name))
            .unwrap_or_else(|| {
                FieldKind::from_values(
                    lists
                        .iter()
                        .zip(&at)
                        .flat_map(|(l, c)| l.rows.iter().map(move |r| r[*c].as_str())),
                )
            });
        fields.push((Field { name, kind }, at));
    }
    Ok(fields)
}

/// Summary of a run, for the terminal.
pub struct Summary {
    pub records: usize,
    pub compared: usize,
    pub matches: usize,
    pub reviews: usize,
    pub seconds: f64,
}

/// Links the lists of `options` and writes the pairs worth showing to `out`.
pub fn run(options: &Options, out: impl Write) -> anyhow::Result<(Summary, Linkage, Dataset)> {
    let started = Instant::now();
    let left = read_list(&options.left)?;
    let right = options.right.as_deref().map(read_list).transpose()?;
    let lists: Vec<&List> = std::iter::once(&left).chain(right.as_ref()).collect();
    let ids: Vec<usize> = lists
        .iter()
        .map(|l| l.column(&options.id))
        .collect::<anyhow::Result<_>>()?;
    let fields = choose_fields(options, &lists)?;
    let columns = |list: usize| -> Vec<usize> { fields.iter().map(|(_, at)| at[list]).collect() };
    let field_list: Vec<Field> = fields.iter().map(|(f, _)| f.clone()).collect();
    let dataset = match &right {
        Some(right) => Dataset::link(
            field_list,
            left.records(ids[0], &columns(0))?,
            right.records(ids[1], &columns(1))?,
        ),
        None => Dataset::dedupe(field_list, left.records(ids[0], &columns(0))?),
    };
    drop((left, right));
    let linkage = yodnoma_linkage::link(&dataset, &[]);
    write_pairs(&dataset, &linkage, out)?;
    let matches = linkage
        .pairs
        .iter()
        .filter(|p| p.decision == yodnoma_linkage::Decision::Match)
        .count();
    let summary = Summary {
        records: dataset.len(),
        compared: linkage.compared,
        matches,
        reviews: linkage.pairs.len() - matches,
        seconds: started.elapsed().as_secs_f64(),
    };
    Ok((summary, linkage, dataset))
}

fn write_pairs(dataset: &Dataset, linkage: &Linkage, out: impl Write) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "left_id",
        "right_id",
        "probability",
        "decision",
        "explanation",
    ])?;
    for pair in &linkage.pairs {
        writer.write_record([
            dataset.ids[pair.left as usize].as_str(),
            dataset.ids[pair.right as usize].as_str(),
            &format!("{:.4}", pair.probability),
            pair.decision.as_str(),
            &linkage.explain(dataset, pair),
        ])?;
    }
    writer.flush()?;
    Ok(())
}
