//! Choosing an appointment: what a person asks for (which days, how, what time of day, how far
//! from home or work) and how free slots are matched and ordered for them.

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime, Weekday};
use jiff::{SignedDuration, Timestamp};

use crate::clock::local;
use crate::contact::Postcode;
use crate::error::{Invalid, ValidationErrors};
use crate::slot::Modality;

/// The longest span of days one search may cover.
pub const LONGEST_SEARCH_DAYS: i32 = 92;

/// The distances, in kilometres, a person may ask to stay within.
pub const DISTANCES_KM: [u32; 5] = [3, 5, 10, 20, 50];

/// A part of the week people ask for.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TimeOfDay {
    /// Starting before noon.
    Morning,
    /// Starting from noon to before 5pm.
    Afternoon,
    /// Starting at 5pm or later.
    Evening,
    /// On a Saturday or Sunday.
    Weekend,
}

impl TimeOfDay {
    /// Every part of the week, in the order they are offered.
    pub const ALL: [TimeOfDay; 4] = [Self::Morning, Self::Afternoon, Self::Evening, Self::Weekend];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Morning => "morning",
            Self::Afternoon => "afternoon",
            Self::Evening => "evening",
            Self::Weekend => "weekend",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == input)
            .ok_or(Invalid("choose"))
    }

    /// True when a slot starting at `start` (London time) is in this part of the week.
    pub fn includes(self, start: DateTime) -> bool {
        let weekend = matches!(start.weekday(), Weekday::Saturday | Weekday::Sunday);
        match self {
            Self::Morning => start.hour() < 12,
            Self::Afternoon => (12..17).contains(&start.hour()),
            Self::Evening => start.hour() >= 17,
            Self::Weekend => weekend,
        }
    }
}

/// How results are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// The soonest first.
    Earliest,
    /// The nearest first (phone and video count as nearest), then the soonest.
    Nearest,
}

/// A place on the map, in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Latitude.
    pub latitude: f64,
    /// Longitude.
    pub longitude: f64,
}

/// The distance between two points along the Earth's surface, in kilometres.
pub fn distance_km(a: Point, b: Point) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b.longitude - a.longitude).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
}

/// Where a person measures distance from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum From {
    /// Their home postcode.
    Home,
    /// Another postcode they give, such as work.
    Other,
}

/// A search as a form or a query string gives it: every field text, any of them empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchAnswers {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// Modalities wanted (codes); none means any.
    pub modalities: Vec<String>,
    /// Parts of the week wanted (codes); none means any.
    pub times: Vec<String>,
    /// `home` or `other`: where distance is measured from.
    pub near: String,
    /// The other postcode, when `near` is `other`.
    pub postcode: String,
    /// Kilometres to stay within, one of [`DISTANCES_KM`]; empty for any distance.
    pub within: String,
    /// `earliest` or `nearest`.
    pub order: String,
}

/// A checked search.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotSearch {
    /// First day (London time).
    pub from: Date,
    /// Last day, inclusive.
    pub to: Date,
    /// Modalities wanted; empty means any.
    pub modalities: Vec<Modality>,
    /// Parts of the week wanted; empty means any.
    pub times: Vec<TimeOfDay>,
    /// Where distance is measured from, when it is known.
    pub origin: Option<Point>,
    /// Stay within this many kilometres (in person only).
    pub within_km: Option<u32>,
    /// How to order the results.
    pub order: Order,
}

/// A slot as the search sees it.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    /// When it starts.
    pub start: Timestamp,
    /// How it happens.
    pub modality: Modality,
    /// Where its location is.
    pub place: Point,
}

impl SlotSearch {
    /// The default search: the next four weeks from `today`, anything, nearest home first.
    pub fn default_from(today: Date, home: Option<Point>) -> Self {
        Self {
            from: today,
            to: today
                .checked_add(SignedDuration::from_hours(24 * 27))
                .unwrap_or(today),
            modalities: Vec::new(),
            times: Vec::new(),
            origin: home,
            within_km: None,
            order: Order::Earliest,
        }
    }

