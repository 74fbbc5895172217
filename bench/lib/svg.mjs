// The benchmark chart, drawn from the results: ratio bars (taskwire / reference) and latency bars.
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderSvg(results, meta) {
  const W = 900;
  const left = 250;
  const barW = W - left - 80;
  const rows = [];
  for (const s of results.scenarios.filter((x) => x.ref)) {
    rows.push({ label: `${s.name} — throughput`, value: s.tw.rps / s.ref.rps, target: 0.7, good: 'high' });
    rows.push({ label: `${s.name} — p99`, value: s.tw.p99 / Math.max(s.ref.p99, 1), target: s.kind === 'list' ? null : 2, good: 'low' });
  }
  const maxRatio = Math.max(2.5, ...rows.map((r) => r.value)) * 1.05;
  const lat = [];
  for (const s of results.scenarios) {
    if (s.ref) lat.push({ label: `${s.name} (reference)`, p50: s.ref.p50, p99: s.ref.p99, ref: true });
    lat.push({ label: `${s.name} (taskwire)`, p50: s.tw.p50, p99: s.tw.p99 });
  }
  for (const p of results.pipeline) {
    lat.push({ label: `webhook event→received, ${p.label}`, p50: p.webhook.p50, p99: p.webhook.p99 });
    lat.push({ label: `email request→SMTP, ${p.label}`, p50: p.email.p50, p99: p.email.p99 });
  }
  const maxLat = Math.max(1, ...lat.map((l) => l.p99)) * 1.05;
  const rowH = 22;
  const y1 = 70;
  const h1 = rows.length * rowH;
  const y2 = y1 + h1 + 80;
  const h2 = lat.length * rowH;
  const H = y2 + h2 + 50;
  const x = (v, max) => left + (Math.max(0, v) / max) * barW;
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(
    `<text x="10" y="22" font-size="16" font-weight="bold">taskwire / bare reference, same run (${esc(meta.startedAt.toISOString().slice(0, 16))}Z, ${meta.cpus.length} cores, load ${meta.loadavgStart.map((l) => l.toFixed(1)).join(' ')})</text>`,
  );
  out.push(
    `<text x="10" y="${y1 - 14}" font-weight="bold">Ratios taskwire / reference (throughput: higher is better, target ≥ 0.7; p99: lower is better, target ≤ 2)</text>`,
  );
  rows.forEach((r, i) => {
    const y = y1 + i * rowH;
    const ok = r.target == null ? true : r.good === 'high' ? r.value >= r.target : r.value <= r.target;
    out.push(`<text x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(r.label)}</text>`);
    out.push(
      `<rect x="${left}" y="${y + 3}" width="${x(r.value, maxRatio) - left}" height="${rowH - 6}" fill="${ok ? '#4c9a2a' : '#c0392b'}"/>`,
    );
    out.push(`<text x="${x(r.value, maxRatio) + 4}" y="${y + 14}">${r.value.toFixed(2)}×</text>`);
    if (r.target != null)
      out.push(
        `<line x1="${x(r.target, maxRatio)}" x2="${x(r.target, maxRatio)}" y1="${y + 1}" y2="${y + rowH - 1}" stroke="#000" stroke-dasharray="3,2"/>`,
      );
  });
  out.push(`<line x1="${x(1, maxRatio)}" x2="${x(1, maxRatio)}" y1="${y1 - 4}" y2="${y1 + h1}" stroke="#555"/>`);
  out.push(`<text x="${x(1, maxRatio)}" y="${y1 + h1 + 14}" text-anchor="middle">1.0 = reference</text>`);
  out.push(`<text x="10" y="${y2 - 14}" font-weight="bold">Latency (ms): p50 dark, p99 light</text>`);
  lat.forEach((l, i) => {
    const y = y2 + i * rowH;
    out.push(`<text x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(l.label)}</text>`);
    out.push(
      `<rect x="${left}" y="${y + 3}" width="${x(l.p99, maxLat) - left}" height="${rowH - 6}" fill="${l.ref ? '#b0c4de' : '#f5b041'}"/>`,
    );
    out.push(
      `<rect x="${left}" y="${y + 3}" width="${x(l.p50, maxLat) - left}" height="${rowH - 6}" fill="${l.ref ? '#34609b' : '#b9770e'}"/>`,
    );
    out.push(`<text x="${x(l.p99, maxLat) + 4}" y="${y + 14}">${l.p50} / ${l.p99}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
