//! The postcode → LSOA → deprivation decile lookup, imported from the official files: an ONS
//! postcode lookup (the National Statistics Postcode Lookup or the postcode to output area
//! lookup: a postcode column such as `pcds` and an LSOA column such as `lsoa21cd`) and the
//! English Indices of Deprivation file (`LSOA code (2011)` or `(2021)` and the IMD decile
//! column). Both files are checked whole before anything is written, then written in one
//! transaction and the dashboards' figures rebuilt.

use std::io::Read;

use jointly_domain::contact::Postcode;
use jointly_domain::population::{ImdDecile, LsoaCode};
use jointly_store::LookupSummary;

use crate::{App, AppError};

/// Headers naming a postcode, best first (`pcds` has the space in the usual place).
const POSTCODE_HEADERS: [&str; 6] = ["pcds", "pcd", "pcd7", "pcd8", "pcd2", "postcode"];
/// Headers naming an LSOA in a postcode lookup, newest geography first.
const LSOA_HEADERS: [&str; 5] = ["lsoa21cd", "lsoa21", "lsoa11cd", "lsoa11", "lsoa code"];

/// Why an import was refused, naming the file, line and column.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    /// A column the file must have is missing.
    #[error("{file}: no {wanted} column (looked for {looked_for})")]
    MissingColumn {
        /// Which file.
        file: &'static str,
        /// What was wanted.
        wanted: &'static str,
        /// The headers that would do.
        looked_for: String,
    },
    /// A value could not be read.
    #[error("{file} line {line}: {column} {problem}: {value:?}")]
    BadValue {
        /// Which file.
        file: &'static str,
        /// The line (the header is line 1).
        line: u64,
        /// The column.
        column: String,
        /// What is wrong.
        problem: &'static str,
        /// The value as found.
        value: String,
    },
    /// The file is not CSV.
    #[error("{file}: {problem}")]
    Unreadable {
        /// Which file.
        file: &'static str,
        /// The reader's complaint.
        problem: String,
    },
    /// The IMD version could not be told from the file.
    #[error(
        "{file}: cannot tell the IMD version from the header {header:?}; give it with --imd-version"
    )]
    UnknownVersion {
        /// Which file.
        file: &'static str,
        /// The LSOA column's header.
        header: String,
    },
    /// The file has no rows.
    #[error("{file}: no rows")]
    Empty {
        /// Which file.
        file: &'static str,
    },
    /// The files were good but could not be written; nothing was.
    #[error("could not write the lookup: {0}")]
    Write(String),
}

impl From<AppError> for ImportError {
    fn from(error: AppError) -> Self {
        Self::Write(error.to_string())
    }
}

impl From<jointly_store::StoreError> for ImportError {
    fn from(error: jointly_store::StoreError) -> Self {
        Self::Write(error.to_string())
    }
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSummary {
    /// Postcodes mapped to an English or Welsh LSOA.
    pub postcodes: usize,
    /// Postcodes left out: no LSOA, or one outside England and Wales.
    pub postcodes_skipped: usize,
    /// LSOAs given a decile.
    pub lsoas: usize,
    /// The IMD version recorded.
    pub version: String,
    /// Referrals counted when the dashboards were rebuilt.
    pub referrals: u64,
}

fn unreadable(file: &'static str, error: &csv::Error) -> ImportError {
    ImportError::Unreadable {
        file,
        problem: error.to_string(),
    }
}

/// The index of the first header (trimmed, any case) that `wanted` accepts.
fn column(headers: &csv::StringRecord, wanted: impl Fn(&str) -> bool) -> Option<usize> {
    headers
        .iter()
        .position(|h| wanted(&h.trim().trim_start_matches('\u{feff}').to_lowercase()))
}

fn first_of(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|name| column(headers, |h| h == *name))
}

