//! Univariate families through the descriptor table: values against independent
//! references, partials against central finite differences in every broadcasting form,
//! `propto` dropping exactly the constant terms, CDFs, errors, and RNG distributions.

mod dist_common;

use dist_common::{gen_element, reference_cdf, reference_lpdf};
use hazel::dist::descriptor::{DESCRIPTORS, Descriptor, Evaluation, Kernels};
use hazel::dist::{Arg, DistError, IntArg};
use hazel::rng::chain_rng;
use proptest::prelude::*;
use rand::RngExt;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

type TestRng = Xoshiro256PlusPlus;

fn univariate() -> impl Iterator<Item = (&'static Descriptor, Kernels)> {
    DESCRIPTORS.iter().filter_map(|d| match d.eval {
        Evaluation::Univariate(k) => Some((d, k)),
        Evaluation::Dedicated(_) => None,
    })
}

/// An owned call: each argument a scalar or a vector.
#[derive(Clone, Debug)]
struct Call {
    ints: Vec<Result<i64, Vec<i64>>>,
    reals: Vec<Result<f64, Vec<f64>>>,
}

impl Call {
    fn int_args(&self) -> Vec<IntArg<'_>> {
        self.ints
            .iter()
            .map(|a| match a {
                Ok(v) => IntArg::Scalar(*v),
                Err(v) => IntArg::Vector(v),
            })
            .collect()
    }
    fn real_args(&self) -> Vec<Arg<'_>> {
        self.reals
            .iter()
            .map(|a| match a {
                Ok(v) => Arg::Scalar(*v),
                Err(v) => Arg::Vector(v),
            })
            .collect()
    }
    fn value(
        &self,
        f: impl Fn(&[IntArg], &[Arg], &mut [Option<&mut [f64]>]) -> Result<f64, DistError>,
    ) -> f64 {
        let mut none: Vec<Option<&mut [f64]>> = self.reals.iter().map(|_| None).collect();
        f(&self.int_args(), &self.real_args(), &mut none).expect("valid call")
    }
    /// Partials with every argument marked varying.
    fn partials(
        &self,
        f: impl Fn(&[IntArg], &[Arg], &mut [Option<&mut [f64]>]) -> Result<f64, DistError>,
    ) -> Vec<Vec<f64>> {
        let mut bufs: Vec<Vec<f64>> = self
            .reals
            .iter()
            .map(|a| vec![0.0; a.as_ref().map_or_else(|v| v.len(), |_| 1)])
            .collect();
        let mut views: Vec<Option<&mut [f64]>> =
            bufs.iter_mut().map(|b| Some(b.as_mut_slice())).collect();
        f(&self.int_args(), &self.real_args(), &mut views).expect("valid call");
        bufs
    }
}

/// A valid call of family `name` with `len` elements; each argument is a scalar or a
/// vector as `vector_mask` says (bit j for real j, bit 8+j for int j).
fn gen_call(name: &str, eval: &Kernels, len: usize, vector_mask: u32, rng: &mut TestRng) -> Call {
    for _ in 0..1000 {
        let elems: Vec<_> = (0..len).map(|_| gen_element(name, rng)).collect();
        let (ni, nr) = (elems[0].0.len(), elems[0].1.len());
        let ints = (0..ni)
            .map(|j| {
                if vector_mask & (1 << (8 + j)) != 0 {
                    Err(elems.iter().map(|e| e.0[j]).collect())
                } else {
                    Ok(elems[0].0[j])
                }
            })
            .collect();
        let reals = (0..nr)
            .map(|j| {
                if vector_mask & (1 << j) != 0 {
                    Err(elems.iter().map(|e| e.1[j]).collect())
                } else {
                    Ok(elems[0].1[j])
                }
            })
            .collect();
        let call = Call { ints, reals };
        let mut none: Vec<Option<&mut [f64]>> = call.reals.iter().map(|_| None).collect();
        if let Ok(v) = (eval.density)(&call.int_args(), &call.real_args(), false, &mut none)
            && v.is_finite()
        {
            return call;
        }
    }
    panic!("could not generate a valid call for {name}");
}

