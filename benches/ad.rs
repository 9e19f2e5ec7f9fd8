//! Gradient cost of tape-built models against hand-written analytic gradients of the same
//! models: eight schools (non-centered), a 1,000-observation logistic regression written
//! vectorised and as a scalar loop, and radon varying intercepts (919 homes, 85
//! counties). Prints nanoseconds per gradient and the ratio tape / hand-written.
//!
//! Run with `cargo bench --profile ci --locked --bench ad`; set `AD_BENCH_FILTER=radon`
//! to time only the cases whose name contains that text. Goals (issue 5): ratio ≤ 2
//! everywhere, ≤ 1.5 for the vectorised forms.

use hazel::ad::fd::max_gradient_error;
use hazel::ad::{ScalarKernel, TapeBuilder, TapeDensity, Var};
use hazel::math::special::{inv_logit, log1p_exp};
use hazel::math::sum::sum_by;
use hazel::model::{EvalError, LogDensity};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Wall time of one timing round; the best of [`ROUNDS`] rounds is reported, which
/// filters out interference from other processes on a shared machine.
const TIME_PER_ROUND: Duration = Duration::from_millis(60);
/// Timing rounds per density.
const ROUNDS: usize = 7;

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

unsafe extern "C" {
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}

/// Linux `CLOCK_THREAD_CPUTIME_ID`.
const CLOCK_THREAD_CPUTIME_ID: i32 = 3;

/// CPU time consumed by this thread, in nanoseconds: unlike wall time it does not count
/// the time other processes hold the core, which on a shared build machine dominates.
fn thread_cpu_ns() -> f64 {
    let mut t = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; the clock id is a Linux constant.
    unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e9 + t.tv_nsec as f64
}

/// CPU nanoseconds per gradient evaluation of `d` at `x` (best round).
fn time_gradient(d: &impl LogDensity, x: &[f64]) -> f64 {
    let mut g = vec![0.0; x.len()];
    let mut run = |budget: Duration| {
        let start = thread_cpu_ns();
        let wall = Instant::now();
        let mut n = 0u64;
        while wall.elapsed() < budget {
            for _ in 0..16 {
                black_box(d.log_density_and_gradient(black_box(x), &mut g).ok());
            }
            n += 16;
        }
        (thread_cpu_ns() - start) / n as f64
    };
    run(TIME_PER_ROUND);
    (0..ROUNDS)
        .map(|_| run(TIME_PER_ROUND))
        .fold(f64::INFINITY, f64::min)
}

/// A hand-written density: a closure computing value and gradient.
struct Hand<F> {
    dim: usize,
    f: F,
}

impl<F: Fn(&[f64], &mut [f64]) -> f64 + Sync> LogDensity for Hand<F> {
    fn dim(&self) -> usize {
        self.dim
    }
    fn log_density_and_gradient(&self, x: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        Ok((self.f)(x, grad))
    }
}

fn report(name: &str, tape: &TapeDensity, hand: &impl LogDensity, x: &[f64]) {
    if let Ok(filter) = std::env::var("AD_BENCH_FILTER")
        && !name.contains(&filter)
    {
        return;
    }
    let (mut g1, mut g2) = (vec![0.0; x.len()], vec![0.0; x.len()]);
    // values may differ by constants (the hand-written densities drop some); gradients
    // may not
    tape.log_density_and_gradient(x, &mut g1)
        .expect("tape evaluates");
    hand.log_density_and_gradient(x, &mut g2)
        .expect("hand evaluates");
    let gdiff = g1
        .iter()
        .zip(&g2)
        .map(|(a, b)| (a - b).abs() / (1.0 + b.abs()))
        .fold(0.0, f64::max);
    assert!(
        gdiff < 1e-8,
        "{name}: tape and hand gradients disagree by {gdiff}"
    );
    let fd = max_gradient_error(tape, x).expect("finite differences");
    let t_tape = time_gradient(tape, x);
    let t_hand = time_gradient(hand, x);
    println!(
        "{name:<34} {:>5} ops {:>10.0} ns {:>10.0} ns {:>6.2}x   (fd err {fd:.1e})",
        tape.tape().ops().len(),
        t_tape,
        t_hand,
        t_tape / t_hand
    );
}

