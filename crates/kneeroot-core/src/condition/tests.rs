use super::*;
use crate::answers::Side;

/// A small variable table, independent of the shipped knowledge base.
struct TestVars {
    vars: Vec<(&'static str, VarKind)>,
}

impl TestVars {
    fn new() -> TestVars {
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        TestVars {
            vars: vec![
                ("flag.a", VarKind::Bool),
                ("flag.b", VarKind::Bool),
                ("flag.c", VarKind::Bool),
                ("age", VarKind::Int),
                ("injury.days", VarKind::Number),
                ("colour", VarKind::Enum(strings(&["red", "green", "blue"]))),
                ("pain.where", VarKind::List(strings(&["front", "back", "inside"]))),
                ("squat.caves", VarKind::Side),
            ],
        }
    }

    fn id(&self, name: &str) -> VarId {
        let i = self.vars.iter().position(|(n, _)| *n == name).unwrap_or_else(|| panic!("no test var {name}"));
        VarId(u16::try_from(i).unwrap())
    }
}

impl VarTable for TestVars {
    fn lookup(&self, name: &str) -> Option<(VarId, &VarKind)> {
        self.vars.iter().position(|(n, _)| *n == name).map(|i| (VarId(u16::try_from(i).unwrap()), &self.vars[i].1))
    }
}

/// Answers for the test table; anything not set is unanswered.
struct TestFacts {
    values: Vec<Option<Value>>,
}

impl TestFacts {
    fn none() -> TestFacts {
        TestFacts { values: vec![None; TestVars::new().vars.len()] }
    }

