//! Database URLs: which backend, and where. Anything unrecognised is refused, never guessed.

use std::fmt;
use std::path::{Path, PathBuf};

/// A database backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, a single file; the embedded default.
    Sqlite,
    /// PostgreSQL 15 or later.
    Postgres,
}

impl Backend {
    /// Short name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// A validated database URL. Its `Display` and `Debug` hide any password.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file.
    Sqlite {
        /// Path of the database file.
        path: PathBuf,
        /// Whether the file may be created (`?mode=rwc`); otherwise it must already exist.
        create: bool,
    },
    /// A PostgreSQL connection string.
    Postgres(String),
}

/// Why a database URL was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// Empty.
    #[error("the database URL is empty; use sqlite://PATH or postgres://USER@HOST/DATABASE")]
    Empty,
    /// Not a scheme we support.
    #[error(
        "unsupported database URL scheme `{0}`; use sqlite://PATH or postgres://USER@HOST/DATABASE"
    )]
    UnknownScheme(String),
    /// No scheme at all.
    #[error(
        "the database URL has no scheme; use sqlite://PATH (for example sqlite://jointly.db) or postgres://USER@HOST/DATABASE"
    )]
    NoScheme,
    /// A SQLite URL with no file path.
    #[error("the SQLite URL names no file; use sqlite://PATH")]
    NoPath,
    /// An option we do not understand.
    #[error(
        "unsupported option `{0}` in the SQLite URL; only mode=rwc (create if missing) is accepted"
    )]
    UnknownOption(String),
    /// The file's folder does not exist.
    #[error("the folder {0} for the SQLite database does not exist; check the path")]
    NoSuchFolder(String),
    /// The file does not exist and creating it was not asked for.
    #[error(
        "the SQLite database {0} does not exist; check the path, or add ?mode=rwc to create it (jointly migrate --create does this)"
    )]
    NoSuchFile(String),
}

impl DatabaseUrl {
    /// Parses and checks a URL. A SQLite file must exist unless `?mode=rwc` asks to create it,
    /// so a typo never silently creates an empty database somewhere else.
    pub fn parse(input: &str) -> Result<Self, UrlError> {
        Self::parse_with(input, false)
    }

    /// Parses a URL, allowing a missing SQLite file to be created when `create` is set (as
    /// `jointly migrate --create` asks), whatever the URL says.
    pub fn parse_with(input: &str, create: bool) -> Result<Self, UrlError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(UrlError::Empty);
        }
        let (scheme, rest) = input.split_once(':').ok_or(UrlError::NoScheme)?;
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Ok(Self::Postgres(input.to_owned())),
            "sqlite" => Self::parse_sqlite(rest, create),
            _ if scheme.len() == 1 => Err(UrlError::NoScheme), // a Windows drive letter
            other => Err(UrlError::UnknownScheme(other.to_owned())),
        }
    }

    fn parse_sqlite(rest: &str, create_anyway: bool) -> Result<Self, UrlError> {
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if path.is_empty() {
            return Err(UrlError::NoPath);
        }
        let mut create = false;
        for option in query.split('&').filter(|o| !o.is_empty()) {
            match option {
                "mode=rwc" => create = true,
                "mode=rw" => create = false,
                other => return Err(UrlError::UnknownOption(other.to_owned())),
            }
        }
        let create = create || create_anyway;
        let path = PathBuf::from(path);
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !folder.is_dir() {
            return Err(UrlError::NoSuchFolder(folder.display().to_string()));
        }
        if !create && !path.is_file() {
            return Err(UrlError::NoSuchFile(path.display().to_string()));
        }
        Ok(Self::Sqlite { path, create })
    }

    /// A SQLite URL for `path`, allowed to create the file.
    pub fn sqlite_creating(path: impl Into<PathBuf>) -> Self {
        Self::Sqlite {
            path: path.into(),
            create: true,
        }
    }

    /// The backend this URL selects.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite { .. } => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite { path, .. } => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

// postgres://user:secret@host/db becomes postgres://user:***@host/db; a password passed as a
// query parameter is hidden too.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "postgres://***".into();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("{userinfo}@{host}"),
        },
        None => authority.to_owned(),
    };
    let tail = if tail.contains("password=") {
        let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
        let query: Vec<String> = query
            .split('&')
            .map(|kv| {
                if kv.starts_with("password=") {
                    "password=***".into()
                } else {
                    kv.into()
                }
            })
            .collect();
        format!("{path}?{}", query.join("&"))
    } else {
        tail.to_owned()
    };
    format!("{scheme}://{authority}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_it_does_not_understand() {
        assert_eq!(DatabaseUrl::parse(""), Err(UrlError::Empty));
        assert_eq!(
            DatabaseUrl::parse("mysql://x/y"),
            Err(UrlError::UnknownScheme("mysql".into()))
        );
        assert_eq!(DatabaseUrl::parse("jointly.db"), Err(UrlError::NoScheme));
        assert_eq!(DatabaseUrl::parse("sqlite://"), Err(UrlError::NoPath));
        assert!(matches!(
            DatabaseUrl::parse("sqlite://x.db?cache=shared"),
            Err(UrlError::UnknownOption(_))
        ));
    }

    #[test]
    fn a_missing_sqlite_file_is_not_created_unless_asked() {
        let missing =
            std::env::temp_dir().join(format!("jointly-missing-{}.db", std::process::id()));
        let url = format!("sqlite://{}", missing.display());
        assert!(matches!(
            DatabaseUrl::parse(&url),
            Err(UrlError::NoSuchFile(_))
        ));
        assert!(!missing.exists());
        let created = DatabaseUrl::parse(&format!("{url}?mode=rwc")).unwrap();
        assert_eq!(
            created,
            DatabaseUrl::Sqlite {
                path: missing,
                create: true
            }
        );
        assert!(matches!(
            DatabaseUrl::parse("sqlite:///no/such/folder/j.db?mode=rwc"),
            Err(UrlError::NoSuchFolder(_))
        ));
    }

    #[test]
    fn passwords_never_show() {
        let url = DatabaseUrl::parse("postgres://jointly:s3cret@db.internal:5432/jointly").unwrap();
        assert_eq!(
            url.to_string(),
            "postgres://jointly:***@db.internal:5432/jointly"
        );
        assert!(!format!("{url:?}").contains("s3cret"));
        let url = DatabaseUrl::parse("postgresql://db/jointly?user=j&password=s3cret").unwrap();
        assert!(!url.to_string().contains("s3cret"));
        assert_eq!(url.backend(), Backend::Postgres);
    }
}
