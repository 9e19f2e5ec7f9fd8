//! `_rng` calls of the families with their own sampler (not the univariate kernel
//! drivers): the multivariate and matrix families (`multi_normal`, `multi_student_t`,
//! `dirichlet`, `wishart`, `lkj_corr`, …, vectorised over arrays of location vectors),
//! the categorical families, and `hmm_latent_rng`. Like every RNG they need the
//! evaluator's random stream (transformed data, generated quantities) and data arguments.

use super::eval::{Eval, R};
use super::values::Val;
use crate::dist::args::MatRef;
use crate::dist::error::DistError;
use crate::dist::{
    categorical, cholesky_param, dirichlet, hmm, lkj, multi_student_t, mvn, ordered, wishart,
};
use crate::lang::Span;
use crate::lang::types::Type;
use crate::rng::ChainRng;

/// One constant argument: values and sizes.
struct C<'a> {
    x: &'a [f64],
    shape: &'a [usize],
}

impl<'a> C<'a> {
    fn mat(&self) -> Result<MatRef<'a>, DistError> {
        let (r, c) = match self.shape {
            [r, c] => (*r, *c),
            _ => (self.x.len(), 1),
        };
        MatRef::new(self.x, r, c).ok_or_else(|| DistError::Shape {
            function: String::new(),
            arg: "matrix",
            message: "is malformed".into(),
        })
    }

    /// The length of one vector of a vector or an array of vectors.
    fn inner(&self) -> usize {
        self.shape.last().copied().unwrap_or(1).max(1)
    }
}

/// What a dedicated sampler returns.
enum Draw {
    Int(i64),
    Ints(Vec<i64>),
    /// Reals with their sizes.
    Reals(Vec<f64>, Vec<usize>),
}

fn int_draw(x: Result<i64, DistError>) -> Result<Draw, DistError> {
    x.map(Draw::Int)
}

/// Draws vectors `f(mu_i)` for each location vector of `mu` (one vector or an array).
fn per_location(
    mu: &C,
    k: usize,
    mut f: impl FnMut(&[f64]) -> Result<Vec<f64>, DistError>,
) -> Result<Draw, DistError> {
    if mu.shape.len() < 2 {
        let d = f(mu.x)?;
        let n = d.len();
        return Ok(Draw::Reals(d, vec![n]));
    }
    let mut out = Vec::with_capacity(mu.x.len());
    for m in mu.x.chunks(k) {
        out.extend(f(m)?);
    }
    Ok(Draw::Reals(out, vec![mu.shape[0], k]))
}

fn square(d: Vec<f64>, k: usize) -> Draw {
    Draw::Reals(d, vec![k, k])
}

