//! Whole tapes through the public API: a hierarchical model written with `Var` against
//! finite differences and a hand-derived gradient, the kernel hooks, recoverable
//! evaluation errors, build errors, constant folding and the tape listing.

use hazel::ad::fd::max_gradient_error;
use hazel::ad::{Kernel, ScalarKernel, Slot, TapeBuilder, TapeDensity};
use hazel::model::{EvalError, LogDensity};
use std::sync::Arc;

const Y: [f64; 8] = [28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0];
const SIGMA: [f64; 8] = [15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0];

/// Eight schools, non-centered: parameters (mu, log tau, eta[8]);
/// mu ~ normal(0, 5), tau ~ half-normal(0, 5) on the log scale with its Jacobian,
/// eta ~ std_normal, y ~ normal(mu + tau * eta, sigma).
fn eight_schools(b: &TapeBuilder) -> hazel::ad::Var<'_> {
    let p = b.param_vector();
    let (mu, log_tau) = (p.at(0), p.at(1));
    let eta = b.var(b.view(p.slot(), 2, 8, 1).unwrap());
    let tau = log_tau.exp();
    let y = b.data_vector(&Y);
    let sigma = b.data_vector(&SIGMA);
    let theta = mu + tau * eta;
    let lik = -0.5 * ((y - theta) / sigma).square();
    -0.5 * (mu / 5.0).square() - 0.5 * (tau / 5.0).square() + log_tau - 0.5 * eta.dot_self()
        + lik.sum()
}

fn eight_schools_by_hand(x: &[f64], grad: &mut [f64]) -> f64 {
    let (mu, log_tau) = (x[0], x[1]);
    let tau = log_tau.exp();
    let mut lp = -0.5 * (mu / 5.0).powi(2) - 0.5 * (tau / 5.0).powi(2) + log_tau;
    grad[0] = -mu / 25.0;
    grad[1] = -tau * tau / 25.0 + 1.0;
    for j in 0..8 {
        let eta = x[2 + j];
        let r = (Y[j] - mu - tau * eta) / SIGMA[j];
        lp += -0.5 * eta * eta - 0.5 * r * r;
        let dtheta = r / SIGMA[j];
        grad[0] += dtheta;
        grad[1] += dtheta * eta * tau;
        grad[2 + j] = -eta + dtheta * tau;
    }
    lp
}

fn point() -> Vec<f64> {
    (0..10).map(|i| 0.3 * (i as f64) - 1.1).collect()
}

#[test]
fn hierarchical_model_gradient_matches_hand_derivation_and_finite_differences() {
    let b = TapeBuilder::new(10);
    let lp = eight_schools(&b);
    let density = TapeDensity::new(b.finish_var(lp).unwrap());
    let x = point();
    let mut g = vec![0.0; 10];
    let mut h = vec![0.0; 10];
    let v = density.log_density_and_gradient(&x, &mut g).unwrap();
    let vh = eight_schools_by_hand(&x, &mut h);
    assert!((v - vh).abs() < 1e-12, "{v} vs {vh}");
    for (a, e) in g.iter().zip(&h) {
        assert!((a - e).abs() < 1e-12, "{a} vs {e}");
    }
    assert!(max_gradient_error(&density, &x).unwrap() < 1e-7);
    // replaying at a second point reuses the scratch and still agrees
    let x2: Vec<f64> = x.iter().map(|v| -0.5 * v).collect();
    let v2 = density.log_density_and_gradient(&x2, &mut g).unwrap();
    assert!((v2 - eight_schools_by_hand(&x2, &mut h)).abs() < 1e-12);
}

#[test]
fn chains_on_several_threads_get_identical_results() {
    let b = TapeBuilder::new(10);
    let lp = eight_schools(&b);
    let density = TapeDensity::new(b.finish_var(lp).unwrap());
    let x = point();
    let mut g0 = vec![0.0; 10];
    let v0 = density.log_density_and_gradient(&x, &mut g0).unwrap();
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                let mut g = vec![0.0; 10];
                for _ in 0..50 {
                    assert_eq!(density.log_density_and_gradient(&x, &mut g).unwrap(), v0);
                    assert_eq!(g, g0);
                }
            });
        }
    });
}

