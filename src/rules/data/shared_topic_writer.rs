//! DAT001 shared-topic-writer: more than one capability publishes to one topic.

use crate::model::services::RuntimeKind;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct SharedTopicWriter;

static META: RuleMeta = RuleMeta {
    id: "DAT001",
    name: "shared-topic-writer",
    category: Category::Data,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "More than one capability publishes to one topic.",
        what_it_does: "Groups the publish sites of every topic by the capability of the service \
that publishes, and reports topics with publishers in two or more capabilities, naming each \
capability and service.",
        why_is_this_bad: "A topic is a contract with one steward: its schema, its meaning and \
its compatibility promises. Two capabilities writing it means two teams change that contract \
independently, and consumers cannot tell whose event they are reading.",
        example: "    // checkout-svc (checkout)\n    producer.send(FutureRecord::to(\"orders.status\") ...)\n    // fulfillment-svc (fulfillment)\n    producer.send(FutureRecord::to(\"orders.status\") ...)",
        how_to_fix: "Give the topic one owning capability. The other publishes its own topic \
(`fulfillment.shipments`) or asks the owner, through its contract, to publish on its behalf.",
        configuration: "",
    },
};

impl Rule for SharedTopicWriter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        for (topic, by_capability) in super::users_by_capability(context, &[RuntimeKind::Publishes])
        {
            if by_capability.len() < 2 {
                continue;
            }
            super::report_shared(
                context,
                &topic,
                &by_capability,
                "publish to",
                "give the topic one owning capability and let the others publish their own \
                 topics or go through the owner's contract",
                out,
            );
        }
    }
}
