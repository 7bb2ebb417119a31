//! Population health: the postcode → LSOA → deprivation lookup, the reporting table the
//! dashboards read (`referral_fact`, rebuilt from the live tables in one transaction), and the
//! counts each dashboard groups from it. Counts only: no row here names a person.

use jiff::Timestamp;
use jointly_domain::ServiceId;
use jointly_domain::population::{Cut, ImdDecile, LsoaCode};

use crate::row::{DbRow, micros};
use crate::{Backend, Store, StoreError, Tx, read, write};

/// Rows written per statement when importing a lookup.
const IMPORT_BATCH: usize = 500;

/// The setting that records when the reporting table was last rebuilt.
const REFRESHED_AT: &str = "population_refreshed_at";

/// Microseconds in a day, for waits in whole days.
const DAY_MICROS: i64 = 86_400_000_000;

/// A count for one group of a cut: `count` of `of` (what each counts depends on the query),
/// under `key` (a route, a triage outcome, or empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    /// The group's stored value ('' when not known).
    pub group: String,
    /// What is counted within the group.
    pub key: String,
    /// How many.
    pub count: u64,
    /// Out of how many, where the query has a denominator.
    pub of: u64,
}

/// How many in one group waited how many whole days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitCount {
    /// The group's stored value ('' when not known).
    pub group: String,
    /// Whole days waited.
    pub days: i64,
    /// How many people.
    pub people: u64,
}

/// Which referrals a dashboard counts: one service or all, over a period.
#[derive(Clone, Copy, Debug)]
pub struct FactFilter {
    /// One service, or every service.
    pub service: Option<ServiceId>,
    /// The period's start (inclusive).
    pub from: Timestamp,
    /// The period's end (inclusive: up to and including now).
    pub to: Timestamp,
}

/// What the lookup holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LookupSummary {
    /// Postcodes mapped to an LSOA.
    pub postcodes: u64,
    /// LSOAs with a decile.
    pub lsoas: u64,
    /// The IMD versions in use.
    pub versions: Vec<String>,
}

/// A query written for every cut, with the cut's column in the middle, so each stays a static
/// string.
macro_rules! by_cut {
    ($cut:expr, $before:expr, $after:expr) => {
        match $cut {
            Cut::Deprivation => concat!($before, "deprivation", $after),
            Cut::Ethnicity => concat!($before, "ethnicity", $after),
            Cut::AgeBand => concat!($before, "age", $after),
            Cut::Sex => concat!($before, "sex", $after),
            Cut::Language => concat!($before, "language", $after),
            Cut::CommunicationNeed => concat!($before, "communication_need", $after),
            Cut::DigitalExclusion => concat!($before, "digital_exclusion", $after),
            Cut::Area => concat!($before, "area", $after),
        }
    };
}

/// The filter every dashboard query shares: $1 all services, $2 the one service, $3 and $4
/// the period's first and last instants.
macro_rules! in_period {
    ($column:literal) => {
        concat!(
            " WHERE ($1 OR service_id = $2) AND ",
            $column,
            " >= $3 AND ",
            $column,
            " <= $4 "
        )
    };
}

