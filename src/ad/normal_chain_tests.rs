//! Tests of the normal density fused with the chain computing its location: the finished
//! (fused) tape against the tape as recorded (separate gathers, elementwise ops and a
//! normal op), over three blocks of rows, for every form of `y` and `sigma`, with and
//! without `propto`; gradients against finite differences; errors as without the
//! fusion; and no fusion when the location is read elsewhere.

use super::builder::TapeBuilder;
use super::fd::max_gradient_error;
use super::fused_tests::Reference;
use super::op::Op;
use super::slot::Slot;
use super::{Tape, TapeDensity};
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::Reduce;
use crate::model::LogDensity;
use std::sync::Arc;

/// Rows: two full blocks of the chain's block size and one of a single row (where a
/// vector's block is as long as a broadcast scalar).
const ROWS: usize = 257;
const GROUP: [u32; 7] = [0, 2, 1, 1, 0, 2, 2];
const FLOOR: [f64; 7] = [0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.5];
const Y: [f64; 7] = [0.4, 1.2, -0.3, 0.8, 0.1, 1.9, 0.5];

/// Parameters: `a` (3 groups), `beta`, a scale, log scales by group (3), a shift of `y`.
const X: [f64; 9] = [0.3, -0.2, 0.5, 0.4, 0.2, -0.1, 0.3, 0.1, 0.25];

fn rows<T: Copy>(pattern: &[T]) -> Vec<T> {
    (0..ROWS).map(|i| pattern[i % pattern.len()]).collect()
}

#[derive(Clone, Copy, Debug)]
enum YForm {
    Data,
    /// Data plus a parameter: an active vector.
    Param,
}

#[derive(Clone, Copy, Debug)]
enum SigmaForm {
    /// `exp(parameter)`: a broadcast active scalar.
    Scalar,
    /// `exp(log_sigma)[group]`: a gather folded into the density.
    Gathered,
    /// `exp(log_sigma)[group] + floor`: an active vector made by its own chain.
    PerRow,
    /// A data scalar.
    Data,
    /// The parameter itself (may be negative: the error test).
    Raw,
}

/// `y ~ normal(a[group] + beta * floor - exp(beta * floor), sigma)` (or, with
/// `one_step`, `normal(a[group] + floor, sigma)`), with the location also summed into
/// the result when `read_twice`.
fn record(b: &TapeBuilder, form: Form, propto: bool, read_twice: bool) -> Slot {
    let Form { y, sigma, one_step } = form;
    let p = b.param_slot();
    let view = |at: usize, len: usize| b.view(p, at, len, 1).unwrap();
    let group = rows(&GROUP);
    let floor = b.constant(&rows(&FLOOR), ROWS, 1).unwrap();
    let a = b.gather(view(0, 3), group.clone(), ROWS, 1).unwrap();
    let times_beta = || b.binary(Binary::Mul, view(3, 1), floor).unwrap();
    let mu = if one_step {
        b.binary(Binary::Add, a, floor).unwrap()
    } else {
        let linear = b.binary(Binary::Add, a, times_beta()).unwrap();
        let bent = b.unary(Unary::Exp, times_beta()).unwrap();
        b.binary(Binary::Sub, linear, bent).unwrap()
    };
    let y_data = b.constant(&rows(&Y), ROWS, 1).unwrap();
    let y = match y {
        YForm::Data => y_data,
        YForm::Param => b.binary(Binary::Add, y_data, view(8, 1)).unwrap(),
    };
    let by_group = || b.unary(Unary::Exp, view(5, 3)).unwrap();
    let sigma = match sigma {
        SigmaForm::Scalar => b.unary(Unary::Exp, view(4, 1)).unwrap(),
        SigmaForm::Gathered => b.gather(by_group(), group, ROWS, 1).unwrap(),
        SigmaForm::PerRow => {
            let g = b.gather(by_group(), group, ROWS, 1).unwrap();
            b.binary(Binary::Add, g, floor).unwrap()
        }
        SigmaForm::Data => b.constant(&[1.3], 1, 1).unwrap(),
        SigmaForm::Raw => view(4, 1),
    };
    let kernel = Arc::new(Reference { propto });
    let lp = b.normal_lpdf(kernel, y, mu, sigma, propto).unwrap();
    if read_twice {
        let total = b.reduce(Reduce::Sum, mu).unwrap();
        b.binary(Binary::Add, lp, total).unwrap()
    } else {
        lp
    }
}

