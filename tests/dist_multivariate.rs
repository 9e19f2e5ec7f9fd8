//! Multivariate families and GLMs: values against independent closed forms (or univariate
//! special cases), partials against central finite differences (symmetric perturbations
//! for symmetric matrix arguments), and RNG moments within Monte Carlo standard errors.

use hazel::dist::categorical::*;
use hazel::dist::dirichlet::{dirichlet_lpdf, dirichlet_rng};
use hazel::dist::glm::*;
use hazel::dist::lkj::*;
use hazel::dist::multi_student_t::*;
use hazel::dist::mvn::*;
use hazel::dist::wishart::*;
use hazel::dist::{Arg, IntArg, MatRef};
use hazel::rng::chain_rng;
use hazel::transform::{CholeskyCorr, CorrMatrix, Transform};
use nalgebra::DMatrix;
use statrs::distribution::{Continuous, Discrete};

const H: f64 = 1e-6;

/// Central differences of `f` at `x` in every coordinate.
fn fd(f: &dyn Fn(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
    (0..x.len())
        .map(|i| {
            let (mut a, mut b) = (x.to_vec(), x.to_vec());
            a[i] += H;
            b[i] -= H;
            (f(&a) - f(&b)) / (2.0 * H)
        })
        .collect()
}

/// Central differences along symmetric perturbations of a K x K matrix: entry (i, j) of
/// the result is the derivative when both (i, j) and (j, i) move.
fn fd_sym(f: &dyn Fn(&[f64]) -> f64, x: &[f64], k: usize) -> Vec<f64> {
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let shift = |d: f64| {
                let mut m = x.to_vec();
                m[i + j * k] += d;
                if i != j {
                    m[j + i * k] += d;
                }
                f(&m)
            };
            let v = (shift(H) - shift(-H)) / (2.0 * H);
            out[i + j * k] = v;
            out[j + i * k] = v;
        }
    }
    out
}

/// Folds a symmetric partial into the symmetric-direction derivative: d_ij + d_ji.
fn sym_dir(d: &[f64], k: usize) -> Vec<f64> {
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            out[i + j * k] = if i == j {
                d[i + j * k]
            } else {
                d[i + j * k] + d[j + i * k]
            };
        }
    }
    out
}

fn close(label: &str, a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len(), "{label}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= 1e-5 * x.abs().max(y.abs()).max(1.0),
            "{label}[{i}]: analytic {x}, numeric {y}"
        );
    }
}

const SIGMA3: [f64; 9] = [2.0, 0.3, -0.4, 0.3, 1.5, 0.2, -0.4, 0.2, 1.0];

fn chol3() -> Vec<f64> {
    DMatrix::from_column_slice(3, 3, &SIGMA3)
        .cholesky()
        .unwrap()
        .l()
        .as_slice()
        .to_vec()
}

fn m(d: &[f64], k: usize) -> MatRef<'_> {
    MatRef::new(d, k, k).unwrap()
}

