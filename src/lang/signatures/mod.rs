//! Signatures of every built-in function and distribution, read from the one text table
//! in `table`, with Stan's overload resolution (fewest int→real promotions wins).

mod parse;
mod table;

use super::ast::BaseType;
use super::types::Type;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Most candidate signatures listed when a call matches none (issue 4: "the few closest
/// signatures, not the whole table"; three is hazel's choice).
pub const MAX_CANDIDATES: usize = 3;

/// Stable identifier of one signature: its position in the parsed table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SigId(pub u32);

/// What an argument position accepts (see the table's header for the spelling).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// This type, or the same shape with int in place of real.
    Exact(Type),
    /// real, vector, row_vector, array of real (int forms promote).
    Reals,
    /// int or array of int.
    Ints,
    /// vector, row_vector, or an array of either.
    Vectors,
    /// Any int/real-valued type: the argument of an element-wise function.
    Elementwise,
    /// Any type.
    Any,
    /// Any array type.
    AnyArray,
}

/// How the result type follows from the argument types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetKind {
    Fixed(Type),
    Void,
    /// Shape of the element-wise arguments, promoted to real.
    Elementwise,
    /// The type of the first argument.
    Same0,
    /// An array with this many more dimensions around the first argument's type.
    ArrayOf0(usize),
    /// One-dimensional array of the first argument's base (int stays int, else real).
    Flat0,
    /// `_rng` of a vectorised scalar distribution: a scalar of this base when every
    /// argument is a scalar, else a one-dimensional array of it.
    RngScalar(BaseType),
    /// `_rng` of a multivariate distribution: `vector`, or `array[] vector` when any
    /// argument is an array of vectors.
    RngVectors,
}

/// Which family a signature belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Function,
    /// `_lpdf`/`_lpmf` (normalised) or `_lupdf`/`_lupmf` (may drop constants).
    Density {
        pmf: bool,
        normalized: bool,
    },
    Cdf,
    Lcdf,
    Lccdf,
    Rng,
}

/// One overload of one built-in.
#[derive(Clone, Debug, PartialEq)]
pub struct Signature {
    pub id: SigId,
    /// Full callable name, e.g. `normal_lpdf`, `exp`.
    pub name: String,
    /// Distribution name without suffix (`normal`) for distribution families.
    pub distribution: Option<String>,
    pub family: Family,
    pub args: Vec<ArgKind>,
    pub ret: RetKind,
}

fn arg_word(a: ArgKind) -> String {
    match a {
        ArgKind::Exact(t) => t.to_string(),
        ArgKind::Reals => "reals".into(),
        ArgKind::Ints => "ints".into(),
        ArgKind::Vectors => "vectors".into(),
        ArgKind::Elementwise => "T".into(),
        ArgKind::Any => "any".into(),
        ArgKind::AnyArray => "array".into(),
    }
}

impl Signature {
    /// Stable text key, e.g. `normal_lpdf(reals, reals, reals)`.
    pub fn key(&self) -> String {
        let args: Vec<String> = self.args.iter().map(|a| arg_word(*a)).collect();
        format!("{}({})", self.name, args.join(", "))
    }

    /// How the signature reads in messages (`real normal_lpdf(reals | reals, reals)`).
    pub fn display(&self) -> String {
        let args: Vec<String> = self.args.iter().map(|a| arg_word(*a)).collect();
        let conditional = matches!(
            self.family,
            Family::Density { .. } | Family::Cdf | Family::Lcdf | Family::Lccdf
        );
        let list = if conditional && !args.is_empty() {
            let rest = args[1..].join(", ");
            if rest.is_empty() {
                format!("{} |", args[0])
            } else {
                format!("{} | {rest}", args[0])
            }
        } else {
            args.join(", ")
        };
        let ret = match self.ret {
            RetKind::Fixed(t) => t.to_string(),
            RetKind::Void => "void".into(),
            RetKind::Elementwise => "R".into(),
            RetKind::Same0 | RetKind::ArrayOf0(_) | RetKind::Flat0 => "T".into(),
            RetKind::RngScalar(b) => format!("{} or array", super::pretty::base_word(b)),
            RetKind::RngVectors => "vectors".into(),
        };
        format!("{ret} {}({list})", self.name)
    }

    /// Cost of passing `args` (number of promotions) or `None` if they do not fit.
    pub fn match_cost(&self, args: &[Type]) -> Option<u32> {
        if args.len() != self.args.len() {
            return None;
        }
        let mut cost = 0;
        for (k, t) in self.args.iter().zip(args) {
            cost += arg_cost(*k, *t)?;
        }
        self.result(args).map(|_| cost)
    }