/// The draw of `name` (a full `_rng` name) from constant arguments `a`, or `None` when
/// `name` has no dedicated sampler.
fn draw(name: &str, a: &[C], rng: &mut ChainRng) -> Option<Result<Draw, DistError>> {
    let size = |c: &C| c.x.first().copied().unwrap_or(0.0).max(0.0) as usize;
    Some(match (name, a) {
        ("multi_normal_rng", [mu, s]) => {
            let s = match s.mat() {
                Ok(s) => s,
                Err(e) => return Some(Err(e)),
            };
            per_location(mu, s.rows, |m| mvn::multi_normal_rng(m, s, rng))
        }
        ("multi_normal_cholesky_rng", [mu, l]) => match l.mat() {
            Ok(l) => per_location(mu, l.rows, |m| mvn::multi_normal_cholesky_rng(m, l, rng)),
            Err(e) => Err(e),
        },
        ("multi_student_t_rng", [nu, mu, s]) => match s.mat() {
            Ok(s) => per_location(mu, s.rows, |m| {
                multi_student_t::multi_student_t_rng(nu.x[0], m, s, rng)
            }),
            Err(e) => Err(e),
        },
        ("multi_student_t_cholesky_rng", [nu, mu, l]) => match l.mat() {
            Ok(l) => per_location(mu, l.rows, |m| {
                cholesky_param::multi_student_t_cholesky_rng(nu.x[0], m, l, rng)
            }),
            Err(e) => Err(e),
        },
        ("wishart_cholesky_rng" | "inv_wishart_cholesky_rng", [nu, l]) => match l.mat() {
            Ok(l) => {
                let inverse = name.starts_with("inv_");
                cholesky_param::wishart_cholesky_rng(inverse, nu.x[0], l, rng)
                    .map(|d| square(d, l.rows))
            }
            Err(e) => Err(e),
        },
        ("dirichlet_rng", [alpha]) => {
            let k = alpha.inner();
            per_location(alpha, k, |al| dirichlet::dirichlet_rng(al, rng))
        }
        ("wishart_rng" | "inv_wishart_rng", [nu, s]) => match s.mat() {
            Ok(s) => {
                let d = if name == "wishart_rng" {
                    wishart::wishart_rng(nu.x[0], s, rng)
                } else {
                    wishart::inv_wishart_rng(nu.x[0], s, rng)
                };
                d.map(|d| square(d, s.rows))
            }
            Err(e) => Err(e),
        },
        ("lkj_corr_rng", [k, eta]) => {
            lkj::lkj_corr_rng(size(k), eta.x[0], rng).map(|d| square(d, size(k)))
        }
        ("lkj_corr_cholesky_rng", [k, eta]) => {
            lkj::lkj_corr_cholesky_rng(size(k), eta.x[0], rng).map(|d| square(d, size(k)))
        }
        ("categorical_rng", [theta]) => int_draw(categorical::categorical_rng(theta.x, rng)),
        ("categorical_logit_rng", [beta]) => {
            int_draw(categorical::categorical_logit_rng(beta.x, rng))
        }
        ("ordered_logistic_rng", [eta, c]) => {
            int_draw(categorical::ordered_logistic_rng(eta.x[0], c.x, rng))
        }
        ("ordered_probit_rng", [eta, c]) => {
            int_draw(ordered::ordered_probit_rng(eta.x[0], c.x, rng))
        }
        ("multinomial_rng", [theta, n]) => {
            categorical::multinomial_rng(theta.x, n.x[0] as i64, rng).map(Draw::Ints)
        }
        ("hmm_latent_rng", [lo, g, rho]) => match (lo.mat(), g.mat()) {
            (Ok(lo), Ok(g)) => hmm::hmm_latent_rng(lo, g, rho.x, rng).map(Draw::Ints),
            (Err(e), _) | (_, Err(e)) => Err(e),
        },
        _ => return None,
    })
}

/// Runs the dedicated sampler of `name` (a full `_rng` name); `None` when it has none.
pub fn dedicated_rng(
    ev: &mut Eval<'_, '_, '_>,
    name: &str,
    vals: &[Val],
    ty: Type,
    span: Span,
) -> R<Option<Val>> {
    if !DEDICATED.contains(&name) {
        return Ok(None);
    }
    let mut args = Vec::with_capacity(vals.len());
    for v in vals {
        match v.as_const() {
            Some(x) => args.push(C { x, shape: &v.shape }),
            None => return ev.fatal(span, format!("`{name}` in parameter-dependent code")),
        }
    }
    let Some(rng) = ev.rng.as_deref_mut() else {
        return ev.fatal(
            span,
            "random numbers are only available in transformed data and generated quantities",
        );
    };
    let Some(result) = draw(name, &args, rng) else {
        return Ok(None);
    };
    let d = match result {
        Ok(d) => d,
        Err(e) => {
            let e = match e {
                DistError::Shape { ref function, .. } if function.is_empty() => e.renamed(name),
                e => e,
            };
            return Err(crate::model::EvalError::Recoverable(format!(
                "{e} (at {})",
                ev.loc(span)
            )));
        }
    };
    Ok(Some(match d {
        Draw::Int(k) => Val::int(k),
        Draw::Ints(ks) => {
            let n = ks.len();
            Val::constant(ty, vec![n], ks.into_iter().map(|k| k as f64).collect())
        }
        Draw::Reals(x, shape) => Val::constant(ty, shape, x),
    }))
}

/// Every `_rng` with a dedicated sampler in [`draw`].
pub const DEDICATED: &[&str] = &[
    "multi_normal_rng",
    "multi_normal_cholesky_rng",
    "multi_student_t_rng",
    "multi_student_t_cholesky_rng",
    "wishart_cholesky_rng",
    "inv_wishart_cholesky_rng",
    "dirichlet_rng",
    "wishart_rng",
    "inv_wishart_rng",
    "lkj_corr_rng",
    "lkj_corr_cholesky_rng",
    "categorical_rng",
    "categorical_logit_rng",
    "ordered_logistic_rng",
    "ordered_probit_rng",
    "multinomial_rng",
    "hmm_latent_rng",
];
