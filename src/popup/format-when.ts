/** Local time, to the second unless `seconds` is false; with the date when it is not today. */
export function formatWhen(epochMs: number, now: number, seconds = true): string {
  const when = new Date(epochMs);
  const sameDay = when.toDateString() === new Date(now).toDateString();
  const time = when.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
  });
  return sameDay
    ? time
    : `${when.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}, ${time}`;
}