/// Rebuilds the reporting table; the two backends differ only in how they work out an age
/// at referral and a postcode district.
macro_rules! refresh_sql {
    ($years:literal, $area:literal) => {
        concat!(
            "INSERT INTO referral_fact (referral_id, service_id, source, status, outcome, \
             overridden, received_at, first_seen_at, waiting, attended, missed, fft_answers, \
             fft_positive, outcome_measured, outcome_improved, deprivation, ethnicity, age, sex, \
             language, communication_need, digital_exclusion, area) \
             SELECT f.id, f.service_id, f.source, f.status, f.outcome, f.overridden, \
             f.received_at, f.first_seen_at, f.waiting, f.attended, f.missed, f.fft_answers, \
             f.fft_positive, f.outcome_measured, f.outcome_improved, f.deprivation, f.ethnicity, \
             CASE WHEN f.years < 18 THEN '0-17' WHEN f.years < 35 THEN '18-34' \
             WHEN f.years < 50 THEN '35-49' WHEN f.years < 65 THEN '50-64' \
             WHEN f.years < 80 THEN '65-79' ELSE '80+' END, \
             f.sex, f.language, f.communication_need, f.digital_exclusion, f.area FROM ( \
             SELECT r.id, r.service_id, r.source, r.status, \
             CASE WHEN r.status = 'awaiting_triage' THEN 'awaiting_triage' \
             WHEN r.status = 'advice_given' THEN 'advice' \
             WHEN s.kind IS NOT NULL THEN s.kind ELSE 'withdrawn' END AS outcome, \
             CASE WHEN r.decision LIKE '%\"overridden\":true%' THEN TRUE ELSE FALSE END AS overridden, \
             r.received_at, seen.first_seen_at, \
             CASE WHEN r.status IN ('waiting', 'booked') AND r.attended = 0 THEN TRUE ELSE FALSE END AS waiting, \
             r.attended, r.missed, \
             COALESCE(fb.answers, 0) AS fft_answers, COALESCE(fb.positive, 0) AS fft_positive, \
             COALESCE(oc.measured, 0) AS outcome_measured, COALESCE(oc.improved, 0) AS outcome_improved, \
             COALESCE(CAST(d.decile AS TEXT), '') AS deprivation, \
             COALESCE(p.ethnicity, '') AS ethnicity, ",
            $years,
            " AS years, p.sex, p.preferred_language AS language, \
             CASE WHEN c.needs IS NOT NULL AND c.needs <> '' THEN 'yes' ELSE 'no' END AS communication_need, \
             CASE WHEN c.digitally_excluded THEN 'yes' ELSE 'no' END AS digital_exclusion, ",
            $area,
            " AS area \
             FROM referral r JOIN patient p ON p.id = r.patient_id \
             LEFT JOIN service s ON s.id = r.service_id \
             LEFT JOIN communication_profile c ON c.patient_id = r.patient_id \
             LEFT JOIN postcode_lsoa l ON l.postcode = p.postcode \
             LEFT JOIN lsoa_deprivation d ON d.lsoa_code = l.lsoa_code \
             LEFT JOIN (SELECT a.referral_id, MIN(sl.starts_at) AS first_seen_at \
               FROM appointment a JOIN slot sl ON sl.id = a.slot_id \
               WHERE a.status = 'attended' GROUP BY a.referral_id) seen ON seen.referral_id = r.id \
             LEFT JOIN (SELECT referral_id, COUNT(*) AS answers, \
               SUM(CASE WHEN answer IN ('very_good', 'good') THEN 1 ELSE 0 END) AS positive \
               FROM feedback WHERE referral_id IS NOT NULL GROUP BY referral_id) fb \
               ON fb.referral_id = r.id \
             LEFT JOIN (SELECT e.referral_id, COUNT(*) AS measured, \
               SUM(CASE WHEN (e.higher = 1 AND e.last_score > e.first_score) \
                 OR (e.higher = 0 AND e.last_score < e.first_score) THEN 1 ELSE 0 END) AS improved \
               FROM (SELECT x.referral_id, x.measure, MAX(x.higher) AS higher, \
                 MAX(CASE WHEN x.first_rank = 1 THEN x.score END) AS first_score, \
                 MAX(CASE WHEN x.last_rank = 1 THEN x.score END) AS last_score \
                 FROM (SELECT r2.id AS referral_id, m.measure, m.score, \
                   CASE WHEN (',' || $1 || ',') LIKE ('%,' || m.measure || ',%') THEN 1 ELSE 0 END AS higher, \
                   ROW_NUMBER() OVER (PARTITION BY r2.id, m.measure ORDER BY m.created_at, m.id) AS first_rank, \
                   ROW_NUMBER() OVER (PARTITION BY r2.id, m.measure ORDER BY m.created_at DESC, m.id DESC) AS last_rank \
                   FROM referral r2 JOIN measure_response m ON m.patient_id = r2.patient_id \
                   AND m.created_at >= r2.received_at \
                   AND (r2.discharged_at IS NULL OR m.created_at <= r2.discharged_at)) x \
                 GROUP BY x.referral_id, x.measure HAVING COUNT(*) >= 2) e \
               GROUP BY e.referral_id) oc ON oc.referral_id = r.id) f"
        )
    };
}

