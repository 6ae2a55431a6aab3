import assert from 'node:assert/strict';
import { isIsoDate, isIsoDateTime, isIsoDuration, isIsoTime } from './iso8601.js';

describe('rm ISO 8601 checks', () => {
  it('accepts extended, basic and partial date/times', () => {
    for (const ok of ['2024-03-01T10:30:00+01:00', '2024-03-01T10:30:00.123Z', '2024-03-01T10:30', '2024-03-01T10', '2024-03-01', '2024-03', '2024', '20190128T213349,831+0000', '20240301']) {
      assert.ok(isIsoDateTime(ok), ok);
    }
    for (const bad of ['2024-13-01', '2024-03-01T25:00', '2024-03T10:00', '01/03/2024', '2024-03-01 10:30', '', '2024-03-01T10:30:00+1']) {
      assert.ok(!isIsoDateTime(bad), bad);
    }
  });

  it('accepts dates and times on their own', () => {
    assert.ok(isIsoDate('2024-02-29') && isIsoDate('2024-02') && isIsoDate('20240229'));
    assert.ok(!isIsoDate('2024-02-29T10:00') && !isIsoDate('24-02-29'));
    assert.ok(isIsoTime('10:30:00') && isIsoTime('10:30:00.5+02:00') && isIsoTime('103000') && isIsoTime('10'));
    assert.ok(!isIsoTime('10:60') && !isIsoTime('T10:00'));
  });

  it('accepts durations with at least one component', () => {
    for (const ok of ['PT0S', 'P1Y2M3DT4H5M6.5S', 'P2W', 'PT42H', '-P1D', 'P0.5D']) {
      assert.ok(isIsoDuration(ok), ok);
    }
    for (const bad of ['P', 'PT', 'P1H', '1D', 'P1DT', '30 minutes']) {
      assert.ok(!isIsoDuration(bad), bad);
    }
  });
});