#[test]
fn multi_normal_cholesky_value_and_partials() {
    let l = chol3();
    let y = [0.5, -1.0, 2.0, 1.0, 0.2, -0.3];
    let mu = [0.1, 0.2, -0.5];
    // Independent value: -½ Σ rᵀ Σ⁻¹ r − n/2 log det(2π Σ).
    let s = DMatrix::from_column_slice(3, 3, &SIGMA3);
    let inv = s.clone().try_inverse().unwrap();
    let mut want = -(2.0f64 * std::f64::consts::PI).ln() * 3.0 - s.determinant().ln();
    for obs in 0..2 {
        let r = nalgebra::DVector::from_iterator(3, (0..3).map(|i| y[obs * 3 + i] - mu[i]));
        want -= 0.5 * (r.transpose() * &inv * &r)[(0, 0)];
    }
    let v = multi_normal_cholesky_lpdf(&y, &mu, m(&l, 3), false, None, None, None).unwrap();
    assert!((v - want).abs() < 1e-12, "{v} vs {want}");
    let (mut dy, mut dmu, mut dl) = (vec![0.0; 6], vec![0.0; 3], vec![0.0; 9]);
    multi_normal_cholesky_lpdf(
        &y,
        &mu,
        m(&l, 3),
        false,
        Some(&mut dy),
        Some(&mut dmu),
        Some(&mut dl),
    )
    .unwrap();
    close(
        "dy",
        &dy,
        &fd(
            &|yy| multi_normal_cholesky_lpdf(yy, &mu, m(&l, 3), false, None, None, None).unwrap(),
            &y,
        ),
    );
    close(
        "dmu",
        &dmu,
        &fd(
            &|mm| multi_normal_cholesky_lpdf(&y, mm, m(&l, 3), false, None, None, None).unwrap(),
            &mu,
        ),
    );
    let num = fd(
        &|ll| multi_normal_cholesky_lpdf(&y, &mu, m(ll, 3), false, None, None, None).unwrap(),
        &l,
    );
    for j in 0..3 {
        for i in j..3 {
            close("dL", &[dl[i + 3 * j]], &[num[i + 3 * j]]);
        }
    }
    // Same value through the covariance form, with symmetric partials.
    let v2 = multi_normal_lpdf(&y, &mu, m(&SIGMA3, 3), false, None, None, None).unwrap();
    assert!((v2 - want).abs() < 1e-12);
    let mut ds = vec![0.0; 9];
    multi_normal_lpdf(&y, &mu, m(&SIGMA3, 3), false, None, None, Some(&mut ds)).unwrap();
    let num = fd_sym(
        &|ss| multi_normal_lpdf(&y, &mu, m(ss, 3), false, None, None, None).unwrap(),
        &SIGMA3,
        3,
    );
    close("dSigma", &sym_dir(&ds, 3), &num);
    // propto with only mu varying drops the log-determinant and 2π terms.
    let mut dmu2 = vec![0.0; 3];
    let p =
        multi_normal_cholesky_lpdf(&y, &mu, m(&l, 3), true, None, Some(&mut dmu2), None).unwrap();
    assert!(
        (v - p - (-(2.0f64 * std::f64::consts::PI).ln() * 3.0 - s.determinant().ln())).abs()
            < 1e-10
    );
}

#[test]
fn multi_normal_rejects_bad_arguments() {
    let l = chol3();
    let err = multi_normal_cholesky_lpdf(&[1.0, 2.0], &[0.0; 3], m(&l, 3), false, None, None, None)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("not a multiple of the dimension 3"),
        "{err}"
    );
    let bad = [1.0, 2.0, 2.0, 1.0];
    let err = multi_normal_lpdf(
        &[0.0, 0.0],
        &[0.0, 0.0],
        m(&bad, 2),
        false,
        None,
        None,
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("positive definite"), "{err}");
}

#[test]
fn multi_student_t_matches_univariate_and_partials() {
    let sigma = [2.25];
    let v =
        multi_student_t_lpdf(&[1.3], 4.5, &[0.2], m(&sigma, 1), false, Default::default()).unwrap();
    let want = statrs::distribution::StudentsT::new(0.2, 1.5, 4.5)
        .unwrap()
        .ln_pdf(1.3);
    assert!((v - want).abs() < 1e-12);
    let y = [0.5, -1.0, 2.0, 1.0, 0.2, -0.3];
    let mu = [0.1, 0.2, -0.5];
    let nu = 5.5;
    let f = |y: &[f64], nu: f64, mu: &[f64], s: &[f64]| {
        multi_student_t_lpdf(y, nu, mu, m(s, 3), false, Default::default()).unwrap()
    };
    let (mut dy, mut dnu, mut dmu, mut ds) = (vec![0.0; 6], 0.0, vec![0.0; 3], vec![0.0; 9]);
    let parts = MultiStudentTPartials {
        y: Some(&mut dy),
        nu: Some(&mut dnu),
        mu: Some(&mut dmu),
        sigma: Some(&mut ds),
    };
    multi_student_t_lpdf(&y, nu, &mu, m(&SIGMA3, 3), false, parts).unwrap();
    close("dy", &dy, &fd(&|a| f(a, nu, &mu, &SIGMA3), &y));
    close("dnu", &[dnu], &fd(&|a| f(&y, a[0], &mu, &SIGMA3), &[nu]));
    close("dmu", &dmu, &fd(&|a| f(&y, nu, a, &SIGMA3), &mu));
    close(
        "dSigma",
        &sym_dir(&ds, 3),
        &fd_sym(&|a| f(&y, nu, &mu, a), &SIGMA3, 3),
    );
}

