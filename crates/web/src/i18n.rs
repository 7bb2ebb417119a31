//! The web pages' translations: English, easy read English, Polish and Urdu, loaded and
//! checked at start-up.

use jointly_i18n::{Catalog, CatalogError, Locale, Source};

const SOURCES: [Source; 4] = [
    Source {
        locale: Locale::English,
        file: "locales/en.ftl",
        text: include_str!("../locales/en.ftl"),
    },
    Source {
        locale: Locale::EasyRead,
        file: "locales/easy.ftl",
        text: include_str!("../locales/easy.ftl"),
    },
    Source {
        locale: Locale::Polish,
        file: "locales/pl.ftl",
        text: include_str!("../locales/pl.ftl"),
    },
    Source {
        locale: Locale::Urdu,
        file: "locales/ur.ftl",
        text: include_str!("../locales/ur.ftl"),
    },
];

/// Loads the page translations, refusing any that do not parse or that define messages
/// English does not have.
pub fn load_catalog() -> Result<Catalog, CatalogError> {
    Catalog::load(&SOURCES)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// The ids of the English messages that patients, carers and referrers read: everything
    /// but the staff workspace's section.
    fn public_ids() -> Vec<String> {
        let english = SOURCES[0].text;
        let mut in_staff = false;
        let mut ids = Vec::new();
        for line in english.lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                in_staff = heading.starts_with("Staff");
            } else if !in_staff
                && let Some((id, _)) = line.split_once(" = ")
                && !id.starts_with([' ', '#', '.', '*', '['])
            {
                ids.push(id.trim().to_owned());
            }
        }
        ids
    }

    #[test]
    fn every_public_message_is_in_every_language() {
        let catalog = load_catalog().unwrap();
        let ids = public_ids();
        assert!(ids.len() > 500, "found {} public messages", ids.len());
        for locale in [Locale::EasyRead, Locale::Polish, Locale::Urdu] {
            let missing: Vec<&String> = ids
                .iter()
                .filter(|id| !catalog.is_translated(locale, id))
                .collect();
            assert!(missing.is_empty(), "{locale:?} lacks {missing:?}");
        }
    }
}