fn count(row: &impl DbRow, column: &'static str) -> Result<u64, StoreError> {
    let n = row.int(column)?;
    u64::try_from(n).map_err(|_| StoreError::Corrupt { column })
}

fn tallies<R: DbRow>(rows: &[R]) -> Result<Vec<Tally>, StoreError> {
    rows.iter()
        .map(|row| {
            Ok(Tally {
                group: row.text("grp")?,
                key: row.text("k")?,
                count: count(row, "n")?,
                of: count(row, "of")?,
            })
        })
        .collect()
}

fn wait_counts<R: DbRow>(rows: &[R]) -> Result<Vec<WaitCount>, StoreError> {
    rows.iter()
        .map(|row| {
            Ok(WaitCount {
                group: row.text("grp")?,
                days: row.int("days")?,
                people: count(row, "n")?,
            })
        })
        .collect()
}

impl Tx {
    /// Maps postcodes to LSOAs, replacing earlier mappings of the same postcodes.
    pub async fn put_postcode_lsoas(
        &mut self,
        rows: &[(String, LsoaCode)],
    ) -> Result<(), StoreError> {
        for batch in rows.chunks(IMPORT_BATCH) {
            write!(self, conn => {
                let mut insert = sqlx::QueryBuilder::new("INSERT INTO postcode_lsoa (postcode, lsoa_code) ");
                insert.push_values(batch, |mut row, (postcode, lsoa)| {
                    row.push_bind(postcode.as_str()).push_bind(lsoa.as_str());
                });
                insert.push(" ON CONFLICT (postcode) DO UPDATE SET lsoa_code = excluded.lsoa_code");
                insert.build().execute(&mut *conn).await?;
            });
        }
        Ok(())
    }

    /// Gives LSOAs their deprivation decile under `version` (for example `IoD2019`),
    /// replacing earlier values for the same LSOAs.
    pub async fn put_lsoa_deciles(
        &mut self,
        version: &str,
        rows: &[(LsoaCode, ImdDecile)],
    ) -> Result<(), StoreError> {
        for batch in rows.chunks(IMPORT_BATCH) {
            write!(self, conn => {
                let mut insert = sqlx::QueryBuilder::new("INSERT INTO lsoa_deprivation (lsoa_code, imd_version, decile) ");
                insert.push_values(batch, |mut row, (lsoa, decile)| {
                    row.push_bind(lsoa.as_str()).push_bind(version).push_bind(i64::from(decile.get()));
                });
                insert.push(
                    " ON CONFLICT (lsoa_code) DO UPDATE SET imd_version = excluded.imd_version, \
                     decile = excluded.decile",
                );
                insert.build().execute(&mut *conn).await?;
            });
        }
        Ok(())
    }
}

