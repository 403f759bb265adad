//! What the env editor's change-set logic costs on a large project.
//!
//! A base of 10,000 variables and a draft that adds, changes and removes about 10% of them
//! (≈333 each). Timed separately, each over R runs after a warm-up:
//! - `diff`: the change set between two full maps (base vs the draft's view), one merge walk;
//! - `stage + change_set`: the editor's path — staging the 1,000 edits (normalized against the
//!   base) and listing the change set, plus the issues of the staged values;
//! - `merge`: the three-way merge of those edits with a "theirs" that changed another 5%;
//! - `vars view`: what rendering the draft adds per variable (fingerprint and secret check of
//!   all 10,000), for information.
//!
//! Target: median and p95 of `diff` and of `stage + change_set` under 5 ms.
//!
//! Run: `cargo bench -p app-core --bench env_diff` (R = 50), or `BENCH_QUICK=1` / `-- --quick`
//! (R = 10; also when run without `--bench`, as `cargo test --benches` does). The last line
//! printed is a JSON summary.

use std::hint::black_box;
use std::time::Instant;

use app_core::EnvEdit;
use app_core::env::diff::{self, EnvMap, Staged};
use app_core::env::issues;

const VARS: usize = 10_000;
const TARGET_MS: f64 = 5.0;

/// A small deterministic generator (xorshift64*), so every run times the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn value(&mut self, len: usize) -> String {
        const CHARS: &[u8] =
            b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/@._-";
        (0..len)
            .map(|_| CHARS[(self.next() % CHARS.len() as u64) as usize] as char)
            .collect()
    }
}

struct Data {
    base: EnvMap,
    target: EnvMap,
    edits: Vec<EnvEdit>,
    theirs: EnvMap,
}

fn data() -> Data {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let base: EnvMap = (0..VARS)
        .map(|i| {
            let len = 16 + (rng.next() % 48) as usize;
            (format!("APP_VAR_{i:05}"), rng.value(len))
        })
        .collect();
    let keys: Vec<String> = base.keys().cloned().collect();
    let mut edits = Vec::new();
    let third = VARS / 30; // 10% in all: a third each
    for i in 0..third {
        edits.push(EnvEdit::Set {
            key: format!("NEW_VAR_{i:05}"),
            value: rng.value(32),
        });
    }
    for i in 0..third {
        let key = keys[(i * 29 + 3) % VARS].clone();
        edits.push(EnvEdit::Set {
            key,
            value: rng.value(40),
        });
    }
    for i in 0..third {
        let key = keys[(i * 29 + 17) % VARS].clone();
        edits.push(EnvEdit::Remove { key });
    }
    let mut staged = Staged::new();
    diff::stage(&base, &mut staged, edits.clone());
    let target = diff::view(&base, &staged);
    let mut theirs = base.clone();
    for i in 0..VARS / 20 {
        let key = keys[(i * 19 + 5) % VARS].clone();
        theirs.insert(key, rng.value(24));
    }
    Data {
        base,
        target,
        edits,
        theirs,
    }
}

struct Stats {
    median: f64,
    p95: f64,
    min: f64,
    max: f64,
}

fn stats(mut ms: Vec<f64>) -> Stats {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((ms.len() as f64 - 1.0) * q).round() as usize;
        ms[i.min(ms.len() - 1)]
    };
    Stats {
        median: at(0.5),
        p95: at(0.95),
        min: ms[0],
        max: ms[ms.len() - 1],
    }
}

fn time(runs: usize, mut f: impl FnMut() -> usize) -> (Stats, usize) {
    let mut out = 0;
    for _ in 0..3 {
        out = black_box(f());
    }
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        out = black_box(f());
        ms.push(started.elapsed().as_secs_f64() * 1e3);
    }
    (stats(ms), out)
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick")
        || !args.iter().any(|a| a == "--bench")
        || std::env::var("BENCH_QUICK").is_ok_and(|v| v.trim() == "1");
    let runs = if quick { 10 } else { 50 };
    let d = data();

    let (diff_stats, diff_len) = time(runs, || diff::diff(&d.base, &d.target).len());
    let (stage_stats, stage_len) = time(runs, || {
        let mut staged = Staged::new();
        diff::stage(&d.base, &mut staged, d.edits.iter().cloned());
        let changes = diff::change_set(&d.base, &staged);
        let issues = issues::issues_of_changes(&changes);
        changes.len() + issues.len()
    });
    let staged = diff::staged_for(&d.base, &d.target);
    let (merge_stats, merge_len) = time(runs, || {
        let m = diff::merge(&d.base, &d.theirs, &staged);
        m.conflicts.len() + m.merged_without_conflict.len()
    });
    let prints = issues::Fingerprinter::new(&issues::Fingerprinter::new_secret());
    let (view_stats, _) = time(runs, || {
        d.base
            .iter()
            .map(|(k, v)| {
                let f = prints.fingerprint(k, v);
                f.len() + usize::from(issues::secret_like(k, v))
            })
            .sum()
    });
    assert_eq!(
        diff_len, stage_len,
        "both paths find the same changes (no issues expected)"
    );

    println!(
        "env_diff: {VARS} variables, {} changes (adds/changes/removes), {runs} runs after 3 warm-up runs{}",
        diff_len,
        if quick { " (quick)" } else { "" }
    );
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>9}",
        "", "median ms", "p95 ms", "min ms", "max ms"
    );
    for (name, s) in [
        ("diff (base vs view)", &diff_stats),
        ("stage + change_set + issues", &stage_stats),
        ("three-way merge", &merge_stats),
        ("vars view (info)", &view_stats),
    ] {
        println!(
            "{name:<28} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
            s.median, s.p95, s.min, s.max
        );
    }
    let pass = [&diff_stats, &stage_stats]
        .iter()
        .all(|s| s.median < TARGET_MS && s.p95 < TARGET_MS);
    println!(
        "verdict: {} — diff median {:.3} ms / p95 {:.3} ms, stage + change set median {:.3} ms / p95 {:.3} ms (target: < {TARGET_MS} ms)",
        if pass { "PASS" } else { "FAIL" },
        diff_stats.median,
        diff_stats.p95,
        stage_stats.median,
        stage_stats.p95
    );
    println!(
        "{{\"bench\":\"env_diff\",\"vars\":{VARS},\"changes\":{diff_len},\"merge_keys\":{merge_len},\"runs\":{runs},\"quick\":{quick},\"diff_ms\":{{\"median\":{},\"p95\":{}}},\"stage_change_set_ms\":{{\"median\":{},\"p95\":{}}},\"merge_ms\":{{\"median\":{},\"p95\":{}}},\"vars_view_ms\":{{\"median\":{},\"p95\":{}}},\"target_ms\":{TARGET_MS},\"pass\":{pass}}}",
        round(diff_stats.median),
        round(diff_stats.p95),
        round(stage_stats.median),
        round(stage_stats.p95),
        round(merge_stats.median),
        round(merge_stats.p95),
        round(view_stats.median),
        round(view_stats.p95),
    );
}