    /// Checks `answers`, naming every problem by its field. `home` is where the person lives,
    /// if known; `locate` finds a postcode on the map.
    pub fn parse(
        answers: &SearchAnswers,
        today: Date,
        home: Option<Point>,
        locate: impl Fn(&Postcode) -> Option<Point>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let default = Self::default_from(today, home);
        let day =
            |field: &'static str, text: &str, fallback: Date, errors: &mut ValidationErrors| {
                if text.trim().is_empty() {
                    return Some(fallback);
                }
                match text.trim().parse::<Date>() {
                    Ok(date) => Some(date),
                    Err(_) => {
                        errors.add(field, Invalid("not-a-date"));
                        None
                    }
                }
            };
        let from = day("from", &answers.from, default.from, &mut errors);
        let to = day("to", &answers.to, default.to, &mut errors);
        if let Some(from) = from
            && from < today
        {
            errors.add("from", Invalid("in-the-past"));
        }
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                errors.add("to", Invalid("before-start"));
            } else if (to - from).get_days() > LONGEST_SEARCH_DAYS {
                errors.add("to", Invalid("too-far"));
            }
        }
        let modalities = answers
            .modalities
            .iter()
            .filter_map(|m| match Modality::parse(m) {
                Ok(m) => Some(m),
                Err(e) => {
                    errors.add("modality", e);
                    None
                }
            })
            .collect();
        let times = answers
            .times
            .iter()
            .filter_map(|t| match TimeOfDay::parse(t) {
                Ok(t) => Some(t),
                Err(e) => {
                    errors.add("time", e);
                    None
                }
            })
            .collect();
        let origin = match answers.near.trim() {
            "" | "home" => home,
            "other" => match Postcode::parse(&answers.postcode) {
                Ok(postcode) => {
                    let found = locate(&postcode);
                    if found.is_none() {
                        errors.add("postcode", Invalid("unknown-postcode"));
                    }
                    found
                }
                Err(e) => {
                    errors.add("postcode", e);
                    None
                }
            },
            _ => {
                errors.add("near", Invalid("choose"));
                None
            }
        };
        let within_km = match answers.within.trim() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(km) if DISTANCES_KM.contains(&km) => Some(km),
                _ => {
                    errors.add("within", Invalid("choose"));
                    None
                }
            },
        };
        if within_km.is_some() && origin.is_none() && errors.is_empty() {
            errors.add("near", Invalid("no-origin"));
        }
        let order = match answers.order.trim() {
            "" | "earliest" => Order::Earliest,
            "nearest" => Order::Nearest,
            _ => {
                errors.add("order", Invalid("choose"));
                Order::Earliest
            }
        };
        match (from, to, errors.is_empty()) {
            (Some(from), Some(to), true) => Ok(Self {
                from,
                to,
                modalities,
                times,
                origin,
                within_km,
                order,
            }),
            _ => Err(errors),
        }
    }

    /// Whether `slot` is one this search wants; if so, its distance from the origin (none for
    /// phone and video, or when there is no origin).
    pub fn accepts(&self, slot: &Candidate) -> Option<Option<f64>> {
        let start = local(slot.start);
        if start.date() < self.from || start.date() > self.to {
            return None;
        }
        if !self.modalities.is_empty() && !self.modalities.contains(&slot.modality) {
            return None;
        }
        if !self.times.is_empty() && !self.times.iter().any(|t| t.includes(start)) {
            return None;
        }
        let in_person = matches!(slot.modality, Modality::FaceToFace | Modality::Group);
        let distance = self
            .origin
            .filter(|_| in_person)
            .map(|origin| distance_km(origin, slot.place));
        if let (Some(km), Some(limit)) = (distance, self.within_km)
            && km > f64::from(limit)
        {
            return None;
        }
        Some(distance)
    }

    /// Orders accepted slots (each with its distance) as the person asked.
    pub fn order_results<T>(&self, results: &mut [(T, Option<f64>, Timestamp)]) {
        match self.order {
            Order::Earliest => results.sort_by_key(|(_, _, start)| *start),
            Order::Nearest => results.sort_by(|a, b| {
                a.1.unwrap_or(0.0)
                    .total_cmp(&b.1.unwrap_or(0.0))
                    .then(a.2.cmp(&b.2))
            }),
        }
    }
}

