//! Field kinds: how a field is stored and what it accepts.

/// A value stored unboxed, 8 bytes inline in the instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scalar {
    F64,
    I64,
    Bool,
}

/// An immutable built-in type whose exact instances hold no references to other objects, so a
/// field that accepts only these can never close a reference cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Atom {
    Str,
    Bytes,
    Int,
    Float,
    Bool,
}

/// How a field is stored and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Unboxed 8-byte value behind a slotkit descriptor; checked on every write.
    Scalar(Scalar),
    /// Object reference (a `T_OBJECT_EX` slot) accepting only exact instances of `atom`, and
    /// `None` when `nullable`. Checked on every write.
    Atomic { atom: Atom, nullable: bool },
    /// Object reference accepting anything; never checked.
    Object,
}

impl Atom {
    pub fn name(self) -> &'static str {
        match self {
            Atom::Str => "str",
            Atom::Bytes => "bytes",
            Atom::Int => "int",
            Atom::Float => "float",
            Atom::Bool => "bool",
        }
    }

    pub fn from_name(name: &str) -> Option<Atom> {
        Some(match name {
            "str" => Atom::Str,
            "bytes" => Atom::Bytes,
            "int" => Atom::Int,
            "float" => Atom::Float,
            "bool" => Atom::Bool,
            _ => return None,
        })
    }
}

impl Kind {
    /// The kind for a plain annotation of a built-in type name (`float`, `str`, ...), or for
    /// `name | None` when `nullable`. Anything unknown is an unchecked object field.
    pub fn for_annotation(name: &str, nullable: bool) -> Kind {
        match (name, nullable) {
            ("float", false) => Kind::Scalar(Scalar::F64),
            ("int", false) => Kind::Scalar(Scalar::I64),
            ("bool", false) => Kind::Scalar(Scalar::Bool),
            _ => match Atom::from_name(name) {
                Some(atom) => Kind::Atomic { atom, nullable },
                None => Kind::Object,
            },
        }
    }

    /// Stable short code, used in `fields()`, in `__class__` layout compatibility and in tests.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Scalar(Scalar::F64) => "f64",
            Kind::Scalar(Scalar::I64) => "i64",
            Kind::Scalar(Scalar::Bool) => "bool",
            Kind::Atomic { atom: Atom::Str, nullable: false } => "str",
            Kind::Atomic { atom: Atom::Bytes, nullable: false } => "bytes",
            Kind::Atomic { atom: Atom::Int, nullable: false } => "int",
            Kind::Atomic { atom: Atom::Float, nullable: false } => "float",
            Kind::Atomic { atom: Atom::Bool, nullable: false } => "boolobj",
            Kind::Atomic { atom: Atom::Str, nullable: true } => "str?",
            Kind::Atomic { atom: Atom::Bytes, nullable: true } => "bytes?",
            Kind::Atomic { atom: Atom::Int, nullable: true } => "int?",
            Kind::Atomic { atom: Atom::Float, nullable: true } => "float?",
            Kind::Atomic { atom: Atom::Bool, nullable: true } => "bool?",
            Kind::Object => "object",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        ALL_KINDS.iter().copied().find(|k| k.code() == code)
    }

    /// What the field accepts, as written in error messages: `float`, `str | None`.
    pub fn expected(self) -> String {
        match self {
            Kind::Scalar(Scalar::F64) => "float".to_owned(),
            Kind::Scalar(Scalar::I64) => "int".to_owned(),
            Kind::Scalar(Scalar::Bool) => "bool".to_owned(),
            Kind::Atomic { atom, nullable: false } => atom.name().to_owned(),
            Kind::Atomic { atom, nullable: true } => format!("{} | None", atom.name()),
            Kind::Object => "object".to_owned(),
        }
    }

    /// True when no value this field accepts can refer back to another object.
    pub fn is_acyclic(self) -> bool {
        !matches!(self, Kind::Object)
    }

    /// True when the field is stored as an object reference (a `T_OBJECT_EX` slot).
    pub fn is_object(self) -> bool {
        !matches!(self, Kind::Scalar(_))
    }

    /// True when a write must run a check.
    pub fn is_checked(self) -> bool {
        !matches!(self, Kind::Object)
    }
}

/// Every kind, for `from_code` and for exhaustive tests.
pub const ALL_KINDS: [Kind; 14] = [
    Kind::Scalar(Scalar::F64),
    Kind::Scalar(Scalar::I64),
    Kind::Scalar(Scalar::Bool),
    Kind::Atomic { atom: Atom::Str, nullable: false },
    Kind::Atomic { atom: Atom::Bytes, nullable: false },
    Kind::Atomic { atom: Atom::Int, nullable: false },
    Kind::Atomic { atom: Atom::Float, nullable: false },
    Kind::Atomic { atom: Atom::Bool, nullable: false },
    Kind::Atomic { atom: Atom::Str, nullable: true },
    Kind::Atomic { atom: Atom::Bytes, nullable: true },
    Kind::Atomic { atom: Atom::Int, nullable: true },
    Kind::Atomic { atom: Atom::Float, nullable: true },
    Kind::Atomic { atom: Atom::Bool, nullable: true },
    Kind::Object,
];

/// A class needs the cycle collector unless every one of its fields is acyclic.
pub fn needs_gc<I: IntoIterator<Item = Kind>>(kinds: I) -> bool {
    kinds.into_iter().any(|k| !k.is_acyclic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for k in ALL_KINDS {
            assert_eq!(Kind::from_code(k.code()), Some(k));
        }
        let mut codes: Vec<_> = ALL_KINDS.iter().map(|k| k.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ALL_KINDS.len());
    }

    #[test]
    fn annotations_map_to_storage() {
        assert_eq!(Kind::for_annotation("float", false), Kind::Scalar(Scalar::F64));
        assert_eq!(Kind::for_annotation("int", false), Kind::Scalar(Scalar::I64));
        assert_eq!(Kind::for_annotation("bool", false), Kind::Scalar(Scalar::Bool));
        assert_eq!(
            Kind::for_annotation("float", true),
            Kind::Atomic { atom: Atom::Float, nullable: true }
        );
        assert_eq!(
            Kind::for_annotation("str", false),
            Kind::Atomic { atom: Atom::Str, nullable: false }
        );
        assert_eq!(Kind::for_annotation("list", false), Kind::Object);
        assert_eq!(Kind::for_annotation("list", true), Kind::Object);
    }

    #[test]
    fn gc_is_needed_only_for_unchecked_objects() {
        let employee = [Kind::for_annotation("str", false); 3];
        assert!(!needs_gc(employee));
        assert!(!needs_gc([Kind::Scalar(Scalar::F64), Kind::for_annotation("bytes", true)]));
        assert!(needs_gc([Kind::Scalar(Scalar::F64), Kind::Object]));
        assert!(!needs_gc([]));
    }

    #[test]
    fn expected_names_read_like_annotations() {
        assert_eq!(Kind::for_annotation("str", true).expected(), "str | None");
        assert_eq!(Kind::Scalar(Scalar::F64).expected(), "float");
    }
}
