// The topology view's story on the host: every reading is recorded (the readings that changed
// something, for the timeline to replay), each database is judged against its survival goal, and
// the page's questions — what if this node, zone or region failed; where does this row live — are
// answered from the last reading and SHOW RANGE … FOR ROW.
import type { TopologyModel } from '../../../protocol/src/topology';
import type {
  RowTable,
  RttTable,
  StoryFrame,
  SurvivalReport,
  TopologyStoryToHost,
  TopologyStoryToWebview,
} from '../../../protocol/src/topologyStory';
import { StoryRecorder } from '../../../runner/src/topology/events';
import type { QueryFn } from '../../../runner/src/topology/reader';
import { locateRow } from '../../../runner/src/topology/rowLocation';
import { survivalReports, whatIf } from '../../../runner/src/topology/survivability';

/** The REGIONAL BY ROW tables, with their partitions: every database region, rows where counted or estimated. */
function rowTables(model: TopologyModel): RowTable[] {
  return model.tables
    .filter((t) => t.locality === 'regional-by-row')
    .map((t) => {
      const regions = model.databases.find((d) => d.name === t.database)?.regions ?? [];
      const counted = new Map((t.partitions ?? []).map((p) => [p.region, p.rows]));
      const names = [...regions, ...[...counted.keys()].filter((r) => !regions.includes(r))];
      const table: RowTable = {
        database: t.database,
        table: t.name,
        partitions: names.map((region) => {
          const rows = counted.get(region);
          return rows === undefined ? { region } : { region, rows };
        }),
      };
      if (t.rowsFrom !== undefined && t.partitions !== undefined) table.rowsFrom = t.rowsFrom;
      return table;
    });
}

export class TopologyStoryHost {
  private readonly recorder = new StoryRecorder();
  private model: TopologyModel | undefined;
  private survival: SurvivalReport[] = [];
  private survivalText = '';

  constructor(
    private readonly post: (message: TopologyStoryToWebview) => void,
    /** A connection for SHOW RANGE … FOR ROW (the topology's own, never the user's session). */
    private readonly query: () => Promise<QueryFn>,
  ) {}

  /** A new reading: recorded, judged, and sent when it changed the story. */
  observe(model: TopologyModel): void {
    this.model = model;
    const added = this.recorder.observe(model);
    const survival = survivalReports(model);
    // Sent again when the judgement or the row tables (their counts) changed, not on every reading.
    const text = JSON.stringify([survival, rowTables(model)]);
    const changed = text !== this.survivalText;
    this.survival = survival;
    this.survivalText = text;
    if (added || changed) this.resend();
  }

  /** The page (re)loaded: it gets the whole story. */
  resend(): void {
    if (this.model === undefined) return;
    this.post({ type: 'story', frames: this.recorder.frames(), survival: this.survival, rowTables: rowTables(this.model) });
  }

  async onMessage(message: TopologyStoryToHost): Promise<void> {
    const reply = await this.answer(message);
    if (reply) this.post(reply);
  }

  /** The story as last judged, for tests: the recorded frames and each database's report. */
  current(): { frames: StoryFrame[]; survival: SurvivalReport[] } {
    return { frames: this.recorder.frames(), survival: this.survival };
  }

  /** The reply to a question from the page (also what tests ask). */
  async answer(message: TopologyStoryToHost): Promise<TopologyStoryToWebview | undefined> {
    const model = this.model;
    if (message.type === 'what-if') return model ? { type: 'what-if', result: whatIf(model, message.domain) } : undefined;
    if (!model) return { type: 'row-location-error', message: 'The topology has not been read yet.' };
    const table = model.tables.find((t) => t.database === message.database && t.name === message.table);
    if (table?.locality !== 'regional-by-row')
      return { type: 'row-location-error', message: `${message.database}.${message.table} is not a REGIONAL BY ROW table.` };
    const database = model.databases.find((d) => d.name === message.database);
    const partitions = database?.regions ?? table.partitions?.map((p) => p.region) ?? [];
    const latency = (model as { latency?: RttTable }).latency;
    try {
      const locations = await locateRow(await this.query(), message, {
        regions: model.regions.map((r) => r.name).filter((r) => r !== ''),
        partitions,
        nodes: model.nodes,
        ...(latency ? { latency } : {}),
      });
      return { type: 'row-location', locations };
    } catch (error) {
      return { type: 'row-location-error', message: error instanceof Error ? error.message : String(error) };
    }
  }
}
