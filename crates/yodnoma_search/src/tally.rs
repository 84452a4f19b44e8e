//! Counting the persons a filter selects by the values of their fields, from codes held in
//! memory.
//!
//! tantivy keeps each field's values in compressed columns that are read document by document,
//! and at ten million persons that reading, not the adding up, was what a count cost (see
//! BENCHMARKS.md, "Statistics at 10 million records"). So each segment's counted fields are
//! decoded once into one code per person and kept while the segment is in the index: segments
//! never change, and merges make new ones. A code is one byte where the segment has fewer than
//! 255 values of the field, which all fields but districts have; eleven fields of ten million
//! persons take about 110 MB.
//!
//! A count then runs tantivy's filter query to select the persons, and adds up the codes of the
//! selected persons one field at a time, each field a pass over one array.
//!
//! A person whose records name two values of a field (two regions) is counted in each; such
//! persons are few, so their values are kept beside the array and looked up only for them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnIndex};
use tantivy::index::SegmentId;
use tantivy::schema::FieldType;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::StatsField;

/// The fields counted, by their names in the index: those of `StatsField`, and the months of
/// deaths and awards of the timeline.
pub(crate) const COUNTED: [&str; 11] = [
    "republic",
    "region",
    "district",
    "nationality",
    "fate",
    "award",
    "birth_decade",
    "death_year",
    "category",
    "death_month",
    "award_month",
];

/// A counted field: its place in [`COUNTED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counted(usize);

impl Counted {
    pub const DEATH_MONTH: Counted = Counted(9);
    pub const AWARD_MONTH: Counted = Counted(10);

    /// `StatsField`'s variants are in the order of [`COUNTED`] (a test holds them to it).
    pub fn of(field: StatsField) -> Counted {
        Counted(field as usize)
    }
}

/// What one walk counts: persons by each field of `by`, and by each pair of fields of
/// `crosses`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ask {
    pub by: Vec<Counted>,
    pub crosses: Vec<(Counted, Counted)>,
}

/// What a walk counted: the persons selected, and for each count asked its groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub total: u64,
    /// One per field of `Ask::by`: persons by value.
    pub by: Vec<HashMap<String, u64>>,
    /// One per pair of `Ask::crosses`: persons by pair of values.
    pub crosses: Vec<HashMap<(String, String), u64>>,
}

impl Tally {
    /// Groups in the answer: what keeping it costs.
    pub fn groups(&self) -> usize {
        self.by.iter().map(HashMap::len).sum::<usize>()
            + self.crosses.iter().map(HashMap::len).sum::<usize>()
    }

    fn add(&mut self, other: Tally) {
        self.total += other.total;
        for (mine, theirs) in self.by.iter_mut().zip(other.by) {
            for (value, count) in theirs {
                *mine.entry(value).or_default() += count;
            }
        }
        for (mine, theirs) in self.crosses.iter_mut().zip(other.crosses) {
            for (pair, count) in theirs {
                *mine.entry(pair).or_default() += count;
            }
        }
    }
}

/// The decoded fields of the index's segments, each built when first counted.
#[derive(Default)]
pub(crate) struct Columns {
    segments: Mutex<HashMap<SegmentId, Arc<Decoded>>>,
}

/// A segment's fields once decoded. Its own lock, so that two counts asking at once decode it
/// once, and others are not held up meanwhile.
type Decoded = Mutex<Option<Arc<SegmentColumns>>>;

impl Columns {
    fn of(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentColumns>> {
        let slot = self
            .segments
            .lock()
            .map_err(|_| poisoned())?
            .entry(segment.segment_id())
            .or_default()
            .clone();
        let mut slot = slot.lock().map_err(|_| poisoned())?;
        if let Some(columns) = slot.as_ref() {
            return Ok(columns.clone());
        }
        let columns = Arc::new(SegmentColumns::read(segment)?);
        *slot = Some(columns.clone());
        Ok(columns)
    }

    /// Forgets the segments that have left the index (merged into others).
    pub fn keep_only(&self, segments: &[SegmentId]) {
        if let Ok(mut known) = self.segments.lock() {
            known.retain(|id, _| segments.contains(id));
        }
    }

    /// A collector that counts `ask` over the persons a query selects.
    pub fn counter<'a>(&'a self, ask: &Ask) -> Counter<'a> {
        Counter {
            columns: self,
            ask: Arc::new(ask.clone()),
        }
    }
}

fn poisoned() -> tantivy::TantivyError {
    tantivy::TantivyError::InternalError("the statistics' columns: a lock was poisoned".into())
}

