// childEnvironment: the environment a child process of the service starts
// with — only what a Node process needs to run as the service does (where
// things are, the locale and time zone, Node's and glibc's own settings,
// trusted CA certificates, proxies), never the service's configuration.
// A child gets everything it needs in its request (a clone's credentials
// included); the webhook secrets, the GitHub token and the repository token
// in the service's environment are not its to hold, and would otherwise
// reach whatever a child loads.

const PASSED = new Set([
  'PATH', 'HOME', 'USER', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LANGUAGE', 'TZ',
  'NODE_OPTIONS', 'NODE_ENV', 'NODE_EXTRA_CA_CERTS', 'UV_THREADPOOL_SIZE',
  'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy',
]);
/** Locale categories (LC_ALL, LC_CTYPE, …) and glibc's allocator settings (MALLOC_ARENA_MAX, …, which the image sets). */
const PASSED_PREFIXES = ['LC_', 'MALLOC_'];

export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const passed: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (PASSED.has(name) || PASSED_PREFIXES.some((prefix) => name.startsWith(prefix)))) passed[name] = value;
  }
  return passed;
}
