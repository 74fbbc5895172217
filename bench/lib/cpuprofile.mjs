// Self time per function and per package from a V8 .cpuprofile (node --cpu-prof).
import path from 'node:path';

function packageOf(url, root) {
  if (!url) return '(native / V8)';
  const u = url.replace(/^file:\/\//, '');
  const build = /node_modules\/\.cache\/taskwire-[^/]+\/(.*)$/.exec(u);
  if (build) {
    const m = /^src\/((?:modules|platform)\/[^/]+)/.exec(build[1]);
    return m ? `taskwire ${m[1]}` : `taskwire ${build[1].split('/').slice(0, 2).join('/')}`;
  }
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = u.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (u.startsWith('node:') || !u.startsWith('/')) return 'node (core)';
  const rel = path.relative(root, u);
  const m = /(?:^|\/)src\/((?:modules|platform)\/[^/]+)/.exec(rel);
  return m ? `taskwire ${m[1]}` : `taskwire ${rel.split('/').slice(-2).join('/')}`;
}

/** @param skipMs leave out the first skipMs of the profile (start-up: module loading and compiling). */
export function summariseProfile(profile, root, { skipMs = 0 } = {}) {
  const hits = new Map(); // node id → ms within the window
  let t = profile.startTime;
  const from = profile.startTime + skipMs * 1000;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < from) continue;
    hits.set(profile.samples[i], (hits.get(profile.samples[i]) ?? 0) + dt / 1000);
  }
  const byFn = new Map();
  const byPkg = new Map();
  let total = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const ms = hits.get(node.id) ?? 0;
    if (!ms) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += ms;
      continue;
    }
    total += ms;
    const pkg = packageOf(url, root);
    const fnKey = `${functionName || '(anonymous)'} — ${pkg}${url ? ` (${path.basename(url)}:${lineNumber + 1})` : ''}`;
    byFn.set(fnKey, (byFn.get(fnKey) ?? 0) + ms);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + ms);
  }
  const top = (m, n) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms, share: ms / total }));
  return { busyMs: total, idleMs: idle, skippedMs: skipMs, functions: top(byFn, 20), packages: top(byPkg, 15) };
}