/// The counted fields of one segment.
struct SegmentColumns {
    /// In the order of [`COUNTED`].
    fields: Vec<FieldCodes>,
}

/// One field's values in a segment: `values` by code, and each document's code. Code
/// `values.len()` means no value, `values.len() + 1` several, which are then in `several`.
struct FieldCodes {
    values: Vec<String>,
    codes: Codes,
    several: HashMap<DocId, Box<[u32]>>,
}

enum Codes {
    Narrow(Box<[u8]>),
    Wide(Box<[u32]>),
}

/// Runs `$body` with `$codes` bound to the codes of either width.
macro_rules! with_codes {
    ($field:expr, |$codes:ident| $body:expr) => {
        match &$field.codes {
            Codes::Narrow($codes) => $body,
            Codes::Wide($codes) => $body,
        }
    };
}

/// Sentinels while decoding, before the number of values is known.
const NONE: u32 = u32::MAX;
const SEVERAL: u32 = u32::MAX - 1;

impl SegmentColumns {
    fn read(segment: &SegmentReader) -> tantivy::Result<Self> {
        let fields = COUNTED
            .iter()
            .map(|name| FieldCodes::read(segment, name))
            .collect::<tantivy::Result<_>>()?;
        Ok(Self { fields })
    }

    fn field(&self, counted: Counted) -> &FieldCodes {
        // `read` makes one entry per counted field, and a `Counted` is a place among them.
        &self.fields[counted.0]
    }
}

impl FieldCodes {
    fn read(segment: &SegmentReader, name: &str) -> tantivy::Result<Self> {
        let max_doc = segment.max_doc();
        let text = segment.schema().get_field(name).is_ok_and(|field| {
            matches!(
                segment.schema().get_field_entry(field).field_type(),
                FieldType::Str(_)
            )
        });
        let mut field = if text {
            match segment.fast_fields().str(name)? {
                Some(column) => {
                    let mut values = Vec::with_capacity(column.dictionary().num_terms());
                    for ord in 0..column.dictionary().num_terms() as u64 {
                        let mut value = String::new();
                        column.ord_to_str(ord, &mut value)?;
                        values.push(value);
                    }
                    let (_, ords) = column.into_parts();
                    // Term ordinals are codes already: the dictionary is in their order.
                    let (codes, several) = decode(max_doc, Some(&ords), |ord| {
                        u32::try_from(ord).unwrap_or(NONE)
                    });
                    Self {
                        values,
                        codes,
                        several,
                    }
                }
                None => {
                    let (codes, several) = decode(max_doc, None, |_| NONE);
                    Self {
                        values: Vec::new(),
                        codes,
                        several,
                    }
                }
            }
        } else {
            let column = segment.fast_fields().column_opt::<u64>(name)?;
            let (codes, several, values) = match &column {
                Some(column) => {
                    let mut numbers = Numbers::new(column);
                    let (codes, several) = decode(max_doc, Some(column), |n| numbers.code(n));
                    (codes, several, numbers.values)
                }
                None => {
                    let (codes, several) = decode(max_doc, None, |_| NONE);
                    (codes, several, Vec::new())
                }
            };
            Self {
                values: values.iter().map(u64::to_string).collect(),
                codes,
                several,
            }
        };
        field.finish();
        Ok(field)
    }

    /// Replaces the sentinels by the codes past the values, one byte wide when they fit.
    fn finish(&mut self) {
        let n = self.values.len() as u32;
        let slot = |code: u32| match code {
            NONE => n,
            SEVERAL => n + 1,
            code => code,
        };
        let Codes::Wide(codes) = &mut self.codes else {
            return;
        };
        // The last slot, `n + 1`, must fit in a byte.
        if n < u32::from(u8::MAX) {
            let narrow = codes.iter().map(|&c| slot(c) as u8).collect();
            self.codes = Codes::Narrow(narrow);
        } else {
            codes.iter_mut().for_each(|c| *c = slot(*c));
        }
    }

    /// Slots of the count arrays: each value, then none, then several.
    fn slots(&self) -> usize {
        self.values.len() + 2
    }

    fn several_slot(&self) -> usize {
        self.values.len() + 1
    }

    /// The slot of a document's code.
    fn slot_of(&self, doc: DocId) -> u32 {
        let none = self.values.len() as u32;
        match &self.codes {
            Codes::Narrow(codes) => codes.get(doc as usize).map_or(none, |&c| u32::from(c)),
            Codes::Wide(codes) => codes.get(doc as usize).copied().unwrap_or(none),
        }
    }

