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

/// A question, with the depth it was asked at if the depth limit cut its answer short.
type Asked = (Question, Option<usize>);

#[derive(Default)]
pub struct Memo {
    /// answers valid for the whole state
    answers: RefCell<HashMap<Asked, Vec<Val>>>,
    /// answers cut short at a question still on the stack, with its level (1-based)
    provisional: RefCell<HashMap<Asked, (Vec<Val>, usize)>>,
    /// the questions of `provisional`, by the level they depend on
    by_level: RefCell<Vec<Vec<Asked>>>,
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
        f.debug_struct("Memo").field("answers", &self.answers.borrow().len()).finish()
    }
}

impl Memo {
    /// Answer `question`, asked at `depth`, with `answer`, or with what was kept.
    pub fn ask(&self, question: Question, depth: usize, answer: impl FnOnce() -> Vec<Val>) -> Vec<Val> {
        for asked in [(question.clone(), None), (question.clone(), Some(depth))] {
            let deep = asked.1.is_some();
            if let Some(hit) = self.answers.borrow().get(&asked) {
                self.depth_cut.set(self.depth_cut.get() || deep);
                return hit.clone();
            }
            if let Some((hit, level)) = self.provisional.borrow().get(&asked) {
                self.depth_cut.set(self.depth_cut.get() || deep);
                self.cut_at.set(self.cut_at.get().min(*level));
                return hit.clone();
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
        let asked = (question, deep.then_some(depth));
        if cut >= level {
            self.answers.borrow_mut().insert(asked, out.clone());
        } else if cut > 0 {
            let mut by_level = self.by_level.borrow_mut();
            if by_level.len() <= cut {
                by_level.resize_with(cut + 1, Vec::new);
            }
            by_level[cut].push(asked.clone());
            self.provisional.borrow_mut().insert(asked, (out.clone(), cut));
        }
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
        let mut provisional = self.provisional.borrow_mut();
        if (1..level).contains(&cut) {
            for q in &dependents {
                if let Some(p) = provisional.get_mut(q) {
                    p.1 = cut;
                }
            }
            self.by_level.borrow_mut()[cut].extend(dependents);
        } else {
            let mut answers = self.answers.borrow_mut();
            for q in dependents {
                if let Some((a, _)) = provisional.remove(&q) {
                    answers.insert(q, a);
                }
            }
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
        self.answers.borrow_mut().clear();
        self.provisional.borrow_mut().clear();
        self.by_level.borrow_mut().clear();
    }
}
