/**
 * The timeline a demo shows under (or beside) its terminal, drawn as SVG so its text stays
 * crisp on a projector and in print: a lane per thread, process, worker or asyncio task with
 * its name at the left; running, waiting (hatched) and holding in Okabe–Ito colours that keep
 * apart for colour-blind viewers, the lock's name on a bar where it fits; an arrow where a lock
 * passes from one lane to another; a deadlock's lanes and locks in vermilion with a thick
 * outline, and a caption that names the cycle. It draws what it is given; the timeline
 * controller decides what and when.
 */
import type { IDisposable } from '@xterm/xterm';
import type { Arrow, Lane, LockSpan, Span, TimelineModel } from '../../server/trace/timeline-model.ts';
import type { Deadlock } from '../../server/trace/wait-for-graph.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** What the view draws for the time axis. */
export interface TimeWindow {
  /** µs since the run's start. */
  readonly from: number;
  readonly to: number;
  /** Now, during a live run: open spans reach it. */
  readonly now: number;
  readonly live: boolean;
}

const LABEL_WIDTH = 150;
const AXIS_HEIGHT = 24;
/** Small enough that a demo's eight threads and its process fit the slide; the names shrink with it. */
const LANE_MIN = 13;
/** The lanes' names at their largest; a thinner lane gets a smaller font. */
const LABEL_MAX_PX = 16;
/** At most one arrow per this many pixels of the time axis. */
const ARROW_SPACING_PX = 14;
/** The labels' font's average character width, in ems (a little over Source Sans's). */
const CHAR_WIDTH_EM = 0.56;
const LANE_MAX = 56;
/** Px a lock name needs per character at the bars' font size. */
const CHAR_PX = 8.6;

/** Ids of one view's patterns, clips and markers: every demo of the page has a timeline, and `url(#id)` finds the first. */
interface Ids {
  readonly clip: string;
  readonly labels: string;
  readonly hatch: string;
  readonly stall: string;
  arrow(kind: Arrow['kind']): string;
}

let views = 0;

function idsOf(n: number): Ids {
  return { clip: `timeline-${n}-clip`, labels: `timeline-${n}-labels`, hatch: `timeline-${n}-wait`, stall: `timeline-${n}-stall`, arrow: (kind) => `timeline-${n}-arrow-${kind}` };
}

export class TimelineView implements IDisposable {
  readonly element: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly note: HTMLElement;
  private readonly plot: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly message: HTMLElement;
  readonly downloadButton: HTMLButtonElement;
  private readonly ids = idsOf((views += 1));