/// Central finite differences of `f` in every real coordinate of `call`, each with the
/// rounding noise of the difference quotient (a few ulps of |f| divided by the step), which
/// matters when other elements make the summed value large.
fn finite_differences(call: &Call, f: &dyn Fn(&Call) -> f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    for j in 0..call.reals.len() {
        let n = call.reals[j].as_ref().map_or_else(|v| v.len(), |_| 1);
        let mut col = Vec::with_capacity(n);
        for i in 0..n {
            let shift = |delta: f64| {
                let mut c = call.clone();
                match &mut c.reals[j] {
                    Ok(v) => *v += delta,
                    Err(v) => v[i] += delta,
                }
                f(&c)
            };
            let x = call.reals[j].as_ref().map_or_else(|v| v[i], |v| *v);
            let h = 1e-6 * x.abs().max(0.1);
            let (up, down) = (shift(h), shift(-h));
            let noise = 8.0 * f64::EPSILON * up.abs().max(down.abs()) / h;
            col.push(((up - down) / (2.0 * h), noise));
        }
        out.push(col);
    }
    out
}

fn assert_close_grad(label: &str, analytic: &[Vec<f64>], numeric: &[Vec<(f64, f64)>]) {
    for (j, (a, n)) in analytic.iter().zip(numeric).enumerate() {
        for (i, (x, (y, noise))) in a.iter().zip(n).enumerate() {
            let tol = 1e-5 * x.abs().max(y.abs()).max(1.0) + noise;
            assert!(
                (x - y).abs() <= tol,
                "{label}: partial of real arg {j}[{i}]: analytic {x}, numeric {y}"
            );
        }
    }
}

#[test]
fn densities_match_independent_references() {
    let mut rng = TestRng::seed_from_u64(11);
    for (d, k) in univariate() {
        for _ in 0..40 {
            let call = gen_call(d.name, &k, 1, 0, &mut rng);
            let got = call.value(|i, r, p| (k.density)(i, r, false, p));
            let ints: Vec<i64> = call.ints.iter().map(|a| *a.as_ref().unwrap()).collect();
            let reals: Vec<f64> = call.reals.iter().map(|a| *a.as_ref().unwrap()).collect();
            let want = reference_lpdf(d.name, &ints, &reals);
            assert!(
                (got - want).abs() <= 1e-8 * want.abs().max(1.0),
                "{}{:?}{:?}: {got} vs {want}",
                d.name,
                ints,
                reals
            );
        }
    }
}

#[test]
fn cdfs_match_independent_references() {
    let mut rng = TestRng::seed_from_u64(12);
    for (d, k) in univariate() {
        let Some([cdf, lcdf, lccdf]) = k.cdfs else {
            continue;
        };
        for _ in 0..40 {
            let call = gen_call(d.name, &k, 1, 0, &mut rng);
            let ints: Vec<i64> = call.ints.iter().map(|a| *a.as_ref().unwrap()).collect();
            let reals: Vec<f64> = call.reals.iter().map(|a| *a.as_ref().unwrap()).collect();
            let p = reference_cdf(d.name, &ints, &reals);
            if !(1e-10..1.0 - 1e-10).contains(&p) {
                continue;
            }
            let label = format!("{}{:?}{:?}", d.name, ints, reals);
            let tol = 1e-7;
            assert!((call.value(cdf) - p).abs() <= tol, "{label} cdf");
            assert!((call.value(lcdf) - p.ln()).abs() <= tol / p, "{label} lcdf");
            assert!(
                (call.value(lccdf) - (1.0 - p).ln()).abs() <= tol / (1.0 - p),
                "{label} lccdf"
            );
        }
    }
}

