//! Dense column-major linear algebra on slices with the pieces reverse mode needs:
//! products (and their transposed accumulating forms), Cholesky factorisation and its
//! adjoint, triangular solves from either side, and LU with partial pivoting. No
//! allocation: callers pass any workspace.

/// Element `(i, j)` of a column-major matrix with `rows` rows.
#[inline(always)]
fn at(rows: usize, i: usize, j: usize) -> usize {
    i + j * rows
}

/// `out (m×n) = A (m×k) · B (k×n)`.
pub fn matmul(a: &[f64], m: usize, k: usize, b: &[f64], n: usize, out: &mut [f64]) {
    out[..m * n].fill(0.0);
    for j in 0..n {
        let col = &mut out[j * m..(j + 1) * m];
        for p in 0..k {
            let s = b[at(k, p, j)];
            if s != 0.0 {
                for (o, &x) in col.iter_mut().zip(&a[p * m..(p + 1) * m]) {
                    *o += x * s;
                }
            }
        }
    }
}

/// `C (m×k) += G (m×n) · Bᵀ` where `B` is `k×n`: the adjoint of A in `A·B`.
pub fn matmul_nt_acc(g: &[f64], m: usize, n: usize, b: &[f64], k: usize, c: &mut [f64]) {
    for j in 0..n {
        let gcol = &g[j * m..(j + 1) * m];
        for p in 0..k {
            let s = b[at(k, p, j)];
            for (o, &x) in c[p * m..(p + 1) * m].iter_mut().zip(gcol) {
                *o += x * s;
            }
        }
    }
}

/// `C (k×n) += Aᵀ · G` where `A` is `m×k` and `G` is `m×n`: the adjoint of B in `A·B`.
pub fn matmul_tn_acc(a: &[f64], m: usize, k: usize, g: &[f64], n: usize, c: &mut [f64]) {
    for j in 0..n {
        let gcol = &g[j * m..(j + 1) * m];
        for p in 0..k {
            let acol = &a[p * m..(p + 1) * m];
            c[at(k, p, j)] += acol.iter().zip(gcol).map(|(x, y)| x * y).sum::<f64>();
        }
    }
}

/// Overwrites the lower triangle of the `n×n` matrix `a` with its Cholesky factor and
/// zeroes the upper triangle. Reads only the lower triangle. On failure returns the
/// column whose pivot was not positive.
pub fn cholesky(a: &mut [f64], n: usize) -> Result<(), usize> {
    for j in 0..n {
        let mut d = a[at(n, j, j)];
        for k in 0..j {
            d -= a[at(n, j, k)] * a[at(n, j, k)];
        }
        if d.is_nan() || d <= 0.0 || !d.is_finite() {
            return Err(j);
        }
        let d = d.sqrt();
        a[at(n, j, j)] = d;
        for i in j + 1..n {
            let mut s = a[at(n, i, j)];
            for k in 0..j {
                s -= a[at(n, i, k)] * a[at(n, j, k)];
            }
            a[at(n, i, j)] = s / d;
        }
        for i in 0..j {
            a[at(n, i, j)] = 0.0;
        }
    }
    Ok(())
}

/// Solves `L X = B` in place (`L` lower `n×n`, `B` `n×m`).
pub fn solve_lower(l: &[f64], n: usize, b: &mut [f64], m: usize) {
    for c in 0..m {
        let x = &mut b[c * n..(c + 1) * n];
        for i in 0..n {
            let mut s = x[i];
            for k in 0..i {
                s -= l[at(n, i, k)] * x[k];
            }
            x[i] = s / l[at(n, i, i)];
        }
    }
}

/// Solves `Lᵀ X = B` in place (`L` lower `n×n`, `B` `n×m`).
pub fn solve_lower_transpose(l: &[f64], n: usize, b: &mut [f64], m: usize) {
    for c in 0..m {
        let x = &mut b[c * n..(c + 1) * n];
        for i in (0..n).rev() {
            let mut s = x[i];
            for k in i + 1..n {
                s -= l[at(n, k, i)] * x[k];
            }
            x[i] = s / l[at(n, i, i)];
        }
    }
}

/// Solves `X L = B` in place (`L` lower `n×n`, `B` `r×n`).
pub fn solve_lower_right(l: &[f64], n: usize, b: &mut [f64], r: usize) {
    for j in (0..n).rev() {
        for k in j + 1..n {
            let s = l[at(n, k, j)];
            for i in 0..r {
                b[at(r, i, j)] -= b[at(r, i, k)] * s;
            }
        }
        let d = l[at(n, j, j)];
        b[j * r..(j + 1) * r].iter_mut().for_each(|x| *x /= d);
    }
}

/// Solves `X Lᵀ = B` in place (`L` lower `n×n`, `B` `r×n`).
pub fn solve_lower_transpose_right(l: &[f64], n: usize, b: &mut [f64], r: usize) {
    for j in 0..n {
        for k in 0..j {
            let s = l[at(n, j, k)];
            for i in 0..r {
                b[at(r, i, j)] -= b[at(r, i, k)] * s;
            }
        }
        let d = l[at(n, j, j)];
        b[j * r..(j + 1) * r].iter_mut().for_each(|x| *x /= d);
    }
}

