//! Forward and reverse rules of the matrix ops: products, Cholesky factorisation,
//! triangular solves, inverse, (log) determinant and GP covariance matrices.

use super::op::MatrixOp;
use super::slot::Slot;
use crate::math::dense;

/// Relative asymmetry above which `cholesky_decompose` rejects its argument (Stan's
/// `check_symmetric` uses an absolute tolerance of 1e-8, Stan math `CONSTRAINT_TOLERANCE`).
const SYMMETRY_TOLERANCE: f64 = 1e-8;

fn dims(s: &Slot) -> (usize, usize) {
    (s.rows as usize, s.cols as usize)
}

/// Factorises `a` (n×n) into `work` as LU; returns the permutation sign.
fn factor(a: &[f64], n: usize, work: &mut [f64]) -> Result<f64, String> {
    let (f, perm) = work[..n * n + n].split_at_mut(n * n);
    f.copy_from_slice(a);
    dense::lu(f, n, perm).ok_or_else(|| "matrix is singular".to_string())
}

/// Forward rule of a matrix op; `lo` holds the inputs, `out` the output.
pub fn forward(op: &MatrixOp, lo: &[f64], out: &mut [f64], work: &mut [f64]) -> Result<(), String> {
    match op {
        MatrixOp::MatMul { a, b, .. } => {
            let (m, k) = dims(a);
            dense::matmul(&lo[a.range()], m, k, &lo[b.range()], b.cols as usize, out);
        }
        MatrixOp::Cholesky { a, .. } => {
            let n = a.rows as usize;
            let av = &lo[a.range()];
            for j in 0..n {
                for i in j + 1..n {
                    let (x, y) = (av[i + j * n], av[j + i * n]);
                    if (x - y).abs() > SYMMETRY_TOLERANCE * (1.0 + x.abs().max(y.abs())) {
                        return Err(format!(
                            "matrix is not symmetric: [{},{}] = {x} but [{},{}] = {y}",
                            i + 1,
                            j + 1,
                            j + 1,
                            i + 1
                        ));
                    }
                }
            }
            out.copy_from_slice(av);
            dense::cholesky(out, n)
                .map_err(|j| format!("matrix is not positive definite (pivot {})", j + 1))?;
        }
        MatrixOp::TriSolveLeft { l, b, .. } => {
            out.copy_from_slice(&lo[b.range()]);
            dense::solve_lower(&lo[l.range()], l.rows as usize, out, b.cols as usize);
        }
        MatrixOp::TriSolveRight { b, l, .. } => {
            out.copy_from_slice(&lo[b.range()]);
            dense::solve_lower_right(&lo[l.range()], l.rows as usize, out, b.rows as usize);
        }
        MatrixOp::Inverse { a, .. } => {
            let n = a.rows as usize;
            factor(&lo[a.range()], n, work)?;
            let (f, perm) = work[..n * n + n].split_at(n * n);
            dense::lu_inverse(f, n, perm, out);
        }
        MatrixOp::LogDeterminant { a, .. } | MatrixOp::Determinant { a, .. } => {
            let n = a.rows as usize;
            let sign = factor(&lo[a.range()], n, work)?;
            let diag = (0..n).map(|i| work[i + i * n]);
            out[0] = if matches!(op, MatrixOp::Determinant { .. }) {
                sign * diag.product::<f64>()
            } else {
                diag.map(|d| d.abs().ln()).sum()
            };
        }
        MatrixOp::GpCov {
            kernel,
            x,
            dim,
            hyper,
            ..
        } => {
            let h = hyper_values(lo, hyper, kernel.n_hyper())?;
            kernel.forward(&lo[x.range()], *dim as usize, &h, out);
        }
    }
    Ok(())
}

fn hyper_values(lo: &[f64], hyper: &[Slot; 3], n: usize) -> Result<[f64; 3], String> {
    let mut h = [1.0; 3];
    for (k, s) in hyper[..n].iter().enumerate() {
        h[k] = lo[s.offset()];
        if h[k].is_nan() || h[k] <= 0.0 {
            let what = ["magnitude", "length scale", "period"][k];
            return Err(format!("{what} = {} is not positive", h[k]));
        }
    }
    Ok(h)
}

