//! Tests of loop vectorisation: a tape recorded the way a traced loop records it (scalar
//! ops per iteration, one concat) must give the same value and gradient rebuilt as
//! vector ops as recorded, match central finite differences, keep its domain errors, and
//! leave alone lanes whose values other ops also read.

use super::builder::TapeBuilder;
use super::fd::max_gradient_error;
use super::op::{MatrixOp, Op};
use super::slot::Slot;
use super::{Scratch, Tape, TapeDensity};
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::{PairReduce, Reduce};
use crate::model::EvalError;

const N: usize = 12;
const GROUP: [usize; N] = [0, 3, 1, 1, 2, 0, 3, 2, 2, 1, 0, 3];

fn row(i: usize) -> [f64; 3] {
    let t = i as f64;
    [(0.3 * t).sin(), 0.1 * t - 0.5, (0.7 * t).cos()]
}

/// Parameters: beta (3), alpha, u (4 group effects), w (4 positive values).
/// `eta[i] = log1p_exp(alpha + row_i · beta + u[group[i]] * x[i])`, the dot product a
/// matrix product for even `i` and `dot_product` for odd `i` when `mixed`; the target
/// is `Σ eta² + Σ exp(p[0..4]) + Σ log(p[4..12])`, the last two over concats of
/// consecutive elements (the first too short to rebuild). With `reuse`, lane 5's sum is
/// also read outside the loop.
fn record(vectorise: bool, mixed: bool, reuse: bool) -> Tape {
    record_with(vectorise, mixed, reuse, 1.05)
}

/// [`record`] with `x[i] = 0.2 i - offset` (an offset of 1 makes `x[10]` one, so the
/// builder records no product for that lane).
fn record_with(vectorise: bool, mixed: bool, reuse: bool, offset: f64) -> Tape {
    let b = TapeBuilder::new(12);
    let p = b.param_slot();
    let beta = b.view(p, 0, 3, 1).unwrap();
    let alpha = b.view(p, 3, 1, 1).unwrap();
    let mut lanes = Vec::new();
    let mut kept = None;
    for (i, &group) in GROUP.iter().enumerate() {
        let r = b.constant(&row(i), 1, 3).unwrap();
        let dot = if mixed && i % 2 == 1 {
            b.pair(PairReduce::DotProduct, r, beta).unwrap()
        } else {
            b.matmul(r, beta).unwrap()
        };
        let lin = b.binary(Binary::Add, alpha, dot).unwrap();
        let u = b.view(p, 4 + group, 1, 1).unwrap();
        let x = b.scalar(0.2 * i as f64 - offset);
        let effect = b.binary(Binary::Mul, u, x).unwrap();
        let eta = b.binary(Binary::Add, lin, effect).unwrap();
        if reuse && i == 5 {
            kept = Some(eta);
        }
        lanes.push(b.unary(Unary::Log1pExp, eta).unwrap());
    }
    let v = b.concat(&lanes, N, 1).unwrap();
    let sq = b.unary(Unary::Square, v).unwrap();
    let mut terms = vec![b.reduce(Reduce::Sum, sq).unwrap()];
    let short: Vec<Slot> = (0..4)
        .map(|k| b.unary(Unary::Exp, b.view(p, k, 1, 1).unwrap()).unwrap())
        .collect();
    let e = b.concat(&short, 4, 1).unwrap();
    terms.push(b.reduce(Reduce::Sum, e).unwrap());
    let consecutive: Vec<Slot> = (4..12)
        .map(|k| b.unary(Unary::Log, b.view(p, k, 1, 1).unwrap()).unwrap())
        .collect();
    let w = b.concat(&consecutive, 8, 1).unwrap();
    terms.push(b.reduce(Reduce::Sum, w).unwrap());
    if let Some(k) = kept {
        terms.push(k);
    }
    let lp = b.sum_terms(&terms).unwrap();
    match vectorise {
        true => b.finish(lp).unwrap(),
        false => b.finish_as_recorded(lp),
    }
}

fn point() -> Vec<f64> {
    (0..12)
        .map(|i| 0.3 + 0.1 * (i as f64 * 1.7).sin())
        .collect()
}

fn value_and_gradient(t: &Tape, x: &[f64]) -> Result<(f64, Vec<f64>), EvalError> {
    let mut s = Scratch::new(t);
    let mut g = vec![0.0; x.len()];
    let v = t.value_and_gradient(x, &mut s, &mut g)?;
    Ok((v, g))
}

fn count(t: &Tape, which: impl Fn(&Op) -> bool) -> usize {
    t.ops().iter().filter(|op| which(op)).count()
}

