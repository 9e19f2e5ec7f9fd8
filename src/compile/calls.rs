//! Calls: built-in functions (looked up by the name of the signature the type checker
//! resolved, then lowered to one tape op or computed now on data), dispatch of
//! distribution functions (`dist_call.rs`) and random number generators (`rng_call.rs`),
//! and user-defined functions (inlined: their body is evaluated with the arguments
//! bound; recursion is refused).

use super::eval::{Eval, Flow, MAX_CALL_DEPTH, R};
use super::values::{Data, Val};
use crate::ad::TapeBuilder;
use crate::lang::Span;
use crate::lang::ast::{BaseType, BinOp};
use crate::lang::signatures::{Family, registry};
use crate::lang::typed::{Callee, TExpr};
use crate::lang::types::Type;
use crate::math::elementwise::{Binary, Unary};
use crate::math::gp::GpKernel;
use crate::math::reduce::{PairReduce, Reduce, VectorMap};

fn unary_named(name: &str) -> Option<Unary> {
    let name = match name {
        "fabs" => "abs",
        other => other,
    };
    Unary::ALL.iter().copied().find(|f| f.name() == name)
}

fn binary_named(name: &str) -> Option<Binary> {
    Binary::ALL.iter().copied().find(|f| f.name() == name)
}

fn reduce_named(name: &str) -> Option<Reduce> {
    Reduce::ALL.iter().copied().find(|f| f.name() == name)
}