    /// The result type for these (matching) argument types; `None` for a void function
    /// or when element-wise arguments disagree in shape.
    pub fn result(&self, args: &[Type]) -> Option<Type> {
        let first = args.first().copied();
        match self.ret {
            RetKind::Fixed(t) => Some(t),
            RetKind::Void => None,
            RetKind::Elementwise => {
                let mut shape: Option<Type> = None;
                for (k, t) in self.args.iter().zip(args) {
                    if *k == ArgKind::Elementwise && !t.is_scalar() {
                        match shape {
                            Some(s) if s != t.promoted() => return None,
                            _ => shape = Some(t.promoted()),
                        }
                    }
                }
                Some(shape.unwrap_or(Type::REAL))
            }
            RetKind::Same0 => first,
            RetKind::ArrayOf0(k) => first.map(|t| Type::array(t.base, t.dims + k)),
            RetKind::Flat0 => first.map(|t| {
                Type::array(
                    if t.is_int_based() {
                        BaseType::Int
                    } else {
                        BaseType::Real
                    },
                    1,
                )
            }),
            RetKind::RngScalar(b) => Some(if args.iter().all(|t| t.is_scalar()) {
                Type::scalar(b)
            } else {
                Type::array(b, 1)
            }),
            RetKind::RngVectors => Some(
                if args
                    .iter()
                    .any(|t| t.dims > 0 && t.base != BaseType::Real && t.base != BaseType::Int)
                {
                    Type::array(BaseType::Vector, 1)
                } else {
                    Type::VECTOR
                },
            ),
        }
    }
}

/// Cost of one argument: 0 exact, 1 with an int→real promotion.
fn arg_cost(k: ArgKind, t: Type) -> Option<u32> {
    use BaseType::*;
    let promo = u32::from(t.is_int_based());
    match k {
        ArgKind::Exact(e) if e == t => Some(0),
        ArgKind::Exact(e) => e.accepts(t).then_some(1),
        ArgKind::Reals => match (t.base, t.dims) {
            (Real | Vector | RowVector, 0) | (Real, 1) => Some(0),
            (Int, 0 | 1) => Some(1),
            _ => None,
        },
        ArgKind::Ints => (t.base == Int && t.dims <= 1).then_some(0),
        ArgKind::Vectors => (matches!(t.base, Vector | RowVector) && t.dims <= 1).then_some(0),
        ArgKind::Elementwise => Some(promo),
        ArgKind::Any => Some(0),
        ArgKind::AnyArray => (t.dims > 0).then_some(0),
    }
}

/// All signatures, indexed by name.
pub struct Registry {
    sigs: Vec<Signature>,
    by_name: HashMap<String, Vec<SigId>>,
    distributions: Vec<String>,
}

/// The parsed table (built once).
pub fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(Registry::build)
}

/// Result of looking a call up.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    /// The chosen overload and its result type (`None` for void).
    Found(SigId, Option<Type>),
    UnknownName,
    /// No overload fits; the closest few, best first.
    NoMatch(Vec<SigId>),
}

impl Registry {
    fn add(
        &mut self,
        name: &str,
        distribution: Option<String>,
        family: Family,
        args: Vec<ArgKind>,
        ret: RetKind,
    ) {
        let id = SigId(self.sigs.len() as u32);
        self.sigs.push(Signature {
            id,
            name: name.to_string(),
            distribution,
            family,
            args,
            ret,
        });
        self.by_name.entry(name.to_string()).or_default().push(id);
    }

    pub fn get(&self, id: SigId) -> &Signature {
        &self.sigs[id.0 as usize]
    }

    pub fn all(&self) -> &[Signature] {
        &self.sigs
    }

    pub fn overloads(&self, name: &str) -> &[SigId] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Every callable name (for suggestions).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// Distribution names without suffix (`normal`, `poisson`, …).
    pub fn distributions(&self) -> &[String] {
        &self.distributions
    }

    /// Picks the overload of `name` that accepts `args` with the fewest promotions.
    pub fn resolve(&self, name: &str, args: &[Type]) -> Resolution {
        let ids = self.overloads(name);
        if ids.is_empty() {
            return Resolution::UnknownName;
        }
        let best = ids
            .iter()
            .filter_map(|id| self.get(*id).match_cost(args).map(|c| (c, *id)))
            .min_by_key(|(c, id)| (*c, *id));
        match best {
            Some((_, id)) => Resolution::Found(id, self.get(id).result(args)),
            None => Resolution::NoMatch(rank_candidates(ids.iter().map(|id| self.get(*id)), args)),
        }
    }
}

