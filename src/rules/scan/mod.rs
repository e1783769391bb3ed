//! SCN rules: input files capgraph could not read. The run goes on without them; these
//! findings say what the results are missing.

pub mod invalid_manifest;
pub mod unparsable_file;

use super::{Context, Draft, Location};
use crate::diagnostics::DiagnosticCode;

fn report_diagnostics(context: &Context, code: DiagnosticCode, out: &mut Vec<Draft>) {
    for diagnostic in &context.analysis.diagnostics {
        if diagnostic.code != code {
            continue;
        }
        out.push(Draft {
            message: diagnostic.message.clone(),
            location: Some(Location::new(
                &diagnostic.repo,
                &diagnostic.path,
                diagnostic.line,
            )),
            key: diagnostic.message.clone(),
            ..Draft::default()
        });
    }
}
