//! The schema migrations, embedded in the binary: one folder per backend, same names, never
//! edited once landed (sqlx refuses to run if an applied migration's checksum changes).

use std::borrow::Cow;

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

use crate::url::Backend;

/// (version, description, SQLite SQL, PostgreSQL SQL), in order.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "front_door",
        include_str!("../migrations/sqlite/0002_front_door.sql"),
        include_str!("../migrations/postgres/0002_front_door.sql"),
    ),
    (
        3,
        "offers",
        include_str!("../migrations/sqlite/0003_offers.sql"),
        include_str!("../migrations/postgres/0003_offers.sql"),
    ),
    (
        4,
        "clinic_day",
        include_str!("../migrations/sqlite/0004_clinic_day.sql"),
        include_str!("../migrations/postgres/0004_clinic_day.sql"),
    ),
    (
        5,
        "rotas",
        include_str!("../migrations/sqlite/0005_rotas.sql"),
        include_str!("../migrations/postgres/0005_rotas.sql"),
    ),
    (
        6,
        "waiting_contact",
        include_str!("../migrations/sqlite/0006_waiting_contact.sql"),
        include_str!("../migrations/postgres/0006_waiting_contact.sql"),
    ),
    (
        7,
        "classes",
        include_str!("../migrations/sqlite/0007_classes.sql"),
        include_str!("../migrations/postgres/0007_classes.sql"),
    ),
    (
        8,
        "offer_preferences",
        include_str!("../migrations/sqlite/0008_offer_preferences.sql"),
        include_str!("../migrations/postgres/0008_offer_preferences.sql"),
    ),
    (
        9,
        "communication",
        include_str!("../migrations/sqlite/0009_communication.sql"),
        include_str!("../migrations/postgres/0009_communication.sql"),
    ),
    (
        10,
        "appointment_links",
        include_str!("../migrations/sqlite/0010_appointment_links.sql"),
        include_str!("../migrations/postgres/0010_appointment_links.sql"),
    ),
    (
        11,
        "conversations",
        include_str!("../migrations/sqlite/0011_conversations.sql"),
        include_str!("../migrations/postgres/0011_conversations.sql"),
    ),
    (
        12,
        "passport",
        include_str!("../migrations/sqlite/0012_passport.sql"),
        include_str!("../migrations/postgres/0012_passport.sql"),
    ),
    (
        13,
        "surgery",
        include_str!("../migrations/sqlite/0013_surgery.sql"),
        include_str!("../migrations/postgres/0013_surgery.sql"),
    ),
    (
        14,
        "exercises",
        include_str!("../migrations/sqlite/0014_exercises.sql"),
        include_str!("../migrations/postgres/0014_exercises.sql"),
    ),
    (
        15,
        "measures",
        include_str!("../migrations/sqlite/0015_measures.sql"),
        include_str!("../migrations/postgres/0015_measures.sql"),
    ),
    (
        16,
        "signposting",
        include_str!("../migrations/sqlite/0016_signposting.sql"),
        include_str!("../migrations/postgres/0016_signposting.sql"),
    ),
    (
        17,
        "feedback",
        include_str!("../migrations/sqlite/0017_feedback.sql"),
        include_str!("../migrations/postgres/0017_feedback.sql"),
    ),
    (
        18,
        "population",
        include_str!("../migrations/sqlite/0018_population.sql"),
        include_str!("../migrations/postgres/0018_population.sql"),
    ),
    (
        19,
        "fhir",
        include_str!("../migrations/sqlite/0019_fhir.sql"),
        include_str!("../migrations/postgres/0019_fhir.sql"),
    ),
    (
        20,
        "onward",
        include_str!("../migrations/sqlite/0020_onward.sql"),
        include_str!("../migrations/postgres/0020_onward.sql"),
    ),
];

/// The migrator for `backend`.
pub(crate) fn migrator(backend: Backend) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, description, sqlite, postgres)| {
            let sql = match backend {
                Backend::Sqlite => sqlite,
                Backend::Postgres => postgres,
            };
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

/// The newest migration version this build knows.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |(version, ..)| *version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_embedded_for_both_backends() {
        for backend in ["sqlite", "postgres"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(backend);
            let mut files: Vec<String> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let expected: Vec<String> = MIGRATIONS
                .iter()
                .map(|(v, d, ..)| format!("{v:04}_{d}.sql"))
                .collect();
            assert_eq!(
                files, expected,
                "{backend} migrations folder and MIGRATIONS disagree"
            );
        }
    }
}