    /// The codes of a document's values, given its slot.
    fn codes_of(&self, doc: DocId, slot: u32) -> Vec<u32> {
        if slot as usize == self.several_slot() {
            self.several
                .get(&doc)
                .map_or_else(Vec::new, |all| all.to_vec())
        } else if (slot as usize) < self.values.len() {
            vec![slot]
        } else {
            Vec::new()
        }
    }

    /// Selected persons by value.
    fn count(&self, selected: &[DocId]) -> Vec<u64> {
        let mut counts = with_codes!(self, |codes| count_slots(codes, selected, self.slots()));
        for doc in with_several(&[self], selected) {
            for code in self.codes_of(doc, self.slot_of(doc)) {
                if let Some(count) = counts.get_mut(code as usize) {
                    *count += 1;
                }
            }
        }
        counts.truncate(self.values.len());
        counts
    }
}

/// The codes of a number column's values, in the order first met. Years and months span a
/// few hundred numbers, so a number's code is looked up in a table from the column's least
/// value; a column spanning more is looked up by hashing.
struct Numbers {
    values: Vec<u64>,
    least: u64,
    table: Vec<u32>,
    hashed: HashMap<u64, u32>,
}

/// The widest span of numbers looked up in a table (256 KB of codes).
const TABLE_SPAN: u64 = 1 << 16;

impl Numbers {
    fn new(column: &Column<u64>) -> Self {
        let (least, most) = (column.min_value(), column.max_value());
        let span = most.saturating_sub(least).saturating_add(1);
        Self {
            values: Vec::new(),
            least,
            table: if span <= TABLE_SPAN {
                vec![NONE; span as usize]
            } else {
                Vec::new()
            },
            hashed: HashMap::new(),
        }
    }

    fn code(&mut self, number: u64) -> u32 {
        let next = u32::try_from(self.values.len()).unwrap_or(NONE);
        let slot = match number
            .checked_sub(self.least)
            .and_then(|i| self.table.get_mut(usize::try_from(i).ok()?))
        {
            Some(slot) => slot,
            None => self.hashed.entry(number).or_insert(NONE),
        };
        if *slot == NONE {
            *slot = next;
            self.values.push(number);
        }
        *slot
    }
}

/// Reads every document's values of `column` as codes through `code_of`: one code per
/// document ([`NONE`], or [`SEVERAL`] with all its codes beside), wide until
/// [`FieldCodes::finish`] knows the number of values.
fn decode(
    max_doc: DocId,
    column: Option<&Column<u64>>,
    mut code_of: impl FnMut(u64) -> u32,
) -> (Codes, HashMap<DocId, Box<[u32]>>) {
    let mut codes = vec![NONE; max_doc as usize];
    let mut several = HashMap::new();
    // Columns with at most one value per document are read in order, values beside their
    // documents, instead of asking each document for its values.
    match column.map(|c| (&c.index, c)) {
        None | Some((ColumnIndex::Empty { .. }, _)) => {}
        Some((ColumnIndex::Full, column)) => {
            for (code, value) in codes.iter_mut().zip(column.values.iter()) {
                *code = code_of(value);
            }
        }
        Some((ColumnIndex::Optional(index), column)) => {
            for (doc, value) in index.iter_non_null_docs().zip(column.values.iter()) {
                if let Some(code) = codes.get_mut(doc as usize) {
                    *code = code_of(value);
                }
            }
        }
        Some((ColumnIndex::Multivalued(_), column)) => {
            decode_each(column, &mut codes, &mut several, code_of);
        }
    }
    (Codes::Wide(codes.into_boxed_slice()), several)
}

/// Reads a column of several values per document, document by document.
fn decode_each(
    column: &Column<u64>,
    codes: &mut [u32],
    several: &mut HashMap<DocId, Box<[u32]>>,
    mut code_of: impl FnMut(u64) -> u32,
) {
    for (doc, code) in (0..).zip(codes.iter_mut()) {
        let mut each = column.values_for_doc(doc);
        let Some(first) = each.next() else {
            continue;
        };
        let first = code_of(first);
        match each.next() {
            None => *code = first,
            Some(second) => {
                let mut all = vec![first, code_of(second)];
                all.extend(each.map(&mut code_of));
                *code = SEVERAL;
                several.insert(doc, all.into_boxed_slice());
            }
        }
    }
}

/// A code read as the slot of a count array.
trait Slot: Copy {
    fn slot(self) -> usize;
}

impl Slot for u8 {
    fn slot(self) -> usize {
        usize::from(self)
    }
}

impl Slot for u32 {
    fn slot(self) -> usize {
        self as usize
    }
}

