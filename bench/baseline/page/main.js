// The page's start-up, reported the way the app reports its project list (docs/benchmarks.md):
// its first script, its first IPC answer, and its first paint, after the next frame.
const clock = () => performance.timeOrigin + performance.now();
const page = { navigationAtMs: performance.timeOrigin, firstScriptAtMs: clock(), firstAnswerAtMs: null };
const invoke = window.__TAURI_INTERNALS__.invoke;
invoke('bench_ping').then(() => (page.firstAnswerAtMs = clock()));
requestAnimationFrame(() => setTimeout(() => invoke('bench_mark_ready', { paintedAtMs: clock(), page }), 0));