#[test]
fn vectorised_value_is_the_sum_of_scalar_values() {
    let mut rng = TestRng::seed_from_u64(13);
    for (d, k) in univariate() {
        let call = gen_call(d.name, &k, 4, u32::MAX, &mut rng);
        let total = call.value(|i, r, p| (k.density)(i, r, false, p));
        let mut sum = 0.0;
        for e in 0..4 {
            let single = Call {
                ints: call
                    .ints
                    .iter()
                    .map(|a| Ok(a.as_ref().unwrap_err()[e]))
                    .collect(),
                reals: call
                    .reals
                    .iter()
                    .map(|a| Ok(a.as_ref().unwrap_err()[e]))
                    .collect(),
            };
            sum += single.value(|i, r, p| (k.density)(i, r, false, p));
        }
        assert!(
            (total - sum).abs() < 1e-10 * sum.abs().max(1.0),
            "{}",
            d.name
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        // A fixed seed keeps CI reproducible; the suite was also run with 1,500 random cases.
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5eed_d157),
        ..ProptestConfig::default()
    })]

    /// Every partial of every density and CDF against central differences, with each
    /// argument randomly a scalar (broadcast, partials summed) or a vector.
    #[test]
    fn partials_match_finite_differences(seed in any::<u64>(), mask in any::<u32>()) {
        let mut rng = TestRng::seed_from_u64(seed);
        for (d, k) in univariate() {
            let call = gen_call(d.name, &k, 3, mask, &mut rng);
            let density = |c: &Call| c.value(|i, r, p| (k.density)(i, r, false, p));
            let analytic = call.partials(|i, r, p| (k.density)(i, r, false, p));
            assert_close_grad(&format!("{}_lpdf {:?}", d.name, call), &analytic, &finite_differences(&call, &density));
            if let Some(fns) = k.cdfs {
                for (f, which) in fns.iter().zip(["cdf", "lcdf", "lccdf"]) {
                    let v = call.value(f);
                    if !v.is_finite() || (which == "cdf" && v < 1e-12) {
                        continue;
                    }
                    let analytic = call.partials(f);
                    let numeric = finite_differences(&call, &|c: &Call| c.value(f));
                    assert_close_grad(&format!("{}_{which} {:?}", d.name, call), &analytic, &numeric);
                }
            }
        }
    }

    /// With `propto`, full minus dropped-terms value depends only on the constant
    /// arguments, and the partials of the varying arguments are unchanged.
    #[test]
    fn propto_drops_exactly_the_constant_terms(seed in any::<u64>(), constant_mask in any::<u8>()) {
        let mut rng = TestRng::seed_from_u64(seed);
        for (d, k) in univariate() {
            let a = gen_call(d.name, &k, 1, 0, &mut rng);
            let nr = a.reals.len();
            let is_const = |j: usize| constant_mask & (1 << j) != 0;
            // A second point sharing the constant arguments' values.
            let b = loop {
                let mut b = gen_call(d.name, &k, 1, 0, &mut rng);
                b.ints = a.ints.clone();
                for j in (0..nr).filter(|&j| is_const(j)) {
                    b.reals[j] = a.reals[j].clone();
                }
                let mut none: Vec<Option<&mut [f64]>> = (0..nr).map(|_| None).collect();
                if (k.density)(&b.int_args(), &b.real_args(), false, &mut none).is_ok_and(f64::is_finite) {
                    break b;
                }
            };
            let split = |c: &Call| {
                let full = c.value(|i, r, p| (k.density)(i, r, false, p));
                let mut bufs: Vec<Vec<f64>> = (0..nr).map(|_| vec![0.0]).collect();
                let mut views: Vec<Option<&mut [f64]>> = bufs
                    .iter_mut()
                    .enumerate()
                    .map(|(j, b)| (!is_const(j)).then_some(b.as_mut_slice()))
                    .collect();
                let part = (k.density)(&c.int_args(), &c.real_args(), true, &mut views).unwrap();
                (full - part, part, bufs)
            };
            let (da, pa, grads) = split(&a);
            let (db, _, _) = split(&b);
            prop_assert!((da - db).abs() < 1e-9 * da.abs().max(1.0), "{}: dropped {} at a, {} at b", d.name, da, db);
            if (0..nr).all(is_const) {
                prop_assert_eq!(pa, 0.0, "{}: all-constant propto must be 0", d.name);
            }
            let full = a.partials(|i, r, p| (k.density)(i, r, false, p));
            for j in (0..nr).filter(|&j| !is_const(j)) {
                prop_assert!((full[j][0] - grads[j][0]).abs() < 1e-12 * full[j][0].abs().max(1.0), "{}", d.name);
            }
        }
    }
}

#[test]
fn propto_drops_the_normal_constants_exactly() {
    let normal = hazel::dist::log_density::<hazel::dist::normal::Normal>;
    let (y, mu, sigma) = (0.3, -0.2, 1.7);
    let reals = [Arg::Scalar(y), Arg::Scalar(mu), Arg::Scalar(sigma)];
    let full = normal(&[], &reals, false, &mut [None, None, None]).unwrap();
    let mut dmu = [0.0];
    let part = normal(&[], &reals, true, &mut [None, Some(&mut dmu), None]).unwrap();
    let dropped = sigma.ln() + 0.5 * (2.0 * std::f64::consts::PI).ln();
    assert!((full - part - -dropped).abs() < 1e-14);
}

#[test]
fn explicit_keep_gives_propto_values_without_partials() {
    use hazel::dist::{Keep, log_density_with, normal::Normal};
    let reals = [Arg::Scalar(0.3), Arg::Scalar(-0.2), Arg::Scalar(1.7)];
    let mut dmu = [0.0];
    let with_partial =
        hazel::dist::log_density::<Normal>(&[], &reals, true, &mut [None, Some(&mut dmu), None])
            .unwrap();
    let keep = Keep::new(true, &[false, true, false]);
    let without = log_density_with::<Normal>(&[], &reals, keep, &mut [None, None, None]).unwrap();
    assert_eq!(with_partial, without);
}