#[test]
fn dirichlet_value_and_partials() {
    let theta: [f64; 6] = [0.2, 0.5, 0.3, 0.6, 0.1, 0.3];
    let alpha = [1.5, 2.0, 0.7];
    let lg = statrs::function::gamma::ln_gamma;
    let norm = lg(4.2) - lg(1.5) - lg(2.0) - lg(0.7);
    let want: f64 = (0..2)
        .map(|o| {
            norm + (0..3)
                .map(|i| (alpha[i] - 1.0) * theta[o * 3 + i].ln())
                .sum::<f64>()
        })
        .sum();
    let v = dirichlet_lpdf(&theta, &alpha, 3, false, None, None).unwrap();
    assert!((v - want).abs() < 1e-12);
    // K = 2 is a beta density in the first coordinate.
    let b = dirichlet_lpdf(&[0.3, 0.7], &[2.0, 3.0], 2, false, None, None).unwrap();
    assert!(
        (b - statrs::distribution::Beta::new(2.0, 3.0)
            .unwrap()
            .ln_pdf(0.3))
        .abs()
            < 1e-12
    );
    let (mut dt, mut da) = (vec![0.0; 6], vec![0.0; 3]);
    dirichlet_lpdf(&theta, &alpha, 3, false, Some(&mut dt), Some(&mut da)).unwrap();
    // As a function of free entries (no simplex check in the perturbed direction).
    let free = |t: &[f64]| {
        let norm_t: Vec<f64> = t.to_vec();
        (0..2)
            .map(|o| {
                norm + (0..3)
                    .map(|i| (alpha[i] - 1.0) * norm_t[o * 3 + i].ln())
                    .sum::<f64>()
            })
            .sum::<f64>()
    };
    close("dtheta", &dt, &fd(&free, &theta));
    close(
        "dalpha",
        &da,
        &fd(
            &|a| dirichlet_lpdf(&theta, a, 3, false, None, None).unwrap(),
            &alpha,
        ),
    );
    let err = dirichlet_lpdf(&[0.5, 0.6], &[1.0, 1.0], 2, false, None, None).unwrap_err();
    assert!(err.to_string().contains("simplex"), "{err}");
}

#[test]
fn lkj_values_normaliser_and_partials_through_transforms() {
    // K = 2: the density of rho is (1 - rho²)^(eta-1) / (2^(2 eta - 1) B(eta, eta)).
    let (rho, eta) = (0.35f64, 2.5f64);
    let l = [1.0, rho, 0.0, (1.0 - rho * rho).sqrt()];
    let want = (eta - 1.0) * (1.0 - rho * rho).ln()
        - ((2.0 * eta - 1.0) * std::f64::consts::LN_2 + statrs::function::beta::ln_beta(eta, eta));
    let v = lkj_corr_cholesky_lpdf(m(&l, 2), eta, false, None, None).unwrap();
    assert!((v - want).abs() < 1e-12, "{v} vs {want}");
    let omega = [1.0, rho, rho, 1.0];
    assert!((lkj_corr_lpdf(m(&omega, 2), eta, false, None, None).unwrap() - want).abs() < 1e-12);
    // K = 3, eta = 1: the volume of 3 x 3 correlation matrices is pi^2 / 2.
    let (c, _) = lkj_log_normaliser(1.0, 3);
    assert!((c - (std::f64::consts::PI.powi(2) / 2.0).ln()).abs() < 1e-12);
    // Partials, pulled back through the transforms, against differences in u.
    let u = [0.3, -0.5, 0.8, 0.1, -0.2, 0.6];
    let k = 4;
    let chol = CholeskyCorr { k };
    let f = |uu: &[f64], e: f64| {
        let mut x = vec![0.0; 16];
        chol.constrain(uu, &mut x).unwrap();
        lkj_corr_cholesky_lpdf(m(&x, k), e, false, None, None).unwrap()
    };
    let mut x = vec![0.0; 16];
    chol.constrain(&u, &mut x).unwrap();
    let (mut dl, mut de) = (vec![0.0; 16], 0.0);
    lkj_corr_cholesky_lpdf(m(&x, k), 1.7, false, Some(&mut dl), Some(&mut de)).unwrap();
    let mut du = vec![0.0; 6];
    chol.constrain_vjp(&u, &dl, &mut du).unwrap();
    let lj = |uu: &[f64]| chol.constrain(uu, &mut [0.0; 16]).unwrap();
    let num = fd(&|uu| f(uu, 1.7) + lj(uu), &u);
    close("lkj_corr_cholesky du", &du, &num);
    close(
        "lkj_corr_cholesky deta",
        &[de],
        &fd(&|e| f(&u, e[0]), &[1.7]),
    );
    let corr = CorrMatrix { k };
    let g = |uu: &[f64], e: f64| {
        let mut x = vec![0.0; 16];
        corr.constrain(uu, &mut x).unwrap();
        lkj_corr_lpdf(m(&x, k), e, false, None, None).unwrap()
    };
    corr.constrain(&u, &mut x).unwrap();
    let (mut dom, mut de) = (vec![0.0; 16], 0.0);
    lkj_corr_lpdf(m(&x, k), 0.8, false, Some(&mut dom), Some(&mut de)).unwrap();
    let mut du = vec![0.0; 6];
    corr.constrain_vjp(&u, &dom, &mut du).unwrap();
    let lj = |uu: &[f64]| corr.constrain(uu, &mut [0.0; 16]).unwrap();
    close("lkj_corr du", &du, &fd(&|uu| g(uu, 0.8) + lj(uu), &u));
    close("lkj_corr deta", &[de], &fd(&|e| g(&u, e[0]), &[0.8]));
}

