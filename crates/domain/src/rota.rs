//! Capacity as data: each clinician's rota of recurring weekly sessions (at a location, in a
//! modality, for new or follow-up appointments of a set length), the days it does not run
//! (leave, training, closures, bank holidays), and the slots it makes over a rolling horizon.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::clock::london;
use crate::error::{Invalid, ValidationErrors};
use crate::ids::{ClinicianId, LocationId, RotaExceptionId, RotaSessionId, ServiceId, SlotId};
use crate::slot::{AppointmentKind, Modality, Slot, SlotStatus};

/// The shortest and longest appointment a session may offer, in minutes.
pub const APPOINTMENT_MINUTES: std::ops::RangeInclusive<u32> = 10..=180;

/// How far ahead slots are made: twelve weeks, enough for the search's three months.
pub const HORIZON_DAYS: i32 = 84;

/// A recurring weekly session in a clinician's rota.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotaSession {
    /// Identifier.
    pub id: RotaSessionId,
    /// Who works it.
    pub clinician_id: ClinicianId,
    /// The service whose patients it sees.
    pub service_id: ServiceId,
    /// Where (for phone and video, where the clinician works from).
    pub location_id: LocationId,
    /// The day of the week.
    pub weekday: Weekday,
    /// Start, London time.
    pub starts: Time,
    /// End, London time.
    pub ends: Time,
    /// How patients are seen.
    pub modality: Modality,
    /// Which appointments it offers.
    pub kind: AppointmentKind,
    /// Length of each appointment.
    pub minutes: u32,
    /// The first day it runs.
    pub valid_from: Date,
    /// The last day it runs, if it ends.
    pub valid_until: Option<Date>,
    /// Whether it runs on bank holidays too.
    pub on_bank_holidays: bool,
}

/// Why a rota does not run on some days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionReason {
    /// Annual or other leave.
    Leave,
    /// Training or study.
    Training,
    /// The clinic is closed (building work, a service-wide closure).
    Closure,
}

impl ExceptionReason {
    /// Every reason.
    pub const ALL: [ExceptionReason; 3] = [Self::Leave, Self::Training, Self::Closure];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Leave => "leave",
            Self::Training => "training",
            Self::Closure => "closure",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// Days a rota does not run: one clinician's, or (without a clinician) every session at a
/// location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotaException {
    /// Identifier.
    pub id: RotaExceptionId,
    /// Whose sessions stop, or `None` with a location for a closure.
    pub clinician_id: Option<ClinicianId>,
    /// Where sessions stop, for a closure.
    pub location_id: Option<LocationId>,
    /// The first day.
    pub from: Date,
    /// The last day (inclusive).
    pub to: Date,
    /// Why.
    pub reason: ExceptionReason,
}

impl RotaException {
    /// Whether this exception stops `session` on `date`.
    pub fn stops(&self, session: &RotaSession, date: Date) -> bool {
        date >= self.from
            && date <= self.to
            && self.clinician_id.is_none_or(|c| c == session.clinician_id)
            && self.location_id.is_none_or(|l| l == session.location_id)
    }
}

/// The bank holidays the rotas observe.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BankHolidays(BTreeSet<Date>);

impl BankHolidays {
    /// Reads `date,name` lines (a header line and `#` comments are skipped), naming the line
    /// of anything that is not a date.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut dates = BTreeSet::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("date") {
                continue;
            }
            let date = line.split(',').next().unwrap_or_default().trim();
            let parsed: Date = date.parse().map_err(|_| {
                format!(
                    "line {}: `{date}` is not a date like 2026-12-25",
                    number + 1
                )
            })?;
            dates.insert(parsed);
        }
        Ok(Self(dates))
    }

    /// Whether `date` is a bank holiday.
    pub fn contains(&self, date: Date) -> bool {
        self.0.contains(&date)
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Those from `from` on, soonest first.
    pub fn from(&self, from: Date) -> impl Iterator<Item = Date> + '_ {
        self.0.range(from..).copied()
    }
}