#[test]
fn errors_name_the_function_argument_and_element() {
    let normal = hazel::dist::log_density::<hazel::dist::normal::Normal>;
    let sigma = [1.0, -2.0];
    let err = normal(
        &[],
        &[Arg::Scalar(0.0), Arg::Scalar(0.0), Arg::Vector(&sigma)],
        false,
        &mut [None, None, None],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "normal_lpdf: sigma[2] is -2, but must be positive finite"
    );
    let y = [1.0, 2.0, 3.0];
    let err = normal(
        &[],
        &[Arg::Vector(&y), Arg::Scalar(0.0), Arg::Vector(&sigma)],
        false,
        &mut [None, None, None],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "normal_lpdf: size of sigma (2) does not match size of y (3)"
    );
    let poisson = hazel::dist::log_density::<hazel::dist::poisson::Poisson>;
    let err = poisson(
        &[IntArg::Scalar(-1)],
        &[Arg::Scalar(1.0)],
        false,
        &mut [None],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "poisson_lpmf: n is -1, but must be nonnegative"
    );
    let mut short = [0.0; 1];
    let err = normal(
        &[],
        &[Arg::Vector(&y), Arg::Scalar(0.0), Arg::Scalar(1.0)],
        false,
        &mut [Some(&mut short), None, None],
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("partial buffer has length 1, expected 3"),
        "{err}"
    );
}

#[test]
fn empty_containers_give_zero() {
    let normal = hazel::dist::log_density::<hazel::dist::normal::Normal>;
    let v = normal(
        &[],
        &[Arg::Vector(&[]), Arg::Scalar(0.0), Arg::Scalar(-1.0)],
        false,
        &mut [None, None, None],
    );
    assert_eq!(v, Ok(0.0));
}

/// RNG draws checked against the family's own CDF at the sample quartiles (families with
/// a CDF), or against the known mean (others), within 4.5 Monte Carlo standard errors.
#[test]
fn rng_draws_follow_the_distribution() {
    const DRAWS: usize = 20_000;
    const Z: f64 = 4.5;
    let mut params_rng = TestRng::seed_from_u64(14);
    for (d, k) in univariate() {
        let Some(rng_fn) = k.rng else { continue };
        if d.name.contains("inv_chi_square") {
            continue; // means need nu > 2: see inverse_chi_square_rngs_have_their_means
        }
        let call = gen_call(d.name, &k, 1, 0, &mut params_rng);
        let (int_params, real_params) = if d.discrete {
            (call.int_args()[1..].to_vec(), call.real_args())
        } else {
            (call.int_args(), call.real_args()[1..].to_vec())
        };
        let mut rng = chain_rng(99, 0);
        let mut out = Vec::new();
        for _ in 0..DRAWS {
            rng_fn(&int_params, &real_params, &mut rng, &mut out).unwrap();
        }
        let draws: Vec<f64> = out.iter().map(|o| o.as_f64()).collect();
        let label = format!("{} {:?}", d.name, call);
        if let Some([cdf, _, _]) = k.cdfs {
            let mut sorted = draws.clone();
            sorted.sort_by(f64::total_cmp);
            for q in [0.25, 0.5, 0.75] {
                let at = sorted[(q * DRAWS as f64) as usize];
                let mut c = call.clone();
                if d.discrete {
                    c.ints[0] = Ok(at as i64);
                } else {
                    c.reals[0] = Ok(at);
                }
                let p = c.value(cdf);
                let frac = draws.iter().filter(|v| **v <= at).count() as f64 / DRAWS as f64;
                let mcse = (p * (1.0 - p) / DRAWS as f64).sqrt();
                assert!(
                    (frac - p).abs() <= Z * mcse + 1e-12,
                    "{label}: P(Y <= {at}) = {p}, sample {frac}"
                );
            }
        } else {
            let want = known_mean(d.name, &call);
            let mean = draws.iter().sum::<f64>() / DRAWS as f64;
            let var = draws.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (DRAWS - 1) as f64;
            let mcse = (var / DRAWS as f64).sqrt();
            assert!(
                (mean - want).abs() <= Z * mcse,
                "{label}: mean {mean}, expected {want} (mcse {mcse})"
            );
        }
    }
}

