/**
 * The presenter screen's DOM: the current slide (a live deck page in an iframe) with the
 * notes under it, and beside them the clock, the talk time and pace, the next slide, the
 * section plan, the runs going on and the keys. It only draws what it is given; the
 * controller (`presenter-screen.ts`) decides what that is.
 */
import type { RunSummary } from '../../server/protocol.ts';
import { KEY_LEGEND } from './keys.ts';
import { formatClock, formatDuration } from './pacing.ts';
import type { PacingSummary } from './pacing.ts';
import type { SlideStep } from './deck-frame.ts';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== '') node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The header line: where the talk is, and anything the speaker must know about the connection. */
export interface StatusInfo {
  readonly slide: { index: number; count: number } | null;
  readonly step: SlideStep;
  readonly section: string | null;
  readonly rehearsing: boolean;
  /** Empty when all is well ("reconnecting…", "read-only: audience token"). */
  readonly connection: string;
}

export class PresenterView {
  readonly root = element('div', 'presenter');
  readonly currentFrame = element('iframe', 'presenter-current-frame');
  readonly nextFrame = element('iframe', 'presenter-next-frame');
  readonly notesBox = element('div', 'presenter-notes');

  private readonly slideNumber = element('span', 'presenter-slide-number');
  private readonly stepLabel = element('span', 'presenter-step');
  private readonly sectionLabel = element('span', 'presenter-section');
  private readonly rehearsingBadge = element('span', 'presenter-rehearsing', '● Rehearsing');
  private readonly connectionLabel = element('span', 'presenter-connection');
  private readonly clock = element('span', 'presenter-timer-value presenter-clock');
  private readonly elapsed = element('span', 'presenter-timer-value presenter-elapsed');
  private readonly planned = element('span', 'presenter-planned');
  private readonly pace = element('div', 'presenter-pace');
  private readonly nextLabel = element('div', 'presenter-label presenter-next-label');
  private readonly planBody = element('tbody', '');
  private readonly runs = element('ul', 'presenter-runs');
  private readonly notice = element('div', 'presenter-notice');
  private readonly report = element('div', 'presenter-report');
  private readonly reportFile = element('p', 'presenter-report-file');
  private readonly reportText = element('pre', 'presenter-report-text');
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;
  private planKey = '';

  constructor(frameSrc: string, previewSrc: string) {
    const status = element('header', 'presenter-status');
    status.append(this.slideNumber, this.stepLabel, this.sectionLabel, element('span', 'presenter-spacer'), this.rehearsingBadge, this.connectionLabel);

    const current = element('div', 'presenter-current');
    this.currentFrame.title = 'Current slide';
    this.currentFrame.src = frameSrc;
    current.append(this.currentFrame);

    this.notesBox.setAttribute('aria-label', 'Speaker notes');
    this.notesBox.tabIndex = -1;

    const side = element('aside', 'presenter-side');
    const timers = element('div', 'presenter-timers');
    const clockBox = element('div', 'presenter-timer');
    clockBox.append(element('span', 'presenter-label', 'Clock'), this.clock);
    const elapsedBox = element('div', 'presenter-timer');
    const elapsedLine = element('span', 'presenter-timer-line');
    elapsedLine.append(this.elapsed, this.planned);
    elapsedBox.append(element('span', 'presenter-label', 'Talk time'), elapsedLine);
    timers.append(clockBox, elapsedBox, this.pace);

    const next = element('div', 'presenter-next');
    const nextBox = element('div', 'presenter-next-box');
    this.nextFrame.title = 'Next slide';
    this.nextFrame.src = previewSrc;
    this.nextFrame.tabIndex = -1;
    this.nextFrame.setAttribute('aria-hidden', 'true');
    nextBox.append(this.nextFrame);
    next.append(this.nextLabel, nextBox);

    const plan = element('table', 'presenter-plan');
    const head = element('thead', '');
    const headRow = element('tr', '');
    headRow.append(element('th', '', 'Section'), element('th', '', 'Plan'), element('th', '', 'Spent'));
    head.append(headRow);
    plan.append(head, this.planBody);

    const legend = element('dl', 'presenter-legend');
    for (const [keys, does] of KEY_LEGEND) {
      const item = element('div', '');
      item.append(element('dt', '', keys), element('dd', '', does));
      legend.append(item);
    }

    const planBox = element('div', 'presenter-plan-box');
    planBox.append(plan);
    side.append(timers, next, planBox, this.runs, legend);

    this.notice.setAttribute('role', 'status');
    this.report.setAttribute('role', 'dialog');
    this.report.setAttribute('aria-label', 'Rehearsal report');
    this.report.hidden = true;
    this.report.append(element('h2', '', 'Rehearsal saved'), this.reportFile, this.reportText, element('p', 'presenter-report-hint', 'Esc closes'));

    this.root.append(status, current, this.notesBox, side, this.notice, this.report);
  }

