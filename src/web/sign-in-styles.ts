// The hosted page's stylesheet, served as a versioned asset (tsc copies no .css files, so it lives in a module).
// Mobile first; no animation beyond a short colour transition, none at all under prefers-reduced-motion.

export const signInCss = `
:root {
  --bg: #f5f6f8; --text: #1b1f24; --title: #101418; --accent: #2451c7; --on-accent: #ffffff;
  --card: #ffffff; --line: #c9cdd4; --ok: #17693a; --bad: #b42318; --focus: #0b57d0;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; min-height: 100%; }
body {
  display: flex; flex-direction: column; min-height: 100vh;
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  background: var(--bg); color: var(--text); -webkit-text-size-adjust: 100%;
}
.bar, main, footer { width: 100%; max-width: 40rem; margin: 0 auto; padding-left: 1rem; padding-right: 1rem; }
.bar { display: flex; align-items: center; gap: .75rem; padding-top: .75rem; padding-bottom: .5rem; }
.logo { display: block; max-height: 2.5rem; max-width: 9rem; object-fit: contain; }
.project { flex: 1; font-weight: 600; color: var(--title); overflow-wrap: anywhere; }
.lang {
  font: inherit; font-size: .95rem; color: var(--text); background: transparent; border: 1px solid currentColor;
  border-radius: 999px; padding: .35rem .9rem; min-height: 2.25rem; cursor: pointer;
}
main { flex: 1; display: flex; flex-direction: column; gap: .75rem; padding-bottom: 1rem; outline: none; }
h1 { margin: .25rem 0 0; font-size: 1.5rem; line-height: 1.2; color: var(--title); }
.lead { margin: 0; }
.get-ready ul { margin: 0; padding-left: 1.25rem; display: flex; flex-direction: column; gap: .5rem; }
.stage {
  position: relative; width: 100%; max-width: 26rem; margin: 0 auto; aspect-ratio: 3 / 4; max-height: 58vh;
  border-radius: 1rem; overflow: hidden; background: #15181c;
}
@media (orientation: landscape) and (min-width: 40rem) { .stage { aspect-ratio: 4 / 3; max-width: 34rem; } }
.stage video { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; transform: scaleX(-1); }
.oval {
  position: absolute; left: 50%; top: 47%; height: 76%; aspect-ratio: 3 / 4; transform: translate(-50%, -50%);
  border-radius: 50%; border: 4px solid #ffffff; box-shadow: 0 0 0 100vmax rgba(10, 12, 16, .5);
  transition: border-color .4s ease;
}
.stage.ready .oval { border-color: #3ccf74; }
.cue {
  position: absolute; left: 0; right: 0; bottom: 0; padding: .8rem 1rem; text-align: center;
  font-size: 1.3rem; font-weight: 700; color: #ffffff; background: rgba(10, 12, 16, .72);
}
.cue:empty { display: none; }
.cue[data-step="turn_left"]::before { content: "\\2190\\00a0"; }
.cue[data-step="turn_right"]::after { content: "\\00a0\\2192"; }
.status { margin: 0; min-height: 1.45em; text-align: center; font-weight: 600; }
.checks { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem; justify-content: center; }
.checks li {
  padding: .2rem .65rem; border-radius: 999px; border: 1px solid var(--line); background: var(--card);
  color: #3d434b; font-size: .9rem;
}
.checks li::before { content: "\\25CB\\00a0"; }
.checks li.ok { border-color: var(--ok); color: var(--ok); }
.checks li.ok::before { content: "\\2713\\00a0"; }
progress { display: block; width: 100%; max-width: 26rem; height: .5rem; margin: 0 auto; accent-color: var(--accent); }
.result {
  background: var(--card); color: #1b1f24; border: 1px solid var(--line); border-radius: 1rem; padding: 1rem 1.25rem;
}
main[data-state="failure"] .result, main[data-state="camera-error"] .result { border-left: 6px solid var(--bad); }
main[data-state="success"] .result { border-left: 6px solid var(--ok); }
.result h2 { margin: 0 0 .4rem; font-size: 1.25rem; line-height: 1.25; outline: none; }
.result p { margin: .25rem 0 0; }
.result p:empty { display: none; }
.primary {
  display: block; width: 100%; max-width: 26rem; min-height: 3rem; margin: 0 auto; padding: .6rem 1rem;
  font: inherit; font-weight: 700; border: 0; border-radius: .75rem; cursor: pointer;
  background: var(--accent); color: var(--on-accent);
}
.primary[aria-disabled="true"] { opacity: .5; cursor: progress; }
.step { display: flex; flex-direction: column; gap: .6rem; }
.step h2 { margin: .25rem 0 0; font-size: 1.2rem; line-height: 1.25; color: var(--title); outline: none; }
.step p { margin: 0; }
.step-form { display: flex; flex-direction: column; gap: .6rem; width: 100%; max-width: 26rem; margin: 0 auto; }
.field { display: flex; flex-direction: column; gap: .3rem; flex: 1; }
.field-row { display: flex; gap: .6rem; }
.field.country { flex: 0 0 6.5rem; }
.field label { font-weight: 600; }
.field input {
  font: inherit; font-size: 1.1rem; min-height: 3rem; padding: .5rem .75rem; color: #1b1f24; background: var(--card);
  border: 2px solid var(--line); border-radius: .6rem; width: 100%;
}
.field input.code { font-size: 1.5rem; letter-spacing: .35em; font-variant-numeric: tabular-nums; }
.field input[aria-invalid="true"] { border-color: var(--bad); }
.field-error { margin: 0; color: var(--bad); font-weight: 600; }
.field-error:empty { display: none; }
.secondary {
  display: block; width: 100%; min-height: 2.75rem; padding: .5rem 1rem; font: inherit; font-weight: 600;
  color: var(--text); background: transparent; border: 2px solid var(--line); border-radius: .75rem; cursor: pointer;
}
.secondary[aria-disabled="true"] { opacity: .6; cursor: default; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 3px; box-shadow: 0 0 0 6px #ffffff; }
footer { padding-top: .5rem; padding-bottom: 1.25rem; font-size: .85rem; text-align: center; }
footer p { margin: .25rem 0; }
footer a { color: inherit; }
.sr-only {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
@media (prefers-reduced-motion: reduce) { *, *::before, *::after { transition: none !important; animation: none !important; } }
`;
