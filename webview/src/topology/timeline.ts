// The story in time: the readings that changed something, replayed with a scrubber. Each step
// shows the nodes as that reading saw them (liveness, leases held) and what happened since the
// step before; lease transfers fly from the old leaseholder to the new one (not under
// prefers-reduced-motion). The event log lists every event with its time; choosing one steps there.
import type { StoryClock, StoryEvent, StoryFrame } from '../../../protocol/src/topologyStory';
import { element, linkButton } from './dom';

/** Lease moves animated per step: enough to see the direction, few enough to follow. */
const FLYING = 12;
const FLIGHT_MS = 700;
const FLIGHT_STAGGER_MS = 60;

const stateText: Record<string, string> = {
  live: 'live',
  suspect: 'suspect',
  dead: 'dead',
  decommissioning: 'decommissioning',
  decommissioned: 'decommissioned',
};

/**
 * A time in its clock: the simulated cluster's own (`t = 1:05.2 simulated`, since it started), or
 * when a poll of a real cluster saw the change (`seen 14:03:07`: it happened at or before then).
 */
export function storyTimeText(at: number, clock: StoryClock | undefined): string {
  if (clock === 'simulated') {
    const tenths = Math.max(0, Math.round(at / 100));
    const minutes = Math.floor(tenths / 600);
    const seconds = (tenths % 600) / 10;
    return `t = ${minutes}:${seconds.toFixed(1).padStart(4, '0')} simulated`;
  }
  return `seen ${new Date(at).toLocaleTimeString()}`;
}

function clockNote(clock: StoryClock | undefined): string {
  return clock === 'simulated'
    ? 'Times are the simulated cluster’s clock (since it started).'
    : 'Times are when a reading saw the change: it happened at or before then (readings are seconds apart).';
}

export class Timeline {
  readonly element = element('section', 'story-timeline');
  private readonly scrubber = element('input', 'timeline-scrubber');
  private readonly position = element('span', 'timeline-position');
  private readonly live = element('button', 'timeline-live', 'Live');
  private readonly strip = element('div', 'timeline-strip');
  private readonly stepEvents = element('ul', 'timeline-step-events');
  private readonly log = element('ol', 'timeline-log');
  private readonly clock = element('p', 'muted timeline-clock');
  private frames: StoryFrame[] = [];
  /** The step shown; undefined follows the newest. */
  private step: number | undefined;

  constructor(private readonly motion: () => boolean) {
    const heading = element('h2', 'story-heading', 'What happened');
    heading.id = 'story-timeline-heading';
    this.element.setAttribute('aria-labelledby', heading.id);
    this.scrubber.type = 'range';
    this.scrubber.min = '0';
    this.scrubber.step = '1';
    this.scrubber.setAttribute('aria-label', 'Replay: step through the readings that changed something');
    this.scrubber.addEventListener('input', () => {
      this.go(Number(this.scrubber.value));
    });
    const back = element('button', 'timeline-back', '◀');
    back.type = 'button';
    back.setAttribute('aria-label', 'Previous step');
    back.addEventListener('click', () => {
      this.go(Math.max(0, this.current() - 1));
    });
    const forward = element('button', 'timeline-forward', '▶');
    forward.type = 'button';
    forward.setAttribute('aria-label', 'Next step');
    forward.addEventListener('click', () => {
      this.go(Math.min(this.frames.length - 1, this.current() + 1));
    });
    this.live.type = 'button';
    this.live.setAttribute('aria-pressed', 'true');
    this.live.addEventListener('click', () => {
      this.step = undefined;
      this.render(undefined);
    });
    const controls = element('div', 'timeline-controls');
    controls.append(back, this.scrubber, forward, this.live, this.position);
    this.position.setAttribute('aria-live', 'polite');
    this.stepEvents.setAttribute('aria-label', 'What changed at this step');
    const logHeading = element('h3', undefined, 'Event log');
    this.log.setAttribute('aria-label', 'Event log, oldest first');
    this.element.append(heading, controls, this.clock, this.strip, this.stepEvents, logHeading, this.log);
    this.render(undefined);
  }

  private current(): number {
    return this.step ?? Math.max(0, this.frames.length - 1);
  }

  update(frames: StoryFrame[]): void {
    const before = this.frames[this.current()];
    this.frames = frames;
    // A replay stays on its reading while newer ones arrive; the record may have dropped old ones.
    if (this.step !== undefined && before !== undefined) {
      const at = frames.findIndex((f) => f.at === before.at);
      this.step = at < 0 ? undefined : at;
    }
    this.render(this.step === undefined ? before : undefined);
  }

  /** Steps to a reading (the learner's scrubbing or a click in the log). */
  go(index: number): void {
    if (this.frames.length === 0) return;
    const previous = this.frames[this.current()];
    this.step = index >= this.frames.length - 1 ? undefined : Math.max(0, index);
    this.render(previous);
  }

