// The YAML flow style CockroachDB uses for constraints and lease preferences: what gopkg.in/yaml.v2
// emits (", " separators, single quotes where a plain scalar is not allowed in flow context, a line
// break once a line passes 80 columns) and the subset of flow YAML users write back.

export type YamlValue = string | YamlValue[] | Map<string, YamlValue | number>;

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

export function flowYaml(value: readonly unknown[] | ReadonlyMap<string, number>): string {
  const out = { text: '', column: 0 };
  emit(out, value, 0);
  return out.text;
}

interface Out {
  text: string;
  column: number;
}

function write(out: Out, s: string): void {
  out.text += s;
  out.column += s.length;
}

function emit(out: Out, value: unknown, indent: number): void {
  if (Array.isArray(value)) {
    const inner = indent + BEST_INDENT;
    write(out, '[');
    value.forEach((item, i) => {
      if (i > 0) write(out, ',');
      if (!breakIfWide(out, inner) && i > 0) write(out, ' ');
      emit(out, item, inner);
    });
    write(out, ']');
    return;
  }
  if (value instanceof Map) {
    const inner = indent + BEST_INDENT;
    write(out, '{');
    let i = 0;
    for (const [k, v] of value as Map<unknown, unknown>) {
      if (i > 0) write(out, ',');
      if (!breakIfWide(out, inner) && i > 0) write(out, ' ');
      write(out, scalar(String(k)));
      write(out, ': ');
      emit(out, v, inner);
      i++;
    }
    write(out, '}');
    return;
  }
  write(out, typeof value === 'number' ? String(value) : scalar(String(value)));
}

function breakIfWide(out: Out, indent: number): boolean {
  if (out.column <= BEST_WIDTH) return false;
  out.text += '\n' + ' '.repeat(indent);
  out.column = indent;
  return true;
}

/** A plain scalar where yaml.v2 allows one in flow context, else single-quoted. */
function scalar(s: string): string {
  return plainAllowed(s) ? s : `'${s.replace(/'/g, "''")}'`;
}

function plainAllowed(s: string): boolean {
  if (s === '' || s !== s.trim()) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^-[^\s]/.test(s)) return false;
  if (/[,?[\]{}:]/.test(s) || / #/.test(s)) return false;
  // Strings that would read back as another type get quoted.
  return !/^(?:~|null|true|false|yes|no|on|off|[-+]?(?:\d[\d_]*)?\.?\d+(?:[eE][-+]?\d+)?)$/i.test(s);
}

/** Parses `[a, b]`, `[[a], [b]]`, `{a: 1, "b,c": 2}`; scalars come back as strings. */
export function parseFlowYaml(text: string): YamlValue {
  const p = new Parser(text);
  p.skipSpace();
  if (p.atEnd()) return [];
  const value = p.value();
  p.skipSpace();
  if (!p.atEnd()) throw p.error();
  return value;
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  error(): Error {
    return new Error(`could not parse YAML flow text at offset ${this.pos}: ${this.text}`);
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text.charAt(this.pos))) this.pos++;
  }

  value(): YamlValue {
    this.skipSpace();
    const c = this.text.charAt(this.pos);
    if (c === '[') return this.sequence();
    if (c === '{') return this.mapping();
    return this.scalar();
  }

  private sequence(): YamlValue[] {
    this.pos++;
    const items: YamlValue[] = [];
    this.skipSpace();
    if (this.text.charAt(this.pos) === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const c = this.text.charAt(this.pos++);
      if (c === ']') return items;
      if (c !== ',') throw this.error();
    }
  }

  private mapping(): Map<string, YamlValue> {
    this.pos++;
    const map = new Map<string, YamlValue>();
    this.skipSpace();
    if (this.text.charAt(this.pos) === '}') {
      this.pos++;
      return map;
    }
    for (;;) {
      this.skipSpace();
      const key = this.scalar(true);
      this.skipSpace();
      if (this.text.charAt(this.pos++) !== ':') throw this.error();
      map.set(key, this.value());
      this.skipSpace();
      const c = this.text.charAt(this.pos++);
      if (c === '}') return map;
      if (c !== ',') throw this.error();
    }
  }

  private scalar(isKey = false): string {
    const c = this.text.charAt(this.pos);
    if (c === "'") {
      let s = '';
      this.pos++;
      for (;;) {
        if (this.atEnd()) throw this.error();
        const ch = this.text.charAt(this.pos++);
        if (ch !== "'") s += ch;
        else if (this.text.charAt(this.pos) === "'") {
          s += "'";
          this.pos++;
        } else return s;
      }
    }
    if (c === '"') {
      let s = '';
      this.pos++;
      for (;;) {
        if (this.atEnd()) throw this.error();
        const ch = this.text.charAt(this.pos++);
        if (ch === '"') return s;
        s += ch === '\\' ? this.text.charAt(this.pos++) : ch;
      }
    }
    const start = this.pos;
    // A plain scalar ends at a flow indicator; a key also at ': '.
    while (!this.atEnd()) {
      const ch = this.text.charAt(this.pos);
      if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{') break;
      if (isKey && ch === ':' && /[\s]|^$/.test(this.text.charAt(this.pos + 1))) break;
      this.pos++;
    }
    const s = this.text.slice(start, this.pos).trim();
    if (s === '') throw this.error();
    return s;
  }
}
