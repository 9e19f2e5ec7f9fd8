//! Multivariate densities: values against independent closed forms (or univariate special
//! cases), partials against central finite differences (symmetric perturbations for
//! symmetric matrix arguments, differences in unconstrained space for LKJ).

mod dist_common;

use dist_common::{SIGMA3, chol3, close, fd, fd_sym, m, sym_dir};
use hazel::dist::MatRef;
use hazel::dist::dirichlet::dirichlet_lpdf;
use hazel::dist::lkj::*;
use hazel::dist::multi_student_t::*;
use hazel::dist::mvn::*;
use hazel::dist::wishart::*;
use hazel::transform::{CholeskyCorr, CorrMatrix, Transform};
use nalgebra::DMatrix;
use statrs::distribution::Continuous;

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
