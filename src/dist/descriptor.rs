//! The distribution descriptor table: every family's signature, support and available
//! functions, with function pointers to the univariate kernels, so the language's
//! signature table and the compiler's tape ops can be checked against and driven from it.

use super::args::{Arg, IntArg, Keep};
use super::error::{DistError, Violation};
use super::kernel::{self, Cdf, Family, Outcome, Sample};
use super::{
    bernoulli, beta, binomial, cauchy, chi_square, double_exponential, exponential, gamma, gumbel,
    logistic, lognormal, neg_binomial, normal, pareto, poisson, skew_normal, student_t, uniform,
    von_mises, weibull_frechet,
};
use crate::rng::ChainRng;

/// The type of one argument in a Stan signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgType {
    /// `reals`: a real scalar or any real container (vectorised, broadcast).
    Reals,
    /// `ints`: an int scalar or int array (vectorised, broadcast).
    Ints,
    /// A real scalar only.
    Real,
    /// An int scalar only.
    Int,
    /// An int array.
    IntArray,
    /// A vector (column).
    Vector,
    /// A vector or an array of vectors.
    Vectors,
    /// A matrix.
    Matrix,
    /// A simplex (vector), or an array of simplexes where the family allows it.
    Simplex,
    /// An ordered vector.
    Ordered,
    /// The Cholesky factor of a correlation matrix.
    CholeskyFactorCorr,
    /// The Cholesky factor of a covariance matrix.
    CholeskyFactorCov,
    /// A correlation matrix.
    CorrMatrix,
    /// A covariance (symmetric positive-definite) matrix.
    CovMatrix,
}

/// One argument of a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgSpec {
    /// Name as Stan's documentation spells it.
    pub name: &'static str,
    /// Accepted types.
    pub ty: ArgType,
}

/// A log density or mass: `(ints, reals, propto, partials)`.
pub type DensityFn =
    fn(&[IntArg], &[Arg], bool, &mut [Option<&mut [f64]>]) -> Result<f64, DistError>;
/// A CDF, log CDF or log CCDF: `(ints, reals, partials)`.
pub type CdfFn = fn(&[IntArg], &[Arg], &mut [Option<&mut [f64]>]) -> Result<f64, DistError>;
/// The log density or mass of one element: `(ints, reals, keep, partials)` (see
/// [`Family::log_density`]).
pub type ElementFn = fn(&[i64], &[f64], &Keep, &mut [f64]) -> Result<f64, Violation>;
/// An RNG over the parameter arguments (outcome removed).
pub type RngFn = fn(&[IntArg], &[Arg], &mut ChainRng, &mut Vec<Outcome>) -> Result<(), DistError>;

/// Function pointers of a univariate family's broadcasting kernels.
#[derive(Debug, Clone, Copy)]
pub struct Kernels {
    /// `_lpdf` / `_lpmf` (and `_lupdf` / `_lupmf` with `propto = true`).
    pub density: DensityFn,
    /// The family's rule for one element, for calls whose arguments are all scalars.
    pub element: ElementFn,
    /// `_cdf`, `_lcdf`, `_lccdf`, when the family has them.
    pub cdfs: Option<[CdfFn; 3]>,
    /// `_rng`, when the family has one.
    pub rng: Option<RngFn>,
    /// The kernel's real argument names, in call order (see [`Family::REALS`]).
    pub reals: &'static [&'static str],
    /// The kernel's integer argument names, in call order (see [`Family::INTS`]).
    pub ints: &'static [&'static str],
}

