//! Fourth round of flows (issue 9): values the annotations of other code promise. A
//! decorated function's parameters hold what its decorator's `Callable[...]` annotation
//! passes; an unannotated override's parameters hold what the overridden method
//! annotates; an attribute read right after a store holds the stored value. Each rule
//! has positive cases and negative ones (the shortcut that would break the code shown).

mod support;

use support::{clean, protected};

const CLASSES: &str = "import typing as t\n\nP = t.ParamSpec(\"P\")\nR = t.TypeVar(\"R\")\n\n\nclass Context:\n    def __init__(self):\n        self.obj = None\n\n\nclass Other:\n    def __init__(self):\n        self.n = 1\n\n\n";

/// click's `pass_context`: the wrapped function gets a `Context` first.
const DECORATOR: &str = "def pass_context(f: \"t.Callable[t.Concatenate[Context, P], R]\") -> \"t.Callable[P, R]\":\n    def new_func(*args, **kwargs):\n        return f(Context(), *args, **kwargs)\n    return new_func\n\n\n";

#[test]
fn decorated_functions_get_what_the_decorator_annotation_passes() {
    let body = "@pass_context\ndef cli(ctx):\n    ctx.obj = 1\n    ctx.label = \"x\"\n";
    let src = format!("{CLASSES}{DECORATOR}{body}");
    clean(&src, "Other", &["n"]);
    clean(&src, "Context", &["obj", "label"]);
    // nested in a test function, under other decorators (the innermost gets the function)
    let nested = format!("{CLASSES}{DECORATOR}def outer(f):\n    return f\n\n\ndef test_it():\n    @outer\n    @pass_context\n    def cli(ctx):\n        ctx.label = 1\n    return cli\n");
    clean(&nested, "Other", &["n"]);
    // `Callable[[A, B], R]` names both positions
    let listed = format!("{CLASSES}def twice(f: t.Callable[[Context, Other], None]):\n    return f\n\n\n@twice\ndef cb(a, b):\n    a.label = 1\n    b.n = 2\n");
    clean(&listed, "Other", &["n"]);
    clean(&listed, "Context", &["obj", "label"]);
}

#[test]
fn decorated_functions_without_such_a_promise_get_anything() {
    let body = "def cli(ctx, more, *, kw=None):\n    ctx.label = 1\n";
    let cases = [
        // no annotation: the decorator may call the function with anything
        "def deco(f):\n    return f\n\n\n@deco\n".to_string(),
        // `Callable[..., R]`: no position is named
        "def deco(f: t.Callable[..., R]) -> t.Callable[..., R]:\n    return f\n\n\n@deco\n".to_string(),
        // a decorator factory's call: what it returns is not read
        "def deco():\n    return pass_context\n\n\n@deco()\n".to_string(),
        // an outside decorator
        "import functools\n\n\n@functools.lru_cache\n".to_string(),
    ];
    for deco in cases {
        let src = format!("{CLASSES}{DECORATOR}{deco}{body}");
        protected(&src, "Other", "label");
    }
    // positions the annotation leaves to `P`, and keyword-only parameters
    for stored in ["more", "kw"] {
        let src = format!("{CLASSES}{DECORATOR}@pass_context\n{}", body.replace("ctx.label", &format!("{stored}.label")));
        protected(&src, "Other", "label");
    }
    // methods keep their receiver rule: a decorated method's parameters are anything
    let method = format!("{CLASSES}{DECORATOR}class Cmd:\n    @pass_context\n    def run(self, ctx):\n        ctx.label = 1\n");
    protected(&method, "Other", "label");
}

const BASE: &str = "class Base:\n    def run(self, ctx: Context, other: Other) -> None:\n        pass\n\n\n";

#[test]
fn unannotated_overrides_take_the_base_annotations() {
    let src = format!("{CLASSES}{BASE}class Sub(Base):\n    def run(self, ctx, other):\n        ctx.label = 1\n\n\nclass Leaf(Sub):\n    def run(self, ctx, other):\n        ctx.tag = 2\n");
    clean(&src, "Other", &["n"]);
    clean(&src, "Context", &["obj", "label", "tag"]);
}

#[test]
fn overrides_without_a_matching_annotated_base_get_anything() {
    let cases = [
        // the base does not annotate it
        (BASE.replace("ctx: Context", "ctx"), "class Sub(Base):\n    def run(self, ctx, other):\n        ctx.label = 1\n"),
        // another name at that position: not the same parameter
        (BASE.to_string(), "class Sub(Base):\n    def run(self, context, other):\n        context.label = 1\n"),
        // a static method has no receiver to skip
        (BASE.to_string(), "class Sub(Base):\n    @staticmethod\n    def run(ctx, other):\n        ctx.label = 1\n"),
        // a base outside the project may define the method for outside callers
        (BASE.to_string(), "import threading\n\n\nclass Sub(Base, threading.Thread):\n    def run(self, ctx, other):\n        ctx.label = 1\n"),
        // no base defines it
        (BASE.to_string(), "class Sub(Base):\n    def go(self, ctx, other):\n        ctx.label = 1\n"),
    ];
    for (base, sub) in cases {
        let src = format!("{CLASSES}{base}{sub}");
        protected(&src, "Other", "label");
    }
}

