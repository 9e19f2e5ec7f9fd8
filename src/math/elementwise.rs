//! Elementwise functions over slices, each with its hand-written derivative: the unary
//! table ([`Unary`]) and the binary table with scalar broadcasting ([`Binary`]). Each
//! function is matched once per call and then looped, so a vector of any length costs
//! one dispatch.

use super::{bessel, normal, special, sum};
use statrs::function::erf;

/// `2 / sqrt(π)`, the derivative scale of erf.
const TWO_OVER_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

macro_rules! unary_table {
    ($( $name:ident $stan:literal |$x:ident| $val:expr, |$dx:ident, $y:ident| $der:expr; )*) => {
        /// An elementwise function of one argument.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Unary { $( #[doc = concat!("Stan's `", $stan, "`.")] $name ),* }

        impl Unary {
            /// Every unary function, for tests and listings.
            pub const ALL: &'static [Unary] = &[$(Unary::$name),*];

            /// The function's name in the Stan language.
            pub fn name(self) -> &'static str {
                match self { $(Unary::$name => $stan),* }
            }

            /// The value at `x`.
            #[inline]
            pub fn value(self, x: f64) -> f64 {
                match self { $(Unary::$name => { let $x = x; $val }),* }
            }

            /// The derivative at `x`, given the value `y = f(x)`.
            #[inline]
            #[allow(unused_variables, clippy::neg_multiply)]
            pub fn deriv(self, x: f64, y: f64) -> f64 {
                match self { $(Unary::$name => { let $dx = x; let $y = y; $der }),* }
            }

            /// `out[i] = f(xs[i])`.
            pub fn forward(self, xs: &[f64], out: &mut [f64]) {
                match self {
                    $(Unary::$name => for (o, &$x) in out.iter_mut().zip(xs) { *o = $val; }),*
                }
            }

            /// `x_adj[i] += out_adj[i] * f'(xs[i])`, given the values `ys`.
            #[allow(unused_variables, clippy::neg_multiply)]
            pub fn backward(self, xs: &[f64], ys: &[f64], out_adj: &[f64], x_adj: &mut [f64]) {
                match self {
                    $(Unary::$name => {
                        for (((a, &g), &$dx), &$y) in x_adj.iter_mut().zip(out_adj).zip(xs).zip(ys) {
                            *a += g * $der;
                        }
                    }),*
                }
            }
        }
    };
}

unary_table! {
    Neg "minus" |x| -x, |x, y| -1.0;
    Exp "exp" |x| x.exp(), |x, y| y;
    Log "log" |x| x.ln(), |x, y| 1.0 / x;
    Log10 "log10" |x| x.log10(), |x, y| 1.0 / (x * std::f64::consts::LN_10);
    Log2 "log2" |x| x.log2(), |x, y| 1.0 / (x * std::f64::consts::LN_2);
    Log1p "log1p" |x| x.ln_1p(), |x, y| 1.0 / (1.0 + x);
    Expm1 "expm1" |x| x.exp_m1(), |x, y| y + 1.0;
    Log1m "log1m" |x| special::log1m(x), |x, y| -1.0 / (1.0 - x);
    Sqrt "sqrt" |x| x.sqrt(), |x, y| 0.5 / y;
    Square "square" |x| x * x, |x, y| 2.0 * x;
    Inv "inv" |x| 1.0 / x, |x, y| -y * y;
    InvSqrt "inv_sqrt" |x| 1.0 / x.sqrt(), |x, y| -0.5 * y / x;
    InvLogit "inv_logit" |x| special::inv_logit(x), |x, y| y * (1.0 - y);
    Logit "logit" |x| special::logit(x), |x, y| 1.0 / (x * (1.0 - x));
    LogInvLogit "log_inv_logit" |x| special::log_inv_logit(x), |x, y| special::inv_logit(-x);
    Log1mInvLogit "log1m_inv_logit" |x| special::log1m_inv_logit(x), |x, y| -special::inv_logit(x);
    Log1pExp "log1p_exp" |x| special::log1p_exp(x), |x, y| special::inv_logit(x);
    Log1mExp "log1m_exp" |x| special::log1m_exp(x), |x, y| special::log1m_exp_deriv(x);
    Phi "Phi" |x| normal::phi(x), |x, y| normal::std_normal_pdf(x);
    LogPhi "std_normal_lcdf" |x| normal::log_phi(x), |x, y| normal::log_phi_deriv(x);
    PhiApprox "Phi_approx" |x| normal::phi_approx(x), |x, y| normal::phi_approx_deriv(x, y);
    InvPhi "inv_Phi" |x| normal::inv_phi(x), |x, y| 1.0 / normal::std_normal_pdf(y);
    Lgamma "lgamma" |x| special::lgamma(x), |x, y| special::digamma(x);
    Tgamma "tgamma" |x| special::tgamma(x), |x, y| y * special::digamma(x);
    Digamma "digamma" |x| special::digamma(x), |x, y| special::trigamma(x);
    Erf "erf" |x| erf::erf(x), |x, y| TWO_OVER_SQRT_PI * (-x * x).exp();
    Erfc "erfc" |x| erf::erfc(x), |x, y| -TWO_OVER_SQRT_PI * (-x * x).exp();
    Abs "abs" |x| x.abs(), |x, y| if x > 0.0 { 1.0 } else if x < 0.0 { -1.0 } else { 0.0 };
    Step "step" |x| if x < 0.0 { 0.0 } else { 1.0 }, |x, y| 0.0;
    Sin "sin" |x| x.sin(), |x, y| x.cos();
    Cos "cos" |x| x.cos(), |x, y| -x.sin();
    Tanh "tanh" |x| x.tanh(), |x, y| 1.0 - y * y;
    LogBesselI0 "log_modified_bessel_first_kind(0, .)" |x| bessel::log_bessel_i(0, x), |x, y| bessel::log_bessel_i0_deriv(x);
}

