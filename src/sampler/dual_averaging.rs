//! Step-size adaptation by Nesterov dual averaging (Hoffman and Gelman 2014, as in Stan's
//! `stepsize_adaptation`).

/// Stan reference manual, HMC algorithm parameters: adaptation regularisation scale γ = 0.05.
pub const DEFAULT_GAMMA: f64 = 0.05;
/// Stan reference manual: adaptation relaxation exponent κ = 0.75.
pub const DEFAULT_KAPPA: f64 = 0.75;
/// Stan reference manual: adaptation iteration offset t₀ = 10.
pub const DEFAULT_T0: f64 = 10.0;

/// Dual-averaging state.
#[derive(Debug, Clone, PartialEq)]
pub struct DualAveraging {
    delta: f64,
    gamma: f64,
    kappa: f64,
    t0: f64,
    mu: f64,
    counter: f64,
    s_bar: f64,
    x_bar: f64,
}

impl DualAveraging {
    /// Targets acceptance statistic `delta`, shrinking toward `log(10 · step_size)`.
    pub fn new(delta: f64, step_size: f64) -> Self {
        DualAveraging {
            delta,
            gamma: DEFAULT_GAMMA,
            kappa: DEFAULT_KAPPA,
            t0: DEFAULT_T0,
            mu: (10.0 * step_size).ln(),
            counter: 0.0,
            s_bar: 0.0,
            x_bar: 0.0,
        }
    }

    /// Forgets the history and shrinks toward `log(10 · step_size)` from now on (done after
    /// every metric update).
    pub fn restart(&mut self, step_size: f64) {
        self.mu = (10.0 * step_size).ln();
        self.counter = 0.0;
        self.s_bar = 0.0;
        self.x_bar = 0.0;
    }

    /// Observes one transition's acceptance statistic and returns the next step size.
    pub fn learn(&mut self, accept_stat: f64) -> f64 {
        self.counter += 1.0;
        let a = accept_stat.min(1.0);
        let eta = 1.0 / (self.counter + self.t0);
        self.s_bar = (1.0 - eta) * self.s_bar + eta * (self.delta - a);
        let x = self.mu - self.s_bar * self.counter.sqrt() / self.gamma;
        let x_eta = self.counter.powf(-self.kappa);
        self.x_bar = (1.0 - x_eta) * self.x_bar + x_eta * x;
        x.exp()
    }

    /// The step size at the end of warmup: `exp(x̄)`.
    pub fn final_step_size(&self) -> f64 {
        self.x_bar.exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converges_to_the_step_size_giving_delta() {
        // A toy model of acceptance: accept = exp(-eps); the target 0.8 needs eps = -ln 0.8.
        let mut da = DualAveraging::new(0.8, 1.0);
        let mut eps: f64 = 1.0;
        for _ in 0..2000 {
            eps = da.learn((-eps).exp());
        }
        let want = -(0.8f64).ln();
        assert!(
            (da.final_step_size() - want).abs() < 0.03 * want,
            "{}",
            da.final_step_size()
        );
        assert!((eps - want).abs() < 0.1 * want);
    }
}
