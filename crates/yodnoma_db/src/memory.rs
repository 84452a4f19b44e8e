//! Published figures, events and places of memory, and the persons their records belong to.

use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use yodnoma_core::memory::Qualifier;
use yodnoma_core::{
    Event, EventId, EventKind, ImageId, Measure, Memorial, MemorialId, MemorialKind, PartialDate,
    PersonId, PublishedFigure, RecordRef, Republic, SourceName,
};

use crate::{DbError, Result, Store, from_json, now, to_json};

fn corrupt(what: &str, e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(format!("{what}: {e}"))
}

/// A person an event or a place of memory names, through one of its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedPerson {
    pub record: RecordRef,
    pub person: PersonId,
    pub name: String,
}

fn date(what: &str, text: &str) -> Result<PartialDate> {
    text.parse().map_err(|e| corrupt(what, e))
}

fn republic(row: &SqliteRow) -> Result<Option<Republic>> {
    let text: Option<String> = row.try_get("republic")?;
    Ok(text.as_deref().and_then(Republic::from_text))
}

fn event_from_row(row: &SqliteRow, records: Vec<RecordRef>) -> Result<Event> {
    let id: String = row.try_get("id")?;
    let kind: String = row.try_get("kind")?;
    let start: String = row.try_get("start_date")?;
    let end: Option<String> = row.try_get("end_date")?;
    Ok(Event {
        id: EventId::parse(&id).map_err(|e| corrupt("event id", e))?,
        kind: EventKind::parse(&kind).ok_or_else(|| corrupt("event kind", &kind))?,
        start: date("event start", &start)?,
        end: end.as_deref().map(|d| date("event end", d)).transpose()?,
        place: row.try_get("place")?,
        republic: republic(row)?,
        title: from_json("events.title", &row.try_get::<String, _>("title")?)?,
        description: from_json(
            "events.description",
            &row.try_get::<String, _>("description")?,
        )?,
        units: from_json("events.units", &row.try_get::<String, _>("units")?)?,
        records,
        source: row.try_get("source")?,
    })
}

fn memorial_from_row(row: &SqliteRow, records: Vec<RecordRef>) -> Result<Memorial> {
    let id: String = row.try_get("id")?;
    let kind: String = row.try_get("kind")?;
    let latitude: Option<f64> = row.try_get("latitude")?;
    let longitude: Option<f64> = row.try_get("longitude")?;
    let image: Option<String> = row.try_get("image_id")?;
    Ok(Memorial {
        id: MemorialId::parse(&id).map_err(|e| corrupt("memorial id", e))?,
        kind: MemorialKind::parse(&kind).ok_or_else(|| corrupt("memorial kind", &kind))?,
        name: from_json("memorials.name", &row.try_get::<String, _>("name")?)?,
        place: row.try_get("place")?,
        republic: republic(row)?,
        coordinates: latitude.zip(longitude),
        description: from_json(
            "memorials.description",
            &row.try_get::<String, _>("description")?,
        )?,
        image: image
            .as_deref()
            .map(ImageId::parse)
            .transpose()
            .map_err(|e| corrupt("memorial image", e))?,
        records,
        source: row.try_get("source")?,
    })
}

fn record_ref(row: &SqliteRow) -> Result<RecordRef> {
    let source: String = row.try_get("source")?;
    Ok(RecordRef {
        source: SourceName::parse(&source).map_err(|e| corrupt("source", e))?,
        record_id: row.try_get("record_id")?,
    })
}

/// The two kinds of things that link to records, and their link tables.
#[derive(Clone, Copy)]
enum Linked {
    Event,
    Memorial,
}

impl Linked {
    fn insert(self) -> &'static str {
        match self {
            Self::Event => {
                "INSERT OR IGNORE INTO event_records (event_id, source, record_id) \
                 VALUES ($1, $2, $3)"
            }
            Self::Memorial => {
                "INSERT OR IGNORE INTO memorial_records (memorial_id, source, record_id) \
                 VALUES ($1, $2, $3)"
            }
        }
    }

    fn select(self) -> &'static str {
        match self {
            Self::Event => {
                "SELECT source, record_id FROM event_records WHERE event_id = $1 \
                 ORDER BY source, record_id"
            }
            Self::Memorial => {
                "SELECT source, record_id FROM memorial_records WHERE memorial_id = $1 \
                 ORDER BY source, record_id"
            }
        }
    }
}

