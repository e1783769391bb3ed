//! SCN001 unparsable-file: a source file could not be read or parsed.

use crate::diagnostics::DiagnosticCode;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct UnparsableFile;

static META: RuleMeta = RuleMeta {
    id: "SCN001",
    name: "unparsable-file",
    category: Category::Scan,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "A source file could not be read or parsed; the run went on without it.",
        what_it_does: "Reports every Rust file that could not be read (permissions, invalid \
UTF-8) or parsed (a syntax error, brackets nested beyond what capgraph parses), with the line \
and the reason. The rest of the analysis goes on.",
        why_is_this_bad: "The references, calls and suppressions of that file are missing from \
every result: dependencies it uses look unused and its call sites are not seen.",
        example: "    acme-shop/domains/catalog/catalog-svc/src/bad.rs:3: syntax error: expected `;`",
        how_to_fix: "Fix the file (it usually does not compile either), or exclude generated or \
fixture files with .gitignore.",
        configuration: "",
    },
};

impl Rule for UnparsableFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        super::report_diagnostics(context, DiagnosticCode::UnparsableFile, out);
    }
}
