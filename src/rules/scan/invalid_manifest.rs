//! SCN002 invalid-manifest: a Cargo.toml or ownership file is malformed.

use crate::diagnostics::DiagnosticCode;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct InvalidManifest;

static META: RuleMeta = RuleMeta {
    id: "SCN002",
    name: "invalid-manifest",
    category: Category::Scan,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "A Cargo.toml, CODEOWNERS, catalog, proto or deploy file is malformed.",
        what_it_does: "Reports manifests and ownership or wiring files that could not be read \
whole, or keys and lines in them that were ignored: invalid TOML or YAML, a CODEOWNERS line \
that is not a pattern with owners, a `workspace = true` dependency the workspace does not \
declare, two packages with one name. The rest of the file and of the run still count.",
        why_is_this_bad: "Whatever the broken part declared (dependencies, owners, env wiring) \
is missing from the results, so findings about it are missing too.",
        example: "    acme-shop/.github/CODEOWNERS:14: `@acme/search-team` is not a pattern followed by owners",
        how_to_fix: "Fix the file at the line given.",
        configuration: "",
    },
};

impl Rule for InvalidManifest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        super::report_diagnostics(context, DiagnosticCode::InvalidManifest, out);
    }
}