impl Store {
    /// Rebuilds the reporting table from the live tables in one transaction (readers see the
    /// old figures until it commits) and records when; returns the referrals counted.
    /// `higher_is_better` names the outcome measures on which a higher score is better.
    pub async fn refresh_population(
        &self,
        now: Timestamp,
        higher_is_better: &[&str],
    ) -> Result<u64, StoreError> {
        let higher = higher_is_better.join(",");
        let mut tx = self.begin().await?;
        let backend = self.backend();
        let written = write!(tx, conn => {
            // DELETE, not TRUNCATE: readers keep the old figures until this commits. On
            // PostgreSQL, instances rebuilding at once take turns.
            if backend == Backend::Postgres {
                sqlx::query("SELECT pg_advisory_xact_lock(7031)").execute(&mut *conn).await?;
            }
            sqlx::query("DELETE FROM referral_fact").execute(&mut *conn).await?;
            let insert = match backend {
                Backend::Sqlite => refresh_sql!(
                    "(CAST(strftime('%Y', r.received_at / 1000000, 'unixepoch') AS INTEGER) \
                     - CAST(substr(p.date_of_birth, 1, 4) AS INTEGER) \
                     - (strftime('%m-%d', r.received_at / 1000000, 'unixepoch') < substr(p.date_of_birth, 6, 5)))",
                    "substr(p.postcode, 1, instr(p.postcode, ' ') - 1)"
                ),
                Backend::Postgres => refresh_sql!(
                    "date_part('year', age((to_timestamp(r.received_at / 1000000.0) AT TIME ZONE 'UTC')::date, \
                     p.date_of_birth::date))",
                    "split_part(p.postcode, ' ', 1)"
                ),
            };
            sqlx::query(insert).bind(&higher).execute(&mut *conn).await?.rows_affected()
        });
        tx.put_setting(REFRESHED_AT, &micros(now).to_string(), now)
            .await?;
        tx.commit().await?;
        Ok(written)
    }

    /// When the reporting table was last rebuilt; none before the first time.
    pub async fn population_refreshed_at(&self) -> Result<Option<Timestamp>, StoreError> {
        let Some(value) = self.setting(REFRESHED_AT).await? else {
            return Ok(None);
        };
        let corrupt = || StoreError::Corrupt {
            column: "setting.value",
        };
        let micros: i64 = value.parse().map_err(|_| corrupt())?;
        Timestamp::from_microsecond(micros)
            .map(Some)
            .map_err(|_| corrupt())
    }

    /// What the deprivation lookup holds.
    pub async fn lookup_summary(&self) -> Result<LookupSummary, StoreError> {
        read!(self, pool => {
            let postcodes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM postcode_lsoa")
                .fetch_one(pool)
                .await?;
            let lsoas: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lsoa_deprivation")
                .fetch_one(pool)
                .await?;
            let versions: Vec<String> = sqlx::query_scalar(
                "SELECT DISTINCT imd_version FROM lsoa_deprivation ORDER BY imd_version",
            )
            .fetch_all(pool)
            .await?;
            Ok(LookupSummary {
                postcodes: u64::try_from(postcodes).unwrap_or_default(),
                lsoas: u64::try_from(lsoas).unwrap_or_default(),
                versions,
            })
        })
    }

    /// Referrals received in the period by group and route (`key`: the source).
    pub async fn referrals_by_route(
        &self,
        cut: Cut,
        filter: FactFilter,
    ) -> Result<Vec<Tally>, StoreError> {
        let sql = by_cut!(
            cut,
            "SELECT ",
            concat!(
                " AS grp, source AS k, COUNT(*) AS n, CAST(0 AS BIGINT) AS of FROM referral_fact",
                in_period!("received_at"),
                "GROUP BY 1, 2"
            )
        );
        self.tally(sql, filter).await
    }

    /// Referrals received in the period by group and triage outcome (`key`: awaiting triage,
    /// advice, a service kind, or withdrawn); `of` counts those where the clinician chose
    /// differently from the digital triage.
    pub async fn triage_outcomes(
        &self,
        cut: Cut,
        filter: FactFilter,
    ) -> Result<Vec<Tally>, StoreError> {
        let sql = by_cut!(
            cut,
            "SELECT ",
            concat!(
                " AS grp, outcome AS k, COUNT(*) AS n, \
                 CAST(SUM(CASE WHEN overridden THEN 1 ELSE 0 END) AS BIGINT) AS of FROM referral_fact",
                in_period!("received_at"),
                "GROUP BY 1, 2"
            )
        );
        self.tally(sql, filter).await
    }

