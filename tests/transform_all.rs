//! Every constraint transform: round trip constrain∘unconstrain, log |J| against the
//! log-determinant of a finite-difference Jacobian of u ↦ the transform's free coordinates
//! of x (the reduced square map; unit_vector instead checks its −|u|²/2 term), the
//! vector-Jacobian product against finite differences of x̄·x(u) + log |J|(u), bound
//! adjoints, and the errors of `unconstrain`.

use hazel::dist::Arg;
use hazel::transform::*;
use proptest::prelude::*;

const LB: [f64; 3] = [-1.0, 0.5, 2.0];
const UB: [f64; 3] = [0.0, 3.0, 2.5];

/// Coordinates of x that the transform's Jacobian is taken with respect to.
type Reduce = fn(&[f64]) -> Vec<f64>;

fn strict_lower_rowwise(x: &[f64], k: usize) -> Vec<f64> {
    (0..k)
        .flat_map(|i| (0..i).map(move |j| x[i + j * k]))
        .collect()
}
fn lower_rowwise(x: &[f64], k: usize) -> Vec<f64> {
    (0..k)
        .flat_map(|i| (0..=i).map(move |j| x[i + j * k]))
        .collect()
}

fn cases() -> Vec<(&'static str, Box<dyn Transform>, Option<Reduce>)> {
    let id: Reduce = |x| x.to_vec();
    vec![
        (
            "lower scalar",
            Box::new(Lower {
                lb: Arg::Scalar(1.5),
                len: 3,
            }),
            Some(id),
        ),
        (
            "lower vector",
            Box::new(Lower {
                lb: Arg::Vector(&LB),
                len: 3,
            }),
            Some(id),
        ),
        (
            "lower -inf",
            Box::new(Lower {
                lb: Arg::Scalar(f64::NEG_INFINITY),
                len: 2,
            }),
            Some(id),
        ),
        (
            "upper",
            Box::new(Upper {
                ub: Arg::Vector(&UB),
                len: 3,
            }),
            Some(id),
        ),
        (
            "lower_upper",
            Box::new(LowerUpper {
                lb: Arg::Vector(&LB),
                ub: Arg::Scalar(4.0),
                len: 3,
            }),
            Some(id),
        ),
        (
            "lower_upper half-open",
            Box::new(LowerUpper {
                lb: Arg::Scalar(f64::NEG_INFINITY),
                ub: Arg::Vector(&UB),
                len: 3,
            }),
            Some(id),
        ),
        (
            "offset_multiplier",
            Box::new(OffsetMultiplier {
                offset: Arg::Vector(&LB),
                multiplier: Arg::Scalar(2.5),
                len: 3,
            }),
            Some(id),
        ),
        (
            "simplex",
            Box::new(Simplex { k: 4 }),
            Some(|x| x[..3].to_vec()),
        ),
        ("simplex k=1", Box::new(Simplex { k: 1 }), Some(|_| vec![])),
        ("ordered", Box::new(Ordered { k: 4 }), Some(id)),
        (
            "positive_ordered",
            Box::new(PositiveOrdered { k: 4 }),
            Some(id),
        ),
        ("unit_vector", Box::new(UnitVector { k: 3 }), None),
        (
            "cholesky_factor_corr",
            Box::new(CholeskyCorr { k: 4 }),
            Some(|x| strict_lower_rowwise(x, 4)),
        ),
        (
            "cholesky_factor_cov",
            Box::new(CholeskyCov { m: 4, n: 3 }),
            Some(|x| {
                let mut v: Vec<f64> = (0..3)
                    .flat_map(|i| (0..=i).map(move |j| x[i + j * 4]))
                    .collect();
                v.extend((0..3).map(|j| x[3 + j * 4]));
                v
            }),
        ),
        (
            "corr_matrix",
            Box::new(CorrMatrix { k: 4 }),
            Some(|x| strict_lower_rowwise(x, 4)),
        ),
        (
            "cov_matrix",
            Box::new(CovMatrix { k: 3 }),
            Some(|x| lower_rowwise(x, 3)),
        ),
    ]
}

/// Unconstrained coordinates from a proptest vector, kept away from the origin where
/// unit_vector is undefined (proptest shrinks towards zero).
fn coords(u0: &[f64], n: usize) -> Vec<f64> {
    u0[..n]
        .iter()
        .enumerate()
        .map(|(i, v)| if i == 0 { v + 2.0 } else { *v })
        .collect()
}

