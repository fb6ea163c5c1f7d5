// A node:test reporter that writes one JSON object with the run's counts, for scripts/run-tests.mjs
// to turn into the closing `N passed, N failed[, N skipped]` line.
//
// What counts (checked against Node 20.20's own `ℹ pass/fail` totals):
// - every test() case that passed is `passed`; a skipped one is `skipped`, and so is a skipped
//   describe() (its body never runs, so its tests are unknown); todo tests are `todo`, whatever
//   their verdict, as in node:test itself;
// - every test() case that failed, timed out or was cancelled is `failed`;
// - a describe() suite or a whole test file counts only when it failed on its own — a file that
//   threw while loading, timed out or exited early, a suite whose body or hook threw. A suite or
//   file that failed only because tests in it failed is not counted again.
//
// Output: {"passed":N,"failed":N,"skipped":N,"todo":N,"failures":[{name,file,message}],
//          "skipReasons":{"reason":count}}

import { resolve } from 'node:path';

const SUBTESTS_FAILED = 'subtestsFailed';

/**
 * A failure's name and file. A whole file's failure is named by the file: Node 20 gives its
 * absolute path, Node 24 the path as written on the command line, so both become the absolute one.
 */
function failureName(data) {
  const name = String(data.name ?? '');
  const file = data.file ?? null;
  if (file && name && resolve(name) === resolve(file)) return { name: resolve(file), file: resolve(file) };
  return { name, file };
}

/** @param {AsyncIterable<{type: string, data: any}>} source */
export default async function* summaryReporter(source) {
  const summary = { passed: 0, failed: 0, skipped: 0, todo: 0, failures: [], skipReasons: {} };

  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data ?? {};
    const details = data.details ?? {};
    const isSuite = details.type === 'suite';

    if (data.todo !== undefined && data.todo !== false) {
      summary.todo += 1;
      continue;
    }
    if (data.skip !== undefined && data.skip !== false) {
      // A skipped suite's body never runs, so its tests are unknown: it counts as one skip.
      summary.skipped += 1;
      const reason = typeof data.skip === 'string' ? data.skip : '(no reason given)';
      summary.skipReasons[reason] = (summary.skipReasons[reason] ?? 0) + 1;
      continue;
    }
    if (event.type === 'test:pass') {
      if (!isSuite) summary.passed += 1;
      continue;
    }
    const error = details.error ?? {};
    if (error.failureType === SUBTESTS_FAILED) continue;
    summary.failed += 1;
    summary.failures.push({ ...failureName(data), message: describeError(error) });
  }

  yield `${JSON.stringify(summary)}\n`;
}

function describeError(error) {
  const cause = error.cause;
  const text =
    cause && typeof cause === 'object' && typeof cause.message === 'string'
      ? cause.message
      : typeof cause === 'string'
        ? cause
        : typeof error.message === 'string'
          ? error.message
          : String(error);
  const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
  return firstLine.length > 300 ? `${firstLine.slice(0, 300)}…` : firstLine;
}