  constructor(root: HTMLElement, demoName: string) {
    this.element = document.createElement('div');
    this.element.className = 'demo-timeline';
    this.element.hidden = true;
    this.element.setAttribute('aria-label', `Timeline of ${demoName}`);

    const head = document.createElement('div');
    head.className = 'timeline-head';
    head.append(legend());
    this.note = document.createElement('span');
    this.note.className = 'timeline-note';
    this.downloadButton = document.createElement('button');
    this.downloadButton.type = 'button';
    this.downloadButton.className = 'timeline-download';
    this.downloadButton.textContent = 'Download trace';
    this.downloadButton.setAttribute('aria-label', `Download the trace of ${demoName} (Perfetto, chrome://tracing)`);
    this.downloadButton.disabled = true;
    const spacer = document.createElement('span');
    spacer.className = 'timeline-spacer';
    head.append(spacer, this.downloadButton);

    this.caption = document.createElement('div');
    this.caption.className = 'timeline-caption';
    this.caption.setAttribute('role', 'alert');
    this.caption.hidden = true;

    this.plot = document.createElement('div');
    this.plot.className = 'timeline-plot';
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.setAttribute('role', 'img');
    this.message = document.createElement('div');
    this.message.className = 'timeline-message';
    this.plot.append(this.svg, this.message);

    // A row of its own, under the legend, only while there is something to say (a flood left out).
    this.note.hidden = true;
    this.element.append(head, this.note, this.caption, this.plot);
    // Clicks on the timeline must not reach reveal.js (which would advance the slide).
    this.element.addEventListener('click', (event) => event.stopPropagation());
    root.append(this.element);
    this.showMessage('Run the demo: its threads, processes and locks appear here.');
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  show(shown: boolean): void {
    this.element.hidden = !shown;
  }

  /** A line in place of the picture ("this run is not traced"); empty clears it. */
  showMessage(text: string): void {
    this.message.textContent = text;
    this.message.hidden = text === '';
  }

  /** Draws the model over `window`; lanes beyond the box scroll. */
  draw(model: TimelineModel, window: TimeWindow): void {
    const width = this.plot.clientWidth;
    const height = this.plot.clientHeight;
    if (width === 0 || height === 0) return;
    const lanes = model.lanesInOrder();
    const deadlock = model.deadlock;
    this.drawCaption(deadlock);
    const notes = model.notes();
    this.note.hidden = notes.length === 0;
    this.note.textContent = notes.join(' · ');
    this.note.title = notes.join('\n');
    this.downloadButton.disabled = model.events.length === 0;

    const laneHeight = Math.max(LANE_MIN, Math.min(LANE_MAX, Math.floor((height - AXIS_HEIGHT) / Math.max(1, lanes.length))));
    const svgHeight = Math.max(height, lanes.length * laneHeight + AXIS_HEIGHT);
    // Room for the longest name at the largest font, within a third of the width (at least LABEL_WIDTH).
    const longest = Math.max(0, ...lanes.map((lane) => lane.label.length + (model.deadlock?.lanes.includes(lane.key) === true ? 2 : 0)));
    const labelWidth = Math.round(Math.min(Math.max(LABEL_WIDTH, longest * LABEL_MAX_PX * CHAR_WIDTH_EM + 16), width * 0.34));
    const scale = new TimeScale(window.from, window.to, labelWidth + 4, width - 10);
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(svgHeight));
    this.svg.setAttribute('viewBox', `0 0 ${width} ${svgHeight}`);
    const ids = this.ids;
    const children: SVGElement[] = [defs(ids, labelWidth, width, svgHeight)];
    const rows = new Map<string, number>();
    const inCycle = new Set(deadlock?.lanes ?? []);
    const cycleLocks = new Set(deadlock?.locks ?? []);
    lanes.forEach((lane, index) => {
      rows.set(lane.key, index * laneHeight);
      children.push(drawLane(lane, { y: index * laneHeight, height: laneHeight }, scale, window, ids, inCycle.has(lane.key), cycleLocks));
    });
    const arrows = el('g', { class: 'timeline-arrows', 'clip-path': `url(#${ids.clip})` });
    for (const arrow of arrowsToDraw(model.arrows, window, scale)) {
      const path = drawArrow(arrow, rows, laneHeight, scale, ids);
      if (path !== null) arrows.append(path);
    }
    children.push(arrows, drawAxis(scale, lanes.length * laneHeight, window));
    this.svg.replaceChildren(...children);
    this.svg.setAttribute('aria-label', `${lanes.length} lanes: ${lanes.map((lane) => lane.label).join(', ')}`);
    if (lanes.length > 0) this.showMessage('');
  }

  private drawCaption(deadlock: Deadlock | null): void {
    this.caption.hidden = deadlock === null;
    this.caption.textContent = deadlock === null ? '' : `⚠ Deadlock: ${deadlock.caption}`;
    this.element.classList.toggle('is-deadlocked', deadlock !== null);
  }

  dispose(): void {
    this.element.remove();
  }
}

/** Maps µs to x. */
class TimeScale {
  constructor(
    readonly from: number,
    readonly to: number,
    readonly left: number,
    readonly right: number,
  ) {}

  x(ts: number): number {
    return this.left + ((ts - this.from) / Math.max(1, this.to - this.from)) * (this.right - this.left);
  }