/// Means of the families without a CDF, as functions of the generated parameters.
fn known_mean(name: &str, call: &Call) -> f64 {
    let x: Vec<f64> = call.reals.iter().map(|a| *a.as_ref().unwrap()).collect();
    let n: Vec<i64> = call.ints.iter().map(|a| *a.as_ref().unwrap()).collect();
    let il = dist_common::inv_logit;
    match name {
        "skew_normal" => {
            let delta = x[3] / (1.0 + x[3] * x[3]).sqrt();
            x[1] + x[2] * delta * (2.0 / std::f64::consts::PI).sqrt()
        }
        "beta_proportion" => x[1],
        "von_mises" => x[1],
        "bernoulli" => x[0],
        "bernoulli_logit" => il(x[0]),
        "binomial_logit" => n[1] as f64 * il(x[0]),
        "beta_binomial" => n[1] as f64 * x[0] / (x[0] + x[1]),
        "poisson_log" => x[0].exp(),
        "neg_binomial" => x[0] / x[1],
        "neg_binomial_2_log" => x[0].exp(),
        other => panic!("no known mean for {other}"),
    }
}

#[test]
fn inverse_chi_square_rngs_have_their_means() {
    // The generic test above draws nu in (0.3, 4), where these means may not exist.
    let mut rng = chain_rng(5, 0);
    for (name, params, mean) in [
        ("inv_chi_square", vec![7.0], 1.0 / 5.0),
        ("scaled_inv_chi_square", vec![9.0, 0.5], 9.0 * 0.25 / 7.0),
    ] {
        let Evaluation::Univariate(k) = hazel::dist::descriptor::find(name).unwrap().eval else {
            unreachable!()
        };
        let reals: Vec<Arg> = params.iter().map(|v| Arg::Scalar(*v)).collect();
        let mut out = Vec::new();
        for _ in 0..20_000 {
            (k.rng.unwrap())(&[], &reals, &mut rng, &mut out).unwrap();
        }
        let draws: Vec<f64> = out.iter().map(|o| o.as_f64()).collect();
        let m = draws.iter().sum::<f64>() / draws.len() as f64;
        let sd = (draws.iter().map(|v| (v - m).powi(2)).sum::<f64>() / draws.len() as f64).sqrt();
        assert!(
            (m - mean).abs() < 4.5 * sd / (draws.len() as f64).sqrt(),
            "{name}: {m} vs {mean}"
        );
    }
}

#[test]
fn rng_reports_invalid_parameters() {
    let Evaluation::Univariate(k) = hazel::dist::descriptor::find("normal").unwrap().eval else {
        unreachable!()
    };
    let mut rng = chain_rng(1, 0);
    let err = (k.rng.unwrap())(
        &[],
        &[Arg::Scalar(0.0), Arg::Scalar(-1.0)],
        &mut rng,
        &mut Vec::new(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "normal_rng: sigma is -1, but must be positive finite"
    );
    let _: f64 = rng.random();
}

#[test]
fn cdfs_stay_finite_far_in_the_tails() {
    for name in [
        "normal",
        "logistic",
        "gumbel",
        "cauchy",
        "double_exponential",
        "student_t",
    ] {
        let Evaluation::Univariate(k) = hazel::dist::descriptor::find(name).unwrap().eval else {
            unreachable!()
        };
        let [_, lcdf, lccdf] = k.cdfs.unwrap();
        let mut reals = vec![Arg::Scalar(-40.0), Arg::Scalar(0.0), Arg::Scalar(1.0)];
        if name == "student_t" {
            reals.insert(1, Arg::Scalar(3.0));
        }
        let mut none: Vec<Option<&mut [f64]>> = reals.iter().map(|_| None).collect();
        let low = lcdf(&[], &reals, &mut none).unwrap();
        reals[0] = Arg::Scalar(40.0);
        let high = lccdf(&[], &reals, &mut none).unwrap();
        assert!(
            low.is_finite() && low < -1.0 && high.is_finite() && high < -1.0,
            "{name}: {low} {high}"
        );
        // The symmetric families have equal lower and upper tails.
        if name != "gumbel" {
            assert!(
                (low - high).abs() < 1e-9 * low.abs(),
                "{name}: {low} {high}"
            );
        }
    }
    // log Phi(-40) = -804.6084420137538 (40-digit reference).
    let normal = hazel::dist::descriptor::find("normal").unwrap();
    let Evaluation::Univariate(k) = normal.eval else {
        unreachable!()
    };
    let v = (k.cdfs.unwrap()[1])(
        &[],
        &[Arg::Scalar(-40.0), Arg::Scalar(0.0), Arg::Scalar(1.0)],
        &mut [None, None, None],
    )
    .unwrap();
    assert!((v + 804.608_442_013_753_8).abs() < 1e-9);
}
