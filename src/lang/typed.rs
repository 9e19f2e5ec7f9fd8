//! The typed program: the type checker's output and the compiler's input.
//!
//! Every variable (data, parameter, local, loop variable, function argument) is an entry
//! in [`TypedProgram::vars`], referred to by [`VarId`]; every expression carries its
//! [`Type`], whether it depends on data only, and its span; every call names the exact
//! overload it resolved to ([`Callee`]); every `~` statement names its `_lpdf`/`_lpmf`
//! and, when truncated, its `_lcdf`/`_lccdf`. Sizes stay expressions (the compiler
//! evaluates them once data is bound). Blocks keep Stan's order, so the output order
//! of parameters, transformed parameters and generated quantities is declaration order.

use super::ast::{AssignOp, BinOp, BlockKind, UnOp};
use super::diagnostic::Diagnostics;
use super::signatures::SigId;
use super::span::Span;
use super::types::Type;

/// Index of a variable in [`TypedProgram::vars`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarId(pub u32);

/// Index of a user-defined function in [`TypedProgram::functions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FunId(pub u32);

/// Where a variable was declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Declared at the top level of a program block (data, parameters, …, generated
    /// quantities). Model-block top-level variables are `Local`.
    Block(BlockKind),
    /// A local variable: in a nested scope, in the model block, or in a function body
    /// (`block` is `None` inside functions).
    Local { block: Option<BlockKind> },
    /// A `for` loop variable (read-only).
    LoopVar,
    /// A function argument (read-only); `data_only` when declared `data`.
    FunctionArg { data_only: bool },
}

/// The constraint of a declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum Constraint {
    None,
    /// `<lower=…, upper=…>` (either may be absent).
    Bounds {
        lower: Option<TExpr>,
        upper: Option<TExpr>,
    },
    /// `<offset=…, multiplier=…>` (either may be absent).
    Affine {
        offset: Option<TExpr>,
        multiplier: Option<TExpr>,
    },
    Simplex,
    UnitVector,
    Ordered,
    PositiveOrdered,
    CholeskyFactorCorr,
    CholeskyFactorCov,
    CorrMatrix,
    CovMatrix,
}

/// A sized declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct TDecl {
    /// Array sizes, outermost first.
    pub array_dims: Vec<TExpr>,
    /// Sizes of the base: none for int/real, `[n]` for vector-like types, `[rows, cols]`
    /// for matrix-like types (square types repeat their one size).
    pub sizes: Vec<TExpr>,
    pub constraint: Constraint,
    /// The declared type as written (canonical spelling), e.g. `vector<lower=0>[J]`.
    pub text: String,
}

/// One variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    pub id: VarId,
    pub name: String,
    pub origin: Origin,
    pub ty: Type,
    /// The sized declaration; `None` for loop variables and function arguments.
    pub decl: Option<TDecl>,
    pub span: Span,
}

/// What a call calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Callee {
    /// A built-in overload from [`super::signatures::registry`].
    Builtin(SigId),
    User(FunId),
}

