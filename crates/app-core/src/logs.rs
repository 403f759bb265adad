//! The app's log: one file a day in the OS's log folder (`hasura-cloud-desktop.<date>.log`, UTC
//! dates), the newest [`KEEP_DAYS`] kept, at most [`MAX_BYTES_PER_DAY`] a day. People send it to
//! whoever helps them, so it says what matters for support — start, version, profile kind,
//! requests (operation, status, duration), errors with their kind, renderer stops, updater steps
//! — and never a token or a value.
//!
//! Redaction does not rely on each call site being careful: every line, whatever formatted it,
//! goes through [`hasura_cloud::redact`] (every secret the process holds as a `Token`) before it
//! is written, to the file or to stderr.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use parking_lot::Mutex;
use tracing::Subscriber;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;

use crate::error::AppError;

/// The log files' names: `<prefix>.<yyyy-mm-dd>.<suffix>`.
pub const LOG_FILE_PREFIX: &str = "hasura-cloud-desktop";
pub const LOG_FILE_SUFFIX: &str = "log";
/// Files kept, today's included: a week, enough to reach back to when a problem began.
pub const KEEP_DAYS: usize = 7;
/// A day's file stops growing here (a loop of failures must not fill the disk); the rest of the
/// day's lines are dropped after one line that says so.
pub const MAX_BYTES_PER_DAY: u64 = 5 * 1024 * 1024;

/// How the log is kept; [`LogConfig::new`] is the product's.
#[derive(Debug, Clone)]
pub struct LogConfig {
    pub dir: PathBuf,
    pub keep_days: usize,
    pub max_bytes_per_day: u64,
    /// Also write every line to stderr (the developer's terminal).
    pub stderr: bool,
}

impl LogConfig {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            keep_days: KEEP_DAYS,
            max_bytes_per_day: MAX_BYTES_PER_DAY,
            stderr: true,
        }
    }
}

/// Starts logging for the whole process. Call once, first thing.
pub fn init(config: &LogConfig) -> Result<(), AppError> {
    tracing::subscriber::set_global_default(subscriber(config)?)
        .map_err(|e| AppError::internal(format!("The log could not be started: {e}.")))
}

/// What [`init`] installs: our crates at `info`, everything else at `warn`, written to the day's
/// file (and stderr) through the redaction.
pub fn subscriber(config: &LogConfig) -> Result<impl Subscriber + Send + Sync, AppError> {
    let file = LogFile::open(config)?;
    let filter = Targets::new().with_default(LevelFilter::WARN).with_targets(
        [
            "hasura_cloud",
            "app_core",
            "desktop_lib",
            "hasura_cloud_desktop",
        ]
        .map(|target| (target, LevelFilter::INFO)),
    );
    let to_file = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(file);
    let to_stderr = config.stderr.then(|| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(RedactedSink(Stderr))
    });
    Ok(tracing_subscriber::registry()
        .with(filter)
        .with(to_file)
        .with(to_stderr))
}

/// Where a whole, redacted event goes.
trait LineSink {
    fn write_event(&self, text: &str);
}

/// Collects one event's text (the formatter may write it in pieces, and a secret could straddle
/// two) and hands it, redacted, to the sink when the event is done.
pub struct EventBuffer<'a> {
    sink: &'a dyn LineSink,
    text: Vec<u8>,
}

impl Write for EventBuffer<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.text.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for EventBuffer<'_> {
    fn drop(&mut self) {
        if !self.text.is_empty() {
            let text = String::from_utf8_lossy(&self.text);
            self.sink.write_event(&hasura_cloud::redact(&text));
        }
    }
}

/// Any sink, for the formatter: one [`EventBuffer`] per event.
struct RedactedSink<S>(S);

impl<'a, S: LineSink + 'a> MakeWriter<'a> for RedactedSink<S> {
    type Writer = EventBuffer<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        EventBuffer {
            sink: &self.0,
            text: Vec::new(),
        }
    }
}

struct Stderr;

impl LineSink for Stderr {
    fn write_event(&self, text: &str) {
        let _ = io::stderr().lock().write_all(text.as_bytes());
    }
}

