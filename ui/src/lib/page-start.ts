// When this page started, for the benchmark's start-up phases (docs/benchmarks.md). main.ts
// imports this module first, so its clock reading is the entry script's first statement; api.ts
// notes the first IPC answer and sends both with the start-up mark. Two numbers, nothing else.

const clock = (): number => performance.timeOrigin + performance.now();

export const pageStart = {
  /** The navigation to this page started (epoch ms). */
  navigationAtMs: performance.timeOrigin,
  /** The entry script began to run (epoch ms). */
  firstScriptAtMs: clock(),
  /** The page's first IPC call was answered (epoch ms); null until then. */
  firstAnswerAtMs: null as number | null,
};

/** Notes the first IPC answer; later ones change nothing. */
export function noteAnswer(): void {
  pageStart.firstAnswerAtMs ??= clock();
}