/// `Σ normal_lupdf(y | mu, sigma)` (constants dropped, as `~` does) over (y, mu, sigma),
/// each a vector or a broadcast scalar: a stand-in for the `crate::dist` kernel, as the
/// compiler would lower `y ~ normal(mu, sigma)` to one op.
struct NormalLupdf;

impl ScalarKernel for NormalLupdf {
    fn name(&self) -> &str {
        "normal_lupdf"
    }
    fn value_and_gradient(
        &self,
        inputs: &[&[f64]],
        grads: &mut [&mut [f64]],
    ) -> Result<f64, String> {
        let (y, mu, sigma) = (inputs[0], inputs[1], inputs[2]);
        let n = y.len().max(mu.len()).max(sigma.len());
        if y.len() == n && mu.len() == n && sigma.len() == 1 && grads[0].is_empty() {
            // the common vectorised case: data y, a location vector, a scalar scale
            let s = sigma[0];
            if s <= 0.0 {
                return Err(format!("scale {s} is not positive"));
            }
            let inv = 1.0 / s;
            let (_, rest) = grads.split_at_mut(1);
            let (gmu, gsigma) = rest.split_at_mut(1);
            // four partial sums, as a tuned kernel keeps them (hazel::math::sum)
            let ss = if gmu[0].is_empty() {
                sum_by(n, |i| {
                    let z = (y[i] - mu[i]) * inv;
                    z * z
                })
            } else {
                let gm = &mut gmu[0][..n];
                sum_by(n, |i| {
                    let z = (y[i] - mu[i]) * inv;
                    gm[i] = z * inv;
                    z * z
                })
            };
            // `~` drops constants: -n log σ only counts when σ is a parameter
            let mut lp = -0.5 * ss;
            if !gsigma[0].is_empty() {
                lp -= n as f64 * s.ln();
                gsigma[0][0] = (ss - n as f64) * inv;
            }
            return Ok(lp);
        }
        let at = |v: &[f64], i: usize| if v.len() == 1 { v[0] } else { v[i] };
        let mut lp = 0.0;
        for i in 0..n {
            let s = at(sigma, i);
            if s <= 0.0 {
                return Err(format!("scale {s} is not positive"));
            }
            let inv = 1.0 / s;
            let z = (at(y, i) - at(mu, i)) * inv;
            lp -= 0.5 * z * z;
            let dmu = z * inv;
            for (k, d) in [(0, -dmu), (1, dmu), (2, (z * z - 1.0) * inv)] {
                let g = &mut grads[k];
                if !g.is_empty() {
                    g[if g.len() == 1 { 0 } else { i }] += d;
                }
            }
        }
        // `~` drops constants: -log σ only counts when σ is a parameter
        if !grads[2].is_empty() {
            if sigma.len() == 1 {
                lp -= n as f64 * sigma[0].ln();
            } else {
                lp -= sigma.iter().map(|s| s.ln()).sum::<f64>();
            }
        }
        Ok(lp)
    }
}

/// Records `y ~ normal(mu, sigma)` as one kernel op.
fn normal<'b>(b: &'b TapeBuilder, y: Var<'b>, mu: Var<'b>, sigma: Var<'b>) -> Var<'b> {
    b.var(
        b.scalar_kernel(Arc::new(NormalLupdf), &[y.slot(), mu.slot(), sigma.slot()])
            .unwrap(),
    )
}

const Y8: [f64; 8] = [28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0];
const SIGMA8: [f64; 8] = [15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0];

