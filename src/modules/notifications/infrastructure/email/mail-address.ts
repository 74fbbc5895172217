/** `Name <email@host>` or a bare address → its parts. */
export function parseMailbox(value: string): { name: string | null; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (match) return { name: match[1].trim() || null, email: match[2].trim() };
  return { name: null, email: value.trim() };
}