/// `obj` may hold anything (click's `Context.obj`): only the store pins it.
const HOLDER: &str = "class Holder:\n    def __init__(self, obj: t.Any):\n        self.obj = obj\n\n\n";

#[test]
fn an_attribute_read_right_after_a_store_holds_the_stored_value() {
    let src = format!("{CLASSES}{HOLDER}def go(h: Holder):\n    h.obj = Context()\n    h.obj.label = \"x\"\n");
    clean(&src, "Other", &["n"]);
    clean(&src, "Context", &["obj", "label"]);
}

#[test]
fn stores_that_do_not_pin_the_next_read_give_anything() {
    let cases = [
        // code runs in between
        "def go(h: Holder):\n    h.obj = Context()\n    print()\n    h.obj.label = \"x\"\n",
        // the store may not have run
        "def go(h: Holder, c):\n    if c:\n        h.obj = Context()\n    h.obj.label = \"x\"\n",
        // the second value runs code before the path is read
        "def go(h: Holder):\n    h.obj = Context()\n    h.obj.label = make()\n",
        // the receiver may be anything (a property could give anything back)
        "def go(h):\n    h.obj = Context()\n    h.obj.label = \"x\"\n",
    ];
    for case in cases {
        let src = format!("{CLASSES}{HOLDER}def make():\n    return Other()\n\n\n{case}");
        protected(&src, "Other", "label");
    }
    // a property on the receiver's class decides what the read gives
    let prop = format!("{CLASSES}class Holder:\n    @property\n    def obj(self) -> t.Any:\n        return make()\n\n    @obj.setter\n    def obj(self, v):\n        pass\n\n\ndef make() -> t.Any:\n    pass\n\n\ndef go(h: Holder):\n    h.obj = Context()\n    h.obj.label = \"x\"\n");
    protected(&prop, "Other", "label");
    // so does `__setattr__`
    let hook = format!("{CLASSES}class Holder:\n    def __init__(self):\n        self.obj = None\n\n    def __setattr__(self, k, v):\n        object.__setattr__(self, k, make())\n\n\ndef make() -> t.Any:\n    pass\n\n\ndef go(h: Holder):\n    h.obj = Context()\n    h.obj.label = \"x\"\n");
    protected(&hook, "Other", "label");
}

/// click's `make_pass_decorator`: the decorator it returns passes an instance of the class
/// given for `object_type`.
const FACTORY: &str = "def make_pass_decorator(object_type: t.Type[R], ensure: bool = False) -> t.Callable[[\"t.Callable[t.Concatenate[R, P], t.Any]\"], \"t.Callable[P, t.Any]\"]:\n    def decorator(f):\n        return f\n    return decorator\n\n\n";

#[test]
fn decorator_factories_pass_the_class_they_were_given() {
    let forms = [
        // a module-level name assigned the call
        "pass_ctx = make_pass_decorator(Context)\n\n\n@pass_ctx\ndef cli(ctx):\n    ctx.label = 1\n",
        // the call itself
        "@make_pass_decorator(Context)\ndef cli(ctx):\n    ctx.label = 1\n",
        // a local name in a test function
        "def test_it():\n    pass_ctx = make_pass_decorator(Context, ensure=True)\n\n    @pass_ctx\n    def cli(ctx):\n        ctx.label = 1\n",
    ];
    for form in forms {
        let src = format!("{CLASSES}{FACTORY}{form}");
        clean(&src, "Other", &["n"]);
        clean(&src, "Context", &["obj", "label"]);
    }
}

#[test]
fn decorator_factories_without_such_a_promise_give_anything() {
    let cases = [
        // the name is bound twice: which call made the decorator is not known
        format!("{FACTORY}pass_ctx = make_pass_decorator(Context)\nif input():\n    pass_ctx = make_pass_decorator(Other)\n\n\n@pass_ctx\ndef cli(ctx):\n    ctx.label = 1\n"),
        // the argument is no class
        format!("{FACTORY}def make():\n    return Other()\n\n\n@make_pass_decorator(make())\ndef cli(ctx):\n    ctx.label = 1\n"),
        // a factory whose decorator takes `Callable[..., R]`
        format!("{}@make_pass_decorator(Context)\ndef cli(ctx):\n    ctx.label = 1\n", FACTORY.replace("\"t.Callable[t.Concatenate[R, P], t.Any]\"", "t.Callable[..., t.Any]")),
        // an unbound TypeVar: no `Type[...]` parameter binds it
        format!("{}@make_pass_decorator(Context)\ndef cli(ctx):\n    ctx.label = 1\n", FACTORY.replace("object_type: t.Type[R]", "object_type")),
    ];
    for case in cases {
        let src = format!("{CLASSES}{case}");
        protected(&src, "Other", "label");
    }
}
