//! Counting the persons a filter selects by the values of their fields, from codes held in
//! memory.
//!
//! tantivy keeps each field's values in compressed columns that are read document by document,
//! and at ten million persons that reading, not the adding up, was what a count cost (see
//! BENCHMARKS.md, "Statistics at 10 million records"). So each segment's counted fields are
//! decoded once into one code per person, and kept until a count finds the segment gone from
//! the index: segments never change, and merges make new ones. A code is one byte where the
//! segment has fewer than 255 values of the field; months count only within the war, so that
//! only districts, where a registry names thousands, may need four bytes. Ten million persons
//! take about 110 MB, and four bytes more for each person's district where districts are many.
//!
//! A count then runs tantivy's filter query to select the persons, and adds up the codes of the
//! selected persons one field at a time, each field a pass over one array.
//!
//! A person whose records name two values of a field (two regions, two kinds of award) is
//! counted in each: such persons have a code of their own, and all their codes are kept beside
//! the array, in document order, at a few bytes each.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnIndex};
use tantivy::index::SegmentId;
use tantivy::schema::FieldType;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::StatsField;

/// A counted field: one of `StatsField::ALL`, by its place there, or a month of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counted(usize);

impl Counted {
    pub const DEATH_MONTH: Counted = Counted(StatsField::ALL.len());
    pub const AWARD_MONTH: Counted = Counted(StatsField::ALL.len() + 1);
    const ALL: usize = StatsField::ALL.len() + 2;

    /// `StatsField::ALL` lists the variants in their order (a test holds it to it).
    pub fn of(field: StatsField) -> Counted {
        Counted(field as usize)
    }

    /// The field's name in the index.
    fn name(self) -> &'static str {
        match StatsField::ALL.get(self.0) {
            Some(field) => field.name(),
            None if self == Self::DEATH_MONTH => "death_month",
            None => "award_month",
        }
    }

    /// The values counted: months only within the war, which is all the timeline shows.
    fn kept(self) -> Option<RangeInclusive<u64>> {
        [Self::DEATH_MONTH, Self::AWARD_MONTH]
            .contains(&self)
            .then(crate::stats::war_months)
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
    /// A cross-tabulation had more than [`MAX_CROSS_GROUPS`] groups, and was not finished.
    pub too_many: bool,
}

/// More groups than a cross-tabulation may have (two fields of many values crossed, such as
/// districts and regions): an answer beyond it is too large to show or send, and counting it
/// stops there.
pub(crate) const MAX_CROSS_GROUPS: usize = 65_000;

impl Tally {
    /// Groups in the answer: what keeping it costs.
    pub fn groups(&self) -> usize {
        self.by.iter().map(HashMap::len).sum::<usize>()
            + self.crosses.iter().map(HashMap::len).sum::<usize>()
    }

    fn add(&mut self, other: Tally) {
        self.total += other.total;
        self.too_many |= other.too_many;
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
        self.too_many |= self.crosses.iter().any(|c| c.len() > MAX_CROSS_GROUPS);
        if self.too_many {
            self.crosses.iter_mut().for_each(HashMap::clear);
        }
    }
}

/// A lock whatever happened to its last holder: what the locks here guard is whole after any
/// panic (a segment not decoded yet, or a list of segments).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The decoded fields of the index's segments, each decoded when first counted.
#[derive(Default)]
pub(crate) struct Columns {
    known: Mutex<Known>,
}

#[derive(Default)]
struct Known {
    /// The newest state of the index a count has seen.
    generation: u64,
    segments: HashMap<SegmentId, Arc<Decoded>>,
}

/// A segment's fields once decoded. Its own lock, so that two counts asking at once decode it
/// once, and others are not held up meanwhile.
type Decoded = Mutex<Option<Arc<SegmentColumns>>>;

impl Columns {
    fn of(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentColumns>> {
        let slot = lock(&self.known)
            .segments
            .entry(segment.segment_id())
            .or_default()
            .clone();
        let mut slot = lock(&slot);
        if let Some(columns) = slot.as_ref() {
            return Ok(columns.clone());
        }
        let columns = Arc::new(SegmentColumns::read(segment)?);
        *slot = Some(columns.clone());
        Ok(columns)
    }

    /// Forgets the segments that have left the index as it is at `generation`. A count on an
    /// older state of the index forgets nothing: the newer one's segments are still needed.
    pub fn keep_only(&self, generation: u64, segments: &[SegmentId]) {
        let mut known = lock(&self.known);
        if generation < known.generation {
            return;
        }
        known.generation = generation;
        known.segments.retain(|id, _| segments.contains(id));
    }

    /// A collector that counts `ask` over the persons a query selects.
    pub fn counter<'a>(&'a self, ask: &Ask) -> Counter<'a> {
        Counter {
            columns: self,
            ask: Arc::new(ask.clone()),
        }
    }
}

