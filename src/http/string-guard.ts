// Strings a database cannot keep as sent are refused at the edge, before any work (#14): PostgreSQL stores no NUL
// character in text or jsonb and no unpaired UTF-16 surrogate (it is not UTF-8), so such a string used to answer
// 500 after the work was done (for a person: after its images were analysed), while SQLite kept it. Both stores now
// answer the same: 409 MissingParameter naming the field. Checked on every request part a route validates (body,
// query, path, headers), keys as well as values.

const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Whether a string holds a NUL character or a lone surrogate. */
export const isUnstorable = (s: string): boolean => s.includes('\u0000') || !wellFormed(s);

/** The message naming the first unstorable string in `data` (a parsed request part), or undefined when none. */
export function unstorableStringIn(data: unknown): string | undefined {
  // Iterative, so that a deeply nested body cannot overflow the stack.
  const stack: Array<{ value: unknown; path: string }> = [{ value: data, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value === 'string') {
      if (isUnstorable(value)) return `"${path || 'value'}" must not contain NUL characters or unpaired surrogates`;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: path ? `${path}.${i}` : `${i}` });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        // The key itself is not quoted back: it is the unprintable part.
        if (isUnstorable(key)) {
          return `${path ? `a key of "${path}"` : 'a field name'} must not contain NUL characters or unpaired surrogates`;
        }
        stack.push({ value: v, path: path ? `${path}.${key}` : key });
      }
    }
  }
  return undefined;
}