#[test]
fn wishart_families_match_gamma_cases_and_partials() {
    let w1 = [2.5];
    let s1 = [1.3];
    let v = wishart_lpdf(m(&w1, 1), 4.0, m(&s1, 1), false, Default::default()).unwrap();
    let want = statrs::distribution::Gamma::new(2.0, 1.0 / (2.0 * 1.3))
        .unwrap()
        .ln_pdf(2.5);
    assert!((v - want).abs() < 1e-12, "{v} vs {want}");
    let v = inv_wishart_lpdf(m(&w1, 1), 4.0, m(&s1, 1), false, Default::default()).unwrap();
    let want = statrs::distribution::InverseGamma::new(2.0, 1.3 / 2.0)
        .unwrap()
        .ln_pdf(2.5);
    assert!((v - want).abs() < 1e-12, "{v} vs {want}");
    let w = [1.5, 0.2, 0.1, 0.2, 2.0, -0.3, 0.1, -0.3, 1.2];
    for (name, f) in [
        (
            "wishart",
            wishart_lpdf as fn(MatRef, f64, MatRef, bool, WishartPartials) -> _,
        ),
        ("inv_wishart", inv_wishart_lpdf),
    ] {
        let val = |w: &[f64], nu: f64, s: &[f64]| {
            f(m(w, 3), nu, m(s, 3), false, Default::default()).unwrap()
        };
        let (mut dw, mut dnu, mut ds) = (vec![0.0; 9], 0.0, vec![0.0; 9]);
        f(
            m(&w, 3),
            6.5,
            m(&SIGMA3, 3),
            false,
            WishartPartials {
                w: Some(&mut dw),
                nu: Some(&mut dnu),
                s: Some(&mut ds),
            },
        )
        .unwrap();
        close(
            &format!("{name} dW"),
            &sym_dir(&dw, 3),
            &fd_sym(&|a| val(a, 6.5, &SIGMA3), &w, 3),
        );
        close(
            &format!("{name} dS"),
            &sym_dir(&ds, 3),
            &fd_sym(&|a| val(&w, 6.5, a), &SIGMA3, 3),
        );
        close(
            &format!("{name} dnu"),
            &[dnu],
            &fd(&|a| val(&w, a[0], &SIGMA3), &[6.5]),
        );
    }
}

