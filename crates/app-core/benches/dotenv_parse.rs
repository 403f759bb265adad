//! What reading a `.env` text costs per MiB, for ordinary files and for files made to be slow.
//!
//! Each input is built at 0.25, 0.5 and 1 MiB (1 MiB is the import cap) and read with
//! `app_core::env::dotenv::parse`, the parser every import, import preview and pasted block goes
//! through (under the lock every env command waits on):
//! - `normal`: an exported `.env` — comments and `KEY_00001="value…"` lines;
//! - `leading-space`: half the text spaces, then `A="`, then short lines, then the closing
//!   quote — one value spanning the file, after a long run of whitespace;
//! - `open-quote`: the same without the closing quote (an error for the whole rest of the text);
//! - `long-value`: `A="`, then short lines, then the closing quote (no leading whitespace);
//! - `blank-lines`: lines of spaces only.
//!
//! A linear parser takes the same time per MiB at every size, so `growth` (ms per MiB at 1 MiB
//! over ms per MiB at 0.25 MiB) stays near 1, and each input's `vs normal` ratio is flat. A
//! quadratic one doubles its time per MiB with each doubling of the size. Ratios, not times, are
//! the result: they hold on a loaded machine.
//!
//! Run: `cargo bench -p app-core --bench dotenv_parse` (R = 15), or `BENCH_QUICK=1` /
//! `-- --quick` (R = 3; also when run without `--bench`, as `cargo test --benches` does). An input
//! whose one run takes longer than 20 s is not tried at the larger sizes. The last line printed is
//! a JSON summary.

use std::hint::black_box;
use std::time::Instant;

use app_core::env::dotenv;

const MIB: usize = 1024 * 1024;
const SIZES: [usize; 3] = [MIB / 4, MIB / 2, MIB];
/// One run slower than this stops an input before its larger sizes.
const GIVE_UP_SECS: f64 = 20.0;

/// `text`, then `fill` lines, then `end`: exactly `size` bytes (the last few bytes short of a
/// whole `fill` are its first character).
fn sized(mut text: String, fill: &str, end: &str, size: usize) -> String {
    while text.len() + fill.len() + end.len() <= size {
        text.push_str(fill);
    }
    let short = size.saturating_sub(text.len() + end.len());
    text.push_str(&fill[..1].repeat(short));
    text.push_str(end);
    text
}

fn normal(size: usize) -> String {
    let mut text = String::from("# exported by Hasura Cloud Desktop\n");
    let mut i = 0;
    while text.len() < size - 128 {
        i += 1;
        if i % 10 == 0 {
            text.push_str("# a comment about the next variables\n");
        }
        text.push_str(&format!(
            "KEY_{i:05}=\"postgres://user:pass@db-{i}.example.com:5432/app?sslmode=require\"\n"
        ));
    }
    sized(text, "\n", "", size)
}

fn leading_space(size: usize) -> String {
    let text = format!("{}A=\"", " ".repeat(size / 2));
    sized(text, "x\n", "\"\n", size)
}

fn open_quote(size: usize) -> String {
    let text = format!("{}A=\"", " ".repeat(size / 2));
    sized(text, "x\n", "", size)
}

fn long_value(size: usize) -> String {
    sized("A=\"".to_owned(), "x\n", "\"\n", size)
}

fn blank_lines(size: usize) -> String {
    sized(String::new(), "        \n", "", size)
}

type Input = (&'static str, fn(usize) -> String);

const INPUTS: [Input; 5] = [
    ("normal", normal),
    ("leading-space", leading_space),
    ("open-quote", open_quote),
    ("long-value", long_value),
    ("blank-lines", blank_lines),
];

/// The median of `runs` timed parses (after one untimed), in ms, and what was read.
fn time(runs: usize, text: &str) -> (f64, usize) {
    let started = Instant::now();
    let read = black_box(dotenv::parse(black_box(text)));
    let first = started.elapsed().as_secs_f64();
    let count = read.entries.len() + read.errors.len();
    if first > GIVE_UP_SECS {
        return (first * 1e3, count);
    }
    let mut ms: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            black_box(dotenv::parse(black_box(text)));
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], count)
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick")
        || !args.iter().any(|a| a == "--bench")
        || std::env::var("BENCH_QUICK").is_ok_and(|v| v.trim() == "1");
    let runs = if quick { 3 } else { 15 };
    println!(
        "dotenv parse, median of {runs} runs{}: ms per MiB at 0.25 / 0.5 / 1 MiB",
        if quick { " (quick)" } else { "" }
    );

    // ms per MiB, per input and size; None when not run (a smaller size took too long).
    let mut per_mib: Vec<[Option<f64>; 3]> = Vec::new();
    for (name, make) in INPUTS {
        let mut row = [None; 3];
        for (at, size) in SIZES.into_iter().enumerate() {
            let text = make(size);
            assert_eq!(text.len(), size, "{name} is not {size} bytes");
            let (ms, count) = time(runs, &text);
            row[at] = Some(ms * MIB as f64 / size as f64);
            if at == 0 {
                print!("{name:>14}: ");
            }
            print!(
                "{:>10.1} ms/MiB ({count} read)",
                ms * MIB as f64 / size as f64
            );
            if ms > GIVE_UP_SECS * 1e3 {
                print!("  — over {GIVE_UP_SECS} s, larger sizes not tried");
                break;
            }
        }
        println!();
        per_mib.push(row);
    }

    println!("ratios: vs normal at each size; growth = ms/MiB at 1 MiB ÷ ms/MiB at 0.25 MiB");
    let mut json = Vec::new();
    let mut linear = true;
    for ((name, _), row) in INPUTS.iter().zip(&per_mib) {
        let vs: Vec<String> = (0..3)
            .map(|at| match (row[at], per_mib[0][at]) {
                (Some(x), Some(n)) => format!("{:.1}", x / n),
                _ => "-".to_owned(),
            })
            .collect();
        let growth = match (row[0], row[2]) {
            (Some(small), Some(large)) => Some(large / small),
            _ => None,
        };
        // Noise on a loaded machine stays well under 2; a quadratic parser is at 4.
        linear &= growth.is_some_and(|g| g < 2.0);
        println!(
            "{name:>14}: vs normal {} | growth {}",
            vs.join(" / "),
            growth.map_or("not measured".to_owned(), |g| format!("{g:.2}"))
        );
        let ms: Vec<String> = row
            .iter()
            .map(|x| x.map_or("null".to_owned(), |x| round(x).to_string()))
            .collect();
        json.push(format!(
            "\"{name}\":{{\"ms_per_mib\":[{}],\"growth\":{}}}",
            ms.join(","),
            growth.map_or("null".to_owned(), |g| round(g).to_string())
        ));
    }
    println!(
        "{{\"bench\":\"dotenv_parse\",\"runs\":{runs},\"quick\":{quick},\"sizes_bytes\":[{},{},{}],{},\"linear\":{linear}}}",
        SIZES[0],
        SIZES[1],
        SIZES[2],
        json.join(",")
    );
}
