//! The domain of yodnoma: the types every other crate speaks in, and the rules that hold for them.
//!
//! Nothing here does input or output. Values are parsed once at the edge (a CSV row, an HTTP
//! parameter) into these types, and from then on they are known to be valid.

pub mod account;
pub mod award;
pub mod date;
pub mod exhibition;
pub mod ids;
pub mod lang;
pub mod memory;
pub mod person;
pub mod place;
pub mod record;
pub mod stats;

pub use account::{Action, Role, normalize_email};
pub use award::{AwardKind, OrderDegree};
pub use date::{DateError, PartialDate};
pub use exhibition::{
    Block, Exhibit, Exhibition, Image, MissingAlt, PublicationStatus, Section, missing_alt,
};
pub use ids::{
    EventId, ExhibitId, ExhibitionId, FigureId, IdError, ImageId, MemorialId, PersonId, SourceName,
};
pub use lang::{Language, LanguageMap};
pub use memory::{Event, EventKind, Measure, Memorial, MemorialKind, PublishedFigure, RecordRef};
pub use person::{NameForm, Person, Script};
pub use place::{Place, PlaceKind};
pub use record::{Category, Column, Fate, RecordSchema, RowProblem, SchemaError, SourceRecord};
pub use stats::{Republic, nationality_key};
