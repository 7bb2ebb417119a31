//! `Bundle`: search results (`searchset`) out, and the `transaction` a client books with, in
//! and out (`transaction-response`).

use serde::{Deserialize, Serialize};

use crate::model::{BundleType, Meta};

/// `Bundle.link`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// `self`, `next`, …
    pub relation: String,
    /// The URL.
    pub url: String,
}

/// `Bundle.entry.search`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntrySearch {
    /// `match` or `include`.
    pub mode: String,
}

/// `Bundle.entry.request`: what to do with an entry of a transaction.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EntryRequest {
    /// `GET`, `POST`, `PUT`, `DELETE`, `PATCH`.
    pub method: String,
    /// `Type` or `Type/id`.
    pub url: String,
    /// The version the client last read, for PUT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_match: Option<String>,
    /// Conditional create, not supported here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_none_exist: Option<String>,
}

/// `Bundle.entry.response`: what happened to an entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EntryResponse {
    /// `201 Created`, `200 OK`.
    pub status: String,
    /// Where the resource now is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Its version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// When it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// One entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Entry<R> {
    /// The resource's address (or `urn:uuid:` in a transaction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_url: Option<String>,
    /// The resource.
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub resource: Option<R>,
    /// For search results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<EntrySearch>,
    /// For transactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<EntryRequest>,
    /// For transaction responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<EntryResponse>,
}

fn none<R>() -> Option<R> {
    None
}

/// A `Bundle` of resources of type `R` (`serde_json::Value` for a transaction as sent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Bundle<R> {
    /// Always `Bundle`.
    pub resource_type: BundleType,
    /// Logical id, accepted and ignored on input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Meta, accepted and ignored on input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// `searchset`, `transaction`, `transaction-response`, …
    #[serde(rename = "type")]
    pub type_: String,
    /// When it was assembled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Links (search results).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub link: Vec<Link>,
    /// Entries.
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub entry: Vec<Entry<R>>,
}

/// Search results: each resource with its address; `next` when the page was full.
pub fn searchset<R>(
    base: &str,
    self_url: String,
    next_url: Option<String>,
    resources: Vec<(String, R)>,
) -> Bundle<R> {
    let mut link = vec![Link {
        relation: "self".into(),
        url: self_url,
    }];
    if let Some(url) = next_url {
        link.push(Link {
            relation: "next".into(),
            url,
        });
    }
    Bundle {
        resource_type: BundleType,
        id: None,
        meta: None,
        type_: "searchset".into(),
        timestamp: None,
        link,
        entry: resources
            .into_iter()
            .map(|(path, resource)| Entry {
                full_url: Some(format!("{base}/{path}")),
                resource: Some(resource),
                search: Some(EntrySearch {
                    mode: "match".into(),
                }),
                request: None,
                response: None,
            })
            .collect(),
    }
}

/// A transaction's answer: one response (and resource) per entry, in the order sent.
pub fn transaction_response<R>(entries: Vec<(EntryResponse, Option<R>)>) -> Bundle<R> {
    Bundle {
        resource_type: BundleType,
        id: None,
        meta: None,
        type_: "transaction-response".into(),
        timestamp: None,
        link: Vec::new(),
        entry: entries
            .into_iter()
            .map(|(response, resource)| Entry {
                full_url: None,
                resource,
                search: None,
                request: None,
                response: Some(response),
            })
            .collect(),
    }
}
