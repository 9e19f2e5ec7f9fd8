//! Reductions of a container to a scalar (sum, prod, mean, variance, sd, min, max,
//! log_sum_exp, dot_self) and vector-to-vector maps (softmax, log_softmax,
//! cumulative_sum), each with its vector-Jacobian product.

use super::special;
use super::sum;

/// A reduction of one container to a scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reduce {
    /// Sum of the elements.
    Sum,
    /// Product of the elements.
    Prod,
    /// Arithmetic mean.
    Mean,
    /// Sample variance (divisor n - 1; 0 for one element), as Stan's `variance`.
    Variance,
    /// Sample standard deviation, as Stan's `sd`.
    Sd,
    /// Smallest element.
    Min,
    /// Largest element.
    Max,
    /// `log(sum(exp(x)))`.
    LogSumExp,
    /// Sum of squares.
    DotSelf,
}

impl Reduce {
    /// Every reduction.
    pub const ALL: &'static [Reduce] = &[
        Reduce::Sum,
        Reduce::Prod,
        Reduce::Mean,
        Reduce::Variance,
        Reduce::Sd,
        Reduce::Min,
        Reduce::Max,
        Reduce::LogSumExp,
        Reduce::DotSelf,
    ];

    /// The function's name in the Stan language.
    pub fn name(self) -> &'static str {
        match self {
            Reduce::Sum => "sum",
            Reduce::Prod => "prod",
            Reduce::Mean => "mean",
            Reduce::Variance => "variance",
            Reduce::Sd => "sd",
            Reduce::Min => "min",
            Reduce::Max => "max",
            Reduce::LogSumExp => "log_sum_exp",
            Reduce::DotSelf => "dot_self",
        }
    }

    /// The smallest container this reduction accepts (Stan rejects mean/min/max/... of
    /// nothing; sum and prod of nothing are 0 and 1).
    pub fn min_len(self) -> usize {
        match self {
            Reduce::Sum | Reduce::Prod | Reduce::LogSumExp | Reduce::DotSelf => 0,
            _ => 1,
        }
    }

    /// The reduced value.
    pub fn value(self, xs: &[f64]) -> f64 {
        match self {
            Reduce::Sum => sum::sum(xs),
            Reduce::Prod => xs.iter().product(),
            Reduce::Mean => sum::sum(xs) / xs.len() as f64,
            Reduce::Variance => variance(xs),
            Reduce::Sd => variance(xs).sqrt(),
            Reduce::Min => xs.iter().copied().fold(f64::INFINITY, f64::min),
            Reduce::Max => xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            Reduce::LogSumExp => special::log_sum_exp(xs),
            Reduce::DotSelf => sum::dot(xs, xs),
        }
    }

    /// `x_adj += g · ∂y/∂x` given the value `y`.
    pub fn backward(self, xs: &[f64], y: f64, g: f64, x_adj: &mut [f64]) {
        let n = xs.len() as f64;
        match self {
            Reduce::Sum => x_adj.iter_mut().for_each(|a| *a += g),
            Reduce::Mean => x_adj.iter_mut().for_each(|a| *a += g / n),
            Reduce::Prod => prod_backward(xs, y, g, x_adj),
            Reduce::Variance | Reduce::Sd if xs.len() < 2 => {}
            Reduce::Variance | Reduce::Sd => {
                let m = xs.iter().sum::<f64>() / n;
                let scale = if self == Reduce::Variance {
                    2.0 * g / (n - 1.0)
                } else {
                    g / ((n - 1.0) * y)
                };
                for (a, &x) in x_adj.iter_mut().zip(xs) {
                    *a += scale * (x - m);
                }
            }
            Reduce::Min | Reduce::Max => {
                if let Some(i) = xs.iter().position(|&x| x == y) {
                    x_adj[i] += g;
                }
            }
            Reduce::LogSumExp => {
                for (a, &x) in x_adj.iter_mut().zip(xs) {
                    *a += g * (x - y).exp();
                }
            }
            Reduce::DotSelf => {
                for (a, &x) in x_adj.iter_mut().zip(xs) {
                    *a += 2.0 * g * x;
                }
            }
        }
    }
}

fn variance(xs: &[f64]) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)
}

/// Gradient of a product, exact when elements are zero.
fn prod_backward(xs: &[f64], y: f64, g: f64, x_adj: &mut [f64]) {
    let zeros = xs.iter().filter(|&&x| x == 0.0).count();
    match zeros {
        0 => {
            for (a, &x) in x_adj.iter_mut().zip(xs) {
                *a += g * y / x;
            }
        }
        1 => {
            let i = xs.iter().position(|&x| x == 0.0).unwrap_or(0);
            let others: f64 = xs.iter().filter(|&&x| x != 0.0).product();
            x_adj[i] += g * others;
        }
        _ => {}
    }
}