impl RotaSession {
    /// Checks a session as entered: times in order and long enough for one appointment, an
    /// appointment length in [`APPOINTMENT_MINUTES`], an end date not before the start. Every
    /// problem is named by field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if !APPOINTMENT_MINUTES.contains(&self.minutes) {
            errors.add(
                "length",
                Invalid(if self.minutes < *APPOINTMENT_MINUTES.start() {
                    "too-low"
                } else {
                    "too-high"
                }),
            );
        }
        let length = self
            .starts
            .until(self.ends)
            .ok()
            .map(|span| span.total(jiff::Unit::Minute).unwrap_or(0.0));
        match length {
            Some(minutes) if minutes > 0.0 => {
                if minutes < f64::from(self.minutes) {
                    errors.add("ends", Invalid("too-short"));
                }
            }
            _ => errors.add("ends", Invalid("before-start")),
        }
        if self
            .valid_until
            .is_some_and(|until| until < self.valid_from)
        {
            errors.add("ends_on", Invalid("before-start"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Whether the session runs on `date`.
    pub fn runs_on(
        &self,
        date: Date,
        exceptions: &[RotaException],
        holidays: &BankHolidays,
    ) -> bool {
        date.weekday() == self.weekday
            && date >= self.valid_from
            && self.valid_until.is_none_or(|until| date <= until)
            && (self.on_bank_holidays || !holidays.contains(date))
            && !exceptions.iter().any(|e| e.stops(self, date))
    }

    /// The appointment times the session offers on `date`, whether or not it runs then:
    /// back to back from the start, as many whole appointments as fit.
    pub fn times_on(&self, date: Date) -> Vec<(Timestamp, Timestamp)> {
        let zone = london();
        let (Ok(start), Ok(end)) = (
            date.to_datetime(self.starts).to_zoned(zone.clone()),
            date.to_datetime(self.ends).to_zoned(zone),
        ) else {
            return Vec::new();
        };
        let (mut at, end) = (start.timestamp(), end.timestamp());
        let length = SignedDuration::from_mins(i64::from(self.minutes));
        let mut times = Vec::new();
        while length > SignedDuration::ZERO && at + length <= end {
            times.push((at, at + length));
            at += length;
        }
        times
    }
}

/// A slot made from a rota session, with the session it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedSlot {
    /// The slot, free.
    pub slot: Slot,
    /// The session that made it.
    pub session: RotaSessionId,
}

/// The free slots `sessions` make from `from` to `to` (inclusive), skipping the days they do
/// not run. `new_id` names each slot. Making the same days again makes the same (session,
/// start) pairs, which storage keeps once.
pub fn generate_slots(
    sessions: &[RotaSession],
    exceptions: &[RotaException],
    holidays: &BankHolidays,
    from: Date,
    to: Date,
    mut new_id: impl FnMut() -> SlotId,
) -> Vec<GeneratedSlot> {
    let mut slots = Vec::new();
    let mut date = from;
    while date <= to {
        for session in sessions
            .iter()
            .filter(|s| s.runs_on(date, exceptions, holidays))
        {
            for (start, end) in session.times_on(date) {
                slots.push(GeneratedSlot {
                    slot: Slot {
                        id: new_id(),
                        service_id: session.service_id,
                        location_id: session.location_id,
                        clinician_id: session.clinician_id,
                        start,
                        end,
                        modality: session.modality,
                        status: SlotStatus::Free,
                        kind: session.kind,
                    },
                    session: session.id,
                });
            }
        }
        let Ok(next) = date.tomorrow() else { break };
        date = next;
    }
    slots
}

/// Parses a weekday as forms send it (`monday` … `sunday`).
pub fn parse_weekday(input: &str) -> Result<Weekday, Invalid> {
    WEEKDAYS
        .into_iter()
        .find(|(code, _)| *code == input)
        .map(|(_, day)| day)
        .ok_or(Invalid("choose"))
}

/// The stable code of a weekday.
pub fn weekday_code(day: Weekday) -> &'static str {
    WEEKDAYS
        .into_iter()
        .find(|(_, d)| *d == day)
        .map_or("monday", |(code, _)| code)
}

