//! Tests of the fused ops against the unfused ops they replace: the native normal
//! density (every argument form, with and without `propto`, gathers folded in) and the
//! elementwise chains formed when a tape is finished. Values must agree, gradients must
//! match central finite differences, and errors must name the failing argument.

use super::builder::TapeBuilder;
use super::fd::max_gradient_error;
use super::kernel::ScalarKernel;
use super::op::Op;
use super::slot::Slot;
use super::{Tape, TapeDensity};
use crate::dist::special::LOG_SQRT_TWO_PI;
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::Reduce;
use crate::model::LogDensity;
use std::sync::Arc;

/// An elementwise normal log density with broadcasting: the generic path the fused
/// op must reproduce (terms dropped under `propto` as `~` does).
pub(super) struct Reference {
    pub propto: bool,
}

impl ScalarKernel for Reference {
    fn name(&self) -> &str {
        "normal_lpdf"
    }
    fn value_and_gradient(&self, x: &[&[f64]], g: &mut [&mut [f64]]) -> Result<f64, String> {
        let n = x.iter().map(|a| a.len()).max().unwrap_or(1);
        let at = |a: &[f64], i: usize| if a.len() == 1 { a[0] } else { a[i] };
        let mut lp = 0.0;
        for i in 0..n {
            let (y, m, s) = (at(x[0], i), at(x[1], i), at(x[2], i));
            if !m.is_finite() {
                return Err(format!(
                    "normal_lpdf: mu[{}] is {m}, but must be finite",
                    i + 1
                ));
            }
            if s.is_nan() || s <= 0.0 {
                return Err(format!(
                    "normal_lpdf: sigma[{}] is {s}, but must be positive",
                    i + 1
                ));
            }
            let z = (y - m) / s;
            lp -= 0.5 * z * z;
            if !self.propto || !g[2].is_empty() {
                lp -= s.ln();
            }
            if !self.propto {
                lp -= LOG_SQRT_TWO_PI;
            }
            let d = [-z / s, z / s, (z * z - 1.0) / s];
            for (gk, dk) in g.iter_mut().zip(d) {
                if !gk.is_empty() {
                    let j = if gk.len() == 1 { 0 } else { i };
                    gk[j] += dk;
                }
            }
        }
        Ok(lp)
    }
}

/// Builds `normal(y | mu, sigma)` over parameters `p` (8 of them) with the argument
/// forms chosen by `form`, fused (`true`) or through explicit gathers and the
/// reference kernel.
fn build(form: [u8; 3], propto: bool, fused: bool) -> Tape {
    let b = TapeBuilder::new(8);
    let p = b.param_slot();
    let group = vec![0, 1, 2, 1, 0, 2];
    let n = group.len();
    let arg = |kind: u8, at: usize| -> Slot {
        match kind {
            0 => b.constant(&[0.3, -1.0, 0.7, 2.0, 0.1, 1.5], n, 1).unwrap(),
            1 => b.view(p, at, 1, 1).unwrap(),
            2 => b
                .view(p, at, 3, 1)
                .map(|v| b.gather(v, group.clone(), n, 1))
                .unwrap()
                .unwrap(),
            3 => b.constant(&[1.3], 1, 1).unwrap(),
            _ => b
                .unary(
                    crate::math::elementwise::Unary::Exp,
                    b.view(p, 2, 6, 1).unwrap(),
                )
                .unwrap(),
        }
    };
    let y = arg(form[0], 0);
    let mu = arg(form[1], 3);
    let sigma = match form[2] {
        2 => {
            let pos = b
                .unary(
                    crate::math::elementwise::Unary::Exp,
                    b.view(p, 5, 3, 1).unwrap(),
                )
                .unwrap();
            b.gather(pos, group.clone(), n, 1).unwrap()
        }
        1 => b
            .unary(
                crate::math::elementwise::Unary::Exp,
                b.view(p, 7, 1, 1).unwrap(),
            )
            .unwrap(),
        k => arg(k, 0),
    };
    let kernel = Arc::new(Reference { propto });
    let lp = if fused {
        b.normal_lpdf(kernel, y, mu, sigma, propto).unwrap()
    } else {
        b.scalar_kernel(kernel, &[y, mu, sigma]).unwrap()
    };
    b.finish(lp).unwrap()
}