/// Asserts that both tapes give the same value and gradient at `x` (to rounding).
fn assert_same(plain: &Tape, fast: &Tape, x: &[f64]) {
    let (v0, g0) = value_and_gradient(plain, x).unwrap();
    let (v1, g1) = value_and_gradient(fast, x).unwrap();
    assert!((v0 - v1).abs() < 1e-12 * (1.0 + v0.abs()), "{v0} vs {v1}");
    for (a, b) in g0.iter().zip(&g1) {
        assert!((a - b).abs() < 1e-12 * (1.0 + a.abs()), "{g0:?} vs {g1:?}");
    }
}

#[test]
fn a_traced_loop_becomes_vector_ops_with_the_same_value_and_gradient() {
    for mixed in [false, true] {
        let (plain, fast) = (record(false, mixed, false), record(true, mixed, false));
        let x = point();
        assert_same(&plain, &fast, &x);
        // one matrix product for the 12 dot products; the only scalar ops left are the
        // four `exp` of the concat too short to rebuild and the target's additions
        assert_eq!(
            count(&fast, |op| matches!(
                op,
                Op::Matrix(MatrixOp::MatMul { .. })
            )),
            1
        );
        assert_eq!(count(&fast, |op| matches!(op, Op::Pair { .. })), 0);
        assert_eq!(
            count(&fast, |op| matches!(op, Op::ScalarUnary { .. })),
            4,
            "{}",
            fast.dump()
        );
        assert!(count(&fast, |op| matches!(op, Op::ScalarBinary { .. })) <= 2);
        assert!(fast.ops().len() < 20, "{}", fast.dump());
        let err = max_gradient_error(&TapeDensity::new(fast), &x).unwrap();
        assert!(err < 1e-6, "gradient error {err}");
    }
}

#[test]
fn lanes_read_elsewhere_are_not_absorbed() {
    let (plain, fast) = (record(false, false, true), record(true, false, true));
    let x = point();
    assert_same(&plain, &fast, &x);
    // the lanes' sums are not all read by the rebuilt tree alone, so they (and the dot
    // products feeding them) stay scalar ops; the `log1p_exp` over them is rebuilt
    assert!(count(&fast, |op| matches!(op, Op::ScalarBinary { .. })) >= N);
    assert_eq!(
        count(&fast, |op| matches!(
            op,
            Op::Unary {
                f: Unary::Log1pExp,
                ..
            }
        )),
        1,
        "{}",
        fast.dump()
    );
    let err = max_gradient_error(&TapeDensity::new(fast), &x).unwrap();
    assert!(err < 1e-6, "gradient error {err}");
}

#[test]
fn a_domain_failure_in_a_rebuilt_lane_is_still_an_error() {
    let fast = record(true, false, false);
    let mut x = point();
    x[2] = -0.5; // a negative beta is fine
    assert!(value_and_gradient(&fast, &x).is_ok());
    x[9] = -1.0; // log of a negative number, in the rebuilt `log` lanes
    match value_and_gradient(&fast, &x) {
        Err(EvalError::Recoverable(m)) => assert!(m.contains("log"), "{m}"),
        other => panic!("expected a recoverable error, got {other:?}"),
    }
}

#[test]
fn short_concats_and_unrelated_lanes_are_left_as_recorded() {
    let b = TapeBuilder::new(3);
    let p = b.param_slot();
    let parts: Vec<Slot> = (0..9)
        .map(|k| match k % 3 {
            0 => b.unary(Unary::Exp, b.view(p, 0, 1, 1).unwrap()).unwrap(),
            1 => b
                .binary(Binary::Mul, b.view(p, 1, 1, 1).unwrap(), b.scalar(2.0))
                .unwrap(),
            _ => b.view(p, 2, 1, 1).unwrap(),
        })
        .collect();
    let v = b.concat(&parts, 9, 1).unwrap();
    let lp = b.reduce(Reduce::Sum, v).unwrap();
    let t = b.finish(lp).unwrap();
    assert_eq!(count(&t, |op| matches!(op, Op::Concat { .. })), 1);
    assert_eq!(t.ops().len(), 8, "{}", t.dump());
}

#[test]
fn lanes_the_builder_simplified_are_read_as_identities() {
    let (plain, fast) = (
        record_with(false, false, false, 1.0),
        record_with(true, false, false, 1.0),
    );
    // lane 10 is `u[group] * 1`, recorded as `u[group]` itself
    assert!(plain.ops().len() > fast.ops().len() + 40);
    let x = point();
    assert_same(&plain, &fast, &x);
    // only the four-lane concat, too short to rebuild, is left
    assert_eq!(count(&fast, |op| matches!(op, Op::Concat { .. })), 1);
    assert_eq!(
        count(&fast, |op| matches!(op, Op::Binary { f: Binary::Mul, .. })),
        1,
        "{}",
        fast.dump()
    );
    let err = max_gradient_error(&TapeDensity::new(fast), &x).unwrap();
    assert!(err < 1e-6, "gradient error {err}");
}