/// Reads a postcode lookup: every postcode with an English or Welsh LSOA.
pub fn read_postcode_lookup(
    input: impl Read,
) -> Result<(Vec<(String, LsoaCode)>, usize), ImportError> {
    const FILE: &str = "postcode lookup";
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = reader.headers().map_err(|e| unreadable(FILE, &e))?.clone();
    let missing = |wanted, names: &[&str]| ImportError::MissingColumn {
        file: FILE,
        wanted,
        looked_for: names.join(", "),
    };
    let postcode_at = first_of(&headers, &POSTCODE_HEADERS)
        .ok_or_else(|| missing("postcode", &POSTCODE_HEADERS))?;
    let lsoa_at =
        first_of(&headers, &LSOA_HEADERS).ok_or_else(|| missing("LSOA", &LSOA_HEADERS))?;
    let (mut rows, mut skipped) = (Vec::new(), 0);
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| unreadable(FILE, &e))?;
        let line = i as u64 + 2;
        let raw = record.get(postcode_at).unwrap_or_default();
        let postcode = Postcode::parse(raw).map_err(|_| ImportError::BadValue {
            file: FILE,
            line,
            column: headers.get(postcode_at).unwrap_or_default().to_owned(),
            problem: "is not a postcode",
            value: raw.to_owned(),
        })?;
        // Terminated and non-geographic postcodes have no LSOA; Scotland and Northern
        // Ireland use other areas and other indices.
        match LsoaCode::parse(record.get(lsoa_at).unwrap_or_default()) {
            Ok(lsoa) => rows.push((postcode.as_str().to_owned(), lsoa)),
            Err(_) => skipped += 1,
        }
    }
    if rows.is_empty() && skipped == 0 {
        return Err(ImportError::Empty { file: FILE });
    }
    Ok((rows, skipped))
}

/// Reads an English Indices of Deprivation file: every LSOA's IMD decile, and the version
/// (`IoD2019` for 2011 LSOAs, `IoD2025` for 2021 ones) unless `version` names it.
pub fn read_imd_file(
    input: impl Read,
    version: Option<&str>,
) -> Result<(Vec<(LsoaCode, ImdDecile)>, String), ImportError> {
    const FILE: &str = "deprivation file";
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = reader.headers().map_err(|e| unreadable(FILE, &e))?.clone();
    let lsoa_at = column(&headers, |h| {
        h.starts_with("lsoa code") || h == "lsoa11cd" || h == "lsoa21cd"
    })
    .ok_or_else(|| ImportError::MissingColumn {
        file: FILE,
        wanted: "LSOA code",
        looked_for: "LSOA code (2011), LSOA code (2021), lsoa11cd, lsoa21cd".into(),
    })?;
    let decile_at = column(&headers, |h| {
        (h.contains("index of multiple deprivation") && h.contains("decile"))
            || h == "imddec0"
            || h == "imd_decile"
    })
    .ok_or_else(|| ImportError::MissingColumn {
        file: FILE,
        wanted: "IMD decile",
        looked_for: "Index of Multiple Deprivation (IMD) Decile …, IMDDec0, imd_decile".into(),
    })?;
    let lsoa_header = headers.get(lsoa_at).unwrap_or_default().to_owned();
    let version = match version.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => v.to_owned(),
        None if lsoa_header.contains("2011") || lsoa_header.to_lowercase() == "lsoa11cd" => {
            "IoD2019".to_owned()
        }
        None if lsoa_header.contains("2021") || lsoa_header.to_lowercase() == "lsoa21cd" => {
            "IoD2025".to_owned()
        }
        None => {
            return Err(ImportError::UnknownVersion {
                file: FILE,
                header: lsoa_header,
            });
        }
    };
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| unreadable(FILE, &e))?;
        let line = i as u64 + 2;
        let bad = |at: usize, problem| ImportError::BadValue {
            file: FILE,
            line,
            column: headers.get(at).unwrap_or_default().to_owned(),
            problem,
            value: record.get(at).unwrap_or_default().to_owned(),
        };
        let lsoa = LsoaCode::parse(record.get(lsoa_at).unwrap_or_default())
            .map_err(|_| bad(lsoa_at, "is not an LSOA code"))?;
        let decile = ImdDecile::parse(record.get(decile_at).unwrap_or_default())
            .map_err(|_| bad(decile_at, "is not a decile from 1 to 10"))?;
        rows.push((lsoa, decile));
    }
    if rows.is_empty() {
        return Err(ImportError::Empty { file: FILE });
    }
    Ok((rows, version))
}