/// Counts the selected documents' codes. Four arrays of counts, added at the end, let the
/// processor add up four documents at once: with one, each addition to a common value (most
/// persons share a fate) waits for the one before.
fn count_slots<C: Slot>(codes: &[C], selected: &[DocId], slots: usize) -> Vec<u64> {
    let mut lanes = [0; 4].map(|_| vec![0u32; slots]);
    let mut fours = selected.chunks_exact(4);
    for four in fours.by_ref() {
        for (lane, &doc) in lanes.iter_mut().zip(four) {
            if let Some(count) = codes.get(doc as usize).and_then(|c| lane.get_mut(c.slot())) {
                *count += 1;
            }
        }
    }
    for &doc in fours.remainder() {
        if let Some(count) = codes
            .get(doc as usize)
            .and_then(|c| lanes[0].get_mut(c.slot()))
        {
            *count += 1;
        }
    }
    (0..slots)
        .map(|s| lanes.iter().map(|lane| u64::from(lane[s])).sum())
        .collect()
}

/// Adds each selected document to its cell, `row * width + column`.
fn count_cells<R: Slot, C: Slot>(
    rows: &[R],
    columns: &[C],
    selected: &[DocId],
    width: usize,
    cells: &mut [u32],
) {
    for &doc in selected {
        let doc = doc as usize;
        if let (Some(r), Some(c)) = (rows.get(doc), columns.get(doc))
            && let Some(cell) = cells.get_mut(r.slot() * width + c.slot())
        {
            *cell += 1;
        }
    }
}

/// The selected documents' pairs of codes, as `row << 32 | column`, where both have one value.
fn pairs_of<R: Slot, C: Slot>(
    rows: &[R],
    columns: &[C],
    selected: &[DocId],
    (rn, cn): (usize, usize),
) -> Vec<u64> {
    selected
        .iter()
        .filter_map(|&doc| {
            Some((
                rows.get(doc as usize)?.slot(),
                columns.get(doc as usize)?.slot(),
            ))
        })
        .filter(|&(r, c)| r < rn && c < cn)
        .map(|(r, c)| (r as u64) << 32 | c as u64)
        .collect()
}

/// Crossed counts kept in an array up to this many cells (4 MB of counts); beyond, the pairs
/// are sorted and counted in runs.
const DENSE_CELLS: usize = 1 << 20;

/// Selected persons by pair of values of `rows` and `columns`, in an array of counts when it
/// has no more than `dense_cells`.
fn cross(
    rows: &FieldCodes,
    columns: &FieldCodes,
    selected: &[DocId],
    dense_cells: usize,
) -> HashMap<(u32, u32), u64> {
    let width = columns.slots();
    let (rn, cn) = (rows.values.len(), columns.values.len());
    let mut counts = HashMap::new();
    if rows.slots() * width <= dense_cells {
        let mut cells = vec![0u32; rows.slots() * width];
        with_codes!(rows, |r| with_codes!(columns, |c| count_cells(
            r, c, selected, width, &mut cells
        )));
        for (i, &n) in cells.iter().enumerate() {
            let (r, c) = (i / width, i % width);
            if n > 0 && r < rn && c < cn {
                counts.insert((r as u32, c as u32), u64::from(n));
            }
        }
    } else {
        let mut pairs = with_codes!(rows, |r| with_codes!(columns, |c| pairs_of(
            r,
            c,
            selected,
            (rn, cn)
        )));
        pairs.sort_unstable();
        for run in pairs.chunk_by(|a, b| a == b) {
            counts.insert(((run[0] >> 32) as u32, run[0] as u32), run.len() as u64);
        }
    }
    // Persons with several values of either field: each pair of their values.
    for doc in with_several(&[rows, columns], selected) {
        let (r, c) = (rows.slot_of(doc), columns.slot_of(doc));
        for r in rows.codes_of(doc, r) {
            for &c in &columns.codes_of(doc, c) {
                *counts.entry((r, c)).or_default() += 1;
            }
        }
    }
    counts
}

/// The selected documents that have several values of any of `fields`, in order.
fn with_several(fields: &[&FieldCodes], selected: &[DocId]) -> Vec<DocId> {
    let mut docs: Vec<DocId> = fields
        .iter()
        .flat_map(|field| field.several.keys().copied())
        .filter(|doc| selected.binary_search(doc).is_ok())
        .collect();
    docs.sort_unstable();
    docs.dedup();
    docs
}

/// Counts an [`Ask`] over the persons a query selects, segment by segment.
pub(crate) struct Counter<'a> {
    columns: &'a Columns,
    ask: Arc<Ask>,
}