const X: [f64; 8] = [0.4, -0.2, 0.9, 0.1, -0.6, 0.3, -0.1, 0.2];

#[test]
fn fused_normal_matches_the_generic_kernel_in_every_argument_form() {
    // y: data, vector param; mu: scalar, gathered, data; sigma: data scalar, scalar
    // param, gathered param, vector param
    for y in [0, 4] {
        for mu in [1, 2, 0] {
            for sigma in [3, 1, 2, 4] {
                for propto in [false, true] {
                    let form = [y, mu, sigma];
                    let (f, r) = (build(form, propto, true), build(form, propto, false));
                    let (f, r) = (TapeDensity::new(f), TapeDensity::new(r));
                    let (mut gf, mut gr) = ([0.0; 8], [0.0; 8]);
                    let vf = f.log_density_and_gradient(&X, &mut gf).unwrap();
                    let vr = r.log_density_and_gradient(&X, &mut gr).unwrap();
                    assert!((vf - vr).abs() < 1e-12, "{form:?} {propto}: {vf} vs {vr}");
                    for (a, b) in gf.iter().zip(&gr) {
                        assert!((a - b).abs() < 1e-12, "{form:?} {propto}: {gf:?} vs {gr:?}");
                    }
                    let e = max_gradient_error(&f, &X).unwrap();
                    assert!(e < 1e-6, "{form:?} {propto}: finite differences off by {e}");
                }
            }
        }
    }
}

#[test]
fn folded_gathers_leave_the_tape() {
    let fused = build([0, 2, 2], true, true);
    assert!(
        fused
            .ops()
            .iter()
            .all(|op| !matches!(op, Op::Gather { .. }))
    );
    let plain = build([0, 2, 2], true, false);
    assert_eq!(
        plain
            .ops()
            .iter()
            .filter(|op| matches!(op, Op::Gather { .. }))
            .count(),
        2
    );
}

#[test]
fn invalid_arguments_report_the_generic_kernels_message() {
    let b = TapeBuilder::new(2);
    let p = b.param_slot();
    let sigma = b
        .gather(b.view(p, 1, 1, 1).unwrap(), vec![0, 0, 0], 3, 1)
        .unwrap();
    let y = b.constant(&[1.0, 2.0, 3.0], 3, 1).unwrap();
    let mu = b.view(p, 0, 1, 1).unwrap();
    let lp = b
        .normal_lpdf(Arc::new(Reference { propto: true }), y, mu, sigma, true)
        .unwrap();
    let d = TapeDensity::new(b.finish(lp).unwrap());
    let mut g = [0.0; 2];
    let e = d
        .log_density_and_gradient(&[0.0, -1.0], &mut g)
        .unwrap_err();
    assert!(e.to_string().contains("sigma[1] is -1"), "{e}");
}

/// Rows of the chain test (long enough to be fused), and the pattern they repeat: the
/// group of each row, its covariate and its log distance.
const ROWS: usize = 45;
const GROUP: [u32; 9] = [0, 1, 2, 1, 0, 2, 2, 1, 0];
const CONV: [f64; 9] = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0];
const LOG_D: [f64; 9] = [0.0, 0.7, 1.1, 1.4, 1.6, 1.8, 1.9, 2.1, 2.2];

fn rows<T: Copy>(pattern: &[T; 9]) -> Vec<T> {
    (0..ROWS).map(|i| pattern[i % 9]).collect()
}

/// `Σ ((a[g] - exp(la[g] + beta · conv) .* log_d) / s)²` with `x · x` and a division by
/// a scalar parameter in the chain, over parameters `a` (3), `la` (3), `beta`, `s`.
fn flagship_like() -> Tape {
    let b = TapeBuilder::new(8);
    let p = b.param_slot();
    let group = rows(&GROUP);
    let a = b
        .gather(b.view(p, 0, 3, 1).unwrap(), group.clone(), ROWS, 1)
        .unwrap();
    let la = b
        .gather(b.view(p, 3, 3, 1).unwrap(), group, ROWS, 1)
        .unwrap();
    let conv = b.constant(&rows(&CONV), ROWS, 1).unwrap();
    let log_d = b.constant(&rows(&LOG_D), ROWS, 1).unwrap();
    let m = b
        .binary(Binary::Mul, b.view(p, 6, 1, 1).unwrap(), conv)
        .unwrap();
    let e = b
        .unary(Unary::Exp, b.binary(Binary::Add, la, m).unwrap())
        .unwrap();
    let mu = b
        .binary(Binary::Sub, a, b.binary(Binary::Mul, e, log_d).unwrap())
        .unwrap();
    let z = b
        .binary(Binary::Div, mu, b.view(p, 7, 1, 1).unwrap())
        .unwrap();
    let sq = b.binary(Binary::Mul, z, z).unwrap();
    let lp = b.reduce(Reduce::Sum, sq).unwrap();
    b.finish(lp).unwrap()
}