/// The counted fields of one segment.
struct SegmentColumns {
    /// By [`Counted`].
    fields: Vec<FieldCodes>,
}

/// One field's values in a segment: `values` by code, and each document's code. Code
/// `values.len()` means no value, `values.len() + 1` several, which are then in `several`.
struct FieldCodes {
    values: Vec<String>,
    codes: Codes,
    several: Several,
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

/// The codes of the documents with several values, in the order of the documents.
#[derive(Default)]
struct Several {
    docs: Vec<DocId>,
    /// Where each document's codes start in `codes`.
    starts: Vec<u32>,
    codes: Vec<u32>,
}

impl Several {
    /// Adds `doc`'s codes; documents come in order.
    fn push(&mut self, doc: DocId, codes: &[u32]) {
        self.docs.push(doc);
        self.starts
            .push(u32::try_from(self.codes.len()).unwrap_or(u32::MAX));
        self.codes.extend_from_slice(codes);
    }

    fn of(&self, doc: DocId) -> &[u32] {
        let Ok(i) = self.docs.binary_search(&doc) else {
            return &[];
        };
        let start = self.starts.get(i).map_or(0, |s| *s as usize);
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.codes.len(), |e| *e as usize);
        self.codes.get(start..end).unwrap_or_default()
    }

    fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// Sentinels while decoding, before the number of values is known.
const NONE: u32 = u32::MAX;
const SEVERAL: u32 = u32::MAX - 1;

impl SegmentColumns {
    fn read(segment: &SegmentReader) -> tantivy::Result<Self> {
        let fields = (0..Counted::ALL)
            .map(|i| FieldCodes::read(segment, Counted(i).name(), Counted(i).kept()))
            .collect::<tantivy::Result<_>>()?;
        Ok(Self { fields })
    }

    fn field(&self, counted: Counted) -> &FieldCodes {
        // `read` makes one entry per counted field, and a `Counted` is a place among them.
        &self.fields[counted.0]
    }
}

impl FieldCodes {
    /// Decodes the field `name` of `segment`, the values of a number field only within `kept`.
    fn read(
        segment: &SegmentReader,
        name: &str,
        kept: Option<RangeInclusive<u64>>,
    ) -> tantivy::Result<Self> {
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
                    let mut terms = column.dictionary().stream()?;
                    while terms.advance() {
                        values.push(String::from_utf8_lossy(terms.key()).into_owned());
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
                None => Self::empty(max_doc),
            }
        } else {
            match segment.fast_fields().column_opt::<u64>(name)? {
                Some(column) => {
                    let mut numbers = Numbers::new(&column, kept);
                    let (codes, several) = decode(max_doc, Some(&column), |n| numbers.code(n));
                    Self {
                        values: numbers.values.iter().map(u64::to_string).collect(),
                        codes,
                        several,
                    }
                }
                None => Self::empty(max_doc),
            }
        };
        field.finish();
        Ok(field)
    }