/// Adjoint of the Cholesky factorisation (Murray 2016, "Differentiation of the Cholesky
/// decomposition", eq. 10): with `P = Φ(Lᵀ L̄)` (lower triangle, halved diagonal) and
/// `S = L⁻ᵀ P L⁻¹`, adds `S + Sᵀ` below the diagonal and `S` on it to `a_adj`, matching
/// a factorisation that reads only the lower triangle. `work` holds at least `n²`.
pub fn cholesky_backward(l: &[f64], l_adj: &[f64], n: usize, a_adj: &mut [f64], work: &mut [f64]) {
    let p = &mut work[..n * n];
    p.fill(0.0);
    matmul_tn_acc(l, n, n, l_adj, n, p);
    for j in 0..n {
        p[at(n, j, j)] *= 0.5;
        for i in 0..j {
            p[at(n, i, j)] = 0.0;
        }
    }
    solve_lower_transpose(l, n, p, n);
    solve_lower_right(l, n, p, n);
    for j in 0..n {
        a_adj[at(n, j, j)] += p[at(n, j, j)];
        for i in j + 1..n {
            a_adj[at(n, i, j)] += p[at(n, i, j)] + p[at(n, j, i)];
        }
    }
}

/// LU factorisation with partial pivoting in place: `P A = L U`, unit-diagonal `L` below
/// and `U` on and above the diagonal. Row swaps are recorded in `perm` (`perm[k]` = row
/// swapped with `k` at step `k`, stored as f64 so it fits a float workspace). Returns the
/// sign of the permutation, or `None` when `A` is singular.
pub fn lu(a: &mut [f64], n: usize, perm: &mut [f64]) -> Option<f64> {
    let mut sign = 1.0;
    for k in 0..n {
        let mut piv = k;
        for i in k + 1..n {
            if a[at(n, i, k)].abs() > a[at(n, piv, k)].abs() {
                piv = i;
            }
        }
        perm[k] = piv as f64;
        if a[at(n, piv, k)] == 0.0 {
            return None;
        }
        if piv != k {
            sign = -sign;
            for j in 0..n {
                a.swap(at(n, k, j), at(n, piv, j));
            }
        }
        let d = a[at(n, k, k)];
        for i in k + 1..n {
            a[at(n, i, k)] /= d;
        }
        for j in k + 1..n {
            let s = a[at(n, k, j)];
            for i in k + 1..n {
                a[at(n, i, j)] -= a[at(n, i, k)] * s;
            }
        }
    }
    Some(sign)
}

/// Writes `A⁻¹` into `out` given the factors from [`lu`].
pub fn lu_inverse(lu: &[f64], n: usize, perm: &[f64], out: &mut [f64]) {
    out[..n * n].fill(0.0);
    for i in 0..n {
        out[at(n, i, i)] = 1.0;
    }
    for (k, &p) in perm.iter().enumerate().take(n) {
        let piv = p as usize;
        if piv != k {
            for j in 0..n {
                out.swap(at(n, k, j), at(n, piv, j));
            }
        }
    }
    for c in 0..n {
        let x = &mut out[c * n..(c + 1) * n];
        for i in 0..n {
            let mut s = x[i];
            for k in 0..i {
                s -= lu[at(n, i, k)] * x[k];
            }
            x[i] = s;
        }
        for i in (0..n).rev() {
            let mut s = x[i];
            for k in i + 1..n {
                s -= lu[at(n, i, k)] * x[k];
            }
            x[i] = s / lu[at(n, i, i)];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_reproduces_the_matrix_and_solves_invert_it() {
        let a = [4.0, 2.0, 0.4, 2.0, 5.0, 1.0, 0.4, 1.0, 3.0];
        let mut l = a;
        cholesky(&mut l, 3).expect("positive definite");
        let mut llt = [0.0; 9];
        for i in 0..3 {
            for j in 0..3 {
                llt[at(3, i, j)] = (0..3).map(|k| l[at(3, i, k)] * l[at(3, j, k)]).sum();
            }
        }
        for (x, y) in llt.iter().zip(&a) {
            assert!((x - y).abs() < 1e-14);
        }
        let mut b = [1.0, 2.0, 3.0];
        solve_lower(&l, 3, &mut b, 1);
        solve_lower_transpose(&l, 3, &mut b, 1);
        let mut back = [0.0; 3];
        matmul(&a, 3, 3, &b, 1, &mut back);
        for (x, y) in back.iter().zip(&[1.0, 2.0, 3.0]) {
            assert!((x - y).abs() < 1e-13);
        }
        let mut not_pd = [1.0, 2.0, 2.0, 1.0];
        assert_eq!(cholesky(&mut not_pd, 2), Err(1));
    }

    #[test]
    fn lu_inverse_inverts() {
        let a = [0.0, 2.0, 1.0, 1.0, 1.0, 0.0, 3.0, 0.0, 1.0];
        let mut f = a;
        let mut perm = [0.0; 3];
        lu(&mut f, 3, &mut perm).expect("regular");
        let mut inv = [0.0; 9];
        lu_inverse(&f, 3, &perm, &mut inv);
        let mut id = [0.0; 9];
        matmul(&a, 3, 3, &inv, 3, &mut id);
        for i in 0..3 {
            for j in 0..3 {
                let e = if i == j { 1.0 } else { 0.0 };
                assert!((id[at(3, i, j)] - e).abs() < 1e-14);
            }
        }
    }
}
