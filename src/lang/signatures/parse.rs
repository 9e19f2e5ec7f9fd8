//! Reading the text table of [`super::table`] into signatures.

use super::{ArgKind, Family, Registry, RetKind, table};
use crate::lang::ast::BaseType;
use crate::lang::types::Type;
use std::collections::HashMap;

fn parse_type(w: &str) -> Option<Type> {
    let (base_word, dims) = match w.find('[') {
        Some(i) => (&w[..i], w[i..].matches(',').count() + 1),
        None => (w, 0),
    };
    let base = match base_word {
        "int" => BaseType::Int,
        "real" => BaseType::Real,
        "vector" => BaseType::Vector,
        "row_vector" => BaseType::RowVector,
        "matrix" => BaseType::Matrix,
        _ => return None,
    };
    Some(Type::array(base, dims))
}

fn parse_arg(w: &str) -> ArgKind {
    match w {
        "reals" => ArgKind::Reals,
        "ints" => ArgKind::Ints,
        "vectors" => ArgKind::Vectors,
        "T" => ArgKind::Elementwise,
        "any" => ArgKind::Any,
        "array" => ArgKind::AnyArray,
        other => ArgKind::Exact(
            parse_type(other).unwrap_or_else(|| panic!("signature table: bad argument `{other}`")),
        ),
    }
}

fn parse_ret(w: &str) -> RetKind {
    match w {
        "void" => RetKind::Void,
        "R" => RetKind::Elementwise,
        "same0" => RetKind::Same0,
        "flat0" => RetKind::Flat0,
        "arr0_1" => RetKind::ArrayOf0(1),
        "arr0_2" => RetKind::ArrayOf0(2),
        "arr0_3" => RetKind::ArrayOf0(3),
        other => RetKind::Fixed(
            parse_type(other).unwrap_or_else(|| panic!("signature table: bad return `{other}`")),
        ),
    }
}

fn split_args(s: &str) -> Vec<ArgKind> {
    s.split(", ")
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(parse_arg)
        .collect()
}

impl Registry {
    /// Parses the table. The table is a compile-time constant checked by the unit tests,
    /// so a malformed line is a programming error caught by `cargo test`, never user input.
    pub(super) fn build() -> Registry {
        let mut reg = Registry {
            sigs: Vec::new(),
            by_name: HashMap::new(),
            distributions: Vec::new(),
        };
        for line in table::FUNCTIONS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let (ret, rest) = line
                .split_once(' ')
                .expect("signature table: `RET NAME(ARGS)`");
            let (name, args) = rest.split_once('(').expect("signature table: missing `(`");
            let args = split_args(args.trim_end_matches(')'));
            let family = if name.ends_with("_rng") {
                Family::Rng
            } else {
                Family::Function
            };
            reg.add(name, None, family, args, parse_ret(ret));
        }
        for line in table::DISTRIBUTIONS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let (kind, rest) = line
                .split_once(' ')
                .expect("distribution table: `lpdf NAME(…)`");
            let (name, rest) = rest
                .split_once('(')
                .expect("distribution table: missing `(`");
            let (inside, flags) = rest
                .split_once(')')
                .expect("distribution table: missing `)`");
            let (variate, params) = inside
                .split_once('|')
                .expect("distribution table: missing `|`");
            let variate = parse_arg(variate.trim());
            let params = split_args(params);
            let pmf = kind == "lpmf";
            let mut all = vec![variate];
            all.extend(params.iter().copied());
            let dist = Some(name.to_string());
            let real = RetKind::Fixed(Type::REAL);
            let (lp, lup) = if pmf {
                ("lpmf", "lupmf")
            } else {
                ("lpdf", "lupdf")
            };
            reg.add(
                &format!("{name}_{lp}"),
                dist.clone(),
                Family::Density {
                    pmf,
                    normalized: true,
                },
                all.clone(),
                real,
            );
            reg.add(
                &format!("{name}_{lup}"),
                dist.clone(),
                Family::Density {
                    pmf,
                    normalized: false,
                },
                all.clone(),
                real,
            );
            if flags.contains("cdf") {
                for (suffix, fam) in [
                    ("cdf", Family::Cdf),
                    ("lcdf", Family::Lcdf),
                    ("lccdf", Family::Lccdf),
                ] {
                    reg.add(
                        &format!("{name}_{suffix}"),
                        dist.clone(),
                        fam,
                        all.clone(),
                        real,
                    );
                }
            }
            if flags.contains("rng") {
                let ret = match variate {
                    ArgKind::Reals => RetKind::RngScalar(BaseType::Real),
                    ArgKind::Ints => RetKind::RngScalar(BaseType::Int),
                    ArgKind::Vectors => RetKind::RngVectors,
                    ArgKind::Exact(t) => RetKind::Fixed(t),
                    other => panic!("distribution table: no rng rule for {other:?}"),
                };
                reg.add(
                    &format!("{name}_rng"),
                    dist.clone(),
                    Family::Rng,
                    params,
                    ret,
                );
            }
            if !reg.distributions.iter().any(|d| d == name) {
                reg.distributions.push(name.to_string());
            }
        }
        reg
    }
}