  /** A span's x and width, clamped to the plot (null when it lies outside). */
  bar(start: number, end: number): { x: number; w: number } | null {
    const x0 = Math.max(this.left, this.x(start));
    const x1 = Math.min(this.right, this.x(end));
    if (x1 < this.left || x0 > this.right) return null;
    return { x: x0, w: Math.max(1.5, x1 - x0) };
  }
}

function drawLane(lane: Lane, row: { y: number; height: number }, scale: TimeScale, window: TimeWindow, ids: Ids, deadlocked: boolean, cycleLocks: ReadonlySet<string>): SVGElement {
  const { y, height } = row;
  const group = el('g', { class: `timeline-lane lane-${lane.kind}${deadlocked ? ' is-deadlocked' : ''}`, 'data-lane': lane.label });
  const stateTop = y + 3;
  const stateHeight = Math.round(height * 0.5);
  const holdTop = stateTop + stateHeight + 2;
  const holdHeight = Math.max(6, y + height - 3 - holdTop);
  group.append(el('rect', { class: 'lane-bg', x: 0, y, width: scale.right + 10, height }));
  const plot = el('g', { 'clip-path': `url(#${ids.clip})` });
  const end = lane.end ?? (window.live ? window.now : scale.to);
  if (lane.start !== null || lane.running.length > 0) {
    const start = lane.start ?? lane.running[0]?.start ?? 0;
    const life = scale.bar(start, end);
    if (life !== null) plot.append(el('rect', { class: 'lane-life', x: life.x, y: stateTop + stateHeight / 2 - 1.5, width: life.w, height: 3 }));
  }
  for (const span of mergeForPixels(lane.running, scale, window)) {
    plot.append(el('rect', { class: 'bar-running', x: span.x, y: stateTop, width: span.w, height: stateHeight }));
  }
  for (const stall of lane.stalls) {
    const bar = scale.bar(stall.start, closeAt(stall, window));
    if (bar === null) continue;
    plot.append(el('rect', { class: 'bar-stall', x: bar.x, y: stateTop, width: bar.w, height: stateHeight, fill: `url(#${ids.stall})` }));
    plot.append(barText(`blocked by ${stall.by}`, bar, stateTop + stateHeight / 2, 'text-stall'));
  }
  const sameLock = (a: LockSpan, b: LockSpan): boolean => a.lock === b.lock;
  for (const wait of mergeForPixels(lane.waits, scale, window, sameLock)) plot.append(...lockBar(wait, 'wait', { top: stateTop, height: stateHeight, fill: `url(#${ids.hatch})` }, cycleLocks));
  for (const hold of mergeForPixels(lane.holds, scale, window, sameLock)) plot.append(...lockBar(hold, 'hold', { top: holdTop, height: holdHeight, fill: null }, cycleLocks));
  group.append(plot);
  // A long name gets a smaller font (down to 11 px) before it is cut.
  const room = scale.left - 12 - (deadlocked ? 2 * LABEL_MAX_PX : 0);
  const fontSize = Math.max(11, Math.min(LABEL_MAX_PX, Math.floor(height * 0.8), Math.floor(room / (lane.label.length * CHAR_WIDTH_EM))));
  const label = el('text', { class: 'lane-label', x: 8, y: y + height / 2, 'clip-path': `url(#${ids.labels})` });
  // Through the CSSOM: the page's content policy refuses style attributes.
  label.style.fontSize = `${fontSize}px`;
  // Names that differ at their end (`ThreadPoolExecutor-0_0`, `…-0_1`) keep it: cut in the middle.
  const fitted = cutMiddle(lane.label, Math.floor(room / (fontSize * CHAR_WIDTH_EM)));
  label.textContent = deadlocked ? `⚠ ${fitted}` : fitted;
  const title = el('title', {});
  title.textContent = lane.code === null ? lane.label : `${lane.label} (exit ${lane.code})`;
  label.append(title);
  group.append(label);
  if (deadlocked) group.append(el('rect', { class: 'lane-outline', x: 1.5, y: y + 1.5, width: scale.right + 7, height: height - 3, rx: 4 }));
  return group;
}