fn flagship_like_value(x: &[f64]) -> f64 {
    (0..ROWS)
        .map(|i| {
            let g = GROUP[i % 9] as usize;
            let mu = x[g] - (x[3 + g] + x[6] * CONV[i % 9]).exp() * LOG_D[i % 9];
            (mu / x[7]).powi(2)
        })
        .sum()
}

#[test]
fn elementwise_chains_fuse_with_their_gathers_and_keep_exact_gradients() {
    let tape = flagship_like();
    let chains = tape
        .ops()
        .iter()
        .filter(|op| matches!(op, Op::Chain(_)))
        .count();
    assert_eq!(chains, 1, "{}", tape.dump());
    assert!(tape.ops().iter().all(|op| !matches!(op, Op::Gather { .. })));
    let d = TapeDensity::new(tape);
    let x = [0.3, -0.2, 0.5, -1.0, -0.5, 0.2, 0.4, 1.3];
    let mut g = [0.0; 8];
    let v = d.log_density_and_gradient(&x, &mut g).unwrap();
    assert!((v - flagship_like_value(&x)).abs() < 1e-12);
    let e = max_gradient_error(&d, &x).unwrap();
    assert!(e < 1e-6, "finite differences off by {e}");
    // a second evaluation starts from cleared adjoints
    let mut g2 = [0.0; 8];
    d.log_density_and_gradient(&x, &mut g2).unwrap();
    assert_eq!(g, g2);
}

#[test]
fn a_long_chain_runs_in_several_blocks() {
    let n = 300;
    let b = TapeBuilder::new(2);
    let p = b.param_slot();
    let t: Vec<f64> = (0..n).map(|i| i as f64 / n as f64).collect();
    let t = b.constant(&t, n, 1).unwrap();
    let u = b
        .binary(Binary::Mul, b.view(p, 0, 1, 1).unwrap(), t)
        .unwrap();
    let v = b.unary(
        Unary::Log1pExp,
        b.binary(Binary::Add, u, b.view(p, 1, 1, 1).unwrap())
            .unwrap(),
    );
    let lp = b.reduce(Reduce::Sum, v.unwrap()).unwrap();
    let d = TapeDensity::new(b.finish(lp).unwrap());
    assert!(d.tape().ops().iter().any(|op| matches!(op, Op::Chain(_))));
    let e = max_gradient_error(&d, &[0.7, -0.4]).unwrap();
    assert!(e < 1e-6, "finite differences off by {e}");
}

#[test]
fn a_domain_error_inside_a_chain_names_the_function_and_element() {
    let b = TapeBuilder::new(1);
    let p = b.param_slot();
    // the argument of log is negative at element 37 only
    let c: Vec<f64> = (0..40).map(|i| if i == 36 { 1.0 } else { 3.0 }).collect();
    let c = b.constant(&c, 40, 1).unwrap();
    let y = b
        .binary(Binary::Sub, c, b.view(p, 0, 1, 1).unwrap())
        .unwrap();
    let lp = b
        .reduce(Reduce::Sum, b.unary(Unary::Log, y).unwrap())
        .unwrap();
    let d = TapeDensity::new(b.finish(lp).unwrap());
    assert!(d.tape().ops().iter().any(|op| matches!(op, Op::Chain(_))));
    let mut g = [0.0];
    let e = d.log_density_and_gradient(&[2.0], &mut g).unwrap_err();
    assert!(
        e.to_string().contains("log") && e.to_string().contains("element 37"),
        "{e}"
    );
}
