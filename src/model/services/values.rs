//! The constants and struct fields of every crate, and the evaluation of a hit's value
//! through them: a URL or topic often names a `const` or a config field rather than a
//! literal, and is only useful once those are replaced by what they hold.

use crate::extract::services::{Assignment, Part, Value};
use std::collections::{BTreeSet, HashMap};

/// Every value assigned to each constant and field, kept as sets so that a name with two
/// different values is recognisably ambiguous.
#[derive(Default)]
pub(super) struct Values<'a> {
    /// Constant name → its values across the organization.
    consts: HashMap<&'a str, BTreeSet<&'a Value>>,
    /// (crate, constant name) → its values in that crate.
    crate_consts: HashMap<(usize, &'a str), BTreeSet<&'a Value>>,
    /// (crate, `Type::field` or `field`) → its values in that crate's non-test code.
    fields: HashMap<(usize, &'a str), BTreeSet<&'a Value>>,
    /// Library (`lib` target) name → crate, for constants imported by path.
    lib_names: HashMap<&'a str, usize>,
}

impl<'a> Values<'a> {
    pub(super) fn new(lib_names: HashMap<&'a str, usize>) -> Self {
        Values {
            lib_names,
            ..Values::default()
        }
    }

    /// Records a file's constants: all of a crate's code defines them, tests included.
    pub(super) fn add_consts(&mut self, package: usize, consts: &'a [Assignment]) {
        for assignment in consts {
            self.consts
                .entry(&assignment.name)
                .or_default()
                .insert(&assignment.value);
            self.crate_consts
                .entry((package, &assignment.name))
                .or_default()
                .insert(&assignment.value);
        }
    }

    /// Records a file's field assignments (the caller passes normal code only).
    pub(super) fn add_fields(&mut self, package: usize, fields: &'a [Assignment]) {
        for assignment in fields {
            self.fields
                .entry((package, &assignment.name))
                .or_default()
                .insert(&assignment.value);
        }
    }

    /// `value` as seen from `package`, its constants and fields replaced by their one value,
    /// or by a hole when they have none or several.
    pub(super) fn resolve(&self, package: usize, value: &Value) -> Value {
        let mut out = Vec::new();
        for part in value {
            let resolved: Option<&Value> = match part {
                Part::Const(name) => self.const_value(package, name),
                Part::Field(name) => field_value(&self.fields, package, name),
                _ => None,
            };
            match resolved {
                // A field's value may itself use a constant.
                Some(inner) => {
                    for part in inner {
                        let part = match part {
                            Part::Const(name) => unique(self.consts.get(name.as_str()))
                                .filter(|value| value[..] != [Part::Hole])
                                .and_then(|v| match &v[..] {
                                    [single] => Some(single.clone()),
                                    _ => None,
                                })
                                .unwrap_or(Part::Hole),
                            other => other.clone(),
                        };
                        push(&mut out, part);
                    }
                }
                None => push(
                    &mut out,
                    match part {
                        Part::Const(_) | Part::Field(_) => Part::Hole,
                        other => other.clone(),
                    },
                ),
            }
        }
        out
    }

    /// The crate's own constant of that name, else the organization's one (an imported
    /// `ORDER_STATUS`); a crate that defines the name never borrows it.
    fn const_value(&self, package: usize, name: &str) -> Option<&'a Value> {
        match name.split_once("::") {
            // Imported from a crate by `use`: that crate's constant.
            Some((krate, name)) => self
                .lib_names
                .get(krate)
                .and_then(|&owner| unique(self.crate_consts.get(&(owner, name)))),
            None => match self.crate_consts.get(&(package, name)) {
                Some(values) => unique(Some(values)),
                None => unique(self.consts.get(name)),
            },
        }
        .filter(|value| value[..] != [Part::Hole])
    }
}

/// The one value assigned to a field: `Type::field` exactly, or a bare `field` (its owner
/// unknown at the use) when every assignment to a field of that name in the crate agrees.
fn field_value<'v>(
    fields: &HashMap<(usize, &str), BTreeSet<&'v Value>>,
    package: usize,
    name: &str,
) -> Option<&'v Value> {
    if name.contains("::") {
        return unique(fields.get(&(package, name)));
    }
    let suffix = format!("::{name}");
    let values: BTreeSet<&Value> = fields
        .iter()
        .filter(|((p, field), _)| *p == package && (*field == name || field.ends_with(&suffix)))
        .flat_map(|(_, values)| values.iter().copied())
        .collect();
    unique(Some(&values))
}

fn unique<'v>(values: Option<&BTreeSet<&'v Value>>) -> Option<&'v Value> {
    let values = values?;
    (values.len() == 1).then(|| *values.iter().next().expect("one"))
}

/// Appends `part`, merging adjacent literals so that values compare by their text.
fn push(value: &mut Value, part: Part) {
    if let (Some(Part::Lit(last)), Part::Lit(text)) = (value.last_mut(), &part) {
        last.push_str(text);
        return;
    }
    value.push(part);
}
