// The console's one style sheet, served as an asset (the CSP allows no inline style). Layout targets a 1280 px
// laptop and a 768 px tablet: the navigation is a side column on wide screens and a wrapped bar below 900 px.
// Colours keep WCAG AA contrast (4.5:1 for text) against their backgrounds; focus is always visible.

export const consoleCss = `
:root {
  --bg: #f5f6f8; --panel: #ffffff; --text: #1b1f24; --muted: #4f5862; --line: #d0d5db;
  --accent: #0b57d0; --accent-text: #ffffff; --danger: #b3261e; --ok: #146c2e; --warn: #8a5300;
  --focus: #ffbf47; --radius: 6px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 16px; line-height: 1.45;
  color: var(--text); background: var(--bg);
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--panel); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
.layout { display: grid; grid-template-columns: 15rem 1fr; min-height: 100vh; }
.layout > header { background: #17202b; color: #f4f6f8; padding: 1rem; display: flex; flex-direction: column; gap: 1rem; }
.layout > header a { color: #f4f6f8; }
.brand { font-weight: 700; font-size: 1.15rem; margin: 0; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .15rem; }
nav a { display: block; padding: .45rem .6rem; border-radius: var(--radius); text-decoration: none; }
nav a[aria-current="page"] { background: #2f4156; font-weight: 600; }
nav a:hover { background: #263445; }
.header-tools { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-top: auto; }
.header-tools select, .header-tools button { font: inherit; }
main { padding: 1.5rem 2rem; max-width: 72rem; width: 100%; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .75rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .5rem; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.25rem; margin-bottom: 1rem; }
.muted, .help { color: var(--muted); }
.help { font-size: .9rem; margin: .2rem 0 0; }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: 1rem; }
.toolbar .spacer { flex: 1; }
button, .button { font: inherit; padding: .45rem .9rem; border-radius: var(--radius); border: 1px solid var(--accent);
  background: var(--accent); color: var(--accent-text); cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: var(--panel); color: var(--accent); }
button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
button:disabled { opacity: .6; cursor: not-allowed; }
label { font-weight: 600; display: block; }
input, select, textarea { font: inherit; padding: .4rem .5rem; border: 1px solid #7a838c; border-radius: var(--radius);
  background: #fff; color: var(--text); max-width: 100%; }
input[type="text"], input[type="password"], input[type="url"], input[type="email"], input[type="number"], select, textarea { width: 100%; }
input[type="checkbox"] { width: 1.1rem; height: 1.1rem; margin: 0 .4rem 0 0; vertical-align: middle; }
.field { margin-bottom: 1rem; }
.field.check label { display: inline; }
.default { font-size: .85rem; color: var(--muted); }
fieldset { border: 1px solid var(--line); border-radius: var(--radius); margin: 0 0 1rem; padding: .75rem 1rem; }
legend { font-weight: 700; padding: 0 .3rem; }
.grid2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0 1.25rem; }
table { border-collapse: collapse; width: 100%; background: var(--panel); }
th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: .9rem; color: var(--muted); }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: var(--radius); margin-bottom: 1rem; }
.thumb { width: 48px; height: 48px; object-fit: cover; border-radius: 4px; background: #dde1e6; display: block; }
.thumbs { display: flex; gap: .5rem; flex-wrap: wrap; }
.thumbs .thumb { width: 96px; height: 96px; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .8rem; border: 1px solid currentColor; }
.badge.ok { color: var(--ok); } .badge.bad { color: var(--danger); } .badge.warn { color: var(--warn); }
.notices { position: fixed; right: 1rem; bottom: 1rem; display: flex; flex-direction: column; gap: .5rem; z-index: 20; max-width: 26rem; }
.notice { background: var(--panel); border: 1px solid var(--line); border-left: 5px solid var(--accent); padding: .6rem .8rem; border-radius: var(--radius); box-shadow: 0 2px 8px rgb(0 0 0 / 15%); }
.notice.error { border-left-color: var(--danger); } .notice.success { border-left-color: var(--ok); }
.error-text { color: var(--danger); }
.ok-text { color: var(--ok); }
dialog { border: 1px solid var(--line); border-radius: var(--radius); padding: 1.25rem; max-width: 30rem; }
dialog::backdrop { background: rgb(0 0 0 / 40%); }
.dialog-actions { display: flex; justify-content: flex-end; gap: .5rem; margin-top: 1rem; }
.results { list-style: none; padding: 0; margin: .5rem 0; }
.results li { padding: .35rem 0; border-bottom: 1px solid var(--line); }
progress { width: 100%; height: 1.1rem; }
.preview { border: 2px solid var(--line); border-radius: 10px; padding: 1.25rem; text-align: center; max-width: 22rem; }
.preview img.logo { max-height: 48px; max-width: 100%; }
.preview .oval { width: 8rem; height: 10rem; border-radius: 50%; border: 3px dashed currentColor; margin: 1rem auto; }
.qr { width: 180px; height: 180px; background: #fff; display: block; }
.link-box { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
.link-box input { flex: 1 1 18rem; }
.sign-in { max-width: 28rem; margin: 3rem auto; }
.details { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.25rem; background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem; }
.details dt { font-weight: 600; }
.details dd { margin: 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 900px) {
  .layout { grid-template-columns: 1fr; }
  .layout > header { flex-direction: row; flex-wrap: wrap; align-items: center; }
  nav ul { flex-direction: row; flex-wrap: wrap; }
  .header-tools { margin-top: 0; margin-left: auto; }
  main { padding: 1rem; }
  .grid2 { grid-template-columns: 1fr; }
}
`;