  /** `previous`: the frame shown before, so the moves between them can fly. */
  private render(previous: StoryFrame | undefined): void {
    const n = this.frames.length;
    const index = this.current();
    const frame = this.frames[index];
    this.scrubber.max = String(Math.max(0, n - 1));
    this.scrubber.value = String(index);
    this.scrubber.disabled = n < 2;
    this.live.setAttribute('aria-pressed', String(this.step === undefined));
    this.element.classList.toggle('replaying', this.step !== undefined);
    if (!frame) {
      this.position.textContent = 'Nothing recorded yet.';
      this.clock.textContent = '';
      this.strip.replaceChildren();
      this.stepEvents.replaceChildren();
      this.log.replaceChildren();
      return;
    }
    this.position.textContent = `Step ${index + 1} of ${n} · ${storyTimeText(frame.at, frame.clock)}${this.step === undefined ? ' · live' : ' · replaying'}`;
    this.clock.textContent = clockNote(frame.clock);
    this.element.dataset['clock'] = frame.clock;
    this.renderStrip(frame);
    this.stepEvents.replaceChildren(
      ...(frame.events.length > 0
        ? frame.events.map((e) => element('li', `story-event event-${e.kind}`, e.text))
        : [element('li', 'muted', index === 0 ? 'The first reading recorded.' : 'No change.')]),
    );
    this.renderLog(index);
    // Moving forward one step or more: the leases that moved on the way fly.
    const from = previous ? this.frames.indexOf(previous) : -1;
    if (previous && from >= 0 && from < index) {
      const moves = this.frames.slice(from + 1, index + 1).flatMap((f) => f.events.flatMap((e) => e.moves ?? []));
      this.fly(moves.slice(0, FLYING));
    }
  }

  private renderStrip(frame: StoryFrame): void {
    const leases = new Map(frame.leases);
    const regions = [...new Set(frame.nodes.map((n) => n.region))];
    this.strip.replaceChildren(
      ...regions.map((region) => {
        const group = element('div', 'strip-region');
        group.append(element('span', 'strip-region-name', region || '(no region)'));
        const nodes = element('div', 'strip-nodes');
        for (const n of frame.nodes.filter((x) => x.region === region)) {
          const state = n.partitioned ? 'partitioned' : n.liveness;
          const chip = element('span', `strip-node liveness-${state}`);
          chip.dataset['nodeId'] = String(n.id);
          chip.dataset['state'] = state;
          const count = leases.get(n.id) ?? 0;
          chip.append(element('strong', undefined, `n${n.id}`), element('span', 'strip-leases', `${count} lease${count === 1 ? '' : 's'}`));
          chip.title = `n${n.id} ${n.zone ? `(${n.region}/${n.zone}) ` : ''}${state === 'partitioned' ? 'partitioned' : (stateText[n.liveness] ?? n.liveness)}: ${count} leases`;
          nodes.append(chip);
        }
        group.append(nodes);
        return group;
      }),
    );
    this.strip.append(
      element('span', `strip-unavailable${frame.unavailable > 0 ? ' has-unavailable' : ''}`, `${frame.unavailable} unavailable`),
    );
  }

  private renderLog(index: number): void {
    const items: HTMLElement[] = [];
    this.frames.forEach((f, i) => {
      for (const e of f.events) items.push(this.logItem(e, f.clock, i, i === index));
    });
    if (items.length === 0)
      items.push(element('li', 'muted', 'No events yet: kill a node, partition a region, or wait for a lease to move.'));
    this.log.replaceChildren(...items);
  }

  private logItem(e: StoryEvent, clock: StoryClock | undefined, frame: number, current: boolean): HTMLElement {
    const item = element('li', `log-event event-${e.kind}${current ? ' current' : ''}`);
    item.dataset['step'] = String(frame);
    item.append(
      element('time', 'log-time', storyTimeText(e.at, clock)),
      ' ',
      linkButton(e.text, () => {
        this.go(frame);
      }),
    );
    return item;
  }

  /** A mark flies from the old leaseholder's chip to the new one's. */
  private fly(moves: readonly { from: number; to: number }[]): void {
    if (!this.motion() || moves.length === 0) return;
    const box = this.strip.getBoundingClientRect();
    moves.forEach((m, i) => {
      const from = this.strip.querySelector<HTMLElement>(`.strip-node[data-node-id="${m.from}"]`);
      const to = this.strip.querySelector<HTMLElement>(`.strip-node[data-node-id="${m.to}"]`);
      if (!from || !to) return;
      const a = from.getBoundingClientRect();
      const b = to.getBoundingClientRect();
      const mark = element('span', 'flying-lease');
      mark.setAttribute('aria-hidden', 'true');
      const x0 = a.left - box.left + a.width / 2;
      const y0 = a.top - box.top + a.height / 2;
      mark.style.left = `${x0}px`;
      mark.style.top = `${y0}px`;
      this.strip.append(mark);
      const flight = mark.animate(
        [
          { transform: 'translate(-50%, -50%)' },
          { transform: `translate(calc(${b.left - a.left}px - 50%), calc(${b.top - a.top}px - 50%))` },
        ],
        { duration: FLIGHT_MS, delay: i * FLIGHT_STAGGER_MS, easing: 'ease-in-out', fill: 'forwards' },
      );
      // Gone when it lands, or when its time is up should the animation never report finishing.
      const land = (): void => {
        mark.remove();
      };
      flight.onfinish = land;
      flight.oncancel = land;
      window.setTimeout(land, FLIGHT_MS + i * FLIGHT_STAGGER_MS + 250);
    });
  }
}
