//! Tests of the plan's fused normal steps (`plan_normal::fused`, `plan_chain`): a normal
//! density whose location `p + q .* r` is computed inline, or as a chain fused into
//! the density, gives the value, gradient and error message of the generic rules.

use super::Tape;
use super::builder::TapeBuilder;
use super::op::Op;
use super::plan_tests::{Unused, agrees, same_error};
use super::slot::Slot;
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::Reduce;
use std::sync::Arc;

/// `normal(y | p + q .* r, sigma)`: forms of p, q, r as `(length, parameter?)`, `swap`
/// records the addition as `q .* r + p`, `sigma` 0 data scalar, 1 data vector, 2
/// parameter scalar, 3 parameter vector.
fn affine_tape(pqr: [(usize, bool); 3], swap: bool, sigma: u8, propto: bool) -> Tape {
    let n = 4;
    let b = TapeBuilder::new(12);
    let p = b.param_slot();
    let data = [0.4, -0.9, 1.3, 0.2];
    let operand = |k: usize, (len, param): (usize, bool)| match param {
        true => b
            .view(p, 4 * k.min(1) + 4 * k.saturating_sub(1), len, 1)
            .unwrap(),
        false => b.constant(&data[..len], len, 1).unwrap(),
    };
    let (x, q, r) = (operand(0, pqr[0]), operand(1, pqr[1]), operand(2, pqr[2]));
    let prod = b.binary(Binary::Mul, q, r).unwrap();
    let mu = match swap {
        false => b.binary(Binary::Add, x, prod),
        true => b.binary(Binary::Add, prod, x),
    }
    .unwrap();
    let y = b.constant(&[0.1, 0.5, -1.2, 2.0], n, 1).unwrap();
    let s = match sigma {
        0 => b.constant(&[1.4], 1, 1).unwrap(),
        1 => b.constant(&[1.4, 0.6, 2.2, 0.9], n, 1).unwrap(),
        2 => b.unary(Unary::Exp, b.view(p, 8, 1, 1).unwrap()).unwrap(),
        _ => b.unary(Unary::Exp, b.view(p, 8, n, 1).unwrap()).unwrap(),
    };
    let out = b.normal_lpdf(Arc::new(Unused), y, mu, s, propto).unwrap();
    b.finish(out).unwrap()
}

#[test]
fn a_normal_with_an_affine_location_computes_it_inline() {
    let x: Vec<f64> = (0..12)
        .map(|i| 0.3 * ((i % 5) as f64 - 2.0) + 0.1)
        .collect();
    let forms = [(1, true), (4, true), (1, false), (4, false)];
    let mut fused = 0;
    for p in forms {
        for q in forms {
            for r in forms {
                let lengths = [p.0, q.0, r.0];
                if !lengths.contains(&4) || !(p.1 || q.1 || r.1) {
                    continue; // mu a scalar, or no parameter in it
                }
                for (swap, sigma, propto) in [
                    (false, 0, true),
                    (true, 1, false),
                    (false, 2, false),
                    (true, 3, true),
                ] {
                    let tape = affine_tape([p, q, r], swap, sigma, propto);
                    let folded = tape.ops().len() - tape.step_count();
                    // a product of data is data (no op) and one of scalars a scalar op:
                    // only then nothing folds
                    let vector_product = (q.1 || r.1) && (q.0 == 4 || r.0 == 4);
                    let expected = if vector_product { 2 } else { 0 };
                    assert_eq!(folded, expected, "{p:?} {q:?} {r:?}");
                    fused += folded / 2;
                    agrees(tape, &x);
                }
            }
        }
    }
    assert!(fused >= 100, "{fused} cases folded");
}

#[test]
fn an_affine_location_read_elsewhere_is_not_folded() {
    let b = TapeBuilder::new(5);
    let p = b.param_slot();
    let (a, z) = (b.view(p, 0, 1, 1).unwrap(), b.view(p, 1, 4, 1).unwrap());
    let tau = b.unary(Unary::Exp, a).unwrap();
    let mu = b
        .binary(Binary::Add, a, b.binary(Binary::Mul, tau, z).unwrap())
        .unwrap();
    let y = b.constant(&[0.1, 0.5, -1.2, 2.0], 4, 1).unwrap();
    let s = b.constant(&[1.5], 1, 1).unwrap();
    let lp = b.normal_lpdf(Arc::new(Unused), y, mu, s, true).unwrap();
    let again = b.reduce(Reduce::Sum, mu).unwrap();
    let out = b.binary(Binary::Add, lp, again).unwrap();
    let tape = b.finish(out).unwrap();
    assert_eq!(tape.ops().len(), tape.step_count());
    agrees(tape, &[0.2, -0.4, 0.9, 1.6, -1.1]);
}

