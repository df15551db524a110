// redactUrl: a remote URL without its `user:password@` part, safe to log, to
// show, to hash into a folder name and to store in the mirror's config.

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    // Not a URL: strip anything that looks like credentials before an `@`.
    return url.replace(/\/\/[^/@\s]*@/, '//');
  }
}
