//! Tests of the eager sweeps (`plan_eager`): which steps become eager terms, that their
//! values and gradients are those of the generic rules, and that an evaluation that
//! fails or is not finite leaves no adjoints behind for the next one.

use super::builder::TapeBuilder;
use super::plan_tests::{agrees, assert_close, generic, same_error};
use super::slot::Slot;
use super::{Scratch, Tape};
use crate::math::elementwise::{Binary, Unary};
use crate::model::EvalError;
use std::sync::Arc;

/// `normal(p0..p3 | 0, 1) + normal(p3 | 0.5, p4) + p0² + p1 + exp(p2) + exp(p2)`, as the
/// compiler writes a target: a run of scalar additions. The vector and the scalar
/// normal and the square are terms; `p1` is a parameter leaf and `exp(p2)` is read
/// twice, so both take the sum's adjoint in the reverse sweep.
fn target_tape() -> Tape {
    let b = TapeBuilder::new(5);
    let p = b.param_slot();
    let v = |at, len| b.view(p, at, len, 1).unwrap();
    let data = |x: f64| b.constant(&[x], 1, 1).unwrap();
    let kernel = || Arc::new(super::plan_tests::Unused);
    let t_vec = b
        .normal_lpdf(kernel(), v(0, 3), data(0.0), data(1.0), true)
        .unwrap();
    let t_one = b
        .normal_lpdf(kernel(), v(3, 1), data(0.5), v(4, 1), false)
        .unwrap();
    let t_sq = b.unary(Unary::Square, v(0, 1)).unwrap();
    let twice = b.unary(Unary::Exp, v(2, 1)).unwrap();
    let terms: [Slot; 5] = [t_one, t_sq, v(1, 1), twice, twice];
    let out = terms
        .iter()
        .fold(t_vec, |acc, &t| b.binary(Binary::Add, acc, t).unwrap());
    b.finish(out).unwrap()
}

const X: [f64; 5] = [0.4, -1.3, 0.8, 2.1, 0.6];

#[test]
fn the_terms_of_the_target_sum_run_eagerly_and_agree_with_the_generic_rules() {
    let tape = target_tape();
    // normal (vector), normal (one element), square, exp read twice, the sum
    assert_eq!(tape.modes(), "EEULR");
    agrees(tape, &X);
}

#[test]
fn a_target_of_one_term_is_eager_without_a_sum() {
    let b = TapeBuilder::new(3);
    let p = b.param_slot();
    let y = b.view(p, 0, 3, 1).unwrap();
    let (mu, sigma) = (
        b.constant(&[0.2], 1, 1).unwrap(),
        b.constant(&[1.5], 1, 1).unwrap(),
    );
    let out = b
        .normal_lpdf(Arc::new(super::plan_tests::Unused), y, mu, sigma, false)
        .unwrap();
    let tape = b.finish(out).unwrap();
    assert_eq!(tape.modes(), "E");
    agrees(tape, &X[..3]);
}

/// The gradient at `X` on `scratch` equals the reference.
fn exact_after(tape: &Tape, scratch: &mut Scratch, what: &str) {
    let reference = generic(tape, &X).expect("reference");
    let mut g = [0.0; 5];
    let v = tape
        .value_and_gradient(&X, scratch, &mut g)
        .expect("valid x");
    assert_close(what, (v, &g), &reference);
}

#[test]
fn a_failed_or_infinite_evaluation_leaves_no_adjoints_for_the_next() {
    let tape = target_tape();
    let mut scratch = Scratch::new(&tape);
    let mut g = [0.0; 5];
    // a negative sigma: the eager sweep stops after the vector term has added its
    // gradient, the plain sweep reports the error
    let bad = [0.4, -1.3, 0.8, 2.1, -0.6];
    let expected = generic(&tape, &bad).expect_err("the reference fails");
    match tape.value_and_gradient(&bad, &mut scratch, &mut g) {
        Err(EvalError::Recoverable(m)) => assert_eq!(m, expected),
        other => panic!("expected a recoverable error, got {other:?}"),
    }
    exact_after(&tape, &mut scratch, "after an invalid sigma");
    // z² overflows in the scalar term: not an error, the density is -inf
    let overflow = [0.4, -1.3, 0.8, 1e200, 1e-200];
    assert!(
        tape.value_and_gradient(&overflow, &mut scratch, &mut g)
            .is_err()
    );
    exact_after(&tape, &mut scratch, "after an overflowing term");
    // every term valid and the eager sweep complete, but exp(800) = inf
    let infinite = [0.4, -1.3, 800.0, 2.1, 0.6];
    assert!(
        tape.value_and_gradient(&infinite, &mut scratch, &mut g)
            .is_err()
    );
    exact_after(&tape, &mut scratch, "after an infinite density");
}

#[test]
fn an_invalid_eager_term_fails_as_the_generic_rule_does() {
    same_error(target_tape(), &[0.4, -1.3, 0.8, 2.1, 0.0]);
}
