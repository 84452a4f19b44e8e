//! Images, exhibits and exhibitions.

use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use yodnoma_core::{
    Block, Exhibit, ExhibitId, Exhibition, ExhibitionId, Image, ImageId, Language, LanguageMap,
    PersonId, PublicationStatus, Section,
};

use crate::{DbError, Result, Store, from_json, now, to_json};

fn corrupt(e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(e.to_string())
}

fn map(row: &SqliteRow, index: usize, column: &str) -> Result<LanguageMap> {
    let text: String = row.try_get(index)?;
    from_json(column, &text)
}

impl Store {
    /// Stores an image's description. One without alt text is kept (`import image` without
    /// `--alt-*`) but shown nowhere: what would show it refuses it until it is described.
    pub async fn save_image(&self, image: &Image) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        upsert_image(&mut conn, image).await
    }

    /// Stores the size of an image as its tiles were rebuilt from its original.
    pub async fn set_image_size(&self, id: &ImageId, width: u32, height: u32) -> Result<()> {
        sqlx::query("UPDATE images SET width = $1, height = $2 WHERE id = $3")
            .bind(i64::from(width))
            .bind(i64::from(height))
            .bind(id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes the description of an image that nothing refers to yet: the photo of a story
    /// that was then not saved.
    pub async fn forget_image(&self, id: &ImageId) -> Result<()> {
        sqlx::query("DELETE FROM images WHERE id = $1")
            .bind(id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn image(&self, id: &ImageId) -> Result<Option<Image>> {
        let row = sqlx::query(
            "SELECT id, media_type, width, height, alt, rights, placeholder FROM images \
             WHERE id = $1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(image_from_row).transpose()
    }

    /// Every image that is a raster upload (not a placeholder drawing), in id order.
    pub async fn raster_images(&self) -> Result<Vec<Image>> {
        let rows = sqlx::query(
            "SELECT id, media_type, width, height, alt, rights, placeholder FROM images \
             WHERE placeholder = 0 ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(image_from_row).collect()
    }

    /// Stores an exhibit with its images (already saved) and the persons it depicts, replacing
    /// any earlier version.
    pub async fn save_exhibit(&self, exhibit: &Exhibit) -> Result<()> {
        self.write_exhibit(exhibit, None).await
    }

    /// A curator's change of an exhibit, written with its audit entry, and refused with
    /// [`DbError::Conflict`] unless the stored exhibit is still at the revision the change was
    /// made on (`edit.seen`; 0: not stored yet).
    pub async fn save_exhibit_over(
        &self,
        exhibit: &Exhibit,
        edit: Edit<'_, Exhibit>,
    ) -> Result<()> {
        self.write_exhibit(exhibit, Some(edit)).await
    }

    /// The revision of a stored exhibit: 0 when there is none.
    pub async fn exhibit_revision(&self, id: &ExhibitId) -> Result<i64> {
        revision(&self.pool, EXHIBITS, id.as_str()).await
    }

    async fn write_exhibit(
        &self,
        exhibit: &Exhibit,
        edit: Option<Edit<'_, Exhibit>>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if let Some(edit) = &edit {
            let subject = format!("exhibit {}", exhibit.id);
            edit.write(&mut tx, EXHIBITS, exhibit.id.as_str(), &subject, exhibit)
                .await?;
            // A curator's change of the images' texts is part of the exhibit's: refused with
            // it when the page was stale.
            for image in &exhibit.images {
                upsert_image(&mut tx, image).await?;
            }
        }
        refuse_shared_id(&mut tx, EXHIBITIONS, exhibit.id.as_str()).await?;
        let at = now();
        sqlx::query(
            "INSERT INTO exhibits (id, title, description, creator, date_text, technique, \
             dimensions, institution, inventory_number, rights, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, \
             description = excluded.description, creator = excluded.creator, \
             date_text = excluded.date_text, technique = excluded.technique, \
             dimensions = excluded.dimensions, institution = excluded.institution, \
             inventory_number = excluded.inventory_number, rights = excluded.rights, \
             updated_at = excluded.updated_at, revision = exhibits.revision + 1",
        )
        .bind(exhibit.id.as_str())
        .bind(to_json(&exhibit.title)?)
        .bind(to_json(&exhibit.description)?)
        .bind(exhibit.creator.as_deref())
        .bind(exhibit.date.as_deref())
        .bind(to_json(&exhibit.technique)?)
        .bind(exhibit.dimensions.as_deref())
        .bind(to_json(&exhibit.institution)?)
        .bind(exhibit.inventory_number.as_deref())
        .bind(exhibit.rights.as_deref())
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        for table in ["exhibit_images", "exhibit_persons"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE exhibit_id = $1"
            )))
            .bind(exhibit.id.as_str())
            .execute(&mut *tx)
            .await?;
        }
        for (position, image) in exhibit.images.iter().enumerate() {
            sqlx::query(
                "INSERT INTO exhibit_images (exhibit_id, position, image_id) VALUES ($1, $2, $3)",
            )
            .bind(exhibit.id.as_str())
            .bind(position as i64)
            .bind(image.id.as_str())
            .execute(&mut *tx)
            .await?;
        }
        for person in &exhibit.persons {
            sqlx::query("INSERT INTO exhibit_persons (exhibit_id, person_id) VALUES ($1, $2)")
                .bind(exhibit.id.as_str())
                .bind(person.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn exhibit(&self, id: &ExhibitId) -> Result<Option<Exhibit>> {
        let Some(row) = sqlx::query(
            "SELECT id, title, description, creator, date_text, technique, dimensions, \
             institution, inventory_number, rights FROM exhibits WHERE id = $1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let images = sqlx::query(
            "SELECT i.id, i.media_type, i.width, i.height, i.alt, i.rights, i.placeholder \
             FROM exhibit_images e JOIN images i ON i.id = e.image_id \
             WHERE e.exhibit_id = $1 ORDER BY e.position",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(image_from_row)
        .collect::<Result<_>>()?;
        let persons = sqlx::query_scalar::<_, String>(
            "SELECT person_id FROM exhibit_persons WHERE exhibit_id = $1 ORDER BY person_id",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|p| PersonId::parse(p).map_err(corrupt))
        .collect::<Result<_>>()?;
        let text = |i: usize| row.try_get::<Option<String>, _>(i);
        Ok(Some(Exhibit {
            id: ExhibitId::parse(&row.try_get::<String, _>(0)?).map_err(corrupt)?,
            title: map(&row, 1, "title")?,
            description: map(&row, 2, "description")?,
            creator: text(3)?,
            date: text(4)?,
            technique: map(&row, 5, "technique")?,
            dimensions: text(6)?,
            institution: map(&row, 7, "institution")?,
            inventory_number: text(8)?,
            rights: text(9)?,
            images,
            persons,
        }))
    }

    /// The exhibits with these ids, in the same order; ids of missing exhibits are skipped.
    pub async fn exhibits(&self, ids: &[ExhibitId]) -> Result<Vec<Exhibit>> {
        let mut exhibits = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(exhibit) = self.exhibit(id).await? {
                exhibits.push(exhibit);
            }
        }
        Ok(exhibits)
    }

    /// The exhibits that depict a person, also under an id of theirs that linkage merged into
    /// it (exhibits keep the id they were given, so that undoing a merge gives them back).
    pub async fn exhibits_of_person(&self, person: &PersonId) -> Result<Vec<Exhibit>> {
        let ids = sqlx::query_scalar::<_, String>(
            "SELECT DISTINCT exhibit_id FROM exhibit_persons WHERE person_id = $1 \
             OR person_id IN (SELECT old_id FROM person_redirects WHERE new_id = $1) \
             ORDER BY exhibit_id",
        )
        .bind(person.as_str())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|id| ExhibitId::parse(id).map_err(corrupt))
        .collect::<Result<Vec<_>>>()?;
        self.exhibits(&ids).await
    }

    /// Every exhibit that depicts someone, with the persons it depicts (for exports, which
    /// would otherwise ask once per person).
    pub async fn depictions(&self) -> Result<Vec<(PersonId, Exhibit)>> {
        // An exhibit keeps the person id it was saved with; linkage may since have merged that
        // person into another, whose page shows the exhibit.
        let rows = sqlx::query(
            "SELECT e.exhibit_id, COALESCE(r.new_id, e.person_id) AS person_id \
             FROM exhibit_persons e LEFT JOIN person_redirects r ON r.old_id = e.person_id \
             ORDER BY e.exhibit_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut pairs = Vec::with_capacity(rows.len());
        for row in rows {
            let exhibit: String = row.try_get("exhibit_id")?;
            let person: String = row.try_get("person_id")?;
            let exhibit = ExhibitId::parse(&exhibit)
                .map_err(|e| DbError::Corrupt(format!("exhibit id {exhibit:?}: {e}")))?;
            let person = PersonId::parse(&person)
                .map_err(|e| DbError::Corrupt(format!("person id {person:?}: {e}")))?;
            if let Some(exhibit) = self.exhibit(&exhibit).await? {
                pairs.push((person, exhibit));
            }
        }
        Ok(pairs)
    }

    /// Stores an exhibition with its sections, replacing any earlier version. Its exhibits must
    /// be saved first.
    pub async fn save_exhibition(&self, exhibition: &Exhibition) -> Result<()> {
        self.write_exhibition(exhibition, None).await
    }

    /// A curator's change of an exhibition, written with its audit entry, and refused with
    /// [`DbError::Conflict`] unless the stored exhibition is still at the revision the change
    /// was made on (`edit.seen`; 0: not stored yet).
    pub async fn save_exhibition_over(
        &self,
        exhibition: &Exhibition,
        edit: Edit<'_, Exhibition>,
    ) -> Result<()> {
        self.write_exhibition(exhibition, Some(edit)).await
    }

    /// The revision of a stored exhibition: 0 when there is none.
    pub async fn exhibition_revision(&self, id: &ExhibitionId) -> Result<i64> {
        revision(&self.pool, EXHIBITIONS, id.as_str()).await
    }

    async fn write_exhibition(
        &self,
        exhibition: &Exhibition,
        edit: Option<Edit<'_, Exhibition>>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if let Some(edit) = &edit {
            let subject = format!("exhibition {}", exhibition.id);
            edit.write(
                &mut tx,
                EXHIBITIONS,
                exhibition.id.as_str(),
                &subject,
                exhibition,
            )
            .await?;
        }
        refuse_shared_id(&mut tx, EXHIBITS, exhibition.id.as_str()).await?;
        let at = now();
        sqlx::query(
            "INSERT INTO exhibitions (id, title, introduction, curator, institution, status, \
             languages, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, \
             introduction = excluded.introduction, curator = excluded.curator, \
             institution = excluded.institution, status = excluded.status, \
             languages = excluded.languages, updated_at = excluded.updated_at, \
             revision = exhibitions.revision + 1",
        )
        .bind(exhibition.id.as_str())
        .bind(to_json(&exhibition.title)?)
        .bind(to_json(&exhibition.introduction)?)
        .bind(exhibition.curator.as_deref())
        .bind(to_json(&exhibition.institution)?)
        .bind(exhibition.status.as_str())
        .bind(to_json(&exhibition.languages)?)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        for table in ["section_exhibits", "exhibition_sections"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE exhibition_id = $1"
            )))
            .bind(exhibition.id.as_str())
            .execute(&mut *tx)
            .await?;
        }
        for (position, section) in exhibition.sections.iter().enumerate() {
            sqlx::query(
                "INSERT INTO exhibition_sections (exhibition_id, position, title, blocks) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(exhibition.id.as_str())
            .bind(position as i64)
            .bind(to_json(&section.title)?)
            .bind(to_json(&section.blocks)?)
            .execute(&mut *tx)
            .await?;
            for (order, exhibit) in section.exhibits.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO section_exhibits (exhibition_id, section_position, position, \
                     exhibit_id) VALUES ($1, $2, $3, $4)",
                )
                .bind(exhibition.id.as_str())
                .bind(position as i64)
                .bind(order as i64)
                .bind(exhibit.as_str())
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// An exhibition with its sections; drafts only when `include_drafts`.
    pub async fn exhibition(
        &self,
        id: &ExhibitionId,
        include_drafts: bool,
    ) -> Result<Option<Exhibition>> {
        let Some(row) = sqlx::query(
            "SELECT id, title, introduction, curator, institution, status, languages FROM exhibitions \
             WHERE id = $1 AND (status = 'published' OR $2)",
        )
        .bind(id.as_str())
        .bind(include_drafts)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let mut exhibition = exhibition_from_row(&row)?;
        let sections = sqlx::query(
            "SELECT position, title, blocks FROM exhibition_sections WHERE exhibition_id = $1 \
             ORDER BY position",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await?;
        let placements: Vec<(i64, String)> = sqlx::query_as(
            "SELECT section_position, exhibit_id FROM section_exhibits WHERE exhibition_id = $1 \
             ORDER BY section_position, position",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await?;
        for row in &sections {
            let position: i64 = row.try_get(0)?;
            let blocks: String = row.try_get(2)?;
            exhibition.sections.push(Section {
                title: map(row, 1, "title")?,
                blocks: from_json::<Vec<Block>>("blocks", &blocks)?,
                exhibits: placements
                    .iter()
                    .filter(|(p, _)| *p == position)
                    .map(|(_, e)| ExhibitId::parse(e).map_err(corrupt))
                    .collect::<Result<_>>()?,
            });
        }
        Ok(Some(exhibition))
    }

    /// Exhibitions without their sections, newest first; drafts only when `include_drafts`.
    pub async fn list_exhibitions(&self, include_drafts: bool) -> Result<Vec<Exhibition>> {
        sqlx::query(
            "SELECT id, title, introduction, curator, institution, status, languages FROM exhibitions \
             WHERE status = 'published' OR $1 ORDER BY created_at DESC, id",
        )
        .bind(include_drafts)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(exhibition_from_row)
        .collect()
    }

    /// The person an exhibit depicts, named as `SOURCE:RECORD_ID` of one of their source
    /// records (a person merged into another since is that one). The inner `Err` says what is
    /// wrong with the reference, for the curator who wrote it.
    pub async fn depicted_person(
        &self,
        reference: &str,
    ) -> Result<std::result::Result<PersonId, String>> {
        let Some((source, record_id)) = reference.trim().split_once(':') else {
            return Ok(Err(format!(
                "{reference:?}: write SOURCE:RECORD_ID, the source record of the person shown"
            )));
        };
        let source = match yodnoma_core::SourceName::parse(source) {
            Ok(source) => source,
            Err(e) => return Ok(Err(format!("{reference:?}: {e}"))),
        };
        let Some(person) = self.person_of_record(&source, record_id).await? else {
            return Ok(Err(format!(
                "{reference:?}: no record {record_id} of source {source} is stored"
            )));
        };
        Ok(Ok(self.person_redirect(&person).await?.unwrap_or(person)))
    }

    /// Every exhibit's id and title, by id: what a curator picks from to place in a section.
    pub async fn exhibit_titles(&self) -> Result<Vec<(ExhibitId, LanguageMap)>> {
        sqlx::query("SELECT id, title FROM exhibits ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let id = ExhibitId::parse(&row.try_get::<String, _>(0)?).map_err(corrupt)?;
                Ok((id, map(row, 1, "title")?))
            })
            .collect()
    }

    /// The exhibitions an exhibit is shown in, published only.
    pub async fn exhibitions_showing(&self, exhibit: &ExhibitId) -> Result<Vec<Exhibition>> {
        sqlx::query(
            "SELECT DISTINCT x.id, x.title, x.introduction, x.curator, x.institution, x.status, \
             x.languages \
             FROM section_exhibits s JOIN exhibitions x ON x.id = s.exhibition_id \
             WHERE s.exhibit_id = $1 AND x.status = 'published' ORDER BY x.id",
        )
        .bind(exhibit.as_str())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(exhibition_from_row)
        .collect()
    }
}

fn exhibition_from_row(row: &SqliteRow) -> Result<Exhibition> {
    let status: String = row.try_get(5)?;
    Ok(Exhibition {
        id: ExhibitionId::parse(&row.try_get::<String, _>(0)?).map_err(corrupt)?,
        title: map(row, 1, "title")?,
        introduction: map(row, 2, "introduction")?,
        curator: row.try_get(3)?,
        institution: map(row, 4, "institution")?,
        status: PublicationStatus::parse(&status)
            .ok_or_else(|| DbError::Corrupt(format!("status '{status}'")))?,
        languages: from_json::<Vec<String>>("languages", &row.try_get::<String, _>(6)?)?
            .iter()
            .map(|tag| {
                Language::from_tag(tag).ok_or_else(|| DbError::Corrupt(format!("language '{tag}'")))
            })
            .collect::<Result<_>>()?,
        sections: Vec::new(),
    })
}

fn image_from_row(row: &SqliteRow) -> Result<Image> {
    let dimension =
        |i: usize| -> Result<u32> { u32::try_from(row.try_get::<i64, _>(i)?).map_err(corrupt) };
    Ok(Image {
        id: ImageId::parse(&row.try_get::<String, _>(0)?).map_err(corrupt)?,
        media_type: row.try_get(1)?,
        width: dimension(2)?,
        height: dimension(3)?,
        alt: map(row, 4, "alt")?,
        rights: row.try_get(5)?,
        placeholder: row.try_get(6)?,
    })
}

impl Store {
    /// Why `id` cannot be an exhibit's (`for_exhibit`) or an exhibition's: the other kind holds
    /// it already. Asked before anything is stored, so that no image is kept for a refused save.
    pub async fn id_clash(&self, id: &str, for_exhibit: bool) -> Result<Option<String>> {
        let mut conn = self.pool.acquire().await?;
        let other = if for_exhibit { EXHIBITIONS } else { EXHIBITS };
        shared_id(&mut conn, other, id).await
    }
}

const EXHIBITS: &str = "exhibits";
const EXHIBITIONS: &str = "exhibitions";

/// Why `id` is taken when `other` (`exhibits` or `exhibitions`) holds it already: an exhibit and
/// an exhibition share the address of their IIIF manifest, `/iiif/3/manifests/{id}`.
async fn shared_id(
    conn: &mut sqlx::SqliteConnection,
    other: &'static str,
    id: &str,
) -> Result<Option<String>> {
    let sql = format!("SELECT COUNT(*) FROM {other} WHERE id = $1");
    let taken: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let holder = if other == EXHIBITS {
        "an exhibit"
    } else {
        "an exhibition"
    };
    Ok((taken > 0).then(|| {
        format!(
            "{id} is the id of {holder} already; exhibits and exhibitions need ids of their own, \
             since each has its IIIF manifest at /iiif/3/manifests/{id}"
        )
    }))
}

/// [`shared_id`] as a refusal, inside a save's transaction.
/// A curator's change: who, what, the revision the page showed, and the thing before it.
pub struct Edit<'a, T> {
    pub actor: &'a str,
    pub action: &'a str,
    /// The revision the change was made on: 0 for a thing not stored yet.
    pub seen: i64,
    pub before: Option<&'a T>,
}

impl<T: serde::Serialize> Edit<'_, T> {
    /// Refuses the change when the stored row is at another revision than `seen`, and writes its
    /// audit entry: inside the change's transaction, so that both are kept or lost together.
    async fn write(
        &self,
        tx: &mut sqlx::SqliteConnection,
        table: &'static str,
        id: &str,
        subject: &str,
        after: &T,
    ) -> Result<()> {
        refuse_other_revision(&mut *tx, table, id, self.seen).await?;
        let json = |x: &T| serde_json::to_string(x).map_err(|e| DbError::Invalid(e.to_string()));
        let before = self.before.map(json).transpose()?;
        let after = json(after)?;
        let change = crate::audit::Change {
            actor: self.actor,
            action: self.action,
            subject,
            before: before.as_deref(),
            after: Some(&after),
        };
        crate::audit::record(tx, &now(), change).await
    }
}

/// The revision of row `id` of `table` (exhibits or exhibitions): 0 when there is none.
async fn revision<'c>(
    conn: impl sqlx::SqliteExecutor<'c>,
    table: &'static str,
    id: &str,
) -> Result<i64> {
    let revision: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT revision FROM {table} WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(revision.unwrap_or(0))
}

