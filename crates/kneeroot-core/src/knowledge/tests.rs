use super::*;

#[test]
fn the_shipped_knowledge_base_is_valid() {
    if let Err(e) = Knowledge::embedded() {
        panic!("shipped knowledge base has errors:\n{e}");
    }
}
