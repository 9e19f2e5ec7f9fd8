//! The vectorised kernel interface: one per-element rule per family, one broadcasting
//! driver for all of them (log density, CDFs, RNG), with partials accumulated into
//! caller-provided buffers so a tape op can call it directly.

use super::args::{Arg, IntArg, Keep, MAX_ARGS};
use super::error::{DistError, Slot, Violation};
use rand::Rng;

/// A random outcome: real for continuous families, integer for discrete ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// A continuous draw.
    Real(f64),
    /// A discrete draw.
    Int(i64),
}

impl Outcome {
    /// The draw as a real number.
    pub fn as_f64(self) -> f64 {
        match self {
            Outcome::Real(x) => x,
            Outcome::Int(n) => n as f64,
        }
    }
}

/// A univariate family: the log density of one element, with its partials.
///
/// Arguments are split by type, each list in signature order. For a continuous family
/// the outcome is real argument 0; for a discrete family it is integer argument 0.
pub trait Family {
    /// The Stan name without suffix, e.g. `normal`.
    const NAME: &'static str;
    /// Names of the real arguments in signature order.
    const REALS: &'static [&'static str];
    /// Names of the integer arguments in signature order.
    const INTS: &'static [&'static str] = &[];

    /// The log density (or mass) of one element. Writes `d[j] = ∂/∂x[j]` for every real
    /// argument `j` (the caller ignores constants); terms are kept as `keep` says.
    fn log_density(n: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation>;

    /// True when the outcome is integer argument 0 (`_lpmf`), false when it is real
    /// argument 0 (`_lpdf`).
    const DISCRETE: bool = false;

    /// An optional whole-call fast path (hoisting work on scalar arguments out of the
    /// element loop). It must return `None`, having written nothing, whenever it does not
    /// handle the call or any argument is invalid; the generic sweep then evaluates the
    /// call and reports errors. Partial buffers have been size-checked by the caller.
    fn fast_log_density(
        _ints: &[IntArg],
        _reals: &[Arg],
        _keep: &Keep,
        _partials: &mut [Option<&mut [f64]>],
    ) -> Option<f64> {
        None
    }
}

/// A family with a log CDF and log complementary CDF for one element.
pub trait Cdf: Family {
    /// `log P(Y <= y)` with partials in every real argument.
    fn lcdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation>;
    /// `log P(Y > y)` with partials in every real argument.
    fn lccdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation>;
}