    fn empty(max_doc: DocId) -> Self {
        let (codes, several) = decode(max_doc, None, |_| NONE);
        Self {
            values: Vec::new(),
            codes,
            several,
        }
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

    fn several_slot(&self) -> u32 {
        self.values.len() as u32 + 1
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
    fn codes_of<'a>(&'a self, doc: DocId, slot: &'a u32) -> &'a [u32] {
        if *slot == self.several_slot() {
            self.several.of(doc)
        } else if (*slot as usize) < self.values.len() {
            std::slice::from_ref(slot)
        } else {
            &[]
        }
    }

    /// Selected persons by value.
    fn count(&self, selected: &[DocId]) -> Vec<u64> {
        let mut counts = with_codes!(self, |codes| count_slots(codes, selected, self.slots()));
        if counts
            .get(self.several_slot() as usize)
            .is_some_and(|n| *n > 0)
        {
            for &doc in selected {
                if self.slot_of(doc) == self.several_slot() {
                    for &code in self.several.of(doc) {
                        if let Some(count) = counts.get_mut(code as usize) {
                            *count += 1;
                        }
                    }
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
    kept: Option<RangeInclusive<u64>>,
    least: u64,
    table: Vec<u32>,
    hashed: HashMap<u64, u32>,
}

/// The widest span of numbers looked up in a table (256 KB of codes).
const TABLE_SPAN: u64 = 1 << 16;

impl Numbers {
    fn new(column: &Column<u64>, kept: Option<RangeInclusive<u64>>) -> Self {
        let (mut least, mut most) = (column.min_value(), column.max_value());
        if let Some(kept) = &kept {
            (least, most) = (least.max(*kept.start()), most.min(*kept.end()));
        }
        let span = most.saturating_sub(least).saturating_add(1);
        Self {
            values: Vec::new(),
            kept,
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
        if self
            .kept
            .as_ref()
            .is_some_and(|kept| !kept.contains(&number))
        {
            return NONE;
        }
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

/// Reads every document's values of `column` as codes through `code_of` (which gives
/// [`NONE`] for a value not counted): one code per document ([`NONE`], or [`SEVERAL`] with all
/// its codes beside), wide until [`FieldCodes::finish`] knows the number of values.
fn decode(
    max_doc: DocId,
    column: Option<&Column<u64>>,
    mut code_of: impl FnMut(u64) -> u32,
) -> (Codes, Several) {
    let mut codes = vec![NONE; max_doc as usize];
    let mut several = Several::default();
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
            let mut all = Vec::new();
            for (doc, code) in (0..).zip(codes.iter_mut()) {
                all.clear();
                all.extend(
                    column
                        .values_for_doc(doc)
                        .map(&mut code_of)
                        .filter(|c| *c != NONE),
                );
                *code = match all.as_slice() {
                    [] => NONE,
                    [one] => *one,
                    _ => {
                        several.push(doc, &all);
                        SEVERAL
                    }
                };
            }
        }
    }
    (Codes::Wide(codes.into_boxed_slice()), several)
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

/// Crossed counts kept in an array up to this many cells (4 MB of counts); beyond, the pairs
/// met are counted by hashing.
const DENSE_CELLS: usize = 1 << 20;

/// Selected persons by pair of values of `rows` and `columns`, in an array of counts when it
/// has no more than `dense_cells`; `None` when there are more than [`MAX_CROSS_GROUPS`] pairs.
fn cross(
    rows: &FieldCodes,
    columns: &FieldCodes,
    selected: &[DocId],
    dense_cells: usize,
) -> Option<HashMap<(u32, u32), u64>> {
    let width = columns.slots();
    let (rn, cn) = (rows.values.len() as u32, columns.values.len() as u32);
    let mut counts: HashMap<(u32, u32), u64> = HashMap::new();
    match rows.slots().checked_mul(width) {
        Some(cells) if cells <= dense_cells => {
            let mut cells = vec![0u32; cells];
            with_codes!(rows, |r| with_codes!(columns, |c| count_cells(
                r, c, selected, width, &mut cells
            )));
            for (i, &n) in cells.iter().enumerate() {
                let (r, c) = ((i / width) as u32, (i % width) as u32);
                if n > 0 && r < rn && c < cn {
                    counts.insert((r, c), u64::from(n));
                }
            }
        }
        _ => {
            for &doc in selected {
                let (r, c) = (rows.slot_of(doc), columns.slot_of(doc));
                if r < rn && c < cn {
                    *counts.entry((r, c)).or_default() += 1;
                    if counts.len() > MAX_CROSS_GROUPS {
                        return None;
                    }
                }
            }
        }
    }
    // Persons with several values of either field: each pair of their values.
    if !(rows.several.is_empty() && columns.several.is_empty()) {
        let (r_several, c_several) = (rows.several_slot(), columns.several_slot());
        for &doc in selected {
            let (r, c) = (rows.slot_of(doc), columns.slot_of(doc));
            if r != r_several && c != c_several {
                continue;
            }
            for &r in rows.codes_of(doc, &r) {
                for &c in columns.codes_of(doc, &c) {
                    *counts.entry((r, c)).or_default() += 1;
                }
            }
        }
    }
    (counts.len() <= MAX_CROSS_GROUPS).then_some(counts)
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
            ..Tally::default()
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
        let mut too_many = false;
        let mut crosses = Vec::with_capacity(self.ask.crosses.len());
        for &(rows, columns) in &self.ask.crosses {
            let (rows, columns) = (self.columns.field(rows), self.columns.field(columns));
            let Some(counts) = cross(rows, columns, &self.selected, DENSE_CELLS) else {
                too_many = true;
                crosses.push(HashMap::new());
                continue;
            };
            crosses.push(
                counts
                    .into_iter()
                    .map(|((r, c), n)| ((value(rows, r), value(columns, c)), n))
                    .collect(),
            );
        }
        Tally {
            total: self.selected.len() as u64,
            by: by.collect(),
            crosses,
            too_many,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::collection::{btree_set, vec};
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn counted_fields_are_named_as_in_the_index() {
        for field in StatsField::ALL {
            assert_eq!(Counted::of(field).name(), field.name());
        }
        assert_eq!(Counted::DEATH_MONTH.name(), "death_month");
        assert_eq!(Counted::AWARD_MONTH.name(), "award_month");
    }

    /// A field of `values` values, given each document's codes.
    fn field(values: usize, docs: &[&BTreeSet<u32>]) -> FieldCodes {
        let mut several = Several::default();
        let codes = docs
            .iter()
            .zip(0..)
            .map(|(codes, doc)| match codes.len() {
                0 => NONE,
                1 => codes.first().copied().unwrap_or(NONE),
                _ => {
                    several.push(doc, &codes.iter().copied().collect::<Vec<_>>());
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

    #[test]
    fn codes_are_one_byte_up_to_254_values() {
        let one = BTreeSet::from([0]);
        let several = BTreeSet::from([0, 253]);
        let narrow = field(254, &[&one, &several, &BTreeSet::new()]);
        assert!(matches!(narrow.codes, Codes::Narrow(_)));
        assert_eq!((narrow.slot_of(1), narrow.slot_of(2)), (255, 254));
        let wide = field(255, &[&one]);
        assert!(matches!(wide.codes, Codes::Wide(_)));
        let counts = narrow.count(&[0, 1, 2]);
        assert_eq!((counts[0], counts[253], counts.len()), (2, 1, 254));
    }

    #[test]
    fn numbers_far_apart_are_coded_by_hashing_and_months_outside_the_war_not_at_all() {
        let mut numbers = Numbers {
            values: Vec::new(),
            kept: None,
            least: 0,
            table: Vec::new(),
            hashed: HashMap::new(),
        };
        let codes: Vec<u32> = [1943, 100_000, 1943, 7].map(|n| numbers.code(n)).to_vec();
        assert_eq!(codes, [0, 1, 0, 2]);
        assert_eq!(numbers.values, [1943, 100_000, 7]);
        let war = crate::stats::war_months();
        let mut months = Numbers {
            kept: Some(war.clone()),
            ..numbers
        };
        assert_eq!(months.code(war.start() - 1), NONE);
        assert_eq!(months.code(war.end() + 1), NONE);
    }

    #[test]
    fn a_cross_of_more_groups_than_allowed_stops_and_says_so() {
        // Each person a pair of values of its own.
        let n = MAX_CROSS_GROUPS as u32 + 1;
        let rows: Vec<BTreeSet<u32>> = (0..n).map(|i| BTreeSet::from([i / 300])).collect();
        let columns: Vec<BTreeSet<u32>> = (0..n).map(|i| BTreeSet::from([i % 300])).collect();
        let rows = field(300, &rows.iter().collect::<Vec<_>>());
        let columns = field(300, &columns.iter().collect::<Vec<_>>());
        let all: Vec<DocId> = (0..n).collect();
        assert_eq!(cross(&rows, &columns, &all, DENSE_CELLS), None);
        assert_eq!(cross(&rows, &columns, &all, 0), None);
        let allowed = &all[..MAX_CROSS_GROUPS];
        for dense in [DENSE_CELLS, 0] {
            let counts = cross(&rows, &columns, allowed, dense).unwrap_or_default();
            assert_eq!(counts.len(), MAX_CROSS_GROUPS);
        }
    }

    proptest! {
        /// Counted from the arrays as counted person by person: each person once in each of
        /// its values, and once in each pair of values of two fields, whether a field has few
        /// values (codes of one byte) or many, and crossed in an array or by hashing.
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
            let mut by_column = vec![0u64; 300];
            let mut pairs: HashMap<(u32, u32), u64> = HashMap::new();
            for (a, b, _) in persons.iter().filter(|(_, _, chosen)| *chosen) {
                for &c in b {
                    by_column[c as usize] += 1;
                }
                for &r in a {
                    by_row[r as usize] += 1;
                    for &c in b {
                        *pairs.entry((r, c)).or_default() += 1;
                    }
                }
            }
            prop_assert_eq!(rows.count(&selected), by_row);
            prop_assert_eq!(columns.count(&selected), by_column);
            prop_assert_eq!(cross(&rows, &columns, &selected, DENSE_CELLS), Some(pairs.clone()));
            prop_assert_eq!(cross(&rows, &columns, &selected, 0), Some(pairs));
        }
    }
}