#[derive(Clone, Debug, PartialEq)]
pub struct TExpr {
    pub kind: TExprKind,
    pub ty: Type,
    /// True when the value depends only on data, transformed data, literals, loop
    /// variables and `data` function arguments.
    pub data_only: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TExprKind {
    Int(i64),
    Real(f64),
    Var(VarId),
    Binary {
        op: BinOp,
        lhs: Box<TExpr>,
        rhs: Box<TExpr>,
    },
    Unary {
        op: UnOp,
        operand: Box<TExpr>,
    },
    Transpose(Box<TExpr>),
    Cond {
        cond: Box<TExpr>,
        then: Box<TExpr>,
        otherwise: Box<TExpr>,
    },
    /// Arguments in order; for densities and CDFs the variate comes first.
    Call {
        callee: Callee,
        args: Vec<TExpr>,
    },
    Index {
        base: Box<TExpr>,
        indices: Vec<TIndex>,
    },
    /// `{a, b}`: elements already promoted to a common type by rule (the array's element type).
    Array(Vec<TExpr>),
    /// `[a, b]`: a row vector of scalars, or a matrix whose rows are row vectors.
    RowVector(Vec<TExpr>),
    TargetGet,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TIndex {
    /// An `int` index: removes one dimension.
    Single(TExpr),
    /// An `array[] int` index: keeps the dimension, selecting those positions.
    Multi(TExpr),
    /// `lo:hi`, `lo:`, `:hi` (inclusive, 1-based).
    Slice(Option<TExpr>, Option<TExpr>),
    /// `:` or an omitted index.
    All,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TPrintable {
    Str(String),
    Expr(TExpr),
}

/// Truncation `T[L, U]` of a `~` statement with the resolved CDFs it needs:
/// `lccdf` for a lower bound, `lcdf` for an upper bound, both when both are given.
#[derive(Clone, Debug, PartialEq)]
pub struct TTruncation {
    pub lower: Option<TExpr>,
    pub upper: Option<TExpr>,
    pub lcdf: Option<Callee>,
    pub lccdf: Option<Callee>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TStmt {
    pub kind: TStmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TStmtKind {
    Decl {
        var: VarId,
        init: Option<TExpr>,
    },
    /// `x[i][j, k] op= rhs`; each inner `Vec` is one bracket group.
    Assign {
        var: VarId,
        indices: Vec<Vec<TIndex>>,
        op: AssignOp,
        rhs: TExpr,
    },
    /// `lhs ~ dist(args)`: `density` is the resolved `_lpdf`/`_lpmf`, called with
    /// `lhs` followed by `args`. Constant terms may be dropped, as in Stan.
    Tilde {
        lhs: TExpr,
        density: Callee,
        args: Vec<TExpr>,
        truncation: Option<TTruncation>,
    },
    TargetPlus(TExpr),
    For {
        var: VarId,
        lo: TExpr,
        hi: TExpr,
        body: Box<TStmt>,
    },
    /// Loops over the elements of an array (or of a vector/matrix, in column-major order).
    ForEach {
        var: VarId,
        container: TExpr,
        body: Box<TStmt>,
    },
    While {
        cond: TExpr,
        body: Box<TStmt>,
    },
    If {
        cond: TExpr,
        then: Box<TStmt>,
        otherwise: Option<Box<TStmt>>,
    },
    Break,
    Continue,
    Return(Option<TExpr>),
    Block(Vec<TStmt>),
    Print(Vec<TPrintable>),
    Reject(Vec<TPrintable>),
    FatalError(Vec<TPrintable>),
    /// A call to a void function.
    Call {
        callee: Callee,
        args: Vec<TExpr>,
    },
}

/// A user-defined function.
#[derive(Clone, Debug, PartialEq)]
pub struct TFunction {
    pub id: FunId,
    pub name: String,
    pub params: Vec<VarId>,
    pub param_types: Vec<Type>,
    pub data_only: Vec<bool>,
    /// `None` for void.
    pub ret: Option<Type>,
    pub body: TStmt,
    pub span: Span,
}

/// One entry of [`TypedProgram::parameter_list`].
#[derive(Clone, Debug, PartialEq)]
pub struct ParameterInfo {
    pub name: String,
    pub block: BlockKind,
    /// Declared type with sizes and constraints, e.g. `array[J] real<lower=0>`.
    pub declared: String,
    pub ty: Type,
    pub constraint: Constraint,
}

/// A checked program.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedProgram {
    pub name: String,
    pub vars: Vec<Variable>,
    pub functions: Vec<TFunction>,
    pub data: Vec<TStmt>,
    pub transformed_data: Vec<TStmt>,
    pub parameters: Vec<TStmt>,
    pub transformed_parameters: Vec<TStmt>,
    pub model: Vec<TStmt>,
    pub generated_quantities: Vec<TStmt>,
    /// Warnings (deprecated syntax, integer division); the program is valid.
    pub warnings: Diagnostics,
}

impl TypedProgram {
    pub fn var(&self, id: VarId) -> &Variable {
        &self.vars[id.0 as usize]
    }

    pub fn function(&self, id: FunId) -> &TFunction {
        &self.functions[id.0 as usize]
    }

    /// Top-level variables of one block, in declaration order.
    pub fn block_vars(&self, block: BlockKind) -> impl Iterator<Item = &Variable> {
        self.vars
            .iter()
            .filter(move |v| v.origin == Origin::Block(block))
    }

    /// Parameters, transformed parameters and generated quantities in output order.
    pub fn parameter_list(&self) -> Vec<ParameterInfo> {
        [
            BlockKind::Parameters,
            BlockKind::TransformedParameters,
            BlockKind::GeneratedQuantities,
        ]
        .into_iter()
        .flat_map(|b| {
            self.block_vars(b).map(move |v| ParameterInfo {
                name: v.name.clone(),
                block: b,
                declared: v
                    .decl
                    .as_ref()
                    .map_or_else(|| v.ty.to_string(), |d| d.text.clone()),
                ty: v.ty,
                constraint: v
                    .decl
                    .as_ref()
                    .map_or(Constraint::None, |d| d.constraint.clone()),
            })
        })
        .collect()
    }
}
