//! Answering each evaluation question once per state.
//!
//! Linking asks the same questions many times: what a dotted name holds (a module
//! variable, what calling a function gives), what the call sites of a private function
//! pass as a parameter. The answers depend on each other, often in cycles (a recursive
//! function returning its own result, private functions passing their parameters back and
//! forth). Walked naively, every question re-walked every path down to the depth limit:
//! numpy's package took 181 s and CPython's `lib2to3` 16 s.
//!
//! A question already being answered further up the stack gives `Unknown` (anything), as
//! the depth limit would. An answer then depends on where it was asked only through the
//! questions it was cut short at, and on the depth it was asked at if the depth limit cut
//! it short; it is kept (for that depth, in the second case)
//! - for the whole state, when it was cut short only at its own question or deeper (it is
//!   what asking afresh gives);
//! - otherwise while the question it was cut short at stays on the stack, and for the whole
//!   state once the outermost question of that cycle is answered: within a cycle every
//!   question is answered once, not once per path, and the whole cycle once. Such an
//!   answer saw a question of its cycle as anything: sound, if less precise than asking
//!   afresh from outside the cycle (a question in a cycle may hold anything anyway).
//!
//! Every cut gives `Unknown`, so every kept answer is sound; an answer cut short by a guard
//! that gives nothing rather than anything (an attribute being typed further up:
//! `Project::once_on_stack`) is never kept. The state the answers read changes between
//! attribute rounds: `Project::state_changed` forgets them.

use std::cell::{Cell, RefCell};

use rustc_hash::FxHashMap as HashMap;

use super::flow::Val;

/// A question: its kind and its text (a dotted name; a function and a parameter).
pub type Question = (u8, String);

/// An answer kept for a question: for any depth, or (the depth limit cut it short) for the
/// depth it was asked at; until the question at stack level `level` (1-based) is answered,
/// or (`level` 0) for the whole state.
struct Kept {
    depth: Option<usize>,
    answer: Vec<Val>,
    level: usize,
}

#[derive(Default)]
pub struct Memo {
    /// the answers kept, by question
    kept: RefCell<HashMap<Question, Vec<Kept>>>,
    /// the answers kept until a question on the stack is answered, by its level
    by_level: RefCell<Vec<Vec<(Question, Option<usize>)>>>,
    /// the questions being answered, outermost first
    stack: RefCell<Vec<Question>>,
    /// the lowest stack level (1-based; 0: any) an answer below the current one was cut
    /// short at
    cut_at: Cell<usize>,
    /// the depth limit was reached below the current answer
    depth_cut: Cell<bool>,
    /// symbols evaluated (a measure of the work; the scaling tests bound it)
    pub evaluations: Cell<u64>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo").field("questions", &self.kept.borrow().len()).finish()
    }
}

impl Memo {
    /// Answer `question`, asked at `depth`, with `answer`, or with what was kept.
    pub fn ask(&self, question: Question, depth: usize, answer: impl FnOnce() -> Vec<Val>) -> Vec<Val> {
        if let Some(list) = self.kept.borrow().get(&question) {
            let any = list.iter().find(|k| k.depth.is_none());
            if let Some(k) = any.or_else(|| list.iter().find(|k| k.depth == Some(depth))) {
                self.depth_cut.set(self.depth_cut.get() || k.depth.is_some());
                if k.level > 0 {
                    self.cut_at.set(self.cut_at.get().min(k.level));
                }
                return k.answer.clone();
            }
        }
        // being answered further up (a cycle): anything
        let on_stack = self.stack.borrow().iter().position(|q| *q == question);
        if let Some(pos) = on_stack {
            self.cut_at.set(self.cut_at.get().min(pos + 1));
            return vec![Val::Unknown];
        }
        let level = self.stack.borrow().len() + 1;
        let outer = (self.cut_at.replace(usize::MAX), self.depth_cut.replace(false));
        self.stack.borrow_mut().push(question.clone());
        let out = answer();
        self.stack.borrow_mut().pop();
        let (cut, deep) = (self.cut_at.get(), self.depth_cut.get());
        self.cut_at.set(outer.0.min(cut));
        self.depth_cut.set(outer.1 || deep);
        self.settle_dependents(level, cut);
        let depth = deep.then_some(depth);
        let kept_level = if cut >= level {
            0
        } else if cut > 0 {
            let mut by_level = self.by_level.borrow_mut();
            if by_level.len() <= cut {
                by_level.resize_with(cut + 1, Vec::new);
            }
            by_level[cut].push((question.clone(), depth));
            cut
        } else {
            return out;
        };
        let kept = Kept { depth, answer: out.clone(), level: kept_level };
        self.kept.borrow_mut().entry(question).or_default().push(kept);
        out
    }

    /// The question at `level` was answered, cut short at `cut`: the answers that saw it
    /// as anything stay sound; they are kept for the rest of the cycle (while the question
    /// at `cut` stays on the stack) or, once the cycle's outermost question is answered,
    /// for the state.
    fn settle_dependents(&self, level: usize, cut: usize) {
        let dependents = self.by_level.borrow_mut().get_mut(level).map(std::mem::take).unwrap_or_default();
        if dependents.is_empty() {
            return;
        }
        let relabel = if (1..level).contains(&cut) { cut } else { 0 };
        let mut kept = self.kept.borrow_mut();
        for (q, depth) in &dependents {
            let found = kept.get_mut(q).and_then(|list| list.iter_mut().find(|k| k.depth == *depth && k.level == level));
            if let Some(k) = found {
                k.level = relabel;
            }
        }
        if relabel > 0 {
            self.by_level.borrow_mut()[relabel].extend(dependents);
        }
    }

    /// The depth limit was reached.
    pub fn depth_limit(&self) {
        self.depth_cut.set(true);
    }

    /// A guard that gives nothing fired: nothing on the stack is kept.
    pub fn cut_short(&self) {
        self.cut_at.set(0);
    }

    /// Forget every answer (the state they read changed).
    pub fn clear(&self) {
        self.kept.borrow_mut().clear();
        self.by_level.borrow_mut().clear();
    }
}
