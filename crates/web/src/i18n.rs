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
