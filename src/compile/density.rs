//! Distribution calls as tape ops: each `_lpdf`/`_lpmf`/`_lcdf`/`_lccdf`/`_cdf` call becomes
//! one scalar kernel over its real arguments (value and all partials in one pass, from
//! `crate::dist`), with its integer arguments (always data) captured in the op. A real
//! argument that is data gets no gradient buffer, which is also how `propto` knows which
//! terms are constant and may be dropped (Stan's `include_summand`).

use crate::ad::{BuildError, ElementRule, ScalarKernel, Slot, TapeBuilder};
use crate::dist::args::{Arg, IntArg, Keep, MAX_ARGS, MatRef};
use crate::dist::cholesky_param::{multi_student_t_cholesky_lpdf, wishart_cholesky_lpdf};
use crate::dist::descriptor::{CdfFn, DensityFn, ElementFn};
use crate::dist::multi_student_t::{MultiStudentTPartials, multi_student_t_lpdf};
use crate::dist::ordered::{Link, ordered_lpmf};
use crate::dist::wishart::{WishartPartials, inv_wishart_lpdf, wishart_lpdf};
use crate::dist::{dirichlet, glm, lkj, mvn};
use std::sync::Arc;

/// Which function of a family an op evaluates.
#[derive(Clone, Copy)]
pub enum DistFn {
    /// A univariate log density; `propto` drops constant terms.
    Density(DensityFn, bool),
    /// A univariate (log) CDF.
    Cdf(CdfFn),
    /// `normal_id_glm(y | x, alpha, beta, sigma)`; reals in that order.
    NormalIdGlm(bool),
    /// `bernoulli_logit_glm` / `poisson_log_glm(y | x, alpha, beta)` with `y` an int arg.
    IntGlm(bool, bool),
    /// `multi_normal_cholesky(y | mu, L)` (true) or `multi_normal(y | mu, Sigma)` (false).
    MultiNormal(bool, bool),
    /// `dirichlet(theta | alpha)` with the simplex length.
    Dirichlet(usize, bool),
    /// `lkj_corr_cholesky(L | eta)` (true) or `lkj_corr(Omega | eta)` (false).
    Lkj(bool, bool),
    /// `ordered_logistic` / `ordered_probit(k | eta, c)` with the cutpoint vector length
    /// (`c` holds one vector or one per outcome).
    Ordered(Link, usize, bool),
    /// `multi_student_t(y | nu, mu, Sigma)`.
    MultiStudentT(bool),
    /// `wishart(W | nu, Sigma)` (false) or `inv_wishart` (true).
    Wishart(bool, bool),
    /// `multi_student_t_cholesky(y | nu, mu, L)`.
    MultiStudentTCholesky(bool),
    /// `wishart_cholesky(L_W | nu, L_S)` (false) or `inv_wishart_cholesky` (true).
    WishartCholesky(bool, bool),
    /// `binomial_logit_glm(n | N, x, alpha, beta)`: two int args, reals x, alpha, beta.
    BinomialLogitGlm(bool),
}

/// One distribution call over tape inputs (the real arguments, in signature order).
pub struct DistKernel {
    pub name: String,
    pub f: DistFn,
    /// Integer arguments, in signature order: values and whether each is a scalar.
    pub ints: Vec<(Vec<i64>, bool)>,
    /// Per real argument: true when it is a scalar (broadcast), false for a container.
    pub scalar: Vec<bool>,
    /// Matrix arguments' row counts, by real-argument position (0 when not a matrix).
    pub rows: Vec<usize>,
    /// The family's rule for one element (univariate densities), for calls whose
    /// arguments are all scalars.
    pub element: Option<ElementFn>,
}

/// A univariate density call of one element through its family's rule, with the integer
/// arguments and the kept terms fixed.
struct DensityElement {
    f: ElementFn,
    ints: [i64; MAX_ARGS],
    n_ints: usize,
    keep: Keep,
}

impl ElementRule for DensityElement {
    fn eval(&self, x: &[f64], d: &mut [f64]) -> Option<f64> {
        (self.f)(&self.ints[..self.n_ints], x, &self.keep, d).ok()
    }
}

fn arg<'a>(x: &'a [f64], scalar: bool) -> Arg<'a> {
    if scalar {
        Arg::Scalar(x[0])
    } else {
        Arg::Vector(x)
    }
}

fn opt(g: &mut [f64]) -> Option<&mut [f64]> {
    if g.is_empty() { None } else { Some(g) }
}

