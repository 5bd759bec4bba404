//! Runs every rule over a project and collects diagnostics.

use ruff_text_size::TextRange;

use crate::diagnostic::{Category, Diagnostic, FixInfo};
use crate::layout::{Layout, Layouts};
use crate::model::class::{ClassId, ClassInfo, ModuleId, Use, UseKind};
use crate::model::project::Project;
use crate::plan::{make_plan, Plan};
use crate::rules;
use crate::savings::PyVersion;

pub struct Checker<'p> {
    pub project: &'p Project,
    /// layouts of the code as written (no planned slots)
    pub layouts: Layouts<'p>,
    pub plan: Plan,
    pub version: PyVersion,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'p> Checker<'p> {
    pub fn new(project: &'p Project, version: PyVersion) -> Self {
        Self {
            project,
            layouts: Layouts::new(project),
            plan: make_plan(project, version),
            version,
            diagnostics: Vec::new(),
        }
    }

    pub fn report(
        &mut self,
        code: &'static str,
        category: Category,
        module: usize,
        range: TextRange,
        message: String,
    ) {
        let Some(m) = self.project.modules.get(module) else {
            return;
        };
        let (line, column) = m.lines.line_col(&m.text, range.start().to_usize());
        let (end_line, end_column) = m.lines.line_col(&m.text, range.end().to_usize());
        self.diagnostics.push(Diagnostic {
            code,
            category,
            path: m.display.clone(),
            line,
            column,
            end_line,
            end_column,
            message,
            fix: None,
        });
    }

    /// Attach fix information to the finding reported last.
    pub fn attach_fix(&mut self, fix: FixInfo) {
        if let Some(d) = self.diagnostics.last_mut() {
            d.fix = Some(fix);
        }
    }

    /// Classes with an explicit `__slots__` declaration.
    pub fn slotted(&self) -> Vec<(ClassId, &'p ClassInfo)> {
        self.project
            .classes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.slots.is_some())
            .collect()
    }

    /// Does some project subclass of `cid` have the capability (a `__dict__`, a
    /// `__weakref__`, a slot)? Then code in `cid`'s methods may be meant for it.
    pub fn subclass_provides(&mut self, cid: ClassId, capable: impl Fn(&Layout) -> bool) -> bool {
        let project = self.project;
        project
            .descendants(cid)
            .into_iter()
            .any(|d| capable(&self.layouts.layout(d)))
    }

    /// May a use from outside the class claim a run-time error? Only when its receiver can
    /// only be instances of project classes and the use `fails` on each of them: a receiver
    /// that may also be something else (a use typed from several flows, one of them any
    /// object) may be the thing the code was written for.
    pub fn fails_on_every_receiver(&mut self, module: ModuleId, u: &Use, fails: impl Fn(&mut Self, ClassId) -> bool) -> bool {
        let project = self.project;
        let Some(all) = project.sole_receivers(module, u) else { return false };
        all.iter().all(|k| fails(self, *k))
    }

    /// The uses of kind `kind` on instances of `cid` that fail: in its own methods when
    /// `fails(cid)`, from outside when they fail on every class the receiver may be.
    pub fn failing_uses(&mut self, cid: ClassId, kind: &UseKind, fails: fn(&mut Self, ClassId) -> bool) -> Vec<(ModuleId, TextRange)> {
        let project = self.project;
        let mut out = Vec::new();
        for (module, u, inside) in project.instance_uses(cid) {
            if &u.kind != kind {
                continue;
            }
            let failed = if inside { fails(self, cid) } else { self.fails_on_every_receiver(module, u, fails) };
            if failed {
                out.push((module, u.range));
            }
        }
        out
    }

    pub fn class_name(&self, cid: ClassId) -> &'p str {
        self.project.classes.get(cid).map_or("?", |c| c.name.as_str())
    }

    /// Run every rule; diagnostics sorted by path and position.
    pub fn run(mut self) -> Vec<Diagnostic> {
        rules::syntax_error::check(&mut self);
        rules::slot_conflicts_with_class_attribute::check(&mut self);
        rules::multiple_bases_with_slots::check(&mut self);
        rules::nonempty_slots_on_varsize_builtin::check(&mut self);
        rules::redundant_dict_or_weakref_slot::check(&mut self);
        rules::dataclass_slots_with_explicit_slots::check(&mut self);
        rules::assignment_to_non_slot::check(&mut self);
        rules::weakref_without_weakref_slot::check(&mut self);
        rules::cached_property_without_dict::check(&mut self);
        rules::dict_access_on_slotted_instance::check(&mut self);
        rules::zero_arg_super_in_slots_dataclass::check(&mut self);
        rules::slots_on_dict_base::check(&mut self);
        rules::slot_repeats_base_slot::check(&mut self);
        rules::duplicate_slot_name::check(&mut self);
        rules::single_string_slots::check(&mut self);
        rules::can_use_slots::check(&mut self);
        rules::slots_blocked::check(&mut self);
        let mut out = self.diagnostics;
        out.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.code).cmp(&(&b.path, b.line, b.column, b.code))
        });
        out
    }
}
