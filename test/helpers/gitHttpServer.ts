// The loopback git smart-HTTP server lives in scripts/lib/ because the
// benchmarks serve their repositories with it too; tests import it from here.
export { startGitHttpServer, type GitHttpServer, type GitHttpServerOptions } from '../../scripts/lib/gitHttpServer.js';
