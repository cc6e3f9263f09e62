/** A page of the demo in the header: the home page, the web chat, each channel's page, the inspector. */
export interface NavLink {
  label: string;
  href: string;
}

/** One channel on the home page: its caption and the page standing in for Ann's device. */
export interface PanelView {
  name: string;
  title: string;
  caption: string;
  pagePath?: string;
}

/** The header's links: every channel with a page of its own, between the web chat and the inspector. */
export function navLinks(panels: readonly PanelView[]): NavLink[] {
  return [
    { label: 'All channels', href: '/' },
    { label: 'Web chat', href: '/chat' },
    ...panels.flatMap((panel) =>
      panel.pagePath ? [{ label: panel.title, href: panel.pagePath }] : [],
    ),
    { label: 'Inspector', href: '/inspector' },
  ];
}

/** The frame every demo page shares: a header with the links, then the page's own body. */
export function layout(input: {
  title: string;
  body: string;
  head?: string;
  nav: readonly NavLink[];
}): string {
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
  header { display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: baseline; padding: 12px 24px; background: #fff; border-bottom: 1px solid #e5e7eb; }
  nav { display: flex; flex-wrap: wrap; gap: 4px 16px; }
  header strong { font-size: 16px; }
  a { color: var(--accent); text-underline-offset: 2px; }
  header a { color: var(--accent); text-decoration: none; }
  header a[aria-current="page"] { font-weight: 600; text-decoration: underline; }
  main { padding: 20px 24px; }
  @media (max-width: 600px) { header { padding: 10px 12px; } main { padding: 12px; } }
  .hint { color: #4b5563; max-width: 900px; }
  code { background: #eef2f7; padding: 1px 4px; border-radius: 4px; }
</style>
${input.head ?? ''}
</head>
<body>
<header>
  <strong>Threadline demo</strong>
  <nav>
${input.nav
  .map(
    (link) =>
      `    <a href="${escapeAttribute(link.href)}" data-path="${escapeAttribute(link.href.startsWith('/') ? new URL(link.href, 'http://demo.local').pathname : '')}">${link.label}</a>`,
  )
  .join('\n')}
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

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
