//! The two ways of searching that the name search is measured against, on the same index:
//!
//! - **exact words**: every word of the query, folded, is a word of the name;
//! - **surname within two edits**: one word of the query, taken as the surname, within two
//!   letters of a word of the name, in the script it was typed in. This is how the large
//!   registries search; each word of the query is tried as the surname in turn, which is more
//!   than their single surname box allows.
//!
//! They exist for the benchmark; the site never uses them.

use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::document::stored_records;
use crate::{Result, SearchIndex};

/// The score and the records of each person found, best first.
pub type Found = Vec<(f32, Vec<(String, String)>)>;

impl SearchIndex {
    /// Persons whose name has every folded word of the query.
    pub fn baseline_exact_words(&self, text: &str, limit: usize) -> Result<Found> {
        let words: Vec<Box<dyn Query>> = crate::query::plain_words(text)
            .map(|w| -> Box<dyn Query> {
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.exact, &w),
                    IndexRecordOption::Basic,
                ))
            })
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(words.into_iter().map(|q| (Occur::Must, q)).collect());
        self.baseline_collect(&query, limit)
    }

    /// Persons with a word within two edits of one word of the query; nearer first.
    pub fn baseline_surname_fuzzy(&self, text: &str, limit: usize) -> Result<Found> {
        let mut per_word: Vec<Box<dyn Query>> = Vec::new();
        for word in crate::query::plain_words(text) {
            let by_distance: Vec<Box<dyn Query>> = (0..=2u8)
                .map(|edits| -> Box<dyn Query> {
                    let fuzzy = FuzzyTermQuery::new(
                        Term::from_field_text(self.fields.exact, &word),
                        edits,
                        true,
                    );
                    Box::new(ConstScoreQuery::new(Box::new(fuzzy), f32::from(3 - edits)))
                })
                .collect();
            per_word.push(Box::new(DisjunctionMaxQuery::new(by_distance)));
        }
        if per_word.is_empty() {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(per_word.into_iter().map(|q| (Occur::Should, q)).collect());
        self.baseline_collect(&query, limit)
    }

    fn baseline_collect(&self, query: &dyn Query, limit: usize) -> Result<Found> {
        let searcher = self.reader.searcher();
        let top = searcher.search(query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut found = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            found.push((score, stored_records(&doc, &self.fields)));
        }
        Ok(found)
    }
}
