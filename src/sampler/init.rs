//! Initial points: uniform on `(-R, R)` per unconstrained coordinate with retries, or given.

use rand::RngExt;

use super::config::Init;
use super::evaluator::Evaluator;
use super::kernel::Position;
use crate::model::EvalError;
use crate::rng::ChainRng;

/// Random initialisation attempts before giving up (Stan reference manual: 100).
pub const MAX_INIT_TRIES: usize = 100;

/// Why no initial point was found.
#[derive(Debug, Clone, PartialEq)]
pub enum InitError {
    /// The model failed fatally.
    Fatal(String),
    /// Every attempt failed; the message says how the last one failed.
    Exhausted(String),
}

/// Finds chain `chain`'s (0-based) initial point.
pub fn initial_position(
    ev: &mut Evaluator<'_>,
    init: &Init,
    chain: usize,
    rng: &mut ChainRng,
) -> Result<Position, InitError> {
    let dim = ev.dim();
    match init {
        Init::Given(points) => {
            let q = if points.len() == 1 {
                points[0].clone()
            } else {
                points[chain].clone()
            };
            try_point(ev, q).map_err(|e| match e {
                Attempt::Fatal(m) => InitError::Fatal(m),
                Attempt::Rejected(m) => {
                    InitError::Exhausted(format!("the given initial point is unusable: {m}"))
                }
            })
        }
        Init::Random { radius } => {
            let tries = if *radius == 0.0 { 1 } else { MAX_INIT_TRIES };
            let mut last = String::new();
            for _ in 0..tries {
                let q: Vec<f64> = (0..dim)
                    .map(|_| radius * (2.0 * rng.random::<f64>() - 1.0))
                    .collect();
                match try_point(ev, q) {
                    Ok(pos) => return Ok(pos),
                    Err(Attempt::Fatal(m)) => return Err(InitError::Fatal(m)),
                    Err(Attempt::Rejected(m)) => last = m,
                }
            }
            Err(InitError::Exhausted(format!(
                "no initial point with a finite log density and gradient in {tries} \
                 attempt(s) drawn uniformly from (-{radius}, {radius}); last attempt: {last}"
            )))
        }
    }
}

enum Attempt {
    Fatal(String),
    Rejected(String),
}

fn try_point(ev: &mut Evaluator<'_>, q: Vec<f64>) -> Result<Position, Attempt> {
    let mut grad = vec![0.0; q.len()];
    match ev.raw(&q, &mut grad) {
        Err(EvalError::Fatal(m)) => Err(Attempt::Fatal(m)),
        Err(EvalError::Recoverable(m)) => Err(Attempt::Rejected(format!(
            "the log density could not be evaluated: {m}"
        ))),
        Ok(lp) if !lp.is_finite() => Err(Attempt::Rejected(format!("the log density is {lp}"))),
        Ok(lp) => match grad.iter().position(|g| !g.is_finite()) {
            Some(i) => Err(Attempt::Rejected(format!(
                "gradient element {} is {}",
                i + 1,
                grad[i]
            ))),
            None => Ok(Position { q, grad, lp }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogDensity;
    use crate::rng::chain_rng;

    /// Finite only for x > 1.5.
    struct RightTail;
    impl LogDensity for RightTail {
        fn dim(&self) -> usize {
            1
        }
        fn log_density_and_gradient(&self, x: &[f64], g: &mut [f64]) -> Result<f64, EvalError> {
            g[0] = -1.0;
            if x[0] > 1.5 {
                Ok(-x[0])
            } else {
                Err(EvalError::Recoverable("x must exceed 1.5".into()))
            }
        }
    }

    #[test]
    fn retries_then_succeeds_or_explains() {
        let mut ev = Evaluator::new(&RightTail);
        let mut rng = chain_rng(5, 0);
        let pos = initial_position(&mut ev, &Init::Random { radius: 2.0 }, 0, &mut rng).unwrap();
        assert!(pos.q[0] > 1.5);
        let err = initial_position(&mut ev, &Init::Random { radius: 1.0 }, 0, &mut rng);
        match err {
            Err(InitError::Exhausted(m)) => {
                assert!(m.contains("100 attempt") && m.contains("1.5"), "{m}")
            }
            other => panic!("expected exhaustion, got {other:?}"),
        }
        // Radius 0 starts at the origin, with a single attempt.
        let before = ev.evals();
        let zero = initial_position(&mut ev, &Init::Random { radius: 0.0 }, 0, &mut rng);
        assert!(matches!(zero, Err(InitError::Exhausted(m)) if m.contains("1 attempt")));
        assert_eq!(ev.evals() - before, 1);
        let given = initial_position(&mut ev, &Init::Given(vec![vec![0.0]]), 0, &mut rng);
        assert!(matches!(given, Err(InitError::Exhausted(m)) if m.contains("given")));
    }
}
