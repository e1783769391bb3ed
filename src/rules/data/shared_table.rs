//! DAT002 shared-table: more than one capability reads or writes one table.

use crate::model::services::RuntimeKind;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct SharedTable;

static META: RuleMeta = RuleMeta {
    id: "DAT002",
    name: "shared-table",
    category: Category::Data,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "More than one capability reads or writes one table.",
        what_it_does: "Groups the SQL reads and writes of every table (from sqlx, tokio-postgres \
and diesel code) by the capability of the service that runs them, and reports tables used by \
two or more capabilities, naming each with its services and whether they read or write.",
        why_is_this_bad: "A shared table is an interface nobody declared: its schema cannot \
change without coordinating every team that touches it, and nobody is clearly the steward of \
its data. Reads couple too: a column rename breaks the reader's release.",
        example: "    // identity-svc (identity)\n    sqlx::query!(\"UPDATE users SET email = $1 WHERE id = $2\", ..)\n    // notifications-svc (notifications)\n    sqlx::query!(\"SELECT email FROM users WHERE id = $1\", ..)",
        how_to_fix: "Keep the table inside its owning capability and expose what others need \
through its contract (an API, or events others can build their own read model from).",
        configuration: "",
    },
};

impl Rule for SharedTable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        let users = super::users_by_capability(context, &[RuntimeKind::Reads, RuntimeKind::Writes]);
        for (table, by_capability) in users {
            if by_capability.len() < 2 {
                continue;
            }
            super::report_shared(
                context,
                &table,
                &by_capability,
                "use table",
                "keep the table inside one capability and expose what others need through its \
                 contract or its events",
                out,
            );
        }
    }
}