macro_rules! binary_table {
    ($( $name:ident $stan:literal |$a:ident, $b:ident| $val:expr, |$pa:ident, $pb:ident, $y:ident| $der:expr; )*) => {
        /// An elementwise function of two arguments; either argument may be a scalar
        /// broadcast against the other.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Binary { $( #[doc = concat!("Stan's `", $stan, "`.")] $name ),* }

        impl Binary {
            /// Every binary function, for tests and listings.
            pub const ALL: &'static [Binary] = &[$(Binary::$name),*];

            /// The function's name in the Stan language.
            pub fn name(self) -> &'static str {
                match self { $(Binary::$name => $stan),* }
            }

            /// The value at `(a, b)`.
            #[inline]
            pub fn value(self, a: f64, b: f64) -> f64 {
                match self { $(Binary::$name => { let $a = a; let $b = b; $val }),* }
            }

            /// The partial derivatives `(∂f/∂a, ∂f/∂b)` given the value `y`.
            #[inline]
            #[allow(unused_variables)]
            pub fn partials(self, a: f64, b: f64, y: f64) -> (f64, f64) {
                match self { $(Binary::$name => { let $pa = a; let $pb = b; let $y = y; $der }),* }
            }

            /// `out[i] = f(a[i·sa], b[i·sb])`, where a stride is 0 for a broadcast scalar.
            ///
            /// A vector divided by a broadcast scalar is multiplied by the reciprocal:
            /// one division instead of one per element, within two ulps of the quotient.
            pub fn forward(self, a: &[f64], b: &[f64], out: &mut [f64]) {
                if self == Binary::Div && b.len() == 1 && a.len() > 1 {
                    let inv = 1.0 / b[0];
                    for (o, &x) in out.iter_mut().zip(a) {
                        *o = x * inv;
                    }
                    return;
                }
                match self {
                    $(Binary::$name => broadcast(a, b, out, |$a, $b| $val)),*
                }
            }

            /// Accumulates the adjoints of both arguments into one buffer `adj`, where
            /// `a_at`/`b_at` give each argument's offset (`None` for data, which gets no
            /// adjoint). The arguments may alias (`x * x`). `ys` are the values and `g`
            /// the output adjoints.
            #[allow(unused_variables, clippy::too_many_arguments)]
            pub fn backward(
                self,
                a: &[f64],
                b: &[f64],
                ys: &[f64],
                g: &[f64],
                adj: &mut [f64],
                a_at: Option<usize>,
                b_at: Option<usize>,
            ) {
                if self == Binary::Div
                    && b.len() == 1
                    && a.len() > 1
                    && div_by_scalar_backward(&a[..ys.len()], b[0], ys, g, adj, a_at, b_at)
                {
                    return;
                }
                match self {
                    $(Binary::$name => backward_with(
                        a, b, ys, g, adj, a_at, b_at, |$pa, $pb, $y| $der
                    )),*
                }
            }
        }
    };
}

/// Applies `f` elementwise, broadcasting a length-1 argument.
#[inline(always)]
fn broadcast(a: &[f64], b: &[f64], out: &mut [f64], f: impl Fn(f64, f64) -> f64) {
    match (a.len(), b.len()) {
        (1, 1) => out[0] = f(a[0], b[0]),
        (1, _) => {
            let s = a[0];
            for (o, &y) in out.iter_mut().zip(b) {
                *o = f(s, y);
            }
        }
        (_, 1) => {
            let s = b[0];
            for (o, &x) in out.iter_mut().zip(a) {
                *o = f(x, s);
            }
        }
        _ => {
            for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                *o = f(x, y);
            }
        }
    }
}