/// Weekdays with their codes, Monday first.
pub const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};

    use super::*;

    fn session(weekday: Weekday, starts: Time, ends: Time, minutes: u32) -> RotaSession {
        RotaSession {
            id: RotaSessionId::new(),
            clinician_id: ClinicianId::new(),
            service_id: ServiceId::new(),
            location_id: LocationId::new(),
            weekday,
            starts,
            ends,
            modality: Modality::FaceToFace,
            kind: AppointmentKind::New,
            minutes,
            valid_from: date(2026, 11, 1),
            valid_until: None,
            on_bank_holidays: false,
        }
    }

    fn holidays() -> BankHolidays {
        BankHolidays::parse(
            "date,name\n2026-12-25,Christmas Day\n2026-12-28,Boxing Day (substitute day)\n",
        )
        .unwrap()
    }

    #[test]
    fn an_evening_session_makes_back_to_back_slots_in_london_time() {
        let evening = session(Weekday::Tuesday, time(17, 30, 0, 0), time(20, 0, 0, 0), 45);
        let times = evening.times_on(date(2026, 12, 1));
        assert_eq!(times.len(), 3, "17:30, 18:15, 19:00; 19:45 would overrun");
        assert_eq!(crate::clock::local(times[0].0).time(), time(17, 30, 0, 0));
        assert_eq!(crate::clock::local(times[2].1).time(), time(19, 45, 0, 0));
        let summer = evening.times_on(date(2027, 6, 1));
        assert_eq!(
            crate::clock::local(summer[0].0).time(),
            time(17, 30, 0, 0),
            "BST too"
        );
    }

    #[test]
    fn leave_closures_and_bank_holidays_stop_a_session() {
        let monday = session(Weekday::Monday, time(9, 0, 0, 0), time(12, 0, 0, 0), 30);
        let leave = RotaException {
            id: RotaExceptionId::new(),
            clinician_id: Some(monday.clinician_id),
            location_id: None,
            from: date(2026, 12, 7),
            to: date(2026, 12, 11),
            reason: ExceptionReason::Leave,
        };
        let someone_else = RotaException {
            clinician_id: Some(ClinicianId::new()),
            from: date(2026, 11, 30),
            to: date(2026, 11, 30),
            ..leave.clone()
        };
        let closure = RotaException {
            clinician_id: None,
            location_id: Some(monday.location_id),
            from: date(2026, 12, 14),
            to: date(2026, 12, 14),
            reason: ExceptionReason::Closure,
            ..leave.clone()
        };
        let exceptions = [leave, someone_else, closure];
        let holidays = holidays();
        let runs = |d| monday.runs_on(d, &exceptions, &holidays);
        assert!(runs(date(2026, 11, 30)), "another clinician's leave");
        assert!(!runs(date(2026, 12, 1)), "a Tuesday");
        assert!(!runs(date(2026, 12, 7)), "on leave");
        assert!(!runs(date(2026, 12, 14)), "the clinic is closed");
        assert!(runs(date(2026, 12, 21)));
        assert!(!runs(date(2026, 12, 28)), "a bank holiday");
        let mut open = monday.clone();
        open.on_bank_holidays = true;
        assert!(open.runs_on(date(2026, 12, 28), &exceptions, &holidays));
        open.valid_until = Some(date(2026, 12, 20));
        assert!(
            !open.runs_on(date(2026, 12, 21), &exceptions, &holidays),
            "ended"
        );

        let slots = generate_slots(
            std::slice::from_ref(&monday),
            &exceptions,
            &holidays,
            date(2026, 11, 30),
            date(2026, 12, 31),
            SlotId::new,
        );
        // Mondays 30 Nov, 7, 14, 21, 28 Dec: only 30 Nov and 21 Dec run, six slots each.
        assert_eq!(slots.len(), 2 * 6);
        assert!(slots.iter().all(|g| g.session == monday.id
            && g.slot.kind == AppointmentKind::New
            && g.slot.status == SlotStatus::Free));
    }

    #[test]
    fn a_session_as_entered_is_checked_field_by_field() {
        let mut bad = session(Weekday::Friday, time(12, 0, 0, 0), time(9, 0, 0, 0), 5);
        bad.valid_until = Some(date(2026, 10, 1));
        let errors = bad.validate().unwrap_err();
        let fields: Vec<_> = errors
            .errors()
            .iter()
            .map(|e| e.field.to_string())
            .collect();
        assert_eq!(fields, ["length", "ends", "ends_on"]);
        let short = session(Weekday::Friday, time(9, 0, 0, 0), time(9, 20, 0, 0), 30);
        assert!(short.validate().is_err(), "no whole appointment fits");
        assert!(
            session(Weekday::Friday, time(9, 0, 0, 0), time(12, 0, 0, 0), 30)
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn bank_holidays_name_a_bad_line() {
        let err = BankHolidays::parse("date,name\n2026-12-25,Christmas\nsoon,Never\n").unwrap_err();
        assert!(err.contains("line 3"), "{err}");
        assert_eq!(holidays().len(), 2);
    }
}