impl Eval<'_, '_, '_> {
    fn args(&mut self, args: &[TExpr]) -> R<Vec<Val>> {
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.expr(a)?);
        }
        Ok(vals)
    }

    pub fn apply(
        &self,
        inputs: &[&Val],
        ty: Type,
        shape: Option<Vec<usize>>,
        span: Span,
        f: impl FnOnce(
            &TapeBuilder,
            &[crate::ad::Slot],
        ) -> Result<crate::ad::Slot, crate::ad::BuildError>,
    ) -> R<Val> {
        self.ops
            .apply(inputs, ty, shape, f)
            .map_err(|m| self.op_err(span, m))
    }

    pub fn consts<'v>(&self, v: &'v Val, what: &str, span: Span) -> R<&'v [f64]> {
        match v.as_const() {
            Some(x) => Ok(x),
            None => self.fatal(span, format!("{what} must not depend on the parameters")),
        }
    }

    /// Evaluates a call returning `ty`.
    pub fn call(&mut self, callee: Callee, args: &[TExpr], ty: Type, span: Span) -> R<Val> {
        match callee {
            Callee::User(id) => self.user_call(id, args, span),
            Callee::Builtin(sig) => {
                let sig = registry().get(sig);
                let vals = self.args(args)?;
                match sig.family {
                    Family::Density { normalized, .. } => {
                        let dist = sig.distribution.as_deref().unwrap_or_default();
                        self.density(dist, &vals, !normalized, false, span)
                    }
                    Family::Cdf | Family::Lcdf | Family::Lccdf => {
                        let dist = sig.distribution.as_deref().unwrap_or_default();
                        let which = match sig.family {
                            Family::Cdf => 0,
                            Family::Lcdf => 1,
                            _ => 2,
                        };
                        self.cdf(dist, which, &vals, span)
                    }
                    Family::Rng => match sig.distribution.as_deref() {
                        Some(dist) => super::rng_call::rng(self, dist, &vals, ty, span),
                        // `categorical_rng`, `hmm_latent_rng`, …: listed as functions
                        None => self.builtin(&sig.name, &vals, ty, span),
                    },
                    Family::Function => self.builtin(&sig.name, &vals, ty, span),
                }
            }
        }
    }

    fn user_call(&mut self, id: crate::lang::typed::FunId, args: &[TExpr], span: Span) -> R<Val> {
        let f = self.prog.function(id);
        if self.call_stack.contains(&id) {
            return self.fatal(
                span,
                format!("recursive call to `{}` is not supported", f.name),
            );
        }
        if self.call_stack.len() >= MAX_CALL_DEPTH {
            return self.fatal(
                span,
                format!("function calls nested deeper than {MAX_CALL_DEPTH}"),
            );
        }
        let vals = self.args(args)?;
        for (p, v) in f.params.iter().zip(vals) {
            let ty = self.prog.var(*p).ty;
            let shape = v.shape.clone();
            self.env[p.0 as usize] = Some(v.retyped(ty, shape));
        }
        self.call_stack.push(id);
        let flow = self.stmt(&f.body);
        self.call_stack.pop();
        match flow? {
            Flow::Return(Some(v)) => {
                let ty = f.ret.unwrap_or(v.ty);
                let shape = v.shape.clone();
                Ok(v.retyped(ty, shape))
            }
            _ => Ok(Val::real(0.0)),
        }
    }

    fn int_result(&self, x: i64) -> R<Val> {
        Ok(Val::int(x))
    }

    /// A built-in function that is not a distribution.
    fn builtin(&mut self, name: &str, a: &[Val], ty: Type, span: Span) -> R<Val> {
        let n = a.len();
        if let Some(v) = self.sort_call(name, a, ty, span)? {
            return Ok(v);
        }
        if let Some(v) = self.hmm_call(name, a, ty, span)? {
            return Ok(v);
        }
        if name.ends_with("_rng")
            && let Some(v) = super::rng_dedicated::dedicated_rng(self, name, a, ty, span)?
        {
            return Ok(v);
        }
        if let Some(v) = self.composite(name, a, ty, span)? {
            return Ok(v);
        }
        if n == 1
            && let Some(f) = unary_named(name)
        {
            if name == "abs" && ty.is_int_based() {
                let xs = self.consts(&a[0], "abs of an int", span)?;
                let out = xs.iter().map(|x| x.abs()).collect();
                return Ok(Val::constant(ty, a[0].shape.clone(), out));
            }
            return self.unary(f, &a[0], ty, span);
        }
        if n == 2
            && let Some(f) = binary_named(name)
        {
            return self.elementwise(f, &a[0], &a[1], ty, span);
        }
        if n == 1
            && let Some(f) = reduce_named(name)
        {
            if ty.is_int()
                && let Some(xs) = a[0].as_const()
            {
                let v = f.value(xs);
                return Ok(Val::int(v as i64));
            }
            return self.apply(&[&a[0]], ty, None, span, |b, s| b.reduce(f, s[0]));
        }
        let scalar = |v: &Val| -> R<f64> {
            match v.as_const() {
                Some([x]) => Ok(*x),
                _ => self.fatal(span, format!("{name}: argument must be data")),
            }
        };
        match (name, n) {
            ("pi", 0) => Ok(Val::real(std::f64::consts::PI)),
            ("e", 0) => Ok(Val::real(std::f64::consts::E)),
            ("sqrt2", 0) => Ok(Val::real(std::f64::consts::SQRT_2)),
            ("log2", 0) => Ok(Val::real(std::f64::consts::LN_2)),
            ("log10", 0) => Ok(Val::real(std::f64::consts::LN_10)),
            ("not_a_number", 0) => Ok(Val::real(f64::NAN)),
            ("positive_infinity", 0) => Ok(Val::real(f64::INFINITY)),
            ("negative_infinity", 0) => Ok(Val::real(f64::NEG_INFINITY)),
            ("machine_precision", 0) => Ok(Val::real(f64::EPSILON)),
            ("size", 1) => self.int_result(a[0].shape.first().copied().unwrap_or(1) as i64),
            ("num_elements", 1) => self.int_result(a[0].len() as i64),
            ("rows", 1) => self.int_result(match a[0].ty.base {
                BaseType::RowVector => 1,
                _ => a[0].shape[0] as i64,
            }),
            ("cols", 1) => self.int_result(match a[0].ty.base {
                BaseType::Vector => 1,
                BaseType::RowVector => a[0].shape[0] as i64,
                _ => a[0].shape[1] as i64,
            }),
            (
                "floor" | "ceil" | "round" | "trunc" | "to_int" | "int_step" | "is_nan" | "is_inf",
                1,
            ) => {
                let xs = self.consts(&a[0], name, span)?;
                let f = |x: f64| match name {
                    "floor" => x.floor(),
                    "ceil" => x.ceil(),
                    "round" => x.round(),
                    "trunc" | "to_int" => x.trunc(),
                    "int_step" => f64::from(u8::from(x > 0.0)),
                    "is_nan" => f64::from(u8::from(x.is_nan())),
                    _ => f64::from(u8::from(x.is_infinite())),
                };
                Ok(Val::constant(
                    ty,
                    a[0].shape.clone(),
                    xs.iter().map(|&x| f(x)).collect(),
                ))
            }
            ("min" | "max", 2) if ty.is_int() => {
                let (x, y) = (scalar(&a[0])?, scalar(&a[1])?);
                Ok(Val::int(
                    if name == "min" { x.min(y) } else { x.max(y) } as i64
                ))
            }
            ("min", 2) => self.elementwise(Binary::Fmin, &a[0], &a[1], ty, span),
            ("max", 2) => self.elementwise(Binary::Fmax, &a[0], &a[1], ty, span),
            ("log_sum_exp", 2) => self.elementwise(Binary::LogSumExp, &a[0], &a[1], ty, span),
            ("dot_product", 2) => self.pair(PairReduce::DotProduct, a, span),
            ("squared_distance", 2) => self.pair(PairReduce::SquaredDistance, a, span),
            ("distance", 2) => self.pair(PairReduce::Distance, a, span),
            ("softmax", 1) => self.map(VectorMap::Softmax, &a[0], ty, span),
            ("log_softmax", 1) => self.map(VectorMap::LogSoftmax, &a[0], ty, span),
            ("cumulative_sum", 1) => self.map(VectorMap::CumulativeSum, &a[0], ty, span),
            ("rep_vector" | "rep_row_vector" | "rep_array", _) | ("rep_matrix", 3) => {
                let mut shape = Vec::new();
                for d in &a[1..] {
                    shape.push(scalar(d)? as usize);
                }
                let len: usize = shape.iter().product();
                let x = &a[0];
                let mut full = shape.clone();
                full.extend_from_slice(&x.shape);
                let idx: Vec<u32> = (0..len).flat_map(|_| 0..x.len() as u32).collect();
                let (r, c) = super::values::dims_for(ty, &full);
                self.apply(&[x], ty, Some(full), span, |b, s| b.gather(s[0], idx, r, c))
            }
            ("rep_matrix", 2) => {
                let n = scalar(&a[1])? as usize;
                let len = a[0].len();
                let row = a[0].ty.base == BaseType::RowVector;
                let (r, c) = if row { (n, len) } else { (len, n) };
                let idx: Vec<u32> = (0..c)
                    .flat_map(|j| (0..r).map(move |i| if row { j } else { i } as u32))
                    .collect();
                self.apply(&[&a[0]], ty, Some(vec![r, c]), span, |b, s| {
                    b.gather(s[0], idx, r, c)
                })
            }
            ("diag_matrix", 1) => self.apply(&[&a[0]], ty, None, span, |b, s| b.diag_matrix(s[0])),
            ("diagonal", 1) => self.apply(&[&a[0]], ty, None, span, |b, s| b.diagonal(s[0])),
            ("cholesky_decompose", 1) => {
                self.apply(&[&a[0]], ty, None, span, |b, s| b.cholesky(s[0]))
            }
            ("inverse", 1) => self.apply(&[&a[0]], ty, None, span, |b, s| b.inverse(s[0])),
            ("log_determinant", 1) => {
                self.apply(&[&a[0]], ty, None, span, |b, s| b.log_determinant(s[0]))
            }
            ("determinant", 1) => self.apply(&[&a[0]], ty, None, span, |b, s| b.determinant(s[0])),
            ("trace", 1) => self.apply(&[&a[0]], ty, None, span, |b, s| b.trace(s[0])),
            ("crossprod", 1) => self.apply(&[&a[0]], ty, None, span, |b, s| b.crossprod(s[0])),
            ("tcrossprod", 1) => self.apply(&[&a[0]], ty, None, span, |b, s| b.tcrossprod(s[0])),
            ("add_diag", 2) => self.apply(&[&a[0], &a[1]], ty, None, span, |b, s| {
                b.add_diag(s[0], s[1])
            }),
            ("diag_pre_multiply", 2) => self.apply(&[&a[0], &a[1]], ty, None, span, |b, s| {
                b.diag_pre_multiply(s[0], s[1])
            }),
            ("diag_post_multiply", 2) => self.apply(&[&a[0], &a[1]], ty, None, span, |b, s| {
                b.diag_post_multiply(s[0], s[1])
            }),
            ("quad_form" | "quad_form_sym", 2) => {
                self.apply(&[&a[0], &a[1]], ty, None, span, |b, s| {
                    b.quad_form(s[0], s[1])
                })
            }
            ("quad_form_diag", 2) => self.apply(&[&a[0], &a[1]], ty, None, span, |b, s| {
                b.quad_form_diag(s[0], s[1])
            }),
            ("mdivide_left_tri_low", 2) => self.apply(&[&a[0], &a[1]], ty, None, span, |b, s| {
                b.tri_solve_left(s[0], s[1])
            }),
            ("mdivide_right_tri_low", 2) => self.apply(&[&a[0], &a[1]], ty, None, span, |b, s| {
                b.tri_solve_right(s[0], s[1])
            }),
            ("log_mix", 3) if a[0].ty.is_scalar() => {
                self.apply(&[&a[0], &a[1], &a[2]], ty, None, span, |b, s| {
                    b.log_mix(s[0], s[1], s[2])
                })
            }
            ("log_mix", 2) => self.apply(&[&a[0], &a[1]], ty, None, span, |b, s| {
                b.log_mix_vector(s[0], s[1])
            }),
            ("gp_exp_quad_cov" | "cov_exp_quad" | "gp_matern32_cov" | "gp_periodic_cov", _) => {
                let kernel = match name {
                    "gp_matern32_cov" => GpKernel::Matern32,
                    "gp_periodic_cov" => GpKernel::Periodic,
                    _ => GpKernel::ExpQuad,
                };
                let x = &a[0];
                let dim = if x.ty.base == BaseType::Real {
                    1
                } else {
                    *x.shape.last().unwrap_or(&1)
                };
                let inputs: Vec<&Val> = a.iter().collect();
                self.apply(&inputs, ty, None, span, |b, s| {
                    b.gp_cov(kernel, s[0], dim, &s[1..])
                })
            }
            ("to_vector" | "to_row_vector" | "to_array_1d", 1) => {
                let x = &a[0];
                let shape = vec![x.len()];
                Ok(reorder_row_major(x, ty, shape, name == "to_array_1d"))
            }
            ("to_matrix", 3) => {
                let (r, c) = (scalar(&a[1])? as usize, scalar(&a[2])? as usize);
                if r * c != a[0].len() {
                    return self.fatal(
                        span,
                        format!("to_matrix: {} elements for {r}x{c}", a[0].len()),
                    );
                }
                Ok(a[0].clone().retyped(ty, vec![r, c]))
            }
            ("append_row" | "append_col", 2) => self.append(name, &a[0], &a[1], ty, span),
            ("head" | "tail", 2) => {
                let k = scalar(&a[1])? as usize;
                let len = a[0].shape[0];
                if k > len {
                    return self.fatal(span, format!("{name}: {k} elements of a size-{len} value"));
                }
                let inner: usize = a[0].shape[1..].iter().product();
                let mut shape = a[0].shape.clone();
                shape[0] = k;
                let off = if name == "head" { 0 } else { (len - k) * inner };
                Ok(a[0].range(off, ty, shape))
            }
            ("segment", 3) => {
                let (i, k) = (scalar(&a[1])? as usize, scalar(&a[2])? as usize);
                let len = a[0].shape[0];
                if i < 1 || i + k > len + 1 {
                    return self.fatal(span, format!("segment({i}, {k}) of a size-{len} value"));
                }
                let inner: usize = a[0].shape[1..].iter().product();
                let mut shape = a[0].shape.clone();
                shape[0] = k;
                Ok(a[0].range((i - 1) * inner, ty, shape))
            }
            ("col", 2) => {
                let j = scalar(&a[1])? as usize;
                let (r, c) = (a[0].shape[0], a[0].shape[1]);
                if j < 1 || j > c {
                    return self.fatal(span, format!("col {j} of a matrix with {c} columns"));
                }
                Ok(a[0].range((j - 1) * r, ty, vec![r]))
            }
            ("row", 2) => {
                let i = scalar(&a[1])? as usize;
                let (r, c) = (a[0].shape[0], a[0].shape[1]);
                if i < 1 || i > r {
                    return self.fatal(span, format!("row {i} of a matrix with {r} rows"));
                }
                let pos: Vec<usize> = (0..c).map(|j| i - 1 + j * r).collect();
                self.select(&a[0], &pos, ty, vec![c], span)
            }
            ("block", 5) => {
                let (i, j) = (scalar(&a[1])? as usize, scalar(&a[2])? as usize);
                let (nr, nc) = (scalar(&a[3])? as usize, scalar(&a[4])? as usize);
                let (r, c) = (a[0].shape[0], a[0].shape[1]);
                if i < 1 || j < 1 || i + nr > r + 1 || j + nc > c + 1 {
                    return self.fatal(span, "block out of range");
                }
                let pos: Vec<usize> = (0..nc)
                    .flat_map(|jj| (0..nr).map(move |ii| (i - 1 + ii) + (j - 1 + jj) * r))
                    .collect();
                self.select(&a[0], &pos, ty, vec![nr, nc], span)
            }
            ("linspaced_vector" | "linspaced_row_vector" | "linspaced_array", 3) => {
                let (k, lo, hi) = (scalar(&a[0])? as usize, scalar(&a[1])?, scalar(&a[2])?);
                let v = (0..k)
                    .map(|i| {
                        if k == 1 {
                            hi
                        } else {
                            lo + (hi - lo) * i as f64 / (k - 1) as f64
                        }
                    })
                    .collect();
                Ok(Val::constant(ty, vec![k], v))
            }
            ("fma", 3) => {
                let p = self.binary(BinOp::EltMul, &a[0], &a[1], ty, span)?;
                self.binary(BinOp::Add, &p, &a[2], ty, span)
            }
            ("multiply_log" | "lmultiply", 2) => {
                let l = self.unary(Unary::Log, &a[1], a[1].ty.promoted(), span)?;
                self.elementwise(Binary::Mul, &a[0], &l, ty, span)
            }
            _ => self.fatal(
                span,
                format!("`{name}` with {n} arguments is not implemented by the compiler"),
            ),
        }
    }

    fn pair(&mut self, f: PairReduce, a: &[Val], span: Span) -> R<Val> {
        self.apply(&[&a[0], &a[1]], Type::REAL, None, span, |b, s| {
            b.pair(f, s[0], s[1])
        })
    }

    fn map(&mut self, f: VectorMap, x: &Val, ty: Type, span: Span) -> R<Val> {
        let shape = x.shape.clone();
        self.apply(&[x], ty, Some(shape), span, |b, s| b.map(f, s[0]))
    }

    fn append(&mut self, name: &str, x: &Val, y: &Val, ty: Type, span: Span) -> R<Val> {
        // Build the result element by element (positions), then one concat/gather.
        let dims = |v: &Val| -> (usize, usize) {
            match (v.ty.dims, v.ty.base) {
                (0, BaseType::Int | BaseType::Real) => (1, 1),
                _ => v.tape_dims(),
            }
        };
        let ((xr, xc), (yr, yc)) = (dims(x), dims(y));
        let (r, c) = if name == "append_row" {
            if xc != yc {
                return self.fatal(span, format!("append_row: {xc} and {yc} columns"));
            }
            (xr + yr, xc)
        } else {
            if xr != yr {
                return self.fatal(span, format!("append_col: {xr} and {yr} rows"));
            }
            (xr, xc + yc)
        };
        let mut elems = Vec::with_capacity(r * c);
        for j in 0..c {
            for i in 0..r {
                let e = if name == "append_row" {
                    if i < xr {
                        x.elem(i + j * xr)
                    } else {
                        y.elem(i - xr + j * yr)
                    }
                } else if j < xc {
                    x.elem(i + j * xr)
                } else {
                    y.elem(i + (j - xc) * yr)
                };
                elems.push(e);
            }
        }
        let shape = match ty.base {
            BaseType::Matrix => vec![r, c],
            _ => vec![r * c],
        };
        Ok(Val {
            ty,
            shape,
            data: Data::Elems(elems),
        }
        .normalized())
    }
}

/// `to_vector` and friends: Stan reads matrices column-major and arrays row-major, which
/// is this layout already, so only 2-D arrays of reals (row-major) need no change either.
fn reorder_row_major(x: &Val, ty: Type, shape: Vec<usize>, _to_array: bool) -> Val {
    x.clone().retyped(ty, shape)
}
