//! Families parameterised by Cholesky factors: `multi_student_t_cholesky(y | nu, mu, L)`
//! and `wishart_cholesky` / `inv_wishart_cholesky(L_W | nu, L_S)`, with their RNGs.
//!
//! Each is its covariance-parameterised family at Σ = L Lᵀ (`multi_student_t`,
//! `wishart`, `inv_wishart`), with the symmetric partial G in Σ pulled back to the factor
//! as ∂/∂L = (G + Gᵀ) L = 2 G L on the lower triangle (only the lower triangle of a
//! factor is read). The Wishart forms are densities over the factor L_W of W = L_W L_Wᵀ,
//! so they add log |∂W/∂L_W| = K log 2 + Σₖ (K − k + 1) log L_W[k, k] (k = 1..K; Stan
//! Functions Reference, "Wishart distribution, Cholesky parameterization").

use super::args::MatRef;
use super::error::DistError;
use super::multi_student_t::{MultiStudentTPartials, multi_student_t_lpdf, multi_student_t_rng};
use super::mvn::check_cholesky;
use super::special::LOG_TWO;
use super::wishart::{
    WishartPartials, inv_wishart_lpdf, inv_wishart_rng, wishart_lpdf, wishart_rng,
};
use rand::Rng;

/// L Lᵀ of the lower triangle of `l` (K x K, column-major).
fn outer(l: &MatRef) -> Vec<f64> {
    let k = l.rows;
    let mut s = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let v: f64 = (0..=j).map(|m| l.at(i, m) * l.at(j, m)).sum();
            s[i + j * k] = v;
            s[j + i * k] = v;
        }
    }
    s
}

/// Adds the lower triangle of 2 G L into `out`, for a symmetric partial `g` in L Lᵀ.
fn pull_back(g: &[f64], l: &MatRef, out: &mut [f64]) {
    let k = l.rows;
    for j in 0..k {
        for i in j..k {
            out[i + j * k] += 2.0 * (0..k).map(|m| g[i + m * k] * l.at(m, j)).sum::<f64>();
        }
    }
}

/// The Cholesky factor of a symmetric positive-definite K x K matrix (column-major).
fn factor_of(function: &str, w: &[f64], k: usize) -> Result<Vec<f64>, DistError> {
    let m = nalgebra::DMatrix::from_column_slice(k, k, w);
    match nalgebra::Cholesky::new(m) {
        Some(c) => Ok(c.l().as_slice().to_vec()),
        None => Err(DistError::Domain {
            function: function.into(),
            arg: "draw",
            index: String::new(),
            value: f64::NAN,
            requirement: "positive definite (the draw was numerically singular)",
        }),
    }
}

/// `multi_student_t_cholesky_lpdf(y | nu, mu, L)`; partials as [`multi_student_t_lpdf`]'s
/// with `sigma` shaped like `L` (lower triangle filled).
pub fn multi_student_t_cholesky_lpdf(
    y: &[f64],
    nu: f64,
    mu: &[f64],
    l: MatRef,
    propto: bool,
    d: MultiStudentTPartials,
) -> Result<f64, DistError> {
    const F: &str = "multi_student_t_cholesky_lpdf";
    check_cholesky(F, "L", &l)?;
    let sigma = outer(&l);
    let k = l.rows;
    let s = MatRef::new(&sigma, k, k).expect("square by construction");
    let MultiStudentTPartials {
        y: dy,
        nu: dnu,
        mu: dmu,
        sigma: dl,
    } = d;
    let mut g = dl.as_ref().map(|_| vec![0.0; k * k]);
    let parts = MultiStudentTPartials {
        y: dy,
        nu: dnu,
        mu: dmu,
        sigma: g.as_deref_mut(),
    };
    let lp = multi_student_t_lpdf(y, nu, mu, s, propto, parts).map_err(|e| e.renamed(F))?;
    if let (Some(out), Some(g)) = (dl, g) {
        pull_back(&g, &l, out);
    }
    Ok(lp)
}

/// `multi_student_t_cholesky_rng(nu, mu, L)`.
pub fn multi_student_t_cholesky_rng<R: Rng + ?Sized>(
    nu: f64,
    mu: &[f64],
    l: MatRef,
    rng: &mut R,
) -> Result<Vec<f64>, DistError> {
    const F: &str = "multi_student_t_cholesky_rng";
    check_cholesky(F, "L", &l)?;
    let sigma = outer(&l);
    let s = MatRef::new(&sigma, l.rows, l.rows).expect("square by construction");
    multi_student_t_rng(nu, mu, s, rng).map_err(|e| e.renamed(F))
}