/// The argument forms of one test case.
#[derive(Clone, Copy, Debug)]
struct Form {
    y: YForm,
    sigma: SigmaForm,
    /// A location chain of one step (it keeps no step values but the location).
    one_step: bool,
}

impl Form {
    fn new(y: YForm, sigma: SigmaForm) -> Self {
        Form {
            y,
            sigma,
            one_step: false,
        }
    }
}

/// The finished tape and the tape as recorded, for the same model.
fn tapes(form: Form, propto: bool, read_twice: bool) -> (Tape, Tape) {
    let b = TapeBuilder::new(X.len());
    let fused = b.finish(record(&b, form, propto, read_twice)).unwrap();
    let b = TapeBuilder::new(X.len());
    let plain = b.finish_as_recorded(record(&b, form, propto, read_twice));
    (fused, plain)
}

fn count(tape: &Tape, pick: impl Fn(&Op) -> bool) -> usize {
    tape.ops().iter().filter(|op| pick(op)).count()
}

/// Value and gradient of both tapes agree; the fused one matches finite differences.
fn assert_same(fused: Tape, plain: Tape, what: &str) {
    let (f, p) = (TapeDensity::new(fused), TapeDensity::new(plain));
    let (mut gf, mut gp) = ([0.0; X.len()], [0.0; X.len()]);
    let vf = f.log_density_and_gradient(&X, &mut gf).unwrap();
    let vp = p.log_density_and_gradient(&X, &mut gp).unwrap();
    assert!((vf - vp).abs() < 1e-12 * vp.abs(), "{what}: {vf} vs {vp}");
    for (a, b) in gf.iter().zip(&gp) {
        assert!(
            (a - b).abs() < 1e-12 * (1.0 + b.abs()),
            "{what}: {gf:?} vs {gp:?}"
        );
    }
    let e = max_gradient_error(&f, &X).unwrap();
    assert!(e < 1e-6, "{what}: finite differences off by {e}");
    // a second evaluation starts from cleared buffers
    let mut again = [0.0; X.len()];
    f.log_density_and_gradient(&X, &mut again).unwrap();
    assert_eq!(gf, again, "{what}");
}

#[test]
fn the_fused_op_matches_the_recorded_ops_in_every_argument_form() {
    for y in [YForm::Data, YForm::Param] {
        for sigma in [
            SigmaForm::Scalar,
            SigmaForm::Gathered,
            SigmaForm::PerRow,
            SigmaForm::Data,
        ] {
            for (propto, one_step) in [(false, false), (true, false), (true, true)] {
                let form = Form {
                    one_step,
                    ..Form::new(y, sigma)
                };
                let what = format!("{form:?} propto {propto}");
                let (fused, plain) = tapes(form, propto, false);
                let is_fused = |op: &Op| matches!(op, Op::NormalChain(_));
                assert_eq!(count(&fused, is_fused), 1, "{what}:\n{}", fused.dump());
                // only a per-row sigma keeps a chain of its own
                let chains = count(&fused, |op| matches!(op, Op::Chain(_)));
                assert_eq!(chains, usize::from(matches!(sigma, SigmaForm::PerRow)));
                assert_same(fused, plain, &what);
            }
        }
    }
}

#[test]
fn a_location_read_elsewhere_is_not_fused() {
    let (fused, plain) = tapes(Form::new(YForm::Data, SigmaForm::Scalar), true, true);
    assert_eq!(count(&fused, |op| matches!(op, Op::NormalChain(_))), 0);
    assert_eq!(count(&fused, |op| matches!(op, Op::Chain(_))), 1);
    assert_same(fused, plain, "read twice");
}