#[test]
fn glms_equal_their_univariate_forms_and_partials() {
    let x = [0.5, -1.0, 2.0, 0.3, 1.1, 0.4, -0.7, 0.9]; // 4 x 2
    let beta = [0.8, -0.4];
    let alpha = 0.3;
    let eta: Vec<f64> = (0..4)
        .map(|i| alpha + x[i] * beta[0] + x[i + 4] * beta[1])
        .collect();
    let lin = |x: &'static [f64; 8]| Linear {
        x: MatRef::new(x, 4, 2).unwrap(),
        alpha: Arg::Scalar(alpha),
        beta: &beta,
    };
    static X: [f64; 8] = [0.5, -1.0, 2.0, 0.3, 1.1, 0.4, -0.7, 0.9];
    let y = [0.2, -0.5, 1.9, 0.1];
    let v = normal_id_glm_lpdf(
        Arg::Vector(&y),
        lin(&X),
        Arg::Scalar(0.7),
        false,
        None,
        Default::default(),
        None,
    )
    .unwrap();
    let want: f64 = (0..4)
        .map(|i| {
            statrs::distribution::Normal::new(eta[i], 0.7)
                .unwrap()
                .ln_pdf(y[i])
        })
        .sum();
    assert!((v - want).abs() < 1e-12);
    let call = |x: &[f64], a: f64, b: &[f64], s: f64| {
        let l = Linear {
            x: MatRef::new(x, 4, 2).unwrap(),
            alpha: Arg::Scalar(a),
            beta: b,
        };
        normal_id_glm_lpdf(
            Arg::Vector(&y),
            l,
            Arg::Scalar(s),
            false,
            None,
            Default::default(),
            None,
        )
        .unwrap()
    };
    let (mut dx, mut da, mut db, mut ds) = (vec![0.0; 8], vec![0.0], vec![0.0; 2], vec![0.0]);
    let parts = LinearPartials {
        x: Some(&mut dx),
        alpha: Some(&mut da),
        beta: Some(&mut db),
    };
    normal_id_glm_lpdf(
        Arg::Vector(&y),
        lin(&X),
        Arg::Scalar(0.7),
        false,
        None,
        parts,
        Some(&mut ds),
    )
    .unwrap();
    close("dx", &dx, &fd(&|a| call(a, alpha, &beta, 0.7), &x));
    close(
        "dalpha",
        &da,
        &fd(&|a| call(&x, a[0], &beta, 0.7), &[alpha]),
    );
    close("dbeta", &db, &fd(&|a| call(&x, alpha, a, 0.7), &beta));
    close(
        "dsigma",
        &ds,
        &fd(&|a| call(&x, alpha, &beta, a[0]), &[0.7]),
    );

    let yb = [1i64, 0, 1, 1];
    let v =
        bernoulli_logit_glm_lpmf(IntArg::Vector(&yb), lin(&X), false, Default::default()).unwrap();
    let want: f64 = (0..4)
        .map(|i| {
            let p = 1.0 / (1.0 + (-eta[i]).exp());
            if yb[i] == 1 { p.ln() } else { (1.0 - p).ln() }
        })
        .sum();
    assert!((v - want).abs() < 1e-12);
    let mut db = vec![0.0; 2];
    bernoulli_logit_glm_lpmf(
        IntArg::Vector(&yb),
        lin(&X),
        false,
        LinearPartials {
            beta: Some(&mut db),
            ..Default::default()
        },
    )
    .unwrap();
    let call = |b: &[f64]| {
        let l = Linear {
            x: MatRef::new(&x, 4, 2).unwrap(),
            alpha: Arg::Scalar(alpha),
            beta: b,
        };
        bernoulli_logit_glm_lpmf(IntArg::Vector(&yb), l, false, Default::default()).unwrap()
    };
    close("bernoulli dbeta", &db, &fd(&call, &beta));

    let yp = [3i64, 0, 7, 1];
    let v = poisson_log_glm_lpmf(IntArg::Vector(&yp), lin(&X), false, Default::default()).unwrap();
    let want: f64 = (0..4)
        .map(|i| {
            statrs::distribution::Poisson::new(eta[i].exp())
                .unwrap()
                .ln_pmf(yp[i] as u64)
        })
        .sum();
    assert!((v - want).abs() < 1e-10);
    let mut dx = vec![0.0; 8];
    poisson_log_glm_lpmf(
        IntArg::Vector(&yp),
        lin(&X),
        false,
        LinearPartials {
            x: Some(&mut dx),
            ..Default::default()
        },
    )
    .unwrap();
    let call = |xx: &[f64]| {
        let l = Linear {
            x: MatRef::new(xx, 4, 2).unwrap(),
            alpha: Arg::Scalar(alpha),
            beta: &beta,
        };
        poisson_log_glm_lpmf(IntArg::Vector(&yp), l, false, Default::default()).unwrap()
    };
    close("poisson dx", &dx, &fd(&call, &x));
    let err = normal_id_glm_lpdf(
        Arg::Vector(&y),
        Linear {
            x: MatRef::new(&x, 4, 2).unwrap(),
            alpha: Arg::Scalar(0.0),
            beta: &[1.0],
        },
        Arg::Scalar(1.0),
        false,
        None,
        Default::default(),
        None,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("beta has length 1, but x has 2 columns"),
        "{err}"
    );
}

