// docker/checks/cellrule/cellrule.mjs — reads rule.json, the one rule for "did this notebook cell
// fail?", for the browser tests (docker/checks/browser/hooks.mjs, docker/hub/loadtest/hub_browser.mjs).
// cellrule.go and cellrule.py read the same file; TestReadersAgree holds them to the same verdicts.
import fs from 'node:fs';

export const rule = JSON.parse(fs.readFileSync(new URL('./rule.json', import.meta.url), 'utf8'));
export const ERROR_OUTPUT = 'error output';
export const REPORT = 'GoNB error report';
export const COMMAND_FAILED = 'failed command';
const commandFailed = new RegExp(rule.commandFailedLine, 'm');
const ansi = new RegExp(rule.ansi, 'g');

const text = (v) => (Array.isArray(v) ? v.join('') : String(v ?? ''));

// problems returns [{kind, text}]: what makes a cell with these nbformat outputs fail, its error
// outputs and GoNB's error reports in the outputs' order, then a failed command; [] when clean.
export function problems(outputs) {
  const found = [];
  let stderr = '';
  for (const out of outputs || []) {
    if (rule.errorOutputTypes.includes(out.output_type)) {
      found.push({ kind: ERROR_OUTPUT, text: `${out.ename ?? ''}: ${out.evalue ?? ''}` });
    } else if (rule.reportOutputTypes.includes(out.output_type)) {
      const page = text(out.data?.[rule.reportMIME]);
      if (page.includes(rule.reportMarker)) found.push({ kind: REPORT, text: page });
    } else if (out.output_type === 'stream' && out.name === rule.commandStream) {
      stderr += text(out.text);
    }
  }
  stderr = stderr.replace(ansi, '');
  if (commandFailed.test(stderr)) found.push({ kind: COMMAND_FAILED, text: stderr });
  return found;
}
