/** How a number of auto-lock minutes reads in the select and in sentences: "5 min", "1 hour", "4 hours". */
export function autoLockLabel(minutes: number): string {
  if (minutes % 60 !== 0) return `${String(minutes)} min`;
  const hours = minutes / 60;
  return `${String(hours)} hour${hours === 1 ? '' : 's'}`;
}