/// Reverse rule of a matrix op: `lo` holds the input adjoints, `g` the output adjoint.
pub fn backward(op: &MatrixOp, values: &[f64], lo: &mut [f64], g: &[f64], work: &mut [f64]) {
    let y = &values[op.out().range()];
    match op {
        MatrixOp::MatMul { a, b, .. } => {
            let (m, k) = dims(a);
            let n = b.cols as usize;
            if a.active {
                dense::matmul_nt_acc(g, m, n, &values[b.range()], k, &mut lo[a.range()]);
            }
            if b.active {
                dense::matmul_tn_acc(&values[a.range()], m, k, g, n, &mut lo[b.range()]);
            }
        }
        MatrixOp::Cholesky { a, .. } => {
            dense::cholesky_backward(y, g, a.rows as usize, &mut lo[a.range()], work);
        }
        MatrixOp::TriSolveLeft { l, b, .. } => {
            // x = L⁻¹ b:  b̄ = L⁻ᵀ x̄,  L̄ = -tril(b̄ xᵀ)
            let (n, m) = dims(b);
            let lv = &values[l.range()];
            let bbar = &mut work[..n * m];
            bbar.copy_from_slice(g);
            dense::solve_lower_transpose(lv, n, bbar, m);
            add_if_active(lo, b, bbar);
            if l.active {
                let la = &mut lo[l.range()];
                for c in 0..m {
                    for j in 0..n {
                        for i in j..n {
                            la[i + j * n] -= bbar[i + c * n] * y[j + c * n];
                        }
                    }
                }
            }
        }
        MatrixOp::TriSolveRight { b, l, .. } => {
            // x = b L⁻¹:  b̄ = x̄ L⁻ᵀ,  L̄ = -tril(xᵀ b̄)
            let (r, n) = dims(b);
            let lv = &values[l.range()];
            let bbar = &mut work[..r * n];
            bbar.copy_from_slice(g);
            dense::solve_lower_transpose_right(lv, n, bbar, r);
            add_if_active(lo, b, bbar);
            if l.active {
                let la = &mut lo[l.range()];
                for j in 0..n {
                    for i in j..n {
                        la[i + j * n] -=
                            (0..r).map(|q| y[q + i * r] * bbar[q + j * r]).sum::<f64>();
                    }
                }
            }
        }
        MatrixOp::Inverse { a, .. } => {
            // Ā = -Yᵀ Ȳ Yᵀ
            let n = a.rows as usize;
            let (t, rest) = work.split_at_mut(n * n);
            t.fill(0.0);
            dense::matmul_tn_acc(y, n, n, g, n, t);
            let u = &mut rest[..n * n];
            u.fill(0.0);
            dense::matmul_nt_acc(t, n, n, y, n, u);
            for (x, d) in lo[a.range()].iter_mut().zip(u.iter()) {
                *x -= d;
            }
        }
        MatrixOp::LogDeterminant { a, .. } | MatrixOp::Determinant { a, .. } => {
            // ∂ log|det A| = A⁻ᵀ;  ∂ det A = det A · A⁻ᵀ
            let n = a.rows as usize;
            let av = &values[a.range()];
            if factor(av, n, work).is_err() {
                return;
            }
            let (f, rest) = work.split_at_mut(n * n);
            let (perm, inv) = rest.split_at_mut(n);
            dense::lu_inverse(f, n, perm, inv);
            let scale = if matches!(op, MatrixOp::Determinant { .. }) {
                g[0] * y[0]
            } else {
                g[0]
            };
            let aa = &mut lo[a.range()];
            for j in 0..n {
                for i in 0..n {
                    aa[i + j * n] += scale * inv[j + i * n];
                }
            }
        }
        MatrixOp::GpCov {
            kernel,
            x,
            dim,
            hyper,
            ..
        } => {
            let nh = kernel.n_hyper();
            let mut h = [1.0; 3];
            for k in 0..nh {
                h[k] = values[hyper[k].offset()];
            }
            let mut h_adj = [0.0; 3];
            let xa = if x.active {
                Some(&mut lo[x.range()])
            } else {
                None
            };
            kernel.backward(&values[x.range()], *dim as usize, &h, g, xa, &mut h_adj);
            for k in 0..nh {
                if hyper[k].active {
                    lo[hyper[k].offset()] += h_adj[k];
                }
            }
        }
    }
}

fn add_if_active(lo: &mut [f64], s: &Slot, d: &[f64]) {
    if s.active {
        for (a, v) in lo[s.range()].iter_mut().zip(d) {
            *a += v;
        }
    }
}
