// The memory of a process tree, read from /proc (Linux): shared by the benchmarks.
import { readFileSync, readdirSync } from 'node:fs';

/** Every process's children, by parent pid. */
function parentMap() {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name may contain spaces and parentheses: the fields start after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  return children;
}

/** `pid` and every process below it. */
export function tree(pid) {
  const children = parentMap();
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/**
 * PSS, RSS and USS (MiB) of every process in the tree, from /proc/<pid>/smaps_rollup. USS, the
 * pages no other process maps, does not move when other programs map the same libraries; PSS does.
 */
export function memoryOf(pid) {
  const processes = [];
  for (const p of tree(pid)) {
    try {
      const rollup = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
      const kb = (field) => Number(rollup.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
      const comm = readFileSync(`/proc/${p}/comm`, 'utf8').trim();
      processes.push({
        comm,
        pss_mib: kb('Pss') / 1024,
        rss_mib: kb('Rss') / 1024,
        uss_mib: (kb('Private_Clean') + kb('Private_Dirty')) / 1024,
        // Anonymous memory (heaps, JIT, caches) apart from mapped files (code, fonts).
        pss_anon_mib: kb('Pss_Anon') / 1024,
        pss_file_mib: kb('Pss_File') / 1024,
      });
    } catch {
      // Gone meanwhile, or a kernel thread.
    }
  }
  const total = (k) => processes.reduce((a, x) => a + x[k], 0);
  return { pss_mib: total('pss_mib'), rss_mib: total('rss_mib'), uss_mib: total('uss_mib'), processes };
}

/**
 * The CPU time (ms) each thread of the tree has had so far, from /proc/<pid>/task/<tid>/schedstat
 * (nanoseconds, unlike the 10 ms ticks of `stat`), keyed "process comm/thread comm#tid". `pids`:
 * the tree, read once by the caller (walking /proc every sample would cost more than the sample).
 */
export function threadTimes(pids) {
  const times = new Map();
  for (const pid of pids) {
    let process;
    let tids;
    try {
      process = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
        const thread = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        times.set(`${process}/${thread}#${tid}`, ns / 1e6);
      } catch {
        // The thread ended meanwhile.
      }
    }
  }
  return times;
}

/**
 * Samples `threadTimes` of `pid`'s tree every `everyMs` until `stop()`, which returns the samples
 * ({ at: epoch ms, times }). The tree is re-read every tenth sample (WebKit's processes start late).
 */
export function sampleThreads(pid, everyMs = 20) {
  const samples = [];
  let pids = tree(pid);
  let n = 0;
  const take = () => {
    if (++n % 10 === 0) pids = tree(pid);
    samples.push({ at: performance.timeOrigin + performance.now(), times: threadTimes(pids) });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/**
 * CPU ms each thread spent between `from` and `to` (epoch ms), from `samples`: the difference of
 * the samples nearest each end; threads under `minMs` left out, the busiest first.
 */
export function cpuBetween(samples, from, to, minMs = 5) {
  const nearest = (at) => samples.reduce((best, s) => (Math.abs(s.at - at) < Math.abs(best.at - at) ? s : best));
  const a = nearest(from);
  const b = nearest(to);
  const out = [];
  for (const [thread, ms] of b.times) {
    const spent = ms - (a.times.get(thread) ?? 0);
    if (spent >= minMs) out.push({ thread: thread.replace(/#\d+$/, ''), ms: Math.round(spent) });
  }
  return out.sort((x, y) => y.ms - x.ms);
}
