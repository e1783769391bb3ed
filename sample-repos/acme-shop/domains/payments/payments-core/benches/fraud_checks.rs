use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use payments_core::ledger::{check_balanced, Entry};
use payments_core::{fraud, Money};

fn review_decision(c: &mut Criterion) {
    c.bench_function("fraud::needs_review", |b| {
        b.iter(|| fraud::needs_review(black_box(Money::eur(74_900)), black_box(true)))
    });
}

fn balanced_movements(c: &mut Criterion) {
    let mut group = c.benchmark_group("ledger::check_balanced");
    for size in [2usize, 16, 256] {
        let entries: Vec<Entry> = (0..size)
            .map(|i| Entry {
                id: uuid::Uuid::new_v4(),
                account: format!("acct-{}", i % 4),
                amount: Money::eur(if i % 2 == 0 { 1_250 } else { -1_250 }),
                booked_at: chrono::Utc::now(),
            })
            .collect();
        group.bench_with_input(BenchmarkId::from_parameter(size), &entries, |b, entries| {
            b.iter(|| check_balanced(black_box(entries)))
        });
    }
    group.finish();
}

criterion_group!(benches, review_decision, balanced_movements);
criterion_main!(benches);