/// A reduction of two equally long containers to a scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PairReduce {
    /// `Σ aᵢ bᵢ`.
    DotProduct,
    /// `Σ (aᵢ - bᵢ)²`.
    SquaredDistance,
    /// `sqrt(Σ (aᵢ - bᵢ)²)`.
    Distance,
}

impl PairReduce {
    /// The function's name in the Stan language.
    pub fn name(self) -> &'static str {
        match self {
            PairReduce::DotProduct => "dot_product",
            PairReduce::SquaredDistance => "squared_distance",
            PairReduce::Distance => "distance",
        }
    }

    /// The reduced value.
    pub fn value(self, a: &[f64], b: &[f64]) -> f64 {
        match self {
            PairReduce::DotProduct => sum::dot(a, b),
            PairReduce::SquaredDistance => a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum(),
            PairReduce::Distance => PairReduce::SquaredDistance.value(a, b).sqrt(),
        }
    }

    /// The partials `(∂y/∂aᵢ, ∂y/∂bᵢ)` of element `i` given the value `y`.
    #[inline]
    pub fn partials(self, a: f64, b: f64, y: f64) -> (f64, f64) {
        match self {
            PairReduce::DotProduct => (b, a),
            PairReduce::SquaredDistance => (2.0 * (a - b), -2.0 * (a - b)),
            PairReduce::Distance if y == 0.0 => (0.0, 0.0),
            PairReduce::Distance => ((a - b) / y, -(a - b) / y),
        }
    }
}

/// A map from a vector to a vector of the same length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VectorMap {
    /// `exp(x) / sum(exp(x))`.
    Softmax,
    /// `x - log_sum_exp(x)`.
    LogSoftmax,
    /// Running sums.
    CumulativeSum,
}

impl VectorMap {
    /// The function's name in the Stan language.
    pub fn name(self) -> &'static str {
        match self {
            VectorMap::Softmax => "softmax",
            VectorMap::LogSoftmax => "log_softmax",
            VectorMap::CumulativeSum => "cumulative_sum",
        }
    }

    /// Writes the image of `xs` into `out`.
    pub fn forward(self, xs: &[f64], out: &mut [f64]) {
        match self {
            VectorMap::Softmax => {
                let m = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let mut s = 0.0;
                for (o, &x) in out.iter_mut().zip(xs) {
                    *o = (x - m).exp();
                    s += *o;
                }
                out.iter_mut().for_each(|o| *o /= s);
            }
            VectorMap::LogSoftmax => {
                let l = special::log_sum_exp(xs);
                for (o, &x) in out.iter_mut().zip(xs) {
                    *o = x - l;
                }
            }
            VectorMap::CumulativeSum => {
                let mut s = 0.0;
                for (o, &x) in out.iter_mut().zip(xs) {
                    s += x;
                    *o = s;
                }
            }
        }
    }

    /// `x_adj += Jᵀ out_adj` given the values `ys`.
    pub fn backward(self, ys: &[f64], out_adj: &[f64], x_adj: &mut [f64]) {
        match self {
            VectorMap::Softmax => {
                let inner: f64 = ys.iter().zip(out_adj).map(|(y, g)| y * g).sum();
                for ((a, &y), &g) in x_adj.iter_mut().zip(ys).zip(out_adj) {
                    *a += y * (g - inner);
                }
            }
            VectorMap::LogSoftmax => {
                let total: f64 = out_adj.iter().sum();
                for ((a, &y), &g) in x_adj.iter_mut().zip(ys).zip(out_adj) {
                    *a += g - y.exp() * total;
                }
            }
            VectorMap::CumulativeSum => {
                let mut s = 0.0;
                for (a, &g) in x_adj.iter_mut().zip(out_adj).rev() {
                    s += g;
                    *a += s;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reductions_match_hand_computed_values() {
        let xs = [1.0, 2.0, 4.0];
        assert_eq!(Reduce::Sum.value(&xs), 7.0);
        assert_eq!(Reduce::Prod.value(&xs), 8.0);
        assert!((Reduce::Variance.value(&xs) - 7.0 / 3.0).abs() < 1e-15);
        assert_eq!(Reduce::Min.value(&xs), 1.0);
        assert_eq!(Reduce::DotSelf.value(&xs), 21.0);
        assert_eq!(
            PairReduce::SquaredDistance.value(&xs, &[0.0, 0.0, 0.0]),
            21.0
        );
        let mut out = [0.0; 3];
        VectorMap::CumulativeSum.forward(&xs, &mut out);
        assert_eq!(out, [1.0, 3.0, 7.0]);
    }

    #[test]
    fn product_gradient_is_exact_with_one_zero() {
        let mut adj = [0.0; 3];
        Reduce::Prod.backward(&[2.0, 0.0, 3.0], 0.0, 1.0, &mut adj);
        assert_eq!(adj, [0.0, 6.0, 0.0]);
    }
}
