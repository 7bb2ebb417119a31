//! Secure messaging between a patient and their care team: conversations with a subject, an
//! assigned member of staff (the key contact), messages from either side with an optional
//! attachment, and what each side has read. The content never leaves the service by text or
//! email; the patient is told there is a message and reads it signed in.

use jiff::Timestamp;

use crate::error::{Invalid, ValidationErrors};
use crate::ids::{AttachmentId, ConversationId, ConversationMessageId, PatientId, StaffUserId};

/// Longest subject, in characters.
pub const SUBJECT_MAX: usize = 120;
/// Longest message, in characters.
pub const BODY_MAX: usize = 5_000;
/// Largest attachment, in bytes.
pub const ATTACHMENT_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Longest attachment file name, in characters.
pub const FILE_NAME_MAX: usize = 100;

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Author {
    /// The patient.
    Patient(PatientId),
    /// A member of the care team.
    Staff(StaffUserId),
}

/// Which side of a conversation is reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The patient.
    Patient,
    /// The care team.
    CareTeam,
}

/// A conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    /// Identifier.
    pub id: ConversationId,
    /// Whose care it is about.
    pub patient_id: PatientId,
    /// What it is about, in the patient's or clinician's words.
    pub subject: String,
    /// The member of staff who answers it (the key contact); none until someone takes it.
    pub assigned_to: Option<StaffUserId>,
    /// When it started.
    pub created_at: Timestamp,
    /// When the last message was written.
    pub updated_at: Timestamp,
}

/// The kinds of file a message may carry, recognised by their content, not their name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttachmentType {
    /// A PDF document (a letter, a report).
    Pdf,
    /// A JPEG photograph.
    Jpeg,
    /// A PNG image.
    Png,
}

impl AttachmentType {
    /// The type of `bytes`, from their first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else {
            None
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// Parses a media type as stored.
    pub fn parse(media_type: &str) -> Result<Self, Invalid> {
        match media_type {
            "application/pdf" => Ok(Self::Pdf),
            "image/jpeg" => Ok(Self::Jpeg),
            "image/png" => Ok(Self::Png),
            _ => Err(Invalid("unknown")),
        }
    }
}

/// What is known of an attachment without its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentMeta {
    /// Identifier.
    pub id: AttachmentId,
    /// The name it was sent with.
    pub file_name: String,
    /// Its type.
    pub kind: AttachmentType,
    /// Its size in bytes.
    pub size: u64,
}

/// A message in a conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversationMessage {
    /// Identifier.
    pub id: ConversationMessageId,
    /// The conversation.
    pub conversation_id: ConversationId,
    /// Who wrote it.
    pub author: Author,
    /// The text.
    pub body: String,
    /// When.
    pub created_at: Timestamp,
    /// The file sent with it, if any.
    pub attachment: Option<AttachmentMeta>,
}

/// An attachment as sent: its name and content.
#[derive(Clone, Debug)]
pub struct AttachmentUpload {
    /// The file name.
    pub file_name: String,
    /// The content.
    pub content: Vec<u8>,
}

/// A checked new message: the text and, if any, the attachment with its type.
#[derive(Clone, Debug)]
pub struct CheckedMessage {
    /// The text, trimmed.
    pub body: String,
    /// The attachment: its description and content.
    pub attachment: Option<(AttachmentMeta, Vec<u8>)>,
}

/// Checks a subject: present and not too long.
pub fn check_subject(subject: &str, errors: &mut ValidationErrors) -> Option<String> {
    let subject = subject.trim();
    if subject.is_empty() {
        errors.add("subject", Invalid("required"));
        None
    } else if subject.chars().count() > SUBJECT_MAX {
        errors.add("subject", Invalid("too-long"));
        None
    } else {
        Some(subject.to_owned())
    }
}

