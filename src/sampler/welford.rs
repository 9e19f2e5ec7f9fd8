//! Welford's streaming mean and (co)variance estimators for metric adaptation.

/// Streaming per-coordinate variance.
#[derive(Debug, Clone, PartialEq)]
pub struct WelfordVar {
    n: usize,
    mean: Vec<f64>,
    m2: Vec<f64>,
}

impl WelfordVar {
    /// An empty estimator of dimension `dim`.
    pub fn new(dim: usize) -> Self {
        WelfordVar {
            n: 0,
            mean: vec![0.0; dim],
            m2: vec![0.0; dim],
        }
    }

    /// Number of samples seen.
    pub fn count(&self) -> usize {
        self.n
    }

    /// Adds a sample.
    pub fn add(&mut self, x: &[f64]) {
        self.n += 1;
        let n = self.n as f64;
        for ((m, s), xi) in self.mean.iter_mut().zip(&mut self.m2).zip(x) {
            let delta = xi - *m;
            *m += delta / n;
            *s += delta * (xi - *m);
        }
    }

    /// The sample variance (denominator n − 1); zeros with fewer than two samples.
    pub fn variance(&self) -> Vec<f64> {
        if self.n < 2 {
            return vec![0.0; self.m2.len()];
        }
        let d = (self.n - 1) as f64;
        self.m2.iter().map(|s| s / d).collect()
    }

    /// Forgets all samples.
    pub fn reset(&mut self) {
        self.n = 0;
        self.mean.fill(0.0);
        self.m2.fill(0.0);
    }
}

/// Streaming covariance matrix (row-major).
#[derive(Debug, Clone, PartialEq)]
pub struct WelfordCov {
    n: usize,
    dim: usize,
    mean: Vec<f64>,
    m2: Vec<f64>,
    delta: Vec<f64>,
}

impl WelfordCov {
    /// An empty estimator of dimension `dim`.
    pub fn new(dim: usize) -> Self {
        WelfordCov {
            n: 0,
            dim,
            mean: vec![0.0; dim],
            m2: vec![0.0; dim * dim],
            delta: vec![0.0; dim],
        }
    }

    /// Number of samples seen.
    pub fn count(&self) -> usize {
        self.n
    }

    /// Adds a sample.
    pub fn add(&mut self, x: &[f64]) {
        self.n += 1;
        let n = self.n as f64;
        for ((d, m), xi) in self.delta.iter_mut().zip(&mut self.mean).zip(x) {
            *d = xi - *m;
            *m += *d / n;
        }
        for (i, (xi, m)) in x.iter().zip(&self.mean).enumerate() {
            let after = xi - m;
            let row = &mut self.m2[i * self.dim..(i + 1) * self.dim];
            for (r, dj) in row.iter_mut().zip(&self.delta) {
                *r += after * dj;
            }
        }
    }

    /// The sample covariance (denominator n − 1), row-major; zeros with fewer than two samples.
    pub fn covariance(&self) -> Vec<f64> {
        if self.n < 2 {
            return vec![0.0; self.m2.len()];
        }
        let d = (self.n - 1) as f64;
        self.m2.iter().map(|s| s / d).collect()
    }

    /// Forgets all samples.
    pub fn reset(&mut self) {
        self.n = 0;
        self.mean.fill(0.0);
        self.m2.fill(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_two_pass_estimates() {
        let xs = [[1.0, 2.0], [2.0, 1.0], [4.0, 0.0], [0.5, 3.0]];
        let mut v = WelfordVar::new(2);
        let mut c = WelfordCov::new(2);
        for x in &xs {
            v.add(x);
            c.add(x);
        }
        let n = xs.len() as f64;
        let m: Vec<f64> = (0..2)
            .map(|j| xs.iter().map(|x| x[j]).sum::<f64>() / n)
            .collect();
        let cov = |a: usize, b: usize| {
            xs.iter()
                .map(|x| (x[a] - m[a]) * (x[b] - m[b]))
                .sum::<f64>()
                / (n - 1.0)
        };
        let var = v.variance();
        let cv = c.covariance();
        for a in 0..2 {
            assert!((var[a] - cov(a, a)).abs() < 1e-12);
            for b in 0..2 {
                assert!((cv[a * 2 + b] - cov(a, b)).abs() < 1e-12);
            }
        }
        v.reset();
        c.reset();
        assert_eq!((v.count(), c.count()), (0, 0));
    }
}
