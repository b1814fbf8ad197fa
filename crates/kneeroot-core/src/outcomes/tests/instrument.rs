//! Instrument ids and versions, as stored with every score.

use super::*;

#[test]
fn every_instrument_has_its_storage_id() {
    let ids: Vec<&str> = Instrument::ALL.iter().map(|i| i.id()).collect();
    assert_eq!(ids, ["koos", "koos12", "koos_ps", "kujala", "nprs", "psfs"]);
    for i in Instrument::ALL {
        assert_eq!(Instrument::from_id(i.id()), Some(i));
        assert_eq!(serde_json::to_value(i).expect("serialise"), json!(i.id()), "serde uses the same id");
    }
    assert_eq!(Instrument::from_id("visa_p"), None);
}

#[test]
fn every_instrument_has_a_distinct_version_naming_its_source() {
    let mut versions: Vec<&str> = Instrument::ALL.iter().map(|i| i.version()).collect();
    assert_eq!(Instrument::Kujala.version(), KUJALA_VERSION);
    assert!(Instrument::KoosPs.version().contains("koos-direction"), "the direction is part of the version");
    versions.sort_unstable();
    versions.dedup();
    assert_eq!(versions.len(), Instrument::ALL.len());
}

#[test]
fn every_measure_belongs_to_an_instrument() {
    assert_eq!(Measure::PsfsActivity.instrument(), Instrument::Psfs);
    assert_eq!(Measure::KoosSubscale.instrument(), Instrument::Koos);
    assert!(!Measure::Nprs.higher_is_better());
    assert!(Measure::Kujala.higher_is_better());
}