/// `Σ normal_lpdf(y | mu, sigma)` without constants, as a scalar kernel over
/// (y, mu, sigma) with y a vector and mu, sigma scalars.
struct NormalSum;

impl ScalarKernel for NormalSum {
    fn name(&self) -> &str {
        "normal_lupdf"
    }
    fn value_and_gradient(
        &self,
        inputs: &[&[f64]],
        grads: &mut [&mut [f64]],
    ) -> Result<f64, String> {
        let (y, mu, sigma) = (inputs[0], inputs[1][0], inputs[2][0]);
        if sigma <= 0.0 {
            return Err(format!("scale {sigma} is not positive"));
        }
        let mut lp = 0.0;
        let (mut dmu, mut dsigma) = (0.0, 0.0);
        for (i, &yi) in y.iter().enumerate() {
            let z = (yi - mu) / sigma;
            lp += -0.5 * z * z - sigma.ln();
            if !grads[0].is_empty() {
                grads[0][i] = -z / sigma;
            }
            dmu += z / sigma;
            dsigma += z * z / sigma - 1.0 / sigma;
        }
        if !grads[1].is_empty() {
            grads[1][0] = dmu;
        }
        if !grads[2].is_empty() {
            grads[2][0] = dsigma;
        }
        Ok(lp)
    }
}

/// Elementwise cube, as a container kernel with a vector-Jacobian product.
struct Cube;

impl Kernel for Cube {
    fn name(&self) -> &str {
        "cube"
    }
    fn eval(&self, inputs: &[&[f64]], out: &mut [f64]) -> Result<(), String> {
        for (o, x) in out.iter_mut().zip(inputs[0]) {
            *o = x * x * x;
        }
        Ok(())
    }
    fn vjp(&self, inputs: &[&[f64]], _out: &[f64], out_adj: &[f64], input_adj: &mut [&mut [f64]]) {
        for ((a, x), g) in input_adj[0].iter_mut().zip(inputs[0]).zip(out_adj) {
            *a += 3.0 * x * x * g;
        }
    }
}

#[test]
fn kernel_hooks_plug_into_the_tape_with_correct_gradients() {
    // parameters: mu, log sigma, z[3]; y = cube(z) is modelled as normal(mu, sigma)
    let b = TapeBuilder::new(5);
    let p = b.param_slot();
    let mu = b.view(p, 0, 1, 1).unwrap();
    let sigma = b.var(b.view(p, 1, 1, 1).unwrap()).exp().slot();
    let z = b.view(p, 2, 3, 1).unwrap();
    let cubed = b.kernel(Arc::new(Cube), &[z], 3, 1).unwrap();
    let lp = b
        .scalar_kernel(Arc::new(NormalSum), &[cubed, mu, sigma])
        .unwrap();
    let data = b.constant(&[0.5, 1.5], 2, 1).unwrap();
    let lp_data = b
        .scalar_kernel(Arc::new(NormalSum), &[data, mu, sigma])
        .unwrap();
    let total = b.var(lp) + b.var(lp_data);
    let density = TapeDensity::new(b.finish_var(total).unwrap());
    let x = [0.2, -0.3, 0.4, -0.9, 1.1];
    assert!(max_gradient_error(&density, &x).unwrap() < 1e-7);
    assert!(density.tape().dump().contains("normal_lupdf"));

    // a kernel's own error message reaches the caller as a recoverable error
    let b = TapeBuilder::new(1);
    let sigma = b.param_slot();
    let y = b.constant(&[1.0], 1, 1).unwrap();
    let mu = b.scalar(0.0);
    let lp = b
        .scalar_kernel(Arc::new(NormalSum), &[y, mu, sigma])
        .unwrap();
    let density = TapeDensity::new(b.finish(lp).unwrap());
    let e = density
        .log_density_and_gradient(&[-2.0], &mut [0.0])
        .unwrap_err();
    assert!(e.is_recoverable());
    assert!(
        e.to_string().contains("normal_lupdf") && e.to_string().contains("-2"),
        "{e}"
    );
}