async fn insert_links(
    tx: &mut sqlx::SqliteConnection,
    linked: Linked,
    id: &str,
    records: &[RecordRef],
) -> Result<()> {
    for r in records {
        sqlx::query(linked.insert())
            .bind(id)
            .bind(r.source.as_str())
            .bind(&r.record_id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

impl Store {
    async fn links(&self, linked: Linked, id: &str) -> Result<Vec<RecordRef>> {
        let rows = sqlx::query(linked.select())
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record_ref).collect()
    }

    /// The published figures, in their order.
    pub async fn figures(&self) -> Result<Vec<PublishedFigure>> {
        let rows = sqlx::query(
            "SELECT id, position, label, value, qualifier, measure, source \
             FROM published_figures ORDER BY position, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let qualifier: String = row.try_get("qualifier")?;
                let measure: Option<String> = row.try_get("measure")?;
                let value: i64 = row.try_get("value")?;
                Ok(PublishedFigure {
                    id: yodnoma_core::FigureId::parse(&id).map_err(|e| corrupt("figure id", e))?,
                    label: from_json(
                        "published_figures.label",
                        &row.try_get::<String, _>("label")?,
                    )?,
                    value: u64::try_from(value).map_err(|e| corrupt("figure value", e))?,
                    qualifier: Qualifier::parse(&qualifier)
                        .ok_or_else(|| corrupt("figure qualifier", &qualifier))?,
                    measure: measure
                        .as_deref()
                        .map(Measure::parse)
                        .transpose()
                        .map_err(|e| corrupt("figure measure", e))?,
                    source: row.try_get("source")?,
                    position: row.try_get("position")?,
                })
            })
            .collect()
    }

    /// Replaces every published figure with `figures`.
    pub async fn replace_figures(&self, figures: &[PublishedFigure]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM published_figures")
            .execute(&mut *tx)
            .await?;
        for f in figures {
            sqlx::query(
                "INSERT INTO published_figures (id, position, label, value, qualifier, measure, \
                 source) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(f.id.as_str())
            .bind(f.position)
            .bind(to_json(&f.label)?)
            .bind(i64::try_from(f.value).map_err(|e| DbError::Invalid(e.to_string()))?)
            .bind(f.qualifier.as_str())
            .bind(f.measure.as_ref().map(ToString::to_string))
            .bind(&f.source)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Stores an event, replacing an earlier one of the same id with its links.
    pub async fn save_event(&self, event: &Event) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM events WHERE id = $1")
            .bind(event.id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO events (id, kind, start_date, end_date, place, republic, title, \
             description, units, source, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(event.id.as_str())
        .bind(event.kind.as_str())
        .bind(event.start.to_string())
        .bind(event.end.as_ref().map(ToString::to_string))
        .bind(event.place.as_deref())
        .bind(event.republic.map(Republic::key))
        .bind(to_json(&event.title)?)
        .bind(to_json(&event.description)?)
        .bind(to_json(&event.units)?)
        .bind(&event.source)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        insert_links(&mut tx, Linked::Event, event.id.as_str(), &event.records).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every event, in the order of their start.
    pub async fn events(&self) -> Result<Vec<Event>> {
        let rows = sqlx::query("SELECT * FROM events ORDER BY start_date, id")
            .fetch_all(&self.pool)
            .await?;
        let mut events = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            events.push(event_from_row(row, self.links(Linked::Event, &id).await?)?);
        }
        Ok(events)
    }

    pub async fn event(&self, id: &EventId) -> Result<Option<Event>> {
        let row = sqlx::query("SELECT * FROM events WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(Some(event_from_row(
                &row,
                self.links(Linked::Event, id.as_str()).await?,
            )?)),
            None => Ok(None),
        }
    }

    /// Stores a place of memory, replacing an earlier one of the same id with its links.
    pub async fn save_memorial(&self, memorial: &Memorial) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM memorials WHERE id = $1")
            .bind(memorial.id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO memorials (id, kind, name, place, republic, latitude, longitude, \
             description, image_id, source, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(memorial.id.as_str())
        .bind(memorial.kind.as_str())
        .bind(to_json(&memorial.name)?)
        .bind(memorial.place.as_deref())
        .bind(memorial.republic.map(Republic::key))
        .bind(memorial.coordinates.map(|c| c.0))
        .bind(memorial.coordinates.map(|c| c.1))
        .bind(to_json(&memorial.description)?)
        .bind(memorial.image.as_ref().map(ImageId::as_str))
        .bind(&memorial.source)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        insert_links(
            &mut tx,
            Linked::Memorial,
            memorial.id.as_str(),
            &memorial.records,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every place of memory, by republic and id.
    pub async fn memorials(&self) -> Result<Vec<Memorial>> {
        let rows = sqlx::query("SELECT * FROM memorials ORDER BY republic, id")
            .fetch_all(&self.pool)
            .await?;
        let mut memorials = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            memorials.push(memorial_from_row(
                row,
                self.links(Linked::Memorial, &id).await?,
            )?);
        }
        Ok(memorials)
    }

    pub async fn memorial(&self, id: &MemorialId) -> Result<Option<Memorial>> {
        let row = sqlx::query("SELECT * FROM memorials WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(Some(memorial_from_row(
                &row,
                self.links(Linked::Memorial, id.as_str()).await?,
            )?)),
            None => Ok(None),
        }
    }

    /// The persons `records` belong to now, with their names as the record writes them; a
    /// record not stored is left out.
    pub async fn linked_persons(&self, records: &[RecordRef]) -> Result<Vec<LinkedPerson>> {
        let mut linked = Vec::with_capacity(records.len());
        for r in records {
            let row = sqlx::query(
                "SELECT person_id, surname, given_name, patronymic FROM source_records \
                 WHERE source = $1 AND record_id = $2",
            )
            .bind(r.source.as_str())
            .bind(&r.record_id)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(row) = row {
                let person: String = row.try_get("person_id")?;
                let name = ["surname", "given_name", "patronymic"]
                    .iter()
                    .filter_map(|c| row.try_get::<Option<String>, _>(*c).ok().flatten())
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                linked.push(LinkedPerson {
                    record: r.clone(),
                    person: PersonId::parse(&person).map_err(|e| corrupt("person id", e))?,
                    name,
                });
            }
        }
        Ok(linked)
    }

    /// The events whose records belong to `person` now.
    pub async fn events_of_person(&self, person: &PersonId) -> Result<Vec<Event>> {
        let ids = sqlx::query_scalar::<_, String>(
            "SELECT DISTINCT e.event_id FROM event_records e JOIN source_records r \
             ON r.source = e.source AND r.record_id = e.record_id WHERE r.person_id = $1",
        )
        .bind(person.as_str())
        .fetch_all(&self.pool)
        .await?;
        let mut events = Vec::new();
        for id in ids {
            let id = EventId::parse(&id).map_err(|e| corrupt("event id", e))?;
            events.extend(self.event(&id).await?);
        }
        events.sort_by_key(|e| e.start);
        Ok(events)
    }

    /// The places of memory whose records belong to `person` now.
    pub async fn memorials_of_person(&self, person: &PersonId) -> Result<Vec<Memorial>> {
        let ids = sqlx::query_scalar::<_, String>(
            "SELECT DISTINCT m.memorial_id FROM memorial_records m JOIN source_records r \
             ON r.source = m.source AND r.record_id = m.record_id WHERE r.person_id = $1 \
             ORDER BY m.memorial_id",
        )
        .bind(person.as_str())
        .fetch_all(&self.pool)
        .await?;
        let mut memorials = Vec::new();
        for id in ids {
            let id = MemorialId::parse(&id).map_err(|e| corrupt("memorial id", e))?;
            memorials.extend(self.memorial(&id).await?);
        }
        Ok(memorials)
    }
}
