//! The abstract syntax tree: what the parser builds, with a span on every node.

use super::span::Span;

/// A name as written, with its place.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A whole program: the functions block (if any) and the other blocks in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub functions: Option<Vec<FunDef>>,
    pub blocks: Vec<Block>,
}

/// The program blocks other than `functions`, in their required order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BlockKind {
    Data,
    TransformedData,
    Parameters,
    TransformedParameters,
    Model,
    GeneratedQuantities,
}

impl BlockKind {
    pub const ALL: [BlockKind; 6] = [
        BlockKind::Data,
        BlockKind::TransformedData,
        BlockKind::Parameters,
        BlockKind::TransformedParameters,
        BlockKind::Model,
        BlockKind::GeneratedQuantities,
    ];

    /// The block header as written in Stan.
    pub fn keyword(self) -> &'static str {
        match self {
            BlockKind::Data => "data",
            BlockKind::TransformedData => "transformed data",
            BlockKind::Parameters => "parameters",
            BlockKind::TransformedParameters => "transformed parameters",
            BlockKind::Model => "model",
            BlockKind::GeneratedQuantities => "generated quantities",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

/// The unsized scalar/vector/matrix shapes used by function signatures and expression types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BaseType {
    Int,
    Real,
    Vector,
    RowVector,
    Matrix,
}

/// A function argument or return type: base type plus number of array dimensions.
#[derive(Clone, Debug, PartialEq)]
pub struct UnsizedType {
    pub base: BaseType,
    pub array_dims: usize,
    pub span: Span,
}

/// A user-defined function (a forward declaration has no body).
#[derive(Clone, Debug, PartialEq)]
pub struct FunDef {
    /// `None` for `void`.
    pub ret: Option<UnsizedType>,
    pub name: Ident,
    pub params: Vec<FunParam>,
    pub body: Option<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunParam {
    pub data_only: bool,
    pub ty: UnsizedType,
    pub name: Ident,
}

/// The base of a sized declaration, with its size expressions.
#[derive(Clone, Debug, PartialEq)]
pub enum SizedBase {
    Int,
    Real,
    Vector(Expr),
    RowVector(Expr),
    Matrix(Expr, Expr),
    Simplex(Expr),
    UnitVector(Expr),
    Ordered(Expr),
    PositiveOrdered(Expr),
    CholeskyFactorCorr(Expr),
    CholeskyFactorCov(Expr, Option<Expr>),
    CorrMatrix(Expr),
    CovMatrix(Expr),
}

/// `<lower=…, upper=…>` or `<offset=…, multiplier=…>`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bounds {
    pub lower: Option<Expr>,
    pub upper: Option<Expr>,
    pub offset: Option<Expr>,
    pub multiplier: Option<Expr>,
}

impl Bounds {
    pub fn is_empty(&self) -> bool {
        self.lower.is_none()
            && self.upper.is_none()
            && self.offset.is_none()
            && self.multiplier.is_none()
    }
}

/// A declared type: array sizes (outermost first), base with sizes, bounds.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDecl {
    pub array_dims: Vec<Expr>,
    pub base: SizedBase,
    pub bounds: Bounds,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    Assign,
    Add,
    Sub,
    Mul,
    Div,
    EltMul,
    EltDiv,
}

impl AssignOp {
    pub fn symbol(self) -> &'static str {
        match self {
            AssignOp::Assign => "=",
            AssignOp::Add => "+=",
            AssignOp::Sub => "-=",
            AssignOp::Mul => "*=",
            AssignOp::Div => "/=",
            AssignOp::EltMul => ".*=",
            AssignOp::EltDiv => "./=",
        }
    }

    /// The binary operator a compound assignment applies.
    pub fn binary(self) -> Option<BinOp> {
        match self {
            AssignOp::Assign => None,
            AssignOp::Add => Some(BinOp::Add),
            AssignOp::Sub => Some(BinOp::Sub),
            AssignOp::Mul => Some(BinOp::Mul),
            AssignOp::Div => Some(BinOp::Div),
            AssignOp::EltMul => Some(BinOp::EltMul),
            AssignOp::EltDiv => Some(BinOp::EltDiv),
        }
    }
}

/// The target of an assignment: a variable with zero or more bracket groups `x[i][j, k]`.
#[derive(Clone, Debug, PartialEq)]
pub struct LValue {
    pub name: Ident,
    pub indices: Vec<Vec<Index>>,
    pub span: Span,
}

/// A `print`/`reject` argument.
#[derive(Clone, Debug, PartialEq)]
pub enum Printable {
    Str(String, Span),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `old_syntax` marks the deprecated `real x[N]` array form.
    Decl {
        ty: Box<TypeDecl>,
        name: Ident,
        init: Option<Expr>,
        old_syntax: bool,
    },
    Assign {
        lhs: LValue,
        op: AssignOp,
        rhs: Expr,
    },
    Tilde {
        lhs: Expr,
        dist: Ident,
        args: Vec<Expr>,
        truncation: Option<Truncation>,
    },
    TargetPlus(Expr),
    For {
        var: Ident,
        lo: Expr,
        hi: Expr,
        body: Box<Stmt>,
    },
    ForEach {
        var: Ident,
        container: Expr,
        body: Box<Stmt>,
    },
    While {
        cond: Expr,
        body: Box<Stmt>,
    },
    If {
        cond: Expr,
        then: Box<Stmt>,
        otherwise: Option<Box<Stmt>>,
    },
    Break,
    Continue,
    Return(Option<Expr>),
    Block(Vec<Stmt>),
    Print(Vec<Printable>),
    Reject(Vec<Printable>),
    FatalError(Vec<Printable>),
    /// A function call used as a statement.
    Call(Expr),
    Empty,
}

/// `T[lower, upper]` after a `~` statement; either bound may be absent.
#[derive(Clone, Debug, PartialEq)]
pub struct Truncation {
    pub lower: Option<Expr>,
    pub upper: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    IntDiv,
    LeftDiv,
    EltMul,
    EltDiv,
    Pow,
    EltPow,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            Or => "||",
            And => "&&",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Mod => "%",
            IntDiv => "%/%",
            LeftDiv => "\\",
            EltMul => ".*",
            EltDiv => "./",
            Pow => "^",
            EltPow => ".^",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    Neg,
    Plus,
    Not,
}

impl UnOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnOp::Neg => "-",
            UnOp::Plus => "+",
            UnOp::Not => "!",
        }
    }
}

/// One index inside brackets.
#[derive(Clone, Debug, PartialEq)]
pub enum Index {
    /// A single index or a multi-index (an integer array); the checker tells them apart.
    Single(Expr),
    /// `a:b`, `a:`, `:b`.
    Slice(Option<Expr>, Option<Expr>),
    /// `:` or an omitted index.
    All,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// Integer literal, as written (digits, maybe with `_` separators).
    Int(String),
    /// Real literal, as written.
    Real(String),
    Var(Ident),
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Unary {
        op: UnOp,
        operand: Box<Expr>,
    },
    Transpose(Box<Expr>),
    Cond {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// `f(a, b)` or, when `conditional`, `f(a | b, c)`.
    Call {
        name: Ident,
        args: Vec<Expr>,
        conditional: bool,
    },
    Index {
        base: Box<Expr>,
        indices: Vec<Index>,
    },
    /// `{a, b}`
    ArrayLit(Vec<Expr>),
    /// `[a, b]`
    RowVectorLit(Vec<Expr>),
    Paren(Box<Expr>),
    /// `target()`
    TargetGet,
}

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