/** A wait (hatched, on the lane's state band) or a hold (on its lower band); a deadlock's locks outlined. */
function lockBar(bar: { x: number; w: number; span: LockSpan }, kind: 'wait' | 'hold', band: { top: number; height: number; fill: string | null }, cycleLocks: ReadonlySet<string>): SVGElement[] {
  const { span } = bar;
  const { top, height } = band;
  const cycle = cycleLocks.has(span.lock) ? ' of-cycle' : '';
  const rect = el('rect', { class: `bar-${kind}${cycle}`, x: bar.x, y: top, width: bar.w, height, 'data-lock': span.name, ...(band.fill === null ? {} : { fill: band.fill }) });
  const title = el('title', {});
  title.textContent = `${kind === 'wait' ? 'waits for' : 'holds'} ${span.name}${span.kind === null ? '' : ` (${span.kind})`}`;
  rect.append(title);
  const label = kind === 'wait' ? `waits for ${span.name}` : span.name;
  const fits = label.length * CHAR_PX + 8 <= bar.w ? label : span.name.length * CHAR_PX + 8 <= bar.w ? span.name : null;
  return fits === null || height < 11 ? [rect] : [rect, barText(fits, bar, top + height / 2, `text-${kind}`)];
}

function barText(text: string, bar: { x: number; w: number }, middle: number, className: string): SVGElement {
  const label = el('text', { class: `bar-text ${className}`, x: bar.x + 4, y: middle });
  label.textContent = text;
  return label;
}

/** Slices less than a pixel apart drawn as one: a CPU-bound thread is one bar, not ten thousand. */
/**
 * The spans as bars, those within a pixel of the one before (and, with `same`, like it) drawn
 * as one: a lock taken thousands of times a second is a few bars, not thousands of rects.
 */
function mergeForPixels<T extends Span>(spans: readonly T[], scale: TimeScale, window: TimeWindow, same: (a: T, b: T) => boolean = () => true): { x: number; w: number; span: T }[] {
  const bars: { x: number; w: number; span: T }[] = [];
  for (const span of spans) {
    const bar = scale.bar(span.start, closeAt(span, window));
    if (bar === null) continue;
    const last = bars.at(-1);
    if (last !== undefined && bar.x <= last.x + last.w + 1 && same(last.span, span)) last.w = Math.max(last.w, bar.x + bar.w - last.x);
    else bars.push({ ...bar, span });
  }
  return bars;
}

function closeAt(span: Span, window: TimeWindow): number {
  return span.end ?? (window.live ? window.now : window.to);
}

function drawArrow(arrow: Arrow, rows: ReadonlyMap<string, number>, laneHeight: number, scale: TimeScale, ids: Ids): SVGElement | null {
  const fromY = rows.get(arrow.from.lane);
  const toY = rows.get(arrow.to.lane);
  if (fromY === undefined || toY === undefined || fromY === toY) return null;
  const x1 = scale.x(arrow.from.ts);
  const x2 = Math.max(x1 + 3, scale.x(arrow.to.ts));
  const y1 = fromY + laneHeight / 2;
  const y2 = toY + laneHeight / 2 + (toY > fromY ? -laneHeight / 2 + 3 : laneHeight / 2 - 3);
  const path = el('path', { class: `arrow-${arrow.kind}`, d: `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`, 'marker-end': `url(#${ids.arrow(arrow.kind)})` });
  const title = el('title', {});
  title.textContent = arrow.kind === 'handoff' ? `${arrow.name} passed on` : arrow.name;
  path.append(title);
  return path;
}

function drawAxis(scale: TimeScale, top: number, window: TimeWindow): SVGElement {
  const axis = el('g', { class: 'timeline-axis' });
  axis.append(el('line', { class: 'axis-line', x1: scale.left, x2: scale.right, y1: top + 1, y2: top + 1 }));
  const step = tickStep(scale.to - scale.from);
  for (let t = Math.ceil(scale.from / step) * step; t <= scale.to; t += step) {
    const x = scale.x(t);
    axis.append(el('line', { class: 'axis-tick', x1: x, x2: x, y1: top + 1, y2: top + 6 }));
    // The last label ends at the plot's edge rather than leave the box.
    const label = el('text', { class: x > scale.right - 20 ? 'axis-label is-last' : 'axis-label', x, y: top + 18 });
    label.textContent = formatTime(t, step);
    axis.append(label);
  }
  if (window.live) {
    const x = scale.x(window.now);
    axis.append(el('line', { class: 'axis-now', x1: x, x2: x, y1: 0, y2: top + 4 }));
  }
  return axis;
}