fn constrain(t: &dyn Transform, u: &[f64]) -> (Vec<f64>, f64) {
    let mut x = vec![0.0; t.constrained_len()];
    let lj = t.constrain(u, &mut x).unwrap();
    (x, lj)
}

fn log_abs_det(m: nalgebra::DMatrix<f64>) -> f64 {
    if m.nrows() == 0 {
        return 0.0;
    }
    m.lu().determinant().abs().ln()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        // A fixed seed keeps CI reproducible; the suite was also run with 1,000 random cases.
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x7a45_f012),
        ..ProptestConfig::default()
    })]

    #[test]
    fn round_trip(u0 in prop::collection::vec(-2.0f64..2.0, 10)) {
        for (name, t, _) in cases() {
            let u = &coords(&u0, t.unconstrained_len());
            let (x, _) = constrain(t.as_ref(), u);
            let mut back = vec![0.0; u.len()];
            t.unconstrain(&x, &mut back).unwrap();
            if name == "unit_vector" {
                // Only the direction is identified: unconstrain returns the unit vector.
                let (x2, _) = constrain(t.as_ref(), &back);
                for (a, b) in x.iter().zip(&x2) {
                    prop_assert!((a - b).abs() < 1e-12, "{name}");
                }
                continue;
            }
            for (a, b) in u.iter().zip(&back) {
                prop_assert!((a - b).abs() < 1e-8, "{name}: {u:?} -> {back:?}");
            }
        }
    }

    #[test]
    fn log_jacobian_matches_finite_difference_determinant(u0 in prop::collection::vec(-1.5f64..1.5, 10)) {
        for (name, t, reduce) in cases() {
            let u = &coords(&u0, t.unconstrained_len());
            let (_, lj) = constrain(t.as_ref(), u);
            let Some(reduce) = reduce else {
                prop_assert!((lj + 0.5 * u.iter().map(|v| v * v).sum::<f64>()).abs() < 1e-12, "{name}");
                continue;
            };
            let n = u.len();
            let mut jac = nalgebra::DMatrix::zeros(n, n);
            for c in 0..n {
                let h = 1e-6;
                let (mut up, mut dn) = (u.to_vec(), u.to_vec());
                up[c] += h;
                dn[c] -= h;
                let (fu, fd) = (reduce(&constrain(t.as_ref(), &up).0), reduce(&constrain(t.as_ref(), &dn).0));
                prop_assert_eq!(fu.len(), n, "{} reduced map must be square", name);
                for r in 0..n {
                    jac[(r, c)] = (fu[r] - fd[r]) / (2.0 * h);
                }
            }
            let want = log_abs_det(jac);
            prop_assert!((lj - want).abs() < 1e-6 * want.abs().max(1.0), "{name}: log|J| {lj}, FD {want}");
        }
    }

    #[test]
    fn vjp_matches_finite_differences(
        u0 in prop::collection::vec(-1.5f64..1.5, 10),
        adj in prop::collection::vec(-1.0f64..1.0, 16),
    ) {
        for (name, t, _) in cases() {
            let u = &coords(&u0, t.unconstrained_len());
            let x_adj = &adj[..t.constrained_len()];
            let g = |v: &[f64]| {
                let (x, lj) = constrain(t.as_ref(), v);
                x.iter().zip(x_adj).map(|(a, b)| a * b).sum::<f64>() + lj
            };
            // Start from ones to check that the product accumulates.
            let mut u_adj = vec![1.0; u.len()];
            t.constrain_vjp(u, x_adj, &mut u_adj).unwrap();
            for c in 0..u.len() {
                let h = 1e-6;
                let (mut up, mut dn) = (u.to_vec(), u.to_vec());
                up[c] += h;
                dn[c] -= h;
                let fd = (g(&up) - g(&dn)) / (2.0 * h);
                prop_assert!((u_adj[c] - 1.0 - fd).abs() < 1e-6 * fd.abs().max(1.0), "{name}[{c}]: vjp {}, FD {fd}", u_adj[c] - 1.0);
            }
        }
    }

    #[test]
    fn bound_adjoints_match_finite_differences(
        u in prop::collection::vec(-1.5f64..1.5, 3),
        x_adj in prop::collection::vec(-1.0f64..1.0, 3),
        lb in prop::collection::vec(-2.0f64..0.0, 3),
        width in 0.5f64..3.0,
        mult in 0.5f64..3.0,
    ) {
        let ub: Vec<f64> = lb.iter().map(|v| v + width).collect();
        let objective = |t: &dyn Transform| {
            let (x, lj) = constrain(t, &u);
            x.iter().zip(&x_adj).map(|(a, b)| a * b).sum::<f64>() + lj
        };
        let h = 1e-6;
        // Vector lower bound and scalar upper bound of an interval.
        let mut lb_adj = vec![0.0; 3];
        let mut ub_adj = vec![0.0];
        // Every lower bound is at most 0, so a scalar upper bound of `width` is above all.
        let t = LowerUpper { lb: Arg::Vector(&lb), ub: Arg::Scalar(width), len: 3 };
        t.constrain_vjp_bounds(&u, &x_adj, &mut [0.0; 3], Some(&mut lb_adj), Some(&mut ub_adj)).unwrap();
        for i in 0..3 {
            let (mut up, mut dn) = (lb.clone(), lb.clone());
            up[i] += h;
            dn[i] -= h;
            let fd = (objective(&LowerUpper { lb: Arg::Vector(&up), ..t }) - objective(&LowerUpper { lb: Arg::Vector(&dn), ..t })) / (2.0 * h);
            prop_assert!((lb_adj[i] - fd).abs() < 1e-6 * fd.abs().max(1.0), "lower_upper lb[{i}]");
        }
        let b = width;
        let fd = (objective(&LowerUpper { ub: Arg::Scalar(b + h), ..t }) - objective(&LowerUpper { ub: Arg::Scalar(b - h), ..t })) / (2.0 * h);
        prop_assert!((ub_adj[0] - fd).abs() < 1e-6 * fd.abs().max(1.0), "lower_upper ub");

        let mut adj = vec![0.0];
        Lower { lb: Arg::Scalar(lb[0]), len: 3 }.constrain_vjp_bounds(&u, &x_adj, &mut [0.0; 3], Some(&mut adj)).unwrap();
        let fd = (objective(&Lower { lb: Arg::Scalar(lb[0] + h), len: 3 }) - objective(&Lower { lb: Arg::Scalar(lb[0] - h), len: 3 })) / (2.0 * h);
        prop_assert!((adj[0] - fd).abs() < 1e-6 * fd.abs().max(1.0), "lower lb");

        let mut adj = vec![0.0];
        Upper { ub: Arg::Scalar(ub[0]), len: 3 }.constrain_vjp_bounds(&u, &x_adj, &mut [0.0; 3], Some(&mut adj)).unwrap();
        let fd = (objective(&Upper { ub: Arg::Scalar(ub[0] + h), len: 3 }) - objective(&Upper { ub: Arg::Scalar(ub[0] - h), len: 3 })) / (2.0 * h);
        prop_assert!((adj[0] - fd).abs() < 1e-6 * fd.abs().max(1.0), "upper ub");

        let (mut off_adj, mut mult_adj) = (vec![0.0; 3], vec![0.0]);
        let t = OffsetMultiplier { offset: Arg::Vector(&lb), multiplier: Arg::Scalar(mult), len: 3 };
        t.constrain_vjp_bounds(&u, &x_adj, &mut [0.0; 3], Some(&mut off_adj), Some(&mut mult_adj)).unwrap();
        let fd = (objective(&OffsetMultiplier { multiplier: Arg::Scalar(mult + h), ..t }) - objective(&OffsetMultiplier { multiplier: Arg::Scalar(mult - h), ..t })) / (2.0 * h);
        prop_assert!((mult_adj[0] - fd).abs() < 1e-6 * fd.abs().max(1.0), "multiplier");
        for i in 0..3 {
            prop_assert!((off_adj[i] - x_adj[i]).abs() < 1e-12, "offset[{i}]");
        }
    }
}