/// The broadcasting reverse loop shared by every binary function.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn backward_with(
    a: &[f64],
    b: &[f64],
    ys: &[f64],
    g: &[f64],
    adj: &mut [f64],
    a_at: Option<usize>,
    b_at: Option<usize>,
    partials: impl Fn(f64, f64, f64) -> (f64, f64),
) {
    let sa = usize::from(a.len() != 1);
    let sb = usize::from(b.len() != 1);
    let n = ys.len();
    // Fast paths: equally long arguments in disjoint adjoint ranges (or only one needing
    // an adjoint), and a broadcast scalar whose adjoint is summed locally.
    let disjoint = match (a_at, b_at) {
        (Some(oa), Some(ob)) => oa + n <= ob || ob + n <= oa,
        _ => true,
    };
    if sa == 1 && sb == 1 && disjoint {
        let (mut ga, mut gb): (&mut [f64], &mut [f64]) = (&mut [], &mut []);
        match (a_at, b_at) {
            (Some(oa), Some(ob)) if oa < ob => {
                let (lo, hi) = adj.split_at_mut(ob);
                (ga, gb) = (&mut lo[oa..oa + n], &mut hi[..n]);
            }
            (Some(oa), Some(ob)) => {
                let (lo, hi) = adj.split_at_mut(oa);
                (ga, gb) = (&mut hi[..n], &mut lo[ob..ob + n]);
            }
            (Some(oa), None) => ga = &mut adj[oa..oa + n],
            (None, Some(ob)) => gb = &mut adj[ob..ob + n],
            (None, None) => return,
        }
        let (a, b, ys, g) = (&a[..n], &b[..n], &ys[..n], &g[..n]);
        if !ga.is_empty() && !gb.is_empty() {
            for i in 0..n {
                let (da, db) = partials(a[i], b[i], ys[i]);
                ga[i] += g[i] * da;
                gb[i] += g[i] * db;
            }
        } else if !ga.is_empty() {
            for i in 0..n {
                ga[i] += g[i] * partials(a[i], b[i], ys[i]).0;
            }
        } else {
            for i in 0..n {
                gb[i] += g[i] * partials(a[i], b[i], ys[i]).1;
            }
        }
        return;
    }
    if n > 1 && sa != sb {
        // one side is a broadcast scalar: its adjoint is summed locally
        let (vec_at, sc_at) = if sa == 1 { (a_at, b_at) } else { (b_at, a_at) };
        let overlap = matches!((vec_at, sc_at), (Some(v), Some(c)) if (v..v + n).contains(&c));
        if !overlap {
            let ys = &ys[..n];
            // two monomorphic loops (vector on the left or on the right), so neither
            // carries a per-element branch on the broadcast side
            let acc = if sa == 1 {
                let (a, s) = (&a[..n], b[0]);
                broadcast_backward(&g[..n], adj, vec_at, |i| partials(a[i], s, ys[i]))
            } else {
                let (s, b) = (a[0], &b[..n]);
                broadcast_backward(&g[..n], adj, vec_at, |i| {
                    let (da, db) = partials(s, b[i], ys[i]);
                    (db, da)
                })
            };
            if let Some(c) = sc_at {
                adj[c] += acc;
            }
            return;
        }
    }
    for (i, (&y, &gi)) in ys.iter().zip(g).enumerate() {
        let (da, db) = partials(a[i * sa], b[i * sb], y);
        if let Some(o) = a_at {
            adj[o + i * sa] += gi * da;
        }
        if let Some(o) = b_at {
            adj[o + i * sb] += gi * db;
        }
    }
}

/// The reverse loop of a vector-with-broadcast-scalar function: `pick(i)` gives the
/// partials (vector side, scalar side) at element `i`. Adds into the vector's adjoints
/// (at `vec_at`, if it has any) and returns the scalar's accumulated adjoint.
#[inline(always)]
fn broadcast_backward(
    g: &[f64],
    adj: &mut [f64],
    vec_at: Option<usize>,
    pick: impl Fn(usize) -> (f64, f64),
) -> f64 {
    let n = g.len();
    match vec_at {
        Some(v) => {
            let t = &mut adj[v..v + n];
            sum::sum_by(n, |i| {
                let (dv, ds) = pick(i);
                t[i] += g[i] * dv;
                g[i] * ds
            })
        }
        None => sum::sum_by(n, |i| g[i] * pick(i).1),
    }
}