pub(crate) struct SegmentCounter {
    columns: Arc<SegmentColumns>,
    ask: Arc<Ask>,
    selected: Vec<DocId>,
}

impl Collector for Counter<'_> {
    type Fruit = Tally;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCounter> {
        Ok(SegmentCounter {
            columns: self.columns.of(segment)?,
            ask: self.ask.clone(),
            selected: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut tally = Tally {
            by: vec![HashMap::new(); self.ask.by.len()],
            crosses: vec![HashMap::new(); self.ask.crosses.len()],
            total: 0,
        };
        for segment in segments {
            tally.add(segment);
        }
        Ok(tally)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.selected.push(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.selected.extend_from_slice(docs);
    }

    fn harvest(self) -> Tally {
        let value = |field: &FieldCodes, code: u32| {
            field.values.get(code as usize).cloned().unwrap_or_default()
        };
        let by = self.ask.by.iter().map(|&counted| {
            let field = self.columns.field(counted);
            field
                .count(&self.selected)
                .into_iter()
                .zip(&field.values)
                .filter(|(n, _)| *n > 0)
                .map(|(n, value)| (value.clone(), n))
                .collect()
        });
        let crosses = self.ask.crosses.iter().map(|&(rows, columns)| {
            let (rows, columns) = (self.columns.field(rows), self.columns.field(columns));
            cross(rows, columns, &self.selected, DENSE_CELLS)
                .into_iter()
                .map(|((r, c), n)| ((value(rows, r), value(columns, c)), n))
                .collect()
        });
        Tally {
            total: self.selected.len() as u64,
            by: by.collect(),
            crosses: crosses.collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::collection::{btree_set, vec};
    use proptest::prelude::*;

    use super::*;

    /// A field of `values` values, given each document's codes.
    fn field(values: usize, docs: &[&BTreeSet<u32>]) -> FieldCodes {
        let mut several = HashMap::new();
        let codes = docs
            .iter()
            .zip(0..)
            .map(|(codes, doc)| match codes.len() {
                0 => NONE,
                1 => codes.first().copied().unwrap_or(NONE),
                _ => {
                    several.insert(doc, codes.iter().copied().collect());
                    SEVERAL
                }
            })
            .collect();
        let mut field = FieldCodes {
            values: (0..values).map(|v| format!("v{v}")).collect(),
            codes: Codes::Wide(codes),
            several,
        };
        field.finish();
        field
    }

    proptest! {
        /// Counted from the arrays as counted person by person: each person once in each of
        /// its values, and once in each pair of values of two fields, whether a field has few
        /// values (codes of one byte) or many, and crossed in an array or in sorted runs.
        #[test]
        fn counts_and_crosses_are_those_of_each_person_s_values(
            persons in vec(
                (btree_set(0u32..3, 0..3), btree_set(0u32..300, 0..3), any::<bool>()),
                0..300,
            )
        ) {
            let rows = field(3, &persons.iter().map(|(a, _, _)| a).collect::<Vec<_>>());
            let columns = field(300, &persons.iter().map(|(_, b, _)| b).collect::<Vec<_>>());
            prop_assert!(matches!(rows.codes, Codes::Narrow(_)));
            prop_assert!(matches!(columns.codes, Codes::Wide(_)));
            let selected: Vec<DocId> = (0..)
                .zip(&persons)
                .filter(|(_, (_, _, chosen))| *chosen)
                .map(|(doc, _)| doc)
                .collect();
            let mut by_row = vec![0u64; 3];
            let mut pairs: HashMap<(u32, u32), u64> = HashMap::new();
            for (a, b, _) in persons.iter().filter(|(_, _, chosen)| *chosen) {
                for &r in a {
                    by_row[r as usize] += 1;
                    for &c in b {
                        *pairs.entry((r, c)).or_default() += 1;
                    }
                }
            }
            prop_assert_eq!(rows.count(&selected), by_row);
            prop_assert_eq!(&cross(&rows, &columns, &selected, DENSE_CELLS), &pairs);
            prop_assert_eq!(&cross(&rows, &columns, &selected, 0), &pairs);
        }
    }

    #[test]
    fn counted_fields_are_in_the_order_of_stats_fields() {
        for field in StatsField::ALL {
            assert_eq!(COUNTED[Counted::of(field).0], field.name());
        }
        assert_eq!(COUNTED[Counted::DEATH_MONTH.0], "death_month");
        assert_eq!(COUNTED[Counted::AWARD_MONTH.0], "award_month");
    }
}