/// How a family is evaluated.
#[derive(Debug, Clone, Copy)]
pub enum Evaluation {
    /// Through the generic kernel drivers (see [`Kernels`]).
    Univariate(Kernels),
    /// Through a dedicated function in the named module of `dist`.
    Dedicated(&'static str),
}

/// One family's entry.
#[derive(Debug, Clone, Copy)]
pub struct Descriptor {
    /// Stan name without suffix.
    pub name: &'static str,
    /// True for `_lpmf` (integer outcome), false for `_lpdf`.
    pub discrete: bool,
    /// Outcome first, then parameters, in Stan's order.
    pub args: &'static [ArgSpec],
    /// The outcome's support, in words.
    pub support: &'static str,
    /// Whether `_cdf`, `_lcdf` and `_lccdf` exist.
    pub has_cdf: bool,
    /// Whether `_rng` exists.
    pub has_rng: bool,
    /// How to evaluate it.
    pub eval: Evaluation,
}

const fn a(name: &'static str, ty: ArgType) -> ArgSpec {
    ArgSpec { name, ty }
}

fn rng_of<F: Sample>(
    ints: &[IntArg],
    reals: &[Arg],
    rng: &mut ChainRng,
    out: &mut Vec<Outcome>,
) -> Result<(), DistError> {
    kernel::sample::<F, ChainRng>(ints, reals, rng, out)
}

const fn full<F: Cdf + Sample>() -> Evaluation {
    Evaluation::Univariate(Kernels {
        density: kernel::log_density::<F>,
        element: F::log_density,
        cdfs: Some([kernel::cdf::<F>, kernel::lcdf::<F>, kernel::lccdf::<F>]),
        rng: Some(rng_of::<F>),
        reals: F::REALS,
        ints: F::INTS,
    })
}

const fn no_cdf<F: Family + Sample>() -> Evaluation {
    Evaluation::Univariate(Kernels {
        density: kernel::log_density::<F>,
        element: F::log_density,
        cdfs: None,
        rng: Some(rng_of::<F>),
        reals: F::REALS,
        ints: F::INTS,
    })
}

use ArgType::*;

const LOC_SCALE: &[ArgSpec] = &[a("y", Reals), a("mu", Reals), a("sigma", Reals)];
const SHAPE_SCALE: &[ArgSpec] = &[a("y", Reals), a("alpha", Reals), a("sigma", Reals)];
const SHAPE_RATE: &[ArgSpec] = &[a("y", Reals), a("alpha", Reals), a("beta", Reals)];

macro_rules! entry {
    ($name:literal, $disc:literal, $args:expr, $support:literal, $cdf:literal, $rng:literal, $eval:expr) => {
        Descriptor {
            name: $name,
            discrete: $disc,
            args: $args,
            support: $support,
            has_cdf: $cdf,
            has_rng: $rng,
            eval: $eval,
        }
    };
}

/// Every family the project supports: (name, discrete, signature,
/// support, has CDFs, has RNG, evaluation).
#[rustfmt::skip]
pub const DESCRIPTORS: &[Descriptor] = &[
    entry!("normal", false, LOC_SCALE,
           "real", true, true, full::<normal::Normal>()),
    entry!("std_normal", false, &[a("y", Reals)],
           "real", true, true, full::<normal::StdNormal>()),
    entry!("normal_id_glm", false, &[a("y", Reals), a("x", Matrix), a("alpha", Reals), a("beta", Vector), a("sigma", Reals)],
           "real", false, false, Evaluation::Dedicated("glm")),
    entry!("student_t", false, &[a("y", Reals), a("nu", Reals), a("mu", Reals), a("sigma", Reals)],
           "real", true, true, full::<student_t::StudentT>()),
    entry!("cauchy", false, LOC_SCALE,
           "real", true, true, full::<cauchy::Cauchy>()),
    entry!("double_exponential", false, LOC_SCALE,
           "real", true, true, full::<double_exponential::DoubleExponential>()),
    entry!("logistic", false, LOC_SCALE,
           "real", true, true, full::<logistic::Logistic>()),
    entry!("gumbel", false, &[a("y", Reals), a("mu", Reals), a("beta", Reals)],
           "real", true, true, full::<gumbel::Gumbel>()),
    entry!("skew_normal", false, &[a("y", Reals), a("xi", Reals), a("omega", Reals), a("alpha", Reals)],
           "real", true, true, full::<skew_normal::SkewNormal>()),
    entry!("lognormal", false, LOC_SCALE,
           "y >= 0 (y < 0 is an error)", true, true, full::<lognormal::LogNormal>()),
    entry!("exponential", false, &[a("y", Reals), a("beta", Reals)],
           "y >= 0 (y < 0 is an error)", true, true, full::<exponential::Exponential>()),
    entry!("gamma", false, SHAPE_RATE,
           "y >= 0 (y < 0 has density 0)", true, true, full::<gamma::Gamma>()),
    entry!("inv_gamma", false, SHAPE_RATE,
           "y > 0 (y <= 0 has density 0)", true, true, full::<gamma::InvGamma>()),
    entry!("weibull", false, SHAPE_SCALE,
           "y >= 0 (y < 0 has density 0)", true, true, full::<weibull_frechet::Weibull>()),
    entry!("frechet", false, SHAPE_SCALE,
           "y > 0 (y <= 0 is an error)", true, true, full::<weibull_frechet::Frechet>()),
    entry!("pareto", false, &[a("y", Reals), a("y_min", Reals), a("alpha", Reals)],
           "y >= y_min (below has density 0)", true, true, full::<pareto::Pareto>()),
    entry!("beta", false, &[a("theta", Reals), a("alpha", Reals), a("beta", Reals)],
           "[0, 1] (outside is an error)", true, true, full::<beta::Beta>()),
    entry!("beta_proportion", false, &[a("theta", Reals), a("mu", Reals), a("kappa", Reals)],
           "[0, 1] (outside is an error)", true, true, full::<beta::BetaProportion>()),
    entry!("uniform", false, &[a("y", Reals), a("alpha", Reals), a("beta", Reals)],
           "[alpha, beta] (outside has density 0)", true, true, full::<uniform::Uniform>()),
    entry!("chi_square", false, &[a("y", Reals), a("nu", Reals)],
           "y >= 0 (y < 0 is an error)", true, true, full::<chi_square::ChiSquare>()),
    entry!("inv_chi_square", false, &[a("y", Reals), a("nu", Reals)],
           "y > 0 (y <= 0 has density 0)", true, true, full::<chi_square::InvChiSquare>()),
    entry!("scaled_inv_chi_square", false, &[a("y", Reals), a("nu", Reals), a("s", Reals)],
           "y > 0 (y <= 0 has density 0)", true, true, full::<chi_square::ScaledInvChiSquare>()),
    entry!("von_mises", false, &[a("y", Reals), a("mu", Reals), a("kappa", Reals)],
           "real (finite)", true, true, full::<von_mises::VonMises>()),
    entry!("bernoulli", true, &[a("n", Ints), a("theta", Reals)],
           "{0, 1} (else an error)", true, true, full::<bernoulli::Bernoulli>()),
    entry!("bernoulli_logit", true, &[a("n", Ints), a("alpha", Reals)],
           "{0, 1} (else an error)", false, true, no_cdf::<bernoulli::BernoulliLogit>()),
    entry!("bernoulli_logit_glm", true, &[a("y", Ints), a("x", Matrix), a("alpha", Reals), a("beta", Vector)],
           "{0, 1} (else an error)", false, false, Evaluation::Dedicated("glm")),
    entry!("binomial", true, &[a("n", Ints), a("N", Ints), a("theta", Reals)],
           "0..=N (else an error)", true, true, full::<binomial::Binomial>()),
    entry!("binomial_logit", true, &[a("n", Ints), a("N", Ints), a("alpha", Reals)],
           "0..=N (else an error)", false, true, no_cdf::<binomial::BinomialLogit>()),
    entry!("binomial_logit_glm", true, &[a("n", Ints), a("N", Ints), a("x", Matrix), a("alpha", Reals), a("beta", Vector)],
           "0..=N (else an error)", false, false, Evaluation::Dedicated("glm")),
    entry!("beta_binomial", true, &[a("n", Ints), a("N", Ints), a("alpha", Reals), a("beta", Reals)],
           "0..=N (outside has mass 0)", true, true, full::<binomial::BetaBinomial>()),
    entry!("poisson", true, &[a("n", Ints), a("lambda", Reals)],
           "n >= 0 (else an error)", true, true, full::<poisson::Poisson>()),
    entry!("poisson_log", true, &[a("n", Ints), a("alpha", Reals)],
           "n >= 0 (else an error)", false, true, no_cdf::<poisson::PoissonLog>()),
    entry!("poisson_log_glm", true, &[a("y", Ints), a("x", Matrix), a("alpha", Reals), a("beta", Vector)],
           "n >= 0 (else an error)", false, false, Evaluation::Dedicated("glm")),
    entry!("neg_binomial", true, &[a("n", Ints), a("alpha", Reals), a("beta", Reals)],
           "n >= 0 (else an error)", true, true, full::<neg_binomial::NegBinomial>()),
    entry!("neg_binomial_2", true, &[a("n", Ints), a("mu", Reals), a("phi", Reals)],
           "n >= 0 (else an error)", true, true, full::<neg_binomial::NegBinomial2>()),
    entry!("neg_binomial_2_log", true, &[a("n", Ints), a("eta", Reals), a("phi", Reals)],
           "n >= 0 (else an error)", false, true, no_cdf::<neg_binomial::NegBinomial2Log>()),
    entry!("categorical", true, &[a("y", Ints), a("theta", Simplex)],
           "1..=K (else an error)", false, true, Evaluation::Dedicated("categorical")),
    entry!("categorical_logit", true, &[a("y", Ints), a("beta", Vector)],
           "1..=K (else an error)", false, true, Evaluation::Dedicated("categorical")),
    entry!("ordered_logistic", true, &[a("k", Ints), a("eta", Reals), a("c", Ordered)],
           "1..=K (else an error)", false, true, Evaluation::Dedicated("categorical")),
    entry!("ordered_probit", true, &[a("k", Ints), a("eta", Reals), a("c", Ordered)],
           "1..=K (else an error)", false, true, Evaluation::Dedicated("ordered")),
    entry!("multinomial", true, &[a("y", IntArray), a("theta", Simplex)],
           "counts (negative is an error)", false, true, Evaluation::Dedicated("categorical")),
    entry!("dirichlet", false, &[a("theta", Simplex), a("alpha", Vectors)],
           "simplex (else an error)", false, true, Evaluation::Dedicated("dirichlet")),
    entry!("multi_normal", false, &[a("y", Vectors), a("mu", Vectors), a("Sigma", CovMatrix)],
           "R^K", false, true, Evaluation::Dedicated("mvn")),
    entry!("multi_normal_cholesky", false, &[a("y", Vectors), a("mu", Vectors), a("L", CholeskyFactorCov)],
           "R^K", false, true, Evaluation::Dedicated("mvn")),
    entry!("multi_student_t", false, &[a("y", Vectors), a("nu", Real), a("mu", Vectors), a("Sigma", CovMatrix)],
           "R^K", false, true, Evaluation::Dedicated("multi_student_t")),
    entry!("multi_student_t_cholesky", false, &[a("y", Vectors), a("nu", Real), a("mu", Vectors), a("L", CholeskyFactorCov)],
           "R^K", false, true, Evaluation::Dedicated("cholesky_param")),
    entry!("lkj_corr", false, &[a("y", CorrMatrix), a("eta", Real)],
           "correlation matrices (else an error)", false, true, Evaluation::Dedicated("lkj")),
    entry!("lkj_corr_cholesky", false, &[a("L", CholeskyFactorCorr), a("eta", Real)],
           "Cholesky factors of correlation matrices (else an error)", false, true, Evaluation::Dedicated("lkj")),
    entry!("wishart", false, &[a("W", CovMatrix), a("nu", Real), a("Sigma", CovMatrix)],
           "SPD matrices (else an error)", false, true, Evaluation::Dedicated("wishart")),
    entry!("inv_wishart", false, &[a("W", CovMatrix), a("nu", Real), a("Sigma", CovMatrix)],
           "SPD matrices (else an error)", false, true, Evaluation::Dedicated("wishart")),
    entry!("wishart_cholesky", false, &[a("L_W", CholeskyFactorCov), a("nu", Real), a("L_S", CholeskyFactorCov)],
           "Cholesky factors (else an error)", false, true, Evaluation::Dedicated("cholesky_param")),
    entry!("inv_wishart_cholesky", false, &[a("L_W", CholeskyFactorCov), a("nu", Real), a("L_S", CholeskyFactorCov)],
           "Cholesky factors (else an error)", false, true, Evaluation::Dedicated("cholesky_param")),
];

/// The descriptor of the family `name` (no suffix), if it exists.
pub fn find(name: &str) -> Option<&'static Descriptor> {
    DESCRIPTORS.iter().find(|d| d.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signature table and the kernels agree on argument names, order, kinds and the
    /// available functions; names are unique.
    #[test]
    fn descriptors_agree_with_kernels() {
        for (i, d) in DESCRIPTORS.iter().enumerate() {
            assert!(
                DESCRIPTORS[..i].iter().all(|e| e.name != d.name),
                "duplicate {}",
                d.name
            );
            let Evaluation::Univariate(k) = d.eval else {
                continue;
            };
            let reals: Vec<&str> = d
                .args
                .iter()
                .filter(|a| a.ty == ArgType::Reals)
                .map(|a| a.name)
                .collect();
            let ints: Vec<&str> = d
                .args
                .iter()
                .filter(|a| a.ty == ArgType::Ints)
                .map(|a| a.name)
                .collect();
            assert_eq!(reals, k.reals, "{}", d.name);
            assert_eq!(ints, k.ints, "{}", d.name);
            assert_eq!(d.discrete, d.args[0].ty == ArgType::Ints, "{}", d.name);
            assert_eq!(d.has_cdf, k.cdfs.is_some(), "{}", d.name);
            assert_eq!(d.has_rng, k.rng.is_some(), "{}", d.name);
        }
        assert!(find("normal").is_some() && find("nonexistent").is_none());
    }
}
