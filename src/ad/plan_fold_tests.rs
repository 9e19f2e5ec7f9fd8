//! Tests of the plan's shortcuts for target terms: a normal prior folded into another
//! term's eager loop (`plan_fold`), and the dedicated one-element steps for a normal
//! and a `cauchy` prior with data location and scale (`plan_scalar`). Each agrees with
//! the generic rules (values and gradients to 1e-12, both sweeps), with finite
//! differences, and fails with the generic rule's message.

use super::builder::TapeBuilder;
use super::kernel::ScalarKernel;
use super::plan_tests::{Unused, agrees, assert_close, generic, same_error};
use super::slot::Slot;
use super::{Scratch, Tape};
use crate::dist::args::Keep;
use crate::dist::cauchy::Cauchy;
use crate::dist::kernel::Family;
use crate::math::elementwise::{Binary, Unary};
use std::sync::Arc;

/// How the non-centred test target is written.
#[derive(Clone, Copy)]
struct Nc {
    /// The prior `r ~ normal(m, s)` drops its constants (`~`).
    prior_propto: bool,
    /// The prior is added after the likelihood.
    prior_last: bool,
    /// The likelihood's sigma: 0 data scalar, 1 data vector, 2 parameter scalar.
    sigma: u8,
    /// The prior's scale is a parameter (then nothing is folded).
    prior_scale_param: bool,
    /// The prior is over a different vector than the likelihood's `r`.
    other_vector: bool,
    /// The prior's value is read again (then it is not a term, and not folded).
    prior_read_twice: bool,
    /// The prior is `normal(0, 1)` (the loop's standard form) instead of
    /// `normal(0.3, 1.7)`.
    prior_standard: bool,
}

const NC: Nc = Nc {
    prior_propto: true,
    prior_last: false,
    sigma: 0,
    prior_scale_param: false,
    other_vector: false,
    prior_read_twice: false,
    prior_standard: false,
};

/// Parameters: `mu`, `log tau`, `r` (4), `log sigma`, `r2` (4) = 11.
const DIM: usize = 11;

/// `normal(r | 0.3, 1.7) + normal(y | mu + exp(log tau) .* r, sigma) + log tau`, the
/// eight-schools shape, written as `form` says (with `normal(r | 0, 1)` for
/// `prior_standard`).
fn nc_tape(form: Nc) -> Tape {
    let b = TapeBuilder::new(DIM);
    let p = b.param_slot();
    let v = |at, len| b.view(p, at, len, 1).unwrap();
    let data = |xs: &[f64]| b.constant(xs, xs.len(), 1).unwrap();
    let tau = b.unary(Unary::Exp, v(1, 1)).unwrap();
    let r = v(2, 4);
    let mu = b
        .binary(Binary::Add, v(0, 1), b.binary(Binary::Mul, tau, r).unwrap())
        .unwrap();
    let y = data(&[0.1, 0.5, -1.2, 2.0]);
    let sigma = match form.sigma {
        0 => data(&[1.4]),
        1 => data(&[1.4, 0.6, 2.2, 0.9]),
        _ => b.unary(Unary::Exp, v(6, 1)).unwrap(),
    };
    let lik = b.normal_lpdf(Arc::new(Unused), y, mu, sigma, true).unwrap();
    let prior_y = if form.other_vector { v(7, 4) } else { r };
    let (prior_m, prior_s) = match form.prior_standard {
        true => (0.0, 1.0),
        false => (0.3, 1.7),
    };
    let prior_s = match form.prior_scale_param {
        true => b.unary(Unary::Exp, v(6, 1)).unwrap(),
        false => data(&[prior_s]),
    };
    let prior = b
        .normal_lpdf(
            Arc::new(Unused),
            prior_y,
            data(&[prior_m]),
            prior_s,
            form.prior_propto,
        )
        .unwrap();
    let (first, second) = match form.prior_last {
        false => (prior, lik),
        true => (lik, prior),
    };
    let mut out = b.binary(Binary::Add, first, second).unwrap();
    out = b.binary(Binary::Add, out, v(1, 1)).unwrap();
    if form.prior_read_twice {
        let again = b.unary(Unary::Square, prior).unwrap();
        out = b.binary(Binary::Add, out, again).unwrap();
    }
    b.finish(out).unwrap()
}

fn x() -> Vec<f64> {
    (0..DIM)
        .map(|i| 0.37 * ((i % 5) as f64 - 2.0) + 0.11)
        .collect()
}

#[test]
fn a_normal_prior_over_the_location_vector_is_folded_into_the_likelihood_loop() {
    for prior_propto in [true, false] {
        for prior_last in [false, true] {
            for sigma in 0..3 {
                for prior_standard in [false, true] {
                    let form = Nc {
                        prior_propto,
                        prior_last,
                        sigma,
                        prior_standard,
                        ..NC
                    };
                    let tape = nc_tape(form);
                    assert_eq!(tape.modes().matches('F').count(), 1, "{}", tape.modes());
                    agrees(tape, &x());
                }
            }
        }
    }
}