#[test]
fn domain_failures_are_recoverable_errors_naming_the_op() {
    let b = TapeBuilder::new(1);
    let x = b.params()[0];
    let lp = x.ln() + x;
    let density = TapeDensity::new(b.finish_var(lp).unwrap());
    let mut g = [0.0];
    let e = density
        .log_density_and_gradient(&[-1.0], &mut g)
        .unwrap_err();
    assert!(e.is_recoverable());
    assert!(e.to_string().contains("log"), "{e}");
    assert!(density.log_density_and_gradient(&[2.0], &mut g).is_ok());

    let b = TapeBuilder::new(4);
    let m = b.view(b.param_slot(), 0, 2, 2).unwrap();
    let l = b.cholesky(m).unwrap();
    let lp = b.var(l).sum();
    let density = TapeDensity::new(b.finish_var(lp).unwrap());
    let e = density
        .log_density_and_gradient(&[1.0, 2.0, 2.0, 1.0], &mut [0.0; 4])
        .unwrap_err();
    assert!(
        e.to_string().contains("cholesky_decompose") && e.to_string().contains("positive definite"),
        "{e}"
    );

    // a non-finite density is recoverable; a wrong-length point is fatal
    let b = TapeBuilder::new(1);
    let lp = b.params()[0].exp();
    let density = TapeDensity::new(b.finish_var(lp).unwrap());
    assert!(
        density
            .log_density_and_gradient(&[1e4], &mut [0.0])
            .unwrap_err()
            .is_recoverable()
    );
    let fatal = density
        .log_density_and_gradient(&[1.0, 2.0], &mut [0.0])
        .unwrap_err();
    assert!(matches!(fatal, EvalError::Fatal(_)), "{fatal}");
}

#[test]
fn shape_errors_surface_at_finish_naming_the_op() {
    let b = TapeBuilder::new(3);
    let p = b.param_vector();
    let d = b.data_vector(&[1.0, 2.0]);
    let lp = (p + d).sum();
    let e = b.finish_var(lp).expect_err("3 + 2 elements do not add");
    assert!(
        e.to_string().contains("add") && e.to_string().contains("3x1"),
        "{e}"
    );

    let b = TapeBuilder::new(2);
    let m = b.constant(&[1.0; 6], 2, 3).unwrap();
    let e = b.matmul(m, b.param_slot()).unwrap_err();
    assert!(e.to_string().contains("multiply"), "{e}");
    let e = b.gather(b.param_slot(), vec![2], 1, 1).unwrap_err();
    assert!(e.to_string().contains("out of range"), "{e}");
    let e = b.finish(b.param_slot()).unwrap_err();
    assert!(e.to_string().contains("scalar"), "{e}");
}

#[test]
fn data_only_computations_are_folded_at_build_time() {
    let b = TapeBuilder::new(1);
    let x = b.params()[0];
    let d = b.data_vector(&[1.0, 4.0, 9.0]);
    let scaled = d.sqrt().log_sum_exp() * 2.0; // data only: no ops
    assert_eq!(b.op_count(), 0);
    let lp = x * scaled;
    let tape = b.finish_var(lp).unwrap();
    assert_eq!(tape.ops().len(), 1, "{}", tape.dump());
    let expected = 2.0 * (1f64.exp() + 2f64.exp() + 3f64.exp()).ln();
    let density = TapeDensity::new(tape);
    let mut g = [0.0];
    let v = density.log_density_and_gradient(&[1.5], &mut g).unwrap();
    assert!((v - 1.5 * expected).abs() < 1e-12);
    assert!((g[0] - expected).abs() < 1e-12);

    let b = TapeBuilder::new(1);
    let bad = b.data_vector(&[-1.0]).ln();
    let _ = bad;
    let e = b.finish_var(b.params()[0]).unwrap_err();
    assert!(
        e.to_string().contains("log") && e.to_string().contains("on data"),
        "{e}"
    );
}