fn unconstrain_err(t: &dyn Transform, x: &[f64]) -> String {
    let mut u = vec![0.0; t.unconstrained_len()];
    t.unconstrain(x, &mut u).unwrap_err().to_string()
}

#[test]
fn unconstrain_names_the_violation() {
    assert_eq!(
        unconstrain_err(
            &Lower {
                lb: Arg::Scalar(0.0),
                len: 2
            },
            &[1.0, -1.0]
        ),
        "lower: element 2 is -1, but must be greater than the lower bound 0"
    );
    assert_eq!(
        unconstrain_err(
            &LowerUpper {
                lb: Arg::Scalar(0.0),
                ub: Arg::Scalar(1.0),
                len: 1
            },
            &[1.0]
        ),
        "lower_upper: element 1 is 1, but must be in the open interval (0, 1)"
    );
    assert!(unconstrain_err(&Simplex { k: 3 }, &[0.5, 0.4, 0.2]).contains("summing to 1"));
    assert!(
        unconstrain_err(&Simplex { k: 2 }, &[1.5, -0.5])
            .contains("element 2 is -0.5, but must be nonnegative")
    );
    assert!(
        unconstrain_err(&Ordered { k: 3 }, &[0.0, 1.0, 1.0])
            .contains("element 3 is 1, but must be greater than the previous element 1")
    );
    assert!(unconstrain_err(&PositiveOrdered { k: 2 }, &[-1.0, 1.0]).contains("positive"));
    assert!(unconstrain_err(&UnitVector { k: 2 }, &[1.0, 1.0]).contains("norm 1"));
    assert!(
        unconstrain_err(&CovMatrix { k: 2 }, &[1.0, 2.0, 2.0, 1.0]).contains("positive-definite")
    );
    assert!(unconstrain_err(&CovMatrix { k: 2 }, &[1.0, 0.1, 0.2, 1.0]).contains("symmetric"));
    assert!(
        unconstrain_err(&CorrMatrix { k: 2 }, &[2.0, 0.1, 0.1, 1.0]).contains("1 on the diagonal")
    );
    assert!(unconstrain_err(&CholeskyCorr { k: 2 }, &[1.0, 0.5, 0.0, 0.5]).contains("unit norm"));
    assert!(
        unconstrain_err(&CholeskyCov { m: 2, n: 2 }, &[1.0, 0.5, 0.3, 1.0])
            .contains("zero above the diagonal")
    );
    assert!(
        unconstrain_err(
            &OffsetMultiplier {
                offset: Arg::Scalar(0.0),
                multiplier: Arg::Scalar(0.0),
                len: 1
            },
            &[1.0]
        )
        .contains("positive finite multiplier")
    );
    assert!(
        unconstrain_err(
            &Lower {
                lb: Arg::Scalar(0.0),
                len: 1
            },
            &[f64::NAN]
        )
        .contains("not nan")
    );
}

