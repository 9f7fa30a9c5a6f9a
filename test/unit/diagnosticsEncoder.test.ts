// The diagnostics encoder reuses the previous diagnostic objects where a finding still says the
// same at the same line and character; whatever the edits, its list must equal a fresh encoding.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticsEncoder, toDiagnostic } from '../../server/src/features/diagnostics';
import type { LintFinding } from '../../server/src/lint/engine';

const finding = (start: number, end: number, message: string): LintFinding => ({
  rule: 'r',
  severity: 'warning',
  start,
  end,
  message,
  fixes: [],
  offset: 0,
  statementStart: start,
});

describe('diagnostics encoder', () => {
  it('encodes as a fresh encoding would after any edit, line breaks (CR, LF, CRLF) included', () => {
    const text = fc.array(fc.constantFrom('a', 'b', ' ', '\n', '\r\n', '\r', ';'), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, fc.array(fc.tuple(fc.nat(80), fc.nat(5), fc.constantFrom('m', 'n')), { maxLength: 8 })), {
          minLength: 1,
          maxLength: 5,
        }),
        (versions) => {
          const encoder = new DiagnosticsEncoder();
          let version = 0;
          for (const [content, spans] of versions) {
            const document = TextDocument.create('file:///a.sql', 'sql', ++version, content);
            const findings = spans
              .map(([start, length, message]) =>
                finding(Math.min(start, content.length), Math.min(start + length, content.length), message),
              )
              .sort((a, b) => a.start - b.start);
            const encoded = encoder.encode(document, findings);
            assert.deepEqual(
              encoded,
              findings.map((f, i) => toDiagnostic(document, f, i)),
            );
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
