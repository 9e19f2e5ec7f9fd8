//! Tests of the plan (`plan`, `plan_normal`) against the generic rules it stands in for:
//! every specialised form gives the value and gradient of the op-by-op generic sweep,
//! matches central finite differences, and fails with the generic rule's message.

use super::builder::TapeBuilder;
use super::fd::max_gradient_error;
use super::kernel::{ElementRule, ScalarKernel};
use super::op::Op;
use super::slot::Slot;
use super::sweep;
use super::{Tape, TapeDensity};
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::Reduce;
use crate::model::{EvalError, LogDensity};
use std::sync::Arc;

/// Value and gradient through the generic rules, op by op (the sweeps as they ran
/// before the plan existed): the reference.
pub(super) fn generic(tape: &Tape, x: &[f64]) -> Result<(f64, Vec<f64>), String> {
    let mut values = tape.init.clone();
    let mut adj = vec![0.0; values.len()];
    let mut partials = vec![0.0; tape.n_partials];
    let mut work = vec![0.0; tape.work_len];
    values[..tape.dim].copy_from_slice(x);
    for (i, op) in tape.ops.iter().enumerate() {
        sweep::forward(op, &mut values, &mut partials, &mut work)
            .map_err(|m| format!("{} (tape op #{i}): {m}", op.name()))?;
    }
    adj[tape.output.offset()] = 1.0;
    for op in tape.ops.iter().rev() {
        if !sweep::scalar_backward(op, &values, &mut adj) {
            sweep::backward_slices(op, &values, &mut adj, &partials, &mut work);
        }
        sweep::clear_output(op, &mut adj);
    }
    Ok((values[tape.output.offset()], adj[..tape.dim].to_vec()))
}

/// Checks the plan against the reference at `x`: the eager sweeps
/// (`value_and_gradient`) and the plain ones (`forward` then `reverse`), alternating
/// on one scratch so that adjoints left behind by either would show, then central
/// finite differences.
pub(super) fn agrees(tape: Tape, x: &[f64]) {
    let reference = generic(&tape, x).expect("reference evaluation");
    let close = |what: &str, v: f64, g: &[f64]| assert_close(what, (v, g), &reference);
    let mut scratch = super::Scratch::new(&tape);
    for _ in 0..2 {
        let mut g = vec![0.0; x.len()];
        let v = tape
            .value_and_gradient(x, &mut scratch, &mut g)
            .expect("eager");
        close("eager sweeps", v, &g);
        let mut g = vec![0.0; x.len()];
        let v = tape.forward(x, &mut scratch).expect("plain forward");
        tape.reverse(&mut scratch, &mut g).expect("plain reverse");
        close("plain sweeps", v, &g);
    }
    let density = TapeDensity::new(tape);
    let fd = max_gradient_error(&density, x).expect("finite differences");
    assert!(fd < 1e-6, "finite-difference error {fd}");
}