#[test]
fn categorical_families_values_and_partials() {
    let theta = [0.2, 0.5, 0.3];
    let y = [1i64, 3, 3, 2];
    let v = categorical_lpmf(&y, &theta, false, None).unwrap();
    let cat = statrs::distribution::Categorical::new(&theta).unwrap();
    let want: f64 = y.iter().map(|c| cat.ln_pmf(*c as u64 - 1)).sum();
    assert!((v - want).abs() < 1e-12);
    let beta = [0.4, -1.0, 0.9];
    let lse = beta.iter().map(|b: &f64| b.exp()).sum::<f64>().ln();
    let soft: Vec<f64> = beta.iter().map(|b| (b - lse).exp()).collect();
    let v = categorical_logit_lpmf(&y, &beta, false, None).unwrap();
    assert!((v - categorical_lpmf(&y, &soft, false, None).unwrap()).abs() < 1e-12);
    let mut db = vec![0.0; 3];
    categorical_logit_lpmf(&y, &beta, false, Some(&mut db)).unwrap();
    close(
        "categorical_logit dbeta",
        &db,
        &fd(
            &|b| categorical_logit_lpmf(&y, b, false, None).unwrap(),
            &beta,
        ),
    );
    let err = categorical_lpmf(&[4], &theta, false, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "categorical_lpmf: y[1] is 4, but must be a category in 1..=K"
    );

    // ordered_logistic: probabilities over k sum to 1; partials in eta and c.
    let c = [-0.5, 0.4, 1.6];
    let total: f64 = (1..=4)
        .map(|k| {
            ordered_logistic_lpmf(&[k], Arg::Scalar(0.3), &c, false, None, None)
                .unwrap()
                .exp()
        })
        .sum();
    assert!((total - 1.0).abs() < 1e-14);
    let ks = [1i64, 2, 3, 4, 2];
    let etas = [0.3, -1.0, 0.8, 2.0, 0.1];
    let (mut de, mut dc) = (vec![0.0; 5], vec![0.0; 3]);
    ordered_logistic_lpmf(
        &ks,
        Arg::Vector(&etas),
        &c,
        false,
        Some(&mut de),
        Some(&mut dc),
    )
    .unwrap();
    close(
        "ordered_logistic deta",
        &de,
        &fd(
            &|e| ordered_logistic_lpmf(&ks, Arg::Vector(e), &c, false, None, None).unwrap(),
            &etas,
        ),
    );
    close(
        "ordered_logistic dc",
        &dc,
        &fd(
            &|cc| ordered_logistic_lpmf(&ks, Arg::Vector(&etas), cc, false, None, None).unwrap(),
            &c,
        ),
    );

    // multinomial with K = 2 is a binomial.
    let v = multinomial_lpmf(&[3, 5], &[0.4, 0.6], false, None).unwrap();
    assert!(
        (v - statrs::distribution::Binomial::new(0.4, 8)
            .unwrap()
            .ln_pmf(3))
        .abs()
            < 1e-12
    );
    let counts = [2i64, 0, 4];
    let mut dt = vec![0.0; 3];
    multinomial_lpmf(&counts, &theta, false, Some(&mut dt)).unwrap();
    let free = |t: &[f64]| {
        counts
            .iter()
            .zip(t)
            .map(|(n, p)| *n as f64 * p.ln())
            .sum::<f64>()
    };
    close("multinomial dtheta", &dt, &fd(&free, &theta));
}