/** A round step giving five to ten ticks over `span` µs. */
export function tickStep(span: number): number {
  const rough = Math.max(1, span) / 6;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const [step] = [1, 2, 5, 10].map((m) => m * magnitude).filter((s) => s >= rough);
  return step ?? 10 * magnitude;
}

export function formatTime(us: number, step: number): string {
  if (step >= 1e6) return `${Math.round(us / 1e6)} s`;
  if (step >= 1e5) return `${(us / 1e6).toFixed(1)} s`;
  if (step >= 1e3) return `${Math.round(us / 1e3)} ms`;
  return `${(us / 1e3).toFixed(1)} ms`;
}

/** Patterns, the arrowheads and the clips of the labels and the plot. */
function defs(ids: Ids, labelWidth: number, width: number, height: number): SVGElement {
  const defs = el('defs', {});
  const hatch = el('pattern', { id: ids.hatch, width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  hatch.append(el('rect', { class: 'hatch-ground', width: 8, height: 8 }), el('rect', { class: 'hatch-stripe', width: 4, height: 8 }));
  const stall = el('pattern', { id: ids.stall, width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(-45)' });
  stall.append(el('rect', { class: 'hatch-stall-ground', width: 8, height: 8 }), el('rect', { class: 'hatch-stall-stripe', width: 3, height: 8 }));
  const labels = el('clipPath', { id: ids.labels });
  labels.append(el('rect', { x: 0, y: 0, width: labelWidth, height }));
  const plot = el('clipPath', { id: ids.clip });
  plot.append(el('rect', { x: labelWidth + 2, y: 0, width: width - labelWidth - 2, height }));
  defs.append(hatch, stall, labels, plot);
  for (const kind of ['handoff', 'message'] as const) {
    const marker = el('marker', { id: ids.arrow(kind), viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(el('path', { class: `arrowhead-${kind}`, d: 'M0,0 L10,5 L0,10 z' }));
    defs.append(marker);
  }
  return defs;
}

/** The legend: each state with its swatch, shape as well as colour. */
function legend(): HTMLElement {
  const list = document.createElement('span');
  list.className = 'timeline-legend';
  for (const [kind, text] of [['running', 'running'], ['waiting', 'waiting'], ['holding', 'holding a lock'], ['handoff', 'lock passed']] as const) {
    const item = document.createElement('span');
    item.className = `legend-item legend-${kind}`;
    const swatch = document.createElement('span');
    swatch.className = 'legend-swatch';
    item.append(swatch, text);
    list.append(item);
  }
  return list;
}

/**
 * The arrows in the window, at most one per few pixels of width: a lock passed thousands of
 * times a second would otherwise paint the lanes white. The latest of each stretch stays.
 */
function arrowsToDraw(all: readonly Arrow[], window: TimeWindow, scale: TimeScale): Arrow[] {
  const shown = new Map<number, Arrow>();
  for (const arrow of all) {
    if (arrow.to.ts < window.from || arrow.from.ts > window.to) continue;
    shown.set(Math.round(scale.x(arrow.to.ts) / ARROW_SPACING_PX), arrow);
  }
  return [...shown.values()];
}

/** `text` in at most `chars` characters, its middle replaced by an ellipsis when it is longer. */
function cutMiddle(text: string, chars: number): string {
  if (text.length <= chars || chars < 5) return text;
  const tail = Math.floor((chars - 1) / 2);
  return `${text.slice(0, chars - 1 - tail)}…${text.slice(text.length - tail)}`;
}

function el(tag: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}
