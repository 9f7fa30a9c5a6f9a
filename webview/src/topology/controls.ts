// The simulated cluster's controls: per node (in the node's details), per region (partition,
// heal) and adding a node. Shown only when the host says the target has them.
import type { TopologyControl, TopologyHead, TopologyNode } from '../../../protocol/src/topology';
import { element, select, setOptions, vscodeButton } from './dom';
import { nodeActions, regionViews } from './model';

const actionLabel: Record<ReturnType<typeof nodeActions>[number], string> = {
  kill: 'Kill',
  restart: 'Restart',
  decommission: 'Decommission',
  recommission: 'Recommission',
};

export function describeControl(control: TopologyControl): string {
  switch (control.action) {
    case 'kill':
    case 'restart':
    case 'decommission':
    case 'recommission':
      return `${actionLabel[control.action]} node ${control.nodeId}`;
    case 'partition':
      return `Partition ${control.region} from the other regions`;
    case 'heal':
      return `Heal ${control.region}`;
    case 'add':
      return `Add a node in ${control.region}${control.zone ? `, zone ${control.zone}` : ''}`;
  }
}

export class Controls {
  readonly element = element('section', 'controls');
  private readonly regionList = element('ul', 'region-controls');
  private readonly addRegion: HTMLSelectElement;
  private readonly addZone: HTMLSelectElement;
  private readonly result = element('p', 'control-result');
  private model: TopologyHead | undefined;
  private enabled = false;

  constructor(private readonly send: (control: TopologyControl) => void) {
    const heading = element('h2', undefined, 'Simulated cluster controls');
    heading.id = 'topology-controls-heading';
    this.element.setAttribute('aria-labelledby', heading.id);
    const region = select('Region', () => {
      this.fillZones();
    });
    const zone = select('Zone', () => undefined);
    this.addRegion = region.select;
    this.addZone = zone.select;
    const add = element('div', 'add-node');
    add.setAttribute('role', 'group');
    add.setAttribute('aria-label', 'Add a node');
    add.append(
      region.wrapper,
      zone.wrapper,
      vscodeButton('Add node', () => {
        if (this.addRegion.value) this.post({ action: 'add', region: this.addRegion.value, zone: this.addZone.value });
      }),
    );
    this.result.setAttribute('role', 'status');
    this.element.append(
      heading,
      element('p', 'muted', 'Per node: open a node (Enter or click) for Kill, Restart, Decommission and Recommission.'),
      this.regionList,
      add,
      this.result,
    );
    this.element.hidden = true;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.element.hidden = !enabled;
    if (enabled && this.model) this.fill(this.model);
  }

  /** The buttons for one node, for its details (none when controls are off). */
  nodeButtons(node: TopologyNode): HTMLElement[] | undefined {
    if (!this.enabled) return undefined;
    return nodeActions(node.liveness).map((action) =>
      vscodeButton(
        actionLabel[action],
        () => {
          this.post({ action, nodeId: node.id });
        },
        { secondary: action !== 'kill', ariaLabel: `${actionLabel[action]} node ${node.id}` },
      ),
    );
  }

  update(model: TopologyHead): void {
    this.model = model;
    // Hidden controls are filled when they are turned on, not on every model.
    if (this.enabled) this.fill(model);
  }

  private fill(model: TopologyHead): void {
    const regions = regionViews(model);
    const names = regions.map((r) => r.name);
    const shown = [...this.regionList.children].map((li) => (li as HTMLElement).dataset['region']);
    if (shown.join('\u0000') !== names.join('\u0000'))
      this.regionList.replaceChildren(
        ...names.map((name) => {
          const li = element('li');
          li.dataset['region'] = name;
          li.append(
            element('span', 'region-control-name', name),
            vscodeButton(
              'Partition',
              () => {
                this.post({ action: 'partition', region: name });
              },
              { secondary: true, ariaLabel: `Partition ${name} from the other regions` },
            ),
            vscodeButton(
              'Heal',
              () => {
                this.post({ action: 'heal', region: name });
              },
              { secondary: true, ariaLabel: `Heal ${name}` },
            ),
          );
          return li;
        }),
      );
    setOptions(
      this.addRegion,
      names.map((n) => ({ value: n, label: n })),
      names.includes(this.addRegion.value) ? this.addRegion.value : (names[0] ?? ''),
    );
    this.fillZones();
  }

  /** The host's answer to the last control. */
  showResult(ok: boolean, message: string | undefined): string {
    const text = ok ? `✓ ${message ?? 'Done.'}` : `✕ ${message ?? 'The control failed.'}`;
    this.result.textContent = text;
    this.result.classList.toggle('failed', !ok);
    return text;
  }

  private post(control: TopologyControl): void {
    this.result.textContent = `${describeControl(control)}…`;
    this.result.classList.remove('failed');
    this.send(control);
  }

  private fillZones(): void {
    const zones = (this.model ? regionViews(this.model) : []).find((r) => r.name === this.addRegion.value)?.zones.map((z) => z.name) ?? [];
    setOptions(
      this.addZone,
      zones.map((z) => ({ value: z, label: z || '(none)' })),
      zones.includes(this.addZone.value) ? this.addZone.value : (zones[0] ?? ''),
    );
  }
}