/// Approximate centres of postcode districts (the outward code, such as `LU1`), for measuring
/// distance from a postcode without sending it anywhere.
#[derive(Clone, Debug, Default)]
pub struct PostcodeDirectory {
    districts: BTreeMap<String, Point>,
}

/// A problem in a postcode directory file, with its line.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct DirectoryError {
    /// The line, from 1.
    pub line: usize,
    /// What is wrong.
    pub problem: String,
}

impl PostcodeDirectory {
    /// Reads `district,latitude,longitude` lines (a header line and `#` comments allowed).
    pub fn parse(text: &str) -> Result<Self, DirectoryError> {
        let mut districts = BTreeMap::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let raw = raw.trim();
            if raw.is_empty() || raw.starts_with('#') || raw.starts_with("district,") {
                continue;
            }
            let problem = |problem: String| DirectoryError { line, problem };
            let fields: Vec<&str> = raw.split(',').map(str::trim).collect();
            let [district, latitude, longitude] = fields[..] else {
                return Err(problem(format!(
                    "expected `district,latitude,longitude`, found {} fields",
                    fields.len()
                )));
            };
            let valid_district = (2..=4).contains(&district.len())
                && district.chars().all(|c| c.is_ascii_alphanumeric())
                && district.starts_with(|c: char| c.is_ascii_uppercase());
            if !valid_district {
                return Err(problem(format!("`{district}` is not a postcode district")));
            }
            let degrees = |text: &str, limit: f64| {
                text.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && v.abs() <= limit)
            };
            let (Some(latitude), Some(longitude)) =
                (degrees(latitude, 90.0), degrees(longitude, 180.0))
            else {
                return Err(problem(format!(
                    "`{latitude},{longitude}` is not a latitude and longitude"
                )));
            };
            if districts
                .insert(
                    district.to_owned(),
                    Point {
                        latitude,
                        longitude,
                    },
                )
                .is_some()
            {
                return Err(problem(format!("`{district}` appears twice")));
            }
        }
        Ok(Self { districts })
    }

    /// The centre of `postcode`'s district, if the directory has it.
    pub fn locate(&self, postcode: &Postcode) -> Option<Point> {
        let outward = postcode.as_str().split(' ').next()?;
        self.districts.get(outward).copied()
    }

    /// How many districts it knows.
    pub fn len(&self) -> usize {
        self.districts.len()
    }

    /// True when it knows none.
    pub fn is_empty(&self) -> bool {
        self.districts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use jiff::civil::date;

    use super::*;

    const TODAY: Date = date(2026, 11, 23);
    const LUTON: Point = Point {
        latitude: 51.8787,
        longitude: -0.42,
    };
    const BEDFORD: Point = Point {
        latitude: 52.1406,
        longitude: -0.4669,
    };

    fn directory() -> PostcodeDirectory {
        PostcodeDirectory::parse(
            "district,latitude,longitude\nLU1,51.8787,-0.42\nMK40,52.1406,-0.4669\n",
        )
        .unwrap()
    }

    fn search(answers: SearchAnswers) -> Result<SlotSearch, ValidationErrors> {
        let places = directory();
        SlotSearch::parse(&answers, TODAY, Some(LUTON), |p| places.locate(p))
    }

    fn at(text: &str) -> Timestamp {
        text.parse::<DateTime>()
            .unwrap()
            .to_zoned(crate::clock::london())
            .unwrap()
            .timestamp()
    }

    #[test]
    fn luton_to_bedford_is_about_29_km() {
        let km = distance_km(LUTON, BEDFORD);
        assert!((28.0..31.0).contains(&km), "{km}");
        assert!(distance_km(LUTON, LUTON) < 1e-9);
    }

    #[test]
    fn parts_of_the_week_follow_london_time() {
        let evening = local(at("2026-11-26T17:30"));
        assert!(TimeOfDay::Evening.includes(evening));
        assert!(!TimeOfDay::Afternoon.includes(evening));
        let saturday = local(at("2026-11-28T09:00"));
        assert!(TimeOfDay::Weekend.includes(saturday) && TimeOfDay::Morning.includes(saturday));
    }

    #[test]
    fn a_search_finds_what_was_asked_and_measures_in_person_only() {
        let s = search(SearchAnswers {
            modalities: vec!["face_to_face".into(), "video".into()],
            times: vec!["evening".into(), "weekend".into()],
            within: "10".into(),
            ..SearchAnswers::default()
        })
        .unwrap();
        let slot = |when: &str, modality, place| Candidate {
            start: at(when),
            modality,
            place,
        };
        let near_evening = slot("2026-11-26T18:00", Modality::FaceToFace, LUTON);
        assert_eq!(
            s.accepts(&near_evening).map(|d| d.unwrap() < 1.0),
            Some(true)
        );
        assert_eq!(
            s.accepts(&slot("2026-11-26T18:00", Modality::FaceToFace, BEDFORD)),
            None,
            "too far"
        );
        assert_eq!(
            s.accepts(&slot("2026-11-26T18:00", Modality::Video, BEDFORD)),
            Some(None),
            "video is never too far"
        );
        assert_eq!(
            s.accepts(&slot("2026-11-26T10:00", Modality::FaceToFace, LUTON)),
            None
        );
        assert_eq!(
            s.accepts(&slot("2026-11-26T18:00", Modality::Phone, LUTON)),
            None
        );
        assert!(
            s.accepts(&slot("2026-11-28T10:00", Modality::FaceToFace, LUTON))
                .is_some()
        );
        assert_eq!(
            s.accepts(&slot("2027-01-26T18:00", Modality::FaceToFace, LUTON)),
            None,
            "after the four weeks asked for"
        );
    }

    #[test]
    fn nearest_first_then_soonest() {
        let s = search(SearchAnswers {
            order: "nearest".into(),
            ..SearchAnswers::default()
        })
        .unwrap();
        let mut results = vec![
            ("far", Some(29.0), at("2026-11-24T09:00")),
            ("near later", Some(1.0), at("2026-11-30T09:00")),
            ("near sooner", Some(1.0), at("2026-11-25T09:00")),
            ("video", None, at("2026-12-01T09:00")),
        ];
        s.order_results(&mut results);
        let names: Vec<&str> = results.iter().map(|r| r.0).collect();
        assert_eq!(names, ["video", "near sooner", "near later", "far"]);
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let errors = search(SearchAnswers {
            from: "2026-11-20".into(),
            to: "soon".into(),
            modalities: vec!["carrier pigeon".into()],
            times: vec!["midnight".into()],
            near: "other".into(),
            postcode: "ZZ9 9ZZ".into(),
            within: "7".into(),
            order: "cheapest".into(),
        })
        .unwrap_err();
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_ref()).collect();
        for field in [
            "from", "to", "modality", "time", "postcode", "within", "order",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
        let too_long = search(SearchAnswers {
            to: "2027-06-01".into(),
            ..SearchAnswers::default()
        })
        .unwrap_err();
        assert_eq!(too_long.errors()[0].field, "to");
        assert_eq!(too_long.errors().len(), 1);
        let work = search(SearchAnswers {
            near: "other".into(),
            postcode: "mk40 2nt".into(),
            ..SearchAnswers::default()
        })
        .unwrap();
        assert_eq!(work.origin, Some(BEDFORD));
    }

    #[test]
    fn a_bad_directory_line_is_named() {
        let error = PostcodeDirectory::parse("LU1,51.8,-0.4\nLU2,north,west\n").unwrap_err();
        assert_eq!(error.line, 2);
        let error = PostcodeDirectory::parse("LU1,51.8,-0.4\nLU1,51.8,-0.4\n").unwrap_err();
        assert!(error.problem.contains("twice"));
        assert!(PostcodeDirectory::parse("lu1,51,0").is_err());
    }
}