/// Sample mean of `draws` (rows of length `k`) within 4.5 MCSE of `want`, per coordinate.
fn assert_means(label: &str, draws: &[Vec<f64>], want: &[f64]) {
    let n = draws.len() as f64;
    for (j, w) in want.iter().enumerate() {
        let mean = draws.iter().map(|d| d[j]).sum::<f64>() / n;
        let var = draws.iter().map(|d| (d[j] - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let mcse = (var / n).sqrt();
        assert!(
            (mean - w).abs() <= 4.5 * mcse + 1e-12,
            "{label}[{j}]: mean {mean}, expected {w}, mcse {mcse}"
        );
    }
}

#[test]
fn multivariate_rngs_have_their_moments() {
    const N: usize = 20_000;
    let mut rng = chain_rng(2024, 0);
    let mu = [1.0, -2.0, 0.5];
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| multi_normal_rng(&mu, m(&SIGMA3, 3), &mut rng).unwrap())
        .collect();
    assert_means("multi_normal", &d, &mu);
    // Second moments: E[(y_i - mu_i)(y_j - mu_j)] = Sigma_ij.
    let prods: Vec<Vec<f64>> = d
        .iter()
        .map(|v| {
            (0..9)
                .map(|e| (v[e % 3] - mu[e % 3]) * (v[e / 3] - mu[e / 3]))
                .collect()
        })
        .collect();
    assert_means("multi_normal covariance", &prods, &SIGMA3);
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| multi_student_t_rng(6.0, &mu, m(&SIGMA3, 3), &mut rng).unwrap())
        .collect();
    assert_means("multi_student_t", &d, &mu);
    let alpha = [1.5, 2.0, 0.5];
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| dirichlet_rng(&alpha, &mut rng).unwrap())
        .collect();
    assert_means("dirichlet", &d, &[0.375, 0.5, 0.125]);
    // LKJ: off-diagonal correlations have mean 0; for K = 2, Var(rho) = 1 / (2 eta + 1).
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| lkj_corr_rng(4, 1.5, &mut rng).unwrap())
        .collect();
    assert_means(
        "lkj_corr",
        &d,
        &[
            1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ],
    );
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| vec![lkj_corr_cholesky_rng(2, 2.0, &mut rng).unwrap()[1].powi(2)])
        .collect();
    assert_means("lkj rho^2", &d, &[1.0 / 5.0]);
    // For K = 4 the marginal of each correlation is Beta(eta - 1 + K/2) on (-1, 1):
    // E[rho^2] = 1 / (2 (eta - 1 + K/2) + 1).
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| {
            lkj_corr_rng(4, 1.5, &mut rng)
                .unwrap()
                .iter()
                .map(|v| v * v)
                .collect()
        })
        .collect();
    let r2 = 1.0 / (2.0 * (1.5 - 1.0 + 2.0) + 1.0);
    assert_means(
        "lkj_corr rho^2",
        &d,
        &[
            1.0, r2, r2, r2, r2, 1.0, r2, r2, r2, r2, 1.0, r2, r2, r2, r2, 1.0,
        ],
    );
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| wishart_rng(5.0, m(&SIGMA3, 3), &mut rng).unwrap())
        .collect();
    assert_means("wishart", &d, &SIGMA3.map(|v| 5.0 * v));
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| inv_wishart_rng(9.0, m(&SIGMA3, 3), &mut rng).unwrap())
        .collect();
    assert_means("inv_wishart", &d, &SIGMA3.map(|v| v / (9.0 - 3.0 - 1.0)));
    let theta = [0.2, 0.5, 0.3];
    let onehot = |c: i64| {
        (1..=3)
            .map(|k| f64::from(u8::from(k == c)))
            .collect::<Vec<f64>>()
    };
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| onehot(categorical_rng(&theta, &mut rng).unwrap()))
        .collect();
    assert_means("categorical", &d, &theta);
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| onehot(categorical_logit_rng(&[0.0, 0.5, -0.5], &mut rng).unwrap()))
        .collect();
    let z = 1.0 + 0.5f64.exp() + (-0.5f64).exp();
    assert_means(
        "categorical_logit",
        &d,
        &[1.0 / z, 0.5f64.exp() / z, (-0.5f64).exp() / z],
    );
    let c = [-0.5, 0.4];
    let probs: Vec<f64> = (1..=3)
        .map(|k| {
            ordered_logistic_lpmf(&[k], Arg::Scalar(0.2), &c, false, None, None)
                .unwrap()
                .exp()
        })
        .collect();
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| onehot(ordered_logistic_rng(0.2, &c, &mut rng).unwrap()))
        .collect();
    assert_means("ordered_logistic", &d, &probs);
    let d: Vec<Vec<f64>> = (0..N / 10)
        .map(|_| {
            multinomial_rng(&theta, 10, &mut rng)
                .unwrap()
                .iter()
                .map(|v| *v as f64)
                .collect()
        })
        .collect();
    assert_means("multinomial", &d, &[2.0, 5.0, 3.0]);
    let l = chol3();
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| multi_normal_cholesky_rng(&mu, m(&l, 3), &mut rng).unwrap())
        .collect();
    assert_means("multi_normal_cholesky", &d, &mu);
}
