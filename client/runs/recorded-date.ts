/** When a recording was made, as every screen writes it. Pure. */

/** `28 Nov 2026`: in UTC and one fixed form, so the stage, the site and the PDF say the same date to every reader. */
export function formatRecordedDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** The badge of a terminal that shows a recording: `recording · 28 Nov 2026`. */
export function recordingLabel(iso: string): string {
  return `recording · ${formatRecordedDate(iso)}`;
}