impl App {
    /// Imports the deprivation lookup (for the operator's command line and the demo): both
    /// files are read and checked whole, written in one transaction, and the dashboards'
    /// figures rebuilt. A refused file changes nothing.
    pub async fn import_deprivation(
        &self,
        postcodes: impl Read,
        imd: impl Read,
        version: Option<&str>,
    ) -> Result<ImportSummary, ImportError> {
        let (postcodes, postcodes_skipped) = read_postcode_lookup(postcodes)?;
        let (deciles, version) = read_imd_file(imd, version)?;
        let mut tx = self.store.begin().await?;
        tx.put_postcode_lsoas(&postcodes).await?;
        tx.put_lsoa_deciles(&version, &deciles).await?;
        tx.commit().await?;
        let referrals = self.refresh_population().await?;
        Ok(ImportSummary {
            postcodes: postcodes.len(),
            postcodes_skipped,
            lsoas: deciles.len(),
            version,
            referrals,
        })
    }

    /// What the deprivation lookup holds, for the dashboards' page.
    pub async fn deprivation_lookup(
        &self,
        by: &crate::Principal,
    ) -> Result<LookupSummary, AppError> {
        by.require(jointly_domain::access::Permission::ViewDashboards)?;
        Ok(self.store.lookup_summary().await?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_ons_postcode_lookup_is_read_by_its_headers() {
        let csv = "pcd7,pcd8,pcds,dointr,doterm,usertype,oa21cd,lsoa21cd,msoa21cd,ladcd\n\
                   LU1 3JU,LU1  3JU,LU1 3JU,200001,,0,E00000001,E01000001,E02000001,E06000032\n\
                   AB101AA,AB10 1AA,AB10 1AA,198001,,0,S00000001,S01006514,S02001236,S12000033\n\
                   ZZ991ZZ,ZZ99 1ZZ,ZZ99 1ZZ,198001,,1,,,,\n";
        let (rows, skipped) = read_postcode_lookup(csv.as_bytes()).unwrap();
        assert_eq!(
            rows,
            [("LU1 3JU".to_owned(), LsoaCode::parse("E01000001").unwrap())]
        );
        assert_eq!(skipped, 2);
    }

    #[test]
    fn a_bad_postcode_lookup_is_refused_naming_the_line() {
        let wrong = read_postcode_lookup(
            "pcds,lsoa21cd\nLU1 3JU,E01000001\nnot one,E01000002\n".as_bytes(),
        );
        assert_eq!(
            wrong.unwrap_err().to_string(),
            "postcode lookup line 3: pcds is not a postcode: \"not one\""
        );
        let no_lsoa = read_postcode_lookup("pcds,ward\nLU1 3JU,E05000001\n".as_bytes());
        assert!(matches!(
            no_lsoa,
            Err(ImportError::MissingColumn { wanted: "LSOA", .. })
        ));
        assert_eq!(
            read_postcode_lookup("pcds,lsoa21cd\n".as_bytes()),
            Err(ImportError::Empty {
                file: "postcode lookup"
            })
        );
    }

    #[test]
    fn the_indices_of_deprivation_file_is_read_with_its_version() {
        let csv = "LSOA code (2011),LSOA name (2011),Local Authority District code (2019),\
                   Local Authority District name (2019),Index of Multiple Deprivation (IMD) Score,\
                   Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived),\
                   Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)\n\
                   E01000001,City of London 001A,E09000001,City of London,6.208,29199,9\n\
                   E01014485,Bristol 001A,E06000023,\"Bristol, City of\",40.1,3000,1\n";
        let (rows, version) = read_imd_file(csv.as_bytes(), None).unwrap();
        assert_eq!(version, "IoD2019");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].1.get(), 1);
        let (_, named) = read_imd_file(csv.as_bytes(), Some("IoD2019-test")).unwrap();
        assert_eq!(named, "IoD2019-test");
        let newer = csv.replace("(2011)", "(2021)");
        assert_eq!(read_imd_file(newer.as_bytes(), None).unwrap().1, "IoD2025");
    }

    #[test]
    fn a_bad_deprivation_file_is_refused_naming_the_line() {
        let csv = "LSOA code (2011),Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)\n\
                   E01000001,9\nE01000002,11\n";
        let error = read_imd_file(csv.as_bytes(), None).unwrap_err().to_string();
        assert!(error.contains("line 3"), "{error}");
        assert!(error.contains("is not a decile"), "{error}");
        let unversioned = "LSOA code,Index of Multiple Deprivation (IMD) Decile\nE01000001,9\n";
        assert!(matches!(
            read_imd_file(unversioned.as_bytes(), None),
            Err(ImportError::UnknownVersion { .. })
        ));
        assert!(read_imd_file(unversioned.as_bytes(), Some("IoD2019")).is_ok());
    }
}
