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