    fn with(mut self, name: &str, value: Value) -> TestFacts {
        let i = TestVars::new().id(name).index();
        self.values[i] = Some(value);
        self
    }
}

impl Facts for TestFacts {
    fn value(&self, var: VarId) -> Option<&Value> {
        self.values.get(var.index()).and_then(Option::as_ref)
    }
}

fn parse(src: &str) -> Expr {
    Expr::parse(src, &TestVars::new()).unwrap_or_else(|e| panic!("'{src}' should parse, got: {e}"))
}

fn parse_err(src: &str) -> ParseError {
    match Expr::parse(src, &TestVars::new()) {
        Ok(e) => panic!("'{src}' should not parse, got {e:?}"),
        Err(e) => e,
    }
}

fn eval(src: &str, facts: &TestFacts) -> Tri {
    parse(src).eval(facts)
}

fn var(name: &str) -> VarId {
    TestVars::new().id(name)
}

/// 1-based position of the `n`-th (0-based) occurrence of `needle` in `src`, counted in characters.
fn pos_of(src: &str, needle: &str, n: usize) -> usize {
    let byte = src.match_indices(needle).nth(n).unwrap_or_else(|| panic!("'{needle}' not in '{src}'")).0;
    src[..byte].chars().count() + 1
}

/// Facts for three booleans, each true, false or unanswered (`None`).
fn abc(a: Option<bool>, b: Option<bool>, c: Option<bool>) -> TestFacts {
    let mut f = TestFacts::none();
    for (name, v) in [("flag.a", a), ("flag.b", b), ("flag.c", c)] {
        if let Some(v) = v {
            f = f.with(name, Value::Bool(v));
        }
    }
    f
}

const T: Option<bool> = Some(true);
const F: Option<bool> = Some(false);
const U: Option<bool> = None;

fn tri(v: Option<bool>) -> Tri {
    match v {
        Some(true) => Tri::True,
        Some(false) => Tri::False,
        None => Tri::Unknown,
    }
}

// ---------------------------------------------------------------------------------------------------
// Parsing: structure and precedence
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_bare_boolean_id_parses_as_truthy() {
    assert_eq!(parse("flag.a"), Expr::Truthy(var("flag.a")));
}

#[test]
fn and_binds_tighter_than_or() {
    let e = parse("flag.a || flag.b && flag.c");
    assert_eq!(
        e,
        Expr::Or(vec![
            Expr::Truthy(var("flag.a")),
            Expr::And(vec![Expr::Truthy(var("flag.b")), Expr::Truthy(var("flag.c"))]),
        ])
    );
    // a || (b && c) is true here; (a || b) && c would be false.
    assert_eq!(e.eval(&abc(T, F, F)), Tri::True);
}

#[test]
fn and_binds_tighter_than_or_when_the_and_comes_first() {
    let e = parse("flag.a && flag.b || flag.c");
    assert_eq!(
        e,
        Expr::Or(vec![
            Expr::And(vec![Expr::Truthy(var("flag.a")), Expr::Truthy(var("flag.b"))]),
            Expr::Truthy(var("flag.c")),
        ])
    );
    // (a && b) || c is true here; a && (b || c) would be false.
    assert_eq!(e.eval(&abc(F, F, T)), Tri::True);
}

#[test]
fn parentheses_override_precedence() {
    let e = parse("(flag.a || flag.b) && flag.c");
    assert_eq!(
        e,
        Expr::And(vec![
            Expr::Or(vec![Expr::Truthy(var("flag.a")), Expr::Truthy(var("flag.b"))]),
            Expr::Truthy(var("flag.c")),
        ])
    );
    assert_eq!(e.eval(&abc(T, F, F)), Tri::False);
}

#[test]
fn chains_of_the_same_connective_are_flattened() {
    assert_eq!(
        parse("flag.a && flag.b && flag.c"),
        Expr::And(vec![Expr::Truthy(var("flag.a")), Expr::Truthy(var("flag.b")), Expr::Truthy(var("flag.c"))])
    );
    assert_eq!(
        parse("flag.a || flag.b || flag.c"),
        Expr::Or(vec![Expr::Truthy(var("flag.a")), Expr::Truthy(var("flag.b")), Expr::Truthy(var("flag.c"))])
    );
}

#[test]
fn redundant_parentheses_and_whitespace_do_not_change_the_expression() {
    assert_eq!(parse("((flag.a))"), Expr::Truthy(var("flag.a")));
    assert_eq!(parse("  flag.a&&flag.b  "), parse("flag.a && flag.b"));
}

#[test]
fn not_binds_tighter_than_and() {
    let e = parse("!flag.a && flag.b");
    assert_eq!(e, Expr::And(vec![Expr::Not(Box::new(Expr::Truthy(var("flag.a")))), Expr::Truthy(var("flag.b"))]));
    // (!a) && b with a = false, b = true is true; !(a && b) would also be true, so also check a = true.
    assert_eq!(e.eval(&abc(F, T, U)), Tri::True);
    assert_eq!(e.eval(&abc(T, F, U)), Tri::False);
}

#[test]
fn not_applies_to_a_parenthesised_group() {
    let e = parse("!(flag.a && flag.b)");
    assert_eq!(e, Expr::Not(Box::new(Expr::And(vec![Expr::Truthy(var("flag.a")), Expr::Truthy(var("flag.b"))]))));
    assert_eq!(e.eval(&abc(T, F, U)), Tri::True);
}

#[test]
fn double_negation_parses_and_cancels_out() {
    assert_eq!(parse("!!flag.a"), Expr::Not(Box::new(Expr::Not(Box::new(Expr::Truthy(var("flag.a")))))));
    assert_eq!(eval("!!flag.a", &abc(T, U, U)), Tri::True);
    assert_eq!(eval("!!flag.a", &abc(F, U, U)), Tri::False);
}

#[test]
fn not_equal_is_an_operator_not_a_negation() {
    assert_eq!(
        parse("colour != 'red'"),
        Expr::Cmp { var: var("colour"), op: CmpOp::Ne, lit: Literal::Str("red".into()) }
    );
}

#[test]
fn every_comparison_operator_is_recognised() {
    for (src, op) in [
        ("age == 5", CmpOp::Eq),
        ("age != 5", CmpOp::Ne),
        ("age < 5", CmpOp::Lt),
        ("age <= 5", CmpOp::Le),
        ("age > 5", CmpOp::Gt),
        ("age >= 5", CmpOp::Ge),
    ] {
        assert_eq!(parse(src), Expr::Cmp { var: var("age"), op, lit: Literal::Number(5.0) }, "{src}");
    }
}

#[test]
fn literals_of_every_kind_are_read() {
    assert_eq!(parse("flag.a == true"), Expr::Cmp { var: var("flag.a"), op: CmpOp::Eq, lit: Literal::Bool(true) });
    assert_eq!(parse("flag.a == false"), Expr::Cmp { var: var("flag.a"), op: CmpOp::Eq, lit: Literal::Bool(false) });
    assert_eq!(
        parse("injury.days <= 7.5"),
        Expr::Cmp { var: var("injury.days"), op: CmpOp::Le, lit: Literal::Number(7.5) }
    );
    assert_eq!(parse("age > -1"), Expr::Cmp { var: var("age"), op: CmpOp::Gt, lit: Literal::Number(-1.0) });
    assert_eq!(
        parse("colour == 'green'"),
        Expr::Cmp { var: var("colour"), op: CmpOp::Eq, lit: Literal::Str("green".into()) }
    );
}

#[test]
fn has_parses_on_lists_and_sides() {
    assert_eq!(parse("pain.where has 'front'"), Expr::Has { var: var("pain.where"), value: "front".into() });
    assert_eq!(parse("squat.caves has 'left'"), Expr::Has { var: var("squat.caves"), value: "left".into() });
    assert_eq!(parse("squat.caves has 'right'"), Expr::Has { var: var("squat.caves"), value: "right".into() });
}

#[test]
fn answered_parses_to_its_own_node() {
    assert_eq!(parse("answered(age)"), Expr::Answered(var("age")));
    assert_eq!(parse("!answered(pain.where)"), Expr::Not(Box::new(Expr::Answered(var("pain.where")))));
}

#[test]
fn vars_lists_every_mentioned_variable_once_in_order_of_first_mention() {
    let e = parse("colour == 'red' && (age > 3 || !flag.a) && colour != 'blue' && answered(pain.where)");
    assert_eq!(e.vars(), vec![var("colour"), var("age"), var("flag.a"), var("pain.where")]);
}

// ---------------------------------------------------------------------------------------------------
// Evaluation: comparisons
// ---------------------------------------------------------------------------------------------------

#[test]
fn int_comparisons_decide_each_operator_at_the_boundary() {
    let at = |n: i64| TestFacts::none().with("age", Value::Int(n));
    let cases = [
        ("age == 55", [false, true, false]),
        ("age != 55", [true, false, true]),
        ("age < 55", [true, false, false]),
        ("age <= 55", [true, true, false]),
        ("age > 55", [false, false, true]),
        ("age >= 55", [false, true, true]),
    ];
    for (src, expected) in cases {
        for (n, want) in [54, 55, 56].into_iter().zip(expected) {
            assert_eq!(eval(src, &at(n)), Tri::from_bool(want), "{src} with age = {n}");
        }
    }
}

#[test]
fn number_comparisons_use_the_fractional_value() {
    let at = |d: f64| TestFacts::none().with("injury.days", Value::Number(d));
    assert_eq!(eval("injury.days <= 7", &at(7.0)), Tri::True);
    assert_eq!(eval("injury.days <= 7", &at(7.5)), Tri::False);
    assert_eq!(eval("injury.days > 7", &at(7.5)), Tri::True);
    assert_eq!(eval("injury.days == 7.5", &at(7.5)), Tri::True);
    assert_eq!(eval("injury.days < 0.5", &at(0.25)), Tri::True);
}

#[test]
fn an_int_variable_compares_with_a_fractional_literal() {
    let f = TestFacts::none().with("age", Value::Int(7));
    assert_eq!(eval("age < 7.5", &f), Tri::True);
    assert_eq!(eval("age > 6.9", &f), Tri::True);
    assert_eq!(eval("age == 7.0", &f), Tri::True);
}

#[test]
fn negative_literals_compare_correctly() {
    let f = TestFacts::none().with("injury.days", Value::Number(-0.5));
    assert_eq!(eval("injury.days < 0", &f), Tri::True);
    assert_eq!(eval("injury.days > -1", &f), Tri::True);
    assert_eq!(eval("injury.days > -0.25", &f), Tri::False);
}

#[test]
fn bool_equality_compares_with_true_and_false() {
    let yes = TestFacts::none().with("flag.a", Value::Bool(true));
    let no = TestFacts::none().with("flag.a", Value::Bool(false));
    assert_eq!(eval("flag.a == true", &yes), Tri::True);
    assert_eq!(eval("flag.a == false", &yes), Tri::False);
    assert_eq!(eval("flag.a == false", &no), Tri::True);
    assert_eq!(eval("flag.a != true", &no), Tri::True);
    assert_eq!(eval("flag.a != false", &no), Tri::False);
}

#[test]
fn a_bare_boolean_is_true_only_when_answered_yes() {
    assert_eq!(eval("flag.a", &abc(T, U, U)), Tri::True);
    assert_eq!(eval("flag.a", &abc(F, U, U)), Tri::False);
    assert_eq!(eval("flag.a", &abc(U, U, U)), Tri::Unknown);
}

#[test]
fn enum_equality_and_inequality() {
    let red = TestFacts::none().with("colour", Value::Enum("red".into()));
    assert_eq!(eval("colour == 'red'", &red), Tri::True);
    assert_eq!(eval("colour == 'blue'", &red), Tri::False);
    assert_eq!(eval("colour != 'red'", &red), Tri::False);
    assert_eq!(eval("colour != 'blue'", &red), Tri::True);
}

#[test]
fn side_equality_compares_the_exact_side() {
    let both = TestFacts::none().with("squat.caves", Value::Side(Side::Both));
    assert_eq!(eval("squat.caves == 'both'", &both), Tri::True);
    assert_eq!(eval("squat.caves == 'left'", &both), Tri::False);
    assert_eq!(eval("squat.caves != 'none'", &both), Tri::True);
    let none = TestFacts::none().with("squat.caves", Value::Side(Side::None));
    assert_eq!(eval("squat.caves != 'none'", &none), Tri::False);
    assert_eq!(eval("squat.caves == 'none'", &none), Tri::True);
}

#[test]
fn has_on_a_list_is_true_only_for_a_chosen_member() {
    let f = TestFacts::none().with("pain.where", Value::List(vec!["front".into(), "inside".into()]));
    assert_eq!(eval("pain.where has 'front'", &f), Tri::True);
    assert_eq!(eval("pain.where has 'inside'", &f), Tri::True);
    assert_eq!(eval("pain.where has 'back'", &f), Tri::False);
    let empty = TestFacts::none().with("pain.where", Value::List(vec![]));
    assert_eq!(eval("pain.where has 'front'", &empty), Tri::False);
}

#[test]
fn has_on_a_side_counts_both_as_left_and_as_right() {
    let cases =
        [(Side::None, false, false), (Side::Left, true, false), (Side::Right, false, true), (Side::Both, true, true)];
    for (side, left, right) in cases {
        let f = TestFacts::none().with("squat.caves", Value::Side(side));
        assert_eq!(eval("squat.caves has 'left'", &f), Tri::from_bool(left), "{side:?} has left");
        assert_eq!(eval("squat.caves has 'right'", &f), Tri::from_bool(right), "{side:?} has right");
    }
}

#[test]
fn every_comparison_with_an_unanswered_variable_is_unknown() {
    let nothing = TestFacts::none();
    for src in [
        "flag.a",
        "flag.a == true",
        "flag.a != true",
        "age >= 55",
        "age != 55",
        "injury.days <= 7",
        "colour == 'red'",
        "colour != 'red'",
        "pain.where has 'front'",
        "squat.caves has 'left'",
        "squat.caves != 'none'",
    ] {
        assert_eq!(eval(src, &nothing), Tri::Unknown, "{src}");
        // `!=` with an unanswered variable must not count as "different", and negation stays unknown.
        assert_eq!(eval(&format!("!({src})"), &nothing), Tri::Unknown, "!({src})");
    }
}

#[test]
fn only_a_decided_true_fires() {
    assert!(Tri::True.is_true());
    assert!(!Tri::False.is_true());
    assert!(!Tri::Unknown.is_true());
}

// ---------------------------------------------------------------------------------------------------
// Kleene three-valued logic
// ---------------------------------------------------------------------------------------------------

#[test]
fn and_follows_the_kleene_truth_table() {
    let table = [
        (T, T, Tri::True),
        (T, F, Tri::False),
        (T, U, Tri::Unknown),
        (F, T, Tri::False),
        (F, F, Tri::False),
        (F, U, Tri::False),
        (U, T, Tri::Unknown),
        (U, F, Tri::False),
        (U, U, Tri::Unknown),
    ];
    for (a, b, want) in table {
        assert_eq!(eval("flag.a && flag.b", &abc(a, b, U)), want, "{a:?} && {b:?}");
    }
}

#[test]
fn or_follows_the_kleene_truth_table() {
    let table = [
        (T, T, Tri::True),
        (T, F, Tri::True),
        (T, U, Tri::True),
        (F, T, Tri::True),
        (F, F, Tri::False),
        (F, U, Tri::Unknown),
        (U, T, Tri::True),
        (U, F, Tri::Unknown),
        (U, U, Tri::Unknown),
    ];
    for (a, b, want) in table {
        assert_eq!(eval("flag.a || flag.b", &abc(a, b, U)), want, "{a:?} || {b:?}");
    }
}

#[test]
fn not_follows_the_kleene_truth_table() {
    for (a, want) in [(T, Tri::False), (F, Tri::True), (U, Tri::Unknown)] {
        assert_eq!(eval("!flag.a", &abc(a, U, U)), want, "!{a:?}");
    }
}

#[test]
fn long_chains_agree_with_kleene_logic_for_every_combination() {
    let values = [T, F, U];
    let and3 = parse("flag.a && flag.b && flag.c");
    let or3 = parse("flag.a || flag.b || flag.c");
    for a in values {
        for b in values {
            for c in values {
                let ts = [tri(a), tri(b), tri(c)];
                let want_and = if ts.contains(&Tri::False) {
                    Tri::False
                } else if ts.contains(&Tri::Unknown) {
                    Tri::Unknown
                } else {
                    Tri::True
                };
                let want_or = if ts.contains(&Tri::True) {
                    Tri::True
                } else if ts.contains(&Tri::Unknown) {
                    Tri::Unknown
                } else {
                    Tri::False
                };
                assert_eq!(and3.eval(&abc(a, b, c)), want_and, "{a:?} && {b:?} && {c:?}");
                assert_eq!(or3.eval(&abc(a, b, c)), want_or, "{a:?} || {b:?} || {c:?}");
            }
        }
    }
}

#[test]
fn an_unknown_before_a_false_does_not_hide_the_false() {
    // Short-circuiting must not stop at the first unknown.
    assert_eq!(eval("flag.a && flag.b", &abc(U, F, U)), Tri::False);
    assert_eq!(eval("flag.a || flag.b", &abc(U, T, U)), Tri::True);
}

#[test]
fn answered_is_never_unknown() {
    assert_eq!(eval("answered(age)", &TestFacts::none()), Tri::False);
    assert_eq!(eval("answered(age)", &TestFacts::none().with("age", Value::Int(40))), Tri::True);
    assert_eq!(eval("!answered(age)", &TestFacts::none()), Tri::True);
    // A false answer is still an answer.
    assert_eq!(eval("answered(flag.a)", &abc(F, U, U)), Tri::True);
}

#[test]
fn answered_decides_a_condition_that_would_otherwise_be_unknown() {
    let src = "!answered(age) || age >= 55";
    assert_eq!(eval(src, &TestFacts::none()), Tri::True);
    assert_eq!(eval(src, &TestFacts::none().with("age", Value::Int(30))), Tri::False);
}

// ---------------------------------------------------------------------------------------------------
// Errors: position and message
// ---------------------------------------------------------------------------------------------------

#[test]
fn an_unknown_id_is_an_error_at_the_id_naming_it() {
    let e = parse_err("flag.zzz");
    assert_eq!(e.position, 1);
    assert!(e.message.contains("unknown id 'flag.zzz'"), "{e}");

    let src = "flag.a && pain.wher has 'front'";
    let e = parse_err(src);
    assert_eq!(e.position, pos_of(src, "pain.wher", 0));
    assert!(e.message.contains("unknown id 'pain.wher'"), "{e}");
}

#[test]
fn an_unknown_id_inside_answered_is_an_error_at_the_id() {
    let src = "answered(nope)";
    let e = parse_err(src);
    assert_eq!(e.position, pos_of(src, "nope", 0));
    assert!(e.message.contains("unknown id 'nope'"), "{e}");
}

#[test]
fn the_display_of_an_error_names_the_character_position() {
    let e = parse_err("flag.a && nope");
    assert_eq!(e.to_string(), "at character 11: unknown id 'nope'");
}

#[test]
fn an_enum_value_that_does_not_exist_is_an_error_listing_the_allowed_values() {
    let src = "colour == 'purple'";
    let e = parse_err(src);
    assert!(e.message.contains("'purple'"), "{e}");
    assert!(e.message.contains("'colour'"), "{e}");
    assert!(e.message.contains("allowed: red, green, blue"), "{e}");
    assert!(parse_err("colour != 'purple'").message.contains("allowed: red, green, blue"));
}

#[test]
fn a_bad_enum_value_is_reported_at_the_value_not_past_it() {
    let src = "colour == 'purple' && flag.a";
    let e = parse_err(src);
    assert_eq!(e.position, pos_of(src, "'purple'", 0), "{e}");
    let src = "colour == 'purple'";
    assert_eq!(parse_err(src).position, pos_of(src, "'purple'", 0));
}

#[test]
fn comparing_a_list_with_equals_is_an_error_suggesting_has() {
    let src = "pain.where == 'front'";
    let e = parse_err(src);
    assert!(e.message.contains("'pain.where' is a list"), "{e}");
    assert!(e.message.contains("has"), "{e}");
    assert!(parse_err("pain.where != 'front'").message.contains("is a list"));
}

#[test]
fn comparing_a_number_variable_with_a_string_is_an_error() {
    let src = "age == 'old' || flag.a";
    let e = parse_err(src);
    assert!(e.message.contains("does not fit 'age'"), "{e}");
    assert!(e.message.contains("whole number"), "{e}");
    let e = parse_err("injury.days < 'soon'");
    assert!(e.message.contains("does not fit 'injury.days'") && e.message.contains("a number"), "{e}");
}

#[test]
fn a_type_mismatch_is_reported_at_the_value_not_past_it() {
    let src = "age == 'old' || flag.a";
    assert_eq!(parse_err(src).position, pos_of(src, "'old'", 0));
    // For a list compared with ==, anywhere within the comparison will do, but not past it.
    let src = "pain.where == 'front'";
    let e = parse_err(src);
    assert!((1..=pos_of(src, "'front'", 0)).contains(&e.position), "{e}");
}

#[test]
fn comparing_an_enum_with_a_number_or_a_bool_with_a_string_is_an_error() {
    let e = parse_err("colour == 3");
    assert!(e.message.contains("does not fit 'colour'"), "{e}");
    let e = parse_err("flag.a == 'yes'");
    assert!(e.message.contains("does not fit 'flag.a'") && e.message.contains("true/false"), "{e}");
    let e = parse_err("age == true");
    assert!(e.message.contains("does not fit 'age'"), "{e}");
}

#[test]
fn ordering_a_bool_an_enum_or_a_side_is_an_error() {
    for src in ["flag.a < true", "colour > 'red'", "squat.caves >= 'left'"] {
        let e = parse_err(src);
        assert!(e.message.contains("does not fit"), "{src}: {e}");
    }
}

#[test]
fn comparing_a_side_with_a_value_that_is_not_a_side_is_an_error() {
    let e = parse_err("squat.caves == 'middle'");
    assert!(e.message.contains("'middle' is not a side"), "{e}");
    assert!(e.message.contains("none, left, right, both"), "{e}");
}

#[test]
fn has_none_on_a_side_is_an_error() {
    let src = "squat.caves has 'none'";
    let e = parse_err(src);
    assert!(e.message.contains("'none'"), "{e}");
    assert!(e.message.contains("allowed: left, right"), "{e}");
    assert!(parse_err("squat.caves has 'both'").message.contains("allowed: left, right"));
}

#[test]
fn has_with_a_value_not_in_the_list_is_an_error_listing_the_options() {
    let src = "pain.where has 'elbow'";
    let e = parse_err(src);
    assert!(e.message.contains("'elbow' is not a value of 'pain.where'"), "{e}");
    assert!(e.message.contains("allowed: front, back, inside"), "{e}");
}

#[test]
fn a_bad_has_value_is_reported_at_the_value_not_past_it() {
    let src = "pain.where has 'elbow' && flag.a";
    assert_eq!(parse_err(src).position, pos_of(src, "'elbow'", 0));
    let src = "squat.caves has 'none'";
    assert_eq!(parse_err(src).position, pos_of(src, "'none'", 0));
}

#[test]
fn has_on_a_variable_that_is_not_a_list_or_a_side_is_an_error() {
    for src in ["colour has 'red'", "age has 'x'", "flag.a has 'x'"] {
        let e = parse_err(src);
        assert!(e.message.contains("is not a list or a side"), "{src}: {e}");
    }
}

#[test]
fn has_without_a_string_is_an_error_at_the_missing_value() {
    let src = "pain.where has front";
    let e = parse_err(src);
    assert!(e.message.contains("expected a 'string' after has"), "{e}");
    assert_eq!(e.position, pos_of(src, "front", 0));
}

#[test]
fn a_non_boolean_id_on_its_own_is_an_error() {
    let e = parse_err("age");
    assert!(e.message.contains("'age' is not true/false"), "{e}");
    let e = parse_err("flag.a && colour");
    assert!(e.message.contains("'colour' is not true/false"), "{e}");
}

#[test]
fn an_unterminated_string_is_an_error_at_the_opening_quote() {
    let src = "colour == 'red";
    let e = parse_err(src);
    assert_eq!(e.position, pos_of(src, "'", 0));
    assert!(e.message.contains("not closed"), "{e}");
}

#[test]
fn trailing_tokens_are_an_error_at_the_first_extra_token() {
    let src = "flag.a flag.b";
    let e = parse_err(src);
    assert_eq!(e.position, pos_of(src, "flag.b", 0));
    assert!(e.message.contains("unexpected 'flag.b'"), "{e}");

    let src = "(flag.a))";
    let e = parse_err(src);
    assert_eq!(e.position, 9);
    assert!(e.message.contains("unexpected ')'"), "{e}");

    let src = "age > 3 4";
    let e = parse_err(src);
    assert_eq!(e.position, 9);
    assert!(e.message.contains("unexpected number 4"), "{e}");
}

#[test]
fn an_empty_condition_is_an_error_at_character_one() {
    for src in ["", "   ", "\t\n"] {
        let e = parse_err(src);
        assert_eq!(e.position, 1, "{src:?}");
        assert!(e.message.contains("empty"), "{src:?}: {e}");
    }
}

#[test]
fn a_condition_that_ends_too_early_is_an_error_at_the_end() {
    let src = "flag.a &&";
    let e = parse_err(src);
    assert_eq!(e.position, src.len() + 1);
    assert!(e.message.contains("ends too early"), "{e}");

    let src = "age >=";
    let e = parse_err(src);
    assert_eq!(e.position, src.len() + 1);
    assert!(e.message.contains("expected a value"), "{e}");
}

#[test]
fn an_unclosed_parenthesis_is_an_error() {
    let src = "(flag.a && flag.b";
    let e = parse_err(src);
    assert_eq!(e.position, src.len() + 1);
    assert!(e.message.contains("expected ')'"), "{e}");

    let src = "answered(age flag.a";
    let e = parse_err(src);
    assert_eq!(e.position, pos_of(src, "flag.a", 0));
    assert!(e.message.contains("expected ')'"), "{e}");
}

#[test]
fn a_comparison_without_a_value_is_an_error_where_the_value_belongs() {
    let src = "age >= && flag.a";
    let e = parse_err(src);
    assert_eq!(e.position, pos_of(src, "&&", 0));
    assert!(e.message.contains("expected a value"), "{e}");
}

#[test]
fn an_operator_where_an_operand_belongs_is_an_error() {
    let src = "&& flag.a";
    let e = parse_err(src);
    assert_eq!(e.position, 1);
    assert!(e.message.contains("expected an id, '(' or '!'"), "{e}");
}

#[test]
fn a_character_outside_the_language_is_an_error_at_that_character() {
    let src = "flag.a & flag.b";
    let e = parse_err(src);
    assert_eq!(e.position, pos_of(src, "&", 0));
    assert!(e.message.contains("unexpected character '&'"), "{e}");

    let src = "age = 5";
    let e = parse_err(src);
    assert_eq!(e.position, 5);
    assert!(e.message.contains("unexpected character '='"), "{e}");

    let src = "colour == \"red\"";
    let e = parse_err(src);
    assert_eq!(e.position, pos_of(src, "\"", 0));
    assert!(e.message.contains("unexpected character"), "{e}");
}

#[test]
fn a_malformed_number_is_an_error_naming_it() {
    let src = "age > 1.2.3";
    let e = parse_err(src);
    assert_eq!(e.position, pos_of(src, "1.2.3", 0));
    assert!(e.message.contains("'1.2.3' is not a number"), "{e}");
}

#[test]
fn positions_count_characters_not_bytes() {
    // 'é' is two bytes in UTF-8 but one character: the unclosed quote is character 5, byte 6.
    let e = parse_err("'é' 'x");
    assert_eq!(e.position, 5);
    assert!(e.message.contains("not closed"), "{e}");
}