#[test]
fn target_terms_sum_in_one_op_pair() {
    let b = TapeBuilder::new(3);
    let p = b.param_slot();
    let x0 = b.view(p, 0, 1, 1).unwrap();
    let rest = b.view(p, 1, 2, 1).unwrap();
    let sq = b.var(rest).square().slot();
    let d = b.scalar(2.5);
    let before = b.op_count();
    let total = b.sum_terms(&[x0, sq, d]).unwrap();
    assert_eq!(b.op_count() - before, 2, "concat + sum");
    let density = TapeDensity::new(b.finish(total).unwrap());
    let mut g = [0.0; 3];
    let v = density
        .log_density_and_gradient(&[1.0, 2.0, -3.0], &mut g)
        .unwrap();
    assert_eq!(v, 1.0 + 4.0 + 9.0 + 2.5);
    assert_eq!(g, [1.0, 4.0, -6.0]);
    let empty = TapeBuilder::new(0);
    let zero = empty.sum_terms(&[]).unwrap();
    let density = TapeDensity::new(empty.finish(zero).unwrap());
    assert_eq!(density.log_density_and_gradient(&[], &mut []).unwrap(), 0.0);
}

#[test]
fn dump_lists_one_line_per_op_with_slots_and_data() {
    let b = TapeBuilder::new(2);
    let p = b.params();
    let y = b.data_vector(&[1.0, 2.0, 3.0, 4.0, 5.0]);
    let lp = ((y - p[0]) * p[1]).sum();
    let tape = b.finish_var(lp).unwrap();
    let text = tape.dump();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + tape.ops().len(), "{text}");
    assert!(lines[0].starts_with("tape: 2 parameters"), "{text}");
    assert!(
        lines[1].contains("subtract($2[5x1]=(1, 2, 3, 4, …), %0)"),
        "{text}"
    );
    assert!(lines.last().unwrap().contains("sum("), "{text}");
    let _: Slot = tape.output();
}

#[test]
fn var_linear_algebra_methods_match_finite_differences() {
    // a multivariate normal log density through its Cholesky factor:
    // Σ = diag(s) Ω diag(s) + I with Ω = B Bᵀ / 3, y ~ MVN(0, Σ)
    let b = TapeBuilder::new(6);
    let p = b.param_vector();
    let bm = b.var(b.view(p.slot(), 0, 2, 2).unwrap());
    let s = b.var(b.view(p.slot(), 4, 2, 1).unwrap()).exp();
    let omega = bm.tcrossprod() / 3.0;
    let sigma = omega.quad_form_diag(s).add_diag(b.data(1.0));
    let l = sigma.cholesky();
    let y = b.data_vector(&[0.3, -1.2]);
    let z = l.mdivide_left_tri_low(y);
    let lp = -0.5 * z.dot_self() - 0.5 * sigma.log_determinant()
        + l.diagonal().ln().sum() // = ½ log det Σ: cancels the previous term
        - l.diagonal().ln().sum()
        + sigma.inverse().trace() * 0.01
        + y.transpose().mdivide_right_tri_low(l).dot_self() * 0.01
        + bm.crossprod().determinant() * 0.001
        + sigma.quad_form(y) * 0.01
        + s.diag_pre_multiply(bm).diag_post_multiply(s).sum() * 0.01
        + s.diag_matrix().sum();
    let density = TapeDensity::new(b.finish_var(lp).unwrap());
    let x = [0.4, -0.3, 0.2, 0.9, 0.1, -0.2];
    assert!(max_gradient_error(&density, &x).unwrap() < 1e-6);
}
