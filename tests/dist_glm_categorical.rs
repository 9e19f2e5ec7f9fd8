//! GLM and categorical-outcome families: values against their univariate forms or statrs,
//! partials against central finite differences, and errors.

mod dist_common;

use dist_common::{close, fd};
use hazel::dist::categorical::*;
use hazel::dist::glm::*;
use hazel::dist::{Arg, IntArg, MatRef};
use statrs::distribution::{Continuous, Discrete};

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
