import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createTerminal, wantsColour } from '../../cli/terminal';
import { capture } from './support';

const ESC = '\u001b[';

describe('terminal output', () => {
    it('writes plain PASS/FAIL lines with no escape codes and no progress when piped', () => {
        const out = capture(false);
        const term = createTerminal(out.stream, {});
        const p = term.progress('storage');
        p.done();
        term.status('pass', 'storage', 'read');
        term.status('fail', 'arm', 'no answer');
        assert.equal(out.text, 'PASS storage: read\nFAIL arm: no answer\n');
    });

    it('draws a progress line on a terminal, erases it, and prints coloured marks', () => {
        const out = capture(true);
        const term = createTerminal(out.stream, { TERM: 'xterm-256color' });
        const p = term.progress('arm');
        assert.match(out.text, /… arm/);
        p.done();
        assert.ok(out.text.endsWith('\r\u001b[2K'), 'the progress line is erased before the result');
        term.status('pass', 'arm', 'ok');
        assert.ok(out.text.includes(`${ESC}32m✔${ESC}39m ${ESC}1marm${ESC}22m  ok\n`), JSON.stringify(out.text));
    });

    it('follows NO_COLOR and FORCE_COLOR', () => {
        assert.equal(wantsColour({ isTTY: true, write: () => true }, { NO_COLOR: '1' }), false);
        assert.equal(wantsColour({ isTTY: false, write: () => true }, { FORCE_COLOR: '1' }), true);
        assert.equal(wantsColour({ isTTY: true, write: () => true }, { FORCE_COLOR: '0' }), false);
        assert.equal(wantsColour({ isTTY: true, write: () => true }, {}), true);
        const out = capture(true);
        createTerminal(out.stream, { NO_COLOR: '1' }).status('fail', 'x', 'y');
        assert.equal(out.text, '✘ x  y\n');
    });
});