/// `wishart_cholesky_lpdf(L_W | nu, L_S)` (`inverse` false) or
/// `inv_wishart_cholesky_lpdf` (true); partials shaped like the factors.
pub fn wishart_cholesky_lpdf(
    inverse: bool,
    lw: MatRef,
    nu: f64,
    ls: MatRef,
    propto: bool,
    d: WishartPartials,
) -> Result<f64, DistError> {
    let f = if inverse {
        "inv_wishart_cholesky_lpdf"
    } else {
        "wishart_cholesky_lpdf"
    };
    check_cholesky(f, "L_W", &lw)?;
    check_cholesky(f, "L_S", &ls)?;
    let k = lw.rows;
    if ls.rows != k {
        return Err(DistError::Shape {
            function: f.into(),
            arg: "L_S",
            message: format!("is {} x {}, but L_W is {k} x {k}", ls.rows, ls.cols),
        });
    }
    let (w, s) = (outer(&lw), outer(&ls));
    let (wm, sm) = (
        MatRef::new(&w, k, k).expect("square by construction"),
        MatRef::new(&s, k, k).expect("square by construction"),
    );
    let WishartPartials {
        w: dlw,
        nu: dnu,
        s: dls,
    } = d;
    let mut gw = dlw.as_ref().map(|_| vec![0.0; k * k]);
    let mut gs = dls.as_ref().map(|_| vec![0.0; k * k]);
    let parts = WishartPartials {
        w: gw.as_deref_mut(),
        nu: dnu,
        s: gs.as_deref_mut(),
    };
    let mut lp = if inverse {
        inv_wishart_lpdf(wm, nu, sm, propto, parts)
    } else {
        wishart_lpdf(wm, nu, sm, propto, parts)
    }
    .map_err(|e| e.renamed(f))?;
    if !propto {
        lp += k as f64 * LOG_TWO;
    }
    let jacobian_varies = dlw.is_some();
    if !propto || jacobian_varies {
        lp += (0..k)
            .map(|i| (k - i) as f64 * lw.at(i, i).ln())
            .sum::<f64>();
    }
    if let (Some(out), Some(g)) = (dlw, gw) {
        pull_back(&g, &lw, out);
        for i in 0..k {
            out[i + i * k] += (k - i) as f64 / lw.at(i, i);
        }
    }
    if let (Some(out), Some(g)) = (dls, gs) {
        pull_back(&g, &ls, out);
    }
    Ok(lp)
}

