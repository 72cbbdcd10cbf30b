// Building elements without HTML strings: text goes in as text nodes, attributes one by one, so nothing a tenant
// stored (a person's name, a project's URL) can ever become markup.

export type Child = Node | string | number | null | undefined | false;
type Handler = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | Handler | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      el.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    } else if (name === 'class') {
      el.className = String(value);
    } else if (name === 'style') {
      throw new Error('inline style attributes are refused by the CSP; use a class or element.style');
    } else if (/^on/i.test(name)) {
      throw new Error(`event handler attribute ${name} must be a function`);
    } else if (name === 'value' && 'value' in el) {
      (el as HTMLInputElement).value = String(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

let idCounter = 0;
/** A page-unique id, to tie a label or a description to its control. */
export const uid = (prefix = 'f') => `${prefix}-${++idCounter}`;

/**
 * A labelled form field with an optional explanation (announced with the control through aria-describedby) and
 * the default written out, so an operator never has to guess what leaving it alone means.
 */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  options: { help?: string; defaultText?: string } = {},
): HTMLDivElement {
  if (!control.id) control.id = uid('field');
  const describedBy: string[] = [];
  const help = options.help ? h('p', { class: 'help', id: uid('help') }, options.help) : null;
  if (help) describedBy.push(help.id);
  const def = options.defaultText ? h('p', { class: 'default', id: uid('def') }, options.defaultText) : null;
  if (def) describedBy.push(def.id);
  if (describedBy.length) control.setAttribute('aria-describedby', describedBy.join(' '));
  const isCheck = control instanceof HTMLInputElement && control.type === 'checkbox';
  const labelEl = h('label', { for: control.id }, label);
  return isCheck
    ? h('div', { class: 'field check' }, control, labelEl, help, def)
    : h('div', { class: 'field' }, labelEl, control, help, def);
}

/** Reads a picked file as a data: URL (the API takes images as base64 or data URIs). */
export function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

export function formatDate(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'es' ? 'es' : 'en', { dateStyle: 'medium', timeStyle: 'short' });
}