/// The day's file (tracing-appender rolls it over at midnight UTC and deletes the oldest), with
/// the daily size cap on top.
pub struct LogFile(RedactedSink<Mutex<Daily>>);

struct Daily {
    appender: RollingFileAppender,
    /// The UTC date the byte count is for (the appender's file names use it too).
    day: String,
    written: u64,
    cap: u64,
}

impl LogFile {
    pub fn open(config: &LogConfig) -> Result<Self, AppError> {
        std::fs::create_dir_all(&config.dir).map_err(|e| {
            AppError::internal(format!(
                "The log folder {} could not be made: {e}.",
                config.dir.display()
            ))
        })?;
        let appender = RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix(LOG_FILE_PREFIX)
            .filename_suffix(LOG_FILE_SUFFIX)
            .max_log_files(config.keep_days.max(1))
            .build(&config.dir)
            .map_err(|e| AppError::internal(format!("The log file could not be opened: {e}.")))?;
        let day = today();
        // After a restart the day's file already holds what was written earlier today.
        let written = std::fs::metadata(file_for(&config.dir, &day)).map_or(0, |m| m.len());
        Ok(Self(RedactedSink(Mutex::new(Daily {
            appender,
            day,
            written,
            cap: config.max_bytes_per_day,
        }))))
    }
}

impl<'a> MakeWriter<'a> for LogFile {
    type Writer = EventBuffer<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        self.0.make_writer()
    }
}

impl LineSink for Mutex<Daily> {
    fn write_event(&self, text: &str) {
        let mut daily = self.lock();
        let day = today();
        if day != daily.day {
            daily.day = day;
            daily.written = 0;
        }
        let size = text.len() as u64;
        if daily.written >= daily.cap {
            return;
        }
        let line = if daily.written + size > daily.cap {
            // Said once; the cap is then reached and the day's later lines are dropped.
            daily.written = daily.cap;
            format!(
                "The log reached {} MiB today; later lines of the day are left out.\n",
                daily.cap / (1024 * 1024)
            )
        } else {
            daily.written += size;
            text.to_owned()
        };
        // Nowhere to say that the log cannot be written.
        let _ = daily.appender.write_all(line.as_bytes());
    }
}

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

fn file_for(dir: &Path, day: &str) -> PathBuf {
    dir.join(format!("{LOG_FILE_PREFIX}.{day}.{LOG_FILE_SUFFIX}"))
}

/// The log files in `dir`, oldest first.
pub fn log_files(dir: &Path) -> Vec<PathBuf> {
    let prefix = format!("{LOG_FILE_PREFIX}.");
    let suffix = format!(".{LOG_FILE_SUFFIX}");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(&prefix) && name.ends_with(&suffix))
        })
        .collect();
    // The date in the name sorts as text.
    files.sort();
    files
}

/// The last `count` lines of the log (across days), redacted again on the way out.
pub fn recent_lines(dir: &Path, count: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for file in log_files(dir).iter().rev() {
        if lines.len() >= count {
            break;
        }
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let wanted = count - lines.len();
        let mut day: Vec<String> = text
            .lines()
            .rev()
            .take(wanted)
            .map(|line| hasura_cloud::redact(line).into_owned())
            .collect();
        day.reverse();
        day.append(&mut lines);
        lines = day;
    }
    lines
}

#[cfg(test)]
mod tests {
    use hasura_cloud::Token;

    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("hcd-logs-{name}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn config(dir: &Path) -> LogConfig {
        LogConfig {
            stderr: false,
            ..LogConfig::new(dir)
        }
    }

    fn all_text(dir: &Path) -> String {
        log_files(dir)
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect()
    }