/// Refuses a change made on revision `seen` of row `id` when the row is at another now.
async fn refuse_other_revision(
    conn: &mut sqlx::SqliteConnection,
    table: &'static str,
    id: &str,
    seen: i64,
) -> Result<()> {
    let now = revision(&mut *conn, table, id).await?;
    if now == seen {
        return Ok(());
    }
    let what = if table == EXHIBITS {
        "exhibit"
    } else {
        "exhibition"
    };
    Err(DbError::Conflict(if seen == 0 {
        format!("{what} {id} was created by someone else meanwhile: choose another id, or open it")
    } else if now == 0 {
        format!("{what} {id} was deleted since your page was shown")
    } else {
        format!(
            "{what} {id} was changed by someone else since your page was shown \
             (revision {now}, your page showed {seen}): reload the page and make your change again"
        )
    }))
}

/// Writes an image's description, on `conn`: alone, or inside the transaction of the exhibit
/// that shows it.
async fn upsert_image(conn: &mut sqlx::SqliteConnection, image: &Image) -> Result<()> {
    sqlx::query(
        "INSERT INTO images (id, media_type, width, height, alt, rights, placeholder, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (id) DO UPDATE SET media_type = excluded.media_type, \
             width = excluded.width, height = excluded.height, alt = excluded.alt, \
             rights = excluded.rights, placeholder = excluded.placeholder",
    )
    .bind(image.id.as_str())
    .bind(&image.media_type)
    .bind(i64::from(image.width))
    .bind(i64::from(image.height))
    .bind(to_json(&image.alt)?)
    .bind(image.rights.as_deref())
    .bind(image.placeholder)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn refuse_shared_id(
    conn: &mut sqlx::SqliteConnection,
    other: &'static str,
    id: &str,
) -> Result<()> {
    match shared_id(conn, other, id).await? {
        Some(why) => Err(DbError::Invalid(why)),
        None => Ok(()),
    }
}
