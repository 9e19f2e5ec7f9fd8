//! Multivariate and categorical RNGs: sample moments within 4.5 Monte Carlo standard
//! errors of the known values, with fixed seeds.

mod dist_common;

use dist_common::{SIGMA3, assert_means, chol3, m};
use hazel::dist::Arg;
use hazel::dist::categorical::*;
use hazel::dist::dirichlet::dirichlet_rng;
use hazel::dist::lkj::*;
use hazel::dist::multi_student_t::*;
use hazel::dist::mvn::*;
use hazel::dist::wishart::*;
use hazel::rng::chain_rng;

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
