//! Type checking: AST → [`TypedProgram`], enforcing Stan's typing, scoping and block
//! rules and collecting every independent error.

mod calls;
mod decl;
mod expr;
mod functions;
mod ops;
mod scope;
mod stmt;
mod tilde;

use super::ast::{BlockKind, Program};
use super::diagnostic::{Diagnostic, Diagnostics};
use super::span::Span;
use super::typed::{TFunction, TStmt, TypedProgram, Variable};
use scope::Scopes;

/// Where the statement being checked sits.
#[derive(Clone, Debug)]
pub(crate) struct Context {
    /// `None` inside a function body.
    pub block: Option<BlockKind>,
    /// Name and return type (`None` = void) of the function being checked.
    pub function: Option<(String, Option<super::types::Type>)>,
    pub loop_depth: usize,
    /// True for the top-level statements of a block (not nested scopes).
    pub top_level: bool,
}

impl Context {
    fn function_name(&self) -> Option<&str> {
        self.function.as_ref().map(|(n, _)| n.as_str())
    }

    /// `~` and `target +=` are allowed here.
    pub fn allows_target(&self) -> bool {
        self.block == Some(BlockKind::Model)
            || self.function_name().is_some_and(|n| n.ends_with("_lp"))
    }

    /// `_rng` functions may be called here.
    pub fn allows_rng(&self) -> bool {
        matches!(
            self.block,
            Some(BlockKind::TransformedData | BlockKind::GeneratedQuantities)
        ) || self.function_name().is_some_and(|n| n.ends_with("_rng"))
    }

    /// `_lp` functions may be called here.
    pub fn allows_lp(&self) -> bool {
        matches!(
            self.block,
            Some(BlockKind::TransformedParameters | BlockKind::Model)
        ) || self.function_name().is_some_and(|n| n.ends_with("_lp"))
    }

    /// `_lupdf`/`_lupmf` may be called here.
    pub fn allows_unnormalized(&self) -> bool {
        self.block == Some(BlockKind::Model)
            || self
                .function_name()
                .is_some_and(|n| n.ends_with("_lpdf") || n.ends_with("_lpmf") || n.ends_with("_lp"))
    }

    /// Human name of the place, for messages.
    pub fn place(&self) -> String {
        match (&self.function, self.block) {
            (Some((n, _)), _) => format!("the function `{n}`"),
            (None, Some(b)) => format!("the `{}` block", b.keyword()),
            (None, None) => "this place".to_string(),
        }
    }
}

pub(crate) struct Checker {
    pub diags: Diagnostics,
    pub vars: Vec<Variable>,
    pub scopes: Scopes,
    pub functions: Vec<TFunction>,
    /// Signatures of user functions (declared or defined), by name.
    pub user_sigs: functions::UserSigs,
    pub ctx: Context,
}

impl Checker {
    pub fn error(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(span, msg));
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}

/// Parses and type-checks `src`; on success the typed program carries any warnings.
pub fn check(name: &str, src: &str) -> Result<TypedProgram, Diagnostics> {
    let (program, parse_diags) = super::parser::parse_with_warnings(name, src);
    let Some(program) = program else {
        return Err(parse_diags);
    };
    check_program(name, &program, parse_diags)
}

/// Type-checks an already parsed program. `warnings` are carried into the result.
pub fn check_program(
    name: &str,
    program: &Program,
    warnings: Diagnostics,
) -> Result<TypedProgram, Diagnostics> {
    let mut c = Checker {
        diags: warnings,
        vars: Vec::new(),
        scopes: Scopes::default(),
        functions: Vec::new(),
        user_sigs: functions::UserSigs::default(),
        ctx: Context {
            block: None,
            function: None,
            loop_depth: 0,
            top_level: false,
        },
    };
    c.diags.file = name.to_string();
    if let Some(fs) = &program.functions {
        c.check_functions(fs);
    }
    let mut typed = TypedProgram {
        name: name.to_string(),
        vars: Vec::new(),
        functions: Vec::new(),
        data: Vec::new(),
        transformed_data: Vec::new(),
        parameters: Vec::new(),
        transformed_parameters: Vec::new(),
        model: Vec::new(),
        generated_quantities: Vec::new(),
        warnings: Diagnostics::new(name),
    };
    c.scopes.push();
    for block in &program.blocks {
        c.ctx = Context {
            block: Some(block.kind),
            function: None,
            loop_depth: 0,
            top_level: true,
        };
        let is_model = block.kind == BlockKind::Model;
        if is_model {
            c.scopes.push();
        }
        let stmts: Vec<TStmt> = block
            .stmts
            .iter()
            .filter_map(|s| c.check_block_stmt(block.kind, s))
            .collect();
        if is_model {
            c.scopes.pop();
        }
        let slot = match block.kind {
            BlockKind::Data => &mut typed.data,
            BlockKind::TransformedData => &mut typed.transformed_data,
            BlockKind::Parameters => &mut typed.parameters,
            BlockKind::TransformedParameters => &mut typed.transformed_parameters,
            BlockKind::Model => &mut typed.model,
            BlockKind::GeneratedQuantities => &mut typed.generated_quantities,
        };
        *slot = stmts;
    }
    let diags = std::mem::take(&mut c.diags).sorted();
    if diags.has_errors() {
        return Err(diags);
    }
    typed.vars = c.vars;
    typed.functions = c.functions;
    typed.warnings = diags;
    Ok(typed)
}