/// Checks a message: text present and not too long; an attachment a PDF, JPEG or PNG (by
/// content) of at most [`ATTACHMENT_MAX_BYTES`], with a plain file name.
pub fn check_message(
    body: &str,
    attachment: Option<AttachmentUpload>,
    errors: &mut ValidationErrors,
) -> Option<CheckedMessage> {
    let body = body.trim();
    if body.is_empty() {
        errors.add("body", Invalid("required"));
    } else if body.chars().count() > BODY_MAX {
        errors.add("body", Invalid("too-long"));
    }
    let attachment = attachment.and_then(|upload| {
        // Only the last path part of a name is kept: never a folder from the sender's machine.
        let name = upload
            .file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        let plain = !name.is_empty()
            && name.chars().count() <= FILE_NAME_MAX
            && !name.chars().any(char::is_control);
        if !plain {
            errors.add("file_name", Invalid("invalid"));
            return None;
        }
        if upload.content.is_empty() {
            errors.add("attachment", Invalid("required"));
            return None;
        }
        if upload.content.len() > ATTACHMENT_MAX_BYTES {
            errors.add("attachment", Invalid("too-large"));
            return None;
        }
        let Some(kind) = AttachmentType::sniff(&upload.content) else {
            errors.add("attachment", Invalid("wrong-type"));
            return None;
        };
        let meta = AttachmentMeta {
            id: AttachmentId::new(),
            file_name: name,
            kind,
            size: upload.content.len() as u64,
        };
        Some((meta, upload.content))
    });
    errors.is_empty().then(|| CheckedMessage {
        body: body.to_owned(),
        attachment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(name: &str, content: &[u8]) -> Option<AttachmentUpload> {
        Some(AttachmentUpload {
            file_name: name.into(),
            content: content.to_vec(),
        })
    }

    #[test]
    fn a_message_needs_words_and_a_file_we_can_trust() {
        let mut errors = ValidationErrors::new();
        let ok = check_message(
            "  My knee is worse  ",
            upload("C:\\Users\\me\\scan.pdf", b"%PDF-1.7 ..."),
            &mut errors,
        )
        .unwrap();
        assert_eq!(ok.body, "My knee is worse");
        let (meta, _) = ok.attachment.unwrap();
        assert_eq!(meta.file_name, "scan.pdf");
        assert_eq!(meta.kind, AttachmentType::Pdf);

        let cases: [(&str, Option<AttachmentUpload>, &str, &str); 6] = [
            ("", None, "body", "required"),
            (&"a".repeat(BODY_MAX + 1), None, "body", "too-long"),
            (
                "hi",
                upload("x.exe", b"MZ\x90\x00"),
                "attachment",
                "wrong-type",
            ),
            (
                "hi",
                upload("fake.pdf", b"<html>"),
                "attachment",
                "wrong-type",
            ),
            ("hi", upload("", b"%PDF-"), "file_name", "invalid"),
            ("hi", upload("empty.png", b""), "attachment", "required"),
        ];
        for (body, attachment, field, problem) in cases {
            let mut errors = ValidationErrors::new();
            assert!(check_message(body, attachment, &mut errors).is_none());
            let error = errors.for_field(field).unwrap();
            assert_eq!(error.problem, problem, "{field}");
        }
        let mut errors = ValidationErrors::new();
        let big = [
            b"\x89PNG\r\n\x1a\n".as_slice(),
            &vec![0; ATTACHMENT_MAX_BYTES],
        ]
        .concat();
        assert!(check_message("hi", upload("big.png", &big), &mut errors).is_none());
        assert_eq!(errors.for_field("attachment").unwrap().problem, "too-large");
    }

    #[test]
    fn a_subject_is_required_and_short() {
        let mut errors = ValidationErrors::new();
        assert_eq!(
            check_subject(" Exercises ", &mut errors).as_deref(),
            Some("Exercises")
        );
        assert!(check_subject(" ", &mut errors).is_none());
        assert!(check_subject(&"s".repeat(SUBJECT_MAX + 1), &mut errors).is_none());
        assert_eq!(errors.errors().len(), 2);
    }
}