  showStatus(info: StatusInfo): void {
    this.slideNumber.textContent = info.slide === null ? 'Loading the deck…' : `Slide ${info.slide.index} / ${info.slide.count}`;
    this.stepLabel.textContent = info.step.count > 1 ? `Step ${info.step.index} / ${info.step.count}` : '';
    this.stepLabel.hidden = info.step.count <= 1;
    this.sectionLabel.textContent = info.section ?? '';
    this.rehearsingBadge.hidden = !info.rehearsing;
    this.connectionLabel.textContent = info.connection;
    this.connectionLabel.hidden = info.connection === '';
  }

  /** Copies the notes in (they are the deck's own rendered Markdown); none shows a placeholder. */
  showNotes(notes: Node | null): void {
    if (notes === null) {
      this.notesBox.replaceChildren(element('p', 'presenter-notes-empty', 'No notes for this slide.'));
      return;
    }
    this.notesBox.replaceChildren(...Array.from(notes.childNodes, (child) => document.importNode(child, true)));
  }

  showNextTitle(title: string | null): void {
    this.nextLabel.textContent = title === null ? 'End of the deck' : `Next: ${title}`;
  }

  showPacing(summary: PacingSummary, now: Date): void {
    this.clock.textContent = formatClock(now);
    this.elapsed.textContent = summary.elapsedMs === null ? '0:00' : formatDuration(summary.elapsedMs);
    this.planned.textContent = summary.plannedTotalMs > 0 ? ` / ${formatDuration(summary.plannedTotalMs)}` : '';
    this.pace.textContent = summary.elapsedMs === null ? 'not started' : (summary.pace?.text ?? 'off the plan');
    this.pace.dataset['pace'] = summary.pace?.state ?? 'none';

    // Rows are rebuilt only when the plan's shape changes; their times are rewritten every tick.
    const key = summary.sections.map((row) => `${row.title}\u0000${String(row.plannedMs)}`).join('\u0001');
    if (key !== this.planKey) {
      this.planKey = key;
      this.planBody.replaceChildren(...summary.sections.map(() => {
        const row = element('tr', '');
        row.append(element('td', 'presenter-plan-title'), element('td', 'presenter-plan-planned'), element('td', 'presenter-plan-spent'));
        return row;
      }));
    }
    summary.sections.forEach((section, index) => {
      const row = this.planBody.rows[index];
      if (row === undefined) return;
      row.dataset['state'] = section.state;
      row.classList.toggle('is-over', section.over);
      const [title, planned, spent] = Array.from(row.cells);
      if (title !== undefined) title.textContent = section.title;
      if (planned !== undefined) planned.textContent = section.plannedMs === null ? '–' : formatDuration(section.plannedMs);
      if (spent !== undefined) spent.textContent = section.spentMs === 0 && section.state === 'upcoming' ? '' : formatDuration(section.spentMs);
    });
  }

  /** `sinceMs`: time since the summaries were sent, to tick their elapsed time. */
  showRuns(runs: readonly RunSummary[], sinceMs: number): void {
    this.runs.hidden = runs.length === 0;
    this.runs.replaceChildren(...runs.map((run) => {
      const item = element('li', '');
      item.append(element('span', 'presenter-run-demo', run.demo), element('span', 'presenter-run-time', formatDuration(run.elapsedMs + sinceMs)));
      item.title = run.demo;
      return item;
    }));
  }

  /** A short message at the bottom, gone after `ms`. */
  flash(message: string, ms = 3_000): void {
    if (this.noticeTimer !== null) clearTimeout(this.noticeTimer);
    this.notice.textContent = message;
    this.notice.classList.add('is-visible');
    this.noticeTimer = setTimeout(() => {
      this.noticeTimer = null;
      this.notice.classList.remove('is-visible');
    }, ms);
  }

  showReport(file: string, report: string): void {
    this.reportFile.textContent = file;
    this.reportText.textContent = report;
    this.report.hidden = false;
  }

  /** False when there was no report to close. */
  closeReport(): boolean {
    if (this.report.hidden) return false;
    this.report.hidden = true;
    return true;
  }

  dispose(): void {
    if (this.noticeTimer !== null) clearTimeout(this.noticeTimer);
    this.root.remove();
  }
}
