//! Secure conversations between patients and their care team: the conversation, its messages
//! with their attachments (content kept here, in the database), and each side's read marker.

use jiff::Timestamp;
use jointly_domain::conversation::{
    AttachmentMeta, AttachmentType, Author, Conversation, ConversationMessage, Side,
};
use jointly_domain::{AttachmentId, ConversationId, ConversationMessageId, PatientId, StaffUserId};

use crate::passport::{author_columns, author_from_row};
use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

/// A conversation as listed: with the patient's name and what the reader has not read.
#[derive(Clone, Debug)]
pub struct ConversationSummary {
    /// The conversation.
    pub conversation: Conversation,
    /// The patient's name, for staff lists.
    pub patient_name: String,
    /// Messages from the other side the reader has not read.
    pub unread: u32,
}

/// The author kind whose messages `side` reads: a side's unread messages are the other
/// side's written after its read marker.
fn other_author(side: Side) -> &'static str {
    match side {
        Side::Patient => "staff",
        Side::CareTeam => "patient",
    }
}

fn conversation_from_row(row: &impl DbRow) -> Result<Conversation, StoreError> {
    Ok(Conversation {
        id: ConversationId::from_uuid(row.uuid("id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        subject: row.text("subject")?,
        assigned_to: row.opt_uuid("assigned_to")?.map(StaffUserId::from_uuid),
        created_at: row.instant("created_at")?,
        updated_at: row.instant("updated_at")?,
    })
}

/// The columns of a listed conversation, with the unread count for the side bound as `$1`'s
/// author kind, against the reader's marker.
macro_rules! summary_sql {
    ($marker:literal, $filter:literal) => {
        concat!(
            "SELECT c.id, c.patient_id, c.subject, c.assigned_to, c.created_at, c.updated_at, \
             p.given_name || ' ' || p.family_name AS patient_name, \
             (SELECT COUNT(*) FROM conversation_message m WHERE m.conversation_id = c.id \
              AND m.author_kind = $1 AND m.created_at > COALESCE(c.",
            $marker,
            ", -1)) AS unread \
             FROM conversation c JOIN patient p ON p.id = c.patient_id WHERE ",
            $filter,
            " ORDER BY c.updated_at DESC LIMIT 200"
        )
    };
}

fn summary_from_row(row: &impl DbRow) -> Result<ConversationSummary, StoreError> {
    Ok(ConversationSummary {
        conversation: conversation_from_row(row)?,
        patient_name: row.text("patient_name")?,
        unread: row.count("unread")?,
    })
}

impl Store {
    /// One conversation.
    pub async fn find_conversation(
        &self,
        id: ConversationId,
    ) -> Result<Option<Conversation>, StoreError> {
        read!(self, pool => {
            sqlx::query(
                "SELECT id, patient_id, subject, assigned_to, created_at, updated_at \
                 FROM conversation WHERE id = $1",
            )
            .bind(id.as_uuid())
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(conversation_from_row)
            .transpose()
        })
    }

    /// A patient's conversations, newest first, with what they have not read.
    pub async fn conversations_for_patient(
        &self,
        patient: PatientId,
    ) -> Result<Vec<ConversationSummary>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(summary_sql!("patient_read_at", "c.patient_id = $2"))
                .bind(other_author(Side::Patient))
                .bind(patient.as_uuid())
                .fetch_all(pool)
                .await?;
            rows.iter().map(summary_from_row).collect()
        })
    }

    /// Conversations for the care team: those assigned to `staff` and those nobody has taken,
    /// newest first, with what the team has not read. The caller checks relationships.
    pub async fn conversations_for_staff(
        &self,
        staff: StaffUserId,
    ) -> Result<Vec<ConversationSummary>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(summary_sql!(
                "staff_read_at",
                "(c.assigned_to = $2 OR c.assigned_to IS NULL)"
            ))
            .bind(other_author(Side::CareTeam))
            .bind(staff.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter().map(summary_from_row).collect()
        })
    }

    /// A conversation's messages, oldest first, with their attachments' descriptions.
    pub async fn conversation_messages(
        &self,
        id: ConversationId,
    ) -> Result<Vec<ConversationMessage>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT m.id, m.author_kind, m.author_id, m.body, m.created_at, \
                 a.id AS attachment_id, a.file_name, a.media_type, a.size \
                 FROM conversation_message m \
                 LEFT JOIN conversation_attachment a ON a.message_id = m.id \
                 WHERE m.conversation_id = $1 ORDER BY m.created_at, m.id",
            )
            .bind(id.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    let author = author_from_row(row, "author_kind", "author_id")?;
                    let attachment = match row.opt_uuid("attachment_id")? {
                        Some(attachment) => Some(AttachmentMeta {
                            id: AttachmentId::from_uuid(attachment),
                            file_name: row.text("file_name")?,
                            kind: row.parsed("media_type", AttachmentType::parse)?,
                            size: u64::try_from(row.int("size")?)
                                .map_err(|_| StoreError::Corrupt { column: "size" })?,
                        }),
                        None => None,
                    };
                    Ok(ConversationMessage {
                        id: ConversationMessageId::from_uuid(row.uuid("id")?),
                        conversation_id: id,
                        author,
                        body: row.text("body")?,
                        created_at: row.instant("created_at")?,
                        attachment,
                    })
                })
                .collect()
        })
    }

    /// An attachment's content, with the conversation it belongs to.
    pub async fn conversation_attachment(
        &self,
        id: AttachmentId,
    ) -> Result<Option<(ConversationId, AttachmentMeta, Vec<u8>)>, StoreError> {
        read!(self, pool => {
            let row = sqlx::query(
                "SELECT m.conversation_id, a.file_name, a.media_type, a.size \
                 FROM conversation_attachment a JOIN conversation_message m ON m.id = a.message_id \
                 WHERE a.id = $1",
            )
            .bind(id.as_uuid())
            .fetch_optional(pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let content: Vec<u8> =
                sqlx::query_scalar("SELECT content FROM conversation_attachment WHERE id = $1")
                    .bind(id.as_uuid())
                    .fetch_one(pool)
                    .await?;
            let meta = AttachmentMeta {
                id,
                file_name: row.text("file_name")?,
                kind: row.parsed("media_type", AttachmentType::parse)?,
                size: u64::try_from(row.int("size")?)
                    .map_err(|_| StoreError::Corrupt { column: "size" })?,
            };
            Ok(Some((
                ConversationId::from_uuid(row.uuid("conversation_id")?),
                meta,
                content,
            )))
        })
    }
}