#[test]
fn an_invalid_argument_of_a_folded_normal_fails_as_the_generic_rules_do() {
    // a negative parameter sigma, then a NaN in the location's vector
    let x: Vec<f64> = (0..12).map(|i| 0.2 * i as f64 - 1.0).collect();
    let tape = affine_tape([(1, true), (1, true), (4, true)], false, 3, true);
    let mut bad = x.clone();
    bad[9] = -800.0; // exp underflows to 0: sigma is not positive
    same_error(tape, &bad);
    let tape = affine_tape([(1, true), (1, true), (4, true)], false, 0, true);
    let mut bad = x;
    bad[4] = f64::NAN; // q

    same_error(tape, &bad);
}

/// `normal(y | p + q .* r, sigma)` over 40 rows, long enough that the location becomes
/// a chain fused into the density (`Op::NormalChain`). Forms: `p` 0 a broadcast
/// parameter, 1 a parameter vector, 2 a gathered parameter vector (`alpha[group]`);
/// `q`, `r` 0 a broadcast parameter, 1 data, 2 a gathered parameter; `sigma` 0 a
/// broadcast parameter, 1 broadcast data, 2 a data vector; `y` data or a parameter.
fn chain_tape(form: [u8; 3], sigma: u8, y_param: bool, propto: bool) -> Tape {
    let n = 40;
    let b = TapeBuilder::new(50);
    let p = b.param_slot();
    let group: Vec<u32> = (0..n).map(|i| (i * 7 % 5) as u32).collect();
    let data: Vec<f64> = (0..n).map(|i| ((i * 13) % 11) as f64 / 5.0 - 1.0).collect();
    let operand = |kind: u8, at: usize| -> Slot {
        match kind {
            0 => b.view(p, at, 1, 1).unwrap(),
            1 if at == 0 => b.view(p, 10, n, 1).unwrap(),
            1 => b.constant(&data, n, 1).unwrap(),
            _ => {
                let src = b.view(p, at, 5, 1).unwrap();
                b.gather(src, group.to_vec(), n, 1).unwrap()
            }
        }
    };
    let (x, q, r) = (
        operand(form[0], 0),
        operand(form[1], 1),
        operand(form[2], 5),
    );
    let mu = b
        .binary(Binary::Add, x, b.binary(Binary::Mul, q, r).unwrap())
        .unwrap();
    let y = match y_param {
        true => b.view(p, 10, n, 1).unwrap(),
        false => b
            .constant(&data.iter().map(|d| 0.5 - d).collect::<Vec<_>>(), n, 1)
            .unwrap(),
    };
    let s = match sigma {
        0 => b.unary(Unary::Exp, b.view(p, 9, 1, 1).unwrap()).unwrap(),
        1 => b.constant(&[0.8], 1, 1).unwrap(),
        _ => b
            .constant(&data.iter().map(|d| 1.5 + d).collect::<Vec<_>>(), n, 1)
            .unwrap(),
    };
    let out = b.normal_lpdf(Arc::new(Unused), y, mu, s, propto).unwrap();
    b.finish(out).unwrap()
}

#[test]
fn a_fused_normal_with_an_affine_chain_location_runs_row_by_row() {
    let x: Vec<f64> = (0..50)
        .map(|i| 0.37 * ((i % 9) as f64 - 4.0) / 4.0)
        .collect();
    let mut chains = 0;
    for p in 0..3 {
        for q in 0..3 {
            for r in 0..3 {
                if q == 1 && r == 1 {
                    continue; // a product of data is data: no chain of this form
                }
                for (sigma, y_param, propto) in
                    [(0, false, true), (1, true, false), (2, false, false)]
                {
                    let tape = chain_tape([p, q, r], sigma, y_param, propto);
                    chains +=
                        usize::from(tape.ops().iter().any(|op| matches!(op, Op::NormalChain(_))));
                    agrees(tape, &x);
                }
            }
        }
    }
    assert!(
        chains >= 60,
        "only {chains} tapes fused the location into the density"
    );
}

#[test]
fn an_invalid_argument_of_a_fused_chain_density_fails_as_the_generic_rule_does() {
    let x: Vec<f64> = (0..50).map(|i| 0.1 * (i % 7) as f64).collect();
    // sigma = exp(x[9]) underflows to 0
    let mut bad = x.clone();
    bad[9] = -800.0;
    same_error(chain_tape([2, 0, 1], 0, false, true), &bad);
    // a NaN in the gathered vector
    let mut bad = x;
    bad[2] = f64::NAN;
    same_error(chain_tape([2, 0, 1], 1, false, true), &bad);
}
