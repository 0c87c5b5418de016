import { describe, expect, it } from 'vitest';
import * as server from './index.js';

describe('public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(server).sort()).toEqual([
      'ENVIRONMENT_VARIABLES',
      'SERVER_VERSION',
      'ServerError',
      'createApp',
      'isServerError',
      'loadConfig',
      'migrate',
      'openDatabase',
      'startCluster',
      'startClusterWorker',
      'startServer',
      'withOrganization',
    ]);
  });
});
