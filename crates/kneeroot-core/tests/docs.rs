//! Generated documentation must not drift from the knowledge base it documents.

use kneeroot_core::Knowledge;
use kneeroot_core::report::answers_doc;

#[test]
fn docs_answers_md_matches_the_knowledge_base() {
    let kb = Knowledge::embedded().expect("shipped knowledge is valid");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/answers.md");
    let committed = std::fs::read_to_string(path).expect("docs/answers.md exists");
    assert!(
        committed == answers_doc(&kb),
        "docs/answers.md is out of date: run `cargo run -- kb answers-doc > docs/answers.md`"
    );
}

#[test]
fn every_id_of_the_assessment_contract_is_documented() {
    // The ids of the contract (shared/design/answers.md) that the engine and other tools rely on.
    let kb = Knowledge::embedded().expect("shipped knowledge is valid");
    let doc = answers_doc(&kb);
    for q in kb.questions() {
        assert!(doc.contains(&format!("| `{}` |", q.id)), "{} is not documented", q.id);
    }
    for id in ["age", "pain.now", "squat.knee_caves_in", "back_ball.stiffer_side", "prefs.floor_ok", "flag.knee_locked"]
    {
        assert!(kb.question(id).is_some(), "contract id {id} is missing from the knowledge base");
    }
}