/// Reverse rule of `a / s` for a vector `a` and a broadcast scalar `s`: one division for
/// the whole vector instead of two per element (∂/∂aᵢ = 1/s, ∂/∂s = -Σ gᵢ yᵢ / s).
/// Returns false, doing nothing, when the scalar's adjoint lies inside the vector's.
fn div_by_scalar_backward(
    a: &[f64],
    s: f64,
    ys: &[f64],
    g: &[f64],
    adj: &mut [f64],
    a_at: Option<usize>,
    b_at: Option<usize>,
) -> bool {
    let n = a.len();
    if matches!((a_at, b_at), (Some(v), Some(c)) if (v..v + n).contains(&c)) {
        return false;
    }
    let inv = 1.0 / s;
    let g = &g[..n];
    if let Some(v) = a_at {
        for (t, &gi) in adj[v..v + n].iter_mut().zip(g) {
            *t += gi * inv;
        }
    }
    if let Some(c) = b_at {
        adj[c] -= sum::dot(g, &ys[..n]) * inv;
    }
    true
}

binary_table! {
    Add "add" |a, b| a + b, |a, b, y| (1.0, 1.0);
    Sub "subtract" |a, b| a - b, |a, b, y| (1.0, -1.0);
    Mul "elt_multiply" |a, b| a * b, |a, b, y| (b, a);
    Div "elt_divide" |a, b| a / b, |a, b, y| (1.0 / b, -y / b);
    Pow "pow" |a, b| a.powf(b), |a, b, y| (
        if b == 0.0 { 0.0 } else { b * a.powf(b - 1.0) },
        if y == 0.0 { 0.0 } else { y * a.ln() }
    );
    Fmin "fmin" |a, b| a.min(b), |a, b, y| if a <= b { (1.0, 0.0) } else { (0.0, 1.0) };
    Fmax "fmax" |a, b| a.max(b), |a, b, y| if a >= b { (1.0, 0.0) } else { (0.0, 1.0) };
    Lbeta "lbeta" |a, b| special::lbeta(a, b), |a, b, y| special::lbeta_grad(a, b);
    Lchoose "lchoose" |a, b| special::lchoose(a, b), |a, b, y| special::lchoose_grad(a, b);
    LogSumExp "log_sum_exp" |a, b| special::log_sum_exp2(a, b), |a, b, y| ((a - y).exp(), (b - y).exp());
    LogDiffExp "log_diff_exp" |a, b| special::log_diff_exp(a, b), |a, b, y| (
        -1.0 / (b - a).exp_m1(),
        -1.0 / (a - b).exp_m1()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A point inside every unary function's domain and away from its kinks.
    fn unary_point(f: Unary) -> f64 {
        match f {
            Unary::Log1mExp => -0.7,
            Unary::Abs | Unary::Step => 0.8,
            _ => 0.3,
        }
    }

    #[test]
    fn every_unary_derivative_matches_central_differences() {
        for &f in Unary::ALL {
            let x = unary_point(f);
            let h = 1e-6;
            let fd = (f.value(x + h) - f.value(x - h)) / (2.0 * h);
            let d = f.deriv(x, f.value(x));
            assert!(
                (d - fd).abs() < 1e-6 * (1.0 + fd.abs()),
                "{}: {d} vs {fd}",
                f.name()
            );
        }
    }

    #[test]
    fn every_binary_partial_matches_central_differences() {
        for &f in Binary::ALL {
            let (a, b) = match f {
                Binary::Lchoose => (4.5, 1.5),
                Binary::LogDiffExp => (1.2, 0.4),
                _ => (0.7, 1.3),
            };
            let h = 1e-6;
            let (da, db) = f.partials(a, b, f.value(a, b));
            let fa = (f.value(a + h, b) - f.value(a - h, b)) / (2.0 * h);
            let fb = (f.value(a, b + h) - f.value(a, b - h)) / (2.0 * h);
            assert!((da - fa).abs() < 1e-6 * (1.0 + fa.abs()), "{} ∂a", f.name());
            assert!((db - fb).abs() < 1e-6 * (1.0 + fb.abs()), "{} ∂b", f.name());
        }
    }

    #[test]
    fn slice_forms_agree_with_scalar_forms_including_broadcasting() {
        let xs = [0.1, 0.5, 0.9];
        let mut out = [0.0; 3];
        Unary::Logit.forward(&xs, &mut out);
        assert_eq!(out[1], Unary::Logit.value(0.5));
        Binary::Pow.forward(&[2.0], &xs, &mut out);
        assert_eq!(out[2], 2f64.powf(0.9));
        Binary::Sub.forward(&xs, &[1.0], &mut out);
        assert_eq!(out, [0.1 - 1.0, 0.5 - 1.0, 0.9 - 1.0]);
    }
}
