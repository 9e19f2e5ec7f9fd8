//! Nested scopes mapping names to variables; Stan forbids re-declaring a name that is
//! already visible, so lookups walk every enclosing scope.

use super::super::typed::VarId;
use std::collections::HashMap;

#[derive(Default)]
pub(crate) struct Scopes {
    stack: Vec<HashMap<String, VarId>>,
}

impl Scopes {
    pub fn push(&mut self) {
        self.stack.push(HashMap::new());
    }

    pub fn pop(&mut self) {
        self.stack.pop();
    }

    /// Replaces the whole stack (function bodies see only their own arguments).
    pub fn swap(&mut self, other: &mut Scopes) {
        std::mem::swap(&mut self.stack, &mut other.stack);
    }

    pub fn lookup(&self, name: &str) -> Option<VarId> {
        self.stack.iter().rev().find_map(|s| s.get(name).copied())
    }

    /// Binds `name` in the innermost scope.
    pub fn declare(&mut self, name: &str, id: VarId) {
        if self.stack.is_empty() {
            self.push();
        }
        if let Some(top) = self.stack.last_mut() {
            top.insert(name.to_string(), id);
        }
    }

    /// Every visible name (for suggestions).
    pub fn names(&self) -> Vec<&str> {
        self.stack
            .iter()
            .flat_map(|s| s.keys().map(String::as_str))
            .collect()
    }
}