/// The closest few signatures to a failed call: most fitting arguments, then nearest arity.
pub fn rank_candidates<'a>(sigs: impl Iterator<Item = &'a Signature>, args: &[Type]) -> Vec<SigId> {
    let mut scored: Vec<(i64, SigId)> = sigs
        .map(|s| {
            let fits = s
                .args
                .iter()
                .zip(args)
                .filter(|(k, t)| arg_cost(**k, **t).is_some())
                .count() as i64;
            let arity_gap = (s.args.len() as i64 - args.len() as i64).abs();
            (-(fits * 4) + arity_gap, s.id)
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(MAX_CANDIDATES)
        .map(|(_, id)| id)
        .collect()
}

/// Stan functions outside hazel's subset, with the construct named in the refusal.
pub const UNSUPPORTED_FUNCTIONS: &[(&str, &str)] = &[
    ("ode_rk45", "ODE solvers"),
    ("ode_rk45_tol", "ODE solvers"),
    ("ode_bdf", "ODE solvers"),
    ("ode_bdf_tol", "ODE solvers"),
    ("ode_adams", "ODE solvers"),
    ("ode_adams_tol", "ODE solvers"),
    ("ode_ckrk", "ODE solvers"),
    ("ode_ckrk_tol", "ODE solvers"),
    ("ode_adjoint_tol_ctl", "ODE solvers"),
    ("integrate_ode_rk45", "ODE solvers"),
    ("integrate_ode_bdf", "ODE solvers"),
    ("integrate_ode_adams", "ODE solvers"),
    ("dae", "DAE solvers"),
    ("dae_tol", "DAE solvers"),
    ("algebra_solver", "algebraic solvers"),
    ("algebra_solver_newton", "algebraic solvers"),
    ("solve_newton", "algebraic solvers"),
    ("solve_newton_tol", "algebraic solvers"),
    ("solve_powell", "algebraic solvers"),
    ("solve_powell_tol", "algebraic solvers"),
    ("integrate_1d", "1-D integration (integrate_1d)"),
    ("map_rect", "map_rect parallelism"),
    ("reduce_sum", "reduce_sum parallelism"),
    ("reduce_sum_static", "reduce_sum parallelism"),
    ("to_complex", "complex numbers"),
    ("get_real", "complex numbers"),
    ("get_imag", "complex numbers"),
    ("fft", "complex numbers (FFT)"),
    ("inv_fft", "complex numbers (FFT)"),
    ("fft2", "complex numbers (FFT)"),
    ("inv_fft2", "complex numbers (FFT)"),
    (
        "eigenvalues",
        "complex numbers (non-symmetric eigendecomposition)",
    ),
    (
        "eigenvectors",
        "complex numbers (non-symmetric eigendecomposition)",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses_and_names_are_unique_per_signature() {
        let reg = registry();
        assert!(reg.all().len() > 300);
        let mut keys: Vec<String> = reg.all().iter().map(Signature::key).collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n, "duplicate signatures in the table");
    }

    #[test]
    fn issue_five_names_are_present() {
        let reg = registry();
        for name in [
            "normal_lpdf",
            "normal_id_glm_lpdf",
            "bernoulli_logit_glm_lpmf",
            "poisson_log_glm_lpmf",
            "von_mises_lpdf",
            "lkj_corr_cholesky_lpdf",
            "inv_wishart_lpdf",
            "hmm_marginal",
            "gp_periodic_cov",
            "sort_desc",
            "rank",
            "one_hot_vector",
            "normal_lcdf",
            "poisson_rng",
        ] {
            assert!(reg.contains(name), "{name} missing");
        }
    }

    #[test]
    fn resolution_prefers_fewest_promotions() {
        let reg = registry();
        let Resolution::Found(id, Some(t)) = reg.resolve("abs", &[Type::INT]) else {
            panic!()
        };
        assert_eq!(t, Type::INT);
        assert_eq!(reg.get(id).key(), "abs(int)");
        assert_eq!(
            reg.resolve("exp", &[Type::VECTOR]),
            Resolution::Found(reg.overloads("exp")[0], Some(Type::VECTOR))
        );
        let Resolution::Found(_, Some(t)) = reg.resolve("pow", &[Type::VECTOR, Type::INT]) else {
            panic!()
        };
        assert_eq!(t, Type::VECTOR);
        assert!(matches!(
            reg.resolve("pow", &[Type::VECTOR, Type::ROW_VECTOR]),
            Resolution::NoMatch(_)
        ));
        let Resolution::Found(_, Some(t)) = reg.resolve("normal_rng", &[Type::VECTOR, Type::REAL])
        else {
            panic!()
        };
        assert_eq!(t, Type::array(BaseType::Real, 1));
        assert_eq!(reg.resolve("nope", &[]), Resolution::UnknownName);
    }

    #[test]
    fn mismatches_list_a_few_candidates() {
        let reg = registry();
        let Resolution::NoMatch(c) = reg.resolve("dot_product", &[Type::MATRIX, Type::VECTOR])
        else {
            panic!()
        };
        assert!(!c.is_empty() && c.len() <= MAX_CANDIDATES);
    }
}