/// The error of a failed gradient, without the op index (which the fusion changes).
fn error_text(tape: Tape, x: &[f64]) -> String {
    let d = TapeDensity::new(tape);
    let mut g = [0.0; X.len()];
    let e = d
        .log_density_and_gradient(x, &mut g)
        .unwrap_err()
        .to_string();
    let (head, tail) = e.split_once(" (tape op #").expect("an op is named");
    let (_, rest) = tail.split_once(')').expect("the index closes");
    format!("{head}{rest}")
}

#[test]
fn invalid_arguments_read_as_without_the_fusion() {
    // sigma below zero
    let mut x = X;
    x[4] = -1.0;
    let (fused, plain) = tapes(Form::new(YForm::Data, SigmaForm::Raw), true, false);
    assert_eq!(count(&fused, |op| matches!(op, Op::NormalChain(_))), 1);
    let (ef, ep) = (error_text(fused, &x), error_text(plain, &x));
    assert_eq!(ef, ep);
    assert!(ef.contains("sigma[1] is -1"), "{ef}");
    // a NaN location (from a NaN intercept of group 0, first read in row 1)
    let mut x = X;
    x[0] = f64::NAN;
    let (fused, plain) = tapes(Form::new(YForm::Data, SigmaForm::Gathered), false, false);
    let (ef, ep) = (error_text(fused, &x), error_text(plain, &x));
    assert_eq!(ef, ep);
    assert!(ef.contains("mu[1] is NaN"), "{ef}");
    // an infinite y is no error in either: the density is -inf
    let mut x = X;
    x[8] = f64::INFINITY;
    let (fused, plain) = tapes(Form::new(YForm::Param, SigmaForm::Scalar), true, false);
    for tape in [fused, plain] {
        let d = TapeDensity::new(tape);
        assert_eq!(d.log_density(&x).unwrap(), f64::NEG_INFINITY);
    }
}

#[test]
fn a_domain_error_inside_the_location_names_the_step_and_row() {
    // mu = a[group] + log(c - beta): the argument of log is negative in row 201 only
    let record = |b: &TapeBuilder| {
        let p = b.param_slot();
        let c: Vec<f64> = (0..ROWS)
            .map(|i| if i == 200 { 0.1 } else { 3.0 })
            .collect();
        let c = b.constant(&c, ROWS, 1).unwrap();
        let a = b
            .gather(b.view(p, 0, 3, 1).unwrap(), rows(&GROUP), ROWS, 1)
            .unwrap();
        let shifted = b
            .binary(Binary::Sub, c, b.view(p, 3, 1, 1).unwrap())
            .unwrap();
        let mu = b
            .binary(Binary::Add, a, b.unary(Unary::Log, shifted).unwrap())
            .unwrap();
        let y = b.constant(&rows(&Y), ROWS, 1).unwrap();
        let sigma = b.scalar(1.0);
        let kernel = Arc::new(Reference { propto: true });
        b.normal_lpdf(kernel, y, mu, sigma, true).unwrap()
    };
    let b = TapeBuilder::new(X.len());
    let fused = b.finish(record(&b)).unwrap();
    assert_eq!(count(&fused, |op| matches!(op, Op::NormalChain(_))), 1);
    let b = TapeBuilder::new(X.len());
    let plain = b.finish_as_recorded(record(&b));
    let (ef, ep) = (error_text(fused, &X), error_text(plain, &X));
    // as recorded: "log: argument [..] is outside the domain (element 201)"
    let (_, detail) = ep.split_once(": ").unwrap();
    assert!(detail.contains("element 201"), "{ep}");
    assert!(ef.contains(&format!("log: {detail}")), "{ef} vs {ep}");
    assert!(ef.contains("chain(subtract, log, add)"), "{ef}");
}