/// A value and gradient equal the reference's to 1e-12 (relative, plus absolute).
pub(super) fn assert_close(what: &str, (v, g): (f64, &[f64]), (v0, g0): &(f64, Vec<f64>)) {
    assert!(
        (v - v0).abs() <= 1e-12 * (1.0 + v0.abs()),
        "{what}: value {v} vs {v0}"
    );
    for (k, (a, b)) in g.iter().zip(g0).enumerate() {
        assert!(
            (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
            "{what}: d/dx{k}: {a} vs {b}"
        );
    }
}

/// The plan's error message equals the reference's.
pub(super) fn same_error(tape: Tape, x: &[f64]) {
    let expected = generic(&tape, x).expect_err("the reference must fail");
    let density = TapeDensity::new(tape);
    let mut g = vec![0.0; x.len()];
    match density.log_density_and_gradient(x, &mut g) {
        Err(EvalError::Recoverable(m)) => assert_eq!(m, expected),
        other => panic!("expected a recoverable error, got {other:?}"),
    }
}

const X: [f64; 7] = [0.4, -1.3, 0.8, 2.1, -0.6, 1.7, 0.3];

#[test]
fn scalar_functions_of_one_and_two_arguments() {
    for f in [Unary::Exp, Unary::Log1pExp, Unary::Square, Unary::InvLogit] {
        let b = TapeBuilder::new(2);
        let p = b.param_slot();
        let x = b.view(p, 0, 1, 1).unwrap();
        let y = b.unary(f, x).unwrap();
        let out = b
            .binary(Binary::Mul, y, b.view(p, 1, 1, 1).unwrap())
            .unwrap();
        agrees(b.finish(out).unwrap(), &X[..2]);
    }
    for f in [
        Binary::Add,
        Binary::Sub,
        Binary::Mul,
        Binary::Div,
        Binary::Pow,
    ] {
        // both active, one of them data, and the same argument twice (x * x)
        for form in 0..3 {
            let b = TapeBuilder::new(2);
            let p = b.param_slot();
            let (x, y) = (b.view(p, 0, 1, 1).unwrap(), b.view(p, 1, 1, 1).unwrap());
            let c = b.constant(&[1.7], 1, 1).unwrap();
            let r = match form {
                0 => b.binary(f, y, b.unary(Unary::Exp, x).unwrap()),
                1 => b.binary(f, c, b.unary(Unary::Exp, y).unwrap()),
                _ => b.binary(f, x, x),
            }
            .unwrap();
            let out = b.binary(Binary::Add, r, x).unwrap();
            agrees(b.finish(out).unwrap(), &[0.8, 1.3]);
        }
    }
}

#[test]
fn a_scalar_domain_error_names_the_op_as_the_generic_rule_does() {
    let b = TapeBuilder::new(1);
    let p = b.param_slot();
    let x = b.view(p, 0, 1, 1).unwrap();
    let out = b.unary(Unary::Log, x).unwrap();
    same_error(b.finish(out).unwrap(), &[-1.0]);
}

#[test]
fn vector_binary_ops_in_every_broadcast_form() {
    for f in [Binary::Add, Binary::Sub, Binary::Mul] {
        // (a, b): scalar-vector, vector-scalar, vector-vector; each side a parameter or data
        for (form, a_data, b_data) in
            (0..3).flat_map(|f| [(f, false, false), (f, true, false), (f, false, true)])
        {
            let b = TapeBuilder::new(6);
            let p = b.param_slot();
            let vec_of = |at: usize, data: bool| match data {
                true => b.constant(&[0.5, -2.0, 1.5], 3, 1).unwrap(),
                false => b.view(p, at, 3, 1).unwrap(),
            };
            let scalar_of = |at: usize, data: bool| match data {
                true => b.constant(&[-0.7], 1, 1).unwrap(),
                false => b.view(p, at, 1, 1).unwrap(),
            };
            let (x, y) = match form {
                0 => (scalar_of(0, a_data), vec_of(1, b_data)),
                1 => (vec_of(0, a_data), scalar_of(5, b_data)),
                _ => (vec_of(0, a_data), vec_of(3, b_data)),
            };
            let r = b.binary(f, x, y).unwrap();
            // a nonlinear use, so every adjoint differs
            let sq = b.unary(Unary::Square, r).unwrap();
            let out = b.reduce(Reduce::Sum, sq).unwrap();
            agrees(b.finish(out).unwrap(), &X[..6]);
        }
    }
}

/// `normal(y | mu, sigma)` over parameters, with the forms: 0 data vector, 1 parameter
/// vector, 2 data scalar, 3 parameter scalar (exp of it for sigma).
fn normal_tape(form: [u8; 3], propto: bool) -> Tape {
    let b = TapeBuilder::new(7);
    let p = b.param_slot();
    let arg = |k: usize, kind: u8| -> Slot {
        let data: [&[f64]; 3] = [&[0.3, -1.0, 0.7], &[0.1, 0.2, -0.4], &[1.3, 0.6, 2.0]];
        let at = [0, 3, 6][k];
        match (kind, k) {
            (0, _) => b.constant(data[k], 3, 1).unwrap(),
            (1, 2) => b.unary(Unary::Exp, b.view(p, 3, 3, 1).unwrap()).unwrap(),
            (1, _) => b.view(p, at.min(3), 3, 1).unwrap(),
            (2, _) => b.constant(&[data[k][0].abs() + 0.5], 1, 1).unwrap(),
            (_, 2) => b.unary(Unary::Exp, b.view(p, 6, 1, 1).unwrap()).unwrap(),
            _ => b.view(p, 6, 1, 1).unwrap(),
        }
    };
    let (y, mu, sigma) = (arg(0, form[0]), arg(1, form[1]), arg(2, form[2]));
    let kernel: Arc<dyn ScalarKernel> = Arc::new(Unused);
    let out = b.normal_lpdf(kernel, y, mu, sigma, propto).unwrap();
    let tape = b.finish(out).unwrap();
    assert!(
        tape.ops().iter().any(|op| matches!(op, Op::Normal(_))),
        "form {form:?} must use the fused normal op"
    );
    tape
}

/// A kernel that is never asked to evaluate (the fused op only calls it to word an
/// error).
pub(super) struct Unused;
impl ScalarKernel for Unused {
    fn name(&self) -> &str {
        "normal_lpdf"
    }
    fn value_and_gradient(&self, _: &[&[f64]], _: &mut [&mut [f64]]) -> Result<f64, String> {
        Err("normal_lpdf: invalid argument".into())
    }
}

#[test]
fn the_normal_step_in_every_argument_form() {
    for y in 0..4 {
        for mu in 0..4 {
            for sigma in 0..4 {
                let form = [y, mu, sigma];
                if form.iter().all(|&k| k == 0 || k == 2) {
                    continue; // no parameter: not a fused op
                }
                for propto in [false, true] {
                    agrees(normal_tape(form, propto), &X);
                }
            }
        }
    }
}

#[test]
fn an_invalid_normal_argument_fails_as_the_generic_rule_does() {
    // sigma a parameter that is not positive: y, mu parameters (x[6] is sigma itself)
    let b = TapeBuilder::new(7);
    let p = b.param_slot();
    let y = b.view(p, 0, 3, 1).unwrap();
    let sigma = b.view(p, 6, 1, 1).unwrap();
    let mu = b.constant(&[0.0], 1, 1).unwrap();
    let out = b.normal_lpdf(Arc::new(Unused), y, mu, sigma, true).unwrap();
    let mut x = X.to_vec();
    x[6] = -0.5;
    same_error(b.finish(out).unwrap(), &x);
    // a NaN location
    let tape = normal_tape([0, 1, 2], false);
    let mut x = X.to_vec();
    x[3] = f64::NAN;
    same_error(tape, &x);
}

#[test]
fn a_normal_whose_sum_overflows_gives_the_generic_value() {
    // z = 1e200 / 1e-200 overflows: not an error, the density is -inf
    let b = TapeBuilder::new(1);
    let p = b.param_slot();
    let y = b.view(p, 0, 1, 1).unwrap();
    let mu = b.constant(&[-1e200, 0.0], 2, 1).unwrap();
    let sigma = b.constant(&[1e-200], 1, 1).unwrap();
    let out = b.normal_lpdf(Arc::new(Unused), y, mu, sigma, true).unwrap();
    let tape = b.finish(out).unwrap();
    let (v0, _) = generic(&tape, &[1e200]).expect("reference");
    let density = TapeDensity::new(tape);
    let plan = density.log_density(&[1e200]).expect("plan");
    assert_eq!(plan, v0);
    assert_eq!(plan, f64::NEG_INFINITY);
}

/// `a · x² + b · y` with an element rule: a scalar kernel of three one-element inputs.
struct Quadratic {
    calls: std::sync::atomic::AtomicUsize,
}
struct QuadraticRule;
impl ElementRule for QuadraticRule {
    fn eval(&self, x: &[f64], d: &mut [f64]) -> Option<f64> {
        if x[0] < 0.0 {
            return None;
        }
        d[0] = x[2] * x[2];
        d[1] = 1.5;
        d[2] = 2.0 * x[0] * x[2];
        Some(x[0] * x[2] * x[2] + 1.5 * x[1])
    }
}
impl ScalarKernel for Quadratic {
    fn name(&self) -> &str {
        "quadratic"
    }
    fn value_and_gradient(&self, x: &[&[f64]], g: &mut [&mut [f64]]) -> Result<f64, String> {
        self.calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (a, b, y) = (x[0][0], x[1][0], x[2][0]);
        if a < 0.0 {
            return Err(format!("a = {a} is negative"));
        }
        let d = [y * y, 1.5, 2.0 * a * y];
        for (gk, dk) in g.iter_mut().zip(d) {
            if !gk.is_empty() {
                gk[0] = dk;
            }
        }
        Ok(a * y * y + 1.5 * b)
    }
    fn element_rule(&self, _active: &[bool]) -> Option<Box<dyn ElementRule>> {
        Some(Box::new(QuadraticRule))
    }
}

#[test]
fn a_kernel_of_one_element_arguments_runs_through_its_element_rule() {
    // the data argument in the middle (the partials of the others side by side) or
    // first (the first partial belongs to the second argument); the kernel's value
    // scaled (a plain step) or the result itself (a target term, run eagerly)
    for (data_first, term) in [(false, false), (true, false), (false, true), (true, true)] {
        let build = |kernel: Arc<Quadratic>| {
            let b = TapeBuilder::new(2);
            let p = b.param_slot();
            let (a, y) = (b.view(p, 0, 1, 1).unwrap(), b.view(p, 1, 1, 1).unwrap());
            let c = b.constant(&[0.25], 1, 1).unwrap();
            let args = if data_first { [c, a, y] } else { [a, c, y] };
            let k = b.scalar_kernel(kernel, &args).unwrap();
            let out = match term {
                true => k,
                false => b
                    .binary(Binary::Mul, k, b.unary(Unary::Exp, y).unwrap())
                    .unwrap(),
            };
            b.finish(out).unwrap()
        };
        let kernel = Arc::new(Quadratic { calls: 0.into() });
        let tape = build(kernel.clone());
        assert_eq!(tape.modes().ends_with('E'), term, "{}", tape.modes());
        agrees(tape, &[0.7, -0.4]);
        // the reference calls the kernel; the plan does not
        let before = kernel.calls.load(std::sync::atomic::Ordering::Relaxed);
        let density = TapeDensity::new(build(kernel.clone()));
        let mut g = [0.0; 2];
        density
            .log_density_and_gradient(&[0.7, -0.4], &mut g)
            .unwrap();
        assert_eq!(
            kernel.calls.load(std::sync::atomic::Ordering::Relaxed),
            before
        );
        // an invalid first argument (a parameter): the kernel words the error
        if !data_first {
            same_error(build(kernel), &[-0.7, -0.4]);
        }
    }
}

#[test]
fn a_run_of_scalar_additions_is_one_step() {
    // ((((t0 + t1) + c) + t2) + t3) with c data, and t1 + c read again elsewhere
    for shared in [false, true] {
        let b = TapeBuilder::new(3);
        let p = b.param_slot();
        let t: Vec<Slot> = (0..3)
            .map(|k| b.unary(Unary::Exp, b.view(p, k, 1, 1).unwrap()).unwrap())
            .collect();
        let c = b.constant(&[0.75], 1, 1).unwrap();
        let s1 = b.binary(Binary::Add, t[0], t[1]).unwrap();
        let s2 = b.binary(Binary::Add, s1, c).unwrap();
        let s3 = b.binary(Binary::Add, s2, t[2]).unwrap();
        let mut out = b.binary(Binary::Add, s3, t[1]).unwrap();
        if shared {
            let again = b.unary(Unary::Square, s2).unwrap();
            out = b.binary(Binary::Mul, out, again).unwrap();
        }
        let tape = b.finish(out).unwrap();
        let (ops, steps) = (tape.ops().len(), tape.step_count());
        // unshared: three additions folded into the last; shared: s2 ends a run
        let folded = if shared { 2 } else { 3 };
        assert_eq!(ops - steps, folded, "{ops} ops, {steps} steps");
        agrees(tape, &[0.3, -0.8, 1.1]);
    }
}
