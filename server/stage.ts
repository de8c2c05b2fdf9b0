/**
 * Where the talk is, for every screen: the presenter's slide and step, which every page
 * follows, and the time spent on each slide (the presenter screen's pacing; in rehearsal
 * mode, the record written when the rehearsal ends).
 */
import { samePosition, type Pacing, type Position, type RunSummary } from './protocol.ts';
import type { Viewer } from './runs/run-hub.ts';
import { buildRehearsalRecord, formatReport, writeRehearsal, type DeckPlan } from './talk/rehearsal.ts';
import { TalkClock } from './talk/talk-clock.ts';

export interface StageOptions {
  /** The deck's current revision (a hash of its slides). */
  readonly revision: () => string;
  /** The runs going on anywhere in the deck. */
  readonly activity: () => RunSummary[];
  /** Ms per slide of the last rehearsal, or null. */
  readonly rehearsedMs: () => Readonly<Record<string, number>> | null;
  /** Where rehearsal records go, and the deck's plan to record against. */
  readonly rehearsal: { readonly dir: string; readonly plan: () => DeckPlan };
  /** Record a rehearsal from the start (`npm run rehearse`); a presenter page can also start one. */
  readonly rehearsing: boolean;
  /** A rehearsal was written (to print its report). */
  readonly onRehearsalSaved?: (saved: SavedRehearsal) => void;
  readonly now?: () => number;
}

export interface SavedRehearsal {
  readonly file: string;
  readonly report: string;
}

export class Stage {
  private readonly viewers = new Set<Viewer>();
  private current: Position | null = null;
  private readonly clock: TalkClock;
  private recording: boolean;

  constructor(private readonly options: StageOptions) {
    this.clock = new TalkClock(options.now);
    this.recording = options.rehearsing;
  }

  get position(): Position | null {
    return this.current;
  }

  get rehearsing(): boolean {
    return this.recording;
  }

  /** Starts a rehearsal from here: the clock starts again on the current slide. */
  startRehearsal(): void {
    this.recording = true;
    this.clock.reset();
    if (this.current !== null) this.clock.moveTo(this.current.slide);
    this.sendPacing();
  }

  attach(viewer: Viewer): void {
    this.viewers.add(viewer);
    viewer.send('welcome', {
      role: viewer.role,
      revision: this.options.revision(),
      position: this.current,
      runs: this.options.activity(),
      pacing: viewer.role === 'presenter' ? this.pacing() : null,
    });
  }

  detach(viewer: Viewer): void {
    this.viewers.delete(viewer);
  }

  /**
   * The talk moves; every other page follows, presenter pages get the new pacing. The page
   * that moved is not told: it is there already, and an echo arriving after its next step
   * would pull it back a step.
   */
  goto(position: Position, from?: Viewer): void {
    if (this.current !== null && samePosition(this.current, position)) return;
    this.current = { slide: position.slide, fragment: position.fragment, ...(position.variants === undefined ? {} : { variants: [...position.variants] }) };
    this.clock.moveTo(position.slide);
    for (const viewer of this.viewers) if (viewer !== from) viewer.send('position', this.current);
    this.sendPacing();
  }

  /** A run ended on `slide`: kept for the rehearsal record. */
  recordRun(demo: string, slide: string | null, durationMs: number, reason: string): void {
    this.clock.recordRun({ demo, slide, durationMs, reason });
  }

  deckChanged(): void {
    const revision = this.options.revision();
    for (const viewer of this.viewers) viewer.send('deck-changed', { revision });
  }

  /** Ends the rehearsal and writes it; null when none is being recorded or no slide was shown. */
  async saveRehearsal(): Promise<SavedRehearsal | null> {
    if (!this.recording || this.clock.startedAt === null) return null;
    const record = buildRehearsalRecord(this.clock, this.options.rehearsal.plan());
    this.recording = false;
    const file = await writeRehearsal(this.options.rehearsal.dir, record);
    const report = formatReport(record);
    this.options.onRehearsalSaved?.({ file, report });
    this.sendPacing();
    return { file, report };
  }

  /** The presenter screen's key: ends the rehearsal and tells every presenter page where it went. */
  async endRehearsal(viewer: Viewer): Promise<void> {
    if (!this.recording) {
      viewer.send('error', { message: 'no rehearsal is being recorded: start one from the presenter screen or with `npm run rehearse`' });
      return;
    }
    try {
      const saved = await this.saveRehearsal();
      if (saved === null) {
        viewer.send('error', { message: 'nothing to save yet: no slide has been shown in this rehearsal' });
        return;
      }
      for (const other of this.viewers) if (other.role === 'presenter') other.send('rehearsal-saved', saved);
    } catch (error) {
      viewer.send('error', { message: `the rehearsal could not be saved: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  private sendPacing(): void {
    const pacing = this.pacing();
    for (const viewer of this.viewers) if (viewer.role === 'presenter') viewer.send('pacing', pacing);
  }

  private pacing(): Pacing {
    return {
      elapsedMs: this.clock.startedAt === null ? null : this.clock.elapsedMs(),
      spentMs: this.clock.spentMs(),
      rehearsedMs: this.options.rehearsedMs(),
      rehearsing: this.rehearsing,
    };
  }
}