#[test]
fn a_prior_that_does_not_fit_is_not_folded() {
    for form in [
        Nc {
            prior_scale_param: true,
            ..NC
        },
        Nc {
            other_vector: true,
            ..NC
        },
        Nc {
            prior_read_twice: true,
            ..NC
        },
    ] {
        let tape = nc_tape(form);
        assert!(!tape.modes().contains('F'), "{}", tape.modes());
        agrees(tape, &x());
    }
}

#[test]
fn a_folded_prior_that_overflows_falls_back_and_leaves_no_adjoints() {
    let tape = nc_tape(NC);
    let mut scratch = Scratch::new(&tape);
    let mut g = [0.0; DIM];
    // r[0] so large that the prior's z² overflows: the density is -inf
    let mut big = x();
    big[2] = 1e200;
    assert!(tape.value_and_gradient(&big, &mut scratch, &mut g).is_err());
    let good = x();
    let reference = generic(&tape, &good).expect("reference");
    let v = tape
        .value_and_gradient(&good, &mut scratch, &mut g)
        .expect("valid x");
    assert_close("after an overflow", (v, &g), &reference);
    // an invalid likelihood sigma is reported as the generic rule reports it
    let mut bad = x();
    bad[6] = f64::NEG_INFINITY; // exp(-inf) = 0
    same_error(nc_tape(Nc { sigma: 2, ..NC }), &bad);
}

/// `cauchy(y | mu, sigma)` through the family's own rule (what the compiler's kernel
/// computes), reporting itself as the `cauchy` family so that the plan may use its
/// dedicated step.
struct CauchyKernel {
    propto: bool,
}

impl ScalarKernel for CauchyKernel {
    fn name(&self) -> &str {
        "cauchy_lpdf"
    }
    fn value_and_gradient(&self, x: &[&[f64]], g: &mut [&mut [f64]]) -> Result<f64, String> {
        let reals = [x[0][0], x[1][0], x[2][0]];
        let active: Vec<bool> = g.iter().map(|gk| !gk.is_empty()).collect();
        let keep = Keep::new(self.propto, &active);
        let mut d = [0.0; 3];
        let lp = Cauchy::log_density(&[], &reals, &keep, &mut d)
            .map_err(|v| format!("argument {:?} = {} is invalid", v.slot, v.value))?;
        for (gk, dk) in g.iter_mut().zip(d) {
            if !gk.is_empty() {
                gk[0] = dk;
            }
        }
        Ok(lp)
    }
    fn density_family(&self) -> Option<(&str, bool)> {
        Some(("cauchy", self.propto))
    }
}

/// `cauchy(exp(p0) | 0.5, 2.5) + normal(p1 | -0.4, 3) + p0`, as a target (`term`) or
/// scaled by `exp(p1)` (plain steps).
fn priors_tape(propto: bool, term: bool) -> Tape {
    let b = TapeBuilder::new(2);
    let p = b.param_slot();
    let v = |at| b.view(p, at, 1, 1).unwrap();
    let data = |x: f64| b.constant(&[x], 1, 1).unwrap();
    let tau = b.unary(Unary::Exp, v(0)).unwrap();
    let c = b
        .scalar_kernel(
            Arc::new(CauchyKernel { propto }),
            &[tau, data(0.5), data(2.5)],
        )
        .unwrap();
    let n = b
        .normal_lpdf(Arc::new(Unused), v(1), data(-0.4), data(3.0), propto)
        .unwrap();
    let terms: [Slot; 2] = [n, v(0)];
    let mut out = terms
        .iter()
        .fold(c, |acc, &t| b.binary(Binary::Add, acc, t).unwrap());
    if !term {
        out = b
            .binary(Binary::Mul, out, b.unary(Unary::Exp, v(1)).unwrap())
            .unwrap();
    }
    b.finish(out).unwrap()
}

#[test]
fn scalar_priors_with_data_location_and_scale_take_their_dedicated_steps() {
    for propto in [true, false] {
        for term in [true, false] {
            let tape = priors_tape(propto, term);
            if term {
                // exp, the cauchy and the normal terms, the sum
                assert_eq!(tape.modes(), "LEER");
            }
            for x in [[0.3, -1.1], [-2.0, 0.7], [3.5, 12.0]] {
                agrees(priors_tape(propto, term), &x);
            }
        }
    }
}

#[test]
fn a_dedicated_prior_step_meets_an_invalid_argument_as_the_generic_rule_does() {
    // exp(800) = inf: the cauchy's value is -inf (its derivative NaN), which the
    // dedicated step hands to the family's rule
    let tape = priors_tape(false, true);
    let mut scratch = Scratch::new(&tape);
    let mut g = [0.0; 2];
    assert!(
        tape.value_and_gradient(&[800.0, 0.1], &mut scratch, &mut g)
            .is_err()
    );
    let reference = generic(&tape, &[0.3, -1.1]).expect("reference");
    let v = tape
        .value_and_gradient(&[0.3, -1.1], &mut scratch, &mut g)
        .expect("valid x");
    assert_close("after an infinite tau", (v, &g), &reference);
    // a NaN parameter: the family's rule words the error
    same_error(priors_tape(true, true), &[f64::NAN, 0.1]);
}