fn eight_schools() {
    let b = TapeBuilder::new(10);
    let p = b.param_vector();
    let (mu, log_tau) = (p.at(0), p.at(1));
    let eta = b.var(b.view(p.slot(), 2, 8, 1).unwrap());
    let tau = log_tau.exp();
    let theta = mu + tau * eta;
    let y = b.data_vector(&Y8);
    let sigma = b.data_vector(&SIGMA8);
    let lp = -0.5 * (mu / 5.0).square() - 0.5 * (tau / 5.0).square() + log_tau
        - 0.5 * eta.dot_self()
        + (-0.5 * ((y - theta) / sigma).square()).sum();
    let tape = TapeDensity::new(b.finish_var(lp).unwrap());
    let hand = Hand {
        dim: 10,
        f: |x: &[f64], g: &mut [f64]| {
            let (mu, log_tau) = (x[0], x[1]);
            let tau = log_tau.exp();
            let mut lp = -0.5 * (mu / 5.0) * (mu / 5.0) - 0.5 * (tau / 5.0) * (tau / 5.0) + log_tau;
            g[0] = -mu / 25.0;
            g[1] = -tau * tau / 25.0 + 1.0;
            for j in 0..8 {
                let eta = x[2 + j];
                let r = (Y8[j] - mu - tau * eta) / SIGMA8[j];
                lp += -0.5 * eta * eta - 0.5 * r * r;
                let d = r / SIGMA8[j];
                g[0] += d;
                g[1] += d * eta * tau;
                g[2 + j] = -eta + d * tau;
            }
            lp
        },
    };
    let x: Vec<f64> = (0..10).map(|i| 0.2 * i as f64 - 0.9).collect();
    report("eight schools, Var arithmetic", &tape, &hand, &x);

    // as the compiler lowers it: one kernel op per `~` statement
    let b = TapeBuilder::new(10);
    let p = b.param_vector();
    let (mu, log_tau) = (p.at(0), p.at(1));
    let eta = b.var(b.view(p.slot(), 2, 8, 1).unwrap());
    let tau = log_tau.exp();
    let (zero, one, five) = (b.data(0.0), b.data(1.0), b.data(5.0));
    let lp = normal(&b, mu, zero, five)
        + normal(&b, tau, zero, five)
        + log_tau
        + normal(&b, eta, zero, one)
        + normal(
            &b,
            b.data_vector(&Y8),
            mu + tau * eta,
            b.data_vector(&SIGMA8),
        );
    let tape = TapeDensity::new(b.finish_var(lp).unwrap());
    report("eight schools, normal kernels", &tape, &hand, &x);
}

/// `Σ y log inv_logit(η) + (1 - y) log(1 - inv_logit(η))` over (y, η).
struct BernoulliLogit;

impl ScalarKernel for BernoulliLogit {
    fn name(&self) -> &str {
        "bernoulli_logit_lpmf"
    }
    fn value_and_gradient(
        &self,
        inputs: &[&[f64]],
        grads: &mut [&mut [f64]],
    ) -> Result<f64, String> {
        let (y, eta) = (inputs[0], inputs[1]);
        let mut lp = 0.0;
        for (i, (&yi, &e)) in y.iter().zip(eta).enumerate() {
            lp += yi * e - log1p_exp(e);
            grads[1][i] = yi - inv_logit(e);
        }
        Ok(lp)
    }
}

const N_LOGIT: usize = 1000;
const K_LOGIT: usize = 5;

/// Deterministic pseudo-data: a design matrix (column-major, intercept first) and 0/1
/// outcomes.
fn logistic_data() -> (Vec<f64>, Vec<f64>) {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut unif = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut x = vec![1.0; N_LOGIT * K_LOGIT];
    for v in x.iter_mut().skip(N_LOGIT) {
        *v = 2.0 * unif() - 1.0;
    }
    let y = (0..N_LOGIT)
        .map(|_| if unif() < 0.4 { 1.0 } else { 0.0 })
        .collect();
    (x, y)
}

