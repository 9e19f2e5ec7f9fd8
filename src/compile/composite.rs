//! Built-ins without a tape op of their own, written as compositions of ops (their
//! gradients follow), and constant constructors (`zeros_vector`, `identity_matrix`, …).

use super::eval::{Eval, R};
use super::values::Val;
use crate::lang::Span;
use crate::lang::ast::BaseType;
use crate::lang::types::Type;
use crate::math::elementwise::{Binary, Unary};

impl Eval<'_, '_, '_> {
    fn scale(&mut self, v: &Val, c: f64, ty: Type, span: Span) -> R<Val> {
        self.elementwise(Binary::Mul, v, &Val::real(c), ty, span)
    }

    /// A composite built-in, or `None` when `name` is not one.
    pub fn composite(&mut self, name: &str, a: &[Val], ty: Type, span: Span) -> R<Option<Val>> {
        use std::f64::consts::{LN_2, LN_10};
        let r = Type::REAL;
        let v = match (name, a.len()) {
            ("log10", 1) => {
                let l = self.unary(Unary::Log, &a[0], ty, span)?;
                self.scale(&l, 1.0 / LN_10, ty, span)?
            }
            ("log2", 1) => {
                let l = self.unary(Unary::Log, &a[0], ty, span)?;
                self.scale(&l, 1.0 / LN_2, ty, span)?
            }
            ("exp2", 1) => {
                let l = self.scale(&a[0], LN_2, ty, span)?;
                self.unary(Unary::Exp, &l, ty, span)?
            }
            ("inv_square", 1) => {
                let s = self.unary(Unary::Square, &a[0], ty, span)?;
                self.unary(Unary::Inv, &s, ty, span)?
            }
            ("inv_cloglog", 1) => {
                let e = self.unary(Unary::Exp, &a[0], ty, span)?;
                let n = self.unary(Unary::Neg, &e, ty, span)?;
                let m = self.unary(Unary::Expm1, &n, ty, span)?;
                self.unary(Unary::Neg, &m, ty, span)?
            }
            ("tan", 1) => {
                let s = self.unary(Unary::Sin, &a[0], ty, span)?;
                let c = self.unary(Unary::Cos, &a[0], ty, span)?;
                self.elementwise(Binary::Div, &s, &c, ty, span)?
            }
            ("cosh" | "sinh", 1) => {
                let e = self.unary(Unary::Exp, &a[0], ty, span)?;
                let n = self.unary(Unary::Neg, &a[0], ty, span)?;
                let en = self.unary(Unary::Exp, &n, ty, span)?;
                let f = if name == "cosh" {
                    Binary::Add
                } else {
                    Binary::Sub
                };
                let s = self.elementwise(f, &e, &en, ty, span)?;
                self.scale(&s, 0.5, ty, span)?
            }
            ("fdim", 2) => {
                let d = self.elementwise(Binary::Sub, &a[0], &a[1], ty, span)?;
                self.elementwise(Binary::Fmax, &d, &Val::real(0.0), ty, span)?
            }
            ("hypot", 2) => {
                let x = self.unary(Unary::Square, &a[0], r, span)?;
                let y = self.unary(Unary::Square, &a[1], r, span)?;
                let s = self.elementwise(Binary::Add, &x, &y, r, span)?;
                self.unary(Unary::Sqrt, &s, r, span)?
            }
            ("inverse_spd", 1) => self
                .ops
                .apply(&[&a[0]], ty, None, |b, s| b.inverse(s[0]))
                .map_err(|m| self.op_err(span, m))?,
            ("mdivide_left_spd", 2) => self
                .ops
                .apply(&[&a[0], &a[1]], ty, None, |b, s| {
                    let inv = b.inverse(s[0])?;
                    b.matmul(inv, s[1])
                })
                .map_err(|m| self.op_err(span, m))?,
            ("mdivide_right_spd", 2) => self
                .ops
                .apply(&[&a[0], &a[1]], ty, None, |b, s| {
                    let inv = b.inverse(s[1])?;
                    b.matmul(s[0], inv)
                })
                .map_err(|m| self.op_err(span, m))?,
            ("multiply_lower_tri_self_transpose", 1) => {
                let (n, m) = (a[0].shape[0], a[0].shape[1]);
                let pos: Vec<usize> = (0..n * m).filter(|p| p % n >= p / n).collect();
                let lower = self.select(
                    &a[0],
                    &pos,
                    Type::array(BaseType::Real, 1),
                    vec![pos.len()],
                    span,
                )?;
                let idx: Vec<u32> = pos.iter().map(|&p| p as u32).collect();
                self.ops
                    .apply(&[&lower], ty, None, |b, s| {
                        let l = b.scatter(s[0], idx, n, m)?;
                        b.tcrossprod(l)
                    })
                    .map_err(|m| self.op_err(span, m))?
            }
            ("columns_dot_self" | "rows_dot_self", 1)
            | ("columns_dot_product" | "rows_dot_product", 2) => {
                self.dot_columns_or_rows(name, a, ty, span)?
            }
            ("zeros_vector" | "zeros_row_vector" | "zeros_array" | "zeros_int_array", 1)
            | ("ones_vector" | "ones_row_vector" | "ones_array" | "ones_int_array", 1) => {
                let n = self.const_size(&a[0], span)?;
                let fill = if name.starts_with("ones") { 1.0 } else { 0.0 };
                Val::constant(ty, vec![n], vec![fill; n])
            }
            ("identity_matrix", 1) => {
                let n = self.const_size(&a[0], span)?;
                let v = (0..n * n)
                    .map(|p| f64::from(u8::from(p % n == p / n)))
                    .collect();
                Val::constant(ty, vec![n, n], v)
            }
            (
                "one_hot_vector" | "one_hot_row_vector" | "one_hot_array" | "one_hot_int_array",
                2,
            ) => {
                let n = self.const_size(&a[0], span)?;
                let k = self.const_size(&a[1], span)?;
                if k < 1 || k > n {
                    return self.fatal(span, format!("{name}: position {k} of {n}"));
                }
                Val::constant(
                    ty,
                    vec![n],
                    (0..n).map(|i| f64::from(u8::from(i + 1 == k))).collect(),
                )
            }
            ("linspaced_int_array", 3) => {
                let k = self.const_size(&a[0], span)?;
                let lo = self.const_size(&a[1], span)? as f64;
                let hi = self.const_size(&a[2], span)? as f64;
                let step = if k > 1 {
                    ((hi - lo) / (k - 1) as f64).floor()
                } else {
                    0.0
                };
                Val::constant(ty, vec![k], (0..k).map(|i| lo + step * i as f64).collect())
            }
            ("dims", 1) => {
                let d: Vec<f64> = a[0].shape.iter().map(|&x| x as f64).collect();
                let n = d.len();
                Val::constant(ty, vec![n], d)
            }
            ("reverse", 1) => {
                let n = a[0].shape.first().copied().unwrap_or(1);
                let inner: usize = a[0].shape.iter().skip(1).product();
                let pos: Vec<usize> = (0..n)
                    .rev()
                    .flat_map(|i| (0..inner).map(move |j| i * inner + j))
                    .collect();
                self.select(&a[0], &pos, ty, a[0].shape.clone(), span)?
            }
            ("append_array", 2) => {
                let mut shape = a[0].shape.clone();
                if shape.is_empty() || a[0].shape[1..] != a[1].shape[1..] {
                    return self.fatal(span, "append_array: element sizes differ");
                }
                shape[0] += a[1].shape[0];
                let elems = a[0].elems().into_iter().chain(a[1].elems()).collect();
                Val {
                    ty,
                    shape,
                    data: super::values::Data::Elems(elems),
                }
                .normalized()
            }
            ("choose", 2) => {
                let n = self.const_size(&a[0], span)? as f64;
                let k = self.const_size(&a[1], span)? as f64;
                let v = crate::math::special::lchoose(n, k).exp().round();
                Val::int(v as i64)
            }
            _ => return Ok(None),
        };
        Ok(Some(v))
    }

    /// Discrete densities written as compositions of ops: `categorical`,
    /// `categorical_logit` and `multinomial`; `None` for other families.
    pub fn composed_density(
        &mut self,
        dist: &str,
        a: &[Val],
        propto: bool,
        span: Span,
    ) -> R<Option<Val>> {
        let r = Type::REAL;
        let real_array = Type::array(BaseType::Real, 1);
        if !matches!(dist, "categorical" | "categorical_logit" | "multinomial") {
            return Ok(None);
        }
        let ys = self.const_slice(&a[0], span)?;
        let k = a[1].len();
        let log_p = if dist == "categorical_logit" {
            let shape = a[1].shape.clone();
            self.ops
                .apply(&[&a[1]], a[1].ty, Some(shape), |b, s| {
                    b.map(crate::math::reduce::VectorMap::LogSoftmax, s[0])
                })
                .map_err(|m| self.op_err(span, m))?
        } else {
            self.unary(Unary::Log, &a[1], a[1].ty, span)?
        };
        let v = if dist == "multinomial" {
            if ys.len() != k || ys.iter().any(|&y| y < 0.0) {
                return self.fatal(
                    span,
                    format!("multinomial: {} counts for {k} categories", ys.len()),
                );
            }
            let counts = Val::constant(real_array, vec![k], ys.clone());
            let flat = log_p.clone().retyped(real_array, vec![k]);
            let terms = self.elementwise(Binary::Mul, &counts, &flat, real_array, span)?;
            let mut lp = self
                .ops
                .apply(&[&terms], r, None, |b, s| {
                    b.reduce(crate::math::reduce::Reduce::Sum, s[0])
                })
                .map_err(|m| self.op_err(span, m))?;
            if !propto {
                use crate::math::special::lgamma;
                let n: f64 = ys.iter().sum();
                let c = lgamma(n + 1.0) - ys.iter().map(|y| lgamma(y + 1.0)).sum::<f64>();
                lp = self.elementwise(Binary::Add, &lp, &Val::real(c), r, span)?;
            }
            lp
        } else {
            let mut pos = Vec::with_capacity(ys.len());
            for &y in &ys {
                if y < 1.0 || y as usize > k {
                    return self.fatal(span, format!("{dist}: outcome {y} is not in 1..{k}"));
                }
                pos.push(y as usize - 1);
            }
            let n = pos.len();
            let picked = self.select(
                &log_p.retyped(real_array, vec![k]),
                &pos,
                real_array,
                vec![n],
                span,
            )?;
            self.ops
                .apply(&[&picked], r, None, |b, s| {
                    b.reduce(crate::math::reduce::Reduce::Sum, s[0])
                })
                .map_err(|m| self.op_err(span, m))?
        };
        Ok(Some(v))
    }

    /// `columns_dot_self(x)`, `rows_dot_product(x, y)`, …: the elementwise square (or
    /// product) summed down each column (a ones row times it) or across each row (it
    /// times a ones column).
    fn dot_columns_or_rows(&mut self, name: &str, a: &[Val], ty: Type, span: Span) -> R<Val> {
        let (r, c) = a[0].tape_dims();
        if let Some(y) = a.get(1)
            && y.tape_dims() != (r, c)
        {
            let (yr, yc) = y.tape_dims();
            return self.fatal(span, format!("{name}: sizes {r}x{c} and {yr}x{yc} differ"));
        }
        let columns = name.starts_with("columns");
        let n = if columns { c } else { r };
        let inputs: Vec<&Val> = a.iter().collect();
        self.ops
            .apply(&inputs, ty, Some(vec![n]), |b, s| {
                let p = match s {
                    [x] => b.unary(Unary::Square, *x)?,
                    _ => b.binary(Binary::Mul, s[0], s[1])?,
                };
                if columns {
                    let ones = b.constant(&vec![1.0; r], 1, r)?;
                    b.matmul(ones, p)
                } else {
                    let ones = b.constant(&vec![1.0; c], c, 1)?;
                    b.matmul(p, ones)
                }
            })
            .map_err(|m| self.op_err(span, m))
    }

    fn const_slice(&self, v: &Val, span: Span) -> R<Vec<f64>> {
        match v.as_const() {
            Some(x) => Ok(x.to_vec()),
            None => self.fatal(span, "this argument must not depend on the parameters"),
        }
    }

    fn const_size(&self, v: &Val, span: Span) -> R<usize> {
        match v.as_const() {
            Some([x]) if *x >= 0.0 => Ok(*x as usize),
            _ => self.fatal(
                span,
                "expected a non-negative integer known before sampling",
            ),
        }
    }
}