impl DistKernel {
    fn int_arg(&self, k: usize) -> IntArg<'_> {
        let (v, scalar) = &self.ints[k];
        if *scalar {
            IntArg::Scalar(v[0])
        } else {
            IntArg::Vector(v)
        }
    }

    fn mat<'a>(&self, inputs: &[&'a [f64]], k: usize) -> Result<MatRef<'a>, String> {
        let rows = self.rows[k].max(1);
        MatRef::new(inputs[k], rows, inputs[k].len() / rows)
            .ok_or_else(|| format!("{}: malformed matrix argument", self.name))
    }

    /// Evaluates with gradients into `grads` (empty slices for constants), overwriting them.
    pub fn eval(&self, inputs: &[&[f64]], grads: &mut [&mut [f64]]) -> Result<f64, String> {
        for g in grads.iter_mut() {
            g.fill(0.0);
        }
        let n_int = self.ints.len().min(MAX_ARGS);
        let mut ints = [IntArg::Scalar(0); MAX_ARGS];
        for (k, slot) in ints.iter_mut().enumerate().take(n_int) {
            *slot = self.int_arg(k);
        }
        let ints = &ints[..n_int];
        let r = match self.f {
            DistFn::Density(f, propto) => {
                let (reals, mut parts) = self.univariate(inputs, grads);
                f(
                    ints,
                    &reals[..inputs.len()],
                    propto,
                    &mut parts[..inputs.len()],
                )
            }
            DistFn::Cdf(f) => {
                let (reals, mut parts) = self.univariate(inputs, grads);
                f(ints, &reals[..inputs.len()], &mut parts[..inputs.len()])
            }
            DistFn::NormalIdGlm(propto) => {
                let [gy, gx, ga, gb, gs] = grads else {
                    return Err(format!("{}: expects 5 real arguments", self.name));
                };
                let lin = glm::Linear {
                    x: self.mat(inputs, 1)?,
                    alpha: arg(inputs[2], self.scalar[2]),
                    beta: inputs[3],
                };
                let dlin = glm::LinearPartials {
                    x: opt(gx),
                    alpha: opt(ga),
                    beta: opt(gb),
                };
                glm::normal_id_glm_lpdf(
                    arg(inputs[0], self.scalar[0]),
                    lin,
                    arg(inputs[4], self.scalar[4]),
                    propto,
                    opt(gy),
                    dlin,
                    opt(gs),
                )
            }
            DistFn::IntGlm(_, propto) | DistFn::BinomialLogitGlm(propto) => {
                let [gx, ga, gb] = grads else {
                    return Err(format!("{}: expects 3 real arguments", self.name));
                };
                let lin = glm::Linear {
                    x: self.mat(inputs, 0)?,
                    alpha: arg(inputs[1], self.scalar[1]),
                    beta: inputs[2],
                };
                let dlin = glm::LinearPartials {
                    x: opt(gx),
                    alpha: opt(ga),
                    beta: opt(gb),
                };
                let y = self.int_arg(0);
                match self.f {
                    DistFn::IntGlm(true, _) => glm::poisson_log_glm_lpmf(y, lin, propto, dlin),
                    DistFn::IntGlm(false, _) => glm::bernoulli_logit_glm_lpmf(y, lin, propto, dlin),
                    _ => glm::binomial_logit_glm_lpmf(y, self.int_arg(1), lin, propto, dlin),
                }
            }
            DistFn::MultiNormal(chol, propto) => {
                let [gy, gm, gl] = grads else {
                    return Err(format!("{}: expects 3 real arguments", self.name));
                };
                let m = self.mat(inputs, 2)?;
                if chol {
                    mvn::multi_normal_cholesky_lpdf(
                        inputs[0],
                        inputs[1],
                        m,
                        propto,
                        opt(gy),
                        opt(gm),
                        opt(gl),
                    )
                } else {
                    mvn::multi_normal_lpdf(
                        inputs[0],
                        inputs[1],
                        m,
                        propto,
                        opt(gy),
                        opt(gm),
                        opt(gl),
                    )
                }
            }
            DistFn::Lkj(chol, propto) => {
                let [gm, ge] = grads else {
                    return Err(format!("{}: expects 2 real arguments", self.name));
                };
                let m = self.mat(inputs, 0)?;
                let eta = inputs[1][0];
                let de = ge.first_mut();
                if chol {
                    lkj::lkj_corr_cholesky_lpdf(m, eta, propto, opt(gm), de)
                } else {
                    lkj::lkj_corr_lpdf(m, eta, propto, opt(gm), de)
                }
            }
            DistFn::Ordered(link, cut_len, propto) => {
                let [ge, gc] = grads else {
                    return Err(format!("{}: expects 2 real arguments", self.name));
                };
                let eta = arg(inputs[0], self.scalar[0]);
                ordered_lpmf(
                    link,
                    &self.ints[0].0,
                    eta,
                    inputs[1],
                    cut_len,
                    propto,
                    opt(ge),
                    opt(gc),
                )
            }
            DistFn::MultiStudentT(propto) | DistFn::MultiStudentTCholesky(propto) => {
                let [gy, gn, gm, gs] = grads else {
                    return Err(format!("{}: expects 4 real arguments", self.name));
                };
                let parts = MultiStudentTPartials {
                    y: opt(gy),
                    nu: gn.first_mut(),
                    mu: opt(gm),
                    sigma: opt(gs),
                };
                let s = self.mat(inputs, 3)?;
                let (y, nu, mu) = (inputs[0], inputs[1][0], inputs[2]);
                if matches!(self.f, DistFn::MultiStudentTCholesky(_)) {
                    multi_student_t_cholesky_lpdf(y, nu, mu, s, propto, parts)
                } else {
                    multi_student_t_lpdf(y, nu, mu, s, propto, parts)
                }
            }
            DistFn::Wishart(inverse, propto) | DistFn::WishartCholesky(inverse, propto) => {
                let [gw, gn, gs] = grads else {
                    return Err(format!("{}: expects 3 real arguments", self.name));
                };
                let parts = WishartPartials {
                    w: opt(gw),
                    nu: gn.first_mut(),
                    s: opt(gs),
                };
                let (w, s) = (self.mat(inputs, 0)?, self.mat(inputs, 2)?);
                let nu = inputs[1][0];
                match self.f {
                    DistFn::WishartCholesky(..) => {
                        wishart_cholesky_lpdf(inverse, w, nu, s, propto, parts)
                    }
                    _ if inverse => inv_wishart_lpdf(w, nu, s, propto, parts),
                    _ => wishart_lpdf(w, nu, s, propto, parts),
                }
            }
            DistFn::Dirichlet(k, propto) => {
                let [gt, ga] = grads else {
                    return Err(format!("{}: expects 2 real arguments", self.name));
                };
                dirichlet::dirichlet_lpdf(inputs[0], inputs[1], k, propto, opt(gt), opt(ga))
            }
        };
        r.map_err(|e| e.to_string())
    }

    #[allow(clippy::type_complexity)]
    fn univariate<'a, 'g>(
        &self,
        inputs: &[&'a [f64]],
        grads: &'g mut [&mut [f64]],
    ) -> ([Arg<'a>; MAX_ARGS], [Option<&'g mut [f64]>; MAX_ARGS]) {
        let mut reals = [Arg::Scalar(0.0); MAX_ARGS];
        for (k, x) in inputs.iter().enumerate().take(MAX_ARGS) {
            reals[k] = arg(x, self.scalar[k]);
        }
        let mut parts: [Option<&'g mut [f64]>; MAX_ARGS] = Default::default();
        for (p, g) in parts.iter_mut().zip(grads.iter_mut()) {
            if !g.is_empty() {
                *p = Some(&mut **g);
            }
        }
        (reals, parts)
    }
}

/// Records the call on the tape: `normal` densities as the fused native op (which reads
/// gathered locations and scales through their index), every other call as one scalar
/// kernel op.
pub fn lower(
    b: &TapeBuilder,
    kernel: Arc<DistKernel>,
    inputs: &[Slot],
) -> Result<Slot, BuildError> {
    match (kernel.f, inputs) {
        (DistFn::Density(_, propto), &[y, mu, sigma])
            if kernel.ints.is_empty() && kernel.name == "normal_lpdf" =>
        {
            b.normal_lpdf(kernel, y, mu, sigma, propto)
        }
        _ => b.scalar_kernel(kernel, inputs),
    }
}

impl ScalarKernel for DistKernel {
    fn name(&self) -> &str {
        &self.name
    }

    fn value_and_gradient(
        &self,
        inputs: &[&[f64]],
        grads: &mut [&mut [f64]],
    ) -> Result<f64, String> {
        self.eval(inputs, grads)
    }

    fn density_family(&self) -> Option<(&str, bool)> {
        let DistFn::Density(_, propto) = self.f else {
            return None;
        };
        let (family, _) = self.name.rsplit_once('_')?;
        Some((family, propto))
    }

    fn element_rule(&self, active: &[bool]) -> Option<Box<dyn ElementRule>> {
        let (DistFn::Density(_, propto), Some(f)) = (self.f, self.element) else {
            return None;
        };
        let n_ints = self.ints.len();
        if n_ints > MAX_ARGS || active.len() > MAX_ARGS {
            return None;
        }
        let mut ints = [0; MAX_ARGS];
        for (slot, (v, _)) in ints.iter_mut().zip(&self.ints) {
            let &[value] = v.as_slice() else {
                return None;
            };
            *slot = value;
        }
        Some(Box::new(DensityElement {
            f,
            ints,
            n_ints,
            keep: Keep::new(propto, active),
        }))
    }
}