fn logistic_hand(xm: &[f64], y: &[f64]) -> impl Fn(&[f64], &mut [f64]) -> f64 + Sync {
    move |beta: &[f64], g: &mut [f64]| {
        let mut lp = 0.0;
        for (k, gk) in g.iter_mut().enumerate() {
            lp -= 0.5 * beta[k] * beta[k];
            *gk = -beta[k];
        }
        for i in 0..N_LOGIT {
            let mut eta = 0.0;
            for k in 0..K_LOGIT {
                eta += xm[i + k * N_LOGIT] * beta[k];
            }
            lp += y[i] * eta - log1p_exp(eta);
            let r = y[i] - inv_logit(eta);
            for k in 0..K_LOGIT {
                g[k] += r * xm[i + k * N_LOGIT];
            }
        }
        lp
    }
}

fn logistic_regression() {
    let (xm, y) = logistic_data();
    let hand = Hand {
        dim: K_LOGIT,
        f: logistic_hand(&xm, &y),
    };
    let beta0 = [0.3, -0.2, 0.5, 0.1, -0.4];

    // vectorised: one op for X * beta, one kernel op for the likelihood
    let b = TapeBuilder::new(K_LOGIT);
    let beta = b.param_vector();
    let x = b.data_matrix(&xm, N_LOGIT, K_LOGIT);
    let eta = x.matmul(beta);
    let yv = b.data_vector(&y);
    let lik = b.var(
        b.scalar_kernel(Arc::new(BernoulliLogit), &[yv.slot(), eta.slot()])
            .unwrap(),
    );
    let lp = -0.5 * beta.dot_self() + lik;
    let tape = TapeDensity::new(b.finish_var(lp).unwrap());
    report("logistic regression, vectorised", &tape, &hand, &beta0);

    // scalar loop: one dot product and a few scalar ops per observation
    let b = TapeBuilder::new(K_LOGIT);
    let beta = b.param_vector();
    let mut terms = Vec::with_capacity(N_LOGIT + 1);
    terms.push(-0.5 * beta.dot_self());
    for i in 0..N_LOGIT {
        let row: Vec<f64> = (0..K_LOGIT).map(|k| xm[i + k * N_LOGIT]).collect();
        let eta = b.data_vector(&row).dot(beta);
        terms.push(y[i] * eta - eta.log1p_exp());
    }
    let lp = b.stack(&terms).sum();
    let tape = TapeDensity::new(b.finish_var(lp).unwrap());
    report("logistic regression, scalar loop", &tape, &hand, &beta0);
}

struct Radon {
    county: Vec<usize>,
    floor: Vec<f64>,
    log_radon: Vec<f64>,
    j: usize,
}

fn radon_data() -> Radon {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/bench/radon_mn.json");
    let text = std::fs::read_to_string(path).expect("data/bench/radon_mn.json is readable");
    let v: serde_json::Value = serde_json::from_str(&text).expect("radon_mn.json is JSON");
    let reals = |k: &str| -> Vec<f64> {
        v[k].as_array()
            .expect("array")
            .iter()
            .map(|x| x.as_f64().expect("number"))
            .collect()
    };
    Radon {
        county: reals("county_idx")
            .iter()
            .map(|&c| c as usize - 1)
            .collect(),
        floor: reals("floor_measure"),
        log_radon: reals("log_radon"),
        j: v["J"].as_u64().expect("J") as usize,
    }
}

