//! User-defined functions: registering signatures (so definitions may call each other in
//! any order), suffix rules, checking bodies in a fresh scope, and "returns on every path".

use super::super::ast::{FunDef, Stmt, StmtKind, UnsizedType};
use super::super::signatures::registry;
use super::super::typed::{FunId, Origin, TFunction, VarId, Variable};
use super::super::types::Type;
use super::scope::Scopes;
use super::{Checker, Context};
use std::collections::HashMap;

/// The signature of one user function.
#[derive(Clone, Debug)]
pub(crate) struct UserSig {
    pub id: FunId,
    pub params: Vec<Type>,
    pub data_only: Vec<bool>,
    pub ret: Option<Type>,
    pub defined: bool,
    pub display: String,
}

#[derive(Default)]
pub(crate) struct UserSigs {
    by_name: HashMap<String, Vec<UserSig>>,
}

pub(crate) enum UserResolution<'a> {
    Found(&'a UserSig),
    NoMatch(Vec<String>),
    Unknown,
}

impl UserSigs {
    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    pub fn names(&self) -> Vec<String> {
        self.by_name.keys().cloned().collect()
    }

    /// Overload with the fewest int→real promotions, as for built-ins.
    pub fn resolve(&self, name: &str, args: &[Type]) -> UserResolution<'_> {
        let Some(sigs) = self.by_name.get(name) else {
            return UserResolution::Unknown;
        };
        let best = sigs
            .iter()
            .filter(|s| {
                s.params.len() == args.len()
                    && s.params.iter().zip(args).all(|(p, a)| p.accepts(*a))
            })
            .min_by_key(|s| s.params.iter().zip(args).filter(|(p, a)| p != a).count());
        match best {
            Some(s) => UserResolution::Found(s),
            None => UserResolution::NoMatch(
                sigs.iter()
                    .take(super::super::signatures::MAX_CANDIDATES)
                    .map(|s| s.display.clone())
                    .collect(),
            ),
        }
    }
}

fn unsized_type(t: &UnsizedType) -> Type {
    Type::array(t.base, t.array_dims)
}

/// True when every path through `s` ends in `return`, `reject` or `fatal_error`.
fn always_returns(s: &Stmt) -> bool {
    match &s.kind {
        StmtKind::Return(_) | StmtKind::Reject(_) | StmtKind::FatalError(_) => true,
        StmtKind::Block(ss) => ss.iter().any(always_returns),
        StmtKind::If {
            then,
            otherwise: Some(o),
            ..
        } => always_returns(then) && always_returns(o),
        _ => false,
    }
}

impl Checker {
    pub(crate) fn check_functions(&mut self, fs: &[FunDef]) {
        let mut ids: Vec<Option<FunId>> = Vec::new();
        let mut next = 0u32;
        for f in fs {
            ids.push(self.register_function(f, &mut next));
        }
        for f in fs {
            if f.body.is_none() {
                let defined = self.user_sigs.by_name.get(&f.name.name).is_some_and(|v| {
                    v.iter().any(|s| {
                        s.defined
                            && s.params
                                == f.params
                                    .iter()
                                    .map(|p| unsized_type(&p.ty))
                                    .collect::<Vec<_>>()
                    })
                });
                if !defined {
                    self.error(
                        f.name.span,
                        format!(
                            "the function `{}` is declared but never defined",
                            f.name.name
                        ),
                    );
                }
            }
        }
        let mut bodies: Vec<Option<TFunction>> = vec![None; next as usize];
        for (f, id) in fs.iter().zip(ids) {
            if let (Some(id), Some(_)) = (id, &f.body) {
                bodies[id.0 as usize] = self.function_body(f, id);
            }
        }
        self.functions = bodies.into_iter().flatten().collect();
    }

