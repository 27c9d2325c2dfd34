/** Run before every test file (vitest.config.ts `setupFiles`): its temporary folders go when it ends. */
import { afterAll } from 'vitest';
import { removeTemporaryFolders } from './helpers.js';

afterAll(removeTemporaryFolders);