/// Varying intercepts, non-centered. Parameters: mu_a, log sigma_a, log sigma_y, beta,
/// eta[J]. alpha = mu_a + sigma_a eta; y ~ normal(alpha[county] + beta floor, sigma_y);
/// mu_a, beta ~ normal(0, 10); sigma_a, sigma_y ~ half-normal(0, 1) (log scale + Jacobian);
/// eta ~ std_normal.
fn radon() {
    let d = radon_data();
    let (n, j) = (d.floor.len(), d.j);
    let b = TapeBuilder::new(4 + j);
    let p = b.param_vector();
    let (mu_a, ls_a, ls_y, beta) = (p.at(0), p.at(1), p.at(2), p.at(3));
    let eta = b.var(b.view(p.slot(), 4, j, 1).unwrap());
    let (s_a, s_y) = (ls_a.exp(), ls_y.exp());
    let alpha = mu_a + s_a * eta;
    let mean = alpha.select(&d.county) + beta * b.data_vector(&d.floor);
    let y = b.data_vector(&d.log_radon);
    let lik = -0.5 * ((y - mean) / s_y).square().sum() - n as f64 * ls_y;
    let prior = -0.5 * (mu_a / 10.0).square() - 0.5 * (beta / 10.0).square() - 0.5 * s_a.square()
        + ls_a
        - 0.5 * s_y.square()
        + ls_y
        - 0.5 * eta.dot_self();
    let tape = TapeDensity::new(b.finish_var(prior + lik).unwrap());
    let hand = Hand {
        dim: 4 + j,
        f: |x: &[f64], g: &mut [f64]| {
            let (mu_a, ls_a, ls_y, beta) = (x[0], x[1], x[2], x[3]);
            let (s_a, s_y) = (ls_a.exp(), ls_y.exp());
            let eta = &x[4..];
            let mut lp =
                -0.5 * (mu_a / 10.0).powi(2) - 0.5 * (beta / 10.0).powi(2) - 0.5 * s_a * s_a + ls_a
                    - 0.5 * s_y * s_y
                    + ls_y
                    - n as f64 * ls_y;
            g[0] = -mu_a / 100.0;
            g[1] = -s_a * s_a + 1.0;
            g[2] = -s_y * s_y + 1.0 - n as f64;
            g[3] = -beta / 100.0;
            for c in 0..j {
                lp -= 0.5 * eta[c] * eta[c];
                g[4 + c] = -eta[c];
            }
            let inv_var = 1.0 / (s_y * s_y);
            let mut ss = 0.0;
            for i in 0..n {
                let c = d.county[i];
                let r = d.log_radon[i] - (mu_a + s_a * eta[c]) - beta * d.floor[i];
                ss += r * r;
                let dm = r * inv_var;
                g[0] += dm;
                g[1] += dm * s_a * eta[c];
                g[3] += dm * d.floor[i];
                g[4 + c] += dm * s_a;
            }
            lp -= 0.5 * ss * inv_var;
            g[2] += ss * inv_var;
            lp
        },
    };
    let x: Vec<f64> = (0..4 + j).map(|i| 0.01 * (i % 17) as f64 - 0.05).collect();
    report("radon, Var arithmetic", &tape, &hand, &x);

    // as the compiler lowers it: gather, one affine op pair, one kernel op per `~`
    let b = TapeBuilder::new(4 + j);
    let p = b.param_vector();
    let (mu_a, ls_a, ls_y, beta) = (p.at(0), p.at(1), p.at(2), p.at(3));
    let eta = b.var(b.view(p.slot(), 4, j, 1).unwrap());
    let (s_a, s_y) = (ls_a.exp(), ls_y.exp());
    let alpha = mu_a + s_a * eta;
    let mean = alpha.select(&d.county) + beta * b.data_vector(&d.floor);
    let (zero, one, ten) = (b.data(0.0), b.data(1.0), b.data(10.0));
    let lp = normal(&b, mu_a, zero, ten)
        + normal(&b, beta, zero, ten)
        + normal(&b, s_a, zero, one)
        + ls_a
        + normal(&b, s_y, zero, one)
        + ls_y
        + normal(&b, eta, zero, one)
        + normal(&b, b.data_vector(&d.log_radon), mean, s_y);
    let tape = TapeDensity::new(b.finish_var(lp).unwrap());
    report("radon, normal kernels", &tape, &hand, &x);
}

fn main() {
    println!(
        "{:<34} {:>9} {:>13} {:>13} {:>7}",
        "model", "tape", "tape/grad", "hand/grad", "ratio"
    );
    eight_schools();
    logistic_regression();
    radon();
}