impl Tx {
    /// Records a new conversation.
    pub async fn insert_conversation(&mut self, c: &Conversation) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO conversation (id, patient_id, subject, assigned_to, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(c.id.as_uuid())
            .bind(c.patient_id.as_uuid())
            .bind(&c.subject)
            .bind(c.assigned_to.map(|s| s.as_uuid()))
            .bind(micros(c.created_at))
            .bind(micros(c.updated_at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Adds a message (and its attachment's content) and moves the conversation to the top;
    /// the writer has read everything up to their own message.
    pub async fn add_conversation_message(
        &mut self,
        message: &ConversationMessage,
        content: Option<&[u8]>,
    ) -> Result<(), StoreError> {
        let (kind, author) = author_columns(message.author);
        let side = match message.author {
            Author::Patient(_) => Side::Patient,
            Author::Staff(_) => Side::CareTeam,
        };
        let at = micros(message.created_at);
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO conversation_message (id, conversation_id, author_kind, author_id, \
                 body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(message.id.as_uuid())
            .bind(message.conversation_id.as_uuid())
            .bind(kind)
            .bind(author)
            .bind(&message.body)
            .bind(at)
            .execute(&mut *conn)
            .await?;
            if let (Some(meta), Some(content)) = (&message.attachment, content) {
                sqlx::query(
                    "INSERT INTO conversation_attachment (id, message_id, file_name, media_type, \
                     size, content) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(meta.id.as_uuid())
                .bind(message.id.as_uuid())
                .bind(&meta.file_name)
                .bind(meta.kind.media_type())
                .bind(i64::try_from(meta.size).unwrap_or(i64::MAX))
                .bind(content)
                .execute(&mut *conn)
                .await?;
            }
            let sql = match side {
                Side::Patient => {
                    "UPDATE conversation SET updated_at = $2, patient_read_at = $2 WHERE id = $1"
                }
                Side::CareTeam => {
                    "UPDATE conversation SET updated_at = $2, staff_read_at = $2 WHERE id = $1"
                }
            };
            sqlx::query(sql)
                .bind(message.conversation_id.as_uuid())
                .bind(at)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// `side` has read the conversation up to `now`.
    pub async fn mark_conversation_read(
        &mut self,
        id: ConversationId,
        side: Side,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let sql = match side {
            Side::Patient => "UPDATE conversation SET patient_read_at = $2 WHERE id = $1",
            Side::CareTeam => "UPDATE conversation SET staff_read_at = $2 WHERE id = $1",
        };
        write!(self, conn => {
            sqlx::query(sql)
                .bind(id.as_uuid())
                .bind(micros(now))
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Gives a conversation to a member of staff to answer.
    pub async fn assign_conversation(
        &mut self,
        id: ConversationId,
        staff: StaffUserId,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query("UPDATE conversation SET assigned_to = $2 WHERE id = $1")
                .bind(id.as_uuid())
                .bind(staff.as_uuid())
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }
}