#[test]
fn constrain_rejects_invalid_bounds_and_zero_vectors() {
    let mut x = [0.0; 2];
    let short = [0.0];
    let err = Lower {
        lb: Arg::Vector(&short),
        len: 2,
    }
    .constrain(&[0.0, 0.0], &mut x)
    .unwrap_err();
    assert!(err.to_string().contains("a bound of size 2"), "{err}");
    let t = LowerUpper {
        lb: Arg::Scalar(1.0),
        ub: Arg::Scalar(0.0),
        len: 2,
    };
    assert!(
        t.constrain(&[0.0, 0.0], &mut x)
            .unwrap_err()
            .to_string()
            .contains("greater than the lower bound 1")
    );
    assert!(UnitVector { k: 2 }.constrain(&[0.0, 0.0], &mut x).is_err());
}

#[test]
fn constrained_values_satisfy_their_constraints() {
    let u = [0.3, -1.2, 2.0, 0.7, -0.4, 1.1];
    let (x, _) = constrain(&Simplex { k: 4 }, &u[..3]);
    assert!((x.iter().sum::<f64>() - 1.0).abs() < 1e-15 && x.iter().all(|v| *v > 0.0));
    let (omega, _) = constrain(&CorrMatrix { k: 4 }, &u);
    let chol = nalgebra::DMatrix::from_column_slice(4, 4, &omega).cholesky();
    assert!(chol.is_some() && (0..4).all(|i| (omega[i * 5] - 1.0).abs() < 1e-14));
    // u = 0 gives the uniform simplex (the stick-breaking offsets).
    let (x, _) = constrain(&Simplex { k: 5 }, &[0.0; 4]);
    assert!(x.iter().all(|v| (v - 0.2).abs() < 1e-15), "{x:?}");
}
