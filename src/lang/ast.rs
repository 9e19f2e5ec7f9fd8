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
