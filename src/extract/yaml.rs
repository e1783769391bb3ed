//! Bounds checked before a YAML document is parsed into values: how deeply flow collections
//! nest, and how large the document grows once its aliases are expanded. The YAML parser
//! catches nested "billion laughs", but not one large anchor repeated by many aliases, and
//! its scanner is quadratic in flow nesting; both would cost a run its memory or minutes.

use serde::de::{self, Deserializer as _, MapAccess, SeqAccess, Visitor};

/// How deeply `[..]`/`{..}` may nest in one YAML document. Brackets are counted wherever
/// they stand (in quoted strings and comments too): no deployment file nests flow
/// collections a tenth as deep, and the parser refuses more than 128 levels of any nesting.
pub const MAX_FLOW_DEPTH: usize = 256;

/// How large a document may grow when every alias is replaced by its anchor's node, in bytes
/// of scalar text (each scalar, sequence and mapping counting at least
/// [`MIN_NODE_BYTES`]). A document with no aliases never comes near it (its own size is at
/// most [`crate::limits::MAX_DEPLOY_BYTES`]).
pub const MAX_EXPANDED_BYTES: usize = 64 * 1024 * 1024;

/// What each node counts toward [`MAX_EXPANDED_BYTES`] at least: a node held in memory costs
/// more than its text.
pub const MIN_NODE_BYTES: usize = 16;

/// A document that exceeds a bound: the 1-based line (relative to the document) where it
/// does, if known, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlLimit {
    pub line: Option<u32>,
    pub message: String,
}

/// Checks both bounds on one document. Cheap for the usual document: the alias bound is
/// checked only when the text may hold an alias (a `*`), and without building any value.
pub fn check(document: &str) -> Result<(), YamlLimit> {
    flow_depth(document)?;
    if document.contains('*') {
        expanded_size(document)?;
    }
    Ok(())
}

fn flow_depth(document: &str) -> Result<(), YamlLimit> {
    let mut depth = 0usize;
    let mut line = 1u32;
    for byte in document.bytes() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Err(YamlLimit {
                        line: Some(line),
                        message: format!(
                            "flow collections nest deeper than {MAX_FLOW_DEPTH} levels; not read"
                        ),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => line += 1,
            _ => {}
        }
    }
    Ok(())
}

/// Walks the document as the parser replays it (aliases expanded), adding up its size, and
/// stops as soon as the bound is passed: the walk allocates nothing and costs at most the
/// bound. A document that does not parse is left to the real parse to report.
fn expanded_size(document: &str) -> Result<(), YamlLimit> {
    struct Budget(usize);
    impl Budget {
        fn spend<E: de::Error>(&mut self, bytes: usize) -> Result<(), E> {
            let bytes = bytes.max(MIN_NODE_BYTES);
            match self.0.checked_sub(bytes) {
                Some(left) => {
                    self.0 = left;
                    Ok(())
                }
                None => Err(E::custom(EXCEEDED)),
            }
        }
    }
    const EXCEEDED: &str = "capgraph: expanded size bound exceeded";
    struct Counter<'b>(&'b mut Budget);
    impl<'de> Visitor<'de> for Counter<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any YAML node")
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
            self.0.spend(0)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
            self.0.spend(0)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
            self.0.spend(0)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
            self.0.spend(0)
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
            self.0.spend(text.len())
        }
        fn visit_unit<E: de::Error>(self) -> Result<(), E> {
            self.0.spend(0)
        }
        fn visit_none<E: de::Error>(self) -> Result<(), E> {
            self.0.spend(0)
        }
        fn visit_some<D: de::Deserializer<'de>>(self, inner: D) -> Result<(), D::Error> {
            inner.deserialize_any(self)
        }
        fn visit_newtype_struct<D: de::Deserializer<'de>>(self, inner: D) -> Result<(), D::Error> {
            inner.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            self.0.spend(0)?;
            while seq.next_element_seed(Seed(self.0))?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            self.0.spend(0)?;
            while map.next_key_seed(Seed(self.0))?.is_some() {
                map.next_value_seed(Seed(self.0))?;
            }
            Ok(())
        }
        fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
            // A tagged node (`!Ref x`): its tag and value.
            use de::VariantAccess;
            let ((), variant) = data.variant_seed(Seed(self.0))?;
            variant.newtype_variant_seed(Seed(self.0))
        }
    }
    struct Seed<'b>(&'b mut Budget);
    impl<'de> de::DeserializeSeed<'de> for Seed<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, inner: D) -> Result<(), D::Error> {
            inner.deserialize_any(Counter(self.0))
        }
    }
    let mut budget = Budget(MAX_EXPANDED_BYTES);
    for deserializer in serde_yaml_ng::Deserializer::from_str(document) {
        match deserializer.deserialize_any(Counter(&mut budget)) {
            Ok(()) => {}
            Err(err) if err.to_string().contains(EXCEEDED) => {
                return Err(YamlLimit {
                    line: None,
                    message: format!(
                        "aliases expand the document past {}; not read",
                        crate::limits::human_size(MAX_EXPANDED_BYTES as u64)
                    ),
                });
            }
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_anchors_pass_and_one_large_anchor_repeated_does_not() {
        let ordinary = "x-env: &env\n  A: 1\nservices:\n  a:\n    environment: *env\n  b:\n    environment: *env\n";
        assert_eq!(check(ordinary), Ok(()));
        let big = "a".repeat(1 << 20);
        let aliases: String = (0..100).map(|i| format!("  v{i}: *big\n")).collect();
        let hostile = format!("x: &big \"{big}\"\ny:\n{aliases}");
        let refused = check(&hostile).unwrap_err();
        assert!(
            refused
                .message
                .starts_with("aliases expand the document past 64 MiB")
        );
    }

    #[test]
    fn deep_flow_nesting_is_refused_at_its_line() {
        let deep = format!("a: 1\nb: {}1{}\n", "[".repeat(300), "]".repeat(300));
        assert_eq!(
            check(&deep),
            Err(YamlLimit {
                line: Some(2),
                message: "flow collections nest deeper than 256 levels; not read".to_string()
            })
        );
        assert_eq!(check("a: [[[1]]]\n"), Ok(()));
    }
}
