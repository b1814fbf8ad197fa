//! Standard exports of one person's records: a FHIR R4 `Bundle` for other health systems, CSV tables for
//! spreadsheets, and "download everything" as one versioned JSON document.
//!
//! ## Design
//! - **Load once, build purely.** [`load_record`] is the only function here that touches the store: it
//!   reads everything kneeroot holds about one person into a [`PatientRecord`]. The builders
//!   ([`fhir::bundle`], [`csv::checkins`], [`csv::scores`], [`archive::everything`]) are pure functions of
//!   that record, the knowledge base and the time of export, so they are tested without a database and
//!   the same record always gives byte-identical output (ids are derived, never random; every list has a
//!   fixed order).
//! - **Access is the caller's.** `load_record` takes the person whose record it reads and checks
//!   nothing: the route handlers here pass the signed-in person themselves, and a clinician's export must
//!   make its own care-link check before calling it.
//! - **Never half an answer, never a 500 for old data.** Stored JSON that no longer parses is carried as
//!   text in the archive and left out of the FHIR resources, rather than failing the whole download.

pub(crate) mod archive;
pub(crate) mod csv;
pub(crate) mod fhir;
mod ids;
pub(crate) mod openapi;
mod record;
pub(crate) mod routes;

pub(crate) use record::{PatientRecord, load_record};

#[cfg(test)]
mod tests;
