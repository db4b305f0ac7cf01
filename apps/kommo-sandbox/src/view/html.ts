import { asText } from '../store/text';

/** Tiny server-side HTML helpers (no template engine: everything interpolated goes through escapeHtml). */
export function escapeHtml(value: unknown): string {
  return asText(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function formatTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function formatDuration(seconds: unknown): string {
  const total = Number(seconds);
  if (!Number.isFinite(total)) return '—';
  const minutes = Math.floor(total / 60);
  const rest = Math.floor(total % 60);
  return `${minutes}:${String(rest).padStart(2, '0')}`;
}

const STYLE = `
:root { --bg:#f4f6fb; --card:#fff; --ink:#1d2433; --muted:#6b7385; --line:#e3e7ef; --accent:#2f6fed; --ok:#16a34a; --bad:#dc2626; --warn:#d97706; }
* { box-sizing:border-box; }
body { margin:0; font:14px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif; background:var(--bg); color:var(--ink); }
header.top { background:#1d2433; color:#fff; padding:12px 24px; display:flex; gap:24px; align-items:center; }
header.top a { color:#cfd8ff; text-decoration:none; margin-right:14px; }
header.top .brand { font-weight:700; letter-spacing:.3px; }
main { padding:20px 24px; max-width:1280px; margin:0 auto; }
h1 { font-size:22px; margin:4px 0 12px; } h2 { font-size:17px; margin:0 0 6px; } h3 { font-size:14px; margin:12px 0 6px; color:var(--muted); text-transform:uppercase; letter-spacing:.5px; }
.grid { display:grid; grid-template-columns:repeat(auto-fill,minmax(360px,1fr)); gap:16px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; box-shadow:0 1px 2px rgba(0,0,0,.03); }
.muted { color:var(--muted); } code { background:#eef1f7; padding:1px 5px; border-radius:4px; }
.pill { display:inline-block; padding:1px 8px; border-radius:999px; font-size:12px; background:#eef1f7; color:#334; margin-right:4px; }
.pill.in { background:#e0ecff; color:#1e4fc2; } .pill.out { background:#e6f7ec; color:#166534; }
.pill.won { background:#dcfce7; color:#166534; } .pill.lost { background:#fee2e2; color:#991b1b; } .pill.unsorted { background:#fef3c7; color:#92400e; }
.feed { list-style:none; padding:0; margin:6px 0 0; } .feed li { border-top:1px dashed var(--line); padding:8px 0; }
.feed audio { width:100%; height:32px; margin-top:4px; }
table { border-collapse:collapse; width:100%; } th,td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; font-size:12px; text-transform:uppercase; }
.btn { border:1px solid var(--line); background:#fff; padding:6px 12px; border-radius:6px; cursor:pointer; font:inherit; }
.btn.primary { background:var(--accent); color:#fff; border-color:var(--accent); } .btn.danger { background:var(--bad); color:#fff; border-color:var(--bad); }
.actions { display:flex; gap:8px; margin-top:10px; } form.inline { display:inline; }
select { padding:4px 6px; border:1px solid var(--line); border-radius:6px; font:inherit; }
section { margin-bottom:28px; }
.empty { color:var(--muted); font-style:italic; }
`;

export function page(title: string, body: string, nav = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header class="top"><span class="brand">Kommo sandbox</span><nav>${nav}</nav></header>
<main>${body}</main></body></html>`;
}