    fn register_function(&mut self, f: &FunDef, next: &mut u32) -> Option<FunId> {
        let name = f.name.name.as_str();
        if registry().contains(name) {
            self.error(
                f.name.span,
                format!("`{name}` is a built-in function and cannot be redefined"),
            );
            return None;
        }
        let params: Vec<Type> = f.params.iter().map(|p| unsized_type(&p.ty)).collect();
        let ret = f.ret.as_ref().map(unsized_type);
        let real_ret = ret == Some(Type::REAL);
        let suffix_problem = if name.ends_with("_lpdf") {
            match params.first() {
                Some(t) if !t.is_int_based() && real_ret => None,
                _ => Some(
                    "an `_lpdf` function must return real and take a real-valued first argument (the variate)",
                ),
            }
        } else if name.ends_with("_lpmf") {
            match params.first() {
                Some(t) if t.is_int_based() && real_ret => None,
                _ => Some(
                    "an `_lpmf` function must return real and take an int-valued first argument (the variate)",
                ),
            }
        } else if (name.ends_with("_lcdf") || name.ends_with("_lccdf") || name.ends_with("_cdf"))
            && !real_ret
        {
            Some("a CDF function must return real")
        } else {
            None
        };
        if let Some(msg) = suffix_problem {
            self.error(f.name.span, format!("{msg}; `{name}` does not"));
        }
        let display = format!(
            "{} {name}({})",
            ret.map_or("void".to_string(), |t| t.to_string()),
            params
                .iter()
                .map(Type::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        let sigs = self.user_sigs.by_name.entry(name.to_string()).or_default();
        if let Some(existing) = sigs.iter_mut().find(|s| s.params == params) {
            if existing.ret != ret {
                self.error(
                    f.name.span,
                    format!("`{name}` is declared again with a different return type"),
                );
                return None;
            }
            if existing.defined && f.body.is_some() {
                self.error(
                    f.name.span,
                    format!("`{name}` is defined twice with the same argument types"),
                );
                return None;
            }
            existing.defined |= f.body.is_some();
            return Some(existing.id);
        }
        let id = FunId(*next);
        *next += 1;
        let data_only = f.params.iter().map(|p| p.data_only).collect();
        sigs.push(UserSig {
            id,
            params,
            data_only,
            ret,
            defined: f.body.is_some(),
            display,
        });
        Some(id)
    }

    fn function_body(&mut self, f: &FunDef, id: FunId) -> Option<TFunction> {
        let body = f.body.as_ref()?;
        let ret = f.ret.as_ref().map(unsized_type);
        let mut saved = Scopes::default();
        self.scopes.swap(&mut saved);
        self.scopes.push();
        let saved_ctx = std::mem::replace(
            &mut self.ctx,
            Context {
                block: None,
                function: Some((f.name.name.clone(), ret)),
                loop_depth: 0,
                top_level: false,
            },
        );
        let mut params = Vec::new();
        for p in &f.params {
            if self.scopes.lookup(&p.name.name).is_some() {
                self.error(
                    p.name.span,
                    format!("the argument name `{}` is used twice", p.name.name),
                );
            }
            let id = self.new_var(
                &p.name.name,
                Origin::FunctionArg {
                    data_only: p.data_only,
                },
                unsized_type(&p.ty),
                None,
                p.name.span,
            );
            params.push(id);
        }
        let typed = self.stmt(body);
        if ret.is_some() && !always_returns(body) {
            self.error(
                f.name.span,
                format!(
                    "the function `{}` can reach its end without returning a value",
                    f.name.name
                ),
            );
        }
        self.ctx = saved_ctx;
        self.scopes.swap(&mut saved);
        Some(TFunction {
            id,
            name: f.name.name.clone(),
            param_types: f.params.iter().map(|p| unsized_type(&p.ty)).collect(),
            data_only: f.params.iter().map(|p| p.data_only).collect(),
            params,
            ret,
            body: typed?,
            span: f.span,
        })
    }

    /// Adds a variable to the table and binds it in the innermost scope.
    pub(crate) fn new_var(
        &mut self,
        name: &str,
        origin: Origin,
        ty: Type,
        decl: Option<super::super::typed::TDecl>,
        span: super::super::span::Span,
    ) -> VarId {
        let id = VarId(self.vars.len() as u32);
        self.vars.push(Variable {
            id,
            name: name.to_string(),
            origin,
            ty,
            decl,
            span,
        });
        self.scopes.declare(name, id);
        id
    }
}
