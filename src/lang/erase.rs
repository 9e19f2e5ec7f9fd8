//! Forgetting spans (and array-syntax spelling) so that two ASTs can be compared
//! "modulo spans", as the pretty-print round trip requires.

use super::ast::*;
use super::span::Span;

/// Sets every span in the program to the empty span and forgets which array syntax was
/// used (for comparing ASTs "modulo spans" after a pretty-print round trip).
pub fn erase_spans(p: &mut Program) {
    for f in p.functions.iter_mut().flatten() {
        f.span = Span::default();
        f.name.span = Span::default();
        if let Some(r) = &mut f.ret {
            r.span = Span::default();
        }
        for a in &mut f.params {
            a.ty.span = Span::default();
            a.name.span = Span::default();
        }
        if let Some(b) = &mut f.body {
            erase_stmt(b);
        }
    }
    for b in &mut p.blocks {
        b.span = Span::default();
        b.stmts.iter_mut().for_each(erase_stmt);
    }
}

fn erase_opt(e: &mut Option<Expr>) {
    if let Some(e) = e {
        erase_expr(e);
    }
}

fn erase_printables(ps: &mut [Printable]) {
    for p in ps {
        match p {
            Printable::Str(_, s) => *s = Span::default(),
            Printable::Expr(e) => erase_expr(e),
        }
    }
}

fn erase_stmt(s: &mut Stmt) {
    s.span = Span::default();
    match &mut s.kind {
        StmtKind::Decl {
            ty,
            name,
            init,
            old_syntax,
        } => {
            *old_syntax = false;
            ty.span = Span::default();
            ty.array_dims.iter_mut().for_each(erase_expr);
            match &mut ty.base {
                SizedBase::Int | SizedBase::Real => {}
                SizedBase::Matrix(a, b) => {
                    erase_expr(a);
                    erase_expr(b);
                }
                SizedBase::CholeskyFactorCov(a, b) => {
                    erase_expr(a);
                    erase_opt(b);
                }
                SizedBase::Vector(a)
                | SizedBase::RowVector(a)
                | SizedBase::Simplex(a)
                | SizedBase::UnitVector(a)
                | SizedBase::Ordered(a)
                | SizedBase::PositiveOrdered(a)
                | SizedBase::CholeskyFactorCorr(a)
                | SizedBase::CorrMatrix(a)
                | SizedBase::CovMatrix(a) => erase_expr(a),
            }
            let b = &mut ty.bounds;
            for e in [&mut b.lower, &mut b.upper, &mut b.offset, &mut b.multiplier] {
                erase_opt(e);
            }
            name.span = Span::default();
            erase_opt(init);
        }
        StmtKind::Assign { lhs, rhs, .. } => {
            lhs.span = Span::default();
            lhs.name.span = Span::default();
            lhs.indices.iter_mut().flatten().for_each(erase_index);
            erase_expr(rhs);
        }
        StmtKind::Tilde {
            lhs,
            dist,
            args,
            truncation,
        } => {
            erase_expr(lhs);
            dist.span = Span::default();
            args.iter_mut().for_each(erase_expr);
            if let Some(t) = truncation {
                t.span = Span::default();
                erase_opt(&mut t.lower);
                erase_opt(&mut t.upper);
            }
        }
        StmtKind::TargetPlus(e) | StmtKind::Call(e) => erase_expr(e),
        StmtKind::Return(e) => erase_opt(e),
        StmtKind::For { var, lo, hi, body } => {
            var.span = Span::default();
            erase_expr(lo);
            erase_expr(hi);
            erase_stmt(body);
        }
        StmtKind::ForEach {
            var,
            container,
            body,
        } => {
            var.span = Span::default();
            erase_expr(container);
            erase_stmt(body);
        }
        StmtKind::While { cond, body } => {
            erase_expr(cond);
            erase_stmt(body);
        }
        StmtKind::If {
            cond,
            then,
            otherwise,
        } => {
            erase_expr(cond);
            erase_stmt(then);
            if let Some(o) = otherwise {
                erase_stmt(o);
            }
        }
        StmtKind::Block(ss) => ss.iter_mut().for_each(erase_stmt),
        StmtKind::Print(ps) | StmtKind::Reject(ps) | StmtKind::FatalError(ps) => {
            erase_printables(ps)
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::Empty => {}
    }
}

fn erase_index(i: &mut Index) {
    match i {
        Index::Single(e) => erase_expr(e),
        Index::Slice(a, b) => {
            erase_opt(a);
            erase_opt(b);
        }
        Index::All => {}
    }
}

fn erase_expr(e: &mut Expr) {
    e.span = Span::default();
    match &mut e.kind {
        ExprKind::Int(_) | ExprKind::Real(_) | ExprKind::TargetGet => {}
        ExprKind::Var(id) => id.span = Span::default(),
        ExprKind::Binary { lhs, rhs, .. } => {
            erase_expr(lhs);
            erase_expr(rhs);
        }
        ExprKind::Unary { operand: x, .. } | ExprKind::Transpose(x) | ExprKind::Paren(x) => {
            erase_expr(x)
        }
        ExprKind::Cond {
            cond,
            then,
            otherwise,
        } => {
            erase_expr(cond);
            erase_expr(then);
            erase_expr(otherwise);
        }
        ExprKind::Call { name, args, .. } => {
            name.span = Span::default();
            args.iter_mut().for_each(erase_expr);
        }
        ExprKind::Index { base, indices } => {
            erase_expr(base);
            indices.iter_mut().for_each(erase_index);
        }
        ExprKind::ArrayLit(xs) | ExprKind::RowVectorLit(xs) => xs.iter_mut().for_each(erase_expr),
    }
}
