//! Notes on a referral between the care team and the person: questions and replies, and the
//! words of a repeat referral that joined an open one.

use jiff::Timestamp;
use jointly_domain::event::Actor;
use jointly_domain::referral::FreeText;
use jointly_domain::{Invalid, NoteId, OrganisationId, PatientId, ReferralId, StaffUserId};

use crate::row::{DbRow, micros};
use crate::slots::actor_parts;
use crate::{Store, StoreError, Tx, read, write};

/// What a note is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteKind {
    /// A clinician's question to the person.
    Question,
    /// The person's reply.
    Reply,
    /// A repeat referral's own words, kept with the open referral it joined.
    Resubmission,
    /// Contact details given with a referral that differ from the record and were not used.
    ContactCheck,
}

impl NoteKind {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Question => "question",
            Self::Reply => "reply",
            Self::Resubmission => "resubmission",
            Self::ContactCheck => "contact_check",
        }
    }

    fn parse(input: &str) -> Result<Self, Invalid> {
        match input {
            "question" => Ok(Self::Question),
            "reply" => Ok(Self::Reply),
            "resubmission" => Ok(Self::Resubmission),
            "contact_check" => Ok(Self::ContactCheck),
            _ => Err(Invalid("choose")),
        }
    }
}

/// A note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// Identifier.
    pub id: NoteId,
    /// The referral.
    pub referral_id: ReferralId,
    /// The person.
    pub patient_id: PatientId,
    /// What it is.
    pub kind: NoteKind,
    /// The words.
    pub body: FreeText,
    /// Who wrote it.
    pub author: Actor,
    /// When.
    pub created_at: Timestamp,
}

fn note_from_row(row: &impl DbRow) -> Result<Note, StoreError> {
    let author = match (
        row.text("author_kind")?.as_str(),
        row.opt_uuid("author_id")?,
    ) {
        ("patient", Some(id)) => Actor::Patient(PatientId::from_uuid(id)),
        ("staff", Some(id)) => Actor::Staff(StaffUserId::from_uuid(id)),
        ("organisation", Some(id)) => Actor::Organisation(OrganisationId::from_uuid(id)),
        ("system", None) => Actor::System,
        _ => {
            return Err(StoreError::Corrupt {
                column: "author_kind",
            });
        }
    };
    Ok(Note {
        id: NoteId::from_uuid(row.uuid("id")?),
        referral_id: ReferralId::from_uuid(row.uuid("referral_id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        kind: row.parsed("kind", NoteKind::parse)?,
        body: row.parsed("body", FreeText::parse)?,
        author,
        created_at: row.instant("created_at")?,
    })
}

impl Store {
    /// A referral's notes, oldest first.
    pub async fn notes_for_referral(&self, referral: ReferralId) -> Result<Vec<Note>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, referral_id, patient_id, kind, body, author_kind, author_id, created_at \
                 FROM referral_note WHERE referral_id = $1 ORDER BY created_at, id",
            )
            .bind(referral.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter().map(note_from_row).collect()
        })
    }

    /// The note with `id`.
    pub async fn find_note(&self, id: NoteId) -> Result<Option<Note>, StoreError> {
        read!(self, pool => {
            let row = sqlx::query(
                "SELECT id, referral_id, patient_id, kind, body, author_kind, author_id, created_at \
                 FROM referral_note WHERE id = $1",
            )
            .bind(id.as_uuid())
            .fetch_optional(pool)
            .await?;
            row.as_ref().map(note_from_row).transpose()
        })
    }
}

impl Tx {
    /// Records a note.
    pub async fn insert_note(&mut self, note: &Note) -> Result<(), StoreError> {
        let (kind, author) = actor_parts(note.author);
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO referral_note (id, referral_id, patient_id, kind, body, author_kind, \
                 author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(note.id.as_uuid())
            .bind(note.referral_id.as_uuid())
            .bind(note.patient_id.as_uuid())
            .bind(note.kind.as_str())
            .bind(note.body.as_str())
            .bind(kind)
            .bind(author)
            .bind(micros(note.created_at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}