/// A family that can draw.
pub trait Sample: Family {
    /// One draw given one element's parameters. `n` and `x` have the full signature
    /// layout; the outcome slot holds a placeholder and must be ignored.
    fn sample<R: Rng + ?Sized>(n: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation>;
}

/// The common length of a call's container arguments (1 when all are scalars).
fn broadcast_len(
    function: &dyn Fn() -> String,
    names_int: &[&'static str],
    ints: &[IntArg],
    names_real: &[&'static str],
    reals: &[Arg],
) -> Result<usize, DistError> {
    let mut first: Option<(&'static str, usize)> = None;
    let lens = ints
        .iter()
        .zip(names_int)
        .map(|(a, n)| (a.len(), *n))
        .chain(reals.iter().zip(names_real).map(|(a, n)| (a.len(), *n)));
    for (len, name) in lens {
        let Some(len) = len else { continue };
        match first {
            None => first = Some((name, len)),
            Some((other, other_len)) if other_len != len => {
                return Err(DistError::SizeMismatch {
                    function: function(),
                    arg: name,
                    len,
                    other,
                    other_len,
                });
            }
            Some(_) => {}
        }
    }
    Ok(first.map_or(1, |(_, len)| len))
}

fn check_arity(
    function: &dyn Fn() -> String,
    what: &'static str,
    expected: usize,
    got: usize,
) -> Result<(), DistError> {
    if expected == got {
        Ok(())
    } else {
        Err(DistError::Shape {
            function: function(),
            arg: what,
            message: format!("expects {expected} arguments, got {got}"),
        })
    }
}

/// Turns a per-element violation into the caller-facing error.
fn locate(
    function: String,
    v: Violation,
    int_names: &[&'static str],
    ints: &[IntArg],
    real_names: &[&'static str],
    reals: &[Arg],
    i: usize,
) -> DistError {
    let (arg, is_vec) = match v.slot {
        Slot::Real(j) => (real_names[j], reals[j].len().is_some()),
        Slot::Int(j) => (int_names[j], ints[j].len().is_some()),
    };
    DistError::Domain {
        function,
        arg,
        index: if is_vec {
            format!("[{}]", i + 1)
        } else {
            String::new()
        },
        value: v.value,
        requirement: v.requirement,
    }
}

/// Runs `elem` over every broadcast position, summing values and accumulating partials
/// (times `scale`) into `partials` (one optional buffer per real argument).
/// Generic over the element rule so each family's loop is monomorphised (no indirect call
/// per element).
#[allow(clippy::too_many_arguments)]
fn sweep<E: FnMut(&[i64], &[f64], &mut [f64]) -> Result<f64, Violation>>(
    function: &dyn Fn() -> String,
    int_names: &[&'static str],
    ints: &[IntArg],
    real_names: &[&'static str],
    reals: &[Arg],
    partials: &mut [Option<&mut [f64]>],
    scale: f64,
    mut elem: E,
) -> Result<f64, DistError> {
    check_arity(
        function,
        "integer argument list",
        int_names.len(),
        ints.len(),
    )?;
    check_arity(
        function,
        "real argument list",
        real_names.len(),
        reals.len(),
    )?;
    check_arity(function, "partials list", reals.len(), partials.len())?;
    for ((p, a), name) in partials.iter().zip(reals).zip(real_names) {
        if let Some(buf) = p
            && buf.len() != a.partial_len()
        {
            return Err(DistError::Shape {
                function: function(),
                arg: name,
                message: format!(
                    "partial buffer has length {}, expected {}",
                    buf.len(),
                    a.partial_len()
                ),
            });
        }
    }
    let size = broadcast_len(function, int_names, ints, real_names, reals)?;
    let any_empty =
        ints.iter().any(|a| a.len() == Some(0)) || reals.iter().any(|a| a.len() == Some(0));
    if any_empty {
        return Ok(0.0);
    }
    let (ni, nr) = (ints.len(), reals.len());
    let mut n = [0i64; MAX_ARGS];
    let mut x = [0.0f64; MAX_ARGS];
    let mut total = 0.0;
    for i in 0..size {
        for (slot, a) in n.iter_mut().zip(ints) {
            *slot = a.at(i);
        }
        for (slot, a) in x.iter_mut().zip(reals) {
            *slot = a.at(i);
        }
        let mut d = [0.0f64; MAX_ARGS];
        let v = elem(&n[..ni], &x[..nr], &mut d[..nr])
            .map_err(|v| locate(function(), v, int_names, ints, real_names, reals, i))?;
        total += v;
        for ((p, a), dj) in partials.iter_mut().zip(reals).zip(d) {
            if let Some(buf) = p {
                let k = if a.len().is_some() { i } else { 0 };
                buf[k] += scale * dj;
            }
        }
    }
    Ok(total)
}

fn suffix<F: Family>(kind: &str) -> String {
    let s = match kind {
        "density" if F::DISCRETE => "lpmf",
        "density" => "lpdf",
        other => other,
    };
    format!("{}_{}", F::NAME, s)
}

/// The summed log density of family `F` over the broadcast arguments.
///
/// `partials[j]` is `None` for a constant real argument `j`, else a buffer of that
/// argument's length (1 for a scalar) into which `∂ log p / ∂ x_j` is *added*. With
/// `propto`, terms that depend only on constant arguments are dropped.
pub fn log_density<F: Family>(
    ints: &[IntArg],
    reals: &[Arg],
    propto: bool,
    partials: &mut [Option<&mut [f64]>],
) -> Result<f64, DistError> {
    let mut varying = [false; MAX_ARGS];
    for (v, p) in varying.iter_mut().zip(partials.iter()) {
        *v = p.is_some();
    }
    log_density_with::<F>(ints, reals, Keep::new(propto, &varying), partials)
}

/// A call of one element (every argument a scalar or a one-element container): the
/// family's rule called directly, without the broadcasting sweep's checks and set-up,
/// which cost several times the rule itself for a scalar prior. `None` for any other
/// call, or when the rule reports a violation (the sweep then locates and reports it).
fn single_element<F: Family>(
    ints: &[IntArg],
    reals: &[Arg],
    keep: &Keep,
    partials: &mut [Option<&mut [f64]>],
) -> Option<f64> {
    let (ni, nr) = (ints.len(), reals.len());
    if ni != F::INTS.len() || nr != F::REALS.len() || ni > MAX_ARGS || nr > MAX_ARGS {
        return None;
    }
    let mut n = [0i64; MAX_ARGS];
    let mut x = [0.0f64; MAX_ARGS];
    for (slot, a) in n.iter_mut().zip(ints) {
        if a.len().is_some_and(|l| l != 1) {
            return None;
        }
        *slot = a.at(0);
    }
    for (slot, a) in x.iter_mut().zip(reals) {
        if a.len().is_some_and(|l| l != 1) {
            return None;
        }
        *slot = a.at(0);
    }
    let mut d = [0.0f64; MAX_ARGS];
    let lp = F::log_density(&n[..ni], &x[..nr], keep, &mut d[..nr]).ok()?;
    for (p, dj) in partials.iter_mut().zip(d) {
        if let Some(buf) = p {
            buf[0] += dj;
        }
    }
    Some(lp)
}

/// Like [`log_density`], with the kept terms given explicitly, for callers that want a
/// `propto` value with varying arguments but no partials (or partials of constants).
pub fn log_density_with<F: Family>(
    ints: &[IntArg],
    reals: &[Arg],
    keep: Keep,
    partials: &mut [Option<&mut [f64]>],
) -> Result<f64, DistError> {
    let name = || suffix::<F>("density");
    let sizes_ok = partials.len() == reals.len()
        && partials
            .iter()
            .zip(reals)
            .all(|(p, a)| p.as_ref().is_none_or(|b| b.len() == a.partial_len()));
    if sizes_ok && let Some(lp) = F::fast_log_density(ints, reals, &keep, partials) {
        return Ok(lp);
    }
    if sizes_ok && let Some(lp) = single_element::<F>(ints, reals, &keep, partials) {
        return Ok(lp);
    }
    sweep(
        &name,
        F::INTS,
        ints,
        F::REALS,
        reals,
        partials,
        1.0,
        |n: &[i64], x: &[f64], d: &mut [f64]| F::log_density(n, x, &keep, d),
    )
}

/// The summed log CDF (`lcdf`) of family `F`, partials as in [`log_density`].
pub fn lcdf<F: Cdf>(
    ints: &[IntArg],
    reals: &[Arg],
    partials: &mut [Option<&mut [f64]>],
) -> Result<f64, DistError> {
    let name = || suffix::<F>("lcdf");
    sweep(
        &name,
        F::INTS,
        ints,
        F::REALS,
        reals,
        partials,
        1.0,
        F::lcdf,
    )
}

/// The summed log complementary CDF (`lccdf`) of family `F`.
pub fn lccdf<F: Cdf>(
    ints: &[IntArg],
    reals: &[Arg],
    partials: &mut [Option<&mut [f64]>],
) -> Result<f64, DistError> {
    let name = || suffix::<F>("lccdf");
    sweep(
        &name,
        F::INTS,
        ints,
        F::REALS,
        reals,
        partials,
        1.0,
        F::lccdf,
    )
}

/// The CDF (`cdf`, a product over elements as in Stan) of family `F`.
pub fn cdf<F: Cdf>(
    ints: &[IntArg],
    reals: &[Arg],
    partials: &mut [Option<&mut [f64]>],
) -> Result<f64, DistError> {
    let name = || suffix::<F>("cdf");
    let mut none: Vec<Option<&mut [f64]>> = (0..reals.len()).map(|_| None).collect();
    let log_p = sweep(
        &name,
        F::INTS,
        ints,
        F::REALS,
        reals,
        &mut none,
        1.0,
        F::lcdf,
    )?;
    let p = log_p.exp();
    if partials.iter().any(Option::is_some) {
        // d p = p * d log p: a second sweep scales each element's partials by p.
        sweep(&name, F::INTS, ints, F::REALS, reals, partials, p, F::lcdf)?;
    }
    Ok(p)
}

/// Draws one outcome per broadcast position of the *parameter* arguments (outcome
/// removed), appending to `out`. All-scalar parameters give one draw.
pub fn sample<F: Sample, R: Rng + ?Sized>(
    ints: &[IntArg],
    reals: &[Arg],
    rng: &mut R,
    out: &mut Vec<Outcome>,
) -> Result<(), DistError> {
    let name = || format!("{}_rng", F::NAME);
    // Put a placeholder in the outcome slot so per-family checks keep their slot numbers.
    let mut ints_full: Vec<IntArg> = Vec::with_capacity(ints.len() + 1);
    let mut reals_full: Vec<Arg> = Vec::with_capacity(reals.len() + 1);
    if F::DISCRETE {
        ints_full.push(IntArg::Scalar(0));
    } else {
        reals_full.push(Arg::Scalar(0.0));
    }
    ints_full.extend_from_slice(ints);
    reals_full.extend_from_slice(reals);
    let mut none: Vec<Option<&mut [f64]>> = (0..reals_full.len()).map(|_| None).collect();
    sweep(
        &name,
        F::INTS,
        &ints_full,
        F::REALS,
        &reals_full,
        &mut none,
        0.0,
        |n: &[i64], x: &[f64], _: &mut [f64]| {
            out.push(F::sample(n, x, rng)?);
            Ok(0.0)
        },
    )?;
    Ok(())
}
