/** Line and column of a place in a text, for messages ("line 3, column 8"). */

/**
 * The 1-based line and column of the 0-based string index `index`, counting columns in characters (a surrogate pair
 * is one) and lines at `\n`, `\r\n` or a lone `\r`, as the server does (SqlTemplate.lineAndColumn).
 */
export function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, index))
  const lines = before.split(/\r\n|\r|\n/)
  return { line: lines.length, column: [...lines[lines.length - 1]!].length + 1 }
}