/// `wishart_cholesky_rng(nu, L_S)` (`inverse` false) or `inv_wishart_cholesky_rng`: the
/// Cholesky factor of a Wishart (inverse Wishart) draw with scale L_S L_Sᵀ.
pub fn wishart_cholesky_rng<R: Rng + ?Sized>(
    inverse: bool,
    nu: f64,
    ls: MatRef,
    rng: &mut R,
) -> Result<Vec<f64>, DistError> {
    let f = if inverse {
        "inv_wishart_cholesky_rng"
    } else {
        "wishart_cholesky_rng"
    };
    check_cholesky(f, "L_S", &ls)?;
    let s = outer(&ls);
    let sm = MatRef::new(&s, ls.rows, ls.rows).expect("square by construction");
    let w = if inverse {
        inv_wishart_rng(nu, sm, rng)
    } else {
        wishart_rng(nu, sm, rng)
    }
    .map_err(|e| e.renamed(f))?;
    factor_of(f, &w, ls.rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: [f64; 9] = [1.2, 0.3, -0.4, 0.0, 0.9, 0.2, 0.0, 0.0, 1.1];
    const LS: [f64; 9] = [1.0, -0.2, 0.1, 0.0, 1.3, 0.4, 0.0, 0.0, 0.7];

    fn m(x: &[f64]) -> MatRef<'_> {
        MatRef::new(x, 3, 3).unwrap()
    }

    /// Central differences over the lower triangle of a factor.
    fn fd_lower(f: &dyn Fn(&[f64]) -> f64, l: &[f64], analytic: &[f64]) {
        let h = 1e-6;
        for j in 0..3 {
            for i in j..3 {
                let p = i + 3 * j;
                let (mut a, mut b) = (l.to_vec(), l.to_vec());
                a[p] += h;
                b[p] -= h;
                let want = (f(&a) - f(&b)) / (2.0 * h);
                assert!(
                    (analytic[p] - want).abs() < 1e-6 * (1.0 + want.abs()),
                    "[{i},{j}]: {} vs {want}",
                    analytic[p]
                );
            }
        }
    }

    #[test]
    fn student_t_cholesky_equals_the_covariance_form_with_exact_partials() {
        let (y, mu, nu) = ([0.3, -1.0, 0.8, 1.5, 0.2, -0.3], [0.1, 0.0, -0.2], 5.5);
        let sigma = outer(&m(&L));
        let a = multi_student_t_cholesky_lpdf(&y, nu, &mu, m(&L), false, Default::default());
        let b = multi_student_t_lpdf(&y, nu, &mu, m(&sigma), false, Default::default());
        assert!((a.unwrap() - b.unwrap()).abs() < 1e-12);
        let mut dl = [0.0; 9];
        let parts = MultiStudentTPartials {
            sigma: Some(&mut dl),
            ..Default::default()
        };
        multi_student_t_cholesky_lpdf(&y, nu, &mu, m(&L), false, parts).unwrap();
        let f = |l: &[f64]| {
            multi_student_t_cholesky_lpdf(&y, nu, &mu, m(l), false, Default::default()).unwrap()
        };
        fd_lower(&f, &L, &dl);
    }

    #[test]
    fn wishart_cholesky_is_the_wishart_density_of_the_factor() {
        // K = 1: W = l² ~ Wishart(nu, s²) = gamma(nu/2, rate 1/(2 s²)); p(l) = p_W(l²) 2l
        let (l, s, nu) = (1.3f64, 0.8f64, 3.5);
        let w = l * l;
        let gamma = (nu / 2.0 - 1.0) * w.ln()
            - w / (2.0 * s * s)
            - (nu / 2.0) * (2.0 * s * s).ln()
            - statrs::function::gamma::ln_gamma(nu / 2.0);
        let got = wishart_cholesky_lpdf(
            false,
            MatRef::new(&[l], 1, 1).unwrap(),
            nu,
            MatRef::new(&[s], 1, 1).unwrap(),
            false,
            Default::default(),
        )
        .unwrap();
        assert!((got - (gamma + (2.0 * l).ln())).abs() < 1e-12);
        for inverse in [false, true] {
            let (mut dw, mut dn, mut ds) = ([0.0; 9], 0.0, [0.0; 9]);
            let parts = WishartPartials {
                w: Some(&mut dw),
                nu: Some(&mut dn),
                s: Some(&mut ds),
            };
            wishart_cholesky_lpdf(inverse, m(&L), 6.0, m(&LS), false, parts).unwrap();
            let f = |lw: &[f64]| {
                wishart_cholesky_lpdf(inverse, m(lw), 6.0, m(&LS), false, Default::default())
                    .unwrap()
            };
            fd_lower(&f, &L, &dw);
            let f = |ls: &[f64]| {
                wishart_cholesky_lpdf(inverse, m(&L), 6.0, m(ls), false, Default::default())
                    .unwrap()
            };
            fd_lower(&f, &LS, &ds);
            let g = |nu: f64| {
                wishart_cholesky_lpdf(inverse, m(&L), nu, m(&LS), false, Default::default())
                    .unwrap()
            };
            let want = (g(6.0 + 1e-6) - g(6.0 - 1e-6)) / 2e-6;
            assert!((dn - want).abs() < 1e-6, "{dn} vs {want}");
        }
    }

    #[test]
    fn factors_are_validated_and_rng_returns_factors() {
        let upper_neg = [1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 1.0];
        let e = wishart_cholesky_lpdf(false, m(&upper_neg), 5.0, m(&LS), false, Default::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("L_W[2,2]") && e.contains("positive"), "{e}");
        let mut rng = crate::rng::chain_rng(1, 0);
        for inverse in [false, true] {
            let d = wishart_cholesky_rng(inverse, 6.0, m(&LS), &mut rng).unwrap();
            assert!((0..3).all(|i| d[i + 3 * i] > 0.0));
            assert!(d[3] == 0.0 && d[6] == 0.0 && d[7] == 0.0, "{d:?}");
        }
    }
}