    /// The token cannot reach the file, however a line formats it: a field, the message, a
    /// `Debug` of a struct holding the raw string.
    #[test]
    fn no_line_carries_a_token() {
        let dir = temp_dir("redact");
        let secret = "hcd-fake-token-for-the-log-test-7f3a9c";
        let token = Token::new(secret.to_owned());
        #[derive(Debug)]
        #[allow(dead_code)] // read through Debug only
        struct Careless {
            raw: String,
        }
        let careless = Careless {
            raw: format!("pat {secret}"),
        };
        tracing::subscriber::with_default(subscriber(&config(&dir)).unwrap(), || {
            tracing::info!(token = secret, "signing in with {secret}");
            tracing::warn!(?careless, "a struct that holds it");
            tracing::error!(exposed = token.expose_secret(), "and the exposed value");
            tracing::info!(operation = "ListProjects", status = 200, ms = 12, "request");
        });
        let text = all_text(&dir);
        assert!(!text.contains(secret), "{text}");
        assert_eq!(text.matches("<redacted>").count(), 4, "{text}");
        assert!(
            text.contains("operation=\"ListProjects\" status=200 ms=12"),
            "{text}"
        );
        // Reading the lines back redacts again.
        let lines = recent_lines(&dir, 10);
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().all(|l| !l.contains(secret)));
    }

    #[test]
    fn other_crates_are_quiet_below_warnings() {
        let dir = temp_dir("filter");
        tracing::subscriber::with_default(subscriber(&config(&dir)).unwrap(), || {
            tracing::info!(target: "hyper::client", "chatty");
            tracing::warn!(target: "hyper::client", "worth a line");
            tracing::info!(target: "app_core::env", "ours");
            tracing::debug!(target: "app_core::env", "too fine");
        });
        let text = all_text(&dir);
        assert!(
            !text.contains("chatty") && !text.contains("too fine"),
            "{text}"
        );
        assert!(
            text.contains("worth a line") && text.contains("ours"),
            "{text}"
        );
    }

    #[test]
    fn a_day_stops_growing_at_the_cap() {
        let dir = temp_dir("cap");
        let config = LogConfig {
            max_bytes_per_day: 2_000,
            ..config(&dir)
        };
        tracing::subscriber::with_default(subscriber(&config).unwrap(), || {
            for n in 0..200 {
                tracing::info!(n, "a line of the loop that would fill the disk");
            }
        });
        let files = log_files(&dir);
        assert_eq!(files.len(), 1);
        let size = std::fs::metadata(&files[0]).unwrap().len();
        assert!(size <= 2_000 + 200, "{size} bytes");
        let text = all_text(&dir);
        assert_eq!(
            text.matches("later lines of the day are left out").count(),
            1
        );
        assert!(!text.contains("n=199"));
        // A restart the same day counts what is already there.
        tracing::subscriber::with_default(subscriber(&config).unwrap(), || {
            tracing::info!("after a restart");
        });
        assert!(!all_text(&dir).contains("after a restart"));
    }

    #[test]
    fn old_days_are_deleted_and_the_newest_kept() {
        let dir = temp_dir("keep");
        for day in 1..=9 {
            std::fs::write(file_for(&dir, &format!("2020-01-0{day}")), "old\n").unwrap();
        }
        std::fs::write(dir.join("unrelated.txt"), "kept").unwrap();
        let config = LogConfig {
            keep_days: 3,
            ..config(&dir)
        };
        tracing::subscriber::with_default(subscriber(&config).unwrap(), || {
            tracing::info!("today");
        });
        let names: Vec<String> = log_files(&dir)
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(names.len() <= 3, "{names:?}");
        assert_eq!(
            names.last(),
            Some(&format!("hasura-cloud-desktop.{}.log", today()))
        );
        assert!(!names.iter().any(|n| n.contains("2020-01-01")), "{names:?}");
        assert!(dir.join("unrelated.txt").exists());
    }

    #[test]
    fn recent_lines_reach_back_across_days() {
        let dir = temp_dir("recent");
        std::fs::write(file_for(&dir, "2020-01-01"), "a\nb\nc\n").unwrap();
        std::fs::write(file_for(&dir, "2020-01-02"), "d\ne\n").unwrap();
        assert_eq!(recent_lines(&dir, 3), ["c", "d", "e"]);
        assert_eq!(recent_lines(&dir, 10), ["a", "b", "c", "d", "e"]);
        assert!(recent_lines(&dir.join("missing"), 10).is_empty());
    }
}
