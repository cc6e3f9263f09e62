import { DEMO_PHONE_PATH } from '../config';

/** The frame every demo page shares: a header with the links, then the page's own body. */
export function layout(input: { title: string; body: string; head?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} · Threadline demo</title>
<style>
  :root { color-scheme: light; --accent: #0f766e; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; background: #f8fafc; }
  header { display: flex; gap: 20px; align-items: baseline; padding: 12px 24px; background: #fff; border-bottom: 1px solid #e5e7eb; }
  header strong { font-size: 16px; }
  header a { color: var(--accent); text-decoration: none; }
  header a[aria-current="page"] { font-weight: 600; text-decoration: underline; }
  main { padding: 20px 24px; }
  .hint { color: #4b5563; max-width: 900px; }
  code { background: #eef2f7; padding: 1px 4px; border-radius: 4px; }
</style>
${input.head ?? ''}
</head>
<body>
<header>
  <strong>Threadline demo</strong>
  <nav style="display:flex; gap:16px">
    <a href="/" data-path="/">Both channels</a>
    <a href="/chat" data-path="/chat">Web chat</a>
    <a href="${DEMO_PHONE_PATH}" data-path="/phone">WhatsApp phone</a>
    <a href="/inspector" data-path="/inspector">Inspector</a>
  </nav>
</header>
<script>
  for (const link of document.querySelectorAll('nav a'))
    if (link.dataset.path === location.pathname) link.setAttribute('aria-current', 'page');
</script>
<main>
${input.body}
</main>
</body>
</html>`;
}