    /// Appointments missed (`count`) out of those attended or missed (`of`), by group, for
    /// referrals received in the period.
    pub async fn attendance(&self, cut: Cut, filter: FactFilter) -> Result<Vec<Tally>, StoreError> {
        let sql = by_cut!(
            cut,
            "SELECT ",
            concat!(
                " AS grp, '' AS k, CAST(SUM(missed) AS BIGINT) AS n, CAST(SUM(attended + missed) AS BIGINT) AS of \
                 FROM referral_fact",
                in_period!("received_at"),
                "GROUP BY 1"
            )
        );
        self.tally(sql, filter).await
    }

    /// Friends and Family Test answers that were good or very good (`count`) out of all
    /// answers about a referral (`of`), by group, for referrals received in the period.
    pub async fn feedback_scores(
        &self,
        cut: Cut,
        filter: FactFilter,
    ) -> Result<Vec<Tally>, StoreError> {
        let sql = by_cut!(
            cut,
            "SELECT ",
            concat!(
                " AS grp, '' AS k, CAST(SUM(fft_positive) AS BIGINT) AS n, CAST(SUM(fft_answers) AS BIGINT) AS of \
                 FROM referral_fact",
                in_period!("received_at"),
                "GROUP BY 1"
            )
        );
        self.tally(sql, filter).await
    }

    /// Outcome measures answered at least twice in a referral's care that got better
    /// (`count`) out of all such (`of`), by group, for referrals received in the period.
    pub async fn outcome_change(
        &self,
        cut: Cut,
        filter: FactFilter,
    ) -> Result<Vec<Tally>, StoreError> {
        let sql = by_cut!(
            cut,
            "SELECT ",
            concat!(
                " AS grp, '' AS k, CAST(SUM(outcome_improved) AS BIGINT) AS n, \
                 CAST(SUM(outcome_measured) AS BIGINT) AS of FROM referral_fact",
                in_period!("received_at"),
                "GROUP BY 1"
            )
        );
        self.tally(sql, filter).await
    }

    /// How long everyone still waiting to be seen for the first time has waited so far, in
    /// whole days at `now`, by group (the period does not apply: this is the list today).
    pub async fn waiting_now(
        &self,
        cut: Cut,
        service: Option<ServiceId>,
        now: Timestamp,
    ) -> Result<Vec<WaitCount>, StoreError> {
        let sql = by_cut!(
            cut,
            "SELECT ",
            " AS grp, ($3 - received_at) / $4 AS days, COUNT(*) AS n FROM referral_fact \
             WHERE waiting AND ($1 OR service_id = $2) GROUP BY 1, 2"
        );
        read!(self, pool => {
            let rows = sqlx::query(sql)
                .bind(service.is_none())
                .bind(service.map(|s| s.as_uuid()))
                .bind(micros(now))
                .bind(DAY_MICROS)
                .fetch_all(pool)
                .await?;
            wait_counts(&rows)
        })
    }

    /// How long those first seen in the period had waited from referral, in whole days, by
    /// group.
    pub async fn waited_to_be_seen(
        &self,
        cut: Cut,
        filter: FactFilter,
    ) -> Result<Vec<WaitCount>, StoreError> {
        let sql = by_cut!(
            cut,
            "SELECT ",
            concat!(
                " AS grp, (first_seen_at - received_at) / $5 AS days, COUNT(*) AS n \
                 FROM referral_fact",
                in_period!("first_seen_at"),
                "GROUP BY 1, 2"
            )
        );
        read!(self, pool => {
            let rows = sqlx::query(sql)
                .bind(filter.service.is_none())
                .bind(filter.service.map(|s| s.as_uuid()))
                .bind(micros(filter.from))
                .bind(micros(filter.to))
                .bind(DAY_MICROS)
                .fetch_all(pool)
                .await?;
            wait_counts(&rows)
        })
    }

