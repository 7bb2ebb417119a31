//! An appointment as an iCalendar file (RFC 5545), so people can add it to their own calendar.

use jiff::Timestamp;

/// One appointment to put in a calendar.
pub(crate) struct CalendarEvent<'a> {
    /// Stable identifier (the appointment id).
    pub(crate) uid: &'a str,
    /// When the file was made.
    pub(crate) stamp: Timestamp,
    /// Start and end.
    pub(crate) start: Timestamp,
    pub(crate) end: Timestamp,
    /// Title.
    pub(crate) summary: &'a str,
    /// Where.
    pub(crate) location: &'a str,
    /// More words: who, how to change it.
    pub(crate) description: &'a str,
}

/// The event as a `text/calendar` document, lines ending CRLF and folded at 75 octets.
pub(crate) fn ics(event: &CalendarEvent<'_>) -> String {
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Jointly//MSK appointments//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}@jointly", escape(event.uid)),
        format!("DTSTAMP:{}", utc(event.stamp)),
        format!("DTSTART:{}", utc(event.start)),
        format!("DTEND:{}", utc(event.end)),
        format!("SUMMARY:{}", escape(event.summary)),
        format!("LOCATION:{}", escape(event.location)),
        format!("DESCRIPTION:{}", escape(event.description)),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("")
}

/// A UTC time in the basic format, `20261124T180000Z`.
fn utc(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes text values: backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            other => out.push(other),
        }
    }
    out
}

/// Folds a content line so no physical line is longer than 75 octets, never splitting a
/// character, and ends it with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let size = c.len_utf8();
        if width + size > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += size;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_calendar_file_is_valid_and_escaped() {
        let start: Timestamp = "2026-11-24T18:00:00Z".parse().unwrap();
        let text = ics(&CalendarEvent {
            uid: "0196-abc",
            stamp: start,
            start,
            end: "2026-11-24T18:30:00Z".parse().unwrap(),
            summary: "Physiotherapy appointment",
            location: "Luton Town Centre MSK Hub, 1 George Street; Luton",
            description: &"Call 0300 123 4567 to change it.\nBring a list of medicines. ".repeat(3),
        });
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20261124T180000Z\r\n"));
        assert!(text.contains("Hub\\, 1 George Street\\; Luton"));
        assert!(text.contains("change it.\\nBring"));
        assert!(
            text.split("\r\n").all(|l| l.len() <= 75),
            "folded at 75 octets"
        );
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("DESCRIPTION:Call 0300 123 4567 to change it.\\nBring"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        let line = format!("SUMMARY:{}", "اپائنٹمنٹ ".repeat(20));
        let folded = fold(&line);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", ""), format!("{line}\r\n"));
    }
}
