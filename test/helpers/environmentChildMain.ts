// The child for childEnvironment.test.ts: answers with the names of the environment variables it started with.

import { answerParent } from '../../src/childProcess/answerParent.js';

answerParent(async () => Object.keys(process.env));