    async fn tally(&self, sql: &'static str, filter: FactFilter) -> Result<Vec<Tally>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(sql)
                .bind(filter.service.is_none())
                .bind(filter.service.map(|s| s.as_uuid()))
                .bind(micros(filter.from))
                .bind(micros(filter.to))
                .fetch_all(pool)
                .await?;
            tallies(&rows)
        })
    }
}

/// How one service's clinics at one place were used over a period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClinicUse {
    /// The service.
    pub service_id: Option<ServiceId>,
    /// The place.
    pub location_id: Option<jointly_domain::LocationId>,
    /// Slots in the period.
    pub slots: u64,
    /// Slots not available (leave, training, clinic closed).
    pub blocked: u64,
    /// Slots with an appointment that was kept, missed or is still booked.
    pub used: u64,
    /// Appointments cancelled before their time.
    pub cancelled: u64,
    /// Of those, how many slots were booked again by someone else.
    pub refilled: u64,
}

impl Store {
    /// How each service's clinics at each place were used between `from` and `to`: slots
    /// starting then, blocked, used; and appointments cancelled then, ahead of their time,
    /// with how many of their slots were booked again.
    pub async fn clinic_use(
        &self,
        service: Option<ServiceId>,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<ClinicUse>, StoreError> {
        let mut lines: std::collections::BTreeMap<(uuid::Uuid, uuid::Uuid), ClinicUse> =
            std::collections::BTreeMap::new();
        read!(self, pool => {
            let slots = sqlx::query(
                "SELECT s.service_id, s.location_id, COUNT(*) AS n, \
                 CAST(SUM(CASE WHEN s.status = 'blocked' THEN 1 ELSE 0 END) AS BIGINT) AS blocked, \
                 CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id \
                   AND a.status IN ('booked', 'checked_in', 'attended', 'did_not_attend')) \
                   THEN 1 ELSE 0 END) AS BIGINT) AS used \
                 FROM slot s WHERE ($1 OR s.service_id = $2) AND s.starts_at >= $3 AND s.starts_at <= $4 \
                 GROUP BY 1, 2",
            )
            .bind(service.is_none())
            .bind(service.map(|s| s.as_uuid()))
            .bind(micros(from))
            .bind(micros(to))
            .fetch_all(pool)
            .await?;
            for row in &slots {
                let line = lines
                    .entry((row.uuid("service_id")?, row.uuid("location_id")?))
                    .or_default();
                line.slots = count(row, "n")?;
                line.blocked = count(row, "blocked")?;
                line.used = count(row, "used")?;
            }
            let cancelled = sqlx::query(
                "SELECT s.service_id, s.location_id, COUNT(*) AS n, \
                 CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM appointment b WHERE b.slot_id = a.slot_id \
                   AND b.status <> 'cancelled' AND b.booked_at >= a.updated_at) \
                   THEN 1 ELSE 0 END) AS BIGINT) AS refilled \
                 FROM appointment a JOIN slot s ON s.id = a.slot_id \
                 WHERE a.status = 'cancelled' AND a.updated_at < s.starts_at \
                 AND ($1 OR s.service_id = $2) AND a.updated_at >= $3 AND a.updated_at <= $4 \
                 GROUP BY 1, 2",
            )
            .bind(service.is_none())
            .bind(service.map(|s| s.as_uuid()))
            .bind(micros(from))
            .bind(micros(to))
            .fetch_all(pool)
            .await?;
            for row in &cancelled {
                let line = lines
                    .entry((row.uuid("service_id")?, row.uuid("location_id")?))
                    .or_default();
                line.cancelled = count(row, "n")?;
                line.refilled = count(row, "refilled")?;
            }
        });
        Ok(lines
            .into_iter()
            .map(|((service, location), line)| ClinicUse {
                service_id: Some(ServiceId::from_uuid(service)),
                location_id: Some(jointly_domain::LocationId::from_uuid(location)),
                ..line
            })
            .collect())
    }
}
