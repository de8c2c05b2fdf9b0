/**
 * The punchline convention, shared by the page (which shows it big under the terminal) and the
 * server (whose screen of a run carries it to a page that draws the run late). A demo prints,
 * right before its punchline line, `\x1b]7770;<the line>\x07`: an OSC no terminal shows, so the
 * line itself still shows as usual. It is part of the output, so a recording replays it too.
 */
export const PUNCHLINE_OSC = 7770;

/** The invisible sequence that marks `text` as the punchline. */
export function punchlineSequence(text: string): string {
  return `\x1b]${PUNCHLINE_OSC};${text}\x07`;
}
